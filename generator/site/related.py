"""Related papers: the nearest neighbours of each paper by the words of its title and abstract.

Each paper is a TF-IDF row of its title (counted twice) and abstract, and its neighbours are
the rows with the highest cosine similarity (``generator.similarity``: one sparse top-n
product, no loop over pairs). Ties are broken by paper id, so the result is the same on
every run.

The lists depend on the whole catalogue (a new paper changes the weight of every word it has),
so they are computed for every paper in each build in which any paper's title or abstract
changed; with a ``cache`` (``build/topic-cache.sqlite3``), a build of the same papers as the
last one takes them from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import numpy as np

from ..model import Paper
from ..parallel import ForkedCall, ForkedProcessDied
from ..similarity import PaperTerms, catalogue_key, keep_result, kept_result, nearest_rows

if TYPE_CHECKING:
    from ..similarity import TextCache

DEFAULT_COUNT = 5
TIE_SLACK = 4
MIN_SIMILARITY = 0.05  # below this two papers share only incidental words


def related_papers(
    papers: Sequence[Paper],
    count: int = DEFAULT_COUNT,
    step: Callable[[int], None] | None = None,
    threads: int = 1,
    cache: TextCache | None = None,
    terms: PaperTerms | None = None,
) -> dict[str, list[str]]:
    """``{paper id: ids of its ``count`` most related papers, most related first}``; ``step(1)`` per paper done.

    ``threads``: how many threads compute the neighbours (rows are independent: the result does not depend on it).
    ``cache``: where the lists of the same papers are kept from one build to the next.
    ``terms``: the words of these papers, counted already (``similarity.PaperTerms``).
    """
    return start_related_papers(papers, threads=threads, cache=cache, terms=terms, count=count).result(step)


FORK_AT = 2000  # papers from which related papers are worth computing in a process of their own


class RelatedJob:
    """Related papers begun by ``start_related_papers``: ``result`` waits for them, ``cancel`` drops them."""

    def __init__(self, terms: PaperTerms, count: int, threads: int, cache: TextCache | None, key: str | None,
                 kept: dict[str, list[str]] | None, call: ForkedCall | None) -> None:
        self.terms, self.count, self.threads = terms, count, threads
        self.cache, self.key, self.kept, self.call = cache, key, kept, call

    def result(self, step: Callable[[int], None] | None = None) -> dict[str, list[str]]:
        """``{paper id: related paper ids}``; ``step(1)`` per paper done."""
        papers = len(self.terms.papers)
        if self.kept is not None:
            if step is not None:
                step(papers)
            return self.kept
        found = None
        if self.call is not None:
            call, self.call = self.call, None
            try:
                found = cast(dict[str, list[str]], call.result())
            except ForkedProcessDied:  # killed (out of memory?): found here instead, with the memory it had
                pass
            else:
                if step is not None:
                    step(papers)
        if found is None:
            found = _related(self.terms, self.count, step, self.threads)
        if self.key is not None and self.cache is not None:
            keep_result(self.cache, self.key, found)
        return found

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancel()
            self.call = None


def start_related_papers(
    papers: Sequence[Paper], *, threads: int = 1, cache: TextCache | None = None, terms: PaperTerms | None = None,
    fork: bool = False, count: int = DEFAULT_COUNT,
) -> RelatedJob:
    """``related_papers``, begun now: ``.result(step)`` gives them.

    With ``fork`` (and a catalogue of ``FORK_AT`` papers or more whose lists the cache does not
    hold), they are computed meanwhile in a forked process (``parallel.ForkedCall``), so that the
    build can place the papers in their topics at the same time on another core. The lists are
    the same either way.
    """
    terms = PaperTerms.of(papers, terms)
    ordered = terms.papers
    key = None
    if cache is not None and len(ordered) >= 2:
        key = catalogue_key(f"related papers, {count} each", ([p.id, p.title, p.abstract] for p in ordered))
        kept = kept_result(cache, key)
        if kept is not None:
            return RelatedJob(terms, count, threads, cache, None, cast(dict[str, list[str]], kept), None)
    call = None
    if fork and len(ordered) >= FORK_AT:
        terms.count()  # here, once: the forked process and the placement by neighbours both use the counts
        call = ForkedCall.start(_related, terms, count, None, threads)
    return RelatedJob(terms, count, threads, cache, key, None, call)


def _related(terms: PaperTerms, count: int, step: Callable[[int], None] | None, threads: int) -> dict[str, list[str]]:
    ordered = terms.papers
    result: dict[str, list[str]] = {p.id: [] for p in ordered}
    if len(ordered) < 2:
        return result
    matrix = terms.rows(max_df=0.5 if len(ordered) >= 20 else 1.0)
    if matrix is None:  # no usable word in the whole catalogue
        return result
    ids = [p.id for p in ordered]
    # The best few per row, computed without materialising the full product; a few extra so that
    # the paper itself and ties at the cut-off are decided by the exact ordering below.
    nearest = nearest_rows(matrix, matrix, top_n=count + 1 + TIE_SLACK, threshold=MIN_SIMILARITY, threads=max(1, threads))
    for row, paper_id in enumerate(ids):
        lo, hi = nearest.indptr[row], nearest.indptr[row + 1]
        columns, scores = nearest.indices[lo:hi], nearest.data[lo:hi]
        keep = columns != row
        columns, scores = columns[keep], scores[keep]
        order = np.lexsort((columns, -np.round(scores, 5)))[:count]
        result[paper_id] = [ids[c] for c in columns[order]]
        if step is not None:
            step(1)
    return result

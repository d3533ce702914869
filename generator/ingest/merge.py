"""Finding the same paper across and within listings, and merging its records into one.

Near-linear: exact keys (arXiv id, title, abstract, abstract prefix) go through hash maps, and
titles with small edits are found by the sorted-neighbourhood method (sort the title keys
forwards and backwards, compare each with its next few neighbours), never all pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Indel

from ..model import DATE_PRECISIONS, Paper
from ..text import CJK_CHARACTER, text_key

FUZZY_MIN_LENGTH = 20  # shorter titles only merge on an exact match
FUZZY_SIMILARITY = 0.92
ABSTRACT_PREFIX = 100  # a truncated copy of an abstract keeps at least its first 100 letters and digits
# Of the shorter abstract's distinct words, the share two abstracts under one title must have in common to be one
# paper's (a copy edited a little); abstracts written to one pattern share three quarters of theirs and are two papers.
SAME_WORDS = 0.85
NEIGHBOURS = 6
RELATED_TITLES = 0.6  # a truncated abstract's copy under a title this much like the other's is the same paper...
DISTINCT_SNIPPET = 250  # ...when it says more than a stock opening: this many letters and digits at least
SHORT_ABSTRACT = 100  # characters: an abstract shorter than this is a snippet or a stand-in, compatible with any
SHORT_CJK = 30  # Chinese or Japanese characters: as many as a short abstract in words of letters holds
# What numbers a title's part or version: "Part 2", "Llama 3", "DeiT III", "Part I".
_NUMBER = re.compile(r"\d+|\b[IVXLC]+\b")


class _UnionFind:
    """Groups of records, each group holding at most one arXiv id: two papers arXiv tells apart are never one."""

    def __init__(self, arxiv_ids: Sequence[str | None]) -> None:
        self.parent = list(range(len(arxiv_ids)))
        self.arxiv_id = list(arxiv_ids)  # of each group, at its root

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the groups of ``a`` and ``b``, unless they hold two arXiv ids; whether they are one group now."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ids = {self.arxiv_id[ra], self.arxiv_id[rb]} - {None}
        if len(ids) > 1:
            return False
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        self.arxiv_id[root] = self.arxiv_id[root] or self.arxiv_id[other]
        return True


@dataclass(frozen=True, slots=True)
class TextKeys:
    """A record's title and abstract as ``text_key`` gives them: computed once, for merging and for its id."""

    title: str
    abstract: str

    @classmethod
    def of(cls, paper: Paper) -> TextKeys:
        return cls(text_key(paper.title), text_key(paper.abstract))


def _abstracts_compatible(a: str, b: str) -> bool:
    """Two abstracts could belong to one paper: one missing or short, a prefix of the other, or mostly the same words."""
    if _short(a) or _short(b):
        return True
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter[: len(shorter) - 20]):
        return True
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) >= SAME_WORDS


def _short(abstract: str) -> bool:
    """Too short to tell two papers apart: a snippet or a stand-in. Chinese and Japanese say in a character
    what other scripts say in a word, so a full abstract in them may be under 100 characters."""
    return len(abstract) < SHORT_ABSTRACT and len(CJK_CHARACTER.findall(abstract)) < SHORT_CJK


def _surnames(paper: Paper) -> set[str]:
    return {text_key(name.split()[-1]) for name in paper.authors if name.split()}


def _differences(a: Paper, b: Paper) -> list[str]:
    """What makes two records with the same title two papers: nothing when one side lacks a field."""
    found = []
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        found.append(f"arXiv ids {a.arxiv_id} and {b.arxiv_id}")
    words_a, words_b = (" ".join(p.abstract.casefold().split()) for p in (a, b))
    if not _abstracts_compatible(words_a, words_b):
        found.append("different abstracts")
    surnames_a, surnames_b = _surnames(a), _surnames(b)
    if surnames_a and surnames_b and not surnames_a & surnames_b:
        found.append("no author in common")
    return found


def _similar_titles(a: str, b: str) -> bool:
    if min(len(a), len(b)) < FUZZY_MIN_LENGTH:
        return False
    return Indel.normalized_similarity(a, b, score_cutoff=FUZZY_SIMILARITY) >= FUZZY_SIMILARITY


def _related_titles(a: Paper, b: Paper, key_a: TextKeys, key_b: TextKeys) -> bool:
    """Titles that could name the paper of an abstract and of a copy cut short from it: one made from the
    abstract, one cut short, or nearly the same; or most letters in common, where the copy says more than
    the stock sentences many abstracts open with ("Large language models (LLMs) have achieved ...")."""
    if a.title_inferred or b.title_inferred or key_a.title.startswith(key_b.title) or key_b.title.startswith(key_a.title):
        return True
    if _similar_titles(key_a.title, key_b.title) and _NUMBER.findall(a.title) == _NUMBER.findall(b.title):
        return True
    if min(len(key_a.abstract), len(key_b.abstract)) < DISTINCT_SNIPPET:
        return False
    return Indel.normalized_similarity(key_a.title, key_b.title, score_cutoff=RELATED_TITLES) >= RELATED_TITLES


# A listing's stand-in for an abstract it does not have ("No abstract is available for this paper."), as a text key.
_PLACEHOLDER = re.compile(r"noabstract|abstract(?:is)?(?:not|un)available")


def _boilerplate_abstracts(papers: Sequence[Paper], keys: Sequence[TextKeys]) -> set[str]:
    """Abstracts that do not tell a paper: a placeholder, or one text under more than two titles.

    Two titles may be one paper renamed; three are a listing's stand-in text.
    """
    titles: dict[str, set[str]] = defaultdict(set)
    for paper, key in zip(papers, keys, strict=True):
        if not paper.title_inferred:
            titles[key.abstract].add(key.title)
    return {abstract for abstract, named in titles.items() if len(named) > 2 or _PLACEHOLDER.search(abstract)}


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """Two records with the same title kept as two papers, for a curator to look at."""

    first: int
    second: int
    reason: str


def find_duplicate_groups(papers: Sequence[Paper]) -> list[list[int]]:
    """Groups of indexes of records that are one paper; each group sorted, groups in order of first member."""
    return find_duplicates(papers)[0]


def find_duplicates(
    papers: Sequence[Paper], keys: Sequence[TextKeys] | None = None
) -> tuple[list[list[int]], list[PossibleDuplicate]]:
    """``find_duplicate_groups``, and the pairs of records with equal titles that stayed apart.

    Equal titles (after Unicode normalization and case folding) make one paper only when the rest
    agrees: no two different arXiv ids, abstracts that could be one text (or one missing), an author
    in common (or one side without authors). Otherwise both are kept, and the pair is reported. Records
    with two arXiv ids are never one paper, whatever else they share (one abstract under a paper and its
    sequel, copied by a listing): kept apart and reported.
    ``keys``: each record's ``TextKeys``, when the caller has them already.
    """
    keys = [TextKeys.of(p) for p in papers] if keys is None else keys
    uf = _UnionFind([p.arxiv_id for p in papers])
    apart: list[tuple[int, int, str]] = []

    exact: dict[tuple[str, str], list[int]] = {}

    def join_on(kind: str, value: str, index: int) -> None:
        """Join the first group of records with this key that holds no other arXiv id; report the pair when none."""
        seen = exact.setdefault((kind, value), [])
        if seen and not any(uf.union(first, index) for first in seen):
            ids = f"{uf.arxiv_id[uf.find(seen[0])]} and {uf.arxiv_id[uf.find(index)]}"
            apart.append((seen[0], index, f"the same {kind}, but arXiv ids {ids}"))
        seen.append(index)

    boilerplate = _boilerplate_abstracts(papers, keys)
    by_title: dict[str, list[int]] = defaultdict(list)
    for index, (paper, key) in enumerate(zip(papers, keys, strict=True)):
        if paper.arxiv_id:
            join_on("arxiv", paper.arxiv_id, index)
        if not paper.title_inferred and key.title:
            by_title[key.title].append(index)
        if len(key.abstract) >= 50 and key.abstract not in boilerplate:
            join_on("abstract", key.abstract, index)

    # Equal titles: each record joins the first cluster of that title it agrees with entirely.
    for members in by_title.values():
        clusters: list[list[int]] = []
        for index in members:
            for cluster in clusters:
                if not any(_differences(papers[index], papers[other]) for other in cluster) and uf.union(cluster[0], index):
                    cluster.append(index)
                    break
            else:
                for cluster in clusters:
                    why = "; ".join(_differences(papers[cluster[0]], papers[index])) or "the rest differs"
                    apart.append((cluster[0], index, f"the same title, but {why}"))
                clusters.append([index])

    # A truncated copy of an abstract: same first 100 characters, and one is a prefix of the other.
    # In sorted order a prefix comes right before the keys that extend it, so comparing each key
    # with its successor finds every truncated copy without comparing all pairs. Many abstracts open
    # with the same stock sentences, so a snippet under a title of its own is another paper's: kept
    # apart and reported.
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if len(key.abstract) >= ABSTRACT_PREFIX and key.abstract not in boilerplate:
            by_prefix[key.abstract[:ABSTRACT_PREFIX]].append(index)
    for members in by_prefix.values():
        if len(members) > 1:
            members.sort(key=lambda i: keys[i].abstract)
            for shorter, longer in pairwise(members):
                if keys[longer].abstract == keys[shorter].abstract or not keys[longer].abstract.startswith(keys[shorter].abstract):
                    continue  # the same abstract: joined above
                if not _related_titles(papers[shorter], papers[longer], keys[shorter], keys[longer]):
                    apart.append((shorter, longer, "one abstract is the start of the other's, the titles differ"))
                elif not uf.union(shorter, longer):
                    apart.append((shorter, longer, "one abstract is the start of the other's, but their arXiv ids differ"))

    # Titles with small edits: sorted neighbourhood, forwards and on reversed keys.
    titled = [i for i, p in enumerate(papers) if not p.title_inferred and len(keys[i].title) >= FUZZY_MIN_LENGTH]
    numbers = {i: _NUMBER.findall(papers[i].title) for i in titled}  # "Part 1" and "Part 2" are two papers, "II" and "III" too

    for order_key in (lambda i: keys[i].title, lambda i: keys[i].title[::-1]):
        ordered = sorted(titled, key=order_key)
        for position, index in enumerate(ordered):
            for other in ordered[position + 1 : position + 1 + NEIGHBOURS]:
                if uf.find(index) == uf.find(other) or keys[index].title == keys[other].title:
                    continue
                if (
                    numbers[index] == numbers[other]
                    and _similar_titles(keys[index].title, keys[other].title)
                    and not _differences(papers[index], papers[other])
                ):
                    uf.union(index, other)

    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(papers)):
        groups[uf.find(index)].append(index)
    possible = [PossibleDuplicate(a, b, why) for a, b, why in apart if uf.find(a) != uf.find(b)]
    return sorted(groups.values(), key=lambda members: members[0]), possible


def _cut_title(title: str) -> bool:
    return title.rstrip().endswith(("\u2026", "..."))


def merge_records(records: Sequence[Paper]) -> Paper:
    """One paper from records of the same paper: every known field and every source kept.

    The first record in source order with a real (not inferred) title, not cut short, in mixed case gives the title; the
    longest abstract wins (others may be truncated); the most precise date wins, a date
    whose year was printed before one whose year was inferred.
    """
    ordered = sorted(records, key=lambda p: min(p.sources))
    titled = [p for p in ordered if not p.title_inferred] or ordered
    titled = [p for p in titled if not _cut_title(p.title)] or titled  # "… Locally on …": the page cut it short
    # A title as written ("FEAS: A Benchmark") over one a page lower-cased or capitalised whole.
    base = next((p for p in titled if p.title.lower() != p.title != p.title.upper()), titled[0])
    precision_rank = {p: i for i, p in enumerate(DATE_PRECISIONS)}
    dated = [p for p in ordered if p.date]
    # A printed date over one whose year papercat inferred; then the most precise.
    best_date = min(dated, key=lambda p: (p.date_inferred, precision_rank[p.date_precision or "year"])) if dated else None
    # The most names, and of as many, the fullest: "Lucía Navarro" over a scholarly search's "L Navarro".
    authors = max((p.authors for p in ordered), key=lambda names: (len(names), sum(map(len, names))))
    counts = [p.author_count for p in ordered if p.author_count is not None]
    upvotes = [p.upvotes for p in ordered if p.upvotes is not None]
    hints: list[str] = []
    for paper in ordered:
        hints.extend(h for h in paper.topic_hints if h not in hints)
    return Paper(
        title=base.title,
        title_inferred=base.title_inferred,
        abstract=max((p.abstract for p in ordered), key=len),
        authors=list(authors),
        author_count=max(counts + [len(authors)]) if (counts or authors) else None,
        date=best_date.date if best_date else None,
        date_precision=best_date.date_precision if best_date else None,
        date_inferred=best_date.date_inferred if best_date else False,
        venue=next((p.venue for p in ordered if p.venue), None),
        organization=next((p.organization for p in ordered if p.organization), None),
        upvotes=max(upvotes) if upvotes else None,
        url=next((p.url for p in ordered if p.url), None),
        arxiv_id=next((p.arxiv_id for p in ordered if p.arxiv_id), None),
        topic_hints=hints,
        sources=sorted({s for p in ordered for s in p.sources}),
    )

"""Related papers and the placement by neighbours are kept for a build of the same papers.

Both depend on the whole catalogue, so any changed title or abstract computes them again; a
build of the same papers (a daily run with no new listing, an edited template or setting) takes
them from the topic cache in ``build/``. What it takes must be exactly what computing gives.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest

from generator.ingest import ingest_content
from generator.model import Paper
from generator.similarity import TOKEN_PATTERN, PaperTerms
from generator.site.page_cache import PageCache
from generator.site.related import related_papers
from generator.topics import classify, load_taxonomy

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ROOT / "generator" / "defaults" / "config" / "topics.yml"


def _paper(pid: str, title: str, abstract: str) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract)


def _catalogue() -> list[Paper]:
    papers = [
        _paper(f"g{i}", f"Graph neural networks enumerate zeolite frameworks {i}",
               f"Message passing graph neural networks enumerate zeolite frameworks from tetrahedral sites, variant {i}.")
        for i in range(8)
    ]
    papers += [
        _paper(f"v{i}", f"Vision transformers for tiny images {i}",
               f"Image classification with vision transformers on tiny images and convolutional baselines, setting {i}.")
        for i in range(8)
    ]
    papers.append(_paper("u", "Enumerating zeolite frameworks", "We enumerate zeolite frameworks from their tetrahedral sites."))
    return papers


def _next_build(folder: Path, cache: PageCache | None = None) -> PageCache:
    """Keep what the last build added, and open the cache as the next build does."""
    if cache is not None:
        cache.save()
    return PageCache(folder / "topic-cache.sqlite3")


def test_related_papers_of_the_same_papers_come_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    papers = _catalogue()
    first = _next_build(tmp_path)
    computed = related_papers(papers, cache=first)
    assert computed == related_papers(papers)  # the cache changes nothing
    second = _next_build(tmp_path, first)

    def no_computing(*args: object) -> None:
        raise AssertionError("computed again")

    with monkeypatch.context() as patch:
        patch.setattr("generator.site.related._related", no_computing)
        patch.setattr("generator.similarity.PaperTerms._count", no_computing)  # not one word counted
        assert related_papers(list(reversed(papers)), cache=second) == computed

    # One abstract edited: computed again, exactly as without a cache.
    edited = [dataclasses.replace(p, abstract="Graph transformers for molecules.") if p.id == "g3" else p for p in papers]
    third = _next_build(tmp_path, second)
    assert related_papers(edited, cache=third) == related_papers(edited)
    assert related_papers(edited, cache=third) != computed


def test_the_placement_by_neighbours_of_the_same_papers_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taxonomy = load_taxonomy(TOPICS)
    papers = _catalogue()
    first = _next_build(tmp_path)
    computed = classify(papers, taxonomy, cache=first)
    assert computed == classify(papers, taxonomy)
    assert computed["u"].primary == "graphs" and computed["u"].evidence["graphs"][0].startswith("nearest papers: ")
    second = _next_build(tmp_path, first)

    def no_computing(*args: object) -> None:
        raise AssertionError("computed again")

    with monkeypatch.context() as patch:
        patch.setattr(importlib.import_module("generator.topics.classify"), "_neighbour_topics", no_computing)
        assert classify(papers, taxonomy, cache=second) == computed

    # A decided paper's title changes the evidence named for the placed one: computed again.
    renamed = [dataclasses.replace(p, title="Zeolite frameworks by message passing") if p.id == "g0" else p for p in papers]
    third = _next_build(tmp_path, second)
    assert classify(renamed, taxonomy, cache=third) == classify(renamed, taxonomy)


@pytest.mark.parametrize("folder", [ROOT / "content", ROOT / "tests" / "hostile"], ids=["bundled", "hostile"])
def test_the_words_counted_once_weigh_each_text_as_tfidf_vectorizer_does(folder: Path) -> None:
    """Related papers and the placement by neighbours share one count of the catalogue's words;
    each matrix is still the one ``TfidfVectorizer`` makes of its own texts."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    papers = ingest_content(folder).papers
    assert any(p.title_inferred for p in papers) and not all(p.title_inferred for p in papers)
    terms = PaperTerms(list(reversed(papers)))
    for inferred_titles, max_df in ((True, 0.5), (False, 1.0)):
        titles = [p.title if inferred_titles or not p.title_inferred else "" for p in terms.papers]
        texts = [f"{title} {title} {p.abstract}" for title, p in zip(titles, terms.papers, strict=True)]
        expected = TfidfVectorizer(
            stop_words="english", token_pattern=TOKEN_PATTERN, sublinear_tf=True, max_df=max_df, dtype=np.float32
        ).fit_transform(texts)
        rows = terms.rows(inferred_titles=inferred_titles, max_df=max_df)
        assert rows is not None and rows.shape == expected.shape and rows.dtype == expected.dtype
        assert (rows != expected).nnz == 0


@pytest.mark.parametrize("per_count", [2, 4096], ids=["counted-two-texts-at-a-time", "counted-at-once"])
def test_the_words_are_those_count_vectorizer_finds_and_its_stop_words_are_left_out(
    per_count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words are counted without scikit-learn: the same words, counts and columns as its ``CountVectorizer``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from generator.similarity import count_words
    from generator.stop_words import ENGLISH_STOP_WORDS as ours

    monkeypatch.setattr("generator.similarity._TEXTS_PER_COUNT", per_count)
    assert ours == ENGLISH_STOP_WORDS
    texts = [
        "Self-supervised ViT-22B models: the state-of-the-art, re-examined -- again_and_again!",
        "ÉCOLE Übersicht naïve Straße İstanbul 東京 模型 ﬁne-tuning x2 2x a-b- -ab _ab ab_",
        "", "the and of", "Zebra zebra ZEBRA yak",
    ]
    vectorizer = CountVectorizer(stop_words="english", token_pattern=TOKEN_PATTERN)
    expected = vectorizer.fit_transform(texts)
    counted = count_words(texts)
    assert counted is not None and counted.shape == expected.shape
    assert (counted != expected).nnz == 0
    assert count_words(["the of and", ""]) is None


# In a process of its own: forking is safe only with no other thread, and a test session has some.
_FORKED_RELATED = """
import json, os, signal, sys
from pathlib import Path
from generator.model import Paper
from generator.site import related
from generator.site.page_cache import PageCache

fate, folder, catalogue = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
papers = [Paper(id=pid, title=title, abstract=abstract) for pid, title, abstract in catalogue]
expected = related.related_papers(papers)
build, real = os.getpid(), related._related

def find(*args):
    if fate == "killed" and os.getpid() != build:  # as the system's out-of-memory killer would
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)

related._related, related.FORK_AT = find, 2
cache = PageCache(folder / "topic-cache.sqlite3")
job = related.start_related_papers(papers, cache=cache, fork=True)
forked = job.call is not None and job.call.process.pid != build
done = []
same = job.result(done.append) == expected
cache.save()
again = related.start_related_papers(papers, cache=PageCache(folder / "topic-cache.sqlite3"), fork=True)
print(json.dumps({"forked": forked, "same": same, "steps": sum(done), "papers": len(papers),
                  "kept": again.call is None and again.result() == expected}))
"""


@pytest.mark.parametrize("fate", ["lives", "killed"])
def test_related_papers_found_in_a_forked_process_are_the_same(tmp_path: Path, fate: str) -> None:
    """While the build classifies, a forked process finds the related papers; one that dies leaves them to the build."""
    import json
    import subprocess
    import sys

    catalogue = json.dumps([[p.id, p.title, p.abstract] for p in _catalogue()])
    run = subprocess.run(
        [sys.executable, "-c", _FORKED_RELATED, fate, str(tmp_path), catalogue], capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out == {"forked": True, "same": True, "steps": out["papers"], "papers": 17, "kept": True}

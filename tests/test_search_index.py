"""The search index papercat writes (generator/site/search.py), read back as the browser reads it.

The browser side (the same tokenizer in JavaScript, ranking, the Search page) is checked in
tests/browser/test_search.py; here: the words, the files and their bytes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from site_fixtures import listing_model

from generator.model import Paper, Source
from generator.site import search
from generator.site.search import fnv1a, record_path, title_key, tokenize, write_index
from generator.topics import TopicAssignment

pytestmark = pytest.mark.unit


def _paper(pid: str, title: str, abstract: str, **kw: object) -> Paper:
    return Paper(title=title, abstract=abstract, id=pid, sources=[Source("a.txt", 1, "daily-papers")], **kw)


def _catalogue(count: int = 12):
    papers, assignments = [], {}
    for i in range(count):
        pid = f"paper-{i:02d}"
        papers.append(_paper(pid, f"Diffusion Study {i:02d}", f"We study diffusion in setting {i}.",
                             date=f"2024-0{1 + i % 3}-1{i % 9}", date_precision="day", venue="NeurIPS" if i % 2 else None))
        assignments[pid] = TopicAssignment("generative", ("vision",) if i % 3 == 0 else (), {"generative": ("diffusion",)})
    papers.append(_paper("astrom-3", "AstroM$^3$: Schrödinger's <script>alert(1)</script>", "Time-series photometry."))
    assignments["astrom-3"] = TopicAssignment("vision", (), {"vision": ("image",)})
    return listing_model(papers, assignments)


def _read(path: Path) -> object:
    return json.loads(gzip.decompress(path.read_bytes()))


def test_words_are_folded_to_what_a_keyboard_types() -> None:
    assert tokenize("AstroM$^3$: Self-Supervised") == ["astrom", "3", "self", "supervised"]
    assert tokenize("AstroM³") == ["astrom3"]
    assert tokenize("Schrödinger's STRASSE Straße Łódź ﬁne") == ["schrodinger", "s", "strasse", "strasse", "lodz", "fine"]
    assert tokenize("<script>alert(1)</script>") == ["script", "alert", "1", "script"]
    assert tokenize("snake_case x" + "y" * 40) == ["snake", "case", "x" + "y" * 31]
    assert tokenize("日本語 ΣΟΦΟΣ") == ["日本", "本語", "σοφοσ"]  # Chinese characters and kana: their pairs
    assert tokenize("GPT-4o的视觉模型 推") == ["gpt", "4o", "的视", "视觉", "觉模", "模型", "推"]
    assert fnv1a("") == 0x811C9DC5 and fnv1a("a") == 0xE40C292C  # the published FNV-1a test vectors
    assert title_key("Attention: all you need!") == title_key("attention all YOU need") is not None


def test_the_index_is_byte_identical_from_build_to_build(tmp_path: Path) -> None:
    model = _catalogue()
    first = write_index(model, tmp_path / "a")
    write_index(model, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == first["files"]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    # gzip with no time stamp: bytes 4-7 of the header are zero
    assert all((tmp_path / "a" / f).read_bytes()[4:8] == b"\0\0\0\0" for f in files_a)


def test_a_frequent_word_keeps_its_best_postings_in_its_shard_and_the_rest_in_a_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "HEAD", 4)
    model = _catalogue()
    write_index(model, tmp_path)
    directory = _read(tmp_path / "index.gz")
    assert directory["docs"] == len(model.topics_used) + len(model.papers)
    assert directory["shards"] == sorted(directory["shards"]) and directory["shards"][0] <= "diffusion"
    entries = {}
    for n in range(len(directory["shards"])):
        for term, df, tail, deltas, impacts in _read(tmp_path / "t" / f"{n}.gz"):
            entries[term] = (n, df, tail, deltas, impacts)
    n, df, tail, deltas, impacts = entries["diffusion"]
    assert df == 12  # the twelve diffusion papers
    assert len(deltas) == len(impacts) == 4 and tail
    rest_deltas, rest_impacts = _read(tmp_path / "p" / f"{n}-{tail}.gz")
    assert len(rest_deltas) == df - 4 and min(impacts) >= max(rest_impacts)
    # A word in the title counts more than the same word in the abstract only.
    n, df, tail, deltas, impacts = entries["photometry"]
    astro = [d for d in range(directory["docs"]) if "AstroM" in str(_record(tmp_path, directory, d)["t"])]
    assert deltas == astro and not tail
    assert entries["astrom"][4][0] > impacts[0]
    # The typed title, in either form, is a key of the paper.
    bits = directory["keyBits"]
    for typed in ("AstroM$^3$: Schrödinger's <script>alert(1)</script>", "AstroM³: Schrodinger's script alert 1 script"):
        key = title_key(typed)
        assert key is not None
        shard = _read(tmp_path / "k" / f"{key >> (32 - bits) if bits else 0}.gz")
        assert shard[str(key)] == astro


def _record(root: Path, directory: dict, doc: int) -> dict:
    return _read(root / record_path(doc, directory["topics"], directory["docs"], directory["perFolder"]))


def test_results_and_facets_hold_the_listing_text(tmp_path: Path) -> None:
    model = _catalogue()
    write_index(model, tmp_path)
    directory = _read(tmp_path / "index.gz")
    topic = _record(tmp_path, directory, 0)
    assert topic["k"] == 1 and topic["u"].startswith("topics/") and topic["d"].startswith("Topic · ")
    records = [_record(tmp_path, directory, d) for d in range(directory["topics"], directory["docs"])]
    astro = next(r for r in records if "AstroM" in r["t"])
    assert astro["t"] == "AstroM³: Schrödinger's <script>alert(1)</script>"  # text, shown as text
    assert astro["u"] == "papers/astrom-3/" and astro["a"] == "Time-series photometry." and astro["d"] == "undated"
    meta = _read(tmp_path / "f" / "meta.gz")
    years, venues, topics = _read(tmp_path / "f" / "0.gz")
    assert len(years) == len(venues) == len(topics) == directory["docs"]  # one chunk holds them all
    first_paper = directory["topics"]
    assert meta["year"][years[first_paper]] == "2024" and years[0] == -1
    assert sorted(meta["topic"]) == ["Computer Vision", "Generative Models"]
    assert meta["venue"] == ["NeurIPS"]
    paper_venues = [meta["venue"][v] if v >= 0 else None for v in venues[first_paper:]]
    assert paper_venues == [p.venue for p in model.papers]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_index_is_the_same_bytes_written_by_one_process_or_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small batches, record folders and facet chunks, so that a dozen papers cross every boundary.
    monkeypatch.setattr(search, "PARALLEL_DOCUMENTS", 0)
    monkeypatch.setattr(search, "DOCUMENTS_PER_TASK", 4)
    monkeypatch.setattr(search, "FRAGMENTS_PER_FOLDER", 5)
    monkeypatch.setattr(search, "FACET_CHUNK", 6)
    monkeypatch.setattr(search, "HEAD", 3)
    model = _catalogue(23)
    one = write_index(model, tmp_path / "one", jobs=1)
    two = write_index(model, tmp_path / "two", jobs=2)
    assert (one["processes"], two["processes"]) == (1, 2)
    files = _files(tmp_path / "one")
    assert _files(tmp_path / "two") == files and len(files) == one["files"] == two["files"]
    assert {"r/0/4.gz", "r/1/0.gz", "f/0.gz", "f/1.gz", "p/0-1.gz"} <= set(files)  # the boundaries were crossed
    directory = _read(tmp_path / "two" / "index.gz")
    assert directory["docs"] == len(model.topics_used) + len(model.papers) and directory["perFolder"] == 5
    assert directory["facetChunks"] == -(-directory["docs"] // 6)


def test_a_new_paper_leaves_the_other_records_in_place_and_they_are_linked_not_written(tmp_path: Path) -> None:
    """Records are named from the oldest paper: a day's newest paper moves no other record, and an index written
    beside the previous one links each record file that is the same bytes instead of writing it again."""
    before = _catalogue(12)
    write_index(before, tmp_path / "old")
    papers = [*before.papers, _paper("paper-new", "Diffusion Study New", "We study diffusion anew.", date="2024-12-30",
                                     date_precision="day")]
    assignments = {**before.assignments, "paper-new": TopicAssignment("generative", (), {"generative": ("diffusion",)})}
    after = listing_model(papers, assignments)
    changed = next(iter(sorted((tmp_path / "old" / "r" / "0").iterdir())))  # a record edited since: written anew
    changed.write_bytes(changed.read_bytes() + b"\0")
    write_index(after, tmp_path / "new", previous=tmp_path / "old")
    write_index(after, tmp_path / "fresh")
    assert _files(tmp_path / "new") == _files(tmp_path / "fresh")
    old, new = tmp_path / "old", tmp_path / "new"
    papers_old = sorted(p.relative_to(old) for p in (old / "r").rglob("*.gz") if p.parent.name != "t")
    linked = [rel for rel in papers_old if (new / rel).stat().st_ino == (old / rel).stat().st_ino]
    assert len(linked) == len(papers_old) - 1 >= 12 and changed.relative_to(old) not in linked
    topics = {p.name: (new / p.relative_to(old)).stat().st_ino == p.stat().st_ino for p in (old / "r" / "t").iterdir()}
    assert sorted(topics.values()) == [False, True]  # "generative" counts one paper more; "vision" is the same record


def test_each_posting_carries_the_field_weighted_bm25_impact(tmp_path: Path) -> None:
    model = _catalogue()
    write_index(model, tmp_path)
    docs = list(search.documents(model))
    fields = range(len(search.WEIGHTS))
    present = [sum(1 for d in docs if d.fields[f]) for f in fields]
    averages = [sum(len(d.fields[f]) for d in docs) / present[f] if present[f] else 1.0 for f in fields]
    expected: dict[str, list[tuple[int, int]]] = {}
    for n, document in enumerate(docs):
        for term in dict.fromkeys(w for words in document.fields for w in words):
            pseudo = 0.0
            for f in fields:
                tf = document.fields[f].count(term)
                if tf:
                    b = search.LENGTH_NORM[f]
                    pseudo += search.WEIGHTS[f] * tf / (1 - b + b * len(document.fields[f]) / averages[f])
            expected.setdefault(term, []).append((n, max(1, min(255, round(255 * pseudo / (search.K1 + pseudo))))))
    directory = _read(tmp_path / "index.gz")
    found: dict[str, list[tuple[int, int]]] = {}
    for n in range(len(directory["shards"])):
        for term, df, tail, deltas, impacts in _read(tmp_path / "t" / f"{n}.gz"):
            assert not tail and df == len(deltas)
            doc_numbers = [sum(deltas[: i + 1]) for i in range(len(deltas))]
            found[term] = list(zip(doc_numbers, impacts, strict=True))
    assert found == expected
    assert list(found) == sorted(found, key=lambda t: t.encode("utf-16-be"))  # the order the browser compares in


def test_a_rebuild_reuses_unchanged_documents_and_writes_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from generator.site.search_cache import SearchCache

    monkeypatch.setattr(search, "PARALLEL_DOCUMENTS", 0)
    monkeypatch.setattr(search, "DOCUMENTS_PER_TASK", 5)
    (tmp_path / "build").mkdir()
    path = tmp_path / "build" / "search-cache.sqlite3"
    model = _catalogue()
    docs = len(model.topics_used) + len(model.papers)
    clean = _files_of(write_index(model, tmp_path / "clean"), tmp_path / "clean")
    for n, jobs in enumerate((1, 2, 1)):
        cache = SearchCache(path)
        facts = write_index(model, tmp_path / f"cached{n}", jobs=jobs, cache=cache)
        cache.prune()
        assert facts["reused"] == (0 if n == 0 else docs)
        assert _files(tmp_path / f"cached{n}") == clean
    # One abstract edited, one paper gone: only the edited paper is read again, and the index is
    # the one a clean build of the new catalogue writes (every later document number shifts).
    papers = [replace(p, abstract="Diffusion, edited.") if p.id == "paper-05" else p for p in model.papers if p.id != "paper-01"]
    edited = replace(model, papers=papers)
    write_index(edited, tmp_path / "edited-clean")
    cache = SearchCache(path)
    facts = write_index(edited, tmp_path / "edited", jobs=2, cache=cache)
    assert facts["reused"] == docs - 2
    assert _files(tmp_path / "edited") == _files(tmp_path / "edited-clean")
    assert _read(tmp_path / "edited" / "r" / "0" / "0.gz") == _read(tmp_path / "clean" / "r" / "0" / "0.gz")
    # A damaged cache is no cache.
    path.write_bytes(b"not a database")
    facts = write_index(model, tmp_path / "damaged", cache=SearchCache(path))
    assert facts["reused"] == 0 and _files(tmp_path / "damaged") == clean


def _files_of(facts: dict[str, int], root: Path) -> dict[str, bytes]:
    files = _files(root)
    assert len(files) == facts["files"]
    return files


def test_a_word_with_a_zero_width_non_joiner_is_found_typed_either_way() -> None:
    """Persian keyboards type "مدل‌های" with a ZWNJ; copied text often loses it: the same word to search."""
    word = "\u0645\u062f\u0644\u0647\u0627\u06cc"
    assert tokenize(word[:3] + "\u200c" + word[3:]) == tokenize(word) == [word]

"""The search index papercat writes (generator/site/search.py), read back as the browser reads it.

The browser side (the same tokenizer in JavaScript, ranking, the Search page) is checked in
tests/browser/test_search.py; here: the words, the files and their bytes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

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


def _read(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


def _doc(directory: dict, segment: dict, local: int) -> int:
    """A segment's document number as the whole index's (as papercat-search.js reads it)."""
    t = segment["t"]
    return local if local < t else directory["docs"] - segment["a"] - segment["c"] + local - t


def _postings(root: Path) -> dict[str, list[tuple[str, int, int, int, list[int], list[int]]]]:
    """Every term's entries, one per segment holding it: (segment id, shard, df, tail, documents, impacts)."""
    directory = _read(root / "index.gz")
    found: dict[str, list[tuple[str, int, int, int, list[int], list[int]]]] = {}
    for segment in directory["segments"]:
        for n in range(len(segment["shards"])):
            for term, df, tail, deltas, impacts in _read(root / "s" / segment["id"] / "t" / f"{n}.gz"):
                docs = [_doc(directory, segment, sum(deltas[: i + 1])) for i in range(len(deltas))]
                found.setdefault(term, []).append((segment["id"], n, df, tail, docs, impacts))
    return found


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
    [segment] = directory["segments"]  # thirteen papers: the open segment alone
    assert segment["shards"] == sorted(segment["shards"]) and segment["shards"][0] <= "diffusion"
    entries = {term: found[0] for term, found in _postings(tmp_path).items()}
    segment_id, n, df, tail, docs, impacts = entries["diffusion"]
    assert df == 12  # the twelve diffusion papers
    assert len(docs) == len(impacts) == 4 and tail
    rest_deltas, rest_impacts = _read(tmp_path / "s" / segment_id / "p" / f"{n}-{tail}.gz")
    assert len(rest_deltas) == df - 4 and min(impacts) >= max(rest_impacts)
    # A word in the title counts more than the same word in the abstract only.
    _, n, df, tail, docs, impacts = entries["photometry"]
    astro = [d for d in range(directory["docs"]) if "AstroM" in str(_record(tmp_path, directory, d)["t"])]
    assert docs == astro and not tail
    assert entries["astrom"][5][0] > impacts[0]
    # The typed title, in either form, is a key of the paper.
    bits = segment["keyBits"]
    for typed in ("AstroM$^3$: Schrödinger's <script>alert(1)</script>", "AstroM³: Schrodinger's script alert 1 script"):
        key = title_key(typed)
        assert key is not None
        shard = _read(tmp_path / "s" / segment_id / "k" / f"{key >> (32 - bits) if bits else 0}.gz")
        assert shard[str(key)] == astro


def _record(root: Path, directory: dict, doc: int) -> dict:
    return _read(root / record_path(directory, doc))


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
    years, venues, topics = _read(tmp_path / "f" / "0.gz")  # the papers by place, from the oldest
    assert len(years) == len(venues) == len(topics) == len(model.papers)  # one chunk holds them all
    assert meta["year"][years[-1]] == "2024" and meta["year"][years[0]] == "undated"  # the newest paper; the oldest
    assert sorted(meta["topic"]) == ["Computer Vision", "Generative Models"]
    assert meta["venue"] == ["NeurIPS"]
    paper_venues = [meta["venue"][v] if v >= 0 else None for v in venues]
    assert paper_venues == [p.venue for p in reversed(model.papers)]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_index_is_the_same_bytes_written_by_one_process_or_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small batches, record folders and facet chunks, so that a dozen papers cross every boundary.
    monkeypatch.setattr(search, "PARALLEL_DOCUMENTS", 0)
    monkeypatch.setattr(search, "DOCUMENTS_PER_TASK", 4)
    monkeypatch.setattr(search, "FRAGMENTS_PER_FOLDER", 5)
    monkeypatch.setattr(search, "FACET_CHUNK", 6)
    monkeypatch.setattr(search, "HEAD", 3)
    monkeypatch.setattr(search, "SEGMENT_BLOCK", 4)
    model = _catalogue(23)
    one = write_index(model, tmp_path / "one", jobs=1)
    two = write_index(model, tmp_path / "two", jobs=2)
    assert (one["processes"], two["processes"]) == (1, 2)
    files = _files(tmp_path / "one")
    assert _files(tmp_path / "two") == files and len(files) == one["files"] == two["files"]
    directory = _read(tmp_path / "two" / "index.gz")
    assert directory["docs"] == len(model.topics_used) + len(model.papers) and directory["perFolder"] == 5
    # 24 papers: six blocks of four, sealed as one; the open segment has the topics only
    assert [(s["a"], s["c"], s["t"]) for s in directory["segments"]] == [(0, 24, 0), (24, 0, 2)]
    first = directory["segments"][0]["id"]
    assert {f"s/{first}/r/0/4.gz", f"s/{first}/r/1/0.gz", "f/0.gz", "f/3.gz", f"s/{first}/p/0-1.gz"} <= set(files)
    # Every document's record is where the browser looks for it.
    urls = {_record(tmp_path / "two", directory, d)["u"] for d in range(directory["docs"])}
    assert len(urls) == directory["docs"]


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_a_new_paper_changes_only_the_open_segment_and_the_sealed_ones_are_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments are cut by place from the oldest paper: a day's newest paper leaves the sealed segments as they
    were, and an index written beside the previous one links their files instead of writing them again, unless
    a file of theirs changed since."""
    monkeypatch.setattr(search, "SEGMENT_BLOCK", 2)
    before = _catalogue(17)  # 18 papers: sealed 16 (eight blocks) and 2 (one block); the open segment has the topics
    write_index(before, tmp_path / "old")
    papers = [*before.papers, _paper("paper-new", "Diffusion Study New", "We study diffusion anew.", date="2024-12-30",
                                     date_precision="day")]
    assignments = {**before.assignments, "paper-new": TopicAssignment("generative", (), {"generative": ("diffusion",)})}
    after = listing_model(papers, assignments)
    old_dir = _read(tmp_path / "old" / "index.gz")
    big, small = old_dir["segments"][0]["id"], old_dir["segments"][1]["id"]
    damaged = next((tmp_path / "old" / "s" / small / "r" / "0").iterdir())  # a file changed since: written anew
    damaged.write_bytes(damaged.read_bytes() + b"\0")
    facts = write_index(after, tmp_path / "new", previous=tmp_path / "old")
    write_index(after, tmp_path / "fresh")
    assert _files(tmp_path / "new") == _files(tmp_path / "fresh")
    assert facts["linked"] == 1 and facts["segments"] == 3
    new_dir = _read(tmp_path / "new" / "index.gz")
    assert [s["id"] for s in new_dir["segments"][:2]] == [big, small]  # the same documents: the same names
    assert new_dir["segments"][2]["id"] != old_dir["segments"][2]["id"]
    old, new = _inodes(tmp_path / "old"), _inodes(tmp_path / "new")
    linked = {rel for rel, inode in new.items() if inode in old.values()}
    assert {rel for rel in new if rel.startswith(f"s/{big}/")} <= linked
    # A segment written anew links the records of the previous segment that starts at the same place, where
    # they are the same bytes: the damaged one is written, and so is the new paper's.
    open_new, open_old = new_dir["segments"][2]["id"], old_dir["segments"][2]["id"]
    assert open_new != open_old
    assert {rel for rel in linked if not rel.startswith(f"s/{big}/")} == {
        f"s/{small}/r/0/{n}.gz" for n in range(2) if f"s/{small}/r/0/{n}.gz" != damaged.relative_to(tmp_path / "old").as_posix()
    } | {f"s/{open_new}/r/t/0.gz"}  # a topic's record is the same; the new paper's is new
    assert _read(tmp_path / "new" / "s" / open_new / "r" / "t" / "0.gz")["t"] == "Computer Vision"  # one paper more in the other
    # The directory says where each document is; a browser finds every record, the new paper's first.
    assert _record(tmp_path / "new", new_dir, new_dir["topics"])["t"] == "Diffusion Study New"
    # A directory that says something else of a segment's files than they are: the segment is written anew.
    told = _read(tmp_path / "new" / "index.gz")
    told["segments"][0]["keyBits"] += 1
    (tmp_path / "new" / "index.gz").write_bytes(gzip.compress(json.dumps(told).encode()))
    assert write_index(after, tmp_path / "retold", previous=tmp_path / "new")["linked"] == 2  # the other two
    assert _files(tmp_path / "retold") == _files(tmp_path / "fresh")
    (tmp_path / "new" / "index.gz").write_bytes((tmp_path / "fresh" / "index.gz").read_bytes())
    # Three more papers fill blocks: the smallest level is written again, the largest still linked.
    more = [*papers, *(_paper(f"late-{i}", f"Late {i}", "Late.", date=f"2025-01-0{i + 1}", date_precision="day") for i in range(3))]
    later = listing_model(more, {**assignments, **{f"late-{i}": TopicAssignment("vision", (), {}) for i in range(3)}})
    facts = write_index(later, tmp_path / "later", previous=tmp_path / "new")
    write_index(later, tmp_path / "later-fresh")
    assert _files(tmp_path / "later") == _files(tmp_path / "later-fresh") and facts["linked"] == 1
    assert [(s["a"], s["c"]) for s in _read(tmp_path / "later" / "index.gz")["segments"]] == [(0, 16), (16, 6), (22, 0)]


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
    found: dict[str, list[tuple[int, int]]] = {}
    for term, [(_, _, df, tail, doc_numbers, impacts)] in _postings(tmp_path).items():
        assert not tail and df == len(doc_numbers)
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
    oldest = len(edited.topics_used) + len(edited.papers) - 1
    assert (_record(tmp_path / "edited", _read(tmp_path / "edited" / "index.gz"), oldest)
            == _record(tmp_path / "clean", _read(tmp_path / "clean" / "index.gz"), oldest + 1))
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

"""The whole ingestion stage: the bundled content's accounting, the catalogue files, and bad input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator.errors import ConfigError, PapercatError
from generator.ingest import IngestResult, ingest_content, listing_files, summary_table
from generator.ingest.catalogue import (
    catalogue_text,
    read_catalogue,
    rejections_text,
    write_catalogue,
    write_rejections,
)

ROOT = Path(__file__).parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).parent / "fixtures" / "listings"
BUNDLED = {
    # file: (reader, records, papers, merged, rejected)
    "000_f2c3e964f4632815.txt": ("topic-listing", 10, 10, 0, 0),
    "001_081b339fd5401ceb.txt": ("search-results", 353, 353, 0, 0),
    "002_ad45b3d5d17d2dd6.txt": ("daily-papers", 42, 41, 1, 0),
    "003_c8a88647eb936fa1.txt": ("abstracts", 10, 10, 0, 0),
    "004_a179481af104a910.txt": ("daily-papers", 72, 70, 2, 0),
}


@pytest.fixture(scope="module")
def bundled() -> IngestResult:
    return ingest_content(CONTENT)


# --- the bundled content -----------------------------------------------------------------------


def test_bundled_content_reconciles(bundled: IngestResult) -> None:
    assert bundled.records == 487
    assert len(bundled.papers) == 484
    assert bundled.merged == 3
    assert bundled.rejected == []
    assert bundled.reconciles()
    assert bundled.warnings == []


def test_bundled_per_file_accounting(bundled: IngestResult) -> None:
    table = {f.file: (f.reader, f.records, f.papers, f.merged, f.rejected) for f in bundled.files}
    assert table == BUNDLED
    assert all(f.encoding == "utf-8" for f in bundled.files)


def test_summary_table_shows_every_file_and_the_totals(bundled: IngestResult) -> None:
    table = summary_table(bundled)
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[2:] if line.strip() and not line.startswith("-")}
    for name, (reader, *counts) in BUNDLED.items():
        assert rows[name] == [reader, *map(str, counts)]
    assert rows["total"] == ["487", "484", "3", "0"]
    assert "records read 487 = papers 484 + merged 3 + rejected 0 (reconciles)" in table


def test_the_three_papers_listed_twice_are_merged(bundled: IngestResult) -> None:
    twice = {p.title: p for p in bundled.papers if len(p.sources) > 1}
    assert set(twice) == {
        "ALP: Data Augmentation using Lexicalized PCFGs for Few-Shot Text Classification",
        "CodeGen2: Lessons for Training LLMs on Programming and Natural Languages",
        "Making the Most of your Model: Methods for Finetuning and Applying Pretrained Transformers",
    }
    alp = twice["ALP: Data Augmentation using Lexicalized PCFGs for Few-Shot Text Classification"]
    # The search-results copy has no date; the Daily Papers copy gives it.
    assert [(s.file, s.reader) for s in alp.sources] == [
        ("001_081b339fd5401ceb.txt", "search-results"), ("004_a179481af104a910.txt", "daily-papers")
    ]
    assert (alp.date, alp.date_precision, alp.author_count) == ("2021-12-16", "day", 5)
    assert sorted(len(v) for v in bundled.merged_into.values()) == [1, 1, 1]


def test_bundled_fields(bundled: IngestResult) -> None:
    by_title = {p.title: p for p in bundled.papers}
    assert sum(p.title_inferred for p in bundled.papers) == 10  # the abstract-only listing
    assert sum(p.venue == "Neural Information Processing Systems" for p in bundled.papers) == 10
    assert sum("Large Language Model" in p.topic_hints for p in bundled.papers) == 10
    unlearning = by_title["LLM Unlearning Should Be Form-Independent"]
    assert (unlearning.date, unlearning.upvotes) == ("2025-06-09", 2)  # "Jun 9 2" on the page captured 2025-11-13
    coarse = by_title["Coarse Attribute Prediction with Task Agnostic Distillation for Real World Clothes Changing ReID"]
    assert coarse.date == "2025-05-18"
    assert by_title["Mastering Atari, Go, Chess and Shogi by Planning with a Learned Model"].sources[0].line == 3
    assert "POMP: A prompt pre-training method for vision-language models" in by_title


def test_no_bundled_date_is_after_its_capture_date(bundled: IngestResult) -> None:
    captured = {"002_ad45b3d5d17d2dd6.txt": dt.date(2025, 12, 12), "004_a179481af104a910.txt": dt.date(2025, 11, 13)}
    dated = [p for p in bundled.papers if p.date]
    assert len(dated) >= 110
    for paper in dated:
        limit = min(captured[s.file] for s in paper.sources if s.file in captured)
        assert dt.date.fromisoformat(paper.date) <= limit, paper.title


def test_every_bundled_paper_is_valid_and_clean(bundled: IngestResult) -> None:
    for paper in bundled.papers:
        paper.validate()
        assert paper.title == paper.title.strip() and "  " not in paper.abstract
        assert paper.title.casefold() not in {"subscribe", "new", "daily papers", "goto", "collaborating authors"}
        assert not paper.title.startswith("Subscribe")
        assert paper.abstract and not paper.abstract.startswith("Abstract:")


def test_catalogue_is_sorted_by_id_and_identical_across_runs(tmp_path: Path, bundled: IngestResult) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_catalogue(bundled.papers, first)
    write_catalogue(ingest_content(CONTENT).papers, second)
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 484
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids) and len(set(ids)) == 484
    assert [p.to_dict() for p in read_catalogue(first)] == [p.to_dict() for p in bundled.papers]


def test_catalogue_does_not_depend_on_the_order_files_are_read() -> None:
    forwards = ingest_content(CONTENT)
    backwards = ingest_content(CONTENT, files=list(reversed(listing_files(CONTENT))))
    assert catalogue_text(backwards.papers) == catalogue_text(forwards.papers)


def test_listings_read_in_several_processes_give_the_same_catalogue(tmp_path: Path) -> None:
    """``papercat build --jobs 2`` reads the listings in two processes: the same papers, merges, rejections and reports."""
    content = tmp_path / "content"
    content.mkdir()
    for copy in range(4):  # enough files to be split; the copies merge into the originals
        for listing in listing_files(CONTENT):
            shutil.copy(listing, content / f"{copy}-{listing.name}")
    (content / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    one = ingest_content(content)
    two = ingest_content(content, jobs=2)
    assert two == one
    assert one.merged > 0 and one.rejected and one.reconciles()


def test_readme_and_hidden_files_are_not_listings(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "search_invented.txt", tmp_path / "page.txt")
    (tmp_path / "README.md").write_text("# My listings\nNotes about them.\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "junk.txt").write_text("junk")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01binary")
    assert [p.name for p in listing_files(tmp_path)] == ["page.txt"]


def test_listings_in_subfolders_are_named_by_relative_path(tmp_path: Path) -> None:
    (tmp_path / "2025" / "nov").mkdir(parents=True)
    shutil.copy(FIXTURES / "search_invented.txt", tmp_path / "2025" / "nov" / "page.txt")
    result = ingest_content(tmp_path)
    assert {s.file for p in result.papers for s in p.sources} == {"2025/nov/page.txt"}


# --- sources.yml ------------------------------------------------------------------------------


def test_sources_yml_capture_date_venue_and_topic(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "daily_invented.txt", tmp_path / "daily.txt")
    (tmp_path / "sources.yml").write_text(
        "daily.txt:\n  captured: 2025-01-15\n  venue: Daily Venue\n  topic: Speech\n  colour: blue\nmissing.txt: {}\n"
    )
    result = ingest_content(tmp_path)
    quiet = next(p for p in result.papers if p.title.startswith("Quiet Tokens"))
    assert quiet.date == "2024-01-30" and quiet.venue == "Daily Venue" and quiet.topic_hints == ["Speech"]
    assert any("daily.txt.colour" in w and "unknown key" in w for w in result.warnings)
    assert any("missing.txt" in w and "no such file" in w for w in result.warnings)


def test_a_listing_address_that_is_not_http_is_reported_and_never_linked(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "daily_invented.txt", tmp_path / "daily.txt")
    (tmp_path / "sources.yml").write_text("daily.txt:\n  url: javascript:alert(1)\n")
    result = ingest_content(tmp_path)
    assert result.sources["daily.txt"].url is None
    assert any("daily.txt.url" in w and "not an http(s) address" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("daily.txt:\n  captured: next week\n", "daily.txt.captured"),
        ("daily.txt:\n  format: pdf\n", "daily.txt.format"),
        ("- a\n- b\n", "(top level)"),
        ("daily.txt: [unclosed\n", "line 2, column 1: expected valid YAML, found a syntax error"),
    ],
)
def test_broken_sources_yml_is_a_config_error_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    shutil.copy(FIXTURES / "daily_invented.txt", tmp_path / "daily.txt")
    (tmp_path / "sources.yml").write_text(text)
    with pytest.raises(ConfigError) as err:
        ingest_content(tmp_path)
    assert "sources.yml" in str(err.value) and key in str(err.value)


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PapercatError, match="does not exist"):
        ingest_content(tmp_path / "nope")


# --- bad input --------------------------------------------------------------------------------

TRUNCATED_TITLE = "Lost Titles: A Paper Cut Off Mid-Download"
MISSING_ABSTRACT_TITLE = "A Title Whose Abstract Went Missing"


@pytest.fixture(scope="module")
def bad_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder of broken files next to good ones."""
    folder = tmp_path_factory.mktemp("bad") / "content"
    folder.mkdir()
    search = (FIXTURES / "search_invented.txt").read_text()
    daily = (FIXTURES / "daily_invented.txt").read_text()
    topic = (FIXTURES / "topic_invented.txt").read_text()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    cafe = (topic.replace("Offline Policy Repair", "Café Policy Repair")
            .replace("We repair such policies", "We \u201crepair\u201d such policies \u2014 cheaply"))
    (folder / "c_cp1252.txt").write_bytes(cafe.encode("cp1252"))
    (folder / "d_latin1.txt").write_bytes(search.replace("Tidal", "Tidal Señal").encode("latin-1"))
    (folder / "e_crlf.txt").write_bytes((FIXTURES / "real_daily_002.txt").read_text().replace("\n", "\r\n").encode())
    (folder / "f_cr.txt").write_bytes((FIXTURES / "real_topic_000.txt").read_text().replace("\n", "\r").encode())
    (folder / "g_bom.txt").write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "real_search_001.txt").read_bytes())
    (folder / "h_truncated.txt").write_text(daily + "\n" + TRUNCATED_TITLE + "\n")
    lines = search.splitlines()
    (folder / "i_no_abstract.txt").write_text("\n".join([lines[0], MISSING_ABSTRACT_TITLE, *lines[1:]]) + "\n")
    (folder / "j_one_huge_line.txt").write_text("word " * (1024 * 1024 // 5))
    (folder / "k_unknown_key.yml").write_bytes((FIXTURES / "yaml_unknown_key.yml").read_bytes())
    return folder


@pytest.fixture(scope="module")
def bad(bad_content: Path) -> IngestResult:
    return ingest_content(bad_content)


def _rejections(result: IngestResult) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in result.rejected:
        out.setdefault(r.file, []).append(r)
    return out


def test_bad_input_is_rejected_with_file_line_and_reason(bad: IngestResult) -> None:
    rejected = _rejections(bad)
    assert set(rejected) == {"a_empty.txt", "b_binary.pdf", "h_truncated.txt", "i_no_abstract.txt",
                             "j_one_huge_line.txt", "k_unknown_key.yml"}
    (empty,) = rejected["a_empty.txt"]
    assert (empty.line, empty.raw) == (1, "") and "empty" in empty.reason
    (binary,) = rejected["b_binary.pdf"]
    assert binary.line == 1 and binary.reason.startswith("a PDF document, not a text listing")
    (truncated,) = rejected["h_truncated.txt"]
    assert truncated.line == 41 and "no abstract" in truncated.reason and truncated.raw == TRUNCATED_TITLE
    (missing,) = rejected["i_no_abstract.txt"]
    assert missing.line == 2 and "no abstract" in missing.reason and missing.raw == MISSING_ABSTRACT_TITLE
    (huge,) = rejected["j_one_huge_line.txt"]
    assert huge.line == 1 and "no reader recognised" in huge.reason
    assert 0 < len(huge.raw) <= 2000  # a sample of the file, not all of it
    (unknown,) = rejected["k_unknown_key.yml"]
    assert unknown.line == 3 and "citations" in unknown.reason


def test_the_rest_of_the_catalogue_is_built(bad: IngestResult) -> None:
    assert bad.reconciles()
    titles = {p.title for p in bad.papers}
    assert {"Café Policy Repair with Trajectory Stitching", "Curious Critics: Exploration Bonuses from Value Disagreement",
            "Tidal Señal Graph Networks for Coastal Flood Forecasting",
            "Self-regulating Prompts: Foundational Model Adaptation without Forgetting",
            "The Emergence of Objectness: Learning Zero-shot Segmentation from Videos",
            "Mastering Atari, Go, Chess and Shogi by Planning with a Learned Model",
            "Quiet Tokens: Pruning Attention Sinks in Long-Context Models",
            "Mesh Transformers for Cloth Simulation"} <= titles
    assert TRUNCATED_TITLE not in titles and MISSING_ABSTRACT_TITLE not in titles
    # The paper after the one with no abstract is still read whole.
    tidal = next(p for p in bad.papers if p.title.startswith("Tidal"))
    assert tidal.abstract.startswith("Coastal flooding depends on tides")


def test_windows_encodings_are_decoded(bad: IngestResult) -> None:
    cafe = next(p for p in bad.papers if p.title.startswith("Café"))
    assert "We \u201crepair\u201d such policies \u2014 cheaply" in cafe.abstract
    encodings = {f.file: f.encoding for f in bad.files}
    assert encodings["c_cp1252.txt"] == "cp1252"
    assert any(n.file == "c_cp1252.txt" and "not UTF-8" in n.message for n in bad.notices)


def test_line_endings_and_bom_do_not_change_line_numbers(bad: IngestResult) -> None:
    sources = {(s.file, s.line) for p in bad.papers for s in p.sources}
    assert {("e_crlf.txt", 13), ("e_crlf.txt", 37), ("f_cr.txt", 8), ("f_cr.txt", 22), ("g_bom.txt", 3)} <= sources
    assert all(f.reader is not None for f in bad.files if f.file[0] in "cdefg")


def test_rejections_jsonl_holds_file_line_reason_and_raw(tmp_path: Path, bad: IngestResult) -> None:
    path = tmp_path / "rejected.jsonl"
    write_rejections(bad.rejected, path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(bad.rejected) == 6
    assert all({"file", "line", "reason", "raw"} <= row.keys() for row in rows)
    assert [(r["file"], r["line"]) for r in rows] == sorted((r["file"], r["line"]) for r in rows)
    truncated = next(r for r in rows if r["file"] == "h_truncated.txt")
    assert truncated["raw"] == TRUNCATED_TITLE and truncated["reader"] == "daily-papers"
    assert path.read_text(encoding="utf-8") == rejections_text(bad.rejected)


def test_summary_table_counts_the_rejections(bad: IngestResult) -> None:
    table = summary_table(bad)
    assert "(reconciles)" in table and "rejected 6" in table
    row = next(line for line in table.splitlines() if line.startswith("h_truncated.txt"))
    assert row.split()[-1] == "1"


def test_a_megabyte_abstract_inside_a_listing_is_read(tmp_path: Path) -> None:
    lines = (FIXTURES / "search_invented.txt").read_text().splitlines()
    big = ("A sentence that keeps going.Another one follows it with 3.14 and model.py inside " * 13000)[: 1024 * 1024]
    (tmp_path / "big.txt").write_text("\n".join([*lines[:3], "Gigantic Abstracts for Stress Testing", big, *lines[3:]]) + "\n")
    result = ingest_content(tmp_path)
    assert result.rejected == [] and result.reconciles()
    giant = next(p for p in result.papers if p.title == "Gigantic Abstracts for Stress Testing")
    assert len(giant.abstract) > 1_000_000 and giant.sources[0].line == 4
    assert "going. Another" in giant.abstract and "model.py" in giant.abstract
    assert {p.sources[0].line for p in result.papers} == {2, 4, 6}

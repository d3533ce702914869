"""Every listing format, on snippets of the bundled listings and on invented pages of the same kinds.

Fixtures live in tests/fixtures/listings/: ``real_*`` files are blocks copied unchanged from content/000..004,
the others are invented papers in the same formats with the variations real pages have.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.ingest import ingest_content, read_listing
from generator.model import Paper
from generator.readers import READERS, SourceMeta

FIXTURES = Path(__file__).parent / "fixtures" / "listings"
NO_META = SourceMeta()
DEC_12 = SourceMeta(captured=dt.date(2025, 12, 12))
NOV_13 = SourceMeta(captured=dt.date(2025, 11, 13))


def read(path: Path, name: str | None = None, meta: SourceMeta = NO_META):
    report, papers, rejected, notices = read_listing(path, name or path.name, meta)
    assert report.records == len(papers) + len(rejected)
    return report, papers, rejected, notices


def fixture(name: str, meta: SourceMeta = NO_META):
    return read(FIXTURES / name, meta=meta)


def comparable(papers: list[Paper]) -> list[dict]:
    """Papers as dicts without the file name, to compare readings of the same listing saved differently."""
    out = []
    for p in papers:
        data = p.to_dict()
        data["sources"] = [(s["line"], s["reader"]) for s in data["sources"]]
        out.append(data)
    return out


# --- Daily Papers ------------------------------------------------------------------------------


def test_daily_papers_snippet_of_002() -> None:
    report, papers, rejected, _ = fixture("real_daily_002.txt", DEC_12)
    assert report.reader == "daily-papers"
    assert rejected == []
    assert [p.title for p in papers] == [
        "Self-regulating Prompts: Foundational Model Adaptation without Forgetting",
        "UniQA: Unified Vision-Language Pre-training for Image Quality and Aesthetic Assessment",
        "Ag2Manip: Learning Novel Manipulation Skills with Agent-Agnostic Visual and Action Representations",
        "Coarse Attribute Prediction with Task Agnostic Distillation for Real World Clothes Changing ReID",
    ]
    first, uniqa, ag2manip, coarse = papers
    assert first.abstract.startswith("Prompt learning has emerged as an efficient alternative for fine-tuning")
    assert first.abstract.endswith("https://github.com/muzairkhattak/PromptSRC.")
    assert (first.author_count, first.date, first.date_precision, first.upvotes) == (6, "2023-07-13", "day", None)
    assert (uniqa.author_count, uniqa.date) == (7, "2024-06-03")
    assert (ag2manip.author_count, ag2manip.date, ag2manip.upvotes) == (9, "2024-04-26", 1)  # "Apr 26, 2024 1"
    assert (coarse.date, coarse.date_precision) == ("2025-05-18", "day")  # "May 18" on a page captured 2025-12-12
    assert [(s.file, s.line, s.reader) for p in papers for s in p.sources] == [
        ("real_daily_002.txt", 13, "daily-papers"), ("real_daily_002.txt", 21, "daily-papers"),
        ("real_daily_002.txt", 29, "daily-papers"), ("real_daily_002.txt", 37, "daily-papers"),
    ]
    assert all(p.title_inferred is False and p.venue is None and p.authors == [] for p in papers)
    # Page chrome and the page's own date are not papers.
    assert not any(p.title in {"new", "Subscribe", "Daily Papers", "Dec 12"} for p in papers)


def test_daily_papers_snippet_of_004_with_upvotes_and_a_paper_without_date() -> None:
    report, papers, rejected, _ = fixture("real_daily_004.txt", NOV_13)
    assert report.reader == "daily-papers" and rejected == []
    by_title = {p.title: p for p in papers}
    assert len(papers) == 4
    unlearning = by_title["LLM Unlearning Should Be Form-Independent"]
    assert (unlearning.date, unlearning.upvotes, unlearning.author_count) == ("2025-06-09", 2, 3)  # "Jun 9 2"
    survey = by_title["Zero-shot and Few-shot Learning with Knowledge Graphs: A Comprehensive Survey"]
    assert (survey.date, survey.author_count, survey.upvotes) == ("2021-12-18", 8, None)
    fast = by_title["Fast Controlled Generation from Language Models with Adaptive Weighted Rejection Sampling"]
    assert (fast.date, fast.date_precision, fast.author_count, fast.upvotes) == (None, None, None, None)
    assert fast.abstract.startswith("The dominant approach to generating from language models")
    assert fast.sources[0].line == 29
    point = by_title["Where's the Point? Self-Supervised Multilingual Punctuation-Agnostic Sentence Segmentation"]
    assert (point.date, point.author_count, point.sources[0].line) == ("2023-05-30", 3, 33)


def test_invented_daily_page_with_other_chrome_order_and_inferred_capture_date() -> None:
    report, papers, rejected, notices = fixture("daily_invented.txt")
    assert report.reader == "daily-papers" and rejected == []
    assert [(p.title, p.date, p.upvotes, p.author_count) for p in papers] == [
        ("Sparse Lattice Adapters for Low-Resource Speech Recognition", "2024-06-09", 2, 3),
        ("Gradient Echoes: Memory-Efficient Backpropagation Through Time", None, None, None),
        ("Counterfactual Curricula for Robust Tabular Agents", "2024-02-28", 7, 5),
        ("Quiet Tokens: Pruning Attention Sinks in Long-Context Models", "2025-01-30", None, 2),
    ]
    # No capture date given: page date "Mar 5" + latest explicit year 2024 -> 2025-03-05, and the user is told.
    assert any("2025-03-05" in n.message and "inferred" in n.message and n.line == 11 for n in notices)
    assert "0.8%" in papers[0].abstract


def test_capture_date_from_sources_yml_decides_the_year() -> None:
    _, papers, _, _ = fixture("daily_invented.txt", SourceMeta(captured=dt.date(2025, 1, 15)))
    dates = {p.title.split(":")[0]: p.date for p in papers}
    assert dates["Sparse Lattice Adapters for Low-Resource Speech Recognition"] == "2024-06-09"
    assert dates["Quiet Tokens"] == "2024-01-30"  # Jan 30 is after Jan 15: last year's


def test_yearless_dates_without_any_year_hint_stay_undated(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "Daily Papers\n\nFoldable Solar Sails for Cubesats\n\n"
        "We design a foldable solar sail for cubesats that deploys in orbit without motors and survives a year of use.\n\n"
        "  • 2 authors\n·\nMay 18\n"
    )
    _, papers, rejected, notices = read(path)
    assert rejected == []
    assert (papers[0].date, papers[0].date_precision) == (None, None)
    assert any("year-less" in n.message for n in notices)


def test_authors_by_name_and_an_organisation_line(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "Daily Papers\n\nSep 1\n\n"
        "Foldable Solar Sails for Cubesats\n\n"
        "We design a foldable solar sail for cubesats that deploys in orbit without motors and survives a year of use.\n\n"
        "  • Ana Ruiz, Bo Chen and Chidi Okafor\n·\nJul 3, 2024 3\n\n"
        "Ice Shelf Fracture Prediction from Radar\n\n"
        "Ice shelves break along fractures that radar can see years ahead. We predict which fractures will open next.\n\n"
        "BostonU Boston University\n·\nJul 31, 2024\n"
    )
    _, papers, rejected, _ = read(path)
    assert rejected == []
    sails, ice = papers
    assert sails.authors == ["Ana Ruiz", "Bo Chen", "Chidi Okafor"] and sails.author_count == 3
    assert (sails.date, sails.upvotes) == ("2024-07-03", 3)
    assert ice.organization == "BostonU Boston University" and ice.date == "2024-07-31"


# --- search results ----------------------------------------------------------------------------


def test_search_results_snippet_of_001() -> None:
    report, papers, rejected, notices = fixture("real_search_001.txt")
    assert report.reader == "search-results" and rejected == []
    assert [p.title for p in papers] == [
        "Mastering Atari, Go, Chess and Shogi by Planning with a Learned Model",  # was glued to "Subscribe"
        "Improving Grey-Box Fuzzing by Modeling Program Behavior",
        "AstroM$^3$: A self-supervised multimodal model for astronomy",
    ]
    assert [p.sources[0].line for p in papers] == [3, 5, 7]
    assert papers[0].abstract.startswith("Constructing agents with planning capabilities")
    assert all(p.date is None and p.venue is None for p in papers)
    assert any(n.line == 3 and "chrome" in n.message for n in notices)


def test_invented_search_results_with_glued_subscribe_and_trailing_chrome() -> None:
    report, papers, rejected, _ = fixture("search_invented.txt")
    assert report.reader == "search-results" and rejected == []
    assert [(p.title, p.sources[0].line) for p in papers] == [
        ("Tidal Graph Networks for Coastal Flood Forecasting", 2),
        ("Reward Shaping with Language Feedback for Household Robots", 4),
    ]
    assert papers[1].abstract.endswith("than with task rewards alone.")  # "Load more" is not part of it


# --- topic listings ----------------------------------------------------------------------------


def test_topic_listing_snippet_of_000() -> None:
    report, papers, rejected, _ = fixture("real_topic_000.txt")
    assert report.reader == "topic-listing" and rejected == []
    assert [(p.title, p.sources[0].line) for p in papers] == [
        ("The Emergence of Objectness: Learning Zero-shot Segmentation from Videos", 8),
        ("Localized Symbolic Knowledge Distillation for Visual Commonsense Models", 15),
        ("End-to-End Meta-Bayesian Optimisation with Transformer Neural Processes", 22),
    ]
    assert all(p.venue == "Neural Information Processing Systems" for p in papers)
    assert all(p.topic_hints == ["Large Language Model"] for p in papers)
    # Spaces lost in scraping are put back between sentences.
    assert "another. When pretrained" in papers[0].abstract
    assert "zero-shot fashion. However, interfaces" in papers[1].abstract


def test_invented_topic_listing_with_another_venue_and_topic() -> None:
    report, papers, rejected, _ = fixture("topic_invented.txt")
    assert report.reader == "topic-listing" and rejected == []
    assert [p.title for p in papers] == [
        "Offline Policy Repair with Trajectory Stitching",
        "Curious Critics: Exploration Bonuses from Value Disagreement",
    ]
    assert {p.venue for p in papers} == {"International Conference on Learning Representations"}
    assert all(p.topic_hints == ["Reinforcement Learning"] for p in papers)


def test_topic_and_venue_from_sources_yml_apply_to_every_paper() -> None:
    meta = SourceMeta(venue="Some Workshop", topic="Robotics")
    _, papers, _, _ = fixture("search_invented.txt", meta)
    assert all(p.venue == "Some Workshop" and p.topic_hints == ["Robotics"] for p in papers)


# --- abstract-only listings --------------------------------------------------------------------


def test_abstracts_snippet_of_003() -> None:
    report, papers, rejected, notices = fixture("real_abstracts_003.txt")
    assert report.reader == "abstracts" and rejected == []
    assert [p.sources[0].line for p in papers] == [2, 3, 4]
    assert papers[0].title == "POMP: A prompt pre-training method for vision-language models"
    assert papers[1].title == "Masked-Diffuse LM: A novel diffusion model for language modeling"
    assert all(p.title_inferred for p in papers)
    assert papers[0].abstract.startswith("This work proposes POMP")  # "Abstract:" is not part of it
    assert any(n.line == 1 and "Jack" in n.message for n in notices)  # page noise reported, not a paper


def test_invented_abstracts_with_page_noise() -> None:
    report, papers, rejected, notices = fixture("abstracts_invented.txt")
    assert report.reader == "abstracts" and rejected == []
    assert len(papers) == 2
    helix, weather = papers
    assert helix.title == "HELIX-2: A retrieval-augmented protein language model for enzyme design"
    assert weather.title.startswith("Weather models trained on reanalysis data inherit its biases")
    assert "biases. We correct" in weather.abstract
    assert "e.g. hourly" in weather.abstract and "fixbias.py" in weather.abstract and "v1.2.3" in weather.abstract
    assert weather.abstract.endswith("of our toolkit.")  # the trailing "Load more" is page chrome
    # "Home" and the "Log in" link are noted as skipped; "Load more" is chrome, left out without a word.
    assert {n.line for n in notices if "skipped" in n.message} == {1, 2}


# --- YAML --------------------------------------------------------------------------------------


def test_yaml_single_paper() -> None:
    report, papers, rejected, _ = fixture("yaml_single.yml")
    assert report.reader == "yaml" and rejected == []
    (p,) = papers
    assert p.title == "Lattice Routing: Sparse Experts Without Load Balancing Losses"
    assert p.abstract.startswith("Mixture-of-experts models need auxiliary losses")
    assert p.abstract.endswith("drop the auxiliary loss entirely.")
    assert p.authors == ["Ana Ruiz", "Bo Chen", "Chidi Okafor"] and p.author_count == 3
    assert (p.date, p.date_precision) == ("2024-03-01", "month")
    assert p.venue == "International Conference on Machine Learning"
    assert p.topic_hints == ["Mixture of Experts"]
    assert p.url == "https://example.org/lattice-routing"
    assert p.arxiv_id == "2403.01234"  # version suffix dropped
    assert p.upvotes == 12
    assert [(s.file, s.line, s.reader) for s in p.sources] == [("yaml_single.yml", 2, "yaml")]


def test_yaml_list_of_papers() -> None:
    report, papers, rejected, _ = fixture("yaml_list.yml")
    assert report.reader == "yaml" and rejected == []
    assert [(p.title, p.sources[0].line, p.date, p.date_precision) for p in papers] == [
        ("Tiny Recurrent Critics for Streaming Control", 2, "2023-01-01", "year"),
        ("Calibrated Uncertainty for Satellite Crop Maps", 6, "2022-11-05", "day"),
    ]
    assert papers[0].authors == ["Li Wei", "Sara Novak"]


def test_yaml_record_with_an_unknown_key_is_rejected_with_its_line() -> None:
    report, papers, rejected, _ = fixture("yaml_unknown_key.yml")
    assert report.reader == "yaml"
    assert [p.title for p in papers] == ["Mesh Transformers for Cloth Simulation", "Honest Leaderboards for Code Models"]
    (bad,) = rejected
    assert (bad.file, bad.line, bad.reader) == ("yaml_unknown_key.yml", 3, "yaml")
    assert "citations" in bad.reason
    assert "Probabilistic Cartography of Ocean Currents" in bad.raw and "citations: 12" in bad.raw


@pytest.mark.parametrize(
    ("written", "authors"),
    [
        ("Wei Zhang, Olga Petrova and Fatima Al-Sayed", ["Wei Zhang", "Olga Petrova", "Fatima Al-Sayed"]),
        ("Zhang, W. and Petrova, O.", ["Zhang, W.", "Petrova, O."]),
        ("Ana de la Cruz; Jonas Weiß", ["Ana de la Cruz", "Jonas Weiß"]),
        ("Zhang, Wei", ["Zhang, Wei"]),
    ],
)
def test_yaml_authors_written_as_one_line_are_each_author(tmp_path: Path, written: str, authors: list[str]) -> None:
    path = tmp_path / "papers.yml"
    path.write_text(f"title: A Paper\nabstract: Fine.\nauthors: {written}\n", encoding="utf-8")
    _, papers, rejected, _ = read(path)
    assert rejected == [] and papers[0].authors == authors


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("title: A Paper\nabstract: a: b\nvenue: X\n", 2, "YAML syntax error"),
        ("- title: A Paper\n  abstract: [unclosed\n- title: B\n", 2, "YAML syntax error"),
        ("title: \"An unclosed quote\nabstract: Fine.\n", 1, "quoted scalar that starts at line 1"),
        ("- title: Good Paper\n  abstract: Fine.\n- title: Bad Date\n  abstract: Fine.\n  date: someday\n", 3, "'date'"),
        ("- title: Good Paper\n  abstract: Fine.\n- title: No Abstract\n", 3, "'abstract' is missing"),
        ("- title: Good Paper\n  abstract: Fine.\n- title: Bad URL\n  abstract: Fine.\n  url: ftp//x\n", 3, "'url'"),
        ("- title: Good Paper\n  abstract: Fine.\n- just a string\n", 3, "not a mapping"),
    ],
)
def test_yaml_errors_name_the_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "papers.yml"
    path.write_text(text)
    report, papers, rejected, _ = read(path)
    assert report.reader == "yaml"
    assert [(r.file, r.line) for r in rejected] == [("papers.yml", line)]
    assert reason in rejected[0].reason
    assert [p.title for p in papers] == (["Good Paper"] if "Good Paper" in text else [])


# --- detection by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture_name", "misleading_name", "reader"),
    [
        ("real_daily_002.txt", "search_results.yml", "daily-papers"),
        ("real_search_001.txt", "daily_papers.txt", "search-results"),
        ("real_topic_000.txt", "abstracts.yaml", "topic-listing"),
        ("real_abstracts_003.txt", "topic-listing.txt", "abstracts"),
        ("yaml_list.yml", "search-results.txt", "yaml"),
        ("yaml_single.yml", "listing", "yaml"),
        ("daily_invented.txt", "papers.yml", "daily-papers"),
        ("topic_invented.txt", "002_ad45b3d5d17d2dd6.txt", "topic-listing"),
    ],
)
def test_reader_is_chosen_by_content_not_by_file_name(tmp_path: Path, fixture_name, misleading_name, reader) -> None:
    renamed = tmp_path / misleading_name
    shutil.copy(FIXTURES / fixture_name, renamed)
    _, original, _, _ = fixture(fixture_name)
    report, papers, rejected, _ = read(renamed)
    assert report.reader == reader and rejected == []
    assert comparable(papers) == comparable(original)
    assert all(s.file == misleading_name for p in papers for s in p.sources)


def test_format_in_sources_yml_overrides_detection() -> None:
    report, _, _, _ = fixture("real_topic_000.txt", SourceMeta(format="search-results"))
    assert report.reader == "search-results"
    assert "sources.yml" in report.reason


def test_unrecognised_file_is_reported_and_the_others_are_read(tmp_path: Path) -> None:
    for name in ("unrecognized.txt", "real_search_001.txt", "yaml_list.yml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    result = ingest_content(tmp_path)
    (bad,) = result.rejected
    assert (bad.file, bad.line, bad.reader) == ("unrecognized.txt", 1, None)
    for reader in READERS:
        assert f"{reader.name} (" in bad.reason  # every format tried, each with why it did not fit
    assert bad.raw.startswith("Shopping list")
    report = next(f for f in result.files if f.file == "unrecognized.txt")
    assert report.reader is None and len(report.tried) == len(READERS)
    assert len(result.papers) == 5 and result.reconciles()


# --- line endings, byte-order marks, encodings -------------------------------------------------

READABLE = ["real_daily_002.txt", "real_daily_004.txt", "real_search_001.txt", "real_topic_000.txt",
            "real_abstracts_003.txt", "daily_invented.txt", "search_invented.txt", "topic_invented.txt",
            "abstracts_invented.txt", "yaml_single.yml", "yaml_list.yml"]
VARIANTS = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "bom-crlf": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),
    "cp1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("fixture_name", READABLE)
def test_same_listing_saved_differently_reads_the_same(tmp_path: Path, fixture_name: str, variant: str) -> None:
    text = (FIXTURES / fixture_name).read_text(encoding="utf-8")
    try:
        data = VARIANTS[variant](text)
    except UnicodeEncodeError:
        pytest.skip("text not representable in this encoding")
    path = tmp_path / fixture_name
    path.write_bytes(data)
    _, original, _, _ = fixture(fixture_name)
    report, papers, rejected, notices = read(path)
    assert rejected == []
    assert comparable(papers) == comparable(original)  # same fields and the same line numbers
    if variant in ("crlf", "cr", "bom", "cp1252") and data != text.encode("utf-8"):
        assert any(n.line == 1 for n in notices), "the change of bytes is reported"


# --- Daily Papers pages laid out differently ---------------------------------------------------

SAILS = "We design a foldable solar sail for cubesats that deploys in orbit without motors and survives a year of use."
ICE = "Ice shelves break along fractures that radar can see years ahead. We predict which fractures will open next."


def test_authors_and_date_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        f"Daily Papers\n\nSep 1\n\nFoldable Solar Sails for Cubesats\n\n{SAILS}\n\n  • 3 authors · Jul 3, 2024 4\n\n"
        f"Ice Shelf Fracture Prediction from Radar\n\n{ICE}\n\n  • 2 authors\n·\nJul 31, 2024\n"
    )
    report, papers, rejected, _ = read(path)
    assert report.reader == "daily-papers" and rejected == []
    sails, ice = papers
    assert (sails.author_count, sails.authors, sails.date, sails.upvotes) == (3, [], "2024-07-03", 4)
    assert (ice.author_count, ice.date) == (2, "2024-07-31")


def test_title_directly_above_its_abstract(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        f"Daily Papers\n\nSep 1\n\nFoldable Solar Sails for Cubesats\n{SAILS}\n\n  • 3 authors\n·\nJul 3, 2024\n\n"
        f"Ice Shelf Fracture Prediction from Radar\n{ICE}\n\n  • 2 authors\n·\nJul 31, 2024\n"
    )
    report, papers, rejected, _ = read(path)
    assert report.reader == "daily-papers" and rejected == []
    assert [(p.title, p.abstract, p.sources[0].line, p.date) for p in papers] == [
        ("Foldable Solar Sails for Cubesats", SAILS, 5, "2024-07-03"),
        ("Ice Shelf Fracture Prediction from Radar", ICE, 12, "2024-07-31"),
    ]


def test_abstract_wrapped_over_several_lines_stays_one_abstract(tmp_path: Path) -> None:
    wrapped = "We design a foldable solar sail for cubesats that\ndeploys in orbit without motors and survives a\nyear of use."
    path = tmp_path / "page.txt"
    path.write_text(
        f"Daily Papers\n\nSep 1\n\nFoldable Solar Sails for Cubesats\n\n{wrapped}\n\n  • 3 authors\n·\nJul 3, 2024\n\n"
        f"Ice Shelf Fracture Prediction from Radar\n\n{ICE}\n\n  • 2 authors\n·\nJul 31, 2024\n"
    )
    report, papers, rejected, _ = read(path)
    assert report.reader == "daily-papers" and rejected == []
    assert [(p.title, p.abstract) for p in papers] == [
        ("Foldable Solar Sails for Cubesats", SAILS), ("Ice Shelf Fracture Prediction from Radar", ICE)
    ]


def test_abstract_only_listing_with_wrapped_lines_and_other_labels(tmp_path: Path) -> None:
    path = tmp_path / "abstracts.txt"
    path.write_text(f"Abstract: {SAILS[:50]}\n{SAILS[50:]}\n\nAbstract: {ICE}\nabstract - {SAILS}\n")
    report, papers, rejected, _ = read(path)
    assert report.reader == "abstracts" and rejected == []
    assert [(p.abstract, p.sources[0].line) for p in papers] == [(SAILS, 1), (ICE, 4), (SAILS, 5)]

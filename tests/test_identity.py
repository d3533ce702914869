"""Identity that never drops a paper: equal titles merge only when the rest agrees; published ids never move."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from site_fixtures import CONFIG, CONTENT, ROOT

from generator.ingest import ingest_content
from generator.ingest.paper_ids import IDS_FILE, ids_text, load_ids, write_ids
from generator.site.build import Project, build_site

PAPERCAT = Path(sys.executable).with_name("papercat")
ABSTRACT_A = (
    "We study how large language models acquire arithmetic skills during pre-training, tracing the emergence "
    "of carry operations across checkpoints and relating it to the frequency of numbers in the corpus."
)
ABSTRACT_B = (
    "This survey reviews graph neural networks for molecular property prediction, comparing message passing, "
    "equivariant architectures and transformers on quantum chemistry benchmarks and drug discovery tasks."
)


def _listing(folder: Path, papers: list[dict[str, object]], name: str = "curated.yml") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (unicodedata.normalize("NFC", "Zéro-shot Café Models"), unicodedata.normalize("NFD", "Zéro-shot Café Models")),
        ("Ｆｕｌｌ Ｗｉｄｔｈ Learning", "Full Width Learning"),
        ("A Survey of Large Language Models.", "A Survey of Large Language Models"),
        ("Introduction", "Introduction"),
    ],
    ids=["nfc-nfd", "full-width", "trailing-period", "identical"],
)
def test_equal_titles_with_different_abstracts_stay_two_papers(tmp_path: Path, first: str, second: str) -> None:
    _listing(tmp_path, [{"title": first, "abstract": ABSTRACT_A}, {"title": second, "abstract": ABSTRACT_B}])
    result = ingest_content(tmp_path)
    assert len(result.papers) == 2 and result.merged == 0 and result.reconciles()
    assert sorted(p.abstract for p in result.papers) == sorted([ABSTRACT_A, ABSTRACT_B])  # no abstract dropped
    ids = sorted(p.id for p in result.papers)
    assert ids[0] != ids[1]
    assert [(a, b) for a, b, _ in result.possible_duplicates] == [tuple(ids)]
    assert "different abstracts" in result.possible_duplicates[0][2]


@pytest.mark.parametrize(
    ("extra_first", "extra_second", "why"),
    [
        ({"arxiv_id": "2401.00001"}, {"arxiv_id": "2402.00002"}, "arXiv ids 2401.00001 and 2402.00002"),
        ({"authors": ["Ada Lovelace"]}, {"authors": ["Alan Turing"]}, "no author in common"),
    ],
)
def test_equal_titles_and_abstracts_that_disagree_elsewhere_stay_two_papers(
    tmp_path: Path, extra_first: dict[str, object], extra_second: dict[str, object], why: str
) -> None:
    _listing(tmp_path, [
        {"title": "Introduction", "abstract": "Short.", **extra_first},
        {"title": "Introduction", "abstract": "Other.", **extra_second},
    ])
    result = ingest_content(tmp_path)
    assert len(result.papers) == 2 and why in result.possible_duplicates[0][2]


def test_equal_titles_merge_when_the_rest_agrees_or_is_missing(tmp_path: Path) -> None:
    _listing(tmp_path, [
        {"title": "Zero-shot Café Models", "abstract": ABSTRACT_A, "authors": ["Ada Lovelace", "Alan Turing"]},
        {"title": unicodedata.normalize("NFD", "ZERO-SHOT CAFÉ MODELS."), "abstract": ABSTRACT_A[:120], "arxiv_id": "2401.00001"},
        {"title": "Zero-shot Café Models", "abstract": "See the paper.", "authors": ["A. Turing"]},
    ])
    result = ingest_content(tmp_path)
    assert len(result.papers) == 1 and result.merged == 2 and result.possible_duplicates == []
    assert result.papers[0].abstract == ABSTRACT_A and result.papers[0].arxiv_id == "2401.00001"


def test_check_lists_possible_duplicates_for_a_curator(tmp_path: Path) -> None:
    _listing(tmp_path / "content", [{"title": "Introduction", "abstract": ABSTRACT_A}, {"title": "Introduction", "abstract": ABSTRACT_B}])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")}
    run = subprocess.run([str(PAPERCAT), "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert "possible duplicate: introduction-" in run.stdout
    assert "were kept apart as two papers (the same title, but different abstracts)" in run.stdout


# --- published ids never move --------------------------------------------------------------


def test_a_newcomer_with_a_colliding_id_gets_the_suffix(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _listing(content, [{"title": "A Survey of Large Language Models", "abstract": ABSTRACT_A}])
    first = ingest_content(content)
    assert [p.id for p in first.papers] == ["a-survey-of-large-language-models"]
    assert write_ids(content, first.ids)  # what a build does once the site is published
    _listing(content, [{"title": "A Survey of Large Language Models", "abstract": ABSTRACT_B}], name="later.yml")
    second = ingest_content(content)
    by_abstract = {p.abstract: p.id for p in second.papers}
    assert by_abstract[ABSTRACT_A] == "a-survey-of-large-language-models"  # the published URL stays
    assert by_abstract[ABSTRACT_B].startswith("a-survey-of-large-language-models-")
    # Without the record both would have a suffix, so the first paper's URL would have moved.
    (content / IDS_FILE).unlink()
    assert all(p.id != "a-survey-of-large-language-models" for p in ingest_content(content).papers)


def test_a_recorded_id_follows_its_paper_through_edits_and_stays_reserved(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _listing(content, [
        {"title": "Graph Networks for Molecules", "abstract": ABSTRACT_B},
        {"title": "Arithmetic in Language Models", "abstract": ABSTRACT_A, "arxiv_id": "2401.00001"},
    ])
    write_ids(content, ingest_content(content).ids)
    # The title of one is corrected, the abstract of the other is extended; a paper is removed later.
    _listing(content, [
        {"title": "Graph Networks for Molecules", "abstract": ABSTRACT_B + " Code is released."},
        {"title": "How Language Models Learn Arithmetic", "abstract": ABSTRACT_A, "arxiv_id": "2401.00001"},
    ])
    ids = {p.abstract[:20]: p.id for p in ingest_content(content).papers}
    assert ids == {ABSTRACT_B[:20]: "graph-networks-for-molecules", ABSTRACT_A[:20]: "arithmetic-in-language-models"}
    # Another paper whose title asks for a recorded id (the Greek letter is not in the slug) gets a suffix.
    _listing(content, [{"title": "Arithmetic in Language Models α", "abstract": "A new study of something else entirely."}])
    (new,) = [p.id for p in ingest_content(content).papers]
    assert new.startswith("arithmetic-in-language-models-")


def test_the_bundled_ids_file_is_what_a_clean_build_records(tmp_path: Path) -> None:
    recorded = (CONTENT / IDS_FILE).read_text(encoding="utf-8")
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy, ignore=shutil.ignore_patterns(IDS_FILE))
    clean = ingest_content(copy)
    assert ids_text(clean.ids) == recorded
    assert len(load_ids(CONTENT)) == len(clean.papers) == 484
    assert ingest_content(CONTENT).records == 487 and clean.merged == 3 and not clean.rejected


def test_a_broken_ids_file_is_a_named_error(tmp_path: Path) -> None:
    from generator.config import ConfigError

    _listing(tmp_path, [{"title": "One", "abstract": ABSTRACT_A}])
    (tmp_path / IDS_FILE).write_text("one: t=abc\nOne Paper: t=def\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"papercat-ids\.yml: 'One Paper': expected a paper id .* \(line 2\)"):
        ingest_content(tmp_path)


def test_ids_yaml_would_read_as_numbers_dates_or_booleans_are_kept_as_written(tmp_path: Path) -> None:
    """A paper called "1984" or "On" gets that id, and the next build reads it back as the same id."""
    titles = ["1984", "On", "Null", "2024-01-02"]
    abstracts = [f"Paper {n} of four: a study of its own question, with its own method and its own results." for n in range(4)]
    _listing(tmp_path, [{"title": t, "abstract": a} for t, a in zip(titles, abstracts, strict=True)])
    first = ingest_content(tmp_path)
    assert sorted(p.id for p in first.papers) == ["1984", "2024-01-02", "null", "on"]
    write_ids(tmp_path, first.ids)
    text = (tmp_path / IDS_FILE).read_text(encoding="utf-8")
    assert "'1984': t=" in text and "'on': t=" in text and "'null': t=" in text and "'2024-01-02': t=" in text
    assert sorted(yaml.safe_load(text)) == ["1984", "2024-01-02", "null", "on"]  # any YAML reader gets the same ids
    assert {p.title: p.id for p in ingest_content(tmp_path).papers} == {p.title: p.id for p in first.papers}


def test_ids_an_earlier_papercat_wrote_unquoted_are_still_read(tmp_path: Path) -> None:
    _listing(tmp_path, [{"title": "1984", "abstract": ABSTRACT_A}])
    paper_id = ingest_content(tmp_path).papers[0].id
    recorded = (tmp_path / IDS_FILE)
    recorded.write_text(ids_text(ingest_content(tmp_path).ids).replace("'1984'", "1984"), encoding="utf-8")
    assert recorded.read_text(encoding="utf-8").splitlines()[-1].startswith("1984: t=")
    assert load_ids(tmp_path).keys() == {"1984"} and ingest_content(tmp_path).papers[0].id == paper_id == "1984"


def test_a_hand_edited_ids_file_is_read_as_yaml(tmp_path: Path) -> None:
    _listing(tmp_path, [{"title": "One", "abstract": ABSTRACT_A}])
    written = ingest_content(tmp_path).ids["one"]
    (tmp_path / IDS_FILE).write_text(f"# kept by hand\n'one':   a={written.abstract}  t={written.title}\n", encoding="utf-8")
    assert load_ids(tmp_path) == {"one": written}


def test_build_records_the_ids_after_the_site_is_published(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    (root / "site_config" / "overrides.yml").unlink(missing_ok=True)
    _listing(root / "content", [{"title": "A Survey of Large Language Models", "abstract": ABSTRACT_A}])
    report = build_site(Project.at(root))
    assert (root / "site" / "papers" / "a-survey-of-large-language-models" / "index.html").is_file()
    assert load_ids(root / "content").keys() == {"a-survey-of-large-language-models"}
    assert any("recorded 1 paper ids" in w for w in report.ingest.warnings)
    _listing(root / "content", [{"title": "A Survey of Large Language Models", "abstract": ABSTRACT_B}], name="later.yml")
    build_site(Project.at(root))
    papers = sorted(p.name for p in (root / "site" / "papers").iterdir())
    assert papers[0] == "a-survey-of-large-language-models" and papers[1].startswith("a-survey-of-large-language-models-")


@pytest.mark.site
def test_plain_mkdocs_build_records_the_published_ids_too(tmp_path: Path) -> None:
    from site_fixtures import HOSTILE, copy_project

    root = tmp_path / "project"
    copy_project(root, HOSTILE)
    (root / "content" / IDS_FILE).unlink(missing_ok=True)
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, capture_output=True, text=True, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stderr
    recorded = load_ids(root / "content")
    assert recorded and set(recorded) == {p.id for p in ingest_content(root / "content").papers}

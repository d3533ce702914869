"""Every configuration mistake is a named error (file, key, expected, found, line), never silence or a crash.

All configuration files go through one loader (generator/config.py): a key given twice, a YAML
syntax error, a date that does not exist, a topic slug the site's own pages use, an override for a
paper that does not exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_fixtures import CONFIG, ROOT

from generator.config import ConfigError, load_yaml
from generator.ingest import ingest_content
from generator.readers.base import Document, SourceMeta
from generator.readers.yaml_papers import YamlPapersReader
from generator.site.build import Project, build_site
from generator.site.settings import load_settings
from generator.topics import TaxonomyError, load_overrides, load_taxonomy

HOSTILE = Path(__file__).resolve().parent / "hostile"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAPERCAT = Path(sys.executable).with_name("papercat")


def _papercat(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")}
    return subprocess.run([str(PAPERCAT), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    shutil.copytree(HOSTILE, root / "content")
    return root


# --- duplicate keys: PyYAML keeps the last one silently; papercat names both lines ------------


@pytest.mark.parametrize(
    ("name", "text", "key_line"),
    [
        ("site.yml", "description: One.\nnewest_papers: 5\ndescription: Two.\n", 3),
        ("sources.yml", "daily.txt:\n  venue: A\n  venue: B\n", 3),
        ("overrides.yml", "some-paper: vision\nother: llm\nsome-paper: llm\n", 3),
    ],
)
def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path: Path, name: str, text: str, key_line: int) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_yaml(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line {key_line}, column ")
    assert "expected each key once in a mapping" in message and "given a second time" in message
    assert "first given on line" in message


def test_duplicate_keys_in_each_configuration_file(project: Path) -> None:
    config = project / "site_config"
    (config / "site.yml").write_text("newest_papers: 5\nnewest_papers: 6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"site\.yml: line 2, column 1: expected each key once"):
        load_settings(config / "site.yml")
    topics = (ROOT / "generator" / "defaults" / "config" / "topics.yml").read_text(encoding="utf-8")
    (config / "topics.yml").write_text(topics + "fallback: other\nfallback: llm\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"topics\.yml: line \d+, column 1: expected each key once"):
        load_taxonomy(config / "topics.yml")
    (project / "content" / "sources.yml").write_text("a.txt: {venue: A}\na.txt: {venue: B}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.yml: line 2, column 1: expected each key once"):
        ingest_content(project / "content")


def test_a_yaml_listing_with_a_key_given_twice_is_rejected_with_its_line() -> None:
    doc = Document(
        name="curated.yml", text="papers:\n  - title: One\n    abstract: First.\n    title: Two\n", encoding="utf-8", meta=SourceMeta()
    )
    records = list(YamlPapersReader().parse(doc))
    assert len(records) == 1 and records[0].line == 2  # type: ignore[union-attr]
    assert "key 'title' given a second time at line 4" in records[0].reason  # type: ignore[union-attr]


# --- syntax errors and impossible values -----------------------------------------------------


def test_a_yaml_syntax_error_in_sources_yml_names_line_and_column(project: Path) -> None:
    (project / "content" / "sources.yml").write_text(
        "daily_papers.txt:\n  captured: 2025-12-12\n  venue: \"NeurIPS\n  url: x\n", encoding="utf-8"
    )
    run = _papercat(project, "check")
    assert run.returncode == 1, run.stderr
    assert "sources.yml: line " in run.stderr and ", column " in run.stderr and "expected valid YAML, found a syntax error" in run.stderr
    assert "starts at line 3" in run.stderr  # where the unclosed quote opens


@pytest.mark.parametrize("command", ["check", "ingest", "build"])
def test_an_impossible_captured_date_is_a_named_error(project: Path, command: str) -> None:
    sources = project / "content" / "sources.yml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("captured: 2025-12-12", "captured: 2025-02-30", 1), encoding="utf-8")
    run = _papercat(project, command)
    assert run.returncode == (1 if command == "check" else 2), run.stderr  # 3 would be an internal error
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "sources.yml: daily_papers.txt.captured: expected a date YYYY-MM-DD" in run.stderr
    assert "found '2025-02-30' (line " in run.stderr


@pytest.mark.parametrize("slug", ["index", "search", "assets", "feed", "stats", "about", "months", "topics"])
def test_a_topic_slug_taken_by_a_page_of_the_site_is_an_error(tmp_path: Path, slug: str) -> None:
    text = (ROOT / "generator" / "defaults" / "config" / "topics.yml").read_text(encoding="utf-8")
    text = text.replace("slug: audio", f"slug: {slug}", 1)
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert ".slug: expected a slug that is not the name of one of the site's own pages" in message
    assert f"found str '{slug}'" in message and "(line " in message


def test_two_topics_with_one_name_is_an_error(tmp_path: Path) -> None:
    """Search filters and listing hints find a topic by its name: two topics may not share one."""
    text = (ROOT / "generator" / "defaults" / "config" / "topics.yml").read_text(encoding="utf-8")
    name = load_taxonomy(ROOT / "generator" / "defaults" / "config" / "topics.yml").topics[0].name
    second = load_taxonomy(ROOT / "generator" / "defaults" / "config" / "topics.yml").topics[1].name
    path = tmp_path / "topics.yml"
    path.write_text(text.replace(f"name: {second}", f"name: {name.upper()}", 1), encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    assert "topics[1].name: expected a name not used before (topics[0] has it)" in str(info.value)


def test_a_broken_labels_file_is_a_named_error(tmp_path: Path) -> None:
    from generator.topics.evaluate import load_labels

    path = tmp_path / "labels.yml"
    path.write_text("- title: A\n  primary: llm\n  split: tune\n  split: test\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"labels\.yml: line 4, column 3: expected each key once"):
        load_labels(path)


# --- overrides for papers that do not exist --------------------------------------------------


def _override_typo(project: Path) -> tuple[Path, str]:
    """An override whose id misses the last letter of a real paper id, on line 3 of overrides.yml."""
    papers = ingest_content(project / "content").papers
    real = sorted(p.id for p in papers)[0]
    path = project / "site_config" / "overrides.yml"
    path.write_text(f"# pinned topics\n{papers[1].id}: vision\n{real[:-1]}: llm\n", encoding="utf-8")
    return path, real


def test_an_override_for_an_unknown_paper_fails_check(project: Path) -> None:
    path, real = _override_typo(project)
    run = _papercat(project, "check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"error: {path}:3: {real[:-1]}: override for a paper id that does not exist; closest ids: {real}" in run.stderr


def test_an_override_for_an_unknown_paper_is_a_build_warning(project: Path) -> None:
    path, real = _override_typo(project)
    report = build_site(Project.at(project))
    assert [w for w in report.ingest.warnings if "override for a paper id" in w] == [
        f"{path}:3: {real[:-1]}: override for a paper id that does not exist; closest ids: {real}"
    ]
    assert load_overrides(path, load_taxonomy(ROOT / "generator" / "defaults" / "config" / "topics.yml"))[real[:-1]].line == 3

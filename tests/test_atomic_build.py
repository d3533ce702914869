"""A failed build leaves the previous site exactly as it was, and says what failed and how to fix it.

Each case starts from a project whose site/ was built once, breaks one thing (a settings file, the
topic taxonomy, a page template, mkdocs.yml, the disk), builds again, and compares site/ byte for
byte with what it was. The command line is run as a subprocess in a copy of the project.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from site_fixtures import CONTENT, HOSTILE, PAPERCAT, copy_project, own_copy, papercat, settled, tree_digest

from generator.errors import ConfigError, PapercatError
from generator.site.build import BuildFailed, Project, build_site
from generator.site.output import OWNER_MARKER


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project (the hostile corpus as content) with its site built once."""
    root = tmp_path_factory.mktemp("atomic") / "project"
    copy_project(root, HOSTILE)
    build_site(_project_at(root))
    return root


def _project_at(root: Path) -> Project:
    return Project.at(root, content=root / "content", config=root / "site_config", site_dir=root / "site")


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    return _project_at(root)


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _with_yaml(text: str, change: Callable[[dict], object]) -> str:
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def _fails_cleanly(project: Project, error: type[Exception] = PapercatError) -> str:
    """Build, expect ``error``, check site/ is untouched and no staging folder is left; return the message."""
    before = tree_digest(project.site_dir)
    siblings = sorted(p.name for p in project.site_dir.parent.iterdir())
    with pytest.raises(error) as info:
        build_site(project)
    assert tree_digest(project.site_dir) == before, "a failed build changed the previous site"
    assert sorted(p.name for p in project.site_dir.parent.iterdir()) == siblings, "a failed build left files behind"
    return str(info.value)


# --- configuration mistakes: file, key, expected, found ------------------------------------


def test_site_yml_that_is_not_yaml(project: Project) -> None:
    (project.config_dir / "site.yml").write_text("description: [unclosed\nnewest_papers: 3\n", encoding="utf-8")
    message = _fails_cleanly(project, ConfigError)
    assert "site.yml" in message and "expected valid YAML, found a syntax error" in message


def test_site_yml_with_a_wrong_type(project: Project) -> None:
    _edit(project.config_dir / "site.yml", lambda t: t.replace("newest_papers: 12", "newest_papers: many"))
    message = _fails_cleanly(project, ConfigError)
    assert "site.yml: newest_papers: expected a whole number from 1 to 100" in message and "found 'many'" in message


def test_site_yml_with_an_unknown_key(project: Project) -> None:
    _edit(project.config_dir / "site.yml", lambda t: t + "newest_paper: 5\n")
    message = _fails_cleanly(project, ConfigError)
    assert "site.yml: newest_paper" in message and "newest_papers" in message


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (lambda t: t.replace("topics:\n  - slug: llm", "topics: 5\nold:\n  - slug: llm", 1), "", "one of the keys"),
        (lambda t: _with_yaml(t, lambda d: d["topics"][0].update(keywords=["large language model", "llm"])),
         "topics[0].keywords", "a mapping of term -> weight"),
        (lambda t: t.replace('"large language model": 4', '"large language model": heavy', 1),
         "topics[0].keywords['large language model']", "a non-zero number"),
    ],
    ids=["topics-not-a-list", "keywords-a-list", "weight-a-word"],
)
def test_topics_yml_with_a_wrong_type(project: Project, change: Callable[[str], str], key: str, expected: str) -> None:
    _edit(own_copy(project.config_dir, "topics.yml"), change)
    message = _fails_cleanly(project)
    assert "topics.yml" in message and key in message and f"expected {expected}" in message and "found" in message


def test_topics_yml_that_is_not_yaml(project: Project) -> None:
    _edit(own_copy(project.config_dir, "topics.yml"), lambda t: t + "\n  - slug: [broken\n")
    message = _fails_cleanly(project)
    assert "topics.yml" in message and "YAML" in message


def test_sources_yml_with_a_wrong_type(project: Project) -> None:
    _edit(project.content_dir / "sources.yml", lambda t: t.replace("captured: 2025-12-12", "captured: yesterday"))
    message = _fails_cleanly(project, ConfigError)
    assert "sources.yml: daily_papers.txt.captured: expected a date YYYY-MM-DD" in message and "'yesterday'" in message


def test_broken_page_template(project: Project) -> None:
    _edit(own_copy(project.config_dir, "templates/pages/topic.md.j2"), lambda t: t + "{% for x in %}\n")
    message = _fails_cleanly(project, ConfigError)
    assert "topic.md.j2: line" in message and "expected a valid Jinja template" in message and "TemplateSyntaxError" in message


def test_template_naming_a_missing_field(project: Project) -> None:
    _edit(own_copy(project.config_dir, "templates/pages/paper.md.j2"), lambda t: t + "{{ paper.no_such_field }}\n")
    message = _fails_cleanly(project, ConfigError)
    assert "paper.md.j2: line" in message and "no_such_field" in message


def test_template_whose_code_fails(project: Project) -> None:
    """An error the template's own code raises ({{ 1/0 }}) is named with its template and line, as a syntax error is."""
    _edit(own_copy(project.config_dir, "templates/pages/paper.md.j2"), lambda t: t + "\n{{ 1 / 0 }}\n")
    line = (project.config_dir / "templates/pages/paper.md.j2").read_text(encoding="utf-8").splitlines().index("{{ 1 / 0 }}") + 1
    message = _fails_cleanly(project, ConfigError)
    assert f"paper.md.j2: line {line}" in message and "ZeroDivisionError" in message


def test_theme_template_with_a_syntax_error(project: Project) -> None:
    theme = project.config_dir / "theme"
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "main.html").write_text('{% extends "base.html" %}\n{% block content %}{{ super() }\n{% endblock %}\n', encoding="utf-8")
    run = papercat("build", cwd=project.root)
    assert run.returncode == 2, run.stderr
    assert "main.html: line 2" in run.stderr and "a theme template" in run.stderr and "internal error" not in run.stderr


# --- MkDocs mistakes ------------------------------------------------------------------------


def test_mkdocs_yml_that_is_not_yaml(project: Project) -> None:
    _edit(project.mkdocs_file, lambda t: t.replace("site_name: papercat catalogue", "site_name: [papercat", 1))
    message = _fails_cleanly(project, ConfigError)
    assert "mkdocs.yml" in message and "expected a valid MkDocs configuration" in message


def test_mkdocs_yml_with_an_unknown_theme(project: Project) -> None:
    _edit(project.mkdocs_file, lambda t: t.replace("  name: material", "  name: no-such-theme", 1))
    message = _fails_cleanly(project, ConfigError)
    assert "mkdocs.yml" in message and "no-such-theme" in message


def test_mkdocs_strict_failure(project: Project) -> None:
    _edit(project.mkdocs_file, lambda t: t.replace("  - About: about.md", "  - About: about.md\n  - Gone: gone.md", 1))
    message = _fails_cleanly(project, BuildFailed)
    assert "MkDocs could not build the site" in message and "gone.md" in message
    assert "was left as it was" in message and "Fix" in message


# --- the disk -------------------------------------------------------------------------------


def _no_space(path: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_disk_full_while_mkdocs_writes_the_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.utils

    real = mkdocs.utils.write_file
    calls = {"n": 0}

    def write_file(content: bytes, output_path: str) -> None:
        calls["n"] += 1
        if calls["n"] > 5:  # a few pages are written, then the disk is full
            raise _no_space(output_path)
        real(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    message = _fails_cleanly(project, BuildFailed)
    assert calls["n"] > 5
    assert "No space left on device" in message and "was left as it was" in message and "free some disk space" in message


def test_failure_while_swapping_in_the_new_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.site.output as output

    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if ".building-" in str(src):
            raise _no_space(dst)
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    message = _fails_cleanly(project, BuildFailed)
    assert "was left as it was" in message


def test_a_good_build_after_failures_replaces_the_site(project: Project) -> None:
    before = tree_digest(project.site_dir)
    _edit(project.content_dir / "search_results.txt", lambda t: t.replace("Framed Learning", "Framed Learning, Revised"))
    build_site(project)
    after = tree_digest(project.site_dir)
    assert after != before and set(after) >= {"index.html", "search-index/index.gz"}
    assert [p.name for p in settled(project.site_dir.parent).iterdir() if p.name.startswith(".")] == []


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (mkdocs.yml, site_config/, content/) with a previous site in site/."""
    root = tmp_path_factory.mktemp("cli") / "project"
    copy_project(root, CONTENT)
    site = root / "site"
    (site / "papers").mkdir(parents=True)
    (site / "index.html").write_text("<p>the previous site</p>\n", encoding="utf-8")
    (site / "papers" / "kept.html").write_bytes(b"\x00previous bytes\xff")
    (site / OWNER_MARKER).write_text("written by papercat\n", encoding="utf-8")  # a site papercat wrote
    return root


def _run_build(root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PAPERCAT_DEBUG"}
    return subprocess.run(
        [str(PAPERCAT), "build"], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        ("site_config/site.yml", "snippet_chars: 220", "snippet_chars: 5", ["site.yml", "snippet_chars", "from 40 to 1000", "found 5"]),
        (
            "site_config/topics.yml", "  title_weight: 2.5", "  title_weight: heavy",
            ["topics.yml", "settings.title_weight", "a number", "'heavy'"],
        ),
        (
            "mkdocs.yml", "  - About: about.md", "  - About: about.md\n  - Gone: gone.md",
            ["MkDocs could not build the site", "gone.md", "Fix"],
        ),
    ],
    ids=["site-yml", "topics-yml", "mkdocs-nav"],
)
def test_cli_build_failure_exits_nonzero_without_traceback(
    cli_project: Path, path: str, old: str, new: str, expected: list[str]
) -> None:
    target = cli_project / path
    if path.startswith("site_config/"):
        own_copy(cli_project / "site_config", path.removeprefix("site_config/"))
    original = target.read_text(encoding="utf-8")
    assert old in original
    target.write_text(original.replace(old, new, 1), encoding="utf-8")
    before = tree_digest(cli_project / "site")
    try:
        run = _run_build(cli_project)
    finally:
        target.write_text(original, encoding="utf-8")
    assert run.returncode not in (0, 3), run.stderr  # 3 is an internal error: a bug, not a config mistake
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.startswith("papercat: error: ") or "\npapercat: error: " in run.stderr, run.stderr
    for part in expected:
        assert part in run.stderr, (part, run.stderr)
    assert tree_digest(cli_project / "site") == before
    assert sorted(p.name for p in cli_project.iterdir()) == sorted(["mkdocs.yml", "site_config", "content", "site"])

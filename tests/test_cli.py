"""``papercat ingest`` and ``papercat check`` as a user runs them: exit codes, messages, files, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from site_fixtures import CONTENT, FIXTURES, ROOT, papercat

from generator.new import LOCAL_PLACEHOLDER

pytestmark = pytest.mark.site  # runs the papercat command



@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder of its own: the bundled listings and sources.yml copied into content/."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


def test_check_passes_on_the_bundled_content(project: Path) -> None:
    proc = papercat("check", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "records read 487 = papers 484 + merged 3 + rejected 0 (reconciles)" in proc.stdout
    assert "check passed" in proc.stdout
    for name in ("000_f2c3e964f4632815.txt", "004_a179481af104a910.txt"):
        assert name in proc.stdout
    assert "rejected:" not in proc.stderr


def test_ingest_writes_a_sorted_catalogue_identical_across_runs(project: Path) -> None:
    first = papercat("ingest", cwd=project, env={"PYTHONHASHSEED": "1"})
    assert first.returncode == 0, first.stderr
    catalogue = project / "build" / "catalogue.jsonl"
    rejections = project / "build" / "rejected.jsonl"
    assert f"({484} papers)" in first.stdout and "(0 rejected)" in first.stdout
    data = catalogue.read_bytes()
    assert rejections.read_text() == ""
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert len(rows) == 484
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    second = papercat("--build-dir", "other", "ingest", cwd=project, env={"PYTHONHASHSEED": "2"})
    assert second.returncode == 0, second.stderr
    assert (project / "other" / "catalogue.jsonl").read_bytes() == data


def test_ingest_verbose_names_the_reader_of_each_file(project: Path) -> None:
    (project / "out").mkdir()
    proc = papercat("ingest", "--verbose", "--out", str(project / "out" / "papers.jsonl"), cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "out" / "papers.jsonl").is_file() and (project / "out" / "rejected.jsonl").is_file()
    for name, reader in [("000_f2c3e964f4632815.txt", "topic-listing"), ("001_081b339fd5401ceb.txt", "search-results"),
                         ("002_ad45b3d5d17d2dd6.txt", "daily-papers"), ("003_c8a88647eb936fa1.txt", "abstracts")]:
        assert any(line.strip().startswith(f"{name}: {reader}") for line in proc.stdout.splitlines())
    assert "skipped page text 'Jack'" in proc.stdout


@pytest.fixture()
def bad_project(tmp_path: Path) -> Path:
    content = tmp_path / "listings"
    content.mkdir()
    shutil.copy(FIXTURES / "search_invented.txt", content / "good.txt")
    shutil.copy(FIXTURES / "unrecognized.txt", content / "notes.txt")
    (content / "empty.txt").write_text("")
    (content / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    daily = (FIXTURES / "daily_invented.txt").read_text()
    (content / "cut.txt").write_text(daily + "\nLost Titles: A Paper Cut Off Mid-Download\n")
    return tmp_path


def test_check_fails_and_names_every_rejection(bad_project: Path) -> None:
    proc = papercat("--content", "listings", "check", cwd=bad_project)
    assert proc.returncode == 1
    assert "rejected: cut.txt:41: title with no abstract" in proc.stderr
    assert "rejected: empty.txt:1: the file is empty" in proc.stderr
    assert "rejected: image.png:1: a PNG image, not a text listing" in proc.stderr
    assert "rejected: notes.txt:1: no reader recognised this file; tried: " in proc.stderr
    assert "check failed: 4 record(s) rejected" in proc.stderr
    assert "(reconciles)" in proc.stdout


def test_ingest_builds_the_rest_and_writes_the_rejections(bad_project: Path) -> None:
    proc = papercat("--content", "listings", "--build-dir", "b", "ingest", cwd=bad_project)
    assert proc.returncode == 0, proc.stderr
    papers = [json.loads(line) for line in (bad_project / "b" / "catalogue.jsonl").read_text().splitlines()]
    assert {p["title"] for p in papers} == {
        "Tidal Graph Networks for Coastal Flood Forecasting",
        "Reward Shaping with Language Feedback for Household Robots",
        "Sparse Lattice Adapters for Low-Resource Speech Recognition",
        "Gradient Echoes: Memory-Efficient Backpropagation Through Time",
        "Counterfactual Curricula for Robust Tabular Agents",
        "Quiet Tokens: Pruning Attention Sinks in Long-Context Models",
    }
    rejected = [json.loads(line) for line in (bad_project / "b" / "rejected.jsonl").read_text().splitlines()]
    assert [(r["file"], r["line"]) for r in rejected] == [("cut.txt", 41), ("empty.txt", 1), ("image.png", 1), ("notes.txt", 1)]
    assert rejected[0]["raw"] == "Lost Titles: A Paper Cut Off Mid-Download"
    assert rejected[3]["raw"].startswith("Shopping list")
    assert all(r["reason"] for r in rejected)


def test_broken_sources_yml_is_one_clear_error(project: Path) -> None:
    (project / "content" / "sources.yml").write_text("002_ad45b3d5d17d2dd6.txt:\n  captured: last tuesday\n")
    proc = papercat("check", cwd=project)
    assert proc.returncode == 1  # as for every mistake in the inputs check finds
    assert proc.stderr.startswith("papercat: error: ")
    assert "sources.yml: 002_ad45b3d5d17d2dd6.txt.captured: expected a date YYYY-MM-DD" in proc.stderr
    assert "'last tuesday'" in proc.stderr


def test_missing_or_empty_content_folder_fails(tmp_path: Path) -> None:
    missing = papercat("--content", "nowhere", "check", cwd=tmp_path)
    assert missing.returncode == 1 and "nowhere does not exist" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = papercat("--content", "empty", "check", cwd=tmp_path)
    assert empty.returncode == 1 and "no listing files" in empty.stderr


def test_usage_errors_are_argparse_messages(tmp_path: Path) -> None:
    proc = papercat("frobnicate", cwd=tmp_path)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


@pytest.mark.parametrize(
    ("direct_url", "line", "noted"),
    [
        ('{"url": "https://github.com/me/papercat.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
         "papercat @ git+https://github.com/me/papercat.git@abc123", False),
        ('{"url": "https://example.org/papercat-0.1.0-py3-none-any.whl", "archive_info": {}}',
         "papercat @ https://example.org/papercat-0.1.0-py3-none-any.whl", False),
        ('{"url": "file:///home/me/papercat", "dir_info": {}}', LOCAL_PLACEHOLDER, True),
        ('{"url": "file:///home/me/papercat", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}', LOCAL_PLACEHOLDER, True),
        (None, LOCAL_PLACEHOLDER, True),
    ],
    ids=["git", "web archive", "local folder", "local git repository", "from a source tree"],
)
def test_a_new_project_installs_papercat_from_where_this_one_came(direct_url: str | None, line: str, noted: bool) -> None:
    """papercat is not on PyPI: the new project's requirements.txt must name a source its CI can install from."""
    from generator.new import papercat_requirement

    requirement = papercat_requirement("0.1.0", direct_url)
    assert requirement.line == line
    assert (requirement.note is not None) is noted
    if noted:
        assert "CI runner cannot reach" in str(requirement.note)
        assert "papercat==" not in requirement.line  # a name on PyPI that is not papercat's


def test_pip_stops_at_the_placeholder_and_names_what_to_set(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "requirements.txt").write_text(LOCAL_PLACEHOLDER + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "-r", "requirements.txt"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    assert "SET-IN-requirements.txt/where-your-CI-can-install-papercat-from" in run.stderr


def test_papercat_new_writes_the_requirement_and_says_when_ci_cannot_use_it(tmp_path: Path) -> None:
    from generator.new import installed_requirement

    run = papercat("new", str(tmp_path / "catalogue"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    requirements = (tmp_path / "catalogue" / "requirements.txt").read_text(encoding="utf-8")
    expected = installed_requirement()
    assert requirements.splitlines()[-1] == expected.line
    assert ("note: " in run.stdout) is (expected.note is not None)


@pytest.mark.parametrize("address", ["notanaddress", "tcp://scheduler"])
def test_a_cluster_address_without_a_port_is_refused_before_the_build_starts(project: Path, address: str) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    run = papercat("build", "--cluster", address, cwd=project)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "is not the address of a Dask scheduler" in run.stderr and "tcp://HOST:PORT" in run.stderr
    assert "ingest" not in run.stdout and not (project / "site").exists()


def test_ctrl_c_inside_a_librarys_import_is_an_interruption_not_a_crash(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """numpy and SciPy turn a Ctrl-C during their import into "ImportError: initialization failed"."""
    import signal

    from generator import cli

    def interrupted_import(args: object) -> int:
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise ImportError("initialization failed") from None
        return 0

    monkeypatch.setattr(cli, "cmd_check", interrupted_import)
    previous = signal.getsignal(signal.SIGINT)
    try:
        assert cli.main(["check"]) == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    err = capsys.readouterr().err
    assert "papercat: interrupted" in err and "internal error" not in err


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("content/000_f2c3e964f4632815.txt", "it is in the content folder"),
        ("content/papers.jsonl", "it is in the content folder"),
        ("mkdocs.yml", "it is in mkdocs.yml"),
        ("notes.txt", "it is not a catalogue papercat wrote"),
        ("content", "it is in the content folder"),
        ("out", "it is a folder"),
    ],
)
def test_ingest_out_never_overwrites_an_input_or_a_users_file(project: Path, out: str, says: str) -> None:
    (project / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    (project / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (project / "out").mkdir()
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    run = papercat("ingest", "--out", out, cwd=project)
    assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before  # nothing written, nothing changed


def test_ingest_out_overwrites_the_catalogue_it_wrote_before(project: Path) -> None:
    (project / "out").mkdir()
    for _ in range(2):
        run = papercat("ingest", "--out", "out/papers.jsonl", cwd=project)
        assert run.returncode == 0, run.stderr
    assert len((project / "out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()) == 484


def test_ingest_without_a_content_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")  # a catalogue folder, its listings gone
    run = papercat("ingest", cwd=tmp_path)
    assert run.returncode == 2 and "the content folder, content, does not exist" in run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["mkdocs.yml"]


def test_papercat_new_in_a_fresh_git_repository(tmp_path: Path) -> None:
    (tmp_path / "catalogue" / ".git").mkdir(parents=True)
    run = papercat("new", "catalogue", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "catalogue" / "mkdocs.yml").is_file() and (tmp_path / "catalogue" / ".git").is_dir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = papercat("new", "other", cwd=tmp_path)
    assert refused.returncode == 2 and "is not empty" in refused.stderr


def test_a_configuration_folder_named_on_purpose_must_exist(tmp_path: Path) -> None:
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    run = papercat("build", "--config", "site_confg", cwd=project)
    assert run.returncode != 0 and "the configuration folder" in run.stderr and "site_confg" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (project / "site").exists()
    shutil.rmtree(project / "site_config")  # the default folder may be missing: the bundled configuration is used
    assert papercat("build", cwd=project).returncode == 0


def test_files_in_site_config_static_are_published_as_they_are(tmp_path: Path) -> None:
    """CNAME, robots.txt, .nojekyll, .well-known/: the files a static host wants at the site's root."""
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    static = project / "site_config" / "static"
    files = {"CNAME": b"papers.example.org\n", "robots.txt": b"User-agent: *\n", ".nojekyll": b"",
             ".well-known/security.txt": b"Contact: mailto:me@example.org\n"}
    for name, data in files.items():
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_bytes(data)
    (static / ".git").mkdir()
    (static / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    run = papercat("build", cwd=project)
    assert run.returncode == 0, run.stderr
    assert {name: (project / "site" / name).read_bytes() for name in files} == files
    assert not (project / "site" / ".git").exists()  # version control is never published


@pytest.mark.parametrize(("name", "says"), [("index.html", "papercat writes index.html itself"),
                                            ("papers/extra.html", "papercat writes papers itself"),
                                            ("notes.md", "a Markdown file there would become a page")])
def test_a_static_file_never_replaces_what_papercat_writes(tmp_path: Path, name: str, says: str) -> None:
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    path = project / "site_config" / "static" / name
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    run = papercat("build", cwd=project)
    assert run.returncode != 0 and says in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not (project / "site").exists()


def _break_site_yml(project: Path) -> str:
    (project / "site_config" / "site.yml").write_text("newest_papers: 0\n", encoding="utf-8")
    return "site.yml"


def _break_mkdocs_yml(project: Path) -> str:
    (project / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    return "mkdocs.yml"


def _break_template(project: Path) -> str:
    pages = project / "site_config" / "templates" / "pages"
    pages.mkdir(parents=True)
    (pages / "topic.md.j2").write_text("{% for x in %}\n", encoding="utf-8")
    return "topic.md.j2: line 1"


def _break_theme_template(project: Path) -> str:
    theme = project / "site_config" / "theme"
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "main.html").write_text('{% extends "base.html" %}\n{% block content %}{{ super() }\n{% endblock %}\n', encoding="utf-8")
    return "main.html: line 2"


def _link_out_of_site_config(project: Path) -> str:
    (project / "outside.yml").write_text("topics: []\n", encoding="utf-8")
    (project / "site_config" / "topics.yml").symlink_to(project / "outside.yml")
    return "symbolic link"


def _static_file_where_the_site_has_its_own(project: Path) -> str:
    static = project / "site_config" / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "index.html").write_text("<p>my own home page</p>\n", encoding="utf-8")
    return "site_config/static/index.html: cannot be copied into the site"


@pytest.mark.parametrize(
    "breaks",
    [_break_site_yml, _break_mkdocs_yml, _break_template, _break_theme_template, _link_out_of_site_config,
     _static_file_where_the_site_has_its_own],
)
def test_check_fails_on_what_would_fail_the_build(tmp_path: Path, breaks) -> None:
    """`papercat check` is the CI gate: when it passes the build does, so it reads what the build reads."""
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    assert papercat("check", cwd=project).returncode == 0
    names = breaks(project)
    run = papercat("check", cwd=project)
    assert run.returncode == 1 and names in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert papercat("build", cwd=project).returncode != 0  # the build fails on it too


@pytest.mark.parametrize("address", ["example.org/cat", "ftp://example.org/", "https://", "https://example.org/cat/?ref=x"])
def test_a_site_url_that_is_no_web_address_is_blamed_on_the_option(tmp_path: Path, address: str) -> None:
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    run = papercat("build", "--site-url", address, cwd=tmp_path / "cat")
    assert run.returncode == 2 and run.stderr.startswith("papercat: error: --site-url: expected the published address")
    assert "mkdocs.yml" not in run.stderr and not (tmp_path / "cat" / "site").exists()


def test_check_and_ingest_read_the_listings_folder_mkdocs_yml_names(project: Path) -> None:
    """A project that renamed content/ (docs_dir in mkdocs.yml) is checked as it is built, not against nothing."""
    (project / "content").rename(project / "listings")
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: listings"),
                          encoding="utf-8")
    assert "docs_dir: listings" in mkdocs_yml.read_text(encoding="utf-8")
    run = papercat("check", cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "check passed" in run.stdout
    run = papercat("ingest", cwd=project)
    assert run.returncode == 0 and "catalogue: build/catalogue.jsonl (484 papers)" in run.stdout, run.stdout + run.stderr


def test_files_saved_as_documents_or_page_sources_say_what_to_do(project: Path) -> None:
    (project / "content" / "paper.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (project / "content" / "listing.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(64))
    (project / "content" / "page.html").write_text("<!DOCTYPE html>\n<html><body><h1>Papers</h1></body></html>\n", encoding="utf-8")
    run = papercat("check", cwd=project)
    assert run.returncode == 1
    assert "rejected: paper.pdf:1: a PDF document, not a text listing: copy the listing's text into a .txt file" in run.stderr
    assert "rejected: listing.docx:1: a ZIP archive (a .docx, .xlsx or .odt document is one), not a text listing" in run.stderr
    assert "rejected: page.html:1: an HTML page's source, not its text: open the page in a browser" in run.stderr


def test_an_out_path_that_is_a_folder_and_an_empty_content_folder_are_said(tmp_path: Path) -> None:
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    run = papercat("ingest", "--out", "/", cwd=project)
    assert run.returncode == 2 and "papercat: error: --out /: a folder, not a file" in run.stderr, run.stderr
    for listing in (project / "content").iterdir():
        listing.unlink()
    run = papercat("build", cwd=project)
    assert run.returncode == 0 and "no listing files in" in run.stderr and "the site has no papers" in run.stderr, run.stderr


def test_check_fails_on_a_misspelt_key_in_sources_yml(tmp_path: Path) -> None:
    """A misspelt ``captured:`` would leave the listing's year-less dates unanchored: the CI gate says so."""
    assert papercat("new", "cat", cwd=tmp_path).returncode == 0
    project = tmp_path / "cat"
    listing = "example.yml"
    assert (project / "content" / listing).is_file()
    (project / "content" / "sources.yml").write_text(f"{listing}:\n  capturd: 2025-12-12\n", encoding="utf-8")
    run = papercat("check", cwd=project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{listing}.capturd: unknown key" in run.stdout + run.stderr
    assert "check failed: 1 mistake(s) in sources.yml" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("command", [["check"], ["ingest"], ["topics", "suggest"]])
def test_a_command_run_outside_a_catalogue_says_so(tmp_path: Path, command: list[str]) -> None:
    run = papercat(*command, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "no catalogue here" in run.stderr and "papercat new FOLDER" in run.stderr and "create it first" not in run.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_check_fails_on_a_nav_entry_the_site_will_not_have(tmp_path: Path) -> None:
    project = tmp_path / "catalogue"
    assert papercat("new", str(project), cwd=tmp_path).returncode == 0
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("- Home: index.md", "- Home: indx.md"), encoding="utf-8")
    run = papercat("check", cwd=project)
    assert run.returncode == 1
    assert "nav: 'indx.md' is no page of the site" in run.stderr


def test_papercat_new_refuses_options_it_would_ignore(tmp_path: Path) -> None:
    run = papercat("new", "--content", "papers", "catalogue", cwd=tmp_path)
    assert run.returncode == 2 and "--content is for the commands run in it" in run.stderr
    assert list(tmp_path.iterdir()) == []

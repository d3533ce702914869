"""A build never deletes what papercat did not write, runs one at a time, and survives a kill at any point.

Every case runs on a throwaway copy of a small project (the hostile corpus as content); the
command line runs as real processes. A kill is simulated at the exact point inside the build with
``PAPERCAT_FAULT=<point>`` (the process ends there with ``os._exit``, no cleanup), and a build is
held at a point with ``PAPERCAT_PAUSE=<point>:<file>`` while a second one starts.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from site_fixtures import HOSTILE, PAPERCAT, ROOT, copy_project, settled, tree_digest

from generator.site.build import Project, build_site
from generator.site.output import OWNER_MARKER, UnsafeOutput


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("output") / "project"
    copy_project(root, HOSTILE)
    (root / "README.md").write_text("my notes\n", encoding="utf-8")
    build_site(Project.at(root))
    return root


@pytest.fixture
def root(built_once: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy, symlinks=True)
    return copy


def _papercat(
    root: Path, *args: str, env: dict[str, str] | None = None, wait: bool = True
) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")}
    full_env.update(env or {})
    cmd = [str(PAPERCAT), *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=root, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=root, env=full_env, capture_output=True, text=True, timeout=300, check=False)


def _project_files(root: Path) -> dict[str, str]:
    """Every input of the project: what a refused build must leave exactly as it was."""
    digest = tree_digest(settled(root))
    return {k: v for k, v in digest.items() if not k.startswith(("build/", "site/"))}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in settled(folder).iterdir() if p.name.startswith(".site."))


# --- output folders are papercat's alone ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "folder", "why"),
    [
        (["build", "--site-dir", "content"], "content", "is the content folder"),
        (["build", "--site-dir", "site_config"], "site_config", "is the configuration folder"),
        (["build", "--site-dir", "."], "", "is the project root"),
        (["build", "--site-dir", ".."], "..", "contains the content folder"),
        (["build", "--site-dir", "content/site"], "content/site", "lies inside the content folder"),
        (["build", "--site-dir", "README.md"], "README.md", "is an existing file"),
        (["--build-dir", ".", "build"], "", "is the project root"),
        (["--build-dir", "site_config", "build"], "site_config", "is the configuration folder"),
        (["--build-dir", "content/x", "build"], "content/x", "lies inside the content folder"),
    ],
    ids=["site-content", "site-config", "site-root", "site-parent", "site-in-content", "site-file",
         "build-root", "build-config", "build-in-content"],
)
def test_an_output_folder_that_holds_the_project_is_refused(root: Path, args: list[str], folder: str, why: str) -> None:
    before = _project_files(root)
    site_before = tree_digest(root / "site")
    run = _papercat(root, *args)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"refusing to use {(root / folder).resolve()}" in run.stderr and why in run.stderr, run.stderr
    assert "choose another folder with --" in run.stderr
    assert _project_files(root) == before, "a refused build changed the project"
    assert tree_digest(root / "site") == site_before
    assert (root / "README.md").is_file()


def test_a_build_dir_holding_someone_elses_docs_is_refused(root: Path) -> None:
    mine = root / "handbook"
    (mine / "docs").mkdir(parents=True)
    (mine / "docs" / "chapter.md").write_text("# My chapter\n", encoding="utf-8")
    run = _papercat(root, "--build-dir", "handbook", "build")
    assert run.returncode == 2 and "holds files papercat did not write" in run.stderr, run.stderr
    assert str(mine) in run.stderr and "--build-dir" in run.stderr
    assert "choose a new or empty folder" in run.stderr and "remove" not in run.stderr  # never advice to delete it
    assert (mine / "docs" / "chapter.md").read_text(encoding="utf-8") == "# My chapter\n"
    assert sorted(p.name for p in mine.rglob("*")) == ["chapter.md", "docs"]


def test_a_site_dir_holding_someone_elses_files_is_refused(root: Path) -> None:
    public = root / "public"
    public.mkdir()
    (public / "index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    run = _papercat(root, "build", "--site-dir", "public")
    assert run.returncode == 2 and "holds files papercat did not write" in run.stderr, run.stderr
    assert sorted(p.name for p in public.iterdir()) == ["index.html"]
    assert _leftovers(root) == []


@pytest.mark.parametrize("command", ["papercat", "mkdocs"])
def test_a_folder_that_looks_like_a_site_but_has_no_marker_is_refused(root: Path, command: str) -> None:
    """A home page's folder holds index.html, sitemap.xml and papers/ too: only the marker says a folder is papercat's."""
    www = root / "www"
    (www / "papers").mkdir(parents=True)
    files = {"index.html": "<h1>My homepage</h1>\n", "sitemap.xml": "<urlset/>\n", "papers/my-thesis.pdf": "thesis\n",
             "CANARY.txt": "keep me\n"}
    for name, text in files.items():
        (www / name).write_text(text, encoding="utf-8")
    run = _papercat(root, "build", "--site-dir", "www") if command == "papercat" else _mkdocs(root, "build", "--site-dir", "www")
    assert run.returncode != 0 and "holds files papercat did not write" in run.stderr, run.stderr
    assert {p.relative_to(www).as_posix(): p.read_text(encoding="utf-8") for p in www.rglob("*") if p.is_file()} == files


def test_a_working_folder_of_files_with_papercats_names_but_no_marker_is_refused(root: Path) -> None:
    mine = root / "mydocs"
    (mine / "docs" / "papers").mkdir(parents=True)
    (mine / "docs" / "index.md").write_text("# my docs\n", encoding="utf-8")
    (mine / "state.json").write_text('{"mine": true}\n', encoding="utf-8")
    run = _papercat(root, "--build-dir", "mydocs", "build")
    assert run.returncode == 2 and "holds files papercat did not write" in run.stderr, run.stderr
    assert (mine / "state.json").read_text(encoding="utf-8") == '{"mine": true}\n'


def test_an_empty_folder_becomes_papercats_and_is_rebuilt(root: Path) -> None:
    (root / "public").mkdir()
    first = _papercat(root, "--build-dir", "work", "build", "--site-dir", "public")
    assert first.returncode == 0, first.stderr
    assert (root / "public" / OWNER_MARKER).is_file() and (root / "work" / OWNER_MARKER).is_file()
    assert (root / "public" / "index.html").is_file()
    again = _papercat(root, "--build-dir", "work", "build", "--site-dir", "public")
    assert again.returncode == 0, again.stderr


def test_the_check_is_one_function_every_entry_point_calls(root: Path) -> None:
    with pytest.raises(UnsafeOutput, match="is the content folder"):
        build_site(Project.at(root, site_dir=root / "content"))


# --- one build at a time ------------------------------------------------------------------


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 240
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended before the pause point: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("the build never reached the pause point")
        time.sleep(0.1)


def test_a_second_build_waits_or_stops_while_one_runs(root: Path, tmp_path: Path) -> None:
    flag = tmp_path / "paused"
    first = _papercat(root, "build", env={"PAPERCAT_PAUSE": f"swap:{flag}"}, wait=False)
    assert isinstance(first, subprocess.Popen)
    try:
        _wait_for(flag, first)  # the first build is between the two renames of its swap
        stopped = _papercat(root, "build", env={"PAPERCAT_LOCK_WAIT": "0"})
        assert stopped.returncode == 2, stopped.stderr
        assert "another papercat build is using" in stopped.stderr and "Traceback" not in stopped.stderr
        assert (root / ".site.old").is_dir(), "the stopped build touched the running build's folders"
        log = tmp_path / "second.err"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")} | {"PAPERCAT_LOCK_WAIT": "240"}
        with log.open("w") as err_file:
            waiting = subprocess.Popen([str(PAPERCAT), "build"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=err_file)
        deadline = time.monotonic() + 240
        while "waiting up to 240s for another build" not in log.read_text():
            assert waiting.poll() is None, f"the second build did not wait: {log.read_text()}"
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert (root / ".site.old").is_dir() and not (root / "site").exists()  # still held by the first build
        flag.unlink()
        out, err = first.communicate(timeout=240)
        assert first.returncode == 0, err
        assert waiting.wait(timeout=300) == 0, log.read_text()
    finally:
        flag.unlink(missing_ok=True)
        if first.poll() is None:
            first.kill()
    assert (root / "site" / "index.html").is_file() and _leftovers(root) == []


# --- a kill at any point ------------------------------------------------------------------


def test_a_kill_between_the_two_renames_keeps_the_previous_site(root: Path) -> None:
    before = tree_digest(root / "site")
    killed = _papercat(root, "build", env={"PAPERCAT_FAULT": "swap"})
    assert killed.returncode == 70
    assert not (root / "site").exists() and tree_digest(root / ".site.old") == before  # kept reachable
    # The next build puts it back before anything else, even when that build fails.
    site_yml = root / "site_config" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "newest_paper: 3\n", encoding="utf-8")
    failed = _papercat(root, "build")
    assert failed.returncode == 2 and "newest_paper" in failed.stderr
    assert tree_digest(root / "site") == before and _leftovers(root) == []


def test_folders_left_by_killed_builds_are_removed_by_the_next(root: Path) -> None:
    left: list[str] = []
    for _ in range(2):  # each killed build leaves its folder; the next build removes the one before
        killed = _papercat(root, "build", env={"PAPERCAT_FAULT": "built"})
        assert killed.returncode == 70
        now = [n for n in _leftovers(root) if n.startswith(".site.building-")]
        assert len(now) == 1 and now != left
        left = now
    mine = root / ".site.building-notes"  # looks like one, but papercat did not write it
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me\n", encoding="utf-8")
    run = _papercat(root, "build")
    assert run.returncode == 0, run.stderr
    assert _leftovers(root) == [".site.building-notes"] and (mine / "todo.txt").is_file()


@pytest.mark.parametrize(("umask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_site_gets_the_permissions_of_the_umask(root: Path, umask: int, folder_mode: int, file_mode: int) -> None:
    previous = os.umask(umask)
    try:
        build_site(Project.at(root))
    finally:
        os.umask(previous)
    site = root / "site"
    assert stat.S_IMODE(site.stat().st_mode) == folder_mode
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == file_mode
    assert stat.S_IMODE((site / "papers").stat().st_mode) == folder_mode


# --- plain MkDocs commands and the configuration folder -------------------------------------

MKDOCS = PAPERCAT.with_name("mkdocs")


def _mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")}
    return subprocess.run([str(MKDOCS), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_mkdocs_build_refuses_a_site_dir_that_is_not_papercats(root: Path) -> None:
    before = _project_files(root)
    run = _mkdocs(root, "build", "--site-dir", "site_config")
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "refusing to use" in run.stderr and "is the configuration folder" in run.stderr, run.stderr
    assert _project_files(root) == before
    public = root / "public"
    public.mkdir()
    (public / "notes.html").write_text("<p>mine</p>\n", encoding="utf-8")
    run = _mkdocs(root, "build", "--site-dir", "public")
    assert "holds files papercat did not write" in run.stderr, run.stderr
    assert sorted(p.name for p in public.iterdir()) == ["notes.html"]


def test_mkdocs_build_marks_its_site_so_papercat_build_may_replace_it(root: Path) -> None:
    run = _mkdocs(root, "build", "--site-dir", "fresh")
    assert run.returncode == 0, run.stderr
    assert (root / "fresh" / OWNER_MARKER).is_file() and (root / "fresh" / "index.html").is_file()
    again = _papercat(root, "build", "--site-dir", "fresh")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    ("path", "mistake"),
    [("site_config/topics.yml", "topics: [unclosed\n"), ("content/sources.yml", "x.txt:\n  captured: 2025-02-30\n"),
     ("site_config/site.yml", "newest_papers: 0\n")],
    ids=["topics.yml", "sources.yml", "site.yml"],
)
def test_mkdocs_build_with_a_mistake_leaves_the_site_as_it_was(root: Path, path: str, mistake: str) -> None:
    """MkDocs empties the site folder before reading the files: papercat reads the catalogue before that."""
    site = tree_digest(root / "site")
    assert "index.html" in site
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(mistake, encoding="utf-8")
    run = _mkdocs(root, "build")
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert Path(path).name in run.stderr, run.stderr
    assert tree_digest(root / "site") == site


@pytest.mark.parametrize("command", ["papercat", "mkdocs"])
def test_an_error_raised_in_a_theme_template_names_it_without_a_traceback(root: Path, command: str) -> None:
    theme = root / "site_config" / "theme"
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}\n{{ 1 // 0 }}\n{% endblock %}\n', encoding="utf-8"
    )
    site = tree_digest(root / "site")
    run = _papercat(root, "build") if command == "papercat" else _mkdocs(root, "build")
    assert run.returncode != 0 and "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert f"{theme / 'main.html'}: line 3: ZeroDivisionError" in run.stderr, run.stderr
    if command == "papercat":  # builds into a staging folder; plain MkDocs empties the site folder first
        assert tree_digest(root / "site") == site


def test_a_link_out_of_the_configuration_folder_is_refused_not_published(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private key material\n", encoding="utf-8")
    assets = root / "site_config" / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "leak.txt").symlink_to(secret)
    site_before = tree_digest(root / "site")
    run = _papercat(root, "build")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "leak.txt" in run.stderr and "symbolic link" in run.stderr and str(secret) in run.stderr, run.stderr
    assert tree_digest(root / "site") == site_before
    assert not any("private key" in p.read_text(errors="replace") for p in (root / "site").rglob("*.txt"))


def test_ingest_refuses_a_working_folder_that_is_not_papercats(root: Path) -> None:
    before = _project_files(root)
    run = _papercat(root, "--build-dir", "content", "ingest")
    assert run.returncode == 2 and "is the content folder" in run.stderr and "--build-dir" in run.stderr, run.stderr
    notes = root / "notes"
    notes.mkdir()
    (notes / "state.json").write_text('{"mine": true}\n', encoding="utf-8")
    run = _papercat(root, "--build-dir", "notes", "ingest")
    assert run.returncode == 2 and "holds files papercat did not write" in run.stderr, run.stderr
    assert (notes / "state.json").read_text(encoding="utf-8") == '{"mine": true}\n'
    assert _project_files(root) == before | {"notes/state.json": _project_files(root)["notes/state.json"]}
    run = _papercat(root, "ingest")  # its own working folder, marked by the build
    assert run.returncode == 0, run.stderr
    assert (root / "build" / "catalogue.jsonl").is_file()


def test_a_replaced_site_made_read_only_is_still_removed() -> None:
    """`chmod -R a-w site`, then a build: the replaced site cannot be removed as it is; its owner makes it writable.

    Permissions do not bind root, so as root the removal runs as the unprivileged user `nobody`, who owns the folders.
    """
    import tempfile

    from generator.site.output import OWNER_MARKER

    parent = Path(tempfile.mkdtemp(prefix="papercat-read-only-"))  # not under pytest's folders, which only root may enter
    try:
        old = parent / ".site.discarded-1-abcd"
        (old / "papers" / "a").mkdir(parents=True)
        (old / "papers" / "a" / "index.html").write_text("<p>a</p>\n", encoding="utf-8")
        (old / OWNER_MARKER).write_text("papercat\n", encoding="utf-8")
        as_user: dict[str, int] = {}
        if os.geteuid() == 0:
            for path in [parent, *parent.rglob("*")]:
                os.chown(path, 65534, 65534)
            as_user = {"user": 65534, "group": 65534}
        for folder in [old, *(p for p in old.rglob("*") if p.is_dir())]:
            folder.chmod(0o555)
        code = "import sys; from pathlib import Path; from generator.site.output import recover; print(recover(Path(sys.argv[1])))"
        run = subprocess.run(  # type: ignore[call-overload]
            [sys.executable, "-c", code, str(parent / "site")], capture_output=True, text=True, check=False, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=parent, **as_user,
        )
        assert run.returncode == 0, run.stderr
        assert not old.exists(), run.stdout
    finally:
        for folder in [parent, *(p for p in parent.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        shutil.rmtree(parent)

"""Inputs stay inside the project: symbolic links are not followed, and every entry that is not read
(link, named pipe, unreadable file or folder, name that is not UTF-8) is in the summary with its reason,
so the totals still reconcile. Permission cases run as the unprivileged user ``nobody`` (root reads
everything, which would hide them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_fixtures import CONFIG, ROOT

from generator.ingest import ingest_content

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "listings"
HOSTILE = Path(__file__).resolve().parent / "hostile"
PAPERCAT = Path(sys.executable).with_name("papercat")
LISTING = FIXTURES / "daily_invented.txt"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")}


def _papercat(root: Path, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if user else []
    env = _env() | ({"HOME": str(root)} if user else {})
    return subprocess.run([*prefix, str(PAPERCAT), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(LISTING, folder / "daily.txt")
    return folder


def _totals(result) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    return result.records, len(result.papers), result.merged, len(result.rejected)


def test_symbolic_links_are_not_followed_and_are_reported(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(LISTING, outside / "looks_like_a_listing.txt")
    (outside / "looks_like_a_listing.txt").write_text(
        LISTING.read_text(encoding="utf-8").replace("Diffusion", "Leaked Diffusion"), encoding="utf-8"
    )
    (content / "leak.txt").symlink_to(outside / "looks_like_a_listing.txt")
    (content / "passwd.txt").symlink_to("/etc/passwd")
    (content / "folder").symlink_to(outside, target_is_directory=True)
    (content / "again.txt").symlink_to(content / "daily.txt")
    result = ingest_content(content)
    reasons = {r.file: r.reason for r in result.rejected}
    assert set(reasons) == {"leak.txt", "passwd.txt", "folder", "again.txt"}
    assert "outside the content folder): not followed" in reasons["passwd.txt"]
    assert "inside the content folder): not followed" in reasons["again.txt"]
    assert all(r.raw == "" for r in result.rejected)
    assert not any("Leaked" in p.title for p in result.papers)
    alone = ingest_content(content, files=[content / "daily.txt"])
    assert len(result.papers) == len(alone.papers) and result.reconciles()
    # The command line writes no byte of the linked files into the rejections.
    run = _papercat(tmp_path, "--content", "content", "--build-dir", "out", "ingest")
    assert run.returncode == 0, run.stderr
    rejected = (tmp_path / "out" / "rejected.jsonl").read_text(encoding="utf-8")
    assert "root:" not in rejected and "Leaked" not in rejected and "passwd.txt" in rejected


def test_a_named_pipe_is_reported_not_read(content: Path) -> None:
    os.mkfifo(content / "pipe.txt")
    result = ingest_content(content)  # reading a FIFO would block forever
    (entry,) = [r for r in result.rejected if r.file == "pipe.txt"]
    assert "named pipe (FIFO), not a regular file" in entry.reason
    assert result.reconciles() and _totals(result)[0] == len(result.papers) + result.merged + 1


def test_a_sources_file_in_a_sub_folder_is_reported_not_silently_ignored(content: Path) -> None:
    (content / "2025").mkdir()
    (content / "2025" / "daily.txt").write_bytes(LISTING.read_bytes())
    (content / "2025" / "sources.yml").write_text("daily.txt:\n  captured: 2025-12-12\n", encoding="utf-8")
    result = ingest_content(content)
    (entry,) = [r for r in result.rejected if r.file == "2025/sources.yml"]
    assert "only the content folder's own sources.yml" in entry.reason and "(2025/FILE.txt:)" in entry.reason
    assert not any(p.file.endswith("sources.yml") for paper in result.papers for p in paper.sources)


@pytest.mark.parametrize("command", ["ingest", "check", "build"])
def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(content: Path, tmp_path: Path, command: str) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(CONFIG, tmp_path / "site_config")
    (tmp_path / "site_config" / "overrides.yml").unlink(missing_ok=True)
    shutil.copy(LISTING, os.fsencode(content) + b"/caf\xe9.txt")
    run = _papercat(tmp_path, command)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert run.returncode == (1 if command == "check" else 0), run.stderr
    assert "caf\\xe9.txt" in run.stdout + run.stderr and "file name is not valid UTF-8" in run.stderr
    assert "(reconciles)" in run.stdout


@pytest.mark.parametrize("name", ["notes\n```python\nprint(1)\n```\n.yml", "evil\u202etxt.yml", "bell\x07.yml"])
def test_a_file_name_with_line_breaks_or_control_characters_is_reported_never_rendered(
    content: Path, tmp_path: Path, name: str
) -> None:
    """A name is printed on the pages (where each paper came from, the rejections): a line break there could open a
    fenced block in the page's Markdown, a direction mark could disguise the name. The file is reported, not read."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(CONFIG, tmp_path / "site_config")
    (tmp_path / "site_config" / "overrides.yml").unlink(missing_ok=True)
    (content / name).write_text("title: An Innocent Paper\nabstract: An ordinary abstract about language models.\n")
    run = _papercat(tmp_path, "build")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    shown = name.encode("unicode_escape").decode("ascii")
    assert f"rejected: {shown}:1: the file name holds a line break, a control or a text-direction character" in run.stderr
    site = tmp_path / "site"
    assert not (site / "papers" / "an-innocent-paper").exists()
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert not any("<pre" in page and "print(1)" in page for page in pages)
    assert any(shown in page for page in pages)  # the rejection, named with its escapes
    assert not any(name in page for page in pages)


# --- permissions, as an unprivileged user -------------------------------------------------


@pytest.fixture
def shared_project() -> Iterator[Path]:
    """A project ``nobody`` can read: pytest's own temporary folders are private to root."""
    root = Path(tempfile.mkdtemp(prefix="papercat-inputs-", dir="/tmp"))
    try:
        root.chmod(0o755)
        content = root / "content"
        content.mkdir()
        shutil.copy(LISTING, content / "daily.txt")
        private = content / "private"
        private.mkdir()
        shutil.copy(LISTING, private / "hidden_listing.txt")
        shutil.copy(LISTING, content / "unreadable.txt")
        for path in (root, content, content / "daily.txt"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        private.chmod(0o000)
        (content / "unreadable.txt").chmod(0o000)
        yield root
    finally:
        if (root / "content" / "private").exists():
            (root / "content" / "private").chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs root to switch to nobody")
def test_unreadable_files_and_folders_are_counted_and_reported(shared_project: Path) -> None:
    run = _papercat(shared_project, "check", user="nobody")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert "rejected: private:1: cannot read the folder (Permission denied); its files are not read" in run.stderr
    assert "rejected: unreadable.txt:1: cannot read the file (Permission denied)" in run.stderr
    assert "(reconciles)" in run.stdout and "check failed: 2 record(s) rejected" in run.stderr
    # As root (which reads everything) the same folder is read completely: the user is what hides it.
    assert ingest_content(shared_project / "content").rejected == []

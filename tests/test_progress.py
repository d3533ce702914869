"""Progress on long runs: a bar per stage on a terminal, one plain line per stage in a pipe (CI),
the time of each stage at the end."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
from pathlib import Path

import pytest
from site_fixtures import HOSTILE, PAPERCAT, copy_project

from generator.progress import Progress

pytestmark = pytest.mark.site  # builds sites or runs the papercat command

STAGES = ("ingest", "classify", "related", "pages", "mkdocs", "search")


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress") / "project"
    copy_project(root, HOSTILE)
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAPERCAT_DEBUG", "NO_COLOR", "TERM")}
    return {**env, "TERM": "xterm-256color", "COLUMNS": "100"}


def test_in_a_pipe_each_stage_is_one_plain_line(small_project: Path) -> None:
    files = len([p for p in (small_project / "content").iterdir() if p.name != "sources.yml"])
    proc = subprocess.run(
        [str(PAPERCAT), "build"], cwd=small_project, env=_env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if re.match(r"^(ingest|classify|related|pages|search|mkdocs):", line)]
    assert [line.split(":")[0] for line in lines] == list(STAGES)
    assert re.fullmatch(rf"ingest: {files} files in \d+\.\ds", lines[0])
    built = re.search(r"built (\d+) pages and (\d+) other files", proc.stdout)
    assert built is not None, proc.stdout
    pages, others = int(built.group(1)), int(built.group(2))
    assert re.fullmatch(r"pages: \d+ files in \d+\.\ds", lines[3]) and int(lines[3].split()[1]) == pages + others
    assert f"pages: {pages} written, 0 reused, 0 removed" in proc.stdout  # the same count, said the same way
    markdown = sum(1 for _ in (small_project / "site").rglob("index.html"))  # one per Markdown page
    assert re.fullmatch(rf"mkdocs: {2 * markdown} steps \(read \+ write a page\) in \d+\.\ds", lines[4])
    assert re.fullmatch(r"search: \d+ papers in \d+\.\ds", lines[5])
    assert "\x1b[" not in proc.stderr + proc.stdout  # no terminal codes in a CI log
    assert re.search(r"^timings: ingest \d+\.\ds, classify \d+\.\ds, related \d+\.\ds, pages \d+\.\ds, mkdocs \d+\.\ds, search \d+\.\ds "
                     r"\(total \d+\.\ds\)$", proc.stdout, re.M)


def _run_in_terminal(args: list[str], cwd: Path) -> str:
    """Run a command with a pseudo-terminal as its output and return everything it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, env=_env(), stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode("utf-8", "replace")
    return b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_each_stage_has_a_progress_bar(small_project: Path) -> None:
    output = _run_in_terminal([str(PAPERCAT), "build"], small_project)
    assert "\x1b[" in output  # drawn and redrawn in place
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    assert "━" in plain  # the bar itself
    for stage in STAGES:
        assert re.search(rf"✓ {stage}\s+━+\s+\d+/\d+", plain), f"no finished bar for {stage}"
    markdown = sum(1 for _ in (small_project / "site").rglob("index.html"))  # one per Markdown page
    assert f"{2 * markdown}/{2 * markdown} steps (read + write a page)" in plain
    assert not re.search(r"^ingest: \d+ files in", plain, re.M)  # bars instead of the plain lines
    assert re.search(r"timings: ingest \d+\.\ds, classify", plain)


def test_plain_progress_lines_and_timings() -> None:
    stream = io.StringIO()
    with Progress(stream) as progress:
        with progress.stage("ingest", total=3, unit="files") as step:
            for _ in range(3):
                step(1)
        with progress.stage("classify", unit="papers") as step:
            step(7)
    assert re.fullmatch(r"ingest: 3 files in \d\.\ds\nclassify: 7 papers in \d\.\ds\n", stream.getvalue())
    assert set(progress.seconds) == {"ingest", "classify"} and progress.counts == {"ingest": 3, "classify": 7}
    assert progress.timings().startswith("timings: ingest ")
    silent = io.StringIO()
    with Progress(silent, enabled=False) as quiet, quiet.stage("x", total=1) as step:
        step(1)
    assert silent.getvalue() == "" and "x" in quiet.seconds


def test_check_shows_ingest_progress_in_a_pipe(small_project: Path) -> None:
    proc = subprocess.run(
        [str(PAPERCAT), "check"], cwd=small_project, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )
    assert re.search(r"^ingest: \d+ files in \d+\.\ds$", proc.stderr, re.M)

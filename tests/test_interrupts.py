"""Ctrl-C during a build: the build stops with one line, never a worker's traceback.

A terminal sends Ctrl-C to every process of the build, its worker processes too. The build stops
them itself; a worker must not stop on it (and print its traceback), not even while it is still
starting.
"""

from __future__ import annotations

import multiprocessing
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from site_fixtures import CONTENT, PAPERCAT, copy_project

from generator.parallel import process_pool


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_processes_leave_ctrl_c_to_the_build(method: str) -> None:
    before = signal.getsignal(signal.SIGINT)
    pool = process_pool(2, context=multiprocessing.get_context(method))
    try:
        handlers = {pool.submit(signal.getsignal, signal.SIGINT).result() for _ in range(6)}
    finally:
        pool.shutdown()
    assert handlers == {signal.SIG_IGN}
    assert signal.getsignal(signal.SIGINT) == before  # the build's own handler is back


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_ctrl_c_while_workers_start_stops_the_build_once_they_have(method: str) -> None:
    """Workers start with Ctrl-C held back; one sent meanwhile is not lost: it arrives when they have started."""
    from generator.parallel import interrupts_ignored

    context = multiprocessing.get_context(method)
    pool = None
    with pytest.raises(KeyboardInterrupt):
        with interrupts_ignored():
            pool = process_pool(2, context=context)
            os.kill(os.getpid(), signal.SIGINT)  # a terminal's Ctrl-C, while the workers start
            time.sleep(0.2)
        pytest.fail("the Ctrl-C sent while the workers started was lost")
    assert pool is not None
    try:  # the workers did not stop on it: they still work, deaf to it
        assert {pool.submit(signal.getsignal, signal.SIGINT).result() for _ in range(4)} == {signal.SIG_IGN}
    finally:
        pool.shutdown()


ENV = {k: v for k, v in os.environ.items() if k != "PAPERCAT_DEBUG"}


def _start_build(project: Path) -> subprocess.Popen[str]:
    """``papercat build --jobs 2 --clean`` of a copy of the bundled project, in a session of its own."""
    copy_project(project, CONTENT)
    return subprocess.Popen(
        [str(PAPERCAT), "build", "--jobs", "2", "--clean"], cwd=project, env=ENV, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _read_until(proc: subprocess.Popen[str], done: Callable[[str], bool], poll: float = 1.0) -> str:
    """The build's output read until ``done(output so far)``, the build ends or two minutes pass."""
    assert proc.stdout is not None
    seen = ""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 120
        while not done(seen) and time.monotonic() < deadline and proc.poll() is None:
            if selector.select(timeout=poll):
                seen += proc.stdout.readline()
    return seen


@pytest.mark.parametrize("stage", ["ingest:", "related:", "pages:"])
def test_ctrl_c_in_any_stage_stops_the_build_with_one_line(tmp_path: Path, stage: str) -> None:
    proc = _start_build(tmp_path / "p")
    seen = _read_until(proc, lambda output: stage in output)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: every process of the build gets it
    rest, _ = proc.communicate(timeout=120)
    output = seen + rest
    assert stage in output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    if proc.returncode != 0:  # the build may have finished first
        assert proc.returncode == 130 and "papercat: interrupted" in output, output


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found |= {int(c) for c in (task / "children").read_text().split()}
    except OSError:
        pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("after", ["related:", "pages:"])  # while the pages are written, while MkDocs renders them
def test_a_build_killed_outright_leaves_no_worker_holding_the_project(tmp_path: Path, after: str) -> None:
    """SIGKILL (or SIGTERM) of the build alone, as a cancelled CI job or ``timeout`` sends: its workers end too,
    and the next build is not told another build is using the project."""
    proc = _start_build(tmp_path / "p")
    workers: set[int] = set()

    def started(output: str) -> bool:
        nonlocal workers
        if after in output:
            workers = _children(proc.pid)
        return bool(workers)

    _read_until(proc, started, poll=0.02)
    if not workers:
        pytest.fail(f"no worker processes seen after {after!r}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"worker processes outlived the build: {left}"
    again = subprocess.run([str(PAPERCAT), "build"], cwd=tmp_path / "p", env=ENV | {"PAPERCAT_LOCK_WAIT": "2"},
                           capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0 and "another papercat build" not in again.stderr, again.stderr

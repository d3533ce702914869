"""``papercat serve``: MkDocs' live preview with the papercat plugin survives every input mistake.

A catalogue made by ``papercat new`` is served on a free port. A broken ``topics.yml`` puts
the error message in the browser (on every address) instead of stopping the server; fixing the
file brings the catalogue back; a listing whose file name is not UTF-8 is reported and the
rest of the catalogue is served.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.new import create_project

pytestmark = pytest.mark.site

PAPERCAT = Path(sys.executable).with_name("papercat")
WAIT = 240.0  # a deadline for the server to react, not a measured time


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as err:  # the preview's 404 page has a body too
        return str(err.read().decode("utf-8"))
    except OSError:
        return ""


def _until(url: str, condition: Callable[[str], bool], log: Path) -> str:
    deadline = time.monotonic() + WAIT
    text = ""
    while time.monotonic() < deadline:
        text = _get(url)
        if condition(text):
            return text
        time.sleep(1.0)
    pytest.fail(f"{url} never met the condition; last page:\n{text[-1500:]}\nserver log:\n{log.read_text()[-3000:]}")


@pytest.fixture
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str, Path]]:
    project = tmp_path / "catalogue"
    create_project(project)
    options = list(getattr(request, "param", []))
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ("PAPERCAT_SITE_URL",)}
    env["NO_MKDOCS_2_WARNING"] = "1"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(PAPERCAT), *options, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        yield project, f"http://127.0.0.1:{port}/", log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_shows_errors_and_recovers(served: tuple[Path, str, Path]) -> None:
    project, url, log = served
    _until(url, lambda t: "Attention Is All You Need" in t, log)

    (project / "site_config" / "topics.yml").write_text("topics: [unclosed\n", encoding="utf-8")
    page = _until(url, lambda t: "could not be built" in t, log)
    assert "topics.yml" in page and "YAML" in page
    assert "could not be built" in _get(url + "papers/attention-is-all-you-need/")  # every address shows it

    (project / "site_config" / "topics.yml").unlink()
    _until(url, lambda t: "Attention Is All You Need" in t and "could not be built" not in t, log)

    bad_name = os.fsdecode(b"bad\xff\xfename.txt")  # not UTF-8: a surrogate-escaped str
    (project / "content" / bad_name).write_bytes((project / "content" / "example.yml").read_bytes())
    (project / "content" / "more.yml").write_text(
        "papers:\n  - title: A Paper Added While Serving\n    abstract: Served after the bad file name.\n", encoding="utf-8"
    )
    _until(url, lambda t: "A Paper Added While Serving" in t, log)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "the file name is not valid UTF-8" in text and "Traceback" not in text


@pytest.mark.parametrize("served", [["--build-dir", "notes"]], indirect=True)
def test_a_preview_writes_nothing_into_a_folder_papercat_does_not_own(served: tuple[Path, str, Path]) -> None:
    project, url, log = served
    (project / "notes").mkdir(exist_ok=True)
    (project / "notes" / "mine.txt").write_text("my notes\n", encoding="utf-8")
    (project / "content" / "more.yml").write_text("papers:\n  - title: A Paper Added While Serving\n    abstract: Spooled.\n",
                                                  encoding="utf-8")
    _until(url, lambda t: "A Paper Added While Serving" in t, log)
    assert sorted(p.name for p in (project / "notes").iterdir()) == ["mine.txt"]


def test_a_port_in_use_or_an_address_that_is_not_one_is_a_clear_error(tmp_path: Path) -> None:
    project = tmp_path / "catalogue"
    create_project(project)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([str(PAPERCAT), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, capture_output=True,
                             text=True, timeout=WAIT)
    assert run.returncode == 2, run.stderr
    assert f"papercat: error: 127.0.0.1:{port} is in use" in run.stderr and "--dev-addr" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    run = subprocess.run([str(PAPERCAT), "serve", "--dev-addr", "nonsense"], cwd=project, capture_output=True, text=True, timeout=WAIT)
    assert run.returncode == 2 and "--dev-addr 'nonsense' is not an address" in run.stderr, run.stderr
    assert "mkdocs.yml" not in run.stderr

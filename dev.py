#!/usr/bin/env python3
"""Set up papercat in a local virtual environment and run it: the README's two commands.

    python3 dev.py build   # build the site from content/ into site/, and say how to open it
    python3 dev.py test    # lint (ruff), type-check (mypy --strict), then the whole test suite

Needs only Python 3.11+ and the package registries. The environment lives in .venv/ and is
reinstalled whenever pyproject.toml changes. Any other arguments go to ``papercat``
(``python3 dev.py serve``, ``python3 dev.py ingest --verbose``) or, after ``test``, to pytest
(``python3 dev.py test -m unit`` runs the quick tier). ``test`` always runs ``ruff check`` and
``mypy`` (configured in pyproject.toml) first, and fails when any of the three fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".papercat-installed"
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TESTS = ROOT / "tests" / "browser"
AXE_STAMP = BROWSER_TESTS / "node_modules" / ".papercat-installed"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def venv_works(venv_dir: Path) -> bool:
    """The environment's Python starts and has pip (an interrupted creation leaves one without it)."""
    python = venv_dir / BIN.name / PYTHON.name
    if not python.exists():
        return False
    try:
        check = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return check.returncode == 0


def ensure_venv(venv_dir: Path) -> None:
    """Create the virtual environment, or create it again when a previous creation was interrupted."""
    if venv_works(venv_dir):
        return
    if venv_dir.exists():
        print(f"{venv_dir} is incomplete (no working Python with pip): creating it again", flush=True)
    else:
        print(f"creating a virtual environment in {venv_dir}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    if not venv_works(venv_dir):
        sys.exit(f"could not create a working virtual environment in {venv_dir}; delete it and try again")


def ensure_env() -> None:
    """Create .venv and install papercat with its test tools, once per change of pyproject.toml."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 the user has
        sys.exit(f"papercat needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted and (BIN / "papercat").exists():
        return
    ensure_venv(VENV)
    STAMP.unlink(missing_ok=True)  # written again only once the install below has finished
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]")
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when it is missing and we may."""
    if CHROMIUM.exists() or shutil.which("chromium"):
        return
    apt = shutil.which("apt-get")
    if apt is None or (hasattr(os, "geteuid") and os.geteuid() != 0):
        sys.exit("the browser tests need Chromium at /usr/bin/chromium: install Debian's `chromium` package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-qq", env=env)
    run(apt, "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-dejavu-core", env=env)


def ensure_axe() -> None:
    """The accessibility tests inject axe-core, pinned in tests/browser/package-lock.json; npm ci installs it."""
    wanted = hashlib.sha256((BROWSER_TESTS / "package-lock.json").read_bytes()).hexdigest()
    if AXE_STAMP.exists() and AXE_STAMP.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        apt = shutil.which("apt-get")
        if apt is None or (hasattr(os, "geteuid") and os.geteuid() != 0):
            sys.exit("the accessibility tests need npm (Node.js) to install axe-core: install Debian's `npm` package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(apt, "update", "-qq", env=env)
        run(apt, "install", "-y", "-qq", "--no-install-recommends", "npm", env=env)
        npm = shutil.which("npm") or "npm"
    run(npm, "ci", "--prefix", BROWSER_TESTS, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
    AXE_STAMP.write_text(wanted)


def run_checks_and_tests(pytest_args: list[str]) -> int:
    """ruff and mypy over the code, then pytest; the exit status is the first failure's, else 0."""
    steps = [
        ("lint", [PYTHON, "-m", "ruff", "check", "--quiet"]),
        ("types", [PYTHON, "-m", "mypy"]),
        ("tests", [PYTHON, "-m", "pytest", *pytest_args]),
    ]
    failed: list[str] = []
    status = 0
    for name, cmd in steps:
        print(f"+ {name}: " + " ".join(str(c) for c in cmd[1:]), flush=True)
        code = subprocess.call([str(c) for c in cmd], cwd=ROOT)
        if code:
            failed.append(name)
            status = status or code
    if failed:
        print(f"dev.py test: failed: {', '.join(failed)}", file=sys.stderr)
    return status


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "test":
        ensure_chromium()
        ensure_axe()
        return run_checks_and_tests(rest)
    return subprocess.call([str(BIN / "papercat"), command, *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

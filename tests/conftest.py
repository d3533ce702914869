"""Shared fixtures of the test suite, its three tiers, and the guard that no test writes into the checkout.

Tiers (select with ``-m``): ``unit`` (in-process, no whole site built, no command run: quick),
``site`` (builds a whole site with MkDocs or runs the ``papercat`` command), ``browser``
(drives the built site in Chromium). A test is ``browser`` when it lives in tests/browser/,
``site`` when it is marked so or uses one of the fixtures in ``SITE_FIXTURES``, and ``unit``
otherwise.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
TIERS = ("unit", "site", "browser")
# Fixtures that build a whole site (or a project around one): a test using any of them is a site test.
SITE_FIXTURES = {
    "built_site", "built_once", "cli_project", "hostile", "published_site", "second_build", "bundled_docs",
}
# Tool caches the test run may keep in the checkout (all ignored by git); anything else is a leak.
_CACHES = {".git", ".venv", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "__pycache__", "node_modules"}
_OUTPUTS = ("build/", "site/")
_BEFORE = pytest.StashKey[dict[str, tuple[int, int]]]()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue (content/ + site_config/ + mkdocs.yml), built once per session.

    Returns the built site folder, in a temporary folder. Shared by tests/test_site_build.py and
    tests/browser/; treat it as read-only.
    """
    from site_fixtures import build_bundled_site

    return build_bundled_site(tmp_path_factory.mktemp("built") / "site")


def _imported_test_modules(path: Path) -> list[str]:
    """The test modules (``test_*``) that the file at ``path`` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [name for name in names if name.split(".")[0].startswith("test_")]
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Helpers shared between tests live in tests/site_fixtures.py, never in a test module.
    for path in sorted({item.path for item in items}):
        if imported := _imported_test_modules(path):
            raise pytest.UsageError(
                f"{path.name} imports from the test module(s) {', '.join(imported)}: move the shared helpers "
                "to tests/site_fixtures.py"
            )
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)
        elif marks & {"site", "slow"} or SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
        elif not marks & set(TIERS):
            item.add_marker(pytest.mark.unit)


def _checkout_files() -> dict[str, tuple[int, int]]:
    """``{path: (size, mtime)}`` of every file in the checkout outside the tool caches."""
    files: dict[str, tuple[int, int]] = {}
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _CACHES and not d.endswith(".egg-info")]
        for name in names:
            path = Path(folder, name)
            try:
                stat = path.lstat()
            except OSError:
                continue
            files[path.relative_to(ROOT).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _checkout_files()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    if before is None or session.config.option.collectonly:
        return
    after = _checkout_files()
    # A new file anywhere, or any change to the build and site folders a build would write. (Edits
    # to existing source files are left out: someone may be editing while the tests run.)
    changed = sorted(
        path
        for path in after.keys() | before.keys()
        if after.get(path) != before.get(path) and (path not in before or path.startswith(_OUTPUTS))
    )
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"tests wrote into the checkout ({len(changed)} file(s)): " + ", ".join(changed[:10])
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


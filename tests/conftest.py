"""Shared fixtures of the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue (content/ + site_config/ + mkdocs.yml), built once per session.

    Returns the built site folder. Shared by tests/test_site_build.py and tests/browser/;
    treat it as read-only.
    """
    from site_fixtures import build_bundled_site

    return build_bundled_site(tmp_path_factory.mktemp("built") / "site")

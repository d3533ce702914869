"""``site.yml``: settings of the catalogue pages, validated once at load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ConfigError, load_mapping

SITE_FILE = "site.yml"


@dataclass(frozen=True, slots=True)
class SiteSettings:
    description: str = "A catalogue of research papers, grouped by topic and by month."
    newest_papers: int = 12
    snippet_chars: int = 220
    papers_per_page: int = 100
    about: str = ""


_SCHEMA: dict[str, tuple[type, str]] = {
    "description": (str, "text: one sentence shown on the home page"),
    "newest_papers": (int, "a whole number from 1 to 100 (papers in 'Newest papers' on the home page)"),
    "snippet_chars": (int, "a whole number from 40 to 1000 (characters of abstract shown in listing rows)"),
    "papers_per_page": (int, "a whole number from 5 to 1000 (papers on one page of a topic, a month or the undated papers)"),
    "about": (str, "Markdown text for the About page"),
}
_RANGES = {"newest_papers": (1, 100), "snippet_chars": (40, 1000), "papers_per_page": (5, 1000)}


def load_settings(path: Path) -> SiteSettings:
    """The settings of ``path`` (a ``site.yml``); a missing or empty file gives the defaults."""
    data = load_mapping(path, "a mapping of settings")
    if data is None:
        return SiteSettings()
    label = str(path)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _SCHEMA:
            raise ConfigError(label, str(key), "one of " + ", ".join(_SCHEMA), key, hint="unknown setting", line=data.line(key))
        kind, expected = _SCHEMA[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(label, key, expected, value, line=data.line(key))
        if key in _RANGES and isinstance(value, int) and not _RANGES[key][0] <= value <= _RANGES[key][1]:
            raise ConfigError(label, key, expected, value, line=data.line(key))
        values[key] = value
    return SiteSettings(**values)

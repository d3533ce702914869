"""``content/sources.yml``: per-file metadata for listings (capture date, venue, URL, topic, format)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config import ConfigError, ConfigMap, as_date, load_mapping
from ..readers import READERS, SourceMeta
from ..readers.base import HTTP_URL

SOURCES_FILE = "sources.yml"
_KEYS = {
    "captured": "a date YYYY-MM-DD (the day the page was captured)",
    "venue": "text (venue of every paper in the file)",
    "url": "the URL the page was captured from",
    "topic": "text (the listing's topic, kept as a hint on each paper)",
    "format": f"one of {', '.join(r.name for r in READERS)}",
}


def load_sources(content_dir: Path) -> tuple[dict[str, SourceMeta], list[str]]:
    """Metadata per listing file name, and warnings (unknown keys, files that do not exist)."""
    path = content_dir / SOURCES_FILE
    data = load_mapping(path, "a mapping of file name to metadata")
    if data is None:
        return {}, []
    label = str(path)
    metas: dict[str, SourceMeta] = {}
    warnings: list[str] = []
    for name, entry in data.items():
        key = str(name)
        line = data.line(name)
        if entry is None:
            entry = ConfigMap()
        if not isinstance(entry, ConfigMap):
            raise ConfigError(label, key, "a mapping with keys " + ", ".join(_KEYS), found_text=type(entry).__name__, line=line)
        metas[key] = _meta(label, key, entry, warnings)
        listing = content_dir / key
        if listing.is_symlink() or not listing.is_file():
            warnings.append(f"{label}:{line}: {key}: no such file in {content_dir}")
    return metas, warnings


def _meta(label: str, name: str, entry: ConfigMap, warnings: list[str]) -> SourceMeta:
    for key in entry:
        if key not in _KEYS:
            warnings.append(f"{label}:{entry.line(key)}: {name}.{key}: unknown key (known: {', '.join(_KEYS)})")
    raw_captured = entry.get("captured")
    captured: dt.date | None = None
    if raw_captured is not None:
        captured = as_date(raw_captured)
        if captured is None:
            raise ConfigError(label, f"{name}.captured", _KEYS["captured"], raw_captured, line=entry.line("captured"))
    for key in ("venue", "url", "topic", "format"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(label, f"{name}.{key}", _KEYS[key], value, line=entry.line(key))
    url = entry.get("url")
    if url is not None and not HTTP_URL.match(url.strip()):
        warnings.append(f"{label}:{entry.line('url')}: {name}.url: {url!r} is not an http(s) address, so it is not linked")
        url = None
    fmt = entry.get("format")
    if fmt is not None and fmt not in {r.name for r in READERS}:
        raise ConfigError(label, f"{name}.format", _KEYS["format"], fmt, line=entry.line("format"))
    return SourceMeta(captured=captured, venue=entry.get("venue"), url=url.strip() if url else None, topic=entry.get("topic"), format=fmt)

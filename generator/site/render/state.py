"""What the previous build rendered, so the next one renders only what changed.

The state is one SQLite database under ``build/``. A row per rendered page holds the SHA-256 of
the page's Markdown, of the HTML it became, the HTML file's size and modification time in the
site, the key of the related papers put into it (``generator.site.fragments``), and the data
the page contributes to the rest of the site (search-index entries, anchors, links to anchors,
the files its links looked up, MkDocs' warnings). A ``meta`` row holds the
global key: hashes of ``mkdocs.yml``, of every file of the site configuration folder and of
papercat itself, the installed MkDocs and theme versions, the build options and the navigation.
When any of it differs, no row is used and the build says why in one line.

A page is reused only when its Markdown hash matches *and* the file in the current site still
holds exactly the HTML the row names (same size and modification time, or else the same
SHA-256), so a build killed at any moment — before, during or after the state is written —
can only make the next build render more, never give a different site. Every write is one
SQLite transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...fingerprint import VERSIONED, code_components, sha256, tree
from ...sqlite_cache import transaction

STATE_NAME = "render-state.sqlite3"
SCHEMA = 2
_VERSIONED = VERSIONED


NO_PLACE = "-"  # the page's HTML lost the marked place of its related papers: render it again when they change
_COLUMNS = ("uri", "source", "output", "dest", "size", "mtime_ns", "extras", "fragment")


def _reached(point: str) -> None:
    """A named point of the state writing; does nothing (tests stop the process here)."""


def global_components(mkdocs_file: Path, config_dir: Path, options: Mapping[str, Any]) -> dict[str, str]:
    """Everything the rendering of every page depends on, each named for the one-line reason."""
    components: dict[str, str] = {"state format": str(SCHEMA), **code_components()}
    components[mkdocs_file.name] = sha256(mkdocs_file.read_bytes()) if mkdocs_file.is_file() else "missing"
    components.update(tree(config_dir, config_dir.name))
    components["build options"] = json.dumps(dict(options), sort_keys=True, default=str)
    return components


def why_full(previous: Mapping[str, str] | None, current: Mapping[str, str]) -> str | None:
    """One line naming what makes every page stale, or None when nothing does."""
    if previous is None:
        return "no saved build state"
    for name, value in current.items():
        if name not in previous:
            return f"{name} was added"
        if previous[name] != value:
            if name in _VERSIONED.values() or name == "state format":
                return f"{name} {previous[name]} -> {value}"
            return f"{name} changed"
    for name in previous:
        if name not in current:
            return f"{name} was removed"
    return None


@dataclass(slots=True)
class PageRecord:
    source: str  # SHA-256 of the page's Markdown
    output: str  # SHA-256 of the HTML, or "" when MkDocs wrote no file
    dest: str
    size: int
    mtime_ns: int
    extras: str  # JSON: search entries, anchors, links to anchors, file lookups, warnings
    fragment: str = ""  # what the related papers in the HTML were made from; NO_PLACE: the HTML has no place for them


class RenderState:
    """The saved state of one site's rendering (``build/render-state.sqlite3``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(pages)"))
        if columns and columns != _COLUMNS:  # the state of an older papercat: not used (its meta says so), replaced
            conn.execute("DROP TABLE pages")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS pages (uri TEXT PRIMARY KEY, source TEXT NOT NULL, output TEXT NOT NULL,"
            " dest TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, extras TEXT NOT NULL,"
            " fragment TEXT NOT NULL)"
        )
        return conn

    def load(self) -> tuple[dict[str, str] | None, dict[str, PageRecord]]:
        """The saved global key and page rows; (None, {}) when there is no usable state."""
        if not self.path.is_file():
            return None, {}
        try:
            conn = self._connect()
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'global'").fetchone()
                if row is None:
                    return None, {}
                components = json.loads(row[0])
                pages = {
                    uri: PageRecord(source, output, dest, size, mtime_ns, extras, fragment)
                    for uri, source, output, dest, size, mtime_ns, extras, fragment in conn.execute(
                        f"SELECT {', '.join(_COLUMNS)} FROM pages"  # noqa: S608 - fixed column names
                    )
                }
            finally:
                conn.close()
        except (sqlite3.DatabaseError, ValueError):
            return None, {}  # unreadable state is no state: the build is a full one
        return components, pages

    def save(
        self,
        components: Mapping[str, str],
        changed: Mapping[str, PageRecord],
        removed: Iterable[str],
        *,
        replace_all: bool,
    ) -> None:
        """Write the new state in one transaction: all of it or, if the process dies, none of it."""
        try:
            conn = self._connect()
        except sqlite3.DatabaseError:  # not a database any more: load() ignored it, this build replaces it
            self.clear()
            conn = self._connect()
            replace_all = True
        try:
            with transaction(conn):
                _reached("begin")
                if replace_all:
                    conn.execute("DELETE FROM pages")
                conn.executemany("DELETE FROM pages WHERE uri = ?", ((uri,) for uri in removed))
                conn.executemany(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    ((uri, r.source, r.output, r.dest, r.size, r.mtime_ns, r.extras, r.fragment) for uri, r in changed.items()),
                )
                _reached("rows written")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('global', ?)", (json.dumps(dict(components)),))
                _reached("before commit")
        finally:
            conn.close()

    def clear(self) -> None:
        """Forget the state (``--clean``), so that a build killed now leaves none behind."""
        for suffix in ("", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

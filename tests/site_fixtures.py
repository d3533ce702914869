"""Helpers shared by the site tests: building the bundled site, crawling its links, hashing it.

The session fixture ``built_site`` (tests/conftest.py) builds the bundled catalogue once; the
build tests and the browser tests both use that one build.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
CONFIG = ROOT / "site_config"
TEMPLATES = CONFIG / "templates" / "pages"

# Counts of the bundled content (content/*.txt): what the home page must say.
BUNDLED_PAPERS = 484
BUNDLED_LISTINGS = 5


def build_bundled_site(site_dir: Path) -> Path:
    """Build the bundled catalogue with the project's own configuration into ``site_dir``."""
    from generator.site.build import Project, build_site

    # A build folder of its own: no earlier build's state (build/state.json) to compare with.
    report = build_site(Project.at(ROOT, site_dir=site_dir, build_dir=site_dir.parent / "build"))
    assert report.site_dir == site_dir.resolve()
    return report.site_dir


def tree_digest(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass(slots=True)
class Reference:
    page: str  # site-relative path of the HTML file, e.g. "papers/x/index.html"
    tag: str
    attr: str
    value: str
    rel: str = ""  # the rel attribute of a <link>


@dataclass(slots=True)
class ParsedPage:
    refs: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    """Every href/src/srcset/poster/data attribute and every id/name of one HTML page."""

    URL_ATTRS = {"href", "src", "poster", "data", "action", "srcset"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.result = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.result.ids.add(values[key])
        for key, value in values.items():
            if key not in self.URL_ATTRS or not value:
                continue
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if key == "srcset" else [value]
            for url in urls:
                self.result.refs.append(Reference(self.page, tag, key, url.strip(), values.get("rel", "")))

    handle_startendtag = handle_starttag


def parse_site(site: Path) -> dict[str, ParsedPage]:
    """Every HTML file of the built site, parsed: ``{relative path: ParsedPage}``."""
    pages: dict[str, ParsedPage] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        collector = _Collector(rel)
        collector.feed(path.read_text(encoding="utf-8"))
        collector.close()
        pages[rel] = collector.result
    return pages


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def resolve(page: str, url: str) -> tuple[str, str]:
    """The site-relative path a relative ``url`` on ``page`` points to, and its fragment.

    A URL without a path (``#x``) points to ``page`` itself; a directory URL (``topics/``)
    to the folder, which ``resolve_file`` turns into its ``index.html`` as a file server does.
    """
    parts = urlsplit(url)
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if parts.path.endswith("/"):
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    return target, parts.fragment


def resolve_file(site: Path, page: str, url: str) -> tuple[Path | None, str, str]:
    """``(existing file or None, site-relative target, fragment)`` for a relative URL on ``page``."""
    target, fragment = resolve(page, url)
    if target.startswith("../") or target == "..":
        return None, target, fragment
    path = site / target
    if path.is_dir():
        path = path / "index.html"
        target = posixpath.join(target, "index.html")
    return (path if path.is_file() else None), target, fragment

"""Where every page and file of the site lives: docs-relative paths, the URLs MkDocs gives them,
and relative links between them."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ..model import Paper

UNDATED = "undated"


def newest_months_first(months: Iterable[str]) -> list[str]:
    """``YYYY-MM`` months, newest first, then ``UNDATED`` when it is among them: the order of every month list."""
    present = set(months)
    return sorted(present - {UNDATED}, reverse=True) + ([UNDATED] if UNDATED in present else [])


def paper_path(paper: Paper) -> str:
    return f"papers/{paper.id}.md"


def topic_path(slug: str, page: int = 1) -> str:
    """A topic's page; its later pages are ``topics/<slug>/page/<n>/``."""
    return f"topics/{slug}.md" if page <= 1 else f"topics/{slug}/page/{page}.md"


def month_path(month: str, page: int = 1) -> str:
    """A month's page (or ``undated``); its later pages are ``months/<month>/page/<n>/``."""
    return f"months/{month}.md" if page <= 1 else f"months/{month}/page/{page}.md"


def rows_path(listing_path: str) -> str:
    """The compact data file of a paginated listing, next to its first page (``topics/llm/rows.json``)."""
    return listing_path.removesuffix(".md") + "/rows.json"


def page_url(path: str, *, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs-relative Markdown path (``papers/x.md`` → ``papers/x/``)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class Linker:
    """Relative links between pages, so the site works from any sub-path and from a plain file server."""

    def __init__(self, *, directory_urls: bool) -> None:
        self.directory_urls = directory_urls

    def __call__(self, from_path: str, to_path: str) -> str:
        source = page_url(from_path, directory_urls=self.directory_urls)
        # A Markdown page links to its URL; any other file (catalogue.bib, feeds/all.xml) to itself.
        target = page_url(to_path, directory_urls=self.directory_urls) if to_path.endswith(".md") else to_path
        base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
        if not self.directory_urls:
            base = posixpath.dirname(source) + "/" if "/" in source else ""
        rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        if target.endswith("/") and not rel.endswith("/"):
            rel += "/"
        if target == "" and self.directory_urls:
            rel = rel if rel.endswith("/") else rel + "/"
        return "./" if rel in (".", "./") else rel

"""Where every page and file of the site lives: docs-relative paths, the URLs MkDocs gives them,
and relative links between them."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ..model import Paper

UNDATED = "undated"
# The pages every build writes besides a page per paper, topic and month: the site's navigation.
SITE_PAGES = ("index.md", "about.md", "topics/index.md", "months/index.md", "search.md", "stats.md", "export.md")


def period_of(paper: Paper) -> str:
    """The month a paper is listed under: ``YYYY-MM``, ``YYYY`` when its listing gave only a year, or ``UNDATED``."""
    if paper.date is None:
        return UNDATED
    return paper.date[:4] if paper.date_precision == "year" else paper.date[:7]


def newest_months_first(months: Iterable[str]) -> list[str]:
    """``YYYY-MM`` months, newest first, each year's papers without a month (``YYYY``) after its months,
    then ``UNDATED`` when it is among them: the order of every month list."""
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


def choices_path(listing_path: str) -> str:
    """The years and topics a paginated listing's filter offers, for its later pages (``topics/llm/choices.json``)."""
    return listing_path.removesuffix(".md") + "/choices.json"


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
    """Relative links between pages, so the site works from any sub-path and from a plain file server.

    The folder a page links from is worked out once per page, and the relative path by comparing
    path segments (``posixpath.relpath`` would resolve both against the working directory on every link).
    """

    def __init__(self, *, directory_urls: bool) -> None:
        self.directory_urls = directory_urls
        self._bases: dict[str, tuple[str, list[str] | None]] = {}
        self._targets: dict[str, tuple[str, list[str] | None]] = {}

    def _base(self, from_path: str) -> tuple[str, list[str] | None]:
        """The folder ``from_path``'s links are relative to, and its segments (None: not a plain relative path)."""
        found = self._bases.get(from_path)
        if found is None:
            source = page_url(from_path, directory_urls=self.directory_urls)
            base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
            if not self.directory_urls:
                base = posixpath.dirname(source) + "/" if "/" in source else ""
            base = base.rstrip("/") or "."
            found = self._bases[from_path] = (base, _segments(base))
        return found

    def __call__(self, from_path: str, to_path: str) -> str:
        found = self._targets.get(to_path)
        if found is None:
            # A Markdown page links to its URL; any other file (catalogue.bib, feeds/all.xml) to itself.
            url = page_url(to_path, directory_urls=self.directory_urls) if to_path.endswith(".md") else to_path
            found = self._targets[to_path] = (url, _segments(url or "."))
        target, target_parts = found
        base, base_parts = self._base(from_path)
        if base_parts is None or target_parts is None:
            rel = posixpath.relpath(target or ".", base)
        else:
            common = 0
            for a, b in zip(target_parts, base_parts, strict=False):
                if a != b:
                    break
                common += 1
            rel = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
        if target.endswith("/") and not rel.endswith("/"):
            rel += "/"
        if target == "" and self.directory_urls:
            rel = rel if rel.endswith("/") else rel + "/"
        return "./" if rel in (".", "./") else rel


def _segments(path: str) -> list[str] | None:
    """The segments of a relative path without ``..``, normalised as ``posixpath.normpath`` does; None for any other path."""
    parts = path.split("/")
    if path.startswith("/") or ".." in parts:
        return None
    return [part for part in parts if part and part != "."]

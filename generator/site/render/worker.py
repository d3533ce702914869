"""Render a shard of pages with MkDocs' own machinery, in any process, from data alone.

A worker gets a :class:`SitePack` once — the MkDocs configuration and the site configuration
folder as bytes, the list of every file of the site, and the Markdown of the navigation pages —
and then shards of ``(src_uri, markdown)``. It loads the configuration exactly as the main
process does, rebuilds the same ``Files`` and navigation, and runs MkDocs' page steps
(``_populate_page`` and ``_build_page``: plugin events, Markdown, theme template) on each page.
What comes back is data: the page's HTML bytes, the search-index entries plugins collected for
it, its anchors and its links to anchors (for MkDocs' anchor validation), and the warnings
MkDocs logged while rendering it. Nothing is read from or written to a shared file system.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing.util
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

log = logging.getLogger("mkdocs.papercat.render")


@dataclass(frozen=True, slots=True)
class SiteFile:
    src_uri: str
    dest_uri: str
    inclusion: str  # an InclusionLevel name
    generated_by: str | None = None  # the plugin that made the file, as MkDocs records it


@dataclass(frozen=True, slots=True)
class SitePack:
    """Everything a worker needs to render pages exactly as the main process would."""

    config_files: dict[str, bytes]  # relative path -> bytes: mkdocs.yml and the folders it refers to
    config_name: str  # the MkDocs configuration's relative path among ``config_files``
    site_config: dict[str, bytes]  # relative path -> bytes: the site configuration folder (its theme overrides)
    timestamp: int  # the build date of the site's pages (seconds since the epoch, from the inputs)
    overrides: dict[str, Any]  # load_config keyword overrides (site_url, strict)
    source_date_epoch: str | None
    files: tuple[SiteFile, ...]
    nav_pages: dict[str, str]  # src_uri -> Markdown of the pages in the navigation

    @property
    def key(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.config_files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(self.config_files[name]).digest())
        for name in sorted(self.site_config):
            digest.update(b"site_config/" + name.encode() + b"\0" + hashlib.sha256(self.site_config[name]).digest())
        digest.update(repr((self.config_name, sorted(self.overrides.items()), self.source_date_epoch, self.timestamp)).encode())
        digest.update(repr(self.files).encode())
        digest.update(repr(sorted(self.nav_pages.items())).encode())
        return digest.hexdigest()


ShardItem = tuple[str, str, "str | None"]  # (src_uri, Markdown, the related papers' HTML to put into the page)


@dataclass(slots=True)
class RenderedPage:
    src_uri: str
    html: bytes | None  # None: MkDocs skipped the page (empty output)
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # plugin name -> its index entries
    anchors: list[str] = field(default_factory=list)
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)  # target src_uri -> anchor -> link
    lookups: dict[str, str | None] = field(default_factory=dict)  # paths its links looked up -> their dest_uri
    warnings: list[tuple[int, str]] = field(default_factory=list)


def search_lists(config: Any) -> dict[str, list[dict[str, Any]]]:
    """The lists search plugins collect page entries in (Material's and MkDocs' own search)."""
    lists: dict[str, list[dict[str, Any]]] = {}
    for name, plugin in config.plugins.items():
        index = getattr(plugin, "search_index", None)
        for attribute in ("entries", "_entries"):
            entries = getattr(index, attribute, None)
            if isinstance(entries, list):
                lists[name] = entries
                break
    return lists


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


@contextmanager
def _collect_warnings() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    previous = (logger.level, logger.propagate)
    others = list(logger.handlers)  # in the main process: its own handlers must not count these twice
    for other in others:
        logger.removeHandler(other)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        for other in others:
            logger.addHandler(other)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


class ShardRenderer:
    """One loaded configuration, theme and navigation; renders pages one after another."""

    def __init__(self, pack: SitePack) -> None:
        from mkdocs.commands.build import _populate_page
        from mkdocs.config import load_config
        from mkdocs.structure.files import Files
        from mkdocs.structure.nav import get_navigation

        self.key = pack.key
        self.root: Path | None = Path(tempfile.mkdtemp(prefix="papercat-render-"))
        # Removed when the process ends, also a pool process that ends without closing its renderer
        # (multiprocessing runs these finalizers at the exit of its processes; atexit does elsewhere).
        multiprocessing.util.Finalize(self, shutil.rmtree, args=(str(self.root),), kwargs={"ignore_errors": True}, exitpriority=10)
        if pack.source_date_epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = pack.source_date_epoch
        for folder, contents in (("project", pack.config_files), ("site_config", pack.site_config)):
            for name, data in contents.items():
                rel = PurePosixPath(name)
                if rel.is_absolute() or ".." in rel.parts:
                    raise ValueError(f"configuration file outside the pack: {name}")
                target = self.root.joinpath(folder, *rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        docs = self.root / "docs"
        docs.mkdir()
        self.site_dir = self.root / "site"
        self.site_dir.mkdir()
        with _collect_warnings() as setup:
            config = load_config(
                config_file=str(self.root / "project" / pack.config_name), docs_dir=str(docs), site_dir=str(self.site_dir),
                **pack.overrides,
            )
            from ...plugin import PapercatPlugin
            from ..build import PLUGIN_NAME

            plugin = config.plugins.get(PLUGIN_NAME)
            if not isinstance(plugin, PapercatPlugin):
                raise ValueError("the MkDocs configuration does not name the papercat plugin")
            plugin.render_only(config_dir=self.root / "site_config", timestamp=pack.timestamp)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            use_urls = config.use_directory_urls
            files = Files([_site_file(f, str(docs), str(self.site_dir), use_urls) for f in pack.files])
            env = config.theme.get_env()
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            for uri, markdown in pack.nav_pages.items():
                file = files.get_file_from_path(uri)
                if file is None or file.page is None:
                    raise ValueError(f"navigation page {uri} is not in the site's files")
                file.content_string = markdown
                _populate_page(file.page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
        self._attach(config, files, nav, env, setup.records)

    @classmethod
    def here(cls, config: Any, files: Any, nav: Any, env: Any) -> ShardRenderer:
        """A renderer of the build in this process: its own configuration, files and navigation, not a copy."""
        renderer = cls.__new__(cls)
        renderer.key, renderer.root = "", None
        renderer._attach(config, files, nav, env, [])
        return renderer

    def _attach(self, config: Any, files: Any, nav: Any, env: Any, setup_warnings: list[tuple[int, str]]) -> None:
        from mkdocs.structure.files import InclusionLevel

        self.setup_warnings = setup_warnings
        self.config, self.files, self.nav, self.env = config, files, nav, env
        from ..build import PLUGIN_NAME

        self.plugin = config.plugins.get(PLUGIN_NAME)
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.search = search_lists(config)
        # Record the files each page's links look up: if one appears, vanishes or moves, the page is stale.
        self.lookup = files.get_file_from_path
        self.lookups: dict[str, str | None] = {}
        self.site_dir = Path(config.site_dir)

        def recording_lookup(path: str) -> Any:
            found = self.lookup(path)
            self.lookups[path] = found.dest_uri if found is not None else None
            return found

        files.get_file_from_path = recording_lookup

    def render(self, src_uri: str, markdown: str, fragment: str | None = None) -> RenderedPage:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.pages import Page

        file = self.lookup(src_uri)
        if file is None:
            raise ValueError(f"{src_uri} is not in the site's files")
        file.content_string = markdown
        if fragment is not None and self.plugin is not None:  # put into the HTML by the plugin's on_post_page
            self.plugin.given_fragments[src_uri] = fragment
        page = Page(None, file, self.config)
        before = {name: len(entries) for name, entries in self.search.items()}
        self.lookups = {}
        with _collect_warnings() as collected:
            _populate_page(page, self.config, self.files)
            _build_page(page, self.config, self.doc_files, self.nav, self.env)
        scratch = Path(file.abs_dest_path)  # inside this worker's scratch folder, read back at once
        html = scratch.read_bytes() if scratch.exists() else None
        if html is not None:
            scratch.unlink()
        rendered = RenderedPage(
            src_uri,
            html,
            search={name: entries[before[name]:] for name, entries in self.search.items() if len(entries) > before[name]},
            anchors=sorted(page.present_anchor_ids or ()),
            links_to_anchors={target.src_uri: dict(links) for target, links in (page.links_to_anchors or {}).items()},
            lookups=self.lookups,
            warnings=[*self.setup_warnings, *collected.records],
        )
        self.setup_warnings = []
        for entries in self.search.values():
            entries.clear()
        # Free what the page holds: a worker renders thousands of pages one after another.
        page.markdown = page.content = None
        page.toc = []  # type: ignore[assignment]
        file.content_string = ""
        if self.root is not None:  # in this process the build still needs the page (anchors, links)
            file.page = None
        return rendered

    def close(self) -> None:
        if self.root is None:
            self.files.get_file_from_path = self.lookup
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def _site_file(f: SiteFile, docs: str, site: str, use_urls: bool) -> Any:
    from mkdocs.structure.files import File, InclusionLevel

    file = File(f.src_uri, docs, site, use_urls, dest_uri=f.dest_uri, inclusion=InclusionLevel[f.inclusion])
    file.generated_by = f.generated_by
    return file


_RENDERERS: dict[str, ShardRenderer] = {}


def renderer_for(pack: SitePack) -> ShardRenderer:
    """The renderer of this pack in this process, made once and kept (a process serves one build at a time)."""
    key = pack.key
    renderer = _RENDERERS.get(key)
    if renderer is None:
        for old in _RENDERERS.values():
            old.close()
        _RENDERERS.clear()
        renderer = _RENDERERS[key] = ShardRenderer(pack)
    return renderer


def render_shard(pack: SitePack, shard: Sequence[ShardItem]) -> list[RenderedPage]:
    """Render ``(src_uri, markdown)`` pages; the unit of work sent to a process or a cluster worker."""
    renderer = renderer_for(pack)
    return [renderer.render(uri, markdown, fragment) for uri, markdown, fragment in shard]


def render_here(context: tuple[Any, Any, Any, Any], pages: Iterable[ShardItem]) -> Iterator[RenderedPage]:
    """Render pages one by one in this process, with its build's ``(config, files, nav, env)``."""
    renderer = ShardRenderer.here(*context)
    try:
        for uri, markdown, fragment in pages:
            yield renderer.render(uri, markdown, fragment)
    finally:
        renderer.close()


_LOCAL_PACK: SitePack | None = None


def init_local(pack: SitePack) -> None:
    """Process-pool initializer: the pack arrives once per process, not once per shard."""
    global _LOCAL_PACK
    _LOCAL_PACK = pack


def render_local_shard(shard: Sequence[ShardItem]) -> list[RenderedPage]:
    assert _LOCAL_PACK is not None, "init_local was not called in this process"
    return render_shard(_LOCAL_PACK, shard)

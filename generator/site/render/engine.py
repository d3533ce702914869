"""MkDocs' build, with the bulk of the pages rendered in shards, reused from the last build when unchanged.

This is the sequence of ``mkdocs.commands.build.build`` — the same plugin events in the same
order, the same static files and theme templates, the same anchor validation and strict-mode
abort — with one difference: the documentation pages that are not in the navigation (the
paper, topic and month pages: nearly all of a catalogue) are rendered by
:mod:`.worker` in other processes or on a Dask cluster, or taken unchanged from the previous
site when their Markdown and everything global are the same as when they were rendered.
The pages in the navigation are few and rendered here, as MkDocs does.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...fingerprint import sha256
from ...parallel import ForkedCall, ForkedProcessDied, interrupts_ignored, start_worker
from ..fragments import Fragments, has_place, splice
from ..page_cache import TEMPLATES_CACHE, compiled_templates
from . import state as state_module
from .state import NO_PLACE, PageRecord, RenderState, global_components, why_full
from .worker import RenderedPage, ShardItem, SiteFile, SitePack, search_lists

if TYPE_CHECKING:
    from ..spool import SpoolView

log = logging.getLogger("mkdocs.papercat.render")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    jobs: int = 1  # processes rendering pages (1: in this process)
    cluster: str | None = None  # a Dask scheduler address: render the shards there
    clean: bool = False  # ignore the saved state and render every page
    state_dir: Path | None = None  # where the state lives; None: no incremental state
    pages_per_process: int = 250  # fewer pages than this per process are not worth starting one for (it takes seconds)


@dataclass(slots=True)
class RenderReport:
    """What the build did with the pages: the summary line and the reason for a full build."""

    written: int = 0  # pages rendered in this build
    reused: int = 0  # pages taken from the previous site (``updated`` of them with new related papers)
    updated: int = 0  # reused pages whose related papers changed: the new list put into their HTML
    removed: int = 0  # pages of the previous build that are gone
    full_reason: str | None = None  # why every page was rendered, or None for an incremental build
    workers: str = "this process"
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        updated = f" ({self.updated} with new related papers)" if self.updated else ""
        return (
            f"pages: {self.written} written, {self.reused} reused{updated}, {self.removed} removed "
            f"(rendered in {self.workers})"
        )


def _folder_files(folder: Path) -> dict[str, bytes]:
    """The files of a folder by their path inside it (none when it does not exist)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    }


def _config_files(config: Any) -> tuple[dict[str, bytes], str]:
    """mkdocs.yml and the theme folder, hooks and inherited file it names.

    By path relative to mkdocs.yml's folder, so a worker lays them out the same way.
    """
    config_file = Path(config.config_file_path).resolve()
    base = config_file.parent
    files = {config_file.name: config_file.read_bytes()}
    extra: list[Path] = []
    custom_dir = config.theme.custom_dir
    if custom_dir:
        extra += [p for p in sorted(Path(custom_dir).rglob("*")) if p.is_file()]
    # Hooks and INHERIT are named relative to mkdocs.yml, as MkDocs reads them.
    for hook in (config.get("hooks") or {}).keys() if isinstance(config.get("hooks"), dict) else ():
        extra.append(base / hook)
    inherit = config.get("INHERIT")
    if inherit:
        extra.append(base / inherit)
    for path in extra:
        path = path.resolve()
        if not path.is_relative_to(base):
            from ...errors import ConfigError

            raise ConfigError(
                str(config_file), "(theme, hooks, INHERIT)", "files inside the folder of mkdocs.yml",
                f"{path} is outside {base}",
            )
        files[path.relative_to(base).as_posix()] = path.read_bytes()
    return files, config_file.name


def _nav_fingerprint(nav: Any) -> str:
    def item(node: Any) -> Any:
        children = getattr(node, "children", None) or []
        return [type(node).__name__, node.title, getattr(node, "url", None), [item(c) for c in children]]

    return sha256(json.dumps([item(n) for n in nav.items], default=str).encode())


def _build_date(config: Any) -> str | None:
    from ..build import PLUGIN_NAME

    date = getattr(config.plugins.get(PLUGIN_NAME), "build_date", None)
    return date.strftime("%Y-%m-%d") if date is not None else None


def _build_timestamp(config: Any) -> int:
    """The build date the papercat plugin gives the pages (from the inputs, set in its ``on_files``)."""
    from ..build import PLUGIN_NAME

    timestamp = getattr(config.plugins.get(PLUGIN_NAME), "timestamp", None)
    if not isinstance(timestamp, int):
        from ...errors import PapercatError

        raise PapercatError("the papercat plugin generated no pages, so there is nothing to render")
    return timestamp


_DATE_NAMES = ("build_date_utc", "update_date")


def _theme_shows_build_date(config: Any) -> bool:
    """Whether a page template may print the build date (then a new date makes every page stale).

    The templates rendered once per build anyway (the sitemap) do not count.
    """
    once = set(config.theme.static_templates)
    for folder in config.theme.dirs:
        for path in Path(folder).rglob("*"):
            if path.suffix in (".html", ".xml", ".j2", ".jinja") and path.name not in once and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if any(name in text for name in _DATE_NAMES):
                    return True
    return False


def _shards(uris: Sequence[str], parts: int) -> list[list[str]]:
    size = max(1, min(400, -(-len(uris) // max(1, parts))))
    return [list(uris[i : i + size]) for i in range(0, len(uris), size)]


def _render_processes(options: RenderOptions, pages: int) -> int:
    """How many processes render ``pages`` pages (1: this one), without a cluster."""
    return max(1, min(options.jobs, pages // max(1, options.pages_per_process)))


def _index_beside(config: Any, options: RenderOptions, pages: int) -> None:
    """Have the search index written beside MkDocs when MkDocs renders in this process only (see ``start_search``)."""
    from ..build import PLUGIN_NAME

    plugin = config.plugins.get(PLUGIN_NAME)
    if options.jobs > 1 and not options.cluster and _render_processes(options, pages) == 1 and hasattr(plugin, "start_search"):
        plugin.start_search(config)


FORK_RENDER_AT = 40  # pages rendered in this process from which a forked copy of it renders half


def _render_list(here: tuple[Any, Any, Any, Any], uris: Sequence[str], read: Callable[[str], ShardItem]) -> list[RenderedPage]:
    from .worker import render_here

    return list(render_here(here, (read(uri) for uri in uris)))


def _render_all(
    pack: SitePack, uris: Sequence[str], read: Callable[[str], ShardItem], options: RenderOptions, report: RenderReport,
    here: tuple[Any, Any, Any, Any],
) -> Iterator[RenderedPage]:
    """Rendered pages in any order: in this process, in a process pool, or on a Dask cluster.

    A shard's Markdown is read only when the shard is sent, and only a few shards per process
    are in flight, so memory does not grow with the catalogue.
    """
    from .worker import init_local, render_here, render_local_shard

    if not uris:
        return
    if options.cluster:
        from .cluster import render_on_cluster

        report.workers = f"Dask cluster {options.cluster}"
        yield from render_on_cluster(options.cluster, pack, uris, read, _shards)
        return
    jobs = _render_processes(options, len(uris))
    if jobs == 1:
        # A daily build's few pages: with a second core, a forked copy of this process renders half of them.
        half = len(uris) // 2 if options.jobs > 1 and len(uris) >= FORK_RENDER_AT else 0
        call = ForkedCall.start(_render_list, here, uris[len(uris) - half :], read) if half else None
        report.workers = "this process and a forked one" if call is not None else "this process"
        mine = uris[: len(uris) - half] if call is not None else uris
        yield from render_here(here, (read(uri) for uri in mine))
        if call is not None:
            try:
                rendered: list[RenderedPage] = call.result()
            except Exception:  # noqa: BLE001 - died, or failed: rendered here, where a failure is reported as usual
                report.workers = "this process"
                rendered = list(render_here(here, (read(uri) for uri in uris[len(uris) - half :])))
            yield from rendered
        return
    import concurrent.futures as cf
    import multiprocessing

    report.workers = f"{jobs} processes"
    shards = iter(_shards(uris, jobs * 8))
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=start_worker, initargs=(init_local, pack)) as pool:
        pending: set[cf.Future[list[RenderedPage]]] = set()

        def submit() -> None:
            shard = next(shards, None)
            if shard is not None:
                pending.add(pool.submit(render_local_shard, [read(uri) for uri in shard]))

        with interrupts_ignored():  # the processes start with the first tasks: deaf to Ctrl-C, the build's to handle
            for _ in range(jobs * 2):
                submit()
        while pending:
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                submit()
                yield from future.result()


def _fragments(config: Any) -> Fragments:
    """The related papers of this build's pages, from the papercat plugin (none without it)."""
    from ..build import PLUGIN_NAME

    plugin = config.plugins.get(PLUGIN_NAME)
    prepared = getattr(plugin, "prepared", None)
    found = getattr(prepared, "fragments", None)
    return found if isinstance(found, Fragments) else Fragments.empty()


def _spooled(config: Any) -> SpoolView[str] | None:
    """The pages the papercat plugin spooled (None without it)."""
    from ..build import PLUGIN_NAME
    from ..spool import SpoolView

    pages = getattr(getattr(config.plugins.get(PLUGIN_NAME), "prepared", None), "pages", None)
    return pages if isinstance(pages, SpoolView) else None


def _materialise(config: Any, uris: Iterable[str]) -> None:
    """Write the spooled pages of ``uris`` that were left unwritten until read (``Spool.put_kept``)."""
    spooled = _spooled(config)
    if spooled is not None:
        spooled.materialise(uris)


def _known_digests(config: Any) -> Callable[[Any], str | None]:
    """The SHA-256 of each page the papercat plugin spooled, known without reading the page again.

    None for any other file, and for a spooled page another plugin has given new content.
    """
    spooled = _spooled(config)
    if spooled is None:
        return lambda file: None

    def digest(file: Any) -> str | None:
        uri = file.src_uri
        return spooled.digest(uri) if uri in spooled and file.abs_src_path == spooled.file(uri) else None

    return digest


@contextmanager
def _build_date_once() -> Iterator[None]:
    """MkDocs' build date, read once for the pages made meanwhile instead of from the environment for each."""
    import mkdocs.structure.pages as pages_module

    real = getattr(pages_module, "get_build_date")  # noqa: B009 - imported there from mkdocs.utils, not exported
    date = real()
    setattr(pages_module, "get_build_date", lambda: date)  # noqa: B010 - as above
    try:
        yield
    finally:
        setattr(pages_module, "get_build_date", real)  # noqa: B010 - as above


def _reusable(record: PageRecord | None, source: str, previous: str, files: Any) -> dict[str, Any] | None:
    """What the previous build noted of this page (``_write_rendered``'s extras), if the previous site still
    holds exactly its HTML, made from the same Markdown; None if not."""
    if record is None or record.source != source:
        return None
    extras: dict[str, Any] = json.loads(record.extras)
    for path, dest in extras.get("lookups", {}).items():  # a link target that appeared, vanished or moved
        found = files.get_file_from_path(path)
        if (found.dest_uri if found is not None else None) != dest:
            return None
    if not record.output:
        return extras
    try:
        stat = os.stat(f"{previous}/{record.dest}")  # noqa: PTH116 - a path as text, for every page
    except OSError:
        return None
    if stat.st_size != record.size:
        return None
    if stat.st_mtime_ns == record.mtime_ns:
        return extras
    with open(f"{previous}/{record.dest}", "rb") as file:  # noqa: PTH123 - as above
        return extras if sha256(file.read()) == record.output else None


def links_are_safe(config: Any) -> bool:
    """Whether a reused page may be a hard link to the previous site's file instead of a copy.

    A link shares the file with the previous site, which stays in place until the new one is
    swapped in (and is put back if the build fails). That is safe only while nothing writes
    into a reused page: MkDocs never does, nor do papercat's own handlers, which write new files.
    A plugin or hook of the project's own that handles ``on_post_build`` may rewrite the site's
    pages in place (a minifier does), so then every reused page is copied.
    """
    from ...plugin import PapercatPlugin

    handlers = config.plugins.events.get("post_build", [])
    return all(isinstance(getattr(handler, "__self__", None), PapercatPlugin) for handler in handlers)


def _place(source: str, target: str, link: bool, folders: set[str]) -> None:
    """Put a reused page into the new site: linked where ``links_are_safe``, else copied.

    ``folders``: the site's folders made so far (a hundred thousand pages, each in its own folder,
    make this a loop of system calls: one to make the folder, one to link the page).
    """
    folder = target.rpartition("/")[0]
    if folder not in folders:
        try:
            os.mkdir(folder)  # noqa: PTH102 - a path as text: no Path object for each of 100,000 pages
        except FileExistsError:
            pass
        except FileNotFoundError:
            Path(folder).mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    if link:
        try:
            os.link(source, target)
            return
        except FileExistsError:  # placed already by a process that died before it said so
            Path(target).unlink()
            _place(source, target, link, folders)
            return
        except OSError:  # a file system without hard links, or the two folders on different ones
            pass
    shutil.copy2(source, target)  # keeps the modification time the state recorded


def _write_rendered(
    pages: Iterable[RenderedPage], files: Any, fragments: Fragments, sources: dict[str, str], extras: dict[str, Any],
    records: dict[str, PageRecord], step: Callable[[int], None],
) -> int:
    """Write the rendered pages into the site; note each one's state (``records``) and what the build needs of it."""
    from mkdocs import utils

    count = 0
    for page in pages:
        file = files.get_file_from_path(page.src_uri)
        assert file is not None
        for level, message in page.warnings:
            log.log(level, message)
        output, size, mtime = "", 0, 0
        if page.html is not None:
            utils.write_file(page.html, file.abs_dest_path)
            stat = Path(file.abs_dest_path).stat()
            output, size, mtime = sha256(page.html), stat.st_size, stat.st_mtime_ns
        else:
            log.info(f"Page skipped: '{file.src_uri}'. Generated empty output.")
        data = {
            "search": page.search, "anchors": page.anchors, "links": page.links_to_anchors,
            "lookups": page.lookups, "warnings": page.warnings,
        }
        extras[page.src_uri] = data
        if not page.warnings:
            key = fragments.key(page.src_uri)
            if key and (page.html is None or not has_place(page.html)):
                key = NO_PLACE
            records[page.src_uri] = PageRecord(
                sources[page.src_uri], output, file.dest_uri, size, mtime, json.dumps(data, separators=(",", ":")), key
            )
        count += 1
        step(1)
    return count


Patch = tuple[str, PageRecord, str, str]  # a reused page with new related papers: uri, record, their HTML, its key


def _place_all(
    pages: list[tuple[str, PageRecord]], patches: list[Patch], previous: str, site: str, link: bool
) -> dict[str, PageRecord]:
    """Put the unchanged pages into the new site (``_place``), and the ``patches``: each page of the previous site
    with its new related papers put in (``splice``). The state of the pages whose file now differs."""
    from ..writer import put_file

    folders: set[str] = set()
    moved: dict[str, PageRecord] = {}
    for uri, record in pages:
        target = f"{site}/{record.dest}"
        _place(f"{previous}/{record.dest}", target, link, folders)
        stat = os.stat(target)  # noqa: PTH116 - as in _place
        if stat.st_mtime_ns != record.mtime_ns:  # verified by its hash: remember the file as it is now
            moved[uri] = dataclasses.replace(record, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    for uri, record, fragment, key in patches:
        target = f"{site}/{record.dest}"
        with open(f"{previous}/{record.dest}", "rb") as file:  # noqa: PTH123 - as in _place
            html = splice(file.read(), fragment)
        folder = target.rpartition("/")[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103 - as in _place
            folders.add(folder)
        put_file(target, html)
        stat = os.stat(target)  # noqa: PTH116 - as in _place
        moved[uri] = PageRecord(record.source, sha256(html), record.dest, stat.st_size, stat.st_mtime_ns, record.extras, key)
    return moved


PLACE_FORK_AT = 2000  # unchanged pages from which a forked process puts them into the new site


class _Placing:
    """The unchanged pages being put into the new site (``_place_all``), in a forked process where that pays.

    Ten thousand pages are ten thousand folders made and as many links: seconds of system calls,
    which a forked process makes while this one renders the pages that changed (each writes its
    own files: a folder both make is made once). Where no process is forked, or the forked one
    dies, ``wait`` places them here.
    """

    def __init__(
        self, pages: list[tuple[str, PageRecord]], patches: list[Patch], previous: str, site: str, link: bool, *, fork: bool
    ) -> None:
        self.args = (pages, patches, previous, site, link)
        self.call = ForkedCall.start(_place_all, *self.args) if fork and len(pages) + len(patches) >= PLACE_FORK_AT else None

    def wait(self) -> dict[str, PageRecord]:
        """The state of the placed pages whose file now differs (see ``_place_all``)."""
        if self.call is not None:
            call, self.call = self.call, None
            try:
                moved: dict[str, PageRecord] = call.result()
                return moved
            except ForkedProcessDied:
                pass
        return _place_all(*self.args)

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancel()
            self.call = None


def build_pages(
    config: Any,
    options: RenderOptions,
    *,
    previous_site: Path | None,
    config_dir: Path,
    on_message: Callable[[str], None] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> tuple[RenderReport, Callable[[], None]]:
    """Build the site into ``config.site_dir`` as ``mkdocs build`` would.

    Returns the report and a function that saves the new state: call it once the new site is in
    place (the state names files of the site it describes).
    """
    from mkdocs import utils
    from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    report = RenderReport()
    say = on_message or (lambda message: None)
    step = on_page or (lambda count: None)  # one step per page, rendered or reused
    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    inclusion = InclusionLevel.is_included
    state = RenderState(options.state_dir / "render-state.sqlite3") if options.state_dir is not None else None
    placing: _Placing | None = None
    try:
        start = time.perf_counter()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        if options.state_dir is not None:
            env.bytecode_cache = compiled_templates(options.state_dir / TEMPLATES_CACHE)
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        with _build_date_once():
            nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        doc_files = files.documentation_pages(inclusion=inclusion)
        in_nav = {page.file.src_uri for page in nav.pages}
        with _build_date_once():
            for file in doc_files:
                if file.page is None:
                    Page(None, file, config)
        nav_markdown: dict[str, str] = {}
        build_date = _build_date(config)
        _materialise(config, in_nav)
        for file in doc_files:
            if file.src_uri in in_nav:
                nav_markdown[file.src_uri] = file.content_string
                _populate_page(file.page, config, files)
            elif build_date is not None:  # what the plugin's on_pre_page gives it: the sitemap shows it
                file.page.update_date = build_date

        # What every page depends on; a difference from the saved state makes this a full build.
        timestamp = _build_timestamp(config)
        options_key: dict[str, Any] = {
            "site_url": config.site_url, "use_directory_urls": config.use_directory_urls,
            "navigation": _nav_fingerprint(nav),
        }
        if _theme_shows_build_date(config):
            options_key["build date"] = timestamp
        components = global_components(Path(config.config_file_path), config_dir, options_key)
        saved, records = state.load() if state is not None and not options.clean else (None, {})
        report.full_reason = (
            "--clean" if options.clean else
            "no build state kept" if state is None else
            why_full(saved, components)
        )
        previous = previous_site if previous_site is not None and previous_site.is_dir() else None
        previous_path = previous.as_posix() if previous is not None else ""
        if report.full_reason is None and previous is None and records:
            report.full_reason = "no previous site to take the pages from"  # a new --site-dir, or site/ deleted
        if report.full_reason is not None:
            records = {}

        fragments = _fragments(config)
        to_render: list[str] = []
        reused: dict[str, PageRecord] = {}
        extras: dict[str, Any] = {}  # what each page's rendering noted: search entries, anchors, links, warnings
        patch: set[str] = set()  # reused pages whose related papers are put in anew
        sources: dict[str, str] = {}
        digest_of = _known_digests(config)
        for file in doc_files:
            if file.src_uri in in_nav:
                continue
            source = sources[file.src_uri] = digest_of(file) or sha256(file.content_bytes)
            record = records.get(file.src_uri)
            key = fragments.key(file.src_uri)
            noted = _reusable(record, source, previous_path, files) if previous is not None else None
            if noted is not None:
                assert record is not None
                extras[file.src_uri] = noted
                if record.fragment == key:
                    reused[file.src_uri] = record
                elif key and record.fragment not in ("", NO_PLACE) and record.output:
                    reused[file.src_uri] = record
                    patch.add(file.src_uri)
                else:
                    to_render.append(file.src_uri)
            else:
                to_render.append(file.src_uri)
        _materialise(config, to_render)  # the pages about to be read: the others are never written
        _index_beside(config, options, len(to_render))
        site_dir = Path(config.site_dir)
        unchanged = [(uri, record) for uri, record in reused.items() if record.output and uri not in patch]
        patches = [(uri, reused[uri], fragments.html(uri) or "", fragments.key(uri)) for uri in sorted(patch)]
        report.updated = len(patches)
        placing = _Placing(
            unchanged, patches, (previous or site_dir).as_posix(), site_dir.as_posix(), links_are_safe(config),
            fork=options.jobs > 1,
        )
        report.removed = sum(1 for uri in records if uri not in sources)
        report.reused = len(reused)
        report.seconds["plan"] = time.perf_counter() - start

        config_files, config_name = _config_files(config)
        pack = SitePack(
            config_files=config_files,
            config_name=config_name,
            site_config=_folder_files(config_dir),
            timestamp=timestamp,
            overrides={"site_url": config.site_url or None, "strict": bool(config.strict)},
            source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
            files=tuple(SiteFile(f.src_uri, f.dest_uri, f.inclusion.name, f.generated_by) for f in files),
            nav_pages=nav_markdown,
        )
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=inclusion)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        # Pages rendered elsewhere: their HTML goes straight to the site, the rest is kept for below.
        new_records: dict[str, PageRecord] = {}
        render_start = time.perf_counter()

        def read(uri: str) -> ShardItem:
            found = files.get_file_from_path(uri)
            assert found is not None
            text: str = found.content_string
            return uri, text, fragments.html(uri)

        rendered_count = _write_rendered(
            _render_all(pack, to_render, read, options, report, (config, files, nav, env)), files, fragments,
            sources, extras, new_records, step,
        )
        report.written = rendered_count + len(in_nav)
        report.seconds["render"] = time.perf_counter() - render_start
        new_records.update(placing.wait())
        for uri in reused:
            for level, message in extras[uri].get("warnings", []):
                log.log(level, message)
            step(1)

        # The navigation pages, in MkDocs' order; the search index gets every page's entries in that order.
        lists = search_lists(config)
        ordered: dict[str, list[dict[str, Any]]] = {name: [] for name in lists}
        for file in doc_files:
            if file.src_uri in in_nav:
                before = {name: len(entries) for name, entries in lists.items()}
                _build_page(file.page, config, doc_files, nav, env)
                step(1)
                for name, entries in lists.items():
                    ordered[name].extend(entries[before[name]:])
            else:
                data = extras[file.src_uri]
                for name, entries in data.get("search", {}).items():
                    if name in ordered:
                        ordered[name].extend(entries)
                file.page.present_anchor_ids = set(data.get("anchors", ()))
                links = {}
                for target_uri, anchors in data.get("links", {}).items():
                    target = files.get_file_from_path(target_uri)
                    if target is not None:
                        links[target] = anchors
                file.page.links_to_anchors = links
        for name, entries in lists.items():
            entries[:] = ordered[name]
        del extras

        log_level = config.validation.links.anchors
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=log_level)

        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        say(report.summary())
    except Exception as e:
        if placing is not None:
            placing.cancel()
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(warning_counter)

    removed = [uri for uri in records if uri not in sources]
    replace_all = report.full_reason is not None

    def save() -> None:
        if state is None:
            return
        state_module._reached("site in place")
        state.save(components, new_records, removed, replace_all=replace_all)
        state_module._reached("saved")

    return report, save


def page_count(report: RenderReport) -> int:
    return report.written + report.reused


__all__ = ["RenderOptions", "RenderReport", "build_pages"]

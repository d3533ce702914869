"""The site pipeline: ingest → classify → related → site model → pages → exports, then MkDocs.

``prepare`` runs every stage before MkDocs and returns one immutable ``Prepared`` result; each
stage gets the complete result of the one before and is never patched afterwards. The MkDocs
plugin (``generator.plugin``) calls ``prepare`` inside MkDocs' events, so ``mkdocs build``,
``mkdocs serve`` and ``mkdocs gh-deploy`` build the same site. ``build_site`` is what
``papercat build`` adds around MkDocs: the build goes to a staging folder next to the site
folder and is swapped in only when it succeeded, so a failed build leaves the previous site
as it was.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import errno
import io
import logging
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..defaults import ConfigFolders, outside_links
from ..errors import ConfigError, PapercatError
from ..fingerprint import code_components
from ..ingest import IngestResult, ingest_content
from ..ingest.catalogue import ensure_build_dir, require_folder
from ..ingest.paper_ids import IDS_FILE, write_ids
from ..ingest.parse_cache import CACHE_NAME as LISTINGS_CACHE
from ..ingest.parse_cache import ParseCache
from ..parallel import release_memory
from ..progress import Progress
from ..similarity import PaperTerms
from ..topics import Override, Taxonomy, TaxonomyError, TopicAssignment, classify, load_overrides, load_taxonomy
from ..topics.taxonomy import unknown_override_ids
from .changes import BuildChanges, changes_since_last_build
from .cite import citation_keys
from .fragments import Fragments
from .output import (
    OutputFolders,
    build_lock,
    check_output_folders,
    fault_point,
    is_owned,
    new_staging,
    own_build_folder,
    recover,
    swap_in,
)
from .page_cache import CACHE_NAME as PAGES_CACHE
from .page_cache import TEMPLATES_CACHE, PageCache, PaperKeys, compiled_templates, global_key
from .pages import PageRenderer
from .related import start_related_papers
from .search_cache import CACHE_NAME as SEARCH_CACHE
from .search_cache import SearchCache
from .settings import SiteSettings, load_settings
from .spool import Spool, SpoolView, remove_stale
from .urls import paper_path
from .view import SiteModel
from .writer import check_site_paths

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from ..plugin import PapercatPlugin
    from .render import RenderOptions, RenderReport

PLUGIN_NAME = "papercat"


@dataclass(frozen=True, slots=True)
class Project:
    """Where a catalogue's inputs and outputs live.

    ``content_dir``, ``config_dir``, ``build_dir`` and ``site_dir`` are overrides: when None, the
    MkDocs configuration decides (``docs_dir``, the plugin's ``config_dir`` and ``build_dir``, ``site_dir``).
    """

    root: Path
    mkdocs_file: Path
    content_dir: Path | None = None
    config_dir: Path | None = None
    site_dir: Path | None = None
    build_dir: Path | None = None

    @classmethod
    def at(
        cls,
        root: Path,
        *,
        content: Path | None = None,
        config: Path | None = None,
        mkdocs_file: Path | None = None,
        site_dir: Path | None = None,
        build_dir: Path | None = None,
    ) -> Project:
        root = root.resolve()

        def under(path: Path | None) -> Path | None:
            return None if path is None else (root / path).resolve()

        return cls(
            root, (root / (mkdocs_file or "mkdocs.yml")).resolve(), under(content), under(config), under(site_dir),
            under(build_dir),
        )


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Every configuration file the pages depend on, read and validated once."""

    folders: ConfigFolders
    settings: SiteSettings
    taxonomy: Taxonomy
    overrides: Mapping[str, Override]

    @classmethod
    def load(cls, config_dir: Path) -> SiteConfig:
        """A project's ``site_config/`` over the bundled defaults; a mistake is a ``PapercatError``."""
        folders = ConfigFolders(config_dir)
        if config_dir.exists() and not config_dir.is_dir():
            raise ConfigError(str(config_dir), "(folder)", "a folder of site settings", "a file")
        if links := outside_links(config_dir):  # never followed: it could publish any file of the machine
            link = links[0]
            raise ConfigError(
                str(link), "(symbolic link)", f"a file or folder inside {config_dir}", f"a link to {link.readlink()}",
                hint="copy the file into the configuration folder instead of linking to it",
            )
        settings = load_settings(folders.file("site.yml"))
        taxonomy, overrides = load_topic_config(folders)
        if not folders.template_dirs():
            raise ConfigError(str(folders.file("templates/pages")), "(folder)", "the page templates folder", "no such folder")
        return cls(folders, settings, taxonomy, overrides)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything before MkDocs, one complete result per stage."""

    ingest: IngestResult
    assignments: Mapping[str, TopicAssignment]
    related: Mapping[str, list[str]]
    model: SiteModel
    pages: Mapping[str, str]  # docs-relative Markdown path -> page text (read from the build's spool, see spool.py)
    exports: Mapping[str, str | bytes]  # downloads/ (BibTeX, JSON, gzip), feeds, rows of the listing filters (spooled too)
    assets: Mapping[str, Path]  # site path -> file (the project's own, else the bundled one)
    timestamp: int  # seconds since the epoch, from the inputs: the build date MkDocs is given
    seconds: Mapping[str, float] = field(default_factory=dict)
    changes: BuildChanges | None = None  # against the last build's state, when there is a build folder
    fragments: Fragments = field(default_factory=Fragments.empty)  # the related papers, put into the rendered pages

    @property
    def build_date(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.timestamp, dt.UTC)


TOPICS_CACHE = "topic-cache.sqlite3"


@dataclass(frozen=True, slots=True)
class BuildCaches:
    """What ``papercat build`` keeps in ``build/`` to redo less next time; each keyed by everything its result depends on."""

    listings: ParseCache  # the reading of each listing file
    topics: PageCache  # the keyword topics of each paper
    pages: PageCache  # the Markdown of each paper page
    search: SearchCache  # each document's share of the search index
    templates: Path  # the page templates as Jinja compiled them (``compiled_templates``; correct whatever ``read`` is)

    @classmethod
    def at(cls, build_dir: Path, *, read: bool = True) -> BuildCaches:
        """The caches of a build folder; ``read=False`` (``--clean``): written, never read."""
        return cls(
            ParseCache(build_dir / LISTINGS_CACHE, read=read), PageCache(build_dir / TOPICS_CACHE, read=read),
            PageCache(build_dir / PAGES_CACHE, read=read), SearchCache(build_dir / SEARCH_CACHE, read=read),
            build_dir / TEMPLATES_CACHE,
        )

    def save(self) -> None:
        """Keep this build's results and drop those it did not use (call once the site is in place)."""
        self.listings.prune()
        self.topics.save()
        self.pages.save()
        self.search.prune()


@dataclass(frozen=True, slots=True)
class BuildReport:
    prepared: Prepared
    site_dir: Path
    seconds: Mapping[str, float]
    site_url: str | None = None
    build_dir: Path | None = None  # where the build's state and change report are kept
    site_bytes: int = 0
    site_files: int = 0
    rendering: RenderReport | None = None  # pages written, reused and removed; why the build was a full one
    markdown_reused: int = 0  # paper pages whose Markdown came from the page cache
    listings_reused: int = 0  # listing files whose reading came from the parse cache
    search_reused: int = 0  # search documents (papers and topics) reused: from the search cache or in a linked segment

    @property
    def ingest(self) -> IngestResult:
        return self.prepared.ingest

    @property
    def pages(self) -> int:
        return len(self.prepared.pages) + len(self.prepared.exports)

    @property
    def changes(self) -> dict[str, Any]:
        """What changed since the last build (``changes.json``)."""
        return self.prepared.changes.report if self.prepared.changes else {}

    @property
    def size_warning(self) -> str | None:
        """A warning when the site is larger than GitHub Pages publishes."""
        if self.site_bytes <= PAGES_LIMIT:
            return None
        return (
            f"warning: the site is {self.site_bytes / 1e9:.2f} GB, more than the 1 GB GitHub Pages publishes; "
            "deploy it to a static host without that limit (object storage such as S3 or Google Cloud Storage "
            "behind a CDN, or your own nginx); see README, Deploying"
        )


PAGES_LIMIT = 1_000_000_000  # bytes: GitHub Pages' limit on a published site


def site_size(site_dir: Path) -> tuple[int, int]:
    """``(bytes, files)`` of a built site."""
    total = files = 0
    folders = [str(site_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file():
                    total += entry.stat().st_size
                    files += 1
    return total, files


class BuildFailed(PapercatError):
    """MkDocs could not build the site; the previous site is left as it was."""


def source_date_epoch(result: IngestResult) -> int:
    """A build timestamp that depends only on the inputs, so two builds are byte-identical."""
    dates = [m.captured for m in result.sources.values() if m.captured]
    dates += [dt.date.fromisoformat(p.date) for p in result.papers if p.date]
    newest = max(dates, default=dt.date(2000, 1, 1))
    return calendar.timegm(newest.timetuple())


def _template_error(template_dirs: list[Path], err: jinja2.TemplateError) -> ConfigError:
    """A broken page template, named with its line where Jinja knows it."""
    name = getattr(err, "filename", None) or getattr(err, "name", None)
    line = getattr(err, "lineno", None)
    if line is None:  # a render error: Jinja maps its frames to template lines; the innermost one names the spot
        for frame, frame_line in traceback.walk_tb(err.__traceback__):
            if any(frame.f_code.co_filename.startswith(str(d)) for d in template_dirs):
                name, line = frame.f_code.co_filename, frame_line
    return ConfigError(
        str(name if name and Path(str(name)).is_absolute() else template_dirs[0] / str(name or "")),
        f"line {line}" if line else "(template)",
        "a valid Jinja template",
        f"{type(err).__name__}: {err.message or err}",
        hint="fix the template, or delete your copy to use the one bundled with papercat",
    )


def load_topic_config(config: Path | ConfigFolders) -> tuple[Taxonomy, dict[str, Override]]:
    """``topics.yml`` and ``overrides.yml`` of a site configuration; a mistake is a ``PapercatError``."""
    folders = config if isinstance(config, ConfigFolders) else ConfigFolders(config)
    try:
        taxonomy = load_taxonomy(folders.file("topics.yml"))
        return taxonomy, load_overrides(folders.file("overrides.yml"), taxonomy)
    except TaxonomyError as err:
        raise PapercatError(str(err)) from None


def override_warnings(folders: ConfigFolders, overrides: Mapping[str, Override], result: IngestResult) -> list[str]:
    """Overrides for paper ids no paper has (a warning in ``build``, an error in ``check``)."""
    return unknown_override_ids(folders.file("overrides.yml"), overrides, (p.id for p in result.papers))


def prepare(
    content_dir: Path,
    config: SiteConfig,
    *,
    site_name: str = "papercat",
    site_url: str | None = None,
    directory_urls: bool = True,
    progress: Progress | None = None,
    build_dir: Path | None = None,
    caches: BuildCaches | None = None,
    jobs: int = 1,
    kept_pages: bool = False,
    on_model: Callable[[SiteModel, BuildChanges | None], None] | None = None,
) -> Prepared:
    """Every stage before MkDocs, in memory: nothing is written. ``progress`` reports and times the stages.

    With a ``build_dir``, the home page's "What's new" compares with the last build's state kept
    there (read only here; ``Prepared.changes.save`` keeps this build's state once the site is built).
    With ``caches``, the readings of unchanged listing files, the keyword topics of unchanged papers
    and the paper pages made from the same inputs are taken from the last build
    (``BuildCaches.save`` keeps this build's once the site is built). ``jobs``: how many processes
    (or threads) the stages may use; the result is the same whatever it is. ``kept_pages``: a page
    taken from the page cache is written to the spool only when something is to read it
    (``Spool.put_kept``; for ``papercat build``, which reads only the pages it renders).
    ``on_model(model, changes)`` is called once the site model is made, before its pages are
    (``papercat build`` may start the search index then, see ``PapercatPlugin.start_search``).
    """
    page_cache = caches.pages if caches is not None else None
    progress = progress or Progress.null()
    before = dict(progress.seconds)
    result = ingest_content(content_dir, progress=progress, cache=caches.listings if caches is not None else None, jobs=jobs)
    result.warnings.extend(override_warnings(config.folders, config.overrides, result))
    if not result.files:
        result.warnings.append(f"no listing files in {content_dir}: the site has no papers (put your listings there)")
    release_memory()  # each stage starts from what the catalogue needs, not from the last one's peak
    terms = PaperTerms(result.papers)  # counted once, for the placement by neighbours and related papers
    # Related papers need only the papers: with jobs, found in a process of their own during the classification.
    related_job = None
    changes = None
    try:  # a build stopped before the related papers were waited for leaves no process behind
        with progress.stage("classify", total=len(result.papers), unit="papers") as step:
            related_job = start_related_papers(
                result.papers, threads=jobs, cache=caches.topics if caches is not None else None, terms=terms,
                fork=jobs > 1,
            )
            assignments = classify(
                result.papers, config.taxonomy, overrides=dict(config.overrides), step=step,
                cache=caches.topics if caches is not None else None, jobs=jobs, terms=terms,
            )
        if build_dir is not None:
            changes = changes_since_last_build(
                build_dir, result.papers, {pid: (a.primary, a.secondary) for pid, a in assignments.items()}, result.rejected
            )
        release_memory()
        with progress.stage("related", total=len(result.papers), unit="papers") as step:
            related = related_job.result(step)
    finally:
        if related_job is not None:
            related_job.cancel()
    del terms
    release_memory()
    with progress.stage("pages", unit="files") as step:  # Markdown pages and the files beside them
        model = SiteModel.build(
            result, assignments, config.taxonomy, config.settings, site_name=site_name,
            captured={name: m.captured.isoformat() for name, m in result.sources.items() if m.captured},
            related=related, cite_keys=citation_keys(result.papers), site_url=site_url,
            whats_new=changes.whats_new if changes else None,
        )
        if on_model is not None:
            on_model(model, changes)
        template_dirs = config.folders.template_dirs()
        renderer = PageRenderer(
            template_dirs, directory_urls=directory_urls, jobs=jobs,
            compiled=compiled_templates(caches.templates) if caches is not None else None,
        )
        cache = None
        paper_keys = PaperKeys(model, global_key(template_dirs, config.folders.project, directory_urls, code_components()))
        if page_cache is not None:
            cache = (page_cache, paper_keys)
        try:
            spool = Spool(  # in papercat's own working folder only (a preview's --build-dir may be any folder)
                build_dir if build_dir is not None and build_dir.is_dir() and is_owned(build_dir) else None,
                fetch=partial(page_cache.lookup, count=False) if page_cache is not None and kept_pages else None,
            )
            rendered = renderer.pages(model, cache, spool)
        except jinja2.TemplateError as err:
            raise _template_error(template_dirs, err) from None
        # The Markdown pages go through MkDocs; the files beside them (downloads, feeds, the rows
        # of the listing filters) are copied as they are. Both stay in the spool, on disk.
        pages, exports = rendered.markdown(), rendered.others()
        assets = config.folders.assets()
        static = config.folders.static()
        check_static_paths(static, [*pages, *exports, *assets])
        check_site_paths([*pages, *exports, *assets, *static])
        assets = {**assets, **static}
        fragments = _related_fragments(renderer, model, paper_keys, template_dirs)
        step(len(pages) + len(exports))
    release_memory()
    seconds = {name: value - before.get(name, 0.0) for name, value in progress.seconds.items() if value != before.get(name)}
    return Prepared(
        result, assignments, related, model, pages, exports, assets, source_date_epoch(result), seconds, changes,
        fragments,
    )


def expected_site_paths(config: SiteConfig) -> list[str]:
    """What a build writes at the top of the site, known without rendering a page: for ``papercat check``."""
    from .feeds import feed_path
    from .search import BUNDLE_DIR
    from .urls import SITE_PAGES

    return [
        *SITE_PAGES, "papers/", "downloads/", f"{BUNDLE_DIR}/", feed_path(None),
        *(feed_path(topic.slug) for topic in config.taxonomy.topics), *config.folders.assets(),
    ]


def nav_problems(mkdocs_config: MkDocsConfig) -> list[str]:
    """The pages ``nav:`` of ``mkdocs.yml`` names that the site will not have (MkDocs stops the build on them)."""
    from .urls import SITE_PAGES

    problems: list[str] = []

    def walk(entry: object) -> None:
        if isinstance(entry, list):
            for item in entry:
                walk(item)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)
        elif isinstance(entry, str) and "://" not in entry and not entry.startswith(("/", "#", "mailto:")):
            page = entry.strip().lstrip("./")
            generated = page in SITE_PAGES or page.startswith(("topics/", "months/", "papers/"))
            if not generated and not (Path(mkdocs_config["docs_dir"]) / page).is_file():
                problems.append(
                    f"{mkdocs_config.config_file_path}: nav: {entry!r} is no page of the site "
                    f"(its own pages: {', '.join(SITE_PAGES)})"
                )

    walk(mkdocs_config.get("nav"))
    return problems


def check_static_paths(static: Mapping[str, Path], generated: list[str]) -> None:
    """Refuse a file of ``site_config/static/`` that would land on, or among, what papercat writes."""
    taken = {path.split("/", 1)[0] for path in generated} | {"index.html", "404.html", "sitemap.xml", "sitemap.xml.gz"}
    taken |= {path[: -len(".md")] for path in taken if path.endswith(".md")}
    folded = {name.casefold() for name in taken}  # two names in different case are one file on some systems
    for path in static:
        first = path.split("/", 1)[0]
        if path.endswith(".md") or first.casefold() in folded:
            what = "a Markdown file there would become a page" if path.endswith(".md") else f"papercat writes {first} itself"
            raise PapercatError(f"site_config/static/{path}: cannot be copied into the site ({what}); rename or remove it")


def _related_fragments(renderer: PageRenderer, model: SiteModel, keys: PaperKeys, template_dirs: list[Path]) -> Fragments:
    """The related-papers list of every paper page: keyed now, made only for the pages that need it."""
    by_path = {paper_path(paper): paper for paper in model.papers}

    def render(src_uri: str) -> str:
        try:
            return renderer.related_fragment(model, by_path[src_uri])
        except jinja2.TemplateError as err:
            raise _template_error(template_dirs, err) from None

    return Fragments({path: keys.related_key(paper) for path, paper in by_path.items()}, render)


def prepare_project(project: Project) -> Prepared:
    """``prepare`` for a project laid out the usual way, without MkDocs (tests and tools)."""
    config = load_mkdocs_config(project)
    plugin = _plugin(config, project)
    return prepare(
        plugin.content_dir, SiteConfig.load(plugin.config_dir), site_name=str(config.site_name),
        site_url=config.site_url or None, directory_urls=bool(config.use_directory_urls), build_dir=project.build_dir,
    )


def _first_line(err: BaseException, log: io.StringIO) -> str:
    text = (log.getvalue().strip() or str(err)).splitlines()
    return " | ".join(line.strip() for line in text[-3:]) if text else type(err).__name__


@contextmanager
def capture_mkdocs_log() -> Iterator[io.StringIO]:
    """Collect MkDocs' warnings to report them; keep its INFO chatter off the terminal."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    previous, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        logger.propagate = propagate


def load_mkdocs_config(
    project: Project, *, site_url: str | None = None, strict: bool | None = None, **overrides: Any
) -> MkDocsConfig:
    """``mkdocs.yml`` read once, with the command line's overrides; a mistake is a ``ConfigError``."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not project.mkdocs_file.is_file():
        raise ConfigError(
            str(project.mkdocs_file), "(file)", "an mkdocs.yml", "no such file",
            hint="run papercat in a catalogue folder, or create one with `papercat new FOLDER`",
        )
    if project.content_dir is not None:
        overrides["docs_dir"] = str(project.content_dir)
    if site_url:
        overrides["site_url"] = site_url
    if strict is not None:
        overrides["strict"] = strict
    try:
        with capture_mkdocs_log() as log:
            config = load_config(config_file=str(project.mkdocs_file), **overrides)
    except (ConfigurationError, Abort) as err:
        raise ConfigError(str(project.mkdocs_file), "(config)", "a valid MkDocs configuration", _first_line(err, log)) from None
    if project.site_dir is not None:  # checked by papercat's own rule (check_output_folders), with its advice
        config.site_dir = str(project.site_dir)
    _plugin(config, project)
    return config


def _plugin(config: MkDocsConfig, project: Project, *, progress: Progress | None = None) -> PapercatPlugin:
    """The papercat plugin of a loaded MkDocs configuration, pointed at the project's overrides."""
    from ..plugin import PapercatPlugin

    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, PapercatPlugin):
        raise ConfigError(
            str(project.mkdocs_file), "plugins", "a list that names the papercat plugin", list(config.plugins),
            hint="add `- papercat` under `plugins:`",
        )
    plugin.configure(config, config_dir=project.config_dir, build_dir=project.build_dir, progress=progress)
    return plugin


_ADDRESS = re.compile(r"^https?://[^/\s?#]+(?:/[^\s?#]*)?$")  # a web address a site is published at: scheme, host, path


def _record_ids(content_dir: Path, result: IngestResult) -> None:
    """Keep the ids this build published in ``content/papercat-ids.yml`` (see generator/ingest/paper_ids.py)."""
    try:
        if write_ids(content_dir, result.ids):
            result.warnings.append(
                f"recorded {len(result.ids)} paper ids in {content_dir / IDS_FILE}: commit it with the content, "
                "so every paper keeps its URL"
            )
    except OSError as err:
        result.warnings.append(
            f"could not record the paper ids in {content_dir / IDS_FILE} ({err.strerror}); "
            "the site is built, but a paper's URL may change when papers with the same title arrive"
        )


def build_site(
    project: Project,
    *,
    site_url: str | None = None,
    strict: bool | None = None,
    on_stage: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    render: RenderOptions | None = None,
) -> BuildReport:
    """Build the whole site with MkDocs into its site folder; on any failure the previous site stays untouched.

    Refuses output folders that are not papercat's (``check_output_folders``) before writing anything,
    then holds the build lock while it builds into a staging folder and swaps it in.
    ``render`` says how the pages are rendered (processes, a Dask cluster) and whether the pages
    that did not change are taken from the previous site; by default every page is rendered in
    this process, the state for the next build kept in the build folder.
    """
    address, given_by = (site_url, "--site-url") if site_url else (os.environ.get("PAPERCAT_SITE_URL") or None, "PAPERCAT_SITE_URL")
    if address and not _ADDRESS.match(address):
        raise PapercatError(f"{given_by}: expected the published address, like https://USER.github.io/REPO/, not {address!r}")
    config = load_mkdocs_config(project, site_url=address, strict=strict)
    progress = progress or Progress.null()
    plugin = _plugin(config, project, progress=progress)
    plugin.count_events = False  # the rendering counts each page once, wherever it is rendered or reused
    plugin.kept_pages = True  # the rendering reads only the pages it renders: the others need not be written
    site_dir = Path(config.site_dir).resolve()
    folders = output_folders(project, config, plugin)
    check_output_folders(folders)  # before anything is written
    require_folder(site_dir.parent, "the folder that should hold the site folder")
    with build_lock(folders):
        for message in recover(site_dir):
            print(f"papercat: {message}", file=sys.stderr)
        if folders.build_dir is not None:
            remove_stale(folders.build_dir)
        try:
            staging = new_staging(site_dir)
        except OSError as err:
            raise PapercatError(
                f"cannot create the output folder next to {site_dir} ({err.strerror}); "
                "choose a --site-dir in a folder you can write to"
            ) from None
        return _build_into(staging, config, plugin, site_dir, progress, on_stage, render)


def output_folders(project: Project, config: MkDocsConfig, plugin: PapercatPlugin) -> OutputFolders:
    """The folders a build of ``project`` reads and writes, once MkDocs' configuration is applied."""
    return OutputFolders(
        root=project.root, mkdocs_file=project.mkdocs_file, content_dir=plugin.content_dir, config_dir=plugin.config_dir,
        site_dir=Path(config.site_dir).resolve(), build_dir=plugin.build_dir,
    )


def _close_spool(plugin: PapercatPlugin) -> None:
    if plugin.prepared is not None and isinstance(plugin.prepared.pages, SpoolView):
        plugin.prepared.pages.spool.close()


def _own_state_dir(state_dir: Path, build_dir: Path | None) -> None:
    """The folder of the build state, created if need be (and marked as papercat's when it is the build folder)."""
    if state_dir == build_dir:
        own_build_folder(state_dir)
    else:
        ensure_build_dir(state_dir)


def _build_into(
    staging: Path, config: MkDocsConfig, plugin: PapercatPlugin, site_dir: Path, progress: Progress,
    on_stage: Callable[[str], None] | None, render: RenderOptions | None,
) -> BuildReport:
    from mkdocs.exceptions import MkDocsException

    from .render import RenderOptions, build_pages
    from .render.engine import links_are_safe
    from .search import BUNDLE_DIR

    created_state: Path | None = None  # the state folder, while this build made it and has not succeeded
    try:
        config.site_dir = str(staging)
        render = render if render is not None else RenderOptions(jobs=1)
        if render.state_dir is None and plugin.build_dir is not None:
            render = dataclasses.replace(render, state_dir=plugin.build_dir)
        if render.state_dir is not None:
            # The caches may write to it while the build runs; made by a build that fails, it is removed again.
            created_state = None if render.state_dir.exists() else render.state_dir
            _own_state_dir(render.state_dir, plugin.build_dir)
            plugin.caches = BuildCaches.at(render.state_dir, read=not render.clean)
        caches = plugin.caches
        plugin.jobs = render.jobs
        if not render.clean and links_are_safe(config):  # records of the search index the new one may link to
            plugin.previous_index = site_dir / BUNDLE_DIR
        with capture_mkdocs_log() as log:
            try:
                rendering, save_state = build_pages(
                    config, render, previous_site=site_dir, config_dir=plugin.config_dir,
                    on_message=on_stage, on_page=lambda pages: plugin.advance(2 * pages),
                )
            except MkDocsException as err:
                if plugin.error is not None:
                    raise plugin.error from None
                details = log.getvalue().strip() or str(err)
                raise BuildFailed(
                    f"MkDocs could not build the site, so {site_dir} was left as it was.\n{details}\n"
                    "Fix the configuration or template it names and run the build again."
                ) from None
            except PapercatError:
                raise
        prepared = plugin.prepared
        assert prepared is not None
        seconds = dict(progress.seconds)
        if on_stage:
            on_stage(f"prepared {len(prepared.pages)} pages and {len(prepared.exports)} downloads")
        size, files = site_size(staging)
        fault_point("built")
        swap_in(staging, site_dir)
        _record_ids(plugin.content_dir, prepared.ingest)
        if prepared.changes is not None and plugin.build_dir is not None:
            own_build_folder(plugin.build_dir)  # created once a build succeeded, marked as papercat's
            prepared.changes.save(plugin.build_dir)
        if render.state_dir is not None:
            _own_state_dir(render.state_dir, plugin.build_dir)
            save_state()
            if caches is not None:
                caches.save()
        created_state = None
        return BuildReport(
            prepared, site_dir, seconds, config.site_url or None, plugin.build_dir, site_bytes=size, site_files=files,
            rendering=rendering, markdown_reused=caches.pages.hits if caches is not None else 0,
            listings_reused=caches.listings.hits if caches is not None else 0,
            search_reused=caches.search.hits if caches is not None else 0,
        )
    except OSError as err:  # disk full, permissions: a file could not be read or written
        fix = {
            errno.ENOSPC: "free some disk space",
            errno.EDQUOT: "free some disk space (the disk quota is used up)",
            errno.EACCES: "give papercat permission to write there",
            errno.EPERM: "give papercat permission to write there",
            errno.EROFS: "build into a writable folder (--site-dir)",
        }.get(err.errno or 0, "check the file or folder it names")
        where = f" ({err.filename})" if err.filename else ""
        raise BuildFailed(
            f"the build stopped: {err.strerror or err}{where}, so {site_dir} was left as it was.\n"
            f"To fix it, {fix} and run the build again."
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if created_state is not None:
            _close_spool(plugin)
            shutil.rmtree(created_state, ignore_errors=True)

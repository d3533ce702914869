"""The papercat MkDocs plugin: the catalogue's pages generated inside MkDocs' own events.

Declared in ``mkdocs.yml``::

    docs_dir: content          # the listings; papercat turns them into the site's pages
    plugins:
      - papercat               # options: config_dir (default site_config), content (default docs_dir)

so ``mkdocs build``, ``mkdocs serve`` and ``mkdocs gh-deploy`` build the same site as
``papercat build``. As Material's blog plugin does, the pages are virtual files
(``File.generated``) added in ``on_files``: nothing is written outside the site folder, and the
listing files themselves never become pages. The paper, topic and month pages are
``not_in_nav`` (reachable through the listing pages, not the navigation). The build date
MkDocs shows (page dates, the sitemap) comes from the inputs, so two builds of the same inputs
are byte-identical. In ``on_post_build`` the search index is written into the built
site, so every way of building has search. Under ``mkdocs serve`` a mistake in the content or configuration does not
stop the server: the error is logged and shown in the browser until the file is fixed.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import shutil
from collections.abc import Mapping
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .defaults import ConfigFolders
from .errors import PapercatError, template_error, theme_syntax_error
from .ingest import ingest_messages
from .progress import Progress, Step
from .site.fragments import splice_text
from .site.raw_html import RawHtmlExtension
from .site.spool import SpoolView
from .site.urls import SITE_PAGES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from .site.build import BuildCaches, Prepared
    from .site.changes import BuildChanges
    from .site.search_job import SearchJob
    from .site.view import SiteModel

log = logging.getLogger("mkdocs.plugins.papercat")
# Errors shown while serving go to a logger outside MkDocs' own, which counts them in strict mode
# and would abort the build that puts the error page in front of the reader.
serve_log = logging.getLogger("papercat")

# Pages the navigation links to; every other generated page is reached from these.
_NAV_PAGES = frozenset(SITE_PAGES)
EARLY_SEARCH_CHANGES = 500  # papers added, removed or changed up to which a build starts its search index early


class _ReportingTemplate(jinja2.Template):
    """A template whose errors name it: its file and line, and what went wrong."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except (MkDocsException, PapercatError):  # MkDocs' own (an Abort too) and papercat's: as they are
            raise
        except jinja2.TemplateSyntaxError as err:  # a template it extends or includes, read only now
            where = err.filename or self.filename or "a template"
            raise PluginError(f"papercat: {theme_syntax_error(where, err.lineno, err.message or str(err))}") from None
        except Exception as err:  # the template's mistake, or a value it was given
            raise PluginError(f"papercat: {template_error(err, self.filename)}") from None


class _ShownInPreview(Exception):
    """A mistake in the catalogue the preview shows in the browser instead of stopping."""

    def __init__(self, error: PapercatError) -> None:
        super().__init__(str(error))
        self.error = error


class PapercatConfig(base.Config):
    config_dir = c.Type(str, default="site_config")
    content = c.Optional(c.Type(str))
    build_dir = c.Type(str, default="build")  # the last build's state, for the home page's "What's new"


def _walk_key(path: str) -> tuple[tuple[int, bool, str], ...]:
    """The order MkDocs lists files of a docs folder in (folders depth first, ``index`` first in each)."""
    *folders, name = path.split("/")
    return (*((1, False, part) for part in folders), (0, PurePosixPath(name).stem not in ("index", "README"), name))


class PapercatPlugin(BasePlugin[PapercatConfig]):
    """Runs papercat's pipeline in ``on_files`` and hands MkDocs the generated pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.prepared: Prepared | None = None
        self.error: PapercatError | None = None
        self.content_dir = Path("content")
        self.config_dir = Path("site_config")
        self.build_dir: Path | None = None
        self._config_dir_override: Path | None = None
        self._build_dir_override: Path | None = None
        self._managed = False  # papercat build keeps the state itself, after swapping the site in
        self.progress = Progress.null()  # papercat build sets its own: a bar per stage, and their timings
        self._mkdocs_stage: Any = None
        self._step: Step | None = None
        self.timestamp: int | None = None  # the build date of the pages (from the inputs)
        self.count_events = True  # the mkdocs stage counts MkDocs' page events (papercat build counts pages itself)
        self.caches: BuildCaches | None = None  # papercat build: what the last build read and made, to reuse
        self.jobs = 1  # papercat build --jobs N: processes (or threads) for the stages before MkDocs and the search index
        self.kept_pages = False  # papercat build: a page from the page cache is written only when read (Spool.put_kept)
        self.given_fragments: dict[str, str] = {}  # a rendering process: the related papers sent with a page
        self._rendering_only = False  # a rendering process: renders pages another process made, makes none
        self._search_job: SearchJob | None = None  # papercat build: the search index being written beside MkDocs (see start_search)
        self.previous_index: Path | None = None  # papercat build: the search index of the site it replaces (search.write_index)

    def configure(
        self, config: MkDocsConfig, *, config_dir: Path | None = None, build_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Called by ``papercat build`` before a build: the command line's ``--config`` folder and the progress display.

        MkDocs keeps one instance of a plugin that has ``on_startup`` for the whole process, so every
        setting of an earlier build is replaced here, never inherited.
        """
        self._config_dir_override, self._build_dir_override = config_dir, build_dir
        self._managed = True
        self.progress = progress or Progress.null()
        self.serving = False
        self._resolve(config)

    def render_only(self, *, config_dir: Path, timestamp: int) -> None:
        """Set up an instance that renders pages another process generated (a rendering process or cluster worker).

        Its ``on_files`` is never called: it only adds the theme overrides of ``config_dir`` and the
        build date of the pages, exactly as the instance that generated them did.
        """
        self._config_dir_override, self._build_dir_override = config_dir, None
        self.serving, self._managed, self.prepared, self.error = False, False, None, None
        self.progress, self.timestamp = Progress.null(), timestamp
        self._rendering_only = True

    def advance(self, steps: int) -> None:
        """Advance the mkdocs stage for pages rendered elsewhere or reused from the previous build."""
        if self._step is not None:
            self._step(steps)

    def _resolve(self, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.config_dir = self._config_dir_override or (root / self.config.config_dir).resolve()
        self.build_dir = self._build_dir_override or (root / self.config.build_dir).resolve()
        content = self.config.content
        self.content_dir = (root / content).resolve() if content else Path(config.docs_dir).resolve()

    # --- MkDocs events -----------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._resolve(config)
        # The default folder may be missing (the bundled configuration is used); one named on purpose must exist.
        # (A file in its place is refused when the configuration is read, SiteConfig.load.)
        named = self._config_dir_override is not None or self.config.config_dir != "site_config"
        if named and not self.config_dir.exists():
            raise PluginError(f"papercat: the configuration folder {self.config_dir} (config_dir in mkdocs.yml, or --config) "
                              "does not exist; create it or correct the name")
        if not self._managed and not self.serving:
            # `mkdocs build` empties the site folder next: refuse one that is not papercat's first.
            from .site.output import OutputFolders, UnsafeOutput, check_output_folders

            root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
            folders = OutputFolders(
                root=root, mkdocs_file=Path(config.config_file_path or "mkdocs.yml").resolve(),
                content_dir=self.content_dir, config_dir=self.config_dir, site_dir=Path(config.site_dir).resolve(),
                build_dir=self.build_dir,
            )
            try:
                check_output_folders(folders, site_option="--site-dir (or site_dir in mkdocs.yml)")
            except UnsafeOutput as err:
                raise PluginError(f"papercat: {err}") from None
        # The HTML blocks of papercat's pages go through Markdown unparsed (the same HTML, made faster).
        if not any(isinstance(e, RawHtmlExtension) for e in config.markdown_extensions):
            config.markdown_extensions.append(RawHtmlExtension())  # type: ignore[arg-type]  # an instance, as Markdown accepts
        # The project's theme overrides, then the bundled ones, go before the theme's own folders
        # (after a custom_dir named in mkdocs.yml, which stays first).
        dirs = config.theme.dirs
        at = 1 if config.theme.custom_dir else 0
        present = {os.path.realpath(d) for d in dirs}
        for folder in reversed(ConfigFolders(self.config_dir).theme_dirs()):
            if os.path.realpath(folder) not in present:
                dirs.insert(at, str(folder))
        return config

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # An error raised while a template runs ({{ 1 // 0 }} in site_config/theme/main.html) stops the build with
        # the template's file and line, as a build error MkDocs reports in one line, not as a traceback.
        if not issubclass(env.template_class, _ReportingTemplate):
            env.template_class = type("ReportingTemplate", (_ReportingTemplate, env.template_class), {})
            if env.cache is not None:
                env.cache.clear()
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Every stage before MkDocs runs here, before `mkdocs build` empties the site folder: a mistake in
        # a listing or a setting stops the build with the previous site still in place. The preview
        # (`mkdocs serve`) does it in on_files instead, where it can show the mistake in the browser.
        # A rendering process makes nothing and keeps the build date it was given.
        if not self.serving and not self._rendering_only:
            self._prepare(config)

    @event_priority(50)  # before other plugins, so they see the generated pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.serving:
            try:
                self._prepare(config)
            except _ShownInPreview as shown:
                return self._error_files(files, config, shown.error)
        if self.prepared is None:
            return files
        return self._site_files(files, config, self.prepared)

    def _prepare(self, config: MkDocsConfig) -> None:
        """The catalogue, its pages and downloads (``site.build.prepare``), kept in ``self.prepared``."""
        from .site.build import SiteConfig, prepare

        self.prepared, self.error, self.timestamp = None, None, None
        try:
            prepared = prepare(
                self.content_dir, SiteConfig.load(self.config_dir), site_name=str(config.site_name),
                site_url=config.site_url or None, directory_urls=bool(config.use_directory_urls), progress=self.progress,
                build_dir=self.build_dir, caches=self.caches, jobs=self.jobs,
                kept_pages=self.kept_pages and self._alone(config),
                on_model=partial(self._model_made, config) if self._managed and self.jobs > 1 else None,
            )
        except Exception as err:
            if not isinstance(err, PapercatError):
                if not self.serving:
                    raise
                # The preview survives anything: say what broke and keep watching.
                err = PapercatError(f"internal error while reading the catalogue: {type(err).__name__}: {err}")
            self.error = err
            if not self.serving:
                raise PluginError(f"papercat: {err}") from err
            serve_log.error(f"papercat: error: {err}")
            serve_log.error("papercat: the browser shows this error until the file is fixed; watching for changes")
            raise _ShownInPreview(err) from None
        for line in ingest_messages(prepared.ingest):
            log.info(f"papercat: {line}")
        result = prepared.ingest
        log.info(
            f"papercat: {len(result.papers)} papers from {len(result.files)} listing files "
            f"({result.merged} merged duplicates, {len(result.rejected)} rejected)"
        )
        self.prepared, self.timestamp = prepared, prepared.timestamp
        # MkDocs' own stage: every page is read (Markdown → HTML) and then written with the theme.
        self._mkdocs_stage = self.progress.stage("mkdocs", total=2 * len(prepared.pages), unit="steps (read + write a page)")
        self._step = self._mkdocs_stage.__enter__()

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._step is not None and self.count_events:
            self._step(1)
        return markdown

    @event_priority(100)  # first: a plugin that rewrites the HTML afterwards sees the whole page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._step is not None and self.count_events:
            self._step(1)
        uri = page.file.src_uri
        fragment = self.given_fragments.pop(uri, None)
        if fragment is None and self.prepared is not None:
            fragment = self.prepared.fragments.html(uri)
        return output if fragment is None else splice_text(output, fragment)

    def _end_mkdocs_stage(self) -> None:
        stage, self._mkdocs_stage, self._step = self._mkdocs_stage, None, None
        if stage is not None:
            stage.__exit__(None, None, None)

    def _end_build(self) -> None:
        self._end_mkdocs_stage()
        job, self._search_job = self._search_job, None
        if job is not None:  # the build stopped before its index was waited for
            job.cancel()
        # What `papercat build` set applies to its one build, not to a later `mkdocs build` in this process.
        self._config_dir_override, self._build_dir_override, self.progress = None, None, Progress.null()
        self.count_events, self.caches, self.jobs, self.kept_pages = True, None, 1, False
        self.previous_index = None

    def on_build_error(self, *, error: Exception) -> None:
        self._managed = False
        self._end_build()

    @property
    def build_date(self) -> dt.datetime | None:
        return None if self.timestamp is None else dt.datetime.fromtimestamp(self.timestamp, dt.UTC)

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.build_date is not None:
            page.update_date = self.build_date.strftime("%Y-%m-%d")
        return page

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if self.build_date is not None:
            context["build_date_utc"] = self.build_date
        return context

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        if self.build_date is not None:
            context["build_date_utc"] = self.build_date
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        from .site.output import mark_owned

        managed, self._managed = self._managed, False
        mark_owned(Path(config.site_dir))  # the next build may replace this folder: it is papercat's
        self._end_mkdocs_stage()
        prepared = self.prepared
        try:
            if prepared is not None and self.error is None:
                self._index_search(prepared, config)
        finally:
            self._end_build()
        if not managed and not self.serving and prepared is not None and self.error is None:
            from .ingest.paper_ids import IDS_FILE, write_ids

            try:  # `mkdocs build` keeps the published ids as `papercat build` does (see ingest/paper_ids.py)
                if write_ids(self.content_dir, prepared.ingest.ids):
                    log.info(f"papercat: recorded {len(prepared.ingest.ids)} paper ids in {self.content_dir / IDS_FILE}")
            except OSError as err:
                log.warning(f"papercat: could not record the paper ids in {self.content_dir / IDS_FILE} ({err.strerror})")
        if not managed and not self.serving and prepared is not None and prepared.changes and self.build_dir:
            from .site.output import own_build_folder

            try:  # `mkdocs build` keeps the state for the next build too
                own_build_folder(self.build_dir)
                prepared.changes.save(self.build_dir)
            except (PapercatError, OSError) as err:
                log.info(f"papercat: the build state was not kept: {err}")
        if self.error is not None:  # every address of the preview shows the error, not a 404
            index = Path(config.site_dir) / "index.html"
            if index.is_file():
                shutil.copyfile(index, Path(config.site_dir) / "404.html")

    def start_search(self, config: MkDocsConfig, model: SiteModel | None = None) -> None:
        """Start writing the search index of ``model`` (this build's) in a forked process (``site.search_job``).

        ``papercat build`` calls it when MkDocs renders the pages in this process and so leaves
        the other cores idle (``render.engine``), or as soon as the site model is made when the
        build redoes little (``_model_made``); ``on_post_build`` waits for it. Where no process can
        be forked, the index is written in ``on_post_build`` as usual.
        """
        if model is None and self.prepared is not None:
            model = self.prepared.model
        if self.serving or model is None or self.error is not None or self._search_job is not None:
            return
        from .site.search import BUNDLE_DIR
        from .site.search_job import SearchJob

        self._search_job = SearchJob.start(
            model, Path(config.site_dir) / BUNDLE_DIR, directory_urls=bool(config.use_directory_urls),
            jobs=max(1, self.jobs - 1), cache=self.caches.search if self.caches is not None else None,
            previous=self.previous_index,
        )

    def _model_made(self, config: MkDocsConfig, model: SiteModel, changes: BuildChanges | None) -> None:
        """Start the search index now when this build is likely to redo little (a daily listing added).

        It then runs while the pages are made and MkDocs renders the few that changed, instead of
        after them. A build that renders every page (no state kept, ``--clean``, a changed catalogue)
        starts it later, if at all, so that it does not compete with the rendering processes.
        """
        caches = self.caches
        if changes is None or caches is None or not caches.pages.read or changes.report.get("baseline"):
            return
        report = changes.report
        touched = sum(len(report.get(kind, ())) for kind in ("added", "removed", "changed", "merged_differently", "topic_changes"))
        if touched <= max(EARLY_SEARCH_CHANGES, len(model.papers) // 10):
            self.start_search(config, model)

    def _index_search(self, prepared: Prepared, config: MkDocsConfig) -> None:
        """Write the search index of the topics and papers into the built site (``search-index/``)."""
        from .parallel import release_memory
        from .site.search import BUNDLE_DIR, SearchIndexFailed, index_search

        job, self._search_job = self._search_job, None
        release_memory()  # what MkDocs made of the pages is written: the index starts from what is left
        with self.progress.stage("search", total=len(prepared.model.papers), unit="papers") as step:
            try:
                if job is not None:  # written beside MkDocs: what is left of it
                    job.wait()
                    step(len(prepared.model.papers))
                else:
                    index_search(prepared.model, Path(config.site_dir) / BUNDLE_DIR,
                                 directory_urls=bool(config.use_directory_urls), step=step, jobs=self.jobs,
                                 cache=self.caches.search if self.caches is not None else None,
                                 previous=self.previous_index)
            except SearchIndexFailed as err:
                if self.serving:  # the preview goes on without search; the next save tries again
                    serve_log.error(f"papercat: error: {err}")
                    return
                self.error = err
                raise PluginError(f"papercat: {err}") from err

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        watched = {os.path.realpath(config.docs_dir)}
        for folder in (self.content_dir, *ConfigFolders(self.config_dir).watched()):
            if folder.exists() and os.path.realpath(folder) not in watched:
                watched.add(os.path.realpath(folder))
                server.watch(str(folder))
        return server

    # --- files ---------------------------------------------------------------------------------

    def _alone(self, config: MkDocsConfig) -> bool:
        """Whether this is the only plugin (no hook either): then nothing else reads a page MkDocs does not render."""
        return all(plugin is self for plugin in config.plugins.values())

    @staticmethod
    def _without_docs(files: Files, config: MkDocsConfig) -> list[File]:
        """The files MkDocs found, minus the listings of the docs folder (they are input, not pages)."""
        return [f for f in files if f.src_dir != config.docs_dir or f.generated_by]

    def _site_files(self, files: Files, config: MkDocsConfig, prepared: Prepared) -> Files:
        generated: dict[str, File] = {}
        for path in prepared.pages:  # read from the spool when MkDocs renders the page, never held here
            inclusion = InclusionLevel.UNDEFINED if path in _NAV_PAGES else InclusionLevel.NOT_IN_NAV
            generated[path] = File.generated(config, path, inclusion=inclusion, **_source(prepared.pages, path))
        for path in prepared.exports:
            generated[path] = File.generated(config, path, **_source(prepared.exports, path))
        for path, source in prepared.assets.items():  # included as named: MkDocs would leave out a ".nojekyll" of static/
            generated[path] = File.generated(config, path, abs_src_path=str(source), inclusion=InclusionLevel.INCLUDED)
        ordered = [generated[path] for path in sorted(generated, key=_walk_key)]
        return Files([*ordered, *(f for f in self._without_docs(files, config) if f.src_uri not in generated)])

    def _error_files(self, files: Files, config: MkDocsConfig, err: PapercatError) -> Files:
        """A site of one message: every page the navigation names says what failed."""
        message = "\n".join(line for line in html.escape(str(err)).splitlines() if line.strip())
        text = (
            "---\ntitle: The catalogue could not be built\nsearch:\n  exclude: true\n---\n\n"
            "# The catalogue could not be built\n\n"
            f'<pre class="papercat-build-error">{message}</pre>\n\n'
            "Fix the file it names and save it: this page reloads by itself.\n"
        )
        paths = {"index.md", *_NAV_PAGES, *_nav_files(config.nav)}
        generated = {p: File.generated(config, p, content=text) for p in paths}
        for path, source in ConfigFolders(self.config_dir).assets().items():
            generated[path] = File.generated(config, path, abs_src_path=str(source))
        ordered = [generated[path] for path in sorted(generated, key=_walk_key)]
        return Files([*ordered, *(f for f in self._without_docs(files, config) if f.src_uri not in generated)])


def _source(files: Mapping[str, str | bytes], path: str) -> dict[str, Any]:
    """How MkDocs gets a generated file: the spooled file's path, or the content itself."""
    if isinstance(files, SpoolView):
        return {"abs_src_path": files.file(path)}
    return {"content": files[path]}


def _nav_files(nav: Any) -> list[str]:
    """The Markdown files named in an ``nav`` setting."""
    found: list[str] = []
    if isinstance(nav, str):
        if nav.endswith(".md") and "://" not in nav:
            found.append(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += _nav_files(value)
    elif isinstance(nav, list):
        for item in nav:
            found += _nav_files(item)
    return found

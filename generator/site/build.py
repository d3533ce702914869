"""``papercat build``: ingest → classify → write Markdown pages → MkDocs build → swap in the new site."""

from __future__ import annotations

import calendar
import datetime as dt
import errno
import io
import logging
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..errors import ConfigError, PapercatError
from ..ingest import IngestResult, ingest_content
from ..ingest.sources import load_sources
from ..progress import Progress
from ..readers import SourceMeta
from ..topics import Override, Taxonomy, TaxonomyError, classify, load_overrides, load_taxonomy
from .changes import BuildChanges, changes_since_last_build
from .cite import citation_keys
from .pages import PageRenderer
from .related import related_papers
from .search import BUNDLE_DIR, SEARCH_DIR, index_search, search_records
from .settings import load_settings
from .view import SiteModel
from .writer import swap_in, write_docs

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True, slots=True)
class Project:
    """Where a catalogue's inputs and outputs live."""

    root: Path
    content_dir: Path
    config_dir: Path
    mkdocs_file: Path
    build_dir: Path
    site_dir: Path

    @classmethod
    def at(
        cls,
        root: Path,
        *,
        content: Path | None = None,
        config: Path | None = None,
        mkdocs_file: Path | None = None,
        build_dir: Path | None = None,
        site_dir: Path | None = None,
    ) -> Project:
        root = root.resolve()

        def under(path: Path | None, default: str) -> Path:
            return (root / (path if path is not None else default)).resolve()

        return cls(
            root,
            under(content, "content"),
            under(config, "site_config"),
            under(mkdocs_file, "mkdocs.yml"),
            under(build_dir, "build"),
            under(site_dir, "site"),
        )

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"


@dataclass(slots=True)
class BuildReport:
    ingest: IngestResult
    pages: int
    site_dir: Path
    seconds: dict[str, float] = field(default_factory=dict)
    site_url: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)  # what changed since the last build (changes.json)
    site_bytes: int = 0
    site_files: int = 0

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
    sizes = [path.stat().st_size for path in site_dir.rglob("*") if path.is_file()]
    return sum(sizes), len(sizes)


class BuildFailed(PapercatError):
    """MkDocs could not build the site; the previous site is left as it was."""


def _source_date_epoch(metas: dict[str, SourceMeta], result: IngestResult) -> int:
    """A build timestamp that depends only on the inputs, so two builds are byte-identical."""
    dates = [m.captured for m in metas.values() if m.captured]
    dates += [dt.date.fromisoformat(p.date) for p in result.papers if p.date]
    newest = max(dates, default=dt.date(2000, 1, 1))
    return calendar.timegm(newest.timetuple())


def _load_mkdocs_config(project: Project, site_dir: Path, site_url: str | None = None) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not project.mkdocs_file.is_file():
        raise ConfigError(str(project.mkdocs_file), "(file)", "an mkdocs.yml", "no such file")
    project.docs_dir.mkdir(parents=True, exist_ok=True)
    try:
        with _capture_mkdocs_log() as log:
            config = load_config(
                config_file=str(project.mkdocs_file), docs_dir=str(project.docs_dir), site_dir=str(site_dir), strict=True,
                **({"site_url": site_url} if site_url else {}),
            )
    except (ConfigurationError, Abort) as err:
        raise ConfigError(str(project.mkdocs_file), "(config)", "a valid MkDocs configuration", _first_line(err, log)) from None
    return config


def _first_line(err: BaseException, log: io.StringIO) -> str:
    text = (log.getvalue().strip() or str(err)).splitlines()
    return " | ".join(line.strip() for line in text[-3:]) if text else type(err).__name__


@contextmanager
def _capture_mkdocs_log() -> Iterator[io.StringIO]:
    """Collect MkDocs' warnings to report them; keep its INFO chatter off the terminal."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _template_error(template_dir: Path, err: jinja2.TemplateError) -> ConfigError:
    """A broken page template, named with its line where Jinja knows it."""
    name = getattr(err, "filename", None) or getattr(err, "name", None)
    line = getattr(err, "lineno", None)
    if line is None:  # a render error: Jinja maps its frames to template lines; the innermost one names the spot
        for frame, frame_line in traceback.walk_tb(err.__traceback__):
            if frame.f_code.co_filename.startswith(str(template_dir)):
                name, line = frame.f_code.co_filename, frame_line
    return ConfigError(
        str(name if name and Path(str(name)).is_absolute() else template_dir / str(name or "")),
        f"line {line}" if line else "(template)",
        "a valid Jinja template",
        f"{type(err).__name__}: {err.message or err}",
        hint="fix the template, or restore it from site_config/templates/pages in papercat",
    )


def load_topic_config(config_dir: Path) -> tuple[Taxonomy, dict[str, Override]]:
    """``topics.yml`` and ``overrides.yml`` of a site configuration; a mistake is a ``PapercatError``."""
    try:
        taxonomy = load_taxonomy(config_dir / "topics.yml")
        return taxonomy, load_overrides(config_dir / "overrides.yml", taxonomy)
    except TaxonomyError as err:
        raise PapercatError(str(err)) from None


def generate_docs(
    project: Project, *, directory_urls: bool = True, site_name: str = "papercat", site_url: str | None = None,
    progress: Progress | None = None, on_changes: Callable[[BuildChanges], None] | None = None,
) -> tuple[IngestResult, int, dict[str, float]]:
    """Everything before MkDocs: read, classify and write the Markdown pages to ``build/docs``.

    The home page's "What's new" compares with the last build's state in the build folder (read only
    here); ``on_changes`` receives the comparison, which ``build_site`` saves once the site is built.
    """
    progress = progress or Progress.null()
    settings = load_settings(project.config_dir)
    taxonomy, overrides = load_topic_config(project.config_dir)
    template_dir = project.config_dir / "templates" / "pages"
    if not template_dir.is_dir():
        raise ConfigError(str(template_dir), "(folder)", "the page templates folder", "no such folder")
    result = ingest_content(project.content_dir, progress=progress)
    metas, _ = load_sources(project.content_dir)
    with progress.stage("classify", total=len(result.papers), unit="papers") as step:
        assignments = classify(result.papers, taxonomy, overrides=overrides, step=step)
    model = SiteModel.build(
        result, assignments, taxonomy, settings, site_name=site_name,
        captured={name: m.captured.isoformat() for name, m in metas.items() if m.captured},
    )
    changes = changes_since_last_build(
        project.build_dir, result.papers, {pid: (a.primary, a.secondary) for pid, a in assignments.items()}, result.rejected
    )
    model.whats_new = changes.whats_new
    if on_changes is not None:
        on_changes(changes)
    with progress.stage("related", total=len(model.papers), unit="papers") as step:
        model.related = related_papers(model.papers, step=step)
    with progress.stage("pages", unit="pages") as step:
        model.cite_keys = citation_keys(model.papers)
        model.site_url = site_url or None
        try:
            pages = PageRenderer(template_dir, directory_urls=directory_urls).pages(model)
        except jinja2.TemplateError as err:
            raise _template_error(template_dir, err) from None
        write_docs(project.docs_dir, pages, project.config_dir / "assets", step=step)
    with progress.stage("search", total=len(model.papers), unit="papers") as step:
        records = project.build_dir / SEARCH_DIR
        write_docs(records, dict(search_records(model, directory_urls=directory_urls)), step=step)
        index_search(records, project.docs_dir / BUNDLE_DIR)
    os.environ["SOURCE_DATE_EPOCH"] = str(_source_date_epoch(metas, result))
    return result, len(pages), dict(progress.seconds)


class _PageCounter(logging.Handler):
    """Advances the MkDocs stage as MkDocs reads and then builds each page (its own debug log lines)."""

    def __init__(self, step: Callable[[int], None]) -> None:
        super().__init__(logging.DEBUG)
        self.step = step

    def emit(self, record: logging.LogRecord) -> None:
        message = record.msg if isinstance(record.msg, str) else ""
        if message.startswith(("Reading: ", "Building page ")):
            self.step(1)


@contextmanager
def _count_mkdocs_pages(step: Callable[[int], None]) -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    handler = _PageCounter(step)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def build_site(
    project: Project, *, on_stage: Callable[[str], None] | None = None, site_url: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the whole site into ``project.site_dir``; on any failure the previous site stays untouched."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    try:
        project.site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{project.site_dir.name}.building-", dir=project.site_dir.parent))
    except OSError as err:
        raise PapercatError(
            f"cannot create the output folder next to {project.site_dir} ({err.strerror}); "
            "choose a --site-dir in a folder you can write to"
        ) from None
    try:
        site_url = site_url or os.environ.get("PAPERCAT_SITE_URL") or None
        config = _load_mkdocs_config(project, staging, site_url)
        progress = progress or Progress.null()
        found: list[BuildChanges] = []
        result, pages, _ = generate_docs(
            project, directory_urls=bool(config["use_directory_urls"]), site_name=str(config["site_name"]),
            site_url=config["site_url"] or None, progress=progress, on_changes=found.append,
        )
        markdown_pages = sum(1 for _ in project.docs_dir.rglob("*.md"))
        if on_stage:
            on_stage(f"wrote {pages} pages to {project.docs_dir}")
        config = _load_mkdocs_config(project, staging, site_url)  # re-read: SOURCE_DATE_EPOCH is now set
        with progress.stage("mkdocs", total=2 * markdown_pages, unit="steps (read + write a page)") as step, \
                _capture_mkdocs_log() as log, _count_mkdocs_pages(step):
            try:
                mkdocs_build(config)
            except MkDocsException as err:
                details = log.getvalue().strip() or str(err)
                raise BuildFailed(
                    f"MkDocs could not build the site, so {project.site_dir} was left as it was.\n{details}\n"
                    "Fix the configuration or template it names and run the build again."
                ) from None
        size, files = site_size(staging)
        swap_in(staging, project.site_dir)
        found[0].save(project.build_dir)
        return BuildReport(
            result, pages, project.site_dir, dict(progress.seconds), config["site_url"] or None,
            changes=found[0].report, site_bytes=size, site_files=files,
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
            f"the build stopped: {err.strerror or err}{where}, so {project.site_dir} was left as it was.\n"
            f"To fix it, {fix} and run the build again."
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)

"""``papercat build``: ingest → classify → write Markdown pages → MkDocs build → swap in the new site."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, PapercatError
from ..ingest import IngestResult, ingest_content
from ..readers import SourceMeta
from ..sources import load_sources
from ..topics import TaxonomyError, classify, load_overrides, load_taxonomy
from .pages import PageRenderer, SiteModel
from .settings import load_settings
from .writer import swap_in, write_docs


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


class BuildFailed(PapercatError):
    """MkDocs could not build the site; the previous site is left as it was."""


@contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def _source_date_epoch(metas: dict[str, SourceMeta], result: IngestResult) -> int:
    """A build timestamp that depends only on the inputs, so two builds are byte-identical."""
    dates = [m.captured for m in metas.values() if m.captured]
    dates += [dt.date.fromisoformat(p.date) for p in result.papers if p.date]
    newest = max(dates, default=dt.date(2000, 1, 1))
    return calendar.timegm(newest.timetuple())


def _load_mkdocs_config(project: Project, site_dir: Path):  # type: ignore[no-untyped-def]
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not project.mkdocs_file.is_file():
        raise ConfigError(str(project.mkdocs_file), "(file)", "an mkdocs.yml", "no such file")
    project.docs_dir.mkdir(parents=True, exist_ok=True)
    try:
        with _capture_mkdocs_log() as log:
            config = load_config(
                config_file=str(project.mkdocs_file), docs_dir=str(project.docs_dir), site_dir=str(site_dir), strict=True
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


def generate_docs(project: Project, *, directory_urls: bool = True, site_name: str = "papercat") -> tuple[IngestResult, int, dict[str, float]]:
    """Everything before MkDocs: read, classify and write the Markdown pages to ``build/docs``."""
    timings: dict[str, float] = {}
    settings = load_settings(project.config_dir)
    try:
        taxonomy = load_taxonomy(project.config_dir / "topics.yml")
        overrides = load_overrides(project.config_dir / "overrides.yml", taxonomy)
    except TaxonomyError as err:
        raise PapercatError(str(err)) from None
    template_dir = project.config_dir / "templates" / "pages"
    if not template_dir.is_dir():
        raise ConfigError(str(template_dir), "(folder)", "the page templates folder", "no such folder")
    with _stage(timings, "ingest"):
        result = ingest_content(project.content_dir)
    metas, _ = load_sources(project.content_dir)
    with _stage(timings, "classify"):
        assignments = classify(result.papers, taxonomy, overrides=overrides)
    with _stage(timings, "render"):
        model = SiteModel.build(
            result, assignments, taxonomy, settings, site_name=site_name,
            captured={name: m.captured.isoformat() for name, m in metas.items() if m.captured},
        )
        pages = PageRenderer(template_dir, directory_urls=directory_urls).pages(model)
    with _stage(timings, "write"):
        write_docs(project.docs_dir, pages, project.config_dir / "assets")
    os.environ["SOURCE_DATE_EPOCH"] = str(_source_date_epoch(metas, result))
    return result, len(pages), timings


def build_site(project: Project, *, on_stage: Callable[[str], None] | None = None) -> BuildReport:
    """Build the whole site into ``project.site_dir``; on any failure the previous site stays untouched."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    staging = Path(tempfile.mkdtemp(prefix=f".{project.site_dir.name}.building-", dir=project.site_dir.parent))
    try:
        config = _load_mkdocs_config(project, staging)
        result, pages, timings = generate_docs(
            project, directory_urls=bool(config["use_directory_urls"]), site_name=str(config["site_name"])
        )
        if on_stage:
            on_stage(f"wrote {pages} pages to {project.docs_dir}")
        config = _load_mkdocs_config(project, staging)  # re-read: SOURCE_DATE_EPOCH is now set
        with _stage(timings, "mkdocs"), _capture_mkdocs_log() as log:
            try:
                mkdocs_build(config)
            except (MkDocsException, OSError) as err:
                details = log.getvalue().strip() or str(err)
                raise BuildFailed(
                    f"MkDocs could not build the site, so {project.site_dir} was left as it was.\n{details}\n"
                    "Fix the configuration or template it names and run the build again."
                ) from None
        swap_in(staging, project.site_dir)
        return BuildReport(result, pages, project.site_dir, timings)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)

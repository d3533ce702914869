"""The ``papercat`` command line: every command in one place."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PapercatError, template_error, template_frame, theme_syntax_error
from .ingest import IngestResult, ingest_content, ingest_messages, summary_table
from .ingest.catalogue import check_ingest_outputs, require_folder, write_catalogue, write_rejections
from .ingest.sources import SOURCES_FILE
from .progress import Progress
from .site.changes import summary as changes_summary

if TYPE_CHECKING:

    from .site.build import Project

DEFAULT_CONTENT = Path("content")
DEFAULT_BUILD = Path("build")


def _print_details(result: IngestResult, *, verbose: bool) -> None:
    """What every command says about an ingest: readers (verbose), sources.yml warnings, rejected records."""
    if verbose:
        print("readers:")
        for report in result.files:
            print(f"  {report.file}: {report.reader or 'none'} — {report.reason}" + (f" [{report.encoding}]" if report.encoding else ""))
            if report.tried and report.reader:
                for tried in report.tried:
                    print(f"      tried {tried}")
        for notice in result.notices:
            print(f"  note: {notice}")
    elif result.notices:
        print(
            f"{len(result.notices)} note(s) on how the listings were read (skipped page text, titles and dates "
            "inferred, text repaired); add -v to see them"
        )
    for line in ingest_messages(result):
        print(line, file=sys.stderr)
    for first, second, why in result.possible_duplicates:
        print(f"possible duplicate: {first} and {second} were kept apart as two papers ({why})")


def _listings_folder(default: Path) -> Path:
    """The folder of listings a command reads without ``--content``: ``docs_dir`` of this folder's ``mkdocs.yml``
    (as build and serve read it), else ``default``."""
    mkdocs_file = Path("mkdocs.yml")
    if not mkdocs_file.is_file():
        return default
    from mkdocs.utils.yaml import yaml_load

    try:
        with mkdocs_file.open(encoding="utf-8") as source:
            data = yaml_load(source)
    except Exception:  # noqa: BLE001 - a broken mkdocs.yml is reported where it is read whole
        return default
    docs_dir = data.get("docs_dir") if isinstance(data, dict) else None
    return Path(docs_dir) if isinstance(docs_dir, str) and docs_dir.strip() else default


def _config_dir(args: argparse.Namespace) -> Path:
    """The site configuration folder a command reads: ``--config``, else ``site_config`` of this folder."""
    return Path(getattr(args, "config", None) or "site_config").resolve()


def _own_working_folder(args: argparse.Namespace) -> None:
    """The working folder ``ingest`` writes into, refused when it is not papercat's (see site/output.py)."""
    from .site.output import OutputFolders, check_output_folders, own_build_folder

    root = Path.cwd().resolve()
    check_output_folders(OutputFolders(
        root=root, mkdocs_file=root / "mkdocs.yml", content_dir=Path(args.content).resolve(),
        config_dir=_config_dir(args), site_dir=None,
        build_dir=Path(args.build_dir).resolve(),
    ))
    own_build_folder(Path(args.build_dir))


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.out is not None:
        out: Path = args.out
        if out.name in ("", ".", ".."):
            raise PapercatError(f"--out {out}: a folder, not a file: give the path of the catalogue to write, e.g. --out catalogue.jsonl")
        require_folder(out.parent, "the folder of --out")
        inputs = [(Path(args.content), "the content folder"), (_config_dir(args), "the configuration folder"),
                  (Path("mkdocs.yml"), "mkdocs.yml")]
        check_ingest_outputs(out, out.with_name("rejected.jsonl"), inputs)
    else:
        out = args.build_dir / "catalogue.jsonl"
        require_folder(Path(args.content), "the content folder")  # before the working folder is created
        _own_working_folder(args)
    rejections: Path = out.with_name("rejected.jsonl")
    with Progress() as progress:
        result = ingest_content(args.content, progress=progress)
    write_catalogue(result.papers, out)
    write_rejections(result.rejected, rejections)
    _print_details(result, verbose=args.verbose)
    print(summary_table(result))
    print(f"catalogue: {out} ({len(result.papers)} papers)")
    print(f"rejections: {rejections} ({len(result.rejected)} rejected)")
    return 0


def _config_problems(args: argparse.Namespace, result: IngestResult) -> list[str]:
    """Mistakes ``check`` finds in what a build reads besides the listings, so that a check that passes
    means the build does: ``mkdocs.yml`` (when the folder has one), every file of ``site_config/``
    (settings, taxonomy, overrides of papers that do not exist, links out of it), and whether every
    page template compiles."""
    import jinja2

    from .site.build import (
        SiteConfig,
        check_static_paths,
        expected_site_paths,
        load_mkdocs_config,
        nav_problems,
        override_warnings,
    )
    from .site.pages import PageRenderer

    problems: list[str] = []
    project = _project(args)
    if project.mkdocs_file.is_file():
        try:
            problems.extend(nav_problems(load_mkdocs_config(project)))
        except PapercatError as err:
            problems.append(str(err))
    try:
        config = SiteConfig.load(_config_dir(args))
    except PapercatError as err:
        return [*problems, str(err)]
    try:  # a file of site_config/static/ where the site has one of its own
        check_static_paths(config.folders.static(), expected_site_paths(config))
    except PapercatError as err:
        problems.append(str(err))
    env = PageRenderer(config.folders.template_dirs()).env
    for name in env.list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            problems.append(f"{err.filename}: line {err.lineno}: {err.message} (a page template)")
    # The theme templates a project overrides (site_config/theme/): parsed as MkDocs reads them.
    theme = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    for folder in config.folders.theme_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".xml", ".j2") and path.is_file():
                try:
                    theme.parse(path.read_text(encoding="utf-8"), filename=str(path))
                except jinja2.TemplateSyntaxError as err:
                    problems.append(theme_syntax_error(str(path), err.lineno, err.message or str(err)))
                except (OSError, UnicodeDecodeError) as err:
                    problems.append(f"{path}: cannot be read as UTF-8 text ({err})")
    return problems + override_warnings(config.folders, config.overrides, result)


def cmd_check(args: argparse.Namespace) -> int:
    try:
        with Progress() as progress:
            result = ingest_content(args.content, progress=progress)
    except PapercatError as err:  # content/sources.yml, or no content folder: a mistake in the inputs, as the others
        print(f"papercat: error: {err}", file=sys.stderr)
        print("check failed: the listings could not be read", file=sys.stderr)
        return 1
    _print_details(result, verbose=args.verbose)
    print(summary_table(result))
    problems = _config_problems(args, result)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not result.files:
        print(f"check failed: no listing files in {args.content}", file=sys.stderr)
        return 1
    if result.rejected or not result.reconciles():
        print(f"check failed: {len(result.rejected)} record(s) rejected", file=sys.stderr)
        return 1
    if problems:
        print(f"check failed: {len(problems)} mistake(s) in the site configuration", file=sys.stderr)
        return 1
    if result.warnings:  # a misspelt key would leave a listing's capture date or venue unset, silently
        print(f"check failed: {len(result.warnings)} mistake(s) in {SOURCES_FILE} (the warnings above)", file=sys.stderr)
        return 1
    print("check passed: every record is a paper or a merged duplicate")
    return 0


def _project(args: argparse.Namespace) -> Project:
    from .site.build import Project

    content = args.content if getattr(args, "content_given", False) else None
    build_dir = args.build_dir if getattr(args, "build_dir_given", False) else None
    return Project.at(
        Path.cwd(), content=content, config=getattr(args, "config", None), mkdocs_file=getattr(args, "config_file", None),
        site_dir=getattr(args, "site_dir", None), build_dir=build_dir,
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import build_site
    from .site.render import RenderOptions

    project = _project(args)
    if args.jobs is not None and args.jobs < 1:
        raise PapercatError(f"--jobs needs a positive number of processes, not {args.jobs}")
    if args.cluster:
        from .site.render.cluster import check_cluster

        check_cluster(args.cluster)
    render = RenderOptions(jobs=args.jobs or os.cpu_count() or 1, cluster=args.cluster, clean=args.clean)
    start = time.perf_counter()
    with Progress() as progress:
        report = build_site(
            project, site_url=args.site_url, strict=True if args.strict else None,
            on_stage=lambda message: print(message) if args.verbose else None, progress=progress, render=render,
        )
    _print_details(report.ingest, verbose=args.verbose)
    print(summary_table(report.ingest))
    if report.rendering is not None:
        rendering = report.rendering
        print(f"full build: {rendering.full_reason}" if rendering.full_reason else "incremental build: unchanged pages reused")
        print(rendering.summary())
        print(
            f"taken from the last build: {report.listings_reused} listing files' readings, "
            f"{report.markdown_reused} paper pages' Markdown, {report.search_reused} search documents"
        )
    html = report.rendering.written + report.rendering.reused if report.rendering is not None else len(report.prepared.pages)
    others = len(report.prepared.exports)
    print(
        f"built {html} pages and {others} other files (downloads, feeds, listing data) into {report.site_dir} "
        f"in {time.perf_counter() - start:.1f}s"
    )
    print(progress.timings())
    print(changes_summary(report.changes))
    if report.build_dir is not None:
        print(f"change report: {report.build_dir / 'changes.json'} (papercat changes --markdown prints it for a CI job summary)")
    print(f"site size: {report.site_bytes / 1e6:.1f} MB in {report.site_files} files (GitHub Pages publishes at most 1 GB)")
    if report.size_warning:
        print(report.size_warning, file=sys.stderr)
    if not report.site_url:
        print(
            "note: no site_url set, so pages have no canonical URL and the sitemap is empty; "
            "pass --site-url https://USER.github.io/REPO/ (or set site_url in mkdocs.yml) when publishing"
        )
    print(f"open it: python3 -m http.server --directory {report.site_dir} 8000  then visit http://localhost:8000/")
    print("or preview with live reload: papercat serve  (or: mkdocs serve)")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from .site.changes import markdown, read_report

    report = read_report(args.build_dir)
    if report is None:
        print(f"papercat: no change report in {args.build_dir} (run papercat build first)", file=sys.stderr)
        return 1
    print(markdown(report) if args.markdown else changes_summary(report, limit=None), end="" if args.markdown else "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``mkdocs serve`` with the papercat plugin: a mistake in the inputs is shown, never fatal."""
    import logging

    from mkdocs.commands.serve import serve
    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import IpAddress
    from mkdocs.exceptions import Abort, ConfigurationError

    from .site.build import load_mkdocs_config

    project = _project(args)
    try:  # the option's value, checked as MkDocs checks it: its mistake is the option's, not mkdocs.yml's
        IpAddress().validate(args.dev_addr)  # type: ignore[no-untyped-call]
    except ValidationError:
        raise PapercatError(f"--dev-addr {args.dev_addr!r} is not an address to serve on: give IP:PORT, e.g. 127.0.0.1:8001") from None
    load_mkdocs_config(project)  # a missing mkdocs.yml or papercat plugin: a clear error before serving
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("papercat")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    print(f"papercat: serving on http://{args.dev_addr}/ (Ctrl+C to stop); edits to the listings and site settings reload the page")
    overrides: dict[str, object] = {"dev_addr": args.dev_addr}
    if project.content_dir is not None:
        overrides["docs_dir"] = str(project.content_dir)
    try:
        serve(config_file=str(project.mkdocs_file), livereload=True, **overrides)  # type: ignore[arg-type]
    except (ConfigurationError, Abort) as err:
        raise PapercatError(f"{project.mkdocs_file}: {err}") from None
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise PapercatError(f"{args.dev_addr} is in use (another preview, or mkdocs serve, is running): stop it, "
                                "or serve on another port with --dev-addr 127.0.0.1:8001") from None
        if err.errno == errno.EADDRNOTAVAIL:
            raise PapercatError(f"cannot serve on {args.dev_addr}: no such address on this machine; "
                                "give --dev-addr 127.0.0.1:8001 or another of its addresses") from None
        raise
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .defaults import BUNDLED_CONFIG
    from .new import create_project, installed_requirement

    target: Path = args.directory
    for option in ("content", "build_dir"):
        if getattr(args, f"{option}_given", False):
            raise PapercatError(
                f"papercat new makes a project with its listings in content/ and its working folder in build/; "
                f"--{option.replace('_', '-')} is for the commands run in it (or set docs_dir in its mkdocs.yml)"
            )
    requirement = installed_requirement()
    created = create_project(target, requirement)
    print(f"created a catalogue in {target}:")
    for path in created:
        print(f"  {path}")
    if requirement.note:
        print(f"note: {requirement.note}")
    print(
        f"next: cd {target} && papercat build   (or: mkdocs serve for a live preview)\n"
        "put your listings into content/; to change a bundled file (topics.yml, a page template, the CSS), "
        f"copy it from {BUNDLED_CONFIG} into site_config/ and edit it there"
    )
    return 0


def cmd_topics_eval(args: argparse.Namespace) -> int:
    from .ingest import ingest_content
    from .site.build import load_topic_config
    from .topics.evaluate import evaluate

    if args.labels is None:
        raise PapercatError(
            "topics eval needs a labels file: papercat topics eval --labels LABELS.yml "
            "(papers with their correct topics, e.g. tests/data/topic_labels.yml in papercat's repository)"
        )
    if not args.labels.is_file():
        raise PapercatError(f"labels file {args.labels} does not exist")
    taxonomy, overrides = load_topic_config(args.config or Path("site_config"))
    result = ingest_content(args.content)
    report = evaluate(result.papers, taxonomy, args.labels, split=args.split, overrides=overrides)
    print(report.format(show_errors=args.errors))
    return 0


def cmd_topics_suggest(args: argparse.Namespace) -> int:
    from .ingest import ingest_content
    from .site.build import load_topic_config
    from .topics import classify
    from .topics.suggest import format_suggestions, suggest_topics

    taxonomy, overrides = load_topic_config(args.config or Path("site_config"))
    result = ingest_content(args.content)
    assignments = classify(result.papers, taxonomy, overrides=overrides)
    print(format_suggestions(suggest_topics(result.papers, taxonomy, assignments)))
    return 0


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options every command takes, before or after its name (``papercat --content x build`` = ``papercat build --content x``).

    On the sub-commands their default is ``SUPPRESS`` so a value given before the command name is kept.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument(
        "--content", type=Path, default=default(DEFAULT_CONTENT), metavar="DIR", action=_Given,
        help="folder of listing files to read (default: docs_dir of mkdocs.yml, else content/)",
    )
    group.add_argument(
        "--build-dir", type=Path, default=default(DEFAULT_BUILD), metavar="DIR", action=_Given,
        help="working folder for the catalogue and the rejected records of ingest (default: build/)",
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", default=default(False),
        help="say more: which reader took each file and why, and each build stage as it ends",
    )


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, description: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description)
    _global_options(parser, suppress=True)
    return parser


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=None, metavar="DIR",
        help="site settings folder: site.yml, topics.yml, overrides.yml, templates, theme, assets; each file it has "
        "replaces papercat's bundled one (default: config_dir of the papercat plugin in mkdocs.yml, site_config/)",
    )


def _mkdocs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f", "--config-file", type=Path, default=None, metavar="FILE", help="MkDocs configuration (default: mkdocs.yml)"
    )


def add_site_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = _command(
        sub, "build", "build the static site (into site_dir of mkdocs.yml, site/)",
        "Build the site with MkDocs and swap the finished site into the site folder: "
        "MkDocs + Material run with the papercat plugin, which reads the listings, assigns topics and related "
        "papers and generates one page per paper, topic and month, and build into a staging folder that replaces "
        "the site folder only when the build succeeded. On any error the previous site is left as it was.",
    )
    _config_option(build)
    _mkdocs_option(build)
    build.add_argument(
        "-d", "--site-dir", type=Path, default=None, metavar="DIR", help="output folder (default: site_dir of mkdocs.yml, site/)"
    )
    build.add_argument("-s", "--strict", action="store_true", help="stop on MkDocs warnings (also: strict: true in mkdocs.yml)")
    build.add_argument(
        "--site-url", default=None, metavar="URL",
        help="published address (e.g. https://USER.github.io/REPO/): canonical links, sitemap and feeds use it "
        "(default: site_url of mkdocs.yml, or $PAPERCAT_SITE_URL)",
    )
    build.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="processes that render the pages (default: the number of cores); the site is the same whatever N is",
    )
    build.add_argument(
        "--cluster", default=None, metavar="tcp://HOST:8786",
        help="render the pages on the workers of this Dask scheduler (needs pip install 'papercat[cluster]')",
    )
    build.add_argument(
        "--clean", action="store_true",
        help="ignore the state of the last build (in build/) and render every page; the site is the same either way",
    )
    build.set_defaults(func=cmd_build)

    serve = _command(
        sub, "serve", "preview the site with live reload (mkdocs serve with the papercat plugin)",
        "Serve the site with MkDocs' development server; edits to the listings, mkdocs.yml and the site settings "
        "rebuild it and reload the browser. A mistake in them is shown in the browser until it is fixed.",
    )
    _mkdocs_option(serve)
    serve.add_argument(
        "-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on (default: 127.0.0.1:8000)"
    )
    serve.set_defaults(func=cmd_serve)

    new = _command(
        sub, "new", "create a new catalogue in a new or empty folder",
        "Create a working catalogue: content/ with an example listing, mkdocs.yml, site_config/site.yml, the GitHub "
        "Pages workflow, requirements.txt and a README. It builds at once with papercat build or mkdocs build.",
    )
    new.add_argument("directory", type=Path, metavar="DIR", help="folder to create (it must be new or empty)")
    new.set_defaults(func=cmd_new)

    topics = _command(
        sub, "topics", "topic tools: eval, suggest",
        "Measure and improve the topic taxonomy (topics.yml in the site settings folder).",
    )
    topics_sub = topics.add_subparsers(dest="topics_command", required=True, metavar="{eval,suggest}")
    ev = _command(
        topics_sub, "eval", "accuracy of topic assignment on the labelled papers",
        "Classify the catalogue and compare each labelled paper's primary topic with its label; prints accuracy, "
        "per-topic precision and recall.",
    )
    _config_option(ev)
    ev.add_argument(
        "--labels", type=Path, default=None, metavar="FILE",
        help="YAML list of hand-labelled papers, each with title (or abstract_start), primary (its topic's slug), "
        "acceptable (the slugs a reader would accept, primary first) and split (test or tune) (required; "
        "papercat's own repository has tests/data/topic_labels.yml)",
    )
    ev.add_argument(
        "--split", choices=("test", "tune", "all"), default="test",
        help="which labelled papers to score: the held-out test split, the tuning split or all (default: test)",
    )
    ev.add_argument("--errors", action="store_true", help="list the papers given a wrong primary topic")
    ev.set_defaults(func=cmd_topics_eval)
    sg = _command(
        topics_sub, "suggest", "propose new topics from papers that fit the taxonomy poorly",
        "Group the papers no keyword rule decides by shared terms and print candidate topics with example papers.",
    )
    _config_option(sg)
    sg.set_defaults(func=cmd_topics_suggest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papercat",
        description="Build a research-paper catalogue site from raw listings: daily-papers pages, search results, "
        "topic listings, abstract lists, BibTeX, arXiv Atom and YAML files in one folder become a deduplicated "
        "catalogue and a searchable MkDocs + Material site.",
        epilog="Run 'papercat COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")

    ingest = _command(
        sub, "ingest", "read the listings and write the catalogue as JSON Lines",
        "Read every listing, merge duplicates and write the catalogue (one paper a line, sorted by id) and the "
        "rejected records next to it; print a per-file summary that reconciles.",
    )
    ingest.add_argument(
        "--out", type=Path, metavar="FILE",
        help="catalogue path; rejected.jsonl is written beside it; its folder must exist (default: BUILD_DIR/catalogue.jsonl)",
    )
    ingest.set_defaults(func=cmd_ingest)

    check = _command(
        sub, "check", "validate the content and the overrides; exit 1 when any record is rejected",
        "Read every listing as ingest does without writing anything; name each rejected record with its file, "
        "line and reason, list possible duplicates (same title, kept apart), and exit 1 when any record was rejected, "
        "there are no listings, sources.yml has an unknown key or names a file that does not exist, or overrides.yml "
        "names a paper id that does not exist (for CI on content changes).",
    )
    _config_option(check)
    check.set_defaults(func=cmd_check)

    add_site_commands(sub)

    changes = _command(
        sub, "changes", "show what the last build changed",
        "Print the change report of the last build (BUILD_DIR/changes.json): papers added, removed and changed "
        "(which fields), merged differently, moved topic, and rejections new since the build before. "
        "Exit 1 when there is no report yet.",
    )
    changes.add_argument(
        "--markdown", action="store_true",
        help="print it as Markdown, e.g. for a GitHub Actions job summary (>> $GITHUB_STEP_SUMMARY)",
    )
    changes.set_defaults(func=cmd_changes)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("papercat")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _Given(argparse.Action):
    """An option that remembers it was given: build and serve then use it instead of mkdocs.yml's setting."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        setattr(namespace, f"{self.dest}_given", True)


class _Interrupts:
    """Ctrl-C, remembered: an interrupt that lands inside a library's import or C code can surface as another error."""

    seen = False

    @classmethod
    def handle(cls, signum: int, frame: object) -> None:
        cls.seen = True
        raise KeyboardInterrupt


def _theme_template_error(err: Exception) -> str | None:
    """A mistake in a theme template MkDocs renders (``site_config/theme/main.html``), as a message; None for any other error."""
    import jinja2

    if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
        return theme_syntax_error(err.filename, err.lineno, err.message or str(err))
    if isinstance(err, jinja2.TemplateNotFound):
        return f"a theme template asks for {err.name!r}, which no theme folder has (site_config/theme/, or the theme's own)"
    if template_frame(err) is not None:  # an error raised while a template ran ({{ 1 // 0 }}, a bad filter)
        return template_error(err)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "content") and not getattr(args, "content_given", False):
        args.content = _listings_folder(args.content)  # check, ingest and topics read what the build reads
        args.outside = args.func in (cmd_check, cmd_ingest, cmd_topics_suggest) and not (
            Path(args.content).exists() or Path("mkdocs.yml").exists()
        )
    _Interrupts.seen = False
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _Interrupts.handle)
    try:
        if getattr(args, "outside", False):
            raise PapercatError(
                f"no catalogue here: {Path.cwd()} has no mkdocs.yml and no {args.content}/ folder "
                "(run papercat in a catalogue folder, or create one with `papercat new FOLDER`)"
            )
        return int(args.func(args))
    except PapercatError as err:
        print(f"papercat: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("papercat: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not bad input: say so without a wall of traceback
        if (where := _theme_template_error(err)) is not None:  # a theme template of the project's: its mistake
            print(f"papercat: error: {where}", file=sys.stderr)
            return 2
        if _Interrupts.seen:  # e.g. "ImportError: initialization failed" from a module whose import Ctrl-C stopped
            print("papercat: interrupted", file=sys.stderr)
            return 130
        if os.environ.get("PAPERCAT_DEBUG"):
            traceback.print_exc()
        print(f"papercat: internal error: {type(err).__name__}: {err} (set PAPERCAT_DEBUG=1 for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())

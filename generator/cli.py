"""The ``papercat`` command line: every command in one place."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PapercatError
from .ingest import IngestResult, ingest_content, summary_table
from .ingest.catalogue import ensure_build_dir, require_folder, write_catalogue, write_rejections
from .progress import Progress
from .site.changes import summary as changes_summary

if TYPE_CHECKING:
    from .site.build import Project

DEFAULT_CONTENT = Path("content")
DEFAULT_BUILD = Path("build")


def _print_details(result: IngestResult, *, verbose: bool) -> None:
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if verbose:
        print("readers:")
        for report in result.files:
            print(f"  {report.file}: {report.reader or 'none'} — {report.reason}" + (f" [{report.encoding}]" if report.encoding else ""))
            if report.tried and report.reader:
                for tried in report.tried:
                    print(f"      tried {tried}")
        for notice in result.notices:
            print(f"  note: {notice}")
    for rejected in result.rejected:
        print(f"rejected: {rejected.file}:{rejected.line}: {rejected.reason}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.out is not None:
        out: Path = args.out
        require_folder(out.parent, "the folder of --out")
    else:
        out = args.build_dir / "catalogue.jsonl"
        ensure_build_dir(args.build_dir)
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


def cmd_check(args: argparse.Namespace) -> int:
    with Progress() as progress:
        result = ingest_content(args.content, progress=progress)
    _print_details(result, verbose=args.verbose)
    print(summary_table(result))
    if not result.files:
        print(f"check failed: no listing files in {args.content}", file=sys.stderr)
        return 1
    if result.rejected or not result.reconciles():
        print(f"check failed: {len(result.rejected)} record(s) rejected", file=sys.stderr)
        return 1
    print("check passed: every record is a paper or a merged duplicate")
    return 0


def _project(args: argparse.Namespace) -> Project:
    from .site.build import Project

    return Project.at(
        Path.cwd(), content=args.content, config=args.config, mkdocs_file=getattr(args, "mkdocs_file", None),
        build_dir=args.build_dir, site_dir=getattr(args, "site_dir", None),
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import build_site

    project = _project(args)
    ensure_build_dir(project.build_dir)
    require_folder(project.site_dir.parent, "the folder that should hold the site folder")
    start = time.perf_counter()
    with Progress() as progress:
        report = build_site(
            project, on_stage=lambda message: print(message) if args.verbose else None, site_url=args.site_url,
            progress=progress,
        )
    for rejected in report.ingest.rejected:
        print(f"rejected: {rejected.file}:{rejected.line}: {rejected.reason}", file=sys.stderr)
    print(summary_table(report.ingest))
    print(f"built {report.pages} pages into {report.site_dir} in {time.perf_counter() - start:.1f}s")
    print(progress.timings())
    print(changes_summary(report.changes))
    print(f"change report: {project.build_dir / 'changes.json'} (papercat changes --markdown prints it for a CI job summary)")
    print(f"site size: {report.site_bytes / 1e6:.1f} MB in {report.site_files} files (GitHub Pages publishes at most 1 GB)")
    if report.size_warning:
        print(report.size_warning, file=sys.stderr)
    if not report.site_url:
        print(
            "note: no site_url set, so pages have no canonical URL and the sitemap is empty; "
            "pass --site-url https://USER.github.io/REPO/ (or set site_url in mkdocs.yml) when publishing"
        )
    print(f"open it: python3 -m http.server --directory {report.site_dir} 8000  then visit http://localhost:8000/")
    print("or preview with live reload: python3 dev.py serve")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from .site.changes import markdown, read_report

    report = read_report(args.build_dir)
    if report is None:
        print(f"papercat: no change report in {args.build_dir} (run papercat build first)", file=sys.stderr)
        return 1
    print(markdown(report) if args.markdown else changes_summary(report, limit=None), end="" if args.markdown else "\n")
    return 0


def _inputs_stamp(project: Project) -> tuple[tuple[str, float], ...]:
    stamp = []
    for folder in (project.content_dir, project.config_dir):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stamp.append((str(path), path.stat().st_mtime))
    return tuple(stamp)


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from .site.build import generate_docs

    project = _project(args)
    generate_docs(project)
    stamp = _inputs_stamp(project)

    def regenerate() -> None:
        nonlocal stamp
        while True:
            time.sleep(1.0)
            current = _inputs_stamp(project)
            if current != stamp:
                stamp = current
                try:
                    generate_docs(project)
                    print("papercat: content changed, pages regenerated")
                except PapercatError as err:
                    print(f"papercat: error: {err}", file=sys.stderr)

    threading.Thread(target=regenerate, daemon=True).start()
    print(f"papercat: serving on http://{args.dev_addr}/ (Ctrl+C to stop); edits to content/ and site_config/ reload the page")
    serve(
        config_file=str(project.mkdocs_file), docs_dir=str(project.docs_dir), dev_addr=args.dev_addr,
        livereload=True, watch=[str(project.config_dir / "theme")],
    )
    return 0


def cmd_topics_eval(args: argparse.Namespace) -> int:
    from .ingest import ingest_content
    from .site.build import load_topic_config
    from .topics.evaluate import evaluate

    project = _project(args)
    taxonomy, overrides = load_topic_config(project.config_dir)
    result = ingest_content(project.content_dir)
    report = evaluate(result.papers, taxonomy, args.labels, split=args.split, overrides=overrides)
    print(report.format(show_errors=args.errors))
    return 0


def cmd_topics_suggest(args: argparse.Namespace) -> int:
    from .ingest import ingest_content
    from .site.build import load_topic_config
    from .topics import classify
    from .topics.suggest import format_suggestions, suggest_topics

    project = _project(args)
    taxonomy, overrides = load_topic_config(project.config_dir)
    result = ingest_content(project.content_dir)
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
        "--content", type=Path, default=default(DEFAULT_CONTENT), metavar="DIR",
        help="folder of listing files to read (default: content/)",
    )
    group.add_argument(
        "--build-dir", type=Path, default=default(DEFAULT_BUILD), metavar="DIR",
        help="working folder for the catalogue, the generated pages and the change report (default: build/)",
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
        help="site settings folder: site.yml, topics.yml, overrides.yml, templates, theme, assets (default: site_config/)",
    )


def _mkdocs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mkdocs-file", type=Path, default=None, metavar="FILE", help="MkDocs configuration (default: mkdocs.yml)"
    )


def add_site_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = _command(
        sub, "build", "build the static site into site/",
        "Read the listings, assign topics and related papers, write one Markdown page per paper, topic and month "
        "to BUILD_DIR/docs, build them with MkDocs + Material and swap the finished site into the site folder. "
        "On any error the previous site is left as it was.",
    )
    _config_option(build)
    _mkdocs_option(build)
    build.add_argument("--site-dir", type=Path, default=None, metavar="DIR", help="output folder (default: site/)")
    build.add_argument(
        "--site-url", default=None, metavar="URL",
        help="published address (e.g. https://USER.github.io/REPO/): canonical links, sitemap and feeds use it "
        "(default: site_url of mkdocs.yml, or $PAPERCAT_SITE_URL)",
    )
    build.set_defaults(func=cmd_build)

    serve = _command(
        sub, "serve", "preview the site with live reload",
        "Generate the pages and serve them with MkDocs' development server; edits to the content and the site "
        "settings regenerate the pages and reload the browser.",
    )
    _config_option(serve)
    _mkdocs_option(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on (default: 127.0.0.1:8000)")
    serve.set_defaults(func=cmd_serve)

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
        "--labels", type=Path, default=Path("tests/data/topic_labels.yml"), metavar="FILE",
        help="YAML file of hand-labelled papers: title, topic and split (default: tests/data/topic_labels.yml)",
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
        sub, "check", "validate the content; exit 1 when any record is rejected",
        "Read every listing as ingest does without writing anything; name each rejected record with its file, "
        "line and reason, and exit 1 when any record was rejected or there are no listings (for CI on content changes).",
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PapercatError as err:
        print(f"papercat: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("papercat: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not bad input: say so without a wall of traceback
        if os.environ.get("PAPERCAT_DEBUG"):
            traceback.print_exc()
        print(f"papercat: internal error: {type(err).__name__}: {err} (set PAPERCAT_DEBUG=1 for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())

"""The site commands of ``papercat``: build, serve, topics eval and topics suggest."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from .errors import PapercatError


def _project(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .site.build import Project

    return Project.at(
        Path.cwd(), content=args.content, config=args.config, mkdocs_file=args.mkdocs_file,
        build_dir=args.build_dir, site_dir=getattr(args, "site_dir", None),
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .ingest import summary_table
    from .site.build import build_site

    project = _project(args)
    start = time.perf_counter()
    report = build_site(project, on_stage=lambda message: print(message) if args.verbose else None, site_url=args.site_url)
    for rejected in report.ingest.rejected:
        print(f"rejected: {rejected.file}:{rejected.line}: {rejected.reason}", file=sys.stderr)
    print(summary_table(report.ingest))
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    print(f"built {report.pages} pages into {report.site_dir} in {time.perf_counter() - start:.1f}s ({stages})")
    if not report.site_url:
        print(
            "note: no site_url set, so pages have no canonical URL and the sitemap is empty; "
            "pass --site-url https://USER.github.io/REPO/ (or set site_url in mkdocs.yml) when publishing"
        )
    print(f"open it: python3 -m http.server --directory {report.site_dir} 8000  then visit http://localhost:8000/")
    print("or preview with live reload: python3 dev.py serve")
    return 0


def _inputs_stamp(project) -> tuple[tuple[str, float], ...]:  # type: ignore[no-untyped-def]
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


def add_site_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--config", type=Path, default=None, help="site settings folder (default: site_config/)")
        parser.add_argument("--mkdocs-file", type=Path, default=None, help="MkDocs configuration (default: mkdocs.yml)")

    build = sub.add_parser("build", help="build the static site into site/")
    common(build)
    build.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    build.add_argument(
        "--site-url", default=None,
        help="published address (e.g. https://USER.github.io/REPO/): canonical links, sitemap and feeds use it "
        "(default: site_url of mkdocs.yml, or $PAPERCAT_SITE_URL)",
    )
    build.add_argument("-v", "--verbose", action="store_true")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="preview the site with live reload")
    common(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.set_defaults(func=cmd_serve)

    topics = sub.add_parser("topics", help="topic tools: eval, suggest")
    topics_sub = topics.add_subparsers(dest="topics_command", required=True)
    ev = topics_sub.add_parser("eval", help="accuracy of topic assignment on the labelled papers")
    common(ev)
    ev.add_argument("--labels", type=Path, default=Path("tests/data/topic_labels.yml"))
    ev.add_argument("--split", choices=("test", "tune", "all"), default="test")
    ev.add_argument("--errors", action="store_true", help="list the papers given a wrong primary topic")
    ev.set_defaults(func=cmd_topics_eval)
    sg = topics_sub.add_parser("suggest", help="propose new topics from papers that fit the taxonomy poorly")
    common(sg)
    sg.set_defaults(func=cmd_topics_suggest)

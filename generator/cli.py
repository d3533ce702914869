"""The ``papercat`` command line."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .catalogue import write_catalogue, write_rejections
from .errors import PapercatError
from .ingest import IngestResult, ingest_content, summary_table

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
    result = ingest_content(args.content)
    out: Path = args.out or args.build_dir / "catalogue.jsonl"
    rejections: Path = out.with_name("rejected.jsonl")
    write_catalogue(result.papers, out)
    write_rejections(result.rejected, rejections)
    _print_details(result, verbose=args.verbose)
    print(summary_table(result))
    print(f"catalogue: {out} ({len(result.papers)} papers)")
    print(f"rejections: {rejections} ({len(result.rejected)} rejected)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    result = ingest_content(args.content)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papercat", description="Build a research-paper catalogue site from raw listings.")
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="folder of listings (default: content/)")
    parser.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD, help="working folder (default: build/)")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="read the listings and write the catalogue as JSON Lines")
    ingest.add_argument("--out", type=Path, help="catalogue path (default: build/catalogue.jsonl)")
    ingest.add_argument("-v", "--verbose", action="store_true", help="say which reader took each file and why")
    ingest.set_defaults(func=cmd_ingest)

    check = sub.add_parser("check", help="validate the content; exit 1 when any record is rejected")
    check.add_argument("-v", "--verbose", action="store_true")
    check.set_defaults(func=cmd_check)

    _add_site_commands(sub)
    return parser


def _add_site_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    try:
        from .site_cli import add_site_commands
    except ImportError:
        return
    add_site_commands(sub)


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

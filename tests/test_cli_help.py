"""The command line explains itself: every command and option described, global options before or
after the command, no option that does nothing, output files with normal permissions, missing
folders named instead of created."""

from __future__ import annotations

import argparse
import os
import shutil
import stat
from pathlib import Path

import pytest
from site_fixtures import CONTENT, papercat

from generator.cli import build_parser

pytestmark = pytest.mark.site  # builds sites or runs the papercat command


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    found = [("papercat", build_parser())]
    for name, parser in found:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found.extend((f"{name} {sub}", p) for sub, p in action.choices.items())
    return found


def test_every_command_and_option_is_described() -> None:
    parsers = _parsers()
    names = {name for name, _ in parsers}
    assert {"papercat ingest", "papercat check", "papercat build", "papercat serve", "papercat topics eval",
            "papercat topics suggest", "papercat new"} <= names
    for name, parser in parsers:
        assert parser.description and len(parser.description) > 30, f"{name} has no description"
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help, f"{name} {choice.dest}: no summary"
            elif action.option_strings:
                assert action.help and action.help != argparse.SUPPRESS, f"{name} {action.option_strings}: no help"


def test_help_lists_the_global_options_on_each_command(tmp_path: Path) -> None:
    proc = papercat("build", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for text in ("--content DIR", "--build-dir DIR", "-v, --verbose", "global options (before or after the command)",
                 "--site-url URL", "swap the finished site"):
        assert text in proc.stdout
    top = papercat("--help", cwd=tmp_path)
    assert "read the listings and write the catalogue" in top.stdout and "preview the site" in top.stdout


def test_global_options_work_before_or_after_the_command(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "listings")
    after = papercat("ingest", "--content", "listings", "--build-dir", "after", "-v", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert "readers:" in after.stdout  # -v after the command name
    before = papercat("--content", "listings", "--build-dir", "before", "-v", "ingest", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert "readers:" in before.stdout
    assert (tmp_path / "after" / "catalogue.jsonl").read_bytes() == (tmp_path / "before" / "catalogue.jsonl").read_bytes()
    # given on both sides, the value after the command name wins
    both = papercat("--content", "nowhere", "check", "--content", "listings", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    args = build_parser().parse_args(["build", "--content", "x", "--build-dir", "y"])
    assert (args.content, args.build_dir, args.verbose) == (Path("x"), Path("y"), False)


def test_topics_eval_has_no_mkdocs_option(tmp_path: Path) -> None:
    proc = papercat("topics", "eval", "--mkdocs-file", "mkdocs.yml", cwd=tmp_path)
    assert proc.returncode == 2 and "unrecognized arguments: --mkdocs-file" in proc.stderr
    assert "--mkdocs-file" not in papercat("topics", "suggest", "--help", cwd=tmp_path).stdout


def test_ingest_into_a_missing_folder_is_reported_not_created(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    missing = tmp_path / "nonexistent" / "dir"
    proc = papercat("ingest", "--out", str(missing / "x.jsonl"), cwd=tmp_path)
    assert proc.returncode == 2
    assert f"papercat: error: the folder of --out, {missing}, does not exist" in proc.stderr
    assert not (tmp_path / "nonexistent").exists()
    deep = papercat("ingest", "--build-dir", "no/such/build", cwd=tmp_path)
    assert deep.returncode == 2 and "does not exist" in deep.stderr and not (tmp_path / "no").exists()
    # the build folder itself is papercat's own and is made when its parent exists
    assert papercat("ingest", "--build-dir", "mine", cwd=tmp_path).returncode == 0
    assert (tmp_path / "mine" / "catalogue.jsonl").is_file()


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_output_files_get_normal_permissions(tmp_path: Path, umask: int) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    previous = os.umask(umask)  # inherited by the child process
    try:
        proc = papercat("ingest", "--out", "papers.jsonl", cwd=tmp_path)
    finally:
        os.umask(previous)
    assert proc.returncode == 0, proc.stderr
    for name in ("papers.jsonl", "rejected.jsonl"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o666 & ~umask, f"{name}: {oct(mode)}"

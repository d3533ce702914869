"""The catalogue on disk: JSON Lines, one paper a line, sorted by id, byte-identical across runs."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import PapercatError
from ..model import Paper, Rejected


def dumps_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def require_folder(folder: Path, what: str) -> None:
    """A folder papercat writes into but does not create: name it when it is missing, never create it silently."""
    if folder.is_dir():
        return
    state = "is a file, not a folder" if folder.exists() else "does not exist"
    raise PapercatError(f"{what}, {folder}, {state}; create it first or choose another path")


def _written_by_papercat(path: Path, keys: frozenset[str]) -> bool:
    """Whether an existing file is one papercat wrote: empty, or JSON Lines whose first record has ``keys``."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    if not first.strip():
        return path.stat().st_size == len(first.encode("utf-8"))
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and keys <= record.keys()


CATALOGUE_KEYS = frozenset({"id", "title", "abstract"})
REJECTION_KEYS = frozenset({"file", "line", "reason"})


def check_ingest_outputs(catalogue: Path, rejections: Path, inputs: Iterable[tuple[Path, str]]) -> None:
    """Refuse, before anything is read or written, output files that would overwrite what papercat did not write.

    ``inputs``: the folders and files the build reads (the content folder, the configuration, mkdocs.yml),
    with what to call each; an output in or on one of them is refused, and so is an existing file that is
    not a catalogue or a rejection list papercat wrote.
    """
    for path, keys, what in ((catalogue, CATALOGUE_KEYS, "catalogue"), (rejections, REJECTION_KEYS, "rejection list")):
        target = path.absolute()
        for source, name in inputs:
            source = source.absolute()
            if target == source or target.resolve().is_relative_to(source.resolve()):
                raise PapercatError(f"refusing to write the {what} to {path}: it is in {name}; choose a path outside it")
        if target.is_dir():
            raise PapercatError(f"refusing to write the {what} to {path}: it is a folder; give a file path")
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise PapercatError(f"refusing to write the {what} to {path}: it is not a regular file")
        if target.is_file() and not _written_by_papercat(target, keys):
            raise PapercatError(
                f"refusing to overwrite {path}: it is not a {what} papercat wrote; choose a new file or delete it first"
            )


def ensure_build_dir(build_dir: Path) -> None:
    """Create papercat's working folder itself, but not missing folders above it."""
    require_folder(build_dir.absolute().parent, "the folder that should hold the build folder")
    try:
        build_dir.mkdir(exist_ok=True)
    except FileExistsError:
        raise PapercatError(f"the build folder {build_dir} is a file, not a folder; choose another --build-dir") from None


def write_atomic(path: Path, text: str) -> None:
    """Write a file so a reader sees the old content or the new, never half of it.

    The folder must exist. The file gets the permissions any new file gets (0666 less the umask),
    not the private 0600 of a temporary file.
    """
    require_folder(path.parent, f"the folder of {path.name}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def catalogue_text(papers: Iterable[Paper]) -> str:
    return "".join(dumps_line(p.to_dict()) + "\n" for p in sorted(papers, key=lambda p: p.id))


def rejections_text(rejected: Iterable[Rejected]) -> str:
    return "".join(dumps_line(r.to_dict()) + "\n" for r in sorted(rejected, key=lambda r: (r.file, r.line)))


def write_catalogue(papers: Iterable[Paper], path: Path) -> None:
    write_atomic(path, catalogue_text(papers))


def write_rejections(rejected: Iterable[Rejected], path: Path) -> None:
    write_atomic(path, rejections_text(rejected))


def read_catalogue(path: Path) -> list[Paper]:
    papers = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                papers.append(Paper.from_dict(json.loads(line)))
    return papers

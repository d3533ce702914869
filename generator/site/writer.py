"""Where generated files may go: path checks and writing a docs folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from ..errors import PapercatError


class UnsafePath(PapercatError):
    """A generated path that would land outside the output folder or collide with another."""


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or any(p in ("", ".") for p in rel.parts):
        raise UnsafePath(f"refusing to write {path!r}: not a plain relative path inside the docs folder")
    return rel


def check_site_paths(paths: Iterable[str]) -> None:
    """Refuse any generated path that is not plain and relative, or that collides with another one.

    Two paths that differ only in letter case would overwrite each other on case-insensitive file
    systems; the plugin hands MkDocs only paths that passed this check.
    """
    folded: dict[str, str] = {}
    for path in paths:
        rel = _safe_relative(path)
        key = str(rel).casefold()
        if key in folded:
            raise UnsafePath(f"two files would be written to the same place: {folded[key]!r} and {path!r}")
        folded[key] = path


def write_docs(
    docs_dir: Path, pages: Mapping[str, str | bytes], assets_dir: Path | None = None,
    step: Callable[[int], None] | None = None,
) -> int:
    """Make ``docs_dir`` hold exactly ``pages`` (and the assets); only changed files are rewritten.

    Returns how many files were written. Refuses two outputs that differ only in letter case,
    which would overwrite each other on case-insensitive file systems.
    """
    files: dict[PurePosixPath, bytes] = {}
    folded: dict[str, str] = {}
    for path, text in pages.items():
        rel = _safe_relative(path)
        key = str(rel).casefold()
        if key in folded:
            raise UnsafePath(f"two pages would be written to the same file: {folded[key]!r} and {path!r}")
        folded[key] = path
        files[rel] = text.encode("utf-8") if isinstance(text, str) else text
    if assets_dir is not None and assets_dir.is_dir():
        for asset in sorted(assets_dir.rglob("*")):
            if asset.is_file():
                rel = PurePosixPath("assets") / asset.relative_to(assets_dir).as_posix()
                if str(rel).casefold() in folded:
                    raise UnsafePath(f"asset {rel} collides with a generated page")
                folded[str(rel).casefold()] = str(rel)
                files[rel] = asset.read_bytes()

    docs_dir.mkdir(parents=True, exist_ok=True)
    root = docs_dir.resolve()
    wanted = {root.joinpath(*rel.parts) for rel in files}
    for existing in sorted(root.rglob("*"), reverse=True):
        if existing.is_symlink():
            existing.unlink()  # never followed: the folder holds only files papercat wrote
        elif existing.is_file() and existing not in wanted:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    written = 0
    for rel, data in files.items():
        if step is not None:
            step(1)
        target = root.joinpath(*rel.parts)
        if not target.resolve().is_relative_to(root):
            raise UnsafePath(f"refusing to write {rel}: it resolves outside {root}")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def put_file(path: str | Path, data: bytes) -> None:
    """Write one generated file, its folder made if need be: a few system calls, no buffered file object.

    For the tens of thousands of files of a build (the search index, the spool of pages).
    """
    try:
        fd = os.open(path, _WRITE, 0o666)
    except FileNotFoundError:  # its folder's first file
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _WRITE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)

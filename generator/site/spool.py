"""The generated pages and downloads of one build, kept on disk rather than in memory.

A catalogue of 100,000 papers makes about 2 GB of Markdown, BibTeX and JSON before MkDocs
starts. Held in memory, that is half of what the build may use; spooled, each file is written
once as it is made and read back when MkDocs (or a test) asks for it. MkDocs is given the
spooled file's path (``File.generated(..., abs_src_path=...)``), so it reads a page when it
renders it and copies a download as it copies any static file.

The spool is a private folder in the build folder (``build/.spool-*``) or, without one, in the
system's temporary folder (``TMPDIR``). It is removed when the build is done with it (``close``)
or, at the latest, when the spool is garbage-collected or the interpreter exits; the spool of a
build that was killed is removed by the next ``papercat build`` (``remove_stale``). Nothing in it
is read by a later build.

A page taken whole from the page cache need not be written at all when the build reuses the
previous site's HTML of it, as a daily build does for nearly every paper page. Given a ``fetch``
(the page cache's lookup), ``put_kept`` records such a page by its digest and the key it is kept
under, and the file is written only when something is about to read it (``materialise``; reading
it through the spool does that too). ``papercat build`` does this when no other plugin could read
the pages behind its back; ``mkdocs build`` and ``mkdocs serve`` read every page, so there every
page is written as it is made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Generic, TypeVar, cast

from ..errors import PapercatError
from .writer import put_file

T = TypeVar("T", bound=str | bytes)


PREFIX = ".spool-"  # a spool in a build folder


class Spool(Mapping[str, str | bytes]):
    """Files by docs-relative path, on disk: ``put`` writes one, ``spool[path]`` reads it back."""

    def __init__(self, parent: Path | None = None, *, fetch: Callable[[Sequence[str]], Mapping[str, str]] | None = None) -> None:
        """A new spool in ``parent`` (a build folder), else in the system's temporary folder.

        ``fetch``: the texts kept under some keys (the page cache's lookup), for ``put_kept``.
        """
        prefix = PREFIX if parent is not None else "papercat-spool-"
        self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._text: dict[str, bool] = {}  # path -> whether it was given as text (read back as str)
        self._digests: dict[str, str] = {}  # path -> SHA-256 of the file
        self._fetch = fetch
        self._kept: dict[str, str] = {}  # path -> the key its text is kept under: not written yet
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)

    def put(self, path: str, data: str | bytes) -> None:
        """Keep ``data`` as the file ``path`` (a later ``put`` of the same path replaces it)."""
        self._digests[path] = _write(self.folder, path, data)
        self._text[path] = isinstance(data, str)
        self._kept.pop(path, None)

    def put_kept(self, path: str, text: str, key: str) -> None:
        """``put`` a page that ``fetch`` gives by ``key``: written only once something is to read it (``materialise``)."""
        if self._fetch is None:
            self.put(path, text)
            return
        self._digests[path] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._text[path] = True
        self._kept[path] = key

    def materialise(self, paths: Iterable[str]) -> None:
        """Write those of ``paths`` that ``put_kept`` left unwritten (fetched in one go)."""
        wanted = {path: self._kept[path] for path in paths if path in self._kept}
        if not wanted or self._fetch is None:
            return
        found = self._fetch(list(wanted.values()))
        for path, key in wanted.items():
            text = found.get(key)
            raw = text.encode("utf-8") if text is not None else None
            if raw is None or hashlib.sha256(raw).hexdigest() != self._digests[path]:
                raise SpoolError(f"the page cache no longer holds {path}; run the build again with --clean")
            put_file(self.folder / path, raw)
            del self._kept[path]

    def put_all(self, files: Mapping[str, str | bytes]) -> None:
        for path, data in files.items():
            self.put(path, data)

    def writer(self) -> SpoolWriter:
        """A writer into this spool for another process (forked, on this machine); ``adopt`` what it wrote."""
        return SpoolWriter(self.folder)

    def adopt(self, written: Iterable[tuple[str, bool, str]]) -> None:
        """Files a ``writer`` wrote: ``(path, whether it was text, SHA-256)``."""
        for path, is_text, digest in written:
            self._text[path], self._digests[path] = is_text, digest

    def digest(self, path: str) -> str | None:
        """The SHA-256 (hex) of the file ``path``, None for a path never put."""
        return self._digests.get(path)

    def file(self, path: str) -> Path:
        """Where the file ``path`` is (or will be) kept."""
        return self.folder / path

    def __getitem__(self, path: str) -> str | bytes:
        is_text = self._text[path]  # KeyError for a path never put
        self.materialise([path])
        data = self.file(path).read_bytes()
        return data.decode("utf-8") if is_text else data

    def __contains__(self, path: object) -> bool:
        return path in self._text

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._text))

    def __len__(self) -> int:
        return len(self._text)

    def markdown(self) -> SpoolView[str]:
        """The Markdown pages: what MkDocs renders."""
        return SpoolView(self, sorted(p for p, text in self._text.items() if text and p.endswith(".md")))

    def others(self) -> SpoolView[str | bytes]:
        """Every other file (downloads, feeds, the rows of the listing filters): copied into the site as it is."""
        return SpoolView(self, sorted(p for p, text in self._text.items() if not (text and p.endswith(".md"))))

    def close(self) -> None:
        """Remove the spooled files (nothing can be read afterwards)."""
        self._finalizer()


class SpoolError(PapercatError):
    """A page the spool was to fetch is gone (the page cache was changed behind the build's back)."""


class SpoolWriter:
    """Writes files into a spool's folder from another process; ``written`` is what to ``adopt``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[tuple[str, bool, str]] = []

    def put(self, path: str, data: str | bytes) -> None:
        self.written.append((path, isinstance(data, str), _write(self.folder, path, data)))


def _write(folder: Path, path: str, data: str | bytes) -> str:
    """Write the file; its SHA-256 (hex)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    put_file(folder / path, raw)
    return hashlib.sha256(raw).hexdigest()


def remove_stale(build_dir: Path) -> None:
    """Remove the spools a killed build left in its build folder (call with the build lock held)."""
    if build_dir.is_dir():
        for entry in build_dir.iterdir():
            if entry.name.startswith(PREFIX) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


class SpoolView(Mapping[str, T], Generic[T]):
    """Some of a spool's files (the Markdown pages, say), read from it when asked for."""

    def __init__(self, spool: Spool, paths: Iterable[str]) -> None:
        self.spool = spool
        self._paths = list(paths)
        self._set = frozenset(self._paths)

    def __getitem__(self, path: str) -> T:
        if path not in self._set:
            raise KeyError(path)
        return cast(T, self.spool[path])

    def __contains__(self, path: object) -> bool:
        return path in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def file(self, path: str) -> str:
        """The path of the spooled file, for MkDocs' ``File.generated(abs_src_path=...)``."""
        return os.fspath(self.spool.file(path))

    def materialise(self, paths: Iterable[str]) -> None:
        """Make sure the files of ``paths`` are written before something reads them (``Spool.materialise``)."""
        self.spool.materialise(path for path in paths if path in self._set)

    def digest(self, path: str) -> str | None:
        """The SHA-256 (hex) of the file, known without reading it."""
        return self.spool.digest(path) if path in self._set else None

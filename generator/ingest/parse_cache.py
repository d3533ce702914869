"""What each listing file was read as by the last build, reused while the file is the same.

Reading a listing (decoding, choosing a reader, parsing, normalising every record) is the bulk of
ingestion, and on a daily rebuild nearly every file is unchanged. The cache is one SQLite file
under ``build/`` (``parse-cache.sqlite3``): for a key made of the file's name, its bytes, what
``sources.yml`` says about it and papercat's code and versions, the file's report, papers,
rejected records and notices, as JSON. A changed byte, a changed ``sources.yml`` entry or another
papercat gives another key, so an entry is never used for input it was not made from; entries
are written as files are read (an entry left by a killed build is still right) and the ones this
build did not use are dropped once the site is in place. Merging duplicates and giving ids are
done on the whole catalogue every build, from these records.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..fingerprint import code_fingerprint
from ..model import Notice, Paper, Rejected
from ..sqlite_cache import KeyedCache

if TYPE_CHECKING:
    from ..readers import SourceMeta
    from .pipeline import FileReport

CACHE_NAME = "parse-cache.sqlite3"
SCHEMA = 1

Parsed = tuple["FileReport", list[Paper], list[Rejected], list[Notice]]


def _encode(parsed: Parsed) -> str:
    report, papers, rejected, notices = parsed
    return json.dumps(
        {
            "report": dataclasses.asdict(report),
            "papers": [p.to_dict() for p in papers],
            "rejected": [r.to_dict() for r in rejected],
            "notices": [[n.file, n.line, n.message] for n in notices],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _decode(text: str) -> Parsed:
    from .pipeline import FileReport

    data = json.loads(text)
    report = data["report"]
    report["tried"] = tuple(report["tried"])
    return (
        FileReport(**report),
        [Paper.from_dict(p) for p in data["papers"]],
        [Rejected(**r) for r in data["rejected"]],
        [Notice(*n) for n in data["notices"]],
    )


class ParseCache(KeyedCache):
    """``build/parse-cache.sqlite3``: the reading of each listing file by the key of its inputs."""

    table = "files"
    columns = "data TEXT NOT NULL"
    width = 2

    def __init__(self, path: Path, *, read: bool = True) -> None:
        super().__init__(path, read=read)
        self._code = code_fingerprint()

    def key(self, name: str, data: bytes, meta: SourceMeta) -> str:
        digest = hashlib.sha256()
        for part in (str(SCHEMA), self._code, name, repr(meta)):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        key = digest.hexdigest()
        self.used.add(key)
        return key

    def get(self, key: str) -> Parsed | None:
        conn = self._readable()
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT data FROM files WHERE key = ?", (key,)).fetchone()
            found = _decode(row[0]) if row is not None else None
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError):
            return None  # an unreadable entry is read again from the file
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: str, parsed: Parsed) -> None:
        """Keep a file's reading; call it before anything changes the report (merging counts into it).

        Written at once when the build folder exists; otherwise (a first build) kept until ``prune``.
        """
        self._store([(key, _encode(parsed))])

    def lookup(self, name: str, path: Path, meta: SourceMeta, max_bytes: int) -> tuple[str | None, Parsed | None]:
        """``(key, cached reading)`` of a listing file; no key when the file cannot be read or is too large."""
        try:
            if path.stat().st_size > max_bytes:
                return None, None
            data = path.read_bytes()
        except OSError:
            return None, None
        key = self.key(name, data, meta)
        return key, self.get(key)


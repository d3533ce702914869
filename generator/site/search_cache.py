"""What the search index made of each document in the last build, reused while the document is the same.

Reading a document for the index (its title and abstract turned to plain text, every field
tokenized, its words counted, its record compressed) is most of the index's work, and on a daily
rebuild nearly every document is unchanged. A sealed segment of the index whose documents are
all unchanged is linked from the previous site whole (``search._link_segment``); the segments
written again (the open one every day, a sealed one when blocks fill up) take what is kept here
per document: its field lengths, title keys, distinct words and their counts per field, and its
compressed record.

The cache is one SQLite file under ``build/`` (``search-cache.sqlite3``). The key of a document
is the SHA-256 of everything it is made from (the values ``search._specs`` collects: title,
abstract, venue, authors, topics, URL, date label, year, arXiv id; or a topic's name, slug, description,
paper count and URL) and of what reads them: papercat's code and versions, pylatexenc, the
Unicode tables, zlib and Python. So an entry is never used for a document it was not made from;
entries are written as documents are read (an entry left by a killed build is still right) and
the ones this build did not use are dropped once the site is in place.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import sqlite3
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..fingerprint import code_fingerprint
from ..sqlite_cache import KeyedCache

CACHE_NAME = "search-cache.sqlite3"
SCHEMA = 2
_BATCH = 500

# (field lengths, title keys and distinct words as JSON; their counts per field, compressed; the compressed record)
Entry = tuple[bytes, bytes, bytes]


@functools.cache
def _versions() -> str:
    try:
        latex = importlib.metadata.version("pylatexenc")
    except importlib.metadata.PackageNotFoundError:
        latex = "not installed"
    return json.dumps([SCHEMA, code_fingerprint(), latex, unicodedata.unidata_version, zlib.ZLIB_RUNTIME_VERSION, sys.version])


def document_key(spec: Sequence[object], versions: bytes | None = None) -> str:
    """The key of a document: the SHA-256 of what it is made from and of what reads it (``_versions``)."""
    digest = hashlib.sha256((versions if versions is not None else _versions().encode()) + b"\0")
    digest.update(json.dumps(spec, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class SearchCache(KeyedCache):
    """``build/search-cache.sqlite3``: each document's share of the search index, by the key of its inputs."""

    table = "documents"
    columns = "meta BLOB NOT NULL, counts BLOB NOT NULL, record BLOB NOT NULL"
    width = 4

    def __init__(self, path: Path, *, read: bool = True) -> None:
        super().__init__(path, read=read)
        self._versions = _versions().encode()

    def key(self, spec: Sequence[object]) -> str:
        key = document_key(spec, self._versions)
        self.used.add(key)
        return key

    def lookup(self, keys: Sequence[str]) -> dict[str, Entry]:
        """The entries of those keys that have one, fetched in batches (never the whole cache at once)."""
        conn = self._readable()
        if conn is None:
            return {}
        found: dict[str, Entry] = {}
        try:
            for start in range(0, len(keys), _BATCH):
                batch = list(keys[start : start + _BATCH])
                marks = ",".join("?" * len(batch))
                for key, meta, counts, record in conn.execute(
                    f"SELECT key, meta, counts, record FROM documents WHERE key IN ({marks})", batch
                ):
                    found[key] = (bytes(meta), bytes(counts), bytes(record))
        except sqlite3.DatabaseError:
            return {}  # an unreadable cache is no cache
        self.hits += len(found)
        return found

    def put(self, entries: Iterable[tuple[str, Entry]]) -> None:
        """Keep documents' entries: written at once when the build folder exists, else kept until ``prune``."""
        self._store((key, *entry) for key, entry in entries)

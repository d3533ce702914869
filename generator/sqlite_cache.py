"""What the SQLite caches under ``build/`` share: the connection, keeping this build's rows and dropping the rest."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; on any error (or interruption) ``ROLLBACK``, and the error goes on."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def keep_used(conn: sqlite3.Connection, table: str, used: Iterable[str], rows: Iterable[tuple[object, ...]], width: int) -> None:
    """In one transaction: drop the rows of ``table`` whose key is not in ``used``, then write ``rows``.

    ``table`` is one of the caller's own table names (never text from outside), keyed by a ``key``
    column, with ``width`` columns. All of it or, if anything fails, none of it: the error is raised.
    """
    kept = used if isinstance(used, (set, frozenset)) else set(used)
    with transaction(conn):
        # The keys only (read from the key's index): a daily build drops a few rows of many.
        stale = [(key,) for (key,) in conn.execute(f"SELECT key FROM {table}") if key not in kept]  # noqa: S608
        conn.executemany(f"DELETE FROM {table} WHERE key = ?", stale)  # noqa: S608 - our table
        conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * width)})", rows)  # noqa: S608


class KeyedCache:
    """A cache of one table, ``key`` first then ``width`` columns, in a SQLite file of the build folder.

    Rows go to the file as they are stored when the build folder exists; before the first build
    made it, they wait in memory until ``prune``. The cache is an optimisation: a file that cannot
    be opened or read is no cache, and the build goes on. ``used``: the keys this build asked for,
    kept by ``prune``.
    """

    table = ""  # set by each cache: its own table name (never text from outside)
    columns = ""  # the columns after ``key``, as in CREATE TABLE
    width = 0  # how many columns, ``key`` included

    def __init__(self, path: Path, *, read: bool = True) -> None:
        self.path = path
        self.read = read  # False (--clean): nothing is read, the cache only written
        self.used: set[str] = set()
        self.hits = 0
        self._conn: sqlite3.Connection | None = None
        self._pending: list[tuple[object, ...]] = []  # rows not written yet (no build folder before the first build)

    def _connection(self) -> sqlite3.Connection | None:
        for attempt in range(2):
            if self._conn is not None:
                break
            if not self.path.parent.is_dir():
                return None  # the build folder is made once a build succeeded, not by a build that may fail
            try:
                conn = sqlite3.connect(self.path, isolation_level=None)
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, {self.columns})")
                self._conn = conn
            except sqlite3.DatabaseError:
                if attempt == 0 and not self.read:  # damaged, and not read from here on: start it again
                    self.path.unlink(missing_ok=True)
            except OSError:
                return None  # no cache: everything is made again
        return self._conn

    def _readable(self) -> sqlite3.Connection | None:
        """The connection to read from, None when this build reads nothing from the cache."""
        if not self.read or not self.path.is_file():
            return None
        return self._connection()

    def _store(self, rows: Iterable[tuple[object, ...]]) -> None:
        """Write rows at once when the build folder exists, else keep them until ``prune``."""
        conn = self._connection()
        if conn is None:
            self._pending.extend(rows)
            return
        with contextlib.suppress(sqlite3.DatabaseError), transaction(conn):
            marks = ", ".join("?" * self.width)
            conn.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES ({marks})", rows)  # noqa: S608 - our table

    def start_afresh(self) -> None:
        """In a process forked from the build: no connection of the build's (it has closed its own), nothing used yet."""
        self._conn = None
        self.used, self.hits, self._pending = set(), 0, []

    def bookkeeping(self) -> tuple[set[str], int, list[tuple[object, ...]]]:
        """What a forked process did with its copy of the cache: the keys it used, its hits, the rows still to write."""
        return self.used, self.hits, self._pending

    def take_bookkeeping(self, done: tuple[set[str], int, list[tuple[object, ...]]]) -> None:
        """Count what a forked process did with its copy (``bookkeeping``) as this build's own."""
        used, hits, pending = done
        self.used |= used
        self.hits += hits
        self._pending.extend(pending)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def prune(self) -> None:
        """Drop the rows this build did not use (once the new site is in place)."""
        self.read = False  # from here on a damaged cache is replaced, not read
        conn = self._connection()
        if conn is None:
            return
        try:
            keep_used(conn, self.table, self.used, self._pending, self.width)
            self._pending.clear()
        except sqlite3.DatabaseError:
            pass  # the cache is an optimisation: the build goes on without it
        finally:
            self.close()

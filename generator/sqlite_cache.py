"""What the SQLite caches under ``build/`` share: keeping this build's rows and dropping the rest."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


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
    with transaction(conn):
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.used")
        conn.executemany("INSERT OR IGNORE INTO temp.used VALUES (?)", ((key,) for key in used))
        conn.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM temp.used)")  # noqa: S608 - our table
        conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * width)})", rows)  # noqa: S608

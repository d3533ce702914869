"""The search index written in a process of its own while the build goes on with MkDocs.

When MkDocs renders the few pages of a daily build in the build's own process, the index (which
needs only the site model) is written at the same time by a forked process, on the core MkDocs
leaves idle, instead of after MkDocs. The forked process starts as a copy of the build, so the
model is not sent anywhere; it sends back only how it used the search cache (the keys it asked
for, so that the cache keeps them, and the entries it could not write yet) or the error that
stopped it. The files are the same bytes as when the index is written after MkDocs.
"""

from __future__ import annotations

import gc
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..parallel import can_fork, interrupts_ignored, start_worker
from .search import SearchIndexFailed, index_search
from .search_cache import SearchCache
from .view import SiteModel

_STOPPED = (
    "the process writing the search index stopped unexpectedly (out of memory?); "
    "run the build again, with --jobs 1 to index in the build's own process"
)


def _write(send: Connection, model: SiteModel, bundle_dir: Path, directory_urls: bool, jobs: int,
           cache: SearchCache | None) -> None:
    start_worker(None)
    try:
        if cache is not None:
            cache.start_afresh()
        index_search(model, bundle_dir, directory_urls=directory_urls, jobs=jobs, cache=cache)
        send.send(("done", cache.bookkeeping() if cache is not None else None))
    except SearchIndexFailed as err:
        send.send(("failed", str(err)))
    except Exception as err:  # noqa: BLE001 - whatever stopped it, the build reports it in one line
        send.send(("failed", f"the search index could not be written: {type(err).__name__}: {err}"))
    finally:
        if cache is not None:
            cache.close()
        send.close()


class SearchJob:
    """A forked process writing the search index; ``wait`` for it, or ``cancel`` it."""

    def __init__(self, process: Any, receive: Connection, cache: SearchCache | None) -> None:
        self.process = process
        self.receive = receive
        self.cache = cache

    @classmethod
    def start(cls, model: SiteModel, bundle_dir: Path, *, directory_urls: bool, jobs: int,
              cache: SearchCache | None) -> SearchJob | None:
        """The job, started; None where a process cannot be forked safely (then write the index in this one)."""
        if not can_fork():
            return None
        if cache is not None:
            cache.close()  # the forked process opens its own connection; this one reopens its own when needed
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_write, args=(send, model, bundle_dir, directory_urls, jobs, cache), name="papercat-search", daemon=True,
        )
        gc.freeze()  # the objects it inherits stay out of its garbage collector: it copies only what it changes
        try:
            with interrupts_ignored():
                process.start()
        finally:
            gc.unfreeze()
        send.close()
        return cls(process, receive, cache)

    def wait(self) -> None:
        """Wait for the index; the search cache learns what the process used. ``SearchIndexFailed`` if it failed."""
        try:
            outcome, detail = self.receive.recv()
        except (EOFError, OSError):
            outcome, detail = "failed", _STOPPED
        finally:
            self.receive.close()
            self.process.join()
        if outcome != "done":
            raise SearchIndexFailed(str(detail))
        if self.cache is not None and detail is not None:
            self.cache.take_bookkeeping(detail)

    def cancel(self) -> None:
        """Stop the process (the build failed or was interrupted): it writes nothing more."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()


__all__ = ["SearchJob"]

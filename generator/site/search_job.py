"""The search index written in a process of its own while the build goes on with MkDocs.

When MkDocs renders the few pages of a daily build in the build's own process, the index (which
needs only the site model) is written at the same time by a forked process
(``parallel.ForkedCall``), on the core MkDocs leaves idle, instead of after MkDocs. The forked
process starts as a copy of the build, so the model is not sent anywhere; it sends back only how
it used the search cache (the keys it asked for, so that the cache keeps them, and the entries
it could not write yet) or the error that stopped it. The files are the same bytes as when the
index is written after MkDocs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..parallel import ForkedCall, ForkedProcessDied
from .search import SearchIndexFailed, index_search
from .search_cache import SearchCache
from .view import SiteModel

_STOPPED = (
    "the process writing the search index stopped unexpectedly (out of memory?); "
    "run the build again, with --jobs 1 to index in the build's own process"
)


def _write(model: SiteModel, bundle_dir: Path, directory_urls: bool, jobs: int,
           cache: SearchCache | None, previous: Path | None) -> tuple[set[str], int, list[tuple[object, ...]]] | None:
    if cache is not None:
        cache.start_afresh()
    try:
        index_search(model, bundle_dir, directory_urls=directory_urls, jobs=jobs, cache=cache, previous=previous)
    except SearchIndexFailed:
        raise
    except Exception as err:  # whatever stopped it, the build reports it in one line
        raise SearchIndexFailed(f"the search index could not be written: {type(err).__name__}: {err}") from None
    finally:
        if cache is not None:
            cache.close()
    return cache.bookkeeping() if cache is not None else None


class SearchJob:
    """A forked process writing the search index; ``wait`` for it, or ``cancel`` it.

    The index is written into a hidden folder beside ``bundle_dir`` (MkDocs, which empties the site
    folder before it writes, leaves hidden files alone) and moved into place by ``wait``: the job
    may start before MkDocs does.
    """

    def __init__(self, call: ForkedCall, cache: SearchCache | None, building: Path, bundle_dir: Path) -> None:
        self.call = call
        self.cache = cache
        self.building = building
        self.bundle_dir = bundle_dir

    @classmethod
    def start(cls, model: SiteModel, bundle_dir: Path, *, directory_urls: bool, jobs: int,
              cache: SearchCache | None, previous: Path | None = None) -> SearchJob | None:
        """The job, started; None where a process cannot be forked safely (then write the index in this one).

        ``previous``: the index of the site the build replaces (see ``search.write_index``).
        """
        if cache is not None:
            cache.close()  # the forked process opens its own connection; this one reopens its own when needed
        building = bundle_dir.with_name(f".{bundle_dir.name}.building")
        call = ForkedCall.start(_write, model, building, directory_urls, jobs, cache, previous)
        return cls(call, cache, building, bundle_dir) if call is not None else None

    def wait(self) -> None:
        """Wait for the index; the search cache learns what the process used. ``SearchIndexFailed`` if it failed."""
        try:
            done = self.call.result()
        except ForkedProcessDied:
            raise SearchIndexFailed(_STOPPED) from None
        if self.cache is not None and done is not None:
            self.cache.take_bookkeeping(done)
        try:
            if self.bundle_dir.exists():
                shutil.rmtree(self.bundle_dir)
            self.building.replace(self.bundle_dir)
        except OSError as err:
            raise SearchIndexFailed(f"the search index could not be moved to {self.bundle_dir}: {err.strerror or err}") from None

    def cancel(self) -> None:
        """Stop the process (the build failed or was interrupted): it writes nothing more."""
        self.call.cancel()


__all__ = ["SearchJob"]

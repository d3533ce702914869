"""Progress of a long run: a bar per stage on a terminal, one plain line per stage elsewhere (CI, pipes).

A stage is opened with ``with progress.stage("ingest", total=files, unit="files") as step:`` and
advanced with ``step()``; the time it took is kept for the closing summary. ``Progress.null()``
reports nothing and is what library callers get by default.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Step = Callable[[int], None]


def _noop(_: int = 1) -> None:
    return None


class Progress:
    """Reports stages as they run and keeps how long each took."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.live = bool(enabled and (self.stream.isatty() if live is None else live))
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._bars = None
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            console = Console(file=self.stream, force_terminal=True)
            self._bars = RichProgress(
                SpinnerColumn(finished_text="✓"),
                TextColumn("{task.description:<10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )

    @classmethod
    def null(cls) -> Progress:
        return cls(enabled=False)

    def __enter__(self) -> Progress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Step]:
        """Run one stage; ``total`` is how many steps it has (None: not known in advance)."""
        start = time.perf_counter()
        done = 0
        task = None
        if self._bars is not None:
            task = self._bars.add_task(name, total=total, unit=unit)

        def step(n: int = 1) -> None:
            nonlocal done
            done += n
            if task is not None and self._bars is not None:
                self._bars.update(task, completed=done)

        try:
            yield step if self.enabled else _noop
        finally:
            elapsed = time.perf_counter() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
            self.counts[name] = self.counts.get(name, 0) + done
            if task is not None and self._bars is not None:
                final = max(done, total or 0) if total is not None else done
                self._bars.update(task, total=final or 1, completed=final or 1)
            elif self.enabled:
                count = f" {done} {unit}" if unit else ""
                print(f"{name}:{count} in {elapsed:.1f}s", file=self.stream, flush=True)

    def timings(self) -> str:
        """One line with the time of every stage, in the order they ran."""
        total = sum(self.seconds.values())
        parts = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.seconds.items())
        return f"timings: {parts} (total {total:.1f}s)"

"""Work split over processes: ``--jobs N`` for the stages before MkDocs.

``map_in_processes(function, items, jobs)`` returns ``[function(item) for item in items]``, in
the order of ``items``, computed in ``jobs`` processes when that is worth it. Items go out in a
few contiguous chunks and results come back in the same order, so the result never depends on
``jobs``. A process is forked when that is safe (Linux, and no other thread running: it then
sees the parent's data without copying it) and spawned otherwise, so ``function``, the items and
``initargs`` must be picklable; ``initializer(*initargs)`` runs once in every process (and in this
one when the work is not split) before any item.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 500  # below this a process costs more than it saves


def can_fork() -> bool:
    """Whether processes can be forked safely: the system forks, and no other thread runs (it could hold a lock)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def process_context() -> multiprocessing.context.BaseContext:
    """Forked processes where that is safe (they start with this process's data), else spawned ones."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def process_pool(
    jobs: int, *, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
    context: multiprocessing.context.BaseContext | None = None,
) -> ProcessPoolExecutor:
    """``jobs`` processes, started now: forked where that is safe (see ``process_context``), else spawned.

    Forked processes start as a copy-on-write view of this one. Python's garbage collector would
    write to every object it looks at, and so copy nearly all of it into each process; the objects
    that exist when they start are left out of its reach there (``gc.freeze``), so a forked process
    copies only what it really changes.
    """
    context = context or process_context()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=start_worker, initargs=(initializer, *initargs))
    forked = context.get_start_method() == "fork"
    if forked:
        gc.freeze()
    try:
        with interrupts_ignored():  # every process starts now, deaf to Ctrl-C from its first instruction
            started = [pool.submit(int) for _ in range(jobs)]
        for future in started:
            future.result()
    finally:
        if forked:
            gc.unfreeze()
    return pool


_MASKS = hasattr(signal, "pthread_sigmask")


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Ctrl-C held back while worker processes start, so that they start deaf to it; the build gets it after.

    A terminal sends Ctrl-C to every process of the build. The build stops its workers itself; a
    worker that stopped on it, even while still importing, would print its traceback. A process
    started while Ctrl-C is blocked starts with it blocked: ``start_worker`` then ignores it (which
    drops one already sent) and unblocks it. In this process a Ctrl-C sent meanwhile waits, blocked,
    and arrives when the workers have started: it stops the build then, never lost. (Where signals
    cannot be blocked, it is ignored meanwhile instead.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _MASKS:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # as it was (still blocked when this is inside another)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def start_worker(initializer: Callable[..., None] | None, *initargs: Any) -> None:
    """What every worker process does first: leave Ctrl-C to the build (a terminal sends it to every process
    of the build; a worker that stopped on it would print its traceback), end with the build, then
    ``initializer(*initargs)``.

    A build stopped by SIGTERM or SIGKILL (a cancelled CI job, ``timeout``) cannot stop its workers
    itself: the system does (Linux's parent-death signal), so none lives on holding the build's memory.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while it started: ignored from now on
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() == 1:  # the build ended before the line above: nothing will send the signal
            os._exit(1)
    if initializer is not None:
        initializer(*initargs)


# The build's locks (``flock`` on folders, see ``site.output``): a forked process gets a copy of each
# descriptor, and a lock is held as long as any copy is open. Each forked process closes its copies
# at once, so that only the build holds them, and a build that is gone holds nothing.
_LOCK_DESCRIPTORS: set[int] = set()


def lock_descriptor_opened(fd: int) -> None:
    _LOCK_DESCRIPTORS.add(fd)


def lock_descriptor_closed(fd: int) -> None:
    _LOCK_DESCRIPTORS.discard(fd)


def _close_inherited_locks() -> None:
    for fd in _LOCK_DESCRIPTORS:
        with suppress(OSError):
            os.close(fd)
    _LOCK_DESCRIPTORS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


def release_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps it for later otherwise).

    A stage frees most of what it made (results received from processes, pages written to the
    spool) only once it is done; without this, the next stage starts from the previous one's peak.
    What a stage made is freed as its references go (a full collection here finds next to no cycles
    and costs a quarter of a second per 100,000 objects), so this only trims the heap.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None  # glibc only


_LIBC = _libc()
_PR_SET_PDEATHSIG = 1


def _prctl() -> Any:
    """Linux's ``prctl``, or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return getattr(libc, "prctl", None)


_PRCTL = _prctl()


def _apply(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def map_in_processes(
    function: Callable[[T], R], items: Sequence[T], jobs: int, *,
    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (), min_items: int | None = None,
) -> list[R]:
    """``[function(item) for item in items]``, in ``jobs`` processes when there are ``min_items`` per process."""
    per_process = MIN_ITEMS_PER_PROCESS if min_items is None else max(1, min_items)
    jobs = max(1, min(jobs, len(items) // per_process, os.cpu_count() or 1))
    if jobs == 1:
        if initializer is not None:
            initializer(*initargs)
        return [function(item) for item in items]
    size = -(-len(items) // (jobs * 4))  # a few chunks per process: an uneven chunk does not hold the others up
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    results: list[R] = []
    with process_pool(jobs, initializer=initializer, initargs=initargs) as pool:
        for part in pool.map(_apply, [function] * len(chunks), chunks):
            results.extend(part)
    return results


class ForkedProcessDied(Exception):
    """A forked process ended without giving its result (killed, out of memory)."""


def _call_and_send(send: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    start_worker(None)
    try:
        outcome: tuple[str, Any] = ("returned", function(*args))
    except Exception as err:  # noqa: BLE001 - handed to the process that waits for the result
        outcome = ("raised", err)
    try:
        send.send(outcome)
    except Exception as err:  # noqa: BLE001 - an exception that cannot be pickled: its type and message
        send.send(("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}" if outcome[0] == "raised" else str(err))))
    finally:
        send.close()


class ForkedCall:
    """``function(*args)`` computed in a forked process while this one goes on; ``result()`` waits for it.

    The process starts as a copy of this one, so nothing is sent to it: only the result (or the
    exception it raised) comes back. Forking is done only where ``can_fork`` says it is safe;
    ``start`` returns None otherwise, and the caller computes the result itself.
    """

    def __init__(self, process: Any, receive: Any) -> None:
        self.process = process
        self.receive = receive

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any) -> ForkedCall | None:
        if not can_fork():
            return None
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_call_and_send, args=(send, function, args), daemon=True)
        gc.freeze()  # the objects it inherits stay out of its garbage collector: it copies only what it changes
        try:
            with interrupts_ignored():
                process.start()
        finally:
            gc.unfreeze()
        send.close()
        return cls(process, receive)

    def result(self) -> Any:
        """What the function returned; the exception it raised, raised here; ``ForkedProcessDied`` if it died."""
        try:
            outcome, value = self.receive.recv()
        except (EOFError, OSError):
            raise ForkedProcessDied from None
        finally:
            self.receive.close()
            self.process.join()
        if outcome == "raised":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the process (the build failed or was interrupted)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()

"""The folders a build writes: which ones papercat may use, one build at a time, and leftovers of a killed build.

papercat writes two folders: the site (``site/``, replaced by every build) and the working
folder (``build/``: the state of the last build, the change report, the catalogue). So papercat
only ever writes into a folder it created itself: every folder it creates holds an ownership
marker, ``.papercat-owned`` (as Sphinx marks its output with ``.buildinfo``). A folder without the
marker that holds anything is refused before a single file is written, as is a folder that is,
holds or lies inside the content folder or the configuration folder, or that is or holds the
project root, the MkDocs configuration file or an existing file.

While ``papercat build`` runs it holds an advisory lock (``flock``) on the project root, the
working folder and the folder that holds the site, so a second build waits for it or stops with
a message. The new site is built next to the old one in ``.site.building-*`` and swapped in with
two renames; the previous site stays in ``.site.old`` between them. A build killed at any point
leaves at most those folders behind: the next build puts ``.site.old`` back when ``site/`` is
missing and removes the rest before it starts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PapercatError

OWNER_MARKER = ".papercat-owned"
MARKER_TEXT = (
    "This folder was created by papercat, which replaces or deletes everything in it on the next build.\n"
    "Keep nothing of your own here.\n"
)
#: Seconds a build waits for another build of the same project or output folder (``PAPERCAT_LOCK_WAIT``).
LOCK_WAIT = 30.0



class UnsafeOutput(PapercatError):
    """An output folder papercat must not write: it would replace or delete files that are not its own."""


class BuildLocked(PapercatError):
    """Another build holds the project or the output folder."""


def is_owned(folder: Path) -> bool:
    """``folder`` holds the ownership marker papercat writes into every folder it creates."""
    marker = folder / OWNER_MARKER
    return marker.is_file() and not marker.is_symlink()


def mark_owned(folder: Path) -> None:
    marker = folder / OWNER_MARKER
    if not is_owned(folder):
        marker.write_text(MARKER_TEXT, encoding="utf-8")


@dataclass(frozen=True, slots=True)
class OutputFolders:
    """Where one build reads and writes, every path resolved (MkDocs' configuration already applied)."""

    root: Path
    mkdocs_file: Path
    content_dir: Path
    config_dir: Path
    site_dir: Path | None  # None: nothing but the working folder is written (``papercat ingest``)
    build_dir: Path | None  # None: the build keeps no state

    def outputs(self) -> list[tuple[Path, str, str]]:
        found: list[tuple[Path, str, str]] = []
        if self.site_dir is not None:
            found.append((self.site_dir, "--site-dir", "the site folder"))
        if self.build_dir is not None:
            found.append((self.build_dir, "--build-dir", "the working folder"))
        return found


def check_output_folders(folders: OutputFolders, *, site_option: str = "--site-dir") -> None:
    """Refuse, before anything is written, output folders that would replace or delete what is not papercat's.

    Every entry point that writes a site or a working folder calls this first.
    """
    inputs = ((folders.content_dir, "the content folder"), (folders.config_dir, "the configuration folder"))
    protected = (*inputs, (folders.root, "the project root"), (folders.mkdocs_file, "the MkDocs configuration file"))
    for folder, option, what in folders.outputs():
        if option == "--site-dir":
            option = site_option

        def refuse(why: str, option: str = option, what: str = what, folder: Path = folder) -> UnsafeOutput:
            return UnsafeOutput(
                f"refusing to use {folder} as {what}: it {why}. papercat replaces everything in {what}, "
                f"so choose another folder with {option} (for example a new, empty folder)"
            )

        for path, name in protected:
            if folder == path:
                raise refuse(f"is {name}")
        for path, name in protected:
            if path.is_relative_to(folder):
                raise refuse(f"contains {name} ({path})")
        for path, name in inputs:
            if folder.is_relative_to(path):
                raise refuse(f"lies inside {name} ({path})")
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise refuse("is an existing file, not a folder papercat created")
        if folder.is_dir() and any(folder.iterdir()) and not is_owned(folder):
            built = (folder / "index.html").is_file() and (folder / "sitemap.xml").is_file()
            raise refuse(
                f"holds files papercat did not write (folders papercat creates hold a {OWNER_MARKER} file); "
                "choose a new or empty folder"
                + ("; if this site was built by an older papercat and you no longer need it, remove it first" if built else "")
            )
    site, build = folders.site_dir, folders.build_dir
    if site is not None and build is not None and (site == build or site.is_relative_to(build) or build.is_relative_to(site)):
        raise UnsafeOutput(
            f"refusing to build: the site folder {site} and the working folder {build} overlap; "
            "choose separate folders with --site-dir and --build-dir"
        )


def own_build_folder(build_dir: Path) -> None:
    """Create (or take over) the working folder and mark it, after ``check_output_folders``."""
    from ..ingest.catalogue import ensure_build_dir

    ensure_build_dir(build_dir)
    mark_owned(build_dir)


# --- one build at a time ------------------------------------------------------------------------


def _lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("PAPERCAT_LOCK_WAIT", LOCK_WAIT)))
    except ValueError:
        return LOCK_WAIT


@contextmanager
def _flock(folder: Path, wait: float) -> Iterator[None]:
    import fcntl

    from ..parallel import lock_descriptor_closed, lock_descriptor_opened

    fd = os.open(folder, os.O_RDONLY)
    lock_descriptor_opened(fd)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"another papercat build is using {folder}; wait for it to finish and run the build again "
                        "(or build into other folders with --site-dir and --build-dir)"
                    ) from None
                if not told:
                    print(f"papercat: waiting up to {wait:.0f}s for another build using {folder} to finish", file=sys.stderr)
                    told = True
                time.sleep(0.1)
        yield
    finally:
        lock_descriptor_closed(fd)
        os.close(fd)  # closing the descriptor releases the lock, also when the process is killed


@contextmanager
def build_lock(folders: OutputFolders) -> Iterator[None]:
    """Hold the project root, the working folder and the site's folder for the length of a build."""
    if os.name != "posix":  # flock is POSIX; elsewhere builds are not serialized
        yield
        return
    held: dict[tuple[int, int], Path] = {}
    for folder in (folders.root, folders.build_dir, folders.site_dir.parent if folders.site_dir else None):
        if folder is None or not folder.is_dir():
            continue
        st = folder.stat()
        held.setdefault((st.st_dev, st.st_ino), folder)
    wait = _lock_wait()
    with ExitStack() as stack:
        for _, folder in sorted(held.items()):  # one order for every process: no deadlock
            stack.enter_context(_flock(folder, wait))
        yield


# --- the swap and what a killed build leaves --------------------------------------------------


def _staging_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.building-"


def old_site(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.old")


def _discard_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.discarded-"


def new_staging(site_dir: Path) -> Path:
    """An empty folder next to ``site_dir`` to build into, with the umask's permissions and the marker."""
    staging = site_dir.with_name(f"{_staging_prefix(site_dir)}{os.getpid()}-{secrets.token_hex(4)}")
    staging.mkdir()  # unlike mkdtemp (0700), follows the umask like the site MkDocs writes
    mark_owned(staging)
    return staging


def recover(site_dir: Path) -> list[str]:
    """Undo what a killed build left next to ``site_dir`` (call with the build lock held); say what was done."""
    done: list[str] = []
    old = old_site(site_dir)
    if old.is_dir() and not old.is_symlink() and is_owned(old):
        if not site_dir.exists() and not site_dir.is_symlink():
            os.replace(old, site_dir)  # noqa: PTH105 - the atomic rename the swap is built on
            done.append(f"restored the previous site from {old} (a build was stopped while swapping it)")
        else:
            shutil.rmtree(old)
            done.append(f"removed {old} left by an interrupted build")
    parent = site_dir.parent
    if parent.is_dir():
        for entry in sorted(parent.iterdir()):
            ours = entry.name.startswith(_staging_prefix(site_dir)) and entry.is_dir() and not entry.is_symlink()
            if ours and (is_owned(entry) or not any(entry.iterdir())):  # never a look-alike of someone else
                shutil.rmtree(entry)
                done.append(f"removed {entry} left by an interrupted build")
            elif (
                entry.name.startswith(_discard_prefix(site_dir)) and entry.is_dir() and not entry.is_symlink()
                and is_owned(entry) and not remove_tree(entry)  # a replaced site whose removal had not finished
            ):
                done.append(f"could not remove {entry} (no permission to); delete it by hand")
    return done


# Removes a folder of papercat's own, also one whose folders were made read-only (chmod -R a-w site):
# their owner may make them writable again. Kept as source, because ``discard`` runs it as a
# program of its own in the background as well.
_REMOVE_TREE = """
import os, shutil

def remove(path):
    shutil.rmtree(path, ignore_errors=True)
    if os.path.lexists(path):
        for folder, _, _ in os.walk(path):
            try:
                os.chmod(folder, 0o700)
            except OSError:
                pass
        shutil.rmtree(path, ignore_errors=True)
"""
_REMOVER: dict[str, Any] = {}
exec(compile(_REMOVE_TREE, __file__, "exec"), _REMOVER)  # noqa: S102 - papercat's own code, above


def remove_tree(path: Path) -> bool:
    """Remove a folder papercat made, making its read-only folders writable if need be; whether it is gone."""
    _REMOVER["remove"](str(path))
    return not path.exists() and not path.is_symlink()


def fault_point(name: str) -> None:
    """A place where the tests stop a build as a crash would, or hold it there.

    ``PAPERCAT_FAULT=<name>`` ends the process at once (no cleanup, as a kill would);
    ``PAPERCAT_PAUSE=<name>:<file>`` creates ``<file>`` and waits there until it is deleted.
    """
    if os.environ.get("PAPERCAT_FAULT") == name:
        os._exit(70)
    point, _, flag = os.environ.get("PAPERCAT_PAUSE", "").partition(":")
    if point == name and flag:
        Path(flag).touch()
        while Path(flag).exists():
            time.sleep(0.05)


def swap_in(new_site: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by the finished build in ``new_site``: the site is never half-written, and
    a process killed between the two renames leaves the previous site in ``.site.old``, which the
    next build puts back (``recover``)."""
    old = old_site(site_dir)
    if old.exists():
        if not is_owned(old):
            raise UnsafeOutput(f"refusing to replace {old}: papercat did not write it; move it away and build again")
        shutil.rmtree(old)
    if site_dir.exists():
        mark_owned(site_dir)  # a site of an older papercat: marked, so a crash below leaves a .site.old papercat may restore
        os.replace(site_dir, old)  # noqa: PTH105 - the atomic rename the swap is built on
    fault_point("swap")
    try:
        os.replace(new_site, site_dir)  # noqa: PTH105 - the atomic rename the swap is built on
    except BaseException:
        if old.exists() and not site_dir.exists():
            os.replace(old, site_dir)  # noqa: PTH105 - the atomic rename the swap is built on
        raise
    if old.exists():
        discard(old, site_dir)


def discard(old: Path, site_dir: Path) -> None:
    """Remove a replaced site without making the build wait for it.

    Removing tens of thousands of files takes longer than the rest of a small rebuild, so the
    folder is renamed out of the way (a marked ``.site.discarded-*`` folder, which the next
    build removes if this removal did not finish) and deleted by a process of its own.
    """
    target = site_dir.with_name(f"{_discard_prefix(site_dir)}{os.getpid()}-{secrets.token_hex(4)}")
    os.replace(old, target)  # noqa: PTH105 - a rename: the folder is never seen half-deleted under its old name
    if os.name != "posix":
        remove_tree(target)
        return
    # A shell that starts the removal in the background and exits at once: nothing is left for this process to wait on.
    remove = _REMOVE_TREE + "\nimport sys\nremove(sys.argv[1])\n"
    try:
        subprocess.run(  # noqa: S603 - our own interpreter, removing our own folder
            ["/bin/sh", "-c", '"$0" -c "$1" "$2" </dev/null >/dev/null 2>&1 &', sys.executable, remove, str(target)],
            check=True, start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError):
        remove_tree(target)

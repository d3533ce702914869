"""``papercat new DIR``: a working catalogue from the bundled project template."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from .defaults import PROJECT_TEMPLATE
from .errors import PapercatError

# Files stored without their leading dot in the package (package data skips hidden files).
_DOTTED = {"github": ".github", "gitignore": ".gitignore"}


def template_files() -> dict[str, Path]:
    """``{path in the new project: bundled file}``."""
    files: dict[str, Path] = {}
    for path in sorted(PROJECT_TEMPLATE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = PurePosixPath(path.relative_to(PROJECT_TEMPLATE).as_posix())
        first = _DOTTED.get(rel.parts[0], rel.parts[0])
        files[str(PurePosixPath(first, *rel.parts[1:]))] = path
    return files


@dataclass(frozen=True, slots=True)
class Requirement:
    """The line of the new project's ``requirements.txt`` that installs this papercat, and a note when CI cannot use it."""

    line: str
    note: str | None = None


def papercat_requirement(version: str, direct_url: str | None) -> Requirement:
    """Where the new project installs papercat from: where this one was installed from (PEP 610 ``direct_url.json``).

    A git repository or an archive on the web is pinned as it is (``papercat @ git+URL@commit``);
    an install from a folder or a file on this machine, which a CI runner cannot reach, gives the
    version and a note to replace it by an address the runner can install from.
    """
    try:
        origin = json.loads(direct_url) if direct_url else {}
    except ValueError:
        origin = {}
    url = str(origin.get("url", "")) if isinstance(origin, dict) else ""
    vcs = origin.get("vcs_info") if isinstance(origin, dict) else None
    remote = url.startswith(("https://", "http://", "ssh://", "git@"))
    if remote and isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Requirement(f"papercat @ git+{url}@{vcs['commit_id']}")
    if url.startswith(("https://", "http://")):
        return Requirement(f"papercat @ {url}")
    where = f" from {url}" if url else ""
    # Not "papercat==VERSION": papercat is not on PyPI, where that name could one day be anyone's. This line
    # fails at once, naming what to do, until it says where the runner can install papercat from.
    return Requirement(
        LOCAL_PLACEHOLDER,
        f"papercat {version} was installed{where} on this machine, which a CI runner cannot reach: in requirements.txt, "
        "put where the runner can install it from instead (for example papercat @ git+https://github.com/OWNER/papercat, "
        "or a wheel committed to the repository)",
    )


# What ``requirements.txt`` says when this papercat came from a folder or file on this machine: pip stops at
# it with "No such file or directory: '/SET-IN-requirements.txt/…'".
LOCAL_PLACEHOLDER = "papercat @ file:///SET-IN-requirements.txt/where-your-CI-can-install-papercat-from"


def installed_requirement() -> Requirement:
    """``papercat_requirement`` for the papercat that is running."""
    try:
        dist = metadata.distribution("papercat")
    except metadata.PackageNotFoundError:
        from . import __version__

        return papercat_requirement(__version__, None)
    return papercat_requirement(dist.version, dist.read_text("direct_url.json"))


def create_project(target: Path, requirement: Requirement | None = None) -> list[str]:
    """Create a catalogue in ``target`` (new or empty); returns the files created. Refuses a non-empty folder.

    ``requirement``: how its ``requirements.txt`` installs papercat (by default, as this one was installed).
    """
    requirement = requirement or installed_requirement()
    if target.exists() and not target.is_dir():
        raise PapercatError(f"{target} is a file; papercat new needs a new or empty folder")
    if target.is_dir() and any(entry.name != ".git" for entry in target.iterdir()):  # a fresh `git init` is welcome
        raise PapercatError(f"{target} is not empty; papercat new only creates a catalogue in a new or empty folder")
    files = template_files()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, source in files.items():
            destination = target.joinpath(*PurePosixPath(rel).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if rel == "requirements.txt":
                note = f"# {requirement.note}\n" if requirement.note else ""
                destination.write_text(note + requirement.line + "\n", encoding="utf-8")
            else:
                shutil.copyfile(source, destination)
    except OSError as err:
        raise PapercatError(f"cannot create the catalogue in {target}: {err.strerror or err}") from None
    return list(files)

"""``papercat new DIR``: a working catalogue from the bundled project template."""

from __future__ import annotations

import shutil
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


def create_project(target: Path) -> list[str]:
    """Create a catalogue in ``target`` (new or empty); returns the files created. Refuses a non-empty folder."""
    if target.exists() and not target.is_dir():
        raise PapercatError(f"{target} is a file; papercat new needs a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise PapercatError(f"{target} is not empty; papercat new only creates a catalogue in a new or empty folder")
    files = template_files()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, source in files.items():
            destination = target.joinpath(*PurePosixPath(rel).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    except OSError as err:
        raise PapercatError(f"cannot create the catalogue in {target}: {err.strerror or err}") from None
    return list(files)

"""What every catalogue gets unless its project changes it: the bundled configuration.

``config/`` mirrors a project's ``site_config/`` (page templates, ``topics.yml``, ``site.yml``,
``overrides.yml``, the theme override and the assets). A project's own ``site_config/``
overrides any of them file by file: a file there wins over the bundled file of the same
relative path, and every file it does not have comes from here. ``project/`` is what
``papercat new`` copies into a new catalogue.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

DEFAULTS_DIR = Path(__file__).resolve().parent
BUNDLED_CONFIG = DEFAULTS_DIR / "config"
PROJECT_TEMPLATE = DEFAULTS_DIR / "project"

TEMPLATES = "templates/pages"
THEME = "theme"
ASSETS = "assets"
STATIC = "static"


def _escapes(path: Path, folder: Path) -> bool:
    """``path`` is a symbolic link whose target lies outside ``folder`` (or nowhere)."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a dangling link or a loop
        return True


def outside_links(folder: Path) -> list[Path]:
    """The symbolic links under ``folder`` that lead out of it (never followed: not walked into)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Path] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        base = Path(current)
        found += [base / name for name in sorted(dirs + names) if _escapes(base / name, folder)]
    return sorted(found)


def _visible_files(folder: Path, root: Path, *, hidden: bool = False) -> dict[str, Path]:
    """``{posix path relative to folder: path}`` of the files under ``folder``: links out of ``root`` skipped,
    and hidden files too unless ``hidden`` (then only version-control folders are)."""
    if not folder.is_dir():
        return {}

    def shown(name: str) -> bool:
        return not name.startswith(".") or (hidden and name not in _NEVER_COPIED)

    found: dict[str, Path] = {}
    for current, dirs, names in os.walk(folder, followlinks=False):
        base = Path(current)
        dirs[:] = [d for d in dirs if shown(d) and not _escapes(base / d, root)]
        for name in names:
            path = base / name
            if shown(name) and path.is_file() and not _escapes(path, root):
                found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


_NEVER_COPIED = {".git", ".hg", ".svn", ".DS_Store"}


@dataclass(frozen=True, slots=True)
class ConfigFolders:
    """A project's ``site_config/`` laid over the bundled configuration, file by file."""

    project: Path
    bundled: Path = BUNDLED_CONFIG

    @property
    def layers(self) -> tuple[Path, ...]:
        """Where files are looked up, the project's folder first."""
        return (self.project, self.bundled)

    def file(self, name: str) -> Path:
        """The project's ``name`` when it has one, else the bundled one."""
        own = self.project / name
        return own if own.exists() else self.bundled / name

    def template_dirs(self) -> list[Path]:
        """Page template folders, the project's first (Jinja looks a template up in order)."""
        return [layer / TEMPLATES for layer in self.layers if (layer / TEMPLATES).is_dir()]

    def theme_dirs(self) -> list[Path]:
        """Theme override folders, the project's first, to sit before the theme's own folders."""
        return [layer / THEME for layer in self.layers if (layer / THEME).is_dir()]

    def assets(self) -> dict[str, Path]:
        """``{site path: file}`` of the assets (``assets/papercat.css``, ...); the project's copy wins."""
        merged: dict[str, Path] = {}
        for layer in reversed(self.layers):
            for rel, path in _visible_files(layer / ASSETS, layer).items():
                merged[str(PurePosixPath(ASSETS) / rel)] = path
        return dict(sorted(merged.items()))

    def static(self) -> dict[str, Path]:
        """``{site path: file}`` of the project's ``static/`` folder, copied to the site's root as they are
        (``CNAME``, ``robots.txt``, ``.nojekyll``, ``.well-known/...``); papercat bundles none."""
        return _visible_files(self.project / STATIC, self.project, hidden=True)

    def watched(self) -> list[Path]:
        """The folders a live preview watches for changes (the bundled ones only change on upgrade)."""
        return [self.project] if self.project.is_dir() else []

"""What every catalogue gets unless its project changes it: the bundled configuration.

``config/`` mirrors a project's ``site_config/`` (page templates, ``topics.yml``, ``site.yml``,
``overrides.yml``, the theme override and the assets). A project's own ``site_config/``
overrides any of them file by file: a file there wins over the bundled file of the same
relative path, and every file it does not have comes from here. ``project/`` is what
``papercat new`` copies into a new catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

DEFAULTS_DIR = Path(__file__).resolve().parent
BUNDLED_CONFIG = DEFAULTS_DIR / "config"
PROJECT_TEMPLATE = DEFAULTS_DIR / "project"

TEMPLATES = "templates/pages"
THEME = "theme"
ASSETS = "assets"


def _visible_files(folder: Path) -> dict[str, Path]:
    """``{posix path relative to folder: path}`` of the files under ``folder``, hidden ones skipped."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found[rel.as_posix()] = path
    return found


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
            for rel, path in _visible_files(layer / ASSETS).items():
                merged[str(PurePosixPath(ASSETS) / rel)] = path
        return dict(sorted(merged.items()))

    def watched(self) -> list[Path]:
        """The folders a live preview watches for changes (the bundled ones only change on upgrade)."""
        return [self.project] if self.project.is_dir() else []

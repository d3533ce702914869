"""What papercat's output depends on besides its inputs: its own code and the versions of what renders the pages.

Every kept state (the rendering state, the page and parse caches under ``build/``) records it, so
a new papercat, MkDocs, Material or Markdown version never reuses a result made by the old one.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Iterable
from pathlib import Path

VERSIONED = {
    "papercat": "papercat",
    "mkdocs": "MkDocs",
    "mkdocs-material": "Material for MkDocs",
    "markdown": "Python-Markdown",
    "pymdown-extensions": "PyMdown Extensions",
    "jinja2": "Jinja",
    "pyyaml": "PyYAML",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(folder: Path, label: str) -> dict[str, str]:
    """``{label/relative path: sha256}`` of the files under ``folder`` (none when it does not exist)."""
    found: dict[str, str] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[f"{label}/{path.relative_to(folder).as_posix()}"] = sha256(path.read_bytes())
    return found


def versions(distributions: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution (``"not installed"`` for one that is not)."""
    found: dict[str, str] = {}
    for distribution in distributions:
        try:
            found[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            found[distribution] = "not installed"
    return found


@functools.cache
def code_components() -> dict[str, str]:
    """The versions of papercat and of what renders its pages, and a hash of papercat's own code."""
    installed = versions(VERSIONED)
    components = {label: installed[distribution] for distribution, label in VERSIONED.items()}
    package = Path(__file__).resolve().parent
    components["papercat's code"] = sha256(json.dumps(tree(package, "generator"), sort_keys=True).encode())
    return components


def code_fingerprint() -> str:
    return sha256(json.dumps(code_components(), sort_keys=True).encode())

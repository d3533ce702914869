"""Errors papercat reports to its user (never as a traceback)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class PapercatError(Exception):
    """An error with a message written for the person running papercat."""


class ConfigError(PapercatError):
    """A mistake in a configuration file: names the file, the key, what was expected and what was found."""

    def __init__(self, file: str, key: str, expected: str, found: object, *, hint: str = "") -> None:
        self.file, self.key, self.expected, self.found = file, key, expected, found
        found_text = repr(found) if not isinstance(found, str) or len(found) <= 300 else repr(found[:297] + "...")
        message = f"{file}: {key}: expected {expected}, found {found_text}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


def load_config_mapping(path: Path, expected: str) -> dict[Any, Any] | None:
    """The top-level mapping of a YAML configuration file; None when the file is missing or empty.

    A file that is not UTF-8 YAML, or whose top level is not a mapping, is a ``ConfigError``
    naming the file and ``expected`` (what the mapping should hold).
    """
    if not path.exists():
        return None
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), "(file)", "valid UTF-8 YAML", str(err).splitlines()[0]) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "(top level)", expected, type(data).__name__)
    return data

"""Errors papercat reports to its user (never as a traceback)."""

from __future__ import annotations


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

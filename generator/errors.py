"""Errors papercat reports to its user (never as a traceback)."""

from __future__ import annotations

from typing import Any


class PapercatError(Exception):
    """An error with a message written for the person running papercat."""


def __getattr__(name: str) -> Any:
    # ``ConfigError`` lives with the configuration loader (generator/config.py); importable from here too.
    if name == "ConfigError":
        from .config import ConfigError

        return ConfigError
    raise AttributeError(name)

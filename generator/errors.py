"""Errors papercat reports to its user (never as a traceback)."""

from __future__ import annotations

import re
from typing import Any


class PapercatError(Exception):
    """An error with a message written for the person running papercat."""


_TEMPLATE_FILE = (".html", ".j2", ".xml")
_REMOTE_FRAME = re.compile(r'File "([^"]+(?:\.html|\.j2|\.xml))", line (\d+)')


def template_frame(err: BaseException) -> tuple[str, int] | None:
    """The template file and line an error was raised in (Jinja puts them in the traceback), also one raised in a
    rendering process (its traceback comes back as text); None when no template was running."""
    found: tuple[str, int] | None = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(_TEMPLATE_FILE):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None and err.__cause__ is not None:
        remote = _REMOTE_FRAME.findall(str(err.__cause__))
        if remote:
            found = (remote[-1][0], int(remote[-1][1]))
    return found


def template_error(err: BaseException, filename: str | None = None) -> str:
    """An error raised while a template ran, as a message naming the template (``filename`` when the traceback does not)."""
    place = template_frame(err)
    where = f"{place[0]}: line {place[1]}" if place else (filename or "a template")
    return (f"{where}: {type(err).__name__}: {err} (raised while rendering this template: fix it, "
            "or delete your copy to use papercat's or the theme's own)")


def __getattr__(name: str) -> Any:
    # ``ConfigError`` lives with the configuration loader (generator/config.py); importable from here too.
    if name == "ConfigError":
        from .config import ConfigError

        return ConfigError
    raise AttributeError(name)


def theme_syntax_error(filename: str, line: int | None, message: str) -> str:
    """A syntax error in a theme template of the project's, and what to do about it."""
    return f"{filename}: line {line}: {message} (a theme template: fix it, or delete your copy to use the theme's own)"

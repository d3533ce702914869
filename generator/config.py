"""The one way papercat reads a configuration file, and the one error it raises for a mistake in one.

Every YAML file a user writes for papercat (``site_config/site.yml``, ``topics.yml``,
``overrides.yml``, ``content/sources.yml``, ``content/papercat-ids.yml``, the topic labels of
``topics eval``) is read by ``load_yaml``, which is stricter than ``yaml.safe_load``:

- a key given twice in one mapping is an error (PyYAML keeps the last one silently);
- a syntax error names its line and column;
- a date that does not exist (``2025-02-30``) stays text, so the check of its key names it (not a crash);
- every mapping remembers the line of each key (``ConfigMap.line``), so later checks can say
  where a wrong value is.

Every mistake is a ``ConfigError`` naming the file, the key, what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import PapercatError

__all__ = ["ConfigError", "ConfigMap", "load_mapping", "load_yaml", "parse_yaml"]

_MISSING = object()


class ConfigError(PapercatError):
    """A mistake in a configuration file: names the file, the key, what was expected and what was found."""

    def __init__(
        self,
        file: str | Path,
        key: str,
        expected: str,
        found: object = _MISSING,
        *,
        hint: str = "",
        found_text: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file, self.key, self.expected, self.found, self.line = str(file), key, expected, found, line
        if found_text is None:
            if found is _MISSING:
                found_text = "nothing"
            elif isinstance(found, str) and len(found) > 300:
                found_text = repr(found[:297] + "...")
            else:
                found_text = repr(found)
        self.found_text = found_text
        message = f"{file}: {key}: expected {expected}, found {found_text}"
        if line is not None:
            message += f" (line {line})"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class ConfigMap(dict[Any, Any]):
    """A mapping read from YAML that knows the line of each of its keys."""

    lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}

    def line(self, key: Any) -> int | None:
        return self.lines.get(key)


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _BadValue(yaml.MarkedYAMLError):
    pass


if TYPE_CHECKING:
    _Constructor = yaml.SafeLoader
else:
    _Constructor = object


class _Strict(_Constructor):
    """Constructors of a safe YAML loader that refuses duplicate keys and impossible dates and keeps key lines."""

    def construct_strict_map(self, node: yaml.MappingNode) -> Any:
        data = ConfigMap()
        yield data
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise _BadValue(None, None, "a mapping key must be text or a number", key_node.start_mark) from None
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _DuplicateKey(
                    f"key {key!r} first given on line {seen[key]}", None,
                    f"key {key!r} given a second time", key_node.start_mark,
                )
            seen[key] = line
        data.update(self.construct_mapping(node, deep=True))
        data.lines = {key: line for key, line in seen.items()}

    def construct_strict_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:  # 2025-02-30: kept as the text it is, so the check of the key names it
            return str(node.value)


class StrictLoader(_Strict, _Base):  # type: ignore[misc,valid-type]
    """The configuration loader (libyaml's parser where PyYAML has it)."""


class StrictPyLoader(_Strict, yaml.SafeLoader):
    """The same, on PyYAML's own parser: listing files, whose rejection messages quote its wording."""


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_strict_map)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_strict_timestamp)
StrictPyLoader.add_constructor("tag:yaml.org,2002:map", StrictPyLoader.construct_strict_map)
StrictPyLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictPyLoader.construct_strict_timestamp)


def yaml_problem(err: yaml.YAMLError) -> tuple[str, int | None, int | None]:
    """The problem of a YAML error, with its line and column (1-based) when PyYAML knows them."""
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    context_mark = getattr(err, "context_mark", None)
    if isinstance(err, _DuplicateKey) and context:
        problem = f"{problem} ({context})"
    elif context and context_mark is not None:  # an unclosed bracket or quote: where it opens
        problem = f"{problem} ({context} that starts at line {context_mark.line + 1})"
    if mark is None:
        return problem, None, None
    return problem, mark.line + 1, mark.column + 1


def parse_yaml(text: str, file: str | Path) -> Any:
    """``text`` as YAML, strictly (see the module docstring); a mistake is a ``ConfigError`` naming ``file``."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        problem, line, column = yaml_problem(err)
        if isinstance(err, _DuplicateKey):
            expected = "each key once in a mapping"
        elif isinstance(err, _BadValue):
            expected = "a valid value"
        else:
            expected, problem = "valid YAML", f"a syntax error: {problem}"
            if line is not None and (opened := _unclosed_quote(text, line)) is not None:
                problem += f"; the quote opened at line {opened} is not closed"
        where = f"line {line}, column {column}" if line is not None else "(file)"
        raise ConfigError(file, where, expected, found_text=problem) from None


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^#'"]*?:\s+)?(["'])(?P<rest>.*)$""")


def _unclosed_quote(text: str, line: int) -> int | None:
    """The line (1-based), at or before ``line``, where a quoted value opens and is not closed on its line."""
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(0, line - 20), -1):
        match = _QUOTED_VALUE.match(lines[number - 1])
        if match is None:
            continue
        quote, rest = match.group(1), match.group("rest")
        escaped = "''" if quote == "'" else '\\"'  # how each kind of quote is written inside its own
        if quote not in rest.replace(escaped, ""):
            return number
    return None


def load_yaml(path: Path, *, what: str = "a configuration file") -> Any:
    """The YAML content of ``path``; a missing, unreadable or broken file is a ``ConfigError``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "(file)", what, found_text="no such file") from None
    except IsADirectoryError:
        raise ConfigError(path, "(file)", what, found_text="a folder") from None
    except OSError as err:
        raise ConfigError(path, "(file)", f"{what} papercat can read", found_text=err.strerror or str(err)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ConfigError(path, f"line {line}", "valid UTF-8 YAML", found_text=f"bytes that are not UTF-8 ({err.reason})") from None
    return parse_yaml(text.removeprefix("\ufeff"), path)


def load_mapping(path: Path, expected: str) -> ConfigMap | None:
    """The top-level mapping of a YAML configuration file; None when the file is missing or empty.

    ``expected`` says what the mapping should hold (for the error when the top level is not a mapping).
    """
    if not path.exists() and not path.is_symlink():
        return None
    data = load_yaml(path)
    if data is None:
        return None
    if not isinstance(data, ConfigMap):
        raise ConfigError(path, "(top level)", expected, found_text=type(data).__name__)
    return data


def as_date(value: Any) -> dt.date | None:
    """A YAML date or ISO ``YYYY-MM-DD`` text as a date; None when it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None

"""Loading and validating the topic taxonomy (``site_config/topics.yml``) and curator overrides.

Every mistake in either file raises ``TaxonomyError`` (a ``ConfigError``) whose message names the
file, the key (``topics[3].keywords``), what was expected and what was found. Both files are read
with the strict loader of ``generator.config``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ConfigError, ConfigMap, load_yaml

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

#: Tunable scoring settings and their defaults (``settings:`` block of topics.yml).
DEFAULT_SETTINGS: dict[str, float] = {
    "title_weight": 2.5,  # a keyword in the title counts this many times its weight (plus abstract hits)
    "hint_weight": 1.0,  # score added to a topic whose ``hints`` match one of the paper's topic_hints
    "min_score": 2.0,  # below this best score the paper goes to the fallback topic
    "secondary_ratio": 0.45,  # a secondary topic needs at least this share of the primary's score ...
    "secondary_min_score": 5.0,  # ... and at least this absolute score
    "repeat_cap": 4,  # occurrences of one keyword in the abstract beyond this are ignored
}


#: Topic slugs the site's own pages use: ``topics/<slug>/`` must not be ``topics/index`` and so on.
RESERVED_SLUGS = frozenset({
    "index", "topics", "months", "papers", "stats", "about", "assets", "search", "feed", "sitemap",
    "catalogue", "404", "page", "tags",
})


class TaxonomyError(ConfigError):
    """A taxonomy or override file that cannot be used; the message says where and why."""


def _found(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = "dict" if isinstance(value, dict) else type(value).__name__
    if isinstance(value, dict):
        text = repr(dict(value))
        if len(text) > 60:
            text = text[:57] + "..."
    return f"{kind} {text}"


def _err(
    path: Path, key: str, expected: str, value: Any = None, *, found: str | None = None, line: int | None = None
) -> TaxonomyError:
    return TaxonomyError(path, key, expected, found_text=found if found is not None else _found(value), line=line)


def _line(data: Any, key: Any) -> int | None:
    return data.line(key) if isinstance(data, ConfigMap) else None


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of the catalogue."""

    slug: str
    name: str
    description: str
    keywords: Mapping[str, float] = field(default_factory=dict)
    hints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The ordered list of topics, the fallback topic and the scoring settings."""

    topics: list[Topic]
    fallback: str
    settings: Mapping[str, float]
    path: Path | None = None

    def get(self, slug: str, default: Topic | None = None) -> Topic | None:
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        return default

    def topic(self, slug: str) -> Topic:
        """The topic ``slug`` names; a ``KeyError`` when the taxonomy has none."""
        found = self.get(slug)
        if found is None:
            raise KeyError(slug)
        return found

    def __contains__(self, slug: object) -> bool:
        return any(t.slug == slug for t in self.topics)

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.topics]


def _read_yaml(path: Path, what: str) -> Any:
    try:
        return load_yaml(path, what=what)
    except TaxonomyError:
        raise
    except ConfigError as err:
        raise TaxonomyError(err.file, err.key, err.expected, found_text=err.found_text, line=err.line) from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _string(path: Path, key: str, value: Any, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _err(path, key, "a non-empty string" if not allow_empty else "a string", value)
    return value.strip()


_TOPIC_KEYS = {"slug", "name", "description", "keywords", "hints"}


def _topic(path: Path, i: int, raw: Any) -> Topic:
    key = f"topics[{i}]"
    if not isinstance(raw, dict):
        raise _err(path, key, "a mapping with slug, name, description, keywords", raw)
    unknown = sorted(str(k) for k in raw if k not in _TOPIC_KEYS)
    if unknown:
        raise _err(path, f"{key}.{unknown[0]}", f"one of the keys {sorted(_TOPIC_KEYS)}",
                   found=f"unknown key {unknown[0]!r}")
    for required in ("slug", "name", "description"):
        if required not in raw:
            raise _err(path, f"{key}.{required}", "a non-empty string", found="nothing (key missing)")
    slug = _string(path, f"{key}.slug", raw["slug"])
    if not _SLUG.match(slug):
        raise _err(path, f"{key}.slug", "a lowercase slug like 'llm' or 'ai-for-science'", slug, line=_line(raw, "slug"))
    if slug in RESERVED_SLUGS:
        raise _err(
            path, f"{key}.slug", f"a slug that is not the name of one of the site's own pages ({', '.join(sorted(RESERVED_SLUGS))})",
            slug, line=_line(raw, "slug"),
        )
    name = _string(path, f"{key}.name", raw["name"])
    description = _string(path, f"{key}.description", raw["description"])
    keywords_raw = raw.get("keywords", {})
    if keywords_raw is None:
        keywords_raw = {}
    if not isinstance(keywords_raw, dict):
        raise _err(path, f"{key}.keywords", "a mapping of term -> weight, e.g. {\"diffusion model\": 3}", keywords_raw)
    keywords: dict[str, float] = {}
    for term, weight in keywords_raw.items():
        if not isinstance(term, str) or not re.search(r"[A-Za-z0-9]", term):
            raise _err(path, f"{key}.keywords", "terms that are strings containing letters or digits", term)
        if not _is_number(weight) or weight == 0:
            raise _err(path, f"{key}.keywords[{term!r}]", "a non-zero number (the term's weight)", weight)
        keywords[term] = float(weight)
    hints_raw = raw.get("hints", [])
    if hints_raw is None:
        hints_raw = []
    if isinstance(hints_raw, str):
        hints_raw = [hints_raw]
    if not isinstance(hints_raw, list):
        raise _err(path, f"{key}.hints", "a list of strings (topic names used by source listings)", hints_raw)
    hints = tuple(_string(path, f"{key}.hints[{j}]", h) for j, h in enumerate(hints_raw))
    return Topic(slug=slug, name=name, description=description, keywords=keywords, hints=hints)


def load_taxonomy(path: Path | str) -> Taxonomy:
    """Read and validate ``topics.yml``; raise ``TaxonomyError`` on any mistake."""
    path = Path(path)
    data = _read_yaml(path, "the topic taxonomy (topics.yml)")
    if not isinstance(data, dict):
        raise _err(path, "(top level)", "a mapping with a 'topics' list", data)
    unknown = sorted(str(k) for k in data if k not in {"topics", "fallback", "settings", "version"})
    if unknown:
        raise _err(path, unknown[0], "one of the keys ['fallback', 'settings', 'topics', 'version']",
                   found=f"unknown key {unknown[0]!r}")
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, list) or not raw_topics:
        raise _err(path, "topics", "a non-empty list of topics", raw_topics,
                   found=None if "topics" in data else "nothing (key missing)")
    topics = [_topic(path, i, raw) for i, raw in enumerate(raw_topics)]
    seen: dict[str, int] = {}
    names: dict[str, int] = {}  # a topic is found by its name too (search filters, listing hints): one topic a name
    for i, topic in enumerate(topics):
        if topic.slug in seen:
            raise _err(path, f"topics[{i}].slug", f"a slug not used before (topics[{seen[topic.slug]}] has it)",
                       topic.slug)
        if topic.name.casefold() in names:
            raise _err(path, f"topics[{i}].name", f"a name not used before (topics[{names[topic.name.casefold()]}] has it)",
                       topic.name)
        seen[topic.slug] = i
        names[topic.name.casefold()] = i
    fallback = data.get("fallback", "other")
    if not isinstance(fallback, str) or fallback not in seen:
        raise _err(path, "fallback", f"the slug of one of the topics {sorted(seen)}", fallback)
    settings = dict(DEFAULT_SETTINGS)
    raw_settings = data.get("settings") or {}
    if not isinstance(raw_settings, dict):
        raise _err(path, "settings", "a mapping of setting -> number", raw_settings)
    for name, value in raw_settings.items():
        if name not in DEFAULT_SETTINGS:
            raise _err(path, f"settings.{name}", f"one of {sorted(DEFAULT_SETTINGS)}", found=f"unknown setting {name!r}")
        if not _is_number(value) or value < 0:
            raise _err(path, f"settings.{name}", "a number >= 0", value)
        settings[name] = float(value)
    if not any(t.keywords for t in topics if t.slug != fallback):
        raise _err(path, "topics", "at least one topic (besides the fallback) with keywords", found="no keywords at all")
    return Taxonomy(topics=topics, fallback=fallback, settings=settings, path=path)


@dataclass(frozen=True, slots=True)
class Override:
    """A curator's pinned topics for one paper (``line``: where the file gives it)."""

    primary: str
    secondary: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


def load_overrides(path: Path | str, taxonomy: Taxonomy) -> dict[str, Override]:
    """Read ``overrides.yml`` (``paper-id: slug`` or ``paper-id: {primary: slug, secondary: [slugs]}``).

    A missing file means no overrides. Unknown topic slugs raise ``TaxonomyError``.
    """
    path = Path(path)
    if not path.exists():
        return {}
    data = _read_yaml(path, "curator overrides (overrides.yml)")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _err(path, "(top level)", "a mapping paper-id -> topic slug or {primary, secondary}", data)
    known = taxonomy.slugs
    result: dict[str, Override] = {}

    def check(key: str, slug: Any) -> str:
        if not isinstance(slug, str) or slug not in taxonomy:
            raise _err(path, key, f"a topic slug from the taxonomy {known}", slug)
        return slug

    for paper_id, value in data.items():
        line = _line(data, paper_id)
        if not isinstance(paper_id, str) or not paper_id:
            raise _err(path, repr(paper_id), "paper ids (strings) as keys", paper_id, line=line)
        if isinstance(value, str):
            result[paper_id] = Override(primary=check(paper_id, value), line=line)
            continue
        if not isinstance(value, dict) or "primary" not in value:
            raise _err(path, paper_id, "a topic slug or a mapping {primary: slug, secondary: [slugs]}", value)
        extra = sorted(str(k) for k in value if k not in {"primary", "secondary"})
        if extra:
            raise _err(path, f"{paper_id}.{extra[0]}", "only the keys 'primary' and 'secondary'",
                       found=f"unknown key {extra[0]!r}")
        primary = check(f"{paper_id}.primary", value["primary"])
        secondary_raw = value.get("secondary") or []
        if isinstance(secondary_raw, str):
            secondary_raw = [secondary_raw]
        if not isinstance(secondary_raw, list):
            raise _err(path, f"{paper_id}.secondary", "a list of topic slugs", secondary_raw)
        if len(secondary_raw) > 2:
            raise _err(path, f"{paper_id}.secondary", "at most 2 topic slugs", secondary_raw)
        secondary = tuple(
            dict.fromkeys(check(f"{paper_id}.secondary[{j}]", s) for j, s in enumerate(secondary_raw) if s != primary)
        )
        result[paper_id] = Override(primary=primary, secondary=secondary, line=line)
    return result


def unknown_override_ids(path: Path, overrides: Mapping[str, Override], paper_ids: Iterable[str]) -> list[str]:
    """One message per override whose paper id no paper has: the file, its line and the closest ids."""
    import difflib

    known = sorted(paper_ids)
    known_set = set(known)
    messages = []
    for paper_id, override in sorted(overrides.items(), key=lambda item: (item[1].line or 0, item[0])):
        if paper_id in known_set:
            continue
        close = difflib.get_close_matches(paper_id, known, n=3, cutoff=0.6)
        where = f"{path}:{override.line}" if override.line else str(path)
        hint = f"; closest ids: {', '.join(close)}" if close else "; no paper has a similar id"
        messages.append(f"{where}: {paper_id}: override for a paper id that does not exist{hint}")
    return messages

"""Paper ids that never change once published: ``content/papercat-ids.yml``.

A paper's id is its URL (``papers/<id>/``). It is the slug of its title; two papers asking for
the same slug both get a suffix from their own content, so no id depends on the order of the
input. Once a site is published, a paper's id must stay, even when another paper with the same
slug arrives later: the newcomer gets the suffix. So ``papercat build`` records every id it gave,
with a short fingerprint of the paper, in ``content/papercat-ids.yml`` (commit it with the
content), and every later run gives each recorded paper its recorded id:

    # one line per id: t = title, a = start of the abstract (hashes), x = arXiv id
    a-survey-of-large-language-models: t=1f3a9c0e a=7b21d4aa x=2303.18223

A paper is recognised by its arXiv id, else by title and abstract together, else by its title or
its abstract alone when exactly one recorded paper and one current paper share it. An id whose
paper is gone stays recorded, so it is never given to another paper; delete its line to free it.
The file is written only by ``papercat build``, after the site is swapped in, and only when it
changes (sorted by id, so it is the same bytes for the same catalogue).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config import ConfigError, load_mapping
from ..model import Paper
from ..text import text_key
from .merge import TextKeys
from .slugs import base_slug, content_hash

IDS_FILE = "papercat-ids.yml"
HEADER = (
    "# Paper ids papercat has published (their URLs are papers/<id>/), written by `papercat build`.\n"
    "# Commit this file with the content: it keeps every paper's id when papers with similar titles arrive.\n"
    "# One line per id: t = title, a = start of the abstract (hashes), x = arXiv id. Delete a line to free an id.\n"
)
_FIELDS = ("t", "a", "x")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    title: str
    abstract: str = ""
    arxiv: str = ""

    def text(self) -> str:
        parts = [f"t={self.title}"]
        if self.abstract:
            parts.append(f"a={self.abstract}")
        if self.arxiv:
            parts.append(f"x={self.arxiv}")
        return " ".join(parts)


def fingerprint(paper: Paper, keys: TextKeys | None = None) -> Fingerprint:
    """``keys``: the paper's ``TextKeys``, when the caller has them already."""
    keys = keys or TextKeys.of(paper)
    abstract = keys.abstract[:100]
    return Fingerprint(
        content_hash(keys.title or paper.title, length=8),
        content_hash(abstract, length=8) if abstract else "",
        paper.arxiv_id or "",
    )


def load_ids(content_dir: Path) -> dict[str, Fingerprint]:
    """The recorded ids of a content folder (none when the file is missing).

    A file as ``papercat build`` writes it is read line by line; anything else, a hand edit say,
    is read as YAML, which names any mistake.
    """
    path = content_dir / IDS_FILE
    try:
        written = _read_written(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        written = None  # missing or unreadable: said below
    if written is not None:
        return written
    data = load_mapping(path, "a mapping of paper id to fingerprint")
    if data is None:
        return {}
    stored: dict[str, Fingerprint] = {}
    for paper_id, value in data.items():
        line = data.line(paper_id)
        if not isinstance(paper_id, str) or not _plain(paper_id):
            raise ConfigError(
                path, repr(paper_id), "a paper id (lowercase letters, digits and hyphens; in quotes, as in '1984':, "
                "where YAML would read a number, a date, true or null)", paper_id, line=line,
            )
        fields: dict[str, str] = {}
        for part in str(value if value is not None else "").split():
            name, _, text = part.partition("=")
            if name not in _FIELDS or not text or name in fields:
                raise ConfigError(path, paper_id, "'t=<hash>' then optional 'a=<hash>' and 'x=<arXiv id>'", value, line=line)
            fields[name] = text
        if "t" not in fields:
            raise ConfigError(path, paper_id, "'t=<hash>' then optional 'a=<hash>' and 'x=<arXiv id>'", value, line=line)
        stored[paper_id] = Fingerprint(fields["t"], fields.get("a", ""), fields.get("x", ""))
    return stored


def _plain(paper_id: str) -> bool:
    return bool(paper_id) and all(c.isascii() and (c.isalnum() and not c.isupper() or c == "-") for c in paper_id)


_WRITTEN = re.compile(
    r"(?P<quote>'?)(?P<id>[a-z0-9-]+)(?P=quote): t=(?P<t>[0-9a-f]+)(?: a=(?P<a>[0-9a-f]+))?(?: x=(?P<x>[A-Za-z0-9./_-]+))?"
)
_YAML_TEXT = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def _read_written(text: str) -> dict[str, Fingerprint] | None:
    """The ids of a file in the form ``ids_text`` writes; None for anything else.

    An id is read as the text it is, also where an earlier papercat wrote it unquoted and YAML
    would read a number or a date (``1984``, ``on``).
    """
    stored: dict[str, Fingerprint] = {}
    for line in text.removeprefix("\ufeff").split("\n"):
        if not line or line.startswith("#"):
            continue
        found = _WRITTEN.fullmatch(line)
        if found is None or found["id"] in stored:
            return None
        stored[found["id"]] = Fingerprint(found["t"], found["a"] or "", found["x"] or "")
    return stored


def _yaml_key(paper_id: str) -> str:
    """The id as a YAML key that reads back as this text: quoted where YAML would read a number, a date, true or null."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, paper_id, (True, False))  # type: ignore[no-untyped-call]
    return paper_id if tag == _YAML_TEXT else f"'{paper_id}'"


def ids_text(entries: dict[str, Fingerprint]) -> str:
    return HEADER + "".join(f"{_yaml_key(paper_id)}: {entries[paper_id].text()}\n" for paper_id in sorted(entries))


def _fresh_ids(papers: Sequence[Paper], wanted: Sequence[str], taken: set[str]) -> list[str]:
    """Ids for papers without a recorded one: the plain slug when no one else asks for it or holds it."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, slug in enumerate(wanted):
        groups[slug].append(index)
    ids = list(wanted)
    for slug, members in groups.items():
        if len(members) == 1 and slug not in taken:
            taken.add(slug)
            continue
        for index in members:
            paper = papers[index]
            fingerprint_text = text_key(paper.abstract)[:200]
            length = 6
            candidate = f"{slug}-{content_hash(paper.title, fingerprint_text, length=length)}"
            while candidate in taken:  # identical title and abstract, or a recorded id: lengthen with the position
                length += 1
                candidate = f"{slug}-{content_hash(paper.title, fingerprint_text, str(index), length=length)}"
            taken.add(candidate)
            ids[index] = candidate
    return ids


def assign_stable_ids(
    papers: Sequence[Paper], stored: dict[str, Fingerprint], keys: Sequence[TextKeys | None] | None = None
) -> tuple[list[str], dict[str, Fingerprint]]:
    """Ids for ``papers`` (in order), keeping every recorded id, and the record to write back.

    ``keys``: the ``TextKeys`` of each paper where the caller has them (None where not).
    """
    prints = [fingerprint(p, keys[i] if keys is not None else None) for i, p in enumerate(papers)]
    ids: list[str | None] = [None] * len(papers)
    free = dict(stored)  # recorded ids not yet given to a current paper

    def match(key_of_stored, key_of_paper, *, unique: bool) -> None:  # type: ignore[no-untyped-def]
        by_key: dict[object, list[str]] = defaultdict(list)
        for paper_id in sorted(free):
            key = key_of_stored(free[paper_id])
            if key:
                by_key[key].append(paper_id)
        wanting: dict[object, list[int]] = defaultdict(list)
        for index, fp in enumerate(prints):
            if ids[index] is None:
                key = key_of_paper(fp)
                if key and key in by_key:
                    wanting[key].append(index)
        for key, indexes in wanting.items():
            candidates = by_key[key]
            if unique and (len(candidates) != 1 or len(indexes) != 1):
                continue
            for index, paper_id in zip(indexes, candidates, strict=False):  # the shorter list decides
                ids[index] = paper_id
                del free[paper_id]

    match(lambda fp: fp.arxiv, lambda fp: fp.arxiv, unique=False)
    match(lambda fp: (fp.title, fp.abstract), lambda fp: (fp.title, fp.abstract), unique=False)
    match(lambda fp: fp.title, lambda fp: fp.title, unique=True)
    match(lambda fp: fp.abstract, lambda fp: fp.abstract, unique=True)

    taken = set(stored)
    new = [i for i, paper_id in enumerate(ids) if paper_id is None]
    fresh = _fresh_ids([papers[i] for i in new], [base_slug(papers[i].title) for i in new], taken)
    for index, fresh_id in zip(new, fresh, strict=True):
        ids[index] = fresh_id
    final = [paper_id for paper_id in ids if paper_id is not None]
    record = dict(stored)
    for index, paper_id in enumerate(final):
        record[paper_id] = prints[index]
    return final, record


def write_ids(content_dir: Path, entries: dict[str, Fingerprint]) -> bool:
    """Write ``content/papercat-ids.yml`` when it would change; True when it was written."""
    from .catalogue import write_atomic

    path = content_dir / IDS_FILE
    text = ids_text(entries)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True

"""The catalogue's data model: one typed ``Paper`` record, where it came from, and rejections.

Readers produce ``Paper`` records (with an empty ``id``); ids are assigned once the whole
catalogue is merged. Every stage after the readers passes ``Paper`` objects, never dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RecordError(ValueError):
    """A record that does not satisfy the ``Paper`` schema."""


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """One place a paper was read from."""

    file: str
    line: int
    reader: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reader": self.reader}


@dataclass(slots=True)
class Paper:
    """One paper of the catalogue."""

    title: str
    abstract: str
    id: str = ""
    title_inferred: bool = False
    authors: list[str] = field(default_factory=list)
    author_count: int | None = None
    date: str | None = None
    date_precision: DatePrecision | None = None
    date_inferred: bool = False  # the date's year was not printed: papercat inferred it from the page
    venue: str | None = None
    organization: str | None = None
    upvotes: int | None = None
    url: str | None = None
    arxiv_id: str | None = None
    topic_hints: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def validate(self) -> None:
        """Raise ``RecordError`` naming the first field that breaks the schema."""
        if not self.title.strip():
            raise RecordError("title is empty")
        if self.id and not _ID.match(self.id):
            raise RecordError(f"id {self.id!r} is not a lowercase URL slug")
        if self.date is not None:
            if not _ISO_DATE.match(self.date):
                raise RecordError(f"date {self.date!r} is not YYYY-MM-DD")
            if self.date_precision not in DATE_PRECISIONS:
                raise RecordError(f"date_precision {self.date_precision!r} is not one of {DATE_PRECISIONS}")
        elif self.date_precision is not None:
            raise RecordError("date_precision is set but date is empty")
        elif self.date_inferred:
            raise RecordError("date_inferred is set but date is empty")
        if self.author_count is not None and self.author_count < 0:
            raise RecordError("author_count is negative")
        if self.upvotes is not None and self.upvotes < 0:
            raise RecordError("upvotes is negative")
        if not all(isinstance(a, str) and a for a in self.authors):
            raise RecordError("authors must be non-empty strings")

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` of the paper's date, or None when the date is unknown or year-only."""
        if self.date is None or self.date_precision == "year":
            return None
        return self.date[:7]

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data, fields in declaration order (what ``dataclasses.asdict`` gives, made directly)."""
        data = {name: getattr(self, name) for name in _PAPER_FIELDS}
        data["authors"] = list(self.authors)
        data["topic_hints"] = list(self.topic_hints)
        data["sources"] = [s.to_dict() for s in self.sources]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RecordError(f"unknown field(s): {', '.join(unknown)}")
        values = dict(data)
        values["sources"] = [Source(**s) for s in data.get("sources", [])]
        values["authors"] = list(data.get("authors") or [])
        values["topic_hints"] = list(data.get("topic_hints") or [])
        paper = cls(**values)
        paper.validate()
        return paper


_PAPER_FIELDS = tuple(f.name for f in fields(Paper))


@dataclass(frozen=True, slots=True)
class Rejected:
    """A block of input that could not become a paper, and why."""

    file: str
    line: int
    reason: str
    raw: str
    reader: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason, "reader": self.reader, "raw": self.raw}


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a reader changed or skipped that a curator may want to know (not a rejection)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

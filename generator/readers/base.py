"""What every reader shares: the decoded document, detection results, and block splitting."""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Notice, Paper, Rejected, Source
from ..ingest.normalize import normalize_text, strip_invisible

# Lines that listing sites print around the papers. Compared case-insensitively, after trimming.
PAGE_CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "goto",
    "collaborating authors",
    "trending papers",
    "load more",
    "view all",
    "search",
}
MAX_RAW = 2000  # characters of a rejected block kept in the report
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$")  # the only links a paper may carry


def is_chrome(line: str) -> bool:
    return line.strip().casefold() in PAGE_CHROME


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What ``content/sources.yml`` says about one listing file."""

    captured: dt.date | None = None
    venue: str | None = None
    url: str | None = None
    topic: str | None = None
    format: str | None = None


@dataclass(slots=True)
class Document:
    """One listing file, decoded, with line endings made ``\\n``."""

    name: str  # path relative to the content folder, with forward slashes
    text: str
    encoding: str
    meta: SourceMeta = field(default_factory=SourceMeta)
    notices: list[Notice] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def notice(self, line: int, message: str) -> None:
        self.notices.append(Notice(self.name, line, message))


@dataclass(frozen=True, slots=True)
class Detection:
    """How sure a reader is that a document is its format (0 to 1), and why."""

    score: float
    reason: str


@dataclass(slots=True)
class Block:
    """Consecutive non-blank lines, with the 1-based number of the first one."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)


def split_blocks(lines: list[str]) -> list[Block]:
    """Blank-line separated blocks of a document."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if current is None:
                current = Block(number, [])
                blocks.append(current)
            current.lines.append(line)
        else:
            current = None
    return blocks


def line_blocks(lines: list[str]) -> list[Block]:
    """Every non-blank line as a block of its own (listings without blank lines between fields)."""
    return [Block(number, [line]) for number, line in enumerate(lines, start=1) if line.strip()]


class Reader(ABC):
    """A listing format: says whether a document is its kind, and reads papers from it."""

    name: str
    label: str

    @abstractmethod
    def detect(self, doc: Document) -> Detection: ...

    @abstractmethod
    def parse(self, doc: Document) -> Iterator[Paper | Rejected]: ...

    # Helpers shared by the readers.
    def source(self, doc: Document, line: int) -> Source:
        return Source(file=doc.name, line=line, reader=self.name)

    def reject(self, doc: Document, line: int, reason: str, raw: str) -> Rejected:
        return Rejected(file=doc.name, line=line, reason=reason, raw=raw[:MAX_RAW], reader=self.name)

    def make_paper(
        self,
        doc: Document,
        line: int,
        *,
        title: str,
        abstract: str,
        raw: str,
        title_inferred: bool = False,
        **fields: object,
    ) -> Paper | Rejected:
        """Normalize the text fields, apply the file's metadata, and validate; a bad record is rejected."""
        clean_title, dropped_t = strip_invisible(title)
        clean_abstract, dropped_a = strip_invisible(abstract)
        others = [*(fields.get("authors") or []), fields.get("venue") or "", fields.get("organization") or ""]  # type: ignore[misc]
        dropped_o = sum(strip_invisible(str(text))[1] for text in others)
        if dropped_t or dropped_a or dropped_o:
            doc.notice(line, f"removed {dropped_t + dropped_a + dropped_o} control, zero-width or bidirectional character(s)")
        if fields.get("organization"):
            fields["organization"] = normalize_text(str(fields["organization"])) or None
        clean_title = normalize_text(clean_title)
        clean_abstract = normalize_text(clean_abstract)
        if not clean_title:
            return self.reject(doc, line, "title is empty after removing invisible characters", raw)
        hints = list(fields.pop("topic_hints", None) or [])  # type: ignore[arg-type]
        if doc.meta.topic and doc.meta.topic not in hints:
            hints.append(doc.meta.topic)
        venue = fields.pop("venue", None) or doc.meta.venue
        authors = [normalize_text(str(a)) for a in fields.pop("authors", None) or []]  # type: ignore[union-attr]
        fields["authors"] = [a for a in authors if a]
        if fields["authors"] and fields.get("author_count") is None:
            fields["author_count"] = len(fields["authors"])
        paper = Paper(
            title=clean_title,
            abstract=clean_abstract,
            title_inferred=title_inferred,
            venue=normalize_text(str(venue)) if venue else None,
            topic_hints=[normalize_text(h) for h in hints if normalize_text(h)],
            sources=[self.source(doc, line)],
            **fields,  # type: ignore[arg-type]
        )
        try:
            paper.validate()
        except ValueError as err:
            return self.reject(doc, line, str(err), raw)
        return paper


# A full stop ending one sentence and a capital starting the next ("... objects. The model ...").
_SENTENCE_BREAK = re.compile(r"[a-z0-9\)\]%]\.\s+[A-Z(][a-z ]")


def looks_like_abstract(text: str) -> bool:
    """Prose rather than a title: long, or ending in a full stop, or several sentences.

    Titles may hold a question mark or "vs." ("When Can Models Learn? A Framework ..."), but they
    are short and rarely end with a full stop.
    """
    text = text.strip()
    if len(text) >= 250:
        return True
    if len(text) >= 60 and text.endswith(".") and not text.endswith(("et al.", "etc.", "vs.")):
        return True
    return len(text) >= 80 and len(_SENTENCE_BREAK.findall(text)) >= 2


def looks_like_title(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= 300 and not looks_like_abstract(text)

"""Lists of papers that print no abstracts: a collection of papers, a proceedings index, a reading list.

Each paper is a paragraph of its own (or, copied with no blank lines, the lines from its title to the
next title): its title, then lines about it (its authors, an arXiv id,
``Published Feb 5, 2024``, a venue), which a collection prints as one line split at its bullets
(``Paper • 2402.03300 • Published Feb 5, 2024 • 85``) or as a line per part. A paper is kept without
an abstract, with a notice, when those lines say whose it is or where and when it appeared; the
paragraphs above the first paper are the page's own (skipped with a notice), as are its links and
counts below. It is chosen only where every paragraph from the first paper on is such a paper: a listing
with abstracts has prose there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..ingest.ids import parse_arxiv_id
from ..model import Paper, Rejected
from .base import (
    NO_FIELDS,
    Block,
    Detection,
    Document,
    PaperFields,
    Reader,
    could_be_title,
    is_page_text,
    looks_like_abstract,
    skip_page_text,
    split_blocks,
)
from .result_cards import line_details

# The parts of a line about a paper a collection sets apart with bullets: "Paper • 2402.03300 • Published … • 85".
_PARTS = re.compile(r"\s*[•·|]\s*")
_BARE_ID = re.compile(r"^(?:arxiv\s*:\s*)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)  # "2402.03300"
_PUBLISHED = re.compile(r"\b(published(?:\s+on)?)\s*[•·|]\s*", re.IGNORECASE)  # split from its date, a line each
_KIND = re.compile(r"^(?:paper|article|preprint|\d[\d,.]*k?)$", re.IGNORECASE)  # a kind tag, an upvote count
MIN_ENTRIES = 2
MIN_PROSE = 60  # characters: a shorter line is never taken for prose
MAX_PROSE_LINES = 2  # a heading's blurb and the page's foot; a listing with abstracts has one a paper
MIN_SHARE = 0.8  # of the paragraphs from the first paper on, those that are papers (the rest the page's)
# Sure in proportion to the papers found so: every paragraph from the first paper on is one, and none holds prose,
# which any listing with abstracts has.
BASE_SCORE, PER_ENTRY, MAX_SCORE = 0.55, 0.05, 0.9


@dataclass(frozen=True, slots=True)
class _Entry:
    block: Block
    title: str
    found: PaperFields


def _details(doc: Document, number: int, lines: list[str]) -> PaperFields | None:
    """What the lines under a title say about its paper, the parts between bullets read one by one; None when any
    part says nothing papercat reads (the paragraph is not a title and its details)."""
    text = _PUBLISHED.sub(r"\1 ", " • ".join(line.strip() for line in lines))  # "Published" / "Feb 5, 2024": one part
    found = NO_FIELDS
    for part in (p for p in _PARTS.split(text) if p):
        if (bare := _BARE_ID.match(part)) and (arxiv_id := parse_arxiv_id(bare.group(1))) is not None:
            found = found.updated(PaperFields(arxiv_id=arxiv_id, url=f"https://arxiv.org/abs/{arxiv_id}"))
            continue
        if _KIND.match(part):
            continue
        details = line_details(doc, number, part)
        if details is None:
            return None
        found = found.updated(details)
    return found


def _quiet(doc: Document) -> Document:
    """``doc`` for reading lines without noting anything on it (to detect the layout, before the reading)."""
    return Document(doc.name, "", doc.encoding, doc.meta)


def _entry(doc: Document, block: Block) -> _Entry | None:
    """The paper of a paragraph (its title and the lines about it), or None; notes go to ``doc``."""
    lines = [line for line in block.lines if line.strip() and not is_page_text([line])]
    if len(lines) < 2:
        return None
    title = lines[0].strip()
    if not could_be_title(title) or looks_like_abstract(title):  # (the lines below are read part by part: no prose)
        return None
    found = _details(doc, block.line + 1, lines[1:])
    if found is None or not (found.authors or found.arxiv_id or (found.date and (found.venue or found.upvotes is not None))):
        return None
    return _Entry(block, title, found)


def _unspaced(quiet: Document, block: Block) -> list[Block]:
    """A paragraph of several papers with no blank line between them (a proceedings index: a title, its line of
    authors, the next title, …), as a paragraph per paper; the paragraph as it is when not every part is one.
    ``quiet``: the page, read without notes (``_quiet``)."""
    starts = [i for i, line in enumerate(block.lines) if line.strip() and _details(quiet, 0, [line]) is None]
    if len(starts) < MIN_ENTRIES or starts[0] != 0:
        return [block]
    parts = [Block(block.line + a, block.lines[a:b]) for a, b in zip(starts, [*starts[1:], len(block.lines)], strict=True)]
    if any(len(part.lines) < 2 or _entry(quiet, part) is None for part in parts):
        return [block]
    return parts


def _entries(doc: Document, *, quiet: bool) -> tuple[list[Block], list[_Entry | None]] | None:
    """The page's paragraphs and, for each, its paper (None for the page's own); None when the page is not such a list."""
    if sum(1 for line in doc.lines if len(line) >= MIN_PROSE and looks_like_abstract(line)) > MAX_PROSE_LINES:
        return None  # (quickly) lines of prose: a listing with abstracts
    silent = _quiet(doc)
    blocks = [
        part for block in split_blocks(doc.lines) if not is_page_text(block.lines)
        for part in (_unspaced(silent, block) if len(block.lines) >= 2 * MIN_ENTRIES else [block])
    ]
    entries = [_entry(silent if quiet else doc, block) for block in blocks]
    first = next((i for i, entry in enumerate(entries) if entry is not None), None)
    if first is None:
        return None
    found = sum(1 for entry in entries if entry is not None)
    prose = any(looks_like_abstract(block.text) for block, entry in zip(blocks[first:], entries[first:], strict=True) if entry is None)
    if found < MIN_ENTRIES or found < MIN_SHARE * (len(blocks) - first) or prose:  # a listing with abstracts: another reader's
        return None
    return blocks, entries


class TitleListReader(Reader):
    name = "title-list"
    label = "list of titles with their authors, id or date and no abstracts (a collection, a proceedings index)"

    def detect(self, doc: Document) -> Detection:
        found = _entries(doc, quiet=True)
        if found is None:
            return Detection(0.0, "no paragraphs of a title and the lines about its paper, without abstracts")
        papers = sum(1 for entry in found[1] if entry is not None)
        score = min(MAX_SCORE, BASE_SCORE + PER_ENTRY * papers)
        return Detection(score, f"{papers} paragraphs of a title and the lines about its paper, no abstracts")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        found = _entries(doc, quiet=False)
        if found is None:  # chosen in sources.yml for a file of another kind
            yield self.reject(doc, 1, "no paragraphs of a title and the lines about its paper (a list without abstracts)", doc.text)
            return
        started = False
        for block, entry in zip(*found, strict=True):
            if entry is not None:
                started = True
                doc.notice(block.line, "a title with the lines about its paper and no abstract: the paper is kept without one")
                yield self.make_paper(doc, block.line, title=entry.title, abstract="", raw=block.raw, found=entry.found)
            elif skip_page_text(doc, block.line, block.lines):
                continue
            elif not started:  # the page's heading, above the first paper
                doc.notice(block.line, f"skipped page text {block.text.strip()[:60]!r} above the list")
            else:
                yield self.reject(doc, block.line, "a paragraph among the papers that is not a title with its paper's details", block.raw)

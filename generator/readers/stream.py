"""Pairing titles with abstracts in listings that print them as a stream of blocks.

Daily-papers pages, search results and topic listings all print a title block followed by an
abstract block, with optional metadata blocks (authors and date, venue) around them. The
readers classify blocks; this module turns the classified stream into papers and rejections.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..ingest.titles import infer_title
from ..model import Paper, Rejected
from .base import (
    LIST_MARKER,
    NO_FIELDS,
    Block,
    Document,
    PaperFields,
    Reader,
    could_be_abstract,
    could_be_title,
    lone_sentence,
    looks_like_abstract,
    looks_like_title,
    title_cased,
)

Kind = Literal["text", "meta", "venue", "fields"]


@dataclass(slots=True)
class Item:
    kind: Kind
    block: Block
    fields: PaperFields = NO_FIELDS


@dataclass(slots=True)
class _Pending:
    line: int
    raw: list[str]
    title: str | None
    abstract: str | None = None
    fields: PaperFields = NO_FIELDS
    has_meta: bool = False


_LINK = re.compile(r"https?://\S")
CLOSING_CHARS = 250  # the longest closing line ("Code: https://…", "We release the model.") joined so


def _kind_after(items: list[Item], index: int) -> str | None:
    """The kind of the item after ``items[index]`` (None at the end)."""
    return items[index + 1].kind if index + 1 < len(items) else None


def _closing_line(text: str, items: list[Item], index: int) -> bool:
    """A short last paragraph of an abstract: a line with a link (``Code: https://…``, ``Project page: …``),
    or a sentence right above the paper's authors/date block ("We release the model and dataset.").

    Not a title: a title is not a sentence with a full stop, and has its words capitalised.
    """
    text = text.strip()
    if len(text) >= CLOSING_CHARS or title_cased(text, share=0.6):
        return False
    if _LINK.search(text):
        return True
    return _kind_after(items, index) == "meta" and text.endswith(".")


_LIST_ITEM = re.compile(rf"^\s*(?:{LIST_MARKER}|\(\d{{1,2}}\)\s+)\S")  # "• a data pipeline …", "1. we …", "(2) a …"


def _list_item_of(abstract: str, text: str) -> bool:
    """An item of a list the abstract goes on with: after "Our contributions are:", or after the item before it."""
    return bool(_LIST_ITEM.match(text)) and abstract.rstrip().endswith((":", ";", ",")) and len(text) < CLOSING_CHARS


def _sentence_above_meta(text: str, items: list[Item], index: int) -> bool:
    """A short sentence right above a paper's authors/date block: an abstract of a few words, not a title."""
    return _kind_after(items, index) == "meta" and text.rstrip().endswith((".", "!", "\u3002")) and not title_cased(text, share=0.6)


_ABOUT_A_PAPER = {"venue", "authors", "author_count", "date"}  # what makes a title with no abstract a paper's


def pair_records(reader: Reader, doc: Document, items: list[Item], *, paragraphs: bool = False) -> Iterator[Paper | Rejected]:
    """Papers from a classified block stream; a title without an abstract, or metadata with no paper, is rejected.

    ``paragraphs``: the listing prints each paper's abstract as blocks of prose (every paper titled), so prose
    right after an abstract, not followed by one (not a title), is that abstract's next paragraph.
    """
    current: _Pending | None = None

    def flush() -> Iterator[Paper | Rejected]:
        nonlocal current
        record, current = current, None
        if record is None:
            return
        raw = "\n".join(record.raw)
        if record.abstract is None and record.title is not None and record.fields.given() & _ABOUT_A_PAPER:
            # A title with its venue, authors or date and no abstract (a listing's entry printed without one).
            doc.notice(record.line, "a title with no abstract under it: the paper is kept without one")
            yield reader.make_paper(doc, record.line, title=record.title, abstract="", raw=raw, found=record.fields)
            return
        if record.abstract is None:
            yield reader.reject(doc, record.line, "title with no abstract (truncated or incomplete record)", raw)
            return
        inferred = record.title is None
        if inferred and record.fields == NO_FIELDS and lone_sentence(record.abstract):
            # One sentence with no title and nothing about a paper around it: a page's footer or blurb
            # ("Papers With Code is a free resource ..."), reported rather than published as a paper.
            yield reader.reject(doc, record.line, "one sentence with no title, authors or date: page text, or a paper cut short", raw)
            return
        title = record.title if record.title is not None else infer_title(record.abstract)
        if inferred:
            doc.notice(record.line, "abstract with no title: title inferred from the abstract")
        yield reader.make_paper(
            doc, record.line, title=title, abstract=record.abstract, raw=raw, title_inferred=inferred, found=record.fields
        )

    for index, item in enumerate(items):
        block = item.block
        if item.kind == "text":
            text = block.text
            pending_title = current is not None and current.abstract is None and not _title_above_meta(text, items, index)
            if current is not None and pending_title and (
                looks_like_abstract(text) or (could_be_abstract(text) and not _next_text_is_abstract(items, index))
                or (paragraphs and _sentence_above_meta(text, items, index))  # "No." under "Do LLMs Dream …?"
            ):
                current.abstract = text
                current.raw.extend(block.lines)
                continue
            if (
                paragraphs and current is not None and current.abstract is not None and current.title is not None
                and not current.has_meta
                and (
                    (looks_like_abstract(text) and not _next_text_is_abstract(items, index)
                     and (index + 1 < len(items) or not lone_sentence(text)))  # one sentence below the last paper: the page's
                    or _closing_line(text, items, index)
                    or _list_item_of(current.abstract, text)
                )
            ):
                doc.notice(block.line, "joined a paragraph with no title to the abstract above it, as its next paragraph")
                current.abstract = f"{current.abstract} {text}"
                current.raw.extend(block.lines)
                continue
            # Otherwise a pending title never got its abstract: this block starts the next record.
            yield from flush()
            title_here = len(text) < 250 or could_be_title(text)  # where an abstract follows: a title ending in "."
            if looks_like_abstract(text) and not (title_here and _next_text_is_abstract(items, index)):
                current = _Pending(block.line, list(block.lines), title=None, abstract=text)
            else:
                current = _Pending(block.line, list(block.lines), title=text, fields=item.fields)  # upvotes above it
        elif item.kind == "fields":  # a line of authors or a date, above or below the abstract: the record goes on
            if current is not None and not current.has_meta and not item.fields.given() & current.fields.given():
                current.fields = current.fields.updated(item.fields)  # nothing, for a date that could not be placed
                current.raw.extend(block.lines)
            else:
                yield reader.reject(doc, block.line, "authors or date line with no paper", block.raw)
        elif item.kind == "venue":
            if current is not None and current.fields.venue is None:
                current.fields = current.fields.updated(item.fields)
                current.raw.extend(block.lines)
            else:
                yield reader.reject(doc, block.line, "venue line with no paper", block.raw)
        else:  # meta: authors, date, upvotes
            if current is not None and current.abstract is not None and not current.has_meta:
                current.fields = current.fields.updated(item.fields)
                current.has_meta = True
                current.raw.extend(block.lines)
                yield from flush()
            elif current is not None and current.abstract is None:
                current.raw.extend(block.lines)
                if current.title is not None and _kind_after(items, index) == "text" and (
                    looks_like_abstract(items[index + 1].block.text)
                ):
                    # Between a title and its abstract ("19 Jan 2024 · Tianle Cai, Yuhong Li", Papers with Code).
                    current.fields = current.fields.updated(item.fields)
                    current.has_meta = True
                    continue
                if current.title is not None and looks_like_title(current.title) and (
                    item.fields.author_count is not None or item.fields.authors
                ):
                    # A title right above its authors/date block: the page printed no abstract for it.
                    doc.notice(current.line, "no abstract under this title: the paper is kept without one")
                    current.fields = current.fields.updated(item.fields)
                    current.abstract = ""
                yield from flush()
            else:
                yield reader.reject(doc, block.line, "authors/date block with no paper before it", block.raw)
    yield from flush()


def _title_above_meta(text: str, items: list[Item], index: int) -> bool:
    """A title, then its date and authors, then its abstract (Papers with Code): a paper starts here."""
    return (
        _kind_after(items, index) == "meta" and index + 2 < len(items) and items[index + 2].kind == "text"
        and looks_like_title(text) and title_cased(text, share=0.6) and looks_like_abstract(items[index + 2].block.text)
    )


def _next_text_is_abstract(items: list[Item], index: int) -> bool:
    for item in items[index + 1 :]:
        if item.kind == "text":
            return looks_like_abstract(item.block.text)
        if item.kind == "meta":
            return False
    return False

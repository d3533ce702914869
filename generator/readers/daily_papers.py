"""Daily Papers pages: title, abstract, then an optional ``• N authors`` / ``·`` / date block."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..ingest.dates import ListingDate, parse_listing_date, parse_page_period, written_as_date
from ..model import Paper, Rejected
from .base import (
    ABSTRACT_LABEL,
    NO_FIELDS,
    SUBMITTER,
    Block,
    Detection,
    Document,
    PaperFields,
    Reader,
    author_names,
    could_be_title,
    cut_abstract,
    is_bare_label,
    is_chrome,
    is_navigation,
    is_page_text,
    looks_like_abstract,
    looks_like_title,
    one_name,
    skip_page_text,
    split_blocks,
    title_cased,
)
from .stream import Item, pair_records

# "• 7 authors", "• 1,024 authors" (a thousands separator: comma, dot or a narrow space).
# "?": the bullet of a page saved in an encoding without it.
_AUTHOR_COUNT = re.compile(r"^[•·●◦▪‣*\-?]?\s*(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d{1,6})\s+authors?$", re.IGNORECASE)
# "• Ada Lovelace, Alan Turing": a bullet, or an asterisk used as one (then a space follows it,
# which tells it from a title in Markdown emphasis, "**Principled** Reward Shaping").
_AUTHOR_NAMES = re.compile(r"^(?:[•●◦▪‣]|\*(?=\s))\s*(.+)$")
_SEPARATOR = re.compile(r"^[·•|\-–—]$")
_MORE_AUTHORS = re.compile(r"^\+\s*(\d{1,6})(?:\s+(?:more|other))?(?:\s+authors?)?$", re.IGNORECASE)
_ET_AL = re.compile(r",?\s+et\s+al\.?$", re.IGNORECASE)
_ARROWS = ("▲", "△", "⬆", "↑")
_UPVOTES = re.compile(r"^(?:[▲△⬆↑]\s*)?(\d{1,7})(?:\s+upvotes?)?$", re.IGNORECASE)  # "42", "▲ 42", "42 upvotes"
_SUBMITTED_BY = re.compile(r"^submitted\s+by$", re.IGNORECASE)  # the submitter's name on the next line
# "• 6 authors · Jul 13, 2023": the fields other pages print on separate lines, joined by a middle dot.
_INLINE_SEPARATOR = re.compile(r"\s+·\s+")
_UNREAD_CHARS = 40  # the longest line an authors/date block may hold that is read as none of its kinds
_ORGANIZATION_CHARS = 100  # the longest organisation line read in place of an author count

MetaBlock = tuple[tuple[str, Any], ...]  # an authors/date block's lines as (kind, value)


# "3 days ago", "an hour ago", "yesterday" (with the upvotes after it, as a date has them): days before the page's date.
_AGO = re.compile(
    r"^(?:(?P<count>\d{1,3}|an?|one)\s+(?P<unit>minute|hour|day|week)s?\s+ago|(?P<word>yesterday|today|just\s+now))"
    r"(?:\s+(?P<upvotes>\d{1,7}))?$",
    re.IGNORECASE,
)
_UNITS = {"minute": 0, "hour": 0, "day": 1, "week": 7}


def relative_date(text: str) -> tuple[int, int | None] | None:
    """How many days before the page's date ``3 days ago`` or ``yesterday`` is, and the upvotes printed after it;
    None when the line is no such date."""
    match = _AGO.match(text.strip())
    if match is None:
        return None
    upvotes = int(match.group("upvotes")) if match.group("upvotes") else None
    if word := match.group("word"):
        return (1 if word.lower() == "yesterday" else 0), upvotes
    count = match.group("count").lower()
    return (1 if not count.isdigit() else int(count)) * _UNITS[match.group("unit").lower()], upvotes


def _meta_line(line: str) -> tuple[str, Any] | None:
    """One line of an authors/date block, as (kind, value); None if the line is not one."""
    text = line.strip()
    if match := _AUTHOR_COUNT.match(text):
        return "author_count", int(re.sub(r"\D", "", match.group(1)))
    if _SEPARATOR.match(text):
        return "separator", None
    if (date := parse_listing_date(text)) is not None:
        return "date", date
    if (ago := relative_date(text)) is not None:
        return "ago", ago
    if match := _UPVOTES.match(text):
        return "upvotes", int(match.group(1))
    if SUBMITTER.match(text) or _SUBMITTED_BY.match(text):
        return "submitter", None
    if is_navigation(text):  # "Upvote", "3 comments"
        return "page text", None
    if match := _AUTHOR_NAMES.match(text):
        listed = _ET_AL.sub("", match.group(1))
        names = [n.strip() for n in re.split(r",|\band\b", listed) if n.strip()]
        more = _MORE_AUTHORS.match(names[-1]) if names else None
        if more:  # "Ana Ruiz, Bo Chen, +4 authors": two names of six authors
            names.pop()
        if names and all(len(n) <= 60 and not n.endswith((".", ";", ":")) and not n[0].isdigit() for n in names) and (
            not names[0][0].islower()  # not "• a data pipeline that …;", an item of an abstract's list
        ):
            return "authors", (names, len(names) + int(more.group(1)) if more else None)
    if (listed_names := author_names(text)) is not None:  # "Tri Dao, Daniel Y. Fu, ..." with no bullet
        return "authors", (list(listed_names), None)
    return None


def _meta_entries(lines: tuple[str, ...]) -> list[str]:
    entries: list[str] = []
    for line in lines:
        parts = [part for part in _INLINE_SEPARATOR.split(line.strip()) if part]
        entries.extend(parts if len(parts) > 1 else [line])
    return entries


def parse_meta_block(block: Block) -> MetaBlock | None:
    """The authors/date block ``block`` is, entry by entry; None when it is something else."""
    return _parse_meta(tuple(block.lines))


@functools.lru_cache(maxsize=4096)  # asked of a block several times: as a title's neighbour, to detect, to parse
def _parse_meta(lines: tuple[str, ...]) -> MetaBlock | None:
    entries = _meta_entries(lines)
    first = _meta_line(entries[0])
    if first is not None and first[0] == "authors" and len(entries) == 1 and not _AUTHOR_NAMES.match(entries[0].strip()):
        return None  # a line of names alone, with no bullet: as often a title of capitalised words
    if first is None and (len(entries) < 2 or len(entries[0].strip()) > _ORGANIZATION_CHARS):
        return None  # most blocks are titles and abstracts: settled by their first line
    rest: list[tuple[str, Any]] = []
    for previous, entry in zip(entries, entries[1:], strict=False):
        parsed = _meta_line(entry)
        if parsed is None and _SUBMITTED_BY.match(previous.strip()) and len(entry.split()) <= 3:
            parsed = ("submitter", None)  # "Submitted by" / "akhaliq"
        if parsed is None and len(lines) == 1 and parse_listing_date(previous.strip()) and (name := one_name(entry.strip())):
            parsed = ("authors", (list(name), None))  # "12 Sep 2023 · Woosuk Kwon": one author after the date
        if parsed is None:
            parsed = ("unread", entry.strip())  # kept if the block is plainly an authors/date block (below)
        rest.append(parsed)
    if first is None:
        # "BostonU Boston University / · / Jul 31, 2024": an organisation line in place of the author count.
        if not any(kind == "date" for kind, _ in rest):
            return None
        first = ("organization", entries[0].strip())
    found = (first, *rest)
    kinds = [kind for kind, _ in found]
    if set(kinds) <= {"separator", "upvotes", "submitter", "page text", "unread"}:
        return None  # a lone number or dot is not enough to be an authors/date block
    # A line it cannot read ("Dec 11th 2024", "12/11/2024") in a block that is plainly one: an author
    # count and the middle dot, and the line short; otherwise the block is something else.
    unread = [value for kind, value in found if kind == "unread"]
    if unread and (len(unread) > 1 or len(unread[0]) > _UNREAD_CHARS or not {"author_count", "separator"} <= set(kinds)):
        return None
    return found


def _glued_above(lines: list[str]) -> list[int]:
    """Where a block's first lines that are who posted the paper or its upvotes, printed right above its
    title, end: one end per entry (``26``, ``Submitted by akhaliq``, ``Submitted by`` / ``akhaliq``); and the
    page's header right above its date (``Daily Papers`` / ``Mar 4``)."""
    ends: list[int] = []
    start = 0
    while start < len(lines) - 1:
        text = lines[start].strip()
        if SUBMITTER.match(text) or _UPVOTES.match(text) or is_navigation(text) or text.casefold() == "daily papers":
            start += 1
        elif _SUBMITTED_BY.match(text) and start < len(lines) - 2 and len(lines[start + 1].split()) <= 3:
            start += 2  # "Submitted by" / "akhaliq"
        else:
            break
        ends.append(start)
    return ends


def _glued_below(lines: list[str]) -> int:
    """Where an authors/date block printed right below a paper's text starts in its block (0: none there).

    The block's tail must start with a line of such a block and count the authors or give "·" and a
    date, so that the last line of a wrapped abstract (a bullet of a list, "• a benchmark, a baseline",
    or "... issued on" / "Nov 4, 2024") is never taken for one.
    """
    for start in range(1, len(lines)):
        if _meta_line(_meta_entries((lines[start],))[0]) is None:
            continue
        meta = _parse_meta(tuple(lines[start:]))
        kinds = {kind for kind, _ in meta or ()}
        if "author_count" in kinds or {"separator", "date"} <= kinds:
            above = " ".join(line.strip() for line in lines[:start])
            return start if looks_like_abstract(above) or (start >= 2 and cut_abstract(lines[start - 1])) else 0
    return 0


def split_glued_lines(blocks: list[Block]) -> list[Block]:
    """A paper's submitter or upvotes above its title, and its authors/date lines below its abstract, with no
    blank line between, as blocks of their own."""
    out: list[Block] = []
    for block in blocks:
        lines = block.lines
        ends = _glued_above(lines)
        for start, end in zip([0, *ends], ends, strict=False):
            out.append(Block(block.line + start, lines[start:end]))
        above = ends[-1] if ends else 0
        body = lines[above:]
        below = _glued_below(body) if parse_meta_block(Block(block.line + above, body)) is None else 0
        if below:
            out.append(Block(block.line + above, body[:below]))
            out.append(Block(block.line + above + below, body[below:]))
        elif above:
            out.append(Block(block.line + above, body))
        else:
            out.append(block)
    return out


def split_title_lines(blocks: list[Block]) -> list[Block]:
    """A title printed directly above its abstract, with no blank line between, as two blocks.

    Only where a paper starts (not right after a title block): there a multi-line block is the
    paper's abstract, wrapped, and its first line is not a title.
    """
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        after_title = (
            previous is not None
            and not is_page_text(previous.lines)  # chrome, a vote count, who posted the paper
            and not is_submitter_block(previous)
            and parse_meta_block(previous) is None
            and len(previous.lines) <= 2  # a title, wrapped at most once; not the page's heading and its links
            and looks_like_title(previous.text)
        )
        first, rest = block.lines[0], block.lines[1:]
        if len(rest) == 2 and _title_goes_on(first, rest[0], rest[1]):  # a title wrapped over two lines
            first, rest = f"{first.rstrip()} {rest[0].strip()}", rest[1:]
        if (
            rest
            and not after_title
            and not is_chrome(first)
            and could_be_title(first)
            and parse_meta_block(block) is None
            and (looks_like_abstract(" ".join(line.strip() for line in rest)) or (len(rest) == 1 and cut_abstract(rest[0])))
        ):
            out.append(Block(block.line, [first]))
            out.append(Block(block.line + 1, rest))
        else:
            out.append(block)
    return out


# Words a title does not end with: a line ending in one is a title that goes on below.
_OPEN_ENDING = re.compile(r"(?:[:,\-–—]|\b(?:a|an|the|of|for|and|or|in|on|with|to|via|from|by|at|as|into|towards?))$", re.IGNORECASE)
MAX_TITLE_LINE = 150


def _title_goes_on(first: str, second: str, abstract: str) -> bool:
    """``second`` is the rest of a title wrapped over two lines, printed right above its abstract.

    Only above an abstract on one line of its own (much longer than ``second``): under a wrapped
    abstract, a short second line is as often the abstract's first. The two lines read as one
    title, and the first ends where a title cannot (``…: An``) or the second has its words
    capitalised as a title's are.
    """
    second = second.strip()
    if not second or len(second) > MAX_TITLE_LINE or second.endswith((".", "!", "…")):
        return False
    if len(abstract.strip()) < max(200, 2 * len(second)) or not looks_like_abstract(abstract):
        return False
    if not could_be_title(f"{first} {second}") or looks_like_abstract(f"{first} {second}") or is_chrome(second):
        return False
    if _OPEN_ENDING.search(first.rstrip()):
        return True
    return title_cased(second)


def join_meta_blocks(blocks: list[Block]) -> list[Block]:
    """An authors/date block copied with blank lines between its lines (``• 3 authors`` / ``·`` / ``May 2``), as one block,
    and so is ``Submitted by`` with the name below it.

    Only separators and dates join the block above them, and only one without a date yet: a lone
    number after a paper is as often the page's own (a page number) as its upvotes.
    """
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (  # "Submitted by" / blank / "akhaliq": who posted the paper, as one block
            previous is not None
            and len(previous.lines) == 1
            and _SUBMITTED_BY.match(previous.lines[0].strip())
            and len(block.lines) == 1
            and len(block.text.split()) <= 3
        ):
            out[-1] = Block(previous.line, previous.lines + block.lines)
        elif (
            previous is not None
            and all(
                # a date that names no day there is ("Feb 30, 2024") too: read as no date, with a note
                _SEPARATOR.match(text := line.strip()) or written_as_date(text) or relative_date(text) is not None
                for line in block.lines
            )
            and (meta := parse_meta_block(previous)) is not None
            and all(kind not in ("date", "ago") for kind, _ in meta)
            and parse_meta_block(joined := Block(previous.line, previous.lines + block.lines)) is not None
        ):
            out[-1] = joined
        else:
            out.append(block)
    return out


def is_submitter_block(block: Block) -> bool:
    """``Submitted by`` / ``ivanpetrov`` as a block of its own: who posted the paper, not the paper's."""
    lines = [line.strip() for line in block.lines]
    return bool(SUBMITTER.match(" ".join(lines))) and bool(_SUBMITTED_BY.match(lines[0]) or SUBMITTER.match(lines[0]))


def _meta_run_end(lines: list[str], start: int) -> int:
    """Where an authors/date block that starts at ``lines[start]`` ends; ``start`` when none starts there.

    Only ``• N authors``, or a line that counts the authors or a middle dot right above a date,
    starts one: the last line of a wrapped abstract can be a date, a number or "12 authors".
    """
    first = _meta_line(lines[start])
    if first is None or first[0] not in ("author_count", "separator"):
        return start
    following = _meta_line(lines[start + 1]) if start + 1 < len(lines) else None
    bulleted = first[0] == "author_count" and not lines[start].strip()[:1].isdigit()
    if not bulleted and (following is None or following[0] not in ("separator", "date")):
        return start
    end = start + 1
    while end < len(lines) and (kind := _meta_line(lines[end])) is not None and kind[0] in _RUN_KINDS:
        end += 1
    return end


_RUN_KINDS = frozenset(("separator", "date", "ago", "upvotes", "authors", "author_count"))


def _header_end(lines: list[str]) -> int:
    """How many of a block's first lines are the page's header: the site's links above it, "Daily Papers", its
    byline, up to the page date."""
    header = next((i for i, line in enumerate(lines[:HEADER_BLOCKS]) if line.strip().casefold() == "daily papers"), None)
    if header is None or any(len(line.strip()) > 60 or looks_like_abstract(line) for line in lines[:header]):
        return 0
    for end, line in enumerate(lines[header : header + HEADER_LINES + 2], header + 1):
        text = line.strip()
        if parse_listing_date(text) is not None or parse_page_period(text) is not None:
            return end
        if end > header + 1 and (len(text) > 60 or looks_like_abstract(text)):
            break
    return header + 1


def _whole_meta_block(block: Block) -> bool:
    """An authors/date block already; one whose "organisation" is a sentence is a short abstract's end above one."""
    meta = parse_meta_block(block)
    if meta is None:
        return False
    kind, value = meta[0]
    return kind != "organization" or not (str(value).endswith(".") or len(str(value).split()) >= 6)


def split_unspaced(blocks: list[Block]) -> list[Block]:
    """A page copied with no blank lines (or few), cut where its blank lines would be.

    Each line of the header ("Daily Papers", its byline, the page date) is a block, and each
    authors/date block printed between two papers' text is one: so a paper's title and abstract
    are a block, split by :func:`split_title_lines`. A page with its blank lines is left as it is.
    """
    out: list[Block] = []
    for block in blocks:
        lines = block.lines
        if len(lines) < 2 or _whole_meta_block(block):
            out.append(block)
            continue
        header = _header_end(lines)
        cuts = set(range(1, header + 1))
        at = header
        while at < len(lines):
            end = _meta_run_end(lines, at)
            if end > at:
                names_above = at > header and author_names(lines[at - 1]) is not None  # "Tri Dao, …" / "·" / date
                cuts |= {at - 1 if names_above else at, end}
                at = end
            else:
                at += 1
        cuts -= {0, len(lines)}
        if not cuts:
            out.append(block)
            continue
        bounds = [0, *sorted(cuts), len(lines)]
        out.extend(Block(block.line + a, lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
    return out


def page_blocks(doc: Document) -> list[Block]:
    """A Daily Papers page's blocks: titles split from abstracts, authors/date blocks whole."""
    return join_meta_blocks(split_title_lines(split_glued_lines(split_unspaced(split_blocks(doc.lines)))))


HEADER_BLOCKS = 12  # the page's header comes within its first blocks


def _counted(blocks: list[Block]) -> bool:
    """Whether a block prints its paper's author count ("• 6 authors")."""
    return any(kind == "author_count" for b in blocks for kind, _ in parse_meta_block(b) or ())


def _header_line(blocks: list[Block]) -> int:
    """The line of the page's "Daily Papers" header (0 when there is none)."""
    return next((b.line for b in blocks[:HEADER_BLOCKS] if b.text.strip().casefold() == "daily papers"), 0)


def _above_header(blocks: list[Block]) -> set[int]:
    """The lines of the site's navigation printed above the header ("Hugging Face", "Models", ...).

    Short lines only: prose or an authors/date block there would be part of a paper, so then
    nothing above the header is skipped.
    """
    header = _header_line(blocks)
    above = [b for b in blocks if b.line < header]
    if any(looks_like_abstract(b.text) or parse_meta_block(b) is not None for b in above):
        return set()
    return {b.line for b in above}


HEADER_LINES = 4  # short lines a page prints between its "Daily Papers" header and its date


def _header_text(header: int, before: list[tuple[Block, MetaBlock | None]]) -> bool:
    """Whether the blocks read so far are the page's header: none, or a few short lines below "Daily Papers"."""
    if not before:
        return True
    return header > 0 and len(before) <= HEADER_LINES and all(
        meta is None and block.line > header and len(block.lines) == 1 and not looks_like_abstract(block.text)
        for block, meta in before
    )


class DailyPapersReader(Reader):
    name = "daily-papers"
    label = "Daily Papers page (title, abstract, • N authors · date)"

    def detect(self, doc: Document) -> Detection:
        blocks = page_blocks(doc)
        meta = sum(1 for b in blocks if any(kind in ("author_count", "date") for kind, _ in parse_meta_block(b) or ()))
        header = _header_line(blocks) > 0
        prose = sum(1 for b in blocks if looks_like_abstract(b.text))
        labelled = sum(1 for line in doc.lines if ABSTRACT_LABEL.match(line) or is_bare_label(line))
        if labelled >= 2 and 2 * labelled >= prose and not header and not _counted(blocks):
            # "Abstract" over most abstracts: a list of abstracts (a journal's issue, dated "Published: …"); the
            # Daily Papers page labels none.
            return Detection(0.5, f"{labelled} abstracts labelled 'Abstract', no '• N authors' line and no 'Daily Papers' header")
        if meta >= 1 and prose >= 1:
            return Detection(min(1.0, 0.6 + 0.1 * meta), f"{meta} '• N authors · date' block(s) after title/abstract blocks")
        if header and prose >= 1:
            return Detection(0.7, "'Daily Papers' page header with blank-line separated title/abstract blocks")
        return Detection(0.0, "no '• N authors' / date blocks and no 'Daily Papers' header")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        classified: list[tuple[Block, MetaBlock | None]] = []
        page_date: tuple[int, ListingDate] | None = None
        blocks = page_blocks(doc)
        navigation = _above_header(blocks)
        header = _header_line(blocks)
        votes_above: dict[int, int] = {}  # the line of a title: the upvotes printed above it, under who posted it
        pending_votes: int | None = None
        after_submitter = False
        for block in blocks:
            shown = block.text.strip()
            arrow = shown.startswith(_ARROWS)  # the upvote button: "▲" / "42", or "▲ 42"
            votes = _UPVOTES.match(shown) if (after_submitter or arrow) and len(block.lines) == 1 else None
            after_submitter = False
            if shown in _ARROWS:
                doc.notice(block.line, f"skipped {shown!r}: the upvote button above the paper's upvotes")
                after_submitter = True
                continue
            if votes is not None:  # "Submitted by" / "akhaliq" / "12" / the title
                pending_votes = int(votes.group(1))
                doc.notice(block.line, f"read {block.text.strip()!r} above the paper's title as its upvotes")
                continue
            if is_submitter_block(block):
                doc.notice(block.line, f"skipped {block.text.strip()[:60]!r}: who posted the paper to the page, not its authors")
                after_submitter = True
                continue
            if skip_page_text(doc, block.line, block.lines):
                continue
            if pending_votes is not None:
                votes_above[block.line] = pending_votes
                pending_votes = None
            if block.line in navigation:
                doc.notice(block.line, f"skipped page text {block.text.strip()[:60]!r} above the 'Daily Papers' header")
                continue
            meta = parse_meta_block(block)
            at_top = page_date is None and _header_text(header, classified)
            if at_top and meta is None and len(block.lines) == 1 and (period := parse_page_period(block.text)) is not None:
                meta = (("date", period),)  # a month's or a week's page: dated by its last day
            if meta is not None and [k for k, _ in meta] == ["date"] and at_top:
                for text, _ in classified:  # "by AK and the research community", "Submit": the page's, between header and date
                    doc.notice(text.line, f"skipped page text {text.text.strip()[:60]!r} between the header and the page date")
                classified.clear()
                page_date = (block.line, meta[0][1])  # the page's own date, above the first paper
                continue
            classified.append((block, meta))
        explicit_years = [v.year for _, meta in classified if meta for k, v in meta if k == "date" and v.year]
        captured = self._capture_date(doc, page_date, explicit_years)
        guessed = captured is not None and doc.meta.captured is None and page_date is not None and page_date[1].year is None

        items: list[Item] = []
        for block, meta in classified:
            if meta is None:
                votes_found = PaperFields(upvotes=votes_above[block.line]) if block.line in votes_above else NO_FIELDS
                items.append(Item("text", block, votes_found))
                continue
            found = PaperFields()
            for kind, value in meta:
                if kind == "date":
                    resolved = value.resolve(captured)
                    if resolved is not None:
                        found = replace(found, date=resolved.isoformat(), date_precision="day",
                                        date_inferred=guessed and value.year is None)
                    else:
                        doc.notice(block.line, "year-less date with no known capture year: paper left undated")
                    if value.upvotes is not None:
                        found = replace(found, upvotes=value.upvotes)
                elif kind == "ago":
                    days, upvotes = value
                    if upvotes is not None:
                        found = replace(found, upvotes=upvotes)
                    if captured is not None:
                        day = captured - dt.timedelta(days=days)
                        found = replace(found, date=day.isoformat(), date_precision="day", date_inferred=guessed)
                    else:
                        doc.notice(block.line, "a date counted back from the page's ('3 days ago') and no page date: "
                                               "paper left undated; set `captured:` in content/sources.yml")
                elif kind == "author_count":
                    found = replace(found, author_count=value)
                elif kind == "upvotes":
                    found = replace(found, upvotes=value)
                elif kind == "unread":
                    doc.notice(block.line, f"could not read {value!r} in an authors/date block (not a date papercat knows): left out")
                elif kind == "organization":
                    found = replace(found, organization=value)
                elif kind == "authors":
                    names, count = value
                    found = replace(found, authors=tuple(names))
                    if count is not None and found.author_count is None:
                        found = replace(found, author_count=count)
            items.append(Item("meta", block, found))
        yield from pair_records(self, doc, items, paragraphs=True)

    def _capture_date(
        self, doc: Document, page_date: tuple[int, ListingDate] | None, explicit_years: list[int]
    ) -> dt.date | None:
        if doc.meta.captured is not None:
            return doc.meta.captured
        if page_date is None:
            return None
        line, date = page_date
        if date.year is not None:
            return date.resolve(None)
        if not explicit_years:
            doc.notice(
                line,
                "the page date has no year and no paper date gives one: year-less dates are left undated; "
                "set `captured:` in content/sources.yml",
            )
            return None
        year = max(explicit_years) + 1
        try:
            captured = dt.date(year, date.month, date.day)
        except ValueError:
            return None
        doc.notice(
            line,
            f"capture date {captured.isoformat()} inferred from the page date and the latest explicit year "
            f"({year - 1}); set `captured:` in content/sources.yml to confirm it",
        )
        return captured

"""Search results printed as cards: each result a paragraph of its own, set apart by blank lines.

A card is its title line, then lines about the paper (a date, its authors, a venue and year, as
``Published on Jan 28, 2022``, ``Maria Garcia, Wei Zhang``, ``ICLR 2022 · Edward J. Hu, Yelong
Shen`` or a scholarly search's ``J Ho, A Jain, P Abbeel - NeurIPS, 2020 - proceedings.neurips.cc``),
then its abstract, then the page's own lines for the result (``Cited by 21345 Related articles``,
``Ranked #1 on …``). The card's shape says which line is which; a line of details papercat cannot
read is left out with a note, and a card with no abstract is rejected with its line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..ingest.dates import parse_listing_date, parse_month_year
from ..model import DatePrecision, Paper, Rejected
from .base import (
    NO_FIELDS,
    PREPRINT_SERVERS,
    VENUE_WORDS,
    Block,
    Document,
    PaperFields,
    Reader,
    arxiv_line,
    author_names,
    could_be_title,
    initialled_names,
    is_page_text,
    join_lines,
    lone_sentence,
    looks_like_abstract,
    names_venue,
    one_name,
    skip_page_text,
    split_blocks,
)

MIN_CARDS = 2
CARD_SHARE = 0.6  # of the paragraphs with an abstract in them: the page is laid out in cards
MAX_DETAIL = 400  # characters: a line about a paper is short; longer is prose
MIN_ABSTRACT_LINE = 30  # characters: the shortest line ``looks_like_abstract`` may take for an abstract (Chinese)
# What a scholarly search prints before a result's title: the kind of file the link opens.
_KIND_TAG = re.compile(r"^\s*(?:\[(?:PDF|HTML|BOOK|B|CITATION|C|DOC)\]\s*)+", re.IGNORECASE)  # "[CITATION][C] A title"
_YEAR = re.compile(r"(?<![\d:.])((?:19|20)\d\d)(?!\d|\.\d)")  # not the "2010" of "arXiv:2010.02502"
_ARXIV_IN_VENUE = re.compile(r"\s*arXiv:\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_VENUE_YEAR = re.compile(r"^(?P<venue>(?:\S+\s+){0,6}?\S+)\s+(?P<year>(?:19|20)\d\d)$")  # "ICLR 2022", "NeurIPS 2023"
_PARTS = re.compile(r"\s+[·•|]\s+|\s*[·•]\s*(?=\S)")  # "ICLR 2022 · Edward J. Hu, Yelong Shen"
_DASHES = re.compile(r"\s+[-–—]\s+")  # "J Ho, A Jain - NeurIPS, 2020 - proceedings.neurips.cc"
_HOST = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.IGNORECASE)
_INITIAL_NAME = re.compile(r"^(?:[A-Z]{1,3}\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?…?$")  # "J Ho", "EJ Hu", "D Lorenz…"


@dataclass(slots=True)
class Card:
    block: Block
    lines: list[tuple[int, str]]  # the card's lines (number, text), the page's own (a count, pagination) left out
    title: int  # index of the title line in ``lines``
    abstract: tuple[int, int]  # first and last (inclusive) abstract lines, as indexes into ``lines``


def _card(block: Block) -> Card | None:
    """A block laid out as a result card: short lines about the paper, its title, short lines, abstract lines, short lines.

    Above the title a card may print who posted the paper and how many wrote it (``akhaliq`` / ``· 41 authors``).
    """
    if len(block.lines) < 2:
        return None
    lines = [(block.line + n, text.strip()) for n, text in enumerate(block.lines) if text.strip() and not is_page_text([text])]
    # "TLDR" and the one-sentence summary under it (Semantic Scholar): the site's, not the abstract.
    # A card with no abstract but the summary: the summary is all the page says of the paper.
    summary = {i + d for i, (_, text) in enumerate(lines) if _TLDR.match(text) for d in (0, 1)}
    prose = [i for i, (_, text) in enumerate(lines) if i > 0 and i not in summary and _snippet(text)]
    if not prose:
        prose = [i for i, (_, text) in enumerate(lines) if i > 0 and not _TLDR.match(text) and looks_like_abstract(text)]
    if not prose or prose != list(range(prose[0], prose[-1] + 1)):
        return None
    title = next((i for i in range(prose[0]) if not _leading(lines[i][1])), None)
    if title is None or not could_be_title(_KIND_TAG.sub("", lines[title][1])) or looks_like_abstract(lines[title][1]):
        return None
    if any(len(text) > MAX_DETAIL for i, (_, text) in enumerate(lines) if i != title and i not in prose):
        return None
    below = [text for _, text in lines[prose[-1] + 1 :]]
    if any(could_be_title(text) and not _about_paper(text) and _says_whose(after) for text, after in pairwise(below)):
        return None  # a title and whose paper it is below the abstract: another result in the block
    others = [text for i, (_, text) in enumerate(lines) if i != title and i not in prose]
    if not any(paper_fields(text) for text in others) and len(prose) == 1 and lone_sentence(lines[prose[0]][1]):
        return None  # a heading and one short sentence, nothing about a paper: a footer's "… is a free research tool"
    return Card(block, lines, title, (prose[0], prose[-1]))


_TLDR = re.compile(r"^tl;?\s?dr:?$", re.IGNORECASE)
_EXPAND = re.compile(r"(?<=[.!?])\s*expand\s*$", re.IGNORECASE)
_TLDR_INLINE = re.compile(r"^tl;?\s?dr:?\s+(?=\S)", re.IGNORECASE)  # "TLDR A router that …": the label, then the summary
_SNIPPET_WORDS = 20  # a line of this many words, 150 characters or more, is a snippet the page cut short


def _snippet(text: str) -> bool:
    """An abstract, or a snippet of one cut short with no ellipsis ("… they also struggle with basic functionality")."""
    return looks_like_abstract(text) or (
        len(text) >= 150 and len(text.split()) >= _SNIPPET_WORDS and not any(mark in text for mark in "·•|")
        and _names(text) is None  # a long line of names: a paper with a dozen authors
    )


_HANDLE = re.compile(r"^@?[a-z0-9][a-z0-9_.-]{1,38}$|^submitted\s+by$", re.IGNORECASE)  # who posted it: "akhaliq"


# Google Scholar's link to a copy, printed beside the result and copied above its title: "[PDF] arxiv.org".
_SIDE_LINK = re.compile(r"^(?:\[(?:PDF|HTML|DOC|BOOK)\]\s*)+[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)  # "[HTML][HTML] x.com"


def _leading(text: str) -> bool:
    """A line a card prints above its title: who posted the paper, a link to a copy, or a line about it."""
    if (_HANDLE.match(text) and (text.islower() or " " in text)) or _SIDE_LINK.match(text):
        return True
    return _date_fields(text, None) is not None or _other_fields(text) is not None


def find_cards(doc: Document) -> tuple[list[Block], list[Card]] | None:
    """The page's paragraphs and its cards, when the page is laid out in cards with details around the abstracts."""
    return _find_cards(doc.text)


@functools.lru_cache(maxsize=4)  # a page is looked at to detect its kind, then read
def _find_cards(text: str) -> tuple[list[Block], list[Card]] | None:
    doc = Document("", text, "")
    lines = doc.lines
    blocks = _spaced_cards(lines, split_blocks(lines))
    if not any(len(block.lines) >= 2 for block in blocks):
        return None  # every paragraph a line: no abstract in a paragraph with its title (a quick look first)
    cards = [card for card in map(_card, blocks) if card is not None and not is_page_text(card.block.lines)]
    if not cards:
        return None
    with_prose = sum(1 for b in blocks if any(looks_like_abstract(line) for line in b.lines) and not is_page_text(b.lines))
    detailed = sum(1 for c in cards if c.abstract[0] > c.title + 1 or c.title > 0 or c.abstract[1] < len(c.lines) - 1)
    if len(cards) < MIN_CARDS and not (with_prose == 1 and _told_apart(cards[0])):
        return None  # one card: only a page of one result whose details say what each of its lines is
    if len(cards) < CARD_SHARE * with_prose or not detailed:
        return None
    return blocks, cards


def _told_apart(card: Card) -> bool:
    """A card whose lines between its title and abstract all say something about the paper (authors, a date, its
    venue, Semantic Scholar's fields of study)."""
    between = [text for _, text in card.lines[card.title + 1 : card.abstract[0]]]
    return bool(between) and all(paper_fields(t) is not None or fields_of_study(t) or names_venue(t) for t in between)


def _spaced_cards(lines: list[str], blocks: list[Block]) -> list[Block]:
    """Results whose title and lines about the paper stand apart from the abstract by a blank line (Papers with
    Code: the title, "1 code implementation • NeurIPS 2023 • Ana Ruiz, Bo Chen", then the abstract), each
    as one block, the blank lines inside it: a title with its details, or a title and a block of details,
    followed by a paragraph of prose."""

    def details(block: Block) -> bool:  # lines about the paper (the page's own among them), one at least
        about = [_about_paper(t.strip()) for t in block.lines]
        return any(about) and all(said or is_page_text([t]) for said, t in zip(about, block.lines, strict=True))

    def prose(block: Block) -> bool:  # an abstract alone, not a result of its own (a title, its details, its abstract)
        return (looks_like_abstract(block.text) or _snippet(block.text)) and not any(_about_paper(t.strip()) for t in block.lines)

    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        run = 1
        if len(block.lines) >= 2 and details(Block(0, block.lines[1:])) and i + 1 < len(blocks) and prose(blocks[i + 1]):
            run = 2  # a title and its details, then the abstract
        elif len(block.lines) == 1 and i + 2 < len(blocks) and details(blocks[i + 1]) and prose(blocks[i + 2]):
            run = 3  # a title, its details, the abstract: each a paragraph
        last = blocks[i + run - 1]
        out.append(block if run == 1 else Block(block.line, lines[block.line - 1 : last.line - 1 + len(last.lines)]))
        i += run
    return out


# The links a scholarly search prints under a result: "Save Cite Cited by 120 Related articles All 7 versions".
_RESULT_LINKS = re.compile(
    r"^(?:(?:save|cite|cited\s+by\s+\d[\d,]*|related\s+articles|all\s+\d[\d,]*\s+versions|import\s+into\s+\w+"
    r"|library\s+search|view\s+as\s+html|ranked\s+#\d+\b.*)\s*)+$",
    re.IGNORECASE,
)


MIN_WRAPPED_LINE = 50  # characters: each line of a snippet wrapped at a fixed width but its last is as long


def wrapped_cards(doc: Document) -> tuple[Document, list[int]] | None:
    """A results page whose snippets were wrapped at a fixed width (an alert e-mail saved as text): in each paragraph,
    the lines from below the result's details to its links or its end, joined into one when they read as prose.

    Returns the page with each snippet on one line, and the line of ``doc`` each of its lines starts at; None when
    no paragraph has such a snippet.
    """
    lines = doc.lines
    joined: list[str] = []
    first_lines: list[int] = []
    found = False
    for block in split_blocks(lines):
        while len(joined) < block.line - 1:  # the blank lines between paragraphs, as they were
            joined.append("")
            first_lines.append(len(joined))
        texts = [text.strip() for text in block.lines]
        start = 1  # below the title, and the lines about the paper under it
        while start < len(texts) and paper_fields(texts[start]) is not None:
            start += 1
        if start == 1:
            start = len(texts)  # no details under the title: no result card's snippet
        end = next(
            (i for i in range(start, len(texts)) if (is_page_text([texts[i]]) and texts[i] not in ("…", "...")) or paper_fields(texts[i])),
            len(texts),
        )  # (an ellipsis on a line of its own is where the snippet was cut: its end)
        run = texts[start:end]
        wrapped = (
            len(run) >= 2 and all(len(text) >= MIN_WRAPPED_LINE for text in run[:-1])
            and looks_like_abstract(join_lines(run))
        )
        for i, text in enumerate(block.lines):
            if wrapped and start < i < end:
                continue
            joined.append(join_lines(run) if wrapped and i == start else text)
            first_lines.append(block.line + i)
        found = found or wrapped
    if not found:
        return None
    return Document(doc.name, "\n".join(joined), doc.encoding, doc.meta), first_lines


def unspaced_cards(doc: Document) -> tuple[Document, list[int]] | None:
    """A results page with no blank lines whose results print lines about the paper between its title and
    its abstract (``Gemma Team, Thomas Mesnard · March 2024``, a scholarly search's ``EJ Hu, Y Shen - ICLR,
    2022 - arxiv.org``), set apart as cards: a blank line before each result.

    A result starts at the first line after the last one's abstract that is not the page's or the
    last result's links (``Cited by 120 Related articles``); its title is that line or the first
    below it that a card's title may be. Returns the page with the blank lines put in, and the line
    of ``doc`` each of its lines is (a blank line put in counts as the line after it); None when the
    page has blank lines between its results, or results whose abstract is right under the title.
    """
    found = _unspaced(doc.text)
    return None if found is None else (Document(doc.name, found[0], doc.encoding, doc.meta), found[1])


@functools.lru_cache(maxsize=4)  # a page is looked at to detect its kind, then read
def _unspaced(text: str) -> tuple[str, list[int]] | None:
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 6 or any(not lines[i].strip() for i in range(content[0], content[-1])):
        return None
    prose = [i for i in content if looks_like_abstract(lines[i])]
    if not prose:
        return None
    starts: list[int] = []
    detailed = results = 0

    def between(after: int, before: int) -> tuple[list[int], list[bool]]:
        """From the last abstract to the next (or the page's end): the last result's details and links, then
        results with no abstract ("[CITATION] …"), each a title and its details, then the next result's title
        and details. The results' first lines, and for each line under the last of them whether it is about
        the paper."""
        found: list[int] = []
        details: list[bool] = []
        closed = bool(starts)  # below an abstract, details are still the last result's
        for j in range(after, before):
            text = lines[j].strip()
            if is_page_text([text]):
                continue
            if _RESULT_LINKS.match(text):
                closed = True  # a run of links ends a result
                details.append(False)
            elif (
                _about_paper(text) or fields_of_study(text) or _TLDR.match(text)
                or (found and not closed and (_one_author(text, lines[found[-1]]) or (len(text) <= 120 and names_venue(text))))
            ):  # Semantic Scholar's "Computer Science" and venue lines, and its "TLDR", are about the paper too
                details.append(True)
                if closed and not starts and not found:
                    found.append(j)  # the page's first result starts with a line about it
                    closed, details = False, []
            else:
                found.append(j)
                closed, details = False, []
        return found, details

    after = content[0]
    for i in prose:
        if i <= after and starts:
            after = i + 1  # an abstract's second line
            continue
        found, details = between(after, i)
        after = i + 1
        if not found:
            return None  # an abstract with no line above it since the last one: no card
        results += 1
        detailed += bool(details) and all(details)
        starts.extend(found)
    if 2 * detailed < results:
        return None  # most titles right above their abstracts: results a line each, read as such
    starts.extend(between(after, len(lines))[0])  # below the last abstract: results with none
    spaced: list[str] = []
    numbers: list[int] = []
    breaks = set(starts[1:])
    for i, line in enumerate(lines):
        if i in breaks:
            spaced.append("")
            numbers.append(i + 1)
        spaced.append(line)
        numbers.append(i + 1)
    return "\n".join(spaced), numbers


_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070-\u2079"  # ¹ ² ³ ⁰ … ⁹, as a character class's range
_MARKS = re.compile(rf"[{_SUPERSCRIPTS}*\u2020\u2021\u00a7]+(?=,|\s|$)")  # "Hao Liu¹", "Tianle Cai¹*", "A. Smith†"
_AFFILIATION_MARK = re.compile(rf"^[{_SUPERSCRIPTS}]")  # "¹UC Berkeley": an affiliation, not a venue


_SEVERAL = re.compile(r",|\s(?:and|&|[·•|\-–—])\s")  # what a line of names, or of names and a venue, holds


def _about_paper(text: str) -> bool:
    """A line a result prints about its paper, beyond doubt: a date, an arXiv id, an author count, a line of
    several names ("Ana Ruiz, Bo Chen · 2024"), who posted it or a link to a copy. One name ("Kenji Tanaka")
    is written as a short title is, so it is not one here."""
    if parse_listing_date(text) is not None or arxiv_line(text) is not None or _AUTHOR_COUNT.match(text):
        return True
    if parse_month_year(text) is not None:
        return True  # "December 2023"
    if text.startswith(("·", "•")) and _other_fields(text) is not None:
        return True  # "· International Conference on Machine Learning"
    if (_HANDLE.match(text) and text.islower()) or _SIDE_LINK.match(text):
        return True
    return bool(_SEVERAL.search(text)) and _other_fields(text) is not None


def _one_author(text: str, title: str) -> bool:
    """One name ("Kenji Tanaka") right under a title of more words: the paper's author."""
    if title.rstrip().endswith((".", "!")) or looks_like_abstract(title):
        return False  # under a sentence ("We argue that leaderboards should report compute."): a title, not a name
    return len(title.split()) > max(2, len(text.split())) and one_name(text.strip()) is not None


# The fields of study Semantic Scholar prints on each card, named like people ("Computer Science", "Materials Science").
FIELDS_OF_STUDY = {
    "computer science", "medicine", "chemistry", "biology", "materials science", "physics", "geology", "psychology",
    "art", "history", "geography", "sociology", "business", "political science", "economics", "philosophy",
    "mathematics", "engineering", "environmental science", "agricultural and food sciences", "education", "law",
    "linguistics",
}


# Words a venue's or a field's name has and no person's: "Computer Vision and Pattern Recognition" is no two people.
_SUBJECTS = re.compile(
    r"\b(?:computer\s+vision|machine\s+learning|pattern\s+recognition|artificial\s+intelligence|data\s+mining|"
    r"information\s+(?:retrieval|processing)|neural\s+networks?|natural\s+language|signal\s+processing|"
    r"computational\s+linguistics|knowledge\s+discovery|learning\s+representations)\b",
    re.IGNORECASE,
)


def fields_of_study(text: str) -> bool:
    """A search site's fields of study ("Computer Science, Chemistry"): about the paper, but no people."""
    return all(part.strip().casefold() in FIELDS_OF_STUDY for part in re.split(r"[,·•]", text))


def _names(text: str) -> tuple[str, ...] | None:
    """Authors as a result card prints them: full names, "Garcia, M.", or a scholarly search's "J Ho, A Jain…".

    The marks that tie a name to an affiliation ("Hao Liu¹", "Ana Ruiz*†") are left out.
    """
    text = _MARKS.sub("", text)
    if fields_of_study(text) or _SUBJECTS.search(text):
        return None
    found = author_names(text) or initialled_names(text)
    if found:
        return found
    names = [name.strip() for name in re.split(r",\s*", text.strip()) if name.strip()]
    if names and all(_INITIAL_NAME.match(name) for name in names) and any(" " in name for name in names):
        return tuple(name.rstrip("…").strip() for name in names)
    return None


def line_details(doc: Document, line: int, text: str) -> PaperFields | None:
    """What one line of a card says about its paper, or None when it says nothing papercat reads: ``paper_fields``,
    with a date placed by the page's capture date (and a note where it cannot be)."""
    date = date_line(doc, line, text)
    return date if date is not None else paper_fields(text)


def date_line(doc: Document, line: int, text: str) -> PaperFields | None:
    """A result's date on a line of its own, as a day the page's capture date can place; None when the line is
    no date. A date without its year on a page of unknown capture date leaves the paper undated, with a note."""
    found = _date_fields(text.strip(), doc.meta.captured)
    if found is NO_FIELDS:
        doc.notice(line, f"date {text.strip()[:40]!r} has no year and the page no capture date: the paper is left undated "
                         "(give the file a 'captured:' date in sources.yml)")
    return found


def paper_fields(text: str) -> PaperFields | None:
    """What a line says about a paper, read out of its page (a date with no year gives no fields); None: nothing."""
    text = text.strip()
    if (date := _date_fields(text, None)) is not None:
        return date
    if (arxiv_id := arxiv_line(text)) is not None:  # "arXiv:2305.14314" under a title
        return PaperFields(arxiv_id=arxiv_id, url=f"https://arxiv.org/abs/{arxiv_id}")
    if (found := _other_fields(text)) is not None:
        return found
    return _parts_fields(text)


_PART_BREAK = re.compile(r"\s+[·•]\s+")  # "• 8 authors · Nov 20, 2024": the parts of one line about a paper


def _parts_fields(text: str) -> PaperFields | None:
    """A line of parts set apart by middle dots or bullets, each about the paper: all they say; None when any says nothing."""
    parts = [part for part in _PART_BREAK.split(text.lstrip("•· ")) if part]
    if len(parts) < 2:
        return None
    found = NO_FIELDS
    for part in parts:
        if (fields := paper_fields(part)) is None:
            return None
        found = found.updated(fields)
    return found


def result_detail(text: str) -> bool:
    """A line a search result prints about its paper: a date, its arXiv id, its authors, Scholar's ``authors - venue, year - host``."""
    return paper_fields(text) is not None


def _date_fields(text: str, captured: dt.date | None) -> PaperFields | None:
    """The day a date line gives (no fields for a date with no year to place), or None when it is no date."""
    value = parse_listing_date(text)
    if value is None:
        return None
    day = value.resolve(captured)
    return PaperFields(date=day.isoformat(), date_precision="day") if day is not None else NO_FIELDS


_AUTHOR_COUNT = re.compile(r"^[·•]?\s*(\d[\d,]*)\s+authors?$", re.IGNORECASE)  # "· 41 authors"


# "…, +3 authors" or "…, +3 more", and Semantic Scholar's "…, +3 authors, Last Author" (the names left out are between).
_MORE_AUTHORS = re.compile(r",?\s*\+\s*(\d{1,5})\s+(?:more\s+authors?|authors?|more)(?:,?\s+(\S.*))?$", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)  # asked of a line to detect the page's layout, to cut it into cards and to read it
def _other_fields(text: str) -> PaperFields | None:
    """What a line other than a date says about a paper: its author count, authors, venue and year; None: nothing."""
    if count := _AUTHOR_COUNT.match(text):
        return PaperFields(author_count=int(count.group(1).replace(",", "")))
    if (month := _month_fields(text)) is not None:
        return month  # "December 2023" on a line of its own
    if label := _LABEL.match(text):
        return _labelled(label.group("label").casefold(), text[label.end() :].strip())
    if (more := _MORE_AUTHORS.search(text)) and (names := _names(text[: more.start()])) is not None:
        last = () if more.group(2) is None else (_names(more.group(2)) or one_name(more.group(2)))
        if last is not None:
            names = (*names, *last)
            return PaperFields(authors=names, author_count=len(names) + int(more.group(1)))  # "Timo Schick, Jane Yu, +3 authors"
    return _people_and_venue(text)


# A line that names what it gives, as OpenReview, a reference manager's export or a hand-kept list prints it:
# "Authors: …", "Venue: ICLR 2024", "Year: 2023" (a labelled date, "Published: 23 Jan 2025", is a date line).
_LABEL = re.compile(
    r"^(?P<label>authors?|author\(s\)|by|year|date|published|venue|conference|journal|booktitle|published\s+in|accepted\s+(?:at|to|by))"
    r"\s*[:：]\s*(?=\S)",
    re.IGNORECASE,
)


def _labelled(label: str, value: str) -> PaperFields | None:
    """What a labelled line gives: its authors, its year, or its venue (and the venue's year); None: nothing."""
    if label.startswith(("author", "by")):
        value = _unaffiliated(value)  # "Ana Ruiz (MIT), Wei Zhang (KAIST & Mila)"
        names = _names(value) or one_name(value)
        return PaperFields(authors=names) if names else None
    if label in ("year", "date", "published"):  # a day is a date line; here a month ("September 2023") or a year
        return _month_fields(value) or (_venue_year(value) if _YEAR.fullmatch(value) else None)
    found = _venue_year(value)
    return found if found.venue else None


_AFFILIATED = re.compile(rf"[^\W\d_][{_SUPERSCRIPTS}]")  # "Tianle Cai¹": a name tied to an affiliation
_AFFILIATIONS = re.compile(r"\s*\([^()]*\)|\s*\S+@\S+")  # "(¹Princeton University, ²UIUC)", an e-mail address
# "Alice Chen (MIT), Wei Zhang (KAIST)": each name followed by its affiliation, as a programme prints them.
_EACH_AFFILIATED = re.compile(r"^[^(),]+\([^()]{1,80}\)(?:\s*(?:,|;|&|\band\b)\s*[^(),]+\([^()]{1,80}\))*\s*$")


def _unaffiliated(text: str) -> str:
    """Names without the affiliations tied to them (superscript marks, "(MIT)" after each name); other text as it is."""
    return _AFFILIATIONS.sub("", text) if _AFFILIATED.search(text) or _EACH_AFFILIATED.match(text) else text


def _people_and_venue(text: str) -> PaperFields | None:
    text = _unaffiliated(text)
    if (names := _names(text)) is not None:
        year = _NAMES_YEAR.search(text)  # "P Lindqvist, F Adeyemi - 2024", "A. Ruiz and B. Chen · 2025"
        return PaperFields(authors=names, date=f"{year.group(1)}-01-01" if year else None, date_precision="year" if year else None)
    dashed = _DASHES.split(text)
    if len(dashed) >= 2 and (names := _names(dashed[0])) is not None:  # names - venue, year - host
        # The part after the venue and year is where the result links: a host, or a publisher ("Elsevier").
        publisher = _HOST.match(dashed[-1]) or (_YEAR.search(" ".join(dashed[1:-1])) and not _YEAR.search(dashed[-1]))
        rest = dashed[1:-1] if len(dashed) > 2 and publisher else dashed[1:]
        cut = dashed[0].rstrip().endswith(("…", "..."))  # "A Chen, W Zhang, M Li… - ICLR, 2025": more authors
        return _venue_year(" - ".join(rest)).updated(PaperFields(authors=names, authors_cut=cut))
    split = [part for part in _PARTS.split(text) if part.strip() and not _IMPLEMENTATIONS.fullmatch(part.strip())]
    if len(split) == 1 and text.lstrip().startswith(("·", "•")) and len(split[0]) <= 120 and names_venue(split[0]):
        return PaperFields(venue=split[0].strip())  # "· International Conference on Machine Learning", under the date
    parts = [part for part in split if not _CITATIONS.fullmatch(part.strip())]
    cited = len(parts) < len(split)  # "Pattern Recognition · 2023 · 14 citations": a source line, its venue no person
    if cited and len(parts) == 1 and _YEAR.search(parts[0]) and len(parts[0].split()) <= 8:
        return _venue_year(parts[0])  # "2024 · 59 citations"
    if len(parts) >= 2:
        found = NO_FIELDS
        unnamed: list[str] = []  # parts that are none of these: a venue, printed apart from its year
        for part in parts:
            if _CUT.fullmatch(part.strip()):
                found = found.updated(PaperFields(authors_cut=True))  # "Anton Lindgren · [...] · Min Zhao"
                continue
            names = None if VENUE_WORDS.search(part) else _names(part)  # not "Machine Learning · 2025"
            if names is not None and not (cited and len(names) == 1):
                found = found.updated(PaperFields(authors=(*found.authors, *names)))  # "Sabine Roth · Ji-yeon Park"
            elif (date := _date_fields(part, None)) or (date := _month_fields(part)):
                found = found.updated(date)  # "· 5 Feb 2024", "· March 2024"
            elif _YEAR.search(part) and len(part.split()) <= 8:
                found = found.updated(_venue_year(part))
            else:
                unnamed.append(part.strip())
        # "Journal of Machine Learning Research · 2023 · 14 citations": the venue, then its year.
        if len(unnamed) == 1 and found.date_precision == "year" and not found.venue and len(unnamed[0].split()) <= 12:
            return found.updated(_venue_year(unnamed[0]))
        return found if not unnamed else None
    return None


_NAMES_YEAR = re.compile(r"[·•|\-–—]\s*((?:19|20)\d\d)\s*$")
_CUT = re.compile(r"\[?(?:\.\.\.|…)\]?")  # what stands for the names a list of authors leaves out
_IMPLEMENTATIONS = re.compile(r"(?:\d[\d,]*|no)\s+code\s+implementations?", re.IGNORECASE)  # Papers with Code's count
_CITATIONS = re.compile(r"(?:cited\s+by\s+)?\d[\d,]*\s+citations?|cited\s+by\s+\d[\d,]*", re.IGNORECASE)


def _month_fields(text: str) -> PaperFields | None:
    """A month and year ("March 2024") as a month's date."""
    if (found := parse_month_year(text)) is None:
        return None
    return PaperFields(date=f"{found[0]:04d}-{found[1]:02d}-01", date_precision="month")


def _venue_year(text: str) -> PaperFields:
    """A venue and year ("NeurIPS, 2020", "ICLR 2022", "2020"): the venue when not cut short, the year as a year's date."""
    text = text.strip().rstrip(",")
    arxiv = _ARXIV_IN_VENUE.search(text)
    text = _ARXIV_IN_VENUE.sub("", text).strip()
    years = _YEAR.findall(text)
    date: str | None = f"{years[-1]}-01-01" if years else None
    precision: DatePrecision | None = "year" if years else None
    venue = _YEAR.sub("", text).strip(" ,-–") if years else text
    if not venue or "…" in venue or venue.endswith("...") or _AFFILIATION_MARK.match(venue):
        venue = ""
    return PaperFields(date=date, date_precision=precision, venue=venue or None, arxiv_id=arxiv.group(1) if arxiv else None)


# Papers with Code's task tags under a result: "Language Modelling  Mixture-of-Experts  +1", a tag or two and a count.
_TASK_TAGS = re.compile(r"^[^\W\d_][\w\-]*(?: [\w\-()]+){0,4}(?:(?:\s{2,}|\t)[^\W\d_][\w\-]*(?: [\w\-()]+){0,4})*(?:\s+\+\d{1,3})?$")
_NO_ABSTRACT = re.compile(r"^\s*(?:no\s+abstract(?:\s+is)?\s+available|abstract\s+(?:not\s+available|unavailable))\W*$", re.IGNORECASE)
_VOLUME = re.compile(r"^(?:proceedings|front\s+matter)\b", re.IGNORECASE)
_CODE_COUNT = re.compile(r"^(?:\d[\d,]*\s+code\s+implementations?|no\s+code(?:\s+(?:yet|available))?)$", re.IGNORECASE)  # Papers with Code


def _says_whose(text: str) -> bool:
    """A line that tells a paper by what it says of it: a date, two names or more, a count of authors, a venue, an
    arXiv id. One name alone is written as a tag or a heading is ("Node Classification")."""
    found = paper_fields(text)
    return found is not None and bool(found.date or len(found.authors) >= 2 or found.author_count or found.venue or found.arxiv_id)


def _without_abstract(reader: Reader, doc: Document, block: Block) -> Paper | Rejected:
    """A result of a title and lines about the paper (its authors, venue, year) but no abstract: a paper without one.

    A first line that is no title (prose, a lone name) makes it no paper: rejected.
    """
    first = next((i for i, text in enumerate(block.lines) if not is_page_text([text])), 0)  # under the page's "pdf bib abs"
    title = _KIND_TAG.sub("", block.lines[first].strip())
    found = NO_FIELDS
    for number, text in enumerate(block.lines[first + 1 :], start=block.line + first + 1):
        if is_page_text([text]) or fields_of_study(text) or _NO_ABSTRACT.match(text) or _RESULT_LINKS.match(text.strip()) or (
            _TASK_TAGS.match(text.strip()) or _CODE_COUNT.match(text.strip())
        ):
            continue  # "No abstract available.": the page's stand-in, said on the paper's page too
        if (details := line_details(doc, number, text.strip())) is None:
            found = NO_FIELDS
            break
        found = found.updated(details)
    if (
        not (found.authors or (found.venue and found.date))  # whose paper, or where and when it was published
        or not could_be_title(title) or looks_like_abstract(title) or title.endswith(":")  # "Month:"
        or line_details(doc, block.line, title)
    ):
        return reader.reject(doc, block.line, "a result with no abstract", block.raw)  # not clearly a title and its authors
    if _VOLUME.match(title):
        return reader.reject(doc, block.line, "a volume of proceedings (its front matter), not a paper", block.raw)
    doc.notice(block.line, "a result with no abstract: the paper is kept without one")
    return reader.make_paper(doc, block.line, title=title, abstract="", raw=block.raw, found=found)


def parse_cards(reader: Reader, doc: Document, blocks: list[Block], cards: list[Card]) -> Iterator[Paper | Rejected]:
    by_line = {card.block.line: card for card in cards}
    for block in blocks:
        card = by_line.get(block.line)
        if card is None and skip_page_text(doc, block.line, block.lines):
            continue  # the page's own lines: a count of results, its links (noted), its tabs
        if card is None:
            # A result with no abstract says something about a paper under its title; else the page's own text.
            if len(block.lines) >= 2 and any(_says_whose(line) for line in block.lines[1:]):
                yield _without_abstract(reader, doc, block)
            elif 2 * sum(1 for line in block.lines if is_page_text([line])) >= len(block.lines):
                shown = " / ".join(line.strip() for line in block.lines)
                doc.notice(block.line, f"skipped page text {shown[:60]!r} (not a result)")  # a footer, a row of tags
            elif looks_like_abstract(block.text):
                yield reader.reject(doc, block.line, "text that is not laid out as a result (no title line above it)", block.raw)
            else:
                shown = " / ".join(line.strip() for line in block.lines)
                doc.notice(block.line, f"skipped page text {shown[:60]!r} (not a result)")
            continue
        for number, text in enumerate(block.lines, start=block.line):
            if (number, text.strip()) not in card.lines:
                skip_page_text(doc, number, [text])
        found = NO_FIELDS
        first, last = card.abstract
        for index, (number, text) in enumerate(card.lines):
            if index == card.title or first <= index <= last:
                continue
            details = line_details(doc, number, text)
            if details is None and _SIDE_LINK.match(text):
                doc.notice(number, f"skipped {text!r}: the result's link to a copy of the paper")
            elif details is None and card.title < index < first and not found.venue and len(text) <= 120 and names_venue(text):
                found = found.updated(PaperFields(venue=text))  # Semantic Scholar's "ArXiv", "Neural Information Processing Systems"
            elif details is None:
                doc.notice(number, f"skipped {text[:60]!r}: a line of the result papercat does not read")
            else:
                found = found.updated(details)
        if not found.venue:  # Semantic Scholar's "ArXiv" between the title and the abstract: the venue, not a link
            above = range(card.lines[card.title][0] + 1, card.lines[first][0])
            servers = (t.strip() for n, t in enumerate(block.lines, block.line) if n in above and t.strip().casefold() in PREPRINT_SERVERS)
            server = next(servers, None)
            found = found.updated(PaperFields(venue=server)) if server else found
        title = _KIND_TAG.sub("", card.lines[card.title][1])
        abstract = join_lines([text for _, text in card.lines[first : last + 1]])
        if summary := _TLDR_INLINE.match(abstract):  # "TLDR A router that … halves inference cost. Expand"
            abstract = _EXPAND.sub("", abstract[summary.end() :])  # the whole summary; "Expand" shows the abstract
        yield reader.make_paper(doc, card.lines[card.title][0], title=title, abstract=abstract, raw=block.raw, found=found)

"""arXiv's own listings copied as text: its search results (``arxiv.org/search``), its lists of new or recent
submissions (``arxiv.org/list/…``) and its daily mailing (the e-mail digest of a subject's new submissions).

Every entry starts with its id line, ``arXiv:2412.01234 [pdf, other]`` (a list numbers it:
``[1] arXiv:2412.01234 [pdf, html, other]``), and runs to the next one. Inside it, labelled lines
give the fields (``Title:``, ``Authors:``, ``Abstract:``, ``Comments:``, ``Subjects:``,
``Journal-ref:``, ``Submitted 2 December, 2024; …``), and the lines a page prints unlabelled are
read by their place: a search result's categories (``cs.CV cs.LG``) and title above ``Authors:``, a
list's title and line of authors under the id line, its abstract a paragraph of its own below.

The arXiv id is the paper's strongest duplicate key and its link; the first version's submission
date is its date (a list, which prints none, dates it by its id's year and month); the journal
reference is its venue and the categories are topic hints, as the arXiv API reader has them. An
entry with no title is rejected with its line; lines between entries that are not an entry's (a
list's section headings, a page's header and footer) are skipped with a notice.

The mailing sets each entry between ``\\`` lines and rules of dashes (``----``, ``%%--%%``): its id
line, ``Date:`` (the first version's submission), ``Title:`` (wrapped lines indented), ``Authors:``
(TeX accents, ``P\\'erez``, are read as the letters they make), ``Categories:``, ``Comments:``,
``License:``, then the abstract, and ``\\ ( https://arxiv.org/abs/ID , 52kb)``. Those rules and
``\\`` lines part paragraphs as blank lines do; a replacement (``replaced with revised version …``)
prints no abstract and is a paper without one, dated by its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..ingest.dates import MONTHS, parse_listing_date
from ..model import DatePrecision, Paper, Rejected
from ..text import latex_text
from .base import (
    ABSTRACT_LABEL,
    Detection,
    Document,
    PaperFields,
    Reader,
    could_be_abstract,
    is_chrome,
    is_page_text,
    join_lines,
    looks_like_abstract,
)

_ID = r"(?P<id>[0-9]{4}\.[0-9]{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v\d+)?"
# An arXiv category: "cs.CV", "stat.ML", "q-bio.NC", "hep-th", "quant-ph".
_CATEGORY = (
    r"(?:(?:cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|nlin)\.[A-Za-z][A-Za-z\-]*"
    r"|gr-qc|hep-(?:ex|lat|ph|th)|math-ph|nucl-(?:ex|th)|quant-ph)"
)
# What the id line prints after the id: "[pdf, html, other]", "(cross-list from cs.LG)", "(replaced)", categories.
_ID_TAIL = rf"(?:\s*(?:\[[^\]\n]{{0,60}}\]|\([^)\n]{{0,60}}\)|{_CATEGORY}|(?:pdf|ps|html|other|src|tex)\b|doi\b.*))*\s*"
_ID_LINE = re.compile(rf"^\s*(?:(?:\[\d{{1,5}}\]|\d{{1,5}}[.)])\s*)?arXiv\s*:\s*{_ID}\b{_ID_TAIL}$", re.IGNORECASE)
_TAGS = re.compile(rf"^{_ID_TAIL}$", re.IGNORECASE)  # the id line's tags on lines of their own: "[pdf, other]"
_CATEGORIES = re.compile(rf"^\s*{_CATEGORY}(?:[\s;,]+{_CATEGORY})*\s*$")
_CODE = re.compile(rf"\(({_CATEGORY})\)")  # "Machine Learning (cs.LG)"
_LABEL = re.compile(
    r"^\s*(?P<label>title|authors?|comments?|subjects?|categories|journal[- ]?ref(?:erence)?|doi|cite\s+as|license|"
    r"(?:msc|acm)[- ]class(?:es)?|report[- ]n(?:o|umber)\.?|date(?:\s*\([^)]{0,30}\))?)\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# The mailing's lines between fields: "\\", rules of dashes or "%%--%%", the entry's closing link
# "\\ ( https://arxiv.org/abs/2311.00871 ,  1203kb)", a replacement's "replaced with revised version …".
_RULE = re.compile(r"^\s*(?:\\\\|[-=%]{10,}|\\\\\s*\(\s*https?://\S+\s*,?\s*[\w.]*\s*\))\s*$")
_REPLACED = re.compile(r"^\s*replaced\s+with\s+revised\s+version\b", re.IGNORECASE)
_MAILING_DATE = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2}\s+[A-Za-z]{3}\s+\d{4})\b")  # "Wed, 1 Nov 2023 22:13:04 GMT (…)"
_AFFILIATION = re.compile(r"\s*\([^()]*\)")  # "Maria Keller (MIT)", "((1) MIT, (2) ETH)"
_SUBMITTED = re.compile(r"^\s*(?:v\d+\s+)?submitted\s+\d", re.IGNORECASE)  # "Submitted 2 December, 2024; originally …"
_DOI = re.compile(r"^\s*(?:doi|10\.\d{4,9}/\S+)\s*$", re.IGNORECASE)  # a search result's DOI tag and number
# "▽ More" after an abstract cut short, "△ Less" after the whole one (the page shows one of them).
_MORE = re.compile(r"\s*[▽△▼▲]\s*(?:More|Less)\s*$")
_MORE_INSIDE = re.compile(r"\s*[▽▼]\s*More\s+(?=\S)")
# The page's own lines between and after entries: a list's section headings, its count and footer.
_PAGE_LINE = re.compile(
    r"^\s*(?:(?:new|cross|replacement)[- ]?(?:submissions|lists|listings)|cross-lists|replacements)\b.*$"
    r"|^\s*(?:total\s+of\s+\d[\d,]*\s+entries|showing\s+(?:up\s+to\s+)?\d[\d,]*\s+entries)\b.*$"
    r"|^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+\d{1,2}\s+[a-z]+\.?,?\s+\d{4}\s*(?:\(showing\b[^()]*\))?\s*$"  # a day's heading
    r"|.*\b(?:which\s+authors\s+of\s+this\s+paper\s+are\s+endorsers|disable\s+mathjax)\b.*$",
    re.IGNORECASE,
)
_V1_DATE = re.compile(r"\bv1\s+submitted\s+(\d{1,2}\s+[A-Za-z]+,?\s+\d{4})", re.IGNORECASE)
_FIRST_DATE = re.compile(r"^\s*submitted\s+(\d{1,2}\s+[A-Za-z]+,?\s+\d{4})", re.IGNORECASE)
_ANNOUNCED = re.compile(r"\boriginally\s+announced\s+([A-Za-z]+)\.?\s+(\d{4})", re.IGNORECASE)
_NEW_STYLE_ID = re.compile(r"^(\d\d)(\d\d)\.\d{4,5}$")
MAX_HINTS = 5  # categories kept as topic hints, as the arXiv API reader keeps them


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    paragraph: int  # lines of one paragraph touch; a blank line starts the next


@dataclass(slots=True)
class _Entry:
    line: int
    arxiv_id: str
    lines: list[_Line] = field(default_factory=list)


def _entries(doc: Document) -> tuple[list[_Line], list[_Entry]]:
    """The lines above the first entry, and the entries: each its id line's number and id, and its lines."""
    header: list[_Line] = []
    entries: list[_Entry] = []
    paragraph = 0
    for number, text in enumerate(doc.lines, start=1):
        if not text.strip() or _RULE.match(text):  # the mailing's rules part paragraphs as blank lines do
            paragraph += 1
            continue
        if match := _ID_LINE.match(text):
            entries.append(_Entry(number, match.group("id")))
            paragraph += 1
            if categories := _CODE.findall(text) + re.findall(rf"\b{_CATEGORY}\b", text.split("]")[-1]):
                entries[-1].lines.append(_Line(number, " ".join(categories), -1))  # "(cross-list from cs.LG)"
            continue
        (entries[-1].lines if entries else header).append(_Line(number, text.strip(), paragraph))
    return header, entries


def _names(line: str) -> tuple[str, ...] | None:
    """The authors of a line: names between commas or "and", without affiliations in brackets and with TeX
    accents read (the mailing writes ``Juan P\\'erez (MIT)``); None when the line is not names."""
    if looks_like_abstract(line) or len(line) > 2000 or line.rstrip().endswith((":", "?", "!")):
        return None
    while (bare := _AFFILIATION.sub("", line)) != line:  # "((1) MIT, (2) ETH)" from the inside out
        line = bare
    if "\\" in line:
        line = latex_text(line)
    names = tuple(name.strip() for name in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*;\s*", line) if name.strip())
    if not names or any(len(name) > 80 or len(name.split()) > 6 or name.endswith((".", "…")) and len(name) > 40 for name in names):
        return None
    return names


def _abstract(text: str) -> str:
    """An abstract without the page's "▽ More" / "△ Less": the whole one where the page printed both."""
    parts = _MORE_INSIDE.split(text)
    return _MORE.sub("", parts[-1]).strip()


def _date(values: list[str], arxiv_id: str, mailed: str | None = None) -> tuple[str | None, DatePrecision | None]:
    """The first version's submission date (``mailed``: the mailing's ``Date:``), else the month the entry was
    announced, else its id's month."""
    if mailed and (parsed := parse_listing_date(mailed)) and (day := parsed.resolve(None)):
        return day.isoformat(), "day"
    text = " ; ".join(values)
    match = _V1_DATE.search(text) or next((m for value in values if (m := _FIRST_DATE.search(value))), None)
    if match and (parsed := parse_listing_date(match.group(1))) and (day := parsed.resolve(None)):
        return day.isoformat(), "day"
    if (announced := _ANNOUNCED.search(text)) and (month := MONTHS.get(announced.group(1).lower()[:3])):
        return f"{announced.group(2)}-{month:02d}-01", "month"
    if (new_style := _NEW_STYLE_ID.match(arxiv_id)) and 1 <= int(new_style.group(2)) <= 12:
        return f"20{new_style.group(1)}-{new_style.group(2)}-01", "month"
    return None, None


@dataclass(slots=True)
class _Fields:
    """What an entry's lines give."""

    title: list[str] = field(default_factory=list)
    authors: list[str] | None = None
    authors_text: str = ""  # the line of authors as printed, joined with the lines it wraps onto
    abstract: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    venue: str | None = None
    submitted: list[str] = field(default_factory=list)
    mailed: str | None = None  # the mailing's "Date:": the first version's submission day
    leftover: list[_Line] = field(default_factory=list)  # lines of none of them: the page's


def _read_entry(entry: _Entry) -> _Fields:
    """The fields of an entry, each line read by its label or, unlabelled, by its place."""
    labelled_authors = any(_field(ln.text) == "authors" for ln in entry.lines)
    got = _Fields()
    current: str | None = None  # the field a line touching the one before goes on
    last = -2  # the paragraph of the line before
    for ln in entry.lines:
        touching, last = ln.paragraph == last, ln.paragraph
        name = _field(ln.text)
        if ln.paragraph == -1 or (not got.title and (_CATEGORIES.match(ln.text) or _TAGS.match(ln.text))):
            got.hints += [c for c in re.findall(_CATEGORY, ln.text) if c not in got.hints]
            name = None
        elif name == "abstract":
            got.abstract = [ABSTRACT_LABEL.sub("", ln.text, count=1)]
        elif name == "submitted":
            got.submitted.append(ln.text)
        elif name is not None:
            value = _value(ln.text)
            if name == "title":
                got.title = [value] if value else []
            elif name == "authors":
                got.authors, got.authors_text = list(_names(value) or ()), value
            elif name == "subjects":
                got.hints += [c for c in _CODE.findall(value) if c not in got.hints]
            elif name == "categories":
                got.hints += [c for c in re.findall(_CATEGORY, value) if c not in got.hints]
            elif name == "date" and (day := _MAILING_DATE.match(value)):
                got.mailed = day.group(1)
            elif name == "journal-ref":
                got.venue = value or None
        elif _DOI.match(ln.text) or _REPLACED.match(ln.text):
            pass
        elif touching and current == "abstract":
            got.abstract.append(ln.text)  # an abstract wrapped over lines
            name = current
        elif touching and current == "title" and (not got.title or labelled_authors):
            got.title.append(ln.text)  # "Title:" on a line of its own, or a title wrapped above "Authors:"
            name = current
        elif touching and current == "authors" and got.authors is not None and (
            names := _names(f"{got.authors_text} {ln.text}")
        ):
            got.authors, got.authors_text = list(names), f"{got.authors_text} {ln.text}"  # wrapped, maybe inside a name
            name = current
        elif not got.title and not got.abstract and current is None and not (is_page_text([ln.text]) or _PAGE_LINE.match(ln.text)):
            got.title = [ln.text]  # a search result's or a list's title, under the id line (and categories)
            name = "title"
        elif got.authors is None and got.title and not got.abstract and not got.leftover and (names := _names(ln.text)):
            got.authors, got.authors_text = list(names), ln.text  # a list's line of authors, under its title
            name = "authors"
        else:
            got.leftover.append(ln)
        current = name
    if not got.abstract:
        got.abstract, got.leftover = _list_abstract(got.leftover)
    return got


class ArxivListingReader(Reader):
    name = "arxiv-listing"
    label = "arXiv search or list page, or arXiv mailing ('arXiv:ID' line, title, authors, abstract)"

    def detect(self, doc: Document) -> Detection:
        header, entries = _entries(doc)
        if not entries:
            return Detection(0.0, "no 'arXiv:ID [pdf]' line at the start of an entry")
        # Prose above the first id line is a paper the ids follow, unless every entry labels its own title below
        # its id (the mailing's header is prose: "Send any comments regarding submissions directly to submitter.")
        labelled = all(any(_field(ln.text) == "title" for ln in entry.lines) for entry in entries)
        if not labelled and any(looks_like_abstract(ln.text) for ln in header):
            return Detection(0.0, "an abstract above the first 'arXiv:ID' line: the ids follow the papers")
        read = [_read_entry(entry) for entry in entries]
        if 2 * sum(1 for got in read if got.title and looks_like_abstract(join_lines(got.title))) > len(read):
            return Detection(0.0, "an abstract under most 'arXiv:ID' lines: the ids follow their papers' titles")
        titled = sum(1 for got in read if got.title)
        shaped = sum(1 for got in read if got.title and (got.authors is not None or got.abstract))
        if len(entries) - titled > max(1, len(entries) // 5) or 2 * shaped < len(entries):  # one cut off at the end at most
            return Detection(0.2, f"{len(entries)} 'arXiv:ID' line(s), {titled} with a title under it, {shaped} with authors or abstract")
        return Detection(0.98, f"{len(entries)} arXiv entr{'y' if len(entries) == 1 else 'ies'} ('arXiv:ID' line, then its fields)")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        header, entries = _entries(doc)
        self._skip(doc, header)
        for entry in entries:
            got = _read_entry(entry)
            self._skip(doc, got.leftover)
            raw = "\n".join(doc.lines[entry.line - 1 : (entry.lines[-1].number if entry.lines else entry.line)])
            if not got.title:
                yield self.reject(doc, entry.line, f"arXiv entry {entry.arxiv_id} with no title", raw)
                continue
            date, precision = _date(got.submitted, entry.arxiv_id, got.mailed)
            found = PaperFields(
                authors=tuple(got.authors or ()),
                date=date,
                date_precision=precision,
                venue=got.venue,
                url=f"https://arxiv.org/abs/{entry.arxiv_id}",
                arxiv_id=entry.arxiv_id,
                topic_hints=tuple(got.hints[:MAX_HINTS]),
            )
            abstract = _abstract(join_lines(got.abstract))
            yield self.make_paper(doc, entry.line, title=join_lines(got.title), abstract=abstract, raw=raw, found=found)

    def _skip(self, doc: Document, lines: list[_Line]) -> None:
        for ln in lines:
            if not is_chrome(ln.text):
                doc.notice(ln.number, f"skipped page text {ln.text[:60]!r} (not part of an arXiv entry)")


def _list_abstract(lines: list[_Line]) -> tuple[list[str], list[_Line]]:
    """A list's abstract among an entry's unlabelled lines after its fields: the first paragraph of prose, with any
    paragraph of prose right after it; and the lines left (page text). Nothing below a line of the page's own
    ("Total of 8 entries") is an abstract: the page's footer is there."""
    end_of_entries = next((i for i, ln in enumerate(lines) if _PAGE_LINE.match(ln.text)), len(lines))
    start = next(
        (i for i, ln in enumerate(lines[:end_of_entries]) if could_be_abstract(ln.text) and not is_page_text([ln.text])),
        None,
    )
    if start is None:
        return [], lines
    end = start
    paragraph = lines[start].paragraph
    while end < end_of_entries and (lines[end].paragraph == paragraph or looks_like_abstract(lines[end].text)):
        paragraph = lines[end].paragraph
        end += 1
    return [ln.text for ln in lines[start:end]], lines[:start] + lines[end:]


_FIELD_NAMES = {
    "title": "title", "author": "authors", "comment": "comments", "subject": "subjects", "categorie": "categories",
    "journal": "journal-ref",
}


def _field(line: str) -> str | None:
    """The field a line gives by its label (``authors``, ``journal-ref``, …), or None when it has none."""
    if ABSTRACT_LABEL.match(line):
        return "abstract"
    if _SUBMITTED.match(line):
        return "submitted"
    if (label := _LABEL.match(line)) is None:
        return None
    if "(" in label.group("label"):  # "Date (revised v2):": not the first version's
        return "revised"
    word = re.split(r"[\s\-]", label.group("label").casefold())[0]
    return _FIELD_NAMES.get(word.rstrip("s") if word != "journal" else word, word)


def _value(line: str) -> str:
    label = _LABEL.match(line)
    return label.group("value").strip() if label else line.strip()

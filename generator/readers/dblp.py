"""dblp's lists of publications copied as text: a person's page or a search's results.

dblp prints each publication as its authors, ending in a colon, then a line of its title (ending in a
full stop, or in the title's own question or exclamation mark) and where it appeared::

    Omar Khattab, Matei Zaharia:
    ColBERT: Efficient and Effective Passage Search via Contextualized Late Interaction over BERT. SIGIR 2020: 39-48

The venue is what follows the title, without pages and volume (``SIGIR``, ``CoRR``,
``J. Biomed. Informatics``); the year is the publication's date (``(2024)``, ``2020: 39-48``,
``NeurIPS 2020``), and ``CoRR abs/2403.05512`` is the arXiv id. The page's own lines around them
(its menu, the year headings, ``[c4]`` / ``view``, "load more results") are skipped with a notice.
dblp prints no abstracts: each publication is a paper without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Paper, Rejected
from .base import Detection, Document, PaperFields, Reader, author_names, initialled_names, is_chrome

# "Title. Venue …": the title runs to the first ". " followed by the venue's capital, digit or bracket (a "?" inside
# a title is the title's own: "When Does It Forget? A Spectral Analysis. ICLR 2025"); a title that ends in its own
# "?" or "!" has no full stop after it.
_TITLE_VENUE = re.compile(r"^(?P<title>.+?\.)\s+(?P<venue>[A-Z0-9(\[].*)$")
_TITLE_ASKS = re.compile(r"^(?P<title>.+?[?!])\s+(?P<venue>[A-Z0-9(\[].*)$")
_CORR = re.compile(r"\bCoRR\s+abs/(?P<id>\d{4}\.\d{4,5})\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# What a venue line prints after the venue's name: "(2024)", "2020: 39-48", "27(1): 7 (2024)", "abs/2403.05512".
_VENUE_TAIL = re.compile(r"(?:\s+(?:\(\d+\)|abs/\S+|\d+(?:\(\d+\))?(?::\s*[\w:-]+)?|(?:19|20)\d\d(?::\s*[\w:-]+)?))+$")
MIN_ENTRIES = 2


def _names(line: str) -> tuple[str, ...] | None:
    """The authors of a line that ends in dblp's colon, or None."""
    text = line.strip()
    if not text.endswith(":") or len(text) > 1500:
        return None
    text = text[:-1].strip()
    names = author_names(text) or initialled_names(text)
    if names is None and "," not in text and " and " not in text and 2 <= len(text.split()) <= 4:
        names = (text,)  # one author: "Jane Doe:"
    return names


def _entries(doc: Document) -> list[tuple[int, tuple[str, ...], re.Match[str]]]:
    """Each publication: the line of its authors (1-based), the authors, and its title/venue line read."""
    lines = doc.lines
    found = []
    for i, line in enumerate(lines[:-1]):
        below = lines[i + 1].strip()
        if (names := _names(line)) is not None and (match := _TITLE_VENUE.match(below) or _TITLE_ASKS.match(below)):
            found.append((i + 1, names, match))
    return found


def _fields(names: tuple[str, ...], venue_text: str) -> PaperFields:
    arxiv = _CORR.search(venue_text)
    years = _YEAR.findall(venue_text)
    venue = _VENUE_TAIL.sub("", venue_text).strip(" .,") or None
    return PaperFields(
        authors=names,
        author_count=len(names),
        date=f"{years[-1]}-01-01" if years else None,
        date_precision="year" if years else None,
        venue=venue,
        arxiv_id=arxiv.group("id") if arxiv else None,
        url=f"https://arxiv.org/abs/{arxiv.group('id')}" if arxiv else None,
    )


class DblpReader(Reader):
    name = "dblp"
    label = "dblp list of publications ('Authors:' line, then 'Title. Venue year')"

    def detect(self, doc: Document) -> Detection:
        entries = _entries(doc)
        if len(entries) < MIN_ENTRIES:
            return Detection(0.0, "no 'Authors:' lines each above a 'Title. Venue' line")
        # Names ending in a colon above "Title. Venue": no other listing prints its papers so.
        return Detection(0.97, f"{len(entries)} 'Authors:' lines each above a 'Title. Venue' line")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        entries = _entries(doc)
        used: set[int] = set()
        for line, names, match in entries:
            used |= {line, line + 1}
            title = match.group("title").strip()
            title = title[:-1] if title.endswith(".") else title  # dblp's full stop; a "?" is the title's own
            raw = "\n".join(doc.lines[line - 1 : line + 1])
            doc.notice(line, "a dblp entry: the paper is kept without an abstract (dblp prints none)")
            yield self.make_paper(doc, line, title=title, abstract="", raw=raw, found=_fields(names, match.group("venue")))
        for number, text in enumerate(doc.lines, start=1):
            if number in used or not text.strip() or is_chrome(text):
                continue
            if _names(text) is not None and "," in text:  # a paper's authors whose title line could not be read
                raw = "\n".join(doc.lines[number - 1 : number + 1])
                yield self.reject(doc, number, "dblp authors with no 'Title. Venue' line under them", raw)
            else:
                doc.notice(number, f"skipped page text {text.strip()[:60]!r} (not a dblp entry)")

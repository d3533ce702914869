"""Reading lists that cite each paper on one line: a course's readings, a group's list of papers.

Each paper is a line (after a marker such as ``★``, ``•``, ``-``, ``[3]`` or ``3.``) that cites it as
a reference does, title first::

    ★ Attention Is All You Need. A. Vaswani, N. Shazeer, N. Parmar. NeurIPS 2017. arXiv:1706.03762
    ☆ RoFormer: Enhanced Transformer with Rotary Position Embedding. J. Su et al. Neurocomputing 2024.

The title runs to its full stop (or its own question mark), the authors follow (initials or full
names, ``et al.`` leaving their number unknown), then the venue and year, and an arXiv id when the
list links one. The lines between (week headings, the list's introduction) are the page's, skipped
with a notice; a marked line that cites no paper this way is rejected with its line. Reading lists
print no abstracts: each paper is kept without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Paper, Rejected
from .base import Detection, Document, PaperFields, Reader, is_chrome

_NAME = r"(?:[^\W\d_][\w'’]*\.?(?:[\s-]+[^\W\d_][\w'’]*\.?){0,3})"  # "A. Vaswani", "M.-W. Chang", "Ana Ruiz"
_LINE = re.compile(
    rf"^\s*(?:[★☆•*\-–]|\[\d{{1,4}}\]|\d{{1,4}}[.)])?\s*"
    rf"(?P<title>[^\W\d_].{{8,300}}?[.?!])\s+"
    rf"(?P<authors>{_NAME}(?:,\s+(?:and\s+)?{_NAME})*)(?P<etal>,?\s+et\s+al)?\.\s+"
    rf"(?P<venue>[^\n]{{0,120}}?)\s*(?P<year>(?:19|20)\d\d)\.?"
    rf"(?:\s+(?:arXiv:\s*)?(?P<id>\d{{4}}\.\d{{4,5}})(?:v\d+)?)?\s*$"
)
_MARKED = re.compile(r"^\s*(?:[★☆•*\-–]|\[\d{1,4}\]|\d{1,4}[.)])\s+\S")  # a line of the list, cited or not
MIN_ENTRIES = 2
SCORE = 0.9  # a paper cited on a line, title first, names, venue and year: no other listing prints papers so


def _names(match: re.Match[str]) -> list[str]:
    return [name.strip() for name in re.split(r",\s+(?:and\s+)?", match.group("authors"))]


def _cited(line: str) -> re.Match[str] | None:
    match = _LINE.match(line)
    if match is None or len(match.group("title")) < 10:
        return None
    if any(len(name.split()) > 4 for name in _names(match)):
        return None  # a phrase, not a name: the title's sentence went on
    return match


_ET_AL = re.compile(r",?\s+et\s+al$")


def _fields(match: re.Match[str]) -> PaperFields:
    names = _names(match)
    cut = bool(match.group("etal")) or bool(_ET_AL.search(names[-1]))  # "J. Su et al.": more than the names given
    names[-1] = _ET_AL.sub("", names[-1])
    arxiv_id = match.group("id")
    return PaperFields(
        authors=tuple(names),
        author_count=None if cut else len(names),
        authors_cut=cut,
        date=f"{match.group('year')}-01-01",
        date_precision="year",
        venue=match.group("venue").strip(" .,") or None,
        arxiv_id=arxiv_id,
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
    )


class ReferenceListReader(Reader):
    name = "reference-list"
    label = "reading list citing a paper a line ('Title. Authors. Venue Year. arXiv:ID')"

    def detect(self, doc: Document) -> Detection:
        cited = sum(1 for line in doc.lines if _cited(line))
        marked = sum(1 for line in doc.lines if _MARKED.match(line))
        if cited < MIN_ENTRIES or cited < 0.8 * marked:
            return Detection(0.0, f"{cited} line(s) citing a paper ('Title. Authors. Venue Year.')")
        return Detection(SCORE, f"{cited} lines each citing a paper ('Title. Authors. Venue Year.')")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        for number, line in enumerate(doc.lines, start=1):
            if not line.strip() or is_chrome(line):
                continue
            if (match := _cited(line)) is not None:
                title = match.group("title").strip()
                title = title[:-1] if title.endswith(".") else title  # the citation's full stop; a "?" is the title's
                doc.notice(number, "a paper cited on a line of a reading list: kept without an abstract (the list prints none)")
                yield self.make_paper(doc, number, title=title, abstract="", raw=line, found=_fields(match))
            elif _MARKED.match(line):
                yield self.reject(doc, number, "a line of the reading list that cites no paper as 'Title. Authors. Venue Year.'", line)
            else:
                doc.notice(number, f"skipped page text {line.strip()[:60]!r} (not a paper's citation)")

"""BibTeX files (``.bib`` exports of reference managers, DBLP, the ACL Anthology), read with ``bibtexparser``.

Each entry with a title is a paper: title, abstract, authors (``Last, First and ...``), year and
month, the venue from ``booktitle`` / ``journal``, the ``url`` and an arXiv id from ``eprint`` (with
``archivePrefix = arXiv``), a ``doi``-less arXiv URL, or an ``arxiv.org/abs/`` URL. LaTeX markup
in the text (``{BERT}``, ``G{\\"o}del``, ``\\&``) becomes plain text; math between ``$`` signs is
kept for the page to render. An entry that does not parse is rejected with its line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from ..ingest.dates import month_number
from ..ingest.ids import find_arxiv_id
from ..model import DatePrecision, Paper, Rejected
from ..text import latex_text
from .base import HTTP_URL, Detection, Document, PaperFields, Reader

_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]", re.MULTILINE)
_SKIPPED_TYPES = {"string", "preamble", "comment"}


class BibtexReader(Reader):
    name = "bibtex"
    label = "BibTeX entries (@article{...}, @inproceedings{...})"

    def detect(self, doc: Document) -> Detection:
        types = [t.lower() for t in _ENTRY.findall(doc.text)]
        entries = [t for t in types if t not in _SKIPPED_TYPES]
        if not entries:
            return Detection(0.0, "no '@type{key,' entry at the start of a line")
        if not re.search(r"\btitle\s*=", doc.text, re.IGNORECASE):
            return Detection(0.3, f"{len(entries)} '@' entries but no 'title =' field")
        return Detection(0.97, f"{len(entries)} BibTeX entr{'y' if len(entries) == 1 else 'ies'} with 'title =' fields")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        from bibtexparser import model
        from bibtexparser.entrypoint import parse_string

        logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its complaints become rejections below
        library = parse_string(doc.text)
        lines = doc.lines
        for block in library.blocks:
            start = block.start_line or 0
            line = start + 1
            raw = "\n".join(lines[start : start + 40])
            if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, model.Entry):
                block = block.ignore_error_block  # a reused key: still a paper (duplicates merge later)
            elif isinstance(block, model.ParsingFailedBlock):
                error = getattr(block, "error", None)
                message = (getattr(error, "abort_reason", None) or str(error or "")).strip().splitlines()
                reason = message[0].split(". Note:")[0] if message else "not a valid entry"
                yield self.reject(doc, line, f"BibTeX syntax error: {reason}", block.raw or raw)
                continue
            if not isinstance(block, model.Entry):
                continue  # @string, @preamble, @comment and text between entries
            raw = block.raw or raw
            fields = {f.key.lower(): _unwrap(str(f.value)) for f in block.fields}
            title = latex_text(fields.get("title", "")).strip()
            if not title:
                yield self.reject(doc, line, f"entry {block.key!r} has no title", raw)
                continue
            yield self._paper(doc, line, title, fields, raw)

    def _paper(self, doc: Document, line: int, title: str, fields: dict[str, str], raw: str) -> Paper | Rejected:
        authors = [a for a in (latex_text(a).strip() for a in re.split(r"\s+and\s+", fields.get("author", ""))) if a]
        if authors and authors[-1].lower() in ("others", "et al."):
            authors = authors[:-1]
        date: str | None = None
        precision: DatePrecision | None = None
        year = fields.get("year", "").strip()
        if re.fullmatch(r"\d{4}", year):
            month = month_number(fields.get("month", ""))
            if month:
                date, precision = f"{year}-{month:02d}-01", "month"
            else:
                date, precision = f"{year}-01-01", "year"
        venue = fields.get("booktitle") or fields.get("journal")
        url = fields.get("url", "").strip()
        archive = fields.get("archiveprefix", "") or fields.get("eprinttype", "")
        eprint = fields.get("eprint") if archive.lower() == "arxiv" or not archive else None
        found = PaperFields(
            authors=tuple(_flip(a) for a in authors),
            date=date,
            date_precision=precision,
            venue=latex_text(venue).strip() if venue else None,
            url=url if HTTP_URL.match(url) else None,
            arxiv_id=find_arxiv_id(eprint, url, fields.get("journal")),
        )
        abstract = latex_text(fields.get("abstract", "")).strip()
        return self.make_paper(doc, line, title=title, abstract=abstract, raw=raw, found=found)


def _unwrap(value: str) -> str:
    """A value as written between its delimiters (entries read past a parse error keep them)."""
    value = value.strip()
    if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
        return value[1:-1]
    return value


def _flip(name: str) -> str:
    """``"Smith, Jane"`` → ``"Jane Smith"``, as the other listings write names."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        return f"{first} {last}".strip()
    return name

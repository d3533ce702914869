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

from ..model import Paper, Rejected
from .base import HTTP_URL, Detection, Document, Reader

_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]", re.MULTILINE)
_SKIPPED_TYPES = {"string", "preamble", "comment"}
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([0-9]{4}\.[0-9]{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v\d+)?", re.I)
_ARXIV_ID = re.compile(r"^(?:arXiv:)?([0-9]{4}\.[0-9]{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v\d+)?$", re.I)


def _to_text(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text(value)
    except Exception:  # noqa: BLE001 - malformed LaTeX in a scraped field: keep the text as written
        return value.replace("{", "").replace("}", "")


def arxiv_id_of(*candidates: str | None) -> str | None:
    for text in candidates:
        if not text:
            continue
        match = _ARXIV_ID.match(text.strip()) or _ARXIV_URL.search(text)
        if match:
            return match.group(1)
    return None


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
        import bibtexparser
        from bibtexparser import model

        logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its complaints become rejections below
        library = bibtexparser.parse_string(doc.text)
        lines = doc.lines
        for block in library.blocks:
            line = block.start_line + 1
            raw = "\n".join(lines[block.start_line : block.start_line + 40])
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
            title = _to_text(fields.get("title", "")).strip()
            if not title:
                yield self.reject(doc, line, f"entry {block.key!r} has no title", raw)
                continue
            yield self._paper(doc, line, title, fields, raw)

    def _paper(self, doc: Document, line: int, title: str, fields: dict[str, str], raw: str) -> Paper | Rejected:
        extra: dict[str, object] = {}
        authors = [a for a in (_to_text(a).strip() for a in re.split(r"\s+and\s+", fields.get("author", ""))) if a]
        if authors and authors[-1].lower() in ("others", "et al."):
            authors = authors[:-1]
        if authors:
            extra["authors"] = [_flip(a) for a in authors]
        year = fields.get("year", "").strip()
        if re.fullmatch(r"\d{4}", year):
            month_text = fields.get("month", "").strip().lower()[:3]
            month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None)
            if month:
                extra["date"], extra["date_precision"] = f"{year}-{month:02d}-01", "month"
            else:
                extra["date"], extra["date_precision"] = f"{year}-01-01", "year"
        venue = fields.get("booktitle") or fields.get("journal")
        if venue:
            extra["venue"] = _to_text(venue).strip()
        url = fields.get("url", "").strip()
        if HTTP_URL.match(url):
            extra["url"] = url
        archive = fields.get("archiveprefix", "") or fields.get("eprinttype", "")
        eprint = fields.get("eprint") if archive.lower() == "arxiv" or not archive else None
        arxiv = arxiv_id_of(eprint, url, fields.get("journal"))
        if arxiv:
            extra["arxiv_id"] = arxiv
        abstract = _to_text(fields.get("abstract", "")).strip()
        return self.make_paper(doc, line, title=title, abstract=abstract, raw=raw, **extra)


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

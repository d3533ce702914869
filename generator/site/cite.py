"""BibTeX for the catalogue: one entry per paper, with stable citation keys.

A key is ``<first author's surname><year><first significant title word>`` in lower-case
ASCII (``smith2024pomp``); without authors the surname is left out, without a date the year
is ``nd``. Keys that would collide get ``a``, ``b``, ... in paper-id order, so a key changes
only when a paper with the same key is added before it.

Values are written so that any scraped text is a valid BibTeX value (``ListingText.as_bibtex``):
the math the page renders is kept as LaTeX when its braces balance and it uses only the commands
formulas use (those latex2mathml renders; never one that reads or writes files, runs code or
defines macros: ``\\input``, ``\\directlua``, ``\\def``, ...); everything else, a ``$`` the page
shows literally included, has BibTeX's special characters escaped. An address is written as it
is (a ``url`` field is read verbatim).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from ..ingest.dates import MONTH_ABBREVIATIONS
from ..model import Paper
from ..text import as_bibtex, ascii_words

_STOP_WORDS = {
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "towards", "toward", "via", "is", "are",
    "do", "does", "can", "what", "how", "when", "why", "we", "your", "our",
}


def escape_value(text: str) -> str:
    """``text`` as the inside of a braced BibTeX value: literal, with its math kept as LaTeX where safe."""
    return as_bibtex(text)


def url_value(url: str) -> str:
    """An address as a ``url`` field holds it: as written (the field is read verbatim, so ``\\_`` would be part of
    it), with the characters that would end or escape a braced value percent-encoded, as a URL may write them."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", url)


def surname(name: str) -> str:
    """The family name of ``"Jane Q. Smith"`` or ``"Smith, Jane"``."""
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else ""


def base_key(paper: Paper) -> str:
    author = "".join(ascii_words(surname(paper.authors[0])))[:20] if paper.authors else ""
    year = str(paper.year) if paper.year else "nd"
    words = [w for w in ascii_words(paper.title) if w not in _STOP_WORDS and not w.isdigit()]
    return f"{author}{year}{words[0][:20] if words else 'paper'}"


def citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """``{paper id: citation key}``, unique over the catalogue."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for paper in sorted(papers, key=lambda p: p.id):
        by_key[base_key(paper)].append(paper.id)
    keys: dict[str, str] = {}
    taken = set(by_key)
    for key, ids in by_key.items():
        if len(ids) == 1:
            keys[ids[0]] = key
            continue
        suffixes = _suffixes()
        for paper_id in ids:
            candidate = key + next(suffixes)
            while candidate in taken:
                candidate = key + next(suffixes)
            taken.add(candidate)
            keys[paper_id] = candidate
    return keys


def _suffixes() -> Iterator[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for first in letters:
        yield first
    for first in letters:
        for second in letters:
            yield first + second
    count = 0
    while True:
        count += 1
        yield f"x{count}"


def entry_fields(paper: Paper, *, abstract: bool = True) -> list[tuple[str, str]]:
    """The entry's fields in writing order: ``(name, value as written between the braces)``.

    ``abstract=False`` leaves the abstract out: a paper page shows it once, above the entry.
    """
    # The title in a second pair of braces: bibliography styles print it as written ("CLIP", "AstroM$^3$"),
    # not in sentence case ("clip").
    fields: list[tuple[str, str]] = [("title", "{" + escape_value(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(escape_value(name) for name in paper.authors)))
    if paper.venue:
        fields.append(("journal" if is_journal(paper.venue) else "booktitle", escape_value(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.date and paper.date_precision in ("day", "month"):
        fields.append(("month", MONTH_ABBREVIATIONS[int(paper.date[5:7]) - 1]))
    if paper.arxiv_id:
        fields += [("eprint", escape_value(paper.arxiv_id)), ("archiveprefix", "arXiv")]
    if paper.url:
        fields.append(("url", url_value(paper.url)))
    if paper.title_inferred:
        fields.append(("note", "Title inferred from the abstract"))
    if paper.abstract and abstract:
        fields.append(("abstract", escape_value(paper.abstract)))
    return fields


# A venue that names a journal (the catalogue keeps one venue a paper, not the kind of entry it came from).
_JOURNAL = re.compile(
    r"\b(?:journal|transactions|letters|review|magazine|bulletin|annals|acta|nature|science|cell|"
    r"proceedings of the national academy|jmlr|tmlr|tacl|tpami|pnas)\b",
    re.IGNORECASE,
)
_CONFERENCE = re.compile(r"\b(?:conference|symposium|workshop|meeting|congress)\b", re.IGNORECASE)


def is_journal(venue: str) -> bool:
    """Whether a venue is a journal ("Journal of Machine Learning Research", "Nature Communications"), not a conference."""
    return bool(_JOURNAL.search(venue)) and not _CONFERENCE.search(venue)


def entry_type(paper: Paper) -> str:
    if not paper.venue:
        return "misc"
    return "article" if is_journal(paper.venue) else "inproceedings"


def bibtex_entry(paper: Paper, key: str, *, abstract: bool = True) -> str:
    lines = [f"@{entry_type(paper)}{{{key},"]
    for name, value in entry_fields(paper, abstract=abstract):
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibliography(papers: Sequence[Paper], keys: dict[str, str] | None = None) -> str:
    """The whole catalogue as one ``.bib`` file, entries in paper-id order."""
    keys = keys or citation_keys(papers)
    return "\n".join(bibtex_entry(paper, keys[paper.id]) for paper in sorted(papers, key=lambda p: p.id))

"""arXiv API results (``export.arxiv.org/api/query``, Atom XML), parsed with ``defusedxml``.

Each ``<entry>`` is a paper: title, summary (the abstract), authors, the published date, the
arXiv id from the entry's ``<id>`` (``http://arxiv.org/abs/2401.01234v2`` → ``2401.01234``, the
strongest duplicate key) and its abstract page as the paper's link, the journal reference as
venue and the arXiv categories as topic hints. Other Atom feeds with titled, summarised entries
are read the same way. XML that does not parse is rejected with the line the parser names;
entity tricks (billion laughs, external entities) are refused by ``defusedxml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from ..ingest.dates import parse_iso_date
from ..ingest.ids import find_arxiv_id
from ..model import Paper, Rejected
from .base import HTTP_URL, Detection, Document, PaperFields, Reader

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ENTRY_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?entry[\s>]")


class ArxivAtomReader(Reader):
    name = "arxiv-atom"
    label = "arXiv API / Atom feed (<feed><entry>...)"

    def detect(self, doc: Document) -> Detection:
        head = doc.text[:4000]
        if "http://www.w3.org/2005/Atom" not in head or not re.search(r"<(?:\w+:)?feed[\s>]", head):
            return Detection(0.0, "no Atom <feed> element")
        entries = len(_ENTRY_TAG.findall(doc.text))
        if "arxiv.org" in head or "arxiv.org/abs/" in doc.text[:20000]:
            return Detection(0.97, f"arXiv API Atom feed with {entries} <entry> element(s)")
        return Detection(0.8, f"Atom feed with {entries} <entry> element(s)")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import fromstring

        try:
            root = fromstring(doc.text.encode("utf-8"))
        except DefusedXmlException as err:
            yield self.reject(doc, 1, f"XML refused: {type(err).__name__} (entity declarations are not allowed)", doc.text)
            return
        except Exception as err:  # noqa: BLE001 - ParseError and expat errors: report, never raise
            position = getattr(err, "position", (1, 0))
            yield self.reject(doc, position[0], f"XML syntax error: {err}", doc.text)
            return
        lines = doc.lines
        starts = [doc.text.count("\n", 0, m.start()) + 1 for m in _ENTRY_TAG.finditer(doc.text)]
        for index, entry in enumerate(root.iter(f"{ATOM}entry")):
            line = starts[index] if index < len(starts) else 1
            raw = "\n".join(lines[line - 1 : line + 30])
            yield self._paper(doc, line, entry, raw)

    def _paper(self, doc: Document, line: int, entry: Element, raw: str) -> Paper | Rejected:
        def text(tag: str) -> str:
            node = entry.find(tag)
            return " ".join("".join(node.itertext()).split()) if node is not None else ""

        title = text(f"{ATOM}title")
        if not title:
            return self.reject(doc, line, "<entry> has no <title>", raw)
        if title == "Error" and "arxiv.org/api/errors" in text(f"{ATOM}id"):
            return self.reject(doc, line, f"the arXiv API returned an error: {text(f'{ATOM}summary')}", raw)
        authors = [" ".join("".join(a.itertext()).split()) for a in entry.findall(f"{ATOM}author/{ATOM}name")]
        published = text(f"{ATOM}published") or text(f"{ATOM}updated")
        parsed = parse_iso_date(published[:10]) if published else None
        arxiv = find_arxiv_id(text(f"{ATOM}id"))
        if arxiv:
            url: str | None = f"https://arxiv.org/abs/{arxiv}"
        else:
            links = entry.findall(f"{ATOM}link")
            link = next((node.get("href", "") for node in links if node.get("rel", "alternate") == "alternate"), "")
            url = link if HTTP_URL.match(link) else None
        categories = [c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("term")]
        found = PaperFields(
            authors=tuple(a for a in authors if a),
            date=parsed[0] if parsed else None,
            date_precision=parsed[1] if parsed else None,
            venue=text(f"{ARXIV}journal_ref") or None,
            url=url,
            arxiv_id=arxiv,
            topic_hints=tuple(categories[:5]),
        )
        abstract = text(f"{ATOM}summary") or text(f"{ATOM}content")
        return self.make_paper(doc, line, title=title, abstract=abstract, raw=raw, found=found)

"""Abstract-only listings: one ``Abstract:`` paragraph per paper, no titles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..ingest.titles import infer_title
from ..model import Paper, Rejected
from .base import Detection, Document, Reader, is_chrome, looks_like_abstract

_ABSTRACT = re.compile(r"^\s*abstract\s*[:.\-—–]\s*", re.IGNORECASE)


class AbstractsReader(Reader):
    name = "abstracts"
    label = "abstract-only listing ('Abstract:' paragraphs, no titles)"

    def detect(self, doc: Document) -> Detection:
        lines = [line for line in doc.lines if line.strip()]
        marked = sum(1 for line in lines if _ABSTRACT.match(line))
        prose = sum(1 for line in lines if looks_like_abstract(line))
        if marked and marked >= 0.6 * max(prose, 1):
            return Detection(min(0.95, 0.6 + 0.05 * marked), f"{marked} line(s) start with 'Abstract:'")
        return Detection(0.0, "no lines starting with 'Abstract:'")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        record: tuple[int, list[str]] | None = None

        def flush() -> Iterator[Paper | Rejected]:
            nonlocal record
            if record is None:
                return
            line, parts = record
            record = None
            raw = "\n".join(parts)
            abstract = _ABSTRACT.sub("", " ".join(p.strip() for p in parts), count=1).strip()
            if not abstract:
                yield self.reject(doc, line, "'Abstract:' with no text", raw)
                return
            yield self.make_paper(doc, line, title=infer_title(abstract), abstract=abstract, raw=raw, title_inferred=True)

        for number, line in enumerate(doc.lines, start=1):
            if not line.strip():
                yield from flush()
                continue
            if _ABSTRACT.match(line):
                yield from flush()
                record = (number, [line])
            elif is_chrome(line):
                doc.notice(number, f"skipped page text {line.strip()[:60]!r} (not an abstract)")
            elif record is not None:
                record[1].append(line)  # a wrapped abstract continues on the next line
            elif looks_like_abstract(line):
                record = (number, [line])  # an abstract whose 'Abstract:' label was lost
            elif is_chrome(line) or len(line.strip()) < 80:
                doc.notice(number, f"skipped page text {line.strip()[:60]!r} (not an abstract)")
            else:
                yield self.reject(doc, number, "text that is neither an 'Abstract:' paragraph nor page chrome", line)
        yield from flush()

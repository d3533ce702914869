"""Listing readers, one per format, and the choice of reader by a file's content."""

from __future__ import annotations

from dataclasses import dataclass

from .abstracts import AbstractsReader
from .arxiv_atom import ArxivAtomReader
from .arxiv_listing import ArxivListingReader
from .base import Detection, Document, Reader, SourceMeta
from .bibtex import BibtexReader
from .daily_papers import DailyPapersReader
from .dblp import DblpReader
from .reference_list import ReferenceListReader
from .search_results import SearchResultsReader
from .title_list import TitleListReader
from .topic_listing import TopicListingReader
from .yaml_papers import YamlPapersReader

# Order breaks ties: the more specific format first.
READERS: tuple[Reader, ...] = (
    ArxivAtomReader(),
    ArxivListingReader(),
    DblpReader(),
    ReferenceListReader(),
    BibtexReader(),
    YamlPapersReader(),
    AbstractsReader(),
    DailyPapersReader(),
    TopicListingReader(),
    SearchResultsReader(),
    TitleListReader(),
)
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class Choice:
    reader: Reader | None
    reason: str
    detections: tuple[tuple[str, Detection], ...]


def reader_by_name(name: str) -> Reader | None:
    return next((r for r in READERS if r.name == name), None)


def reader_kind(name: str) -> str:
    """What a reader reads, in a few words ("Daily Papers page", "topic listing"): its label before the details."""
    reader = reader_by_name(name)
    return reader.label.split(" (")[0] if reader is not None else name


def choose_reader(doc: Document) -> Choice:
    """The reader whose detection is most confident, or the one ``sources.yml`` names for the file."""
    if doc.meta.format:
        reader = reader_by_name(doc.meta.format)
        if reader is not None:
            return Choice(reader, f"format {doc.meta.format!r} set in sources.yml", ())
    detections = tuple((r.name, r.detect(doc)) for r in READERS)
    best_index = max(range(len(READERS)), key=lambda i: (detections[i][1].score, -i))
    best = detections[best_index][1]
    if best.score < MIN_SCORE:
        return Choice(None, "no reader recognised the content", detections)
    return Choice(READERS[best_index], best.reason, detections)


__all__ = ["READERS", "Choice", "Detection", "Document", "Reader", "SourceMeta", "choose_reader", "reader_by_name", "reader_kind"]

"""The files next to the pages: the catalogue as BibTeX and JSON, and the Atom feeds.

A catalogue of 100,000 papers is about 150 MB of BibTeX and 260 MB of JSON, so the whole
catalogue is written compressed (``downloads/catalogue.bib.gz``, ``downloads/catalogue.json.gz``;
gzip with no timestamp, so two builds write the same bytes) and uncompressed one year at a time
(``downloads/catalogue-2024.bib``, ``downloads/catalogue-undated.json``), plus one BibTeX file
per topic (``downloads/topic-llm.bib``). The Export page lists them with their sizes.

A JSON file is one object: the site, the number of papers, and ``records``, one paper a line
(written with the standard library's C encoder, fields in a fixed order). Each paper's BibTeX
entry and JSON record is made once per build (or taken from the page cache, see ``PaperKeys``)
and joined into every file that holds the paper.

A compressed file is a series of gzip members (RFC 1952; every gzip reader reads them as one
stream), each holding a run of about ``RUN`` papers. Runs end after the papers whose id says so
(a hash of the id), so a new paper changes only the run it falls in: the members of the others
are the same bytes as in the last build and are taken from the page cache by the digest of
their text.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Paper
from .cite import bibtex_entry, citation_keys
from .feeds import atom_feed, feed_path
from .urls import page_url, paper_path, topic_path
from .view import SiteModel

DOWNLOADS = "downloads"


@dataclass(frozen=True, slots=True)
class Download:
    """One downloadable file, as the Export page lists it."""

    path: str
    label: str
    papers: int
    size: int


def year_of(paper: Paper) -> str:
    return str(paper.year) if paper.year else "undated"


def topic_bib_path(slug: str) -> str:
    return f"{DOWNLOADS}/topic-{slug}.bib"


GZIP_LEVEL = 6


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=0)


def catalogue_keys(model: SiteModel) -> Mapping[str, str]:
    """The citation key of every paper (the model's; worked out here for a model made without them)."""
    return model.cite_keys or citation_keys(model.papers)


RUN = 64  # papers per gzip member, on average


def _run_ends(paper_id: str) -> bool:
    return zlib.crc32(paper_id.encode("utf-8")) % RUN == 0


def members(pieces: Sequence[tuple[str, str]], separator: str, head: str = "", tail: str = "") -> list[str]:
    """The texts of a compressed file's gzip members: ``head``, then the ``(paper id, text)`` pieces
    joined by ``separator`` in runs, then ``tail``; together they are the file's text."""
    texts = [head] if head else []
    run: list[str] = []
    for index, (paper_id, text) in enumerate(pieces):
        run.append(text)
        last = index == len(pieces) - 1
        if last or _run_ends(paper_id):
            texts.append(separator.join(run) + ("" if last else separator))
            run = []
    return [*texts, tail] if tail else texts


class Compressor:
    """Compresses a file's members, each taken from ``store`` when an earlier build compressed the same text.

    ``submit`` runs a compression (in a thread: zlib lets go of the interpreter while it works).
    """

    def __init__(self, store: Any = None, submit: Callable[..., Any] | None = None) -> None:
        self.store = store
        self.submit = submit
        self.made: dict[str, bytes] = {}  # the members compressed here, by key

    def start(self, texts: list[str]) -> Callable[[], bytes]:
        """Start compressing ``texts`` as members of one file; what is returned waits for the file's bytes."""
        keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        found: dict[str, bytes] = self.store.lookup_bytes(keys) if self.store is not None else {}
        missing = [(key, text) for key, text in zip(keys, texts, strict=True) if key not in found]
        # A few large batches rather than a task per member: each batch is one thread's work.
        size = max(1, -(-len(missing) // 4))
        batches = [missing[i : i + size] for i in range(0, len(missing), size)]
        pending = [self.submit(_gzip_batch, batch) if self.submit else _done(_gzip_batch(batch)) for batch in batches]

        def wait() -> bytes:
            made: dict[str, bytes] = {}
            for future in pending:
                made.update(future.result())
            self.made.update(made)
            if self.store is not None:
                for key, data in made.items():
                    self.store.add_bytes(key, data)
            return b"".join(found[key] if key in found else made[key] for key in keys)

        return wait


def _gzip_batch(batch: list[tuple[str, str]]) -> dict[str, bytes]:
    return {key: _gzip(text) for key, text in batch}


class _done:
    def __init__(self, value: dict[str, bytes]) -> None:
        self.value = value

    def result(self) -> dict[str, bytes]:
        return self.value


def record(model: SiteModel, paper: Paper, cite_key: str) -> str:
    """The paper's JSON record, on one line: its fields, topics, page, citation key and related papers."""
    data = paper.to_dict()
    assignment = model.assignments[paper.id]
    data["topics"] = {"primary": assignment.primary, "secondary": list(assignment.secondary)}
    data["page"] = page_url(paper_path(paper))
    data["citation_key"] = cite_key
    data["related"] = list(model.related.get(paper.id, []))
    return json.dumps(data, ensure_ascii=False)


def bibtex(paper: Paper, cite_key: str) -> str:
    """The paper's BibTeX entry as the downloads hold it (with the abstract)."""
    return bibtex_entry(paper, cite_key)


def _json_ends(model: SiteModel, papers: int, **extra: object) -> tuple[str, str]:
    """What comes before and after the records of a JSON file."""
    head = json.dumps({"site": model.site_name, **extra, "papers": papers}, ensure_ascii=False)
    return head[:-1] + ', "records": [\n', "\n]}\n"


def _json(model: SiteModel, records: list[str], **extra: object) -> str:
    head, tail = _json_ends(model, len(records), **extra)
    return head + ",\n".join(records) + tail


def catalogue_files(
    model: SiteModel,
    entries: Mapping[str, str] | None = None,
    records: Mapping[str, str] | None = None,
    *,
    compressor: Compressor | None = None,
) -> tuple[dict[str, str | bytes], list[Download]]:
    """The catalogue's BibTeX and JSON files, and the list the Export page shows (see ``write_catalogue_files``)."""
    files: dict[str, str | bytes] = {}
    listed = write_catalogue_files(model, files.__setitem__, entries, records, compressor=compressor)
    return files, listed


def write_catalogue_files(
    model: SiteModel,
    put: Callable[[str, str | bytes], object],
    entries: Mapping[str, str] | None = None,
    records: Mapping[str, str] | None = None,
    *,
    compressor: Compressor | None = None,
) -> list[Download]:
    """Make the catalogue's BibTeX and JSON files, each handed to ``put(path, data)`` as soon as it is made.

    Returns the list the Export page shows, in its order. Only one file (and the two whole-catalogue
    files being compressed) is in memory at a time. ``entries`` and ``records``: each paper's BibTeX
    entry and JSON record by paper id, when made already (missing ones are made here).
    ``compressor``: where compressed members are kept and compressed (by default: none kept,
    compressed here).
    """
    ordered = sorted(model.papers, key=lambda p: p.id)
    keys = catalogue_keys(model)
    entries = entries or {}
    records = records or {}
    if any(p.id not in entries for p in ordered):
        entries = {**entries, **{p.id: bibtex(p, keys[p.id]) for p in ordered if p.id not in entries}}
    if any(p.id not in records for p in ordered):
        records = {**records, **{p.id: record(model, p, keys[p.id]) for p in ordered if p.id not in records}}

    def bib(papers: list[Paper]) -> str:
        return "\n".join(entries[p.id] for p in papers)

    def size(data: str | bytes) -> int:
        return len(data.encode("utf-8") if isinstance(data, str) else data)

    compressor = compressor or Compressor()
    whole = len(ordered)
    # The two big files first, so that they can be compressed while the others are joined.
    whole_bib = compressor.start(members([(p.id, entries[p.id]) for p in ordered], "\n"))
    head, tail = _json_ends(model, whole)
    whole_json = compressor.start(members([(p.id, records[p.id]) for p in ordered], ",\n", head, tail))
    later: list[Download] = []

    def later_file(path: str, data: str, label: str, papers: int) -> None:
        put(path, data)
        later.append(Download(path, label, papers, size(data)))

    by_year: dict[str, list[Paper]] = defaultdict(list)
    for paper in ordered:
        by_year[year_of(paper)].append(paper)
    for year in sorted(by_year, key=lambda y: (y == "undated", y), reverse=False):
        papers = by_year[year]
        label = "Undated" if year == "undated" else year
        later_file(f"{DOWNLOADS}/catalogue-{year}.bib", bib(papers), f"{label}, BibTeX", len(papers))
        year_records = [records[p.id] for p in papers]
        later_file(f"{DOWNLOADS}/catalogue-{year}.json", _json(model, year_records, year=year), f"{label}, JSON", len(papers))
    for topic in model.topics_used:
        papers = sorted(model.by_topic[topic.slug], key=lambda p: p.id)
        later_file(topic_bib_path(topic.slug), bib(papers), f"Topic: {topic.name}, BibTeX", len(papers))
    listed: list[Download] = []
    for path, made, label in (
        (f"{DOWNLOADS}/catalogue.bib.gz", whole_bib, "Whole catalogue, BibTeX (gzip)"),
        (f"{DOWNLOADS}/catalogue.json.gz", whole_json, "Whole catalogue, JSON (gzip)"),
    ):
        data = made()
        put(path, data)
        listed.append(Download(path, label, whole, len(data)))
    return listed + later


def feeds(model: SiteModel) -> dict[str, str]:
    """The Atom feeds: the newest papers of the catalogue, and of each topic."""
    files: dict[str, str] = {}
    newest = max((p.date for p in model.papers if p.date), default="2000-01-01")
    updated = dt.datetime.combine(dt.date.fromisoformat(newest), dt.time(), tzinfo=dt.UTC)

    def url_of(paper: Paper) -> str:
        return page_url(paper_path(paper))

    def day_of(paper: Paper) -> str | None:
        """The paper's date, or else the day its listing was first captured."""
        return paper.date or min((model.captured[s.file] for s in paper.sources if s.file in model.captured), default=None)

    channels: list[tuple[str | None, str, str, list[Paper], str]] = [
        (None, model.site_name, model.settings.description, model.papers, "")
    ]
    channels += [
        (t.slug, f"{model.site_name}: {t.name}", t.description, model.by_topic[t.slug], page_url(topic_path(t.slug)))
        for t in model.topics_used
    ]
    for slug, title, subtitle, papers, page in channels:
        files[feed_path(slug)] = atom_feed(
            papers, slug=slug, title=title, subtitle=subtitle, site_url=model.site_url, updated=updated,
            page_url=page, paper_url=url_of, day_of=day_of, author=model.site_name,
        ).decode("utf-8")
    return files

"""The files next to the pages: the catalogue as BibTeX and JSON, and the Atom feeds.

A catalogue of 100,000 papers is about 150 MB of BibTeX and 260 MB of JSON, so the whole
catalogue is written compressed (``downloads/catalogue.bib.gz``, ``downloads/catalogue.json.gz``;
gzip with no timestamp, so two builds write the same bytes) and uncompressed one year at a time
(``downloads/catalogue-2024.bib``, ``downloads/catalogue-undated.json``), plus one BibTeX file
per topic (``downloads/topic-llm.bib``). The Export page lists them with their sizes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass

from ..model import Paper
from .cite import base_key, bibliography
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


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _record(model: SiteModel, paper: Paper) -> dict[str, object]:
    record = paper.to_dict()
    assignment = model.assignments[paper.id]
    record["topics"] = {"primary": assignment.primary, "secondary": list(assignment.secondary)}
    record["page"] = page_url(paper_path(paper))
    record["citation_key"] = model.cite_keys.get(paper.id) or base_key(paper)
    record["related"] = list(model.related.get(paper.id, []))
    return record


def _json(model: SiteModel, records: list[dict[str, object]], **extra: object) -> str:
    catalogue = {"site": model.site_name, **extra, "papers": len(records), "records": records}
    return json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n"


def catalogue_files(model: SiteModel) -> tuple[dict[str, str | bytes], list[Download]]:
    """The catalogue's BibTeX and JSON files, and the list the Export page shows."""
    keys = dict(model.cite_keys) or None
    ordered = sorted(model.papers, key=lambda p: p.id)
    files: dict[str, str | bytes] = {}
    listed: list[Download] = []

    def add(path: str, data: str | bytes, label: str, papers: int) -> None:
        files[path] = data
        listed.append(Download(path, label, papers, len(data.encode("utf-8") if isinstance(data, str) else data)))

    records = [_record(model, p) for p in ordered]
    whole = len(ordered)
    add(f"{DOWNLOADS}/catalogue.bib.gz", _gzip(bibliography(ordered, keys)), "Whole catalogue, BibTeX (gzip)", whole)
    add(f"{DOWNLOADS}/catalogue.json.gz", _gzip(_json(model, records)), "Whole catalogue, JSON (gzip)", whole)
    by_year: dict[str, list[int]] = defaultdict(list)
    for index, paper in enumerate(ordered):
        by_year[year_of(paper)].append(index)
    for year in sorted(by_year, key=lambda y: (y == "undated", y), reverse=False):
        papers = [ordered[i] for i in by_year[year]]
        label = "Undated" if year == "undated" else year
        add(f"{DOWNLOADS}/catalogue-{year}.bib", bibliography(papers, keys), f"{label}, BibTeX", len(papers))
        year_records = [records[i] for i in by_year[year]]
        add(f"{DOWNLOADS}/catalogue-{year}.json", _json(model, year_records, year=year), f"{label}, JSON", len(papers))
    for topic in model.topics_used:
        papers = model.by_topic[topic.slug]
        add(topic_bib_path(topic.slug), bibliography(papers, keys), f"Topic: {topic.name}, BibTeX", len(papers))
    return files, listed


def feeds(model: SiteModel) -> dict[str, str]:
    """The Atom feeds: the newest papers of the catalogue, and of each topic."""
    files: dict[str, str] = {}
    newest = max((p.date for p in model.papers if p.date), default="2000-01-01")
    updated = dt.datetime.combine(dt.date.fromisoformat(newest), dt.time(), tzinfo=dt.UTC)

    def url_of(paper: Paper) -> str:
        return page_url(paper_path(paper))

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
            page_url=page, paper_url=url_of, author=model.site_name,
        ).decode("utf-8")
    return files

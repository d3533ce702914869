"""The files next to the pages: the catalogue as BibTeX and JSON, and the Atom feeds."""

from __future__ import annotations

import datetime as dt
import json

from ..model import Paper
from .cite import base_key, bibliography
from .feeds import atom_feed, feed_path
from .urls import Linker, page_url, paper_path, topic_path
from .view import SiteModel


def downloads(model: SiteModel, link: Linker) -> dict[str, str]:
    """The catalogue as BibTeX and JSON, and the Atom feeds, keyed by docs-relative path."""
    ordered = sorted(model.papers, key=lambda p: p.id)
    files: dict[str, str] = {"catalogue.bib": bibliography(ordered, dict(model.cite_keys) or None)}
    records = []
    for paper in ordered:
        record = paper.to_dict()
        assignment = model.assignments[paper.id]
        record["topics"] = {"primary": assignment.primary, "secondary": list(assignment.secondary)}
        record["page"] = page_url(paper_path(paper))
        record["citation_key"] = model.cite_keys.get(paper.id) or base_key(paper)
        record["related"] = list(model.related.get(paper.id, []))
        records.append(record)
    catalogue = {"site": model.site_name, "papers": len(records), "records": records}
    files["catalogue.json"] = json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n"
    newest = max((p.date for p in model.papers if p.date), default="2000-01-01")
    updated = dt.datetime.combine(dt.date.fromisoformat(newest), dt.time(), tzinfo=dt.UTC)

    def url_of(paper: Paper) -> str:
        return page_url(paper_path(paper))

    feeds: list[tuple[str | None, str, str, list[Paper], str]] = [
        (None, model.site_name, model.settings.description, model.papers, "")
    ]
    feeds += [
        (t.slug, f"{model.site_name}: {t.name}", t.description, model.by_topic[t.slug], page_url(topic_path(t.slug)))
        for t in model.topics_used
    ]
    for slug, title, subtitle, papers, page in feeds:
        files[feed_path(slug)] = atom_feed(
            papers, slug=slug, title=title, subtitle=subtitle, site_url=model.site_url, updated=updated,
            page_url=page, paper_url=url_of, author=model.site_name,
        ).decode("utf-8")
    return files

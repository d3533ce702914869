"""The view model: the catalogue grouped once for every page (by topic, by month), and the labels
pages print for dates and abstracts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ingest import IngestResult
from ..ingest.dates import MONTH_NAMES
from ..model import Paper
from ..topics import Taxonomy, Topic, TopicAssignment
from .settings import SiteSettings
from .urls import UNDATED, newest_months_first, period_of


def month_label(month: str) -> str:
    """``2024-07`` → ``July 2024``; ``2024`` (papers dated by their year only) → ``2024, month not given``."""
    if month == UNDATED:
        return "Undated"
    year, _, number = month.partition("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}" if number else f"{year}, month not given"


def month_short(month: str) -> str:
    """A month among its year's: ``Jul``; ``no month`` for the year's papers without one."""
    return MONTH_NAMES[int(month[5:7]) - 1][:3] if len(month) == 7 else "no month"


def date_label(paper: Paper) -> str:
    if not paper.date:
        return "undated"
    day = dt.date.fromisoformat(paper.date)
    if paper.date_precision == "year":
        return str(day.year)
    if paper.date_precision == "month":
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """Newest first; papers of the same date (and the undated ones) by title, A to Z."""
    by_title = sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    return sorted(by_title, key=lambda p: p.date or "", reverse=True)  # a stable sort: the titles stay in order


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Everything the pages show, grouped once; complete when built, never changed afterwards."""

    papers: list[Paper]
    by_id: dict[str, Paper]
    assignments: Mapping[str, TopicAssignment]
    taxonomy: Taxonomy
    topics_used: list[Topic]
    by_topic: dict[str, list[Paper]]  # primary and secondary membership, newest first
    by_month: dict[str, list[Paper]]  # "YYYY-MM", "YYYY" (dated by the year only) or "undated"
    ingest: IngestResult
    settings: SiteSettings
    site_name: str = "papercat"
    captured: Mapping[str, str] = field(default_factory=dict)  # listing file -> capture date
    related: Mapping[str, list[str]] = field(default_factory=dict)  # paper id -> related paper ids
    cite_keys: Mapping[str, str] = field(default_factory=dict)  # paper id -> BibTeX key
    site_url: str | None = None  # the published address, for feeds and canonical links
    whats_new: Mapping[str, Any] | None = None  # the latest build's changes (generator.site.changes), for the home page

    @classmethod
    def build(
        cls,
        result: IngestResult,
        assignments: Mapping[str, TopicAssignment],
        taxonomy: Taxonomy,
        settings: SiteSettings,
        *,
        site_name: str = "papercat",
        captured: Mapping[str, str] | None = None,
        related: Mapping[str, list[str]] | None = None,
        cite_keys: Mapping[str, str] | None = None,
        site_url: str | None = None,
        whats_new: Mapping[str, Any] | None = None,
    ) -> SiteModel:
        papers = _newest_first(result.papers)
        by_topic: dict[str, list[Paper]] = defaultdict(list)
        by_month: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            assignment = assignments[paper.id]
            for slug in (assignment.primary, *assignment.secondary):
                by_topic[slug].append(paper)
            by_month[period_of(paper)].append(paper)
        used = [t for t in taxonomy.topics if by_topic.get(t.slug)]
        return cls(
            papers, {p.id: p for p in papers}, assignments, taxonomy, used, dict(by_topic), dict(by_month), result,
            settings, site_name, dict(captured or {}), dict(related or {}), dict(cite_keys or {}), site_url or None,
            whats_new,
        )

    def listing_url(self, file: str) -> str | None:
        """The address a listing was captured from (``url:`` in sources.yml), if known."""
        meta = self.ingest.sources.get(file)
        return meta.url if meta is not None else None

    def topics_of(self, paper: Paper) -> list[Topic]:
        assignment = self.assignments[paper.id]
        return [self.taxonomy.topic(slug) for slug in (assignment.primary, *assignment.secondary)]

    @property
    def months(self) -> list[str]:
        """Dated months, newest first (with each year's papers without a month, ``YYYY``, after its months)."""
        return [m for m in newest_months_first(self.by_month) if m != UNDATED]

    @property
    def calendar_months(self) -> list[str]:
        """The ``YYYY-MM`` months of ``months``: those a paper's date names, not a year's papers without one."""
        return [m for m in self.months if len(m) == len("YYYY-MM")]

"""Atom feeds: the newest papers of the catalogue, and of each topic (written with ``feedgen``).

Feeds live at the site's root, ``feed.xml`` and ``feed-<topic>.xml``: Material's instant
navigation looks for a ``sitemap.xml`` next to every ``<link rel="alternate">`` of a page, and
only the root has one. With a ``site_url`` (mkdocs.yml, or
``papercat build --site-url``) entry links and ids are absolute URLs; without one the links are
relative to the feed (``papers/<id>/``) and ids are ``urn:papercat:`` names, so a feed is
valid either way. Every timestamp comes from the papers' dates, never from the clock, so two
builds of the same catalogue write the same bytes. An undated paper is stamped with the day its
listing was captured (``captured:`` in sources.yml), the day it was first seen; one with no such
day is left out of the feeds (it is on the site's pages), so no feed calls an old paper new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..model import Paper

FEED_SIZE = 50


def _timestamp(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)


def feed_path(slug: str | None) -> str:
    return f"feed-{slug}.xml" if slug else "feed.xml"


def atom_feed(
    papers: Sequence[Paper],
    *,
    slug: str | None,
    title: str,
    subtitle: str,
    site_url: str | None,
    updated: dt.datetime,
    page_url: str,
    paper_url: Callable[[Paper], str],
    day_of: Callable[[Paper], str | None],
    author: str = "papercat",
) -> bytes:
    """One Atom feed of the newest ``FEED_SIZE`` of ``papers`` that ``day_of`` dates (``papers`` in the catalogue's order)."""
    from feedgen.feed import FeedGenerator

    base = site_url.rstrip("/") + "/" if site_url else None
    path = feed_path(slug)
    generator = FeedGenerator()
    generator.id(base + path if base else f"urn:papercat:feed:{slug or 'all'}")
    generator.title(title)
    generator.subtitle(subtitle or title)
    generator.link(href=(base + path) if base else path, rel="self")
    generator.link(href=(base + page_url) if base else page_url or "./", rel="alternate")
    generator.author(name=author)
    generator.generator("papercat")
    generator.language("en")
    # Newest first by the day each is dated by: a paper dated by its listing's capture day takes its place
    # among the dated ones (the sort keeps the catalogue's order, A to Z, within a day).
    dated = sorted(((paper, day) for paper in papers if (day := day_of(paper))), key=lambda pair: pair[1], reverse=True)
    shown = [(paper, _timestamp(day)) for paper, day in dated[:FEED_SIZE]]
    generator.updated(max((stamp for _, stamp in shown), default=updated))
    for paper, stamp in shown:
        entry = generator.add_entry(order="append")
        url = paper_url(paper)
        entry.id(base + url if base else f"urn:papercat:paper:{paper.id}")
        entry.title(paper.title)
        entry.link(href=(base + url) if base else url, rel="alternate")
        entry.updated(stamp)
        if paper.date:
            entry.published(stamp)
        for name in paper.authors[:20]:
            entry.author(name=name)
        if paper.abstract:
            entry.summary(paper.abstract, type="text")
        if paper.venue:
            entry.category(term=paper.venue)
    feed: bytes = generator.atom_str(pretty=True)
    return feed

"""The catalogue's Markdown pages, rendered from ``site_config/templates/pages``.

Pure: takes papers and their topics, returns ``{docs-relative path: page text}``. Text from
listings only ever reaches a page through the template's autoescaping or ``rich_text`` (which
escapes everything but the LaTeX it renders), and it sits inside raw HTML blocks, where
Markdown, attribute lists and admonitions are not interpreted.
"""

from __future__ import annotations

import calendar
import html
import datetime as dt
import posixpath
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml

from ..ingest import IngestResult
from ..model import Paper
from ..topics import Taxonomy, Topic, TopicAssignment
from .charts import Series, horizontal_bars, stacked_columns
from .cite import base_key, bibliography, bibtex_entry
from .feeds import atom_feed, feed_path
from .settings import SiteSettings
from .text import escape, md_text, plain_text, rich_text

UNDATED = "undated"


def page_url(path: str, *, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs-relative Markdown path (``papers/x.md`` → ``papers/x/``)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class Linker:
    """Relative links between pages, so the site works from any sub-path and from a plain file server."""

    def __init__(self, *, directory_urls: bool) -> None:
        self.directory_urls = directory_urls

    def __call__(self, from_path: str, to_path: str) -> str:
        source = page_url(from_path, directory_urls=self.directory_urls)
        # A Markdown page links to its URL; any other file (catalogue.bib, feeds/all.xml) to itself.
        target = page_url(to_path, directory_urls=self.directory_urls) if to_path.endswith(".md") else to_path
        base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
        if not self.directory_urls:
            base = posixpath.dirname(source) + "/" if "/" in source else ""
        rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        if target.endswith("/") and not rel.endswith("/"):
            rel += "/"
        if target == "" and self.directory_urls:
            rel = rel if rel.endswith("/") else rel + "/"
        return "./" if rel in (".", "./") else rel


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def date_label(paper: Paper) -> str:
    if not paper.date:
        return "undated"
    day = dt.date.fromisoformat(paper.date)
    if paper.date_precision == "year":
        return str(day.year)
    if paper.date_precision == "month":
        return f"{calendar.month_name[day.month]} {day.year}"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def snippet(text: str, limit: int) -> str:
    """The abstract's opening, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + " …"


def _newest_first(papers: Sequence[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.date or "", p.title.casefold(), p.id), reverse=True)


@dataclass(slots=True)
class SiteModel:
    """Everything the pages show, grouped once."""

    papers: list[Paper]
    by_id: dict[str, Paper]
    assignments: Mapping[str, TopicAssignment]
    taxonomy: Taxonomy
    topics_used: list[Topic]
    by_topic: dict[str, list[Paper]]  # primary and secondary membership, newest first
    by_month: dict[str, list[Paper]]  # "YYYY-MM" or "undated"
    ingest: IngestResult
    settings: SiteSettings
    site_name: str = "papercat"
    captured: Mapping[str, str] = field(default_factory=dict)  # listing file -> capture date
    related: Mapping[str, list[str]] = field(default_factory=dict)  # paper id -> related paper ids
    cite_keys: Mapping[str, str] = field(default_factory=dict)  # paper id -> BibTeX key
    site_url: str | None = None  # the published address, for feeds and canonical links

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
    ) -> SiteModel:
        papers = _newest_first(result.papers)
        by_topic: dict[str, list[Paper]] = defaultdict(list)
        by_month: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            assignment = assignments[paper.id]
            for slug in (assignment.primary, *assignment.secondary):
                by_topic[slug].append(paper)
            by_month[paper.month or UNDATED].append(paper)
        used = [t for t in taxonomy.topics if by_topic.get(t.slug)]
        return cls(
            papers, {p.id: p for p in papers}, assignments, taxonomy, used, dict(by_topic), dict(by_month), result,
            settings, site_name, dict(captured or {}),
        )

    def topics_of(self, paper: Paper) -> list[Topic]:
        assignment = self.assignments[paper.id]
        return [self.taxonomy.get(slug) for slug in (assignment.primary, *assignment.secondary)]

    @property
    def months(self) -> list[str]:
        """Dated months, newest first."""
        return sorted((m for m in self.by_month if m != UNDATED), reverse=True)


def paper_path(paper: Paper) -> str:
    return f"papers/{paper.id}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def month_path(month: str) -> str:
    return f"months/{month}.md"


def _paper_boost(paper: Paper) -> float:
    """Search boost of a paper page: above listing pages, and a little more for shorter titles.

    Material makes every typed word a prefix query, so a longer title that holds the same words
    (and more words they prefix) outscores the paper whose exact title was typed; the small
    bonus for a short title lets the exact match win those ties.
    """
    words = max(1, len(paper.title.split()))
    return round(4 + 12 / words, 2)


def theme_text(text: str) -> str:
    """Text for a front-matter value the theme prints without escaping (``title``, ``description``).

    Material puts these into ``<title>``, headings and double-quoted attributes as they are, so
    ``<``, ``>``, ``&`` and ``"`` become entities. An apostrophe stays one: no theme attribute is
    single-quoted, and search then finds "Don't" as typed.
    """
    return html.escape(text, quote=False).replace('"', "&quot;")


# libyaml's emitter when PyYAML has it (the same safe subset, about ten times faster).
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(data: dict[str, object]) -> str:
    """YAML front matter that any text survives: the safe dumper quotes what YAML would misread."""
    dumped = yaml.dump(
        data, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=2**31 - 1, default_flow_style=False
    )
    return f"---\n{dumped}---\n"


class PageRenderer:
    """Renders every page of the catalogue from the Jinja templates in ``site_config/templates/pages``."""

    def __init__(self, template_dir: Path, *, directory_urls: bool = True) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(template_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.link = Linker(directory_urls=directory_urls)
        self.env.filters.update(rich=rich_text, md=md_text, month_label=month_label, date_label=date_label)
        self.env.globals.update(escape=escape)

    def _render(self, name: str, path: str, model: SiteModel, **context: object) -> str:
        template = self.env.get_template(name)

        def link(to: str) -> str:
            return self.link(path, to)

        return template.render(
            model=model,
            link=link,
            paper_path=paper_path,
            topic_path=topic_path,
            month_path=month_path,
            feed_path=feed_path,
            snippet=lambda p: snippet(p.abstract, model.settings.snippet_chars),
            topics_of=model.topics_of,
            **context,
        )

    def paper_page(self, model: SiteModel, paper: Paper) -> str:
        path = paper_path(paper)
        assignment = model.assignments[paper.id]
        meta = front_matter(
            {
                "title": theme_text(plain_text(paper.title)),
                "description": theme_text(snippet(plain_text(paper.abstract), 200)),
                "search": {"boost": _paper_boost(paper)},
                "hide": ["navigation", "toc"],
                "paper": paper.to_dict(),
            }
        )
        related = [model.by_id[i] for i in model.related.get(paper.id, []) if i in model.by_id]
        key = model.cite_keys.get(paper.id) or base_key(paper)
        body = self._render(
            "paper.md.j2", path, model, paper=paper, assignment=assignment, related=related, bibtex=bibtex_entry(paper, key)
        )
        return meta + "\n" + body

    def topic_page(self, model: SiteModel, topic: Topic) -> str:
        path = topic_path(topic.slug)
        papers = model.by_topic[topic.slug]
        groups: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            groups[paper.month or UNDATED].append(paper)
        months = sorted((m for m in groups if m != UNDATED), reverse=True) + ([UNDATED] if UNDATED in groups else [])
        # Above papers (4): typing a topic's name finds its page before papers that merely use the words.
        meta = front_matter({"title": theme_text(topic.name), "search": {"boost": 16}, "feed": feed_path(topic.slug)})
        body = self._render("topic.md.j2", path, model, topic=topic, papers=papers, months=months, groups=groups)
        return meta + "\n" + body

    def month_page(self, model: SiteModel, month: str) -> str:
        path = month_path(month)
        papers = model.by_month[month]
        groups: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            groups[model.assignments[paper.id].primary].append(paper)
        topics = [t for t in model.taxonomy.topics if t.slug in groups]
        title = "Undated papers" if month == UNDATED else month_label(month)
        meta = front_matter({"title": title, "search": {"boost": 0.5}})
        body = self._render("month.md.j2", path, model, month=month, title=title, papers=papers, topics=topics, groups=groups)
        return meta + "\n" + body

    def pages(self, model: SiteModel) -> dict[str, str]:
        """Every page of the site, keyed by docs-relative path."""
        pages: dict[str, str] = {}
        years: dict[str, list[str]] = defaultdict(list)
        for month in model.months:
            years[month[:4]].append(month)
        listings = Counter(s.file for p in model.papers for s in p.sources)
        year_counts = {year: sum(len(model.by_month[m]) for m in months) for year, months in years.items()}
        common = {"years": dict(years), "year_counts": year_counts, "listings": listings}
        pages["index.md"] = self._render("home.md.j2", "index.md", model, **common)
        pages["about.md"] = self._render("about.md.j2", "about.md", model, **common)
        pages["topics/index.md"] = self._render("topics.md.j2", "topics/index.md", model, **common)
        pages["months/index.md"] = self._render("months.md.j2", "months/index.md", model, **common)
        for topic in model.topics_used:
            pages[topic_path(topic.slug)] = self.topic_page(model, topic)
        for month in [*model.months, *([UNDATED] if UNDATED in model.by_month else [])]:
            pages[month_path(month)] = self.month_page(model, month)
        for paper in model.papers:
            pages[paper_path(paper)] = self.paper_page(model, paper)
        pages["stats.md"] = self._render("stats.md.j2", "stats.md", model, charts=stats_charts(model, listings), **common)
        pages.update(downloads(model, self.link))
        return pages


def stats_charts(model: SiteModel, listings: Mapping[str, int]) -> dict[str, str]:
    """The stats page's charts as inline SVG: papers per month by primary topic, per topic, per listing."""
    months = sorted(model.months)
    series = [Series(t.slug, t.name) for t in model.topics_used]
    values: dict[tuple[str, str], int] = Counter()
    for paper in model.papers:
        if paper.month:
            values[(paper.month, model.assignments[paper.id].primary)] += 1
    per_topic = sorted(((t.name, len(model.by_topic[t.slug])) for t in model.topics_used), key=lambda r: (-r[1], r[0]))
    per_listing = sorted(listings.items(), key=lambda r: (-r[1], r[0]))
    return {
        "months": stacked_columns(
            "pc-chart-months", "Papers per month, by primary topic", months, [_short_month(m) for m in months], series, values
        ),
        "topics": horizontal_bars("pc-chart-topics", "Papers per topic (primary and secondary)", per_topic),
        "listings": horizontal_bars("pc-chart-listings", "Papers per listing", per_listing, colour_by_row=False),
    }


def _short_month(month: str) -> str:
    """``2024-07`` → ``Jul 2024``: short enough for a column label."""
    return f"{calendar.month_abbr[int(month[5:7])]} {month[:4]}"


def downloads(model: SiteModel, link: Linker) -> dict[str, str]:
    """The files next to the pages: the catalogue as BibTeX and JSON, and the Atom feeds."""
    import json

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
    updated = dt.datetime.combine(dt.date.fromisoformat(newest), dt.time(), tzinfo=dt.timezone.utc)

    def url_of(paper: Paper) -> str:
        return page_url(paper_path(paper))

    feeds = [(None, model.site_name, model.settings.description, model.papers, "")]
    feeds += [(t.slug, f"{model.site_name}: {t.name}", t.description, model.by_topic[t.slug], page_url(topic_path(t.slug))) for t in model.topics_used]
    for slug, title, subtitle, papers, page in feeds:
        files[feed_path(slug)] = atom_feed(
            papers, slug=slug, title=title, subtitle=subtitle, site_url=model.site_url, updated=updated,
            page_url=page, paper_url=url_of, author=model.site_name,
        ).decode("utf-8")
    return files

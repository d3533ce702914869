"""The catalogue's Markdown pages, rendered from ``site_config/templates/pages``.

Pure: takes the view model, returns ``{docs-relative path: page text}``. Text from listings
only ever reaches a page through the template's autoescaping or ``rich_text`` (which escapes
everything but the LaTeX it renders), and it sits inside raw HTML blocks, where Markdown,
attribute lists and admonitions are not interpreted. Where pages live is ``urls``, what they
show is ``view``, the files next to them (BibTeX, JSON, feeds) are ``exports``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2
import yaml

from ..ingest.dates import MONTH_NAMES
from ..model import Paper
from ..text import as_meta, snippet, theme_text
from ..topics import Topic
from .charts import Series, horizontal_bars, stacked_columns
from .cite import base_key, bibtex_entry
from .feeds import feed_path
from .text import escape, md_text, rich_text
from .urls import UNDATED, Linker, month_path, newest_months_first, paper_path, topic_path
from .view import SiteModel, date_label, month_label

__all__ = ["PageRenderer", "stats_charts"]


def _paper_boost(paper: Paper) -> float:
    """Search boost of a paper page: above listing pages, and a little more for shorter titles.

    Material makes every typed word a prefix query, so a longer title that holds the same words
    (and more words they prefix) outscores the paper whose exact title was typed; the small
    bonus for a short title lets the exact match win those ties.
    """
    words = max(1, len(paper.title.split()))
    return round(4 + 12 / words, 2)


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

    def __init__(self, template_dirs: Path | Sequence[Path], *, directory_urls: bool = True) -> None:
        """``template_dirs``: where templates are looked up, in order (a project's own folder first)."""
        dirs = [template_dirs] if isinstance(template_dirs, Path) else list(template_dirs)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
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
                "title": as_meta(paper.title),
                "description": as_meta(paper.abstract, 200),
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
        months = newest_months_first(groups)
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
        for month in newest_months_first(model.by_month):
            pages[month_path(month)] = self.month_page(model, month)
        for paper in model.papers:
            pages[paper_path(paper)] = self.paper_page(model, paper)
        pages["stats.md"] = self._render("stats.md.j2", "stats.md", model, charts=stats_charts(model, listings), **common)
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
    return f"{MONTH_NAMES[int(month[5:7]) - 1][:3]} {month[:4]}"

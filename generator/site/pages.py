"""The catalogue's Markdown pages, rendered from ``site_config/templates/pages``.

Pure: takes the view model, returns ``{docs-relative path: page text}``. Text from listings
only ever reaches a page through the template's autoescaping or ``rich_text`` (which escapes
everything but the LaTeX it renders), and it sits inside raw HTML blocks, where Markdown,
attribute lists and admonitions are not interpreted. Where pages live is ``urls``, what they
show is ``view``, the files next to them (BibTeX, JSON, feeds) are ``exports``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import yaml

from ..ingest.dates import MONTH_NAMES
from ..model import Paper
from ..text import as_meta, snippet, theme_text
from ..topics import Topic
from .charts import Series, horizontal_bars, stacked_columns
from .cite import base_key, bibtex_entry
from .exports import catalogue_files, feeds, topic_bib_path
from .feeds import feed_path
from .fragments import PLACEHOLDER
from .page_cache import PageCache, PaperKeys, chunks
from .text import escape, md_text, plain_text, rich_text
from .urls import UNDATED, Linker, month_path, newest_months_first, page_url, paper_path, rows_path, topic_path
from .view import SiteModel, date_label, month_label

__all__ = ["PageRenderer", "stats_charts"]




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
            topic_bib_path=topic_bib_path,
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
                "hide": ["navigation", "toc"],
                "paper": paper.to_dict(),
            }
        )
        key = model.cite_keys.get(paper.id) or base_key(paper)
        body = self._render(
            "paper.md.j2", path, model, paper=paper, assignment=assignment, bibtex=bibtex_entry(paper, key, abstract=False),
            related_block=markupsafe.Markup(PLACEHOLDER),
        )
        return meta + "\n" + body

    def related_fragment(self, model: SiteModel, paper: Paper) -> str:
        """The HTML of a paper page's related papers, put into the rendered page (``generator.site.fragments``)."""
        related = [model.by_id[i] for i in model.related.get(paper.id, []) if i in model.by_id]
        return self._render("related.html.j2", paper_path(paper), model, paper=paper, related=related)

    def _listing(
        self,
        model: SiteModel,
        template: str,
        path_of: Callable[[int], str],
        listing_title: str,
        ordered: list[Paper],
        key: Callable[[Paper], str],
        meta: dict[str, object],
        **context: object,
    ) -> dict[str, str]:
        """A listing split into pages of ``papers_per_page``, grouped by ``key`` on every page.

        ``ordered`` holds the papers group by group; each page shows its slice under the headings
        of the groups it holds (a group cut by a page break is marked as continued). A listing of
        more than one page also gets ``rows.json``: one compact row per paper, which the filter
        loads to search the whole listing rather than the page shown.
        """
        size = model.settings.papers_per_page
        count = max(1, -(-len(ordered) // size))
        files: dict[str, str] = {}
        first = path_of(1)
        rows = rows_path(first) if count > 1 else None
        seen: set[str] = set()
        topic_names = json.dumps([[t.slug, t.name] for t in model.topics_used], ensure_ascii=False)
        # The years of the whole listing, newest first, for the filter: worked out once, not on each of its pages.
        listing_years = " ".join(str(y) for y in sorted({p.year for p in ordered if p.year is not None}, reverse=True))
        for number in range(1, count + 1):
            path = path_of(number)
            chunk = ordered[(number - 1) * size : number * size]
            groups: dict[str, list[Paper]] = {}
            for paper in chunk:
                groups.setdefault(key(paper), []).append(paper)
            continued = {g for g in groups if g in seen}
            seen.update(groups)
            pager = Pager.of(number, count, path_of)
            page_title = listing_title if number == 1 else f"{listing_title}, page {number} of {count}"
            head = front_matter({**meta, "title": theme_text(page_title)})
            body = self._render(
                template, path, model, papers=ordered, order=list(groups), groups=groups, continued=continued,
                pager=pager, rows_file=rows, topic_names=topic_names, listing_years=listing_years,
                first_shown=(number - 1) * size + 1, last_shown=(number - 1) * size + len(chunk),
                **context,
            )
            files[path] = head + "\n" + body
        if rows is not None:
            files[rows] = listing_rows(model, ordered, rows, directory_urls=self.link.directory_urls)
        return files

    def topic_pages(self, model: SiteModel, topic: Topic) -> dict[str, str]:
        papers = model.by_topic[topic.slug]
        groups: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            groups[paper.month or UNDATED].append(paper)
        months = newest_months_first(groups)
        ordered = [paper for month in months for paper in groups[month]]
        return self._listing(
            model, "topic.md.j2", lambda n: topic_path(topic.slug, n), topic.name, ordered,
            lambda p: p.month or UNDATED, {"feed": feed_path(topic.slug)}, topic=topic,
        )

    def month_pages(self, model: SiteModel, month: str) -> dict[str, str]:
        papers = model.by_month[month]
        groups: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            groups[model.assignments[paper.id].primary].append(paper)
        ordered = [paper for t in model.taxonomy.topics for paper in groups.get(t.slug, [])]
        title = "Undated papers" if month == UNDATED else month_label(month)
        return self._listing(
            model, "month.md.j2", lambda n: month_path(month, n), title, ordered,
            lambda p: model.assignments[p.id].primary, {}, month=month, title=title,
        )

    def topic_page(self, model: SiteModel, topic: Topic) -> str:
        """The first page of a topic."""
        return self.topic_pages(model, topic)[topic_path(topic.slug)]

    def month_page(self, model: SiteModel, month: str) -> str:
        """The first page of a month."""
        return self.month_pages(model, month)[month_path(month)]

    def pages(self, model: SiteModel, cache: tuple[PageCache, PaperKeys] | None = None) -> dict[str, str | bytes]:
        """Every page of the site and the files next to them, keyed by docs-relative path.

        With a ``cache``, a paper page rendered by an earlier build from the same inputs is taken from it.
        """
        pages: dict[str, str | bytes] = {}
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
        pages["search.md"] = self._render("search.md.j2", "search.md", model, **common)
        for topic in model.topics_used:
            pages.update(self.topic_pages(model, topic))
        for month in newest_months_first(model.by_month):
            pages.update(self.month_pages(model, month))
        if cache is None:
            for paper in model.papers:
                pages[paper_path(paper)] = self.paper_page(model, paper)
        else:  # in batches: look the pages up, render the rest
            cache_of, keys = cache
            for batch in chunks(model.papers):
                wanted = [keys.key(paper, model.cite_keys.get(paper.id) or base_key(paper)) for paper in batch]
                found = cache_of.lookup(wanted)
                for paper, key in zip(batch, wanted, strict=True):
                    text = found.get(key)
                    if text is None:
                        text = self.paper_page(model, paper)
                        cache_of.add(key, text)
                    pages[paper_path(paper)] = text
        pages["stats.md"] = self._render("stats.md.j2", "stats.md", model, charts=stats_charts(model, listings), **common)
        files, listed = catalogue_files(model)
        pages["export.md"] = self._render("export.md.j2", "export.md", model, downloads=listed, size_label=size_label, **common)
        pages.update(files)
        pages.update(feeds(model))
        return pages


@dataclass(frozen=True, slots=True)
class Pager:
    """Links between the pages of one listing: previous, next, and page numbers around the current one."""

    number: int
    count: int
    prev: str | None
    next: str | None
    items: list[tuple[int, str] | None]  # (page number, path); None is a gap

    @classmethod
    def of(cls, number: int, count: int, path_of: Callable[[int], str]) -> Pager:
        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        items: list[tuple[int, str] | None] = []
        for n in shown:
            if items and items[-1] is not None and n - items[-1][0] > 1:
                items.append(None)
            items.append((n, path_of(n)))
        return cls(
            number, count, path_of(number - 1) if number > 1 else None, path_of(number + 1) if number < count else None, items
        )


def size_label(size: int) -> str:
    """``1234567`` → ``1.2 MB``: a file size as the Export page shows it."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000:
            return f"{value:.1f} {unit}"
    return f"{value:.1f} TB"


def listing_rows(model: SiteModel, papers: list[Paper], rows_file: str, *, directory_urls: bool) -> str:
    """The compact rows of a whole listing for its filter: page URL, title, date, year, topics."""
    depth = rows_file.count("/")
    topics = {t.slug: t.name for t in model.topics_used}
    data = {
        "root": "../" * depth,
        "topics": topics,
        "fields": ["url", "title", "date", "year", "topics"],
        "rows": [
            [
                page_url(paper_path(p), directory_urls=directory_urls), plain_text(p.title), date_label(p),
                p.year or "", " ".join(t.slug for t in model.topics_of(p)),
            ]
            for p in papers
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


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

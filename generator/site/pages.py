"""The catalogue's Markdown pages, rendered from ``site_config/templates/pages``.

Pure: takes the view model, returns ``{docs-relative path: page text}``. Text from listings
only ever reaches a page through the template's autoescaping or ``rich_text`` (which escapes
everything but the LaTeX it renders), and it sits inside raw HTML blocks, where Markdown,
attribute lists and admonitions are not interpreted. Where pages live is ``urls``, what they
show is ``view``, the files next to them (BibTeX, JSON, feeds) are ``exports``.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import json
import multiprocessing
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import yaml
from markupsafe import Markup

from ..ingest.dates import MONTH_NAMES
from ..language import paper_language, title_follows_text
from ..model import Paper
from ..parallel import ForkedCall, can_fork, process_pool
from ..text import as_meta, snippet, theme_text
from ..topics import Topic
from .charts import Series, horizontal_bars, stacked_columns
from .cite import base_key, bibtex_entry
from .exports import Compressor, Download, bibtex, catalogue_keys, feeds, record, topic_bib_path, write_catalogue_files
from .feeds import feed_path
from .fragments import PLACEHOLDER
from .page_cache import (
    LISTING_MODEL_ATTRIBUTES,
    PageCache,
    PaperKeys,
    listing_key,
    template_reads_only,
    template_reads_only_its_paper,
)
from .rows import ROW_MACRO, ROW_TEMPLATE, Row, RowRenderer, row_reads_only_its_paper
from .spool import Spool, SpoolWriter
from .text import escape, md_text, plain_text, rich_text
from .urls import (
    UNDATED,
    Linker,
    choices_path,
    month_path,
    newest_months_first,
    page_url,
    paper_path,
    period_of,
    rows_path,
    topic_path,
)
from .view import SiteModel, date_label, month_label, month_short

__all__ = ["PageRenderer", "stats_charts"]

T = TypeVar("T")
ListingPart = tuple[dict[str, str], dict[str, tuple[str, bool]]]  # a listing task's pages, and their page cache keys
_LOOKUP_BATCH = 2000  # papers looked up in the page cache at a time

# libyaml's emitter when PyYAML has it (the same safe subset, about ten times faster).
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(data: dict[str, object]) -> str:
    """YAML front matter that any text survives: the safe dumper quotes what YAML would misread."""
    dumped = yaml.dump(
        data, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=2**31 - 1, default_flow_style=False
    )
    return f"---\n{dumped}---\n"


@dataclass(slots=True)
class PaperWork:
    """What is made from one paper: its page and its listing row (None: not asked for)."""

    page: str | None = None
    row: Row | None = None  # None when asked for: the row is rendered on each page it is listed on


def template_runtime_error(err: Exception) -> jinja2.TemplateRuntimeError:
    """An error a template's code raised, as a template error that names the template and the line.

    Jinja rewrites the traceback of an error out of a template so that its frames carry the template's
    file and line; the innermost one is where the mistake is. Read here, where the traceback is (a
    worker process sends back only the error).
    """
    error = jinja2.TemplateRuntimeError(f"{type(err).__name__}: {err}")
    for frame, line in traceback.walk_tb(err.__traceback__):
        if not frame.f_code.co_filename.endswith(".py") and Path(frame.f_code.co_filename).is_file():
            error.filename, error.lineno = frame.f_code.co_filename, line  # type: ignore[attr-defined]
    return error


def _lang_attribute(paper: Paper, field: str = "abstract") -> Markup:
    """`` lang="de"`` for the element of a paper's title or abstract when it is in another language than the site's.

    A title in a script of its own (an Arabic title above an English abstract) is told by itself; otherwise a
    short title is in the language of the paper's text.
    """
    language = paper_language(paper.title, paper.abstract)
    if field == "title":
        language = paper_language(paper.title, "") or (language if title_follows_text(paper.title, language) else None)
    return Markup(f' lang="{language}"') if language else Markup("")


class PageRenderer:
    """Renders every page of the catalogue from the Jinja templates in ``site_config/templates/pages``."""

    min_parallel = 400  # fewer papers to render than this are rendered in this process
    batch = 100  # papers per task sent to a rendering process
    listing_batch = 6  # listing pages per task sent to a rendering process

    def __init__(
        self, template_dirs: Path | Sequence[Path], *, directory_urls: bool = True, jobs: int = 1,
        compiled: jinja2.BytecodeCache | None = None,
    ) -> None:
        """``template_dirs``: where templates are looked up, in order (a project's own folder first).

        ``jobs``: processes that render the paper pages, listing rows and download entries (1: this process).
        ``compiled``: where compiled templates are kept between builds (``page_cache.compiled_templates``).
        """
        dirs = [template_dirs] if isinstance(template_dirs, Path) else list(template_dirs)
        self.template_dirs = dirs
        self.jobs = max(1, jobs)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled,
        )
        self.link = Linker(directory_urls=directory_urls)
        self.env.filters.update(
            rich=rich_text, md=md_text, month_label=month_label, month_short=month_short, date_label=date_label,
            reader_kind=_reader_kind, lang=_lang_attribute,
        )
        self.env.globals.update(escape=escape)
        self._rows_pure: bool | None = None
        self._rows: dict[str, Row | None] = {}  # paper id -> its row with marked links, for ``_rows_model``
        self._rows_model: SiteModel | None = None
        self._row_renderer: RowRenderer | None = None
        self._cells: dict[str, list[object]] = {}  # paper id -> its row in the listings' rows.json, for ``_rows_model``
        self._store: PageCache | None = None  # the page cache of the build under way
        self._keys: PaperKeys | None = None  # and the keys of what is made from each paper
        self._listings_pure: bool | None = None
        # What every task of a listing needs of the whole listing, worked out once per listing and process.
        self._orders: dict[tuple[str, str], tuple[list[Paper], list[str]]] = {}
        self._orders_model: SiteModel | None = None

    def _order(self, model: SiteModel, kind: str, name: str, make: Callable[[], list[Paper]]) -> tuple[list[Paper], list[str]]:
        """A listing's papers in their order (``make``) and its years, newest first, then "undated" if a paper has none."""
        if self._orders_model is not model:
            self._orders, self._orders_model = {}, model
        found = self._orders.get((kind, name))
        if found is None:
            ordered = make()
            years = {p.year for p in ordered}
            year_list = [str(y) for y in sorted((y for y in years if y is not None), reverse=True)] + (["undated"] if None in years else [])
            found = self._orders[(kind, name)] = (ordered, year_list)
        return found

    def _context(self, path: str, model: SiteModel, **context: object) -> dict[str, Any]:
        def link(to: str) -> str:
            return self.link(path, to)

        return dict(
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

    def _render(self, name: str, path: str, model: SiteModel, **context: object) -> str:
        values = self._context(path, model, **context)
        if self.rows_pure:
            values["listing_row"] = self._placer(model, path, values)
        try:
            return self.env.get_template(name).render(values)
        except jinja2.TemplateError:
            raise
        except Exception as err:  # {{ 1/0 }}, a filter given the wrong value: the template's mistake, named with its line
            raise template_runtime_error(err) from err

    # --- listing rows ---------------------------------------------------------------------

    @property
    def rows_pure(self) -> bool:
        """Whether ``_row.j2``'s row shows only its paper, so that it is rendered once and placed on every page."""
        if self._rows_pure is None:
            self._rows_pure = row_reads_only_its_paper(self.env)
        return self._rows_pure

    def _rows_of(self, model: SiteModel) -> dict[str, Row | None]:
        if self._rows_model is not model:
            self._rows, self._cells, self._rows_model, self._row_renderer = {}, {}, model, None
        return self._rows

    def row(self, model: SiteModel, paper: Paper) -> Row | None:
        """The paper's row with its links marked (None: it is rendered on each page)."""
        if self._row_renderer is None or self._rows_model is not model:
            self._rows_of(model)
            self._row_renderer = RowRenderer(self.env, self._context("index.md", model))
        return self._row_renderer.render(paper)

    def _placer(self, model: SiteModel, path: str, values: dict[str, Any]) -> Callable[[Paper], Markup]:
        """``listing_row(paper)`` for the page at ``path``: the paper's row with links from that page."""
        rows = self._rows_of(model)
        linker = self.link
        direct: list[Any] = []

        def link(target: str) -> str:
            return linker(path, target)

        def listing_row(paper: Paper) -> Markup:
            if paper.id in rows:
                row = rows[paper.id]
            else:
                row = rows[paper.id] = self.row(model, paper)
            if row is not None:
                return row.place(link)
            if not direct:  # the row as the page itself would render it
                direct.append(getattr(self.env.get_template(ROW_TEMPLATE).make_module(values), ROW_MACRO))
            return Markup(direct[0](paper))

        return listing_row

    # --- pages ------------------------------------------------------------------------------

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
            related_block=Markup(PLACEHOLDER),
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
        order: tuple[list[Paper], list[str]],
        key: Callable[[Paper], str],
        meta: dict[str, object],
        numbers: range | None = None,
        keyed: dict[str, tuple[str, bool]] | None = None,
        **context: object,
    ) -> dict[str, str]:
        """A listing split into pages of ``papers_per_page`` (see ``page_split``), grouped by ``key`` on every page.

        ``numbers``: the pages to render (by default all); ``rows.json`` comes with the last one.
        ``keyed``: where to note each page's key in the page cache and whether it was taken from
        there (the pages are looked up only when it is given).

        ``order`` holds the papers group by group and the listing's years (``_order``); each page
        shows its slice under the headings of the groups it holds (a group cut by a page break is
        marked as continued). Only the pages asked for are worked out, so the tasks of a long
        listing take time in proportion to their own pages, not to the whole listing. A listing of
        more than one page also gets ``rows.json``: one compact row per paper, which the filter
        loads to search the whole listing rather than the page shown, and ``choices.json``, the
        years and topics the filter offers.

        The first page's template is given the whole listing (``papers``), the years and topics
        the filter offers (``listing_years``, ``topic_names``) and the papers it shows
        (``first_shown`` to ``last_shown``, counted from 1). The later pages are given only what
        they show (their groups, the pager, the listing's files): a daily listing's new papers
        change the first page, and the later ones stay the same page, taken from the page cache
        and not rendered again by MkDocs.
        """
        ordered, year_list = order
        size = model.settings.papers_per_page
        count, first_size = page_split(len(ordered), size)
        files: dict[str, str] = {}
        first = path_of(1)
        rows = rows_path(first) if count > 1 else None
        choices = choices_path(first) if count > 1 else None
        names = [[t.slug, t.name] for t in model.topics_used]
        topic_names = json.dumps(names, ensure_ascii=False)
        listing_years = " ".join(year_list)
        wanted: list[tuple[str, str, dict[str, Any]]] = []  # (path, front matter, what the template is given)
        for number in numbers if numbers is not None else range(1, count + 1):
            path = path_of(number)
            start = 0 if number == 1 else first_size + (number - 2) * size
            chunk = ordered[start : first_size if number == 1 else start + size]
            groups: dict[str, list[Paper]] = {}
            for paper in chunk:
                groups.setdefault(key(paper), []).append(paper)
            # The papers come group by group: only a page's first group can have begun on an earlier page.
            continued = {key(chunk[0])} if start > 0 and chunk and key(ordered[start - 1]) == key(chunk[0]) else set()
            page_title = listing_title if number == 1 else f"{listing_title}, page {number} of {count}"
            values: dict[str, Any] = dict(
                order=list(groups), groups=groups, continued=continued, pager=Pager.of(number, count, path_of),
                rows_file=rows, choices_file=choices, **context,
            )
            if number == 1:  # what changes with every new paper: the later pages are not given it (see above)
                values.update(papers=ordered, topic_names=topic_names, listing_years=listing_years, first_shown=1,
                              last_shown=len(chunk))
            wanted.append((path, front_matter({**meta, "title": theme_text(page_title)}), values))
        found: dict[str, str] = {}
        page_keys: dict[str, str] = {}
        if keyed is not None and self._store is not None and self._keys is not None and self.listings_pure:
            page_keys = {
                path: self._listing_key(template, path, head, len(values["papers"]) if "papers" in values else None, values)
                for path, head, values in wanted
            }
            found = self._store.lookup(list(page_keys.values()), count=False)
        for path, head, values in wanted:
            page_key = page_keys.get(path)
            text = found.get(page_key) if page_key is not None else None
            if text is None:
                text = head + "\n" + self._render(template, path, model, **values)
            files[path] = text
            if keyed is not None and page_key is not None:
                keyed[path] = (page_key, page_key in found)
        if choices is not None and (numbers is None or 1 in numbers):  # changes when the first page does
            files[choices] = json.dumps({"years": year_list, "topics": names}, ensure_ascii=False, separators=(",", ":"))
        if rows is not None and (numbers is None or count in numbers):
            self._rows_of(model)
            files[rows] = listing_rows(model, ordered, rows, directory_urls=self.link.directory_urls, cells=self._cells)
        return files

    @property
    def listings_pure(self) -> bool:
        """Whether a topic or month page shows only what its cache key covers (see ``_listing_key``)."""
        if self._listings_pure is None:
            self._listings_pure = self.rows_pure and all(
                template_reads_only(self.env, name, LISTING_MODEL_ATTRIBUTES, frozenset({"papers"}))
                for name in ("topic.md.j2", "month.md.j2")
            )
        return self._listings_pure

    def _listing_key(self, template: str, path: str, head: str, total: int | None, values: Mapping[str, Any]) -> str:
        """The key of a listing page in the page cache: everything its template is given.

        Each paper on the page counts by its row's key (the paper and its topics); the whole
        listing, only by its length, the one thing ``listings_pure`` lets the template read of it.
        """
        assert self._keys is not None
        keys = self._keys
        groups = tuple((name, tuple(keys.row_key(p) for p in papers)) for name, papers in values["groups"].items())
        pager = values["pager"]
        topic = values.get("topic")
        scalars = tuple(
            (name, value) for name, value in sorted(values.items())
            if name not in ("groups", "continued", "pager", "topic", "papers")
        )
        return listing_key(
            keys.global_key, template, path, head, total, groups, tuple(sorted(values["continued"])),
            (pager.number, pager.count, pager.prev, pager.next, tuple(pager.items)),
            (topic.slug, topic.name, topic.description) if topic is not None else None, scalars,
        )

    def topic_pages(
        self, model: SiteModel, topic: Topic, numbers: range | None = None, keyed: dict[str, tuple[str, bool]] | None = None
    ) -> dict[str, str]:
        def make() -> list[Paper]:
            groups: dict[str, list[Paper]] = defaultdict(list)
            for paper in model.by_topic[topic.slug]:
                groups[period_of(paper)].append(paper)
            return [paper for month in newest_months_first(groups) for paper in groups[month]]

        return self._listing(
            model, "topic.md.j2", lambda n: topic_path(topic.slug, n), topic.name, self._order(model, "topic", topic.slug, make),
            period_of, {"feed": feed_path(topic.slug)}, numbers, keyed, topic=topic,
        )

    def month_pages(
        self, model: SiteModel, month: str, numbers: range | None = None, keyed: dict[str, tuple[str, bool]] | None = None
    ) -> dict[str, str]:
        def make() -> list[Paper]:
            groups: dict[str, list[Paper]] = defaultdict(list)
            for paper in model.by_month[month]:
                groups[model.assignments[paper.id].primary].append(paper)
            return [paper for t in model.taxonomy.topics for paper in groups.get(t.slug, [])]

        title = "Undated papers" if month == UNDATED else month_label(month)  # "2024, month not given" too
        return self._listing(
            model, "month.md.j2", lambda n: month_path(month, n), title, self._order(model, "month", month, make),
            lambda p: model.assignments[p.id].primary, {}, numbers, keyed, month=month, title=title,
        )

    def topic_page(self, model: SiteModel, topic: Topic) -> str:
        """The first page of a topic."""
        return self.topic_pages(model, topic)[topic_path(topic.slug)]

    def month_page(self, model: SiteModel, month: str) -> str:
        """The first page of a month."""
        return self.month_pages(model, month)[month_path(month)]

    def pages(
        self, model: SiteModel, cache: tuple[PageCache, PaperKeys] | None = None, spool: Spool | None = None
    ) -> Spool:
        """Every page of the site and the files next to them, keyed by docs-relative path, in a spool.

        Each file is written to the spool as soon as it is made, so the pages of a large catalogue
        are never all in memory at once. With a ``cache``, what an earlier build made from the
        same inputs is taken from it: paper pages (when ``paper.md.j2`` reads only its paper),
        listing rows (when ``_row.j2``'s row does), and each paper's BibTeX entry and JSON record.
        What is left is made here, in ``jobs`` processes when there is enough of it; the result is
        the same whatever ``jobs`` is.
        """
        spool = spool if spool is not None else Spool()
        cite_keys = catalogue_keys(model)
        self._store, self._keys = cache if cache is not None else (None, None)
        # The downloads first, in a forked process where one can be (they take the longest and need no page).
        downloads = _Downloads(self, model, cite_keys, spool)
        try:
            return self._pages(model, cite_keys, cache, spool, downloads)
        finally:
            downloads.cancel()

    def _pages(
        self, model: SiteModel, cite_keys: Mapping[str, str], cache: tuple[PageCache, PaperKeys] | None, spool: Spool,
        downloads: _Downloads,
    ) -> Spool:
        self._paper_work(model, cite_keys, cache, spool)
        years: dict[str, list[str]] = defaultdict(list)
        for month in model.months:
            years[month[:4]].append(month)
        listings = Counter(file for p in model.papers for file in {s.file for s in p.sources})  # a paper once per listing
        year_counts = {year: sum(len(model.by_month[m]) for m in months) for year, months in years.items()}
        common = {"years": dict(years), "year_counts": year_counts, "listings": listings}
        # The listings in processes (when jobs > 1) while this one makes the other pages.
        started = self._start(model, spool)
        try:
            for name, template in (
                ("index.md", "home.md.j2"), ("about.md", "about.md.j2"), ("topics/index.md", "topics.md.j2"),
                ("months/index.md", "months.md.j2"), ("search.md", "search.md.j2"),
            ):
                spool.put(name, self._render(template, name, model, **common))
            spool.put("stats.md", self._render("stats.md.j2", "stats.md", model, charts=stats_charts(model, listings), **common))
            spool.put_all(feeds(model))
            listed = downloads.result()
            spool.put("export.md", self._render("export.md.j2", "export.md", model, downloads=listed, size_label=size_label, **common))
            for part in started.listings():
                self.put_listing(spool, part)
        finally:
            started.cancel()
        return spool

    def entries_and_records(
        self, model: SiteModel, cite_keys: Mapping[str, str]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Each paper's BibTeX entry and JSON record, from the page cache where it has them, else made; and
        what was made, by its cache key (for the cache to keep)."""
        entries: dict[str, str] = {}
        records: dict[str, str] = {}
        made: dict[str, str] = {}
        store, keys = self._store, self._keys
        for batch in _batches(model.papers, _LOOKUP_BATCH):
            asked = {p.id: (keys.bibtex_key(p, cite_keys[p.id]), keys.record_key(p, cite_keys[p.id])) for p in batch} \
                if store is not None and keys is not None else {}
            found = store.lookup([k for pair in asked.values() for k in pair], count=False) if store is not None else {}
            for paper in batch:
                entry_key, record_key = asked.get(paper.id, ("", ""))
                entry, data = found.get(entry_key), found.get(record_key)
                if entry is None:
                    entry = bibtex(paper, cite_keys[paper.id])
                    if entry_key:
                        made[entry_key] = entry
                if data is None:
                    data = record(model, paper, cite_keys[paper.id])
                    if record_key:
                        made[record_key] = data
                entries[paper.id], records[paper.id] = entry, data
        return entries, records, made

    def downloads_here(
        self, model: SiteModel, entries: Mapping[str, str], records: Mapping[str, str], *, threads: bool,
        put: Callable[[str, str | bytes], object],
    ) -> tuple[list[Download], Compressor]:
        """The downloads made in this process, each given to ``put`` (``threads``: compressed in ``jobs`` threads)."""
        with cf.ThreadPoolExecutor(max_workers=self.jobs) if threads else contextlib.nullcontext() as pool:
            # zlib lets go of the interpreter while it compresses: the two big files are compressed beside the rest.
            compressor = Compressor(self._store, pool.submit if pool is not None else None)
            listed = write_catalogue_files(model, put, entries, records, compressor=compressor)
        return listed, compressor

    def _listing_tasks(self, model: SiteModel) -> list[tuple[str, str, range]]:
        """The topic and month pages in site order, a few pages a task: ``(kind, topic or month, page numbers)``."""
        size = model.settings.papers_per_page
        tasks: list[tuple[str, str, range]] = []
        listings = [("topic", t.slug, len(model.by_topic[t.slug])) for t in model.topics_used]
        listings += [("month", m, len(model.by_month[m])) for m in newest_months_first(model.by_month)]
        for kind, name, papers in listings:
            count, _ = page_split(papers, size)
            for start in range(1, count + 1, self.listing_batch):
                tasks.append((kind, name, range(start, min(count, start + self.listing_batch - 1) + 1)))
        return tasks

    def listing_task(self, model: SiteModel, task: tuple[str, str, range]) -> ListingPart:
        """The pages of one task, and the page cache's key of each that has one (True: taken from the cache)."""
        kind, name, numbers = task
        keyed: dict[str, tuple[str, bool]] = {}
        if kind == "topic":
            return self.topic_pages(model, model.taxonomy.topic(name), numbers, keyed), keyed
        return self.month_pages(model, name, numbers, keyed), keyed

    def put_listing(self, spool: Spool, part: ListingPart) -> None:
        """Spool the pages of a listing task; keep the ones made afresh in the page cache."""
        files, keyed = part
        store = self._store
        for path, text in files.items():
            page_key, hit = keyed.get(path, (None, False))
            if page_key is None or store is None:
                spool.put(path, text)
            elif hit:  # looked up in another process, maybe: the cache keeps what this build used
                store.used.add(page_key)
                spool.put_kept(path, text, page_key)
            else:
                spool.put(path, text)
                store.add(page_key, text)

    def _start(self, model: SiteModel, spool: Spool) -> _Started | _Here:
        """Start making the topic and month pages; what is returned gives them.

        With ``jobs`` > 1 and forked processes (which start with every row already made) they are
        made there while this process goes on; otherwise here, when asked for.
        """
        tasks = self._listing_tasks(model)
        if self.jobs > 1 and len(tasks) > 1 and can_fork():
            started = _in_forked_processes(self, model, tasks, spool, self.jobs)
            if started is not None:
                return started
        return _Here(self, model, tasks, spool)

    def _paper_work(
        self, model: SiteModel, cite_keys: Mapping[str, str], cache: tuple[PageCache, PaperKeys] | None, spool: Spool
    ) -> None:
        """Each paper's row, its page written to ``spool``: from the cache where it has them, else made.

        The cache is looked up a batch of papers at a time, and a page goes to the spool as soon as
        it is found or made: the pages are never all in memory at once.
        """
        rows = self._rows_of(model)
        rows_pure = self.rows_pure
        todo: dict[str, tuple[bool, bool]] = {}
        wanted: dict[str, tuple[str | None, str | None]] = {}
        if cache is None:
            todo = {p.id: (True, rows_pure) for p in model.papers}
        else:
            store, keys = cache
            pages_cached = template_reads_only_its_paper(self.env, "paper.md.j2")
            for batch in _batches(model.papers, _LOOKUP_BATCH):
                asked: dict[str, tuple[str | None, str | None]] = {}
                for paper in batch:
                    asked[paper.id] = (
                        keys.key(paper, model.cite_keys.get(paper.id) or base_key(paper)) if pages_cached else None,
                        keys.row_key(paper) if rows_pure else None,
                    )
                found = store.lookup([k for pair in asked.values() for k in pair if k is not None], count=False)
                for paper in batch:
                    page_key, row_key = asked[paper.id]
                    page = found.get(page_key) if page_key else None
                    if page is not None:
                        assert page_key is not None
                        store.hits += 1
                        spool.put_kept(paper_path(paper), page, page_key)
                    row = found.get(row_key) if row_key else None
                    if row is not None:
                        rows[paper.id] = Row.decode(row)
                    need = (page is None, row_key is not None and row is None)
                    if any(need):
                        todo[paper.id] = need
                        wanted[paper.id] = asked[paper.id]
                del found
        for paper_id, result in self._make(model, cite_keys, todo):
            need_page, need_row = todo[paper_id]
            if need_page:
                assert result.page is not None
                spool.put(paper_path(model.by_id[paper_id]), result.page)
            if need_row:
                rows[paper_id] = result.row
            if cache is not None:
                store, keys = cache
                page_key, row_key = wanted[paper_id]
                if need_page and page_key is not None and result.page is not None:
                    store.add(page_key, result.page)
                if need_row and row_key is not None and result.row is not None:
                    store.add(row_key, result.row.encode())

    def make_one(self, model: SiteModel, cite_keys: Mapping[str, str], paper: Paper, need: tuple[bool, bool]) -> PaperWork:
        need_page, need_row = need
        return PaperWork(self.paper_page(model, paper) if need_page else None, self.row(model, paper) if need_row else None)

    def _make(
        self, model: SiteModel, cite_keys: Mapping[str, str], todo: dict[str, tuple[bool, bool]]
    ) -> Iterator[tuple[str, PaperWork]]:
        """What ``todo`` asks for each paper, in its order, as it is made: in this process, or in ``jobs`` processes when there is enough.

        Should the processes fail (a template error, say), what they did not make is made here,
        where the error is reported with its template line.
        """
        items = list(todo.items())
        if self.jobs > 1 and len(items) >= self.min_parallel:
            done = 0
            for pair in _in_processes(self, model, cite_keys, items, self.jobs):
                yield pair
                done += 1
            items = items[done:]
        for pid, need in items:
            yield pid, self.make_one(model, cite_keys, model.by_id[pid], need)

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


def page_split(papers: int, size: int) -> tuple[int, int]:
    """How many pages a listing of ``papers`` has, and how many of them its first page shows.

    The pages are counted from the oldest paper: every page but the first holds exactly ``size``
    papers, and the first holds the rest, from ``size`` to ``2 * size - 1``. New papers come in
    at the top of a listing, so they change its first page only; the later pages stay as they
    were (and the build need not render them again) until the first page has a whole extra page
    of papers, when the listing gets one more page.
    """
    count = max(1, papers // size)
    return count, papers - size * (count - 1)


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


def listing_rows(
    model: SiteModel, papers: list[Paper], rows_file: str, *, directory_urls: bool, cells: dict[str, list[object]] | None = None
) -> str:
    """The compact rows of a whole listing for its filter: page URL, title, date, year, topics.

    ``cells``: each paper's row by paper id, kept from one listing to the next (a paper is in several).
    """
    depth = rows_file.count("/")
    topics = {t.slug: t.name for t in model.topics_used}
    cells = {} if cells is None else cells

    def cell(p: Paper) -> list[object]:
        found = cells.get(p.id)
        if found is None:
            found = cells[p.id] = [
                page_url(paper_path(p), directory_urls=directory_urls), plain_text(p.title), date_label(p),
                p.year or "", " ".join(t.slug for t in model.topics_of(p)),
            ]
        return found

    data = {
        "root": "../" * depth,
        "topics": topics,
        "fields": ["url", "title", "date", "year", "topics"],
        "rows": [cell(p) for p in papers],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def stats_charts(model: SiteModel, listings: Mapping[str, int]) -> dict[str, str]:
    """The stats page's charts as inline SVG: papers per month by primary topic, per topic, per listing."""
    # Every month from the first to the last, an empty one too, so that a gap in time shows (the papers
    # of a year without a month have no column).
    months = _month_range(min(model.calendar_months), max(model.calendar_months)) if model.calendar_months else []
    series = [Series(t.slug, t.name) for t in model.topics_used]
    colour_of = {t.name: n for n, t in enumerate(model.topics_used)}  # a topic's colour, the same in both charts
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
        "topics": horizontal_bars(
            "pc-chart-topics", "Papers per topic (primary and secondary)", per_topic, colours=[colour_of[name] for name, _ in per_topic]
        ),
        "listings": horizontal_bars("pc-chart-listings", "Papers per listing", per_listing),
    }


def _month_range(first: str, last: str) -> list[str]:
    """``YYYY-MM`` from ``first`` to ``last``, both included."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _short_month(month: str) -> str:
    """``2024-07`` → ``Jul 2024``: short enough for a column label."""
    return f"{MONTH_NAMES[int(month[5:7]) - 1][:3]} {month[:4]}"


# --------------------------------------------------------------------------- rendering processes

# What a rendering process renders from: inherited when processes are forked, else sent once to each.
_STATE: tuple[PageRenderer, SiteModel, Mapping[str, str]] | None = None


def _init_process(template_dirs: list[Path], directory_urls: bool, model: SiteModel, cite_keys: Mapping[str, str]) -> None:
    global _STATE
    _STATE = (PageRenderer(template_dirs, directory_urls=directory_urls), model, cite_keys)


def _make_batch(items: list[tuple[str, tuple[bool, bool]]]) -> list[PaperWork]:
    assert _STATE is not None
    renderer, model, cite_keys = _STATE
    return [renderer.make_one(model, cite_keys, model.by_id[pid], need) for pid, need in items]


def _batches(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _in_processes(
    renderer: PageRenderer, model: SiteModel, cite_keys: Mapping[str, str],
    items: list[tuple[str, tuple[bool, bool]]], jobs: int,
) -> Iterator[tuple[str, PaperWork]]:
    """``items`` made in ``jobs`` processes, in batches, given back in their order as they come.

    Processes are forked where the system can (they start with the renderer and the model already
    in memory), else started afresh and sent them once. On any failure (a template error, say)
    it stops: the caller makes what is left in this process, which reports the error properly.
    """
    global _STATE
    if can_fork():
        _STATE = (renderer, model, cite_keys)
        pool = process_pool(jobs)
    else:
        pool = process_pool(
            jobs, initializer=_init_process,
            initargs=(renderer.template_dirs, renderer.link.directory_urls, model, dict(cite_keys)),
        )
    try:
        with pool:
            batches = _batches(items, renderer.batch)
            pending: collections.deque[tuple[list[tuple[str, Any]], cf.Future[list[PaperWork]]]] = collections.deque()
            for batch in batches:  # a few batches a process in flight: results never pile up here
                pending.append((batch, pool.submit(_make_batch, batch)))
                if len(pending) >= 3 * jobs:
                    break
            while pending:
                batch, future = pending.popleft()
                try:
                    results = future.result()
                except Exception:  # noqa: BLE001 - made again by the caller, where an error is reported properly
                    for _, waiting in pending:
                        waiting.cancel()
                    return
                following = next(batches, None)
                if following is not None:
                    pending.append((following, pool.submit(_make_batch, following)))
                for (pid, _), result in zip(batch, results, strict=True):
                    yield pid, result
    finally:
        _STATE = None


def _listing_batch(task: tuple[str, str, range]) -> ListingPart:
    assert _STATE is not None
    renderer, model, _ = _STATE
    return renderer.listing_task(model, task)


_DownloadsDone = tuple[list[tuple[str, bool, str]], list[Download], list[str], dict[str, bytes], dict[str, str]]


def _downloads_task(renderer: PageRenderer, model: SiteModel, cite_keys: Mapping[str, str], writer: SpoolWriter) -> _DownloadsDone:
    """The downloads, written into the spool (in a forked process): what was written, the Export page's list, and
    the cache's share: the keys looked up, the members compressed and the entries and records made."""
    store = renderer._store
    if store is not None:
        store.used = set()  # this process's own: sent back
    entries, records, made = renderer.entries_and_records(model, cite_keys)
    listed, compressor = renderer.downloads_here(model, entries, records, threads=False, put=writer.put)
    used = sorted(store.used) if store is not None else []
    return writer.written, listed, used, compressor.made, made


class _Downloads:
    """The downloads, begun in a forked process where one can be; ``result`` gives the Export page's list.

    Should the process fail, they are made here, where an error is reported as usual.
    """

    def __init__(self, renderer: PageRenderer, model: SiteModel, cite_keys: Mapping[str, str], spool: Spool) -> None:
        self.renderer, self.model, self.cite_keys, self.spool = renderer, model, cite_keys, spool
        self.call = (
            ForkedCall.start(_downloads_task, renderer, model, cite_keys, spool.writer()) if renderer.jobs > 1 else None
        )

    def result(self) -> list[Download]:
        store = self.renderer._store
        if self.call is not None:
            call, self.call = self.call, None
            try:
                done: _DownloadsDone = call.result()
            except Exception:  # noqa: BLE001 - died or failed: made again here
                pass
            else:
                written, listed, used, compressed, made = done
                self.spool.adopt(written)
                if store is not None:  # what the process looked up and made, kept as if done here
                    store.used.update(used)
                    for key, data in compressed.items():
                        store.add_bytes(key, data)
                    for key, text in made.items():
                        store.add(key, text)
                return listed
        entries, records, made = self.renderer.entries_and_records(self.model, self.cite_keys)
        if store is not None:
            for key, text in made.items():
                store.add(key, text)
        listed, _ = self.renderer.downloads_here(
            self.model, entries, records, threads=self.renderer.jobs > 1, put=self.spool.put
        )
        return listed

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancel()
            self.call = None


def _in_forked_processes(
    renderer: PageRenderer, model: SiteModel, tasks: list[tuple[str, str, range]], spool: Spool, jobs: int,
) -> _Started | None:
    """The listing ``tasks`` started in ``jobs`` forked processes (None when they could not be)."""
    global _STATE
    _STATE = (renderer, model, {})
    try:
        pool = process_pool(jobs, context=multiprocessing.get_context("fork"))
        futures = [pool.submit(_listing_batch, task) for task in tasks]
    except Exception:  # noqa: BLE001 - made here instead
        _STATE = None
        return None
    return _Started(_Here(renderer, model, tasks, spool), pool, futures)


_DONE: cf.Future[ListingPart] = cf.Future()  # a task whose pages were handed over


class _Started:
    """Listing pages being made in processes; on a failure, made here instead."""

    def __init__(self, here: _Here, pool: cf.ProcessPoolExecutor, futures: list[cf.Future[ListingPart]]) -> None:
        self.here, self.pool, self.futures = here, pool, futures

    def listings(self) -> Iterator[ListingPart]:
        """Each task's pages as it is done; should a process fail, what is left is made here."""
        for index, future in enumerate(self.futures):
            try:
                part = future.result()
            except Exception:  # noqa: BLE001 - made again here, where an error is reported with its template line
                yield from self.here.listings(index)
                return
            self.futures[index] = _DONE  # its pages are let go of once written
            yield part

    def cancel(self) -> None:
        global _STATE
        self.pool.shutdown(wait=True, cancel_futures=True)
        _STATE = None


class _Here:
    """Listing pages made in this process when asked for."""

    def __init__(self, renderer: PageRenderer, model: SiteModel, tasks: list[tuple[str, str, range]], spool: Spool) -> None:
        self.renderer, self.model, self.tasks, self.spool = renderer, model, tasks, spool

    def listings(self, start: int = 0) -> Iterator[ListingPart]:
        """The pages of each task from the ``start``-th on."""
        return (self.renderer.listing_task(self.model, task) for task in self.tasks[start:])

    def cancel(self) -> None:
        return None


def _reader_kind(name: str) -> str:
    from ..readers import reader_kind  # the readers, imported once a page names one

    return reader_kind(name)

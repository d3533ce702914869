"""The pages stage made fast without changing a page: listing rows rendered once per paper, the
downloads joined from per-paper entries, the page cache, and rendering in several processes.

Every test compares with the straightforward way (each row rendered on its page, one process)
and asserts the pages are the same, byte for byte.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import shutil
from pathlib import Path

import pytest
from site_fixtures import TEMPLATES, listing_model, make_model, small_catalogue

from generator.model import Paper, Source
from generator.site import pages as pages_module
from generator.site.cite import bibtex_entry
from generator.site.exports import Compressor, catalogue_files, catalogue_keys
from generator.site.page_cache import PageCache, PaperKeys
from generator.site.pages import PageRenderer
from generator.site.rows import row_reads_only_its_paper
from generator.site.urls import Linker, page_url
from generator.topics import TopicAssignment


def long_catalogue(count: int = 23) -> tuple[list[Paper], dict[str, TopicAssignment]]:
    """``count`` vision papers over three months, every fourth also generative."""
    papers, assignments = [], {}
    for i in range(count):
        month = 3 - (i * 3) // count
        pid = f"paper-{i:02d}"
        papers.append(Paper(
            title=f"Vision Study $x^{i}$ Number {i:02d}", abstract=f"The abstract of study {i}, with $a < b$ & more.", id=pid,
            sources=[Source("a.txt", 1, "daily-papers")], date=f"2024-{month:02d}-{28 - i % 20:02d}", date_precision="day",
        ))
        secondary = ("generative",) if i % 4 == 0 else ()
        assignments[pid] = TopicAssignment("vision", secondary, {"vision": ("vision",)})
    return papers, assignments


def _model(count: int = 23):
    return listing_model(*long_catalogue(count), papers_per_page=5)


def _straight(model) -> dict[str, str | bytes]:
    """Every row rendered on the page it is on, in this process: what the pages must equal."""
    renderer = PageRenderer(TEMPLATES)
    renderer._rows_pure = False
    return renderer.pages(model)


def test_the_bundled_row_reads_only_its_paper_and_one_that_reads_the_listing_does_not(tmp_path: Path):
    assert row_reads_only_its_paper(PageRenderer(TEMPLATES).env)
    shutil.copytree(TEMPLATES, tmp_path / "t")
    row = tmp_path / "t" / "_row.j2"
    source = row.read_text(encoding="utf-8")
    readers = {
        "the listing": "{{ papers | length }}",
        "the model": "{{ model.papers | length }}",
        "a loop variable outside its loop": "{% for x in [1] %}{% endfor %}{{ x }}",
        "a variable it sets": "{% set n = 1 %}{{ n }}",
        "another template": '{% include "_pager.j2" %}',
    }
    for what, snippet in readers.items():
        row.write_text(source.replace('<p class="pc-snippet"', snippet + '<p class="pc-snippet"', 1), encoding="utf-8")
        assert not row_reads_only_its_paper(PageRenderer(tmp_path / "t").env), what


def test_the_bundled_listing_pages_read_only_what_their_cache_key_covers(tmp_path: Path):
    """A topic or month page is kept in the page cache only while its template reads nothing of the whole
    listing but its length, and nothing of the site model but the taxonomy."""
    assert PageRenderer(TEMPLATES).listings_pure
    shutil.copytree(TEMPLATES, tmp_path / "t")
    topic = tmp_path / "t" / "topic.md.j2"
    source = topic.read_text(encoding="utf-8")
    readers = {
        "the listing's papers": "{{ papers[0].title }}",
        "the listing in a loop": "{% for p in papers %}{{ p.title }}{% endfor %}",
        "the model": "{{ model.papers | length }}",
        "a macro's default": "{% macro newest(of=papers) %}{{ of[0].title }}{% endmacro %}{{ newest() }}",
    }
    for what, snippet in readers.items():
        topic.write_text(source + snippet, encoding="utf-8")
        assert not PageRenderer(tmp_path / "t").listings_pure, what
    # Its own papers, their number, the taxonomy and a macro's own argument of the same name are fine.
    fine = "{{ papers | length }}{{ model.taxonomy.fallback }}{% macro count(papers) %}{{ papers | length }}{% endmacro %}"
    topic.write_text(source + fine, encoding="utf-8")
    assert PageRenderer(tmp_path / "t").listings_pure


def test_rows_rendered_once_per_paper_give_the_same_pages():
    model = _model()
    fast = PageRenderer(TEMPLATES)
    assert fast.rows_pure
    assert fast.pages(model) == _straight(model)


def test_a_row_that_reads_the_listing_is_rendered_on_each_page(tmp_path: Path):
    shutil.copytree(TEMPLATES, tmp_path / "t")
    row = tmp_path / "t" / "_row.j2"
    reads = '<p class="pc-of">of {{ papers | length if papers is defined else 0 }}</p>'
    row.write_text(row.read_text(encoding="utf-8").replace('<p class="pc-snippet"', reads + '<p class="pc-snippet"', 1), encoding="utf-8")
    model = _model()
    pages = PageRenderer(tmp_path / "t").pages(model)
    assert not PageRenderer(tmp_path / "t").rows_pure
    assert '<p class="pc-of">of 23</p>' in pages["topics/vision.md"]  # the whole listing, on its every page
    assert '<p class="pc-of">of 6</p>' in pages["topics/generative.md"]


def test_a_paper_whose_text_holds_the_link_mark_is_shown_literally():
    papers, assignments = long_catalogue(6)
    papers[0].title = "Odd \x000\x00 title"
    model = listing_model(papers, assignments, papers_per_page=5)
    straight = PageRenderer(TEMPLATES)
    straight._rows_pure = False
    topic = model.taxonomy.topic("vision")
    shown = PageRenderer(TEMPLATES).topic_pages(model, topic)
    assert shown == straight.topic_pages(model, topic)
    assert "Odd \x000\x00 title" in shown["topics/vision.md"]


def test_links_are_the_relative_paths_posixpath_gives():
    paths = [
        "index.md", "papers/x.md", "topics/index.md", "topics/llm.md", "topics/llm/page/2.md", "topics/l.md",
        "months/2024-01/page/3.md", "downloads/catalogue.bib.gz", "feed.xml", "topics/llm/rows.json", "a/b/c/index.md",
        "", "./x.md", "a/../b.md", "/abs.md",
    ]
    for directory_urls in (True, False):
        link = Linker(directory_urls=directory_urls)
        for source in paths:
            for target in paths:
                url = page_url(source, directory_urls=directory_urls)
                to = page_url(target, directory_urls=directory_urls) if target.endswith(".md") else target
                base = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"
                if not directory_urls:
                    base = posixpath.dirname(url) + "/" if "/" in url else ""
                rel = posixpath.relpath(to or ".", base.rstrip("/") or ".")
                rel += "/" if to.endswith("/") and not rel.endswith("/") else ""
                rel += "/" if to == "" and directory_urls and not rel.endswith("/") else ""
                assert link(source, target) == ("./" if rel in (".", "./") else rel), (directory_urls, source, target)


def test_json_downloads_hold_one_record_a_line_and_parse_as_one_document():
    files, _ = catalogue_files(make_model(*small_catalogue()))
    text = files["downloads/catalogue-2024.json"]
    assert isinstance(text, str)
    document = json.loads(text)
    lines = text.splitlines()
    assert lines[0].startswith('{"site": ') and lines[0].endswith('"records": [') and lines[-1] == "]}"
    records = [json.loads(line.rstrip(",")) for line in lines[1:-1]]
    assert records == document["records"] and document["papers"] == len(records) > 0
    whole = json.loads(gzip.decompress(files["downloads/catalogue.json.gz"]))  # type: ignore[arg-type]
    assert sorted(r["id"] for r in whole["records"]) == sorted(p.id for p in make_model(*small_catalogue()).papers)


def test_the_page_cache_gives_the_same_pages_and_keeps_rows_and_downloads(tmp_path: Path):
    model = _model()
    expected = _straight(model)
    first = PageCache(tmp_path / "cache.sqlite3")
    assert PageRenderer(TEMPLATES).pages(model, (first, PaperKeys(model, "k"))) == expected
    first.save()
    again = PageCache(tmp_path / "cache.sqlite3")
    assert PageRenderer(TEMPLATES).pages(model, (again, PaperKeys(model, "k"))) == expected
    # Every paper's page, row, BibTeX entry and JSON record came from the cache, and the compressed downloads' members.
    assert again.hits == len(model.papers) and not again._new
    assert len(again.used) > 4 * len(model.papers)


def test_a_listing_address_added_in_sources_yml_renders_its_papers_pages_again(tmp_path: Path):
    import dataclasses

    from generator.readers import SourceMeta

    model = make_model(*small_catalogue())
    cache = PageCache(tmp_path / "cache.sqlite3")
    PageRenderer(TEMPLATES).pages(model, (cache, PaperKeys(model, "k")))
    cache.save()
    url = "https://example.org/daily"
    linked = dataclasses.replace(model, ingest=dataclasses.replace(model.ingest, sources={"a.txt": SourceMeta(url=url)}))
    cached = PageRenderer(TEMPLATES).pages(linked, (PageCache(tmp_path / "cache.sqlite3"), PaperKeys(linked, "k")))
    assert cached == _straight(linked) and url in cached["papers/diffusion-nets.md"]


def test_a_changed_topic_renders_the_row_again(tmp_path: Path):
    papers, assignments = long_catalogue(8)
    model = listing_model(papers, assignments, papers_per_page=5)
    cache = PageCache(tmp_path / "cache.sqlite3")
    PageRenderer(TEMPLATES).pages(model, (cache, PaperKeys(model, "k")))
    cache.save()
    assignments = dict(assignments)
    assignments[papers[0].id] = TopicAssignment("vision", ("generative",), {"vision": ("vision",)})
    changed = listing_model(papers, assignments, papers_per_page=5)
    cached = PageRenderer(TEMPLATES).pages(changed, (PageCache(tmp_path / "cache.sqlite3"), PaperKeys(changed, "k")))
    assert cached == _straight(changed)


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_pages_rendered_in_two_processes_are_the_same_as_in_one(monkeypatch: pytest.MonkeyPatch, start: str):
    if start not in pages_module.multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start} processes on this system")
    monkeypatch.setattr(pages_module.multiprocessing, "get_all_start_methods", lambda: [start])
    model = _model(31)
    one = PageRenderer(TEMPLATES).pages(model)
    parallel = PageRenderer(TEMPLATES, jobs=2)
    parallel.min_parallel, parallel.batch, parallel.listing_batch = 0, 4, 1
    made = parallel.pages(model)
    assert list(made) == list(one) and made == one
    assert made == _straight(model)


@pytest.mark.parametrize("template", ["paper.md.j2", "topic.md.j2"])
def test_a_template_error_in_a_rendering_process_is_reported_as_in_one(tmp_path: Path, template: str):
    shutil.copytree(TEMPLATES, tmp_path / "t")
    broken = tmp_path / "t" / template
    broken.write_text(broken.read_text(encoding="utf-8") + "{{ no_such_thing.field }}\n", encoding="utf-8")
    renderer = PageRenderer(tmp_path / "t", jobs=2)
    renderer.min_parallel, renderer.listing_batch = 0, 1
    import jinja2

    with pytest.raises(jinja2.UndefinedError, match="no_such_thing"):
        renderer.pages(_model(9))


def test_paper_keys_change_with_what_the_pieces_show():
    paper = Paper(title="A", abstract="B", id="a", sources=[Source("x.txt", 1, "daily-papers")])
    model = make_model([paper], {"a": TopicAssignment("vision", (), {})})
    keys = PaperKeys(model, "k")
    edited = Paper(title="A", abstract="B.", id="a", sources=[Source("x.txt", 1, "daily-papers")])
    other = make_model([edited], {"a": TopicAssignment("vision", ("generative",), {})})
    other_keys = PaperKeys(other, "k")
    assert keys.row_key(paper) != other_keys.row_key(edited)
    assert keys.bibtex_key(paper, "k1") != keys.bibtex_key(paper, "k2")
    assert keys.record_key(paper, "k1") == PaperKeys(model, "k").record_key(paper, "k1")
    assert keys.record_key(paper, "k1") != PaperKeys(model, "other templates").record_key(paper, "k1")


def test_compressed_downloads_are_the_whole_text_and_a_new_paper_recompresses_one_run(tmp_path: Path):
    papers = [
        Paper(title=f"Topic{i} paper", abstract=f"Abstract {i}.", id=f"p{i:03d}", date="2024-01-02", date_precision="day",
              sources=[Source("a.txt", i + 1, "daily-papers")])
        for i in range(300)
    ]
    assignments = {p.id: TopicAssignment("vision", (), {}) for p in papers}
    model = make_model(papers, assignments)
    store = PageCache(tmp_path / "cache.sqlite3")
    files, _ = catalogue_files(model, compressor=Compressor(store))
    store.save()
    whole = gzip.decompress(files["downloads/catalogue.bib.gz"]).decode("utf-8")  # type: ignore[arg-type]
    assert whole == "\n".join(bibtex_entry(p, model.cite_keys.get(p.id) or catalogue_keys(model)[p.id]) for p in papers)
    document = json.loads(gzip.decompress(files["downloads/catalogue.json.gz"]))  # type: ignore[arg-type]
    assert [r["id"] for r in document["records"]] == [p.id for p in papers] and document["papers"] == 300
    members = len(members_of(files["downloads/catalogue.bib.gz"]))  # type: ignore[arg-type]
    assert 2 < members < 30  # runs of about RUN papers
    # One paper more: only the run it falls in (and the JSON head, which counts the papers) is compressed again.
    added = Paper(title="Novel paper", abstract="New.", id="p150a", date="2024-01-03", date_precision="day",
                  sources=[Source("b.txt", 1, "daily-papers")])
    assignments[added.id] = TopicAssignment("vision", (), {})
    bigger = make_model([*papers, added], assignments)
    again = PageCache(tmp_path / "cache.sqlite3")
    compressor = Compressor(again)
    files, _ = catalogue_files(bigger, compressor=compressor)
    assert len(again._new) <= 3
    clean, _ = catalogue_files(bigger)
    assert files == clean  # the same bytes as when nothing is kept


def members_of(data: bytes) -> list[bytes]:
    """The gzip members of a file, each decompressed."""
    import zlib

    found = []
    while data:
        inflater = zlib.decompressobj(31)
        found.append(inflater.decompress(data))
        data = inflater.unused_data
    return found


def test_downloads_made_in_a_process_keep_their_compressed_members_in_the_cache(tmp_path: Path):
    model = _model(31)
    first = PageCache(tmp_path / "cache.sqlite3")
    parallel = PageRenderer(TEMPLATES, jobs=2)
    parallel.min_parallel, parallel.listing_batch = 0, 1
    made = parallel.pages(model, (first, PaperKeys(model, "k")))
    first.save()
    again = PageCache(tmp_path / "cache.sqlite3")
    assert PageRenderer(TEMPLATES).pages(model, (again, PaperKeys(model, "k"))) == made == _straight(model)
    assert not again._new  # every compressed member was kept by the build that made it in a process


@pytest.mark.parametrize("failure", ["died", "raised"])
def test_downloads_whose_process_fails_are_made_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str):
    """The downloads start first, in a forked process; should it die or fail, they are made in the build's own."""
    import os

    def broken(*args: object) -> None:
        if failure == "died":
            os._exit(1)
        raise OSError("no space left on device")

    monkeypatch.setattr(pages_module, "_downloads_task", broken)
    model = _model(31)
    cache = PageCache(tmp_path / "cache.sqlite3")
    parallel = PageRenderer(TEMPLATES, jobs=2)
    parallel.min_parallel, parallel.listing_batch = 0, 1
    assert parallel.pages(model, (cache, PaperKeys(model, "k"))) == _straight(model)
    cache.save()
    again = PageCache(tmp_path / "cache.sqlite3")
    PageRenderer(TEMPLATES).pages(model, (again, PaperKeys(model, "k")))
    assert not again._new  # the entries, records and members made here were kept

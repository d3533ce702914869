"""Untrusted listings: nothing lost, nothing injected, nothing escapes the output folder.

The corpus in tests/hostile/ holds one listing per format (daily papers, search results, topic
listing, abstracts only, YAML) plus a sources.yml, with HTML, Markdown, template and
front-matter syntax, LaTeX, control characters and path tricks in titles, abstracts, authors,
venues, organisations and topic hints. It is built into a whole site once per module.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import unicodedata
from html import unescape
from pathlib import Path

import pytest
import yaml
from site_fixtures import (
    HOSTILE,
    LISTINGS,
    LITERAL_FIELDS,
    LITERAL_TITLES,
    HostileBuild,
    build_hostile,
    make_hostile_project,
    page_text,
    scan,
    tree_digest,
)

from generator.ingest import ingest_content
from generator.ingest.normalize import _INVISIBLE
from generator.ingest.slugs import MAX_SLUG, RESERVED
from generator.site.build import build_site
from generator.site.text import has_math, plain_text
from generator.site.writer import UnsafePath, write_docs

# (file, line, part of the reason) of every record the corpus must have rejected.
EXPECTED_REJECTIONS = {
    ("abstracts.txt", 9, "'Abstract:' with no text"),
    ("curated.yml", 16, "'url' must be an http(s) URL"),
    ("curated.yml", 19, "title is empty after removing invisible characters"),
    ("daily_papers.txt", 33, "title is empty after removing invisible characters"),
    ("search_results.txt", 28, "title with no abstract"),
}
# Lines whose control, zero-width, bidi or NUL characters must be reported, and the message.
EXPECTED_NOTICES = {
    ("abstracts.txt", 1, "NUL"),
    ("abstracts.txt", 7, "control, zero-width or bidirectional"),
    ("curated.yml", 3, "control, zero-width or bidirectional"),
    ("curated.yml", 12, "control character(s) YAML does not allow"),
    ("curated.yml", 19, "control, zero-width or bidirectional"),
    ("daily_papers.txt", 17, "control, zero-width or bidirectional"),  # organisation line
    ("daily_papers.txt", 25, "control, zero-width or bidirectional"),
    ("daily_papers.txt", 33, "control, zero-width or bidirectional"),
}

# --- building the corpus -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


# --- HTML inspection ------------------------------------------------------------------------


def html_file(rel_md: str) -> str:
    """``papers/x.md`` → ``papers/x/index.html`` (directory URLs)."""
    stem = rel_md.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


# --- nothing lost ---------------------------------------------------------------------------


def test_every_record_is_a_paper_a_merged_duplicate_or_a_rejection(hostile: HostileBuild) -> None:
    result = hostile.result
    assert result.reconciles()
    assert result.records == len(result.papers) + result.merged + len(result.rejected)
    assert {f.file for f in result.files} == set(LISTINGS)
    assert all(f.reader is not None for f in result.files), [(f.file, f.reason) for f in result.files]
    for report in result.files:
        assert report.records == report.papers + report.merged + report.rejected, report
    assert result.merged == 2  # the attention paper listed twice; two titles that differ only in case
    assert len(result.papers) == 33
    lost = hostile.paper("A Title Whose Abstract Was Lost")  # its authors/date block says it is a paper
    assert (lost.abstract, lost.author_count, lost.upvotes) == ("", 4, 2)


def test_each_rejection_names_file_line_and_reason(hostile: HostileBuild) -> None:
    rejected = hostile.result.rejected
    for r in rejected:
        assert r.file in LISTINGS and r.line >= 1 and r.reason.strip()
        lines = (HOSTILE / r.file).read_bytes().decode("utf-8").split("\n")
        assert r.line <= len(lines)
    found = {(r.file, r.line) for r in rejected}
    assert found == {(f, line) for f, line, _ in EXPECTED_REJECTIONS}
    for file, line, reason in EXPECTED_REJECTIONS:
        match = next(r for r in rejected if (r.file, r.line) == (file, line))
        assert reason in match.reason, (file, line, match.reason)


def test_invisible_characters_are_removed_and_reported(hostile: HostileBuild) -> None:
    for paper in hostile.result.papers:
        texts = [paper.title, paper.abstract, *paper.authors, paper.venue or "", paper.organization or "", *paper.topic_hints]
        for text in texts:
            bad = [c for c in text if c in _INVISIBLE or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co")]
            assert not bad, (paper.id, text, bad)
    notices = hostile.result.notices
    for file, line, message in EXPECTED_NOTICES:
        assert any(n.file == file and n.line == line and message in n.message for n in notices), (file, line, message, notices)
    controls = hostile.paper("Bell and Escape[31m Red Reversed ZeroWidth Controls")
    assert controls.organization is None and "Mallory {{ 7*7 }}" in controls.authors
    org = hostile.paper("<img src=x onerror=alert(2)> Vision Transformers for Tiny Images").organization
    assert org == '<b onmouseover=alert(15)>Evil Org</b> & "Co"'


def test_rejections_are_written_with_their_reasons(hostile: HostileBuild) -> None:
    from generator.ingest.catalogue import rejections_text

    lines = [json.loads(line) for line in rejections_text(hostile.result.rejected).splitlines()]
    assert [(r["file"], r["line"]) for r in lines] == sorted((f, line) for f, line, _ in EXPECTED_REJECTIONS)
    assert all(r["reason"] for r in lines)


# --- safe ids and paths ---------------------------------------------------------------------


def test_ids_are_safe_unique_and_never_reserved(hostile: HostileBuild) -> None:
    ids = [p.id for p in hostile.result.papers]
    assert len(ids) == len(set(ids)) == len({i.casefold() for i in ids})
    for paper_id in ids:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", paper_id), paper_id
        assert len(paper_id) <= MAX_SLUG and paper_id not in RESERVED
    by_title = {p.title: p.id for p in hostile.result.papers}
    assert by_title["CON"] == "con-paper"
    assert by_title["index"] == "index-paper"
    assert by_title["Sitemap"] == "sitemap-paper"
    assert by_title["../../../etc/passwd"] == "etc-passwd"
    assert by_title["/absolute/path/index"] == "absolute-path-index"
    # Titles that slugify to the same id ("nets", "" twice, the same first 80 characters) stay apart.
    assert by_title["α-Nets"] != by_title["β-Nets"] and by_title["α-Nets"].startswith("nets-")
    assert by_title["日本語の論文"].startswith("paper-") and by_title["中文论文标题"].startswith("paper-")
    assert by_title["日本語の論文"] != by_title["中文论文标题"]
    long_ids = [i for t, i in by_title.items() if t.startswith("A Very Long Title")]
    assert len(long_ids) == 2 and long_ids[0] != long_ids[1]


def test_every_page_lands_inside_the_site(hostile: HostileBuild) -> None:
    site = hostile.site.resolve()
    files = [p for p in site.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(site) for p in files)
    for paper in hostile.result.papers:
        assert (site / "papers" / paper.id / "index.html").is_file()
    assert not list(site.parent.glob("etc*")) and not (site.parent / "absolute").exists()
    pages = hostile.report.prepared.pages
    assert sorted(p for p in pages if p.startswith("papers/")) == sorted(f"papers/{p.id}.md" for p in hostile.result.papers)


@pytest.mark.parametrize(
    "pages",
    [
        {"../escape.md": "x"},
        {"papers/../../escape.md": "x"},
        {"/tmp/absolute.md": "x"},
        {"": "x"},
        {"papers/..": "x"},
        {"papers/Paper.md": "x", "papers/paper.md": "y"},
        {"index.md": "x", "INDEX.md": "y"},
    ],
    ids=["parent", "nested-parent", "absolute", "empty", "trailing-parent", "case-only", "case-only-root"],
)
def test_writer_refuses_paths_outside_the_folder_or_colliding(tmp_path: Path, pages: dict[str, str]) -> None:
    docs = tmp_path / "out" / "docs"
    with pytest.raises(UnsafePath):
        write_docs(docs, pages)
    assert not (tmp_path / "out" / "escape.md").exists() and not (tmp_path / "escape.md").exists()
    assert not docs.exists() or not any(docs.rglob("*.md"))


def test_writer_refuses_an_asset_colliding_with_a_page(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "x.css").write_text("a{}")
    with pytest.raises(UnsafePath):
        write_docs(tmp_path / "docs", {"ASSETS/X.css": "page"}, assets)


def test_writer_does_not_follow_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    docs.mkdir()
    outside.mkdir()
    (docs / "papers").symlink_to(outside, target_is_directory=True)
    (docs / "index.md").symlink_to(outside / "index.md")
    write_docs(docs, {"papers/x.md": "x", "index.md": "home"})
    assert not any(outside.iterdir())
    assert not (docs / "papers").is_symlink() and (docs / "papers" / "x.md").read_text() == "x"
    assert not (docs / "index.md").is_symlink() and (docs / "index.md").read_text() == "home"


@pytest.mark.site
@pytest.mark.parametrize(
    "name",
    ['evil <img src=x onerror=alert(1)> # Heading [x](javascript:alert(2)) {{ 7*7 }} &amp; "q\'.txt',
     'evil <img src=x onerror=alert(1)>\n\n# Heading [x](javascript:alert(2))\n\n{{ 7*7 }} &amp; "q\'.txt'],
    ids=["markup", "markup and line breaks"],
)
def test_hostile_file_names_stay_literal(tmp_path: Path, name: str) -> None:
    """A listing's own file name is shown on pages: markup in it stays text. A name with line breaks (which could
    open a block of the page's Markdown) is not read: the file is rejected, named with its escapes."""
    project = make_hostile_project(tmp_path / "p")
    for listing in LISTINGS:
        (project.content_dir / listing).unlink()
    (project.content_dir / "sources.yml").unlink()
    shutil.copy(HOSTILE / "search_results.txt", project.content_dir / name)
    report = build_site(project)
    assert report.ingest.reconciles()
    if "\n" in name:
        assert not report.ingest.papers and [r.file for r in report.ingest.rejected] == [name.replace("\n", "\\n")]
        shown, pages = name.replace("\n", "\\n"), ("about/index.html",)
    else:
        assert report.ingest.papers
        shown, pages = name, ("about/index.html", f"papers/{report.ingest.papers[0].id}/index.html")
    for rel in pages:
        html = (project.site_dir / rel).read_text(encoding="utf-8")
        assert not scan(html).injected, (rel, scan(html).injected)
        assert shown in page_text(html), rel
        assert '<h1 id="heading' not in html


# --- nothing injected -----------------------------------------------------------------------


def test_no_page_carries_injected_markup(hostile: HostileBuild) -> None:
    pages = sorted(hostile.site.rglob("*.html"))
    assert len(pages) > len(hostile.result.papers)
    for path in pages:
        found = scan(path.read_text(encoding="utf-8")).injected
        assert not found, (path.relative_to(hostile.site).as_posix(), found)


def test_paper_pages_show_every_field_literally(hostile: HostileBuild) -> None:
    for title in LITERAL_TITLES:
        paper = hostile.paper(title)
        text = page_text(hostile.html(f"papers/{paper.id}/index.html"))
        assert title in text, (paper.id, title)
        for fragment in LITERAL_FIELDS.get(title, []):
            assert fragment in text, (paper.id, fragment)


def test_every_title_is_literal_on_home_topic_and_month_pages(hostile: HostileBuild) -> None:
    result = hostile.result
    home = page_text(hostile.html("index.html"))
    memberships: dict[str, list[str]] = {}
    for rel in sorted(hostile.site.glob("topics/*/index.html")) + sorted(hostile.site.glob("months/*/index.html")):
        memberships[rel.relative_to(hostile.site).as_posix()] = [page_text(rel.read_text(encoding="utf-8"))]
    for paper in result.papers:
        if has_math(paper.title):
            continue
        assert paper.title in home, paper.title
        month = paper.month or "undated"
        assert paper.title in memberships[f"months/{month}/index.html"][0], (paper.title, month)
        topic_pages = [t for rel, (t,) in memberships.items() if rel.startswith("topics/") and paper.title in t]
        assert topic_pages, paper.title


def test_latex_renders_only_from_titles_and_abstracts(hostile: HostileBuild) -> None:
    math = hostile.paper("AstroM$^3$: Real Math with $\\frac{a}{b}$ in a Title")
    html = hostile.html(f"papers/{math.id}/index.html")
    assert html.count("<math") >= 2 and "<mfrac>" in html
    smuggled = hostile.paper_html("$\\href{javascript:alert(9)}{x}$ Math Smuggling")
    assert "<math" in smuggled
    assert not re.search(r"<[^>]+\shref=[\"']?javascript", smuggled)
    unbalanced = hostile.paper("Unbalanced $ dollars \\ and \\\\ backslashes $x")
    page = hostile.html(f"papers/{unbalanced.id}/index.html")
    title_match = re.search(r'<h1 class="pc-title" dir="auto">(.*?)</h1>', page)
    assert title_match is not None
    title_html = title_match.group(1)
    assert "<math" not in title_html
    curated = hostile.paper("<script>alert('yaml')</script> Curated \"Quoted\" Title")
    page = hostile.html(f"papers/{curated.id}/index.html")
    authors_match = re.search(r"<dt>Authors</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert authors_match is not None
    authors = authors_match.group(1)
    assert "<math" not in authors and "$\\alpha$ Team" in unescape(authors)


def test_front_matter_holds_only_the_keys_papercat_writes(hostile: HostileBuild) -> None:
    pages = hostile.report.prepared.pages
    for paper in hostile.result.papers:
        text = pages[f"papers/{paper.id}.md"]
        assert text.startswith("---\n")
        head, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(head)
        assert set(meta) == {"title", "description", "hide", "paper"}
        # The tab title is the plain-text form of the title: its LaTeX as characters, nothing else changed.
        assert unescape(meta["title"]) == plain_text(paper.title)
        assert meta["paper"]["title"] == paper.title and meta["paper"]["id"] == paper.id
        assert "<script" not in meta["description"] and "<script" not in meta["title"]
        # The body is raw HTML: no line of it may start Markdown block syntax outside a tag.
        for line in body.splitlines():
            assert not line.startswith(("!!!", "???", "{:", "#", "---", "[", "![")), (paper.id, line)


def test_no_template_syntax_is_evaluated(hostile: HostileBuild) -> None:
    for path in hostile.site.rglob("*.html"):
        text = page_text(path.read_text(encoding="utf-8"))
        assert "49 and" not in text and "49Former" not in text, path
    page = page_text(hostile.paper_html("{{ 7*7 }} and {% raw %}Template{% endraw %} Syntax {# comment #}"))
    assert "{{ 7*7 }} and {% raw %}Template{% endraw %} Syntax {# comment #}" in page


def test_search_records_hold_titles_as_text(hostile: HostileBuild) -> None:
    """The records a search result shows hold every hostile title as the listing wrote it, as JSON text."""
    import gzip
    import json

    from generator.site.search import search_records

    records = {r["u"]: r for r in search_records(hostile.report.prepared.model)}
    written = set()
    index = hostile.site / "search-index" / "s"
    for path in index.rglob("r/**/*.gz"):
        written.add(json.loads(gzip.decompress(path.read_bytes()))["u"])
    assert written == set(records)
    for title in LITERAL_TITLES:
        paper = hostile.paper(title)
        assert records[f"papers/{paper.id}/"]["t"] == title


# --- determinism ----------------------------------------------------------------------------


def test_two_builds_of_the_hostile_corpus_are_byte_identical(hostile: HostileBuild, tmp_path: Path) -> None:
    again = build_hostile(tmp_path / "again")
    assert tree_digest(again.site) == tree_digest(hostile.site)
    assert again.report.prepared.pages == hostile.report.prepared.pages
    assert [p.to_dict() for p in ingest_content(again.project.content_dir).papers] == [p.to_dict() for p in hostile.result.papers]


def test_feeds_and_downloads_hold_the_titles_as_text(hostile: HostileBuild) -> None:
    """Every XML file parses (an unescaped ``<`` or ``&`` would break it); feed and JSON titles are literal."""
    import xml.etree.ElementTree as ET

    xml_files = sorted(hostile.site.rglob("*.xml"))
    assert xml_files
    for path in xml_files:
        ET.parse(path)
    feed = hostile.site / "feed.xml"
    if feed.is_file():
        titles = {" ".join((e.text or "").split()) for e in ET.parse(feed).iter() if e.tag.endswith("}title") or e.tag == "title"}
        assert set(LITERAL_TITLES) <= titles, set(LITERAL_TITLES) - titles
    catalogue = hostile.site / "downloads" / "catalogue.json.gz"
    if catalogue.is_file():
        records = json.loads(gzip.decompress(catalogue.read_bytes()).decode("utf-8"))["records"]
        assert {r["title"] for r in records} == {p.title for p in hostile.result.papers}

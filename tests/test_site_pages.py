"""Page generation: the Markdown pages papercat writes, checked without running MkDocs.

Small in-memory catalogues go through ``SiteModel`` and ``PageRenderer`` exactly as the build
does; a golden check reads the pages generated for the bundled catalogue.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from site_fixtures import NEURIPS, ROOT, TEMPLATES, make_model, small_catalogue

from generator.model import Paper
from generator.site.pages import PageRenderer
from generator.site.urls import Linker, page_url
from generator.site.view import SiteModel


@pytest.fixture(scope="module")
def model() -> SiteModel:
    return make_model(*small_catalogue())


@pytest.fixture(scope="module")
def pages(model: SiteModel) -> dict[str, str]:
    """The Markdown pages and, beside them, the downloads and feeds: every file the site gets from papercat."""
    return PageRenderer(TEMPLATES).pages(model)


# ---------------------------------------------------------------- helpers


def split_page(text: str) -> tuple[dict, str]:
    """``(front matter, body)`` of a generated Markdown page."""
    match = re.match(r"---\n(.*?\n)---\n(.*)", text, re.S)
    assert match, "page has no YAML front matter"
    return yaml.safe_load(match.group(1)), match.group(2)


def fact(text: str, label: str) -> str | None:
    """What a paper page shows for ``label`` in its facts list (``<dt>label</dt> <dd>value</dd>``)."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", text)
    return match.group(1) if match else None


def body_of(text: str) -> str:
    return split_page(text)[1] if text.startswith("---\n") else text


def linked_pages(page: str, text: str) -> list[str]:
    """Docs-relative URLs (``papers/x/``) of every relative href on ``page``, in order."""
    base = page_url(page)
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    out = []
    for href in re.findall(r'href="([^"#]*)(?:#[^"]*)?"', body_of(text)):
        if not href or re.match(r"[a-z]+:", href):
            continue
        target = posixpath.normpath(posixpath.join(base_dir, href))
        out.append("" if target == "." else target + ("/" if href.endswith("/") else ""))
    return out


def paper_links(page: str, text: str) -> list[str]:
    """Ids of the papers ``page`` links to, in order, one entry per link."""
    return [u.removeprefix("papers/").rstrip("/") for u in linked_pages(page, text) if u.startswith("papers/")]


def sections(text: str) -> list[tuple[str, int | None, str]]:
    """``(heading, count, content)`` of every ``##`` section of a page.

    The count is the "N papers" line right under the heading (kept out of the heading so that
    its anchor does not change with the count).
    """
    out = []
    parts = re.split(r"^## (.*)$", body_of(text), flags=re.M)
    for heading, content in zip(parts[1::2], parts[2::2], strict=True):
        count = re.match(r'\s*<p class="pc-group-count"><span class="pc-count">(\d+) papers?</span>', content)
        label = html.unescape(re.sub(r"<[^>]+>.*", "", heading).strip()).replace("\\", "")
        out.append((label, int(count.group(1)) if count else None, content))
    return out


# ---------------------------------------------------------------- URLs and links


def test_page_url_and_relative_links():
    assert page_url("index.md") == ""
    assert page_url("papers/x.md") == "papers/x/"
    assert page_url("topics/index.md") == "topics/"
    assert page_url("papers/x.md", directory_urls=False) == "papers/x.html"
    link = Linker(directory_urls=True)
    assert link("papers/x.md", "topics/vision.md") == "../../topics/vision/"
    assert link("index.md", "papers/x.md") == "papers/x/"
    assert link("papers/x.md", "index.md") == "../../"
    assert link("topics/index.md", "topics/vision.md") == "vision/"
    assert link("topics/vision.md", "topics/index.md") == "../"
    flat = Linker(directory_urls=False)
    assert flat("papers/x.md", "topics/vision.md") == "../topics/vision.html"
    assert flat("index.md", "papers/x.md") == "papers/x.html"


# ---------------------------------------------------------------- paper pages


def test_paper_front_matter_round_trips_the_record(model, pages):
    for paper in model.papers:
        meta, _ = split_page(pages[f"papers/{paper.id}.md"])
        assert meta["paper"] == paper.to_dict()
        assert Paper.from_dict(meta["paper"]) == paper


def test_paper_title_in_front_matter_is_escaped_text(model, pages):
    meta, body = split_page(pages["papers/tricky.md"])
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp;" in meta["title"]
    assert "<b>" not in body and "&lt;b&gt;Bold&lt;/b&gt; &amp;" in body


def test_paper_page_shows_the_facts(pages):
    _, body = split_page(pages["papers/diffusion-nets.md"])
    assert '<h1 class="pc-title" dir="auto">Diffusion Nets for Images</h1>' in body
    assert fact(body, "Date") == "5 March 2024"
    assert fact(body, "Authors") == "Ada Lovelace, Alan Turing"
    assert fact(body, "Organisation") == "Analytical Engines Ltd"
    assert fact(body, "Venue") == f"{NEURIPS}"
    assert fact(body, "Upvotes") == "12"
    assert "inferred title" not in body
    # every listing the paper came from, with the listing's capture date when known
    assert "<code>a.txt</code>, line 3 (Daily Papers page), captured 2024-03-06" in body
    assert "<code>b.txt</code>, line 17 (search-results page), captured 2024-04-01" in body


def test_paper_page_links_the_listing_it_came_from():
    import dataclasses

    from generator.readers import SourceMeta

    model = make_model(*small_catalogue())
    url = "https://example.org/papers?date=2024-03-06&sort=new"
    model = dataclasses.replace(model, ingest=dataclasses.replace(model.ingest, sources={"a.txt": SourceMeta(url=url)}))
    _, body = split_page(PageRenderer(TEMPLATES).pages(model)["papers/diffusion-nets.md"])
    shown = html.escape(url)
    assert f'captured 2024-03-06 from <a href="{shown}" rel="noopener nofollow">{shown}</a></li>' in body
    assert "<code>b.txt</code>, line 17 (search-results page), captured 2024-04-01</li>" in body


def test_paper_page_links_its_topics(pages):
    text = pages["papers/diffusion-nets.md"]
    topics = [u for u in linked_pages("papers/diffusion-nets.md", text) if u.startswith("topics/")]
    assert topics == ["topics/generative/", "topics/vision/"]  # primary first
    assert ">Generative Models</a>" in text and ">Computer Vision</a>" in text


def test_author_count_shown_when_names_are_missing(pages):
    assert fact(pages["papers/astrom-3.md"], "Authors") == "7 authors (names not listed)"
    assert fact(pages["papers/seeing-far.md"], "Authors") == "1 author (names not listed)"
    assert fact(pages["papers/inferred-one.md"], "Authors") == "not listed"


def test_dates_shown_at_their_precision(pages):
    assert fact(pages["papers/astrom-3.md"], "Date") == "March 2024"
    assert fact(pages["papers/old-vision.md"], "Date") == "2022"
    assert fact(pages["papers/inferred-one.md"], "Date") == "undated"


def test_a_year_papercat_inferred_is_said_so_on_the_page():
    model = make_model(*small_catalogue())
    for paper in model.papers:
        if paper.id == "seeing-far":
            paper.date_inferred = True
    pages = PageRenderer(TEMPLATES).pages(model)
    assert fact(pages["papers/seeing-far.md"], "Date") == "20 November 2023 (the year is inferred: the listing did not print it)"
    assert fact(pages["papers/diffusion-nets.md"], "Date") == "5 March 2024"


def test_missing_facts_are_left_out(pages):
    body = pages["papers/seeing-far.md"]
    assert fact(body, "Venue") is None and fact(body, "Upvotes") is None and fact(body, "Organisation") is None


def test_inferred_title_is_marked(pages):
    body = pages["papers/inferred-one.md"]
    assert '<span class="pc-badge">inferred title</span>' in body
    assert "derived from the abstract" in body
    # and in every listing row of the paper
    for page in ("index.md", "topics/vision.md", "topics/generative.md", "months/undated.md"):
        row = re.search(r'href="[^"]*papers/inferred-one/" dir="auto">.*?</a>(.*?)\n', pages[page])
        assert row and "inferred title" in row.group(1), page
    other_row = re.search(r'href="[^"]*papers/seeing-far/" dir="auto">.*?</a>(.*?)\n', pages["topics/vision.md"])
    assert other_row and "inferred title" not in other_row.group(1)


def test_latex_in_title_becomes_mathml(pages):
    _, body = split_page(pages["papers/astrom-3.md"])
    h1 = re.search(r'<h1 class="pc-title" dir="auto">(.*?)</h1>', body).group(1)
    assert re.match(r'AstroM<span class="pc-math" title="\$\^3\$"><math [^>]*xmlns="http://www.w3.org/1998/Math/MathML"', h1)
    assert re.search(r"<msup>.*<mn>3</mn>.*</msup>", h1)
    assert '<annotation encoding="application/x-tex">^3</annotation>' in h1
    visible = re.sub(r'title="[^"]*"|<annotation.*?</annotation>', "", h1)
    assert "$" not in visible
    assert h1.endswith(": A self-supervised multimodal model for astronomy")
    # the listing rows render it the same way
    assert '<span class="pc-math" title="$^3$"><math' in pages["topics/science.md"]


# ---------------------------------------------------------------- listing pages


def _each_once(ids: list[str]) -> set[str]:
    counts = Counter(ids)
    assert all(n == 1 for n in counts.values()), {k: n for k, n in counts.items() if n != 1}
    return set(counts)


def test_topic_pages_link_each_of_their_papers_once(model, pages):
    for topic in model.topics_used:
        path = f"topics/{topic.slug}.md"
        assert _each_once(paper_links(path, pages[path])) == {p.id for p in model.by_topic[topic.slug]}, path


def test_topic_page_groups_by_month_newest_first_with_undated_last(pages):
    text = pages["topics/vision.md"]
    assert '<p class="pc-count-line">5 papers, newest first.' in text
    got = [(label, count, paper_links("topics/vision.md", content)) for label, count, content in sections(text)]
    assert got == [
        ("March 2024", 2, ["diffusion-nets", "astrom-3"]),
        ("November 2023", 1, ["seeing-far"]),
        ("2022, month not given", 1, ["old-vision"]),  # dated by its year only: under its year, not "Undated"
        ("Undated", 1, ["inferred-one"]),
    ]


def test_papers_of_one_day_and_undated_papers_are_listed_a_to_z():
    from site_fixtures import catalogue_paper

    from generator.topics import TopicAssignment

    papers = [
        catalogue_paper("zeta", "Zeta Nets", date="2024-03-05", date_precision="day"),
        catalogue_paper("alpha", "Alpha Nets", date="2024-03-05", date_precision="day"),
        catalogue_paper("newer", "Newer Nets", date="2024-03-06", date_precision="day"),
        catalogue_paper("walrus", "Walrus Vision"),
        catalogue_paper("beaver", "beaver vision"),
    ]
    model = make_model(papers, {p.id: TopicAssignment("vision", (), {"vision": ("nets",)}) for p in papers})
    assert [p.id for p in model.papers] == ["newer", "alpha", "zeta", "beaver", "walrus"]
    assert [p.id for p in model.by_month["undated"]] == ["beaver", "walrus"]


def test_month_pages_link_each_of_their_papers_once(model, pages):
    assert set(model.by_month) == {"2024-03", "2023-11", "2022", "undated"}
    for month, papers in model.by_month.items():
        path = f"months/{month}.md"
        assert _each_once(paper_links(path, pages[path])) == {p.id for p in papers}, path
    meta, _ = split_page(pages["months/2024-03.md"])
    assert meta["title"] == "March 2024"


def test_month_page_groups_by_primary_topic(pages):
    got = [(label, count, paper_links("months/2024-03.md", content)) for label, count, content in sections(pages["months/2024-03.md"])]
    assert got == [("Generative Models", 1, ["diffusion-nets"]), ("AI for Science & Health", 1, ["astrom-3"])]
    assert "2 papers, grouped by primary topic" in pages["months/2024-03.md"]


def test_undated_page_lists_the_undated_papers(pages):
    meta, body = split_page(pages["months/undated.md"])
    assert meta["title"] == "Undated papers"
    assert "whose listings gave no date" in body
    assert set(paper_links("months/undated.md", body)) == {"inferred-one"}
    meta, body = split_page(pages["months/2022.md"])
    assert meta["title"] == "2022, month not given" and "whose listings gave only the year" in body
    assert set(paper_links("months/2022.md", body)) == {"old-vision"}


def test_home_lists_the_newest_papers_once_each(model, pages):
    text = pages["index.md"]
    newest = next(content for label, _, content in sections(text) if label == "Newest papers")
    assert paper_links("index.md", newest) == [p.id for p in model.papers[:12]]
    assert paper_links("index.md", text) == [p.id for p in model.papers[:12]]
    small = PageRenderer(TEMPLATES).pages(make_model(*small_catalogue(), newest_papers=2))
    assert paper_links("index.md", small["index.md"]) == ["diffusion-nets", "astrom-3"]


def test_home_counts(model, pages):
    text = pages["index.md"]
    stats = dict((label, int(n)) for n, label in re.findall(r'<span class="pc-stat">(\d+)</span> (\w+)', text))
    assert stats == {"papers": 6, "topics": 4, "months": 2, "listings": 3}


def test_months_index_groups_by_year_with_counts(pages):
    text = pages["months/index.md"]
    got = [(label, count) for label, count, _ in sections(text)]
    assert got == [("2024", 2), ("2023", 2), ("2022", 1), ("Undated", 1)]
    year_2023 = sections(text)[1][2]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a> <span class="pc-count">(\d+)</span>', year_2023) == [
        ("2023-11/", "November 2023", "2")
    ]
    assert [u for u in linked_pages("months/index.md", text) if u.startswith("months/")] == [
        "months/2024-03/", "months/2023-11/", "months/2022/", "months/undated/"
    ]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', sections(text)[2][2]) == [("2022/", "2022, month not given")]


def test_topic_without_papers_has_no_page(model, pages):
    assert "robotics" not in {t.slug for t in model.topics_used}
    assert not any("robotics" in path for path in pages)
    for path in ("index.md", "topics/index.md"):
        assert "topics/robotics/" not in linked_pages(path, pages[path])
    assert {p for p in pages if p.startswith("topics/") and p.endswith(".md")} == {
        "topics/index.md", "topics/vision.md", "topics/generative.md", "topics/science.md", "topics/other.md"
    }


def test_every_paper_has_a_page_and_every_link_targets_a_page(model, pages):
    assert {p for p in pages if p.startswith("papers/")} == {f"papers/{p.id}.md" for p in model.papers}
    urls = {page_url(p) for p in pages if p.endswith(".md")}
    files = {p for p in pages if not p.endswith(".md")}  # exports and feeds written beside the pages
    checked = set()
    for path, text in pages.items():
        if path.endswith(".md"):
            for url in linked_pages(path, text):
                assert url in (urls if url.endswith("/") or url == "" else files), (path, url)
                checked.add(url)
    assert {"downloads/catalogue.bib.gz", "downloads/catalogue-2024.json", "downloads/topic-vision.bib", "feed-vision.xml"} <= checked
    assert len(checked & urls) > len(model.papers)


# ---------------------------------------------------------------- navigation


def test_nav_has_the_four_sections_and_no_paper_pages():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = config["nav"]
    entries = [next(iter(entry.items())) for entry in nav]
    wanted = [("Home", "index.md"), ("Topics", "topics/index.md"), ("Months", "months/index.md"), ("About", "about.md")]
    assert [e for e in entries if e in wanted] == wanted  # in this order; other sections may sit between
    assert entries[0] == ("Home", "index.md")

    def leaves(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from (leaves(value) if isinstance(value, list) else [value])

    assert not [t for t in leaves(nav) if str(t).startswith("papers/")]


# ---------------------------------------------------------------- golden: the bundled catalogue


@pytest.fixture(scope="module")
def bundled_docs(tmp_path_factory) -> Path:
    """The Markdown pages generated for the bundled catalogue (no MkDocs run)."""
    from generator.site.build import Project, prepare_project
    from generator.site.writer import write_docs

    docs = tmp_path_factory.mktemp("generated") / "docs"
    write_docs(docs, prepare_project(Project.at(ROOT)).pages)
    return docs


def test_golden_paper_with_venue_from_listing_metadata(bundled_docs):
    meta, body = split_page((bundled_docs / "papers/capturing-failures-of-large-language-models-via-human-cognitive-biases.md").read_text())
    record = meta["paper"]
    assert record["title"] == "Capturing Failures of Large Language Models via Human Cognitive Biases"
    assert record["venue"] == NEURIPS and record["date"] is None and record["authors"] == []
    assert record["sources"] == [{"file": "000_f2c3e964f4632815.txt", "line": 71, "reader": "topic-listing"}]
    assert Paper.from_dict(record).id == "capturing-failures-of-large-language-models-via-human-cognitive-biases"
    assert fact(body, "Date") == "undated"
    assert fact(body, "Venue") == f"{NEURIPS}"
    assert fact(body, "Authors") == "not listed"
    assert re.search(r'href="\.\./\.\./topics/llm/">Large Language Models &amp; NLP</a>', body)
    assert "<code>000_f2c3e964f4632815.txt</code>, line 71 (topic listing)</li>" in body  # no capture date


def test_golden_paper_merged_from_two_listings(bundled_docs):
    page = bundled_docs / "papers/alp-data-augmentation-using-lexicalized-pcfgs-for-few-shot-text-classification.md"
    meta, body = split_page(page.read_text())
    assert meta["paper"]["date"] == "2021-12-16" and meta["paper"]["author_count"] == 5
    assert fact(body, "Date") == "16 December 2021"
    assert fact(body, "Authors") == "5 authors (names not listed)"
    assert "<code>001_081b339fd5401ceb.txt</code>, line 79 (search-results page)</li>" in body
    assert "<code>004_a179481af104a910.txt</code>, line 29 (Daily Papers page), captured 2025-11-13</li>" in body
    december = (bundled_docs / "months/2021-12.md").read_text()
    assert "alp-data-augmentation-using-lexicalized-pcfgs-for-few-shot-text-classification/" in december


def test_golden_latex_title(bundled_docs):
    meta, body = split_page((bundled_docs / "papers/astrom-3-a-self-supervised-multimodal-model-for-astronomy.md").read_text())
    assert meta["paper"]["title"] == "AstroM$^3$: A self-supervised multimodal model for astronomy"
    assert '<h1 class="pc-title" dir="auto">AstroM<span class="pc-math" title="$^3$"><math' in body
    assert "<msup>" in body


def test_golden_every_bundled_paper_round_trips(bundled_docs):
    from site_fixtures import BUNDLED_PAPERS

    files = sorted((bundled_docs / "papers").glob("*.md"))
    assert len(files) == BUNDLED_PAPERS
    for path in files:
        meta, _ = split_page(path.read_text(encoding="utf-8"))
        paper = Paper.from_dict(meta["paper"])
        assert f"{paper.id}.md" == path.name


def test_plain_text_shows_rendered_latex_as_characters():
    """The browser tab and search results cannot show MathML: simple LaTeX becomes characters."""
    from generator.site.text import plain_text

    assert plain_text("AstroM$^3$: a model") == "AstroM³: a model"
    assert plain_text("P$^2$ with $x_2$ and $10^{-3}$") == "P² with x₂ and 10⁻³"
    assert plain_text(r"$\alpha$-decay") == "α-decay"
    assert plain_text("costs $5 and $6") == "costs $5 and $6"  # not math: left as written
    assert plain_text("<script>$^3$") == "<script>³"  # still untrusted text: escaped where used


def test_home_month_links_are_named_with_their_year(pages):
    """"Nov" alone, under a year's heading, is one of several "Nov" links: each is read "Nov 2023" (its year not shown)."""
    links = re.findall(r'<a href="[^"]*months/([^"/]+)/">([^<]+)<span class="pc-sr-only"> (\d{4})</span></a>', pages["index.md"])
    assert links and all(key[:4] == year for key, _, year in links), links


def test_stats_charts_keep_a_topics_colour_count_a_paper_once_per_listing_and_show_empty_months() -> None:
    papers, assignments = small_catalogue()
    # The first paper printed twice in one listing: that listing has it once.
    papers[0].sources = [*papers[0].sources, papers[0].sources[0].__class__("a.txt", 40, "daily-papers")]
    model = make_model(papers, assignments)
    text = PageRenderer(TEMPLATES).pages(model)["stats.md"]
    months = re.search(r'<svg class="pc-chart" id="pc-chart-months".*?</svg>.*?</div></div>', text, re.S)
    topics = re.search(r'<svg class="pc-chart" id="pc-chart-topics".*?</svg>', text, re.S)
    assert months and topics
    # Every month from Nov 2023 to Mar 2024 has its column, the empty ones too.
    assert re.findall(r'rotate\(-60\)" text-anchor="end">([^<]+)<', months.group(0)) == [
        "Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024", "Mar 2024"]
    legend = dict((html.unescape(name), colour) for colour, name in re.findall(
        r'pc-swatch (pc-series-\d+)"></span>([^<]+)<', months.group(0)))
    bars = dict((html.unescape(name), colour) for colour, name in re.findall(
        r'<rect class="(pc-series-\d+)"[^>]*><title>([^<:]+):', topics.group(0)))
    assert legend and all(bars[name] == colour for name, colour in legend.items()), (legend, bars)
    assert "AI for Science &amp; Health: 1 paper<" in topics.group(0)
    listing = re.search(r'<svg class="pc-chart" id="pc-chart-listings".*?</svg>', text, re.S)
    assert listing and "a.txt: 4 papers<" in listing.group(0)  # not 5

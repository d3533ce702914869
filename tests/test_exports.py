"""Citations, the catalogue downloads and the Atom feeds: what a reader takes away from the site."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import bibtexparser
import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_fixtures import catalogue_json

from generator.model import Paper, Source
from generator.site.cite import bibliography, bibtex_entry, citation_keys, entry_fields, escape_value
from generator.site.feeds import FEED_SIZE, atom_feed

HOSTILE = [
    "AstroM$^3$: {broken $x{$ } @misc{evil, title={x}} 50% #1 a_b ~ ^ \\ end",
    "Unbalanced } brace { and \\textbf{bold}",
    "Quotes \"here\" and 'there', comma, = sign",
]


def _paper(pid: str, title: str, **kw) -> Paper:
    kw.setdefault("abstract", "We study things. " * 3)
    return Paper(title=title, id=pid, sources=[Source("a.txt", 1, "yaml")], **kw)


def _parsed(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    return {e.key: {"@type": e.entry_type, **{f.key: f.value for f in e.fields}} for e in library.entries}


def test_entry_has_key_type_venue_month_year_and_authors():
    paper = _paper("pomp", "POMP: Probabilistic Prompt Pre-training", authors=["Jane Q. Smith", "Li Wei"],
                   venue="NeurIPS", date="2024-07-03", date_precision="day", arxiv_id="2401.01234")
    keys = citation_keys([paper])
    assert keys == {"pomp": "smith2024pomp"}
    entry = _parsed(bibtex_entry(paper, keys["pomp"]))["smith2024pomp"]
    assert entry["@type"] == "inproceedings"
    assert entry["booktitle"] == "NeurIPS"
    assert entry["author"] == "Jane Q. Smith and Li Wei"
    assert (entry["year"], entry["month"]) == ("2024", "jul")
    assert (entry["eprint"], entry["archiveprefix"]) == ("2401.01234", "arXiv")


@pytest.mark.parametrize(
    ("venue", "kind", "field"),
    [("Journal of Machine Learning Research", "article", "journal"), ("Nature Machine Intelligence", "article", "journal"),
     ("Transactions on Machine Learning Research", "article", "journal"),
     ("Neural Information Processing Systems", "inproceedings", "booktitle"),
     ("Proceedings of the AAAI Conference on Artificial Intelligence", "inproceedings", "booktitle"),
     ("ICLR 2024 Workshop on Science", "inproceedings", "booktitle")],
)
def test_a_journal_is_an_article_and_a_conference_proceedings(venue: str, kind: str, field: str) -> None:
    paper = _paper("p", "A Paper", authors=["Ada Lovelace"], venue=venue, date="2024-01-01", date_precision="day")
    entry = _parsed(bibtex_entry(paper, "k"))["k"]
    assert entry["@type"] == kind and entry[field] == venue
    other = ({"journal", "booktitle"} - {field}).pop()
    assert other not in entry


def test_paper_without_venue_authors_or_date_is_a_misc_entry_with_a_stable_key():
    paper = _paper("x", "The Unreasonable Effectiveness of Data")
    key = citation_keys([paper])["x"]
    assert key == "nd" + "unreasonable"
    entry = _parsed(bibtex_entry(paper, key))[key]
    assert entry["@type"] == "misc" and "year" not in entry and "author" not in entry


def test_a_key_spells_out_letters_that_have_no_accent_to_strip():
    paper = _paper("l", "Ærodynamic Flows", authors=["Łukasz Wróblewski-Strauß"], date="2024-01-01", date_precision="year")
    assert citation_keys([paper])["l"] == "wroblewskistrauss2024aerodynamic"


def test_keys_are_unique_and_do_not_change_when_an_unrelated_paper_is_added():
    a = _paper("a-one", "Diffusion Models Beat GANs", authors=["A Smith"], date="2021-01-01", date_precision="year")
    b = _paper("b-two", "Diffusion Policies", authors=["B Smith"], date="2021-05-01", date_precision="month")
    c = _paper("c-three", "Graph Attention", authors=["C Jones"])
    before = citation_keys([a, b])
    assert before["a-one"] != before["b-two"] and before["a-one"].startswith("smith2021diffusion")
    after = citation_keys([a, b, c])
    assert {k: after[k] for k in before} == before
    assert len(set(after.values())) == 3


@pytest.mark.parametrize("title", HOSTILE)
def test_every_field_parses_back_with_the_same_parser(title):
    paper = _paper("h", title, authors=["O'Brien, Pat", "{Evil} Name"], venue="Proc. of {X} & Y", url="https://x.org/a_b%20c")
    key = citation_keys([paper])["h"]
    entry = _parsed(bibtex_entry(paper, key))[key]
    written = dict(entry_fields(paper))
    assert {k: v for k, v in entry.items() if k != "@type"} == written


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_any_title_gives_one_valid_entry(title):
    paper = _paper("t", title.strip() or "x")
    text = bibliography([paper, _paper("u", "Second paper")])
    parsed = _parsed(text)
    assert len(parsed) == 2
    assert parsed[citation_keys([paper])["t"]]["title"] == "{" + escape_value(paper.title) + "}"  # its case kept


def test_latex_math_is_kept_and_special_characters_escaped():
    assert escape_value("AstroM$^3$ gains 50% on a_b") == r"AstroM$^3$ gains 50\% on a\_b"
    assert "\\textbraceleft{}" in escape_value("a { b")


def _feed_papers(n: int) -> list[Paper]:
    return [
        _paper(f"p{i:03d}", f"Paper number {i} <b>bold</b> & co", date=f"2024-{1 + i % 12:02d}-01", date_precision="day",
               authors=["Ann Lee"] if i % 2 else [])
        for i in range(n)
    ]


@pytest.mark.parametrize("site_url", [None, "https://example.org/cat/"])
def test_feed_parses_and_keeps_titles_literal(site_url):
    import datetime as dt

    papers = _feed_papers(FEED_SIZE + 10)
    xml = atom_feed(papers, slug="vision", title="cat: Vision", subtitle="Seeing", site_url=site_url,
                    updated=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), page_url="topics/vision/",
                    paper_url=lambda p: f"papers/{p.id}/", day_of=lambda p: p.date)
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == FEED_SIZE
    # Newest first (December's papers, in the order given), whatever order the papers come in.
    assert feed.entries[0].title == "Paper number 11 <b>bold</b> & co"
    assert [e.updated[:10] for e in feed.entries] == sorted((e.updated[:10] for e in feed.entries), reverse=True)
    link = feed.entries[0].link
    assert link == (f"{site_url}papers/p011/" if site_url else "papers/p011/")
    # Same inputs, same bytes: nothing comes from the clock.
    again = atom_feed(papers, slug="vision", title="cat: Vision", subtitle="Seeing", site_url=site_url,
                      updated=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), page_url="topics/vision/",
                      paper_url=lambda p: f"papers/{p.id}/", day_of=lambda p: p.date)
    assert again == xml


def test_a_feed_dates_an_undated_paper_by_its_listings_capture_and_never_calls_it_new():
    from site_fixtures import catalogue_paper, make_model

    from generator.model import Source
    from generator.site.exports import feeds
    from generator.topics import TopicAssignment

    papers = [
        catalogue_paper("new", "A Dated Paper", date="2025-11-11", date_precision="day"),
        catalogue_paper("seen", "Seen On A Captured Page", sources=[Source("b.txt", 3, "search-results")]),
        catalogue_paper("unknown", "From A Page Of Unknown Date", sources=[Source("other.txt", 3, "search-results")]),
    ]
    model = make_model(papers, {p.id: TopicAssignment("vision", (), {}) for p in papers})  # b.txt captured 2024-04-01
    feed = feedparser.parse(feeds(model)["feed.xml"])
    assert [(e.title, e.updated[:10], "published" in e) for e in feed.entries] == [
        ("A Dated Paper", "2025-11-11", True), ("Seen On A Captured Page", "2024-04-01", False),
    ]
    # Dated by its capture day, it takes its place among older dated papers, not after all of them.
    older = catalogue_paper("older", "An Older Paper", date="2023-02-02", date_precision="day")
    model = make_model([*papers, older], {p.id: TopicAssignment("vision", (), {}) for p in [*papers, older]})
    feed = feedparser.parse(feeds(model)["feed-vision.xml"])
    assert [e.title for e in feed.entries] == ["A Dated Paper", "Seen On A Captured Page", "An Older Paper"]


def test_built_site_offers_bibtex_json_and_feeds(built_site: Path):
    downloads = built_site / "downloads"
    whole_bib = gzip.decompress((downloads / "catalogue.bib.gz").read_bytes()).decode("utf-8")
    library = bibtexparser.parse_string(whole_bib)
    assert not library.failed_blocks
    assert len(library.entries) == 484
    assert all("abstract" in e.fields_dict for e in library.entries[:20] if e.key)  # the files keep abstracts
    catalogue = catalogue_json(built_site)
    assert catalogue["papers"] == 484 == len(catalogue["records"])
    # Split per year: every paper in exactly one year file, BibTeX and JSON alike.
    years = sorted(downloads.glob("catalogue-*.json"))
    assert len(years) >= 3 and (downloads / "catalogue-undated.json").is_file()
    per_year = [r for path in years for r in json.loads(path.read_text(encoding="utf-8"))["records"]]
    assert sorted(r["id"] for r in per_year) == sorted(r["id"] for r in catalogue["records"])
    year_keys = [e.key for path in sorted(downloads.glob("catalogue-*.bib"))
                 for e in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries]
    assert sorted(year_keys) == sorted(e.key for e in library.entries)
    # Per topic, and the Export page lists every file with its size.
    topic_bibs = sorted(downloads.glob("topic-*.bib"))
    assert topic_bibs and "topic-llm.bib" in [p.name for p in topic_bibs]
    export = (built_site / "export" / "index.html").read_text(encoding="utf-8")
    for path in [*years, *topic_bibs, downloads / "catalogue.bib.gz", downloads / "catalogue.json.gz"]:
        assert f'href="../downloads/{path.name}"' in export, path.name
    assert re.search(r"<td>\d+\.\d (kB|MB)</td>", export)
    assert "downloads/topic-llm.bib" in (built_site / "topics" / "llm" / "index.html").read_text(encoding="utf-8")
    keys = {e.key for e in library.entries}
    assert {r["citation_key"] for r in catalogue["records"]} == keys
    for record in catalogue["records"][:50]:
        page = (built_site / record["page"] / "index.html").read_text(encoding="utf-8")
        assert record["citation_key"] in page
        # The page shows the abstract once, in its body: its BibTeX entry leaves it out.
        bibtex = re.search(r'<pre class="pc-bibtex">(.*?)</pre>', page, re.S).group(1)
        assert "abstract = {" not in bibtex
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == FEED_SIZE
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and "feed.xml" in home
    topic_feeds = sorted(built_site.glob("feed-*.xml"))
    assert topic_feeds
    for path in topic_feeds:
        assert not feedparser.parse(path.read_bytes()).bozo, path.name


@pytest.mark.parametrize(
    "math",
    [r"$\input{/etc/passwd}$", r"$\def\x{1}\x$", r"$\immediate\write18{rm -rf ~}$", r"$\url{x}$",
     r'$\directlua{os.execute("touch /tmp/pwned")}$', r"$\endinput$", r"$\end{document}$", r"$\batchmode x$",
     r"$\someunknowncommand{x}$"],
)
def test_math_that_reads_files_or_defines_macros_is_written_as_text(math):
    value = escape_value(f"Title {math} end")
    assert "$" not in value.replace("\\$", "")  # no math left: every backslash is text
    assert value.count("\\textbackslash{}") >= 1
    assert escape_value(r"keeps $\frac{a}{b}$") == r"keeps $\frac{a}{b}$"


def test_math_with_a_comment_is_written_as_text():
    """A ``%`` in kept math would comment out the rest of the line, closing braces included."""
    assert escape_value("Title $x^2 % y$") == r"Title \$x\textasciicircum{}2 \% y\$"


def test_formulas_of_titles_stay_latex_in_bibtex():
    for math in [r"$\mathcal{L}_{\infty}$", r"$O(n\log n)$", r"$\sqrt{d}$", r"$\mathbb{R}^n$", r"AstroM$^3$", r"$\alpha$-$\beta$"]:
        assert escape_value(math) == math


def test_an_address_is_written_as_it_is_in_bibtex():
    from generator.site.cite import url_value

    assert url_value("https://example.org/~user/paper_v2.pdf?a=1%202#x") == "https://example.org/~user/paper_v2.pdf?a=1%202#x"
    assert url_value("https://example.org/a{b}\\c d") == "https://example.org/a%7Bb%7D%5Cc%20d"


def test_a_site_over_a_gigabyte_is_warned_about_naming_the_limit():
    from generator.ingest import IngestResult
    from generator.site.build import BuildReport

    def report(size: int) -> BuildReport:
        return BuildReport(IngestResult(papers=[], rejected=[], files=[]), 1, Path("site"), site_bytes=size, site_files=3)

    warning = report(1_200_000_000).size_warning
    assert warning and "1.20 GB" in warning and "1 GB" in warning and "GitHub Pages" in warning
    assert report(999_999_999).size_warning is None


def test_the_reported_site_size_counts_every_file_in_every_folder(tmp_path: Path) -> None:
    from generator.site.build import site_size

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_bytes(b"x" * 10)
    (tmp_path / "a" / "page.html").write_bytes(b"y" * 200)
    (tmp_path / "a" / "b" / "deep.json").write_bytes(b"z" * 3000)
    (tmp_path / "empty").mkdir()
    assert site_size(tmp_path) == (3210, 3)


def test_gzip_downloads_are_byte_identical_from_build_to_build():
    from site_fixtures import make_model, small_catalogue

    from generator.site.exports import catalogue_files

    first, listed = catalogue_files(make_model(*small_catalogue()))
    second, _ = catalogue_files(make_model(*small_catalogue()))
    assert first == second
    whole = first["downloads/catalogue.json.gz"]
    assert isinstance(whole, bytes) and whole[4:8] == b"\0\0\0\0"  # gzip header: no timestamp
    assert json.loads(gzip.decompress(whole))["papers"] == 6
    assert {d.path for d in listed} == set(first)
    assert {p for p in first if p.startswith("downloads/catalogue-")} == {
        "downloads/catalogue-2022.bib", "downloads/catalogue-2022.json", "downloads/catalogue-2023.bib",
        "downloads/catalogue-2023.json", "downloads/catalogue-2024.bib", "downloads/catalogue-2024.json",
        "downloads/catalogue-undated.bib", "downloads/catalogue-undated.json",
    }

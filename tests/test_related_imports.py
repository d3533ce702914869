"""Related papers, BibTeX and arXiv imports, the stats page and the meta tags indexers read."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.ingest import ingest_content
from generator.model import Paper, Source
from generator.site.related import related_papers

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def _paper(pid: str, title: str, abstract: str) -> Paper:
    return Paper(title=title, abstract=abstract, id=pid, sources=[Source("a.txt", 1, "yaml")])


def test_related_papers_share_words_never_include_the_paper_and_are_deterministic():
    papers = [
        _paper("diff-a", "Diffusion models for image synthesis", "Denoising diffusion probabilistic models generate images."),
        _paper("diff-b", "Faster diffusion sampling", "We speed up sampling of denoising diffusion models for images."),
        _paper("graph-a", "Graph neural networks for molecules", "Message passing on molecular graphs predicts properties."),
        _paper("graph-b", "Scalable graph transformers", "Attention over graph nodes scales message passing to large graphs."),
        _paper("rl-a", "Offline reinforcement learning", "Policies learned from logged rewards without interaction."),
    ]
    related = related_papers(papers, count=2)
    assert related["diff-a"][0] == "diff-b"
    assert related["graph-a"][0] == "graph-b"
    assert all(pid not in near for pid, near in related.items())
    assert related_papers(list(reversed(papers)), count=2) == related
    assert related_papers(papers, count=2, threads=2) == related  # papercat build --jobs 2


def test_bundled_papers_each_get_five_related_papers(built_site: Path):
    from site_fixtures import catalogue_json

    records = catalogue_json(built_site)["records"]
    ids = {r["id"] for r in records}
    assert sum(len(r["related"]) == 5 for r in records) >= 0.95 * len(records)
    for record in records:
        assert record["id"] not in record["related"]
        assert set(record["related"]) <= ids
    first = records[0]
    page = (built_site / first["page"] / "index.html").read_text(encoding="utf-8")
    assert "Related papers" in page
    for other in first["related"]:
        assert f'href="../{other}/"' in page


def test_bibtex_and_arxiv_imports_are_detected_merged_and_accounted_for(tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    # Misleading names: the format comes from the content.
    shutil.copy(FIXTURES / "references.bib", content / "export.txt")
    shutil.copy(FIXTURES / "query.atom", content / "results.dat")
    result = ingest_content(content)
    readers = {f.file: f.reader for f in result.files} if hasattr(result.files[0], "file") else {
        f.name: f.reader for f in result.files}
    assert readers == {"export.txt": "bibtex", "results.dat": "arxiv-atom"}
    assert result.reconciles()
    assert (result.records, len(result.papers), result.merged, len(result.rejected)) == (8, 4, 1, 3)
    by_title = {p.title: p for p in result.papers}
    attention = by_title["Attention Is All You Need"]
    assert attention.arxiv_id == "1706.03762"
    assert attention.venue == "Advances in Neural Information Processing Systems"  # from the .bib
    assert attention.date == "2017-06-12"  # the arXiv date is the more precise one
    assert attention.authors[:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert {s.reader for s in attention.sources} == {"bibtex", "arxiv-atom"}
    goedel = by_title["On Gödel-Style Proofs for BERT: 50% Less & More"]
    assert goedel.authors == ["Jörg Müller"]
    assert (goedel.date, goedel.date_precision) == ("2021-01-01", "year")
    assert "$\\frac{a}{b}$" in goedel.abstract  # math kept for the page to render
    script = next(p for p in result.papers if p.title.startswith("Tiny Recursive"))
    assert script.title == "Tiny Recursive Reasoners <script>alert(1)</script>"  # literal text, escaped on pages
    assert script.url == "https://arxiv.org/abs/2401.00001"
    rejected = {(r.file, r.line): r.reason for r in result.rejected}
    assert rejected[("results.dat", 36)] == "<entry> has no <title>"
    assert "no title" in rejected[("export.txt", 31)]
    assert "BibTeX syntax error" in rejected[("export.txt", 36)]


def _one_bibtex_paper(tmp_path: Path, entry: str):
    """The one paper read from a content folder holding ``entry`` as ``refs.bib``."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "refs.bib").write_text(entry, encoding="utf-8")
    [paper] = ingest_content(content).papers
    return paper


def test_a_percent_sign_in_a_bibtex_field_is_text_not_a_comment(tmp_path: Path):
    """BibTeX has no comments inside an entry: "Journal of 50% Things" keeps its end, as an escaped "\\%" does."""
    paper = _one_bibtex_paper(
        tmp_path,
        "@article{a,\n  title = {Sparse Routing Cuts 50% of the Compute},\n  journal = {Journal of {% raw %} Things},\n"
        "  abstract = {We route tokens sparsely. It saves 50\\% of the compute at equal quality.},\n  year = {2024}\n}\n",
    )
    assert paper.title == "Sparse Routing Cuts 50% of the Compute" and paper.venue == "Journal of % raw % Things"
    assert paper.abstract == "We route tokens sparsely. It saves 50% of the compute at equal quality."


def test_an_arxiv_id_in_a_bibtex_journal_field_is_the_papers_id(tmp_path: Path):
    """A scholarly search's BibTeX names a preprint's id in its journal: ``journal={arXiv preprint arXiv:1412.6980}``."""
    paper = _one_bibtex_paper(
        tmp_path,
        "@article{kingma2014adam,\n  title={{Adam}: A Method for Stochastic Optimization},\n  author={Kingma, Diederik P. and Ba, Jimmy},\n"
        "  journal={arXiv preprint arXiv:1412.6980},\n  year={2014}\n}\n",
    )
    assert paper.arxiv_id == "1412.6980"


def test_xml_entity_expansion_is_refused(tmp_path: Path):
    (tmp_path / "bomb.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&b;</title><summary>x</summary></entry></feed>\n',
        encoding="utf-8",
    )
    result = ingest_content(tmp_path)
    assert not result.papers
    assert len(result.rejected) == 1 and "refused" in result.rejected[0].reason


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta.append((values.get("name") or values["property"], values.get("content", "")))
        if tag == "link":
            self.links.append(values)


def _head(path: Path) -> _Meta:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    """The bundled catalogue built with its published address, as the Pages workflow builds it."""
    from generator.site.build import Project, build_site

    root = Path(__file__).resolve().parents[1]
    site = tmp_path_factory.mktemp("published") / "site"
    build_site(Project.at(root, site_dir=site, build_dir=site.parent / "build"), site_url="https://example.org/catalogue/")
    return site


@pytest.mark.site
def test_pages_have_canonical_url_description_and_citation_tags(published_site: Path):
    paper_pages = sorted((published_site / "papers").glob("*/index.html"))
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert len(paper_pages) == 484
    for page in paper_pages:
        assert f"https://example.org/catalogue/papers/{page.parent.name}/" in locations
    for page in paper_pages[:40]:
        head = _head(page)
        meta = dict(head.meta)
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [f"https://example.org/catalogue/papers/{page.parent.name}/"]
        assert meta["og:type"] == "article" and meta["og:url"] == canonical[0]
        assert meta["citation_title"] and meta["description"] and meta["og:title"]
    home = dict(_head(published_site / "index.html").meta)
    assert home["og:type"] == "website"


def test_stats_page_has_charts_with_text_alternatives(built_site: Path):
    page = (built_site / "stats" / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="pc-chart"[^>]*role="img"[^>]*>', page)
    assert len(charts) == 3
    assert page.count("<title id=") == 3 and page.count("<desc id=") == 3
    assert page.count("<rect ") > 50  # bars were drawn
    # Each table's summary names its chart: a list of three "The numbers" tells a screen reader nothing.
    assert re.findall(r"<summary>(.*?)</summary>", page) == [f"Papers per {what}: the numbers" for what in ("month", "topic", "listing")]


def test_every_chart_colour_stands_out_from_its_schemes_page() -> None:
    """Non-text contrast (1.4.11): a bar at least 3:1 against the page, in the light and the dark scheme."""
    css = (Path(__file__).resolve().parents[1] / "generator/defaults/config/assets/papercat.css").read_text(encoding="utf-8")

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for scheme, page in ((r":root \{", "#ffffff"), (r'\[data-md-color-scheme="slate"\] \{ --pc-series', "#1e2129")):
        block = re.search(scheme + r"[^}]*\}", css)
        assert block, scheme
        colours = re.findall(r"--pc-series-\d+: (#[0-9a-f]{6})", block.group(0))
        assert len(colours) == 12
        for colour in colours:
            lighter, darker = sorted((luminance(colour), luminance(page)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 3, (scheme, colour)

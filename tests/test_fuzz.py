"""Property tests: random listing text laced with hostile fragments never crashes a reader, never
breaks the accounting, and never reaches a page as markup.

Examples are few (the whole file runs in seconds); the fragments make each one count.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from site_fixtures import TEMPLATES, TOPICS, page_text, scan

from generator.ingest import IngestResult, ingest_content
from generator.ingest.decode import UndecodableFile, decode_listing
from generator.ingest.normalize import _INVISIBLE
from generator.ingest.slugs import MAX_SLUG, RESERVED, assign_ids
from generator.model import Paper, Rejected
from generator.readers import READERS, Document, SourceMeta
from generator.readers.base import PaperFields
from generator.readers.yaml_papers import YamlPapersReader
from generator.site.pages import PageRenderer
from generator.site.settings import SiteSettings
from generator.site.text import has_math, rich_text
from generator.site.view import SiteModel
from generator.site.writer import UnsafePath, write_docs
from generator.text import _MATHML_ATTRS, _MATHML_TAGS
from generator.topics import classify, load_taxonomy

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '<iframe src="javascript:alert(3)"></iframe>',
    '<a href="javascript:alert(4)">x</a>', "[x](javascript:alert(5))", "![i](javascript:alert(6))",
    '{: onclick="alert(7)" }', "!!! note", "??? danger", "{{ 7*7 }}", "{% raw %}", "{% endraw %}", "{# c #}",
    "---", "title: x", '"', "'", "&", "&amp;", "&lt;", "*", "!", "|", ">", "<", "`", "$", "$x^2$", "$\\frac{a}{b}$",
    "$\\href{javascript:alert(8)}{x}$", "$\\text{<script>}$", "\\", "\\\\", "<!--", "-->", "<![CDATA[", "]]>",
    "</div>", "</p>", "<div markdown=\"1\">", "<svg onload=alert(9)>", "\x00", "\x07", "\x1b", "\u200b", "\u202e",
    "\u2066", "\ufeff", "\u2028", "\x85", "\t", "\r\n", "\n", "\n\n", " ", "Abstract:", "• 3 authors", "·",
    "Jul 13, 2023", "May 18", "Neural Information Processing Systems", "papers:", "- title: ", "abstract: ",
    "Subscribe", "Daily Papers", "e.g.", "fashion.However", "https://x.org/a.b", "日本語", "é", "\U0001f600",
]
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), WORDS), max_size=25).map("".join)
# Listing-shaped text: lines of hostile text, prose-long or title-short, with blank lines between some.
PROSE = st.builds(
    lambda head, tail: head + " " + "This study reports careful experiments on many benchmarks with consistent gains. " * 3 + tail + ".",
    HOSTILE_TEXT, HOSTILE_TEXT,
)
LINE = st.one_of(HOSTILE_TEXT, PROSE, st.sampled_from(["", "", "• 4 authors", "·", "Jun 9, 2024 3", "Abstract: "]).map(str))
LISTING = st.lists(LINE, min_size=1, max_size=30).map("\n".join)
# 40 examples a test keeps the suite fast; PAPERCAT_FUZZ_EXAMPLES=1000 runs a deeper search.
SETTINGS = settings(
    max_examples=int(os.environ.get("PAPERCAT_FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

_TAXONOMY = load_taxonomy(TOPICS)
_RENDERER = PageRenderer(TEMPLATES)
_MARKDOWN_EXTENSIONS = ["toc", "tables"]
_MEANINGFUL = ("Cc", "Cf", "Cs", "Co")


def _clean(text: str) -> bool:
    return not any(c in _INVISIBLE or unicodedata.category(c) in _MEANINGFUL for c in text)


def _check_records(records: list[Paper | Rejected], lines: int) -> None:
    for record in records:
        assert isinstance(record, (Paper, Rejected))
        if isinstance(record, Paper):
            record.validate()
            assert record.title.strip() and record.sources
            for text in (record.title, record.abstract, *record.authors, record.venue or "", record.organization or ""):
                assert _clean(text), repr(text)
                assert text == " ".join(text.split()), repr(text)
        else:
            assert record.reason.strip() and 1 <= record.line <= max(lines, 1), record


# --- readers ---------------------------------------------------------------------------------


@SETTINGS
@given(text=LISTING)
def test_every_reader_survives_hostile_text(text: str) -> None:
    decoded_text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    for reader in READERS:
        doc = Document(name="fuzz.txt", text=decoded_text, encoding="utf-8", meta=SourceMeta(captured=dt.date(2025, 12, 12)))
        reader.detect(doc)
        _check_records(list(reader.parse(doc)), len(doc.lines))


@SETTINGS
@given(title=HOSTILE_TEXT, abstract=HOSTILE_TEXT, authors=st.lists(HOSTILE_TEXT, max_size=3), venue=HOSTILE_TEXT)
def test_yaml_reader_survives_hostile_values(title: str, abstract: str, authors: list[str], venue: str) -> None:
    data = {"papers": [{"title": title, "abstract": abstract, "authors": authors, "venue": venue}, {"title": venue, "abstract": title}]}
    text = yaml.safe_dump(data, allow_unicode=True)
    doc = Document(name="fuzz.yml", text=text, encoding="utf-8")
    records = list(YamlPapersReader().parse(doc))
    assert len(records) == 2
    _check_records(records, len(doc.lines))


@SETTINGS
@given(data=st.binary(max_size=400) | LISTING.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decoding_never_fails_unexpectedly(data: bytes) -> None:
    try:
        decoded = decode_listing(data)
    except UndecodableFile as err:
        assert str(err)
        return
    assert "\x00" not in decoded.text and "\r" not in decoded.text


@SETTINGS
@given(
    files=st.lists(
        st.tuples(st.sampled_from(["daily-papers", "search-results", "topic-listing", "abstracts", None]), LISTING),
        min_size=1,
        max_size=3,
    )
)
def test_ingestion_accounts_for_every_record(files: list[tuple[str | None, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder)
        sources = {}
        for i, (fmt, text) in enumerate(files):
            (content / f"l{i}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
            if fmt:
                sources[f"l{i}.txt"] = {"format": fmt, "captured": "2025-12-12"}
        (content / "sources.yml").write_text(yaml.safe_dump(sources), encoding="utf-8")
        result = ingest_content(content)
    assert result.reconciles()
    assert result.records == len(result.papers) + result.merged + len(result.rejected)
    for report in result.files:
        assert report.records == report.papers + report.merged + report.rejected
    for rejected in result.rejected:
        assert rejected.file in {f"l{i}.txt" for i in range(len(files))} and rejected.line >= 1 and rejected.reason
    ids = [p.id for p in result.papers]
    assert len(ids) == len(set(ids))


# --- ids and paths ---------------------------------------------------------------------------


RESERVED_NAMES = st.sampled_from(["CON", "index", "aux", "..", "../x", "/etc", "Con", "A" * 400])


@SETTINGS
@given(titles=st.lists(HOSTILE_TEXT | RESERVED_NAMES, min_size=1, max_size=12))
def test_ids_are_unique_safe_slugs(titles: list[str]) -> None:
    ids = assign_ids((t, str(i % 2)) for i, t in enumerate(titles))
    assert len(ids) == len(titles)
    for paper_id in ids:
        assert paper_id.isascii() and paper_id == paper_id.lower() and paper_id not in RESERVED
        assert all(part and part.isalnum() for part in paper_id.split("-")), paper_id
        assert len(paper_id) <= MAX_SLUG + 8
    assert len(set(ids)) == len(ids)  # even identical titles and fingerprints get distinct ids


@SETTINGS
@given(paths=st.lists(st.text(alphabet="ab./\\:~ Cc", min_size=1, max_size=12), min_size=1, max_size=5))
def test_writer_never_writes_outside_its_folder(paths: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        docs = root / "out" / "docs"
        with contextlib.suppress(UnsafePath, IsADirectoryError, NotADirectoryError, FileExistsError):
            write_docs(docs, {p: "x" for p in paths})
        written = [p for p in root.rglob("*") if p.is_file()]
        assert all(p.resolve().is_relative_to(docs.resolve()) for p in written), written


# --- pages -----------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [k for k, _ in attrs]))


@SETTINGS
@given(text=HOSTILE_TEXT)
def test_rich_text_emits_only_whitelisted_markup(text: str) -> None:
    out = str(rich_text(text))
    parser = _Tags()
    parser.feed(out)
    for tag, attrs in parser.tags:
        assert tag in _MATHML_TAGS or tag == "span", tag
        # "aria-label": the formula's name, its plain characters (escaped like any text), on <math> only
        assert set(attrs) <= _MATHML_ATTRS | {"class", "title", "xmlns"} | ({"aria-label"} if tag == "math" else set()), (tag, attrs)
    if not has_math(text):
        assert "<" not in out.replace("&lt;", "")


def _paper(title: str, abstract: str, authors: list[str], venue: str, organization: str, date: str | None) -> Paper | Rejected:
    doc = Document(name="fuzz <b>.txt", text="", encoding="utf-8")
    found = PaperFields(
        authors=tuple(authors), venue=venue, organization=organization, date=date, date_precision="day" if date else None
    )
    return YamlPapersReader().make_paper(doc, 1, title=title, abstract=abstract, raw="", found=found)


@SETTINGS
@given(
    records=st.lists(
        st.tuples(HOSTILE_TEXT, HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=2), HOSTILE_TEXT, HOSTILE_TEXT,
                  st.sampled_from([None, "2024-03-05", "2023-11-30"])),
        min_size=1, max_size=4,
    )
)
def test_rendered_pages_escape_everything(records: list[tuple[str, str, list[str], str, str, str | None]]) -> None:
    papers = [p for p in (_paper(*r) for r in records) if isinstance(p, Paper)]
    assume(papers)
    for paper, paper_id in zip(papers, assign_ids((p.title, p.abstract) for p in papers), strict=True):
        paper.id = paper_id
    result = IngestResult(papers, [], [])
    model = SiteModel.build(result, classify(papers, _TAXONOMY), _TAXONOMY, SiteSettings(newest_papers=100))
    pages = _RENDERER.pages(model)
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        body = text
        if text.startswith("---\n"):
            head, body = text[4:].split("\n---\n", 1)
            meta = yaml.safe_load(head)
            assert isinstance(meta, dict) and "title" in meta
        html = markdown.markdown(body, extensions=_MARKDOWN_EXTENSIONS)
        found = scan(html).injected
        assert not found, (path, found)
        visible = page_text(html)
        for paper in papers:
            if path == f"papers/{paper.id}.md":
                assert (paper.title in visible) or has_math(paper.title), (paper.title, visible[:300])
                assert meta["paper"]["title"] == paper.title
                for name in paper.authors:
                    assert name in visible
            elif path in ("index.md", f"months/{paper.month or 'undated'}.md") and not has_math(paper.title):
                assert paper.title in visible, (path, paper.title)

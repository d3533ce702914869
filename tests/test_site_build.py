"""The built site: links, assets, self-containment, counts, sub-path hosting, reproducibility.

Most checks read the session's ``built_site`` (the bundled catalogue built once). The ``slow``
ones build the same inputs again from a copy of the project: once through ``build_site`` (to
compare the two outputs byte for byte and to see where the Markdown goes) and once through the
``mkdocs build --strict`` command line (to see its warnings).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_fixtures import (
    BUNDLED_LISTINGS,
    BUNDLED_PAPERS,
    CONFIG,
    CONTENT,
    ROOT,
    is_external,
    parse_site,
    resolve_file,
    settled,
    tree_digest,
)

# <link rel=...> values that make a browser fetch the URL.
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                "manifest", "preconnect", "dns-prefetch", "mask-icon"}
# Tags whose src/srcset/data/poster is fetched when the page loads.
LOADING_TAGS = {"script", "img", "source", "video", "audio", "iframe", "embed", "object", "track", "input", "image", "use"}
# MkDocs renders the 404 page with root-relative URLs (it is served at any depth, so a relative
# URL cannot work there); every other page must be relative.
NOT_FOUND_PAGE = "404.html"


@pytest.fixture(scope="module")
def pages(built_site: Path):
    return parse_site(built_site)


@pytest.fixture(scope="module")
def paper_ids() -> set[str]:
    from generator.ingest import ingest_content

    return {p.id for p in ingest_content(CONTENT).papers}


def fact(text: str, label: str) -> str | None:
    """What a paper page shows for ``label`` in its facts list (``<dt>label</dt> <dd>value</dd>``)."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", text)
    return match.group(1) if match else None


def _local_refs(pages):
    for page, parsed in pages.items():
        for ref in parsed.refs:
            if is_external(ref.value) or re.match(r"(data|mailto|javascript|tel):", ref.value):
                continue
            yield page, ref


# ---------------------------------------------------------------- links and assets


def test_every_internal_reference_resolves(built_site: Path, pages):
    missing = []
    checked = 0
    for page, ref in _local_refs(pages):
        if page == NOT_FOUND_PAGE:
            continue
        path, target, _ = resolve_file(built_site, page, ref.value)
        checked += 1
        if path is None:
            missing.append(f"{page}: <{ref.tag} {ref.attr}={ref.value!r}> -> {target}")
    assert checked > 10_000
    assert not missing, "\n".join(missing[:30])


def test_not_found_page_references_resolve_from_the_site_root(built_site: Path, pages):
    missing = []
    for _, ref in _local_refs({NOT_FOUND_PAGE: pages[NOT_FOUND_PAGE]}):
        url = ref.value.lstrip("/") if ref.value.startswith("/") else ref.value
        path, target, _ = resolve_file(built_site, "index.html", url or "./")
        if path is None:
            missing.append(f"<{ref.tag} {ref.attr}={ref.value!r}> -> {target}")
    assert not missing, "\n".join(missing)


def test_fragments_point_at_existing_ids(built_site: Path, pages):
    broken = []
    checked = 0
    for page, ref in _local_refs(pages):
        if page == NOT_FOUND_PAGE:
            continue
        _, target, fragment = resolve_file(built_site, page, ref.value)
        if not fragment or not target.endswith(".html") or target not in pages:
            continue
        if target.split("/")[0] in ("papers", "topics", "months", "index.html") or target == page:
            checked += 1
            if fragment not in pages[target].ids:
                broken.append(f"{page}: {ref.value} (no id {fragment!r} in {target})")
    assert checked > 100  # month headings on the home page, section permalinks, "skip to content"
    assert not broken, "\n".join(broken[:30])


def test_listing_section_permalinks_match_headings(built_site: Path, pages):
    topic = pages["topics/llm/index.html"]
    html = (built_site / "topics/llm/index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="([^"]+)">', html)
    assert len(headings) >= 5 and all(h in topic.ids for h in headings)
    permalinks = {r.value[1:] for r in topic.refs if r.tag == "a" and r.value.startswith("#")}
    assert set(headings) <= permalinks


# ---------------------------------------------------------------- nothing loaded from elsewhere


def test_no_page_loads_anything_from_another_host(pages):
    loaded = []
    for page, parsed in pages.items():
        for ref in parsed.refs:
            if not (is_external(ref.value) or ref.value.startswith("//")):
                continue
            rels = set(ref.rel.lower().split())
            fetched = (
                ref.tag in LOADING_TAGS
                or (ref.tag == "link" and (rels & LOADING_RELS or not rels - {"alternate", "canonical", "author", "license", "me"}))
                or (ref.tag == "link" and ref.value.startswith("//"))
            )
            if fetched:
                loaded.append(f"{page}: <{ref.tag} {ref.attr}={ref.value!r} rel={ref.rel!r}>")
    assert not loaded, "\n".join(sorted(set(loaded))[:30])


def test_no_protocol_relative_urls(pages):
    """``//x`` is another host to a browser: a mangled local URL, never intended."""
    found = sorted({f"{page}: <{r.tag} {r.attr}={r.value!r}>" for page, p in pages.items() for r in p.refs if r.value.startswith("//")})
    assert not found, "\n".join(found)


def test_links_out_are_plain_anchors(pages):
    """External URLs appear only as <a href> (and rel=canonical/alternate), never as loaded resources."""
    kinds = {(r.tag, r.attr) for p in pages.values() for r in p.refs if is_external(r.value)}
    assert kinds <= {("a", "href"), ("link", "href")}


def test_stylesheets_and_inline_styles_load_nothing_from_another_host(built_site: Path):
    pattern = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?\s*(?:https?:)?//""", re.I)
    offenders = [
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*")
        if path.suffix in (".css", ".html") and pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offenders
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


# ---------------------------------------------------------------- content of the site


def test_every_paper_has_its_page(built_site: Path, paper_ids):
    assert len(paper_ids) == BUNDLED_PAPERS
    built = {p.parent.name for p in (built_site / "papers").glob("*/index.html")}
    assert built == paper_ids


def test_paper_pages_show_their_paper(built_site: Path):
    html = (built_site / "papers/astrom-3-a-self-supervised-multimodal-model-for-astronomy/index.html").read_text(encoding="utf-8")
    assert '<h1 class="pc-title" dir="auto">AstroM<span class="pc-math" title="$^3$"><math' in html
    assert "<title>AstroM³: A self-supervised multimodal model for astronomy - " in html  # the tab shows no LaTeX
    assert fact(html, "Date") == "undated"


def test_home_page_counts(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    stats = {label: int(n) for n, label in re.findall(r'<span class="pc-stat">(\d+)</span>\s*(\w+)', html)}
    assert stats["papers"] == BUNDLED_PAPERS == 484
    assert stats["listings"] == BUNDLED_LISTINGS == 5
    assert stats["topics"] == len(list((built_site / "topics").glob("*/index.html")))
    assert stats["months"] == len([p for p in (built_site / "months").glob("*/index.html") if p.parent.name != "undated"])


def test_every_listing_page_is_reachable_from_the_indexes(pages):
    topic_pages = {p for p in pages if re.fullmatch(r"topics/[^/]+/index\.html", p)}
    month_pages = {p for p in pages if re.fullmatch(r"months/[^/]+/index\.html", p)}

    def linked(page: str) -> set[str]:
        return {f"{page.rsplit('/', 2)[0]}/{r.value.strip('/')}/index.html" for r in pages[page].refs if r.tag == "a"}

    assert topic_pages <= linked("topics/index.html")
    assert month_pages <= linked("months/index.html")


# ---------------------------------------------------------------- hosting from a sub-path


def test_all_references_are_relative(pages):
    absolute = sorted(
        {f"{page}: <{r.tag} {r.attr}={r.value!r}>" for page, p in pages.items() if page != NOT_FOUND_PAGE
         for r in p.refs if r.value.startswith("/") and not r.value.startswith("//")}
    )
    assert not absolute, "\n".join(absolute[:30])


def test_theme_base_and_search_locations_are_relative(built_site: Path):
    for page in ("index.html", "papers/astrom-3-a-self-supervised-multimodal-model-for-astronomy/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))
        assert not config["base"].startswith("/") and not is_external(config["base"])
        assert "<base " not in html


def test_site_served_from_a_sub_path_resolves(built_site: Path, pages, tmp_path: Path):
    """Mounted under /catalogue/, every relative reference still lands inside the mount."""
    from urllib.parse import urljoin, urlsplit

    prefix = "http://host/catalogue/"
    outside = []
    for page, ref in _local_refs(pages):
        if page == NOT_FOUND_PAGE:
            continue
        page_url = prefix + (page[: -len("index.html")] if page.endswith("index.html") else page)
        absolute = urlsplit(urljoin(page_url, ref.value))
        if not absolute.path.startswith("/catalogue/"):
            outside.append(f"{page}: {ref.value} -> {absolute.path}")
    assert not outside, "\n".join(outside[:20])


# ---------------------------------------------------------------- reproducible builds


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    """The bundled inputs copied into a fresh project and built there; returns (project, site, inputs digest)."""
    from generator.site.build import Project, build_site

    root = tmp_path_factory.mktemp("copy")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(CONFIG, root / "site_config")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    inputs = {name: tree_digest(root / name) for name in ("content", "site_config")}
    mkdocs_yml = hashlib.sha256((root / "mkdocs.yml").read_bytes()).hexdigest()
    project = Project.at(root)
    report = build_site(project)
    return project, report.site_dir, inputs, mkdocs_yml


@pytest.mark.site
def test_two_builds_are_byte_identical(built_site: Path, second_build):
    _, site, _, _ = second_build
    first, second = tree_digest(built_site), tree_digest(site)
    assert "sitemap.xml" in first and "sitemap.xml.gz" in first and "search-index/index.gz" in first
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert not differing, differing[:20]


@pytest.mark.site
def test_a_build_writes_only_the_site(second_build):
    """The pages are generated inside MkDocs: the inputs stay as they were; only site/ and the build state appear."""
    project, site, inputs, mkdocs_yml = second_build
    root = project.root
    assert {name: tree_digest(root / name) for name in ("content", "site_config")} == inputs
    assert hashlib.sha256((root / "mkdocs.yml").read_bytes()).hexdigest() == mkdocs_yml
    assert len(list((site / "papers").glob("*/index.html"))) == BUNDLED_PAPERS
    assert not list((root / "content").rglob("*.md")) and not list((root / "site_config").rglob("*.md"))
    assert site == (root / "site").resolve() and (site / "index.html").is_file()
    assert sorted(p.name for p in settled(root).iterdir()) == ["build", "content", "mkdocs.yml", "site", "site_config"]
    # The report still held here reads its pages from the build's spool (``.spool-*``); `papercat build`
    # removes it when it ends (tests/test_spool.py).
    assert sorted(p.name for p in (root / "build").iterdir() if not p.name.startswith(".spool-")) == [
        ".papercat-owned", "changes.json", "compiled-templates", "page-cache.sqlite3", "parse-cache.sqlite3", "rejected.jsonl",
        "render-state.sqlite3", "search-cache.sqlite3", "state.json", "topic-cache.sqlite3",
    ]
    assert (site / ".papercat-owned").is_file()  # the marker that lets the next build replace the folder


@pytest.mark.site
def test_plain_mkdocs_build_strict_gives_the_same_site(second_build, tmp_path: Path):
    """``mkdocs build --strict`` on the project (the papercat plugin in mkdocs.yml) builds the very same
    site as ``papercat build``, without one warning and without a line per paper about the nav."""
    project, site, _, _ = second_build
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project.mkdocs_file),
         "--site-dir", str(tmp_path / "site")],
        cwd=project.root, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "WARNING" not in output and "Aborted" not in output, output[-3000:]
    assert "not included in the" not in output and output.count("\n") < 40, output[-3000:]
    assert "papercat: 484 papers from 5 listing files" in output
    first, second = tree_digest(site), tree_digest(tmp_path / "site")
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    if differing:
        import difflib

        a = (site / differing[0]).read_text(encoding="utf-8", errors="replace").replace("><", ">\n<").splitlines()
        b = (tmp_path / "site" / differing[0]).read_text(encoding="utf-8", errors="replace").replace("><", ">\n<").splitlines()
        pytest.fail(f"{differing}:\n" + "\n".join(list(difflib.unified_diff(a, b, lineterm=""))[:60]))


def test_section_anchors_do_not_change_with_counts(built_site: Path):
    """A shared link to "March 2024" on a topic page survives new papers: the anchor has no count."""
    import re

    for page in sorted((built_site / "topics").glob("*/index.html")):
        ids = re.findall(r'<h2 id="([^"]+)"', page.read_text(encoding="utf-8"))
        assert ids, page
        assert all(re.fullmatch(r"[a-z]+-\d{4}|undated", i) for i in ids), (page, ids)
    months = (built_site / "months" / "index.html").read_text(encoding="utf-8")
    assert all(re.fullmatch(r"\d{4}|undated", i) for i in re.findall(r'<h2 id="([^"]+)"', months))


def test_a_rendering_process_keeps_the_build_date_it_was_given(tmp_path: Path) -> None:
    """``on_pre_build`` reads the catalogue in a build, but a rendering process makes nothing: its pages keep the date sent."""
    from generator.plugin import PapercatPlugin

    plugin = PapercatPlugin()
    plugin.render_only(config_dir=tmp_path, timestamp=1_700_000_000)
    plugin.on_pre_build(config=None)  # type: ignore[arg-type]  # a rendering process reads nothing of it
    assert plugin.timestamp == 1_700_000_000 and plugin.prepared is None
    assert plugin.build_date is not None and plugin.build_date.year == 2023

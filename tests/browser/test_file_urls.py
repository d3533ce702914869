"""A site built with ``use_directory_urls: false`` (pages at ``topics/vision.html``, not ``topics/vision/``),
the setting for a site opened from disk or from a host without folder index pages: every link of
every page names a file that exists, and the scripts' links (the header search box, topic chips
in search results and in a listing's filter) follow the setting too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_fixtures import is_external, paged_project, parse_site, resolve_file

pytestmark = pytest.mark.browser

TIMEOUT = 15_000
COUNT = 12
RARE = "Zebrafish"


def _papers() -> list[dict]:
    return [
        {
            "title": f"Semantic Segmentation of {RARE if i == 3 else f'Scenes {i:02d}'} with Image Transformers",
            "abstract": f"We study semantic segmentation and image segmentation of scene images, number {i}.",
            "date": f"2024-{1 + i % 3:02d}-{10 + i:02d}",
            "authors": [f"Author {i}"],
        }
        for i in range(COUNT)
    ]


@pytest.fixture(scope="module")
def file_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.site.build import Project, build_site

    root = paged_project(tmp_path_factory.mktemp("file-urls"), _papers(), 5, directory_urls=False)
    report = build_site(Project.at(root))
    assert len(report.ingest.papers) == COUNT
    return report.site_dir


def test_every_link_names_a_file_that_exists(file_site: Path) -> None:
    pages = parse_site(file_site)
    assert "topics/vision.html" in pages and "search.html" in pages
    wrong = []
    for page, parsed in pages.items():
        for ref in parsed.refs:
            url = ref.value
            if is_external(url) or re.match(r"(data|mailto|javascript|tel):", url) or url.startswith("#"):
                continue
            # The 404 page is served at any address: its links start at the site's root.
            base, url = ("index.html", url.lstrip("/") or "index.html") if page == "404.html" else (page, url)
            path, target, _ = resolve_file(file_site, base, url)
            # A folder address works only where the host serves index.html for it.
            if path is None or url.split("#")[0].split("?")[0].endswith("/") or url in (".", "./"):
                wrong.append(f"{page}: <{ref.tag} {ref.attr}={ref.value!r}> -> {target}")
    assert not wrong, "\n".join(wrong[:30])


@pytest.fixture(scope="module")
def base_url(serve, file_site: Path) -> str:
    return serve(file_site, prefix="flat")


def _open(watched_page, url: str) -> tuple[Page, object]:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url, wait_until="load")
    return page, watch


def test_the_header_search_and_the_result_chips_lead_to_existing_pages(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "months/index.html")
    box = page.locator(".pc-header-query")
    box.fill(RARE.lower())
    box.press("Enter")
    page.wait_for_url(re.compile(r"/flat/search\.html\?q=zebrafish"))
    result = page.locator(".pc-result").first
    expect(result).to_contain_text(RARE)
    chip = result.locator("a.pc-chip").first
    assert re.search(r"/flat/topics/[\w-]+\.html$", chip.get_attribute("href") or "")
    chip.click()
    page.wait_for_url(re.compile(r"/flat/topics/[\w-]+\.html$"))
    expect(page.locator("h1")).to_contain_text("Vision")
    watch.assert_clean()


def test_the_listing_filter_links_its_rows_and_chips_to_existing_pages(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/vision/page/2.html")
    page.locator(".pc-filter-text").fill(RARE.lower())
    row = page.locator(".pc-row:visible")
    expect(row).to_have_count(1)
    for link in (row.locator(".pc-row-title"), row.locator("a.pc-chip").first):
        href = link.get_attribute("href") or ""
        assert href.endswith(".html"), href
        response = page.request.get(href)
        assert response.status == 200, href
    watch.assert_clean()


def test_search_opened_from_disk_says_how_to_serve_the_site(browser, file_site: Path) -> None:
    """Opened as a file (file://), the browser does not let the page fetch its index: the page says so, instead of nothing."""
    page = browser.new_page()
    try:
        page.goto((file_site / "search.html").as_uri() + "?q=zebrafish")
        status = page.locator(".pc-search-status")
        expect(status).to_contain_text("opened as a file", timeout=TIMEOUT)
        expect(status).to_contain_text("python3 -m http.server")
        # The other scripts work from disk: the header search box, and a listing's filter.
        topic = next(p for p in sorted((file_site / "topics").glob("*.html")) if p.name != "index.html")
        page.goto(topic.as_uri())
        expect(page.locator(".pc-header-search")).to_have_count(1, timeout=TIMEOUT)
        first = page.locator(".pc-row .pc-row-title").first.inner_text()
        page.locator(".pc-filter-text").fill(first)
        expect(page.locator(".pc-row:visible")).to_have_count(1, timeout=TIMEOUT)  # the rows of this page
    finally:
        page.close()

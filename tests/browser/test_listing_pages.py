"""A generated catalogue long enough to paginate, in headless Chromium: page links, stable page
URLs, grouping across pages, the filter over the whole listing, and search on the same site.

The catalogue is 32 segmentation papers over three months, written as one YAML listing into a
fresh project with the repository's configuration and ``papers_per_page: 5``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_fixtures import paged_project

pytestmark = pytest.mark.browser

TIMEOUT = 15_000
COUNT = 32
# The one paper with this word in its title; it is among the oldest, on the topic's last page.
RARE = "Zebrafish"


def _papers() -> list[dict]:
    papers = []
    for i in range(COUNT):
        month = 3 - (i * 3) // COUNT
        subject = RARE if i == COUNT - 2 else f"Scenes {i:02d}"
        papers.append({
            "title": f"Semantic Segmentation of {subject} with Image Transformers",
            "abstract": f"We study semantic segmentation and image segmentation of {subject.lower()} images, number {i}.",
            "date": f"2024-{month:02d}-{27 - (i % 9):02d}",
            "authors": [f"Author {i}"],
        })
    return papers


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.site.build import Project, build_site

    root = paged_project(tmp_path_factory.mktemp("long"), _papers(), 5)
    report = build_site(Project.at(root))
    assert len(report.ingest.papers) == COUNT
    return report.site_dir


@pytest.fixture(scope="module")
def base_url(serve, long_site: Path) -> str:
    return serve(long_site, prefix="long")


def _open(watched_page, url: str, **options) -> tuple[Page, object]:
    page, watch = watched_page(**options)
    page.set_default_timeout(TIMEOUT)
    page.goto(url, wait_until="load")
    return page, watch


def _visible_rows(page: Page):
    return page.locator(".pc-row:visible")


def test_a_long_topic_pages_through_with_stable_urls(watched_page, base_url: str, long_site: Path) -> None:
    # Pages are counted from the oldest paper: 32 = 7 on the first page (it holds 5 to 9) + 5 x 5.
    assert (long_site / "topics/vision/page/6/index.html").is_file()
    assert not (long_site / "topics/vision/page/7").exists()
    page, watch = _open(watched_page, base_url + "topics/vision/")
    expect(page.locator(".pc-count-line")).to_contain_text(
        f"{COUNT} papers, newest first; the newest 7 are on this page, older ones on the next 5 pages"
    )
    expect(page.locator(".pc-row")).to_have_count(7)
    nav = page.locator("nav.pc-pager").first
    nav.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"/long/topics/vision/page/2/$"))
    expect(page.locator(".pc-row")).to_have_count(5)
    expect(page.locator("nav.pc-pager").first.locator("[aria-current=page]")).to_have_text("2")
    expect(page.locator(".pc-count-line")).to_contain_text("Older papers, newest first: page 2 of 6")
    page.locator("nav.pc-pager").first.get_by_role("link", name="Page 6").click()
    expect(page).to_have_url(re.compile(r"/long/topics/vision/page/6/$"))
    expect(page.locator(".pc-row")).to_have_count(5)
    # The month grouping goes on across pages: the last page's papers are January's.
    expect(page.locator("article h2").first).to_contain_text("January 2024")
    page.locator("nav.pc-pager").first.get_by_role("link", name="Previous").click()
    expect(page).to_have_url(re.compile(r"/long/topics/vision/page/5/$"))
    watch.assert_clean()


def test_the_filter_searches_every_page_of_the_listing(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/vision/page/2/")
    text = page.locator(".pc-filter-text")
    expect(text).to_be_visible()
    # A later page does not name the listing's total (a new paper would change every page): it counts its own.
    expect(page.locator(".pc-filter-status")).to_have_text("5 papers on this page")
    assert not page.locator(f".pc-row:has-text('{RARE}')").count()  # not on this page
    text.fill(RARE.lower())
    expect(page.locator(".pc-filter-status")).to_have_text(f"1 of {COUNT} papers")
    expect(_visible_rows(page)).to_have_count(1)
    row = _visible_rows(page).first
    expect(row.locator(".pc-row-title")).to_contain_text(RARE)
    expect(row.locator(".pc-date")).to_contain_text("January 2024")
    expect(row.locator("a.pc-chip").first).to_be_visible()
    expect(page.locator("nav.pc-pager").first).to_be_hidden()
    # The table of contents lists no month of this page: their headings are hidden with their rows.
    contents = page.locator(".md-sidebar--secondary .md-nav--secondary li")
    assert contents.count() > 0
    expect(page.locator(".md-sidebar--secondary .md-nav--secondary li:visible")).to_have_count(0)
    assert f"text={RARE.lower()}" in page.url
    # Clearing the filter brings the page back, with its page links.
    text.fill("")
    expect(page.locator(".pc-filter-status")).to_have_text(f"{COUNT} papers")
    expect(_visible_rows(page)).to_have_count(5)
    expect(page.locator("nav.pc-pager").first).to_be_visible()
    expect(page.locator(".md-sidebar--secondary .md-nav--secondary li:visible")).to_have_count(contents.count())
    # A year filter over the whole listing: every paper is from 2024.
    page.locator(".pc-filter-year").select_option("2024")
    expect(page.locator(".pc-filter-status")).to_have_text(f"{COUNT} of {COUNT} papers")
    expect(page.locator(".pc-filter-more")).to_be_hidden()
    page.locator(".pc-filter-year").select_option("")
    watch.assert_clean()


def test_the_filter_falls_back_to_the_pages_own_rows_when_the_whole_list_cannot_be_loaded(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/vision/page/2/")
    page.route("**/rows.json", lambda route: route.abort())
    own = page.locator(".pc-row .pc-row-title").first.inner_text()
    page.locator(".pc-filter-text").fill(own.lower())
    expect(page.locator(".pc-filter-status")).to_have_text(
        re.compile(r"^1 of 5 papers on this page \(the list of all papers could not be loaded\)$")
    )
    expect(_visible_rows(page)).to_have_count(1)
    expect(_visible_rows(page).first.locator(".pc-row-title")).to_have_text(own)
    expect(page.locator("nav.pc-pager").first).to_be_visible()
    watch.console_errors.clear()  # the aborted request, logged by the browser
    watch.assert_clean()


def test_a_later_page_offers_the_years_and_topics_of_the_whole_listing(watched_page, base_url: str) -> None:
    """A later page reads them from the listing's choices file; without it, it offers those of its own rows."""
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    page.route("**/topics/vision/choices.json", lambda route: route.fulfill(
        content_type="application/json",
        body='{"years":["2031","2024","undated"],"topics":[["vision","Computer Vision"],["other","Other papers"]]}',
    ))
    page.goto(base_url + "topics/vision/page/2/?year=2031", wait_until="load")
    year = page.locator(".pc-filter-year")
    expect(year).to_have_value("2031")  # the shared address's year, chosen once the choices have come
    assert year.locator("option").all_inner_texts() == ["All years", "2031", "2024", "Undated"]
    assert "Other papers" in page.locator(".pc-filter-topic option").all_inner_texts()
    expect(page.locator(".pc-filter-status")).to_have_text(f"0 of {COUNT} papers")
    page.unroute("**/topics/vision/choices.json")
    # The file the build wrote: this listing's one year.
    page.goto(base_url + "topics/vision/page/3/?year=2024", wait_until="load")
    expect(page.locator(".pc-filter-year")).to_have_value("2024")
    assert page.locator(".pc-filter-year option").all_inner_texts() == ["All years", "2024"]
    expect(page.locator(".pc-filter-status")).to_have_text(f"{COUNT} of {COUNT} papers")
    watch.assert_clean()


def test_a_later_page_builds_its_filter_when_the_choices_file_cannot_be_loaded(watched_page, base_url: str) -> None:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    page.route("**/choices.json", lambda route: route.abort())
    page.goto(base_url + "topics/vision/page/2/", wait_until="load")
    expect(page.locator(".pc-filter-text")).to_be_visible()
    assert page.locator(".pc-filter-year option").all_inner_texts() == ["All years", "2024"]
    page.locator(".pc-filter-text").fill(RARE.lower())
    expect(page.locator(".pc-filter-status")).to_have_text(f"1 of {COUNT} papers")
    watch.console_errors.clear()  # the aborted request, logged by the browser
    watch.assert_clean()


def test_a_filtered_listing_url_can_be_shared(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + f"months/2024-03/?text={RARE.lower()}")
    expect(page.locator(".pc-filter-status")).to_have_text(re.compile(r"^0 of \d+ papers$"))  # it is January's
    page.goto(base_url + f"months/2024-01/?text={RARE.lower()}", wait_until="load")
    expect(page.locator(".pc-filter-text")).to_have_value(RARE.lower())
    expect(_visible_rows(page)).to_have_count(1)
    _visible_rows(page).first.locator(".pc-row-title").click()
    expect(page.locator("h1.pc-title")).to_contain_text(RARE)
    watch.assert_clean()


def test_search_on_the_long_catalogue(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/")
    page.locator(".pc-search-query").fill(f"Semantic Segmentation of {RARE} with Image Transformers")
    first = page.locator(".pc-results > li.pc-result:not(.pc-result--loading):not(.pc-result--topic)").first
    expect(first.locator("a.pc-result-title")).to_contain_text(RARE)
    expect(first.locator(".pc-snippet mark").first).to_be_visible()
    page.locator("select[data-pc-facet=year]").select_option("2024")
    assert "year=2024" in page.url
    watch.assert_clean()


@pytest.mark.parametrize("path", ["topics/vision/", "topics/vision/page/2/", "months/2024-01/"])
def test_the_filter_matches_the_same_text_on_every_listing(watched_page, base_url: str, path: str) -> None:
    """Titles, dates and topic names, on a page of one listing as over a whole long one; no year that no row has."""
    page, watch = _open(watched_page, base_url + path)
    text = page.locator(".pc-filter-text")
    text.fill("number")  # in every abstract (and so in the rows' snippets), in no title
    expect(page.locator(".pc-filter-status")).to_have_text(re.compile(r"^0 of \d+ papers$"))
    text.fill("scenes 0")
    expect(page.locator(".pc-filter-status")).not_to_have_text(re.compile(r"^0 of"))
    years = page.locator(".pc-filter-year option").all_inner_texts()
    assert years == ["All years", "2024"]  # every paper is dated: no "Undated" to choose
    watch.assert_clean()


def test_back_from_a_paper_opened_from_the_filtered_rows_comes_to_the_same_place(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/vision/", viewport={"width": 800, "height": 480})
    page.locator(".pc-filter-text").fill("segmentation")
    expect(page.locator(".pc-filter-status")).to_have_text(f"{COUNT} of {COUNT} papers")
    last = _visible_rows(page).last.locator(".pc-row-title")
    last.scroll_into_view_if_needed()
    where = page.evaluate("() => window.scrollY")
    assert where > 500
    title = last.inner_text()
    last.click()
    expect(page.locator("h1").first).to_contain_text(title.split(" with ")[0])
    page.go_back()
    expect(page.locator(".pc-filter-text")).to_have_value("segmentation")
    expect(page.locator(".pc-filter-status")).to_have_text(f"{COUNT} of {COUNT} papers")
    page.wait_for_function(f"() => Math.abs(window.scrollY - {where}) < 40")  # where the reader was, not the top
    expect(_visible_rows(page).last.locator(".pc-row-title")).to_be_in_viewport()
    watch.assert_clean()

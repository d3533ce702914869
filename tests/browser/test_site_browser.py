"""The bundled catalogue in headless Chromium, served under a sub-path as a GitHub Pages project site is.

Each test drives one page the way a reader would (clicks, typing, a phone-sized window) and checks
what the reader would notice: the page that opens, its title, rows that can be read, no
horizontal scrolling, no JavaScript errors and nothing fetched from outside localhost.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PREFIX = "papercat"
ASTROM3 = "papers/astrom-3-a-self-supervised-multimodal-model-for-astronomy/"
TIMEOUT = 10_000  # ms; a page of this size is ready in well under a second

# Exact titles from four different listings, as a reader types them. AstroM$^3$ is shown on its
# page as "AstroM³", so a reader types the superscript as a plain 3.
SEARCH_TITLES = [
    ("AstroM3: A self-supervised multimodal model for astronomy", ASTROM3),
    (
        "The Emergence of Objectness: Learning Zero-shot Segmentation from Videos",
        "papers/the-emergence-of-objectness-learning-zero-shot-segmentation-from-videos/",
    ),
    (
        "Ag2Manip: Learning Novel Manipulation Skills with Agent-Agnostic Visual and Action Representations",
        "papers/ag2manip-learning-novel-manipulation-skills-with-agent-agnostic-visual-",
    ),
    (
        "Adaptive Guidance: Training-free Acceleration of Conditional Diffusion Models",
        "papers/adaptive-guidance-training-free-acceleration-of-conditional-diffusion-models/",
    ),
    # A hyphenated name before a colon, typed as written.
    (
        "T2I-Adapter: Learning Adapters to Dig out More Controllable Ability for Text-to-Image Diffusion Models",
        "papers/t2i-adapter-learning-adapters-to-dig-out-more-controllable-ability-for-e4230f/",
    ),
    ("i-RevNet: Deep Invertible Networks", "papers/i-revnet-deep-invertible-networks/"),
]

# One page of every kind the site has.
PAGE_TYPES = [
    "",
    "topics/",
    "topics/science/",
    "months/",
    "months/2024-08/",
    "months/undated/",
    "about/",
    "stats/",
    ASTROM3,
]


@pytest.fixture(scope="module")
def base_url(serve, built_site: Path) -> str:
    """The bundled site on localhost under /papercat/."""
    return serve(built_site, prefix=PREFIX)


def _open(watched_page, url: str, **options) -> tuple[Page, object]:
    page, watch = watched_page(**options)
    page.set_default_timeout(TIMEOUT)
    page.goto(url, wait_until="load")
    return page, watch


def _settle(page: Page) -> None:
    """Let the search engine and other late requests finish, so their errors are recorded too."""
    page.wait_for_load_state("networkidle")


def _search(page: Page, query: str) -> None:
    """Type the query into the header's search box and press Enter: the Search page opens with it."""
    box = page.locator(".pc-header-query")
    box.click()
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def _heading(text: str) -> re.Pattern[str]:
    """A heading's text, with or without its permalink sign."""
    return re.compile(rf"^\s*{re.escape(text)}\s*¶?\s*$")


def _squash(text: str) -> str:
    """Text as read, for comparing: the formula of "AstroM³" is its own box, so spacing differs."""
    return re.sub(r"\s+", "", text).casefold()


def _first_result(page: Page):
    return page.locator(".pc-results > li.pc-result:not(.pc-result--loading) a.pc-result-title").first


# 1. Browsing: home -> topic -> paper.


def test_browse_from_home_to_a_topic_to_a_paper(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url)
    card = page.locator(".pc-cards a.pc-card", has_text="AI for Science & Health")
    count = int(card.locator(".pc-count").inner_text())
    card.click()

    expect(page).to_have_url(re.compile(rf"/{PREFIX}/topics/science/$"))
    expect(page.locator("article h1").first).to_have_text(_heading("AI for Science & Health"))
    rows = page.locator(".pc-row")
    expect(rows).to_have_count(count)
    expect(rows.first.locator(".pc-row-title")).to_be_visible()

    row = page.locator(".pc-row", has=page.locator(f'a.pc-row-title[href*="{ASTROM3.split("/")[1]}"]'))
    row_title = row.locator(".pc-row-title").inner_text()
    row.locator(".pc-row-title").click()

    expect(page).to_have_url(re.compile(rf"/{PREFIX}/{ASTROM3}$"))
    title = page.locator("h1.pc-title")
    expect(title).to_be_visible()
    assert _squash(title.inner_text()) == _squash(row_title)
    facts = page.locator(".pc-facts")
    expect(facts.locator("dt", has_text="Date")).to_be_visible()
    expect(facts.locator("dt", has_text="Date").locator("xpath=following-sibling::dd[1]")).not_to_be_empty()
    expect(facts.locator("dd a.pc-chip", has_text="AI for Science & Health")).to_be_visible()
    abstract = page.locator(".pc-abstract")
    expect(abstract).to_be_visible()
    expect(abstract).to_contain_text("astronomical multimodal dataset")
    _settle(page)
    watch.assert_clean()


# 2. Search.


@pytest.mark.parametrize(("title", "target"), SEARCH_TITLES, ids=lambda v: v.split(":")[0][:20])
def test_typing_an_exact_title_finds_the_paper_first(watched_page, base_url: str, title: str, target: str) -> None:
    page, watch = _open(watched_page, base_url)
    _search(page, title)
    first = _first_result(page)
    expect(first).to_have_attribute("href", re.compile(rf"/{PREFIX}/{re.escape(target)}"))
    first.click()

    expect(page).to_have_url(re.compile(rf"/{PREFIX}/{re.escape(target)}"))
    heading = page.locator("h1.pc-title")
    expect(heading).to_be_visible()
    # The heading reads as the title (the superscript of AstroM³ is the "3" after "AstroM"), and a screen
    # reader hears all of it: a formula is named by its plain characters.
    assert _squash(heading.inner_text()) == _squash(title)
    named = re.search(r'heading "(.*)" \[level=1\]', heading.aria_snapshot())
    assert named and _squash(named.group(1).replace("³", "3")) == _squash(title), heading.aria_snapshot()
    _settle(page)
    watch.assert_clean()


def test_latex_typed_as_the_listing_wrote_it_finds_its_paper(watched_page, base_url: str) -> None:
    """"P$^2$" in an abstract is shown, and indexed, as "P²": typed either way, the words find the paper."""
    page, watch = _open(watched_page, base_url)
    for query in ("Personality Prompting (P$^2$)", "Personality Prompting P²"):
        _search(page, query)
        paper = "evaluating-and-inducing-personality-in-pre-trained-language-models"
        expect(_first_result(page)).to_have_attribute("href", re.compile(rf"/{paper}/"))
    _settle(page)
    watch.assert_clean()


def test_a_word_from_an_abstract_finds_its_paper(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url)
    _search(page, "photometry")  # only in the abstract of AstroM³, not in its title
    expect(_first_result(page)).to_have_attribute("href", re.compile(rf"/{PREFIX}/{ASTROM3}"))
    _settle(page)
    watch.assert_clean()


@pytest.mark.parametrize(("name", "slug"), [("Graph Learning", "graphs"), ("AI for Science & Health", "science")])
def test_a_topic_name_finds_the_topic_page(watched_page, base_url: str, name: str, slug: str) -> None:
    page, watch = _open(watched_page, base_url)
    _search(page, name)
    first = _first_result(page)
    expect(first).to_have_attribute("href", re.compile(rf"/{PREFIX}/topics/{slug}/"))
    expect(first).to_contain_text(name)
    first.click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/topics/{slug}/"))
    expect(page.locator("article h1").first).to_have_text(_heading(name))
    _settle(page)
    watch.assert_clean()


# 3. Math.


def test_latex_in_a_title_renders_as_mathml(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + ASTROM3)
    title = page.locator("h1.pc-title")
    math = title.locator("math")
    expect(math).to_have_count(1)
    box = math.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, f"the formula takes no space: {box}"
    assert math.evaluate("m => m.namespaceURI") == "http://www.w3.org/1998/Math/MathML"
    # The exponent sits above the baseline of the text, and no raw LaTeX is shown.
    exponent = math.locator("mn").bounding_box()
    assert exponent and exponent["height"] > 0
    text_box = title.evaluate(
        "h => { const r = document.createRange(); r.setStart(h.firstChild, 0); r.setEnd(h.firstChild, 1);"
        " const b = r.getBoundingClientRect(); return {y: b.y, height: b.height}; }"
    )
    assert exponent["y"] < text_box["y"] + text_box["height"] / 3, (exponent, text_box)
    assert "$" not in title.inner_text() and "^" not in title.inner_text()
    _settle(page)
    watch.assert_clean()  # MathML is native: no script or font from a CDN


# 4. Light and dark.


def _luminance(css_color: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(page: Page, selector: str) -> float:
    fg, bg = page.locator(selector).first.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(document.querySelector('.md-main')"
        " ).backgroundColor !== 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.querySelector('.md-main')).backgroundColor"
        " : getComputedStyle(document.body).backgroundColor]"
    )
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_mode_toggle_switches_and_persists(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/science/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("[data-md-component=palette] label").filter(visible=True).first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    for selector in ("article h1", ".pc-row-title", ".pc-snippet", ".pc-chip"):
        assert _contrast(page, selector) >= 4.5, f"{selector} is hard to read in dark mode"

    page.locator(".pc-row-title").first.click()
    expect(page.locator("h1.pc-title")).to_be_visible()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")

    page.locator("[data-md-component=palette] label").filter(visible=True).first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    _settle(page)
    watch.assert_clean()


# 6. Phone-sized window.


@pytest.mark.parametrize("path", ["", "topics/science/", ASTROM3], ids=["home", "topic", "paper"])
def test_phone_viewport_has_no_horizontal_scroll(watched_page, base_url: str, path: str) -> None:
    page, watch = _open(watched_page, base_url + path, viewport={"width": 390, "height": 844})
    _settle(page)
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"the page is {width[0]}px wide in a {width[1]}px window"

    title = page.locator(".pc-row-title, h1.pc-title").first
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width[1] + 1, f"title runs off the screen: {box}"
    size = float(title.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert size >= 13, f"title text is {size}px on a phone"
    watch.assert_clean()


@pytest.mark.parametrize(("path", "undated"), [("months/undated/", True), ("topics/llm/", True), ("months/2025-11/", False)])
def test_the_year_filter_offers_undated_only_where_a_paper_has_no_date(
    watched_page, base_url: str, path: str, undated: bool
) -> None:
    page, watch = _open(watched_page, base_url + path)
    options = page.locator(".pc-filter-year option")
    expect(options.first).to_have_text("All years")
    assert ("Undated" in options.all_inner_texts()) is undated
    if undated:
        page.locator(".pc-filter-year").select_option("undated")
        expect(page.locator(".pc-filter-status")).not_to_have_text(re.compile(r"^0 of"))
    watch.assert_clean()


def test_a_filtered_group_counts_its_papers_in_good_english(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "months/2025-11/")
    title = page.locator(".pc-row-title").first.inner_text()
    page.locator(".pc-filter-text").fill(title)
    expect(page.locator(".pc-group-count:not([hidden]) .pc-count").first).to_have_text("1 paper")
    page.locator(".pc-filter-text").fill("")
    expect(page.locator(".pc-group-count .pc-count").first).to_have_text(re.compile(r"^\d+ papers?$"))
    watch.assert_clean()


def test_a_printed_listing_or_paper_leaves_out_the_screens_controls(watched_page, base_url: str, built_site: Path) -> None:
    paper = next(p.name for p in sorted((built_site / "papers").iterdir()) if (p / "index.html").is_file())
    pages = [("topics/llm/", ".pc-filter, .pc-pager"), (f"papers/{paper}/", ".pc-copy"), ("search/?q=diffusion", ".pc-search-form")]
    for path, controls in pages:
        page, watch = _open(watched_page, base_url + path)
        expect(page.locator(controls).first).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator(controls).first).to_be_hidden()
        expect(page.locator(".md-content h1").first).to_be_visible()
        watch.assert_clean()


# 7. Every kind of page.


def _page_type_id(path: str) -> str:
    parts = path.strip("/").split("/")
    return parts[0] + ("/" + parts[-1] if path.count("/") > 1 else "") or "home"


@pytest.mark.parametrize("path", PAGE_TYPES, ids=_page_type_id)
def test_every_page_type_loads_cleanly(watched_page, base_url: str, built_site: Path, path: str) -> None:
    if not (built_site / path / "index.html").is_file():
        pytest.skip(f"this build has no {path}")
    page, watch = _open(watched_page, base_url + path)
    expect(page.locator("article h1").first).to_be_visible()
    expect(page.locator(".md-header")).to_be_visible()
    _settle(page)
    watch.assert_clean()


# 5 and 8. The site as the Pages workflow publishes it: built with its address as site_url.


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a site under /PREFIX/ as GitHub Pages does: a missing file gets the site's 404.html."""

    prefix = f"/{PREFIX}/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled site built with site_url set to the address it is served at, under /papercat/.

    That is how the Pages workflow builds it (PAPERCAT_SITE_URL): the 404 page's links and the
    sitemap that instant navigation reads both depend on it.
    """
    from site_fixtures import ROOT

    from generator.site.build import Project, build_site

    site = tmp_path_factory.mktemp("published") / "site"
    site.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}/"
    build_site(Project.at(ROOT, site_dir=site, build_dir=site.parent / "build"), site_url=url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


def test_internal_links_navigate_without_a_full_reload(watched_page, published_site: str) -> None:
    page, watch = _open(watched_page, published_site)
    _settle(page)  # instant navigation starts once the sitemap is read
    page.evaluate("window.__pcSameDocument = true")
    page.locator(".md-tabs__link", has_text="Months").click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/months/$"))
    expect(page.locator("article h1").first).to_have_text(_heading("Months"))
    expect(page).to_have_title(re.compile("^Months"))
    assert page.evaluate("window.__pcSameDocument === true"), "the link reloaded the whole page"

    page.locator(".pc-months a").first.click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/months/\d{{4}}-\d{{2}}/$"))
    expect(page.locator(".pc-row").first).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/months/$"))
    expect(page.locator("article h1").first).to_have_text(_heading("Months"))
    assert page.evaluate("window.__pcSameDocument === true"), "going back reloaded the whole page"
    _settle(page)
    watch.assert_clean()


def test_internal_links_work_without_site_url(watched_page, base_url: str) -> None:
    """Built without site_url the links are plain page loads: still the right page, and no error."""
    page, watch = _open(watched_page, base_url)
    page.locator(".md-tabs__link", has_text="Months").click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/months/$"))
    expect(page.locator("article h1").first).to_have_text(_heading("Months"))
    _settle(page)
    watch.assert_clean()


def test_a_missing_page_gets_the_sites_404_page(watched_page, published_site: str) -> None:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    url = published_site + "papers/no-such-paper/"
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 404
    expect(page.locator("article h1").first).to_have_text(_heading("404 - Not found"))
    assert page.title().startswith("Page not found - ")  # the tab and the history say what happened
    # Styled and navigable from a deep URL: the theme's stylesheet applied, the header links work.
    expect(page.locator(".md-header")).to_have_css("position", "sticky")
    page.locator(".md-tabs__link", has_text="Topics").click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/topics/$"))
    expect(page.locator("article h1").first).to_have_text(_heading("Topics"))
    _settle(page)
    assert missing == [url], f"missing files besides the page itself: {missing}"
    page.goto(url, wait_until="load")
    page.get_by_role("link", name="Search the catalogue").click()  # the ways on from the page
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/search/$"))
    # Chromium reports the 404 of the page itself as a console error; that one is expected.
    watch.console_errors = [e for e in watch.console_errors if "status of 404" not in e]
    watch.assert_clean()

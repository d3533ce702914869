"""WCAG 2.2 AA in headless Chromium: axe-core on every page type, light and dark, desktop and phone;
every control reachable by keyboard with a visible focus ring that nothing covers (axe with WCAG 2.2's rules on); the filter, the
copy button and the navigation drawer used without a mouse; no page scrolling sideways at 320
pixels; the paper pages' sections as headings; the stats charts with their data tables.

axe-core is the npm package pinned in tests/browser/package.json; ``python3 dev.py test`` installs
it with ``npm ci`` into tests/browser/node_modules, as it installs Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT = 10_000

SCHEMES = ("light", "dark")
# 320 CSS pixels: the width WCAG's reflow criterion names (1280 pixels at 400% zoom), narrower than any phone.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 320, "height": 640}}

# Violations left to Material for MkDocs, by rule id, with the reason papercat cannot fix them by a
# theme override or CSS. Everything else axe reports fails the test. (Material's own findings --
# tab and footer contrast, the search dialog's name, the loading bar's name and landmark -- are
# fixed in site_config/assets/papercat.css, papercat.js and theme/partials/progress.html.)
LEFT_TO_MATERIAL: dict[str, str] = {}


def _axe_file() -> Path:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run the tests with `python3 dev.py test` (it runs npm ci)")
    return AXE


def page_types(site: Path) -> dict[str, str]:
    """One page of every kind the built site has, by name."""
    papers = sorted(p.name for p in (site / "papers").iterdir() if (p / "index.html").is_file())
    months = sorted(p.name for p in (site / "months").iterdir() if p.name[:1].isdigit())
    topics = sorted(p.name for p in (site / "topics").iterdir() if (p / "index.html").is_file())
    pages = {
        "home": "",
        "topics index": "topics/",
        "topic": f"topics/{'llm' if 'llm' in topics else topics[0]}/",
        "months index": "months/",
        "month": f"months/{months[-1]}/",
        "undated": "months/undated/",
        "paper": f"papers/{papers[0]}/",
        "stats": "stats/",
        "about": "about/",
        "search": "search/?q=diffusion",
        "export": "export/",
        "404": "404.html",
    }
    missing = [name for name, path in pages.items()
               if not (site / path.split("?")[0] / "index.html").is_file() and not (site / path.split("?")[0]).is_file()]
    assert not missing, f"page types missing from the built site: {missing}"
    return pages


def run_axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=str(_axe_file()))
    return page.evaluate(
        """async () => {
            // WCAG 2.2's rules (target size) are off by default in axe: every rule of WCAG 2.2 AA runs.
            const wcag22 = axe.getRules(["wcag22aa"]).map((rule) => rule.ruleId);
            const rules = Object.fromEntries(wcag22.map((id) => [id, {enabled: true}]));
            const result = await axe.run(document, {resultTypes: ["violations"], rules});
            const brief = (v) => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary}))});
            return {violations: result.violations.map(brief), passes: result.passes.length};
        }"""
    )


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.querySelector('[data-pc-filter]') === null || "
                           "document.querySelector('[data-pc-filter]').dataset.pcReady === '1'")
    # A shared search URL: wait for its results and filters, so they are checked too.
    page.wait_for_function("() => !document.querySelector('[data-pc-search]') || !location.search || "
                           "document.querySelector('.pc-facets:not([hidden]) select option:nth-child(2)') !== null")
    # Charts' numbers are in closed <details>: open them so their tables are checked too.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


@pytest.fixture(scope="module")
def site_url(serve, built_site: Path) -> str:
    return serve(built_site)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_on_any_page_type(watched_page, site_url: str, built_site: Path, scheme: str, viewport: str) -> None:
    page, watch = watched_page(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page.set_default_timeout(TIMEOUT)
    found: list[str] = []
    for name, path in page_types(built_site).items():
        _open(page, site_url + path)
        expected = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        result = run_axe(page)
        assert result["passes"] > 10, f"axe checked almost nothing on {name}"
        for violation in result["violations"]:
            if violation["id"] in LEFT_TO_MATERIAL:
                continue
            nodes = "; ".join(f"{n['target']}: {n['summary'].splitlines()[-1].strip()}" for n in violation["nodes"][:3])
            found.append(f"{name} ({path or '/'}): {violation['id']} x{len(violation['nodes'])} — {violation['help']} — {nodes}")
    assert not found, f"{scheme} scheme, {viewport}:\n" + "\n".join(found)
    watch.console_errors = [e for e in watch.console_errors if "status of 404" not in e]
    watch.assert_clean()


def test_axe_reports_what_it_should(watched_page, site_url: str) -> None:
    """The harness itself: a low-contrast line and an unlabelled control injected into a page are reported."""
    page, _ = watched_page()
    _open(page, site_url + "about/")
    page.evaluate(
        """() => {
            const p = document.createElement("p");
            p.textContent = "faint text";
            p.style.color = "#bbbbbb";
            const input = document.createElement("input");
            document.querySelector("article").append(p, input);
        }"""
    )
    ids = {v["id"] for v in run_axe(page)["violations"]}
    assert {"color-contrast", "label"} <= ids


def _focus_ring(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
                    outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow,
                    cls: String(el.className)};
        }"""
    )


def _tab_to(page: Page, selector: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with the Tab key in {limit} presses")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_control_shows_where_the_keyboard_is(watched_page, site_url: str, built_site: Path, scheme: str) -> None:
    page, _ = watched_page(color_scheme=scheme)
    pages = page_types(built_site)
    for name in ("home", "topic", "paper"):
        _open(page, site_url + pages[name])
        seen = 0
        for _ in range(40):
            page.keyboard.press("Tab")
            ring = _focus_ring(page)
            if ring["tag"] == "BODY":
                break
            seen += 1
            visible = (ring["outline"] not in ("none", "") and ring["width"] not in ("0px", "")) or ring["shadow"] != "none"
            assert visible, f"{name}: no visible focus on {ring}"
        assert seen >= 10, f"{name}: only {seen} controls reached with Tab"


def test_filter_works_from_the_keyboard(watched_page, site_url: str, built_site: Path) -> None:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    _open(page, site_url + page_types(built_site)["topic"])
    rows = page.locator(".pc-row")
    # A listing of several pages filters all its papers, not only the page's rows.
    total = int(page.locator("[data-pc-filter]").get_attribute("data-pc-total") or rows.count())
    assert total > 5
    _tab_to(page, "input.pc-filter-text")
    page.keyboard.type("zzqxj-no-such-word")
    expect(page.locator(".pc-filter-status")).to_have_text(f"0 of {total} papers")
    for _ in range(len("zzqxj-no-such-word")):
        page.keyboard.press("Backspace")
    expect(page.locator(".pc-filter-status")).to_have_text(f"{total} papers")
    # The year list: reached with Tab, changed with the arrow keys.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('select.pc-filter-year')")
    page.keyboard.press("ArrowDown")
    year = page.evaluate("() => document.activeElement.value")
    assert year, "the arrow key did not choose a year"
    shown = page.locator(".pc-row:not([hidden])").count()
    assert 0 < shown <= total
    assert all(v == year for v in page.locator(".pc-row:not([hidden])").evaluate_all("(rs) => rs.map((r) => r.dataset.year)"))
    watch.assert_clean()


def test_copy_button_works_from_the_keyboard(browser, serve, built_site: Path) -> None:
    base = serve(built_site)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        _open(page, base + page_types(built_site)["paper"])
        _tab_to(page, "button.pc-copy")
        ring = _focus_ring(page)
        assert ring["outline"] != "none", ring
        page.keyboard.press("Enter")
        expect(page.locator("button.pc-copy")).to_have_text("Copied")
        # A screen reader hears the outcome: the button's new text alone is not announced.
        expect(page.get_by_role("status")).to_have_text("BibTeX copied to the clipboard")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.strip() == page.locator("pre.pc-bibtex").inner_text().strip() and copied.startswith("@")
    finally:
        context.close()


def test_without_javascript_no_control_is_shown_that_cannot_work(browser, serve, built_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(serve(built_site) + page_types(built_site)["paper"])
        expect(page.locator("pre.pc-bibtex")).to_be_visible()  # the BibTeX is there to select and copy by hand
        expect(page.locator("button.pc-copy")).to_be_hidden()
    finally:
        context.close()


def test_the_charts_legend_keeps_its_colours_in_a_high_contrast_mode(browser, serve, built_site: Path) -> None:
    context = browser.new_context(forced_colors="active")
    try:
        page = context.new_page()
        page.goto(serve(built_site) + "stats/")
        # Each entry's swatch has the colour of its bars (a forced background would make them all one colour).
        pairs = page.locator(".pc-legend .pc-swatch").evaluate_all(
            """(swatches) => swatches.map((swatch) => {
                const series = [...swatch.classList].find((c) => c.startsWith("pc-series-"));
                const bar = swatch.closest(".pc-chart-box").querySelector(`svg rect.${series}`);
                return [getComputedStyle(swatch).backgroundColor, bar ? getComputedStyle(bar).fill : null];
            })""")
        assert len(pairs) > 1 and all(swatch == bar for swatch, bar in pairs), pairs
    finally:
        context.close()


def test_charts_keep_their_data_tables(watched_page, site_url: str) -> None:
    page, _ = watched_page()
    _open(page, site_url + "stats/")
    charts = page.locator("svg.pc-chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img" and (chart.get_attribute("aria-label") or chart.get_attribute("aria-labelledby"))
    tables = page.locator("details.pc-data table")
    assert tables.count() == charts.count()
    assert all(tables.nth(i).locator("tbody tr").count() > 0 for i in range(tables.count()))


@pytest.fixture(scope="module")
def site_with_whats_new(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small catalogue built twice, the second time with papers added and removed: its home page has "What's new"."""
    from site_fixtures import LISTING_PAPERS as PAPERS
    from site_fixtures import listing_paper as paper
    from site_fixtures import listing_project, write_listing

    from generator.site.build import Project, build_site

    root = listing_project(tmp_path_factory.mktemp("whats-new") / "project", PAPERS)
    project = Project.at(root)
    build_site(project)
    write_listing(root / "content" / "main.yml", [*PAPERS[1:], paper("Tiny Language Models on Phones", "Small models run on phones.")])
    write_listing(root / "content" / "bad.yml", ["not a paper"])
    return build_site(project).site_dir


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_in_whats_new(watched_page, serve, site_with_whats_new: Path, scheme: str) -> None:
    page, _ = watched_page(color_scheme=scheme)
    _open(page, serve(site_with_whats_new))
    expect(page.locator(".pc-whats-new li")).to_have_count(3)
    violations = [v for v in run_axe(page)["violations"] if v["id"] not in LEFT_TO_MATERIAL]
    assert not violations, violations


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_scrolls_sideways(watched_page, site_url: str, built_site: Path, viewport: str) -> None:
    """Reflow (1.4.10): at 320 pixels the text wraps; only a wide table scrolls, inside its own box."""
    page, _ = watched_page(viewport=VIEWPORTS[viewport])
    wide: list[str] = []
    for name, path in page_types(built_site).items():
        _open(page, site_url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"]:
            wide.append(f"{name}: {width} px")
    assert not wide, f"pages wider than the window at {VIEWPORTS[viewport]['width']} px: {wide}"


# Whether some of the focused element can be seen: a point of it that no other element covers.
_FOCUS_SEEN = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) return {seen: true, name: ""};
    const name = (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 40);
    for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.2, 0.5, 0.8]) {
        const x = box.left + fx * box.width, y = box.top + fy * box.height;
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const hit = document.elementFromPoint(x, y);
        if (hit && (hit === el || el.contains(hit))) return {seen: true, name};
    }
    return {seen: false, name, top: Math.round(box.top)};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_focus_is_never_hidden_when_tabbing_backwards(watched_page, site_url: str, built_site: Path, viewport: str) -> None:
    """Focus not obscured (2.4.11): Shift+Tab scrolls each link to the top, under the sticky header and "Back to top"."""
    page, _ = watched_page(viewport=VIEWPORTS[viewport])
    pages = page_types(built_site)
    hidden: list[str] = []
    for name in ("topic", "home"):
        _open(page, site_url + pages[name])
        page.keyboard.press("End")
        # Chromium animates the End key's scroll; let it finish, or it goes on moving the page under the focus.
        page.wait_for_function("() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight")
        page.locator(".md-footer a").last.focus()
        for _ in range(60):
            page.keyboard.press("Shift+Tab")
            seen = page.evaluate(_FOCUS_SEEN)
            if not seen["seen"]:
                hidden.append(f"{name}: {seen}")
    assert not hidden, f"focused elements entirely covered: {hidden[:5]}"


@pytest.mark.parametrize(("scheme", "which"), [(scheme, "paper") for scheme in SCHEMES] + [("light", "home")])
def test_the_navigation_drawer_works_from_the_keyboard(
    watched_page, site_url: str, built_site: Path, scheme: str, which: str
) -> None:
    """On a narrow screen: the closed drawer's links are out of the Tab order, and its button opens and closes it.

    On the home page the drawer's first link (the home page's own) is hidden: the focus goes to the first one shown.
    """
    page, watch = watched_page(viewport=VIEWPORTS["phone"], color_scheme=scheme)
    _open(page, site_url + page_types(built_site)[which])
    for _ in range(12):
        page.keyboard.press("Tab")
        assert not page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')"), "focus went into the closed drawer"
    _open(page, site_url + page_types(built_site)[which])  # Tab starts from the top of the page again
    _tab_to(page, ".md-header button.pc-drawer-button", limit=10)
    button = page.get_by_role("button", name="Navigation")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("(id) => document.getElementById(id).matches('.md-sidebar--primary')", button.get_attribute("aria-controls"))
    assert _focus_ring(page)["outline"] != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#__drawer")).to_be_checked()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.wait_for_function("() => !!document.activeElement.closest('.md-sidebar--primary')")
    page.keyboard.press("Tab")  # on through the drawer's links, the drawer still open
    assert page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    expect(page.locator("#__drawer")).to_be_checked()
    page.keyboard.press("Shift+Tab")
    # The focused link in the open drawer keeps its text readable (Material colours it with the accent).
    contrast = [v for v in run_axe(page)["violations"] if v["id"] == "color-contrast"]
    assert not contrast, contrast
    page.keyboard.press("Escape")
    expect(page.locator("#__drawer")).not_to_be_checked()
    assert page.evaluate("() => document.activeElement.matches('.md-header button.pc-drawer-button')")
    button.click()  # the mouse too
    expect(page.locator("#__drawer")).to_be_checked()
    watch.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_colour_toggle_is_reached_named_and_used_from_the_keyboard(watched_page, site_url: str, scheme: str) -> None:
    """On a first visit the toggle follows the system's scheme: Tab reaches the visible toggle, named for what it does."""
    page, watch = watched_page(color_scheme=scheme)
    _open(page, site_url + "about/")
    _tab_to(page, 'input[name="__palette"]', limit=10)
    other = "light" if scheme == "dark" else "dark"
    focused = page.evaluate("() => [document.activeElement.getAttribute('aria-label'), !document.activeElement.nextElementSibling.hidden]")
    assert focused == [f"Switch to {other} mode", True]
    page.keyboard.press("Space")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if other == "dark" else "default")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == f"Switch to {scheme} mode"
    watch.assert_clean()


@pytest.mark.parametrize("name", ["home", "topic", "paper", "search", "404"])
def test_the_first_tab_offers_to_skip_to_the_content(watched_page, site_url: str, built_site: Path, name: str) -> None:
    """Bypass blocks (2.4.1): on every kind of page, paper pages included, the first Tab stop skips the header."""
    page, watch = watched_page()
    _open(page, site_url + page_types(built_site)[name])
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    skip.press("Enter")
    # The keyboard goes on from the page's heading, past the header, the tabs and the navigation.
    page.keyboard.press("Tab")
    passed = "() => !document.activeElement.closest('.md-header, .md-tabs, .md-sidebar--primary, .md-skip')"
    assert page.evaluate(passed), page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    watch.assert_clean()


def test_tabbing_out_of_the_open_drawer_closes_it(watched_page, site_url: str, built_site: Path) -> None:
    """Focus not obscured (2.4.11): past the drawer's last link the focus is on the page, so the drawer gets out of the way."""
    page, watch = watched_page(viewport=VIEWPORTS["phone"])
    _open(page, site_url + page_types(built_site)["topic"])
    page.get_by_role("button", name="Navigation").click()
    expect(page.locator("#__drawer")).to_be_checked()
    page.wait_for_function("() => !!document.activeElement.closest('.md-sidebar--primary')")
    for _ in range(60):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')"):
            break
    expect(page.locator("#__drawer")).not_to_be_checked()
    page.wait_for_timeout(400)  # the drawer slides away
    seen = page.evaluate(_FOCUS_SEEN)
    assert seen["seen"], seen
    watch.assert_clean()


def test_the_drawer_button_is_shown_only_where_the_drawer_is(watched_page, site_url: str) -> None:
    """On a wide screen the navigation is always in view: Material hides its drawer button there, and so does papercat."""
    page, _ = watched_page(viewport={"width": 1280, "height": 900})
    _open(page, site_url)
    expect(page.locator(".md-header .pc-drawer-button")).to_be_hidden()
    page.set_viewport_size(VIEWPORTS["phone"])
    expect(page.locator(".md-header .pc-drawer-button")).to_be_visible()


def _contrast(page: Page, selector: str) -> float:
    """Contrast of an element's focus ring with the background behind it (the header's or the tabs' colour)."""
    return float(page.evaluate(
        r"""(selector) => {
            const el = document.querySelector(selector);
            el.focus();
            const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
            const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            const lum = (c) => { const [r, g, b] = rgb(c).map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const clear = (e) => /rgba\(0,0,0,0\)|transparent/.test(getComputedStyle(e).backgroundColor.replace(/\s/g, ""));
            let back = el;
            while (back && clear(back)) back = back.parentElement;
            const a = lum(getComputedStyle(el).outlineColor), b = lum(getComputedStyle(back).backgroundColor);
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    ))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_ring_stands_out_on_the_header_and_tabs(watched_page, site_url: str, scheme: str) -> None:
    """Non-text contrast (1.4.11): at least 3:1 against the header and the tabs, whose colour is the accent's neighbour."""
    page, _ = watched_page(color_scheme=scheme)
    _open(page, site_url)
    page.keyboard.press("Tab")  # focus-visible from here on
    for selector in ("a.md-tabs__link", "a.md-header__button.md-logo"):
        assert _contrast(page, selector) >= 3, selector


def test_a_paper_pages_sections_are_headings(watched_page, site_url: str, built_site: Path) -> None:
    """Info and relationships (1.3.1): what looks like a section heading is one, so a screen reader can jump by them."""
    page, _ = watched_page()
    related = next(p for p in sorted((built_site / "papers").iterdir())
                   if "Related papers" in (p / "index.html").read_text(encoding="utf-8"))
    _open(page, site_url + f"papers/{related.name}/")
    for name in ("Abstract", "Related papers", "Cite", "Where it came from"):
        expect(page.get_by_role("heading", level=2, name=name, exact=True)).to_be_visible()


def _text_contrast(page: Page, selector: str) -> tuple[float, str]:
    """Contrast of the text of the first element ``selector`` matches with the background behind it, as it is now."""
    ratio, colours = page.evaluate(
        r"""(selector) => {
            const el = document.querySelector(selector);
            const rgba = (c) => c.match(/\d+(\.\d+)?/g).map(Number);
            const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
            let back = el;
            while (back && (rgba(getComputedStyle(back).backgroundColor)[3] ?? 1) === 0) back = back.parentElement;
            const fg = getComputedStyle(el).color, bg = back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)";
            const a = lum(rgba(fg)), b = lum(rgba(bg));
            return [(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), `${fg} on ${bg}`];
        }""",
        selector,
    )
    return float(ratio), str(colours)


# A control or link of each kind papercat styles, on the page that has it.
STATEFUL = [
    ("paper", "[data-pc-copy]"),
    ("paper", ".pc-facts a.pc-chip"),
    ("topic", "a.pc-row-title"),
    ("topic", ".pc-count-line a"),
]


@pytest.mark.parametrize("state", ["hover", "focus"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_keeps_its_contrast_under_the_pointer_and_the_keyboard(
    watched_page, site_url: str, built_site: Path, scheme: str, state: str
) -> None:
    """Contrast (minimum) (1.4.3) holds in every state: a button, a chip or a link under the pointer or focused."""
    pages = page_types(built_site)
    page, _ = watched_page(color_scheme=scheme)
    page.emulate_media(reduced_motion="reduce")  # the colours as they end, not half-way through Material's transition
    failures = []
    for kind, selector in STATEFUL:
        _open(page, site_url + pages[kind])
        target = page.locator(selector).first
        expect(target).to_be_visible()
        if state == "hover":
            target.hover()
        else:
            page.keyboard.press("Tab")  # the keyboard's focus, as :focus-visible sees it
            target.focus()
        page.wait_for_timeout(300)
        target.evaluate("(el) => el.setAttribute('data-pc-probe', '')")
        ratio, colours = _text_contrast(page, "[data-pc-probe]")
        if ratio < 4.5:
            failures.append(f"{kind} {selector}: {ratio:.2f}:1, {colours}")
    assert not failures, failures


_CONTRASTS = r"""(selector) => {
    const el = document.querySelector(selector);
    const rgba = (c) => { const v = c.match(/[\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
    const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
    const behind = (node) => {  // the colour a node's box shows: its background over its ancestors'
        const layers = [];
        for (let n = node; n; n = n.parentElement) {
            const c = rgba(getComputedStyle(n).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
    };
    const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const lum = (c) => 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
    const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    const box = behind(el), page = behind(el.parentElement);
    const placeholder = over(rgba(getComputedStyle(el, "::placeholder").color), box);
    const border = over(rgba(getComputedStyle(el).borderTopColor), page);
    const edge = parseFloat(getComputedStyle(el).borderTopWidth) > 0
        ? Math.max(ratio(border, page), ratio(border, box)) : ratio(box, page);  // no border: its fill is the edge
    return {placeholder: ratio(placeholder, box), border: edge};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_boxes_show_their_placeholder_and_their_edge(watched_page, site_url: str, built_site: Path, scheme: str) -> None:
    """A box's placeholder is text (1.4.3, 4.5:1), its border what shows there is a box (1.4.11, 3:1)."""
    page, _ = watched_page(color_scheme=scheme)
    boxes = [("search/", ".pc-header-query"), ("search/", ".pc-search-query"), (page_types(built_site)["topic"], ".pc-filter-text")]
    for path, selector in boxes:
        _open(page, site_url + path)
        found = page.evaluate(_CONTRASTS, selector)
        assert found["placeholder"] >= 4.5 and found["border"] >= 3, (path, selector, found)

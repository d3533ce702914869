"""WCAG 2.2 AA in headless Chromium: axe-core on every page type, light and dark, desktop and phone;
every control reachable by keyboard with a visible focus ring; the filter and the copy button used
without a mouse; the stats charts with their data tables.

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
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

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
            const result = await axe.run(document, {resultTypes: ["violations"]});
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
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.strip() == page.locator("pre.pc-bibtex").inner_text().strip() and copied.startswith("@")
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
    import shutil

    from site_fixtures import CONFIG, ROOT, write_listing
    from site_fixtures import LISTING_PAPERS as PAPERS
    from site_fixtures import listing_paper as paper

    from generator.site.build import Project, build_site

    root = tmp_path_factory.mktemp("whats-new") / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    (root / "content").mkdir()
    write_listing(root / "content" / "main.yml", PAPERS)
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

"""Citing, filtering and the stats charts, as a reader uses them in headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from site_fixtures import CONFIG, ROOT, catalogue_json

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(built_site: Path, serve) -> str:
    return serve(built_site, "catalogue")


def _records(site: Path) -> list[dict]:
    return catalogue_json(site)["records"]


def test_copy_button_puts_the_bibtex_entry_on_the_clipboard(built_site, base, watched_page):
    record = next(r for r in _records(built_site) if r["date"] and r["venue"] is None)
    page, watch = watched_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.split("/catalogue")[0])
    page.goto(base + record["page"])
    button = page.locator("button.pc-copy")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('button.pc-copy').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@") and "{" + record["citation_key"] + "," in copied
    assert copied.strip() == page.locator("pre.pc-bibtex").inner_text().strip()
    watch.assert_clean()


def test_show_more_takes_the_focus_to_the_rows_it_brought(built_site, base, watched_page):
    page, watch = watched_page()
    page.goto(base + "topics/llm/?text=a")
    more = page.locator(".pc-filter-more")
    expect(more).to_be_visible()
    before = page.locator(".pc-filter-results .pc-row").count()
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pc-filter-results .pc-row").nth(before)).to_be_visible()
    focused = page.evaluate("() => document.activeElement.closest('.pc-row') && document.activeElement.textContent")
    assert focused == page.locator(".pc-filter-results .pc-row").nth(before).locator(".pc-row-title").inner_text()
    watch.assert_clean()


def test_filter_narrows_rows_instantly_and_the_url_keeps_it(built_site, base, watched_page):
    records = _records(built_site)
    topic = "llm"
    members = [r for r in records if topic in (r["topics"]["primary"], *r["topics"]["secondary"])]
    year = max((r["date"][:4] for r in members if r["date"]), key=lambda y: sum(1 for r in members if (r["date"] or "").startswith(y)))
    page, watch = watched_page()
    page.goto(base + f"topics/{topic}/")
    rows = page.locator(".pc-row")
    on_page = rows.count()
    # The topic has more papers than a page shows: the filter works over all of them.
    total = int(page.get_attribute("[data-pc-filter]", "data-pc-total") or on_page)
    assert total == len(members) and on_page <= total
    page.select_option("select.pc-filter-year", year)
    expected_year = [r for r in members if (r["date"] or "").startswith(year)]
    expect(page.locator(".pc-row:visible")).to_have_count(len(expected_year))
    word = expected_year[0]["title"].split()[0]
    page.fill("input.pc-filter-text", word)
    expect(page.locator(".pc-filter-status")).to_have_text(re.compile(rf"^\d+ of {total} papers$"))
    visible = page.locator(".pc-row:visible").all_inner_texts()
    assert visible and all(word.lower() in text.lower() for text in visible)
    assert len(visible) <= len(expected_year)
    query = parse_qs(urlsplit(page.url).query)
    assert query["year"] == [year] and query["text"] == [word]
    assert page.locator(".pc-filter-status").inner_text().startswith(f"{len(visible)} of {total}")
    # The URL is shareable: opening it shows the same rows.
    shared, _ = watched_page()
    shared.goto(page.url)
    expect(shared.locator(".pc-row:visible")).to_have_count(len(visible))
    assert shared.input_value("input.pc-filter-text") == word
    # Clearing the filter brings every row back.
    page.fill("input.pc-filter-text", "")
    page.select_option("select.pc-filter-year", "")
    expect(page.locator(".pc-row:visible")).to_have_count(on_page)
    assert urlsplit(page.url).query == ""
    watch.assert_clean()


def test_month_page_filters_by_topic(built_site, base, watched_page):
    records = _records(built_site)
    months: dict[str, list[dict]] = {}
    for r in records:
        if r["date"]:
            months.setdefault(r["date"][:7], []).append(r)
    month, members = max(months.items(), key=lambda kv: len(kv[1]))
    topic = members[0]["topics"]["primary"]
    page, watch = watched_page()
    page.goto(base + f"months/{month}/?topic={topic}")
    expected = [r for r in members if topic in (r["topics"]["primary"], *r["topics"]["secondary"])]
    assert page.locator(".pc-row:visible").count() == len(expected)
    assert page.locator(".pc-row").count() == len(members)
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stats_charts_render_legibly_in_both_colour_schemes(base, watched_page, scheme):
    page, watch = watched_page(color_scheme=scheme)
    page.goto(base + "stats/")
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    charts = page.locator("svg.pc-chart")
    assert charts.count() == 3
    for index in range(3):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        shot = chart.screenshot()
        assert len(shot) > 3000  # a blank image compresses to almost nothing
    # Bars are filled with a colour that differs from the page background, and labels follow the text colour.
    colours = page.evaluate(
        """() => {
            const bg = getComputedStyle(document.body).backgroundColor;
            const bar = getComputedStyle(document.querySelector('svg.pc-chart rect')).fill;
            const label = getComputedStyle(document.querySelector('svg.pc-chart text')).fill;
            const fg = getComputedStyle(document.querySelector('.md-typeset')).color;
            return {bg, bar, label, fg};
        }"""
    )
    assert colours["bar"] not in (colours["bg"], "none", "rgb(0, 0, 0)")
    assert colours["label"] == colours["fg"]
    watch.assert_clean()


@pytest.fixture(scope="module")
def no_abstract_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    """A catalogue of one Anthology volume's entries, one of them printed without an abstract."""
    from generator.site.build import Project, build_site

    root = tmp_path_factory.mktemp("no-abstract") / "project"
    (root / "content").mkdir(parents=True)
    (root / "content" / "volume.txt").write_text(
        "pdf bib abs\nBenchmarking Retrieval Heads in Long-Context Models\nOmar Haddad | Ana Ruiz\n"
        "We locate the attention heads that retrieve facts from long contexts and show that pruning them collapses "
        "recall while leaving perplexity unchanged, across six model families and four context lengths.\n"
        "pdf bib abs\nGrokking Beyond Modular Arithmetic\nDmitri Novak | Chidi Okafor\n",
        encoding="utf-8",
    )
    shutil.copytree(CONFIG, root / "site_config")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    report = build_site(Project.at(root))
    assert sorted(p.title for p in report.ingest.papers) == ["Benchmarking Retrieval Heads in Long-Context Models",
                                                            "Grokking Beyond Modular Arithmetic"]
    return serve(report.site_dir, "volume")


def test_a_paper_without_an_abstract_says_so_on_its_page_and_in_search(no_abstract_site, watched_page):
    page, watch = watched_page()
    page.goto(no_abstract_site + "search/?q=grokking")
    result = page.locator(".pc-results .pc-result").first
    expect(result.locator(".pc-result-title")).to_have_text(re.compile("Grokking Beyond Modular Arithmetic"))
    snippet = result.locator(".pc-snippet").inner_text().strip()
    assert snippet == "Grokking Beyond Modular Arithmetic"  # the title, no dangling dash where an abstract would be
    result.locator("a").first.click()
    expect(page.locator(".pc-abstract")).to_have_text("The listing gave no abstract.")
    watch.assert_clean()

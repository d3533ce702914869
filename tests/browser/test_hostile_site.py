"""The hostile corpus in a real browser: no script from a listing runs, nothing leaves localhost,
and every hostile title reads exactly as the listing wrote it.

The site is built from tests/hostile/ (with the repository's mkdocs.yml and site_config/) and
served under a sub-path. Every page is checked after load: no dialog, no page error, no request
off localhost, no element or attribute a listing could have injected, no flag set by an
injected script; then the titles are looked for in the rendered text, and the same titles are
searched for on the Search page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from site_fixtures import LITERAL_FIELDS, LITERAL_TITLES, HostileBuild, Watch, build_hostile

pytestmark = pytest.mark.browser

TIMEOUT = 15_000
PREFIX = "hostile"

# Everything a listing could have smuggled into the DOM, found by the browser itself.
_FIND_INJECTED = """() => {
  const found = [];
  const urlAttrs = ["href", "src", "srcdoc", "action", "formaction", "data", "poster", "xlink:href"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const name of el.getAttributeNames()) {
      const value = (el.getAttribute(name) || "").trim().toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
      if (urlAttrs.includes(name) && (value.startsWith("javascript:") || value.includes("evil.example"))) {
        found.push(`<${tag} ${name}=${value}>`);
      }
    }
    if (["iframe", "frame", "object", "embed", "b"].includes(tag)) found.push(`<${tag}>`);
    if (tag === "img" && el.getAttribute("src") === "x") found.push("<img src=x>");
    if (tag === "script" && /alert\\(|__pc_pwned/.test(el.textContent)) found.push(`<script>${el.textContent.slice(0, 60)}`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    return build_hostile(tmp_path_factory.mktemp("hostile-browser"))


@pytest.fixture(scope="module")
def base_url(serve, hostile_site: HostileBuild) -> str:
    return serve(hostile_site.site, prefix=PREFIX)


def _visit(watched_page, url: str) -> tuple[Page, object]:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url, wait_until="load")
    return page, watch


def _go(page: Page, url: str) -> None:
    """The next page in the same tab: a full load (not Material's instant navigation), so its scripts run anew."""
    page.goto(url, wait_until="load")


def _assert_nothing_ran(page: Page, watch: Watch) -> None:
    watch.assert_clean()
    assert page.evaluate("() => window.__pc_pwned === undefined"), "a script from a listing set window.__pc_pwned"
    injected = page.evaluate(_FIND_INJECTED)
    assert not injected, f"elements injected by content on {page.url}: {injected}"


def _body_text(page: Page) -> str:
    return " ".join(page.evaluate("() => document.body.innerText").split())


def _site_pages(site: Path, folder: str) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / folder).glob("*/index.html"))


def test_paper_pages_run_nothing_and_show_the_titles_literally(watched_page, base_url: str, hostile_site: HostileBuild) -> None:
    page, watch = _visit(watched_page, base_url)
    for title in LITERAL_TITLES:
        paper = hostile_site.paper(title)
        _go(page, f"{base_url}papers/{paper.id}/")
        _assert_nothing_ran(page, watch)
        text = _body_text(page)
        assert title in text, (paper.id, title)
        assert page.locator("h1.pc-title").inner_text().strip() == title
        for fragment in LITERAL_FIELDS.get(title, []):
            assert fragment in text, (paper.id, fragment)
    page.wait_for_load_state("networkidle")
    _assert_nothing_ran(page, watch)


def test_home_topic_and_month_pages_run_nothing_and_list_the_titles_literally(
    watched_page, base_url: str, hostile_site: HostileBuild
) -> None:
    site = hostile_site.site
    listing_pages = ["", *_site_pages(site, "topics"), *_site_pages(site, "months"), "about/"]
    seen: dict[str, str] = {}
    page, watch = _visit(watched_page, base_url)
    for rel in listing_pages:
        _go(page, base_url + rel)
        _assert_nothing_ran(page, watch)
        seen[rel] = _body_text(page)
    page.wait_for_load_state("networkidle")
    _assert_nothing_ran(page, watch)
    for title in LITERAL_TITLES:
        paper = hostile_site.paper(title)
        assert title in seen[""], ("home", title)
        assert title in seen[f"months/{paper.month or 'undated'}/"], ("month", title)
        assert any(title in text for rel, text in seen.items() if rel.startswith("topics/")), ("topic", title)


SEARCHES = [
    ("Attention Is Not All You Need", "<script>alert(1)</script> Attention Is Not All You Need"),
    ("Vision Transformers for Tiny Images", "<img src=x onerror=alert(2)> Vision Transformers for Tiny Images"),
    ("Framed Learning", '<iframe src="javascript:alert(3)"></iframe> Framed Learning'),
    ("Robust Agents", '<a href="javascript:alert(4)">Click here</a> for Robust Agents'),
    ("Flags", '<script>window.__pc_pwned = 1</script><img src="http://evil.example/t.png" onerror="window.__pc_pwned=2"> Flags'),
    ("Template Syntax", "{{ 7*7 }} and {% raw %}Template{% endraw %} Syntax {# comment #}"),
    ("Already-Escaped Entities", "&lt;script&gt; Already-Escaped Entities &amp; More"),
]
_RESULT_TITLES = """() => [...document.querySelectorAll(".pc-results .pc-result-title")]
  .map((h) => h.innerText.split(/\\s+/).join(" ").trim())"""


def test_search_results_show_hostile_titles_as_text(watched_page, base_url: str) -> None:
    page, watch = _visit(watched_page, base_url + "search/")
    box = page.locator(".pc-search-query")
    for query, title in SEARCHES:
        box.click()
        box.fill("")
        box.press_sequentially(query)
        page.wait_for_function(
            f"(title) => ({_RESULT_TITLES})().includes(title)", arg=title, timeout=TIMEOUT
        )
        _assert_nothing_ran(page, watch)
        # The snippet shows the listing's text as text, with only the matched words marked.
        snippets = page.locator(".pc-results .pc-snippet")
        assert snippets.first.locator("mark").count() >= 1
        assert snippets.first.locator("*:not(mark)").count() == 0
    page.wait_for_load_state("networkidle")
    _assert_nothing_ran(page, watch)

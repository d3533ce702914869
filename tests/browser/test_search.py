"""Search on the bundled catalogue, in headless Chromium: papercat's own index (search-index/),
queried by the Search page the way a reader uses it.

Ranking is checked with the page's own engine (``window.papercatSearch``, what the Search page
calls) over a large fixed sample of the bundled titles and every title with LaTeX or a colon; the
tokenizer the browser runs is checked against the one the index was written with; the page itself
is checked for what a reader sees: results with title, date, topic chips and a marked snippet,
topic/year/venue filters with counts, a shareable URL, and nothing of the index downloaded by a
reader who does not search.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page, expect
from site_fixtures import catalogue_json

from generator.site.search import BUNDLE_DIR, fnv1a, record_path, tokenize
from generator.site.text import plain_text

pytestmark = pytest.mark.browser

PREFIX = "papercat"
TIMEOUT = 15_000
NEURIPS = "Neural Information Processing Systems"

# The documents the Search page shows first for each query (before every posting is read).
_FIRST_DOCS = """async (queries) => {
  const out = [];
  for (const query of queries) out.push((await window.papercatSearch.first(query)).slice(0, 12));
  return out;
}"""

# Strings the two tokenizers (Python, JavaScript) must split alike.
HOSTILE_STRINGS = [
    "AstroM$^3$: A self-supervised multimodal model", "AstroM³", "$\\mathcal{O}(n \\log n)$ time, $k$-NN",
    "<script>alert(1)</script> &amp; <b>bold</b>", "Schrödinger's Straße: Łódź, Ærø, œuvre, Þór, Ðakovo",
    "İstanbul ıi ĲSSELMEER ŉ", "ΣΊΣΥΦΟΣ ΟΔΥΣΣΕΥΣ σοφός", "ﬁne-tuning ﬀ ﬃ", "x²+y²=z² ½ Ⅻ ①②③", "ＡＢＣ１２３ ｶﾀｶﾅ",
    "日本語のテキスト検索", "한국어 텍스트", "面向多模态大语言模型GPT-4o的视觉指令", "推",
    "𠀀𠀁𠀂 ｶﾀｶﾅ漢字", "हिन्दी भाषा", "Ελληνικά και العربية ١٢٣", "emoji 😀 test 👩‍🔬",
    "a_b-c.d/e\\f", "zero\u200bwidth non\u00a0breaking", "𝒜𝓁𝓅𝒽𝒶 𝐀𝐁𝐂 𝟏𝟐𝟑", "ǅemal Ǆ", "Ꭰ Ꮳ ꭰ",
    "e\u0301 n\u0303 a\u030a", "x" * 50 + " " + "é" * 40, "tab\there\nnewline\r\n", "ß" * 20, "Ωmega ℃ ℵ₀",
    "{\\\"o}ber \\'{e}cole", "Hello, World! — “quoted” «guillemets» ‘single’", "",
    "\u0645\u062f\u0644\u200c\u0647\u0627\u06cc \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937 a\u200cb",
]


@pytest.fixture(scope="module")
def base_url(serve, built_site: Path) -> str:
    return serve(built_site, prefix=PREFIX)


@pytest.fixture(scope="module")
def records(built_site: Path) -> list[dict]:
    return catalogue_json(built_site)["records"]


@pytest.fixture(scope="module")
def doc_urls(built_site: Path, base_url: str) -> list[str]:
    """Each search document's page, as its record in the index gives it (document n → URL path)."""
    index = built_site / BUNDLE_DIR
    directory = json.loads(gzip.decompress((index / "index.gz").read_bytes()))
    prefix = urlsplit(base_url).path
    return [
        prefix + json.loads(gzip.decompress((index / record_path(directory, n)).read_bytes()))["u"]
        for n in range(directory["docs"])
    ]


def _open(watched_page, url: str, **options) -> tuple[Page, object]:
    page, watch = watched_page(**options)
    page.set_default_timeout(TIMEOUT)
    page.goto(url, wait_until="load")
    return page, watch


def _results(page: Page):
    return page.locator(".pc-results > li.pc-result:not(.pc-result--loading)")


def _index_requests(watch) -> list[str]:
    return [url for url in watch.requests if f"/{BUNDLE_DIR}/" in url]


def test_the_browser_splits_words_as_the_index_does(watched_page, base_url: str, records: list[dict]) -> None:
    """Hostile, Unicode and LaTeX strings, and every bundled title and abstract: the same words either side."""
    texts = HOSTILE_STRINGS + [r["title"] for r in records] + [plain_text(r["title"]) for r in records]
    texts += [r.get("abstract") or "" for r in records]
    page, watch = _open(watched_page, base_url + "search/")
    browser = page.evaluate(
        "texts => texts.map(t => [window.papercatSearch.tokenize(t), window.papercatSearch.fnv1a(t)])", texts
    )
    differ = [(t, words, tokenize(t)) for t, (words, _) in zip(texts, browser, strict=True) if words != tokenize(t)]
    assert not differ, differ[:5]
    assert [h for _, h in browser] == [fnv1a(t) for t in texts]
    assert tokenize("Schrödinger's Straße: AstroM³") == ["schrodinger", "s", "strasse", "astrom3"]
    watch.assert_clean()


def test_an_exact_typed_title_finds_its_paper_first(
    watched_page, base_url: str, records: list[dict], doc_urls: list[str]
) -> None:
    """At least 99% of a fixed sample of a third of the titles, and every LaTeX or colon title."""
    sample = [r for i, r in enumerate(records) if i % 3 == 0 or "$" in r["title"] or ":" in r["title"]]
    queries, targets = [], []
    for record in sample:
        for typed in dict.fromkeys((plain_text(record["title"]), record["title"])):  # "AstroM³" and "AstroM$^3$"
            queries.append(typed)
            targets.append(urlsplit(base_url).path + record["page"])
    page, watch = _open(watched_page, base_url + "search/")
    firsts = [[doc_urls[d] for d in docs] for docs in page.evaluate(_FIRST_DOCS, queries)]
    misses = [(q, t, urls[:2]) for q, t, urls in zip(queries, targets, firsts, strict=True) if not urls or urls[0] != t]
    share = 1 - len(misses) / len(queries)
    print(f"[search] exact typed title first: {len(queries) - len(misses)}/{len(queries)} ({share:.1%})")
    assert len(queries) > 250
    assert share >= 0.99, misses
    latex = [(q, t) for q, t in zip(queries, targets, strict=True) if "$" in q]
    assert latex and not [m for m in misses if "$" in m[0] or "³" in m[0]], misses
    # Every title found at all, as typed: colons, LaTeX, hyphens and all.
    assert all(t in urls for q, t, urls in zip(queries, targets, firsts, strict=True) if ":" in q)
    watch.assert_clean()


def test_the_venue_finds_its_papers(watched_page, base_url: str, records: list[dict], doc_urls: list[str]) -> None:
    venue_pages = {urlsplit(base_url).path + r["page"] for r in records if r.get("venue") == NEURIPS}
    assert len(venue_pages) == 10
    page, watch = _open(watched_page, base_url + "search/")
    (docs,) = page.evaluate(_FIRST_DOCS, [NEURIPS])
    urls = [doc_urls[d] for d in docs]
    assert venue_pages <= set(urls), sorted(venue_pages - set(urls))
    watch.assert_clean()


def test_results_show_title_date_chips_and_a_marked_snippet(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/")
    box = page.locator(".pc-search-query")
    box.fill("photometry")  # only in the abstract of AstroM³
    first = _results(page).first
    expect(first.locator("a.pc-result-title")).to_have_attribute("href", re.compile(r"/papers/astrom-3-a-self-supervised"))
    expect(first.locator("a.pc-result-title")).to_have_text("AstroM³: A self-supervised multimodal model for astronomy")
    expect(first.locator(".pc-date")).not_to_be_empty()
    expect(first.locator("a.pc-chip", has_text="AI for Science & Health")).to_have_attribute("href", re.compile(r"/topics/science/$"))
    expect(first.locator(".pc-snippet mark").first).to_have_text(re.compile("photometr", re.I))
    expect(page.locator(".pc-search-status")).to_have_text(re.compile(r"^1 result$"))
    first.locator("a.pc-result-title").click()
    expect(page.locator("h1.pc-title")).to_be_visible()
    watch.assert_clean()


@pytest.mark.parametrize(("query", "slug"), [("Graph Learning", "graphs"), ("computer vision", "vision"), ("Speech & Audio", "audio")])
def test_a_topic_name_finds_its_topic_page_first(watched_page, base_url: str, query: str, slug: str) -> None:
    page, watch = _open(watched_page, base_url + "search/")
    page.locator(".pc-search-query").fill(query)
    first = _results(page).first
    expect(first.locator("a.pc-result-title")).to_have_attribute("href", re.compile(rf"/{PREFIX}/topics/{slug}/$"))
    expect(_results(page).nth(1)).to_be_visible()  # papers follow the topic
    first.locator("a.pc-result-title").click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/topics/{slug}/$"))
    watch.assert_clean()


def test_facets_filter_with_counts_and_stay_in_the_url(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/")
    page.locator(".pc-search-query").fill("diffusion")
    expect(_results(page).first).to_be_visible()
    # The count of every match comes with the filters, once the first results are shown.
    expect(page.locator(".pc-search-status")).to_have_text(re.compile(r"^\d+ results?$"))
    total = int(re.match(r"(\d+)", page.locator(".pc-search-status").inner_text()).group(1))
    topic = page.locator("select[data-pc-facet=topic]")
    option = topic.locator("option", has_text="Generative Models")
    label = option.inner_text()
    count = int(re.search(r"\((\d+)\)$", label).group(1))
    assert 0 < count < total
    topic.select_option(label=label)
    expect(page.locator(".pc-search-status")).to_have_text(
        f"{count} result{'s' if count != 1 else ''} with the filters chosen ({total} without them)")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["diffusion"], "topic": ["Generative Models"]}
    shown = _results(page)
    expect(shown.first).to_be_visible()
    for i in range(min(shown.count(), 10)):
        expect(shown.nth(i).locator("a.pc-chip", has_text="Generative Models")).to_be_visible()
    year = page.locator("select[data-pc-facet=year]")
    year_options = [o for o in year.locator("option").all_inner_texts() if "(" in o]
    assert year_options and all(int(re.search(r"\((\d+)\)$", o).group(1)) <= count for o in year_options)
    years = [re.sub(r" \(\d+\)$", "", o) for o in year_options]  # newest first, "undated" last
    assert "undated" in years
    assert years == sorted((y for y in years if y != "undated"), reverse=True) + ["undated"]
    watch.assert_clean()


def test_a_shared_search_url_opens_the_same_search(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/?q=diffusion&topic=Generative+Models&year=2024")
    expect(page.locator(".pc-search-query")).to_have_value("diffusion")
    expect(_results(page).first).to_be_visible()
    expect(page.locator("select[data-pc-facet=topic]")).to_have_value("Generative Models")
    expect(page.locator("select[data-pc-facet=year]")).to_have_value("2024")
    expect(page.locator(".pc-search-status")).to_have_text(re.compile(r"^\d+ results? with the filters chosen \(\d+ without them\)$"))
    for i in range(min(_results(page).count(), 10)):
        expect(_results(page).nth(i).locator(".pc-date")).to_contain_text("2024")
    watch.assert_clean()


def test_a_search_that_finds_nothing_says_what_to_do_and_one_letter_asks_for_more(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/?q=" + quote("zqxwv blorptastic"))
    expect(page.locator(".pc-search-status")).to_have_text("No results")
    hint = page.locator(".pc-search-empty")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Check the spelling")
    hint.get_by_role("link", name="topics").click()
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/topics/$"))
    page.goto(base_url + "search/?q=" + quote("ж"), wait_until="load")
    expect(page.locator(".pc-search-status")).to_have_text("No results; type at least two letters to search")
    expect(page.locator(".pc-search-empty")).to_be_hidden()
    expect(_results(page)).to_have_count(0)
    # A letter the catalogue has as a word of its own ("top-k"): those results, and how to search for more.
    page.goto(base_url + "search/?q=k", wait_until="load")
    expect(page.locator(".pc-search-status")).to_have_text(
        re.compile(r"^\d+ results?; one letter is found only as a word of its own: type more letters to find the words that start with it$")
    )
    expect(_results(page).first).to_be_visible()
    page.locator(".pc-search-query").fill("graph")
    expect(_results(page).first).to_be_visible()
    expect(page.locator(".pc-search-empty")).to_be_hidden()
    watch.assert_clean()


def test_filters_that_leave_every_match_out_say_how_many_there_are_without_them(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/?q=diffusion&year=1999")
    expect(page.locator(".pc-search-status")).to_have_text(re.compile(r"^No results with the filters chosen \(\d+ without them\)$"))
    watch.assert_clean()


def test_the_header_box_opens_the_search_page(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "topics/", viewport={"width": 390, "height": 844})
    box = page.locator(".pc-header-query")
    expect(box).to_be_visible()
    box.fill("i-RevNet: Deep Invertible Networks")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{PREFIX}/search/\?q=i-RevNet"))
    first = _results(page).first.locator("a.pc-result-title")
    expect(first).to_have_attribute("href", re.compile(r"/papers/i-revnet-deep-invertible-networks/$"))
    watch.assert_clean()


def test_a_reader_who_does_not_search_downloads_no_index(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url)
    for path in ("topics/science/", "papers/astrom-3-a-self-supervised-multimodal-model-for-astronomy/", "search/"):
        page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
    assert not _index_requests(watch), _index_requests(watch)
    assert not any("search_index.json" in url for url in watch.requests)
    # Typing starts the download, and only then.
    page.locator(".pc-search-query").fill("transformer")
    expect(_results(page).first).to_be_visible()
    assert any("/index.gz" in url for url in _index_requests(watch))
    watch.assert_clean()


@pytest.mark.parametrize("query", ["robot llm", "diffusion robot", "x"])
def test_the_results_listed_are_the_results_counted(watched_page, base_url: str, query: str) -> None:
    """The first quick ranking counts a paper matching some of the words; the list must end up as the full count says."""
    page, watch = _open(watched_page, base_url + "search/?q=" + query.replace(" ", "+"))
    status = page.locator(".pc-search-status")
    expect(status).to_have_text(re.compile(r"^(No results|\d+ results?)(; one letter is found only as a word of its own: .*)?$"))
    text = status.inner_text()
    total = 0 if text.startswith("No results") else int(text.split()[0])
    expect(page.locator(".pc-results > li")).to_have_count(min(total, 10))
    if total <= 10:
        expect(page.locator(".pc-results-more")).to_be_hidden()
    watch.assert_clean()


def test_a_prefix_that_stands_for_more_words_than_are_read_says_so(watched_page, base_url: str) -> None:
    """"con" starts more words than a query reads: the count must not pass for every match."""
    page, watch = _open(watched_page, base_url + "search/?q=con")
    status = page.locator(".pc-search-status")
    expect(status).to_have_text(re.compile(r"^\d+ results for the most frequent words starting with \u201ccon\u201d; "
                                           r"type more of the word to find every match$"))
    page.goto(base_url + "search/?q=contrastive", wait_until="load")
    expect(status).to_have_text(re.compile(r"^\d+ results?$"))
    watch.assert_clean()


def test_a_finished_word_stays_finished_in_a_shared_address(watched_page, base_url: str) -> None:
    """A space after a word ends it: "diffus " is the word "diffus", not the start of "diffusion"."""
    page, watch = _open(watched_page, base_url + "search/")
    page.locator(".pc-search-query").press_sequentially("diffus ")
    status = page.locator(".pc-search-status")
    expect(status).to_have_text("No results")
    expect(page).to_have_url(re.compile(r"\?q=diffus\+$"))
    page.reload(wait_until="load")
    expect(page.locator(".pc-search-query")).to_have_value("diffus ")
    expect(status).to_have_text("No results")
    watch.assert_clean()


# The rest of a frequent word's postings arrives late: the full ranking replaces the quick one after a click.
_SLOW_TAILS = """(() => {
  const fetch = window.fetch;
  window.fetch = (url, init) => /\\/search-index\\/s\\/[^/]+\\/p\\//.test(String(url))
    ? new Promise(resolve => setTimeout(resolve, 2000)).then(() => fetch(url, init)) : fetch(url, init);
})();"""


@pytest.mark.parametrize("slow", [False, True], ids=["tails-in-time", "tails-late"])
def test_more_results_takes_the_keyboard_to_the_first_result_it_adds(watched_page, base_url: str, slow: bool) -> None:
    page, watch = watched_page()
    page.set_default_timeout(TIMEOUT)
    if slow:
        page.add_init_script(_SLOW_TAILS)
    page.goto(base_url + "search/?q=learning", wait_until="load")
    expect(_results(page)).to_have_count(10)  # the first, quick ranking: the full one may still replace it
    more = page.locator(".pc-results-more")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pc-search-status")).to_have_text(re.compile(r"^\d+ results$"))  # every match ranked
    eleventh = page.locator(".pc-results > li").nth(10).locator("a.pc-result-title")
    expect(eleventh).to_be_focused()
    watch.assert_clean()


def test_a_filter_chosen_still_offers_its_other_values(watched_page, base_url: str) -> None:
    """Each filter counts the results of the other filters: choosing 2023 does not hide 2024, nor a topic the others."""
    page, watch = _open(watched_page, base_url + "search/?q=diffusion")
    status = page.locator(".pc-search-status")
    expect(status).to_have_text(re.compile(r"^\d+ results?$"))
    topic, year = page.locator("select[data-pc-facet=topic]"), page.locator("select[data-pc-facet=year]")

    def options(select) -> list[str]:
        return [o for o in select.locator("option").all_inner_texts() if "(" in o]

    topics_before = options(topic)
    years_before = options(year)
    assert len(topics_before) >= 2 and len(years_before) >= 2
    year.select_option(value=re.sub(r" \(\d+\)$", "", years_before[0]))
    in_year = int(years_before[0].rsplit("(", 1)[1].rstrip(")"))
    expect(status).to_have_text(re.compile(f"^{in_year} results? with the filters chosen"))
    assert options(year) == years_before  # every year, counted without the year filter
    assert sum(int(re.search(r"\((\d+)\)$", o).group(1)) for o in options(topic)) >= int(status.inner_text().split()[0])
    year.select_option(value="")
    page.locator(".pc-search-query").fill("")  # no words, no filter: nothing searched, no counts left over
    expect(status).to_have_text("")
    expect(page.locator(".pc-facets")).to_be_hidden()
    watch.assert_clean()


@pytest.fixture(scope="module")
def site_with_arxiv_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small catalogue whose papers carry arXiv ids, as BibTeX and arXiv imports give them."""
    from site_fixtures import FILLER, LISTING_PAPERS, listing_project

    from generator.site.build import Project, build_site

    ids = ["2401.01234", "2401.04321", "hep-th/9901001", "2312.01234", "2402.00001"]
    papers = [{**p, "arxiv_id": i} for p, i in zip(LISTING_PAPERS, ids, strict=True)]
    papers[3]["title"] = ARABIC_TITLE  # a right-to-left title among left-to-right ones
    papers[2]["abstract"] = f"Graph neural networks predict molecular properties. {CHINESE} {FILLER}"
    papers[4].update(title=LATEX_TITLE, abstract=f"Denoising diffusion models stay robust to {LATEX_WORDS}. {FILLER}")  # LaTeX commands
    root = listing_project(tmp_path_factory.mktemp("arxiv-ids") / "project", papers)
    return build_site(Project.at(root)).site_dir


ARABIC_TITLE = "التعرف على الكلام في الضوضاء"
CHINESE = "图神经网络可以预测分子的化学性质。"


@pytest.mark.parametrize("query", ["分子", "化学性质", "神经网络"])
def test_a_chinese_word_inside_a_sentence_finds_its_paper(watched_page, serve, site_with_arxiv_ids: Path, query: str) -> None:
    """Chinese is written without spaces: any word of a sentence, not only its first characters, finds the paper."""
    page, watch = _open(watched_page, serve(site_with_arxiv_ids) + "search/?q=" + quote(query))
    expect(_results(page)).to_have_count(1)
    expect(_results(page).first.locator("a.pc-result-title")).to_have_text("Graph Networks for Molecules")
    expect(_results(page).first.locator(".pc-snippet mark")).to_contain_text(query)
    watch.assert_clean()


LATEX_TITLE = "Learning $\\mathcal{L}_{\\infty}$-Robust Diffusion Models"
LATEX_WORDS = "$\\ell_\\infty$ perturbations of size $\\epsilon$"


@pytest.mark.parametrize("query", [LATEX_TITLE, "$\\ell_\\infty$ perturbations", "perturbations of size $\\epsilon$"])
def test_latex_commands_typed_as_the_listing_wrote_them_find_their_paper(
    watched_page, serve, site_with_arxiv_ids: Path, query: str
) -> None:
    """A title or abstract with LaTeX commands, typed as the listing wrote it, finds its paper first."""
    page, watch = _open(watched_page, serve(site_with_arxiv_ids) + "search/?q=" + quote(query))
    expect(_results(page).first.locator("a.pc-result-title")).to_contain_text("-Robust Diffusion Models")
    watch.assert_clean()


def test_a_right_to_left_title_keeps_its_place_before_its_date(watched_page, serve, site_with_arxiv_ids: Path) -> None:
    page, watch = _open(watched_page, serve(site_with_arxiv_ids) + "search/?q=" + quote("2312.01234"))
    result = _results(page).first.locator("a.pc-result-title")
    expect(result).to_have_text(ARABIC_TITLE)
    result.click()
    expect(page.locator("h1.pc-title")).to_have_text(ARABIC_TITLE)
    page.locator(".pc-related a").first.click()
    entry = page.locator(".pc-related li", has_text=ARABIC_TITLE)
    expect(entry).to_be_visible()
    title, date = entry.locator("a").bounding_box(), entry.locator(".pc-date").bounding_box()
    assert title and date and date["x"] >= title["x"] + title["width"] - 1, (title, date)  # "10 June 2024" after it, whole
    watch.assert_clean()


@pytest.mark.parametrize("query", ["2401.01234", "arXiv:2401.01234", "arxiv 2401.01234", "hep-th/9901001"])
def test_an_arxiv_id_finds_its_paper(watched_page, serve, site_with_arxiv_ids: Path, query: str) -> None:
    titles = {"hep-th/9901001": "Graph Networks for Molecules"}
    page, watch = _open(watched_page, serve(site_with_arxiv_ids) + "search/?q=" + quote(query))
    expect(_results(page)).to_have_count(1)
    expect(_results(page).first.locator("a.pc-result-title")).to_have_text(titles.get(query, "Sparse Attention for Long Documents"))
    watch.assert_clean()


def test_the_first_letter_of_a_next_word_does_not_empty_the_results(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/")
    alone, typing, two = page.evaluate(_FIRST_DOCS, ["diffusion", "diffusion m", "diffusion mo"])
    assert alone and typing == alone and two, (alone, typing, two)
    watch.assert_clean()


def test_snippets_keep_the_text_as_written_at_its_ends(watched_page, serve, site_with_arxiv_ids: Path) -> None:
    from site_fixtures import FILLER

    page, watch = _open(watched_page, serve(site_with_arxiv_ids) + "search/?q=everyone")  # the abstracts' last sentence
    expect(_results(page)).to_have_count(5)
    for snippet in page.locator(".pc-snippet").all_inner_texts():
        assert snippet.startswith("… ") and snippet.endswith("for everyone to use."), snippet  # its full stop too
        assert snippet.removeprefix("… ") in FILLER, snippet
    page.goto(serve(site_with_arxiv_ids) + "search/?q=sparse")  # a title that leads its snippet, from its first letter
    expect(page.locator(".pc-snippet").first).to_have_text(re.compile(r"^Sparse Attention for Long Documents — We make"))
    watch.assert_clean()


@pytest.mark.parametrize("query", ["language model", "large language model", "learned model", "Planning with a Learned Model"])
def test_a_word_still_being_typed_ranks_papers_with_its_common_forms_first(
    watched_page, base_url: str, records: list[dict], doc_urls: list[str], query: str
) -> None:
    """The last word is a prefix; its rare longer forms ("modelled") must not outrank the word itself."""
    titles = {urlsplit(base_url).path + r["page"]: plain_text(r["title"]) for r in records}
    page, watch = _open(watched_page, base_url + "search/")
    (docs,) = page.evaluate(_FIRST_DOCS, [query])
    first = next(titles[doc_urls[d]] for d in docs if doc_urls[d] in titles)
    *words, last = [w for w in tokenize(query) if w not in {"a", "with"}]
    found = tokenize(first)
    assert all(w in found for w in words) and any(t.startswith(last) for t in found), (query, first)
    watch.assert_clean()


def test_back_from_a_result_shows_as_many_results_where_the_reader_was(watched_page, base_url: str) -> None:
    page, watch = _open(watched_page, base_url + "search/?q=learning")
    expect(_results(page)).to_have_count(10)
    page.locator(".pc-results-more").click()
    expect(_results(page)).to_have_count(20)
    chosen = _results(page).nth(14).locator("a.pc-result-title")
    chosen.scroll_into_view_if_needed()
    scrolled = page.evaluate("() => window.scrollY")
    assert scrolled > 0
    href = chosen.get_attribute("href")
    chosen.click()
    expect(page).to_have_url(href)
    page.go_back()
    expect(_results(page)).to_have_count(20)
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) < 5", arg=scrolled)
    # Forward to the paper and Back again: the same place.
    page.go_forward()
    expect(page).to_have_url(href)
    page.go_back()
    expect(_results(page)).to_have_count(20)
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) < 5", arg=scrolled)
    # A new search starts from the first results again.
    page.locator(".pc-search-query").fill("diffusion")
    expect(_results(page)).to_have_count(10)
    watch.assert_clean()


@pytest.fixture(scope="module")
def site_with_a_german_paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from site_fixtures import LISTING_PAPERS, listing_paper, listing_project

    from generator.site.build import Project, build_site

    german = listing_paper("Über die Robustheit neuronaler Netze", "")
    german["abstract"] = (
        "Tiefe neuronale Netze erreichen auf Standard-Benchmarks hohe Genauigkeit, sind aber gegenüber "
        "Verteilungsverschiebungen anfällig. Wir untersuchen, wie sich die Genauigkeit unter natürlichen "
        "Verschiebungen verändert, und zeigen, dass die Daten wichtiger sind als die Architektur."
    )
    root = listing_project(tmp_path_factory.mktemp("german") / "project", [*LISTING_PAPERS, german])
    return build_site(Project.at(root)).site_dir


def test_a_result_in_another_language_is_marked_so(watched_page, serve, site_with_a_german_paper: Path) -> None:
    """A screen reader reads a German title and snippet with German sounds (WCAG 3.1.2); English ones are not marked."""
    page, watch = _open(watched_page, serve(site_with_a_german_paper) + "search/?q=" + quote("Robustheit Netze"))
    first = _results(page).first
    expect(first.locator("a.pc-result-title")).to_have_attribute("lang", "de")
    expect(first.locator(".pc-snippet")).to_have_attribute("lang", "de")
    page.goto(page.url.split("?")[0] + "?q=" + quote("robot grasping"))
    english = _results(page).first.locator("a.pc-result-title")
    expect(english).to_have_text("Robot Grasping from Pixels")
    assert english.get_attribute("lang") is None
    watch.assert_clean()


# --------------------------------------------------------------------------- an index in several segments

_WHOLE_DOCS = """async (queries) => {
  const out = [];
  for (const query of queries) {
    const found = await window.papercatSearch.query(query, 1);
    out.push([found.whole.slice().sort((a, b) => a - b), found.urls[0] || null]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def segmented_url(serve, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled catalogue built with blocks of 32 papers: sealed segments of 256 and 224 papers, and the open one."""
    from site_fixtures import build_bundled_site

    from generator.site import search

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SEGMENT_BLOCK", 32)
        site = build_bundled_site(tmp_path_factory.mktemp("segmented") / "site")
    directory = json.loads(gzip.decompress((site / BUNDLE_DIR / "index.gz").read_bytes()))
    assert [s["c"] for s in directory["segments"]] == [256, 224, 4]
    return serve(site, prefix=PREFIX)


def test_an_index_in_segments_finds_what_one_index_finds(
    watched_page, base_url: str, segmented_url: str, records: list[dict]
) -> None:
    """Every match of a query is the same whether the index is one segment or three, and a typed title still
    puts its paper first: the browser adds the segments' word counts and reads each one's postings."""
    titles = [r["title"] for i, r in enumerate(records) if i % 8 == 0 or "$" in r["title"]]
    queries = ["diffusion", "robot llm", "large language models", NEURIPS, "contrastive learning", "reinforcement",
               "diffus", "transformer attention", *titles]
    found = {}
    for url in (base_url, segmented_url):
        page, watch = _open(watched_page, url + "search/")
        found[url] = page.evaluate(_WHOLE_DOCS, queries)
        watch.assert_clean()
        page.close()
    one, three = found[base_url], found[segmented_url]
    assert [docs for docs, _ in three] == [docs for docs, _ in one]
    assert sum(len(docs) for docs, _ in three[:8]) > 200  # common words: matches in every segment
    firsts = [first for _, first in three[8:]]
    expected = [urlsplit(segmented_url).path + r["page"] for i, r in enumerate(records) if i % 8 == 0 or "$" in r["title"]]
    hits = sum(1 for a, b in zip(firsts, expected, strict=True) if a == b)
    assert hits >= 0.99 * len(expected), [(q, a, b) for q, a, b in zip(titles, firsts, expected, strict=True) if a != b]


def test_an_index_in_segments_counts_and_filters_as_one_index_does(watched_page, base_url: str, segmented_url: str) -> None:
    shown = {}
    for url in (base_url, segmented_url):
        page, watch = _open(watched_page, url + "search/?q=diffusion&topic=Generative+Models")
        status = page.locator(".pc-search-status")
        expect(status).to_have_text(re.compile(r"^\d+ results? with the filters chosen \(\d+ without them\)$"))
        expect(_results(page).first).to_be_visible()
        shown[url] = (status.inner_text(), page.locator("select[data-pc-facet=year] option").all_inner_texts(),
                      page.locator("select[data-pc-facet=topic] option").all_inner_texts(),
                      _results(page).locator("a.pc-result__title, a").first.get_attribute("href"))
        watch.assert_clean()
        page.close()
    assert shown[segmented_url][:3] == shown[base_url][:3]
    assert shown[segmented_url][3]

"""Long listings split into pages: stable page URLs, links between pages, groups kept across page
breaks, and the compact data file the filter reads to search a whole listing.

Checked on generated Markdown (no MkDocs run); the browser side is tests/browser/test_listing_pages.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from site_fixtures import TEMPLATES, listing_model

from generator.errors import ConfigError
from generator.model import Paper, Source
from generator.site.pages import PageRenderer
from generator.site.settings import load_settings
from generator.topics import TopicAssignment

PER_PAGE = 5


def _paper(pid: str, title: str, **kw: object) -> Paper:
    return Paper(title=title, abstract=f"The abstract of {title}.", id=pid, sources=[Source("a.txt", 1, "daily-papers")], **kw)


def split_page(text: str) -> tuple[dict, str]:
    head, body = text.removeprefix("---\n").split("\n---\n", 1)
    return yaml.safe_load(head), body


def long_catalogue(count: int = 23) -> tuple[list[Paper], dict[str, TopicAssignment]]:
    """``count`` vision papers over three months (newest first: March, February, January 2024)."""
    papers, assignments = [], {}
    for i in range(count):
        month = 3 - (i * 3) // count
        pid = f"paper-{i:02d}"
        papers.append(_paper(pid, f"Vision Study Number {i:02d}", date=f"2024-{month:02d}-{28 - i % 20:02d}", date_precision="day"))
        secondary = ("generative",) if i % 4 == 0 else ()
        assignments[pid] = TopicAssignment("vision", secondary, {"vision": ("vision",)})
    return papers, assignments


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return PageRenderer(TEMPLATES).pages(listing_model(*long_catalogue(), papers_per_page=PER_PAGE))


def _titles(page: str) -> list[str]:
    return re.findall(r'class="pc-row-title" href="[^"]*" dir="auto">([^<]*)</a>', page)


def test_a_long_topic_is_split_into_pages_with_stable_urls(pages: dict[str, str]) -> None:
    paths = sorted(p for p in pages if p.startswith("topics/vision"))
    assert paths == ["topics/vision.md", "topics/vision/choices.json", "topics/vision/page/2.md", "topics/vision/page/3.md",
                     "topics/vision/page/4.md", "topics/vision/rows.json"]
    shown = [t for p in ["topics/vision.md", *(f"topics/vision/page/{n}.md" for n in range(2, 5))] for t in _titles(pages[p])]
    assert len(shown) == len(set(shown)) == 23  # every paper once, none twice
    # Counted from the oldest paper: every later page holds a whole page, the first the rest (23 = 8 + 3 x 5).
    assert [len(_titles(pages[p])) for p in paths if p.endswith(".md")] == [8, PER_PAGE, PER_PAGE, PER_PAGE]
    assert shown[0] == "Vision Study Number 00"  # newest first
    meta, _ = split_page(pages["topics/vision/page/2.md"])
    assert meta["title"] == "Computer Vision, page 2 of 4"


def test_new_papers_change_only_the_first_page_of_a_listing() -> None:
    """A daily listing adds papers at the top: the older pages keep their papers and their text (nothing to render again)."""
    papers, assignments = long_catalogue()
    before = PageRenderer(TEMPLATES).pages(listing_model(papers, assignments, papers_per_page=PER_PAGE))
    newer = _paper("paper-new", "Vision Study Number New", date="2024-04-02", date_precision="day")
    assignments = {**assignments, "paper-new": TopicAssignment("vision", (), {"vision": ("vision",)})}
    after = PageRenderer(TEMPLATES).pages(listing_model([newer, *papers], assignments, papers_per_page=PER_PAGE))
    assert after["topics/vision.md"] != before["topics/vision.md"]
    assert _titles(after["topics/vision.md"])[0] == "Vision Study Number New"
    for n in (2, 3, 4):
        assert after[f"topics/vision/page/{n}.md"] == before[f"topics/vision/page/{n}.md"]
    # Once the first page holds two pages' worth, the listing gets one more page.
    more = [_paper(f"paper-new-{i}", f"Vision Study New {i}", date="2024-04-03", date_precision="day") for i in range(2)]
    assignments.update({p.id: TopicAssignment("vision", (), {"vision": ("vision",)}) for p in more})
    grown = PageRenderer(TEMPLATES).pages(listing_model([*more, newer, *papers], assignments, papers_per_page=PER_PAGE))
    assert "topics/vision/page/5.md" in grown and len(_titles(grown["topics/vision.md"])) == 26 - 4 * PER_PAGE


def test_a_paper_of_a_new_year_or_topic_changes_the_first_page_and_not_the_older_ones() -> None:
    """The filter's years and topics are the whole listing's: the later pages read them from a file of their own."""
    papers, assignments = long_catalogue()
    before = PageRenderer(TEMPLATES).pages(listing_model(papers, assignments, papers_per_page=PER_PAGE))
    newer = _paper("paper-2025", "Vision Study Of A New Year", date="2025-01-02", date_precision="day")
    assignments = {**assignments, "paper-2025": TopicAssignment("vision", ("other",), {"vision": ("vision",)})}
    after = PageRenderer(TEMPLATES).pages(listing_model([newer, *papers], assignments, papers_per_page=PER_PAGE))
    for n in (2, 3, 4):
        assert after[f"topics/vision/page/{n}.md"] == before[f"topics/vision/page/{n}.md"]
        assert 'data-pc-choices="../../choices.json"' in after[f"topics/vision/page/{n}.md"]
        assert "data-pc-years" not in after[f"topics/vision/page/{n}.md"]
    assert 'data-pc-years="2025 2024"' in after["topics/vision.md"]
    choices = json.loads(after["topics/vision/choices.json"])
    assert choices["years"] == ["2025", "2024"] and json.loads(before["topics/vision/choices.json"])["years"] == ["2024"]
    assert ["other", "Other"] in choices["topics"] and ["other", "Other"] not in json.loads(before["topics/vision/choices.json"])["topics"]


def test_pages_link_previous_next_and_numbers(pages: dict[str, str]) -> None:
    body = pages["topics/vision/page/3.md"]
    nav = re.search(r'<nav class="pc-pager" aria-label="Pages of this list \(top\)">(.*?)</nav>', body, re.S).group(1)
    assert 'aria-label="Pages of this list (bottom)"' in body
    assert 'href="../2/" rel="prev"' in nav and 'href="../4/" rel="next"' in nav
    assert 'href="../../" aria-label="Page 1"' in nav
    assert '<span class="pc-pager-current" aria-current="page">3</span>' in nav
    first = pages["topics/vision.md"]
    assert 'href="page/2/" rel="next"' in first and 'aria-disabled="true">Previous' in first
    assert "23 papers, newest first; the newest 8 are on this page, older ones on the next 3 pages" in first
    assert "Older papers, newest first: page 3 of 4" in body and "23 papers" not in body


def test_a_listing_of_two_pages_names_its_next_page_in_good_english() -> None:
    papers, assignments = long_catalogue(12)
    pages = PageRenderer(TEMPLATES).pages(listing_model(papers, assignments, papers_per_page=PER_PAGE))
    first = pages["topics/vision.md"]
    assert "older ones on the next page." in first and "next 1 page" not in first


def test_month_grouping_is_kept_across_pages(pages: dict[str, str]) -> None:
    headings = {p: re.findall(r"^## (.+)$", pages[p], re.M) for p in pages if p.startswith("topics/vision") and p.endswith(".md")}
    assert headings["topics/vision.md"] == ["March 2024"]  # March's 8 papers fill the first page
    assert headings["topics/vision/page/2.md"] == ["February 2024"]
    # February holds 8 papers: it carries on onto page 3, marked as continued, and January starts there.
    assert headings["topics/vision/page/3.md"] == ["February 2024 (continued)", "January 2024"]
    assert headings["topics/vision/page/4.md"][-1].startswith("January 2024")


def test_the_rows_file_holds_the_whole_listing(pages: dict[str, str]) -> None:
    data = json.loads(pages["topics/vision/rows.json"])
    assert data["root"] == "../../" and data["fields"] == ["url", "title", "date", "year", "topics"]
    assert len(data["rows"]) == 23
    assert data["rows"][0] == ["papers/paper-00/", "Vision Study Number 00", "28 March 2024", 2024, "vision generative"]
    assert data["topics"]["generative"] == "Generative Models"
    assert 'data-pc-rows="rows.json"' in pages["topics/vision.md"]
    assert 'data-pc-rows="../../rows.json"' in pages["topics/vision/page/2.md"]
    # Only the first page names the total (it changes with every paper; the rows file has it too).
    assert 'data-pc-total="23"' in pages["topics/vision.md"] and "data-pc-total" not in pages["topics/vision/page/4.md"]


def test_month_pages_paginate_by_primary_topic() -> None:
    pages = PageRenderer(TEMPLATES).pages(listing_model(*long_catalogue(33), papers_per_page=PER_PAGE))
    march = sorted(p for p in pages if p.startswith("months/2024-03"))  # 11 papers: 6 + 5
    assert march == ["months/2024-03.md", "months/2024-03/choices.json", "months/2024-03/page/2.md", "months/2024-03/rows.json"]
    assert len(_titles(pages["months/2024-03.md"])) == 6
    assert re.findall(r"^## (.+)$", pages["months/2024-03/page/2.md"], re.M) == ["Computer Vision (continued)"]


def test_a_short_listing_has_one_page_and_no_rows_file() -> None:
    pages = PageRenderer(TEMPLATES).pages(listing_model(*long_catalogue(4), papers_per_page=PER_PAGE))
    assert not [p for p in pages if "/page/" in p or p.endswith(("rows.json", "choices.json"))]
    assert "pc-pager" not in pages["topics/vision.md"] and "data-pc-rows" not in pages["topics/vision.md"]


@pytest.mark.parametrize("value", [0, 4, 1001, "ten", True])
def test_papers_per_page_is_validated(tmp_path: Path, value: object) -> None:
    (tmp_path / "site.yml").write_text(f"papers_per_page: {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="papers_per_page"):
        load_settings(tmp_path / "site.yml")


def test_papers_per_page_defaults_to_100(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("description: x\n", encoding="utf-8")
    assert load_settings(tmp_path / "site.yml").papers_per_page == 100

"""Listings of the bundled kinds laid out in ways the bundled files are not.

Each page here is one a user could capture from the same kind of site: a title longer than any
bundled one, a title in Markdown emphasis, a thousand authors, the site's navigation above the
header, a venue named once, page text between abstracts, a stray Latin-1 byte in UTF-8, UTF-16
without a byte-order mark. Every record must come out as the paper it is, with nothing lost.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from generator.ingest import read_listing
from generator.ingest.decode import UndecodableFile, decode_listing
from generator.readers import SourceMeta

JUN_20 = SourceMeta(captured=dt.date(2025, 6, 20))
ABSTRACT_A = (
    "Prompt tuning adapts frozen language models with a few learned vectors. We show that initialising the "
    "vectors from task descriptions halves the number of steps needed to converge on SuperGLUE."
)
ABSTRACT_B = (
    "Mixture-of-experts layers can be added to pretrained dense models by splitting their feed-forward blocks. "
    "We show that such upcycled models match from-scratch MoE models at 30% of the training cost."
)
ABSTRACT_C = (
    "We pretrain a transformer on 40 years of reanalysis data and fine-tune it for medium-range forecasting, "
    "downscaling and extreme-event detection, matching operational forecasts at five days."
)
LONG_TITLE = (
    "A Comprehensive Empirical Study of Instruction Tuning, Preference Optimization, and Reinforcement Learning "
    "from Human Feedback for Aligning Large Language Models Across Twelve Languages, Seven Domains, and Three "
    "Model Scales: Findings and Recommendations"
)


def read(tmp_path: Path, text: str | bytes, meta: SourceMeta = JUN_20, name: str = "listing.txt"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    report, papers, rejected, notices = read_listing(path, name, meta)
    assert report.records == len(papers) + len(rejected)
    return report, papers, rejected, notices


def daily(*papers: tuple[str, str, str]) -> str:
    """A Daily Papers page: ``(title, abstract, authors line)`` per paper, all dated Jun 15."""
    parts = ["Daily Papers\n\nJun 20\n"]
    for title, abstract, authors in papers:
        parts.append(f"\n{title}\n\n{abstract}\n\n  • {authors}\n·\nJun 15\n")
    return "".join(parts)


def test_a_title_longer_than_any_abstract_line_is_still_the_title(tmp_path: Path) -> None:
    assert len(LONG_TITLE) > 250
    report, papers, rejected, _ = read(tmp_path, daily((LONG_TITLE, ABSTRACT_A, "9 authors")))
    assert (report.reader, rejected) == ("daily-papers", [])
    [paper] = papers
    assert (paper.title, paper.abstract, paper.author_count, paper.date) == (LONG_TITLE, ABSTRACT_A, 9, "2025-06-15")
    assert not paper.title_inferred


def test_a_long_title_in_search_results(tmp_path: Path) -> None:
    lines = ["Short Title About Retrieval", ABSTRACT_A, LONG_TITLE, ABSTRACT_B, "Weather Foundation Models", ABSTRACT_C]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [p.title for p in papers] == [lines[0], LONG_TITLE, lines[4]]
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B, ABSTRACT_C]


def test_a_title_in_markdown_emphasis_is_not_a_list_of_authors(tmp_path: Path) -> None:
    page = daily(("**Principled** Reward Shaping Beats Heuristics", ABSTRACT_A, "3 authors"),
                 ("*-CLIP: Contrastive Pretraining for Everything", ABSTRACT_B, "2 authors"))
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.author_count, p.title_inferred) for p in papers] == [
        ("**Principled** Reward Shaping Beats Heuristics", 3, False),
        ("*-CLIP: Contrastive Pretraining for Everything", 2, False),
    ]


def test_author_names_after_a_bullet_or_an_asterisk_are_still_names(tmp_path: Path) -> None:
    page = "Daily Papers\n\nJun 20\n\nA Title\n\n" + ABSTRACT_A + "\n\n* Ada Lovelace, Alan Turing\n·\nJun 15\n"
    _, [paper], rejected, _ = read(tmp_path, page)
    assert (rejected, paper.authors, paper.author_count) == ([], ["Ada Lovelace", "Alan Turing"], 2)


@pytest.mark.parametrize("count", ["1,024", "1.024", "1 024", "1024"])
def test_a_thousand_authors_is_a_count_not_two_names(tmp_path: Path, count: str) -> None:
    _, [paper], rejected, _ = read(tmp_path, daily(("Gemini-Scale Collaboration", ABSTRACT_A, f"{count} authors")))
    assert (rejected, paper.authors, paper.author_count) == ([], [], 1024)


def test_the_sites_navigation_above_the_header_is_no_paper_and_the_page_date_is_found(tmp_path: Path) -> None:
    page = "Hugging Face\n\nModels\n\nDatasets\n\n" + daily(("Pruning Vision-Language Models", ABSTRACT_A, "5 authors"))
    page = page.replace("\nJun 15\n", "\nJun 15 7\n")
    page += "\nChain-of-Thought Distillation\n\n" + ABSTRACT_B + "\n\n  • 4 authors\n·\nSep 30, 2024\n"
    _, papers, rejected, notices = read(tmp_path, page, meta=SourceMeta())
    assert rejected == []
    assert [(p.title, p.date, p.upvotes) for p in papers] == [
        ("Pruning Vision-Language Models", "2025-06-15", 7),  # the page date (Jun 20) and 2024 give the year
        ("Chain-of-Thought Distillation", "2024-09-30", None),
    ]
    # Each line skipped with a notice: as the site's navigation ("Models" is a link of every page) or as text above the header.
    assert [(n.line, n.message.split("'")[1]) for n in notices if n.message.startswith("skipped")] == [
        (1, "Hugging Face"), (3, "Models"), (5, "Datasets"),
    ]


def test_a_paper_above_the_header_is_read_not_skipped(tmp_path: Path) -> None:
    page = "Upcycling Dense Models\n\n" + ABSTRACT_B + "\n\n" + daily(("Pruning Vision-Language Models", ABSTRACT_A, "5 authors"))
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [p.title for p in papers] == ["Upcycling Dense Models", "Pruning Vision-Language Models"]


def test_subscribe_glued_to_a_camel_case_name_is_removed(tmp_path: Path) -> None:
    page = f"SubscribeiVideoGPT: Interactive Video Generation as World Models\n{ABSTRACT_A}\nSubscriber Churn Models\n{ABSTRACT_B}\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [p.title for p in papers] == ["iVideoGPT: Interactive Video Generation as World Models", "Subscriber Churn Models"]


def test_page_text_between_abstracts_is_not_appended_to_one(tmp_path: Path) -> None:
    page = f"Jack\nAbstract:{ABSTRACT_A}\nJack\nAbstract:{ABSTRACT_B}\nShow more results\n"
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]
    assert all(p.title_inferred for p in papers)
    assert sorted(n.line for n in notices if "skipped page text" in n.message) == [1, 3, 5]


def test_an_abstract_that_lost_its_label_is_a_paper_of_its_own(tmp_path: Path) -> None:
    page = f"Abstract:{ABSTRACT_A}\n{ABSTRACT_B}\nAbstract:{ABSTRACT_C}\n"
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B, ABSTRACT_C]
    assert any(n.line == 2 and "without its 'Abstract:' label" in n.message for n in notices)


def test_an_abstract_wrapped_over_lines_is_one_abstract(tmp_path: Path) -> None:
    cut = ABSTRACT_A.index(" frozen")
    first, rest = ABSTRACT_A[:cut], ABSTRACT_A[cut:]
    page = f"Abstract:{first.rstrip()}\n{rest.lstrip()}\nAbstract:{ABSTRACT_B}\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


def test_search_results_with_abstract_labels_keep_their_titles(tmp_path: Path) -> None:
    page = f"Prompt Initialisation\nAbstract: {ABSTRACT_A}\nUpcycling Dense Models\nAbstract: {ABSTRACT_B}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract) for p in papers] == [("Prompt Initialisation", ABSTRACT_A), ("Upcycling Dense Models", ABSTRACT_B)]


@pytest.mark.parametrize("markers", [("1. ", "2. "), ("1) ", "2) "), ("[1] ", "[2] "), ("\u2022 ", "\u2022 "), ("Title: ", "Title: ")])
def test_a_results_lists_numbers_bullets_and_labels_are_not_part_of_the_titles(tmp_path: Path, markers: tuple[str, str]) -> None:
    page = f"{markers[0]}Prompt Initialisation\nAbstract: {ABSTRACT_A}\n{markers[1]}Upcycling Dense Models\nAbstract: {ABSTRACT_B}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract) for p in papers] == [("Prompt Initialisation", ABSTRACT_A), ("Upcycling Dense Models", ABSTRACT_B)]


def test_an_abstract_wrapped_where_a_line_starts_with_a_capital_stays_one_abstract(tmp_path: Path) -> None:
    wrapped = (
        "Abstract: Generating molecules with graph diffusion models often yields invalid\n"
        "valences. We project each denoising step onto the set of chemically valid\n"
        "graphs with a fast combinatorial solver. Validity reaches 100% on QM9 and\n"
        "ZINC250k, and the novelty and diversity of samples are unchanged.\n"
    )
    report, papers, rejected, _ = read(tmp_path, wrapped + f"Abstract: {ABSTRACT_A}\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [" ".join(wrapped.removeprefix("Abstract: ").split()), ABSTRACT_A]


def test_numbered_abstracts_are_an_abstracts_listing(tmp_path: Path) -> None:
    report, papers, rejected, _ = read(tmp_path, f"1. Abstract: {ABSTRACT_A}\n2. Abstract: {ABSTRACT_B}\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


def topic_page(*papers: tuple[str, str, str]) -> str:
    parts = ["Goto\n\nCollaborating Authors\n\n\u00a0Machine Learning for Science\n\n"]
    for title, venue, abstract in papers:
        parts.append(f"\n{title}\n\n{venue}\n\n{abstract}\n\n")
    return "".join(parts)


@pytest.mark.parametrize("where", [0, 1])
def test_a_venue_named_once_is_the_papers_venue(tmp_path: Path, where: int) -> None:
    nips = "Neural Information Processing Systems"
    papers = [("Upcycling Dense Models", nips, ABSTRACT_B), ("Prompt Initialisation", nips, ABSTRACT_A)]
    papers.insert(where, ("Foundation Models for Weather", "Nature Machine Intelligence", ABSTRACT_C))
    report, read_papers, rejected, _ = read(tmp_path, topic_page(*papers))
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, p.topic_hints) for p in read_papers] == [
        (title, venue, ["Machine Learning for Science"]) for title, venue, _ in papers
    ]


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["one blank line", "two blank lines"])
@pytest.mark.parametrize(
    "venues",
    [
        ("ICASSP 2024", "Interspeech 2023", "SIGDIAL 2023 (Oral)"),
        ("Nature Machine Intelligence", "Digital Discovery", "Geoscientific Model Development"),
    ],
    ids=["a year", "journals"],
)
def test_venues_no_list_names_are_read_from_the_layout(tmp_path: Path, gap: str, venues: tuple[str, str, str]) -> None:
    titles = ("Upcycling Dense Models", "Prompt Initialisation", "Foundation Models for Weather")
    abstracts = (ABSTRACT_B, ABSTRACT_A, ABSTRACT_C)
    page = "\u00a0Speech and Science\n" + "".join(
        f"{gap}\n{title}\n\n{venue}\n\n{abstract}\n" for title, venue, abstract in zip(titles, venues, abstracts, strict=True)
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    expected = [(title, venue, ["Speech and Science"]) for title, venue in zip(titles, venues, strict=True)]
    assert [(p.title, p.venue, p.topic_hints) for p in papers] == expected


def test_a_topic_listing_without_venue_lines_keeps_its_heading(tmp_path: Path) -> None:
    page = "Goto\n\n\u00a0Deep Learning\n\n\nUpcycling Dense Models\n\nNeurIPS 2024\n\n" + ABSTRACT_B
    page += "\n\n\nPrompt Initialisation\n\n" + ABSTRACT_A + "\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.venue, p.topic_hints) for p in papers] == [
        ("Upcycling Dense Models", "NeurIPS 2024", ["Deep Learning"]), ("Prompt Initialisation", None, ["Deep Learning"]),
    ]


# --- the page's navigation, counts and footer ---------------------------------------------------

FOOTERS = {
    "pagination": "Previous\n\n1\n\n2\n\n…\n\n18\n\nNext",
    "footer": "Page 1 of 12\n\n\u00a9 2025 Hugging Face\n\nTOS\n\nPrivacy\n\nAbout\n\nJobs",
    "arrows": "\u2190 Previous\n\nNext page \u2192",
}


@pytest.mark.parametrize("footer", FOOTERS.values(), ids=FOOTERS.keys())
def test_pagination_and_footer_below_a_daily_page_are_no_papers(tmp_path: Path, footer: str) -> None:
    page = daily(("Prompt Initialisation", ABSTRACT_A, "3 authors"), ("Upcycling Dense Models", ABSTRACT_B, "5 authors"))
    report, papers, rejected, notices = read(tmp_path, page + "\n" + footer + "\n")
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [p.title for p in papers] == ["Prompt Initialisation", "Upcycling Dense Models"]
    assert len([n for n in notices if "not a paper" in n.message]) == footer.count("\n\n") + 1


def test_a_vote_count_on_its_own_above_a_paper_is_skipped_not_rejected(tmp_path: Path) -> None:
    page = "Daily Papers\n\nJun 20\n\n42\n\nPrompt Initialisation\n\n" + ABSTRACT_A + "\n\n  \u2022 3 authors\n\u00b7\nJun 15\n"
    page += "\n\u25b2 9\n\nUpcycling Dense Models\n\n" + ABSTRACT_B + "\n\n  \u2022 5 authors\n\u00b7\nJun 14\n"
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.date) for p in papers] == [("Prompt Initialisation", "2025-06-15"), ("Upcycling Dense Models", "2025-06-14")]
    assert [n.line for n in notices if "not a paper" in n.message] == [5]
    # "▲ 9" is the upvote button and its count: the votes of the paper below it.
    assert [p.upvotes for p in papers] == [None, 9]
    assert [n.line for n in notices if "as its upvotes" in n.message] == [15]


@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["adjacent", "blank-lines-between-results"])
def test_search_results_with_a_result_count_above_and_pagination_below(tmp_path: Path, between: str) -> None:
    results = [("Prompt Initialisation", ABSTRACT_A), ("Upcycling Dense Models", ABSTRACT_B),
               ("Foundation Models for Weather", ABSTRACT_C), ("Prompt Initialisation Revisited", ABSTRACT_B)]
    page = "Showing 1-4 of 353 results\n" + between.join(f"{t}\n{a}" for t, a in results)
    page += "\nPrevious\n1\n2\nNext\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert sorted((p.title, p.abstract) for p in papers) == sorted(results)


def test_a_few_search_results_below_the_pages_filters(tmp_path: Path) -> None:
    page = "Search results\nSort by: Relevance\nAny time\nSince 2024\nSince 2023\nCustom range...\nSaved searches\n"
    page += f"Prompt Initialisation\n{ABSTRACT_A}\nUpcycling Dense Models\n{ABSTRACT_B}\n"
    report, papers, rejected, notices = read(tmp_path, page)
    assert report.reader == "search-results"
    assert [(p.title, p.abstract) for p in papers] == [("Prompt Initialisation", ABSTRACT_A), ("Upcycling Dense Models", ABSTRACT_B)]
    assert [r.line for r in rejected] == [7]  # a line the reader does not know is reported, with its line
    assert [n.line for n in notices if "not a paper" in n.message] == [2, 3, 4, 5, 6]


def test_search_snippets_cut_short_with_an_ellipsis_are_abstracts(tmp_path: Path) -> None:
    cut_a, cut_b = ABSTRACT_A[:120].rstrip() + "\u2026", ABSTRACT_B[:130].rstrip() + "..."
    page = f"Prompt Initialisation\n{cut_a}\nUpcycling Dense Models\n{cut_b}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract) for p in papers] == [("Prompt Initialisation", cut_a), ("Upcycling Dense Models", cut_b)]


def test_a_topic_listings_entry_with_a_venue_and_no_abstract_is_a_paper_without_one(tmp_path: Path) -> None:
    """An entry printed without its abstract, or the page cut off after its venue line: the paper, said so."""
    nips = "Neural Information Processing Systems"
    page = topic_page(("Upcycling Dense Models", nips, ABSTRACT_B), ("Prompt Initialisation", nips, ABSTRACT_A))
    page = page.replace("Prompt Initialisation", f"Foundation Models for Weather\n\n{nips}\n\n\nPrompt Initialisation")
    page += f"\nScaling Sparse Experts\n\n{nips}\n"
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, bool(p.abstract)) for p in papers] == [
        ("Upcycling Dense Models", nips, True), ("Foundation Models for Weather", nips, False),
        ("Prompt Initialisation", nips, True), ("Scaling Sparse Experts", nips, False),
    ]
    assert sum("no abstract under it" in n.message for n in notices) == 2


# What a Daily Papers page may print around a paper's authors/date block: other bullets, its
# links, "Read more" under a cut abstract, who submitted it, its votes and comments.
AROUND_META = {
    "other bullets": ("", "\u25cf 3 authors\n\u00b7\nJun 15", None),
    "hollow bullet": ("", "\u25e6 3 authors\n\u00b7\nJun 15", None),
    "links": ("arXiv\n\nGitHub\n\nProject page\n\n", "  \u2022 3 authors\n\u00b7\nJun 15", None),
    "read more": ("Read more\n\n", "  \u2022 3 authors\n\u00b7\nJun 15", None),
    "submitter and votes": ("", "  \u2022 3 authors\n\u00b7\nSubmitted by\nakhaliq\n\u00b7\nJun 15\nUpvote\n42", 42),
    "inline votes": ("", "\u2022 3 authors \u00b7 Jun 15 \u00b7 \u25b2 15", 15),
    "inline comments": ("", "\u2022 3 authors \u00b7 Jun 15 \u00b7 3 comments", None),
}


@pytest.mark.parametrize(("above", "meta", "upvotes"), AROUND_META.values(), ids=AROUND_META.keys())
def test_a_daily_papers_block_keeps_its_authors_and_date_among_the_pages_buttons(
    tmp_path: Path, above: str, meta: str, upvotes: int | None
) -> None:
    page = f"Daily Papers\n\nJun 20\n\nPrompt Initialisation\n\n{ABSTRACT_A}\n\n{above}{meta}\n"
    page += f"\nUpcycling Dense Models\n\n{ABSTRACT_B}\n\n  \u2022 5 authors\n\u00b7\nJun 14\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.author_count, p.date, p.upvotes, p.organization) for p in papers] == [
        ("Prompt Initialisation", 3, "2025-06-15", upvotes, None), ("Upcycling Dense Models", 5, "2025-06-14", None, None),
    ]


@pytest.mark.parametrize("date", ["Published on Jun 15, 2025", "15 Jun 2025", "15 June, 2025", "2025-06-15", "Sunday, Jun 15, 2025"])
def test_a_daily_date_in_another_form_still_dates_the_paper(tmp_path: Path, date: str) -> None:
    page = f"Daily Papers\n\nJun 20\n\nPrompt Initialisation\n\n{ABSTRACT_A}\n\n  \u2022 3 authors\n\u00b7\n{date}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.author_count, p.date) for p in papers] == [("Prompt Initialisation", 3, "2025-06-15")]


def test_a_page_date_with_its_weekday_is_the_page_date(tmp_path: Path) -> None:
    page = f"Daily Papers\n\nFriday, Jun 20, 2025\n\nPrompt Initialisation\n\n{ABSTRACT_A}\n\n  \u2022 3 authors\n\u00b7\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page, meta=SourceMeta())
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [p.date for p in papers] == ["2025-06-15"]  # the year-less date takes the page's year


@pytest.mark.parametrize(("line", "names", "count"), [
    ("Ana Ruiz, Bo Chen, +4 authors", ["Ana Ruiz", "Bo Chen"], 6),
    ("Ana Ruiz, Bo Chen et al.", ["Ana Ruiz", "Bo Chen"], 2),
])
def test_author_names_with_more_authors_not_named(tmp_path: Path, line: str, names: list[str], count: int) -> None:
    page = f"Daily Papers\n\nJun 20\n\nPrompt Initialisation\n\n{ABSTRACT_A}\n\n  \u2022 {line}\n\u00b7\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.authors, p.author_count, p.organization, p.date) for p in papers] == [(names, count, None, "2025-06-15")]


def test_who_submitted_a_paper_is_neither_an_author_nor_a_paper(tmp_path: Path) -> None:
    page = f"Daily Papers\n\nJun 20\n\nSubmitted by akhaliq\n\nPrompt Initialisation\n\n{ABSTRACT_A}\n\n"
    page += "  \u2022 3 authors\n\u00b7\nSubmitted by akhaliq\n\u00b7\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.authors, p.author_count, p.date) for p in papers] == [("Prompt Initialisation", [], 3, "2025-06-15")]


def test_abstract_labels_on_a_line_of_their_own(tmp_path: Path) -> None:
    page = f"Jack\n\nAbstract\n{ABSTRACT_A}\n\nAbstract\n{ABSTRACT_B}\n\nShowing 2 of 120 abstracts\nNext page \u2192\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


def test_labelled_abstracts_without_titles_are_an_abstracts_listing_whatever_the_page_text(tmp_path: Path) -> None:
    page = f"Jack\nAbstract: {ABSTRACT_A}\nAbstract: {ABSTRACT_B}\nShowing 2 of 120 abstracts\nNext page \u2192\n\u00a9 2025\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [(p.abstract, p.title_inferred) for p in papers] == [(ABSTRACT_A, True), (ABSTRACT_B, True)]


ZH_A = ("基于逐步验证的数学推理", "大型语言模型在数学推理任务上仍然容易出错。我们提出一种逐步验证的方法，"
        "在每一步推理后由另一个模型检查其正确性，并在发现错误时回溯。实验表明，该方法在GSM8K数据集上将准确率提高了十一个百分点。")
ZH_B = ("利用扩散模型注意力图的弱监督分割", "图像分割需要大量的像素级标注。我们利用扩散模型的注意力图生成伪标签，"
        "仅用百分之一的标注数据即可训练出高质量的分割模型。")


def test_chinese_search_results_are_read_as_titles_and_abstracts(tmp_path: Path) -> None:
    report, papers, rejected, _ = read(tmp_path, "\n".join(ZH_A + ZH_B) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert sorted((p.title, p.abstract) for p in papers) == sorted([ZH_A, ZH_B])


def test_a_chinese_abstract_without_a_title_is_titled_by_its_first_sentence(tmp_path: Path) -> None:
    report, papers, rejected, _ = read(tmp_path, f"Abstract: {ZH_A[1]}\n\nAbstract: {ZH_B[1]}\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.title for p in papers] == ["大型语言模型在数学推理任务上仍然容易出错", "图像分割需要大量的像素级标注"]


# --- bytes ------------------------------------------------------------------------------------


def test_one_latin1_byte_in_a_utf8_file_spoils_nothing_else(tmp_path: Path) -> None:
    page = daily(("R\u00e9gularisation Spectrale", ABSTRACT_A, "3 authors")).encode("utf-8").replace("R\u00e9".encode(), b"R\xe9")
    page += "\nCaf\u00e9 Models \u2014 Naïve Bayes Revisited\n\n".encode() + ABSTRACT_B.encode() + "\n\n  • 2 authors\n·\nJun 14\n".encode()
    report, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.author_count, p.date) for p in papers] == [
        ("R\u00e9gularisation Spectrale", 3, "2025-06-15"), ("Caf\u00e9 Models \u2014 Naïve Bayes Revisited", 2, "2025-06-14"),
    ]
    assert report.encoding == "utf-8"
    assert any("1 byte(s) that are not UTF-8 read as Windows-1252, the first on line 5" in n.message for n in notices)


def test_a_windows_1252_file_is_still_read_as_one() -> None:
    text = "R\u00e9sum\u00e9 \u2014 na\u00efve \u201cquotes\u201d \u20ac5\n" * 40
    decoded = decode_listing(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


CHINESE_ABSTRACTS = (
    "摘要：我们提出了一种新的扩散模型训练方法，在图像生成任务上取得了更高的质量和更快的采样速度。\n\n"
    "摘要：大型语言模型在数学推理任务上仍然容易出错，我们构建了一个新的基准来衡量这一问题。\n"
)
JAPANESE_ABSTRACTS = (
    "概要：大規模言語モデルの推論能力を向上させる新しい手法を提案する。実験により有効性を示した。\n\n"
    "概要：画像分割には大量のピクセル単位の注釈が必要であるため、弱教師あり学習を用いる。\n"
)
KOREAN_ABSTRACTS = (
    "초록: 우리는 확산 모델을 이용한 새로운 이미지 생성 방법을 제안하고 실험으로 그 효과를 보인다.\n\n"
    "초록: 대규모 언어 모델의 수학적 추론 능력을 평가하기 위한 새로운 벤치마크를 구축하였다.\n"
)


@pytest.mark.parametrize(
    ("text", "codec"),
    [(CHINESE_ABSTRACTS, "gb18030"), (CHINESE_ABSTRACTS, "gbk"), (CHINESE_ABSTRACTS.replace("们", "們"), "big5"),
     (JAPANESE_ABSTRACTS, "shift_jis"), (JAPANESE_ABSTRACTS, "euc-jp"), (KOREAN_ABSTRACTS, "euc-kr")],
)
def test_chinese_japanese_and_korean_encodings_are_read_as_such(tmp_path: Path, text: str, codec: str) -> None:
    if codec == "big5":
        text = text.encode("big5", errors="ignore").decode("big5")  # the simplified characters Big5 lacks
    report, papers, rejected, notices = read(tmp_path, text.encode(codec))
    assert rejected == []
    assert [p.abstract for p in papers] == [block.split("：", 1)[-1].split(": ", 1)[-1] for block in text.strip().split("\n\n")]
    assert report.encoding not in ("cp1252", "latin-1", "utf-8")
    assert any(f"decoded as {report.encoding}" in n.message for n in notices)


@pytest.mark.parametrize(
    "text",
    ["Müller et Dupré étudient l'apprentissage génératif: modèles à diffusion, façon naïve.\n" * 30,
     "Ärger über Größe: Übersicht zur Straße — “Zitat” € 5 ‰.\n" * 30,
     "R\u00e9sum\u00e9: \u00e9t\u00e9 \u00e0 \u00e9cole \u00eatre \u00e2ge.\n" * 30],
)
def test_accented_windows_1252_text_is_not_taken_for_an_east_asian_encoding(text: str) -> None:
    decoded = decode_listing(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    page = daily(("Transformers \u3067\u5b66\u3076", ABSTRACT_A, "3 authors"))
    _, papers, rejected, notices = read(tmp_path, page.encode(codec))
    assert rejected == []
    assert [p.title for p in papers] == ["Transformers \u3067\u5b66\u3076"]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf\r\n", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe \x00\n\x00", b" \n\t\n"])
def test_a_file_with_only_a_byte_order_mark_or_spaces_is_empty(data: bytes) -> None:
    with pytest.raises(UndecodableFile, match="the file is empty"):
        decode_listing(data)


def test_an_arxiv_id_written_unquoted_in_yaml_keeps_its_trailing_zero(tmp_path: Path) -> None:
    page = (
        "papers:\n  - title: A Paper About Zeros\n    abstract: Trailing zeros matter.\n    arxiv_id: 2411.08840\n"
        "  - title: 3.10\n    abstract: A title YAML would read as a number.\n"
    )
    _, papers, rejected, _ = read(tmp_path, page, name="curated.yml")
    assert rejected == []
    assert [(p.title, p.arxiv_id) for p in papers] == [("A Paper About Zeros", "2411.08840"), ("3.10", None)]


def test_unknown_lines_between_the_daily_header_and_the_page_date_are_page_text(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors")).replace(
        "Daily Papers\n\n", "Daily Papers\n\nby AK and the research community\n\nSubmit\n\n", 1
    )
    _, papers, rejected, notices = read(tmp_path, page, SourceMeta())
    assert [p.title for p in papers] == ["Prompt Tuning from Task Descriptions"] and not rejected
    # The page date is still the page's: it dates the paper's year-less "Jun 15" (with a year from another paper it would).
    assert any("'Submit'" in n.message and "page text" in n.message for n in notices)
    dated = page + "\nUpcycled Mixture of Experts\n\n" + ABSTRACT_B + "\n\n  • 2 authors\n·\nMar 3, 2024\n"
    _, papers, rejected, _ = read(tmp_path, dated, SourceMeta())
    assert {p.title: p.date for p in papers} == {
        "Prompt Tuning from Task Descriptions": "2025-06-15", "Upcycled Mixture of Experts": "2024-03-03",
    } and not rejected


def test_result_counts_and_the_query_line_of_a_search_page_are_not_a_paper(tmp_path: Path) -> None:
    page = (
        "Search results for “mixture of experts”\n128 results\n"
        f"Prompt Tuning from Task Descriptions\n{ABSTRACT_A}\nUpcycled Mixture of Experts\n{ABSTRACT_B}\n"
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "search-results"
    assert sorted(p.title for p in papers) == ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts"]
    assert not rejected


def test_a_paper_count_under_a_topic_heading_does_not_replace_the_topic(tmp_path: Path) -> None:
    page = "\u00a0Causal Inference\n\n1,284 papers\n\n\n" + "".join(
        f"{title}\n\nNeural Information Processing Systems\n\n{abstract}\n\n\n"
        for title, abstract in (("Prompt Tuning from Task Descriptions", ABSTRACT_A), ("Upcycled Mixture of Experts", ABSTRACT_B))
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "topic-listing" and len(papers) == 2 and not rejected
    assert all(p.topic_hints == ["Causal Inference"] for p in papers)


def test_a_topic_listings_first_paper_without_a_venue_keeps_its_title(tmp_path: Path) -> None:
    page = (
        " Quantum Computing\n\n\nPrompt Tuning from Task Descriptions\n\n" + ABSTRACT_A + "\n\n\n"
        "Upcycled Mixture of Experts\n\nNature Communications\n\n" + ABSTRACT_B + "\n\n\n"
        "Pretraining on Reanalysis\n\nNature Communications\n\n" + ABSTRACT_C + "\n"
    )
    for gap in ("\n\n\n", "\n\n"):  # the heading set apart by a wider gap, or by one blank line like every field
        report, papers, rejected, _ = read(tmp_path, page.replace("Quantum Computing\n\n\n", "Quantum Computing" + gap))
        assert report.reader == "topic-listing" and not rejected
        assert {p.title: p.venue for p in papers} == {
            "Prompt Tuning from Task Descriptions": None, "Upcycled Mixture of Experts": "Nature Communications",
            "Pretraining on Reanalysis": "Nature Communications",
        }
        assert all(p.topic_hints == ["Quantum Computing"] for p in papers)


def test_a_utf8_page_and_a_windows_1252_page_saved_into_one_file_are_both_read(tmp_path: Path) -> None:
    turkish, french = "Tokenizing Çekoslovakyalılaştıramadık", "Évaluation à réseaux récurrents étendus"
    utf8 = daily((turkish, ABSTRACT_A, "3 authors")).encode()
    abstract = ABSTRACT_B.replace("We", "Nous évaluons, é") + " été à é" * 5 + "."
    latin = f"\n{french}\n\n{abstract}\n\n  • 2 authors\n·\nJun 14\n".encode("cp1252")
    assert latin.count(b"\xe9") > 16  # more stray bytes than a UTF-8 file with a few slips
    report, papers, rejected, notices = read(tmp_path, utf8 + latin)
    assert not rejected and report.encoding == "utf-8"
    assert sorted(p.title for p in papers) == [turkish, french]


def test_cr_cr_lf_line_endings_are_one_line_end(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors"))
    _, papers, rejected, notices = read(tmp_path, page.replace("\n", "\r\r\n").encode())
    assert not rejected and [(p.author_count, p.date) for p in papers] == [(3, "2025-06-15")]
    assert any(n.message == "CR CR LF line endings" for n in notices)


def test_an_authors_date_block_copied_with_blank_lines_between_its_lines_stays_whole(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors")).replace("·\nJun 15", "\n·\n\nJun 15 6")
    _, papers, rejected, _ = read(tmp_path, page)
    assert not rejected and [(p.author_count, p.date, p.upvotes) for p in papers] == [(3, "2025-06-15", 6)]
    # A page number after the last paper is not its upvotes.
    _, papers, rejected, _ = read(tmp_path, daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors")) + "\n2\n\n3\n")
    assert not rejected and [p.upvotes for p in papers] == [None]


def test_who_submitted_a_daily_paper_in_a_block_of_its_own_is_skipped(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors")).replace(
        "\n\n  • 3", "\n\nSubmitted by\nivanpetrov\n\n  • 3"
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert not rejected and [(p.author_count, p.date, p.authors) for p in papers] == [(3, "2025-06-15", [])]
    assert any("who posted the paper" in n.message for n in notices)


def test_a_daily_page_whose_abstracts_are_wrapped_over_lines_is_still_a_daily_page(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", textwrap.fill(ABSTRACT_A, 72), "3 authors"),
                 ("Upcycled Mixture of Experts", textwrap.fill(ABSTRACT_B, 72), "2 authors"))
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "daily-papers" and not rejected
    assert {p.title: (p.author_count, p.abstract) for p in papers} == {
        "Prompt Tuning from Task Descriptions": (3, ABSTRACT_A), "Upcycled Mixture of Experts": (2, ABSTRACT_B),
    }


@pytest.mark.parametrize("first", ["Über die Stabilität von Gradientenverfahren", "日本語の評価", "“Quoted” Titles"])
def test_subscribe_glued_to_a_first_title_in_any_script_is_removed(tmp_path: Path, first: str) -> None:
    page = f"Subscribe{first}\n{ABSTRACT_A}\nUpcycled Mixture of Experts\n{ABSTRACT_B}\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert not rejected and sorted(p.title for p in papers) == sorted([first, "Upcycled Mixture of Experts"])


def test_a_word_broken_after_its_hyphen_at_a_line_end_is_joined_without_a_space(tmp_path: Path) -> None:
    page = "Abstract: We find 17 subgroups missed by single-\nattribute audits of clinical risk scores, and fix them.\n"
    _, papers, _, _ = read(tmp_path, page)
    assert "single-attribute audits" in papers[0].abstract


TWO_DAILY_PAPERS = [
    ("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors"), ("Upcycled Mixture of Experts", ABSTRACT_B, "2 authors"),
]


def test_submitted_by_and_the_name_in_blocks_of_their_own_are_skipped(tmp_path: Path) -> None:
    page = daily(TWO_DAILY_PAPERS[0], TWO_DAILY_PAPERS[1])
    for title, name in (("Prompt Tuning", "akhaliq"), ("Upcycled", "nielsr")):
        page = page.replace(f"\n{title}", f"\nSubmitted by\n\n{name}\n\n{title}")
    _, papers, rejected, notices = read(tmp_path, page)
    assert not rejected and sorted((p.title, p.author_count) for p in papers) == [
        ("Prompt Tuning from Task Descriptions", 3), ("Upcycled Mixture of Experts", 2),
    ]
    assert sum("who posted the paper" in n.message for n in notices) == 2


def test_a_few_short_lines_are_not_a_paper_whatever_follows_them(tmp_path: Path) -> None:
    # A sidebar's heading and a link, then the results: a word or two is no abstract.
    page = f"Trending now\nakhaliq\nPrompt Tuning from Task Descriptions\n{ABSTRACT_A}\nUpcycled Mixture of Experts\n{ABSTRACT_B}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "search-results"
    assert sorted(p.title for p in papers) == ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts"]
    assert sorted(r.raw for r in rejected) == ["Trending now", "akhaliq"]  # reported, not published


@pytest.mark.parametrize(("written", "date"), [
    ("Dec 11th, 2024", "2024-12-11"), ("11th December 2024", "2024-12-11"), ("2024/12/11", "2024-12-11"),
    ("11.12.2024", "2024-12-11"), ("12/11/2024", None),  # month or day first: not known, left out with a notice
])
def test_an_authors_date_block_keeps_what_it_can_read(tmp_path: Path, written: str, date: str | None) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors")).replace("·\nJun 15", f"·\n{written}")
    _, papers, rejected, notices = read(tmp_path, page)
    assert not rejected and [(p.author_count, p.date) for p in papers] == [(3, date)]
    assert (date is None) == any(written in n.message and "could not read" in n.message for n in notices)


@pytest.mark.parametrize("view", ["December 2025", "Week 50, 2025"])
def test_a_month_or_week_view_of_daily_papers_dates_its_papers(tmp_path: Path, view: str) -> None:
    page = daily(TWO_DAILY_PAPERS[0], TWO_DAILY_PAPERS[1]).replace("\nJun 20\n", f"\nDaily\n\nWeekly\n\nMonthly\n\n{view}\n", 1)
    page = page.replace("Jun 15", "Dec 9", 1).replace("Jun 15", "Nov 28", 1)
    _, papers, rejected, _ = read(tmp_path, page, SourceMeta())
    assert not rejected and [p.date for p in sorted(papers, key=lambda p: p.title)] == ["2025-12-09", "2025-11-28"]


def test_an_abstract_wrapped_where_a_sentence_ends_goes_on_to_its_next_line(tmp_path: Path) -> None:
    def wrapped(text: str) -> list[str]:  # each sentence from a new line, as a page may happen to wrap it
        sentences = f"Abstract: {text}".split(". ")
        return [line for sentence in sentences for line in textwrap.wrap(sentence + ("" if sentence.endswith(".") else "."), 70)]

    abstracts = [wrapped(text) for text in (ABSTRACT_A, ABSTRACT_B, ABSTRACT_C)]
    page = "Jack\n" + "\n".join(line for lines in abstracts for line in lines) + "\nMore\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "abstracts" and not rejected
    assert sorted(p.abstract for p in papers) == sorted([ABSTRACT_A, ABSTRACT_B, ABSTRACT_C])  # "More" is the page's


def test_a_list_of_one_abstract_under_the_pages_noise_line_is_an_abstracts_list(tmp_path: Path) -> None:
    report, papers, rejected, _ = read(tmp_path, f"Jack\nAbstract: {ABSTRACT_A}\n")
    assert report.reader == "abstracts" and not rejected
    assert [(p.abstract, p.title_inferred) for p in papers] == [(ABSTRACT_A, True)]  # not titled "Jack"


def test_a_pagination_bar_on_one_line_is_page_text(tmp_path: Path) -> None:
    page = f"Prompt Tuning from Task Descriptions\n{ABSTRACT_A}\nUpcycled Mixture of Experts\n{ABSTRACT_B}\n"
    page += "« Previous 1 2 3 4 5 … 18 Next »\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert len(papers) == 2 and not rejected


def test_an_abstract_labelled_under_its_title_loses_the_label_only(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", f"Abstract: {ABSTRACT_A}", "3 authors"),
                 ("Abstract-Level Reasoning", f"Abstract-level reasoning {ABSTRACT_B}", "2 authors"))
    _, papers, rejected, _ = read(tmp_path, page)
    assert not rejected and sorted(p.abstract for p in papers) == sorted([ABSTRACT_A, f"Abstract-level reasoning {ABSTRACT_B}"])


def test_an_abstract_whose_first_word_starts_with_abstract_keeps_it_in_search_results(tmp_path: Path) -> None:
    own = f"Abstract-level reasoning {ABSTRACT_B}"
    lines = ["Prompt Tuning from Task Descriptions", f"Abstract: {ABSTRACT_A}", "Abstract-Level Reasoning", own]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, own]


def test_an_abstract_whose_first_word_starts_with_abstract_keeps_it_in_an_abstracts_list(tmp_path: Path) -> None:
    own = f"Abstract-level reasoning {ABSTRACT_B}"
    page = f"Abstract: {ABSTRACT_A}\n\nAbstract.{ABSTRACT_C}\n\n{own}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_C, own]


@pytest.mark.parametrize("first", ["pix2pix-zero: Zero-shot Image Translation", "k-Means Clustering of Embeddings", "mixup: Beyond Risk"])
def test_subscribe_glued_to_a_name_written_in_lower_case_is_removed(tmp_path: Path, first: str) -> None:
    _, papers, _, _ = read(tmp_path, f"Subscribe{first}\n{ABSTRACT_A}\nUpcycled Mixture of Experts\n{ABSTRACT_B}\n")
    assert sorted(p.title for p in papers) == sorted([first, "Upcycled Mixture of Experts"])


def test_a_topic_listing_whose_abstracts_the_page_cut_short_is_still_read(tmp_path: Path) -> None:
    cut = [text[:150].rsplit(" ", 1)[0] for text in (ABSTRACT_A, ABSTRACT_B, ABSTRACT_C)]
    titles = ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts", "Pretraining on Reanalysis"]
    page = "Goto\n\n\u00a0Large Language Model\n\n\n" + "".join(
        f"{title}\n\nNeural Information Processing Systems\n\n{abstract}\n\n\n" for title, abstract in zip(titles, cut, strict=True)
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "topic-listing" and not rejected
    assert sorted((p.title, p.abstract) for p in papers) == sorted(zip(titles, cut, strict=True))


def test_an_empty_abstract_label_is_rejected_not_given_the_next_abstract(tmp_path: Path) -> None:
    _, papers, rejected, _ = read(tmp_path, f"Jack\nAbstract: {ABSTRACT_A}\nAbstract:\nAbstract: {ABSTRACT_B}\n")
    assert sorted((p.sources[0].line, p.abstract) for p in papers) == [(2, ABSTRACT_A), (4, ABSTRACT_B)]
    assert [(r.line, r.reason) for r in rejected] == [(3, "'Abstract:' with no text")]


def test_blank_lines_holding_only_invisible_characters_still_part_the_papers(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors"),
                 ("Upcycled Mixture of Experts", ABSTRACT_B, "6 authors"))
    lines = page.split("\n")
    page = "\n".join(line if line.strip() else ("\u200b" if n % 2 else "\ufeff \u200c") for n, line in enumerate(lines))
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, 3), ("Upcycled Mixture of Experts", ABSTRACT_B, 6)]
    assert any("invisible characters read as blank lines" in n.message for n in notices)


@pytest.mark.parametrize("label", ["[1] Abstract:", "2) Abstract", "Abstract："])
def test_a_numbered_or_full_width_label_on_its_own_line_starts_an_abstract(tmp_path: Path, label: str) -> None:
    report, papers, rejected, _ = read(tmp_path, f"{label}\n\n{ABSTRACT_A}\n\n{label}\n\n{ABSTRACT_B}\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


def test_a_full_width_colon_after_the_label(tmp_path: Path) -> None:
    report, papers, rejected, _ = read(tmp_path, f"Abstract：{ABSTRACT_A}\nAbstract：{ABSTRACT_B}\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


def test_an_arxiv_entrys_comments_and_dates_are_not_abstracts(tmp_path: Path) -> None:
    page = "".join(f"Abstract: {text}\nComments: 18 pages, 7 figures. Accepted at the Conference on Language Modeling 2025.\n"
                   f"Submitted 27 February, 2025; originally announced February 2025.\n" for text in (ABSTRACT_A, ABSTRACT_B))
    report, papers, rejected, notices = read(tmp_path, page + "Journal-ref: Proceedings of COLM 2025, pages 1-18.\n")
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]
    assert sorted(n.line for n in notices if "skipped" in n.message) == [2, 3, 5, 6, 7]


def test_a_footer_of_policy_links_and_related_searches_makes_no_paper(tmp_path: Path) -> None:
    lines = ["Prompt Tuning from Task Descriptions", ABSTRACT_A, "Upcycled Mixture of Experts", ABSTRACT_B, "Related searches",
             "prompt tuning for language models survey", "mixture of experts upcycling benchmark", "Data policy", "Cookies policy"]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [p.title for p in papers] == lines[0:3:2]


GLUED_ABOVE = ["Submitted by akhaliq", "Submitted by\nakhaliq", "26", "▲ 31\nSubmitted by\nnielsr"]


@pytest.mark.parametrize("above", GLUED_ABOVE)
def test_a_submitter_or_upvotes_right_above_a_title_are_not_the_title(tmp_path: Path, above: str) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors"),
                 ("Upcycled Mixture of Experts", ABSTRACT_B, "6 authors"))
    page = page.replace("\nUpcycled Mixture", f"\n{above}\nUpcycled Mixture").replace("\nPrompt Tuning", f"\n{above}\nPrompt Tuning")
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, 3), ("Upcycled Mixture of Experts", ABSTRACT_B, 6)]


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["whole paper in one block", "authors right below the abstract"])
def test_authors_and_date_right_below_an_abstract_are_read_as_such(tmp_path: Path, gap: str) -> None:
    wrapped = textwrap.fill(ABSTRACT_B, 80)  # its last line is short, and no organisation
    page = "Daily Papers\n\nJun 20\n\n" + "".join(
        f"{title}{gap}{abstract}\n  • {count} authors\n·\nJun {day}\n\n"
        for title, abstract, count, day in (("Prompt Tuning from Task Descriptions", ABSTRACT_A, 3, 15),
                                             ("Upcycled Mixture of Experts", wrapped, 6, 14)))
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count, p.date, p.organization) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, 3, "2025-06-15", None),
        ("Upcycled Mixture of Experts", ABSTRACT_B, 6, "2025-06-14", None)]


def test_front_matter_rules_above_a_listing_are_no_paper(tmp_path: Path) -> None:
    lines = ["---", "title: Front Matter Page", "layout: post", "---", "Prompt Tuning from Task Descriptions", ABSTRACT_A,
             "* * *", "Upcycled Mixture of Experts", ABSTRACT_B]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert report.reader == "search-results"
    assert [p.title for p in papers] == ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts"]
    assert [r.raw for r in rejected] == ["title: Front Matter Page", "layout: post"]  # reported, never published


def test_search_results_with_an_authors_line_under_each_title(tmp_path: Path) -> None:
    lines = ["Prompt Tuning from Task Descriptions", "Maria Garcia, Wei Zhang, Tom Okafor", ABSTRACT_A,
             "Vision Transformers, Diffusion Models and Scaling Laws", ABSTRACT_B,  # a title, though it reads like names
             "Upcycled Mixture of Experts", "Priya Nair and Jonas van Berg", ABSTRACT_C]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.authors) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ["Maria Garcia", "Wei Zhang", "Tom Okafor"]),
        ("Vision Transformers, Diffusion Models and Scaling Laws", []),
        ("Upcycled Mixture of Experts", ["Priya Nair", "Jonas van Berg"])]


def test_an_abstract_in_two_paragraphs_on_a_daily_page_and_a_topic_listing_stays_one_paper(tmp_path: Path) -> None:
    """Prose after a titled abstract, not followed by an abstract of its own, is the abstract's next paragraph."""
    closing = "We release the code and the transcripts of all fourteen settings we study."
    page = daily(("Prompt Tuning from Task Descriptions", f"{ABSTRACT_A}\n\n{closing}", "7 authors"),
                 ("Upcycled Mixture of Experts", ABSTRACT_B, "3 authors"))
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", f"{ABSTRACT_A} {closing}", 7), ("Upcycled Mixture of Experts", ABSTRACT_B, 3)]
    footer = "All the data on this page is licensed under CC-BY-SA by its authors."
    topic = (f" Peer Review\n\n\nPrompt Tuning from Task Descriptions\n\nNeural Information Processing Systems\n\n{ABSTRACT_A}\n\n"
             f"{ABSTRACT_C}\n\n\nUpcycled Mixture of Experts\n\nNeural Information Processing Systems\n\n{ABSTRACT_B}\n\n\n{footer}\n")
    report, papers, rejected, _ = read(tmp_path, topic, name="topic.txt")
    assert report.reader == "topic-listing"
    assert [(p.title, p.abstract) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", f"{ABSTRACT_A} {ABSTRACT_C}"), ("Upcycled Mixture of Experts", ABSTRACT_B)]
    assert [r.raw for r in rejected] == [footer]  # one sentence under the last paper is the page's


@pytest.mark.parametrize("gap", ["\n\n\n", "\n\n"], ids=["wider gaps between papers", "single gaps"])
def test_a_topic_listings_first_paper_with_its_abstract_cut_short_is_a_paper_not_the_heading(tmp_path: Path, gap: str) -> None:
    cut = ABSTRACT_A[:140].rsplit(" ", 1)[0]  # cut mid-sentence by the page: not yet prose
    page = (f" Scaling{gap}Prompt Tuning from Task Descriptions\n\nNature\n\n{cut}{gap}"
            f"Upcycled Mixture of Experts\n\nNeural Information Processing Systems\n\n{ABSTRACT_B}{gap}"
            f"Pretraining on Reanalysis\n\nNeural Information Processing Systems\n\n{ABSTRACT_C}\n")
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, p.abstract) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", "Nature", cut),
        ("Upcycled Mixture of Experts", "Neural Information Processing Systems", ABSTRACT_B),
        ("Pretraining on Reanalysis", "Neural Information Processing Systems", ABSTRACT_C)]
    assert all(p.topic_hints == ["Scaling"] for p in papers)


@pytest.mark.parametrize("server", ["arXiv", "arXiv.org"])
def test_arxiv_as_a_topic_listings_venue_is_a_venue_not_a_link(tmp_path: Path, server: str) -> None:
    page = (f" Scaling\n\n\nPrompt Tuning from Task Descriptions\n\n{server}\n\n{ABSTRACT_A}\n\n\n"
            f"Upcycled Mixture of Experts\n\n{server}\n\n{ABSTRACT_B}\n\n\n"
            f"Pretraining on Reanalysis\n\n{server}\n\n{ABSTRACT_C}\n\n\narXiv\n")
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", server), ("Upcycled Mixture of Experts", server), ("Pretraining on Reanalysis", server)]


def test_search_results_with_one_author_or_names_written_family_first(tmp_path: Path) -> None:
    """On a page that prints its results' authors, a result by one author, or with "Garcia, M." names, keeps its title."""
    lines = ["Prompt Tuning from Task Descriptions", "Maria Garcia, Wei Zhang, Tom Okafor", ABSTRACT_A,
             "Upcycled Mixture of Experts", "Kenji Tanaka", ABSTRACT_B,
             "Pretraining on Reanalysis Data", "Fischer, L. and Haddad, O.-M.", ABSTRACT_C,
             "Weather Foundation Models at Scale", "Garcia, M.", ABSTRACT_A.replace("Prompt", "Soft prompt")]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.authors) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ["Maria Garcia", "Wei Zhang", "Tom Okafor"]),
        ("Upcycled Mixture of Experts", ["Kenji Tanaka"]),
        ("Pretraining on Reanalysis Data", ["Fischer, L.", "Haddad, O.-M."]),
        ("Weather Foundation Models at Scale", ["Garcia, M."])]


def test_a_short_title_of_capitalised_words_is_a_title_on_a_page_without_authors(tmp_path: Path) -> None:
    """With no line of names on the page, "Deep Residual Learning" under a title left without its abstract is a title."""
    lines = ["Prompt Tuning from Task Descriptions", ABSTRACT_A, "Results Cut Off Before The Abstract", "Deep Residual Learning",
             ABSTRACT_B]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert report.reader == "search-results"
    assert [(p.title, p.authors) for p in papers] == [("Prompt Tuning from Task Descriptions", []), ("Deep Residual Learning", [])]
    assert [r.raw for r in rejected] == ["Results Cut Off Before The Abstract"]


def test_search_results_dated_without_a_year_on_a_page_of_unknown_capture_date(tmp_path: Path) -> None:
    """"Published on Jan 22" with no capture date to place it is still a date line: the paper stays undated, never titled so."""
    lines = ["Prompt Tuning from Task Descriptions", "Published on Jan 22", ABSTRACT_A,
             "Upcycled Mixture of Experts", "Published on Oct 25", ABSTRACT_B]
    report, papers, rejected, notices = read(tmp_path, "\n".join(lines) + "\n", SourceMeta())
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract, p.date) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, None), ("Upcycled Mixture of Experts", ABSTRACT_B, None)]
    assert [n.line for n in notices if "no year" in n.message] == [2, 5]


def test_search_results_with_authors_then_a_date_between_title_and_abstract(tmp_path: Path) -> None:
    lines = ["Prompt Tuning from Task Descriptions", "Maria Garcia, Wei Zhang, Tom Okafor", "Published on Jan 28, 2022", ABSTRACT_A,
             "Upcycled Mixture of Experts", "Published on Mar 21, 2022", ABSTRACT_B,
             "Pretraining on Reanalysis", "Lena Fischer, Omar Haddad", "Published on May 17, 2023", ABSTRACT_C]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.authors, p.date) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ["Maria Garcia", "Wei Zhang", "Tom Okafor"], "2022-01-28"),
        ("Upcycled Mixture of Experts", [], "2022-03-21"),
        ("Pretraining on Reanalysis", ["Lena Fischer", "Omar Haddad"], "2023-05-17")]


def test_search_results_with_authors_or_a_date_below_each_abstract(tmp_path: Path) -> None:
    lines = ["Prompt Tuning from Task Descriptions", ABSTRACT_A, "Maria Garcia, Wei Zhang · 2025",
             "Upcycled Mixture of Experts", ABSTRACT_B, "Published on Mar 3, 2025",
             "Pretraining on Reanalysis", ABSTRACT_C, "Lena Fischer, Omar Haddad et al."]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.authors, p.date) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ["Maria Garcia", "Wei Zhang"], None),
        ("Upcycled Mixture of Experts", [], "2025-03-03"),
        ("Pretraining on Reanalysis", ["Lena Fischer", "Omar Haddad"], None)]


def test_a_sites_blurb_under_a_topic_listing_is_skipped_not_published(tmp_path: Path) -> None:
    titles = ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts"]
    pairs = zip(titles, (ABSTRACT_A, ABSTRACT_B), strict=True)
    page = " Large Language Model\n\n\n" + "".join(
        f"{title}\n\nNeural Information Processing Systems\n\n{abstract}\n\n\n" for title, abstract in pairs
    ) + "Papers With Code is a free resource with all data licensed under CC-BY-SA.\n\nTerms\n\nData policy\n\nCookies policy\n"
    report, papers, rejected, notices = read(tmp_path, page)
    assert report.reader == "topic-listing" and [p.title for p in papers] == titles and rejected == []
    assert any("Papers With Code is a free resource" in n.message for n in notices)


def test_a_footer_sentence_under_a_labelled_abstracts_list_is_reported_not_published(tmp_path: Path) -> None:
    page = f"Abstract: {ABSTRACT_A}\n\nAbstract: {ABSTRACT_B}\n\nAll abstracts on this page are reproduced under the arXiv license.\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "abstracts" and [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]
    assert [r.line for r in rejected] == [5]


def test_a_short_second_paragraph_between_labelled_abstracts_goes_on_with_the_one_above(tmp_path: Path) -> None:
    """One sentence between two "Abstract:" paragraphs is the first one's last paragraph; a paragraph that could be an
    abstract of its own stays a paper (joining it would lose one), and one after the last abstract stays the page's."""
    closing = "We release the code and the trained models for all experiments."
    other = f"{ABSTRACT_C} The model is released openly."  # two sentences: an abstract without its label
    page = (f"Abstract: {ABSTRACT_A}\n\n{closing}\n\nAbstract: {ABSTRACT_B}\n\n{other}\n\nAbstract: {ABSTRACT_A[:90]}.\n\n"
            f"Abstract: {ABSTRACT_B[:95]}.\n\nAbstract: {ABSTRACT_C[:85]}.\n\n"
            "All abstracts on this page are reproduced under the arXiv license.\n")
    report, papers, rejected, notices = read(tmp_path, page)
    assert report.reader == "abstracts"
    assert [p.abstract for p in papers] == [
        f"{ABSTRACT_A} {closing}", ABSTRACT_B, other, ABSTRACT_A[:90] + ".", ABSTRACT_B[:95] + ".", ABSTRACT_C[:85] + "."]
    assert [r.line for r in rejected] == [15]
    assert any(n.line == 3 and "second paragraph" in n.message for n in notices)


@pytest.mark.parametrize(
    ("first", "venues", "gap"),
    [
        ("Machine Learning for Compiler Optimization: A Survey", ["Neural Information Processing Systems"] * 2, "\n\n\n"),
        ("Machine Learning for Compiler Optimization: A Survey", ["NeurIPS Workshop: Foundation Models"] * 2, "\n\n"),
    ],
    ids=["title with a venue's words", "single gaps, a workshop's venue"],
)
def test_a_first_paper_without_a_venue_under_papers_whose_venues_say_so(tmp_path: Path, first: str, venues: list[str], gap: str) -> None:
    titles = [first, "Upcycled Mixture of Experts", "Pretraining on Reanalysis"]
    others = zip(titles[1:], venues, (ABSTRACT_B, ABSTRACT_C), strict=True)
    page = f" Large Language Model{gap}{first}\n\n{ABSTRACT_A}{gap}" + "".join(
        f"{title}\n\n{venue}\n\n{abstract}{gap}" for title, venue, abstract in others)
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert sorted((p.title, p.venue) for p in papers) == sorted(zip(titles, [None, *venues], strict=True))
    assert all(p.topic_hints == ["Large Language Model"] for p in papers)


@pytest.mark.parametrize("venue", ["Nature Machine Intelligence", "Findings of the Association for Computational Linguistics: EMNLP 2023",
                                   "NeurIPS Workshop: Foundation Models for Decision Making"])
def test_a_topic_listing_without_a_heading_reads_its_first_papers_venue(tmp_path: Path, venue: str) -> None:
    titles = ["Prompt Tuning from Task Descriptions", "Upcycled Mixture of Experts", "Pretraining on Reanalysis"]
    venues = [venue, "Neural Information Processing Systems", "International Conference on Machine Learning"]
    page = "".join(f"{title}\n\n{where}\n\n{abstract}\n\n\n"
                   for title, where, abstract in zip(titles, venues, (ABSTRACT_A, ABSTRACT_B, ABSTRACT_C), strict=True))
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert sorted((p.title, p.venue) for p in papers) == sorted(zip(titles, venues, strict=True))


def test_an_abstracts_last_line_that_is_a_bullet_stays_in_the_abstract(tmp_path: Path) -> None:
    abstract = f"{ABSTRACT_A} Our contributions are:\n• a new benchmark, a strong baseline and a failure taxonomy"
    page = f"Daily Papers\n\nJun 20\n\nPrompt Tuning from Task Descriptions\n\n{abstract}\n\n  • 4 authors\n·\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    [paper] = papers
    assert paper.abstract.endswith("a failure taxonomy") and (paper.authors, paper.author_count, paper.date) == ([], 4, "2025-06-15")


@pytest.mark.parametrize("above", ["7", "Submitted by akhaliq", "---"])
def test_a_line_right_above_a_title_right_above_its_abstract(tmp_path: Path, above: str) -> None:
    page = f"Daily Papers\n\nJun 20\n\n{above}\nPrompt Tuning from Task Descriptions\n{ABSTRACT_A}\n\n  • 4 authors\n·\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract) for p in papers] == [("Prompt Tuning from Task Descriptions", ABSTRACT_A)]


def test_one_zero_width_space_line_between_blocks_is_a_blank_line(tmp_path: Path) -> None:
    page = daily(("Prompt Tuning from Task Descriptions", ABSTRACT_A, "3 authors"),
                 ("Upcycled Mixture of Experts", ABSTRACT_B, "6 authors"))
    page = page.replace("Jun 15\n\nUpcycled", "Jun 15\n\u200b\nUpcycled")
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.author_count, p.date) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", 3, "2025-06-15"), ("Upcycled Mixture of Experts", 6, "2025-06-15")]


def test_unlabelled_abstracts_of_one_long_sentence_or_several_stay_papers(tmp_path: Path) -> None:
    one = ("We introduce a retrieval-augmented transformer that, by conditioning on passages retrieved from a datastore of "
           "two trillion tokens, matches models twenty-five times its size on knowledge-intensive tasks while its accuracy "
           "keeps improving as the datastore grows")
    several = "We present DINOv3, a model trained on 1.7B images from LVD-1689M. DINOv3 beats CLIP on dense tasks."
    page = f"Abstract: {ABSTRACT_A}\n\n{one}.\n\nAbstract: {ABSTRACT_B}\n\n{several}\n\nAbstract: {ABSTRACT_C}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, one + ".", ABSTRACT_B, several, ABSTRACT_C]


def test_a_title_about_copyright_is_no_copyright_line(tmp_path: Path) -> None:
    lines = ["Copyright Traps for Large Language Models", ABSTRACT_A, "Upcycled Mixture of Experts", ABSTRACT_B,
             "© 2025 Papers Index. All rights reserved."]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [p.title for p in papers] == [lines[0], lines[2]]


def test_a_results_date_between_its_title_and_abstract(tmp_path: Path) -> None:
    lines = ["Prompt Tuning from Task Descriptions", "Published on Mar 3, 2025", ABSTRACT_A,
             "Upcycled Mixture of Experts", "Published on Feb 27, 2025", ABSTRACT_B]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.date) for p in papers] == [(lines[0], "2025-03-03"), (lines[3], "2025-02-27")]


def test_names_under_a_snippet_are_a_title_not_the_authors_of_the_result_above(tmp_path: Path) -> None:
    snippet = "We propose a tiny recursive model that solves Sudoku and ARC puzzles with only seven million param…"
    lines = ["Prompt Tuning from Task Descriptions", ABSTRACT_A, "Tiny Recursive Reasoning", snippet,
             "Neural Radiance Fields, Gaussian Splatting", ABSTRACT_B, "Pretraining on Reanalysis", ABSTRACT_C]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.authors) for p in papers] == [(lines[i], []) for i in (0, 2, 4, 6)]


def test_search_results_set_apart_by_blank_lines_with_a_date_or_authors_in_each(tmp_path: Path) -> None:
    """Result cards: title, its details (a date, authors), abstract; the page's header and a result's links are the page's."""
    cards = [("Prompt Tuning from Task Descriptions", "Published on Sep 16, 2025", ABSTRACT_A),
             ("Upcycled Mixture of Experts", "Maria Garcia, Wei Zhang", ABSTRACT_B),
             ("Pretraining on Reanalysis", "Published on Jan 5, 2025", ABSTRACT_C)]
    page = "Showing 1-3 of 3 results\n\n" + "".join(f"{t}\n{d}\n{a}\nCited by 12  Related articles\n\n" for t, d, a in cards)
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract, p.date, p.authors) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, "2025-09-16", []),
        ("Upcycled Mixture of Experts", ABSTRACT_B, None, ["Maria Garcia", "Wei Zhang"]),
        ("Pretraining on Reanalysis", ABSTRACT_C, "2025-01-05", [])]
    assert sum("Cited by 12" in n.message for n in notices) == 3


def test_scholarly_search_and_papers_index_result_cards(tmp_path: Path) -> None:
    scholar = (
        "Articles\nAbout 1,230,000 results (0.05 sec)\n\n"
        f"Prompt tuning from task descriptions\nJ Ho, A Jain, P Abbeel - Advances in neural information …, 2020 - proceedings.neurips.cc\n"
        f"{ABSTRACT_A}\nCited by 21345 Related articles All 11 versions\n\n"
        f"[PDF] Upcycled mixture of experts\nJ Song, C Meng, S Ermon - arXiv preprint arXiv:2010.02502, 2020 - arxiv.org\n"
        f"{ABSTRACT_B}\nCited by 7120 Related articles All 6 versions\n\n"
        "[CITATION] Diffusion models: a survey\nL Yang, Z Zhang, Y Song… - ACM Computing …, 2023\nCited by 1990 Related articles\n"
    )
    report, papers, rejected, notices = read(tmp_path, scholar)
    assert report.reader == "search-results"
    assert [(p.title, p.authors, p.date, p.date_precision, p.venue, p.arxiv_id) for p in papers] == [
        ("Prompt tuning from task descriptions", ["J Ho", "A Jain", "P Abbeel"], "2020-01-01", "year", None, None),
        ("Upcycled mixture of experts", ["J Song", "C Meng", "S Ermon"], "2020-01-01", "year", "arXiv preprint", "2010.02502"),
        # A [CITATION] result: the paper, its authors (more of them than shown) and year, with no abstract.
        ("Diffusion models: a survey", ["L Yang", "Z Zhang", "Y Song"], "2023-01-01", "year", None, None)]
    assert rejected == [] and papers[2].abstract == "" and papers[2].author_count is None
    assert any("About 1,230,000 results" in n.message for n in notices)
    index = (
        'Search Results for "prompt tuning"\n\n'
        f"Prompt Tuning from Task Descriptions\nICLR 2022 · Edward J. Hu, Yelong Shen, Phillip Wallis\n{ABSTRACT_A}\n"
        "Ranked #1 on Mathematical Reasoning on GSM8K\n\n"
        f"Upcycled Mixture of Experts\nNeurIPS 2023 · Tim Dettmers, Artidoro Pagnoni\n{ABSTRACT_B}\n"
    )
    report, papers, rejected, _ = read(tmp_path, index, name="index.txt")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.venue, p.date, p.authors) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", "ICLR", "2022-01-01", ["Edward J. Hu", "Yelong Shen", "Phillip Wallis"]),
        ("Upcycled Mixture of Experts", "NeurIPS", "2023-01-01", ["Tim Dettmers", "Artidoro Pagnoni"])]


def test_search_results_a_line_each_with_authors_and_a_date_between_title_and_abstract(tmp_path: Path) -> None:
    lines = []
    for title, abstract, day in (("Prompt Tuning from Task Descriptions", ABSTRACT_A, "Jan 28, 2022"),
                                 ("Upcycled Mixture of Experts", ABSTRACT_B, "Mar 21, 2022"),
                                 ("Pretraining on Reanalysis", ABSTRACT_C, "May 17, 2023")):
        lines += [title, "Jason Wei, Xuezhi Wang, Dale Schuurmans et al. · 2022", f"Published on {day}", abstract]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.date) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", "2022-01-28"), ("Upcycled Mixture of Experts", "2022-03-21"),
        ("Pretraining on Reanalysis", "2023-05-17")]
    assert all(p.authors == ["Jason Wei", "Xuezhi Wang", "Dale Schuurmans"] for p in papers)


def test_result_cards_with_who_posted_the_paper_and_its_author_count_above_the_title(tmp_path: Path) -> None:
    page = "Trending Papers\nDaily\nWeekly\nMonthly\n\n" + "".join(
        f"Submitted by\n{user}\n· {count} authors\n{title}\n{abstract}\n{votes}\n\n"
        for user, count, title, abstract, votes in (("akhaliq", 41, "Prompt Tuning from Task Descriptions", ABSTRACT_A, 421),
                                                    ("nielsr", 7, "Upcycled Mixture of Experts", ABSTRACT_B, 96)))
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [
        ("Prompt Tuning from Task Descriptions", ABSTRACT_A, 41), ("Upcycled Mixture of Experts", ABSTRACT_B, 7)]


def test_a_topic_listing_with_a_line_of_authors_under_each_title(tmp_path: Path) -> None:
    papers_in = [("Prompt Tuning from Task Descriptions", "Patrick Lewis, Ethan Perez", ABSTRACT_A),
                 ("Upcycled Mixture of Experts", "Timo Schick, Jane Dwivedi-Yu, Roberto Dessì", ABSTRACT_B),
                 ("Pretraining on Reanalysis", "Garcia, M. and Zhang, W.", ABSTRACT_C)]
    page = " Retrieval-Augmented Generation\n\n\n" + "".join(
        f"{title}\n\n{names}\n\nNeural Information Processing Systems\n\n{abstract}\n\n\n" for title, names, abstract in papers_in)
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.abstract, p.venue) for p in papers] == [(t, a, "Neural Information Processing Systems") for t, _, a in papers_in]
    assert [p.authors for p in papers] == [["Patrick Lewis", "Ethan Perez"], ["Timo Schick", "Jane Dwivedi-Yu", "Roberto Dessì"],
                                           ["Garcia, M.", "Zhang, W."]]
    assert all(p.topic_hints == ["Retrieval-Augmented Generation"] for p in papers)


@pytest.mark.parametrize("label", ["Résumé :", "Resumen:", "Zusammenfassung:", "摘要：", "Аннотация:"])
def test_an_abstract_label_in_another_language(tmp_path: Path, label: str) -> None:
    page = f"Résumés des articles acceptés\n{label} {ABSTRACT_A}\n{label} {ABSTRACT_B}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [p.abstract for p in papers] == [ABSTRACT_A, ABSTRACT_B]


SD3 = ("Scaling Rectified Flow Transformers for High-Resolution Image Synthesis: An",
       "Empirical Study of Timestep Sampling, Text Encoders and Model Depth")


@pytest.mark.parametrize(
    "lines",
    [SD3, ("Self-Rewarding Language Models Trained with Direct Preference Optimization and", "Iterative Feedback"),
     ("Mixture-of-Depths: Dynamically Allocating Compute in Transformer-Based Language", "Models Under Budget Constraints")],
)
def test_a_title_wrapped_over_two_lines_right_above_its_abstract_keeps_both(tmp_path: Path, lines: tuple[str, str]) -> None:
    abstract = f"{ABSTRACT_A} {ABSTRACT_B}"
    page = "Daily Papers\n\nJun 20\n\n" + "\n".join([*lines, abstract]) + "\n\n  • 12 authors\n·\nJun 15\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [(" ".join(lines), abstract, 12)]


def test_a_short_first_line_of_a_wrapped_abstract_stays_the_abstracts(tmp_path: Path) -> None:
    """Under a wrapped abstract, the line under the title is the abstract's: its words are not a title's."""
    opening = "Large language models are trained on web text whose"
    abstract = f"{ABSTRACT_A} {ABSTRACT_B}"
    page = "Daily Papers\n\nJun 20\n\n" + "\n".join(["Quiet Tokens Speak Louder", opening, abstract]) + "\n\n  • 3 authors\n·\nJun 15\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == [("Quiet Tokens Speak Louder", f"{opening} {abstract}")]


WRAPPED_RESULTS = [
    ("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
     "We explore how generating a chain of thought, a series of intermediate reasoning steps, significantly improves "
     "the ability of large language models to perform complex reasoning (e.g. chain-of-thought prompting with a few "
     "demonstrations) across arithmetic, commonsense and symbolic reasoning tasks…"),
    ("Self-Consistency Improves Chain of Thought Reasoning in Language Models",
     "Chain-of-thought prompting combined with pre-trained large language models has achieved encouraging results on "
     "complex reasoning tasks. We propose a new decoding strategy, self-consistency, to replace the naive greedy "
     "decoding used in chain-of-thought prompting."),
    ("Toolformer: Language Models Can Teach Themselves to Use Tools in a Self-Supervised Way",
     "Language models exhibit remarkable abilities to solve new tasks from just a few examples or textual "
     "instructions, especially at scale. They also, paradoxically, struggle with basic functionality, such as "
     "arithmetic or factual lookup, where much simpler and smaller models excel…"),
]


@pytest.mark.parametrize("width", [90, 100])
def test_search_results_wrapped_at_a_fixed_width_are_read_a_result_each(tmp_path: Path, width: int) -> None:
    """Snippets copied from a terminal or a PDF: every line wrapped, no blank lines."""
    lines, starts = [], []
    for title, abstract in WRAPPED_RESULTS:
        starts.append(len(lines) + 1)
        lines += [title, *textwrap.wrap(abstract, width)]
    report, papers, rejected, _ = read(tmp_path, "\n".join(lines) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract, p.sources[0].line) for p in papers] == [
        (title, abstract, start) for (title, abstract), start in zip(WRAPPED_RESULTS, starts, strict=True)
    ]


def test_a_word_broken_at_its_hyphen_by_the_wrapping_is_joined_back(tmp_path: Path) -> None:
    page = (
        "Self-Consistency Improves Chain of Thought Reasoning in Language Models\n"
        "Chain-of-thought prompting combined with pre-trained large language models has achieved encouraging\n"
        "results on complex reasoning tasks. In this paper, we propose a new decoding strategy, self-\n"
        "consistency, to replace the naive greedy decoding used in chain-of-thought prompting. It first\n"
        "samples a diverse set of reasoning paths instead of only taking the greedy one -- and then selects\n"
        "the most consistent answer…\n"
        "Tree of Thoughts: Deliberate Problem Solving with Large Language Models\n"
        "Language models are increasingly being deployed for general problem solving across a wide range of\n"
        "tasks, but are still confined to token-level, left-to-right decision-making processes during\n"
        "inference. To surmount these challenges, we introduce a new framework…\n"
    )
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [p.sources[0].line for p in papers] == [1, 7]
    assert "strategy, self-consistency, to replace" in papers[0].abstract
    assert "greedy one -- and then selects the most" in papers[0].abstract
    assert "during inference." in papers[1].abstract


MISTRAL = ("Mistral 7B", "We introduce Mistral 7B v0.1, a 7-billion-parameter language model engineered for superior "
           "performance and efficiency. Mistral 7B outperforms Llama 2 13B across all evaluated benchmarks.")


def test_a_daily_page_copied_without_blank_lines_keeps_each_papers_authors_and_date(tmp_path: Path) -> None:
    page = (
        "Daily Papers\nbyAK and the research community\nJun 20\n"
        f"{MISTRAL[0]}\n{MISTRAL[1]}\n  • 5 authors\n·\nOct 10, 2023 15\n"
        f"Prompt Tuning From Descriptions\n{ABSTRACT_A}\n  • 3 authors\n·\nJun 15\n"
        f"Upcycled Mixtures of Experts\n{ABSTRACT_B}\n  • 7 authors\n·\nJun 14 2\n"
    )
    report, papers, rejected, _ = read(tmp_path, page, meta=SourceMeta())
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.abstract, p.author_count, p.date, p.upvotes, p.sources[0].line) for p in papers] == [
        (MISTRAL[0], MISTRAL[1], 5, "2023-10-10", 15, 4),
        ("Prompt Tuning From Descriptions", ABSTRACT_A, 3, "2024-06-15", None, 9),  # the page's year: after Oct 2023
        ("Upcycled Mixtures of Experts", ABSTRACT_B, 7, "2024-06-14", 2, 14),
    ]


@pytest.mark.parametrize("above", ["", "Hugging Face\n\n"])
def test_a_daily_page_header_without_blank_lines_keeps_the_page_date(tmp_path: Path, above: str) -> None:
    page = (
        f"{above}Daily Papers\nby AK and the research community\nJun 20\n\n"
        f"Prompt Tuning From Descriptions\n\n{ABSTRACT_A}\n\n  • 3 authors\n·\nJun 15\n\n"
        f"{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n  • 5 authors\n·\nOct 10, 2024\n"
    )
    _, papers, rejected, _ = read(tmp_path, page, meta=SourceMeta())
    assert rejected == []
    # "Jun 15" is before the page's "Jun 20", in the year after the newest printed year.
    assert [(p.title, p.date) for p in papers] == [("Prompt Tuning From Descriptions", "2025-06-15"), (MISTRAL[0], "2024-10-10")]


def test_a_line_of_names_without_a_bullet_above_the_date_is_the_papers_authors(tmp_path: Path) -> None:
    names = "Albert Q. Jiang, Alexandre Sablayrolles, Arthur Mensch"
    page = f"Daily Papers\n\nJun 20\n\n{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n{names}\n·\nOct 10, 2023\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.authors, p.author_count, p.date) for p in papers] == [
        (["Albert Q. Jiang", "Alexandre Sablayrolles", "Arthur Mensch"], 3, "2023-10-10"),
    ]


def test_an_author_count_whose_bullet_became_a_question_mark_is_read(tmp_path: Path) -> None:
    page = f"Daily Papers\n\nJun 20\n\n{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n  ? 5 authors\n·\nOct 10, 2023\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == [] and [(p.author_count, p.date) for p in papers] == [(5, "2023-10-10")]


@pytest.mark.parametrize("closing", ["Code: https://github.com/facebookresearch/DiT", "We release the model and the dataset."])
def test_a_short_closing_paragraph_of_a_daily_abstract_keeps_the_papers_authors_and_date(tmp_path: Path, closing: str) -> None:
    page = (
        f"Daily Papers\n\nJun 20\n\n{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n{closing}\n\n  • 5 authors\n·\nOct 10, 2023\n\n"
        f"Prompt Tuning From Descriptions\n\n{ABSTRACT_A}\n\n  • 3 authors\n·\nJun 15\n"
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract, p.author_count, p.date) for p in papers] == [
        (MISTRAL[0], f"{MISTRAL[1]} {closing}", 5, "2023-10-10"), ("Prompt Tuning From Descriptions", ABSTRACT_A, 3, "2025-06-15"),
    ]
    assert any("joined a paragraph with no title to the abstract above it" in n.message for n in notices)


def test_a_title_with_no_abstract_above_an_authors_block_is_a_paper_without_one(tmp_path: Path) -> None:
    page = (
        f"Daily Papers\n\nJun 20\n\n{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n  • 5 authors\n·\nOct 10, 2023\n\n"
        f"Prompt Tuning From Descriptions\n\n{ABSTRACT_A}\n\nUpcycled Mixtures of Experts\n\n  • 3 authors\n·\nJun 15\n"
        f"\nDo LLMs Dream of Electric Sheep?\n\nNo.\n\n  • 2 authors\n·\nJun 12\n"
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract, p.author_count, p.date) for p in papers] == [
        (MISTRAL[0], MISTRAL[1], 5, "2023-10-10"),
        ("Prompt Tuning From Descriptions", ABSTRACT_A, None, None),  # the block below is the next paper's
        ("Upcycled Mixtures of Experts", "", 3, "2025-06-15"),
        ("Do LLMs Dream of Electric Sheep?", "No.", 2, "2025-06-12"),  # a short answer is an abstract
    ]
    assert any("no abstract under this title" in n.message for n in notices)
    # A heading above the page's date is not a paper: it has no authors.
    _, papers, rejected, _ = read(tmp_path, "# Daily Papers\nJun 20\n\n" + page.split("\n\n", 2)[2])
    assert "# Daily Papers" not in [p.title for p in papers]


def test_a_code_link_under_a_topic_listings_abstract_is_its_last_paragraph(tmp_path: Path) -> None:
    page = topic_page(
        ("Scalable Diffusion Models with Transformers", "International Conference on Computer Vision", ABSTRACT_A),
        ("Upcycled Mixtures of Experts", "International Conference on Machine Learning", ABSTRACT_B),
    ).replace(ABSTRACT_A, f"{ABSTRACT_A}\n\nProject page: https://www.wpeebles.com/DiT")
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == [
        ("Scalable Diffusion Models with Transformers", f"{ABSTRACT_A} Project page: https://www.wpeebles.com/DiT"),
        ("Upcycled Mixtures of Experts", ABSTRACT_B),
    ]


def test_a_topic_listing_copied_without_blank_lines_is_read_paper_by_paper(tmp_path: Path) -> None:
    papers = [
        ("Proximal Policy Optimization Algorithms", "arXiv.org Machine Learning", ABSTRACT_A),
        ("Decision Transformer: Reinforcement Learning via Sequence Modeling", "Neural Information Processing Systems", ABSTRACT_B),
        ("Conservative Q-Learning for Offline Reinforcement Learning", "Neural Information Processing Systems", ABSTRACT_C),
    ]
    page = "Goto\nCollaborating Authors\n\u00a0Reinforcement Learning\n" + "".join(f"{t}\n{v}\n{a}\n" for t, v, a in papers)
    report, read_papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, p.abstract, p.topic_hints) for p in read_papers] == [
        (t, v, a, ["Reinforcement Learning"]) for t, v, a in papers
    ]


def test_search_results_with_a_date_line_under_each_title_stay_search_results(tmp_path: Path) -> None:
    """"Published on Jan 28, 2022" between a title and its abstract names a year, as a venue line can: it is a date."""
    page = "".join(
        f"{title}\nPublished on {day}\n{abstract}\n"
        for title, day, abstract in [("Prompt Tuning From Descriptions", "Jan 28, 2022", ABSTRACT_A),
                                     ("Upcycled Mixtures of Experts", "Mar 21, 2022", ABSTRACT_B),
                                     ("Weather Foundation Models", "May 17, 2023", ABSTRACT_C)]
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.date, p.venue) for p in papers] == [("2022-01-28", None), ("2022-03-21", None), ("2023-05-17", None)]


def test_titles_and_abstracts_each_a_paragraph_of_its_own_are_read(tmp_path: Path) -> None:
    pairs = [("Prompt Tuning From Descriptions", ABSTRACT_A), ("Upcycled Mixtures of Experts", ABSTRACT_B)]
    report, papers, rejected, _ = read(tmp_path, "\n\n".join(f"{t}\n\n{a}" for t, a in pairs) + "\n")
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract) for p in papers] == pairs


@pytest.mark.parametrize("count", [2, 3])
def test_a_topic_listing_with_one_word_venues_and_an_abstract_in_two_paragraphs(tmp_path: Path, count: int) -> None:
    second = ("As language models of protein sequences are scaled up, an atomic-resolution picture of protein structure "
              "emerges. We use it to predict the structures of 600 million metagenomic proteins.")
    papers = [
        ("Highly accurate protein structure prediction with AlphaFold", "Nature", ABSTRACT_A),
        ("Evolutionary-scale prediction of atomic-level protein structure", "Science", f"{ABSTRACT_B}\n\n{second}"),
        ("Scaling deep learning for materials discovery", "Nature", ABSTRACT_C),
    ][:count]
    page = "\u00a0AI for Science\n\n\n" + "\n\n\n".join(f"{t}\n\n{v}\n\n{a}" for t, v, a in papers) + "\n"
    report, read_papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, p.abstract) for p in read_papers] == [(t, v, a.replace("\n\n", " ")) for t, v, a in papers]


def test_a_scholar_results_link_to_a_copy_above_the_title_is_not_the_title(tmp_path: Path) -> None:
    page = (
        "[PDF] arxiv.org\nAuto-encoding variational bayes\nDP Kingma, M Welling - arXiv preprint arXiv:1312.6114, 2013 - arxiv.org\n"
        f"{ABSTRACT_A}\nCited by 38000 Related articles All 31 versions\n\n"
        "[HTML] nature.com\nHighly accurate protein structure prediction with AlphaFold\n"
        f"J Jumper, R Evans, A Pritzel, T Green… - Nature, 2021 - nature.com\n{ABSTRACT_B}\nCited by 30000 Related articles\n"
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.venue) for p in papers] == [
        ("Auto-encoding variational bayes", "arXiv preprint"), ("Highly accurate protein structure prediction with AlphaFold", "Nature"),
    ]
    assert any("'[PDF] arxiv.org': the result's link to a copy of the paper" in n.message for n in notices)


def test_an_arxiv_id_line_under_each_search_result_title_is_its_id(tmp_path: Path) -> None:
    results = [("QLoRA: Efficient Finetuning of Quantized LLMs", "2305.14314", ABSTRACT_A),
               ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", "2312.00752", ABSTRACT_B)]
    page = "Subscribe\n" + "".join(f"{t}\narXiv:{i}\n{a}\n" for t, i, a in results)
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.arxiv_id, p.abstract) for p in papers] == results


@pytest.mark.parametrize("marker", ["... (more)", "… [Read more]", "...(more)", ". Show more"])
def test_a_pages_more_link_at_the_end_of_a_cut_abstract_is_removed(tmp_path: Path, marker: str) -> None:
    cut = f"{ABSTRACT_A} {ABSTRACT_B}"[:262].rstrip()
    page = f"Prompt Tuning From Descriptions\n{cut}{marker}\nUpcycled Mixtures of Experts\n{ABSTRACT_B}\n"
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert papers[0].abstract == (cut + "." if marker == ". Show more" else cut) + "\u2026"
    assert any("'more' link at the end of the abstract" in n.message for n in notices)


def test_a_file_no_reader_recognises_says_how_to_name_its_kind(tmp_path: Path) -> None:
    _, papers, rejected, _ = read(tmp_path, "Just a note to myself.\nNothing here is a paper.\n", name="notes.txt")
    assert papers == [] and len(rejected) == 1
    assert rejected[0].reason.startswith("no reader recognised this file; tried: ")
    assert rejected[0].reason.endswith(
        "If it is one of these kinds, name it in sources.yml (notes.txt: {format: search-results}; one of arxiv-atom, "
        "arxiv-listing, dblp, reference-list, bibtex, yaml, abstracts, daily-papers, topic-listing, search-results, title-list)"
    )


def test_page_text_above_a_topic_listings_topic_is_not_called_its_topic(tmp_path: Path) -> None:
    page = "Skip to main content\n\nFilter by venue\n\n" + topic_page(
        ("Upcycled Mixtures of Experts", "NeurIPS 2024", ABSTRACT_B), ("Prompt Tuning From Descriptions", "NeurIPS 2024", ABSTRACT_A),
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == [] and all(p.topic_hints == ["Machine Learning for Science"] for p in papers)
    kept = [n.message for n in notices if "kept as a topic hint" in n.message]
    assert kept == ["listing topic 'Machine Learning for Science' kept as a topic hint"]


def test_upvotes_written_out_after_the_date_are_read(tmp_path: Path) -> None:
    page = f"Daily Papers\n\nJun 20\n\n{MISTRAL[0]}\n\n{MISTRAL[1]}\n\n  • 5 authors\n·\nOct 10, 2023 · 12 upvotes\n"
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == [] and [(p.date, p.upvotes) for p in papers] == [("2023-10-10", 12)]


def test_a_review_sites_keywords_and_tldr_lines_are_page_text(tmp_path: Path) -> None:
    """OpenReview prints "Keywords:" and "TL;DR:" between a paper's title and its abstract: neither is the title."""
    page = (
        "The Lottery Ticket Hypothesis\nKeywords: pruning, sparsity, initialization\n"
        "TL;DR: Dense networks contain sparse subnetworks that train well from the start.\n"
        f"Abstract: {ABSTRACT_A}\n\n"
        "Sharpness-Aware Minimization\nKeywords: generalization, loss landscape\n"
        "TL;DR: We minimize loss value and loss sharpness jointly.\n"
        f"Abstract: {ABSTRACT_B}\n"
    )
    _, papers, rejected, notices = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == [
        ("The Lottery Ticket Hypothesis", ABSTRACT_A), ("Sharpness-Aware Minimization", ABSTRACT_B),
    ]
    assert sum("Keywords: pruning" in n.message for n in notices) == 1


def test_snippets_cut_at_one_length_are_not_taken_for_wrapped_lines(tmp_path: Path) -> None:
    """A results page whose snippets are all cut at one length (150 characters) has long lines of one width too:
    each is followed by the next result's title, not by the rest of a sentence in lower case."""
    sentences = [ABSTRACT_A, ABSTRACT_B, ABSTRACT_C]
    titles = ["Prompt Tuning From Task Descriptions", "Upcycled Mixtures of Experts", "Weather Foundation Models at Scale",
              "Retrieval Helps and Hurts Open Question Answering", "Spectral Virtual Nodes for Graphs", "Diffusion Distillation"]
    snippets = [" ".join(sentences[(i + k) % 3] for k in range(3))[:150].rstrip() for i in range(len(titles))]
    snippets = [f"Result {n}. {text}"[:150].rstrip() for n, text in enumerate(snippets)]
    page = "".join(f"{title}\n{snippet}\n" for title, snippet in zip(titles, snippets, strict=True))
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract) for p in papers] == list(zip(titles, snippets, strict=True))


def test_a_daily_page_copied_without_blank_lines_under_the_sites_links(tmp_path: Path) -> None:
    page = (
        "Hugging Face\nModels\nDatasets\nDaily Papers\nby AK and the research community\nJun 20\n"
        f"{MISTRAL[0]}\n{MISTRAL[1]}\n  • 5 authors\n·\nOct 10, 2023 15\n"
        f"Prompt Tuning From Descriptions\n{ABSTRACT_A}\n  • 3 authors\n·\nJun 15\n"
    )
    report, papers, rejected, _ = read(tmp_path, page, meta=SourceMeta())
    assert (report.reader, rejected) == ("daily-papers", [])
    assert [(p.title, p.author_count, p.date) for p in papers] == [
        (MISTRAL[0], 5, "2023-10-10"), ("Prompt Tuning From Descriptions", 3, "2024-06-15"),
    ]


def test_results_with_no_blank_lines_and_a_line_about_each_paper_under_its_title(tmp_path: Path) -> None:
    page = (
        f"Google Scholar\nArticles\nAbout 3,410,000 results (0.06 sec)\n"
        f"Scaling Sparse Experts\nAna Ruiz, Bo Chen, Chidi Okafor · March 2024\n{ABSTRACT_A}\n"
        f"Cited by 120 Related articles All 7 versions\n"
        f"[CITATION] Prompt Tuning From Descriptions\nEJ Hu, Y Shen - ICLR, 2022\nSave Cite Cited by 12007 Related articles\n"
        f"Upcycled Mixtures of Experts\nDP Kingma, J Ba - arXiv preprint arXiv:1412.6980, 2014 - arxiv.org\n{ABSTRACT_B}\n"
        f"Save Cite Cited by 9120 Related articles\n"
        f"Ring Attention at Scale\nHao Liu¹, Matei Zaharia¹*, Pieter Abbeel² (¹UC Berkeley, ²Covariant) hao@berkeley.edu\n{ABSTRACT_C}\n"
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert report.reader == "search-results"
    assert [(p.title, p.abstract, p.authors, p.date, p.venue) for p in papers] == [
        ("Scaling Sparse Experts", ABSTRACT_A, ["Ana Ruiz", "Bo Chen", "Chidi Okafor"], "2024-03-01", None),
        ("Prompt Tuning From Descriptions", "", ["EJ Hu", "Y Shen"], "2022-01-01", "ICLR"),  # the [CITATION] result
        ("Upcycled Mixtures of Experts", ABSTRACT_B, ["DP Kingma", "J Ba"], "2014-01-01", "arXiv preprint"),
        ("Ring Attention at Scale", ABSTRACT_C, ["Hao Liu", "Matei Zaharia", "Pieter Abbeel"], None, None),
    ]
    assert papers[2].arxiv_id == "1412.6980"
    assert rejected == []


def test_a_line_about_the_paper_below_its_abstract_stays_that_papers(tmp_path: Path) -> None:
    page = "".join(
        f"{title}\n{abstract}\n{names} · 2025\n"
        for title, abstract, names in [
            ("Scaling Sparse Experts", ABSTRACT_A, "Maria Garcia, Wei Zhang"),
            ("Upcycled Mixtures of Experts", ABSTRACT_B, "Priya Nair, Jonas Berg, Tom Okafor"),
            ("Ring Attention at Scale", ABSTRACT_C, "Lena Fischer, Omar Haddad"),
        ]
    )
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.author_count) for p in papers] == [
        ("Scaling Sparse Experts", 2), ("Upcycled Mixtures of Experts", 3), ("Ring Attention at Scale", 2)
    ]


def test_markdown_bullets_and_a_lone_abstract_label_are_the_pages(tmp_path: Path) -> None:
    page = f"- Scaling Sparse Experts\n{ABSTRACT_A}\n* Upcycled Mixtures of Experts\n{ABSTRACT_B}\n"
    _, papers, _, _ = read(tmp_path, page)
    assert [p.title for p in papers] == ["Scaling Sparse Experts", "Upcycled Mixtures of Experts"]
    daily_page = (
        f"Daily Papers\n\nJun 20\n\nScaling Sparse Experts\n\nAbstract\n\n{ABSTRACT_A}\n\n  • 3 authors\n·\nJun 15\n\n"
        f"Upcycled Mixtures of Experts\n\nAbstract\n\n{ABSTRACT_B}\n\n  • 2 authors\n·\nJun 14\n"
    )
    _, papers, rejected, _ = read(tmp_path, daily_page)
    assert rejected == []
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [
        ("Scaling Sparse Experts", ABSTRACT_A, 3), ("Upcycled Mixtures of Experts", ABSTRACT_B, 2)
    ]


def test_titles_above_labelled_abstracts_are_kept(tmp_path: Path) -> None:
    page = (
        f"Scaling Sparse Experts\n\nAbstract: {ABSTRACT_A}\n\n"
        f"Upcycled Mixtures of Experts\nPublished: 16 Jan 2024, Last Modified: 21 Apr 2024\nAbstract: {ABSTRACT_B}\n\n"
        f"Ring Attention at Scale\n\nConference on Language Modeling\n\nAbstract: {ABSTRACT_C}\n"
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [(p.title, p.title_inferred, p.abstract, p.sources[0].line) for p in papers] == [
        ("Scaling Sparse Experts", False, ABSTRACT_A, 1),
        ("Upcycled Mixtures of Experts", False, ABSTRACT_B, 5),
        ("Ring Attention at Scale", False, ABSTRACT_C, 9),
    ]
    # A heading above the first abstract only is the page's, not a title.
    _, papers, _, _ = read(tmp_path, f"My saved abstracts\n\nAbstract: {ABSTRACT_A}\n\nAbstract: {ABSTRACT_B}\n")
    assert [p.title_inferred for p in papers] == [True, True]


def test_daily_papers_dates_counted_back_and_dates_that_are_no_day(tmp_path: Path) -> None:
    def entry(title: str, abstract: str, date: str) -> str:
        return f"{title}\n\n{abstract}\n\n• 3 authors\n\n·\n\n{date}\n\n"

    page = "Daily Papers\n\nApr 25, 2024\n\n" + entry("Scaling Sparse Experts", ABSTRACT_A, "3 days ago") + entry(
        "Upcycled Mixtures of Experts", ABSTRACT_B, "yesterday 5"
    ) + entry("Ring Attention at Scale", ABSTRACT_C, "Feb 30, 2024")
    _, papers, rejected, notices = read(tmp_path, page, meta=SourceMeta())
    assert rejected == []
    assert [(p.title, p.date, p.upvotes, p.author_count) for p in papers] == [
        ("Scaling Sparse Experts", "2024-04-22", None, 3),
        ("Upcycled Mixtures of Experts", "2024-04-24", 5, 3),
        ("Ring Attention at Scale", None, None, 3),
    ]
    assert any("'Feb 30, 2024'" in n.message for n in notices)


def test_a_bulleted_list_in_a_daily_papers_abstract_stays_in_it(tmp_path: Path) -> None:
    page = (
        "Daily Papers\n\nJun 20\n\nSmall Models, Big Reasoning\n\nWe present a recipe for small reasoning models. "
        "Our contributions are:\n\n• a data pipeline that filters 2M math problems;\n\n• a two-stage RL schedule;\n\n"
        f"• open weights for 1.5B and 7B models.\n\n• 6 authors\n\n·\n\nJun 18 9\n\nUpcycled Mixtures of Experts\n\n{ABSTRACT_B}\n\n"
        "• Ana Ruiz, Bo Chen\n\n·\n\nJun 17\n"
    )
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.author_count, p.date, p.authors) for p in papers] == [
        ("Small Models, Big Reasoning", 6, "2025-06-18", []),
        ("Upcycled Mixtures of Experts", 2, "2025-06-17", ["Ana Ruiz", "Bo Chen"]),
    ]
    assert papers[0].abstract.endswith("are: • a data pipeline that filters 2M math problems; • a two-stage RL schedule; "
                                       "• open weights for 1.5B and 7B models.")


def test_search_titles_cut_short_with_three_dots_are_titles(tmp_path: Path) -> None:
    cut = "Scaling Sparse Mixture-of-Experts Language Models to Trillions of..."
    page = f"{cut}\n{ABSTRACT_A}\nUpcycled Mixtures of Experts From Dense Checkpoints Without...\n{ABSTRACT_B}\n"
    page += f"Ring Attention at Scale\n{ABSTRACT_C}\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [p.title for p in papers] == [cut, "Upcycled Mixtures of Experts From Dense Checkpoints Without...",
                                         "Ring Attention at Scale"]


def test_a_date_and_authors_line_between_title_and_abstract_papers_with_code(tmp_path: Path) -> None:
    page = "".join(
        f"{title}\n\n{line}\n\n{abstract}\n\n\n"
        for title, line, abstract in [
            ("Scaling Sparse Experts", "19 Jan 2024 · Tianle Cai, Yuhong Li, Zhengyang Geng", ABSTRACT_A),
            ("Upcycled Mixtures of Experts", "3 Oct 2023 · Hao Liu, Matei Zaharia", ABSTRACT_B),
            ("Ring Attention at Scale", "12 Sep 2023 · Woosuk Kwon", ABSTRACT_C),
        ]
    )
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.title_inferred, p.abstract, p.date, p.author_count) for p in papers] == [
        ("Scaling Sparse Experts", False, ABSTRACT_A, "2024-01-19", 3),
        ("Upcycled Mixtures of Experts", False, ABSTRACT_B, "2023-10-03", 2),
        ("Ring Attention at Scale", False, ABSTRACT_C, "2023-09-12", 1),
    ]


def test_upvotes_printed_above_a_daily_papers_title_are_its_own(tmp_path: Path) -> None:
    page = (
        f"Daily Papers\n\nJun 20\n\nSubmitted by\nakhaliq\n\n12\n\nScaling Sparse Experts\n\n{ABSTRACT_A}\n\n• 3 authors\n·\nJun 15\n\n"
        f"Submitted by\nnielsr\n\n7\n\nUpcycled Mixtures of Experts\n\n{ABSTRACT_B}\n\n• 2 authors\n·\nJun 14\n\n3\n"
    )
    _, papers, rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.upvotes, p.author_count) for p in papers] == [
        ("Scaling Sparse Experts", 12, 3), ("Upcycled Mixtures of Experts", 7, 2)
    ]  # the "3" below the last paper, with no one who posted it above, is the page's


def test_semantic_scholar_cards_snippets_cut_short_and_summaries(tmp_path: Path) -> None:
    cut_a = " ".join(ABSTRACT_A.split()[:24])  # cut mid-sentence, no ellipsis
    page = (
        f"Scaling Sparse Experts\nTimo Schick, Jane Dwivedi-Yu, +3 authors\nNeural Information Processing Systems\n"
        f"9 February 2023\nTLDR\nThis paper shows that sparse experts scale better than dense models of equal cost.\n"
        f"{cut_a}\n1,523 Citations\nPDF\n\n"
        f"Upcycled Mixtures of Experts\nShunyu Yao, Jeffrey Zhao\n6 October 2022\n{ABSTRACT_B[:200].rstrip()}… Expand\n"
        "2,840 Citations\nPDF\n\n"
        "Ring Attention at Scale\nAlbert Gu, Tri Dao\n1 December 2023\nTLDR\n"
        "This work identifies that ring attention lets context grow with the number of devices, without approximations.\n"
        "Expand\n512\nPDF\n"
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.author_count, p.date) for p in papers] == [
        ("Scaling Sparse Experts", 5, "2023-02-09"), ("Upcycled Mixtures of Experts", 2, "2022-10-06"),
        ("Ring Attention at Scale", 2, "2023-12-01"),
    ]
    assert papers[0].abstract == cut_a  # the snippet, not the site's one-sentence summary above it
    assert papers[1].abstract == ABSTRACT_B[:200].rstrip() + "\u2026"  # "Expand" is the page's link
    assert papers[2].abstract.startswith("This work identifies")  # no snippet: the summary is all there is


def test_a_topic_listing_of_one_paper_keeps_its_venue(tmp_path: Path) -> None:
    page = "\u00a0Misc\n\n\nScaling Sparse Experts\n\nKnowledge Discovery and Data Mining\n\n" + ABSTRACT_A + "\n"
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue) for p in papers] == [("Scaling Sparse Experts", "Knowledge Discovery and Data Mining")]


@pytest.mark.parametrize("title", ["Machine Learning for Climate Records", "Data Mining for Climate Records"])
def test_a_title_with_a_venues_words_under_a_heading_stays_a_title(tmp_path: Path, title: str) -> None:
    """A listing whose papers print no venue: the first title is not a venue, nor the heading a title."""
    page = f"Climate\n\n{title}\n\n{ABSTRACT_A}\n\nUpcycled Mixtures of Experts\n\n{ABSTRACT_B}\n"
    _, papers, _, _ = read(tmp_path, page)
    assert [(p.title, p.venue, p.abstract) for p in papers] == [
        (title, None, ABSTRACT_A), ("Upcycled Mixtures of Experts", None, ABSTRACT_B)
    ]


@pytest.mark.parametrize("wrap", [0, 70], ids=["one-line-abstracts", "wrapped-abstracts"])
def test_a_topic_listing_that_prints_each_paper_as_one_paragraph(tmp_path: Path, wrap: int) -> None:
    """Title, venue and abstract lines with no blank line between them, a blank line between papers; a venue
    whose name reads like two people's ("Computer Vision and Pattern Recognition") is still the venue."""
    papers_in = [
        ("Prompt Tuning From Task Descriptions", "Neural Information Processing Systems", ABSTRACT_A),
        ("Upcycled Mixtures of Experts", "International Conference on Machine Learning", ABSTRACT_B),
        ("Weather Foundation Models at Scale", "Computer Vision and Pattern Recognition", ABSTRACT_C),
    ]
    page = "Efficient Training\n\n" + "".join(
        f"{title}\n{venue}\n{textwrap.fill(abstract, wrap) if wrap else abstract}\n\n" for title, venue, abstract in papers_in
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [(p.title, p.venue, p.abstract) for p in papers] == papers_in
    assert all(p.topic_hints == ["Efficient Training"] for p in papers)


def test_a_title_of_more_than_250_characters_is_a_title_in_a_topic_listing_and_search_results(tmp_path: Path) -> None:
    """One unfinished, title-cased sentence is a title however long: never prose glued to the abstract above."""
    assert len(LONG_TITLE) >= 250
    nips = "Neural Information Processing Systems"
    topic = topic_page(("Upcycling Dense Models", nips, ABSTRACT_B), (LONG_TITLE, "Transactions on Machine Learning Research", ABSTRACT_A))
    results = f"Papers matching your search for instruction tuning\n{LONG_TITLE}\n{ABSTRACT_A}\nUpcycling Dense Models\n{ABSTRACT_B}\n"
    for page, venue in ((topic, "Transactions on Machine Learning Research"), (results, None)):
        _, papers, rejected, _ = read(tmp_path, page)
        assert rejected == []
        by_title = {p.title: p for p in papers}
        assert set(by_title) == {LONG_TITLE, "Upcycling Dense Models"}
        assert (by_title[LONG_TITLE].abstract, by_title[LONG_TITLE].venue) == (ABSTRACT_A, venue)
        assert by_title["Upcycling Dense Models"].abstract == ABSTRACT_B


def test_a_topic_pages_description_under_its_heading_is_no_paper(tmp_path: Path) -> None:
    nips = "Neural Information Processing Systems"
    description = (
        "Geometric deep learning studies neural networks that respect the symmetries of their input domains, such as "
        "graphs and manifolds. It unifies convolutional, graph and equivariant architectures."
    )
    page = topic_page(("Upcycling Dense Models", nips, ABSTRACT_B), ("Prompt Initialisation", nips, ABSTRACT_A)).replace(
        "\u00a0Machine Learning for Science\n\n", f"\u00a0Geometric Deep Learning\n\n{description}\n\n", 1
    )
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [p.title for p in papers] == ["Upcycling Dense Models", "Prompt Initialisation"]
    assert all(p.topic_hints == ["Geometric Deep Learning"] for p in papers)
    assert any("topic's description" in n.message for n in notices)

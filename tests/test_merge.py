"""Finding the same paper in several records and merging them into one catalogue entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest import ingest_content
from generator.ingest.merge import find_duplicate_groups, find_duplicates, merge_records
from generator.model import Paper, Source

ABSTRACT = (
    "Coastal flooding depends on tides, rivers and storms that interact over hundreds of kilometres of shoreline. "
    "We model gauges and river mouths as nodes of a tidal graph network and learn how surges travel between them. "
    "The network forecasts water levels six hours ahead with half the error of hydrodynamic baselines."
)
OTHER = (
    "Household robots learn slowly from sparse rewards. We let people comment on a robot's attempts in plain "
    "language and turn each comment into a shaped reward. With ten minutes of feedback the robot learns "
    "table-setting tasks three times faster than with task rewards alone."
)


def paper(title: str, abstract: str = ABSTRACT, *, file: str = "a.txt", line: int = 1, **fields) -> Paper:
    return Paper(title=title, abstract=abstract, sources=[Source(file, line, "test")], **fields)


def merged(*papers: Paper) -> bool:
    """Whether all the given records end up in one group."""
    return len(find_duplicate_groups(list(papers))) == 1


@pytest.mark.parametrize(
    "variant",
    [
        "tidal graph networks for coastal flood forecasting",  # case
        "Tidal Graph Networks for Coastal Flood-Forecasting!",  # punctuation
        "Tidal  Graph Networks\tfor Coastal Flood Forecasting ",  # white space
        "Tidal Graph Network for Coastal Flood Forecasting",  # one letter less
        "Tidal Graph Networks for Costal Flood Forecasting",  # a typo
        "Tidal Graph Networks for Coastal Flood Forecastng",
    ],
)
def test_titles_that_differ_a_little_are_one_paper(variant: str) -> None:
    a = paper("Tidal Graph Networks for Coastal Flood Forecasting", file="a.txt")
    # The other copy of the abstract lost its middle sentence: no exact or prefix match, only the title decides.
    sentences = ABSTRACT.split(". ")
    b = paper(variant, ". ".join([sentences[0], sentences[2]]), file="b.txt")
    assert merged(a, b)
    assert not merged(paper("Unrelated Title About Household Robots", a.abstract), b)


def test_small_title_edit_with_a_different_abstract_is_two_papers() -> None:
    a = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT)
    b = paper("Tidal Graph Networks for Coastal Flood Forecasts", OTHER)
    assert not merged(a, b)


def test_identical_abstracts_are_one_paper_whatever_the_titles() -> None:
    a = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT)
    b = paper("TGN: Forecasting Floods on Coasts", ABSTRACT.replace("  ", " ").upper(), file="b.txt")
    assert merged(a, b)


def test_two_papers_under_one_title_with_abstracts_written_to_one_pattern_stay_two() -> None:
    frame = ("Recent progress in {} has been driven by {}, yet current approaches scale poorly with the number of {}. "
             "To address this, we develop {}, an approach in which {} are trained jointly with {}. Extensive evaluation "
             "on {} demonstrates that it is both faster and more accurate than prior work.")
    a = paper("Learning to Plan with Latent World Models", frame.format(
        "safe policy improvement", "successor features", "trajectories", "Paxox", "successor features", "a critic", "ProcGen"))
    b = paper("Learning to Plan with Latent World Models", frame.format(
        "dexterous manipulation", "diffusion policies", "demonstrations", "Halfal", "diffusion policies", "a world model",
        "RLBench"), file="b.txt")
    groups, possible = find_duplicates([a, b])
    assert len(groups) == 2 and [(d.first, d.second) for d in possible] == [(0, 1)]  # reported for a curator
    assert merged(a, paper(a.title, a.abstract.replace("Extensive evaluation", "An evaluation"), file="c.txt"))  # an edit


def test_the_merged_title_is_the_one_written_in_mixed_case() -> None:
    lower = paper("feas: a benchmark for continual reinforcement learning", file="a.txt")
    cased = paper("FEAS: A Benchmark for Continual Reinforcement Learning", file="b.txt")
    assert merge_records([lower, cased]).title == "FEAS: A Benchmark for Continual Reinforcement Learning"
    assert merge_records([cased, lower]).title == "FEAS: A Benchmark for Continual Reinforcement Learning"


def test_a_listings_stand_in_abstract_does_not_make_different_papers_one() -> None:
    stand_in = "No abstract is available for this paper. Please see the publisher's page for the full text."
    titles = ["Tidal Graph Networks for Coastal Flood Forecasting", "Learning Table Setting from Comments", "Sparse Routing"]
    assert len(find_duplicate_groups([paper(t, stand_in, line=n) for n, t in enumerate(titles, 1)][:2])) == 2  # a placeholder
    shared = OTHER + " Code is released."  # one text under three titles: the listing's, not a paper's
    assert len(find_duplicate_groups([paper(t, shared, line=n) for n, t in enumerate(titles, 1)])) == 3


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Scaling Laws for Sparse Mixture-of-Experts, Part 1", "Scaling Laws for Sparse Mixture-of-Experts, Part 2"),
        ("Benchmarking Code Models on HumanEval-2", "Benchmarking Code Models on HumanEval-3"),
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", "Llama 3: Open Foundation and Fine-Tuned Chat Models"),
        ("DeiT II: Revenge of the Vision Transformer", "DeiT III: Revenge of the Vision Transformer"),
        ("Learning to Reason with Large Language Models: Part I", "Learning to Reason with Large Language Models: Part II"),
    ],
)
def test_numbered_titles_are_different_papers(first: str, second: str) -> None:
    # Short abstracts say nothing against a merge: only the numbers keep these apart.
    assert not merged(paper(first, "Part of a series."), paper(second, "Part of a series, continued.", file="b.txt"))


def test_short_titles_only_merge_when_equal() -> None:
    assert not merged(paper("Deep Sets", "One."), paper("Deep Nets", "Two.", file="b.txt"))
    assert merged(paper("Deep Sets", "One."), paper("deep sets", "Two.", file="b.txt"))


def test_truncated_abstract_copy_is_the_same_paper() -> None:
    full = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT, file="search.txt")
    cut = ABSTRACT[:160].rsplit(" ", 1)[0]
    # An abstract-only listing of the same paper, cut off mid-sentence, with a title made from the abstract.
    copy = paper("Coastal flooding depends on tides", cut, file="abstracts.txt", title_inferred=True)
    assert merged(full, copy)
    result = merge_records([copy, full])
    assert result.title == "Tidal Graph Networks for Coastal Flood Forecasting"
    assert result.title_inferred is False
    assert result.abstract == ABSTRACT  # the longest abstract wins


def test_a_snippet_of_stock_opening_sentences_under_another_title_is_another_paper() -> None:
    opening = ("Large language models (LLMs) have demonstrated remarkable capabilities in natural language understanding "
               "and generation across a wide range of tasks. However, ")
    full = paper("EntityCheck: Verifying Long-Tail Facts in LLM Outputs", opening + "they hallucinate facts about long-tail "
                 "entities. We propose EntityCheck, a retrieval-based verifier.", file="search.txt")
    snippet = paper("PromptShield: Defending LLM Agents Against Indirect Prompt Injection", opening + "…", file="search.txt", line=3)
    groups, possible = find_duplicates([full, snippet])
    assert len(groups) == 2 and [(d.first, d.second) for d in possible] == [(1, 0)]  # kept, and shown to a curator
    assert merged(full, paper("EntityCheck: Verifying Long-Tail Facts in LLM", snippet.abstract, file="daily.txt"))


def test_a_stock_opening_under_a_title_much_like_another_is_another_paper() -> None:
    """Titles of one subfield share most of their letters; only a snippet that says more than the opening is a copy."""
    opening = ("Large language models (LLMs) have achieved remarkable performance across a wide range of natural language "
               "understanding and reasoning tasks…")
    full = paper("Efficient Fine-Tuning of Large Language Models with Sparse Experts", opening[:-1] + " " + ABSTRACT, file="daily.txt")
    for title in ("Efficient Fine-Tuning of Large Language Models with Adaptive Experts",  # 0.91 alike
                  "Memory-Efficient Training of Large Language Models with Gradient Checkpointing"):  # 0.70 alike
        groups, possible = find_duplicates([full, paper(title, opening, file="search.txt")])
        assert len(groups) == 2 and len(possible) == 1, title
    # The same title but a word, or a copy long enough to be the paper's own: one paper.
    assert merged(full, paper("Efficient Fine-Tuning of Large Language Models With Sparse Expert", opening, file="search.txt"))
    long_copy = full.abstract[:300] + "…"
    assert merged(full, paper("Memory-Efficient Fine-Tuning of Large Language Models with Sparse Experts", long_copy, file="s.txt"))


def test_chinese_abstracts_of_a_few_dozen_characters_are_whole_abstracts() -> None:
    first = paper("面向多模态大语言模型的视觉指令微调数据集构建方法研究",
                  "本文提出一种自动构建视觉指令微调数据的方法，利用开源模型生成并筛选问答对，共得到六十万条高质量样本。实验表明该数据集能显著提升模型在八个基准上的表现。")
    second = paper("面向多模态大语言模型的视觉指令微调数据集评估方法研究",
                   "我们提出一个评估视觉指令数据质量的框架，从多样性、正确性和难度三个维度打分，"
                   "并发现现有数据集中约三成样本存在错误答案。", file="b.txt")
    assert not merged(first, second)


def test_inferred_titles_alone_never_merge_papers() -> None:
    a = paper("We study robots", OTHER, title_inferred=True)
    b = paper("We study robots", ABSTRACT, file="b.txt", title_inferred=True)
    assert not merged(a, b)


def test_merge_keeps_every_field_and_every_source() -> None:
    search = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT[:200], file="001.txt", line=7)
    topic = paper("Tidal graph networks for coastal flood forecasting", ABSTRACT, file="000.txt", line=15,
                  venue="Neural Information Processing Systems", topic_hints=["Forecasting"])
    daily = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT, file="002.txt", line=40,
                  date="2024-06-09", date_precision="day", author_count=3, upvotes=2, topic_hints=["Climate"])
    yearly = paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT, file="009.yml", line=1,
                   date="2024-01-01", date_precision="year", authors=["Ana Ruiz", "Bo Chen", "Chidi Okafor"], upvotes=5)
    result = merge_records([search, topic, daily, yearly])
    assert result.title == "Tidal graph networks for coastal flood forecasting"  # from the first source in order
    assert result.date == "2024-06-09" and result.date_precision == "day"  # the most precise date
    assert result.venue == "Neural Information Processing Systems"
    assert result.authors == ["Ana Ruiz", "Bo Chen", "Chidi Okafor"] and result.author_count == 3
    assert result.upvotes == 5
    assert result.topic_hints == ["Forecasting", "Climate"]
    assert [(s.file, s.line) for s in result.sources] == [("000.txt", 15), ("001.txt", 7), ("002.txt", 40), ("009.yml", 1)]
    result.validate()


def test_groups_are_in_input_order_and_cover_every_record() -> None:
    records = [
        paper("Tidal Graph Networks for Coastal Flood Forecasting", ABSTRACT, line=1),
        paper("Reward Shaping with Language Feedback for Household Robots", OTHER, line=2),
        paper("Tidal graph networks for coastal flood forecasting", ABSTRACT, line=3),
    ]
    assert find_duplicate_groups(records) == [[0, 2], [1]]


FIXTURES = Path(__file__).parent / "fixtures" / "listings"


def test_one_paper_in_three_listings_becomes_one_entry(tmp_path: Path) -> None:
    """The same paper in a search-results page (no date), a topic listing (venue) and a Daily Papers page (date)."""
    abstract = (
        "Offline reinforcement learning inherits the mistakes of the policies that collected its data. We repair such "
        "policies by stitching together the good segments of logged trajectories and training on the stitched paths. "
        "Policy repair recovers most of the return lost to poor data collection on standard offline benchmarks."
    )
    (tmp_path / "a_search.txt").write_text(
        "Subscribe\nOffline policy repair with trajectory stitching\n" + abstract[:230] + "\n"
        + "Another Paper About Something Else Entirely\nThis abstract is about something else entirely and is long enough to read as one.\n"
    )
    shutil_copy = (FIXTURES / "topic_invented.txt").read_text()
    (tmp_path / "b_topic.txt").write_text(shutil_copy)
    (tmp_path / "c_daily.txt").write_text(
        "Daily Papers\n\nMar 5\n\nOffline Policy Repair with Trajectory Stitching\n\n" + abstract
        + "\n\n  • 4 authors\n·\nFeb 2, 2024 3\n"
    )
    result = ingest_content(tmp_path)
    assert result.reconciles()
    assert (result.records, len(result.papers), result.merged, len(result.rejected)) == (5, 3, 2, 0)
    repaired = next(p for p in result.papers if "stitching" in p.title.lower())
    assert repaired.title == "Offline policy repair with trajectory stitching"
    assert repaired.venue == "International Conference on Learning Representations"
    assert repaired.date == "2024-02-02" and repaired.upvotes == 3 and repaired.author_count == 4
    assert repaired.topic_hints == ["Reinforcement Learning"]
    assert repaired.abstract == abstract
    assert [(s.file, s.reader) for s in repaired.sources] == [
        ("a_search.txt", "search-results"), ("b_topic.txt", "topic-listing"), ("c_daily.txt", "daily-papers")
    ]
    assert sorted(result.merged_into[repaired.id]) == ["b_topic.txt:8", "c_daily.txt:5"]


def test_a_printed_year_wins_over_one_inferred_from_the_page(tmp_path: Path) -> None:
    """One page gives no year (inferred from an older paper's year), another prints it: the printed one is kept."""
    entry = "Tidal Graph Networks for Coastal Flood Forecasting\n\n" + ABSTRACT + "\n\n  • 6 authors\n·\nJul 18 90\n"
    older = "\n\nHousehold Robots Learning from Comments\n\n" + OTHER + "\n\n  • 4 authors\n·\nJun 1, 2021\n"
    (tmp_path / "a_guessed.txt").write_text("Daily Papers\n\nAug 2\n\n" + entry + older)
    (tmp_path / "b_printed.txt").write_text("Daily Papers\n\nJul 20, 2023\n\n" + entry)
    result = ingest_content(tmp_path)
    assert result.reconciles() and result.merged == 1
    tidal = next(p for p in result.papers if p.title.startswith("Tidal"))
    assert (tidal.date, tidal.date_inferred) == ("2023-07-18", False)
    robots = next(p for p in result.papers if p.title.startswith("Household"))
    assert (robots.date, robots.date_inferred) == ("2021-06-01", False)  # its year is printed


def test_a_year_inferred_from_the_page_is_said_so_in_the_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Daily Papers\n\nAug 2\n\nTidal Graph Networks for Coastal Flood Forecasting\n\n" + ABSTRACT
        + "\n\n  • 6 authors\n·\nJul 18 90\n\nHousehold Robots Learning from Comments\n\n" + OTHER
        + "\n\n  • 4 authors\n·\nJun 1, 2021\n"
    )
    result = ingest_content(tmp_path)
    tidal = next(p for p in result.papers if p.title.startswith("Tidal"))
    assert (tidal.date, tidal.date_inferred) == ("2022-07-18", True)
    (tmp_path / "sources.yml").write_text("a.txt: {captured: 2023-08-02}\n")
    tidal = next(p for p in ingest_content(tmp_path).papers if p.title.startswith("Tidal"))
    assert (tidal.date, tidal.date_inferred) == ("2023-07-18", False)  # the curator's capture date is no guess


def test_a_title_the_page_cut_short_gives_way_to_the_whole_one() -> None:
    cut = paper("Tidal Graph Networks for Coastal Flood …", file="a.txt")
    whole = paper("Tidal Graph Networks for Coastal Flood Forecasting", file="b.txt")
    assert merged(cut, whole)
    assert merge_records([cut, whole]).title == "Tidal Graph Networks for Coastal Flood Forecasting"


def test_one_abstract_under_two_arxiv_ids_is_two_papers_and_reported() -> None:
    """A listing that copied one paper's abstract under its sequel: arXiv tells them apart, so both stay."""
    first = paper("Tidal Graph Networks for Coastal Flood Forecasting", arxiv_id="2401.01234")
    sequel = paper("Tidal Graph Networks II: Estuaries", file="b.txt", arxiv_id="2409.04321")
    copy = paper("Tidal graph networks for coastal flood forecasting", file="c.txt")  # no id: the first's copy
    groups, possible = find_duplicates([first, sequel, copy])
    assert groups == [[0, 2], [1]]
    assert [(p.first, p.second) for p in possible] == [(0, 1)]
    assert "arXiv ids 2401.01234 and 2409.04321" in possible[0].reason


def test_a_record_without_an_id_joins_one_of_two_arxiv_papers_never_both() -> None:
    """The same abstract under two ids and once without one: the one without joins the first, the ids stay apart."""
    a = paper("Tidal Graph Networks", arxiv_id="2401.01234")
    b = paper("Tidal Graph Networks for Estuaries", file="b.txt", arxiv_id="2409.04321")
    c = paper("Tidal graph networks", file="c.txt")
    groups = find_duplicate_groups([c, a, b])
    assert sorted(map(sorted, groups)) == [[0, 1], [2]]


def test_merged_authors_are_the_fullest_names_listed() -> None:
    """A scholarly search's "L Navarro" and an arXiv list's "Lucía Navarro": the full names, whichever came first."""
    scholar = paper("Certified Machine Unlearning via Noisy Fine-Tuning", file="a.txt", authors=["L Navarro", "T Jung"])
    arxiv = paper("Certified Machine Unlearning via Noisy Fine-Tuning", file="b.txt", authors=["Lucía Navarro", "Tae-hoon Jung"])
    assert merge_records([scholar, arxiv]).authors == merge_records([arxiv, scholar]).authors == ["Lucía Navarro", "Tae-hoon Jung"]

"""arXiv's own search-results and list pages, copied from the browser as text.

Each entry starts with its ``arXiv:ID`` line; a search result prints its categories and title
unlabelled above ``Authors:`` and ``Abstract:``, a list prints its title (with or without
``Title:``), a line of authors, ``Comments:`` / ``Subjects:`` and the abstract as a paragraph of its
own. Every entry must come out as the paper it is: title, authors, abstract, date, arXiv id,
categories; and the page's own lines around them skipped with a notice, never read as a paper.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.ingest import ingest_content, read_listing
from generator.readers import SourceMeta

ABSTRACT_A = (
    "We present a family of diffusion models built on transformer backbones that scale to megapixel resolution. "
    "Our approach replaces the U-Net with a patch-based transformer and achieves state-of-the-art FID on ImageNet."
)
ABSTRACT_B = (
    "Sampling from diffusion models is slow. We distil a latent diffusion model into a consistency model that "
    "needs only four steps, with little loss in quality."
)
ABSTRACT_C = (
    "Diffusion for discrete text remains hard. We revisit masked diffusion with transformer denoisers and show "
    "they match autoregressive perplexity at 1B parameters."
)

SEARCH_PAGE = f"""\
Showing 1–3 of 1,234 results for all: diffusion transformers
Search v0.5.6 released 2020-02-24

Sort results by
Announcement date (newest first)

    arXiv:2412.01234  [pdf, other]
    cs.CV cs.LG
    Scalable Diffusion Transformers for High-Resolution Image Synthesis
    Authors: Maria Garcia, Wei Zhang, John Smith
    Abstract: {ABSTRACT_A[:80]}… ▽ More
    Submitted 2 December, 2024; originally announced December 2024.
    Comments: 15 pages, 9 figures

    arXiv:2411.09876v2  [pdf, ps, other]
    cs.LG
    Efficient Sampling for Latent Diffusion with Consistency Distillation
    Authors: Ana Lopez, Kenji Tanaka
    Abstract: {ABSTRACT_B} △ Less
    Submitted 14 November, 2024; v1 submitted 10 November, 2024; originally announced November 2024.
    Journal ref: CVPR 2025

    arXiv:hep-th/9901001  [pdf]
    hep-th
    Text Diffusion Transformers Revisited
    Authors: Lee Min
    Abstract: {ABSTRACT_C}
    Submitted 7 January, 1999; originally announced January 1999.

About
Help
"""

LIST_PAGE = f"""\
Machine Learning
Authors and titles for new submissions

New submissions (showing 2 of 2 entries)

[1] arXiv:2412.01234 [pdf, html, other]
Title: Scalable Diffusion Transformers for High-Resolution Image Synthesis
Maria Garcia, Wei Zhang, John Smith
Comments: 15 pages, 9 figures
Subjects: Computer Vision and Pattern Recognition (cs.CV); Machine Learning (cs.LG)

{ABSTRACT_A}

[2] arXiv:2411.09876 [pdf, other]
Title: Efficient Sampling for Latent Diffusion with Consistency Distillation
Ana Lopez, Kenji Tanaka
Journal-ref: CVPR 2025
Subjects: Machine Learning (cs.LG)

{ABSTRACT_B}

Cross submissions (showing 1 of 1 entries)

[3] arXiv:2410.05555 (cross-list from cs.CL) [pdf, html, other]
Title: Text Diffusion Transformers Revisited
Lee Min
Subjects: Computation and Language (cs.CL)

{ABSTRACT_C}

Total of 3 entries
Which authors of this paper are endorsers? | Disable MathJax (What is MathJax?)
"""


def read(tmp_path: Path, text: str, name: str = "arxiv.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report, papers, rejected, notices = read_listing(path, name, SourceMeta())
    assert report.records == len(papers) + len(rejected)
    return report, papers, rejected, notices


def test_a_search_results_page_gives_every_entry_with_its_fields(tmp_path: Path) -> None:
    report, papers, rejected, notices = read(tmp_path, SEARCH_PAGE)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    by_id = {p.arxiv_id: p for p in papers}
    assert sorted(by_id) == ["2411.09876", "2412.01234", "hep-th/9901001"]
    first = by_id["2412.01234"]
    assert first.title == "Scalable Diffusion Transformers for High-Resolution Image Synthesis"
    assert first.authors == ["Maria Garcia", "Wei Zhang", "John Smith"]
    assert first.abstract == ABSTRACT_A[:80] + "…"  # the page's "▽ More" is not the paper's
    assert (first.date, first.date_precision, first.topic_hints) == ("2024-12-02", "day", ["cs.CV", "cs.LG"])
    assert first.url == "https://arxiv.org/abs/2412.01234"
    second = by_id["2411.09876"]
    assert (second.abstract, second.venue) == (ABSTRACT_B, "CVPR 2025")
    assert second.date == "2024-11-10"  # the first version's day, not the latest one's
    third = by_id["hep-th/9901001"]
    assert (third.title, third.authors, third.date, third.topic_hints) == (
        "Text Diffusion Transformers Revisited", ["Lee Min"], "1999-01-07", ["hep-th"]
    )
    skipped = " ".join(n.message for n in notices)
    assert "Showing 1–3 of 1,234 results" in skipped and "Sort results by" in skipped


def test_a_list_of_new_submissions_gives_every_entry_with_its_fields(tmp_path: Path) -> None:
    report, papers, rejected, notices = read(tmp_path, LIST_PAGE)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    assert [(p.arxiv_id, p.title, p.abstract) for p in papers] == [
        ("2412.01234", "Scalable Diffusion Transformers for High-Resolution Image Synthesis", ABSTRACT_A),
        ("2411.09876", "Efficient Sampling for Latent Diffusion with Consistency Distillation", ABSTRACT_B),
        ("2410.05555", "Text Diffusion Transformers Revisited", ABSTRACT_C),
    ]
    assert [p.authors for p in papers] == [["Maria Garcia", "Wei Zhang", "John Smith"], ["Ana Lopez", "Kenji Tanaka"], ["Lee Min"]]
    # A list prints no dates: the id's year and month date the paper.
    assert [(p.date, p.date_precision) for p in papers] == [("2024-12-01", "month"), ("2024-11-01", "month"), ("2024-10-01", "month")]
    assert [p.topic_hints for p in papers] == [["cs.CV", "cs.LG"], ["cs.LG"], ["cs.CL"]]
    assert papers[1].venue == "CVPR 2025"
    skipped = " ".join(n.message for n in notices)
    for text in ("Cross submissions (showing 1 of 1 entries)", "Total of 3 entries", "Which authors of this paper"):
        assert text in skipped


def test_a_list_without_labels_or_abstracts(tmp_path: Path) -> None:
    """A list of recent submissions, its labels hidden as the page shows them: titles and authors, no abstracts."""
    page = textwrap.dedent("""\
        Computation and Language
        Authors and titles for recent submissions

        [1] arXiv:2412.01234 [pdf, html, other]
        Scalable Diffusion Transformers for High-Resolution Image Synthesis
        Maria Garcia, Wei Zhang, John Smith
        Subjects: Computer Vision and Pattern Recognition (cs.CV)
        [2] arXiv:2411.09876 [pdf, other]
        Efficient Sampling for Latent Diffusion with Consistency Distillation
        Ana Lopez and Kenji Tanaka
        Comments: 12 pages
        Subjects: Machine Learning (cs.LG)
        """)
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    assert [(p.title, p.authors, p.abstract) for p in papers] == [
        ("Scalable Diffusion Transformers for High-Resolution Image Synthesis", ["Maria Garcia", "Wei Zhang", "John Smith"], ""),
        ("Efficient Sampling for Latent Diffusion with Consistency Distillation", ["Ana Lopez", "Kenji Tanaka"], ""),
    ]


def test_a_recent_lists_day_headings_are_the_pages_not_an_abstract(tmp_path: Path) -> None:
    """arXiv's /recent list heads each day's entries with the day and a count; the entries have no abstracts."""
    page = textwrap.dedent("""\
        Machine Learning
        Authors and titles for recent submissions
            Fri, 29 Nov 2024
            Thu, 28 Nov 2024
        Total of 312 entries : 1-50 51-100
        Fri, 29 Nov 2024 (showing 2 of 120 entries )

        [1] arXiv:2411.19001 [pdf, html, other]
        Title: Scalable Diffusion Transformers for High-Resolution Image Synthesis
        Maria Garcia, Wei Zhang
        Subjects: Computer Vision and Pattern Recognition (cs.CV)

        [2] arXiv:2411.19002 [pdf, other]
        Title: Efficient Sampling for Latent Diffusion with Consistency Distillation
        Ana Lopez
        Subjects: Machine Learning (cs.LG)

        Thu, 28 Nov 2024 (showing 1 of 110 entries )

        [3] arXiv:2411.18003 [pdf, html, other]
        Title: Text Diffusion Transformers Revisited
        Lee Min
        Subjects: Computation and Language (cs.CL)
        """)
    report, papers, rejected, notices = read(tmp_path, page)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    assert [(p.arxiv_id, p.abstract) for p in papers] == [("2411.19001", ""), ("2411.19002", ""), ("2411.18003", "")]
    assert "Thu, 28 Nov 2024 (showing 1 of 110 entries )" in " ".join(n.message for n in notices)


def test_an_abstract_shown_whole_after_its_start_keeps_the_whole(tmp_path: Path) -> None:
    page = (
        "arXiv:2412.01234 [pdf, other]\ncs.CV\nScalable Diffusion Transformers\nAuthors: Maria Garcia, Wei Zhang\n"
        f"Abstract: {ABSTRACT_A[:60]}… ▽ More\n{ABSTRACT_A} △ Less\nSubmitted 2 December, 2024; originally announced December 2024.\n"
    )
    _, [paper], rejected, _ = read(tmp_path, page)
    assert (paper.abstract, rejected) == (ABSTRACT_A, [])


def test_a_wrapped_title_and_an_id_line_split_over_lines(tmp_path: Path) -> None:
    page = (
        "arXiv:2412.01234\n[pdf, other]\ncs.CV cs.LG\nScalable Diffusion Transformers for High-Resolution\nImage Synthesis\n"
        f"Authors: Maria Garcia,\nWei Zhang\nAbstract: {ABSTRACT_A}\nSubmitted 2 December, 2024; originally announced December 2024.\n"
    )
    _, [paper], rejected, _ = read(tmp_path, page)
    assert rejected == []
    assert (paper.title, paper.authors, paper.abstract) == (
        "Scalable Diffusion Transformers for High-Resolution Image Synthesis", ["Maria Garcia", "Wei Zhang"], ABSTRACT_A
    )


def test_an_entry_cut_off_after_its_id_is_rejected_with_its_line(tmp_path: Path) -> None:
    page = LIST_PAGE.replace("Total of 3 entries", "[4] arXiv:2409.00001 [pdf]\n\nTotal of 4 entries")
    _, papers, rejected, notices = read(tmp_path, page)
    assert len(papers) == 3
    [reject] = rejected
    assert (reject.line, reject.reason) == (LIST_PAGE.split("\n").index("Total of 3 entries") + 1, "arXiv entry 2409.00001 with no title")
    assert "Which authors of this paper are endorsers?" in " ".join(n.message for n in notices)


def test_scraped_text_in_an_entry_stays_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> [link](http://x) {{ 7*7 }} $O(n^2)$"
    page = f"arXiv:2412.01234 [pdf]\nTitle: {hostile}\nMaria Garcia, Wei Zhang\nSubjects: Machine Learning (cs.LG)\n\n{ABSTRACT_A}\n"
    _, [paper], _, _ = read(tmp_path, page)
    assert paper.title == hostile


def test_the_same_paper_on_an_arxiv_page_and_a_search_page_is_one_paper(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "arxiv.txt").write_text(LIST_PAGE, encoding="utf-8")
    (content / "results.txt").write_text(
        "Scalable Diffusion Transformers for High-Resolution Image Synthesis\n" + ABSTRACT_A + "\n"
        "Some Other Paper About Retrieval\n" + ABSTRACT_B.replace("diffusion", "retrieval") + "\n",
        encoding="utf-8",
    )
    result = ingest_content(content)
    assert (len(result.papers), result.merged) == (4, 1)
    [merged] = [p for p in result.papers if len(p.sources) == 2]
    assert (merged.arxiv_id, merged.authors) == ("2412.01234", ["Maria Garcia", "Wei Zhang", "John Smith"])


def test_a_page_that_only_mentions_arxiv_ids_is_not_an_arxiv_page(tmp_path: Path) -> None:
    """A search result whose abstract cites an id mid-line is still read by the search-results reader."""
    page = (
        "Scalable Diffusion Transformers\n" + ABSTRACT_A + " See arXiv:2301.00001 for details.\n"
        "Efficient Sampling for Latent Diffusion\n" + ABSTRACT_B + "\n"
    )
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, len(papers), rejected) == ("search-results", 2, [])


def test_ids_printed_under_their_titles_are_not_read_as_entries_that_start_with_them(tmp_path: Path) -> None:
    """Where an id line follows its paper's title, reading entries from it would give each paper the next one's title."""
    page = (
        f"Scalable Diffusion Transformers\narXiv:2412.01234\nAbstract: {ABSTRACT_A}\n\n"
        f"Efficient Sampling for Latent Diffusion\narXiv:2411.09876\nAbstract: {ABSTRACT_B}\n"
    )
    report, _, _, _ = read(tmp_path, page)
    assert report.reader != "arxiv-listing"


def test_a_lists_footer_is_never_the_last_entrys_abstract(tmp_path: Path) -> None:
    page = textwrap.dedent("""\
        Replacement submissions (showing 2 of 2 entries)
        [7]  arXiv:2501.10916 (replaced) [pdf, html, other]
        Title: Efficient Sampling for Latent Diffusion with Consistency Distillation
        Authors: Ana Lopez, Kenji Tanaka
        Subjects: Machine Learning (cs.LG)
        [8]  arXiv:2401.13547 (replaced) [pdf, html, other]
        Title: Text Diffusion Transformers Revisited
        Authors: Lee Min
        Subjects: Machine Learning (cs.LG)

        Total of 8 entries

        About
        Help
        contact arXiv
        subscribe to arXiv mailings
        Copyright
        Privacy Policy
        """)
    report, papers, rejected, _ = read(tmp_path, page)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    assert [(p.arxiv_id, p.abstract) for p in papers] == [("2501.10916", ""), ("2401.13547", "")]


MAILING = r"""Received: from arxiv.org
Subject: cs daily Subj-class mailing 100 1
Date: Fri, 3 Nov 2023 20:00:04 -0400

------------------------------------------------------------------------------
Send any comments regarding submissions directly to submitter.
------------------------------------------------------------------------------
Archives at http://arxiv.org/
To unsubscribe, e-mail To: cs@arXiv.org, Subject: cancel
------------------------------------------------------------------------------
 Submissions to:
Computation and Language
 received from  Wed  1 Nov 23 18:00:00 GMT  to  Thu  2 Nov 23 18:00:00 GMT
------------------------------------------------------------------------------
------------------------------------------------------------------------------
\\
arXiv:2311.00871
Date: Wed, 1 Nov 2023 22:13:04 GMT   (1203kb,D)

Title: Learning to Compose Tools: Planning with Language Models over Large
  Action Spaces
Authors: Maria Keller (MIT), Juan P\'erez, and Li Wei ((1) ETH, (2) EPFL)
Categories: cs.CL cs.AI
Comments: 14 pages, 5 figures
License: http://creativecommons.org/licenses/by/4.0/
\\
  Large language models can call external tools, but choosing among thousands
of tools remains hard. We propose a planner that composes tool calls by
searching over a learned action graph.
\\ ( https://arxiv.org/abs/2311.00871 ,  1203kb)
------------------------------------------------------------------------------
\\
arXiv:2311.00902
Date: Thu, 2 Nov 2023 01:40:11 GMT   (845kb)

Title: Sparse Mixture-of-Experts Are Efficient Few-Shot Learners
Authors: Tom Anders, Priya Raman, Omar
  Farouk
Categories: cs.LG
Journal-ref: Transactions on Machine Learning Research, 2023
\\
  We show that sparse mixture-of-experts models, fine-tuned with a handful of
examples, match dense models ten times their cost.
\\ ( https://arxiv.org/abs/2311.00902 ,  845kb)
------------------------------------------------------------------------------
%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%
\\
arXiv:2303.12345
replaced with revised version Thu, 2 Nov 2023 12:00:00 GMT   (500kb)

Title: Old Paper Revised
Authors: Bob Smith
Categories: cs.LG
\\ ( https://arxiv.org/abs/2303.12345 ,  500kb)
------------------------------------------------------------------------------
"""


def test_the_daily_mailing_gives_every_entry_with_its_fields(tmp_path: Path) -> None:
    report, papers, rejected, notices = read(tmp_path, MAILING)
    assert (report.reader, rejected) == ("arxiv-listing", [])
    by_id = {p.arxiv_id: p for p in papers}
    assert sorted(by_id) == ["2303.12345", "2311.00871", "2311.00902"]
    first = by_id["2311.00871"]
    assert first.title == "Learning to Compose Tools: Planning with Language Models over Large Action Spaces"
    assert first.authors == ["Maria Keller", "Juan Pérez", "Li Wei"]  # no "and", no affiliations, the accent read
    assert first.abstract.startswith("Large language models can call external tools, but choosing among thousands of tools")
    assert first.abstract.endswith("over a learned action graph.")  # the closing link is not the abstract's
    assert (first.date, first.date_precision, first.topic_hints) == ("2023-11-01", "day", ["cs.CL", "cs.AI"])
    second = by_id["2311.00902"]
    assert (second.venue, second.date) == ("Transactions on Machine Learning Research, 2023", "2023-11-02")
    assert second.authors == ["Tom Anders", "Priya Raman", "Omar Farouk"]  # the line wrapped inside a name
    replaced = by_id["2303.12345"]  # a replacement: no abstract, and the day it was revised is not its date
    assert (replaced.title, replaced.abstract, replaced.date, replaced.date_precision) == ("Old Paper Revised", "", "2023-03-01", "month")
    skipped = " ".join(n.message for n in notices)
    assert "Send any comments" in skipped and "Subject: cs daily" in skipped

"""Pages copied the way browsers copy them: buttons, headers and link rows among the papers.

Select-all in a browser, a reader view or a mobile layout puts a page's buttons ("View PDF",
"[PDF] | Cite | Save", "Add to collection") and the reader view's header between the papers.
None of it is a paper, and none of it may take a paper's title, authors or date.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_fixtures import ABSTRACTS, TITLES, read_page


def test_daily_papers_card_buttons_are_no_paper_and_take_no_papers_date(tmp_path: Path) -> None:
    page = "Daily Papers\n\nMar 4\n"
    for title, abstract, (authors, day) in zip(TITLES, ABSTRACTS, [(3, "Feb 11"), (6, "Mar 2"), (4, "Mar 1")], strict=True):
        page += f"\n{title}\n\n{abstract}\n\nView arXiv page\nView PDF\nAdd to collection\n\n  • {authors} authors\n·\n{day}\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted(p.title for p in papers) == sorted(TITLES)
    first = next(p for p in papers if p.title == TITLES[0])
    assert (first.author_count, first.date) == (3, "2026-02-11")
    assert not rejected


@pytest.mark.parametrize("buttons", ["[PDF] | Cite | Save", "[PDF]  Cite  Save", "PDF\nCite\nSave\nRelated articles"])
def test_a_row_of_buttons_under_each_abstract_is_the_pages(tmp_path: Path, buttons: str) -> None:
    page = "Goto\n\nCollaborating Authors\n\n Graph Neural Networks\n\n"
    venues = ["International Conference on Machine Learning", "Nature Machine Intelligence", "Neural Information Processing Systems"]
    for title, venue, abstract in zip(TITLES, venues, ABSTRACTS, strict=True):
        page += f"\n{title}\n\n{venue}\n\n{abstract}\n\n{buttons}\n\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted((p.title, p.venue) for p in papers) == sorted(zip(TITLES, venues, strict=True))
    assert not rejected


def test_a_button_row_under_each_labelled_abstract_is_no_title(tmp_path: Path) -> None:
    page = "".join(f"Abstract: {abstract}\n[PDF]  Cite  Save\n" for abstract in ABSTRACTS)
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert len(papers) == 3 and not rejected
    assert all("Cite" not in p.title for p in papers)
    assert sorted(p.abstract for p in papers) == sorted(ABSTRACTS)


def test_a_reader_views_header_is_no_paper(tmp_path: Path) -> None:
    page = "huggingface.co\n\nDaily Papers - Hugging Face\n\n6–8 minutes\n"
    for title, abstract in zip(TITLES[:2], ABSTRACTS[:2], strict=True):
        page += f"\n{title}\n\n{abstract}\n\n  • 3 authors\n·\nFeb 11, 2026 4\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted(p.title for p in papers) == sorted(TITLES[:2])
    assert not rejected


def test_a_scholar_line_ending_in_its_sites_name_stays_the_results_authors(tmp_path: Path) -> None:
    page = (
        "[PDF] arxiv.org\nMedCLIP-R: Report-Supervised Representation Learning with Hard Negative Mining\n"
        "A Dvořák, Y Tanaka - arXiv preprint arXiv:2405.11872, 2024 - arxiv.org\n"
        f"{ABSTRACTS[0]} …\nSave Cite Cited by 19 Related articles All 3 versions\n\n"
        f"{TITLES[1]}\nM Ono, K Lee - NeurIPS, 2023 - neurips.cc\n{ABSTRACTS[1]} …\nSave Cite Cited by 4\n"
    )
    _, papers, _, _ = read_page(tmp_path, page)
    first = next(p for p in papers if p.title.startswith("MedCLIP-R"))
    assert first.authors == ["A Dvořák", "Y Tanaka"] and first.arxiv_id == "2405.11872"


def test_a_scholar_results_publisher_is_not_part_of_its_venue(tmp_path: Path) -> None:
    """ "- Neurocomputing, 2023 - Elsevier": the journal and year, then the publisher the result links to."""
    page = (
        f"{TITLES[0]}\nW Zhang, O Petrova - Neurocomputing, 2023 - Elsevier\n{ABSTRACTS[0]}\nCited by 12 Related articles\n\n"
        f"{TITLES[1]}\nA Souza, J Weiß - Machine Learning, 2022 - Springer\n{ABSTRACTS[1]}\nCited by 3\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.venue, p.date) for p in papers] == [("Neurocomputing", "2023-01-01"), ("Machine Learning", "2022-01-01")]


def test_a_scholar_alerts_header_buttons_and_foot_are_no_paper(tmp_path: Path) -> None:
    """A Google Scholar alert e-mail saved as text: the results as the web page prints them, between the alert's lines."""
    page = 'Scholar Alert: [ "graph networks" ]\n\n'
    for title, abstract in zip(TITLES[:2], ABSTRACTS[:2], strict=True):
        page += f"{title}\nW Zhang, O Petrova - arXiv preprint, 2024\n{abstract[:150]} …\n\nSave Twitter LinkedIn Facebook\n\n"
    page += (
        "This message was sent by Google Scholar because you're following new results for [ \"graph networks\" ].\n\n"
        "List alerts\n\nCancel alert\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted(p.title for p in papers) == sorted(TITLES[:2])
    assert not rejected  # the alert's foot is the e-mail's, not a paper's text without a title


def test_a_cookie_banner_above_the_page_is_no_paper(tmp_path: Path) -> None:
    page = (
        "We use cookies to improve your experience. By clicking “Accept”, you agree to our use of cookies.\n"
        f"Accept\nReject\n\nDaily Papers\n\nMar 4\n\n{TITLES[0]}\n\n{ABSTRACTS[0]}\n\n  • 3 authors\n·\nFeb 11\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert [p.title for p in papers] == [TITLES[0]] and not rejected


def test_an_anthology_volume_pipes_between_authors_and_entries_without_abstracts(tmp_path: Path) -> None:
    page = (
        "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics\n\n"
        "pdf bib\nProceedings of the 62nd Annual Meeting of the Association for Computational Linguistics\n"
        "Lun-Wei Ku | Andre Martins | Vivek Srikumar\n\n"
        f"pdf bib abs\n{TITLES[0]}\nNgozi Iyer | Björn Nowak | Maria Oliveira\n{ABSTRACTS[0]}\n\n"
        f"pdf bib abs\n{TITLES[1]}\nDiego Chen | Ana Costa\n\n"
        f"pdf bib abs\n{TITLES[2]}\nMei Schmidt | Yuki López | Omar Gülçehre\n{ABSTRACTS[2]}\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert [r.reason for r in rejected] == ["a volume of proceedings (its front matter), not a paper"]
    by_title = {p.title: p for p in papers}
    assert set(by_title) == set(TITLES)
    assert by_title[TITLES[0]].authors == ["Ngozi Iyer", "Björn Nowak", "Maria Oliveira"]
    assert (by_title[TITLES[1]].authors, by_title[TITLES[1]].abstract) == (["Diego Chen", "Ana Costa"], "")


def test_a_result_without_abstract_needs_its_authors_to_be_a_paper(tmp_path: Path) -> None:
    page = (
        f"{TITLES[0]}\nA Ruiz, B Chen - NeurIPS, 2023 - neurips.cc\n{ABSTRACTS[0]} …\n\n"
        f"{TITLES[1]}\nA Ruiz, B Chen - ICML, 2024 - proceedings.mlr.press\n{ABSTRACTS[1]} …\n\n"
        "NeurIPS\n2 December 2025\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted(p.title for p in papers) == sorted(TITLES[:2])
    assert [r.line for r in rejected] == [9]  # a venue and a date: no title, no authors


def test_semantic_scholar_fields_of_study_are_no_authors_and_plus_n_authors_counts_the_last(tmp_path: Path) -> None:
    page = "Semantic Scholar\n\n"
    for title, abstract, names in zip(
        TITLES[:2], ABSTRACTS[:2], ["Wei Zhang, Olga Petrova, +3 authors, Fatima Al-Sayed", "Ana Souza, Jonas Weiß"], strict=True
    ):
        page += f"{title}\n{names}\nComputer Science, Chemistry\nArXiv\n10 June 2023\n{abstract} … Expand\n\n"
    _, papers, _, _ = read_page(tmp_path, page)
    by_title = {p.title: p for p in papers}
    assert by_title[TITLES[0]].authors == ["Wei Zhang", "Olga Petrova", "Fatima Al-Sayed"]
    assert by_title[TITLES[0]].author_count == 6
    assert by_title[TITLES[1]].authors == ["Ana Souza", "Jonas Weiß"]


def test_papers_with_code_tabs_and_leaderboard_lines_are_the_pages(tmp_path: Path) -> None:
    page = "Semantic Segmentation\n\nMost implemented papers\n\nMost implemented Social Latest No code\n\n"
    for title, abstract in zip(TITLES, ABSTRACTS, strict=True):
        page += f"{title}\n\n25 Jun 2024 · Oliver Park, Xiaoyu Wang\n\n{abstract}\n\n"
        page += "Ranked #1 on Semantic Segmentation on ADE20K\n\nAdd Code\n\n"
    _, papers, _, _ = read_page(tmp_path, page)
    assert not {p.title for p in papers} & {"Most implemented papers", "Add Code", "Ranked #1 on Semantic Segmentation on ADE20K"}
    assert set(TITLES) <= {p.title for p in papers}


@pytest.mark.parametrize("button", ["▲\n", "", "▲ "], ids=["arrow-line", "no-arrow", "arrow-and-count"])
def test_the_upvotes_under_who_posted_a_paper_are_its_own(tmp_path: Path, button: str) -> None:
    """ "Submitted by akhaliq" / "▲" / "42" / the title: the page's header right above its date, no blank lines."""
    page = "Daily Papers\nMar 4\n"
    for title, abstract, votes in zip(TITLES[:2], ABSTRACTS[:2], (42, 7), strict=True):
        page += f"\nSubmitted by akhaliq\n{button}{votes}\n{title}\n\n{abstract}\n\n  • 3 authors\n·\nMar 2\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.upvotes, p.date) for p in papers] == [(TITLES[0], 42, "2026-03-02"), (TITLES[1], 7, "2026-03-02")]


def test_a_scholar_results_doubled_link_tags_are_no_title(tmp_path: Path) -> None:
    """Scholar prints "[HTML][HTML] sciencedirect.com" beside a result, and "[CITATION][C]" before a title."""
    page = (
        f"[HTML][HTML] sciencedirect.com\n{TITLES[0]}\nW Zhang, O Petrova - Neurocomputing, 2023 - Elsevier\n{ABSTRACTS[0]}\n"
        "Save Cite Cited by 12\n\n"
        f"[PDF] arxiv.org\n{TITLES[1]}\nA Souza, J Weiß - arXiv preprint, 2022 - arxiv.org\n{ABSTRACTS[1]}\nSave Cite\n\n"
        f"[CITATION][C] {TITLES[2]}\nO Park - CVPR, 2021\n{ABSTRACTS[2]}\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [p.title for p in papers] == TITLES


def test_a_results_rank_above_its_title_is_not_the_title(tmp_path: Path) -> None:
    page = "".join(f"{rank}\n{title}\n{abstract}\n\n" for rank, title, abstract in zip(["1.", "[2]", "#3"], TITLES, ABSTRACTS, strict=True))
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.abstract) for p in papers] == list(zip(TITLES, ABSTRACTS, strict=True))


def test_a_result_card_with_a_dozen_authors_keeps_them(tmp_path: Path) -> None:
    """A line of eleven names is as long as a snippet, but names: the paper's authors, not its abstract."""
    many = ", ".join(f"{first} {last}" for first, last in zip(
        ["Ravi", "Raphaël", "Wei", "Priya", "Kateřina", "Sofía", "Elif", "Farah", "Jonas", "Björn", "Michael"],
        ["García", "Bianchi", "Jansen", "Nakamura", "Sørensen", "Weber", "Sato", "Horváth", "Moreau", "Becker", "Okafor"],
        strict=True,
    ))
    assert len(many) >= 150
    authors = ["Ana Souza, Jonas Weiß", many, "Oliver Park, Mei Chen"]
    page = "".join(
        f"{title}\n{names}\nPublished: 2024-03-0{n + 1}\n{abstract}\n\n"
        for n, (title, names, abstract) in enumerate(zip(TITLES, authors, ABSTRACTS, strict=True))
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.author_count) for p in papers] == [(TITLES[0], 2), (TITLES[1], 11), (TITLES[2], 2)]


def test_a_cards_source_line_gives_its_venue_and_year(tmp_path: Path) -> None:
    """ "Pattern Recognition · 2023 · 14 citations": the journal, its year and a count, under the card's authors."""
    page = "".join(
        f"{title}\nAna Souza, Jonas Weiß\n{source}\n{abstract}\n\n"
        for title, source, abstract in zip(
            TITLES,
            ["Pattern Recognition · 2023 · 14 citations", "Journal of Machine Learning Research · 2022 · 3 citations",
             "2021 · 1 citation"],
            ABSTRACTS,
            strict=True,
        )
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.venue, p.date, p.authors) for p in papers] == [
        ("Pattern Recognition", "2023-01-01", ["Ana Souza", "Jonas Weiß"]),
        ("Journal of Machine Learning Research", "2022-01-01", ["Ana Souza", "Jonas Weiß"]),
        (None, "2021-01-01", ["Ana Souza", "Jonas Weiß"]),
    ]


@pytest.mark.parametrize("buttons", ["pdf bib abs", "pdf\nbib\nabs"], ids=["one-line", "a-line-each"])
def test_an_anthology_volumes_entries_without_abstracts_are_each_a_paper_with_their_own_authors(
    tmp_path: Path, buttons: str
) -> None:
    """The last entry has no abstract: it is a paper of its own, and its authors never go to the entry above."""
    authors = ["Omar Haddad | Ana Ruíz", "Kenji Tanaka | Lena Becker", "Dmitri Novák | Chidi Okafor | Ewa Kowalski"]
    page = (
        f"{buttons}\n{TITLES[0]}\n{authors[0]}\n{ABSTRACTS[0]}\n"
        f"{buttons}\n{TITLES[1]}\n{authors[1]}\n{ABSTRACTS[1]}\n"
        f"{buttons}\nGrokking Beyond Modular Arithmetic\n{authors[2]}\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.authors, bool(p.abstract)) for p in papers] == [
        (TITLES[0], ["Omar Haddad", "Ana Ruíz"], True),
        (TITLES[1], ["Kenji Tanaka", "Lena Becker"], True),
        ("Grokking Beyond Modular Arithmetic", ["Dmitri Novák", "Chidi Okafor", "Ewa Kowalski"], False),
    ]


def test_an_anthology_volumes_export_links_are_no_paper(tmp_path: Path) -> None:
    page = (
        "Anthology ID:\n2024.acl-long\nMonth:\nAugust\nBib Export formats:\nBibTeX\nMODS XML\nEndNote\n"
        f"pdf bib abs\n{TITLES[0]}\nOmar Haddad | Ana Ruíz\n{ABSTRACTS[0]}\n"
        f"pdf bib abs\n{TITLES[1]}\nKenji Tanaka | Lena Becker\n{ABSTRACTS[1]}\n"
    )
    _, papers, _, _ = read_page(tmp_path, page)
    assert [p.title for p in papers] == TITLES[:2]


def test_a_search_sites_header_menu_and_tagline_are_no_paper(tmp_path: Path) -> None:
    """Semantic Scholar's tagline and Papers with Code's menu above the results, copied with them."""
    cards = "".join(f"{title}\nAna Souza, Jonas Weiß\nArXiv\n12 April 2023\n{abstract}\n113 Citations\nPDF\n\n"
                    for title, abstract in zip(TITLES, ABSTRACTS, strict=True))
    for header in (
        "Semantic Scholar\nSearch 231,458,925 papers from all fields of science\nSearch\nSign In\nCreate Free Account\n"
        'About 18,400 results for "sparse experts"\nFields of Study\nHas PDF\nSort by Relevance\n',
        "Papers With Code\nBrowse State-of-the-Art\nDatasets\nMethods\nMore\n\nSearch results for: sparse experts\n\n7 results\n\n",
    ):
        _, papers, rejected, _ = read_page(tmp_path, header + cards)
        assert [p.title for p in papers] == TITLES and not rejected, header


def test_a_result_whose_abstract_is_the_sites_placeholder_is_a_paper_without_one(tmp_path: Path) -> None:
    page = (
        f"{TITLES[0]}\nAna Souza, Jonas Weiß\nPublished: 2024-12-02\n{ABSTRACTS[0]}\nView PDF\n\n"
        f"{TITLES[1]}\nOliver Park, Mei Chen\nPublished: 2024-11-02\nNo abstract available.\nView PDF\n\n"
        f"{TITLES[2]}\nWei Zhang, Olga Petrova\nPublished: 2024-10-02\n{ABSTRACTS[2]}\nView PDF\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.abstract, p.date) for p in papers] == [
        (TITLES[0], ABSTRACTS[0], "2024-12-02"), (TITLES[1], "", "2024-11-02"), (TITLES[2], ABSTRACTS[2], "2024-10-02"),
    ]


def test_a_scholar_author_list_cut_short_leaves_the_count_unknown(tmp_path: Path) -> None:
    page = (
        f"{TITLES[0]}\nA Chen, W Zhang, M Li, O Haddad… - The Thirteenth International Conference on Learning …, 2025 - openreview.net\n"
        f"{ABSTRACTS[0]} …\nCited by 4\n\n"
        f"{TITLES[1]}\nO Haddad, A Ruíz - Advances in Neural Information Processing Systems, 2024 - neurips.cc\n{ABSTRACTS[1]} …\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.authors, p.author_count) for p in papers] == [
        (["A Chen", "W Zhang", "M Li", "O Haddad"], None),  # four names shown, more left out
        (["O Haddad", "A Ruíz"], 2),
    ]


def test_a_semantic_scholar_cards_venue_line_is_its_venue(tmp_path: Path) -> None:
    venues = [
        "Neural Information Processing Systems", "International Conference on Machine Learning", "Computer Vision and Pattern Recognition"
    ]
    page = "".join(
        f"{title}\nAna Souza, Jonas Weiß, +2 authors\nComputer Science\n{venue}\n12 April 2023\n{abstract[:150]}… Expand\n"
        "113 Citations\nPDF\n\n"
        for title, venue, abstract in zip(TITLES, venues, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.venue, p.author_count) for p in papers] == [(venue, 4) for venue in venues]


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["details-under-title", "each-a-paragraph"])
def test_papers_with_code_search_results_with_blank_lines_around_the_abstract(tmp_path: Path, gap: str) -> None:
    """Title, "1 code implementation • NeurIPS 2023 • names", a blank line, the abstract, then the task tags."""
    details = [
        "1 code implementation • NeurIPS 2023 • Ana Souza, Jonas Weiß",
        "2 code implementations • 5 Feb 2024 • Oliver Park, Mei Chen, Wei Zhang",
        "no code implementations • 14 Aug 2023 • Olga Petrova, Fatima Al-Sayed",
    ]
    page = 'Search Results for "routing"\n\n' + "".join(
        f"{title}{gap}{line}\n\n{abstract}\n\nGraph Regression Node Classification\n\n 212\nPaper\nCode\n\n"
        for title, line, abstract in zip(TITLES, details, ABSTRACTS, strict=True)
    )
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert (report.reader, rejected) == ("search-results", [])
    assert [(p.title, p.abstract, p.date, p.author_count) for p in papers] == [
        (TITLES[0], ABSTRACTS[0], "2023-01-01", 2), (TITLES[1], ABSTRACTS[1], "2024-02-05", 3), (TITLES[2], ABSTRACTS[2], "2023-08-14", 2),
    ]
    assert papers[0].venue == "NeurIPS"


def test_authors_a_name_between_middle_dots_and_cut_short_with_an_ellipsis(tmp_path: Path) -> None:
    """ResearchGate-like cards: "Sabine Roth · Ji-yeon Park · Ayodele Akinola", and "A · B · [...] · Z"."""
    lines = ["Sabine Roth · Ji-yeon Park · Ayodele Akinola", "Anton Lindgren · Priyanka Das · [...] · Min Zhao", "Petra Lindner"]
    page = 'Results for "routing"\n' + "".join(
        f"Preprint\nFull-text available\n{title}\n{names}\n{abstract}\nDownload\nShare\n"
        for title, names, abstract in zip(TITLES, lines, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.authors, p.author_count) for p in papers] == [
        (TITLES[0], ["Sabine Roth", "Ji-yeon Park", "Ayodele Akinola"], 3),
        (TITLES[1], ["Anton Lindgren", "Priyanka Das", "Min Zhao"], None),  # more authors than the names shown
        (TITLES[2], ["Petra Lindner"], 1),
    ]


def test_a_research_networks_cards_month_and_venue_lines_are_no_titles(tmp_path: Path) -> None:
    """ "Preprint" / "Full-text available" / title / "December 2023" / "· International Conference …" / authors."""
    page = 'Results for "routing"\n' + "".join(
        f"Preprint\nFull-text available\n{title}\n{month}\n{venue}Ana Souza · Jonas Weiß\n{abstract}\nDownload\nShare\n"
        for title, month, venue, abstract in zip(
            TITLES, ["December 2023", "September 2023", "February 2024"],
            ["", "· International Conference on Machine Learning\n", ""], ABSTRACTS, strict=True,
        )
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.date, p.date_precision, p.venue) for p in papers] == [
        (TITLES[0], "2023-12-01", "month", None),
        (TITLES[1], "2023-09-01", "month", "International Conference on Machine Learning"),
        (TITLES[2], "2024-02-01", "month", None),
    ]


def test_semantic_scholar_results_copied_without_blank_lines_and_its_footer(tmp_path: Path) -> None:
    """Title / authors / field of study / venue / day / TLDR and its summary (or a snippet ending "…Expand") /
    buttons, result after result; then the site's footer, whose blurb is no paper."""
    page = 'About 3,840 results for "routing"\nSort by Relevance\n'
    for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True)):
        summary = f"TLDR\n{abstract}\nExpand" if n < 2 else f"{abstract[:150]}…Expand"
        page += f"{title}\nAna Souza, Jonas Weiß\nComputer Science\nNeural Information Processing Systems\n2{n} March 2024\n{summary}\n"
        page += "14\nPDF\nSave\nAlert\nCite\nResearch Feed\n"
    page += "Stay Connected With Semantic Scholar\nSign Up\nWhat Is Semantic Scholar?\n"
    page += "Semantic Scholar is a free, AI-powered research tool for scientific literature, based at Ai2.\nLearn More\nAbout\n"
    report, papers, _, _ = read_page(tmp_path, page)
    assert report.reader == "search-results"
    assert [(p.title, p.date, p.venue) for p in papers] == [
        (title, f"2024-03-2{n}", "Neural Information Processing Systems") for n, title in enumerate(TITLES)
    ]
    assert papers[2].abstract == ABSTRACTS[2][:150] + "\u2026"


def test_a_search_results_short_one_sentence_abstract_is_its_abstract(tmp_path: Path) -> None:
    """Title and abstract lines, no blank lines (the bundled search page's layout), one abstract a short sentence:
    three papers, none lost, and no title taken for a name under the short abstract."""
    short = "We argue that benchmark leaderboards should report compute."
    assert len(short) < 60
    page = (
        f"Get trending papers in your email inbox!\nSubscribe{TITLES[0]}\n{ABSTRACTS[0]}\n"
        f"Leaderboards Should Report Compute\n{short}\nTabular Contrastive Anomaly Detection\n{ABSTRACTS[2]}\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.abstract) for p in papers] == [
        (TITLES[0], ABSTRACTS[0]), ("Leaderboards Should Report Compute", short), ("Tabular Contrastive Anomaly Detection", ABSTRACTS[2]),
    ]


def test_a_semantic_scholar_tldr_on_its_labels_line_is_the_abstract_without_the_label(tmp_path: Path) -> None:
    page = "".join(
        f"{title}\nAna Souza, Jonas Weiß\nComputer Science\nInternational Conference on Machine Learning\n3 March 2024\n"
        f"TLDR {abstract} Expand\n12 Citations\nPDF\nSave\n\n"
        for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.abstract) for p in papers] == list(zip(TITLES, ABSTRACTS, strict=True))


@pytest.mark.parametrize(
    "card",
    [
        "[PDF] neurips.cc\n{title}\nO Haddad, J Rinaldi - NeurIPS, 2023 - neurips.cc\n{abstract} …\nSave Cite Cited by 41\n",
        "{title}\n21 Oct 2023 · Omar Haddad, Julia Rinaldi\n{abstract}\nLanguage Modelling  Mixture-of-Experts  +1\n",
        "{title}\nOmar Haddad, Julia Rinaldi, +2 authors, Wei Chen\nComputer Science\nNeural Information Processing Systems\n"
        "21 October 2023\n{abstract}\n17 Citations\nPDF\nSave\n",
    ],
    ids=["scholar", "papers-with-code", "semantic-scholar"],
)
def test_a_search_page_with_one_result_is_read(tmp_path: Path, card: str) -> None:
    _, papers, rejected, _ = read_page(tmp_path, "About 3 results (0.04 sec)\n\n" + card.format(title=TITLES[0], abstract=ABSTRACTS[0]))
    assert not rejected
    assert [p.title for p in papers] == [TITLES[0]] and papers[0].abstract.startswith(ABSTRACTS[0][:60])


def test_a_papers_with_code_result_with_task_tags_and_no_abstract_is_a_paper_without_one(tmp_path: Path) -> None:
    page = "Search Results\n\nPapers\nDatasets\nMethods\n\n3 results\n\n" + "".join(
        f"{title}\n{n + 10} Oct 2023 · Omar Haddad, Julia Rinaldi\n{abstract}Reinforcement Learning (RL)  Mixture-of-Experts  +1\n\n"
        for n, (title, abstract) in enumerate(zip(TITLES, [f"{ABSTRACTS[0]}\n", "", f"{ABSTRACTS[2]}\n"], strict=True))
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, bool(p.abstract), p.date) for p in papers] == [
        (TITLES[0], True, "2023-10-10"), (TITLES[1], False, "2023-10-11"), (TITLES[2], True, "2023-10-12"),
    ]


def test_page_clutter_copied_with_search_results_is_skipped_not_rejected(tmp_path: Path) -> None:
    """Task tags with the "Paper" / "Add Code" links, a site's blurb and footer, a research network's button row, a
    review site's dates banner, Hugging Face's "Papers" heading: the page's own, noted, never a rejected record."""
    page = (
        "Papers\nSearch any paper with AI\n\n"
        "Submission Start: Aug 29 2023 12:00AM UTC-0, Abstract Registration: Sep 21 2023 12:00AM UTC-0, End: Sep 28\n\n"
        f"{TITLES[0]}\n1 code implementation • NeurIPS 2023 • Ana Souza, Jonas Weiß\n\n{ABSTRACTS[0]}\n\n"
        "Graph Regression\nNode Classification\n Paper\n Add Code\n\n"
        f"{TITLES[1]}\n2 code implementations • 5 Feb 2024 • Oliver Park, Mei Chen\n\n{ABSTRACTS[1]}\n\n"
        "View\nShare\nConference Paper\nFull-text available\n\n"
        "Papers With Code is a free resource with all data licensed under CC-BY-SA.\n\nTerms\nData policy\nCookies policy\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert [p.title for p in papers] == TITLES[:2]
    assert rejected == []


def test_an_anthology_volume_with_one_abstract_keeps_every_entry_and_its_own_authors(tmp_path: Path) -> None:
    page = (
        f"pdf bib abs\n{TITLES[0]}\nOmar Haddad | Ana Ruiz\n{ABSTRACTS[0]}\n"
        f"pdf bib abs\n{TITLES[1]}\nDmitri Novak | Chidi Okafor\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [(p.title, p.authors, bool(p.abstract)) for p in papers] == [
        (TITLES[0], ["Omar Haddad", "Ana Ruiz"], True), (TITLES[1], ["Dmitri Novak", "Chidi Okafor"], False),
    ]


def test_arxiv_on_a_semantic_scholar_cards_venue_line_is_its_venue(tmp_path: Path) -> None:
    page = "".join(
        f"{title}\nAna Souza, Jonas Weiß\nComputer Science\nArXiv\n12 April 2023\n{abstract[:150]}… Expand\n12 Citations\nPDF\n\n"
        for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert [p.venue for p in papers] == ["ArXiv"] * 3


def test_a_topic_pages_authors_and_date_lines_under_each_venue_are_the_papers(tmp_path: Path) -> None:
    """Each paper one paragraph: title, venue, authors (a score of names, a CJK name, "+23 more"), date, abstract."""
    many = ", ".join(f"Author{chr(65 + i)} Surname{chr(65 + i)}" for i in range(20))
    lines = [
        (many, "Published 2016-09-09"), ("Zoë Müller, 王宇航, David Mwangi", "2024-05-03"), ("Albert Q. Jiang, Ana Roux, +23 more", ""),
    ]
    page = "Graph Learning\nTopic · 9,877 papers\n\n"
    for title, venue, abstract, (names, day) in zip(TITLES, ["ICLR 2017", "ACL 2024", "arXiv 2024"], ABSTRACTS, lines, strict=True):
        page += "\n".join(part for part in (title, venue, names, day, abstract) if part) + "\n\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    by_title = {p.title: p for p in papers}
    assert sorted(by_title) == sorted(TITLES)
    first, second, third = (by_title[t] for t in TITLES)
    assert (len(first.authors), first.date, first.venue, first.abstract) == (20, "2016-09-09", "ICLR 2017", ABSTRACTS[0])
    assert (second.authors, second.date) == (["Zoë Müller", "王宇航", "David Mwangi"], "2024-05-03")
    assert (third.authors, third.author_count, third.abstract) == (["Albert Q. Jiang", "Ana Roux"], 25, ABSTRACTS[2])


def test_a_daily_page_without_blank_lines_keeps_its_upvote_buttons_out_of_the_titles(tmp_path: Path) -> None:
    page = "Daily Papers\nMar 4\n"
    for title, abstract, upvotes in zip(TITLES, ABSTRACTS, (12, 19, 77), strict=True):
        page += f"Submitted by janedoe\n{title}\n{abstract}\n  • 4 authors\n·\nMar 1\nUpvote {upvotes}\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted(p.title for p in papers) == sorted(TITLES)
    assert not rejected


def test_a_sites_menu_one_link_a_line_is_no_paper(tmp_path: Path) -> None:
    """"ScholarIndex / Topics / Venues / Authors / Sign in" above a listing, "Daily / Weekly / Monthly" tabs above a
    Daily Papers page: a menu, never a title with the first paragraph below it as its abstract."""
    topic = "ScholarIndex\nTopics\nVenues\nAuthors\nSign in\n\n"
    for title, abstract in zip(TITLES, ABSTRACTS, strict=True):
        topic += f"{title}\nNeural Information Processing Systems\nPublished 2023-05-19\n{abstract}\n\n"
    daily = "Papers of the month\nNovember 2024\nDaily\nWeekly\nMonthly\n\n"
    for title, abstract in zip(TITLES, ABSTRACTS, strict=True):
        daily += f"{title}\n{abstract}\n• 4 authors · Nov 22, 2024\n203\n\n"
    for page in (topic, daily):
        _, papers, rejected, _ = read_page(tmp_path, page)
        assert sorted(p.title for p in papers) == sorted(TITLES)
        assert [p.abstract for p in sorted(papers, key=lambda p: TITLES.index(p.title))] == ABSTRACTS


def test_abstracts_alone_without_a_label_are_each_a_paper(tmp_path: Path) -> None:
    """A reading group's page of abstracts, one paragraph each with no title and no "Abstract:" label, under a stray
    name and a heading and above a line about the meeting: every abstract a paper, the page's lines none."""
    page = "Martina Schulz\n\nGraph Learning Reading Group — abstracts for Thursday's session\n\n"
    page += "".join(f"{abstract}\n\n" for abstract in ABSTRACTS) + "Room 4.12 · 16:00 · coffee provided\n"
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "abstracts" and not rejected
    assert sorted(p.abstract for p in papers) == sorted(ABSTRACTS)
    assert all(p.title_inferred for p in papers)


def test_a_scholar_alert_whose_snippets_are_wrapped_gives_each_result_its_whole_snippet(tmp_path: Path) -> None:
    """An alert e-mail saved as text wraps each snippet at a fixed width; the wrapped lines are one snippet, cut where the
    e-mail cut it ("…" at a line's end or on a line of its own), and the sharing links under it are the e-mail's."""
    page = 'Scholar Alert: [ "graph networks" ]\n\n'
    for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True)):
        words, wrapped, line = abstract.split(), [], ""
        for word in words:
            if len(line) + 1 + len(word) > 72:
                wrapped.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        wrapped.append(line + (" …" if n else "\n…"))
        page += f"[PDF] {title}\nW Zhang, O Petrova - arXiv preprint arXiv:2405.1187{n}, 2024\n" + "\n".join(wrapped)
        page += "\nSave Twitter LinkedIn Facebook\n\n"
    page += "This message was sent by Google Scholar because you're following new results for [ \"graph networks\" ].\n"
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "search-results" and not rejected
    by_title = {p.title: p for p in papers}
    assert sorted(by_title) == sorted(TITLES)
    for title, abstract in zip(TITLES, ABSTRACTS, strict=True):
        assert by_title[title].abstract == abstract + " …"
        assert by_title[title].authors == ["W Zhang", "O Petrova"]


def test_a_topic_index_entry_without_abstract_is_kept_with_its_venue_date_and_code_count(tmp_path: Path) -> None:
    """Among results with abstracts, an entry printing its title, "ICML 2024 · 2 Feb 2024", its authors or not, and
    "9 code implementations" or "no code yet", but no abstract: a paper without one, not a rejected block."""
    page = ""
    for title, abstract in zip(TITLES[:2], ABSTRACTS[:2], strict=True):
        page += f"{title}\nNeurIPS 2023 · 10 Dec 2023\nAna Ruiz, Wei Zhang\n3 code implementations\n{abstract}\n\n"
    page += "KTO: Model Alignment as Prospect Theoretic Optimization\nICML 2024 · 2 Feb 2024\nKawin Ethayarajh, Winnie Xu\n"
    page += "9 code implementations\n\nLength-Controlled Preference Optimization\narXiv 2024 · 16 Dec 2024\nno code yet\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    by_title = {p.title: p for p in papers}
    kto, length = by_title["KTO: Model Alignment as Prospect Theoretic Optimization"], by_title["Length-Controlled Preference Optimization"]
    assert (kto.abstract, kto.authors, kto.date, kto.venue) == ("", ["Kawin Ethayarajh", "Winnie Xu"], "2024-02-02", "ICML")
    assert (length.abstract, length.date) == ("", "2024-12-16")


def test_a_collection_of_papers_without_abstracts_gives_each_paper_its_id_and_date(tmp_path: Path) -> None:
    """A Hugging Face collection: the collection's heading, then each paper's title and "Paper • id • Published date •
    upvotes", on one line or a line per part; no abstracts anywhere. Each is a paper without one, never a rejection."""
    page = "Collections\njanedoe's Collections\nReasoning & RL for LLMs\nupdated 3 days ago\n\nUpvote\n12\nShare collection\n\n"
    page += f"{TITLES[0]}\nPaper • 2402.03300 • Published Feb 5, 2024 • 85\n\n"
    page += f"{TITLES[1]}\nPaper\n•\n2404.10567\n•\nPublished\nApr 16, 2024\n•\n9\n\n"
    page += f"{TITLES[2]}\nPaper • 2410.01122 • Published Oct 1, 2024 • 21\n"
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "title-list" and not rejected
    assert sorted((p.title, p.arxiv_id, p.date, p.abstract) for p in papers) == sorted([
        (TITLES[0], "2402.03300", "2024-02-05", ""), (TITLES[1], "2404.10567", "2024-04-16", ""),
        (TITLES[2], "2410.01122", "2024-10-01", ""),
    ])


def test_a_weekly_page_whose_titles_touch_their_abstracts_cut_mid_sentence(tmp_path: Path) -> None:
    """"Papers of the week" and its links above the first paper, each title right above its abstract (cut mid-sentence,
    no ellipsis), then "• 8 authors · Nov 25, 2024" and the upvotes: the heading is no title, every paper is whole."""
    page = "Daily Papers\n\nPapers of the week\nWeek 47, 2024 (Nov 18 – Nov 24)\nPrevious week\nNext week\n\n"
    cut = [abstract.rsplit(" ", 4)[0] for abstract in ABSTRACTS]  # no full stop, no ellipsis
    for title, abstract, votes in zip(TITLES, cut, (96, 88, 75), strict=True):
        page += f"{title}\n{abstract}\n• 8 authors · Nov 20, 2024\n{votes}\n\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert sorted((p.title, p.abstract, p.author_count, p.date) for p in papers) == sorted(
        (title, abstract, 8, "2024-11-20") for title, abstract in zip(TITLES, cut, strict=True)
    )


def test_a_trending_pages_code_repository_and_its_stars_are_no_title(tmp_path: Path) -> None:
    page = "Trending\nLatest\nTop of the week\n\n"
    repos = ("deepseek-ai/DeepSeek-Math", "memagent/memagent", "state-spaces/mamba")
    for title, abstract, repo in zip(TITLES, ABSTRACTS, repos, strict=True):
        page += f"  {title}\n  {abstract}\n  · 11 authors\n  Published on Feb 5, 2024\n  {repo}\n  2.71k\n\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert sorted((p.title, p.abstract, p.author_count, p.date) for p in papers) == sorted(
        (title, abstract, 11, "2024-02-05") for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )


def test_a_proceedings_index_of_titles_and_authors_with_no_blank_lines(tmp_path: Path) -> None:
    """A proceedings index: its menu and volume heading, then each paper's title and its line of authors (a score of
    names for one), with no blank line between papers and no abstracts: each a paper with its authors."""
    many = ", ".join(f"Author{chr(65 + i)} Surname{chr(65 + i)}" for i in range(20))
    names = ["Tero Karras, Miika Aittala, Timo Aila, Samuli Laine", many, "Tri Dao, Dan Fu, Stefano Ermon, Christopher Ré"]
    page = "NeurIPS Proceedings\nSearch\n\nAdvances in Neural Information Processing Systems 35  (NeurIPS 2022)\n\n"
    page += "".join(f"{title}\n{line}\n" for title, line in zip(TITLES, names, strict=True))
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "title-list" and not rejected
    assert sorted((p.title, len(p.authors), p.abstract) for p in papers) == sorted(
        [(TITLES[0], 4, ""), (TITLES[1], 20, ""), (TITLES[2], 4, "")]
    )


def test_a_dblp_list_gives_each_publication_its_authors_venue_year_and_arxiv_id(tmp_path: Path) -> None:
    page = (
        "dblp\nsearch dblp\n\nfound 1,874 matches\n\n2024\n[c4]\nview\n"
        "Clara Hoffmann, Mateo Rinaldi, Seo-yeon Kim, Oliver Grant:\n"
        "When Does Low-Rank Adaptation Forget? A Spectral Analysis. ICLR 2025\n"
        "[i2]\nview\nOmar Ibrahim, Katrin Sommer:\nLate-Interaction Retrieval with Learned Token Pruning. CoRR abs/2403.05512 (2024)\n"
        "[c2]\nview\nSeo-yeon Kim, Hye-jin Park:\nDoes Continued Pretraining Help Korean Legal NER? ACL (Findings) 2023: 1021-1035\n"
        "\nload more results\n"
    )
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "dblp" and not rejected
    assert sorted((p.title, len(p.authors), p.venue, p.date, p.arxiv_id, p.abstract) for p in papers) == sorted([
        ("When Does Low-Rank Adaptation Forget? A Spectral Analysis", 4, "ICLR", "2025-01-01", None, ""),
        ("Late-Interaction Retrieval with Learned Token Pruning", 2, "CoRR", "2024-01-01", "2403.05512", ""),
        ("Does Continued Pretraining Help Korean Legal NER?", 2, "ACL (Findings)", "2023-01-01", None, ""),
    ])


def test_a_reading_list_citing_a_paper_a_line_gives_each_paper(tmp_path: Path) -> None:
    """A course's readings: week headings, then a line per paper, title first, its authors (or "et al."), venue, year
    and arXiv id. Each line a paper without an abstract; the headings are the page's, never a title."""
    page = (
        "CS 8803 LLM — Foundations of Large Language Models (Fall 2024)\nHome | Schedule | Readings\n\n"
        "Readings marked ★ are required before class; ☆ are optional.\n\nWeek 2 (Aug 27) — Attention and the Transformer\n"
        "★ Attention Is All You Need. A. Vaswani, N. Shazeer, Ł. Kaiser. NeurIPS 2017. arXiv:1706.03762\n"
        "☆ RoFormer: Enhanced Transformer with Rotary Position Embedding. J. Su et al. Neurocomputing 2024.\n\n"
        "Week 3 (Sep 3) — Pretraining and scaling\n"
        "★ BERT: Pre-training of Deep Bidirectional Transformers. J. Devlin, M.-W. Chang. NAACL 2019. arXiv:1810.04805\n"
    )
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert report.reader == "reference-list" and not rejected
    assert sorted((p.title, p.authors, p.author_count, p.venue, p.date, p.arxiv_id) for p in papers) == sorted([
        ("Attention Is All You Need", ["A. Vaswani", "N. Shazeer", "Ł. Kaiser"], 3, "NeurIPS", "2017-01-01", "1706.03762"),
        ("RoFormer: Enhanced Transformer with Rotary Position Embedding", ["J. Su"], None, "Neurocomputing", "2024-01-01", None),
        ("BERT: Pre-training of Deep Bidirectional Transformers", ["J. Devlin", "M.-W. Chang"], 2, "NAACL", "2019-01-01", "1810.04805"),
    ])


def test_labelled_authors_with_their_affiliations_are_the_authors_not_the_title(tmp_path: Path) -> None:
    """An accepted-papers page: "Title:", "Authors: Name (Affiliation), …", "Abstract:" wrapped over lines."""
    page = "Accepted papers\n\n"
    for title, abstract in zip(TITLES, ABSTRACTS, strict=True):
        page += f"Title: {title}\nAuthors: Ana Ruiz (MIT), Wei Zhang (KAIST & Mila), Tom Okafor (ETH Zürich)\nAbstract: {abstract}\n\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert not rejected
    assert sorted((p.title, p.authors, p.abstract) for p in papers) == sorted(
        (title, ["Ana Ruiz", "Wei Zhang", "Tom Okafor"], abstract) for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )


def test_a_numbered_references_wrapped_lines_are_no_titles_over_the_abstracts(tmp_path: Path) -> None:
    """A bibliography of "[n] Authors. Title. Venue, pages, Month Year." wrapped with a hanging indent, each with its
    "Abstract." below: no line of a reference ("pages 5468–5485, May 2022.") becomes a paper's title."""
    page = ""
    for n, abstract in enumerate(ABSTRACTS, start=1):
        page += (
            f"[{n}] P. H. Martins, Z. Marinho, and A. F. T. Martins. A Paper Title:\n    Infinite Memory Transformer. "
            f"In Proceedings of the 60th Annual\n    Meeting of the ACL,\n    pages 5468–5485, May 2022.\n\n"
            f"    Abstract. {abstract}\n\n"
        )
    _, papers, _, _ = read_page(tmp_path, page)
    assert sorted(p.abstract for p in papers if p.abstract) == sorted(ABSTRACTS)
    assert not any(p.title.startswith(("pages", "Meeting")) for p in papers)

"""Listings whose lines say what they hold: OpenReview's paper headers and labelled blocks.

OpenReview prints a paper's title, then its authors, ``Published: … Last Modified: …``, the venue
(``ICLR 2025 Oral``), ``Readers: Everyone`` and ``Keywords: …``, then ``Abstract: …``. A reading
list kept by hand or exported from a reference manager labels each line: ``Title:``, ``Authors:``,
``Date:``, ``Year:``, ``Venue:``. Each paper keeps its title, authors, date and venue; nothing of
the page becomes a paper, a title or an author.
"""

from __future__ import annotations

from pathlib import Path

from site_fixtures import ABSTRACTS, TITLES, read_page

from generator.ingest.dates import parse_listing_date
from generator.readers import SourceMeta

OPENREVIEW = f"""ICLR 2025 Conference

{TITLES[0]}
Wei Zhang, Olga Petrova, Fatima Al-Sayed
Published: 23 Jan 2025, Last Modified: 02 Mar 2025
ICLR 2025 Oral
Readers: Everyone
Keywords: low precision training, stochastic rounding
Abstract: {ABSTRACTS[0]}

{TITLES[1]}
Ana Souza, Jonas Weiß
Published: 22 Jan 2025, Last Modified: 28 Feb 2025
ICLR 2025 Poster
Readers: Everyone
TL;DR: Routing as optimal transport keeps every expert busy.
Abstract: {ABSTRACTS[1]}

{TITLES[2]}
Oliver Park
Published: 21 Jan 2025
ICLR 2025 Spotlight
Readers: Everyone
Abstract: {ABSTRACTS[2]}
"""


def test_an_openreview_page_keeps_each_papers_title_authors_date_and_venue(tmp_path: Path) -> None:
    report, papers, rejected, _ = read_page(tmp_path, OPENREVIEW)
    assert rejected == []
    assert [(p.title, p.authors, p.date, p.venue) for p in papers] == [
        (TITLES[0], ["Wei Zhang", "Olga Petrova", "Fatima Al-Sayed"], "2025-01-23", "ICLR 2025 Oral"),
        (TITLES[1], ["Ana Souza", "Jonas Weiß"], "2025-01-22", "ICLR 2025 Poster"),
        (TITLES[2], ["Oliver Park"], "2025-01-21", "ICLR 2025 Spotlight"),
    ]
    assert [p.abstract for p in papers] == ABSTRACTS
    assert not any(p.title_inferred for p in papers)


def test_the_pages_heading_above_the_first_title_is_not_its_title(tmp_path: Path) -> None:
    """ "ICLR 2025 Conference" above the first paper, a blank line between, is the page's."""
    _, papers, _, notices = read_page(tmp_path, OPENREVIEW)
    assert papers[0].title == TITLES[0]
    assert any("ICLR 2025 Conference" in notice.message for notice in notices)


def test_labelled_blocks_give_their_authors_and_dates(tmp_path: Path) -> None:
    page = (
        f"Title: {TITLES[0]}\nAuthors: Wei Zhang, Olga Petrova, Fatima Al-Sayed\nDate: 2024-03-12\nAbstract: {ABSTRACTS[0]}\n\n"
        f"Title: {TITLES[1]}\nAuthors: Ana Souza, Jonas Weiß\nYear: 2023\nAbstract: {ABSTRACTS[1]}\n"
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.authors, p.date, p.date_precision) for p in papers] == [
        (TITLES[0], ["Wei Zhang", "Olga Petrova", "Fatima Al-Sayed"], "2024-03-12", "day"),
        (TITLES[1], ["Ana Souza", "Jonas Weiß"], "2023-01-01", "year"),
    ]


def test_a_venues_year_never_replaces_the_day_a_paper_was_posted(tmp_path: Path) -> None:
    page = "".join(
        f"Title: {title}\nPublished: 2{n} Jan 2025\nVenue: ICLR 2024\nAbstract: {abstract}\n\n"
        for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True))
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.date, p.date_precision, p.venue) for p in papers] == [
        ("2025-01-20", "day", "ICLR"),
        ("2025-01-21", "day", "ICLR"),
        ("2025-01-22", "day", "ICLR"),
    ]


def test_a_date_labelled_or_followed_by_its_revision_is_the_day_it_was_posted() -> None:
    for line, day in [
        ("Date: 2024-03-12", (3, 12, 2024)),
        ("Published: 23 Jan 2025, Last Modified: 02 Mar 2025", (1, 23, 2025)),
        ("Submitted on 3 Mar 2025 (v1), last revised 5 Mar 2025 (this version, v2)", (3, 3, 2025)),
    ]:
        found = parse_listing_date(line)
        assert found is not None and (found.month, found.day, found.year) == day, line
    assert parse_listing_date("Date of the workshop") is None


def test_a_programmes_authors_with_affiliations_are_authors_not_titles(tmp_path: Path) -> None:
    names = ["Alice Chen (MIT), Wei Zhang (KAIST)", "Mei Li (ETH Zürich), Omar Haddad (MIT)", "Kenji Tanaka (University of Tokyo)"]
    page = "Accepted Papers — Session 3A: Efficient Inference\n\n" + "".join(
        f"{title}\n{line}\nAbstract: {abstract}\n\n" for title, line, abstract in zip(TITLES, names, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.authors) for p in papers] == [
        (TITLES[0], ["Alice Chen", "Wei Zhang"]),
        (TITLES[1], ["Mei Li", "Omar Haddad"]),
        (TITLES[2], ["Kenji Tanaka"]),
    ]


JOURNAL_ISSUE = f"""International Journal of Computer Vision
Volume 133, issue 3 · March 2025

Research
Open access
Published: 04 September 2024
Pages: 1000 - 1024
{TITLES[0]}
Wei Zhang, Olga Petrova & Fatima Al-Sayed
Abstract
{ABSTRACTS[0]}

Published: 11 September 2024
CobaltSplat: Data-Efficient Dynamic Scenes for Novel View Synthesis
Ana Souza & Jonas Weiß
Abstract
{ABSTRACTS[1]}

Open access
Published: 18 September 2024
{TITLES[2]}
Oliver Park & Mei Chen
Abstract
{ABSTRACTS[2]}
"""


def test_a_journal_issues_articles_keep_their_titles_authors_and_days(tmp_path: Path) -> None:
    """ "Published: …" above each title, an "Open access" badge above some: an abstract list, not a Daily Papers page."""
    report, papers, rejected, _ = read_page(tmp_path, JOURNAL_ISSUE)
    assert (report.reader, rejected) == ("abstracts", [])
    assert [(p.title, p.authors, p.date) for p in papers] == [
        (TITLES[0], ["Wei Zhang", "Olga Petrova", "Fatima Al-Sayed"], "2024-09-04"),
        ("CobaltSplat: Data-Efficient Dynamic Scenes for Novel View Synthesis", ["Ana Souza", "Jonas Weiß"], "2024-09-11"),
        (TITLES[2], ["Oliver Park", "Mei Chen"], "2024-09-18"),
    ]
    assert [p.abstract for p in papers] == ABSTRACTS


def test_a_question_title_between_two_abstracts_is_the_next_papers_title(tmp_path: Path) -> None:
    question = "Do Mixtures of Experts Need Load Balancing?"
    page = f"{TITLES[0]}\n\nAbstract: {ABSTRACTS[0]}\n\n{question}\n\nAbstract: {ABSTRACTS[1]}\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == [(TITLES[0], ABSTRACTS[0]), (question, ABSTRACTS[1])]


def test_a_page_heading_never_takes_a_labelled_title(tmp_path: Path) -> None:
    page = "Papers for the journal club\n\n" + "".join(
        f"Title: {title}\nAuthors: Ana Souza\nAbstract: {abstract}\n\n" for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [p.title for p in papers] == TITLES


def test_a_programmes_titles_with_a_name_before_a_colon_and_a_dozen_affiliated_authors(tmp_path: Path) -> None:
    """ "PilotRec: Hallucination Mitigation …" is a title, not a labelled line; 14 names with their affiliations
    run past 400 characters and are still the authors, never an abstract."""
    names = [f"{first} {last}" for first in ("Laura", "Ewa", "Pedro", "Sofía", "Minh", "Anjali", "Sarah") for last in ("Osei", "Ricci")]
    many = ", ".join(f"{name} ({'University of Oslo' if n % 2 else 'Tsinghua University'})" for n, name in enumerate(names))
    assert len(many) > 400
    titles = ["PilotRec: Hallucination Mitigation Meets Test-Time Training", TITLES[1], "Lattice-R1: Data-Efficient Low-Bit Quantization"]
    page = "WORKSHOP ON EFFICIENT SYSTEMS\nAccepted Papers — Session 3A: Efficient Inference\n\n" + "".join(
        f"{title}\n{line}\nAbstract—{abstract}\n\n"
        for title, line, abstract in zip(titles, ["Alice Chen (MIT)", many, "Wei Zhang (KAIST)"], ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == list(zip(titles, ABSTRACTS, strict=True))
    assert papers[1].authors == names


def test_a_labelled_month_is_the_papers_month(tmp_path: Path) -> None:
    page = "".join(
        f"Title: {title}\nAuthors: Ana Souza\nDate: {date}\nAbstract: {abstract}\n\n"
        for title, date, abstract in zip(TITLES, ["September 2023", "2024-03-02", "2022"], ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.date, p.date_precision) for p in papers] == [("2023-09-01", "month"), ("2024-03-02", "day"), ("2022-01-01", "year")]


def test_a_long_run_of_short_lines_above_a_label_is_read_as_page_text(tmp_path: Path) -> None:
    """Thousands of title-like lines, each a few lines above the next: page text, looked at once each."""
    page = "\n".join(f"A Short Heading Line Number {n}" for n in range(3000)) + f"\nAbstract: {ABSTRACTS[0]}\n"
    _, papers, rejected, notices = read_page(tmp_path, page, SourceMeta(format="abstracts"))
    assert rejected == [] and [p.abstract for p in papers] == [ABSTRACTS[0]]
    assert sum("skipped page text" in n.message for n in notices) >= 2990


def test_an_anonymous_submissions_authors_are_none_and_a_one_word_title_is_kept(tmp_path: Path) -> None:
    page = "ICLR 2025 Conference Submissions\n" + "".join(
        f"{title}\nDownload PDF\nAnonymous Authors\nPublished: 04 Oct 2024, Last Modified: 20 Nov 2024\n"
        f"ICLR 2025 Conference Submission\nReaders:  Everyone\nAbstract: {abstract}\n"
        for title, abstract in zip([TITLES[0], "Hydra", TITLES[2]], ABSTRACTS, strict=True)
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.authors, p.author_count, p.date) for p in papers] == [
        (TITLES[0], [], None, "2024-10-04"), ("Hydra", [], None, "2024-10-04"), (TITLES[2], [], None, "2024-10-04"),
    ]


def test_a_topics_follow_button_is_not_its_topic(tmp_path: Path) -> None:
    page = "Topic\n\n Diffusion Models\n\nFollow\n\n1,932 papers\n\n" + "".join(
        f"{title}\n\nNeural Information Processing Systems\n\n{abstract}\n\n" for title, abstract in zip(TITLES, ABSTRACTS, strict=True)
    )
    report, papers, rejected, _ = read_page(tmp_path, page)
    assert (report.reader, rejected) == ("topic-listing", [])
    assert [p.topic_hints for p in papers] == [["Diffusion Models"]] * 3


def test_an_openreview_entry_left_collapsed_is_a_paper_without_an_abstract(tmp_path: Path) -> None:
    """ "Show details" not clicked: the entry prints its title, authors, day and venue, and no abstract."""
    entries = []
    for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True)):
        entry = f"{title}\nDownload PDF\nAna Souza, Jonas Weiß\nPublished: 2{n} Sept 2023, Last Modified: 02 Dec 2023\n"
        entry += "NeurIPS 2023 poster\n"
        entry += "Readers:  Everyone\n" + ("Show details\n" if n == 1 else f"Hide details\nKeywords: learning\nAbstract: {abstract}\n")
        entries.append(entry)
    _, papers, rejected, notices = read_page(tmp_path, "NeurIPS 2023 Conference\nAccepted Papers\n" + "".join(entries))
    assert rejected == []
    assert [(p.title, p.abstract, p.date, p.venue) for p in papers] == [
        (TITLES[0], ABSTRACTS[0], "2023-09-20", "NeurIPS 2023 poster"),
        (TITLES[1], "", "2023-09-21", "NeurIPS 2023 poster"),
        (TITLES[2], ABSTRACTS[2], "2023-09-22", "NeurIPS 2023 poster"),
    ]
    assert any("no abstract: the paper is kept without one" in n.message for n in notices)


def test_an_abstracts_second_paragraph_above_the_next_title_stays_its_own(tmp_path: Path) -> None:
    closing = (
        "Perturbed experts improve accuracy by 2.1 points on average across eight benchmarks, reaching 0.912 AUROC "
        "while staying within the memory of one GPU."
    )
    assert len(closing) > 120
    page = f"{TITLES[0]}\nAbstract: {ABSTRACTS[0]}\n\n{closing}\n\n"
    page += f"{TITLES[1]}\nAbstract: {ABSTRACTS[1]}\n\n{TITLES[2]}\nAbstract: {ABSTRACTS[2]}\n"
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.abstract) for p in papers] == [
        (TITLES[0], f"{ABSTRACTS[0]} {closing}"), (TITLES[1], ABSTRACTS[1]), (TITLES[2], ABSTRACTS[2]),
    ]


def test_an_openreview_submissions_day_with_its_modification_is_the_day_submitted(tmp_path: Path) -> None:
    page = "ICLR 2026 Conference Submissions\n\n" + "".join(
        f"{title}\nAnonymous Authors\n2{n} Sept 2025 (modified: 08 Oct 2025)\nSubmitted to ICLR 2026\nReaders:  Everyone\n"
        f"Abstract: {abstract}\n\n"
        for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True))
    )
    _, papers, rejected, _ = read_page(tmp_path, page)
    assert rejected == []
    assert [(p.title, p.date, p.venue) for p in papers] == [
        (title, f"2025-09-2{n}", "Submitted to ICLR 2026") for n, title in enumerate(TITLES)
    ]

"""Topic listings from a papers index: a topic heading, then title, venue line, abstract blocks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import Paper, Rejected
from .base import (
    PREPRINT_SERVERS,
    VENUE_ONLY,
    VENUE_WORDS,
    VENUE_YEAR,
    Block,
    Detection,
    Document,
    PaperFields,
    Reader,
    author_names,
    cut_abstract,
    initialled_names,
    is_page_text,
    join_lines,
    looks_like_abstract,
    names_venue,
    skip_page_text,
    split_blocks,
)
from .result_cards import line_details, result_detail
from .stream import Item, pair_records


def _venue_lines(blocks: list[Block]) -> tuple[set[int], bool]:
    """The first lines of the venue blocks, and whether any of them names a venue.

    A venue block is a short one-line block between a title and an abstract. It is one when its
    text repeats or names a venue ("Neural Information Processing Systems", "ICASSP 2024"), or
    when the listing's layout says so: every paper its title, a venue line and its abstract
    (papers set apart by wider gaps, two blank lines, than their fields, or papers with no other
    line between their abstracts). Then a venue seen once ("Nature Machine Intelligence") is known
    too, also the first paper's, which would otherwise read as the listing's heading.
    """
    counts: Counter[str] = Counter()
    middles: list[Block] = []
    for index, (before, block) in enumerate(zip(blocks, blocks[1:-1], strict=False), start=1):
        after = _past_details(blocks, index + 1)
        text = block.text.strip()
        if (
            len(block.lines) == 1
            and len(text) <= 120
            and not result_detail(text)  # "1 code implementation • NeurIPS 2023 • Ana Ruiz": a result's details
            and not looks_like_abstract(before.text)
            and (looks_like_abstract(after.text) or (VENUE_WORDS.search(text) is not None and cut_abstract(after.text)))
        ):
            counts[text] += 1
            middles.append(block)
    # Words a title has too ("Machine Learning for Climate Records" under the listing's heading) name a venue only
    # where every paper has a line there; a year or a word only venues have names one anywhere.
    every = len(middles) >= sum(1 for b in blocks if looks_like_abstract(b.text))
    named = {
        text for text, n in counts.items()
        if n >= 2 or VENUE_YEAR.search(text) or VENUE_ONLY.search(text) or (every and names_venue(text))
    }
    venues = {b.line for b in middles if b.text.strip() in named}
    return venues | _laid_out_venues(blocks) | _alternating_venues(blocks), bool(venues)


MAX_DETAIL = 500  # characters: a line of authors or a date under a venue line is shorter (a score of names and more)


def _detail_line(text: str) -> bool:
    """A line about a paper (its authors, "Published 2017-06-07"), not its abstract."""
    text = text.strip()
    return len(text) <= MAX_DETAIL and not looks_like_abstract(text) and result_detail(text)


def _is_detail(block: Block) -> bool:
    """A block of one line about a paper, as a paragraph's lines are split."""
    return len(block.lines) == 1 and _detail_line(block.text)


def _past_details(blocks: list[Block], index: int) -> Block:
    """The block at ``index``, or the first after it that is not a line about the paper (its authors, its date)."""
    while index < len(blocks) - 1 and _is_detail(blocks[index]):
        index += 1
    return blocks[index]


def _split_unspaced(blocks: list[Block]) -> list[Block]:
    """A listing copied with no blank lines: a block of title, venue and abstract lines, paper after
    paper (two venue lines at least, each between a short line and a paragraph), as a block per line.

    A search result's lines about its paper (a date, "J Ho, A Jain - NeurIPS, 2020 - neurips.cc")
    name a year or a venue too, but are no venue line.
    """
    out: list[Block] = []
    for block in blocks:
        lines = [line.strip() for line in block.lines]
        triples = sum(
            1 for before, venue, after in zip(lines, lines[1:], lines[2:], strict=False)
            if len(venue) <= 120 and names_venue(venue) and not result_detail(venue)
            and not looks_like_abstract(before) and not names_venue(before)
            and (looks_like_abstract(after) or cut_abstract(after))
        ) if len(lines) >= 5 else 0
        if triples >= 2:
            out.extend(Block(block.line + i, [line]) for i, line in enumerate(block.lines) if line.strip())
        else:
            out.append(block)
    return out


def _describes(heading: Block, paragraph: Block) -> bool:
    """Whether a paragraph under a short heading is about it: the heading's words in its first sentence
    ("Geometric deep learning studies …" under "Geometric Deep Learning"), as no abstract under its title is."""
    name = " ".join(heading.text.split()).casefold()
    first = re.split(r"(?<=[.!?])\s", " ".join(paragraph.text.split()), maxsplit=1)[0].casefold()
    return len(heading.lines) == 1 and len(name.split()) <= 6 and name in first


def _split_paragraphs(blocks: list[Block]) -> list[Block]:
    """A listing that prints each paper as one paragraph, its title, venue and abstract lines (wrapped or not)
    with no blank line between them, as a block for the title, one for the venue and one for the abstract;
    where two paragraphs at least are laid out so. Lines about the paper between the venue and the abstract
    (its authors, "Published 2017-06-07") are a block each (``_detail_lines`` reads them)."""
    split: dict[int, list[Block]] = {}
    for block in blocks:
        lines = [line.strip() for line in block.lines]
        if len(lines) < 3 or any(not line for line in lines):
            continue
        details = 2
        while details < len(lines) - 1 and _detail_line(lines[details]):
            details += 1
        title, venue, abstract = lines[0], lines[1], join_lines(lines[details:])
        if (
            len(venue) <= 120 and names_venue(venue) and not result_detail(venue)
            and not looks_like_abstract(title) and not names_venue(title)
            and not (len(lines[details]) <= 120 and names_venue(lines[details]))
            and (looks_like_abstract(abstract) or cut_abstract(abstract))
        ):
            split[block.line] = [
                Block(block.line, block.lines[:1]), Block(block.line + 1, block.lines[1:2]),
                *(Block(block.line + i, block.lines[i : i + 1]) for i in range(2, details)),
                Block(block.line + details, block.lines[details:]),
            ]
    if len(split) < 2:
        return blocks
    return [part for block in blocks for part in split.get(block.line, [block])]


def _detail_lines(doc: Document, blocks: list[Block], venues: set[int]) -> dict[int, PaperFields]:
    """The lines about a paper between its venue line and its abstract, by line: its authors, its date."""
    found: dict[int, PaperFields] = {}
    for index, block in enumerate(blocks):
        if block.line not in venues:
            continue
        for detail in blocks[index + 1 :]:
            if not _is_detail(detail) or (fields := line_details(doc, detail.line, detail.text.strip())) is None:
                break
            found[detail.line] = fields
    return found


def _alternating_venues(blocks: list[Block]) -> set[int]:
    """Venue lines told by the order of the blocks: between two abstracts, a title then a one-line venue.

    Every gap between abstracts must hold one or two blocks (a title, with or without its venue),
    and most of them two; an abstract in two paragraphs has no gap between them.
    """
    runs: list[list[Block]] = [[]]
    for block in blocks:
        if looks_like_abstract(block.text):
            runs.append([])
        else:
            runs[-1].append(block)
    # Before the first abstract a heading may come too; after the last, the page's end. Two abstracts with
    # nothing between are one abstract's two paragraphs.
    between = [run for run in runs[1:-1] if run]
    if not between or not runs[0] or any(not 1 <= len(run) <= 2 for run in between):
        return set()
    with_venue = [run for run in [runs[0][-2:], *between] if len(run) == 2]
    if len(runs[0]) == 2 and _heading_then_title(runs[0], [run for run in between if len(run) == 2]):
        with_venue.remove(runs[0])
    if len(with_venue) < 2 or 2 * len(with_venue) <= len(between) + 1:
        return set()
    return {run[1].line for run in with_venue if len(run[1].lines) == 1 and len(run[1].text.strip()) <= 120}


def _heading_then_title(first: list[Block], papers: list[list[Block]]) -> bool:
    """Whether the two blocks above the first abstract are the listing's heading and a title, not a title and its venue.

    They are when a wider gap sets them apart than any paper's title from its venue, or when the
    other papers share one venue and this line is not it and names none.
    """
    gaps = [_gap(title, venue) for title, venue in papers]
    if gaps and _gap(first[0], first[1]) > max(gaps):
        return True
    venues = {venue.text.strip() for _, venue in papers}
    text = first[1].text.strip()
    return len(papers) >= 2 and len(venues) == 1 and text not in venues and not names_venue(text)


def _gap(above: Block, below: Block) -> int:
    """Blank lines between two blocks."""
    return below.line - (above.line + len(above.lines))


def _laid_out_venues(blocks: list[Block]) -> set[int]:
    """Venue lines told by the gaps: the middle block of each title/venue/abstract group."""
    groups: list[list[Block]] = []
    for previous, block in zip([None, *blocks], blocks, strict=False):
        gap = _gap(previous, block) if previous is not None else 2
        if gap >= 2 or not groups:
            groups.append([block])
        else:
            groups[-1].append(block)
    papers = [g for g in groups if len(g) >= 2 and looks_like_abstract(g[-1].text)]
    if len(papers) < 2 or any(len(g) > 3 for g in papers):  # not a listing laid out this way
        return set()
    laid_out = [
        g for g in papers
        if len(g) == 3 and len(g[1].lines) == 1 and len(g[1].text.strip()) <= 120
        and not looks_like_abstract(g[0].text) and not looks_like_abstract(g[1].text)
    ]
    if laid_out and laid_out[0] is groups[0] and _heading_then_title(groups[0][:2], [g[:2] for g in laid_out[1:]]):
        laid_out.pop(0)  # the listing's heading right above the first paper, which has no venue line
    return {g[1].line for g in laid_out}




def _content_blocks(doc: Document, blocks: list[Block], *, note: bool) -> list[Block]:
    """The blocks that are not the page's own text; "arXiv" between a title and its abstract is a venue, not a link."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if (
            block.text.strip().casefold() in PREPRINT_SERVERS and 0 < index < len(blocks) - 1
            and not looks_like_abstract(blocks[index - 1].text)
            and (looks_like_abstract(blocks[index + 1].text) or cut_abstract(blocks[index + 1].text))
        ) or not (skip_page_text(doc, block.line, block.lines) if note else is_page_text(block.lines)):
            kept.append(block)
    return kept


def _first_paper(blocks: list[Block], cut: int, venues: set[int]) -> tuple[int, int | None]:
    """Where the paper of an abstract cut short above the first whole one starts, and its venue line if it has one.

    Its title is the block after the last wider gap (two blank lines) above it, or, with single gaps,
    one or two blocks up: two when the block between is a venue (named so, or other papers print one).
    """
    group = max((i for i in range(1, cut + 1) if _gap(blocks[i - 1], blocks[i]) >= 2), default=0)
    if 1 <= cut - group <= 2 and (group > 0 or cut - group == 2):
        return group, blocks[group + 1].line if cut - group == 2 else None
    between = blocks[cut - 1]
    if cut >= 2 and len(between.lines) == 1 and len(between.text.strip()) <= 120 and (venues or names_venue(between.text)):
        return cut - 2, between.line
    return cut - 1, None


def _author_lines(blocks: list[Block], venues: set[int]) -> dict[int, tuple[str, ...]]:
    """The lines of names between a title and its venue or abstract, by line, on a listing that prints them for
    half its papers at least: one such line among many papers is a title of capitalised words."""
    found: dict[int, tuple[str, ...]] = {}
    for before, block, after in zip(blocks, blocks[1:], blocks[2:], strict=False):
        if len(block.lines) == 1 and not looks_like_abstract(before.text) and before.line not in venues and (
            after.line in venues or looks_like_abstract(after.text)
        ) and (names := author_names(block.text) or initialled_names(block.text)):
            found[block.line] = names
    abstracts = sum(1 for b in blocks if looks_like_abstract(b.text))
    return found if 2 * len(found) >= abstracts else {}


class TopicListingReader(Reader):
    name = "topic-listing"
    label = "topic listing (topic heading; title, venue line, abstract)"

    def detect(self, doc: Document) -> Detection:
        whole = split_blocks(doc.lines)
        blocks = _content_blocks(doc, _split_paragraphs(_split_unspaced(whole)), note=False)
        venues, named = _venue_lines(blocks)
        if not venues:
            return Detection(0.0, "no venue line between a title and an abstract")
        example = next(b.text.strip() for b in blocks if b.line in venues)
        count = len(venues)
        reason = f"{count} title/venue/abstract triple(s), venue e.g. {example!r}"
        abstracts = sum(1 for b in blocks if looks_like_abstract(b.text))
        if len(blocks) > len(whole) and named and count >= abstracts:
            # With no blank lines, a title and its abstract touch as a search result's do: the venue
            # line between every two tells the listing apart.
            return Detection(0.96, f"{reason}, no blank lines between")
        # Told by the layout alone, a listing is less sure: an authors/date line sits there in other pages.
        return Detection(min(0.95, 0.6 + 0.05 * count) if named else min(0.75, 0.55 + 0.05 * count), reason)

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        blocks = _content_blocks(doc, _split_paragraphs(_split_unspaced(split_blocks(doc.lines))), note=True)
        venues, _ = _venue_lines(blocks)
        # A venue named again where the page was cut off, with no abstract after it, is still a venue.
        venue_names = {b.text.strip() for b in blocks if b.line in venues}
        # Short blocks above the first title (above its venue line, or its abstract when it has none) are the heading: its topic.
        names = _author_lines(blocks, venues)
        details = _detail_lines(doc, blocks, venues)
        first_abstract = next((i for i, b in enumerate(blocks) if looks_like_abstract(b.text)), len(blocks))
        description: Block | None = None
        if first_abstract == 1 and len(venues) >= 2 and _describes(blocks[0], blocks[1]):
            # The topic's heading, then a paragraph about the topic with no venue line, above papers that all
            # print one: the topic page's description, not a paper.
            description = blocks.pop(1)
            first_abstract = next((i for i, b in enumerate(blocks) if looks_like_abstract(b.text)), len(blocks))
        first_title = first_abstract - 1
        if 0 < first_abstract < len(blocks) and blocks[first_title].line in venues:
            first_title -= 1
        if first_title > 0 and blocks[first_title].line in names:  # the paper's authors, under its title
            first_title -= 1
        first_venue = next((i for i, b in enumerate(blocks) if b.line in venues), len(blocks))
        topic: str | None = None
        start = max(0, min(first_venue - 1, first_title))
        # An abstract the page cut short above there is the first paper's, not the heading's.
        cut = next((i for i, b in enumerate(blocks[:start]) if i > 0 and cut_abstract(b.text) and not looks_like_abstract(b.text)), None)
        if cut is not None:
            start, venue_line = _first_paper(blocks, cut, venues)
            if venue_line is not None:
                venues.add(venue_line)
        heading: list[Block] = []
        for block in blocks[:start]:
            if looks_like_abstract(block.text):
                start = blocks.index(block)
                break
            heading.append(block)
        for block in heading[:-1]:  # "Skip to main content", "Sort by: Most recent": the page's, above its topic
            doc.notice(block.line, f"skipped page text {block.text.strip()[:60]!r} above the listing's topic")
        if heading:
            topic = heading[-1].text.strip()
            doc.notice(heading[-1].line, f"listing topic {topic!r} kept as a topic hint")
        if description is not None:
            doc.notice(description.line, f"skipped the topic's description {description.text.strip()[:60]!r} (not a paper)")
        hints = [topic] if topic else []
        items: list[Item] = []
        for block in blocks[start:]:
            if block.line in venues or (len(block.lines) == 1 and block.text.strip() in venue_names):
                items.append(Item("venue", block, PaperFields(venue=block.text.strip())))
            elif block.line in names and items and items[-1].kind == "text" and not looks_like_abstract(items[-1].block.text):
                items.append(Item("fields", block, PaperFields(authors=names[block.line])))  # under the title
            elif block.line in details:
                items.append(Item("fields", block, details[block.line]))  # under the venue line
            else:
                items.append(Item("text", block))
        for record in pair_records(self, doc, items, paragraphs=True):
            if isinstance(record, Paper):
                for hint in hints:
                    if hint not in record.topic_hints:
                        record.topic_hints.append(hint)
            yield record

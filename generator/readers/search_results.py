"""Search-result pages: one title line, then one abstract line, with no blank lines between."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from ..ingest.dates import parse_listing_date
from ..model import Paper, Rejected
from .base import (
    ABSTRACT_LABEL,
    AUTHORS_MARKED,
    MAX_NAMES_LINE,
    Block,
    Detection,
    Document,
    PaperFields,
    Reader,
    arxiv_line,
    author_names,
    could_be_title,
    initialled_names,
    is_page_text,
    line_blocks,
    looks_like_abstract,
    one_name,
    skip_page_text,
    title_cased,
)
from .result_cards import date_line, find_cards, parse_cards, unspaced_cards, wrapped_cards
from .stream import Item, pair_records

CARDS_SCORE = 0.65  # below a Daily Papers page told by its header, whose papers may be glued into one paragraph each

# Chrome words glued to the first title by scraping: "SubscribeMastering Atari, ...".
# Only chrome that ends in a way no title starts with ("Subscribe", "... inbox!") is stripped when glued,
# before a capital of any script, a letter of a script without case ("Subscribe日本語"), a digit,
# an opening quote or bracket, or a name in camel case ("SubscribeiVideoGPT", not "Subscribers").
_GLUED_CHROME = re.compile(r"^(?:Get trending papers in your email inbox(?: once a day)?!\s*)*(?:Subscribe)?")
# A heading over the searches a results page suggests ("Related searches", "People also search for").
_SUGGESTIONS = re.compile(
    r"^\s*(?:related\s+(?:searches|queries|topics)|people\s+also\s+(?:search|ask)(?:\s+for)?|searches\s+related\s+to\b.*)\s*:?\s*$",
    re.IGNORECASE,
)
_TITLE_OPENERS = "$\"'(“‘«[¿¡"


def _starts_a_title(text: str) -> bool:
    first = text[:1]
    if not first:
        return False
    if first.isdigit() or first in _TITLE_OPENERS or (first.isalpha() and not first.islower()):  # a capital, or a letter without case
        return True
    # A name written in lower case: "xLSTM", "pix2pix-zero", "k-Means", "mixup: ..."; not "rs" of "Subscribers".
    word = text.split(maxsplit=1)[0]
    named = any(c.isupper() or c.isdigit() or c == "-" for c in word[1:]) or (word.endswith(":") and len(word) > 3)
    return first.islower() and named


def _authors_at(items: list[Item], line: str, following: str) -> tuple[tuple[str, ...], bool] | None:
    """The names of ``line`` where a result prints its authors, and whether the line alone says it is names.

    A line of names is a result's authors between its title and its abstract, or below the abstract
    when it says it is names ("et al.", "· 2025"); a title of a few capitalised words between commas
    ("Vision Transformers, Diffusion Models and Scaling Laws") is a title elsewhere. Several names,
    or names written "Garcia, M.", say they are names; one name of capitalised words ("Kenji Tanaka")
    is written as a short title is, so it is read as a name only under a title of more words.
    """
    if not items or items[-1].kind != "text":
        return None
    names = author_names(line) or initialled_names(line)
    alone = names is not None
    if names is None and (names := one_name(line)) is None:
        return None
    above = items[-1].block.text
    if looks_like_abstract(above):
        return (names, alone) if alone and AUTHORS_MARKED.search(line) else None
    # The line above is a title only where a result starts: first, or after the last result's abstract.
    starts = len(items) == 1 or items[-2].kind != "text" or looks_like_abstract(items[-2].block.text)
    if not alone and len(above.split()) < 3:
        return None
    return (names, alone) if starts and looks_like_abstract(following) else None


def _text_after(blocks: list[Block], index: int) -> str:
    """The line after block ``index``, past a date line (a result's authors, then its date, then its abstract)."""
    for block in blocks[index + 1 : index + 3]:
        if parse_listing_date(block.lines[0].strip()) is None:
            return block.lines[0]
    return ""


def _is_detail(line: str) -> bool:
    """A line that is a result's date, its arXiv id or its authors, never its title or abstract."""
    text = line.strip()
    if not text or len(text) > MAX_NAMES_LINE:  # prose
        return False
    if _HAS_DIGIT.search(text) and (parse_listing_date(text) is not None or arxiv_line(text) is not None):
        return True
    return ("," in text or " and " in text or "&" in text) and (author_names(text) is not None or initialled_names(text) is not None)


_HAS_DIGIT = re.compile(r"\d")  # a date has one


def _blank_separated_pairs(doc: Document) -> bool:
    """Whether each line of content is a paragraph of its own: a blank line (or more) between every two."""
    lines = doc.lines
    content = [i for i, line in enumerate(lines) if line.strip()]
    return all(b - a >= 2 for a, b in pairwise(content))


def strip_glued_chrome(line: str) -> str:
    stripped = line.strip()
    match = _GLUED_CHROME.match(stripped)
    if match and match.end() > 0 and _starts_a_title(stripped[match.end() :]):
        return stripped[match.end() :]
    return line


MIN_WRAP = 60  # characters: lines wrapped narrower are not a page's text
MAX_WRAP = 160  # a page whose lines run longer has them unwrapped, a paragraph each
MIN_WRAPPED_SHARE = 0.4  # of the lines, those that end where the wrapping did
MAX_WORD = 30  # characters


def hard_wrapped(doc: Document) -> tuple[Document, list[int], int] | None:
    """A results page with no blank lines whose text was wrapped at a fixed width, each paragraph joined into one line.

    Returns the joined document, the line in ``doc`` where each of its lines starts, and the width.
    A line was wrapped where the next line's first word would not have fitted on it: ``width`` is
    the longest line, and a line that could have taken that word (a title above its snippet, a
    snippet's last line, "…") ends its paragraph. So does a line that fills the width by chance: a
    title-cased line above prose, a full stop above a title-cased line. A word broken at its
    hyphen is joined back without a space. None when the page is not wrapped so: most lines end well short of the longest.
    """
    lines = doc.lines
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 4 or any(not lines[i].strip() for i in range(content[0], content[-1])):
        return None
    width = max(len(lines[i].rstrip()) for i in content)
    if not MIN_WRAP <= width <= MAX_WRAP:
        return None

    def goes_on(i: int) -> bool:
        line, following = lines[i].rstrip(), lines[i + 1].split()
        if not following or len(following[0]) > MAX_WORD or len(line) + 1 + len(following[0]) <= width:
            return False  # (a "word" longer than any: Chinese or Japanese, unspaced, which wraps anywhere)
        if line.endswith(("\u2026", "...")):
            return False
        if ABSTRACT_LABEL.match(lines[i + 1]):
            return False
        # Lines that fill the width by chance: a snippet's last sentence above the next result's
        # title, a title above its snippet.
        title, next_title = title_cased(line), title_cased(lines[i + 1])
        return not (line.endswith((".", "!", "?")) and next_title) and not (title and not next_title)

    wrapped = [i for i in content[:-1] if goes_on(i)]  # each line's answer, used again below
    if len(wrapped) < MIN_WRAPPED_SHARE * len(content):
        return None
    # Prose wrapped mid-sentence goes on in lower case, mostly; lines of results that only happen to be
    # long (snippets cut at a fixed length) are followed by titles.
    if 2 * sum(1 for i in wrapped if lines[i + 1].lstrip()[:1].islower()) < len(wrapped):
        return None
    goes = set(wrapped)
    joined: list[str] = []
    first_lines: list[int] = []
    going_on = False
    for i, line in enumerate(lines):
        if going_on:
            last = joined[-1]
            glue = "" if last.endswith("-") and last[-2:-1].isalpha() and line.lstrip()[:1].islower() else " "
            joined[-1] = last + glue + line.strip()
        else:
            joined.append(line.rstrip())
            first_lines.append(i + 1)
        going_on = i in goes
    return Document(doc.name, "\n".join(joined), doc.encoding, doc.meta), first_lines, width


def _wrapped_cards(doc: Document) -> tuple[Document, list[int]] | None:
    """The page with its wrapped snippets joined (``wrapped_cards``), where that makes more of its paragraphs result
    cards than the page as it is."""
    wrapped = wrapped_cards(doc)
    joined = find_cards(wrapped[0]) if wrapped is not None else None
    if joined is None:
        return None
    found = find_cards(doc)
    return wrapped if found is None or len(joined[1]) > len(found[1]) else None


class SearchResultsReader(Reader):
    name = "search-results"
    label = "search-results page (title line, abstract line, no blank lines)"

    def detect(self, doc: Document) -> Detection:
        if (unwrapped := hard_wrapped(doc)) is not None:  # snippets wrapped over several lines: read as one line each
            joined = self._detect_lines(unwrapped[0])
            return Detection(joined.score, f"{joined.reason}, once the lines wrapped at {unwrapped[2]} characters are joined")
        lines = self._detect_lines(doc)
        if (spaced := unspaced_cards(doc)) is not None and (found := find_cards(spaced[0])) is not None:
            reason = f"{len(found[1])} results with no blank lines between them, each its title, details and abstract"
            return Detection(max(CARDS_SCORE, lines.score), reason)
        if (wrapped := _wrapped_cards(doc)) is not None and (found := find_cards(wrapped[0])) is not None:
            reason = f"{len(found[1])} results set apart by blank lines, each its title, details and a snippet wrapped over lines"
            return Detection(max(CARDS_SCORE, lines.score), reason)
        if (found := find_cards(doc)) is not None:
            reason = f"{len(found[1])} results set apart by blank lines, each its title, details and abstract"
            return Detection(max(CARDS_SCORE, lines.score), reason)
        return lines

    def _detect_lines(self, doc: Document) -> Detection:
        """A page of results a line each: title, abstract (and a line of authors or a date between)."""
        # A result's line of authors or its date, between its title and its abstract, keeps the two together.
        details = {i for i, line in enumerate(doc.lines) if _is_detail(line)}
        numbered = [(i, line) for i, line in enumerate(doc.lines) if line.strip() and not is_page_text([line]) and i not in details]
        lines = [line for _, line in numbered]
        if len(lines) < 2:
            return Detection(0.0, "fewer than two lines of content")
        # Blank lines between the first and the last line of content (a trailing newline is not one).
        content = [i for i, line in enumerate(doc.lines) if line.strip()]
        blank_between = sum(1 for line in doc.lines[content[0] : content[-1]] if not line.strip())
        found = [  # a title line, then an abstract line: where, the title, and whether the two lines touch
            (k, first.strip().casefold(), all(n in details for n in range(i + 1, j)))
            for k, ((i, first), (j, second)) in enumerate(pairwise(numbered))
            if could_be_title(first) and not ABSTRACT_LABEL.match(first) and looks_like_abstract(second)
        ]
        titles = [title for _, title, _ in found]
        adjacent = sum(1 for _, _, touching in found if touching)
        pairs = len(titles)
        labelled = sum(1 for line in lines if ABSTRACT_LABEL.match(line))
        if labelled > max(1, pairs):  # most "Abstract:" paragraphs have no title above: an abstracts listing
            return Detection(0.0, f"{labelled} 'Abstract:' paragraphs, {pairs} under a title line")
        if titles and labelled >= pairs and all(len(title.split()) == 1 for title in titles):  # "Jack" above a lone "Abstract:"
            return Detection(0.0, f"{labelled} 'Abstract:' paragraph(s) under one-word lines: page text, not titles")
        if pairs >= 2 and len(set(titles)) <= pairs // 2:  # "Jack" above every abstract: the page's text, not titles
            return Detection(0.0, f"the same line above most abstracts ({titles[0][:40]!r}): page text, not titles")
        # The share of the lines that are titles and abstracts, from the first result on: a header
        # above it (filters, "Sort by") is the page's, not a result's.
        share = pairs / max(1, (len(lines) - (found[0][0] if pairs >= 2 else 0)) // 2)
        if pairs and blank_between <= max(2, len(lines) // 10) and share >= 0.6:
            reason = f"{pairs} title line(s) directly followed by an abstract line, no blank lines between"
            return Detection(min(0.95, 0.5 + 0.5 * share), reason)
        if adjacent >= 2 and 2 * adjacent >= 0.9 * len(lines):  # results set apart by blank lines, each title on its abstract
            return Detection(0.75, f"{adjacent} title lines each directly above an abstract line, results apart")
        if pairs >= 2 and 2 * pairs >= len(lines) - found[0][0] and _blank_separated_pairs(doc):
            # Every line after the first title a title or its abstract, each a paragraph of its own: the most
            # plain of listings, and less sure than one whose page says what it is.
            return Detection(0.6, f"{pairs} title lines each above an abstract line, all set apart by blank lines")
        return Detection(0.0, f"title/abstract lines not adjacent ({pairs} pairs, {blank_between} blank lines)")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        if (unwrapped := hard_wrapped(doc)) is not None:
            yield from self._parse_as(doc, unwrapped[0], unwrapped[1])
        elif (spaced := unspaced_cards(doc)) is not None and find_cards(spaced[0]) is not None:
            yield from self._parse_as(doc, *spaced)
        elif (wrapped := _wrapped_cards(doc)) is not None:
            yield from self._parse_as(doc, *wrapped)
        else:
            yield from self._parse(doc)

    def _parse_as(self, doc: Document, inner: Document, first_lines: list[int]) -> Iterator[Paper | Rejected]:
        """The records of ``inner``, a rewritten ``doc``, each (and each note) at the line of ``doc`` it was read from."""
        for record in self._parse(inner):
            if isinstance(record, Paper):
                record.sources = [replace(s, line=first_lines[s.line - 1]) for s in record.sources]
                yield record
            else:
                yield replace(record, line=first_lines[record.line - 1])
        doc.notices.extend(replace(n, file=doc.name, line=first_lines[n.line - 1]) for n in inner.notices)

    def _parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        if (cards := find_cards(doc)) is not None:
            yield from parse_cards(self, doc, *cards)
            return
        items: list[Item] = []
        blocks = line_blocks(doc.lines)
        suggested = False  # under "Related searches": the queries the page suggests, up to the next result
        authors: list[int] = []  # the items read as a result's line of authors
        one_names: list[int] = []  # ...and those of one name, that could be a short title
        for index, block in enumerate(blocks):
            line = strip_glued_chrome(block.lines[0])
            if _SUGGESTIONS.match(line):
                suggested = True
                doc.notice(block.line, f"skipped {line.strip()[:60]!r} and the searches listed under it: the page's, not papers")
                continue
            if suggested:
                following = blocks[index + 1].lines[0] if index + 1 < len(blocks) else ""
                if not (looks_like_abstract(line) or looks_like_abstract(following)):
                    continue
                suggested = False
            if skip_page_text(doc, block.line, [line]):
                continue
            if line != block.lines[0]:
                doc.notice(block.line, "removed page chrome glued to the start of the line")
            unlabelled = ABSTRACT_LABEL.sub("", line, count=1)
            if unlabelled != line and looks_like_abstract(unlabelled):
                line = unlabelled  # "Abstract: ..." under a title: the abstract without its label
            if found := _authors_at(items, line, _text_after(blocks, index)):
                names, alone = found
                (authors if alone else one_names).append(len(items))
                items.append(Item("fields", Block(block.line, [line]), PaperFields(authors=names)))
            elif items and (date := date_line(doc, block.line, line)) is not None:  # "Published on Mar 3, 2025"
                items.append(Item("fields", Block(block.line, [line]), date))
            elif items and (arxiv_id := arxiv_line(line)) is not None:  # "arXiv:2305.14314" under a title
                linked = PaperFields(arxiv_id=arxiv_id, url=f"https://arxiv.org/abs/{arxiv_id}")
                items.append(Item("fields", Block(block.line, [line]), linked))
            else:
                items.append(Item("text", Block(block.line, [line])))
        # A line of names is a result's authors where the page prints them with its results, for half of them
        # at least: one such line among many results is a title of capitalised words ("Vision Transformers, ...").
        # A lone name is one only on a page with lines that are names beyond doubt.
        abstracts = sum(1 for item in items if item.kind == "text" and looks_like_abstract(item.block.text))
        if not authors or 2 * (len(authors) + len(one_names)) < abstracts:
            for at in authors + one_names:
                items[at] = Item("text", items[at].block)
        yield from pair_records(self, doc, items)

"""Abstract-only listings: one ``Abstract:`` paragraph per paper, no titles."""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator

from ..ingest.titles import infer_title
from ..model import Paper, Rejected
from .base import (
    ABSTRACT_LABEL,
    FOOTER_CHARS,
    NO_FIELDS,
    Block,
    Detection,
    Document,
    PaperFields,
    Reader,
    could_be_title,
    is_bare_label,
    is_chrome,
    is_page_text,
    join_lines,
    lone_sentence,
    looks_like_abstract,
    names_venue,
    skip_page_text,
    split_blocks,
    title_cased,
)
from .result_cards import line_details, paper_fields, result_detail


class AbstractsReader(Reader):
    name = "abstracts"
    label = "abstract-only listing ('Abstract:' paragraphs, or abstract paragraphs alone; no titles)"

    def detect(self, doc: Document) -> Detection:
        lines = [line for line in doc.lines if line.strip()]
        marked = sum(1 for line in lines if ABSTRACT_LABEL.match(line) or is_bare_label(line))
        prose = sum(1 for line in lines if looks_like_abstract(line) and not is_page_text([line]))
        if marked and marked >= 0.6 * max(prose, 1):
            return Detection(min(0.95, 0.6 + 0.05 * marked), f"{marked} line(s) start with 'Abstract:'")
        if (paragraphs := _bare_abstracts(doc)) >= 2:
            return Detection(0.55, f"{paragraphs} abstract paragraphs with no title and no 'Abstract:' label")
        return Detection(0.0, "no lines starting with 'Abstract:'")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        record: tuple[int, list[str]] | None = None
        # A paper's title above its "Abstract:", and what the lines between say of the paper (its authors, a date,
        # the venue; OpenReview prints them so): (line, title, fields).
        pending: tuple[int, str, PaperFields] | None = None
        titles: dict[int, tuple[int, str, PaperFields]] = {}  # the line of an abstract: its title's line, text and fields
        above: tuple[int, PaperFields] | None = None  # a line about the paper right above a title: its line and fields

        def drop_pending() -> Iterator[Paper | Rejected]:
            """A title with no "Abstract:" under it: a paper without one where its lines say whose and when
            (an OpenReview entry left collapsed), the page's text otherwise."""
            nonlocal pending
            if pending is not None and pending[2].given() & {"authors", "date"}:
                at, title, found = pending
                doc.notice(at, "a title with its authors or date and no abstract: the paper is kept without one")
                yield self.make_paper(doc, at, title=title, abstract="", raw="\n".join(lines[at - 1 : at]), found=found)
            elif pending is not None:
                doc.notice(pending[0], f"skipped page text {pending[1][:60]!r} (not an abstract)")
            pending = None

        def take_pending(number: int) -> None:
            nonlocal pending
            if pending is not None:
                titles[number] = pending
            pending = None

        def flush() -> Iterator[Paper | Rejected]:
            nonlocal record
            if record is None:
                return
            line, parts = record
            record = None
            raw = "\n".join(parts)
            text = parts[1:] if is_bare_label(parts[0]) else parts
            abstract = ABSTRACT_LABEL.sub("", join_lines(text), count=1).strip()
            if not abstract:
                yield self.reject(doc, line, "'Abstract:' with no text", raw)
                return
            if labels and parts is text and not ABSTRACT_LABEL.match(parts[0]) and lone_sentence(abstract):
                # One unlabelled sentence in a list whose abstracts are labelled: the page's ("All abstracts on this
                # page are reproduced under ..."), reported rather than published as a paper.
                yield self.reject(doc, line, "one sentence without the 'Abstract:' label the list's abstracts have", raw)
                return
            if line in titles:
                at, title, found = titles[line]
                raw = "\n".join(lines[at - 1 : line - 1] + [raw])
                yield self.make_paper(doc, at, title=title, abstract=abstract, raw=raw, found=found)
                return
            yield self.make_paper(doc, line, title=infer_title(abstract), abstract=abstract, raw=raw, title_inferred=True)

        lines = doc.lines
        labels = any(ABSTRACT_LABEL.match(line) or is_bare_label(line) for line in lines)
        labelled = False  # the line before was "Abstract" on its own: this one is the abstract
        gap = False  # a blank line after a labelled abstract: the next paragraph may be its second
        titles_above = _titles_above_labels(lines)
        between = _paragraphs_between_labels(lines, titles_above)
        headers_alone = _headers_without_label(lines, titles_above)
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                if gap or record is None or not _labelled(record[1][0]):
                    if not labelled:
                        yield from flush()
                    gap = False
                elif not labelled:
                    gap = True
                continue
            if gap:
                gap = False
                if number in between and number not in titles_above and record is not None and _second_paragraph(lines, number):
                    doc.notice(number, "joined a paragraph without a label to the abstract above it, as its second paragraph")
                    record[1].append(line)
                    continue
                yield from flush()
            if is_bare_label(line):
                yield from flush()
                record, labelled = (number, [line]), True
                take_pending(number)
            elif labelled and record is not None and not ABSTRACT_LABEL.match(line):
                record[1].append(line)
                labelled = False
            elif ABSTRACT_LABEL.match(line):
                yield from flush()  # an "Abstract:" with nothing under it is rejected, not given this text
                record, labelled = (number, [line]), False
                take_pending(number)
            elif skip_page_text(doc, number, [line]):
                labelled = False  # a "Comments:" or "Cite as:" line, a footer link: the page's, not an abstract's
            elif record is not None and _continues(record[1], line):
                record[1].append(line)  # a wrapped abstract continues on the next line
            elif (
                pending is not None and record is None
                and (not looks_like_abstract(line) or result_detail(line.strip()))  # a dozen names with their affiliations
                and (found := _about_paper(doc, number, line.strip())) is not None
            ):
                pending = (pending[0], pending[1], pending[2].updated(found))  # a line about the paper under its title
            elif looks_like_abstract(line):
                yield from flush()
                yield from drop_pending()
                doc.notice(number, "an abstract without its 'Abstract:' label")
                record = (number, [line])
            elif (
                pending is None and _title_below(lines, number, titles_above)
                and (found := _about_paper(doc, number, line.strip())) is not None
            ):
                yield from flush()
                # "Published: 04 September 2024", "Pages: 1000 - 1024" right above a journal article's title
                kept = above[1] if above is not None and _touching(lines, above[0], number) else NO_FIELDS
                above = (number, kept.updated(found))
            elif number in titles_above or (pending is None and number in headers_alone) or (
                pending is not None and number in headers_alone and record is None
            ):
                yield from flush()
                yield from drop_pending()  # the title above had no abstract
                pending = (number, line.strip(), above[1] if above is not None and _touching(lines, above[0], number) else NO_FIELDS)
            elif is_chrome(line) or len(line.strip()) < 80:
                yield from flush()
                doc.notice(number, f"skipped page text {line.strip()[:60]!r} (not an abstract)")
            else:
                yield from flush()
                yield from drop_pending()
                yield self.reject(doc, number, "text that is neither an 'Abstract:' paragraph nor page chrome", line)
        yield from flush()
        yield from drop_pending()


MAX_HEADER_BLOCKS = 3  # short paragraphs above the first abstract: the page's name, its heading, a date


def _bare_abstracts(doc: Document) -> int:
    """How many paragraphs of an abstracts-only listing that labels none are abstracts: every paragraph from the first
    abstract to the last is one (or the page's own), set apart by blank lines; a few short ones above and below are the
    page's heading and foot.
    0 when the file is not laid out so (a title, a line of authors or a venue between abstracts is another listing)."""
    blocks = split_blocks(doc.lines)
    if sum(1 for block in blocks if len(block.text) < FOOTER_CHARS) > 2 * MAX_HEADER_BLOCKS:
        return 0  # (quickly) more short paragraphs than a heading and a foot: titles, lines about papers
    blocks = [block for block in blocks if not is_page_text(block.lines)]
    first = next((i for i, block in enumerate(blocks) if looks_like_abstract(block.text)), None)
    if first is None or first > MAX_HEADER_BLOCKS or any(len(block.text) >= FOOTER_CHARS for block in blocks[:first]):
        return 0
    rest = blocks[first:]
    footer = 0  # short paragraphs below the last abstract: the page's foot ("Room 4.12 · 16:00")
    while footer < min(MAX_HEADER_BLOCKS, len(rest) - 1) and len(rest[-1 - footer].text) < FOOTER_CHARS and not looks_like_abstract(
        rest[-1 - footer].text
    ):
        footer += 1
    rest = rest[: len(rest) - footer]
    return len(rest) if all(_bare_abstract(block) for block in rest) else 0


def _bare_abstract(block: Block) -> bool:
    """A paragraph of prose and nothing else: no line of it the page's (a rank "1.", buttons) or about a paper (its
    authors, a date), as a search result's or a newsletter's paragraph has."""
    return looks_like_abstract(block.text) and not any(is_page_text([line]) or result_detail(line.strip()) for line in block.lines)


# Lines: a title, lines about the paper (its authors, "Published: 16 Jan 2024", a venue, "Readers: Everyone",
# "Keywords: …"), blank lines, then "Abstract:".
_TITLE_LOOKAHEAD = 10
# "Readers: Everyone", "TL;DR: …"; "Title: …" is the title's line.
_FIELD = re.compile(r"^(?!title\s*:)[^\W\d_][\w;]*(?:[ -][^\W\d_][\w;]*){0,2}\s*[:：]\s+\S", re.IGNORECASE)
_MAX_FIELD = 300  # characters: a line about a paper is short; longer is prose


def _about_paper(doc: Document, number: int, text: str) -> PaperFields | None:
    """What a line between a title and its "Abstract:" says of the paper: its authors, a date, a venue; no fields for a
    labelled line papercat does not read ("Readers: Everyone"), noted; None when the line is not about the paper."""
    if (found := line_details(doc, number, text)) is not None:
        return found
    if _field(text):
        doc.notice(number, f"skipped {text[:60]!r}: a line about the paper papercat does not read")
        return NO_FIELDS
    if len(text) <= _MAX_FIELD and names_venue(text):
        return PaperFields(venue=text)
    return None


def _title_below(lines: list[str], number: int, titles: set[int]) -> bool:
    """Whether a title starts a few lines below line ``number`` (1-based), with only lines about a paper between."""
    for below in range(number + 1, min(number + _TITLE_LOOKAHEAD, len(lines)) + 1):
        if below in titles:
            return True
        text = lines[below - 1].strip()
        if not text or not _about_or_page(text):
            return False
    return False


def _touching(lines: list[str], above: int, number: int) -> bool:
    """Whether nothing but lines about a paper and the page's own lie between lines ``above`` and ``number`` (1-based)."""
    between = [text.strip() for text in lines[above : number - 1]]
    return all(text and _about_or_page(text) for text in between)


def _about_or_page(text: str) -> bool:
    """A line about a paper, or the page's own: what may stand between a paper's lines without ending it."""
    return _detail(text) or is_page_text([text])


@functools.lru_cache(maxsize=8192)  # asked of a line for each title candidate above it, and again while reading
def _detail(text: str) -> bool:
    return result_detail(text) or _field(text) or (len(text) <= _MAX_FIELD and names_venue(text))


def _field(text: str) -> bool:
    """A labelled line about a paper ("Readers: Everyone", "Keywords: …"); not a title with its name before a colon
    ("PilotRec: Hallucination Mitigation Meets Test-Time Training"), title-cased after it."""
    if len(text) > _MAX_FIELD or (label := _FIELD.match(text)) is None:
        return False
    value = text[label.end() - 1 :]
    return len(value.split()) < 3 or not title_cased(value)


def _headers_without_label(lines: list[str], titles: set[int]) -> set[int]:
    """The lines (1-based) of titles with no "Abstract:" under them, in a list whose other titles have one: a title
    right above two lines or more that say whose paper it is and when (an OpenReview entry left collapsed), then
    the next title or the page's end."""
    if not titles:
        return set()
    found: set[int] = set()
    for number in range(1, len(lines) + 1):
        text = lines[number - 1].strip()
        if number in titles or len(text.split()) < 3 or not could_be_title(text) or looks_like_abstract(text) or _detail(text):
            continue
        about = 0
        end = number
        for end in range(number + 1, min(number + _TITLE_LOOKAHEAD, len(lines)) + 1):
            below = lines[end - 1].strip()
            if not below or _labelled(below) or not _about_or_page(below):
                break
            fields = paper_fields(below)
            about += fields is not None and bool(fields.given() & {"authors", "date"})
        else:
            end = len(lines) + 1
        if about >= 2 and (end > len(lines) or end in titles or not lines[end - 1].strip()):
            found.add(number)
    return found


_REFERENCE = re.compile(r"^\[\d{1,4}\]\s+\S")  # "[8] P. H. Martins, Z. Marinho, …": a bibliography's numbered entry


def _in_reference(texts: list[str], number: int) -> bool:
    """Whether line ``number`` (0-based) belongs to a numbered reference: its paragraph starts with "[8] "."""
    start = number
    while start > 0 and texts[start - 1]:
        start -= 1
    return bool(_REFERENCE.match(texts[start]))


def _titles_above_labels(lines: list[str]) -> set[int]:
    """The lines (1-based) that are titles above the list's abstracts, where it prints one above half of them at
    least (two or more); none otherwise (a heading above the first one only, "My reading list", is the page's).

    A title is words of a title with an "Abstract:" a few lines below, and nothing between but blank lines,
    lines about the paper and one other short line (the page's own) that is no title above the label itself.
    """
    texts = [line.strip() for line in lines]
    label = [_labelled(text) for text in texts]
    if not any(label):
        return set()
    # Only a line with a label a few lines below can be a title: the others are not looked at.
    near = sorted({n for n, is_label in enumerate(label) if is_label for n in range(max(0, n - _TITLE_LOOKAHEAD), n)})

    def could_be(number: int) -> bool:
        text = texts[number]
        if not text or label[number] or not could_be_title(text) or looks_like_abstract(text) or is_page_text([text]):
            return False
        if _in_reference(texts, number):
            return False  # a line of a numbered reference wrapped over lines ("[8] P. H. Martins, … pages 5468–5485, May 2022.")
        return not result_detail(text)  # a date, a line of names: about a paper, never its title

    def lines_below(number: int) -> Iterator[int]:
        """The lines under a title down to its label: those that are not about the paper; -1 for the label."""
        for below in range(number + 1, min(number + _TITLE_LOOKAHEAD + 1, len(lines))):
            if label[below]:
                yield -1
                return
            if texts[below] and not _detail(texts[below]):
                yield below

    # A word or two ("Hydra") is a title right above its label, with nothing between but lines about the paper;
    # one repeated above several abstracts ("Jack", a user's name) is the page's.
    short = [n for n in near if could_be(n) and len(texts[n].split()) < 3 and next(lines_below(n), None) == -1]
    repeated = Counter(texts[n] for n in short)
    short_titles = {n for n in short if repeated[texts[n]] < 2}

    above_label: set[int] = set()  # each told from the lines below it, so from the end up
    for number in reversed(near):
        if number in short_titles or not could_be(number) or len(texts[number].split()) < 3:
            continue
        others = list(itertools.islice(lines_below(number), 3))
        if others[-1:] != [-1] or len(others) > 2:
            continue  # no label below, or more than one other line before it
        if len(others) == 2:
            other = others[0]  # one short line of the page's between: never prose, never a title of its own
            if len(texts[other]) >= 80 or looks_like_abstract(texts[other]) or other in above_label or other in short_titles:
                continue
        above_label.add(number)
    titles = {number + 1 for number in above_label | short_titles}
    return titles if len(titles) >= 2 and 2 * len(titles) >= sum(label) else set()


def _labelled(line: str) -> bool:
    return bool(ABSTRACT_LABEL.match(line) or is_bare_label(line))


def _paragraphs_between_labels(lines: list[str], titles: set[int]) -> set[int]:
    """The first lines (1-based) of the unlabelled paragraphs that lie between two labelled abstracts (the second
    under its title, or not)."""
    starts = [n for n in range(len(lines)) if lines[n].strip() and (n == 0 or not lines[n - 1].strip())]
    found: set[int] = set()
    for before, start, after in zip(starts, starts[1:], starts[2:], strict=False):
        labelled_before = any(_labelled(line) for line in lines[before:start])
        if labelled_before and not _labelled(lines[start]) and start + 1 not in titles and (_labelled(lines[after]) or after + 1 in titles):
            found.add(start + 1)
    return found


def _second_paragraph(lines: list[str], number: int) -> bool:
    """Whether the paragraph at line ``number`` goes on with the abstract above it: one short sentence, too
    little to be an abstract of its own ("We release code and weights."), that is not the page's text.

    A paragraph that could be an abstract is one, missing its label: joining it would lose a paper.
    """
    end = next((n for n in range(number - 1, len(lines)) if not lines[n].strip()), len(lines))
    text = join_lines(lines[number - 1 : end])
    if is_page_text(lines[number - 1 : end]) or len(text) < 40:
        return False
    return len(text) <= _CLOSING_SENTENCE and lone_sentence(text) and text.endswith((".", "!", "?", "。"))


_CLOSING_SENTENCE = FOOTER_CHARS  # characters: "Code is available at ...", "We release the models."; an abstract says more




def _continues(lines: list[str], line: str) -> bool:
    """Whether ``line`` goes on with the abstract of ``lines`` (an abstract wrapped over lines).

    A page's own text after an abstract ("Show more results", a name) starts a sentence of its own;
    a line that starts with a capital or a digit goes on with a wrapped one only (a short line, as a
    page wraps its text: "... on QM9 and" / "ZINC250k, and the novelty ..."). After a sentence's end,
    only a wrapped abstract goes on, with a line about as wide as its others (a page wrapped it
    there): a short line is the page's.
    """
    previous = lines[-1].strip()
    if is_page_text([line]):
        return False
    if previous.endswith((".", "!", "?")):
        widths = [len(text.strip()) for text in lines]
        return max(widths) <= _WRAP_WIDTH and len(line.strip()) >= _FULL_LINE * max(widths)
    return line.lstrip()[:1].islower() or len(previous) <= _WRAP_WIDTH


_WRAP_WIDTH = 160  # characters: a page that wraps an abstract over lines wraps it narrower than this
_FULL_LINE = 0.6  # of the widest line: a wrapped paragraph's lines but its last are about as wide

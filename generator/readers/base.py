"""What every reader shares: the decoded document, detection results, and block splitting."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace

from ..ingest.ids import parse_arxiv_id
from ..ingest.normalize import normalize_text, strip_invisible
from ..model import DatePrecision, Notice, Paper, Rejected, Source
from ..text import CJK_CHARACTER, CJK_FULL_STOPS, SENTENCE_BREAK

# Lines that listing sites print around the papers. Compared case-insensitively, after trimming.
PAGE_CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "by ak and the research community",
    "goto",
    "collaborating authors",
    "trending papers",
    "load more",
    "view all",
    "search",
    "search results",
    "daily", "weekly", "monthly",  # a Daily Papers page's view tabs
    "relevance", "most recent", "most cited", "newest", "oldest",  # a results page's sort tabs
    "articles", "case law", "my library", "my profile",  # Google Scholar's tabs and links
    "abstract", "abstract:",  # a label on its own line between a title and its abstract
    "most implemented papers", "add code", "add a new result", "edit", "accept", "reject", "accept all", "reject all",
    "most implemented", "social", "latest", "no code", "most implemented social latest no code",  # Papers with Code's tabs
    "fields of study", "date range", "has pdf", "author", "journals & conferences", "publication type",  # Semantic Scholar's filters
    "semantic scholar", "create free account", "sign in",  # ... and its header
    "papers with code", "browse state-of-the-art", "methods", "more",  # Papers with Code's menu
    "monthly papers", "weekly papers", "previous month", "next month", "previous week", "next week",  # a view's heading and links
    "follow", "following", "unfollow",  # a topic's or an author's follow button
    "show details", "hide details", "download pdf", "show more", "show less",  # a review site's toggles
    "preprint", "article", "conference paper", "full-text available", "full text available",  # a research network's badges
}
# A list's number or bullet before an item: "1. ", "2) ", "[3] ", "• ", "- ", "* " (Markdown's).
LIST_MARKER = r"(?:\d{1,4}[.)]|\[\d{1,4}\]|[•●◦▪‣*–-])\s+"
# "Abstract:" before an abstract ("Abstract. We", "Abstract—We", "Abstract - We"), "1. Abstract:" in a
# numbered list. A hyphen is a label's only before a space, a full stop before a space or a capital
# ("Abstract.We", a space lost): "Abstract-Level Reasoning" and "Abstract.js ..." are the paper's own words.
# The label in other languages a listing may print it in: French, Spanish, Portuguese, German, Italian, Russian,
# Ukrainian, Chinese, Japanese, Korean, Turkish; always with its colon ("Résumé :").
ABSTRACT_WORDS = "résumé|resumen|resumo|zusammenfassung|riassunto|sommario|аннотация|анотація|摘要|要旨|概要|초록|özet"
ABSTRACT_LABEL = re.compile(
    rf"^\s*(?:{LIST_MARKER})?(?:abstract\s*(?:[:：]|[—–]|-(?=\s)|\.(?=\s|(?-i:[A-Z])))|(?:{ABSTRACT_WORDS})\s*[:：])\s*",
    re.IGNORECASE,
)
# What a title may carry that is the list's, not the paper's: its number or bullet, a "Title:" label.
_BARE_LABEL = re.compile(rf"^\s*(?:{LIST_MARKER})?(?:abstract\s*[:：]?|(?:{ABSTRACT_WORDS})\s*[:：])\s*$", re.IGNORECASE)


def is_bare_label(line: str) -> bool:
    """``Abstract`` alone on its line (``[1] Abstract:``), its paragraph on the next."""
    return bool(_BARE_LABEL.match(line))


_TITLE_PREFIX = re.compile(rf"^(?:{LIST_MARKER}|title\s*:\s*)(?=\S)", re.IGNORECASE)
# The link a page prints where it cut an abstract short: "... (more)", "… [Read more]", "…Show more", "… Expand".
_READ_MORE = re.compile(
    r"\s*(?:\.{3}|\u2026)?\s*(?:\((?:read |see |show )?more\)|\[(?:read |see |show )?more\]"
    r"|(?<=[.\u2026])\s*(?:(?:read|see|show) more|expand))\s*$",
    re.IGNORECASE,
)
MAX_RAW = 2000  # characters of a rejected block kept in the report
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$")  # the only links a paper may carry


def is_chrome(line: str) -> bool:
    return line.strip().casefold() in PAGE_CHROME


# What a listing site prints around the papers to move between pages and at their foot: page
# numbers and links, result counts, a copyright line, footer links, vote counts on their own.
# Never a paper's text; skipped with a notice.
_NAVIGATION = re.compile(
    r"""^(?:
        \d{1,4}                                            # a page number, or a lone vote count
      | \#?\d{1,4}[.)] | \[\d{1,4}\] | \#\d{1,4}                # a result's rank: "1.", "[1]", "#1"
      | [▲△⬆↑]\s*\d[\d.,]*k? | \d{1,3}(?:\.\d{1,2})?k          # vote counts: "▲ 9", "1.2k", "2.71k"
      | [a-z0-9][\w.-]*/[\w.-]+(?:\s+\d[\d.,]*k?)?              # a paper's code: "deepseek-ai/DeepSeek-Math", its stars
      | (?:[«‹<←]\s*)?(?:previous|prev|next|older|newer|first|last)(?:\s+page)?(?:\s*[»›>→])?
      | [«‹<←»›>→] | … | \.{3}
      | (?:(?:[«‹<←»›>→…]|\.{3}|\d{1,4}|previous|prev|next|first|last|page)(?:\s+|$)){3,}  # "« Previous 1 2 3 … 18 Next »"
      | (?:©|\(c\)|copyright\s*(?:©|\(c\)|(?:19|20)\d\d)).{0,100} | .{0,100}\ball\s+rights\s+reserved\.?   # not "Copyright Traps for ..."
      | (?:showing|displaying|results?|page)\s+\d[\d,]*.{0,60}\bof\s+\d[\d,]*.{0,30}
      | search\s+(?:over\s+)?\d[\d,.]*\s*[mk]?\s+(?:papers|articles|publications)\b.{0,60}   # a search site's tagline
      | (?:about\s+)?\d[\d,.]*k?\s+(?:results?|papers?|matches|hits)(?:\s+found)?   # "128 results", "1,284 papers"
        (?:\s*\([\d.,]+\s*sec(?:onds)?\))?(?:\s+for\s+\S.{0,120})?                  # "About 3,410 results (0.06 sec)"
      | (?:showing\s+|search\s+)?results\s+(?:for|matching)\s*:?\s+\S.{0,120}                 # "Search results for “…”"
      | papers\s+matching\s+(?:your\s+search\s+)?(?:for\s+)?\S.{0,120}                       # "Papers matching …"
      | (?:read|show|see|view)\s+(?:more|less) | [△▽▲▼]\s*(?:more|less)      # an abstract's "Read more"
      | upvotes? | \d[\d,]*\s+(?:comments?|upvotes?) | upvote\s+\d[\d,.]*k?     # a paper's buttons and counts
      | sort(?:ed)?\s+by\b.{0,40} | any\s+time | since\s+(?:19|20)\d\d | custom\s+range\.*   # a results page's filters
      | (?:comments|subjects|journal[- ]ref|cite\s+as|doi|(?:msc|acm)[- ]class(?:es)?|report[- ]n(?:o|umber)\.?)\s*[:：].{0,400}
      | (?:keywords|tl;\s?dr|one[- ]sentence\s+summary|primary\s+area)\s*[:：].{0,400}   # a review site's fields (OpenReview)
      | (?:submission\s+(?:start|deadline)|abstract\s+registration)\s*[:：].{0,400}      # ... and its venue's dates
      | submitted\s+\d{1,2}\s+[a-z]+,?\s+\d{4}\b.{0,100}                    # an arXiv entry's lines besides its abstract
      | (?:we|this\s+(?:site|website)|our\s+(?:site|website))\s+uses?\s+cookies\b.{0,300}   # a cookie banner
      | (?:this\s+(?:message|e-?mail|alert)\s+was\s+sent|you(?:'|’|\s+a)re\s+receiving\s+this)\b.{0,300}   # an alert e-mail's foot
      | [^.]{1,80}\bis\s+an?\s+(?:free|open)\b[^.]{0,40}\b(?:resource|tool|service)\b.{0,200}     # a site's blurb
      | (?:accept|reject|allow|decline|manage)\s+(?:all\s+|optional\s+|essential\s+)?cookies.{0,40}
      | ranked\s+\#\d+\s+on\s+.{1,120}                                      # Papers with Code's leaderboard line
      | (?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|ai|co|edu|gov|dev|app|info|uk|de|fr|cn|jp)   # a reader view's site line
      | \d{1,3}(?:\s*[–-]\s*\d{1,3})?\s+min(?:ute)?s?(?:\s+read)?            # ... and its reading time
      | [^,]{1,80}\s[-–|]\s(?:hugging\s?face|google\s+scholar|semantic\s+scholar|arxiv|papers\s+with\s+code
                          |openreview|acl\s+anthology|dblp)           # the page's title: "Daily Papers - Hugging Face"
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_FOOTER_LINKS = {
    "about", "api", "blog", "careers", "company", "contact", "cookies", "docs", "faq", "help", "jobs", "press",
    "pricing", "privacy", "privacy policy", "status", "system theme", "terms", "terms of service", "terms of use",
    "tos", "website", "data policy", "cookies policy", "cookie policy", "cookie settings", "imprint", "accessibility",
    "models", "datasets", "spaces", "posts", "enterprise", "community", "log in", "login", "sign in", "sign up",
    "copyright", "contact arxiv", "subscribe to arxiv mailings", "web accessibility assistance", "arxiv operational status",
    "about us", "contact us", "publishers", "resources", "manage preferences", "cookie preferences", "manage cookies",
    "hugging face", "hugging face's logo", "papers", "search any paper with ai",
}
# The links a listing prints under a paper, each on its own line when copied.
_PAPER_LINKS = {
    "abs", "arxiv", "bib", "bibtex", "cite", "code", "dataset", "demo", "github", "html", "paper", "pdf",
    "poster", "project page", "save", "slides", "video",
    "endnote", "mods xml", "ris",  # the export formats a volume of the ACL Anthology links
}
# The buttons a listing prints under a paper, several on one line when copied ("[PDF] | Cite | Save").
_BUTTONS = _PAPER_LINKS | {
    "view arxiv page", "view pdf", "view paper", "view code", "add to collection", "related articles", "import into bibtex",
    "open access", "free access", "full access",  # a journal's badges on an article
    "download", "share", "bookmark", "copy link", "export", "upvote", "more", "cited by", "[pdf]", "[html]", "[code]",
    "expand", "alert", "collapse", "research feed", "learn more", "view",
    "twitter", "linkedin", "facebook", "reddit", "email",  # an alert e-mail's sharing links
}
_BUTTON_WORDS = {
    "pdf", "bib", "abs", "bibtex", "cite", "save", "code", "html", "video", "slides", "poster", "[pdf]", "[html]",
    "twitter", "linkedin", "facebook", "reddit", "email",
}
_BUTTON_ROW = re.compile(r"\s*(?:[|·•/]|\t|\s{2,})\s*")
_BUTTON_PART = re.compile(r"(?:cited by|all|related articles)\s+\d[\d,]*(?:\s+versions?)?|all\s+\d[\d,]*\s+versions?", re.IGNORECASE)
SUBMITTER = re.compile(r"^submitted\s+by\s+\S.{0,80}$", re.IGNORECASE)  # who posted the paper to the page


def is_buttons(text: str) -> bool:
    """Whether a line is a paper's buttons and links: "View PDF", "[PDF] | Cite | Save", "pdf bib abs"."""
    parts = [part for part in _BUTTON_ROW.split(text.strip()) if part]
    if parts and all(part.casefold() in _BUTTONS or _BUTTON_PART.fullmatch(part) for part in parts):
        return True
    words = text.casefold().split()
    return len(words) > 1 and all(word in _BUTTON_WORDS for word in words)


def is_navigation(line: str) -> bool:
    text = line.strip()
    if not any(c.isalnum() for c in text) and any(unicodedata.category(c)[0] in "PS" for c in text):
        return True  # a rule or a separator ("---", "* * *", "|"): no paper's text has no letter or digit
    key = text.casefold()
    return (
        key in _FOOTER_LINKS or is_buttons(text) or bool(_NAVIGATION.match(text) or SUBMITTER.match(text))
    )


def is_page_text(lines: list[str]) -> bool:
    """Whether lines are all the site's own (chrome, navigation, a menu), not a paper's."""
    return all(is_chrome(line) or is_navigation(line) for line in lines) or is_menu(lines)


def is_menu(lines: list[str]) -> bool:
    """A site's menu or tabs, a link a line: three lines at least, each of a few words ending in no punctuation, and
    most of them one word of letters ("Topics" / "Venues" / "Authors" / "Sign in", "Daily" / "Weekly" / "Monthly"). A paper's
    title wrapped over lines has longer ones; its authors one a line are each two words or more."""
    texts = [line.strip() for line in lines if line.strip()]
    return (
        len(texts) >= 3
        and all(len(text) <= 40 and len(text.split()) <= 4 and not text.endswith((".", "!", "?", ":", ",")) for text in texts)
        and 2 * sum(1 for text in texts if text.isalpha()) >= len(texts)  # words, not "•" / "·" or a count
    )


def skip_page_text(doc: Document, line: int, lines: list[str]) -> bool:
    """``is_page_text``, noting navigation skipped (chrome is left out without a word, as always)."""
    if not is_page_text(lines):
        return False
    if not all(is_chrome(text) for text in lines):
        shown = " ".join(text.strip() for text in lines)
        doc.notice(line, f"skipped {shown[:60]!r}: the page's navigation, links, counts or footer, not a paper")
    return True


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What ``content/sources.yml`` says about one listing file."""

    captured: dt.date | None = None
    venue: str | None = None
    url: str | None = None
    topic: str | None = None
    format: str | None = None


@dataclass(slots=True)
class Document:
    """One listing file, decoded, with line endings made ``\\n``."""

    name: str  # path relative to the content folder, with forward slashes
    text: str
    encoding: str
    meta: SourceMeta = field(default_factory=SourceMeta)
    notices: list[Notice] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def notice(self, line: int, message: str) -> None:
        self.notices.append(Notice(self.name, line, message))


@dataclass(frozen=True, slots=True)
class Detection:
    """How sure a reader is that a document is its format (0 to 1), and why."""

    score: float
    reason: str


@dataclass(slots=True)
class Block:
    """Consecutive non-blank lines, with the 1-based number of the first one."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)


# A line broken after a hyphen inside a word ("single-" / "attribute audits"): the word goes on.
_HYPHEN_BREAK = re.compile(r"(?<=\w-)\n(?=[^\W\d_])")


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one text: a space where a line broke, none where it broke after a word's hyphen."""
    if len(lines) == 1:
        return lines[0].strip()
    text = "\n".join(part.strip() for part in lines)
    return (_HYPHEN_BREAK.sub("", text) if "-\n" in text else text).replace("\n", " ")


def split_blocks(lines: list[str]) -> list[Block]:
    """Blank-line separated blocks of a document."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if current is None:
                current = Block(number, [])
                blocks.append(current)
            current.lines.append(line)
        else:
            current = None
    return blocks


def line_blocks(lines: list[str]) -> list[Block]:
    """Every non-blank line as a block of its own (listings without blank lines between fields)."""
    return [Block(number, [line]) for number, line in enumerate(lines, start=1) if line.strip()]


@dataclass(frozen=True, slots=True)
class PaperFields:
    """What a reader found about a paper besides its title and abstract, as read (not yet normalized).

    The one record readers hand to ``Reader.make_paper``: every field is named and typed, so a
    reader cannot pass a field the catalogue does not know or a value of the wrong kind.
    """

    authors: tuple[str, ...] = ()
    author_count: int | None = None
    authors_cut: bool = False  # the page cut the list of authors short ("J Ho, A Jain…"): how many there are is unknown
    date: str | None = None
    date_precision: DatePrecision | None = None
    date_inferred: bool = False  # the year of ``date`` was not printed, but guessed from the page
    venue: str | None = None
    organization: str | None = None
    upvotes: int | None = None
    url: str | None = None
    arxiv_id: str | None = None
    topic_hints: tuple[str, ...] = ()

    def given(self) -> set[str]:
        """The names of the fields set (not empty, not false)."""
        return {f.name for f in fields(self) if (value := getattr(self, f.name)) is not None and value != () and value is not False}

    def updated(self, other: PaperFields) -> PaperFields:
        """These fields with every field ``other`` sets (not empty) taking its value from ``other``; but a date
        less precise than the one these fields have (a venue's year under the day a paper was posted) leaves it."""
        changes = {name: getattr(other, name) for name in other.given()}
        if self.date is not None and other.date is not None and _coarser(other.date_precision, self.date_precision):
            for name in ("date", "date_precision", "date_inferred"):
                changes.pop(name, None)
        elif other.date is not None:
            changes["date_inferred"] = other.date_inferred  # a date comes with what is known of its year
        return replace(self, **changes)


NO_FIELDS = PaperFields()
# What a review site prints in place of the names of a paper under double-blind review: no author.
_ANONYMOUS = {"anonymous", "anonymous author", "anonymous authors", "anonymous submission", "anonymous author(s)"}
_FINENESS = {"day": 0, "month": 1, "year": 2}


def _coarser(precision: DatePrecision | None, than: DatePrecision | None) -> bool:
    """Whether a date of ``precision`` says less than one of ``than`` (a date of no stated precision is a day)."""
    return _FINENESS[precision or "day"] > _FINENESS[than or "day"]


class Reader(ABC):
    """A listing format: says whether a document is its kind, and reads papers from it."""

    name: str
    label: str

    @abstractmethod
    def detect(self, doc: Document) -> Detection: ...

    @abstractmethod
    def parse(self, doc: Document) -> Iterator[Paper | Rejected]: ...

    # Helpers shared by the readers.
    def source(self, doc: Document, line: int) -> Source:
        return Source(file=doc.name, line=line, reader=self.name)

    def reject(self, doc: Document, line: int, reason: str, raw: str) -> Rejected:
        return Rejected(file=doc.name, line=line, reason=reason, raw=raw[:MAX_RAW], reader=self.name)

    def make_paper(
        self,
        doc: Document,
        line: int,
        *,
        title: str,
        abstract: str,
        raw: str,
        title_inferred: bool = False,
        found: PaperFields = NO_FIELDS,
    ) -> Paper | Rejected:
        """Normalize the text fields, apply the file's metadata, and validate; a bad record is rejected."""
        clean_title, dropped_t = strip_invisible(title)
        clean_abstract, dropped_a = strip_invisible(abstract)
        others = [*found.authors, found.venue or "", found.organization or ""]
        dropped_o = sum(strip_invisible(text)[1] for text in others)
        if dropped_t or dropped_a or dropped_o:
            doc.notice(line, f"removed {dropped_t + dropped_a + dropped_o} control, zero-width or bidirectional character(s)")
        clean_title = _TITLE_PREFIX.sub("", normalize_text(clean_title), count=1)
        clean_abstract = normalize_text(clean_abstract)
        if (unlabelled := ABSTRACT_LABEL.sub("", clean_abstract, count=1)) and looks_like_abstract(unlabelled):
            clean_abstract = unlabelled  # "Abstract: ..." under its title: the label is the page's
        if (cut := _READ_MORE.sub("\u2026", clean_abstract)) != clean_abstract and cut.strip("\u2026 "):
            doc.notice(line, "removed the page's 'more' link at the end of the abstract: the abstract is cut short there")
            clean_abstract = cut
        if not clean_title:
            return self.reject(doc, line, "title is empty after removing invisible characters", raw)
        hints = list(found.topic_hints)
        if doc.meta.topic and doc.meta.topic not in hints:
            hints.append(doc.meta.topic)
        venue = found.venue or doc.meta.venue
        authors = [a for a in (normalize_text(a) for a in found.authors) if a and a.casefold() not in _ANONYMOUS]
        author_count = found.author_count
        if authors and author_count is None and not found.authors_cut:
            author_count = len(authors)
        paper = Paper(
            title=clean_title,
            abstract=clean_abstract,
            title_inferred=title_inferred,
            authors=authors,
            author_count=author_count,
            date=found.date,
            date_precision=found.date_precision,
            date_inferred=found.date_inferred and found.date is not None,
            venue=normalize_text(venue) if venue else None,
            organization=(normalize_text(found.organization) or None) if found.organization else None,
            upvotes=found.upvotes,
            url=found.url,
            arxiv_id=found.arxiv_id,
            topic_hints=[normalize_text(h) for h in hints if normalize_text(h)],
            sources=[self.source(doc, line)],
        )
        try:
            paper.validate()
        except ValueError as err:
            return self.reject(doc, line, str(err), raw)
        return paper


_CJK_SENTENCE_END = re.compile(f"[{CJK_FULL_STOPS}]")
# A full stop ending one sentence and a capital starting the next ("... objects. The model ...").
_SENTENCE_BREAK = re.compile(r"[a-z0-9\)\]%]\.\s+[A-Z(][a-z ]")


# A sentence's end and the next one's start, however they are spelled: "LVD-1689M. DINOv3 ...", "... 88%. LLMs ...".
FOOTER_CHARS = 200  # a page's footer or blurb is one short sentence; an abstract of one sentence is longer


_ARXIV_LINE = re.compile(r"^(?:arxiv\s*:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)(\S+?)(?:\.pdf)?/?$", re.IGNORECASE)


def arxiv_line(line: str) -> str | None:
    """The arXiv id a line holds alone (``arXiv:2305.14314``, ``https://arxiv.org/abs/2305.14314v2``), or None."""
    match = _ARXIV_LINE.match(line.strip())
    return parse_arxiv_id(match.group(1)) if match else None


def lone_sentence(text: str) -> bool:
    """One short sentence: what a page's footer or blurb is, and a paper's abstract hardly ever."""
    text = text.strip()
    return len(text) < FOOTER_CHARS and not SENTENCE_BREAK.search(text) and len(_CJK_SENTENCE_END.findall(text)) < 2


# A line of authors a listing prints with a result: "Maria Garcia, Wei Zhang, Tom Okafor", "A. Ruiz and
# B. Chen et al. · 2025". Two names at least, each of two to four words that start with a capital (a
# particle "van", "de" aside) and hold none of the small words a title has.
_NAME_WORD = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w'’.\-]*|[A-Z]\.(?:[A-Z]\.)*|van|von|de|der|den|da|di|du|del|la|le|bin|al)$")
_TITLE_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "the", "to", "via", "with"}
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"  # kana, Han and Hangul
_CJK_NAME = re.compile(f"^[{_CJK}]{{1,4}}(?: [{_CJK}]{{1,4}})?$")  # "王宇航", "佐藤 健"
_NAMES_TAIL = re.compile(r"(?:,?\s+et\s+al\.?)?(?:\s*[·•|\-–—]\s*(?:19|20)\d\d)?\s*$", re.IGNORECASE)
MAX_NAMES_LINE = 500  # characters: a longer line is prose, never a line of names (those hold 400 at most)
AUTHORS_MARKED = re.compile(r"(?:\bet\s+al\.?|[·•|\-–—]\s*(?:19|20)\d\d)\s*$", re.IGNORECASE)  # what only names end with


def author_names(line: str) -> tuple[str, ...] | None:
    """The names of a line that lists a paper's authors, or None when it is anything else (a title, prose)."""
    if len(line) > MAX_NAMES_LINE:  # prose: no need to look further (the tail's pattern is slow on a long line)
        return None
    text = _NAMES_TAIL.sub("", line.strip())
    if not text or len(text) > 400 or text.endswith((".", ":", "?", "!")):
        return None
    names = [name.strip() for name in re.split(r",\s*|;\s*|\s+\|\s+|\s+and\s+|\s*&\s*", text) if name.strip()]
    if len(names) < 2:
        return None
    for name in names:
        words = name.split()
        if _CJK_NAME.match(name):  # "王宇航", "佐藤 健": a name in Chinese, Japanese or Korean among the others
            continue
        if not 2 <= len(words) <= 4 or any(w.casefold() in _TITLE_WORDS for w in words) or not all(_NAME_WORD.match(w) for w in words):
            return None
    if all(_CJK_NAME.match(name) for name in names):
        return None  # a line of such words only is as likely a title's
    return tuple(names)


# Names as a reference list prints them, family name first: "Garcia, M.", "Garcia, M. and Zhang, W.-L.".
_INITIALLED = r"[A-Z\u00c0-\u024f][\w'’\-]+,\s*(?:[A-Z]\.\s*-?\s*)+"
_INITIALLED_NAMES = re.compile(rf"^{_INITIALLED}(?:(?:[,;&]\s*|\s+and\s+)+{_INITIALLED})*$")


def initialled_names(line: str) -> tuple[str, ...] | None:
    """The names of a line of "Family, I." names (one or more), or None: no title is written so."""
    if len(line) > MAX_NAMES_LINE:
        return None
    text = _NAMES_TAIL.sub("", line.strip())
    if not _INITIALLED_NAMES.match(text):
        return None
    return tuple(name.strip() for name in re.findall(_INITIALLED, text))


def one_name(line: str) -> tuple[str, ...] | None:
    """A line that could be one person's name ("Kenji Tanaka", "Maria de la Cruz"), or None.

    A short title of capitalised words ("Deep Residual Learning") is written the same way, so only
    a page that prints its results' authors elsewhere may read such a line as a name.
    """
    if len(line) > 120:
        return None
    text = _NAMES_TAIL.sub("", line.strip())
    words = text.split()
    if not 2 <= len(words) <= 4 or any(w.casefold() in _TITLE_WORDS for w in words) or not all(_NAME_WORD.match(w) for w in words):
        return None
    return (text,)


def cut_abstract(text: str) -> bool:
    """An abstract the page cut short, mid-sentence, before it looked like prose: still a paragraph of many words."""
    return len(text.strip()) >= 120 and len(text.split()) >= 15


NAMES_COMMAS = 40  # characters per comma at most in a line of names ("Long Ouyang, Jeff Wu, Xu Jiang, …")


def looks_like_abstract(text: str) -> bool:
    """Prose rather than a title: long, or ending in a full stop, or several sentences.

    Titles may hold a question mark or "vs." ("When Can Models Learn? A Framework ..."), but they
    are short and rarely end with a full stop.
    """
    text = text.strip()
    if len(text) >= 250:
        # A score of names is a long line too: a comma every few words, as prose never has (asked only then: it costs).
        return not _long_title(text) and not (NAMES_COMMAS * text.count(",") >= len(text) and author_names(text) is not None)
    if (text[-1:] in (")", "]") or text[-6:].lower().endswith(("expand", "more"))) and (link := _READ_MORE.search(text)):
        # "… far better than those…Expand", "… halves inference cost. Expand": the page's link after the text
        cut = "\u2026" in link.group() or "..." in link.group()
        text = text[: link.start()] + ("\u2026" if cut else "") or text
    if len(text) >= 30 and len(_CJK_SENTENCE_END.findall(text)) >= (1 if text[-1] in CJK_FULL_STOPS else 2):
        return True  # Chinese or Japanese prose: a character says about as much as a word
    if len(text) >= 60 and text.endswith(".") and not text.endswith(("et al.", "etc.", "vs.", "...")):
        return True
    if len(text) >= 60 and text.endswith(("…", "...")) and (len(text) >= 120 or _SENTENCE_BREAK.search(text)):
        return True  # an abstract the page cut short: "... We train a process reward…"
    return len(text) >= 80 and len(_SENTENCE_BREAK.findall(text)) >= 2


def _long_title(text: str) -> bool:
    """A title of 250 characters or more: one unfinished sentence, its words capitalised as a title's are."""
    return (
        len(text) <= MAX_TITLE and not text.endswith((".", "…", "...")) and not SENTENCE_BREAK.search(text)
        and title_cased(text)
    )


def could_be_abstract(text: str) -> bool:
    """Enough text to be an abstract, however cut short: a few words, not a lone name, tab or link (``Datasets``)."""
    text = text.strip()
    if len(CJK_CHARACTER.findall(text)) >= 10:
        return True
    return len(text) >= 20 and len(text.split()) >= 4


def looks_like_title(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= 300 and not looks_like_abstract(text)


MAX_TITLE = 500  # characters: the longest titles in the wild run to about 300

_MINOR_WORDS = frozenset("a an the of for and or in on with to via from by at as into vs is are".split())
_WORD = re.compile(r"[^\W\d_][\w'-]*")


def title_cased(text: str, share: float = 0.8) -> bool:
    """Words capitalised as a title's are: ``share`` of them at least, leaving out "of", "and" and the like."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _MINOR_WORDS]
    return len(words) >= 2 and sum(1 for w in words if w[0].isupper()) >= share * len(words)


def could_be_title(text: str) -> bool:
    """A title where the listing's layout puts one (right above an abstract), however long.

    A long title is still one unfinished sentence: no full stop at its end and not several
    sentences. An abstract that lost its title is prose, so it is not taken for one.
    """
    text = text.strip()
    if not text or len(text) > MAX_TITLE:
        return False
    if not looks_like_abstract(text):
        return True
    return len(text) >= 250 and not text.endswith(".") and not _SENTENCE_BREAK.search(text)


# A link elsewhere on a page; a venue where a venue goes (between a paper's title and its abstract).
PREPRINT_SERVERS = {"arxiv", "biorxiv", "medrxiv", "openreview", "arxiv.org", "biorxiv.org", "medrxiv.org", "openreview.net"}


# What a venue line holds.
VENUE_WORDS = re.compile(
    r"\b(?:conference|proceedings|symposium|workshop|journal|transactions|neural information processing systems|"
    r"learning representations|machine learning|computational linguistics|computer vision|artificial intelligence|"
    r"knowledge discovery|data mining|information retrieval|"
    r"neurips|nips|iclr|icml|acl|emnlp|naacl|cvpr|iccv|eccv|aaai|ijcai|kdd|colm|tmlr|jmlr|sigir|siggraph|interspeech|"
    r"icassp|icra|iros|corl|aistats|miccai|arxiv|preprint)\b",
    re.IGNORECASE,
)
# The words only a venue has; the others ("Machine Learning", "Computer Vision") a title has too.
VENUE_ONLY = re.compile(
    r"\b(?:conference|proceedings|symposium|workshop|journal|transactions|neurips|nips|iclr|icml|emnlp|naacl|cvpr|iccv|"
    r"eccv|aaai|ijcai|tmlr|jmlr|sigir|siggraph|interspeech|icassp|icra|iros|corl|aistats|miccai)\b",
    re.IGNORECASE,
)
# "ICASSP 2024", "Interspeech 2023 (Oral)": a few words and a year.
VENUE_YEAR = re.compile(r"^(?:\S+\s+){0,7}(?:19|20)\d\d(?:\s*\([^()]{1,30}\))?$")
# A title's subtitle after a colon ("Machine Learning for Compiler Optimization: A Survey"): a line with a
# title's venue words and a subtitle is a title; one that ends in a year ("Findings of the ACL: EMNLP 2023")
# or has a word only venues have ("NeurIPS Workshop: Foundation Models") is a venue.
_SUBTITLE = re.compile(r":\s+\S")


def names_venue(text: str) -> bool:
    """A line that says it is a venue: a few words and a year, a word only venues have, or venue words and no subtitle."""
    return bool(
        VENUE_YEAR.search(text) or VENUE_ONLY.search(text) or (VENUE_WORDS.search(text) and not _SUBTITLE.search(text))
    )

"""Listing text: one decision on what is math, and one function per place the text goes.

Text from a listing is untrusted and shown literally, except for inline LaTeX between single
``$`` signs, which is math when (and only when) it is a formula the MathML converter reads:
at most 300 characters on one line, no ``$$``, no ``\\$``, the closing ``$`` right after the
formula (so ``costs $5 and $6`` is text, not a formula), and no four plain words in a row (prose
between two stray signs). ``ListingText`` splits a text once by
that rule, and every output follows the same split, as the ACL Anthology's ``MarkupText`` does:

- ``as_html()``: escaped text, the math as sanitised MathML (no script, no CDN);
- ``as_plain()``: the math as plain characters (``AstroM$^3$`` → ``AstroM³``), for the browser
  tab, search results and feeds;
- ``as_meta()``: plain text escaped for front matter the theme prints as it is (titles, meta
  descriptions);
- ``as_bibtex()``: a braced BibTeX value: the math kept as LaTeX when it is safe to compile,
  everything else with BibTeX's special characters escaped.

Sentence-spacing repair (``ingest.normalize``) leaves the same math spans alone. The module also
holds the text keys (case, accent and punctuation folded) and the cut at a word boundary that
titles, snippets and slugs share.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cached_property, lru_cache

from markupsafe import Markup

# The one rule for inline math: ``$…$`` with nothing but the formula between the signs.
_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]{1,300}?)(?<![\\\s])\$(?!\$)")


# --------------------------------------------------------------------------- MathML


_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt",
    "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "menclose", "semantics", "annotation",
}
_MATHML_ATTRS = {
    "display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder", "lspace", "rspace",
    "linethickness", "columnalign", "rowalign", "displaystyle", "scriptlevel", "width", "height", "depth",
    "notation", "encoding", "movablelimits", "largeop", "symmetric", "minsize", "maxsize", "form",
}


def _clean(element: ET.Element) -> ET.Element | None:
    tag = element.tag.removeprefix(_MATHML_NS)
    if tag not in _MATHML_TAGS:
        return None
    clean = ET.Element(tag, {k: v for k, v in sorted(element.attrib.items()) if k in _MATHML_ATTRS})
    clean.text = element.text
    for child in element:
        sub = _clean(child)
        if sub is not None:
            sub.tail = child.tail
            clean.append(sub)
    return clean


@lru_cache(maxsize=4096)
def latex_to_mathml(latex: str) -> str | None:
    """Sanitised MathML for one inline formula, or None when it does not convert.

    The MathML is rebuilt from a whitelist of elements and attributes, so a ``\\href{javascript:…}``
    or any other markup smuggled through LaTeX never reaches the page.
    """
    from latex2mathml.converter import convert

    try:
        root = ET.fromstring(convert(latex))
    except Exception:  # the converter raises many kinds of errors on malformed LaTeX
        return None
    clean = _clean(root)
    if clean is None:
        return None
    clean.set("xmlns", "http://www.w3.org/1998/Math/MathML")
    # Named by its plain characters: a heading or a link holding it is read (and said) in full, "AstroM³".
    clean.attrib = {"aria-label": _math_as_text(latex), **clean.attrib}
    semantics = ET.Element("semantics")
    semantics.extend(list(clean))
    annotation = ET.SubElement(semantics, "annotation", {"encoding": "application/x-tex"})
    annotation.text = latex
    for child in list(clean):
        clean.remove(child)
    clean.append(semantics)
    return ET.tostring(clean, encoding="unicode", short_empty_elements=False)


# Four words in a row, none of them a command: prose between two stray ``$`` signs ("a model is $k-NAF if for
# every ... at all$"), which LaTeX would set as one long italic word. A command's argument
# (``\text{for all}``) is the formula's own text and does not count.
_COMMAND_ARGUMENT = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}")
_PROSE = re.compile(r"(?<![\\\w])[A-Za-z]{2,}(?:\s+(?<![\\\w])[A-Za-z]{2,}){3}\b")


def math_spans(text: str) -> Iterator[re.Match[str]]:
    """The ``$…$`` spans of ``text`` that are math (group 1 is the LaTeX), left to right."""
    for match in _MATH.finditer(text):
        latex = match.group(1)
        if not _PROSE.search(_COMMAND_ARGUMENT.sub(" ", latex)) and latex_to_mathml(latex) is not None:
            yield match


# --------------------------------------------------------------------------- plain characters


_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT = re.compile(r"([\^_])(?:\{([0-9+\-=()n]{1,6})\}|([0-9n]))")


# Named operators LaTeX sets apart from what follows ("n \log n"); as text the space must stay.
_OPERATOR = re.compile(
    r"\\(arccos|arcsin|arctan|arg|cos|cosh|cot|deg|det|dim|exp|gcd|hom|inf|ker|lg|lim|liminf|limsup|ln|log|max|min"
    r"|Pr|sec|sin|sinh|sup|tan|tanh)(?![A-Za-z])\s*(?=[A-Za-z0-9\\])"
)


# A "%" no backslash escapes: in a BibTeX field or arXiv's metadata it is a character (neither has
# comments inside a field), while LaTeX would drop the rest of the line as a comment.
_BARE_PERCENT = re.compile(r"(?<!\\)%")


def latex_text(value: str) -> str:
    """Text written in LaTeX as the letters it makes (``P\\'erez`` → ``Pérez``, ``{\\o}`` → ``ø``); math kept as written."""
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return str(LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text(_BARE_PERCENT.sub(r"\\%", value)))
    except Exception:  # noqa: BLE001 - malformed LaTeX in a scraped field: keep the text as written
        return value.replace("{", "").replace("}", "")


def _math_as_text(latex: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        spaced = _OPERATOR.sub(lambda m: f"\\{m.group(1)}\\ ", latex)
        text = str(LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text(spaced))
    except Exception:  # noqa: BLE001 - LaTeX the converter cannot read: keep it as written
        return latex
    script = _SCRIPT.sub(
        lambda m: (m.group(2) or m.group(3)).translate(_SUPERSCRIPT if m.group(1) == "^" else _SUBSCRIPT)
        if (m.group(1) == "^" or "n" not in (m.group(2) or m.group(3)))
        else m.group(0),
        latex,
    )
    if script != latex and not re.search(r"[\\{}^_]", script):
        return script  # "^3" -> "³", "x_2" -> "x₂": closer to the page than "x^2"
    return " ".join(text.split())


def theme_text(text: str) -> str:
    """Text for a front-matter value the theme prints without escaping (``title``, ``description``).

    Material puts these into ``<title>``, headings and double-quoted attributes as they are, so
    ``<``, ``>``, ``&`` and ``"`` become entities. An apostrophe stays one: no theme attribute is
    single-quoted, and search then finds "Don't" as typed.
    """
    return html.escape(text, quote=False).replace('"', "&quot;")


# --------------------------------------------------------------------------- BibTeX


_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "@": "{@}",
}
_BIBTEX_ESCAPE = re.compile("|".join(re.escape(ch) for ch in _BIBTEX_ESCAPES))
# TeX commands that read or write files, define macros or change how input is read: math that
# holds one is escaped like any other text, so a .bib from the catalogue is safe to compile.
_UNSAFE_COMMANDS = {
    "input", "include", "inputiffileexists", "write", "immediate", "openin", "openout", "read", "readline",
    "def", "edef", "gdef", "xdef", "let", "futurelet", "catcode", "csname", "endcsname", "expandafter",
    "newcommand", "renewcommand", "providecommand", "declarerobustcommand", "usepackage", "requirepackage",
    "documentclass", "special", "href", "url", "includegraphics", "verbatiminput", "lstinputlisting", "jobname",
    "shipout", "output", "everypar", "everymath", "afterassignment", "aftergroup", "scantokens", "lowercase",
    "uppercase",
}
_COMMAND = re.compile(r"\\([A-Za-z@]+)")


def _bibtex_literal(text: str) -> str:
    """Text as a BibTeX value shows it: special characters escaped, braces as ``\\textbrace…{}``.

    BibTeX counts an escaped ``\\{`` as a delimiter, so escaping braces with a backslash alone is
    not enough.
    """
    return _BIBTEX_ESCAPE.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], text)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


# Environments and the commands that make or change them: never needed in a title's formula.
_UNSAFE_COMMANDS |= {"begin", "end", "declaremathoperator", "newenvironment", "renewenvironment", "directlua",
                     "luaexec", "latelua", "endinput", "batchmode", "nonstopmode", "errorstopmode", "scrollmode",
                     "class", "color", "colorbox", "fcolorbox"}


@lru_cache(maxsize=1)
def _math_commands() -> frozenset[str]:
    """The commands a formula may use: those latex2mathml renders (its symbols, functions and commands)."""
    from latex2mathml import commands, symbols_parser

    names = {value for value in vars(commands).values() if isinstance(value, str) and value.startswith("\\")}
    names |= {name for name in commands.FUNCTIONS} | {name for name in symbols_parser.SYMBOLS if name.startswith("\\")}
    return frozenset(name[1:] for name in names if _COMMAND.fullmatch(name))


def _safe_math(math: str) -> bool:
    """Math kept as LaTeX in a .bib: balanced braces, only commands a formula uses (an allow list, so that an
    unknown one, ``\\directlua``, is never run), and no ``%`` (a comment would swallow the rest), ``#`` or ``@``."""
    if not _balanced(math) or any(ch in math for ch in "@%#"):
        return False
    allowed = _math_commands()
    return all(name in allowed and name.lower() not in _UNSAFE_COMMANDS for name in _COMMAND.findall(math))


# --------------------------------------------------------------------------- the text model


class ListingText:
    """One field of listing text, split once into plain runs and math, with one method per output."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def parts(self) -> tuple[tuple[str, bool], ...]:
        """``(text, is_math)`` runs in order; a math run is the whole ``$…$`` as written."""
        parts: list[tuple[str, bool]] = []
        pos = 0
        for match in math_spans(self.source):
            if match.start() > pos:
                parts.append((self.source[pos : match.start()], False))
            parts.append((match.group(0), True))
            pos = match.end()
        if pos < len(self.source) or not parts:
            parts.append((self.source[pos:], False))
        return tuple(parts)

    @property
    def has_math(self) -> bool:
        return any(is_math for _, is_math in self.parts)

    def as_html(self) -> Markup:
        """Escaped text with its math as MathML; a ``$`` that is not math stays a literal ``$``."""
        out: list[str] = []
        for text, is_math in self.parts:
            if is_math:
                mathml = latex_to_mathml(text[1:-1])
                out.append(f'<span class="pc-math" title="{html.escape(text, quote=True)}">{mathml}</span>')
            else:
                out.append(html.escape(text, quote=True))
        return Markup("".join(out))

    def as_plain(self) -> str:
        """The text with its math as plain characters (``AstroM$^3$`` → ``AstroM³``); still untrusted."""
        return "".join(_math_as_text(text[1:-1]) if is_math else text for text, is_math in self.parts)

    def as_meta(self, limit: int | None = None) -> str:
        """Plain text for a title or description the theme prints as it is: entities for ``<>&"``.

        With ``limit``, the text's opening, cut at a word boundary (``snippet``).
        """
        plain = self.as_plain()
        return theme_text(snippet(plain, limit) if limit is not None else plain)

    def as_bibtex(self) -> str:
        """The inside of a braced BibTeX value: literal, with math kept as LaTeX where it is safe to compile."""
        return "".join(
            text if is_math and _safe_math(text) else _bibtex_literal(text) for text, is_math in self.parts
        )


def as_html(text: str) -> Markup:
    return ListingText(text).as_html()


def as_plain(text: str) -> str:
    return ListingText(text).as_plain()


def as_bibtex(text: str) -> str:
    return ListingText(text).as_bibtex()


def as_meta(text: str, limit: int | None = None) -> str:
    return ListingText(text).as_meta(limit)


# --------------------------------------------------------------------------- keys and cuts


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


CJK_FULL_STOPS = "。！？"  # sentence ends of Chinese and Japanese text
SENTENCE_BREAK = re.compile(r"[\w)\]%][.!?]\s+[A-Z(\d]")  # where one sentence ends and the next starts
CJK_CHARACTER = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")  # kana, CJK ideographs, Hangul


# Letters that case folding and accent stripping leave outside ASCII, spelled as a keyboard types them
# (search folds them so, and slugs and BibTeX keys spell them so).
FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ς": "σ",
        "\u200c": "", "\u200d": ""}  # a word with a zero-width (non-)joiner is found typed with or without it
_ASCII_FOLD = str.maketrans(FOLD)


def fold_ascii(text: str) -> str:
    """``text`` in lower-case ASCII: accents dropped (``Gödel`` → ``godel``), letters spelled out
    (``Straße`` → ``strasse``, ``Łukasz`` → ``lukasz``), other characters removed."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_ASCII_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii")


_NOT_ASCII_ALNUM_BYTES = bytes(b for b in range(128) if not (48 <= b <= 57 or 97 <= b <= 122))  # after lower()


def text_key(text: str) -> str:
    """The key two texts share when they differ only in case, punctuation, accents or white space."""
    if text.isascii():  # the same key, ten times faster: ASCII letters lower-cased, every other byte dropped
        return text.encode("ascii").lower().translate(None, _NOT_ASCII_ALNUM_BYTES).decode("ascii")
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def ascii_key(text: str) -> str:
    """The ASCII letters and digits of ``text``, lower-cased; every other character dropped."""
    return _NOT_ASCII_ALNUM.sub("", text.casefold())


def ascii_words(text: str) -> list[str]:
    """The words of ``text`` folded to lower-case ASCII (``"Gödel's proof"`` → ``["godel", "s", "proof"]``)."""
    return _ASCII_WORD.findall(fold_ascii(text))


def slugify(text: str) -> str:
    """``"AstroM$^3$: A Model!"`` → ``"astrom-3-a-model"``; ASCII letters, digits and single hyphens only."""
    return _NOT_ASCII_ALNUM.sub("-", fold_ascii(text)).strip("-")


def cut_at_word(text: str, width: int, *, keep: int, boundary: str = " ") -> str:
    """The first ``width`` characters of ``text``, ending before the last ``boundary`` that leaves at least
    ``keep`` characters (a word cut in two only when there is no such boundary)."""
    cut = text[:width]
    at = cut.rfind(boundary)
    return cut[:at] if at >= keep else cut


def snippet(text: str, limit: int) -> str:
    """The opening of ``text``: at most ``limit`` characters cut at a word boundary, then `` …``."""
    if len(text) <= limit:
        return text
    return cut_at_word(text, limit, keep=limit // 2).rstrip(" ,;:") + " …"

"""Listing text made safe for a page: everything escaped, only the LaTeX between ``$`` rendered as math.

Math becomes MathML at build time (browsers render it natively: no script, no CDN). The MathML
is rebuilt from a whitelist of elements and attributes, so a ``\\href{javascript:…}`` or any
other markup smuggled through LaTeX never reaches the page.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from latex2mathml.converter import convert as _latex2mathml
from markupsafe import Markup

_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]{1,300}?)(?<![\\\s])\$(?!\$)")
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


def escape(text: str) -> Markup:
    """Plain text for HTML: every ``<``, ``>``, ``&`` and quote escaped."""
    return Markup(html.escape(text, quote=True))


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
    """Sanitised MathML for one inline formula, or None when it does not convert."""
    try:
        raw = _latex2mathml(latex)
        root = ET.fromstring(raw)
    except Exception:  # the converter raises many kinds of errors on malformed LaTeX
        return None
    clean = _clean(root)
    if clean is None:
        return None
    clean.set("xmlns", "http://www.w3.org/1998/Math/MathML")
    semantics = ET.Element("semantics")
    semantics.extend(list(clean))
    annotation = ET.SubElement(semantics, "annotation", {"encoding": "application/x-tex"})
    annotation.text = latex
    for child in list(clean):
        clean.remove(child)
    clean.append(semantics)
    return ET.tostring(clean, encoding="unicode", short_empty_elements=False)


def rich_text(text: str) -> Markup:
    """Escaped text with its inline ``$…$`` LaTeX rendered as MathML; unbalanced ``$`` stays literal."""
    parts: list[str] = []
    pos = 0
    for match in _MATH.finditer(text):
        mathml = latex_to_mathml(match.group(1))
        if mathml is None:
            continue
        parts.append(html.escape(text[pos : match.start()], quote=True))
        parts.append(f'<span class="pc-math" title="{html.escape(match.group(0), quote=True)}">{mathml}</span>')
        pos = match.end()
    parts.append(html.escape(text[pos:], quote=True))
    return Markup("".join(parts))


_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT = re.compile(r"([\^_])(?:\{([0-9+\-=()n]{1,6})\}|([0-9n]))")


def _math_as_text(latex: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        text = LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text(latex)
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


def plain_text(text: str) -> str:
    """``text`` with its rendered ``$…$`` LaTeX as plain characters (``AstroM$^3$`` → ``AstroM³``).

    For places that cannot show MathML: the browser tab, search results, meta descriptions.
    The result is still untrusted text and must be escaped where it is used.
    """
    parts: list[str] = []
    pos = 0
    for match in _MATH.finditer(text):
        if latex_to_mathml(match.group(1)) is None:
            continue
        parts.append(text[pos : match.start()])
        parts.append(_math_as_text(match.group(1)))
        pos = match.end()
    parts.append(text[pos:])
    return "".join(parts)


def has_math(text: str) -> bool:
    return any(latex_to_mathml(m.group(1)) is not None for m in _MATH.finditer(text))


def md_text(text: str) -> str:
    """Trusted-but-literal text for a Markdown heading: Markdown's special characters backslash-escaped.

    Only the characters Python-Markdown (with tables) unescapes get a backslash; any other escape
    would reach the page verbatim (``\\&``). ``&``, ``<`` and ``>`` are left to the templates'
    autoescaping, which turns them into entities.
    """
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", text)
    return escaped.replace("\n", " ")

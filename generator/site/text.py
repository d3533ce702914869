"""Listing text on the generated pages: the filters the page templates and front matter use.

What counts as math and how each output shows it is decided once, in ``generator.text``
(``ListingText``); these are the names the pages call it by.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from ..text import ListingText, latex_to_mathml

__all__ = ["escape", "has_math", "latex_to_mathml", "md_text", "plain_text", "rich_text"]


def escape(text: str) -> Markup:
    """Plain text for HTML: every ``<``, ``>``, ``&`` and quote escaped."""
    return Markup(html.escape(text, quote=True))


def rich_text(text: str) -> Markup:
    """Escaped text with its inline ``$…$`` LaTeX rendered as MathML; a ``$`` that is not math stays literal."""
    return ListingText(text).as_html()


def plain_text(text: str) -> str:
    """``text`` with its math as plain characters (``AstroM$^3$`` → ``AstroM³``).

    For places that cannot show MathML: the browser tab, search results, meta descriptions.
    The result is still untrusted text and must be escaped where it is used.
    """
    return ListingText(text).as_plain()


def has_math(text: str) -> bool:
    return ListingText(text).has_math


def md_text(text: str) -> str:
    """Trusted-but-literal text for a Markdown heading: Markdown's special characters backslash-escaped.

    Only the characters Python-Markdown (with tables) unescapes get a backslash; any other escape
    would reach the page verbatim (``\\&``). ``&``, ``<`` and ``>`` are left to the templates'
    autoescaping, which turns them into entities.
    """
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", text)
    return escaped.replace("\n", " ")

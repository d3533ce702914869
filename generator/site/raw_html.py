"""A Markdown extension that stores papercat's HTML blocks without parsing them twice.

The bodies of papercat's pages are mostly blocks of HTML that papercat made (listing text in
them is escaped): a paper page is one ``<article>``, a topic or month page is Markdown headings
between ``<section>`` lists of rows. Python-Markdown passes a block of HTML through unchanged,
but only after parsing all of it with ``html.parser`` to find where it ends, and MkDocs parses
it once more to collect its ``id`` attributes: together about a third of the time MkDocs spends
on such a page, and most of it on a listing page.

This preprocessor finds the blocks whose end is certain without parsing them and stores each in
Python-Markdown's HTML stash, with the same line breaks around it, exactly as its HTML block
preprocessor would after parsing: the page's HTML is the same, byte for byte. A block qualifies
when it starts a line with a block-level tag and ends a line with that tag's matching end, the
tag is opened and closed in it only as nesting allows, and it holds nothing ``html.parser``
would rewrite or that a link could point at: no ``id``, ``name`` or ``markdown`` attribute, no
comment (but the related papers' marks), script, style or declaration, no ``&`` that is not a
complete reference. At the first line that starts with anything else that might be HTML, it
stops and leaves the rest of the page to Python-Markdown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .fragments import PLACEHOLDER

_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>])")
_NOT_PLAIN = re.compile(
    r"<[a-zA-Z][^<>]*\s(?:id|name|markdown)\s*="  # an anchor a link could point at, or Markdown inside
    r"|<[!?]|/>"  # comments, declarations, processing instructions, self-closing tags
    r"|<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"  # text html.parser does not parse
    r"|&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)",  # a reference html.parser would complete
    re.IGNORECASE,
)
_BLANK_AFTER = re.compile(r"\n[ ]*\n")  # Python-Markdown's blank line after a block's end tag
_EMPTY = {"hr"}  # Python-Markdown's block tags without content: it handles them one by one


def _block_end(text: str, start: int, tag: str) -> int | None:
    """Where the block that opens with ``<tag`` at ``start`` ends: after the end tag that closes it, at a line's end."""
    balance = 0
    for match in re.compile(rf"<{tag}(?=[\s>])|</{tag}\s*>", re.IGNORECASE).finditer(text, start):
        balance += -1 if match.group().startswith("</") else 1
        if balance == 0:
            end = match.end()
            return end if end == len(text) or text[end] == "\n" else None
    return None


def stash_blocks(text: str, store: Callable[[str], str], is_block_level: Callable[[str], bool]) -> str:
    """``text`` with its plain HTML blocks given to ``store`` and replaced by the placeholder it returns."""
    out: list[str] = []
    done = 0  # ``text[:done]`` is in ``out``
    line = 0  # the start of the line looked at
    while line < len(text):
        end_of_line = text.find("\n", line)
        end_of_line = len(text) if end_of_line < 0 else end_of_line
        if text.find("<", line, end_of_line) < 0:  # Markdown without HTML
            line = end_of_line + 1
            continue
        match = _START.match(text, line)
        tag = match.group(1).lower() if match else ""
        if not tag or tag in _EMPTY or not is_block_level(tag):
            break
        end = _block_end(text, line, tag)
        if end is None:
            break
        block = text[line:end]
        if _NOT_PLAIN.search(block.replace(PLACEHOLDER, "")):
            break
        # As Python-Markdown's HTML block preprocessor leaves it: a line break before the block's
        # placeholder, the block keeps its own line break when a blank line follows, two after it.
        blank_after = _BLANK_AFTER.match(text, end) is not None
        out.append(text[done:line])
        out.append("\n" + store(block + ("\n" if blank_after else "")) + "\n\n")
        done = line = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


class _StashBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        stashed = stash_blocks(text, self.md.htmlStash.store, self.md.is_block_level)
        return lines if stashed is text else stashed.split("\n")


class RawHtmlExtension(Extension):
    """Registered by the papercat plugin for every page MkDocs renders."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After fenced code (25) and whitespace (30), before MkDocs' anchor collection (21) and the HTML block parser (20).
        md.preprocessors.register(_StashBlocks(md), "papercat_raw_html", 23)

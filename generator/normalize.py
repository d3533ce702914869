"""Text normalization for scraped listing text.

Every function here is idempotent: ``f(f(x)) == f(x)`` (property-tested). LaTeX
between ``$`` signs, URLs and file names are left exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are invisible or reorder text: removed and reported.
_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, word joiner, BOM, soft hyphen
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",  # bidi isolates and marks
}
_WHITESPACE = re.compile(r"\s+")

# A sentence end glued to the next sentence: "fashion.However" or "regions-as-input.We".
# Left: a word of 2+ letters (or a closing bracket / digit / percent after a letter); right: a
# capitalised word. URLs, paths, e-mail addresses and dotted identifiers are protected first.
_GLUED_SENTENCE = re.compile(r"(?<=[A-Za-z\)\]%0-9])([.!?])(?=[A-Z][a-z])")
_PROTECTED = re.compile(
    r"\$[^$]*\$"  # inline LaTeX
    r"|(?:https?|ftp)://\S+"  # URLs
    r"|www\.\S+"
    r"|\S+@\S+\.\S+"  # e-mail
    r"|\b[\w-]+(?:[./][\w-]+)*\.(?:com|org|net|io|ai|edu|gov|dev|html?|py|json|ya?ml|txt|md|csv|pdf|ipynb|cpp|sh|js|ts)\b"
)
_ABBREVIATIONS = {"e.g", "i.e", "vs", "cf", "etc", "al", "fig", "eq", "no", "mr", "dr", "st", "approx"}


def strip_invisible(text: str) -> tuple[str, int]:
    """Remove control, zero-width and bidirectional-override characters; return the text and how many."""
    removed = 0
    out: list[str] = []
    for ch in text:
        if ch in _INVISIBLE:
            removed += 1
            continue
        if ch in "\t\n\r":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Cs" or cat == "Co" or cat == "Cn":
            removed += 1
            continue
        out.append(ch)
    return "".join(out), removed


def collapse_whitespace(text: str) -> str:
    """All runs of white space (tabs, newlines, no-break spaces) become one space; ends trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def _repair_segment(segment: str) -> str:
    def repl(match: re.Match[str]) -> str:
        start = match.start()
        # The word before the punctuation, to keep abbreviations such as "e.g." or "Fig." whole.
        word_start = start
        while word_start > 0 and not segment[word_start - 1].isspace():
            word_start -= 1
        word = segment[word_start:start]
        if word.lower().rstrip(".") in _ABBREVIATIONS or word.lower() in _ABBREVIATIONS:
            return match.group(1)
        # A single letter before the dot is an initial ("J.Smith") or a label ("A.B"); leave it.
        letters = re.sub(r"[^A-Za-z]", "", word.split(".")[-1])
        if len(letters) < 2 and not word[-1:].isdigit() and word[-1:] not in ")]%":
            return match.group(1)
        # Dotted identifiers ("torch.Tensor", "nn.Module"): a dot inside the word already.
        if "." in word or "_" in word or "/" in word:
            return match.group(1)
        return match.group(1) + " "

    return _GLUED_SENTENCE.sub(repl, segment)


def repair_sentence_spacing(text: str) -> str:
    """Put back the space scraping dropped after sentence punctuation, outside LaTeX, URLs and file names."""
    out: list[str] = []
    pos = 0
    for match in _PROTECTED.finditer(text):
        out.append(_repair_segment(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_repair_segment(text[pos:]))
    return "".join(out)


def normalize_text(text: str) -> str:
    """Normalize one field of scraped text: NFC, invisible characters out, spacing repaired, white space collapsed."""
    text = unicodedata.normalize("NFC", text)
    text, _ = strip_invisible(text)
    text = collapse_whitespace(text)
    return collapse_whitespace(repair_sentence_spacing(text))


def title_key(title: str) -> str:
    """The key two titles share when they differ only in case, punctuation, accents or white space."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def abstract_key(abstract: str) -> str:
    """The key two abstracts share when they are the same text up to case, spacing and punctuation."""
    return title_key(abstract)

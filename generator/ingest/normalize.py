"""Text normalization for scraped listing text.

Every function here is idempotent: ``f(f(x)) == f(x)`` (property-tested). Math (what
``generator.text`` decides is math, the same spans the page renders), URLs and file names are
left exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import math_spans

# Characters that are invisible or reorder text: removed and reported.
_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, word joiner, BOM, soft hyphen
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",  # bidi isolates and marks
}

_JOINERS = {"\u200c", "\u200d"}

# A sentence end glued to the next sentence: "fashion.However" or "regions-as-input.We".
# Left: a word of 2+ letters (or a closing bracket / digit / percent after a letter); right: a
# capitalised word. URLs, paths, e-mail addresses and dotted identifiers are protected first.
_GLUED_SENTENCE = re.compile(r"(?<=[A-Za-z\)\]%0-9])([.!?])(?=[A-Z][a-z])")
_PROTECTED = re.compile(
    r"(?:https?|ftp)://\S+"  # URLs
    r"|www\.\S+"
    r"|\S+@\S+\.\S+"  # e-mail
    r"|\b[\w-]+(?:[./][\w-]+)*\.(?:com|org|net|io|ai|edu|gov|dev|html?|py|json|ya?ml|txt|md|csv|pdf|ipynb|cpp|sh|js|ts)\b"
)
_ABBREVIATIONS = {"e.g", "i.e", "vs", "cf", "etc", "al", "fig", "eq", "no", "mr", "dr", "st", "approx"}
# Names code is written under: "torch.Tensor" and "np.NaN" are identifiers, not two sentences.
_CODE_NAMESPACES = {
    "torch", "nn", "np", "numpy", "tf", "jnp", "jax", "pd", "plt", "os", "sys", "math", "sklearn",
    "scipy", "keras", "cv2", "re", "json", "flax", "optax", "transformers", "datasets", "self", "cls", "std",
}
_NEXT_TOKEN = re.compile(r"[A-Za-z_]\w*")


def _is_removable(ch: str) -> bool:
    if ch in _INVISIBLE:
        return True
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")


# Printable ASCII, tab and newlines never need a look-up; everything else is checked one by one.
_CANDIDATE = re.compile(r"[^\t\n\r\x20-\x7e]")


def _shapes(text: str, index: int) -> bool:
    """Whether the zero-width (non-)joiner at ``index`` shapes the letters either side of it.

    Persian, Arabic and the Indic scripts write words with them ("مدل‌های"), and ZWJ joins an
    emoji sequence; between Latin letters or at a word's edge they only hide text.
    """
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if all(ord(c) >= 0x0590 and unicodedata.category(c)[0] in "LM" for c in (before, after)):
        return True
    return text[index] == "\u200d" and all(unicodedata.category(c) in ("So", "Sk", "Mn") for c in (before, after))


def strip_invisible(text: str) -> tuple[str, int]:
    """Remove control, zero-width and bidirectional-override characters; return the text and how many.

    A zero-width joiner or non-joiner inside a word of a script that is written with them is kept.
    """
    removed = 0

    def repl(match: re.Match[str]) -> str:
        nonlocal removed
        char = match.group(0)
        if _is_removable(char) and not (char in _JOINERS and _shapes(text, match.start())):
            removed += 1
            return ""
        return char

    return _CANDIDATE.sub(repl, text), removed


def blank_invisible_lines(text: str) -> tuple[str, int]:
    """Lines holding only invisible characters made empty, where they are the page's blank lines.

    A page whose blank lines are each a zero-width space would otherwise read as one block. Such a
    line is a blank line when it touches a line of text, or when the page has at least as many of
    them as empty lines; one alone between empty lines is a record's text that was all invisible,
    left for the reader to reject. Returns the text and how many lines were made empty.
    """
    if not _CANDIDATE.search(text):
        return text, 0
    lines = text.split("\n")
    invisible = {i for i, line in enumerate(lines) if line.strip() and not strip_invisible(line)[0].strip()}
    if not invisible:
        return text, 0
    empty = sum(1 for line in lines if not line.strip())

    def touches_text(index: int) -> bool:
        return any(0 <= n < len(lines) and n not in invisible and lines[n].strip() for n in (index - 1, index + 1))

    blanked = sorted(i for i in invisible if len(invisible) >= empty or touches_text(i))
    for index in blanked:
        lines[index] = ""
    return ("\n".join(lines), len(blanked)) if blanked else (text, 0)


def collapse_whitespace(text: str) -> str:
    """All runs of white space (tabs, newlines, no-break spaces) become one space; ends trimmed."""
    return " ".join(text.split())  # str.split() splits on exactly the characters \s matches


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
        # Dotted identifiers ("torch.Tensor", "nn.Module"): a dot inside the word already, a code
        # namespace before the dot, or a CamelCase name / call / attribute after it ("model.LayerNorm(").
        if "." in word or "_" in word or "/" in word:
            return match.group(1)
        if word.lower() in _CODE_NAMESPACES and match.group(1) == ".":
            return match.group(1)
        after = _NEXT_TOKEN.match(segment, match.end())
        if after is not None and match.group(1) == ".":
            token = after.group(0)
            if re.search(r"[a-z][A-Z]", token) or "_" in token or segment[after.end() : after.end() + 1] in ("(", "[", "_"):
                return match.group(1)
            if segment[after.end() : after.end() + 1] == "." and segment[after.end() + 1 : after.end() + 2].isalpha():
                return match.group(1)
        return match.group(1) + " "

    return _GLUED_SENTENCE.sub(repl, segment)


def _repair_outside_names(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _PROTECTED.finditer(text):
        out.append(_repair_segment(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_repair_segment(text[pos:]))
    return "".join(out)


def repair_sentence_spacing(text: str) -> str:
    """Put back the space scraping dropped after sentence punctuation, outside math, URLs and file names."""
    if _GLUED_SENTENCE.search(text) is None:
        return text
    out: list[str] = []
    pos = 0
    for match in math_spans(text):
        out.append(_repair_outside_names(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_repair_outside_names(text[pos:]))
    return "".join(out)


def normalize_text(text: str) -> str:
    """Normalize one field of scraped text: NFC, invisible characters out, spacing repaired, white space collapsed."""
    # Invisible characters go first: one between a letter and a combining accent would otherwise
    # keep them apart in NFC, and the result would change on a second pass.
    text, _ = strip_invisible(text)
    text = unicodedata.normalize("NFC", text)
    text = collapse_whitespace(text)
    repaired = repair_sentence_spacing(text)
    return text if repaired == text else collapse_whitespace(repaired)

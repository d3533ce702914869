"""Readable titles for papers listed by abstract only."""

from __future__ import annotations

import re

from ..text import CJK_FULL_STOPS, cut_at_word

MAX_TITLE = 120

# A method name: one token with a capital or digit in it, or two such tokens ("Masked-Diffuse LM").
_NAME = r"(?P<name>(?:[A-Z][\w$^{}\\+-]*|[\w-]*[A-Z0-9][\w$^{}\\+-]*)(?: [A-Z][\w+-]*[A-Z0-9][\w+-]*)?)"
_SUBJECT = r"(?:[Ww]e|[Tt]his (?:work|paper|article|study)|[Ii]n this (?:work|paper), we|[Hh]ere,? we)"
_VERB = r"(?:propose[sd]?|present[sed]*|introduce[sd]?|develop[sed]*|describe[sd]?)"
_CLAUSE = r"(?:[^.;:]|(?<=\d)\.(?=\d))"  # a clause's text: no full stop but a decimal point ("1.2 million")

# "This work proposes POMP, a prompt pre-training method for vision-language models."
_NAME_THEN_DESCRIPTION = re.compile(
    rf"{_SUBJECT} {_VERB} {_NAME}, (?P<desc>(?:an?|the) {_CLAUSE}+?)(?=\.(?!\d)|[;:]|, (?:which|that|where|and|to)\b|$)"
)
# "we introduce a novel diffusion model for language modeling, Masked-Diffuse LM, with ..."
_DESCRIPTION_THEN_NAME = re.compile(
    rf"{_SUBJECT} {_VERB} (?P<desc>(?:an?|the) (?:(?!,){_CLAUSE})+?),? (?:called |named |dubbed |coined |termed )?"
    rf"{_NAME}(?=[,;:)]|\.(?!\d)| \()"
)
_SENTENCE_END = re.compile(rf"(?<=[a-z0-9\)\]%])[.!?](?=\s+[A-Z(]|$)|[{CJK_FULL_STOPS}]")  # the CJK full stops too


def _cut(text: str, limit: int = MAX_TITLE) -> str:
    """At most ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    return cut_at_word(text, limit - 1, keep=limit // 2 + 1).rstrip(" ,;:-") + "…"


def _is_method_name(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return bool(letters) and (capitals >= 2 or any(c.isdigit() for c in name)) and name.lower() not in {"llms", "llm", "dnns"}


def infer_title(abstract: str) -> str:
    """A title derived from an abstract: the method's name and description where the abstract names one,
    otherwise its first sentence, cut at a word boundary at 120 characters."""
    text = abstract.strip()
    for pattern in (_NAME_THEN_DESCRIPTION, _DESCRIPTION_THEN_NAME):
        match = pattern.search(text)
        if match and _is_method_name(match.group("name")):
            desc = match.group("desc").strip()
            desc = desc[:1].upper() + desc[1:]
            return _cut(f"{match.group('name')}: {desc}")
    end = _SENTENCE_END.search(text)
    first = text[: end.start()] if end else text
    return _cut(first.strip()) or _cut(text)

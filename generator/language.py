"""The language a paper is written in, when it is plainly not the site's: for ``lang`` on its title and abstract.

A screen reader reads a German abstract with German sounds only when the page says it is German
(WCAG 2.2, 3.1.2 Language of Parts). The catalogue's pages are in English; a paper is marked only
when its text leaves no doubt, because a wrong mark is worse than none:

- by its script, for text mostly in letters of one (kana: Japanese; Hangul: Korean; Chinese
  characters alone: Chinese; Cyrillic: Russian, or Ukrainian by its own letters; Greek, Arabic,
  Hebrew, Devanagari, Thai);
- by its small words, for text in Latin letters: German, French, Spanish, Italian, Portuguese or
  Dutch when that language's commonest words are many, several times more than English ones.

Deterministic: the same text always gives the same answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

SITE_LANGUAGE = "en"

_SCRIPTS = (  # (code, characters), checked in this order
    ("ja", re.compile("[\u3040-\u30ff]")),  # kana: Japanese, even among Chinese characters
    ("ko", re.compile("[\uac00-\ud7af\u1100-\u11ff]")),
    ("zh", re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("el", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ar", re.compile("[\u0600-\u06ff]")),
    ("he", re.compile("[\u0590-\u05ff]")),
    ("hi", re.compile("[\u0900-\u097f]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
)
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_MIN_SCRIPT_SHARE = 0.5  # of the letters: fewer, and they are names or symbols in an English text (a Greek β)
_MIN_KANA = 2  # kana among Chinese characters that make the text Japanese

_SMALL_WORDS = {
    "en": "the of and to in is we that for with on this are by as from an which our these be it can",
    "de": "der die das und ist nicht mit für auf eine einer einem einen den dem des wir zu von sich auch wird werden durch über bei",
    "fr": "le les des une est et dans pour sur avec nous par pas qui que ce cette sont au aux du leur ses",
    "es": "el los las del una es y en para con por que se su sus como más este esta estos nuestro",
    "it": "il lo gli dei delle della una è per con che non sono nel nella questo questa degli",
    "pt": "os as do da dos das uma é em para com por que não seu sua são nos nosso este esta",
    "nl": "het een en van is niet met voor op dat die zijn wordt worden door deze ook wij",
}
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}  # a small word -> the languages it is one of
for _code, _words in _SMALL_WORDS.items():
    for _word in _words.split():
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _code)
_MIN_HITS = 4  # small words of the language at least
_OVER_ENGLISH = 3  # ... and this many times as many as English ones
_OVER_NEXT = 1.5  # ... and clearly more than the next language's
_WORDS_READ = 80  # the first words of a text say its language as well as all of them
_WORD = re.compile("[a-z\u00df-\u00f6\u00f8-\u00ff\u0153]+")  # a word in Latin letters, lower case
_LETTER = re.compile(r"[^\W\d_]")
# Letters of the scripts above (not the dashes, quotes and symbols an English text has too).
_BEYOND_LATIN = re.compile("|".join(script.pattern for _, script in _SCRIPTS))


def language_of(text: str) -> str | None:
    """A BCP 47 code for ``text`` when it is plainly in a language other than the site's, else None."""
    beyond = len(_BEYOND_LATIN.findall(text))
    letters = len(_LETTER.findall(text)) if beyond else 0  # (counted only where it matters: it is slow)
    if beyond and beyond >= _MIN_SCRIPT_SHARE * letters:  # mostly another script: which one
        for code, script in _SCRIPTS:
            found = len(script.findall(text))
            if code == "ja":
                if found >= _MIN_KANA and found + len(_SCRIPTS[2][1].findall(text)) >= _MIN_SCRIPT_SHARE * letters:
                    return "ja"
                continue
            if found >= _MIN_SCRIPT_SHARE * letters:
                return "uk" if code == "ru" and _UKRAINIAN.search(text) else code
        return None
    counts = dict.fromkeys(_SMALL_WORDS, 0)
    for word in _WORD.findall(text[: _WORDS_READ * 8].lower())[:_WORDS_READ]:
        for code in _LANGUAGES_OF.get(word, ()):
            counts[code] += 1
    english = counts.pop("en")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    (best, hits), (_, second) = ranked[0], ranked[1]
    if hits >= _MIN_HITS and hits >= _OVER_ENGLISH * max(english, 1) and hits >= _OVER_NEXT * second:
        return best
    return None


@lru_cache(maxsize=4096)  # a paper's page, its listing row and its search record ask in turn
def paper_language(title: str, abstract: str) -> str | None:
    """The language of a paper's text (its title and abstract read together), when not the site's."""
    code = language_of(f"{title}\n{abstract}")
    return code if code != SITE_LANGUAGE else None


def title_follows_text(title: str, language: str | None) -> bool:
    """Whether a title may take its paper's language: it is not plainly in another script (or English) itself."""
    if language is None:
        return False
    own = language_of(title)
    return own is None or own == language

"""Text normalization of scraped listing text: idempotent, and the dropped sentence spaces put back
without breaking decimals, abbreviations, URLs, file names, version numbers or LaTeX."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.ingest.normalize import (
    collapse_whitespace,
    normalize_text,
    repair_sentence_spacing,
    strip_invisible,
)
from generator.text import text_key

PROPERTY = settings(max_examples=200, deadline=None)

# Text that looks like scraped abstracts: words, sentence punctuation, LaTeX, URLs, odd white space.
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" .,;:!?$^{}()[]%/-_@'\"")
    + ["\n", "\t", "\u00a0", "\u200b", "\u202e", "\ufeff", "\u00ad", "é", "\u0301", "ﬁ", "•", "·"]
)
scraped_text = st.text(alphabet=_ALPHABET, max_size=120)
# Lowercase words that are not abbreviations ("e.g", "al"), code namespaces ("np", "torch") or a web address ("www").
_NOT_PLAIN = {"eg", "ie", "vs", "cf", "etc", "al", "fig", "eq", "no", "mr", "dr", "st", "approx", "torch", "nn", "np",
              "numpy", "tf", "jnp", "jax", "pd", "plt", "os", "sys", "math", "sklearn", "scipy", "keras", "re",
              "json", "flax", "optax", "transformers", "datasets", "self", "cls", "std", "www"}
plain_word = st.from_regex(r"[a-z]{2,10}", fullmatch=True).filter(lambda w: w not in _NOT_PLAIN)
capital_word = st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True)


@PROPERTY
@given(scraped_text)
@example("fashion.However, interfaces")
@example("a.B.c.D")
@example("$x.Y$.Then see https://a.org/B.C.D.Next")
@example("word.\u200bNext")
@example("A\u200b\u0301")  # an invisible character between a letter and its accent
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@PROPERTY
@given(scraped_text)
def test_normalized_text_has_no_invisible_characters_or_runs_of_space(text: str) -> None:
    out = normalize_text(text)
    assert out == out.strip()
    assert "  " not in out and "\n" not in out and "\t" not in out
    assert not any(ch in out for ch in "\u200b\u202e\ufeff\u00ad")


@PROPERTY
@given(plain_word, plain_word, capital_word, plain_word)
def test_glued_sentence_gets_its_space_back(before: str, last: str, first: str, after: str) -> None:
    text = f"{before.capitalize()} {last}.{first} {after}."
    assert normalize_text(text) == f"{before.capitalize()} {last}. {first} {after}."


@pytest.mark.parametrize(
    ("scraped", "expected"),
    [
        ("in a zero-shot fashion.However, interfaces", "in a zero-shot fashion. However, interfaces"),
        ("specify (multiple) regions-as-input.We train", "specify (multiple) regions-as-input. We train"),
        ("one frame from another.When pretrained", "one frame from another. When pretrained"),
        ("up to 95%.We also", "up to 95%. We also"),
        ("Is it?Yes it is!Good", "Is it? Yes it is! Good"),
    ],
)
def test_sentence_spacing_examples_from_the_bundled_listings(scraped: str, expected: str) -> None:
    assert normalize_text(scraped) == expected


# Things with a dot followed by more text that are not two sentences.
decimal = st.from_regex(r"[0-9]{1,4}\.[0-9]{1,4}", fullmatch=True)
version = st.from_regex(r"v[0-9]{1,2}(\.[0-9]{1,2}){1,3}", fullmatch=True)
file_name = st.builds(
    lambda stem, ext: f"{stem}.{ext}",
    st.from_regex(r"[a-z][a-z_]{1,10}", fullmatch=True),
    st.sampled_from(["py", "json", "yaml", "md", "txt", "csv", "ipynb", "sh"]),
)
url = st.builds(
    lambda host, seg: f"https://{host}.org/{seg}.Html",
    st.from_regex(r"[a-z]{2,8}", fullmatch=True),
    st.from_regex(r"[A-Z][a-z]{1,6}\.[A-Z][a-z]{1,6}", fullmatch=True),
)
latex = st.builds(lambda a, b: f"${a}.{b}$", st.from_regex(r"[a-z]{1,3}", fullmatch=True), capital_word)
protected = st.one_of(decimal, version, file_name, url, latex, st.sampled_from(["e.g.", "i.e.", "et al.", "Fig."]))


@PROPERTY
@given(protected, plain_word, capital_word)
def test_protected_tokens_stay_intact_while_the_sentence_is_repaired(token: str, last: str, first: str) -> None:
    # The token sits inside a sentence whose end is glued to the next one; the glue is repaired, the token is not.
    text = f"We use {token} in our {last}.{first} results follow."
    out = normalize_text(text)
    assert token in out
    assert f"{last}. {first} results follow." in out


@pytest.mark.parametrize(
    "text",
    [
        "pi is 3.14 and the gain is 0.5 points.",
        "methods, e.g. Transformers, and i.e. The baseline",
        "code at https://github.com/AlexMaOLS/EluCD/tree/main.Further",
        "see www.Example.com.Then",
        "run model.py on config.json files",
        "released as v1.2.3 and v2.0",
        "the map $f.G$ and $\\mathcal{A}.B$ hold",
        "call torch.Tensor and nn.Module and np.NaN",
        "J.Smith and A.B testing",
    ],
)
def test_text_without_glued_sentences_is_left_alone(text: str) -> None:
    assert normalize_text(text) == text


def test_latex_and_markdown_emphasis_survive() -> None:
    text = "AstroM$^3$ and P$^2$ are **principled** models.We show"
    assert normalize_text(text) == "AstroM$^3$ and P$^2$ are **principled** models. We show"


def test_invisible_and_bidi_characters_are_removed_and_counted() -> None:
    cleaned, removed = strip_invisible("Deep\u200b Learn\u00adi\u202eng\ufeff")
    assert cleaned == "Deep Learning"
    assert removed == 4


PERSIAN = "\u0645\u062f\u0644\u200c\u0647\u0627\u06cc \u0632\u0628\u0627\u0646\u06cc"  # "large models", with a ZWNJ


@pytest.mark.parametrize(("text", "kept"), [
    (PERSIAN, PERSIAN),  # ZWNJ inside a word
    ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # Devanagari: ZWJ
    ("coder \U0001f469\u200d\U0001f4bb", "coder \U0001f469\u200d\U0001f4bb"),  # an emoji sequence
    ("Zero\u200dWidth\u200c Join", "ZeroWidth Join"),  # between Latin letters they only hide text
    ("\u200c\u0645\u062f\u0644\u200c", "\u0645\u062f\u0644"),  # at a word's edge
])
def test_joiners_stay_where_a_script_writes_words_with_them(text: str, kept: str) -> None:
    assert strip_invisible(text)[0] == kept


def test_whitespace_of_every_kind_collapses() -> None:
    assert collapse_whitespace("  a\tb\n\nc\u00a0d  ") == "a b c d"


def test_unicode_is_composed() -> None:
    assert normalize_text("Cafe\u0301") == "Café"


@PROPERTY
@given(scraped_text)
def test_repair_never_removes_characters(text: str) -> None:
    # Repair only inserts spaces: deleting every space gives back the same characters.
    out = repair_sentence_spacing(text)
    assert re.sub(r" ", "", out) == re.sub(r" ", "", text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Attention Is All You Need", "attention is all you need"),
        ("Attention Is All You Need!", "Attention  is all-you need"),
        ("Café Lattices: Sparse Routing", "Cafe Lattices - sparse routing"),
    ],
)
def test_title_key_ignores_case_punctuation_accents_and_space(a: str, b: str) -> None:
    assert text_key(a) == text_key(b)


def test_title_key_keeps_numbers_and_words_apart() -> None:
    assert text_key("Learning, Part 1") != text_key("Learning, Part 2")
    assert text_key("We propose A.") != text_key("We propose B.")


def test_every_format_character_is_removed_and_counted():
    """Tag characters (U+E0020: text hidden from readers), invisible operators and soft hyphens are format characters."""
    from generator.ingest.normalize import strip_invisible

    assert strip_invisible("Safe\U000e0020\U000e0069 title\u2061\u00ad") == ("Safe title", 4)

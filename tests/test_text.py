"""Listing text: one decision on what is math, followed by the page, plain text, meta tags, BibTeX and normalization."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest.normalize import normalize_text, repair_sentence_spacing
from generator.ingest.slugs import MAX_SLUG, base_slug
from generator.ingest.titles import infer_title
from generator.model import Paper
from generator.site.cite import bibtex_entry
from generator.text import ListingText, ascii_key, ascii_words, cut_at_word, slugify, snippet, text_key


def test_prices_are_text_on_the_page_and_in_bibtex() -> None:
    text = ListingText("It costs $5 and $6 per run.")
    assert not text.has_math
    assert str(text.as_html()) == "It costs $5 and $6 per run."
    assert text.as_plain() == "It costs $5 and $6 per run."
    assert text.as_bibtex() == r"It costs \$5 and \$6 per run."
    entry = bibtex_entry(Paper(title="Cheap $5 and $6 models", abstract="x", id="cheap"), "cheap")
    assert r"title = {{Cheap \$5 and \$6 models}}," in entry


def test_prose_between_two_stray_dollar_signs_is_text_not_one_long_formula() -> None:
    source = ("a generative model p is $k-NAF if for every potentially copyrighted data C, the output of p diverges "
              "by at most k-bits from the output of a model q that did not access C at all$. We also give algorithms.")
    text = ListingText(source)
    assert not text.has_math and str(text.as_html()) == source and text.as_plain() == source
    assert ListingText(r"$\text{for all the inputs } x$ and $O(n \log n)$").has_math  # a formula's own words


def test_a_formula_is_math_in_every_output() -> None:
    text = ListingText("AstroM$^3$: a model")
    assert text.has_math
    html = str(text.as_html())
    assert html.startswith('AstroM<span class="pc-math" title="$^3$"><math') and "<msup>" in html
    assert html.endswith("</span>: a model")
    assert text.as_plain() == "AstroM³: a model"
    assert text.as_meta() == "AstroM³: a model"
    assert text.as_bibtex() == "AstroM$^3$: a model"


@pytest.mark.parametrize(("source", "plain"), [
    ("Scaling $\\mathcal{O}(n \\log n)$ Attention", "Scaling \U0001d4aa(n log n) Attention"),
    ("$\\sin x + \\cos\\theta$", "sin x + cos θ"),
    ("$\\log(n)$ time", "log(n) time"),
])
def test_a_named_operator_keeps_its_space_as_text(source: str, plain: str) -> None:
    """The browser tab, search results and feeds show "n log n", as the formula reads, not "n logn"."""
    assert ListingText(source).as_plain() == plain


@pytest.mark.parametrize(
    ("source", "bibtex"),
    [
        ("$$x$$ display math", r"\$\$x\$\$ display math"),  # not inline math: literal on the page, escaped here
        (r"price \$5$ only", r"price \textbackslash{}\$5\$ only"),
        ("a $ lone sign", r"a \$ lone sign"),
        ("$x $ spaced", r"\$x \$ spaced"),
    ],
)
def test_what_the_page_shows_literally_bibtex_escapes(source: str, bibtex: str) -> None:
    text = ListingText(source)
    assert not text.has_math
    assert "<math" not in str(text.as_html())
    assert text.as_bibtex() == bibtex


def test_math_that_could_run_tex_commands_is_escaped_in_bibtex_only() -> None:
    text = ListingText(r"see $\input{secret}$ now")
    assert text.as_bibtex() == r"see \$\textbackslash{}input\textbraceleft{}secret\textbraceright{}\$ now"
    assert "\\input" not in text.as_bibtex().replace("\\textbackslash{}input", "")


def test_meta_text_is_escaped_and_cut_at_a_word() -> None:
    text = ListingText('A <b>"bold"</b> claim & more $x^2$ ' + "word " * 60)
    meta = text.as_meta(60)
    assert meta.startswith("A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; claim &amp; more x² word")
    assert meta.endswith(" …") and "<" not in meta and '"' not in meta


def test_normalization_leaves_the_math_the_page_renders_alone() -> None:
    # Inside math the dot is LaTeX; outside, a glued sentence gets its space back.
    assert repair_sentence_spacing("We use $a.Bc$ here.Then more") == "We use $a.Bc$ here. Then more"
    # "$5 for it.The $" is not math (the page shows it literally), so its glued sentence is repaired.
    assert normalize_text("costs $5 for it.The $6 one") == "costs $5 for it. The $6 one"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab $^{}.,X\\_2")), max_size=40))
def test_every_output_follows_the_same_split(source: str) -> None:
    text = ListingText(source)
    assert "".join(part for part, _ in text.parts) == source
    math_parts = [part for part, is_math in text.parts if is_math]
    assert str(text.as_html()).count('<span class="pc-math"') == len(math_parts)
    # BibTeX keeps a "$" unescaped only as a delimiter of math the page renders too.
    unescaped = len(re.findall(r"(?<!\\)\$", text.as_bibtex()))
    assert unescaped <= 2 * len(math_parts)
    if not math_parts:
        assert unescaped == 0 and text.as_plain() == source


def test_text_keys_fold_case_accents_and_punctuation() -> None:
    assert text_key("Gödel, Escher: Bach!") == text_key("godel escher bach") == "godelescherbach"
    assert ascii_key("Gödel-Net") == "gdelnet"  # only ASCII letters and digits kept
    assert ascii_words("Gödel's proof, 2nd ed.") == ["godel", "s", "proof", "2nd", "ed"]
    assert slugify("AstroM$^3$: A Model!") == "astrom-3-a-model"


def test_one_cut_at_a_word_boundary_for_titles_snippets_and_slugs() -> None:
    assert cut_at_word("alpha beta gamma", 12, keep=5) == "alpha beta"
    assert cut_at_word("alphabetagamma delta", 12, keep=6) == "alphabetagam"  # no boundary late enough: cut the word
    assert snippet("short", 10) == "short"
    assert snippet("one two three four five six", 14) == "one two three …"
    long_title = "Word " * 40
    assert len(infer_title(long_title)) <= 120 and infer_title(long_title).endswith("Word…")
    slug = base_slug("segment " * 20)
    assert len(slug) <= MAX_SLUG and slug.startswith("segment-segment") and "--" not in slug


def test_a_formula_is_named_by_its_plain_characters() -> None:
    """A heading or link holding math is read in full by a screen reader: "AstroM³", not "AstroM"."""
    html_text = str(ListingText('AstroM$^3$ and $\\alpha$"><b>').as_html())
    assert '<math aria-label="³" ' in html_text and '<math aria-label="α" ' in html_text
    assert "<b>" not in html_text


def test_an_ascii_text_key_is_the_key_of_the_general_rule() -> None:
    """Plain ASCII text takes a faster path to its key; the key is the one the Unicode rule gives, for every character."""
    import re
    import unicodedata

    def general(text: str) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKD", text.casefold()))

    texts = [chr(c) + "Ab_9" + chr(c) for c in range(128)] + ["We propose A.", "Learning, Part 1\t(v2)", "", "___", "x\x00y"]
    assert all(text.isascii() for text in texts)
    assert [text_key(t) for t in texts] == [general(t) for t in texts]

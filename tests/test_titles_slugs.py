"""Titles inferred for abstract-only papers, and the paper ids (slugs) the site's URLs are made of."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import ingest_content
from generator.ingest.slugs import MAX_SLUG, RESERVED, assign_ids, base_slug, slugify
from generator.ingest.titles import MAX_TITLE, infer_title

PROPERTY = settings(max_examples=200, deadline=None)
FIXTURES = Path(__file__).parent / "fixtures" / "listings"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "title"),
    [
        (
            "This work proposes POMP, a prompt pre-training method for vision-language models. Being memory and "
            "computation efficient, POMP enables the learned prompt to condense semantic information.",
            "POMP: A prompt pre-training method for vision-language models",
        ),
        (
            "Diffusion models are popular. To alleviate these issues, we introduce a novel diffusion model for "
            "language modeling, Masked-Diffuse LM, with lower training cost.",
            "Masked-Diffuse LM: A novel diffusion model for language modeling",
        ),
        (
            "We present SPT, a semi-parametric prompt tuning method for multitask prompted learning.",
            "SPT: A semi-parametric prompt tuning method for multitask prompted learning",
        ),
        (
            "In this paper, we introduce a new benchmark for code repair, called FixBench-7, and evaluate ten models.",
            "FixBench-7: A new benchmark for code repair",
        ),
        (
            "Here we propose GLiMMER, an efficient tokenizer-free architecture for long documents; it scales well.",
            "GLiMMER: An efficient tokenizer-free architecture for long documents",
        ),
        (  # a decimal point ends no sentence
            "Imaging models see one modality. We present OmniScan, a vision encoder pretrained on 1.2 million CT and MRI "
            "images. It transfers to 17 tasks.",
            "OmniScan: A vision encoder pretrained on 1.2 million CT and MRI images",
        ),
        (
            "Scale helps. We introduce a model trained on 1.5 billion tokens, GPT-X2, which we release.",
            "GPT-X2: A model trained on 1.5 billion tokens",
        ),
    ],
)
def test_title_from_the_method_name_and_its_description(abstract: str, title: str) -> None:
    assert infer_title(abstract) == title


def test_title_without_a_method_name_is_the_first_sentence() -> None:
    abstract = "Deep neural networks (DNNs) are vulnerable to backdoor attacks. We study defences."
    assert infer_title(abstract) == "Deep neural networks (DNNs) are vulnerable to backdoor attacks"


def test_a_plural_acronym_is_not_a_method_name() -> None:
    title = infer_title("We introduce LLMs, a family of models for text. They are big.")
    assert not title.startswith("LLMs:")


def test_long_first_sentence_is_cut_at_a_word_boundary() -> None:
    abstract = (
        "Graph neural networks struggle with long-range dependencies because messages fade as they travel across "
        "many hops of a sparse graph structure that keeps on growing. We fix this."
    )
    title = infer_title(abstract)
    assert len(title) <= MAX_TITLE
    assert title.endswith("…")
    kept = title[:-1]
    assert abstract.startswith(kept)
    assert abstract[len(kept)] == " "  # the cut falls between two words
    assert title == (
        "Graph neural networks struggle with long-range dependencies because messages fade as they travel across many hops of a…"
    )


words = st.lists(st.from_regex(r"[a-z]{1,14}", fullmatch=True), min_size=2, max_size=60)


@PROPERTY
@given(words, words)
def test_inferred_titles_are_short_prefixes_of_the_first_sentence(first: list[str], second: list[str]) -> None:
    sentence = " ".join(first).capitalize()
    abstract = f"{sentence}. {' '.join(second).capitalize()}."
    title = infer_title(abstract)
    assert 0 < len(title) <= MAX_TITLE
    if len(sentence) <= MAX_TITLE:
        assert title == sentence
    else:
        assert title.endswith("…")
        kept = title[:-1]
        assert sentence.startswith(kept) and sentence[len(kept)] == " "


def test_abstract_only_listing_marks_titles_as_inferred() -> None:
    result = ingest_content(FIXTURES, files=[FIXTURES / "real_abstracts_003.txt"])
    titles = {p.title: p for p in result.papers}
    assert "POMP: A prompt pre-training method for vision-language models" in titles
    assert "Masked-Diffuse LM: A novel diffusion model for language modeling" in titles
    assert all(p.title_inferred for p in result.papers)
    first_sentence = next(p for p in result.papers if p.abstract.startswith("Large language models (LLMs)"))
    assert first_sentence.title.endswith("…") and len(first_sentence.title) <= MAX_TITLE


# --- slugs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("AstroM$^3$: A self-supervised multimodal model for astronomy", "astrom-3-a-self-supervised-multimodal-model-for-astronomy"),
        ("Café Lattices — Sparse Routing!", "cafe-lattices-sparse-routing"),
        ("  Where's the Point?  ", "where-s-the-point"),
        ("P$^2$-Net", "p-2-net"),
        # Letters with no accent to strip are spelled out, not dropped.
        ("Straße to Ærø: Œuvres of Łukasz", "strasse-to-aero-oeuvres-of-lukasz"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@PROPERTY
@given(st.text(max_size=300))
def test_base_slug_is_always_url_safe(title: str) -> None:
    slug = base_slug(title)
    assert SLUG.match(slug), slug
    assert len(slug) <= MAX_SLUG
    assert slug not in RESERVED
    assert base_slug(title) == slug  # stable


def test_reserved_and_empty_slugs_are_replaced() -> None:
    assert base_slug("Index") == "index-paper"
    assert base_slug("CON") == "con-paper"
    empty = base_slug("$^{}$ → ∑")
    assert SLUG.match(empty) and empty.startswith("paper-")
    assert base_slug("∑ ∫") != base_slug("∏ ∂")  # two title-less slugs do not collide


def test_long_titles_sharing_their_start_get_different_ids() -> None:
    prefix = "A Very Long Title About Large Language Models That Goes On And On Beyond Any Reasonable Length"
    a, b = base_slug(prefix + " for Vision"), base_slug(prefix + " for Speech")
    assert a != b
    assert len(a) <= MAX_SLUG and len(b) <= MAX_SLUG


def test_colliding_titles_get_distinct_ids_independent_of_order() -> None:
    pairs = [("Attention Is All You Need", "abstract-one"), ("Attention is all you need!", "abstract-two"),
             ("Unrelated Paper", "x")]
    ids = assign_ids(pairs)
    assert len(set(ids)) == 3
    assert ids[2] == "unrelated-paper"
    assert all(i.startswith("attention-is-all-you-need-") for i in ids[:2])
    shuffled = list(range(3))
    random.Random(4).shuffle(shuffled)
    again = assign_ids([pairs[i] for i in shuffled])
    assert {pairs[i]: again[k] for k, i in enumerate(shuffled)} == dict(zip(pairs, ids, strict=True))


def test_identical_title_and_fingerprint_still_get_distinct_ids() -> None:
    ids = assign_ids([("Same", "same"), ("Same", "same"), ("Same", "same")])
    assert len(set(ids)) == 3
    assert all(SLUG.match(i) for i in ids)


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["Alpha", "alpha!", "Beta", "Gamma Ray", "gamma-ray", "", "∑"]), st.text(max_size=5)),
                max_size=12))
def test_assigned_ids_are_unique_and_url_safe(pairs: list[tuple[str, str]]) -> None:
    ids = assign_ids(pairs)
    assert len(ids) == len(pairs)
    assert len(set(ids)) == len(ids)
    assert all(SLUG.match(i) for i in ids)


def test_adding_an_unrelated_paper_keeps_every_existing_id(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("real_daily_002.txt", "real_search_001.txt", "topic_invented.txt"):
        shutil.copy(FIXTURES / name, content / name)
    before = {p.title: p.id for p in ingest_content(content).papers}
    shutil.copy(FIXTURES / "yaml_list.yml", content / "zz_more.yml")
    after = {p.title: p.id for p in ingest_content(content).papers}
    assert len(after) == len(before) + 2
    assert {t: after[t] for t in before} == before
    assert len(set(after.values())) == len(after)


def test_ids_of_the_bundled_catalogue_are_unique_slugs() -> None:
    papers = ingest_content(Path(__file__).parent.parent / "content").papers
    ids = [p.id for p in papers]
    assert len(set(ids)) == len(ids) == 484
    assert all(SLUG.match(i) and len(i) <= MAX_SLUG for i in ids)
    by_title = {p.title: p.id for p in papers}
    assert by_title["AstroM$^3$: A self-supervised multimodal model for astronomy"] == (
        "astrom-3-a-self-supervised-multimodal-model-for-astronomy"
    )

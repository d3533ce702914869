"""Topic classification: taxonomy loading, classification, overrides, evaluation, suggestions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from generator.ingest import ingest_content
from generator.model import Paper
from generator.topics import TaxonomyError, TopicAssignment, classify, load_overrides, load_taxonomy
from generator.topics.evaluate import evaluate, load_labels
from generator.topics.suggest import format_suggestions, suggest_topics

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ROOT / "generator" / "defaults" / "config" / "topics.yml"
OVERRIDES = ROOT / "generator" / "defaults" / "config" / "overrides.yml"
LABELS = ROOT / "tests" / "data" / "topic_labels.yml"
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(TOPICS)


@pytest.fixture(scope="module")
def papers():
    return ingest_content(CONTENT).papers


def paper(title: str, abstract: str, pid: str, **kw) -> Paper:
    return Paper(title=title, abstract=abstract, id=pid, **kw)


def write(tmp_path: Path, text: str, name: str = "topics.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINIMAL = """\
topics:
  - slug: vision
    name: Computer Vision
    description: Seeing.
    keywords: {"image": 2, "object detection": 4}
  - slug: other
    name: Other
    description: The rest.
"""

# ---------------------------------------------------------------- taxonomy loading


def test_shipped_taxonomy_has_the_agreed_topics(tax):
    assert tax.slugs == [
        "llm", "vision", "multimodal", "generative", "rl", "robotics", "graphs", "efficiency",
        "trustworthy", "interpretability", "theory", "representation", "science", "audio", "other",
    ]
    assert tax.fallback == "other"
    for topic in tax.topics:
        assert topic.name and topic.description.endswith(".")
        assert topic.keywords or topic.slug == "other"
    assert tax.get("llm").name == "Large Language Models & NLP"
    assert tax.get("nope") is None


@pytest.mark.parametrize(
    "broken, key, expected, found",
    [
        (MINIMAL.replace('keywords: {"image": 2, "object detection": 4}', "keywords: [image, video]"),
         "topics[0].keywords", "a mapping of term -> weight", "list"),
        (MINIMAL.replace('"image": 2', '"image": high'), "topics[0].keywords['image']", "a non-zero number", "str 'high'"),
        (MINIMAL.replace("slug: other", "slug: vision"), "topics[1].slug", "a slug not used before", "'vision'"),
        (MINIMAL.replace("slug: vision", "slug: Computer Vision"), "topics[0].slug", "a lowercase slug", "'Computer Vision'"),
        (MINIMAL.replace("    description: Seeing.\n", ""), "topics[0].description", "a non-empty string", "key missing"),
        (
            MINIMAL.replace("    name: Other\n", "    name: Other\n    colour: red\n"),
            "topics[1].colour", "one of the keys", "unknown key 'colour'",
        ),
        ("topics: {}\n", "topics", "a non-empty list of topics", "dict"),
        (MINIMAL + "fallback: misc\n", "fallback", "the slug of one of the topics", "'misc'"),
        (MINIMAL + "settings: {min_score: -1}\n", "settings.min_score", "a number >= 0", "-1"),
    ],
)
def test_taxonomy_errors_name_file_key_expected_and_found(tmp_path, broken, key, expected, found):
    path = write(tmp_path, broken)
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert str(path) in message
    assert f": {key}:" in message
    assert f"expected {expected}" in message
    assert "found" in message and found in message


def test_taxonomy_error_for_invalid_yaml_and_missing_file(tmp_path):
    path = write(tmp_path, "topics:\n  - slug: [unclosed\n")
    syntax = r"topics\.yml: line \d+, column \d+: expected valid YAML, found a syntax error: .*starts at line 2"
    with pytest.raises(TaxonomyError, match=syntax):
        load_taxonomy(path)
    with pytest.raises(TaxonomyError, match="found no such file"):
        load_taxonomy(tmp_path / "missing.yml")
    path = write(tmp_path, "topics:\n  - slug: ice\n    name: \"Glacier: 5\n    keywords: [ice]\n  - slug: sea\n")
    with pytest.raises(TaxonomyError, match=r"the quote opened at line 3 is not closed"):
        load_taxonomy(path)


# ---------------------------------------------------------------- classification


def test_clear_cases_and_evidence(tax):
    papers = [
        paper("QLoRA: Efficient Finetuning of Quantized LLMs", "We finetune a 4-bit quantized language model with LoRA adapters.", "a"),
        paper("Backdoor Attacks on Image Classifiers", "We poison the training data so the model misbehaves on a trigger.", "b"),
        paper("Denoising Diffusion for Image Synthesis", "A diffusion model that generates high quality images.", "c"),
        paper("Offline Reinforcement Learning with Learned Rewards", "The agent learns a policy from logged trajectories.", "d"),
    ]
    got = classify(papers, tax)
    assert [got[p].primary for p in "abcd"] == ["efficiency", "trustworthy", "generative", "rl"]
    assert "quantized" in got["a"].evidence["efficiency"] or "lora" in got["a"].evidence["efficiency"]
    assert "llm" in got["a"].secondary
    for a in got.values():
        assert isinstance(a, TopicAssignment) and not a.overridden
        assert len(a.secondary) <= 2 and a.primary not in a.secondary
        assert set(a.evidence) == {a.primary, *a.secondary}
        assert all(a.evidence[s] for s in a.evidence)


def test_paper_without_any_keyword_goes_to_fallback(tax):
    got = classify([paper("On Cheese", "We describe several cheeses from the Alps.", "x")], tax)
    assert got["x"].primary == "other" and got["x"].secondary == ()
    assert got["x"].evidence["other"]


def test_topic_hint_is_only_weak(tax):
    vision_paper = paper(
        "Zero-shot Object Segmentation from Videos", "We segment moving objects in video frames with a motion pathway.", "v",
        topic_hints=["Large Language Model"],
    )
    assert classify([vision_paper], tax)["v"].primary == "vision"
    vague = paper("A Study", "We study how the model behaves.", "w", topic_hints=["Large Language Model"])
    assert classify([vague], tax)["w"].primary in {"llm", "other"}


def test_deterministic_and_order_independent(tax, papers):
    first = classify(papers, tax)
    again = classify(list(reversed(papers)), tax)
    assert first == again
    assert list(first) == [p.id for p in papers]


def test_topics_are_the_same_whatever_the_number_of_processes(tax, papers, monkeypatch):
    """``papercat build --jobs N`` scores the papers in N processes: every paper gets the same topics and evidence."""
    from generator import parallel

    one = classify(papers, tax)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 50)  # the bundled papers are enough to split
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert classify(papers, tax, jobs=2) == one
    assert classify(list(reversed(papers)), tax, jobs=3) == one


def test_every_paper_gets_a_topic_of_the_taxonomy(tax, papers):
    got = classify(papers, tax)
    assert set(got) == {p.id for p in papers}
    for a in got.values():
        assert a.primary in tax and all(s in tax for s in a.secondary)
    other = sum(a.primary == "other" for a in got.values()) / len(got)
    assert other <= 0.03
    used = {a.primary for a in got.values()}
    assert len(used) >= 12, f"only {sorted(used)} used"


def test_topic_added_in_config_gets_papers(tmp_path, tax):
    data = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))
    data["topics"].insert(-1, {
        "slug": "time-series", "name": "Time Series", "description": "Forecasting and classifying sequences over time.",
        "keywords": {"time series": 5, "forecasting": 4},
    })
    path = tmp_path / "topics.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    extended = load_taxonomy(path)
    ts = paper("Time Series Classification from Scratch", "A baseline for time series classification and forecasting.", "ts")
    llm = paper("Prompting Large Language Models", "We prompt large language models for question answering.", "q")
    got = classify([ts, llm], extended)
    assert got["ts"].primary == "time-series"
    assert "time series" in got["ts"].evidence["time-series"]
    assert got["q"].primary == "llm"


def test_renamed_topic_slug_is_used(tmp_path):
    path = write(tmp_path, MINIMAL.replace("slug: vision", "slug: cv"))
    got = classify([paper("Object Detection in the Wild", "Image object detection.", "p")], load_taxonomy(path))
    assert got["p"].primary == "cv"


# ---------------------------------------------------------------- overrides


def test_shipped_overrides_file_is_empty(tax):
    assert load_overrides(OVERRIDES, tax) == {}


def test_overrides_pin_topics_and_are_excluded_from_evaluation(tmp_path, tax, papers):
    labels = load_labels(LABELS, tax)
    qlora = next(p for p in papers if p.title.startswith("QLoRA"))
    bench = next(p for p in papers if p.title.startswith("A Function Interpretation Benchmark"))
    path = write(tmp_path, f"""\
        {qlora.id}: {{primary: audio, secondary: [graphs, audio]}}
        {bench.id}: science
        not-a-paper-in-the-catalogue: llm
    """, "overrides.yml")
    overrides = load_overrides(path, tax)
    got = classify(papers, tax, overrides=overrides)
    assert got[qlora.id] == TopicAssignment(
        primary="audio", secondary=("graphs",),
        evidence={"audio": ("curator override",), "graphs": ("curator override",)}, overridden=True, confidence=1.0,
    )
    assert got[bench.id].primary == "science" and got[bench.id].overridden
    assert sum(a.overridden for a in got.values()) == 2
    report = evaluate(papers, tax, LABELS, split="all", overrides=overrides)
    assert sorted(report.excluded) == sorted([qlora.id, bench.id])
    assert report.evaluated == len(labels) - 2
    assert qlora.id in report.format()


def test_override_with_unknown_topic_names_file_and_key(tmp_path, tax):
    path = write(tmp_path, "some-paper: {primary: llms}\n", "overrides.yml")
    with pytest.raises(TaxonomyError) as info:
        load_overrides(path, tax)
    assert str(path) in str(info.value) and "some-paper.primary" in str(info.value) and "'llms'" in str(info.value)


# ---------------------------------------------------------------- evaluation


def test_labels_are_spread_and_split_before_tuning(tax):
    labels = load_labels(LABELS, tax)
    assert len(labels) >= 240
    assert {lab.split for lab in labels} == {"tune", "test"}
    share = sum(lab.split == "tune" for lab in labels) / len(labels)
    assert 0.45 <= share <= 0.65
    assert sum(lab.by == "abstract_start" for lab in labels) >= 5


def test_accuracy_on_test_split_and_other_share(tax, papers):
    report = evaluate(papers, tax, LABELS, split="test")
    assert report.missing == [], report.format()
    assert report.evaluated >= 100
    assert report.accuracy >= 0.85, report.format(show_errors=True)
    assert report.other_share <= 0.03
    text = report.format()
    assert "test" in text and "precision" in text and "llm" in text


def test_unmatched_labels_are_reported(tmp_path, tax, papers):
    labels = tmp_path / "labels.yml"
    labels.write_text(
        '- title: "A Paper Nobody Wrote"\n  primary: llm\n  acceptable: [llm]\n  split: test\n'
        '- title: "QLoRA: Efficient Finetuning of Quantized LLMs"\n  primary: efficiency\n  acceptable: [efficiency, llm]\n  split: test\n',
        encoding="utf-8",
    )
    report = evaluate(papers, tax, labels, split="test")
    assert report.evaluated == 1 and report.correct == 1
    assert [m.key for m in report.missing] == ["A Paper Nobody Wrote"]
    assert "A Paper Nobody Wrote" in report.format()


# ---------------------------------------------------------------- suggestions


def test_suggest_returns_deterministic_clusters(tax, papers):
    got = classify(papers, tax)
    first = suggest_topics(papers, tax, got, k=5)
    assert first == suggest_topics(papers, tax, got, k=5)
    assert 1 <= len(first) <= 5
    ids = {p.id for p in papers}
    for s in first:
        assert len(s.paper_ids) >= 3 and set(s.paper_ids) <= ids
        assert s.terms and all(isinstance(t, str) for t in s.terms)
    assert first[0].paper_ids[0] in format_suggestions(first)


def test_suggest_finds_a_topic_missing_from_the_taxonomy(tax):
    mk = lambda i, t, a: paper(t, a, f"p{i}")  # noqa: E731
    cheese = "Alpine cheese ripening in caves, cheese rind microbes and cheese aging batch {}."
    wine = "Grape wine fermentation in oak barrels, wine yeast and wine tannins lot {}."
    papers = [mk(i, f"Cheese ripening study {i}", cheese.format(i)) for i in range(6)]
    papers += [mk(10 + i, f"Wine fermentation {i}", wine.format(i)) for i in range(6)]
    got = classify(papers, tax)
    assert all(a.primary == "other" for a in got.values())
    suggestions = suggest_topics(papers, tax, got, k=2)
    assert len(suggestions) == 2
    groups = sorted(sorted(s.paper_ids) for s in suggestions)
    assert groups == sorted([sorted(f"p{i}" for i in range(6)), sorted(f"p{10 + i}" for i in range(6))])
    assert {"cheese", "wine"} <= {t for s in suggestions for t in s.terms}


def test_neighbours_place_a_paper_no_keyword_decides(tax):
    """A paper in words the rules do not know takes the topic of the decided papers it resembles."""
    decided = [
        paper(f"Graph neural networks enumerate zeolite frameworks {i}",
              f"Message passing graph neural networks enumerate zeolite frameworks from tetrahedral sites, variant {i}.", f"g{i}")
        for i in range(8)
    ]
    unknown = paper("Enumerating zeolite frameworks", "We enumerate zeolite frameworks from their tetrahedral sites.", "u")
    cheese = paper("On Cheese", "We describe several cheeses from the Alps.", "c")
    got = classify([*decided, unknown, cheese], tax)
    assert {got[p.id].primary for p in decided} == {"graphs"}
    assert got["u"].primary == "graphs"
    assert got["u"].evidence["graphs"][0].startswith("nearest papers: Graph neural networks")
    assert got["c"].primary == "other"  # nothing resembles it: it stays in the fallback


def test_with_a_third_of_the_keywords_neighbours_keep_accuracy_and_empty_other(tax, papers):
    """Robustness on vocabulary the rules lack: drop two thirds of every topic's keywords.

    Papers from unseen listings use words the keyword lists never saw; this simulates that on
    the labelled papers. With neighbours the accuracy stays above the 85% target and almost
    nothing is left in 'other'; without them about one paper in thirteen would be.
    """
    import dataclasses
    import importlib

    module = importlib.import_module("generator.topics.classify")
    thin = dataclasses.replace(
        tax, topics=type(tax.topics)(dataclasses.replace(t, keywords=dict(sorted(t.keywords.items())[::3])) for t in tax.topics)
    )
    with_neighbours = evaluate(papers, thin, LABELS, split="all", assignments=classify(papers, thin))
    original = module._place_by_neighbours
    module._place_by_neighbours = lambda *args: None
    try:
        keywords_only = evaluate(papers, thin, LABELS, split="all", assignments=classify(papers, thin))
    finally:
        module._place_by_neighbours = original
    assert with_neighbours.accuracy >= 0.85, with_neighbours.format()
    assert with_neighbours.other_share <= 0.01
    assert keywords_only.other_share >= 0.05
    assert with_neighbours.accuracy >= keywords_only.accuracy + 0.03  # measured: 84.5% -> 87.8%, other 7.6% -> 0.2%

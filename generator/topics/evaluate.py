"""Measure the classifier against hand labels (``tests/data/topic_labels.yml``).

Labels are matched to papers by title key (``generator.text.text_key``: case, accents and
punctuation folded; then by its ASCII letters and digits alone) or, for
listings without titles, by the normalised start of the abstract (``abstract_start``).
Labels whose paper is not found are reported in ``EvalReport.missing``, never dropped
silently. Papers pinned by a curator override are excluded (``EvalReport.excluded``).

Per topic: ``support`` = labelled papers whose primary label is the topic; ``recall`` = share
of those whose predicted primary is acceptable; ``precision`` = share of papers predicted as
the topic for which the topic is acceptable; ``predicted`` = how many were predicted as it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import ConfigError, ConfigMap, load_yaml
from generator.model import Paper
from generator.text import ascii_key, text_key

from .classify import TopicAssignment, classify
from .taxonomy import Override, Taxonomy, TaxonomyError

SPLITS = ("tune", "test", "all")


@dataclass(frozen=True, slots=True)
class Label:
    key: str  # title or abstract start, as written in the labels file
    by: str  # "title" or "abstract_start"
    primary: str
    acceptable: tuple[str, ...]
    split: str


@dataclass(slots=True)
class TopicStats:
    support: int = 0
    recalled: int = 0
    predicted: int = 0
    precise: int = 0

    @property
    def recall(self) -> float | None:
        return self.recalled / self.support if self.support else None

    @property
    def precision(self) -> float | None:
        return self.precise / self.predicted if self.predicted else None


@dataclass(slots=True)
class Miss:
    label: Label
    paper_id: str
    predicted: str
    evidence: tuple[str, ...]


@dataclass(slots=True)
class EvalReport:
    split: str
    labels: int  # labels in the split
    evaluated: int  # labels matched to a paper and not overridden
    correct: int
    per_topic: dict[str, TopicStats]
    other_share: float  # share of ALL given papers whose primary is the fallback topic
    fallback: str
    papers: int
    missing: list[Label] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # ids of overridden labelled papers
    errors: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.evaluated if self.evaluated else 0.0

    def format(self, *, show_errors: bool = False) -> str:
        def pct(x: float | None) -> str:
            return "   -  " if x is None else f"{100 * x:5.1f}%"

        lines = [
            f"Topic evaluation on the {self.split!r} split: {self.correct}/{self.evaluated} correct "
            f"= {100 * self.accuracy:.1f}% (primary topic among the acceptable ones)",
            f"Papers classified: {self.papers}; in {self.fallback!r}: {100 * self.other_share:.1f}%",
            "",
            f"{'topic':<18} {'support':>7} {'recall':>7} {'predicted':>9} {'precision':>9}",
        ]
        for slug, st in self.per_topic.items():
            if st.support or st.predicted:
                lines.append(f"{slug:<18} {st.support:>7} {pct(st.recall):>7} {st.predicted:>9} {pct(st.precision):>9}")
        if self.excluded:
            lines.append(f"\nExcluded (curator overrides): {len(self.excluded)}: {', '.join(self.excluded)}")
        if self.missing:
            lines.append(f"\nLabels not matched to any paper: {len(self.missing)}")
            lines.extend(f"  - {m.by}: {m.key}" for m in self.missing)
        if show_errors and self.errors:
            lines.append("\nMisclassified:")
            for e in self.errors:
                lines.append(
                    f"  - {e.paper_id}: predicted {e.predicted} ({', '.join(e.evidence)}); "
                    f"acceptable {', '.join(e.label.acceptable)}"
                )
        return "\n".join(lines)


def load_labels(path: Path | str, taxonomy: Taxonomy | None = None) -> list[Label]:
    """The hand labels of ``path`` (read with the strict configuration loader); a mistake is a ``TaxonomyError``."""
    path = Path(path)
    try:
        data = load_yaml(path, what="a topic labels file")
    except ConfigError as err:
        raise TaxonomyError(err.file, err.key, err.expected, found_text=err.found_text, line=err.line) from None
    if not isinstance(data, list):
        raise TaxonomyError(path, "(top level)", "a list of labels", found_text=type(data).__name__)
    labels = []
    for i, raw in enumerate(data):
        where = f"[{i}]"
        if not isinstance(raw, dict):
            raise TaxonomyError(path, where, "a mapping", found_text=type(raw).__name__)
        line = raw.line("primary") if isinstance(raw, ConfigMap) else None
        by = "title" if "title" in raw else "abstract_start" if "abstract_start" in raw else None
        if by is None or not isinstance(raw[by], str):
            raise TaxonomyError(path, where, "a 'title' or 'abstract_start' string", found_text="neither", line=line)
        primary = raw.get("primary")
        acceptable = raw.get("acceptable") or [primary]
        split = raw.get("split")
        if split not in ("tune", "test"):
            raise TaxonomyError(path, f"{where}.split", "'tune' or 'test'", split, line=line)
        if not isinstance(primary, str) or not isinstance(acceptable, list) or primary not in acceptable:
            raise TaxonomyError(
                path, where, "'primary' to be one of 'acceptable'", found_text=f"{primary!r} / {acceptable!r}", line=line
            )
        if taxonomy is not None:
            for slug in acceptable:
                if slug not in taxonomy:
                    raise TaxonomyError(path, f"{where}.acceptable", "topic slugs of the taxonomy", slug, line=line)
        labels.append(Label(key=raw[by], by=by, primary=primary, acceptable=tuple(acceptable), split=split))
    return labels


def match_labels(papers: Sequence[Paper], labels: Sequence[Label]) -> tuple[list[tuple[Label, Paper]], list[Label]]:
    """Pair labels with papers; return (pairs, labels without a paper)."""
    by_title: dict[str, Paper] = {}
    by_ascii_title: dict[str, Paper] = {}
    abstracts: list[tuple[str, Paper]] = []
    for p in papers:
        if not p.title_inferred:
            by_title.setdefault(text_key(p.title), p)
            by_ascii_title.setdefault(ascii_key(p.title), p)
        abstracts.append((text_key(p.abstract[:400]), p))
    pairs, missing = [], []
    for label in labels:
        paper = None
        if label.by == "title":
            paper = by_title.get(text_key(label.key)) or by_ascii_title.get(ascii_key(label.key))
        else:
            start = text_key(label.key)
            paper = next((p for key, p in abstracts if start and key.startswith(start)), None)
        if paper is None:
            missing.append(label)
        else:
            pairs.append((label, paper))
    return pairs, missing


def evaluate(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    labels_path: Path | str,
    split: str = "test",
    *,
    overrides: Mapping[str, Override] | None = None,
    assignments: Mapping[str, TopicAssignment] | None = None,
) -> EvalReport:
    """Classify ``papers`` (unless ``assignments`` are given) and score them against the labels of ``split``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if assignments is None:
        assignments = classify(papers, taxonomy, overrides=overrides)
    labels = [lab for lab in load_labels(labels_path, taxonomy) if split == "all" or lab.split == split]
    pairs, missing = match_labels(papers, labels)
    per_topic = {slug: TopicStats() for slug in taxonomy.slugs}
    correct = evaluated = 0
    excluded: list[str] = []
    errors: list[Miss] = []
    for label, paper in pairs:
        a = assignments[paper.id]
        if a.overridden:
            excluded.append(paper.id)
            continue
        evaluated += 1
        ok = a.primary in label.acceptable
        correct += ok
        per_topic.setdefault(label.primary, TopicStats()).support += 1
        per_topic[label.primary].recalled += ok
        st = per_topic.setdefault(a.primary, TopicStats())
        st.predicted += 1
        st.precise += ok
        if not ok:
            errors.append(Miss(label, paper.id, a.primary, a.evidence.get(a.primary, ())))
    fallback_count = sum(1 for a in assignments.values() if a.primary == taxonomy.fallback)
    return EvalReport(
        split=split,
        labels=len(labels),
        evaluated=evaluated,
        correct=correct,
        per_topic=per_topic,
        other_share=fallback_count / len(assignments) if assignments else 0.0,
        fallback=taxonomy.fallback,
        papers=len(assignments),
        missing=missing,
        excluded=sorted(excluded),
        errors=errors,
    )

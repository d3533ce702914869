"""Propose candidate new topics from papers the taxonomy fits poorly.

Papers in the fallback topic, or whose primary topic barely beats the runner-up
(``confidence < low_confidence``), are embedded as TF-IDF vectors (unigrams and bigrams,
stop words removed) and clustered with k-means (k-means++ start, fixed seed). Every cluster
with at least ``min_size`` papers becomes a ``Suggestion``: its most characteristic terms,
its member paper ids (closest to the centre first) and the topics they currently sit in.
Pure numpy, deterministic for the same input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from generator.model import Paper
from generator.similarity import tfidf_terms

from .classify import TopicAssignment, tokenize
from .taxonomy import Taxonomy

_STOP = frozenset(
    """a about above across after again against all also an and any are as at be because been before being
    below between both but by can could did do doe doing down during each few for from further had has have
    having he her here how i if in into is it its itself just more most much no nor not of off on once only or
    other our out over own paper propose proposed same she should show so some such than that the their them
    then there these they this those through to too under until up very via was we were what when where which
    while who whom why will with would you your approach method methods result results model models based
    using use used new novel work existing however furthermore moreover well also first two three one
    performance task tasks data learning learn learned state art stateoftheart significantly achieve
    achieves demonstrate experiments experimental extensive further different various many including
    framework problem problems large deep neural network networks training trained train""".split()
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate topic: characteristic terms and the papers that would go in it."""

    terms: tuple[str, ...]
    paper_ids: tuple[str, ...]
    current_topics: tuple[tuple[str, int], ...]  # (slug, count) where the members sit today

    @property
    def label(self) -> str:
        return " / ".join(self.terms[:3])

    def format(self) -> str:
        where = ", ".join(f"{slug} {n}" for slug, n in self.current_topics)
        shown = ", ".join(self.paper_ids[:5]) + (" ..." if len(self.paper_ids) > 5 else "")
        return (
            f"* {self.label}  ({len(self.paper_ids)} papers; now in: {where})\n"
            f"    terms:  {', '.join(self.terms)}\n"
            f"    papers: {shown}"
        )


def format_suggestions(suggestions: Sequence[Suggestion]) -> str:
    if not suggestions:
        return "No candidate topics: too few papers fit the taxonomy poorly."
    head = f"{len(suggestions)} candidate topic(s) from papers that fit the taxonomy poorly:"
    return "\n".join([head, *(s.format() for s in suggestions)])


def _features(papers: Sequence[Paper]) -> list[list[str]]:
    cache: dict[str, str] = {}
    docs = []
    for p in papers:
        title = "" if p.title_inferred else p.title
        toks = [t for t in tokenize(f"{title} {title} {p.abstract}", cache) if len(t) > 2 and not t.isdigit() and t not in _STOP]
        docs.append(toks + [f"{a} {b}" for a, b in pairwise(toks)])
    return docs


def _kmeans(x: np.ndarray, k: int, seed: int, iters: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    centres = [x[int(rng.integers(n))]]
    dist = np.full(n, np.inf)
    for _ in range(1, k):
        dist = np.minimum(dist, ((x - centres[-1]) ** 2).sum(axis=1))
        total = dist.sum()
        idx = int(rng.choice(n, p=dist / total)) if total > 0 else int(rng.integers(n))
        centres.append(x[idx])
    c = np.array(centres)
    labels = np.zeros(n, dtype=int)
    for it in range(iters):
        new = np.argmax(x @ c.T, axis=1)  # rows are L2-normalised: max cosine
        if it and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                v = members.mean(axis=0)
                norm = np.linalg.norm(v)
                c[j] = v / norm if norm else v
    return labels


def suggest_topics(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    assignments: Mapping[str, TopicAssignment],
    k: int = 8,
    *,
    low_confidence: float = 0.6,
    min_size: int = 3,
    n_terms: int = 6,
    seed: int = 0,
    max_papers: int = 5000,
) -> list[Suggestion]:
    """Cluster poorly-fitting papers into up to ``k`` candidate topics (largest first)."""
    poor = [
        p
        for p in sorted(papers, key=lambda p: p.id)
        if p.id in assignments
        and not assignments[p.id].overridden
        and (assignments[p.id].primary == taxonomy.fallback or assignments[p.id].confidence < low_confidence)
    ][:max_papers]
    if len(poor) < 2 * min_size or k < 1:
        return []
    found = tfidf_terms(_features(poor), min_df=2, max_df=0.5)
    if found is None:
        return []
    rows_of, vocab = found
    index = {t: i for i, t in enumerate(vocab)}
    x = rows_of.toarray()
    keep = np.linalg.norm(x, axis=1) > 0
    x, poor = x[keep], [p for p, ok in zip(poor, keep, strict=True) if ok]
    k = max(1, min(k, len(poor) // min_size))
    labels = _kmeans(x, k, seed)
    suggestions = []
    for j in range(k):
        rows = np.flatnonzero(labels == j)
        if len(rows) < min_size:
            continue
        centre = x[rows].mean(axis=0)
        order = np.argsort(-centre, kind="stable")
        terms: list[str] = []
        for t in (vocab[i] for i in order):
            if centre[index[t]] <= 0 or len(terms) >= n_terms:
                break
            if any(t in s or s in t for s in terms):  # skip "diffusion" after "diffusion model"
                continue
            terms.append(t)
        sims = x[rows] @ centre
        members = [poor[rows[i]].id for i in np.argsort(-sims, kind="stable")]
        current = Counter(assignments[m].primary for m in members)
        suggestions.append(
            Suggestion(
                terms=tuple(terms),
                paper_ids=tuple(members),
                current_topics=tuple(sorted(current.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    suggestions.sort(key=lambda s: (-len(s.paper_ids), s.terms))
    return suggestions

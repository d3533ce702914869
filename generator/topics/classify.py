"""Keyword-rule topic classifier.

Each topic in ``topics.yml`` carries weighted terms. A paper's text is tokenised (casefolded,
alphanumeric runs, plural ``s`` stripped), terms are matched longest-first without overlap,
and a topic's score is the sum over its matched terms of
``weight * (title_weight if in title) + weight * sqrt(min(abstract hits, repeat_cap))``,
plus ``hint_weight`` when one of the paper's ``topic_hints`` names the topic. The best-scoring
topic is primary; if no topic reaches ``min_score`` the paper goes to the fallback topic.
Up to two further topics become secondary when their score is both ``>= secondary_min_score``
and ``>= secondary_ratio * primary score``. Ties break by topic order in the config.

A paper no keyword rule decides is then placed by its neighbours: the catalogue's papers the
rules did decide vote with their primary topic, weighted by TF-IDF cosine similarity of title
and abstract (top ``NEIGHBOURS``, at least ``NEIGHBOUR_MIN_SIMILARITY``); the evidence names
the nearest of them. Only papers with no convincing neighbour stay in the fallback topic.
The result is deterministic: it depends on the papers and the taxonomy only.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.model import Paper
from generator.parallel import map_in_processes
from generator.similarity import PaperTerms, TextCache

from .taxonomy import Override, Taxonomy

_TOKEN = re.compile(r"[a-z0-9]+")
_KEEP_S = ("ss", "us", "is", "as")
OVERRIDE_EVIDENCE = ("curator override",)
NEIGHBOURS = 7
NEIGHBOUR_MIN_SIMILARITY = 0.08  # a single neighbour this close is enough; weaker ones must agree
NEIGHBOUR_MIN_VOTE = 0.12  # summed similarity the winning topic needs


@dataclass(frozen=True, slots=True)
class TopicAssignment:
    """The topics chosen for one paper and why."""

    primary: str
    secondary: tuple[str, ...] = ()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    overridden: bool = False
    score: float = 0.0  # primary topic's keyword score (0 for overrides and the fallback)
    confidence: float = 0.0  # primary score / (primary + runner-up); 1.0 for overrides


def _stem(token: str, cache: dict[str, str]) -> str:
    stem = cache.get(token)
    if stem is None:
        stem = token
        if len(token) > 3 and token.endswith("s") and not token.endswith(_KEEP_S):
            stem = token[:-1]
        cache[token] = stem
    return stem


def tokenize(text: str, cache: dict[str, str] | None = None) -> list[str]:
    """Casefolded alphanumeric tokens with a plural ``s`` stripped (``LLMs`` -> ``llm``)."""
    cache = {} if cache is None else cache
    return [_stem(t, cache) for t in _TOKEN.findall(text.casefold())]


def normalize_hint(text: str) -> str:
    return " ".join(tokenize(text))


class KeywordScorer:
    """Pre-compiled term table for one taxonomy; ``score()`` gives per-topic scores and evidence."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.slugs = taxonomy.slugs
        self.settings = taxonomy.settings
        self._stems: dict[str, str] = {}
        # term id -> (topic index, weight, original term); several topics may share a term
        self.terms: list[list[tuple[int, float, str]]] = []
        by_ngram: dict[tuple[str, ...], int] = {}
        for ti, topic in enumerate(taxonomy.topics):
            for term, weight in topic.keywords.items():
                ngram = tuple(tokenize(term, self._stems))
                if not ngram:
                    continue
                tid = by_ngram.setdefault(ngram, len(self.terms))
                if tid == len(self.terms):
                    self.terms.append([])
                self.terms[tid].append((ti, weight, term))
        # first token -> [(ngram tail, term id)] longest first
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for ngram, tid in by_ngram.items():
            self.by_first.setdefault(ngram[0], []).append((ngram[1:], tid))
        for cands in self.by_first.values():
            cands.sort(key=lambda c: (-len(c[0]), c[0]))
        self.hints: dict[str, list[int]] = {}
        for ti, topic in enumerate(taxonomy.topics):
            for hint in (topic.name, *topic.hints):
                self.hints.setdefault(normalize_hint(hint), []).append(ti)

    def _match(self, tokens: list[str], counts: dict[int, int]) -> None:
        by_first = self.by_first
        i, n = 0, len(tokens)
        while i < n:
            cands = by_first.get(tokens[i])
            if cands is None:
                i += 1
                continue
            for tail, tid in cands:
                k = len(tail)
                if k == 0 or tuple(tokens[i + 1 : i + 1 + k]) == tail:
                    counts[tid] = counts.get(tid, 0) + 1
                    i += k + 1
                    break
            else:
                i += 1

    def score(self, title: str, abstract: str, hints: Iterable[str] = ()) -> tuple[list[float], list[dict[str, float]]]:
        """Per-topic scores (in taxonomy order) and per-topic {term: contribution}."""
        title_counts: dict[int, int] = {}
        abstract_counts: dict[int, int] = {}
        self._match(tokenize(title, self._stems), title_counts)
        self._match(tokenize(abstract, self._stems), abstract_counts)
        tw = self.settings["title_weight"]
        cap = self.settings["repeat_cap"]
        scores = [0.0] * len(self.slugs)
        contrib: list[dict[str, float]] = [{} for _ in self.slugs]
        for tid in title_counts.keys() | abstract_counts.keys():
            factor = (tw if tid in title_counts else 0.0) + math.sqrt(min(abstract_counts.get(tid, 0), cap))
            for ti, weight, term in self.terms[tid]:
                value = weight * factor
                scores[ti] += value
                contrib[ti][term] = contrib[ti].get(term, 0.0) + value
        for hint in hints:
            for ti in self.hints.get(normalize_hint(hint), ()):
                scores[ti] += self.settings["hint_weight"]
                contrib[ti][f"listing topic: {hint}"] = self.settings["hint_weight"]
        return scores, contrib

    def assign(self, title: str, abstract: str, hints: Iterable[str] = ()) -> TopicAssignment:
        scores, contrib = self.score(title, abstract, hints)
        fallback = self.taxonomy.fallback
        order = sorted(
            (i for i, s in enumerate(self.slugs) if s != fallback and scores[i] > 0),
            key=lambda i: (-scores[i], i),
        )
        if not order or scores[order[0]] < self.settings["min_score"]:
            weak: dict[str, tuple[str, ...]] = {}
            if order:
                weak = {fallback: ("no topic scored high enough; weak terms: " + ", ".join(_top_terms(contrib[order[0]], 3)),)}
            else:
                weak = {fallback: ("no topic keyword found",)}
            return TopicAssignment(primary=fallback, evidence=weak, score=0.0, confidence=0.0)
        best = order[0]
        top = scores[best]
        runner = scores[order[1]] if len(order) > 1 else 0.0
        threshold = max(self.settings["secondary_min_score"], self.settings["secondary_ratio"] * top)
        secondary = [i for i in order[1:3] if scores[i] >= threshold]
        evidence = {self.slugs[i]: _top_terms(contrib[i], 5) for i in (best, *secondary)}
        return TopicAssignment(
            primary=self.slugs[best],
            secondary=tuple(self.slugs[i] for i in secondary),
            evidence=evidence,
            score=round(top, 4),
            confidence=round(top / (top + runner), 4),
        )


def _top_terms(contrib: Mapping[str, float], k: int) -> tuple[str, ...]:
    return tuple(t for t, _ in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def classify(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    overrides: Mapping[str, Override] | None = None,
    step: Callable[[int], None] | None = None,
    cache: TextCache | None = None,
    jobs: int = 1,
    terms: PaperTerms | None = None,
) -> dict[str, TopicAssignment]:
    """Assign a primary topic (and up to two secondary ones) to every paper, keyed by ``paper.id``.

    ``step(1)`` is called after each paper (progress on a long run). With a ``cache``, the keyword
    scoring of a paper whose title, abstract and hints were scored with the same taxonomy (and
    papercat) before is taken from it; the placement by neighbours is done on the whole catalogue.
    The other papers are scored in ``jobs`` processes, and the neighbours found in ``jobs`` threads (the
    result does not depend on it).
    ``terms``: the words of these papers, counted already (``similarity.PaperTerms``), for the placement.
    """
    overrides = overrides or {}
    result: dict[str, TopicAssignment] = {}
    known: dict[str, TopicAssignment] = {}
    if cache is not None:  # the keyword scores of papers whose text an earlier build scored the same way
        common = _common_key(taxonomy)
        keys = {p.id: _cache_key(common, p) for p in papers if p.id not in overrides}
        known = {pid: _decode(text) for pid, text in _found(cache, keys).items()}
    todo = [p for p in papers if p.id not in overrides and p.id not in known]
    texts = [("" if p.title_inferred else p.title, p.abstract, tuple(p.topic_hints)) for p in todo]
    scored = dict(zip(
        (p.id for p in todo),
        map_in_processes(_assign, texts, jobs, initializer=_start_scorer, initargs=(taxonomy,)),
        strict=True,
    ))
    for paper in papers:
        if step is not None:
            step(1)
        pinned = overrides.get(paper.id)
        if pinned is not None:
            secondary = tuple(s for s in pinned.secondary if s != pinned.primary)[:2]
            result[paper.id] = TopicAssignment(
                primary=pinned.primary,
                secondary=secondary,
                evidence={slug: OVERRIDE_EVIDENCE for slug in (pinned.primary, *secondary)},
                overridden=True,
                score=0.0,
                confidence=1.0,
            )
            continue
        found = known.get(paper.id)
        if found is None:
            found = scored[paper.id]
            if cache is not None:
                cache.add(keys[paper.id], _encode(found))
        result[paper.id] = found
    _place_by_neighbours(papers, result, taxonomy.fallback, cache, terms, jobs)
    return result


_scorer: KeywordScorer | None = None  # the scorer of the process: made once per process by _start_scorer


def _start_scorer(taxonomy: Taxonomy) -> None:
    global _scorer  # noqa: PLW0603 - one scorer per process, made before its first paper
    _scorer = KeywordScorer(taxonomy)


def _assign(text: tuple[str, str, tuple[str, ...]]) -> TopicAssignment:
    assert _scorer is not None
    title, abstract, hints = text
    return _scorer.assign(title, abstract, hints)


def _common_key(taxonomy: Taxonomy) -> str:
    """What every paper's keyword scoring depends on besides its own text: papercat's code and the taxonomy."""
    from generator.fingerprint import code_fingerprint

    data = [code_fingerprint(), repr((taxonomy.topics, taxonomy.fallback, taxonomy.settings))]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _cache_key(common: str, paper: Paper) -> str:
    title = "" if paper.title_inferred else paper.title
    data = [common, title, paper.abstract, list(paper.topic_hints)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _found(cache: TextCache, keys: Mapping[str, str]) -> dict[str, str]:
    texts = cache.lookup(list(keys.values()))
    return {pid: texts[key] for pid, key in keys.items() if key in texts}


def _encode(a: TopicAssignment) -> str:
    return json.dumps(
        [a.primary, list(a.secondary), [[k, list(v)] for k, v in a.evidence.items()], a.overridden, a.score, a.confidence],
        ensure_ascii=False,
    )


def _decode(text: str) -> TopicAssignment:
    primary, secondary, evidence, overridden, score, confidence = json.loads(text)
    return TopicAssignment(
        primary=primary, secondary=tuple(secondary), evidence={k: tuple(v) for k, v in evidence},
        overridden=overridden, score=score, confidence=confidence,
    )


def _place_by_neighbours(
    papers: Sequence[Paper], result: dict[str, TopicAssignment], fallback: str, cache: TextCache | None = None,
    terms: PaperTerms | None = None, threads: int = 1,
) -> None:
    """Give papers left in the fallback topic the topic their nearest decided papers share.

    The placement depends on the whole catalogue (its word weights, every decided paper's topic);
    with a ``cache``, a build whose papers and keyword topics are those of the last one takes it from there.
    ``terms``: the words of these papers, counted already (``similarity.PaperTerms``); ``threads``:
    how many threads find the neighbours (each paper's are found alone: the result does not depend on it).
    """
    terms = PaperTerms.of(papers, terms)
    papers = terms.papers  # sorted by id: the same neighbours whatever order the papers come in
    undecided = [i for i, p in enumerate(papers) if result[p.id].primary == fallback and not result[p.id].overridden]
    decided = [i for i, p in enumerate(papers) if result[p.id].primary != fallback]
    if not undecided or len(decided) < NEIGHBOURS:
        return
    if cache is None:
        placed = _neighbour_topics(terms, undecided, decided, result, threads)
    else:
        from generator.similarity import catalogue_result

        rows = (
            [p.id, p.title, p.title_inferred, p.abstract, result[p.id].primary, result[p.id].overridden] for p in papers
        )
        placed, _ = catalogue_result(
            cache, f"placement by neighbours, fallback {fallback}", rows,
            lambda: _neighbour_topics(terms, undecided, decided, result, threads),
        )
    for paper_id, topic, named, confidence in placed:
        result[paper_id] = TopicAssignment(
            primary=topic, evidence={topic: (f"nearest papers: {named}",)}, score=0.0, confidence=confidence
        )


def _neighbour_topics(
    terms: PaperTerms, undecided: Sequence[int], decided: Sequence[int], result: Mapping[str, TopicAssignment],
    threads: int = 1,
) -> list[tuple[str, str, str, float]]:
    """``(paper id, topic, the nearest voters' titles, confidence)`` of each undecided paper its neighbours place."""
    from generator.similarity import nearest_rows

    papers = terms.papers

    placed: list[tuple[str, str, str, float]] = []
    matrix = terms.rows(inferred_titles=False)
    if matrix is None:  # no usable word at all
        return placed
    near = nearest_rows(matrix[list(undecided)], matrix[list(decided)], top_n=NEIGHBOURS, threshold=0.05, threads=threads)
    for row, index in enumerate(undecided):
        lo, hi = near.indptr[row], near.indptr[row + 1]
        pairs = sorted(zip(near.data[lo:hi].tolist(), near.indices[lo:hi].tolist(), strict=True), key=lambda sc: (-round(sc[0], 5), sc[1]))
        votes: dict[str, float] = {}
        for similarity, column in pairs:
            topic = result[papers[decided[column]].id].primary
            votes[topic] = votes.get(topic, 0.0) + similarity
        if not votes:
            continue
        topic, vote = min(votes.items(), key=lambda tv: (-round(tv[1], 5), tv[0]))
        voters = [(s, c) for s, c in pairs if result[papers[decided[c]].id].primary == topic]
        if vote < NEIGHBOUR_MIN_VOTE or voters[0][0] < NEIGHBOUR_MIN_SIMILARITY:
            continue
        named = "; ".join(papers[decided[c]].title[:80] for _, c in voters[:2])
        placed.append((papers[index].id, topic, named, round(vote / sum(votes.values()), 4)))
    return placed

"""Site search: the built ``search/search_index.json`` queried the way Material's search does.

Material for MkDocs 9 ships the index as JSON and builds a Lunr index from it in the browser
(``assets/javascripts/workers/search.*.min.js``). ``MaterialSearch`` rebuilds that index with
the Python ``lunr`` package and answers queries with the same rules:

* index: fields and boosts from the file's ``config`` (title 1000, text 1, tags 1e6), each
  document's own ``boost``, ``b(0)`` (no length normalisation), a pipeline of only the stop-word
  filter (no trimmer, no stemmer), and Material's tokenizer: text between HTML tags, split on
  the configured separator, lower-cased;
* query: every word becomes a trailing-wildcard term (``word*``) that skips the pipeline, so
  it matches every indexed term it prefixes;
* ranking: Lunr's score times ``1 + boost**2``, where boost is 1 for a page's main document
  (0 for a section) plus the share of the query's words that matched; results are grouped by
  page, best first.

Lunr's own ``Index.query`` scores each document by the dot product of its field vectors with
the query vector; ``MaterialSearch.search`` does the same sums with a sparse matrix, which
``test_fast_scoring_matches_lunr`` checks against ``Index.query`` itself.
"""

from __future__ import annotations

import bisect
import html
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from lunr.builder import Builder
from lunr.query import Query
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from scipy import sparse
from site_fixtures import BUNDLED_PAPERS

from generator.site.text import plain_text

NEURIPS = "Neural Information Processing Systems"
_TAG = re.compile(r"<[^>]*>")
# Characters with a meaning in Lunr's query syntax (field, boost, edit distance, wildcard,
# presence, phrase): a reader searching for a title leaves them out or Material strips them.
_QUERY_SYNTAX = re.compile(r"[:^~*+\"]")
_LATEX = re.compile(r"\$([^$]*)\$")


def material_tokens(value: object, separator: re.Pattern[str]) -> list[str]:
    """Material's tokenizer: the text between HTML tags, split on the separator, lower-cased."""
    if isinstance(value, list):
        return [t for item in value for t in material_tokens(item, separator)]
    if not isinstance(value, str):
        return []
    return [token.lower() for chunk in _TAG.split(value) for token in separator.split(chunk) if token]


def typed_query(title: str) -> str:
    """A title as a reader types it into the search box: ``AstroM$^3$`` as ``AstroM3``, no query syntax."""
    plain = _LATEX.sub(lambda m: re.sub(r"\\[a-zA-Z]+|[\\^_{}]", "", m.group(1)), html.unescape(title))
    return _QUERY_SYNTAX.sub(" ", plain)


class MaterialSearch:
    """Material's client-side search over a built site's ``search_index.json``, in Python."""

    def __init__(self, index_file: Path) -> None:
        self.raw_bytes = index_file.stat().st_size
        data = json.loads(index_file.read_text(encoding="utf-8"))
        self.config = data["config"]
        self.docs: list[dict] = data["docs"]
        self.separator = re.compile(self.config["separator"])
        self.index = self._build_lunr_index()
        self._prepare_matrices()

    def _build_lunr_index(self):
        builder = Builder()
        builder.pipeline.add(stop_word_filter)  # config.pipeline == ["stopWordFilter"]
        assert self.config["pipeline"] == ["stopWordFilter"]
        builder.b(0)
        builder.ref("location")
        for name, spec in self.config["fields"].items():
            builder.field(name, boost=spec.get("boost", 1), extractor=lambda doc, n=name: material_tokens(doc.get(n), self.separator))
        for doc in self.docs:
            builder.add(doc, {"boost": doc["boost"]} if "boost" in doc else None)
        return builder.build()

    def _prepare_matrices(self) -> None:
        index = self.index
        self.refs = [d["location"] for d in self.docs]
        row = {ref: i for i, ref in enumerate(self.refs)}
        self.terms = sorted(index.inverted_index)
        columns = len(index.inverted_index)
        weights: dict[tuple[int, int], float] = defaultdict(float)
        for field_ref, vector in index.field_vectors.items():
            field, ref = field_ref.split("/", 1)
            elements = vector.elements
            for k in range(0, len(elements), 2):
                weights[(row[ref], elements[k])] += elements[k + 1]
        keys = list(weights)
        self.weights = sparse.csc_matrix(
            ([weights[k] for k in keys], ([k[0] for k in keys], [k[1] for k in keys])), shape=(len(self.refs), columns)
        )
        hits = set()
        for posting in index.inverted_index.values():
            for field in index.fields:
                for ref in posting[field]:
                    hits.add((row[ref], posting["_index"]))
        self.hits = sparse.csc_matrix(
            (np.ones(len(hits)), ([h[0] for h in hits], [h[1] for h in hits])), shape=(len(self.refs), columns)
        )
        self.term_index = {term: posting["_index"] for term, posting in index.inverted_index.items()}
        # Material makes a document a section of the first document with the same path before "#".
        seen: set[str] = set()
        sections = []
        for ref in self.refs:
            path = ref.split("#")[0]
            sections.append(path in seen)
            seen.add(path)
        self.is_section = np.array(sections)

    def words(self, query: str) -> list[str]:
        """The query's terms as Material passes them to Lunr (each then gets a trailing ``*``)."""
        return [w.lower() for part in query.split() for w in self.separator.split(part) if w]

    def expand(self, word: str) -> list[str]:
        """Every indexed term ``word*`` matches."""
        start = bisect.bisect_left(self.terms, word)
        stop = bisect.bisect_left(self.terms, word + "\U0010ffff")
        return self.terms[start:stop]

    def scores(self, query: str) -> dict[str, float]:
        """``{document location: score}`` after Material's post-query boost."""
        words = self.words(query)
        counts: dict[int, int] = defaultdict(int)
        per_word: dict[str, list[int]] = {}
        for word in words:
            columns = [self.term_index[t] for t in self.expand(word)]
            per_word[word] = columns
            for column in columns:
                counts[column] += 1
        if not counts:
            return {}
        columns = list(counts)
        q = np.array([counts[c] for c in columns], dtype=float)
        raw = self.weights[:, columns] @ q / math.sqrt(float(q @ q))
        matched = np.asarray(self.hits[:, columns].sum(axis=1)).ravel() > 0
        found = np.zeros(len(self.refs))
        considered = np.zeros(len(self.refs))
        for word, cols in per_word.items():
            hit = np.asarray(self.hits[:, cols].sum(axis=1)).ravel() > 0 if cols else np.zeros(len(self.refs), bool)
            found += hit
            considered += hit | (word not in STOP_WORDS)
        share = np.divide(found, considered, out=np.zeros_like(found), where=considered > 0)
        boost = (~self.is_section).astype(float) + share
        final = raw * (1 + boost**2)
        return {self.refs[i]: float(final[i]) for i in np.flatnonzero(matched)}

    def search(self, query: str) -> list[str]:
        """Pages (locations without ``#``) in Material's order: best document first, grouped by page."""
        ranked = sorted(self.scores(query).items(), key=lambda item: -item[1])
        return list(dict.fromkeys(location.split("#")[0] for location, _ in ranked))

    def lunr_scores(self, query: str) -> dict[str, float]:
        """Lunr's own scores for Material's wildcard terms (slow; used to check ``scores``)."""
        q = self.index.create_query()
        for word in self.words(query):
            q.term(word, wildcard=Query.WILDCARD_TRAILING, use_pipeline=False)
        return {r["ref"]: r["score"] for r in self.index.query(q)}

    def raw_scores(self, query: str) -> dict[str, float]:
        """``scores`` before the post-query boost, comparable with ``lunr_scores``."""
        words = self.words(query)
        counts: dict[int, int] = defaultdict(int)
        for word in words:
            for term in self.expand(word):
                counts[self.term_index[term]] += 1
        columns = list(counts)
        q = np.array([counts[c] for c in columns], dtype=float)
        raw = self.weights[:, columns] @ q / math.sqrt(float(q @ q))
        matched = np.asarray(self.hits[:, columns].sum(axis=1)).ravel() > 0
        return {self.refs[i]: float(raw[i]) for i in np.flatnonzero(matched)}


@pytest.fixture(scope="module")
def search(built_site: Path) -> MaterialSearch:
    return MaterialSearch(built_site / "search" / "search_index.json")


@pytest.fixture(scope="module")
def paper_docs(search: MaterialSearch) -> list[dict]:
    return [d for d in search.docs if d["location"].startswith("papers/") and "#" not in d["location"]]


@pytest.fixture(scope="module")
def catalogue():
    from site_fixtures import CONTENT

    from generator.ingest import ingest_content

    return {p.id: p for p in ingest_content(CONTENT).papers}


# ---------------------------------------------------------------- the index itself


def test_index_uses_materials_format_and_field_boosts(search: MaterialSearch):
    fields = search.config["fields"]
    assert fields["title"]["boost"] > fields["text"]["boost"]
    assert set(search.config) >= {"lang", "separator", "pipeline", "fields"}
    assert all({"location", "title", "text"} <= set(d) for d in search.docs)


def test_one_document_per_paper_boosted_above_listings(search: MaterialSearch, paper_docs, catalogue):
    papers = [d for d in search.docs if d["location"].startswith("papers/")]
    assert len(papers) == len(paper_docs) == BUNDLED_PAPERS
    assert {d["location"] for d in paper_docs} == {f"papers/{pid}/" for pid in catalogue}
    month_and_home = {
        d.get("boost", 1) for d in search.docs if d["location"].split("/")[0] in ("months", "") or d["location"].startswith("#")
    }
    assert min(d.get("boost", 1) for d in paper_docs) >= 4 and max(month_and_home) < 4


def test_paper_documents_hold_title_and_abstract_but_not_provenance(paper_docs, catalogue):
    for doc in paper_docs:
        paper = catalogue[doc["location"].split("/")[1]]
        assert html.unescape(doc["title"]) == plain_text(paper.title)  # LaTeX as characters: "AstroM³"
        assert "Why this topic" not in doc["text"] and "Where it came from" not in doc["text"]
        words = re.findall(r"\w{6,}", paper.abstract.replace("$", " "))
        assert words and words[-1] in html.unescape(doc["text"])


def test_listing_rows_are_kept_out_of_the_index(search: MaterialSearch, paper_docs):
    """Topic, month and home pages mark their paper lists ``data-search-exclude``: no paper titles there."""
    listing_docs = [d for d in search.docs if d["location"].split("/")[0] in ("topics", "months", "") or d["location"].startswith("#")]
    leaked = [
        (d["location"], p["title"])
        for d in listing_docs
        for p in paper_docs
        if len(p["title"]) > 25 and p["title"] in d["text"]
    ]
    assert not leaked, leaked[:10]


# ---------------------------------------------------------------- the Python mirror is faithful


def test_fast_scoring_matches_lunr(search: MaterialSearch, paper_docs):
    queries = [typed_query(d["title"]) for d in paper_docs[::60]] + ["Computer Vision", NEURIPS, "diffusion", "transformer"]
    for query in queries:
        expected = search.lunr_scores(query)
        got = search.raw_scores(query)
        assert set(got) == set(expected), query
        for ref, score in expected.items():
            assert got[ref] == pytest.approx(score, rel=1e-6, abs=1e-9), (query, ref)


# ---------------------------------------------------------------- finding papers


# Papers another paper outranks on their own title words. Material makes every query word a prefix
# (``trained*``, ``learning*``) and indexes words with their punctuation (``pre-train,`` gives
# ``train,``; ``models'`` is its own, rare, term), so a title whose words prefix rarer terms in a
# similar title loses to it. It is still second.
PREFIX_COLLISIONS = {
    "papers/learning-task-representations-from-in-context-learning/",
}


def _title_ranks(search: MaterialSearch, paper_docs, make_query) -> dict[str, int | None]:
    ranks = {}
    for doc in paper_docs:
        pages = search.search(make_query(doc["title"]))
        ranks[doc["location"]] = pages.index(doc["location"]) if doc["location"] in pages else None
    return ranks


def test_every_title_finds_its_paper_first(search: MaterialSearch, paper_docs, capsys):
    """The words of a paper's title that Lunr indexes (stop words dropped) find its page first."""
    def content_words(title: str) -> str:
        return " ".join(w for w in search.words(typed_query(title)) if w not in STOP_WORDS)

    ranks = _title_ranks(search, paper_docs, content_words)
    misses = {loc: r for loc, r in ranks.items() if r != 0}
    with capsys.disabled():
        print(f"\n[search] title without stop words ranks its paper first: {len(ranks) - len(misses)}/{len(ranks)}")
        for loc, r in sorted(misses.items()):
            print(f"[search]   rank {r}: {loc}")
    assert all(r is not None and r < 3 for r in ranks.values()), misses  # at worst third
    assert not set(misses) - PREFIX_COLLISIONS, misses


def test_typed_titles_find_their_paper(search: MaterialSearch, paper_docs, capsys):
    """The whole title, as typed (stop words too), puts the paper first, or in the top three.

    Material turns every typed word into a prefix (``a`` → ``a*``, ``of`` → ``of*``), so a short
    word matches many unrelated terms and a paper whose title shares most words with another can
    be outranked by it; such a paper still comes within the first three results.
    """
    ranks = _title_ranks(search, paper_docs, typed_query)
    first = sum(1 for r in ranks.values() if r == 0)
    with capsys.disabled():
        print(f"[search] exact typed title ranks its paper first: {first}/{len(ranks)} ({first / len(ranks):.1%})")
        for loc, r in sorted(ranks.items()):
            if r != 0:
                print(f"[search]   rank {r}: {loc}")
    assert all(r is not None and r < 3 for r in ranks.values()), {k: v for k, v in ranks.items() if v is None or v >= 3}
    assert first / len(ranks) >= 0.99


def test_a_distinctive_abstract_word_finds_each_paper(search: MaterialSearch, paper_docs, capsys):
    """Every paper is found by the rarest word of its abstract, searched alone.

    When that word (as Material's prefix query) matches no other page, the paper is the only and
    first result. A few abstracts share every word with some other page; their paper must still
    come within the first five results for one of its three rarest words.
    """
    pages_of: dict[str, set[str]] = defaultdict(set)
    for term, posting in search.index.inverted_index.items():
        for field in search.index.fields:
            pages_of[term].update(ref.split("#")[0] for ref in posting[field])
    failures, shared = [], []
    worst_shared = 0
    for doc in paper_docs:
        abstract = doc["text"].split("Abstract", 1)[-1]
        candidates = []
        for token in set(material_tokens(abstract, search.separator)):
            if len(token) < 5 or not token.isalpha() or token in STOP_WORDS:
                continue
            found = set().union(*(pages_of[t] for t in search.expand(token)))
            if doc["location"] in found:
                candidates.append((len(found), -len(token), token))
        if not candidates:
            failures.append((doc["location"], "no word of five letters or more"))
            continue
        spread, _, word = min(candidates)
        pages = search.search(word)
        if spread == 1:
            if pages != [doc["location"]]:
                failures.append((doc["location"], word, pages[:3]))
        else:
            shared.append(doc["location"])
            best = min(search.search(token).index(doc["location"]) for _, _, token in sorted(candidates)[:3])
            worst_shared = max(worst_shared, best)
            if best >= 5:
                failures.append((doc["location"], word, best))
    with capsys.disabled():
        print(
            f"[search] abstract word: {len(paper_docs) - len(shared)} papers have a word no other page has; "
            f"{len(shared)} share all (worst rank {worst_shared})"
        )
    assert not failures, failures[:10]
    assert len(shared) < len(paper_docs) // 10


def _topics() -> list[tuple[str, str]]:
    from site_fixtures import TOPICS

    from generator.topics import load_taxonomy

    return [(t.slug, t.name) for t in load_taxonomy(TOPICS).topics]


@pytest.mark.parametrize(
    "slug, name",
    [
        pytest.param(slug, name, id=slug)
        for slug, name in _topics()
    ],
)
def test_topic_name_finds_its_topic_page(search: MaterialSearch, built_site: Path, slug: str, name: str):
    if not (built_site / "topics" / slug / "index.html").is_file():
        # A topic without papers has no page, and search must not offer one.
        records = json.loads((built_site / "catalogue.json").read_text(encoding="utf-8"))["records"]
        assert not any(slug in (r["topics"]["primary"], *r["topics"]["secondary"]) for r in records)
        assert f"topics/{slug}/" not in search.search(name)
        return
    heading = re.search(r"<h1[^>]*>(.*?)<a", (built_site / "topics" / slug / "index.html").read_text(encoding="utf-8"), re.S)
    assert html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip() == name
    pages = search.search(name)
    assert pages and pages[0] == f"topics/{slug}/", (name, pages[:3])


def test_venue_finds_its_papers(search: MaterialSearch, catalogue):
    venue_pages = {f"papers/{pid}/" for pid, p in catalogue.items() if p.venue == NEURIPS}
    assert len(venue_pages) == 10
    pages = search.search(NEURIPS)
    assert venue_pages <= set(pages)
    ranks = sorted(pages.index(p) for p in venue_pages)
    print(f"[search] '{NEURIPS}': {len(pages)} pages found, the venue's papers at ranks {ranks}")
    # every venue paper is found on all four words (through the venue line of its page)
    words = search.words(NEURIPS)
    for location in venue_pages:
        row = search.refs.index(location)
        assert all(search.hits[row, [search.term_index[t] for t in search.expand(w)]].sum() for w in words), location
    assert ranks[0] < 10


def test_fact_labels_and_values_are_separate_words(paper_docs):
    """``<dt>Venue</dt> <dd>Neural …</dd>`` must not index as ``VenueNeural``: the value's first word stays findable."""
    label = re.compile(r"\b(?:Date|Authors|Venue|Topics|Organisation|Upvotes)(?=[A-Z0-9a-z])")
    glued = [d["location"] for d in paper_docs if label.search(d["text"])]
    assert not glued, glued[:5]


# ---------------------------------------------------------------- size and cost


def test_index_size(search: MaterialSearch):
    """What every reader downloads before the first search: Material builds the Lunr index from this
    JSON in the browser (its search worker cannot load a prebuilt index), so its size is the cost."""
    assert len(search.docs) > BUNDLED_PAPERS
    assert search.raw_bytes < 3_000_000

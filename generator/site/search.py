"""Site search: papercat's own static index, split into small gzip files the browser fetches as a query needs them.

Material's built-in search ships the whole catalogue as one JSON file that the browser turns
into a Lunr index on every fresh visit (18.5 MB and 5 s at 10,000 papers), and Pagefind's fixed
cost per query (its script, WebAssembly and a page list that grows 7 bytes a paper) passes
600 kB near 100,000 papers while its indexer needs about 1 GB per 10,000 pages. This index is
written by papercat itself, in a layout a reader's browser can query by fetching a few kilobytes:

``search-index/index.gz``
    the directory: how many documents, the first term of every term shard, how many title-key
    shards and facet chunks there are, and a version string appended to every other fetch.
``t/<n>.gz`` — term shards
    the terms in UTF-16 order (the order JavaScript compares strings in), cut into shards of a few
    kilobytes compressed. Each term carries its document frequency and its *head*: the postings
    with the highest impact (field-weighted BM25: a title counts far more than topics, venue and
    authors, which count more than the abstract). Sorted terms let the browser look up the prefix
    of the word being typed as well as whole words.
``p/<n>-<k>.gz`` — tails
    the rest of a frequent term's postings, fetched only to count every match and fill the facets.
``k/<n>.gz`` — title keys
    a 32-bit FNV-1a hash of every title's (and topic name's) words, so a title typed in full puts
    its paper first.
``d/<n>/<m>.gz`` — one small record per document
    title, URL, date, topic chips and the abstract (for the snippet), fetched for results shown.
``f/meta.gz``, ``f/<n>.gz`` — facets
    the topic, year and venue of every document, in chunks of document ranges, fetched after the
    first results are shown so the counts cover every match.

Documents are the topic pages (first, so their names find them) and then the papers, newest
first. Every file is gzip-compressed here (mtime 0) and decompressed by the browser with
``DecompressionStream``, so the bytes a reader transfers stay small even where the host does not
compress. Everything is written in a fixed order: two builds of the same catalogue are
byte-identical. Building holds only the postings (about 4 bytes each) and one document's text at
a time, so memory grows with the catalogue's distinct words, not with its pages.

The tokenizer below is written twice, here and in ``papercat-search.js``; the two must agree, and
a browser test checks that they do on hostile, Unicode and LaTeX strings.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import shutil
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import PapercatError
from ..model import Paper
from ..topics.taxonomy import Topic
from .text import plain_text
from .urls import page_url, paper_path, topic_path
from .view import SiteModel, date_label

BUNDLE_DIR = "search-index"  # under the site

MAX_TOKEN = 32  # code points kept of a longer word (both tokenizers cut there)
# Letters that case folding and accent stripping leave outside ASCII, spelled as a keyboard types them.
FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ς": "σ"}

HEAD = 128  # postings per term kept in its shard; the rest go to the term's tail file
SHARD_BYTES = 24_000  # a term shard is cut once its JSON passes this size (about 6-9 kB compressed)
TITLE_KEYS_PER_SHARD = 512
FACET_CHUNK = 16_384  # documents per facet chunk
FRAGMENTS_PER_FOLDER = 1000

# Field weights: a word of the title counts ten times a word of the abstract.
TITLE, NAME, TOPICS, VENUE, AUTHORS, ABSTRACT = range(6)
WEIGHTS = (10.0, 14.0, 3.0, 3.0, 2.0, 1.0)
LENGTH_NORM = (0.5, 0.3, 0.3, 0.3, 0.3, 0.75)  # BM25's b per field
K1 = 1.2
GZIP_LEVEL = 9


class SearchIndexFailed(PapercatError):
    """The search index could not be written."""


# --------------------------------------------------------------------------- tokenizer


@cache
def _fold_table() -> dict[int, str | None]:
    """Every combining mark removed, the letters of ``FOLD`` spelled out."""
    table: dict[int, str | None] = {
        cp: None for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)).startswith("M")
    }
    table.update({ord(k): v for k, v in FOLD.items()})
    return table


_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")  # letters and digits (Unicode categories L and N)


def tokenize(text: str) -> list[str]:
    """The words of ``text`` as search compares them.

    NFKC, lower case, NFKD with every combining mark dropped and a few letters folded to ASCII
    (``Schrödinger``→``schrodinger``, ``Straße``→``strasse``, ``AstroM³``→``astrom3``), split on
    everything that is not a letter or digit, each word cut to 32 code points.
    """
    if text.isascii():
        return [w[:MAX_TOKEN] for w in _ASCII_WORD.findall(text.lower())]
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower()).translate(_fold_table())
    return [w[:MAX_TOKEN] for w in _WORD.findall(folded)]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes of ``text`` (the browser computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def title_key(text: str) -> int | None:
    words = tokenize(text)
    return fnv1a(" ".join(words)) if words else None


def _utf16(term: str) -> bytes:
    return term.encode("utf-16-be")


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Document:
    fields: tuple[list[str], ...]  # tokens per field (TITLE ... ABSTRACT)
    keys: tuple[int, ...]  # title keys
    record: dict[str, object]  # what a result shows
    facets: tuple[str | None, str | None, tuple[str, ...]]  # year, venue, topic names


def _empty_fields() -> tuple[list[str], ...]:
    return tuple([] for _ in WEIGHTS)


def topic_document(topic: Topic, count: int, *, directory_urls: bool) -> Document:
    fields = _empty_fields()
    fields[NAME].extend(dict.fromkeys(tokenize(topic.name) + tokenize(topic.slug)))
    fields[ABSTRACT].extend(tokenize(topic.description))
    key = title_key(topic.name)
    record = {
        "k": 1, "t": topic.name, "u": page_url(topic_path(topic.slug), directory_urls=directory_urls),
        "d": f"Topic · {count} paper{'' if count == 1 else 's'}", "a": topic.description,
    }
    return Document(fields, (key,) if key is not None else (), record, (None, None, ()))


def paper_document(model: SiteModel, paper: Paper, *, directory_urls: bool) -> Document:
    fields = _empty_fields()
    title = plain_text(paper.title)
    plain = tokenize(title)
    source = tokenize(paper.title)  # the LaTeX as a listing writes it: AstroM$^3$ as well as AstroM³
    seen = set(plain)
    fields[TITLE].extend(plain + [w for w in source if w not in seen])
    topics = model.topics_of(paper)
    for topic in topics:
        fields[TOPICS].extend(tokenize(topic.name))
    if paper.venue:
        fields[VENUE].extend(tokenize(paper.venue))
    for author in paper.authors:
        fields[AUTHORS].extend(tokenize(author))
    abstract = plain_text(paper.abstract) if paper.abstract else ""
    fields[ABSTRACT].extend(tokenize(abstract))
    keys = tuple(sorted({fnv1a(" ".join(words)) for words in (plain, source) if words}))
    record: dict[str, object] = {
        "t": title, "u": page_url(paper_path(paper), directory_urls=directory_urls), "d": date_label(paper),
        "c": [[t.slug, t.name] for t in topics], "a": abstract,
    }
    if paper.venue:
        record["v"] = paper.venue
    year = str(paper.year) if paper.year else "undated"
    return Document(fields, keys, record, (year, paper.venue or None, tuple(t.name for t in topics)))


def documents(model: SiteModel, *, directory_urls: bool = True) -> Iterator[Document]:
    """The topic pages, then the papers newest first: document ``n`` is the ``n``-th yielded."""
    for topic in model.topics_used:
        yield topic_document(topic, len(model.by_topic[topic.slug]), directory_urls=directory_urls)
    for paper in model.papers:
        yield paper_document(model, paper, directory_urls=directory_urls)


def search_records(model: SiteModel, *, directory_urls: bool = True) -> Iterator[dict[str, object]]:
    """What each result shows (title, URL, date, topics, abstract), in document order."""
    for document in documents(model, directory_urls=directory_urls):
        yield document.record


# --------------------------------------------------------------------------- writing


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.digest = hashlib.sha256()
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, value: object) -> None:
        data = gzip.compress(_json(value), compresslevel=GZIP_LEVEL, mtime=0)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.digest.update(rel.encode() + b"\0" + data)
        self.files += 1
        self.bytes += len(data)


def _impact(counts: dict[str, list[int]], lengths: list[int], averages: list[float]) -> Iterator[tuple[str, int]]:
    for term, per_field in counts.items():
        pseudo = 0.0
        for f, tf in enumerate(per_field):
            if tf:
                b = LENGTH_NORM[f]
                pseudo += WEIGHTS[f] * tf / (1 - b + b * lengths[f] / averages[f])
        yield term, max(1, min(255, round(255 * pseudo / (K1 + pseudo))))


def _deltas(docs: Iterable[int]) -> list[int]:
    out, last = [], 0
    for doc in docs:
        out.append(doc - last)
        last = doc
    return out


def write_index(
    model: SiteModel, bundle_dir: Path, *, directory_urls: bool = True, step: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Write the search index of ``model`` into ``bundle_dir`` (replaced whole); returns its file count and bytes."""
    if bundle_dir.exists():
        shutil.rmtree(bundle_dir)
    writer = _Writer(bundle_dir)
    # Pass 1: field lengths, for the length normalization (tokenizing is cheap; the text is not kept).
    totals = [0] * len(WEIGHTS)
    present = [0] * len(WEIGHTS)
    count = 0
    for document in documents(model, directory_urls=directory_urls):
        count += 1
        for f, words in enumerate(document.fields):
            if words:
                totals[f] += len(words)
                present[f] += 1
    averages = [totals[f] / present[f] if present[f] else 1.0 for f in range(len(WEIGHTS))]
    if count >= 1 << 24:
        raise SearchIndexFailed(f"{count:,} documents are more than the search index holds (16,777,215)")

    # Pass 2: postings (doc << 8 | impact, in document order), records, title keys and facets.
    postings: dict[str, array[int]] = {}
    keys: dict[int, list[int]] = {}
    years: dict[str, int] = {}
    venues: dict[str, int] = {}
    topics: dict[str, int] = {}
    chunk: tuple[list[int], list[int], list[list[int]]] = ([], [], [])
    topic_count = len(model.topics_used)
    for doc, document in enumerate(documents(model, directory_urls=directory_urls)):
        counts: dict[str, list[int]] = {}
        for f, words in enumerate(document.fields):
            for word in words:
                per_field = counts.get(word)
                if per_field is None:
                    per_field = counts[word] = [0] * len(WEIGHTS)
                per_field[f] += 1
        lengths = [len(words) for words in document.fields]
        for term, impact in _impact(counts, lengths, averages):
            slot = postings.get(term)
            if slot is None:
                slot = postings[term] = array("I")
            slot.append(doc << 8 | impact)
        for key in document.keys:
            keys.setdefault(key, []).append(doc)
        writer.write(f"d/{doc // FRAGMENTS_PER_FOLDER}/{doc % FRAGMENTS_PER_FOLDER}.gz", document.record)
        year, venue, names = document.facets
        chunk[0].append(years.setdefault(year, len(years)) if year else -1)
        chunk[1].append(venues.setdefault(venue, len(venues)) if venue else -1)
        chunk[2].append([topics.setdefault(name, len(topics)) for name in names])
        if len(chunk[0]) == FACET_CHUNK:
            writer.write(f"f/{doc // FACET_CHUNK}.gz", chunk)
            chunk = ([], [], [])
        if doc >= topic_count and step is not None:
            step(1)
    facet_chunks = -(-count // FACET_CHUNK)
    if chunk[0]:
        writer.write(f"f/{facet_chunks - 1}.gz", chunk)
    writer.write("f/meta.gz", {"year": list(years), "venue": list(venues), "topic": list(topics)})

    # Term shards, cut by size, and the tails of frequent terms.
    firsts: list[str] = []
    shard: list[list[object]] = []
    shard_size = 0
    tails = 0

    def flush() -> None:
        nonlocal shard, shard_size, tails
        if shard:
            writer.write(f"t/{len(firsts) - 1}.gz", shard)
        shard, shard_size, tails = [], 0, 0

    for term in sorted(postings, key=_utf16):
        entries = postings.pop(term)  # freed as it is written
        if shard_size >= SHARD_BYTES:
            flush()
        if not shard:
            firsts.append(term)
        df = len(entries)
        tail_name = 0
        if df > HEAD:
            ranked = sorted(entries, key=lambda e: (-(e & 0xFF), e >> 8))
            head = sorted(ranked[:HEAD])
            tails += 1
            tail_name = tails
            rest = sorted(ranked[HEAD:])
            writer.write(f"p/{len(firsts) - 1}-{tail_name}.gz", [_deltas(e >> 8 for e in rest), [e & 0xFF for e in rest]])
        else:
            head = list(entries)
        entry: list[object] = [term, df, tail_name, _deltas(e >> 8 for e in head), [e & 0xFF for e in head]]
        shard.append(entry)
        shard_size += len(_json(entry))
    flush()

    # Title keys, sharded by their top bits.
    bits = max(0, math.ceil(math.log2(max(1, len(keys)) / TITLE_KEYS_PER_SHARD)))
    key_shards: list[dict[str, list[int]]] = [{} for _ in range(1 << bits)]
    for key in sorted(keys):
        key_shards[key >> (32 - bits) if bits else 0][str(key)] = keys[key]
    for n, content in enumerate(key_shards):
        writer.write(f"k/{n}.gz", content)

    directory = {
        "docs": count, "topics": topic_count, "shards": firsts, "keyBits": bits, "facetChunk": FACET_CHUNK,
        "facetChunks": facet_chunks, "perFolder": FRAGMENTS_PER_FOLDER, "head": HEAD,
        "v": writer.digest.hexdigest()[:12],
    }
    writer.write("index.gz", directory)
    return {"files": writer.files, "bytes": writer.bytes}


def index_search(model: SiteModel, bundle_dir: Path, *, directory_urls: bool = True,
                 step: Callable[[int], None] | None = None) -> dict[str, int]:
    try:
        return write_index(model, bundle_dir, directory_urls=directory_urls, step=step)
    except OSError as err:
        raise SearchIndexFailed(f"the search index could not be written to {bundle_dir}: {err.strerror or err}") from err

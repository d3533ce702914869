"""Site search: papercat's own static index, split into small gzip files the browser fetches as a query needs them.

Material's built-in search ships the whole catalogue as one JSON file that the browser turns
into a Lunr index on every fresh visit (18.5 MB and 5 s at 10,000 papers), and Pagefind's fixed
cost per query (its script, WebAssembly and a page list that grows 7 bytes a paper) passes
600 kB near 100,000 papers while its indexer needs about 1 GB per 10,000 pages. This index is
written by papercat itself, in a layout a reader's browser can query by fetching a few kilobytes.

Documents are the topic pages (first, so their names find them) and then the papers, newest
first. A paper's *place* counts from the oldest paper. The papers are cut into **segments** by
place (``segment_plan``): up to three sealed segments of whole blocks of 2,048 papers, and the
open segment (the newest papers, fewer than 2,048, and the topics). A day's new papers change
only the open segment, so a daily build writes that one and links the others from the site it replaces
(``_link_segment``). A segment's files are in ``s/<id>/``, its id a hash of what its documents
are made from, so a reader's browser keeps them from one build of the site to the next:

``search-index/index.gz``
    the directory: how many documents and topics; each segment's id, places, the first term of
    every term shard and its title-key bits; and a version string for the facet files.
``s/<id>/t/<n>.gz`` — term shards
    the segment's terms in UTF-16 order (the order JavaScript compares strings in), cut into
    shards of a few kilobytes compressed. Each term carries its document frequency in the segment
    and its *head*: the postings with the highest impact (field-weighted BM25: a title counts far
    more than topics, venue and authors, which count more than the abstract; the lengths averaged
    over the segment). Sorted terms let the browser look up the prefix of the word being typed as
    well as whole words. The browser adds the frequencies of a term over the segments for its idf.
``s/<id>/p/<n>-<k>.gz`` — tails
    the rest of a frequent term's postings, fetched only to count every match and fill the facets.
``s/<id>/k/<n>.gz`` — title keys
    a 32-bit FNV-1a hash of every title's (and topic name's) words, so a title typed in full puts
    its paper first.
``s/<id>/r/<n>/<m>.gz`` — one small record per document
    title, URL, date, topic chips and the abstract (for the snippet), fetched for results shown.
``f/meta.gz``, ``f/<n>.gz`` — facets
    the topic, year and venue of every paper, in chunks by place, fetched after the first results
    are shown so the counts cover every match.

In a segment, documents are numbered from 0: its topics, then its papers newest first
(``locate``). Every file is gzip-compressed here (mtime 0) and decompressed by the browser with
``DecompressionStream``, so the bytes a reader transfers stay small even where the host does not
compress. Everything is written in a fixed order, and segments are cut by the number of papers
alone: two builds of the same catalogue are byte-identical, whatever the number of processes
that build them and whatever the builds before them.

Writing a segment is done in two steps. First its documents are read in batches of a thousand:
each batch is tokenized, its records written and its words counted per field (with ``--jobs``
N, in N processes, a few batches in flight at a time). Then, once the average length of each
field is known, every (document, word) pair gets its impact (computed with numpy, the same
floating-point operations in the same order as the formula written out), the pairs are sorted
by word and document, and the term shards and tails are cut and compressed, again in N
processes. Building holds the pairs (about 20 bytes each until their impacts are known, 8 bytes
after) and one batch's text at a time, so memory grows with the segment's postings, not with
its text.

The tokenizer below is written twice, here and in ``papercat-search.js``; the two must agree, and
a browser test checks that they do on hostile, Unicode and LaTeX strings.
"""

from __future__ import annotations

import concurrent.futures as cf
import gzip
import hashlib
import json
import math
import os
import re
import shutil
import unicodedata
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import PapercatError
from ..language import paper_language
from ..model import Paper
from ..parallel import process_pool
from ..similarity import Numbering
from ..text import FOLD
from ..topics.taxonomy import Topic
from .search_cache import Entry, SearchCache, document_key
from .text import plain_text
from .urls import page_url, paper_path, topic_path
from .view import SiteModel, date_label
from .writer import put_file

BUNDLE_DIR = "search-index"  # under the site

MAX_TOKEN = 32  # code points kept of a longer word (both tokenizers cut there)

HEAD = 128  # postings per term kept in its shard; the rest go to the term's tail file
SHARD_BYTES = 24_000  # a term shard is cut once its JSON passes this size (about 6-9 kB compressed)
TITLE_KEYS_PER_SHARD = 512
FACET_CHUNK = 16_384  # documents per facet chunk
FRAGMENTS_PER_FOLDER = 1000
SEGMENT_BLOCK = 2048  # papers per block: sealed segments hold whole blocks (``segment_plan``)

# Field weights: a word of the title counts ten times a word of the abstract.
# IDS holds a paper's arXiv id as it is typed ("arXiv:2401.01234" → arxiv, 2401, 01234).
TITLE, NAME, TOPICS, VENUE, AUTHORS, ABSTRACT, IDS = range(7)
WEIGHTS = (10.0, 14.0, 3.0, 3.0, 2.0, 1.0, 3.0)
LENGTH_NORM = (0.5, 0.3, 0.3, 0.3, 0.3, 0.75, 0.0)  # BM25's b per field
K1 = 1.2
GZIP_LEVEL = 6  # level 9 makes the index 0.1% smaller and takes twice as long

DOCUMENTS_PER_TASK = 1000  # documents indexed per task (in another process with more than one job)
PARALLEL_DOCUMENTS = 2000  # fewer documents than this are indexed in this process whatever the jobs

T = TypeVar("T")


class SearchIndexFailed(PapercatError):
    """The search index could not be written."""


# --------------------------------------------------------------------------- tokenizer


class _FoldTable(dict[int, "str | int | None"]):
    """``str.translate``'s table: every combining mark removed, the letters of ``FOLD`` spelled out.

    Filled as characters are met (a table of every code point takes longer to build than a
    thousand papers take to tokenize).
    """

    def __missing__(self, code: int) -> str | int | None:
        char = chr(code)
        value = FOLD.get(char)
        if value is None and not unicodedata.category(char).startswith("M"):
            self[code] = code
            return code
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")  # letters and digits (Unicode categories L and N)


# Chinese characters and Japanese kana: written without spaces, so a run of them is read as its overlapping
# pairs of characters ("大语言模型" → "大语", "语言", "言模", "模型"), as search engines read them.
_CJK_RUN = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+)")


def tokenize(text: str) -> list[str]:
    """The words of ``text`` as search compares them.

    NFKC, lower case, NFKD with every combining mark dropped and a few letters folded to ASCII
    (``Schrödinger``→``schrodinger``, ``Straße``→``strasse``, ``AstroM³``→``astrom3``), split on
    everything that is not a letter or digit, a run of Chinese characters or kana into its pairs of
    characters, each word cut to 32 code points.
    """
    if text.isascii():
        return [w[:MAX_TOKEN] for w in _ASCII_WORD.findall(text.lower())]
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower()).translate(_FOLD_TABLE)
    words: list[str] = []
    for word in _WORD.findall(folded):
        if not _CJK_RUN.search(word):
            words.append(word[:MAX_TOKEN])
            continue
        for n, part in enumerate(_CJK_RUN.split(word)):
            if n % 2 == 0:  # letters or digits of another script around the run
                if part:
                    words.append(part[:MAX_TOKEN])
            else:
                words.extend(part[i : i + 2] for i in range(max(1, len(part) - 1)))
    return words


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


def segment_plan(papers: int, block: int | None = None) -> list[tuple[int, int]]:
    """Each segment's papers as ``(first place, count)``, oldest first; the last is the open segment.

    Places count from the oldest paper. Three levels of sealed segments hold whole blocks of
    ``SEGMENT_BLOCK`` papers: as many sixty-fours of blocks as there are, then eights of blocks,
    then blocks; the rest, fewer than a block, and the topics are the open segment. So an index
    has four segments at most, and a day's new papers, the newest, change only the open one until
    they fill a block: then the smallest level is written again (up to seven blocks), every eight
    blocks the middle one, every sixty-four the largest.
    """
    block = block or SEGMENT_BLOCK
    plan: list[tuple[int, int]] = []
    start = 0
    for size in (block * 64, block * 8, block):
        whole = (papers - start) // size * size
        if whole:
            plan.append((start, whole))
            start += whole
    plan.append((start, papers - start))
    return plan


def locate(directory: dict[str, Any], doc: int) -> tuple[dict[str, Any], int]:
    """The segment holding document ``doc`` of an index's ``directory``, and its number in the segment.

    In a segment, the topics (the open segment's) come first, then its papers newest first (the
    order its postings are written in).
    """
    segments = directory["segments"]
    if doc < directory["topics"]:
        return segments[-1], doc
    place = directory["docs"] - 1 - doc
    for segment in segments:
        if segment["a"] <= place < segment["a"] + segment["c"]:
            return segment, segment["t"] + segment["a"] + segment["c"] - 1 - place
    raise IndexError(f"document {doc} is not in the index")


def _record_rel(local: int, topics: int, papers: int, per_folder: int) -> str:
    """A segment's record file of its document ``local``: a topic's ``r/t/<n>.gz``; a paper's named by its place
    counted from the segment's oldest paper, ``r/<place // per_folder>/<place % per_folder>.gz``.

    The open segment starts at the same place from one day to the next and its new papers are the
    newest, so each older paper's record keeps its name there and is linked when unchanged.
    """
    if local < topics:
        return f"r/t/{local}.gz"
    place = papers - 1 - (local - topics)
    return f"r/{place // per_folder}/{place % per_folder}.gz"


def record_path(directory: dict[str, Any], doc: int) -> str:
    """The file of document ``doc``'s record in an index with this ``directory`` (the browser names it the same
    way, ``papercat-search.js``)."""
    segment, local = locate(directory, doc)
    return f"s/{segment['id']}/" + _record_rel(local, segment["t"], segment["c"], directory["perFolder"])


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Document:
    fields: tuple[list[str], ...]  # tokens per field (TITLE ... ABSTRACT)
    keys: tuple[int, ...]  # title keys
    record: dict[str, object]  # what a result shows
    facets: tuple[str | None, str | None, tuple[str, ...]]  # year, venue, topic names


def _empty_fields() -> tuple[list[str], ...]:
    return tuple([] for _ in WEIGHTS)


# What a document is made from, as plain values (they go to the indexing processes as they are):
# ("topic", name, slug, description, papers, url) or
# ("paper", title, abstract, venue, authors, ((slug, name), ...), url, date, year, arXiv id).
Spec = tuple[object, ...]


def _topic_spec(topic: Topic, count: int, *, directory_urls: bool) -> Spec:
    return ("topic", topic.name, topic.slug, topic.description, count,
            page_url(topic_path(topic.slug), directory_urls=directory_urls))


def _paper_spec(model: SiteModel, paper: Paper, *, directory_urls: bool) -> Spec:
    return (
        "paper", paper.title, paper.abstract, paper.venue, tuple(paper.authors),
        tuple((t.slug, t.name) for t in model.topics_of(paper)),
        page_url(paper_path(paper), directory_urls=directory_urls), date_label(paper),
        str(paper.year) if paper.year else "undated", paper.arxiv_id,
    )


def _document(spec: Spec) -> Document:
    if spec[0] == "topic":
        _, name, slug, description, count, url = spec
        return _topic_document(str(name), str(slug), str(description), int(count), str(url))  # type: ignore[call-overload]
    _, title, abstract, venue, authors, topics, url, date, year, arxiv = spec
    return _paper_document(title, abstract, venue, authors, topics, url, date, year, arxiv)  # type: ignore[arg-type]


def _topic_document(name: str, slug: str, description: str, count: int, url: str) -> Document:
    fields = _empty_fields()
    fields[NAME].extend(dict.fromkeys(tokenize(name) + tokenize(slug)))
    fields[ABSTRACT].extend(tokenize(description))
    key = title_key(name)
    record = {"k": 1, "t": name, "u": url, "d": f"Topic · {count} paper{'' if count == 1 else 's'}", "a": description}
    return Document(fields, (key,) if key is not None else (), record, (None, None, ()))


def _paper_document(
    raw_title: str, raw_abstract: str | None, venue: str | None, authors: tuple[str, ...],
    topics: tuple[tuple[str, str], ...], url: str, date: str, year: str, arxiv: str | None,
) -> Document:
    fields = _empty_fields()
    title = plain_text(raw_title)
    plain = tokenize(title)
    source = tokenize(raw_title)  # the LaTeX as a listing writes it: AstroM$^3$ as well as AstroM³
    seen = set(plain)
    fields[TITLE].extend(plain + [w for w in source if w not in seen])
    for _, name in topics:
        fields[TOPICS].extend(tokenize(name))
    if venue:
        fields[VENUE].extend(tokenize(venue))
    for author in authors:
        fields[AUTHORS].extend(tokenize(author))
    abstract = plain_text(raw_abstract) if raw_abstract else ""
    words = tokenize(abstract)
    fields[ABSTRACT].extend(words)
    if raw_abstract and "$" in raw_abstract:  # its LaTeX as written too: "$\ell_\infty$" is found typed so
        seen = set(words)
        fields[ABSTRACT].extend(w for w in tokenize(raw_abstract) if w not in seen)
    if arxiv:
        fields[IDS].extend(["arxiv", *tokenize(arxiv)])
    keys = tuple(sorted({fnv1a(" ".join(words)) for words in (plain, source) if words}))
    record: dict[str, object] = {"t": title, "u": url, "d": date, "c": [[slug, name] for slug, name in topics], "a": abstract}
    if venue:
        record["v"] = venue
    if (language := paper_language(raw_title, raw_abstract or "")) is not None:
        record["l"] = language  # its snippet read in that language, and its title unless plainly not
    if (own := paper_language(raw_title, "")) is not None and own != language:
        record["lt"] = own  # a title in a script of its own
    return Document(fields, keys, record, (year, venue or None, tuple(name for _, name in topics)))


def topic_document(topic: Topic, count: int, *, directory_urls: bool) -> Document:
    return _document(_topic_spec(topic, count, directory_urls=directory_urls))


def paper_document(model: SiteModel, paper: Paper, *, directory_urls: bool) -> Document:
    return _document(_paper_spec(model, paper, directory_urls=directory_urls))


def _specs(model: SiteModel, *, directory_urls: bool) -> Iterator[Spec]:
    for topic in model.topics_used:
        yield _topic_spec(topic, len(model.by_topic[topic.slug]), directory_urls=directory_urls)
    for paper in model.papers:
        yield _paper_spec(model, paper, directory_urls=directory_urls)


def documents(model: SiteModel, *, directory_urls: bool = True) -> Iterator[Document]:
    """The topic pages, then the papers newest first: document ``n`` is the ``n``-th yielded."""
    for spec in _specs(model, directory_urls=directory_urls):
        yield _document(spec)


def search_records(model: SiteModel, *, directory_urls: bool = True) -> Iterator[dict[str, object]]:
    """What each result shows (title, URL, date, topics, abstract), in document order."""
    for document in documents(model, directory_urls=directory_urls):
        yield document.record


# --------------------------------------------------------------------------- files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _put(root: str, rel: str, data: bytes) -> None:
    """Write one file of the index (there are tens of thousands of them)."""
    put_file(f"{root}/{rel}", data)


def _link_same(source: str, target: str, data: bytes) -> bool:
    """Link ``target`` to ``source`` when ``source`` holds exactly ``data`` (a record the previous index has already).

    Reading a small file and linking it costs a fraction of writing a new one; whether it is the
    same is checked byte for byte, so a file changed since is written anew.
    """
    try:
        with open(source, "rb") as file:  # noqa: PTH123 - a path as text, thousands of times
            if file.read(len(data) + 1) != data:
                return False
        try:
            os.link(source, target)
        except FileNotFoundError:  # its folder's first file
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
    except OSError:  # no previous file, or no hard links here
        return False
    return True


def _compress_files(root: str, files: list[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
    """Compress and write a batch of files; the SHA-256 and size of each (for the segment's digest)."""
    out = []
    for rel, raw in files:
        data = _gzip(raw)
        _put(root, rel, data)
        out.append((rel, hashlib.sha256(data).digest(), len(data)))
    return out


class _Writer:
    """The files of the index, counted and hashed in the order they are listed (the directory's version string)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.digest = hashlib.sha256()
        self.files = 0
        self.bytes = 0

    def written(self, rel: str, data: bytes) -> None:
        self.digest.update(rel.encode() + b"\0" + data)
        self.files += 1
        self.bytes += len(data)

    def write(self, rel: str, value: object) -> None:
        data = _gzip(_json(value))
        _put(str(self.root), rel, data)
        self.written(rel, data)


# --------------------------------------------------------------------------- processes


class _Tasks:
    """Runs tasks in this process (one job) or in a process pool, handing results back in the order submitted."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: cf.ProcessPoolExecutor | None = None
        if jobs > 1:
            self.pool = process_pool(jobs)

    def map(self, fn: Callable[..., T], tasks: Iterable[tuple[object, ...]]) -> Iterator[T]:
        if self.pool is None:
            for args in tasks:
                yield fn(*args)
            return
        pending: deque[cf.Future[T]] = deque()
        window = 2 * self.jobs  # a few tasks in flight: memory does not grow with the catalogue
        for args in tasks:
            pending.append(self.pool.submit(fn, *args))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- indexing


@dataclass(slots=True)
class _Batch:
    """A run of consecutive documents, indexed: field lengths, term frequencies, title keys, facets, records."""

    first: int  # document number of the first
    lengths: np.ndarray  # (documents, fields): words per field
    vocabulary: list[str]  # the batch's distinct words
    pair_doc: np.ndarray  # one row per (document, word): the document number...
    pair_term: np.ndarray  # ...the word (an index into ``vocabulary``, later into the whole index's words)...
    tf: np.ndarray  # ...and how often it occurs in each field: (rows, fields)
    keys: list[tuple[int, ...]]
    records: list[bytes]  # the compressed record files, written already
    entries: dict[int, Entry]  # what the cache keeps of the documents read afresh, by position in the batch


def _facets(spec: Spec) -> tuple[str | None, str | None, tuple[str, ...]]:
    """Year, venue and topic names of a document (none for a topic page)."""
    if spec[0] == "topic":
        return None, None, ()
    _, _, _, venue, _, topics, _, _, year, _ = spec
    return str(year), str(venue) if venue else None, tuple(name for _, name in topics)  # type: ignore[attr-defined]


def _index_batch(root: str, first: int, specs: list[Spec], shape: tuple[int, int, int], cached: list[Entry | None] | None,
                 keep: bool, previous: str | None) -> _Batch:
    """Index documents ``first``, ``first + 1``, ... of a segment and write their record files (``r/`` in ``root``).

    ``shape``: the segment's topics, papers and records per folder (``_record_rel``). A document
    with a ``cached`` entry is taken from it; with ``keep``, the entries of the others are returned.
    ``previous``: the previous index's segment that starts at the same place, whose record files
    are linked where they hold the same bytes.
    """
    fields_n = len(WEIGHTS)
    lengths = np.zeros((len(specs), fields_n), dtype=np.int64)
    keys: list[tuple[int, ...]] = []
    records: list[bytes] = []
    vocabulary = Numbering()
    number = vocabulary.__getitem__
    ids: list[int] = []  # every word of the documents read afresh, numbered...
    slots: list[int] = []  # ...with its document and field: counted below in one go
    fresh: list[int] = []
    old_rows: list[int] = []  # the distinct words of cached documents, with their counts as they were
    old_terms: list[int] = []
    old_tf: list[np.ndarray] = []
    for i, spec in enumerate(specs):
        hit = cached[i] if cached is not None else None
        if hit is None:
            document = _document(spec)
            fresh.append(i)
            lengths[i] = [len(words) for words in document.fields]
            keys.append(document.keys)
            records.append(_gzip(_json(document.record)))
            for f, words in enumerate(document.fields):
                if words:
                    ids.extend(map(number, words))
                    slots.extend([i * fields_n + f] * len(words))
        else:
            meta, counts, record = hit
            doc_lengths, doc_keys, words, wide = json.loads(meta)
            lengths[i] = doc_lengths
            keys.append(tuple(doc_keys))
            records.append(record)
            old_rows.extend([i] * len(words))
            old_terms.extend(map(number, words))
            old_tf.append(np.frombuffer(zlib.decompress(counts), dtype="<u4" if wide else "<u2").reshape(len(words), fields_n))
    size = max(1, len(vocabulary))
    slot = np.array(slots, dtype=np.int64)
    codes, counts = np.unique((slot // fields_n * size + np.array(ids, dtype=np.int64)) * fields_n + slot % fields_n,
                              return_counts=True)
    pair = codes // fields_n
    starts = np.ones(len(pair), dtype=bool)
    starts[1:] = pair[1:] != pair[:-1]
    tf = np.zeros((int(starts.sum()), fields_n), dtype=np.uint32)
    tf[np.cumsum(starts) - 1, codes % fields_n] = counts
    pairs = pair[starts]
    rows, terms = pairs // size, pairs % size
    entries: dict[int, Entry] = {}
    if keep and fresh:
        words_list = list(vocabulary)
        bounds = np.searchsorted(rows, np.array(fresh + [len(specs)]))
        for n, i in enumerate(fresh):
            s, e = int(bounds[n]), int(bounds[n + 1])
            wide = bool(e > s and tf[s:e].max() >= 1 << 16)
            meta = json.dumps([lengths[i].tolist(), list(keys[i]), [words_list[t] for t in terms[s:e].tolist()], wide],
                              ensure_ascii=False).encode("utf-8", "surrogatepass")
            entries[i] = (meta, zlib.compress(tf[s:e].astype("<u4" if wide else "<u2").tobytes(), 1), records[i])
    if old_tf:
        rows = np.concatenate([rows, np.array(old_rows, dtype=np.int64)])
        terms = np.concatenate([terms, np.array(old_terms, dtype=np.int64)])
        tf = np.concatenate([tf, *old_tf]).astype(np.uint32)
    if tf.size and tf.max() < 1 << 16:
        tf = tf.astype(np.uint16)
    for n, data in enumerate(records):
        rel = _record_rel(first + n, *shape)
        if previous is None or not _link_same(f"{previous}/{rel}", f"{root}/{rel}", data):
            _put(root, rel, data)
    return _Batch(
        first, lengths, list(vocabulary), (rows + first).astype(np.uint32), terms.astype(np.uint32), tf, keys, records,
        entries,
    )


def _impacts(batch: _Batch, averages: list[float]) -> np.ndarray:
    """Each row's impact (1-255): field-weighted BM25 saturated, as ``round(255 * s / (K1 + s))``."""
    lengths = batch.lengths[batch.pair_doc.astype(np.int64) - batch.first]
    pseudo = np.zeros(len(batch.pair_doc))
    for f in range(len(WEIGHTS)):
        b = LENGTH_NORM[f]
        # the same float operations, in the same order, as the formula term by term: the same bits
        pseudo += WEIGHTS[f] * batch.tf[:, f].astype(np.float64) / (1 - b + b * lengths[:, f].astype(np.float64) / averages[f])
    return np.clip(np.rint(255 * pseudo / (K1 + pseudo)), 1, 255).astype(np.uint64)


def _ints(values: np.ndarray) -> str:
    """A JSON array of non-negative integers, as ``_json`` writes it."""
    return str(values.tolist()).replace(" ", "")


def _deltas(docs: np.ndarray) -> np.ndarray:
    out = docs.copy()
    out[1:] -= docs[:-1]
    return out


def _term_files(terms: list[str], postings: np.ndarray, head: int, firsts: list[str]) -> Iterator[tuple[str, bytes]]:
    """The term shards and tails, in the order they are listed: each shard's tails, then the shard.

    ``terms`` in UTF-16 order; ``postings`` sorted, ``rank << 32 | doc << 8 | impact``. The first
    term of each shard is appended to ``firsts``.
    """
    docs = ((postings >> np.uint64(8)) & np.uint64(0xFFFFFF)).astype(np.int64)
    impacts = (postings & np.uint64(0xFF)).astype(np.int64)
    bounds = np.flatnonzero(np.diff((postings >> np.uint64(32)).astype(np.int64))) + 1
    starts = np.concatenate(([0], bounds)).tolist() if len(postings) else []
    ends = [*starts[1:], len(postings)] if starts else []
    deltas = docs.copy()
    if len(docs):
        deltas[1:] -= docs[:-1]
        deltas[starts] = docs[starts]

    shard: list[bytes] = []
    shard_size = 0
    tails = 0
    shards = 0
    for term, start, end in zip(terms, starts, ends, strict=True):
        if shard_size >= SHARD_BYTES:
            yield f"t/{shards - 1}.gz", b"[" + b",".join(shard) + b"]"
            shard, shard_size, tails = [], 0, 0
        if not shard:
            shards += 1
            firsts.append(term)
        df = end - start
        tail_name = 0
        if df > head:
            span_docs, span_impacts = docs[start:end], impacts[start:end]
            ranked = np.lexsort((span_docs, -span_impacts))  # best impact first, then document order
            top = np.sort(ranked[:head])
            rest = np.sort(ranked[head:])
            tails += 1
            tail_name = tails
            yield (f"p/{shards - 1}-{tail_name}.gz",
                   f"[{_ints(_deltas(span_docs[rest]))},{_ints(span_impacts[rest])}]".encode())
            head_deltas, head_impacts = _deltas(span_docs[top]), span_impacts[top]
        else:
            head_deltas, head_impacts = deltas[start:end], impacts[start:end]
        entry = f"[{json.dumps(term, ensure_ascii=False)},{df},{tail_name},{_ints(head_deltas)},{_ints(head_impacts)}]".encode()
        shard.append(entry)
        shard_size += len(entry)
    if shard:
        yield f"t/{shards - 1}.gz", b"[" + b",".join(shard) + b"]"


def _batched(files: Iterable[tuple[str, bytes]], limit: int = 256_000) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    size = 0
    for file in files:
        batch.append(file)
        size += len(file[1])
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


_SEGMENT_FACTS = ("shards", "keyBits", "n", "b")  # what the directory says of a segment's files


def _file_digest(hashes: dict[str, bytes], segment: dict[str, Any]) -> str:
    """A segment's digest: of each of its files' path and SHA-256, in path order, and of what the directory says of them."""
    digest = hashlib.sha256(json.dumps([segment[fact] for fact in _SEGMENT_FACTS], ensure_ascii=False).encode())
    for rel in sorted(hashes):
        digest.update(rel.encode() + b"\0" + hashes[rel])
    return digest.hexdigest()


def _previous_directory(previous: str | None) -> dict[str, dict[str, Any]]:
    """The segments of the previous site's index by id (none when it has no readable directory)."""
    if previous is None:
        return {}
    try:
        with open(f"{previous}/index.gz", "rb") as file:  # noqa: PTH123 - as _put
            directory = json.loads(gzip.decompress(file.read()))
        segments = {str(segment["id"]): segment for segment in directory["segments"]}
        return {name: segment for name, segment in segments.items() if re.fullmatch("[0-9a-f]{16}", name)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zlib.error):
        return {}


def _link_segment(previous: str, old: dict[str, Any], root: str) -> bool:
    """Link the previous index's segment ``old`` into ``root`` when its files are still exactly what it listed.

    Its files are read and hashed first (a segment is a few megabytes at most): a file changed
    since, or one missing, and the segment is written anew.
    """
    folder = f"{previous}/s/{old['id']}"
    hashes: dict[str, bytes] = {}
    try:
        for path, dirs, names in os.walk(folder):
            dirs.sort()
            inside = path[len(folder) + 1 :]
            for name in names:
                rel = f"{inside}/{name}" if inside else name
                with open(f"{path}/{name}", "rb") as file:  # noqa: PTH123 - as _put
                    hashes[rel] = hashlib.sha256(file.read()).digest()
        if not hashes or not all(fact in old for fact in _SEGMENT_FACTS) or _file_digest(hashes, old) != old.get("d"):
            return False
        target = f"{root}/s/{old['id']}"
        made: set[str] = set()
        for rel in sorted(hashes):
            parent = f"{target}/{rel}".rpartition("/")[0]
            if parent not in made:
                os.makedirs(parent, exist_ok=True)  # noqa: PTH103 - a path as text
                made.add(parent)
            os.link(f"{folder}/{rel}", f"{target}/{rel}")
    except OSError:  # gone, unreadable, or no hard links here: written anew
        shutil.rmtree(f"{root}/s/{old['id']}", ignore_errors=True)
        return False
    return True


def _segment_id(keys: list[str], first: int, papers: int, topics: int) -> str:
    """A segment's name: from the keys of its documents (``search_cache.document_key``) and how it is cut."""
    digest = hashlib.sha256(json.dumps([
        "segment", first, papers, topics, HEAD, SHARD_BYTES, TITLE_KEYS_PER_SHARD, FRAGMENTS_PER_FOLDER, WEIGHTS,
        LENGTH_NORM, K1, GZIP_LEVEL,
    ]).encode())
    for key in keys:
        digest.update(key.encode())
    return digest.hexdigest()[:16]


def write_index(
    model: SiteModel, bundle_dir: Path, *, directory_urls: bool = True, step: Callable[[int], None] | None = None,
    jobs: int = 1, cache: SearchCache | None = None, previous: Path | None = None,
) -> dict[str, int]:
    """Write the search index of ``model`` into ``bundle_dir`` (replaced whole); returns its file count and bytes,
    the number of processes that wrote it, the documents reused (taken from ``cache`` or in a linked segment),
    and how many segments there are and were linked.

    The index is cut into segments (``segment_plan``), each named by what it is made from. With
    ``previous`` (the index of the site this build replaces), a segment the previous index holds
    unchanged is linked, not written: only where nothing writes into the new site's files
    afterwards, see ``render.engine.links_are_safe``. The others are indexed, with ``jobs`` > 1
    (and enough documents to be worth it) in that many processes; the files are the same bytes
    whatever ``jobs`` is. With a ``cache`` (``search_cache.SearchCache``), what the last build made
    of an unchanged document is reused, and what this build makes of the others is kept.
    """
    topic_count = len(model.topics_used)
    count = topic_count + len(model.papers)
    if count >= 1 << 24:
        raise SearchIndexFailed(f"{count:,} documents are more than the search index holds (16,777,215)")
    if bundle_dir.exists():
        shutil.rmtree(bundle_dir)
    bundle_dir.mkdir(parents=True)
    root = str(bundle_dir)
    writer = _Writer(bundle_dir)
    hits = cache.hits if cache is not None else 0
    specs = list(_specs(model, directory_urls=directory_urls))
    papers = count - topic_count
    old = _previous_directory(str(previous) if previous is not None and previous.is_dir() else None)
    segments: list[dict[str, Any]] = []
    linked: list[dict[str, Any]] = []  # the segments linked from the previous index
    todo: list[tuple[dict[str, Any], list[Spec], list[str]]] = []  # and those to write
    plan = segment_plan(papers)
    for number, (first, size) in enumerate(plan):
        is_open = number == len(plan) - 1
        topics = topic_count if is_open else 0
        some = (specs[:topic_count] if is_open else []) + specs[topic_count + papers - first - size : topic_count + papers - first]
        keys = [cache.key(spec) if cache is not None else document_key(spec) for spec in some]
        segment: dict[str, Any] = {"id": _segment_id(keys, first, size, topics), "a": first, "c": size, "t": topics}
        segments.append(segment)
        found = old.get(segment["id"])
        if previous is not None and found is not None and _link_segment(str(previous), found, root):
            segment.update({fact: found[fact] for fact in (*_SEGMENT_FACTS, "d")})
            linked.append(segment)
            if step is not None:
                step(size)
        else:
            todo.append((segment, some, keys))
    afresh = sum(len(some) for _, some, _ in todo)
    tasks = _Tasks(jobs if afresh >= PARALLEL_DOCUMENTS else 1)
    try:
        for segment, some, keys in todo:
            same_start = [old_id for old_id, found in old.items() if found.get("a") == segment["a"]]
            _write_segment(f"{root}/s/{segment['id']}", segment, some, keys, tasks, step, cache,
                           f"{previous}/s/{same_start[0]}" if previous is not None and same_start else None)
        _write_facets(writer, specs, topic_count)
    finally:
        tasks.close()
    for segment in segments:
        writer.digest.update(json.dumps(segment, sort_keys=True).encode())
    directory = {
        "docs": count, "topics": topic_count, "segments": segments, "facetChunk": FACET_CHUNK,
        "perFolder": FRAGMENTS_PER_FOLDER, "head": HEAD, "v": writer.digest.hexdigest()[:12],
    }
    writer.write("index.gz", directory)
    reused = sum(segment["c"] + segment["t"] for segment in linked)
    if cache is not None:
        cache.hits += reused  # the documents of a linked segment count as taken from the cache
        reused = cache.hits - hits
    files = writer.files + sum(segment["n"] for segment in segments)
    size = writer.bytes + sum(segment["b"] for segment in segments)
    return {"files": files, "bytes": size, "processes": tasks.jobs, "reused": reused,
            "linked": len(linked), "segments": len(segments)}


def _write_facets(writer: _Writer, specs: list[Spec], topic_count: int) -> None:
    """The topic, year and venue of every paper, in chunks by place (counted from the oldest paper) with their names.

    Names are numbered as they first appear from the oldest paper, so a day's new papers change
    only the newest chunk and add names at the end of ``f/meta.gz``.
    """
    years: dict[str, int] = {}
    venues: dict[str, int] = {}
    topics: dict[str, int] = {}
    chunk: tuple[list[int], list[int], list[list[int]]] = ([], [], [])
    papers = len(specs) - topic_count
    for place in range(papers):
        year, venue, names = _facets(specs[topic_count + papers - 1 - place])
        chunk[0].append(years.setdefault(year, len(years)) if year else -1)
        chunk[1].append(venues.setdefault(venue, len(venues)) if venue else -1)
        chunk[2].append([topics.setdefault(name, len(topics)) for name in names])
        if len(chunk[0]) == FACET_CHUNK or place == papers - 1:
            writer.write(f"f/{place // FACET_CHUNK}.gz", chunk)
            chunk = ([], [], [])
    writer.write("f/meta.gz", {"year": list(years), "venue": list(venues), "topic": list(topics)})


def _write_segment(
    root: str, segment: dict[str, Any], specs: list[Spec], keys: list[str], tasks: _Tasks,
    step: Callable[[int], None] | None, cache: SearchCache | None, previous: str | None,
) -> None:
    """Index one segment's documents into ``root``: its records, term shards, tails and title keys.

    Fills in the segment's ``shards`` (the first term of each), ``keyBits`` and ``d`` (its files'
    digest). ``previous``: the folder of the previous index's segment that starts at the same place
    (see ``_index_batch``).
    """
    topic_count = segment["t"]
    count = len(specs)
    hashes: dict[str, bytes] = {}
    total = 0
    batch_keys: deque[list[str]] = deque()

    def batches() -> Iterator[tuple[object, ...]]:
        for first in range(0, count, DOCUMENTS_PER_TASK):
            some = specs[first : first + DOCUMENTS_PER_TASK]
            some_keys = keys[first : first + DOCUMENTS_PER_TASK]
            found = cache.lookup(some_keys) if cache is not None else {}
            batch_keys.append(some_keys)
            yield (root, first, some, (topic_count, segment["c"], FRAGMENTS_PER_FOLDER),
                   [found.get(k) for k in some_keys] if cache is not None else None, cache is not None, previous)

    indexed: list[_Batch] = []
    words: dict[str, int] = {}
    title_keys: dict[int, list[int]] = {}
    for batch in tasks.map(_index_batch, batches()):
        some_keys = batch_keys.popleft()
        if cache is not None and batch.entries:
            cache.put((some_keys[i], entry) for i, entry in batch.entries.items())
        for n, data in enumerate(batch.records):
            doc = batch.first + n
            hashes[_record_rel(doc, topic_count, segment["c"], FRAGMENTS_PER_FOLDER)] = hashlib.sha256(data).digest()
            total += len(data)
            for key in batch.keys[n]:
                title_keys.setdefault(key, []).append(doc)
        # The batch's words become numbers of the segment's words; its records are done with.
        local = np.fromiter((words.setdefault(w, len(words)) for w in batch.vocabulary), dtype=np.uint32,
                            count=len(batch.vocabulary))
        batch.pair_term = local[batch.pair_term] if len(local) else batch.pair_term
        batch.vocabulary, batch.records, batch.keys, batch.entries = [], [], [], {}
        indexed.append(batch)
        if step is not None:
            step(max(0, batch.first + len(batch.lengths) - max(batch.first, topic_count)))

    # Impacts need the average length of each field over the segment.
    lengths = np.concatenate([b.lengths for b in indexed]) if indexed else np.zeros((0, len(WEIGHTS)), dtype=np.int64)
    totals = [int(t) for t in lengths.sum(axis=0)]
    present = [int(p) for p in (lengths > 0).sum(axis=0)]
    averages = [totals[f] / present[f] if present[f] else 1.0 for f in range(len(WEIGHTS))]
    terms = sorted(words, key=_utf16)
    rank = np.empty(len(words), dtype=np.uint64)
    rank[np.fromiter((words[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms), dtype=np.uint64)
    del words
    parts = []
    while indexed:
        batch = indexed.pop(0)  # freed as it is folded in
        parts.append(
            (rank[batch.pair_term] << np.uint64(32)) | (batch.pair_doc.astype(np.uint64) << np.uint64(8))
            | _impacts(batch, averages)
        )
    postings = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
    del parts, rank

    # Term shards, cut by size, and the tails of frequent terms; then the title keys, sharded by
    # their top bits. Compressed in batches as they are made.
    firsts: list[str] = []
    bits = max(0, math.ceil(math.log2(max(1, len(title_keys)) / TITLE_KEYS_PER_SHARD)))

    def files() -> Iterator[tuple[str, bytes]]:
        yield from _term_files(terms, postings, HEAD, firsts)
        key_shards: list[dict[str, list[int]]] = [{} for _ in range(1 << bits)]
        for key in sorted(title_keys):
            key_shards[key >> (32 - bits) if bits else 0][str(key)] = title_keys[key]
        for n, content in enumerate(key_shards):
            yield f"k/{n}.gz", _json(content)

    for done in tasks.map(_compress_files, ((root, group) for group in _batched(files()))):
        for rel, digest, size in done:
            hashes[rel] = digest
            total += size
    segment.update(shards=firsts, keyBits=bits, n=len(hashes), b=total)
    segment["d"] = _file_digest(hashes, segment)


def index_search(model: SiteModel, bundle_dir: Path, *, directory_urls: bool = True,
                 step: Callable[[int], None] | None = None, jobs: int = 1,
                 cache: SearchCache | None = None, previous: Path | None = None) -> dict[str, int]:
    try:
        return write_index(model, bundle_dir, directory_urls=directory_urls, step=step, jobs=jobs, cache=cache,
                           previous=previous)
    except OSError as err:
        raise SearchIndexFailed(f"the search index could not be written to {bundle_dir}: {err.strerror or err}") from err
    except cf.process.BrokenProcessPool as err:
        raise SearchIndexFailed(
            "a process writing the search index stopped unexpectedly (out of memory?); "
            "run the build again, with --jobs 1 to index in one process"
        ) from err

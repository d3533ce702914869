"""Text similarity of papers: TF-IDF rows and their nearest neighbours, shared by related papers and topics.

A document is a row of a TF-IDF matrix (English stop words out, sub-linear term frequency,
words of letters, digits and inner hyphens, L2-normalised), so the cosine similarity of two
documents is the dot product of their rows. Nearest neighbours come from one sparse product
that keeps only the best few entries per row (``sparse_dot_topn``): only documents sharing a
term are scored, memory stays proportional to the rows, and there is no loop over pairs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from .model import Paper

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]*\w\b"
_LIBRARIES = ("sparse-dot-topn", "numpy", "scipy")  # what computes the similarities
_ROWS_PER_SUM = 1024  # rows whose lengths are summed at once: memory for their longest row each
_TEXTS_PER_COUNT = 4096  # texts whose words are counted at once
_ROWS_PER_DIGEST = 1000  # rows of a catalogue key encoded at once


class TextCache(Protocol):
    """Text by key, kept between builds (``generator.site.page_cache.PageCache``)."""

    def lookup(self, keys: Sequence[str]) -> dict[str, str]: ...

    def add(self, key: str, text: str) -> None: ...


def catalogue_result(cache: TextCache, label: str, rows: Iterable[Sequence[object]], compute: Callable[[], Any]) -> tuple[Any, bool]:
    """A result computed from the whole catalogue (related papers, the neighbour placement), kept in ``cache``.

    ``rows``: everything the result is computed from, one row a paper in a fixed order;
    ``compute()`` gives the result as JSON data. Its key also covers papercat's code and the
    versions of the libraries that compute similarities, so a result is reused only when
    computing it again would give exactly the same. Returns the result and whether it was kept.
    """
    key = catalogue_key(label, rows)
    found = kept_result(cache, key)
    if found is not None:
        return found, True
    result = compute()
    keep_result(cache, key, result)
    return result, False


def kept_result(cache: TextCache, key: str) -> Any:
    """The result a build kept under ``key`` (``catalogue_key``), or None."""
    found = cache.lookup([key]).get(key)
    return None if found is None else json.loads(found)


def keep_result(cache: TextCache, key: str, result: Any) -> None:
    """Keep a result (JSON data) under ``key`` for the next build."""
    cache.add(key, json.dumps(result, ensure_ascii=False, separators=(",", ":")))


def catalogue_key(label: str, rows: Iterable[Sequence[object]]) -> str:
    """The key of a result computed from the whole catalogue (see ``catalogue_result``)."""
    from .fingerprint import code_fingerprint, versions

    digest = hashlib.sha256(json.dumps([label, code_fingerprint(), versions(_LIBRARIES)]).encode())
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, _ROWS_PER_DIGEST)):  # one encoder call a chunk: not one a row
        digest.update(json.dumps(chunk, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class PaperTerms:
    """The words of the papers' titles and abstracts, counted once for every TF-IDF matrix of a build.

    Related papers and the placement by neighbours each weigh the text ``"title title abstract"``
    of every paper (the placement without the titles papercat inferred). Tokenizing the whole
    catalogue is most of that work, so it is done once here, title and abstract apart; each
    matrix is then the counts ``2 × title + abstract``, weighted as ``TfidfVectorizer`` weighs
    that text: the same rows, bit for bit (the tests compare them). Nothing is counted until a
    matrix is asked for, so a build that takes both results from the cache tokenizes nothing.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = sorted(papers, key=lambda p: p.id)  # the rows, in the order of their ids
        self._counts: tuple[csr_matrix, csr_matrix] | None = None
        self._counted = False

    @classmethod
    def of(cls, papers: Sequence[Paper], counted: PaperTerms | None = None) -> PaperTerms:
        """The words of exactly ``papers``: ``counted`` when it is theirs (the build counted them already), else new."""
        if counted is None or len(papers) != len(counted.papers) or {p.id for p in papers} != {p.id for p in counted.papers}:
            return cls(papers)
        return counted

    def rows(self, *, inferred_titles: bool = True, max_df: float = 1.0) -> csr_matrix | None:
        """The L2-normalised TF-IDF rows (CSR, float32) of the papers' texts ``"title title abstract"``.

        ``inferred_titles``: whether a title papercat inferred from the abstract counts. None when no
        paper has a usable word.
        """
        import numpy as np
        from scipy.sparse import diags

        counted = self._count()
        if counted is None:
            return None
        titles, abstracts = counted
        weight = np.array([2 if inferred_titles or not p.title_inferred else 0 for p in self.papers], dtype=np.int32)
        counts = (diags(weight, dtype=np.int32).tocsr() @ titles + abstracts).tocsr()
        counts.eliminate_zeros()
        counts.sort_indices()
        # What CountVectorizer keeps: terms in at least one and at most max_df of the documents.
        frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero((frequency >= 1) & (frequency <= max_df * counts.shape[0]))
        if not len(kept):
            return None
        return tfidf_weights(counts.astype(np.float32)[:, kept])

    def count(self) -> None:
        """Count the words now (before forking a process that is to use them: it inherits them counted)."""
        self._count()

    def _count(self) -> tuple[csr_matrix, csr_matrix] | None:
        if not self._counted:
            self._counted = True
            both = count_words([p.title for p in self.papers] + [p.abstract for p in self.papers])
            if both is None:  # not one usable word
                return None
            n = len(self.papers)
            self._counts = (both[:n], both[n:])
        return self._counts


class Numbering(dict[str, int]):
    """Words numbered in the order they are first met."""

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number


def count_words(texts: Sequence[str]) -> csr_matrix | None:
    """How often each word occurs in each text (CSR, int32; a column a word, the words in sorted order).

    The words are those ``CountVectorizer(stop_words="english", token_pattern=TOKEN_PATTERN)``
    finds: runs matching ``TOKEN_PATTERN`` in the lower-cased text, English stop words left out.
    None when no text has one.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    from .stop_words import ENGLISH_STOP_WORDS

    find = re.compile(TOKEN_PATTERN).findall
    numbering = Numbering((word, n) for n, word in enumerate(sorted(ENGLISH_STOP_WORDS)))  # numbers below ``stop``
    stop = len(numbering)
    number = numbering.__getitem__
    lengths: list[np.ndarray] = []  # per text, its distinct words; then each word (numbered as met) and its count
    terms: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for first in range(0, len(texts), _TEXTS_PER_COUNT):  # a few thousand texts' words at a time: memory stays small
        some = texts[first : first + _TEXTS_PER_COUNT]
        ids: list[int] = []
        sizes: list[int] = []
        for text in some:
            before = len(ids)
            ids.extend(map(number, find(text.lower())))
            sizes.append(len(ids) - before)
        numbers = np.array(ids, dtype=np.int64)
        rows = np.repeat(np.arange(len(some), dtype=np.int64), sizes)
        kept = numbers >= stop
        pairs, found = np.unique(rows[kept] << 32 | (numbers[kept] - stop), return_counts=True)  # by text, then word
        lengths.append(np.bincount(pairs >> 32, minlength=len(some)))
        terms.append(pairs & 0xFFFFFFFF)
        counts.append(found.astype(np.int32))
    words = list(numbering)[stop:]
    if not words:
        return None
    columns = np.empty(len(words), dtype=np.int64)  # the words in sorted order, as the columns
    columns[[numbering[word] - stop for word in sorted(words)]] = np.arange(len(words))
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(lengths))])
    matrix = csr_matrix(
        (np.concatenate(counts), columns[np.concatenate(terms)].astype(np.int32), indptr.astype(np.int32)),
        shape=(len(texts), len(words)),
    )
    matrix.sort_indices()
    return matrix


def tfidf_weights(counts: csr_matrix) -> csr_matrix:
    """The rows of ``counts`` (CSR, float32, indices sorted) weighted as ``TfidfTransformer(sublinear_tf=True)`` does.

    Smoothed inverse document frequency ``ln((1 + n) / (1 + df)) + 1``, term frequency ``1 + ln(tf)``,
    each row scaled to length 1: the same operations on the same types as scikit-learn, so the
    same bits (the tests compare them), without importing it. ``counts`` is changed in place.
    """
    import numpy as np

    n, width = counts.shape
    df = np.bincount(counts.indices, minlength=width).astype(counts.dtype)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=counts.dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    # Each row's sum of squares, added up in the order of its entries in double precision, as
    # scikit-learn's normaliser does (numpy's own sums pair terms up: other last bits).
    squares = (counts.data * counts.data).astype(np.float64)
    lengths = np.diff(counts.indptr)
    sums = np.zeros(n)
    for first in range(0, n, _ROWS_PER_SUM):
        block = lengths[first : first + _ROWS_PER_SUM]
        if not block.size or not block.max():
            continue
        padded = np.zeros((len(block), int(block.max())))
        padded[np.arange(padded.shape[1]) < block[:, None]] = squares[counts.indptr[first] : counts.indptr[first + len(block)]]
        sums[first : first + len(block)] = np.add.accumulate(padded, axis=1)[:, -1]
    norms = np.sqrt(sums)
    norms[sums == 0.0] = 1.0  # an empty row stays empty
    counts.data /= np.repeat(norms, lengths)
    return counts


def tfidf_terms(
    documents: Sequence[Sequence[str]], *, min_df: int = 1, max_df: float = 1.0
) -> tuple[csr_matrix, list[str]] | None:
    """TF-IDF rows (float64) of documents given as their terms, and the terms of the columns (sorted).

    The same weighting as ``PaperTerms.rows`` for callers that choose their own terms (word pairs,
    a stop list of their own); None when no term is kept.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_as_terms, sublinear_tf=True, min_df=min_df, max_df=max_df, dtype=np.float64)
    try:
        rows: csr_matrix = vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # an empty vocabulary, or every term pruned by min_df / max_df
        return None
    return rows, [str(term) for term in vectorizer.get_feature_names_out()]


def _as_terms(document: Sequence[str]) -> Sequence[str]:
    return document


def nearest_rows(
    queries: csr_matrix, candidates: csr_matrix, *, top_n: int, threshold: float, threads: int = 1
) -> csr_matrix:
    """For each row of ``queries``, its ``top_n`` most similar rows of ``candidates`` above ``threshold`` (CSR)."""
    from sparse_dot_topn import sp_matmul_topn

    nearest: csr_matrix = sp_matmul_topn(queries, candidates.T.tocsr(), top_n=top_n, threshold=threshold, n_threads=threads)
    return nearest

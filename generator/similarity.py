"""Text similarity of papers: TF-IDF rows and their nearest neighbours, shared by related papers and topics.

A document is a row of a TF-IDF matrix (English stop words out, sub-linear term frequency,
words of letters, digits and inner hyphens, L2-normalised), so the cosine similarity of two
documents is the dot product of their rows. Nearest neighbours come from one sparse product
that keeps only the best few entries per row (``sparse_dot_topn``): only documents sharing a
term are scored, memory stays proportional to the rows, and there is no loop over pairs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]*\w\b"
_LIBRARIES = ("scikit-learn", "sparse-dot-topn", "numpy", "scipy")  # what computes the similarities


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
    from .fingerprint import code_fingerprint, versions

    digest = hashlib.sha256(json.dumps([label, code_fingerprint(), versions(_LIBRARIES)]).encode())
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
        digest.update(b"\n")
    key = digest.hexdigest()
    found = cache.lookup([key]).get(key)
    if found is not None:
        return json.loads(found), True
    result = compute()
    cache.add(key, json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return result, False


def tfidf_rows(texts: Sequence[str], *, max_df: float = 1.0) -> csr_matrix | None:
    """The L2-normalised TF-IDF matrix (CSR, float32) of ``texts``, or None when no text has a usable word."""
    import numpy as np

    found = _tfidf(texts, max_df=max_df, dtype=np.float32)
    return found[0] if found else None


def tfidf_terms(
    documents: Sequence[Sequence[str]], *, min_df: int = 1, max_df: float = 1.0
) -> tuple[csr_matrix, list[str]] | None:
    """TF-IDF rows (float64) of documents given as their terms, and the terms of the columns (sorted).

    The same weighting as ``tfidf_rows`` for callers that choose their own terms (word pairs,
    a stop list of their own); None when no term is kept.
    """
    import numpy as np

    return _tfidf(documents, min_df=min_df, max_df=max_df, dtype=np.float64, analyzer=_as_terms)


def _as_terms(document: Sequence[str]) -> Sequence[str]:
    return document


def _tfidf(
    documents: Sequence[str] | Sequence[Sequence[str]],
    *,
    max_df: float,
    dtype: type,
    min_df: int = 1,
    analyzer: Callable[[Sequence[str]], Sequence[str]] | None = None,
) -> tuple[csr_matrix, list[str]] | None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if analyzer is None:
        vectorizer = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, min_df=min_df, max_df=max_df, dtype=dtype, token_pattern=TOKEN_PATTERN
        )
    else:
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, max_df=max_df, dtype=dtype)
    try:
        rows: csr_matrix = vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # an empty vocabulary, or every term pruned by min_df / max_df
        return None
    return rows, [str(term) for term in vectorizer.get_feature_names_out()]


def nearest_rows(
    queries: csr_matrix, candidates: csr_matrix, *, top_n: int, threshold: float, threads: int = 1
) -> csr_matrix:
    """For each row of ``queries``, its ``top_n`` most similar rows of ``candidates`` above ``threshold`` (CSR)."""
    from sparse_dot_topn import sp_matmul_topn

    nearest: csr_matrix = sp_matmul_topn(queries, candidates.T.tocsr(), top_n=top_n, threshold=threshold, n_threads=threads)
    return nearest

"""Text similarity of papers: TF-IDF rows and their nearest neighbours, shared by related papers and topics.

A document is a row of a TF-IDF matrix (English stop words out, sub-linear term frequency,
words of letters, digits and inner hyphens, L2-normalised), so the cosine similarity of two
documents is the dot product of their rows. Nearest neighbours come from one sparse product
that keeps only the best few entries per row (``sparse_dot_topn``): only documents sharing a
term are scored, memory stays proportional to the rows, and there is no loop over pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]*\w\b"


def tfidf_rows(texts: Sequence[str], *, max_df: float = 1.0) -> csr_matrix | None:
    """The L2-normalised TF-IDF matrix (CSR, float32) of ``texts``, or None when no text has a usable word."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, max_df=max_df, dtype=np.float32, token_pattern=TOKEN_PATTERN
    )
    try:
        rows: csr_matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # an empty vocabulary
        return None
    return rows


def nearest_rows(
    queries: csr_matrix, candidates: csr_matrix, *, top_n: int, threshold: float, threads: int = 1
) -> csr_matrix:
    """For each row of ``queries``, its ``top_n`` most similar rows of ``candidates`` above ``threshold`` (CSR)."""
    from sparse_dot_topn import sp_matmul_topn

    nearest: csr_matrix = sp_matmul_topn(queries, candidates.T.tocsr(), top_n=top_n, threshold=threshold, n_threads=threads)
    return nearest

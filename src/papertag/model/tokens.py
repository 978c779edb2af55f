"""TF-IDF over the spaCy tokens the rules already made: no second tokenization, no Python n-gram loop.

A batch of docs becomes one array of lower-cased token hashes (spaCy's ``LOWER`` attribute,
stable across processes) plus the number of tokens per doc. Word n-grams are hashes too: a
bigram's key combines its two tokens' hashes, so looking terms up in the vocabulary is one
``np.searchsorted`` over the whole batch. Tokens of one character, punctuation and spaces are
left out, like scikit-learn's default ``token_pattern`` (``\\b\\w\\w+\\b``) does.

The weighting is scikit-learn's ``TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm=None)``:
``(1 + log(count)) * (1 + log((1 + n) / (1 + df)))``; :class:`TokenFeatures` then l2-normalizes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads the first token's hash
_MAX_NGRAM = 2
_BLOCK = 1024  # docs per array pass in doc_tokens


@dataclass
class TokenBatch:
    """Kept tokens of several docs: their ``LOWER`` hashes, concatenated, and how many per doc."""

    hashes: np.ndarray  # uint64
    lengths: np.ndarray  # int64, one per doc
    strings: dict[int, str] = field(default_factory=dict)  # hash -> text, filled when names are needed

    def __len__(self) -> int:
        return len(self.lengths)

    @staticmethod
    def concat(batches: Sequence[TokenBatch]) -> TokenBatch:
        strings: dict[int, str] = {}
        for b in batches:
            strings.update(b.strings)
        if not batches:
            return TokenBatch(np.zeros(0, np.uint64), np.zeros(0, np.int64), strings)
        return TokenBatch(np.concatenate([b.hashes for b in batches]), np.concatenate([b.lengths for b in batches]),
                          strings)


def doc_tokens(docs: Iterable[Any], *, with_strings: bool = False) -> TokenBatch:
    """The kept tokens of spaCy ``docs``; ``with_strings`` also records each hash's text (for fitting)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE, LENGTH, LOWER

    from spacy.util import minibatch

    from ..nlp import FEATURE_WORD_FLAG, norms_are_lemmas

    parts: list[TokenBatch] = []
    # one array call per doc, the filter once per block of docs (small numpy calls cost more than their work);
    # docs are streamed, a block at a time
    for block in minibatch(docs, size=_BLOCK):
        sizes = np.fromiter((len(doc) for doc in block), dtype=np.int64, count=len(block))
        if norms_are_lemmas(block[0].vocab):  # papertag's pipeline: one flag says it
            a = np.concatenate([doc.to_array([LOWER, FEATURE_WORD_FLAG]).reshape(-1, 2) for doc in block])
            keep = a[:, 1] == 1
        else:
            a = np.concatenate([doc.to_array([LOWER, LENGTH, IS_PUNCT, IS_SPACE]).reshape(-1, 4) for doc in block])
            keep = (a[:, 1] >= 2) & (a[:, 2] == 0) & (a[:, 3] == 0)
        hashes = a[keep, 0].astype(np.uint64, copy=False)
        lengths = np.bincount(np.repeat(np.arange(len(block)), sizes)[keep], minlength=len(block)).astype(np.int64)
        strings: dict[int, str] = {}
        if with_strings:
            store = block[0].vocab.strings
            strings = {h: store[h] for h in np.unique(hashes).tolist()}
        parts.append(TokenBatch(hashes, lengths, strings))
    return parts[0] if len(parts) == 1 else TokenBatch.concat(parts)


def ngram_keys(batch: TokenBatch, ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every n-gram of every doc: ``(keys, rows, first, second)``; ``second`` is 0 for unigrams."""
    lo, hi = ngram_range
    if not 1 <= lo <= hi <= _MAX_NGRAM:
        raise ValueError(f"token features support n-grams of 1 to {_MAX_NGRAM} words; got {ngram_range}")
    h = batch.hashes
    rows = np.repeat(np.arange(len(batch.lengths), dtype=np.int64), batch.lengths)
    keys, out_rows, first, second = [], [], [], []
    if lo == 1:
        keys.append(h)
        out_rows.append(rows)
        first.append(h)
        second.append(np.zeros(len(h), dtype=np.uint64))
    if hi == 2 and len(h) > 1:
        same = rows[1:] == rows[:-1]
        a, b = h[:-1][same], h[1:][same]
        with np.errstate(over="ignore"):
            keys.append(a * _MIX + b)  # wraps modulo 2**64
        out_rows.append(rows[:-1][same])
        first.append(a)
        second.append(b)
    if not keys:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, np.zeros(0, dtype=np.int64), empty, empty
    return np.concatenate(keys), np.concatenate(out_rows), np.concatenate(first), np.concatenate(second)


class TokenTfidf:
    """Sublinear TF-IDF over token n-gram keys with a fixed vocabulary (after :meth:`fit`)."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), min_df: int = 3, max_df: float = 0.5) -> None:
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.min_df = min_df
        self.max_df = max_df

    def fit_transform(self, batch: TokenBatch) -> sp.csr_matrix:
        """Learn the vocabulary (``min_df <= df <= max_df * n``) and idf; return the raw matrix."""
        n = len(batch)
        keys, rows, first, second = ngram_keys(batch, self.ngram_range)
        uniq, first_at, inverse = np.unique(keys, return_index=True, return_inverse=True)
        counts = sp.csr_matrix((np.ones(len(keys), dtype=np.float32), (rows, inverse)), shape=(n, len(uniq)))
        counts.sum_duplicates()
        df = np.bincount(counts.indices, minlength=len(uniq))
        max_count = self.max_df * n if isinstance(self.max_df, float) else self.max_df
        keep = np.flatnonzero((df >= self.min_df) & (df <= max_count))
        self.keys_ = uniq[keep]  # sorted, so transform can binary-search it
        self.idf_ = (np.log((1.0 + n) / (1.0 + df[keep])) + 1.0).astype(np.float32)
        a, b = first[first_at[keep]], second[first_at[keep]]
        s = batch.strings
        self.terms_ = [s.get(x, f"#{x}") if y == 0 else f"{s.get(x, f'#{x}')} {s.get(y, f'#{y}')}"
                       for x, y in zip(a.tolist(), b.tolist())]
        X = counts[:, keep]
        return self._weight(X)

    def transform(self, batch: TokenBatch) -> sp.csr_matrix:
        keys, rows, _, _ = ngram_keys(batch, self.ngram_range)
        vocab = self.keys_
        if len(vocab) == 0 or len(keys) == 0:
            return sp.csr_matrix((len(batch), len(vocab)), dtype=np.float32)
        pos = self._vocab_index().get_indexer(keys)  # hash look-ups; -1: not in the vocabulary
        hit = pos >= 0
        X = sp.csr_matrix((np.ones(int(hit.sum()), dtype=np.float32), (rows[hit], pos[hit])),
                          shape=(len(batch), len(vocab)))
        X.sum_duplicates()
        return self._weight(X)

    def _vocab_index(self) -> Any:
        """``keys_`` as a pandas hash index (built on first use, not pickled): a batch's ~100,000
        n-gram keys are looked up about five times faster than by binary search."""
        index = getattr(self, "_index", None)
        if index is None or len(index) != len(self.keys_):
            import pandas as pd

            index = self._index = pd.Index(self.keys_)
        return index

    def _weight(self, X: sp.csr_matrix) -> sp.csr_matrix:
        X = X.astype(np.float32)
        X.sort_indices()
        if X.nnz:
            X.data = (np.log(X.data) + 1.0).astype(np.float32) * self.idf_[X.indices]
        return X

    def restrict(self, columns: np.ndarray) -> None:
        columns = np.sort(np.asarray(columns, dtype=np.int64))
        self.keys_ = self.keys_[columns]
        self._index = None
        self.idf_ = self.idf_[columns]
        self.terms_ = [self.terms_[i] for i in columns]

    # the vocabulary pickles as arrays and one joined string (fast to load)
    _SEP = "\x00"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_index", None)
        if "terms_" in state:
            state["terms_"] = self._SEP.join(state["terms_"])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("terms_"), str):
            state["terms_"] = state["terms_"].split(self._SEP) if state["terms_"] else []
        self.__dict__.update(state)


class TokenFeatures:
    """The classifier's feature block over spaCy tokens, with :class:`TextFeatures`' interface."""

    def __init__(self, *, word_ngrams: tuple[int, int] = (1, 2), min_df: int = 3, max_df: float = 0.5) -> None:
        self.vectorizer = TokenTfidf(word_ngrams, min_df, max_df)

    def fit_raw(self, batch: TokenBatch) -> list[sp.csr_matrix]:
        return [self.vectorizer.fit_transform(batch)]

    @staticmethod
    def combine(raws: Sequence[sp.spmatrix]) -> sp.csr_matrix:
        from .classifier import _l2_normalize

        return _l2_normalize(raws[0])

    def restrict(self, columns: np.ndarray) -> None:
        self.vectorizer.restrict(columns)

    def transform(self, batch: TokenBatch) -> sp.csr_matrix:
        return self.combine([self.vectorizer.transform(batch)])

    def feature_names(self) -> np.ndarray:
        return np.array(self.vectorizer.terms_, dtype=object)

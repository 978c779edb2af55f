"""The spaCy pipeline papertag matches on: ``spacy.blank("en")`` plus lower-cased lookup lemmas.

No trained pipeline is needed (none can be downloaded here): the tokenizer is spaCy's
rule-based English one, and lemmas come from spacy-lookups-data's English lookup table
applied to the lower-cased token (so "Quantized" and "quantized" both give "quantize").
Sentences are found only where a rule hits (:func:`sentence_bounds`), which is much
cheaper than running a sentencizer over every paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

LOWER_LEMMATIZER = "papertag_lower_lemmatizer"


class LowerLemmatizer:
    """Set every token's lemma to the lookup lemma of its lower-cased form, in array operations.

    The table is kept as a pandas hash index over the form hashes plus an array of lemma hashes;
    :meth:`pipe` looks up a whole batch of docs in one call (a per-doc call would cost more in
    overhead than the look-up itself), then writes each doc's lemmas with one ``from_array``.
    """

    def __init__(self, table: dict[int, int]) -> None:
        import pandas as pd

        self.table = table  # hash of the lower-cased form -> hash of its lemma
        self._index = pd.Index(np.fromiter(table.keys(), dtype=np.uint64, count=len(table)))
        self._values = np.fromiter(table.values(), dtype=np.uint64, count=len(table))

    def __call__(self, doc: Doc) -> Doc:
        self._lemmatize([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self._lemmatize(batch)
            yield from batch

    def _lemmatize(self, docs: list[Doc]) -> None:
        docs = [d for d in docs if len(d)]
        if not docs or len(self._values) == 0:
            return
        lowers = np.concatenate([d.to_array(LOWER) for d in docs])
        pos = self._index.get_indexer(lowers)
        lemmas = np.where(pos >= 0, self._values[pos], lowers)
        start = 0
        for d in docs:
            d.from_array([LEMMA], lemmas[start:start + len(d)].reshape(-1, 1))
            start += len(d)


@Language.factory(LOWER_LEMMATIZER)
def make_lower_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    from spacy.lookups import load_lookups

    lookups = load_lookups("en", ["lemma_lookup"])
    strings = nlp.vocab.strings
    table: dict[int, int] = {}
    for key, lemma in lookups.get_table("lemma_lookup").items():
        table[int(key)] = strings.add(str(lemma).lower())
    return LowerLemmatizer(table)


# spaCy's tokenizer memoizes the tokens of each whitespace-separated chunk, but only for the first
# 10,000 distinct chunks it meets; abstracts hold far more (about 300,000 in a 48,000-paper corpus),
# so most chunks went back through the prefix/suffix/infix regexes. A bigger memo gives the same
# tokens about 1.8x faster on real corpora, for about 25 MB more memory per process.
TOKENIZER_CACHE_SIZE = 100_000


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline, built once per process."""
    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    nlp.add_pipe(LOWER_LEMMATIZER)
    return nlp


# a sentence ends after . ! ? (and closing quotes or brackets) and the spaces that follow, when a capital or a
# digit comes next; or at a blank line. Only m.end() is used, so the punctuation is consumed rather than looked
# behind for: the same boundaries, found faster.
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\n")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts, in order (the first is 0)."""
    return [0] + [m.end() for m in _SENT_END.finditer(text)]

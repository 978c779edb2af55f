"""The spaCy pipeline papertag matches on: ``spacy.blank("en")`` plus lower-cased lookup lemmas.

No trained pipeline is needed (none can be downloaded here): the tokenizer is spaCy's
rule-based English one, and lemmas come from spacy-lookups-data's English lookup table
applied to the lower-cased token (so "Quantized" and "quantized" both give "quantize").
Sentences are found only where a rule hits (:func:`sentence_starts`), which is much
cheaper than running a sentencizer over every paper. Lexeme attributes nothing reads are not
computed (:data:`CORE_LEX_ATTRS`, :func:`require_lex_attrs`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IDS, IS_PUNCT, IS_SPACE, LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch
from spacy.vocab import Vocab

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


# Lexeme attributes papertag reads itself: lower case (phrase patterns, lemmas, model features) and the
# punctuation and space flags (model features). spaCy computes about twenty attributes, in Python, for every
# word it meets for the first time (shape, prefix, suffix, like_num, like_url, stop word, ...); on a corpus
# that is a sixth of the tokenizer's time. The rest are computed only once a rule asks for them
# (:func:`require_lex_attrs`; the rule engine does it for the attributes its token patterns test).
CORE_LEX_ATTRS = (LOWER, IS_PUNCT, IS_SPACE)

# vocab id -> (the vocab, kept alive so its id is not reused; getters not run yet, by attribute id)
_DEFERRED: dict[int, tuple[Vocab, dict[int, Callable[[str], Any]]]] = {}


def build_nlp() -> Language:
    """A new pipeline: ``blank("en")``, a larger tokenizer memo, the lower-case lemmatizer and lexeme
    attributes beyond :data:`CORE_LEX_ATTRS` deferred until :func:`require_lex_attrs` asks for them."""
    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    vocab = nlp.vocab
    getters = dict(vocab.lex_attr_getters or {})
    vocab.lex_attr_getters = {a: f for a, f in getters.items() if a in CORE_LEX_ATTRS}
    _DEFERRED[id(vocab)] = (vocab, {a: f for a, f in getters.items() if a not in CORE_LEX_ATTRS})
    nlp.add_pipe(LOWER_LEMMATIZER)
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline (:func:`build_nlp`), built once per process."""
    return build_nlp()


def require_lex_attrs(vocab: Vocab, names: Iterable[str | int]) -> None:
    """Compute the lexeme attributes ``names`` (``"LIKE_NUM"``, ``"SHAPE"``, attribute ids) from now on,
    and fill them in on the lexemes ``vocab`` already holds. Names that are not deferred lexeme
    attributes (token attributes such as ``LEMMA``, unknown names) are ignored."""
    entry = _DEFERRED.get(id(vocab))
    if entry is None:
        return
    deferred = entry[1]
    wanted = {IDS.get(n.upper()) if isinstance(n, str) else n for n in names}
    added = {a: deferred.pop(a) for a in wanted if a in deferred}
    if not added:
        return
    vocab.lex_attr_getters = {**vocab.lex_attr_getters, **added}
    names_of = {v: k for k, v in IDS.items()}
    for lex in vocab:
        values = {names_of[a]: f(lex.orth_) for a, f in added.items()}
        lex.set_attrs(**{k: v for k, v in values.items() if v is not None})


# a sentence ends after . ! ? (and closing quotes or brackets) and the spaces that follow, when a capital or a
# digit comes next; or at a blank line. Only m.end() is used, so the punctuation is consumed rather than looked
# behind for: the same boundaries, found faster.
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\n")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts, in order (the first is 0)."""
    return [0] + [m.end() for m in _SENT_END.finditer(text)]

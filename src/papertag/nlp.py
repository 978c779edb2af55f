"""The spaCy pipeline papertag matches on: ``spacy.blank("en")``, lower-cased lookup lemmas, sentences.

No trained pipeline is needed (none can be downloaded here): the tokenizer is spaCy's
rule-based English one, lemmas come from spacy-lookups-data's English lookup table
applied to the lower-cased token (so "Quantized" and "quantized" both give "quantize"),
and sentences come from the rule-based sentencizer.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

LOWER_LEMMATIZER = "papertag_lower_lemmatizer"


class LowerLemmatizer:
    """Set ``token.lemma_`` to the lookup lemma of the lower-cased token."""

    def __init__(self, table: dict[int, str]) -> None:
        self.table = table  # keyed by the hash of the lower-cased form, as spaCy's tables are

    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        for token in doc:
            lemma = table.get(token.lower)
            token.lemma_ = lemma if lemma is not None else token.lower_
        return doc


@Language.factory(LOWER_LEMMATIZER)
def make_lower_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    from spacy.lookups import load_lookups

    lookups = load_lookups("en", ["lemma_lookup"])
    table = {int(k): str(v) for k, v in lookups.get_table("lemma_lookup").items()}
    return LowerLemmatizer(table)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline, built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe(LOWER_LEMMATIZER)
    nlp.add_pipe("sentencizer")
    return nlp

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

import spacy
from spacy.attrs import IDS, IS_PUNCT, IS_SPACE, LEMMA, LOWER, NORM
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

LOWER_LEMMATIZER = "papertag_lower_lemmatizer"


def lemma_norm_getter() -> Callable[[str], str]:
    """The lexeme ``NORM`` papertag uses: the lookup lemma of the lower-cased form, from spacy-lookups-data's
    English table (``"Quantized"`` -> ``"quantize"``; a word the table lacks is its own lemma)."""
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    lemmas = {key: str(lemma).lower() for key, lemma in table.items()}  # hash of the form -> its lemma
    hash_string = spacy.strings.get_string_id

    def norm(word: str) -> str:
        low = word.lower()
        return lemmas.get(hash_string(low), low)

    return norm


class LowerLemmatizer:
    """Set every token's lemma to the lookup lemma of its lower-cased form.

    :func:`build_nlp` keeps that lemma as each word's ``NORM``, computed once per word of the
    vocabulary, so this only copies ``NORM`` into ``LEMMA``. papertag's own matching reads ``NORM``
    and skips this step (:meth:`papertag.rules.RuleEngine.tokenize`); it is here for users of the
    pipeline who read ``token.lemma_``.
    """

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            doc.from_array([LEMMA], doc.to_array([NORM]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(LOWER_LEMMATIZER)
def make_lower_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    return LowerLemmatizer()


# spaCy's tokenizer memoizes the tokens of each whitespace-separated chunk, but only for the first
# 10,000 distinct chunks it meets; abstracts hold far more (about 300,000 in a 48,000-paper corpus),
# and a chunk that misses the memo goes back through the prefix/suffix/infix regexes (about 7 us,
# against under 0.5 us for a hit). A memo of a million chunks holds every chunk of that corpus:
# the same tokens, the whole corpus tokenized in 9.0 s cold and 3.8 s warm (100,000: 9.9 and 7.4 s),
# for about 100 bytes per memoized chunk (30 MB on that corpus, at most about 100 MB per process).
TOKENIZER_CACHE_SIZE = 1_000_000


# Lexeme attributes papertag reads itself: lower case (phrase patterns, model features) and the
# punctuation and space flags (model features); NORM, the lemma, is always computed too (:func:`build_nlp`).
# spaCy computes about twenty attributes, in Python, for every word it meets for the first time (shape,
# prefix, suffix, like_num, like_url, stop word, ...); on a corpus that is a sixth of the tokenizer's time.
# The rest are computed only once a rule asks for them (:func:`require_lex_attrs`; the rule engine does it
# for the attributes its token patterns test).
CORE_LEX_ATTRS = (LOWER, IS_PUNCT, IS_SPACE)

# A lexeme flag for the words the model counts (two characters or more, neither punctuation nor space), computed
# once per word: the model's features read it instead of three attributes per token (papertag.model.tokens).
FEATURE_WORD_FLAG = IDS["FLAG63"]

# vocab id -> (the vocab, kept alive so its id is not reused; getters not run yet, by attribute id)
_DEFERRED: dict[int, tuple[Vocab, dict[int, Callable[[str], Any]]]] = {}


def build_nlp() -> Language:
    """A new pipeline: ``blank("en")`` with a larger tokenizer memo, each word's ``NORM`` set to its lower-case
    lookup lemma (:func:`lemma_norm_getter`), the lemmatizer that copies it to ``LEMMA``, and lexeme attributes
    beyond :data:`CORE_LEX_ATTRS` deferred until :func:`require_lex_attrs` asks for them.

    A token's norm is always its word's: the tokenizer exceptions' own norms ("Jan." -> "January",
    "n't" -> "not") are dropped, so matching on ``NORM`` is matching on the lemma."""
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    vocab = nlp.vocab
    getters = dict(vocab.lex_attr_getters or {})
    norm = lemma_norm_getter()
    vocab.lex_attr_getters = {**{a: f for a, f in getters.items() if a in CORE_LEX_ATTRS}, NORM: norm}
    _DEFERRED[id(vocab)] = (vocab, {a: f for a, f in getters.items() if a not in CORE_LEX_ATTRS and a != NORM})
    for lex in vocab:  # the words blank("en") already made
        lex.norm_ = norm(lex.orth_)
    is_punct, is_space = getters[IS_PUNCT], getters[IS_SPACE]
    vocab.add_flag(lambda word: len(word) >= 2 and not is_punct(word) and not is_space(word), FEATURE_WORD_FLAG)
    tokenizer.rules = {chunk: [{k: v for k, v in token.items() if k not in (NORM, "NORM")} for token in tokens]
                       for chunk, tokens in (tokenizer.rules or {}).items()}
    nlp.add_pipe(LOWER_LEMMATIZER)
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline (:func:`build_nlp`), built once per process."""
    return build_nlp()


def reset_nlp() -> None:
    """Forget the shared pipeline: the next :func:`get_nlp` builds a new one, and the old one's vocabulary (which
    only grows as texts are tokenized) can be freed once nothing else holds it."""
    if get_nlp.cache_info().currsize:
        _DEFERRED.pop(id(get_nlp().vocab), None)
    get_nlp.cache_clear()


def norms_are_lemmas(vocab: Vocab) -> bool:
    """Whether ``vocab`` comes from :func:`build_nlp`, so a token's ``NORM`` is its lemma (and its words
    carry :data:`FEATURE_WORD_FLAG`)."""
    return id(vocab) in _DEFERRED


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

"""Token features: the same numbers as scikit-learn's TfidfVectorizer over the same tokens."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from papertag.model.classifier import tokenize
from papertag.model.tokens import TokenBatch, TokenTfidf, ngram_keys
from papertag.nlp import get_nlp

TEXTS = [
    "Post-Training Quantization of Large Language Models\n\nWe quantize weights to 4 bits, and the model runs 3.1x faster.",
    "Structured pruning for vision transformers: we prune heads, tokens and channels of ViTs.",
    "Knowledge distillation from a large teacher into a small student; the student keeps 98% accuracy.",
    "We quantize and prune language models jointly. Quantize, prune, repeat!",
    "",
]


def kept_tokens(text: str) -> list[str]:
    return [t.lower_ for t in get_nlp().tokenizer(text) if len(t) >= 2 and not t.is_punct and not t.is_space]


def test_matches_sklearn_tfidf_over_the_same_tokens():
    from sklearn.feature_extraction.text import TfidfVectorizer

    def analyzer(text: str) -> list[str]:
        toks = kept_tokens(text)
        return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]

    ref = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm=None, min_df=1, max_df=1.0)
    want = ref.fit_transform(TEXTS).toarray()
    vec = TokenTfidf((1, 2), min_df=1, max_df=1.0)
    got = vec.fit_transform(tokenize(TEXTS, with_strings=True)).toarray()
    assert sorted(vec.terms_) == sorted(ref.vocabulary_)
    order = [ref.vocabulary_[t] for t in vec.terms_]
    np.testing.assert_allclose(got, want[:, order], rtol=1e-5)


def test_min_df_and_max_df_filter_the_vocabulary():
    vec = TokenTfidf((1, 1), min_df=2, max_df=0.5)
    vec.fit_transform(tokenize(TEXTS, with_strings=True))
    assert "quantize" in vec.terms_ and "prune" in vec.terms_  # in 2 of 5 texts
    assert "we" not in vec.terms_  # in 3 of 5 texts: above max_df
    assert "teacher" not in vec.terms_  # in 1 text: below min_df


def test_transform_gives_the_fitted_rows_and_ignores_unknown_terms():
    vec = TokenTfidf((1, 2), min_df=1, max_df=1.0)
    fitted = vec.fit_transform(tokenize(TEXTS, with_strings=True)).toarray()
    again = vec.transform(tokenize(TEXTS[::-1])).toarray()
    np.testing.assert_allclose(again, fitted[::-1], rtol=1e-6)
    assert vec.transform(tokenize(["completely unseen zebra words"])).nnz == 0


def test_bigrams_do_not_cross_documents():
    batch = tokenize(["alpha beta", "gamma delta"], with_strings=True)
    keys, rows, first, second = ngram_keys(batch, (2, 2))
    names = {(batch.strings[a], batch.strings[b]) for a, b in zip(first.tolist(), second.tolist())}
    assert names == {("alpha", "beta"), ("gamma", "delta")}
    assert rows.tolist() == [0, 1]


def test_pickles_and_refuses_unsupported_ngrams():
    vec = TokenTfidf((1, 2), min_df=1, max_df=1.0)
    vec.fit_transform(tokenize(TEXTS, with_strings=True))
    back = pickle.loads(pickle.dumps(vec))
    assert back.terms_ == vec.terms_
    np.testing.assert_array_equal(back.transform(tokenize(TEXTS)).toarray(), vec.transform(tokenize(TEXTS)).toarray())
    with pytest.raises(ValueError, match="n-grams of 1 to 2"):
        ngram_keys(tokenize(TEXTS), (1, 3))


def test_concat_keeps_documents_apart():
    a, b = tokenize(TEXTS[:2], with_strings=True), tokenize(TEXTS[2:], with_strings=True)
    both = TokenBatch.concat([a, b])
    assert len(both) == len(TEXTS) and both.lengths.sum() == len(both.hashes)
    assert set(a.strings) | set(b.strings) == set(both.strings)


def test_the_feature_word_flag_keeps_the_same_tokens_as_their_attributes():
    """papertag's pipeline marks the words the model counts with one lexeme flag; any other pipeline's docs
    are filtered on length, punctuation and space: the kept tokens must be the same."""
    import spacy

    from papertag.model.tokens import doc_tokens

    texts = ["A 4-bit LLM, 3.4x faster (on A100s)!", "", "  x  y  zz ... -- ok", "Ünïcode wörds • and — dashes"]
    ours = doc_tokens(get_nlp().tokenizer.pipe(texts), with_strings=True)
    plain = doc_tokens(spacy.blank("en").tokenizer.pipe(texts), with_strings=True)
    assert ours.hashes.tolist() == plain.hashes.tolist()
    assert ours.lengths.tolist() == plain.lengths.tolist() == [6, 0, 2, 4]
    assert ours.strings == plain.strings

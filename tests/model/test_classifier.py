"""TagClassifier: shapes, probabilities, hierarchy, thresholds, explanations, validation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from papertag.model.classifier import UNTRAINED_THRESHOLD, TagClassifier
from papertag.model.protocol import TagModel
from papertag.weak import ABSTAIN, NEGATIVE, POSITIVE, weighted_vote

from .conftest import TINY_PARAMS, positives


def test_predict_proba_shape_and_range(fx_model, fx_texts, fx_weak):
    p = fx_model.predict_proba(fx_texts[:17])
    assert p.shape == (17, len(fx_weak.label_keys))
    assert p.dtype == np.float32
    assert np.all((p >= 0) & (p <= 1))


def test_satisfies_the_tagger_protocol(fx_model):
    model: TagModel = fx_model
    assert model.label_keys == fx_model.label_keys_
    assert set(model.thresholds) == set(model.label_keys) == set(model.review_low)
    for k in model.label_keys:
        assert 0 <= model.review_low[k] <= model.thresholds[k] <= 1


def test_trains_labels_with_enough_positives_only(fx_model, fx_weak):
    y = weighted_vote(fx_weak)
    pos = positives(y)
    for j, k in enumerate(fx_weak.label_keys):
        assert fx_model.trained_[j] == (pos[j] >= TINY_PARAMS["min_positives"]), k
    untrained = [k for j, k in enumerate(fx_weak.label_keys) if not fx_model.trained_[j]]
    assert all(fx_model.thresholds[k] == UNTRAINED_THRESHOLD for k in untrained)
    assert fx_model.trained_[fx_weak.label_keys.index("technique/quantization")]


def test_learns_the_weak_labels(fx_model, fx_texts, fx_weak):
    y = weighted_vote(fx_weak)
    pred = fx_model.predict(fx_texts)
    for k in ("technique/quantization", "modality/video", "hardware/gpu"):
        j = fx_weak.label_keys.index(k)
        rows = y[:, j] != ABSTAIN
        agree = (pred[rows, j] == (y[rows, j] == POSITIVE)).mean()
        assert agree > 0.9, (k, agree)


def test_generalizes_beyond_the_rule_words(fx_model):
    # no rule pattern ("quantization", "quantize") occurs here; the model has learned its neighbours
    p = fx_model.predict_proba(["Low-Bit Transformer Language Models at 4 Bits\n\n"
                                "Weights are rounded to 4-bit integers with a calibration set; 8-bit activations."])
    j = fx_model.label_keys.index("technique/quantization")
    assert p[0, j] > 0.5


def test_parent_probability_at_least_children():
    keys = ("technique/quantization", "technique/quantization/post_training", "technique/pruning")
    texts = [f"paper {i} about {'ptq calibration rounding' if i % 3 == 0 else 'weights'} "
             f"{'quantization' if i % 2 == 0 else 'sparsity'}" for i in range(60)]
    y = np.zeros((60, 3), dtype=np.int8)
    y[::3, 1] = POSITIVE          # children only; fit must make parents positive too
    y[::2, 0] = POSITIVE
    y[1::2, 2] = POSITIVE
    m = TagClassifier(**{**TINY_PARAMS, "min_positives": 3}).fit(texts, y, label_keys=keys)
    p = m.predict_proba(texts + ["ptq calibration rounding", "nothing relevant"])
    assert np.all(p[:, 0] >= p[:, 1])


def test_explain_returns_terms_of_the_text(fx_model):
    text = "We quantize the weights of language models to 4-bit integers."
    terms = fx_model.explain(text, "technique/quantization", k=3)
    assert 0 < len(terms) <= 3
    assert all(w > 0 for _, w in terms)
    assert [w for _, w in terms] == sorted((w for _, w in terms), reverse=True)
    for term, _ in terms:
        assert all(part in text.lower() for part in term.split())


def test_explain_unknown_label(fx_model):
    with pytest.raises(KeyError, match="unknown label 'technique/nope'"):
        fx_model.explain("text", "technique/nope")


def test_cv_metrics_and_reliability(fx_model):
    m = fx_model.cv_metrics_["modality/video"]
    assert m["trained"] and 0 <= m["precision"] <= 1 and 0 <= m["recall"] <= 1
    assert m["tp"] + m["fn"] == m["positive"]
    assert fx_model.reliability_ and all(0 <= r["observed"] <= 1 for r in fx_model.reliability_)


def test_abstains_are_left_out_of_training():
    texts = [f"alpha beta {i}" for i in range(20)] + [f"gamma delta {i}" for i in range(20)]
    y = np.array([[POSITIVE]] * 20 + [[NEGATIVE]] * 20, dtype=np.int8)
    y_abstain = y.copy()
    y_abstain[20:30] = ABSTAIN
    keys = ("technique/pruning",)
    a = TagClassifier(**{**TINY_PARAMS, "min_positives": 3}).fit(texts, y_abstain, label_keys=keys)
    assert a.cv_metrics_["technique/pruning"]["abstain"] == 10
    assert a.cv_metrics_["technique/pruning"]["negative"] == 10


def test_not_fitted():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        TagClassifier().predict_proba(["x"])
    with pytest.raises(NotFittedError):
        TagClassifier().thresholds  # noqa: B018


@pytest.mark.parametrize("texts, y, keys, match", [
    (["a b", "c d"], np.zeros((3, 1)), ("modality/image",), "2 texts but y has 3 rows"),
    (["a b", "c d"], np.zeros((2, 2)), ("modality/image",), "1 label keys but y has 2 columns"),
    (["a b", "c d"], np.full((2, 1), 2), ("modality/image",), r"only POSITIVE \(1\), NEGATIVE \(0\) and ABSTAIN"),
    (["a b", "c d"], np.zeros(2), ("modality/image",), "2-D"),
])
def test_fit_validates_its_input(texts, y, keys, match):
    with pytest.raises(ValueError, match=match):
        TagClassifier().fit(texts, y, label_keys=keys)


def test_bad_parameter_message():
    with pytest.raises(ValueError, match="The 'cv' parameter of TagClassifier must be at least 2. Got 1 instead."):
        TagClassifier(cv=1).fit(["a b"], np.zeros((1, 1)), label_keys=("modality/image",))


def test_no_trainable_label_still_predicts():
    m = TagClassifier(**TINY_PARAMS).fit(["alpha beta", "gamma delta"] * 3, np.zeros((6, 2), dtype=np.int8),
                                         label_keys=("modality/image", "modality/text"))
    assert not m.trained_.any()
    assert np.all(m.predict_proba(["alpha"]) == 0)
    assert m.explain("alpha beta", "modality/image") == []


def test_gold_weight_is_accepted(fx_texts, fx_weak):
    y = weighted_vote(fx_weak)
    gold = np.zeros(y.shape, dtype=bool)
    gold[:10] = True
    m = TagClassifier(**TINY_PARAMS).fit(fx_texts, y, label_keys=fx_weak.label_keys, gold=gold)
    assert m.trained_.any()


@pytest.mark.parametrize("char_ngrams", [None, (3, 4)])
def test_restricted_features_transform_like_training(fx_texts, char_ngrams):
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from papertag.model.classifier import TextFeatures

    f = TextFeatures(min_df=1, max_df=1.0, char_ngrams=char_ngrams, char_min_df=1)
    raws = f.fit_raw(fx_texts)
    sizes = f.block_sizes
    rng = np.random.default_rng(0)
    cols = np.sort(rng.choice(sum(sizes), size=sum(sizes) // 3, replace=False))
    f.restrict(cols)
    offsets = np.cumsum([0, *sizes])
    expected = sp.hstack([normalize(r[:, cols[(cols >= offsets[i]) & (cols < offsets[i + 1])] - offsets[i]])
                          for i, r in enumerate(raws)]).tocsr()
    got = f.transform(fx_texts)
    assert got.shape == expected.shape == (len(fx_texts), len(cols))
    np.testing.assert_allclose(got.toarray(), expected.toarray(), atol=1e-6)
    assert len(f.feature_names()) == len(cols)


def test_char_ngrams_model(fx_texts, fx_weak):
    m = TagClassifier(**{**TINY_PARAMS, "char_ngrams": (3, 5), "char_min_df": 2, "tokenizer": "regex"}).fit(
        fx_texts, weighted_vote(fx_weak), label_keys=fx_weak.label_keys)
    p = m.predict_proba(fx_texts[:5])
    assert p.shape == (5, len(fx_weak.label_keys))
    assert any(t.startswith("«") for t in m.feature_names_)


TRICKY = ["Ünïcode ΔNAS: 4-bit  W4A8 quantization\n\nof LLMs; a b c-d e.g. x²", "", "a", "GPU GPU gpu GPUs",
          "post-training   quantization (PTQ) — 3.4× faster on A100s"]


@pytest.mark.parametrize("analyzer, ngrams", [("word", (1, 2)), ("word", (1, 3)), ("char_wb", (2, 5))])
def test_fixed_tfidf_matches_scikit_learn(analyzer, ngrams):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from papertag.model.classifier import TOKEN_PATTERN, FixedTfidf

    kw = {"token_pattern": TOKEN_PATTERN} if analyzer == "word" else {}
    ref = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, norm=None, dtype=np.float32, **kw)
    expected = ref.fit_transform(TRICKY)
    terms = sorted(ref.vocabulary_, key=ref.vocabulary_.__getitem__)
    got = FixedTfidf(analyzer, ngrams, terms, ref.idf_).transform(TRICKY)
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-5)


def test_applying_a_model_does_not_import_scikit_learn(tmp_path, fx_model, taxonomy):
    import subprocess
    import sys

    from papertag.model.persist import save_model

    save_model(fx_model, tmp_path / "m", card={"taxonomy_sha256": taxonomy.sha256})
    code = ("import sys; from papertag.model.persist import load_model; "
            f"m = load_model({str(tmp_path / 'm')!r}); m.predict_proba(['We quantize weights.']); "
            "m.explain('We quantize weights.', 'technique/quantization'); "
            "print(any(k == 'sklearn' or k.startswith('sklearn.') for k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_labels_left_to_the_rules_are_never_tagged(fx_texts, fx_weak):
    # an impossible bar: every label is left to the rules, even at the model's most confident
    m = TagClassifier(**{**TINY_PARAMS, "min_cv_f1": 1.01}).fit(fx_texts, weighted_vote(fx_weak),
                                                                label_keys=fx_weak.label_keys)
    assert not m.predict(fx_texts).any()
    assert m.predict_proba(fx_texts).max() < 1.0
    j = m.label_keys.index("modality/video")
    assert m.review_low["modality/video"] == m.cv_metrics_["modality/video"]["best_threshold"] < 1.0
    assert m.thresholds["modality/video"] == UNTRAINED_THRESHOLD
    assert m.trained_[j]


def test_features_from_the_rule_engines_docs_equal_features_from_text(fx_model, fx_texts):
    """The tagger hands the model the docs the rules matched on; that must change nothing."""
    from papertag.nlp import get_nlp

    docs = list(get_nlp().pipe(fx_texts[:20]))
    np.testing.assert_array_equal(fx_model.features_docs(docs).toarray(), fx_model.features(fx_texts[:20]).toarray())


def test_models_from_before_the_tokenizer_option_load_as_regex(fx_model):
    import pickle

    state = fx_model.__getstate__()
    state.pop("tokenizer")
    old = TagClassifier.__new__(TagClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old.tokenizer == "regex"


def _top_terms(model, X, row, label, k=5):
    """Explanations the slow, obvious way: the row's terms by weight x coefficient, largest first."""
    coef = model.coef_.toarray()[model.label_keys.index(label)]
    a, b = X.indptr[row], X.indptr[row + 1]
    pairs = [(float(coef[c] * w), pos, c) for pos, (c, w) in enumerate(zip(X.indices[a:b], X.data[a:b]))]
    pairs.sort(key=lambda t: (-t[0], t[1]))  # ties in column order
    return [(str(model.feature_names_[c]), v) for v, _, c in pairs[:k] if v > 0]


def test_explanations_are_the_top_positive_contributions(fx_model, fx_texts):
    import random

    X = fx_model.features(fx_texts[:10])
    labels = [k for k in fx_model.label_keys if fx_model.trained_[fx_model.label_keys.index(k)]][:6]
    pairs = [(row, label) for row in range(10) for label in labels]
    random.Random(3).shuffle(pairs)  # any order, rows repeated
    got = fx_model.explain_batch(X, [r for r, _ in pairs], [label for _, label in pairs])
    assert got == [_top_terms(fx_model, X, r, label) for r, label in pairs]
    assert any(got)
    for row in range(10):
        assert fx_model.explain_many(X, row, labels) == [_top_terms(fx_model, X, row, k) for k in labels]
    assert fx_model.explain_batch(X, [], []) == []
    with pytest.raises(ValueError, match="one label per row"):
        fx_model.explain_batch(X, [0, 1], labels[:1])
    with pytest.raises(KeyError, match="unknown label"):
        fx_model.explain_many(X, 0, ["technique/nope"])

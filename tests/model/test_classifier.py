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

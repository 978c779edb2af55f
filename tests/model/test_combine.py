"""combine(): how the tagger merges rules and model for one paper."""

from __future__ import annotations

import numpy as np
import pytest

from papertag.model.combine import combine


class Model:
    label_keys = ("technique/quantization", "technique/quantization/post_training", "technique/pruning",
                  "modality/image", "hardware/gpu")
    thresholds = dict.fromkeys(label_keys, 0.6)
    review_low = dict.fromkeys(label_keys, 0.3)


RULE_THRESHOLDS = {"technique": 0.5, "modality": 0.5, "architecture": 0.5, "hardware": 0.5}

# (rule scores, model probs, tagged, source, needs_review)
CASES = [
    # rules alone tag; the model is unsure: rule, and no review (the rules decided)
    ({"technique/pruning": 0.9}, [0, 0, 0.4, 0, 0], {"technique/pruning"}, {"technique/pruning": "rule"}, []),
    # model alone tags
    ({}, [0, 0, 0, 0.7, 0], {"modality/image"}, {"modality/image": "model"}, []),
    # both
    ({"modality/image": 0.8}, [0, 0, 0, 0.9, 0], {"modality/image"}, {"modality/image": "rule+model"}, []),
    # rules below their threshold, model in its band: review
    ({"hardware/gpu": 0.3}, [0, 0, 0, 0, 0.45], set(), {}, ["hardware/gpu"]),
    # model tags a child, its parent is only in the band: the parent is implied, not for review
    ({}, [0.5, 0.65, 0, 0, 0], {"technique/quantization/post_training"},
     {"technique/quantization/post_training": "model"}, []),
    # below the band: nothing
    ({}, [0.1, 0, 0.29, 0, 0], set(), {}, []),
]


@pytest.mark.parametrize("rules, probs, tagged, source, review", CASES)
def test_combine(rules, probs, tagged, source, review):
    t, scores, s, r = combine(rules, RULE_THRESHOLDS, np.array(probs), Model())
    assert t == tagged
    assert s == source
    assert r == review
    for j, k in enumerate(Model.label_keys):
        assert scores[k] == pytest.approx(max(rules.get(k, 0.0), probs[j]))


class Corroborated(Model):
    corroborate = True


# (rule scores, model probs, tagged, needs_review) with corroboration
CORROBORATED = [
    # the model is sure but no rule saw anything: review, not a tag
    ({}, [0, 0, 0, 0.9, 0], set(), ["modality/image"]),
    # a weak rule hit (below the rules' threshold) plus a sure model: tagged by the model
    ({"modality/image": 0.2}, [0, 0, 0, 0.9, 0], {"modality/image"}, []),
    # rules tag on their own, as always
    ({"modality/image": 0.7}, [0, 0, 0, 0.1, 0], {"modality/image"}, []),
]


@pytest.mark.parametrize("rules, probs, tagged, review", CORROBORATED)
def test_combine_corroborated(rules, probs, tagged, review):
    t, _, _, r = combine(rules, RULE_THRESHOLDS, np.array(probs), Corroborated())
    assert (t, r) == (tagged, review)


def test_per_label_rule_threshold():
    t, *_ = combine({"hardware/gpu": 0.55}, {**RULE_THRESHOLDS, "hardware/gpu": 0.6}, np.zeros(5), Model())
    assert t == set()


def test_wrong_length():
    with pytest.raises(ValueError, match="has 2 values; expected one per model label"):
        combine({}, RULE_THRESHOLDS, [0.1, 0.2], Model())


def test_with_a_trained_model(fx_model, taxonomy):
    p = fx_model.predict_proba(["Structured Pruning of Image Classifiers\n\nWe prune redundant channels of image classifiers and remove half of the weights. It runs 3x faster on a single GPU."])[0]
    assert fx_model.corroborate
    tagged, scores, source, review = combine({"technique/pruning": 0.2}, RULE_THRESHOLDS, p, fx_model)
    assert "technique/pruning" in tagged and source["technique/pruning"] == "model"
    tagged, _, _, review = combine({}, RULE_THRESHOLDS, p, fx_model)
    assert "technique/pruning" not in tagged and "technique/pruning" in review
    assert set(scores) == set(taxonomy.keys)

"""Weak labels: the label matrix with abstains, weighted and majority votes, gold overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from papertag.gold import GoldLabel
from papertag.rules import RuleEngine, load_rules
from papertag.weak import (ABSTAIN, NEGATIVE, POSITIVE, WeakLabels, apply_gold, apply_rules, label_summary,
                           majority_vote, weighted_vote)

RULES = Path(__file__).parent / "model" / "data" / "rules"
Q = "technique/quantization"

# (id, title, abstract); the comments give the rule votes for technique/quantization
PAPERS = [
    ("title", "Quantization of Image Classifiers", "We report results on ImageNet."),      # +1, score 0.9
    ("vq", "Vector Quantization for Images", "We learn a codebook."),                       # veto only
    ("background", "A Study of Robustness", "Existing methods quantize weights of image models."),  # +1, weak
    ("conflict", "Quantization Meets Codebooks",
     "Our codebooks use vector quantization for the text tokens."),                          # +1 and veto
    ("none", "Rethinking Video Captioning", "We study video captioning on a GPU."),         # nothing
]
# expected targets for technique/quantization: (weighted, majority vote)
EXPECTED = {
    "title": (POSITIVE, POSITIVE),
    "vq": (NEGATIVE, NEGATIVE),
    "background": (ABSTAIN, POSITIVE),  # a passing mention: the engine's weights abstain, voting says yes
    "conflict": (POSITIVE, ABSTAIN),   # the title hit survives the veto elsewhere; votes tie 1:1
    "none": (NEGATIVE, NEGATIVE),
}


@pytest.fixture(scope="module")
def wl(taxonomy) -> WeakLabels:
    engine = RuleEngine(load_rules(taxonomy, RULES), taxonomy)
    return apply_rules(engine, PAPERS)


def test_matrix_shape(wl, taxonomy):
    assert wl.ids == tuple(p[0] for p in PAPERS)
    assert wl.label_keys == taxonomy.keys
    assert wl.scores.shape == wl.pos_votes.shape == wl.neg_votes.shape == (5, len(taxonomy.keys))
    assert wl.thresholds.shape == (len(taxonomy.keys),)


@pytest.mark.parametrize("pid", list(EXPECTED))
def test_weighted_and_majority_votes(wl, pid):
    i, j = wl.ids.index(pid), wl.label_keys.index(Q)
    assert (weighted_vote(wl)[i, j], majority_vote(wl)[i, j]) == EXPECTED[pid]


def test_votes(wl):
    j = wl.label_keys.index(Q)
    assert wl.pos_votes[:, j].tolist() == [1, 0, 1, 1, 0]
    assert wl.neg_votes[:, j].tolist() == [0, 1, 0, 1, 0]
    # a veto of the parent counts against its children too
    child = wl.label_keys.index("technique/quantization/post_training")
    assert wl.neg_votes[:, child].tolist() == [0, 1, 0, 1, 0]


def test_other_facets(wl):
    y = weighted_vote(wl)
    assert y[wl.ids.index("none"), wl.label_keys.index("modality/video")] == POSITIVE
    assert y[wl.ids.index("none"), wl.label_keys.index("hardware/gpu")] == POSITIVE
    assert y[wl.ids.index("title"), wl.label_keys.index("modality/image")] == POSITIVE


def test_rule_tagged_matches_weighted_positives(wl):
    assert np.array_equal(wl.rule_tagged(), weighted_vote(wl) == POSITIVE)


def test_apply_gold_overrides_judged_facets_only(wl):
    gold = {"background": GoldLabel("background", {"technique": ("quantization", "quantization/post_training")},
                                    ("technique",)),
            "unknown-paper": GoldLabel("unknown-paper", {"technique": ()}, ("technique",))}
    y = weighted_vote(wl)
    out, is_gold = apply_gold(y, wl.ids, wl.label_keys, gold)
    i = wl.ids.index("background")
    assert out[i, wl.label_keys.index(Q)] == POSITIVE
    assert out[i, wl.label_keys.index("technique/quantization/post_training")] == POSITIVE
    assert out[i, wl.label_keys.index("technique/pruning")] == NEGATIVE
    assert is_gold[i].sum() == sum(k.startswith("technique/") for k in wl.label_keys)
    # other facets and other papers untouched
    facet_cols = [j for j, k in enumerate(wl.label_keys) if not k.startswith("technique/")]
    assert np.array_equal(out[:, facet_cols], y[:, facet_cols])
    assert np.array_equal(np.delete(out, i, axis=0), np.delete(y, i, axis=0))


def test_label_summary(wl):
    t = label_summary(weighted_vote(wl), wl.label_keys, baseline=majority_vote(wl))
    row = t.loc[Q]
    assert (row["positive"], row["negative"], row["abstain"], row["baseline_positive"]) == (2, 2, 1, 2)
    assert row["agreement"] == 1.0  # where neither abstains (title, vq, none) they agree


def test_save_load_roundtrip(wl, tmp_path):
    wl.save(tmp_path / "w.npz")
    back = WeakLabels.load(tmp_path / "w.npz")
    assert back.ids == wl.ids and back.label_keys == wl.label_keys
    assert np.array_equal(back.scores, wl.scores) and np.array_equal(back.neg_votes, wl.neg_votes)
    assert np.array_equal(back.subset([1, 3]).scores, wl.scores[[1, 3]])


def test_shape_mismatch_message():
    with pytest.raises(ValueError, match=r"WeakLabels.scores has shape \(1, 1\); expected \(2, 1\)"):
        WeakLabels(("a", "b"), ("modality/image",), np.zeros((1, 1)), np.zeros((2, 1)), np.zeros((2, 1)),
                   np.zeros(1))

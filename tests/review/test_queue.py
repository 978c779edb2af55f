"""Queue strategies order papers as documented."""

from __future__ import annotations

import pytest

from papertag.gold import GoldLabel
from papertag.review.queue import order_queue
from papertag.tagger import TaggedPaper

RULE_THR = {"technique": 0.5, "modality": 0.5, "architecture": 0.5, "hardware": 0.5}
MODEL_THR = {"technique/pruning": 0.6, "technique/quantization": 0.6, "modality/image": 0.5, "modality/text": 0.5}


def paper(pid, *, rules=None, probs=None, review=(), labels=None):
    return TaggedPaper(id=pid, title=pid, labels=labels or {"technique": [], "modality": []}, scores={}, evidence={},
                       claims=[], source={}, needs_review=list(review), rule_scores=rules or {},
                       model_probs=probs or {})


def test_uncertainty_puts_the_abstain_band_first_then_the_smallest_margin():
    ps = [paper("sure", probs={"technique/pruning": 0.99, "modality/image": 0.01}),
          paper("close", probs={"technique/pruning": 0.62, "modality/image": 0.0}),
          paper("band", probs={"technique/pruning": 0.4}, review=["technique/pruning"])]
    q = order_queue(ps, "uncertainty", rule_thresholds=RULE_THR, model_thresholds=MODEL_THR)
    assert [x.id for x in q] == ["band", "close", "sure"]
    assert "abstain band" in q[0].reason and "technique/pruning is 0.02" in q[1].reason


def test_disagreement_counts_labels_rules_and_model_tag_differently():
    ps = [paper("agree", rules={"technique/pruning": 0.9}, probs={"technique/pruning": 0.9}),
          paper("two", rules={"technique/pruning": 0.9, "modality/text": 0.8},
                probs={"technique/quantization": 0.7, "modality/text": 0.9}),
          paper("one", rules={"modality/image": 0.9}, probs={"modality/image": 0.1})]
    q = order_queue(ps, "disagreement", rule_thresholds=RULE_THR, model_thresholds=MODEL_THR)
    assert [x.id for x in q] == ["two", "one", "agree"]
    assert q[0].reason == "rules only: technique/pruning; model only: technique/quantization"


def test_thin_prefers_cells_with_few_gold_papers():
    gold = {f"g{i}": GoldLabel(id=f"g{i}", labels={"technique": ("pruning",), "modality": ("image",)},
                               facets=("technique", "modality")) for i in range(3)}
    ps = [paper("crowded", labels={"technique": ["pruning"], "modality": ["image"]}),
          paper("empty", labels={"technique": ["pruning"], "modality": ["audio"]}),
          paper("none", labels={"technique": [], "modality": ["text"]})]
    q = order_queue(ps, "thin", rule_thresholds=RULE_THR, gold=gold)
    assert [x.id for x in q] == ["empty", "crowded", "none"]
    assert q[0].reason == "cell pruning x audio has 0 gold paper(s)"


def test_random_is_seeded_and_conflicts_keep_only_conflicts():
    ps = [paper(f"p{i}") for i in range(20)]
    a = [x.id for x in order_queue(ps, "random", rule_thresholds=RULE_THR, seed=1)]
    assert a == [x.id for x in order_queue(ps, "random", rule_thresholds=RULE_THR, seed=1)]
    assert a != [x.id for x in order_queue(ps, "random", rule_thresholds=RULE_THR, seed=2)]
    assert sorted(a) == sorted(p.id for p in ps)
    q = order_queue(ps, "conflicts", rule_thresholds=RULE_THR, conflict_ids={"p3", "p7"})
    assert [x.id for x in q] == ["p3", "p7"]
    with pytest.raises(ValueError, match="unknown strategy"):
        order_queue(ps, "vibes", rule_thresholds=RULE_THR)

"""--where, --since, --until, --min-score, --source and --venue on the hand-written papers."""

from __future__ import annotations

import pytest

from papertag.gold import GoldLabel
from papertag.report import Filters, ReportError, apply_filters, parse_where


def ids(papers):
    return [p["id"] for p in papers]


def test_where_is_and_across_flags_or_within_one(papers, taxonomy):
    f = Filters(where=parse_where(["technique=quantization"], taxonomy))
    assert ids(apply_filters(papers, f, taxonomy)) == ["p1", "p3", "p5", "p8"]
    f = Filters(where=parse_where(["technique=quantization", "modality=text"], taxonomy))
    assert ids(apply_filters(papers, f, taxonomy)) == ["p1", "p3", "p5"]
    f = Filters(where=parse_where(["technique=distillation,peft"], taxonomy))
    assert ids(apply_filters(papers, f, taxonomy)) == ["p4", "p7"]
    f = Filters(where=parse_where(["technique=quantization/post_training"], taxonomy))
    assert ids(apply_filters(papers, f, taxonomy)) == ["p1"]


@pytest.mark.parametrize(("item", "message"), [
    ("technique", "expected FACET=LABEL"),
    ("colour=red", "unknown facet 'colour'"),
    ("technique=quantisation", "did you mean 'quantization'"),
    ("modality=llm", "unknown modality label 'llm'"),
])
def test_bad_where_says_what_is_expected(taxonomy, item, message):
    with pytest.raises(ReportError, match=message):
        parse_where([item], taxonomy)


def test_years(papers, taxonomy):
    assert ids(apply_filters(papers, Filters(since=2023), taxonomy)) == ["p3", "p4", "p5", "p6", "p7"]
    assert ids(apply_filters(papers, Filters(since=2023, until=2023), taxonomy)) == ["p3", "p4"]


def test_min_score_and_source_drop_labels_not_papers(papers, taxonomy):
    out = {p["id"]: p for p in apply_filters(papers, Filters(min_score=0.8), taxonomy)}
    assert out["p3"]["labels"]["technique"] == ["pruning"]  # quantization scored 0.6
    assert len(out) == 8
    out = {p["id"]: p for p in apply_filters(papers, Filters(source="rule"), taxonomy)}
    assert out["p3"]["labels"]["technique"] == ["pruning"]  # quantization came from the model
    assert out["p3"]["source"] == {"technique/pruning": "rule", "modality/image": "rule", "modality/text": "rule",
                                   "architecture/vision_transformer": "rule"}
    out = {p["id"]: p for p in apply_filters(papers, Filters(source="model"), taxonomy)}
    assert out["p3"]["labels"]["technique"] == ["quantization"] and out["p1"]["labels"]["technique"] == []


def test_a_kept_child_keeps_its_parent(papers, taxonomy):
    papers[0]["source"]["technique/quantization"] = "model"  # parent by model, child by rule
    out = apply_filters(papers, Filters(source="rule"), taxonomy)
    assert out[0]["labels"]["technique"] == ["quantization", "quantization/post_training"]


def test_source_gold_uses_the_gold_labels(papers, taxonomy):
    gold = {"p2": GoldLabel("p2", {"technique": ("quantization",), "modality": ("image",)},
                            ("technique", "modality"))}
    out = apply_filters(papers, Filters(source="gold"), taxonomy, gold=gold)
    assert ids(out) == ["p2"] and out[0]["labels"]["technique"] == ["quantization"]
    assert out[0]["source"] == {"technique/quantization": "gold", "modality/image": "gold"}
    with pytest.raises(ReportError, match="needs a gold set"):
        apply_filters(papers, Filters(source="gold"), taxonomy)


def test_venue(papers, taxonomy):
    assert ids(apply_filters(papers, Filters(venues=("cvpr", "acl")), taxonomy)) == ["p2", "p4"]
    assert ids(apply_filters(papers, Filters(venues=("none",)), taxonomy)) == ["p3", "p5", "p6", "p7", "p8"]


def test_describe():
    f = Filters(where=(("technique", ("quantization",)),), since=2023, min_score=0.8, source="rule")
    assert f.describe() == "technique=quantization; year >= 2023; label score >= 0.8; source = rule"
    assert Filters().describe() == "none" and not Filters().active

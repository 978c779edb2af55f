"""Folding decisions into gold: latest decision wins, conflicts, adjudication, unsure, set aside."""

from __future__ import annotations

from papertag.review.fold import fold
from papertag.review.log import LabelDecision, new_submission


def s(pid, who, *keys, answer=None, role="reviewer", facets=None, time="2026-01-01T00:00:00+00:00", note=None):
    decs = [LabelDecision(k.split("/", 1)[0], k.split("/", 1)[1], "add") for k in keys]
    return new_submission(pid, who, decs, answer=answer, role=role, facets=facets, time=time, note=note)


def by_id(res):
    return {e["id"]: e for e in res.entries}


def test_agreeing_reviewers_make_gold(taxonomy):
    res = fold([s("p", "ana", "technique/pruning/structured", "modality/image"),
                s("p", "ben", "technique/pruning/structured", "modality/image")], taxonomy)
    assert res.conflicts == []
    e = by_id(res)["p"]
    assert e["labels"]["technique"] == ["pruning", "pruning/structured"]
    assert e["labels"]["modality"] == ["image"] and e["labels"]["hardware"] == []
    assert e["reviewer"] == "ana,ben" and e["reviewers"] == ["ana", "ben"]


def test_a_reviewers_latest_decision_wins(taxonomy):
    res = fold([s("p", "ana", "technique/pruning"), s("p", "ana", "technique/distillation", note="changed my mind",
                                                       time="2026-01-02T00:00:00+00:00")], taxonomy)
    e = by_id(res)["p"]
    assert e["labels"]["technique"] == ["distillation"] and e["note"] == "changed my mind"
    assert e["time"] == "2026-01-02T00:00:00+00:00"


def test_disagreement_leaves_the_facet_out_and_lists_it(taxonomy):
    res = fold([s("p", "ana", "technique/pruning", "modality/text"),
                s("p", "ben", "technique/distillation", "modality/text")], taxonomy)
    e = by_id(res)["p"]
    assert "technique" not in e["facets"] and e["labels"]["modality"] == ["text"]
    [c] = res.conflicts
    assert (c.id, c.kind, c.facet) == ("p", "labels", "technique")
    assert c.by_reviewer == {"ana": ["pruning"], "ben": ["distillation"]}
    assert c.differing() == ["distillation", "pruning"]


def test_adjudicator_wins(taxonomy):
    subs = [s("p", "ana", "technique/pruning"), s("p", "ben", "technique/distillation"),
            s("p", "cho", "technique/pruning", "technique/distillation", role="adjudicator", facets=["technique"])]
    res = fold(subs, taxonomy)
    e = by_id(res)["p"]
    assert e["labels"]["technique"] == ["distillation", "pruning"] and e["reviewer"] == "cho"
    assert res.conflicts == []
    assert set(e["facets"]) == {"technique", "modality", "architecture", "hardware"}


def test_unsure_is_not_gold(taxonomy):
    res = fold([s("p", "ana", "technique/pruning", answer="unsure")], taxonomy)
    assert res.entries == [] and [c.kind for c in res.conflicts] == ["unsure"]
    res = fold([s("p", "ana", "technique/pruning", answer="unsure"), s("p", "ben", "technique/pruning")], taxonomy)
    assert by_id(res)["p"]["labels"]["technique"] == ["pruning"] and res.conflicts == []


def test_set_aside(taxonomy):
    res = fold([s("p", "ana", answer="reject"), s("p", "ben", answer="reject")], taxonomy)
    assert by_id(res)["p"]["answer"] == "reject"
    res = fold([s("p", "ana", answer="reject"), s("p", "ben", "technique/nas")], taxonomy)
    assert res.entries == [] and [c.kind for c in res.conflicts] == ["answer"]


def test_adjudication_keeps_the_papers_split_and_provenance(taxonomy):
    a = new_submission("p", "ana", [], strategy="gold-migration", split="eval", extra={"round": 2})
    b = new_submission("p", "ben", [LabelDecision("modality", "text", "add")], strategy="random")
    c = new_submission("p", "cho", [], role="adjudicator", strategy="conflicts")
    e = by_id(fold([a, b, c], taxonomy))["p"]
    assert (e["reviewer"], e["split"], e["round"]) == ("cho", "eval", 2)


def test_split_eval_is_sticky(taxonomy):
    a = new_submission("p", "ana", [], strategy="random")
    b = new_submission("p", "ben", [], strategy="uncertainty")
    assert (a.split, b.split) == ("eval", "train")
    assert by_id(fold([a, b], taxonomy))["p"]["split"] == "eval"

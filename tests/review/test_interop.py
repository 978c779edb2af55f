"""Label Studio and Prodigy: export, import back, refuse what does not fit."""

from __future__ import annotations

import json

import pytest

from papertag.records import Record
from papertag.review.fold import fold
from papertag.review.interop import (ImportFileError, export_labelstudio, export_prodigy, import_decisions,
                                     labelstudio_config)
from papertag.review.log import LabelDecision, new_submission

RECORDS = {"p1": Record(id="p1", title="Tiny 4-bit LLMs", abstract="We quantize an LLM to 4 bits on a GPU."),
           "p2": Record(id="p2", title="Pruned CNNs", abstract="We prune channels of a CNN for phones.")}


def subs():
    return [
        new_submission("p1", "ana", [LabelDecision("technique", "quantization/post_training", "accept", 0.9, "rule"),
                                     LabelDecision("modality", "text", "add")], time="2026-01-01T00:00:00+00:00"),
        new_submission("p2", "ana", [LabelDecision("technique", "pruning/structured", "add"),
                                     LabelDecision("hardware", "mobile", "add")], note="phones",
                       time="2026-01-01T00:01:00+00:00"),
        new_submission("p2", "ben", [LabelDecision("technique", "pruning", "add")], time="2026-01-01T00:02:00+00:00"),
    ]


def gold_of(ss, taxonomy):
    return {e["id"]: (e["labels"], e["facets"]) for e in fold(ss, taxonomy).entries}, \
        [(c.id, c.facet) for c in fold(ss, taxonomy).conflicts]


@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy"])
def test_round_trip_keeps_the_gold_set(tmp_path, taxonomy, fmt):
    original = subs()
    if fmt == "labelstudio":
        data = export_labelstudio(original, RECORDS)
        path = tmp_path / "export.json"
        path.write_text(json.dumps(data))
        assert data[0]["data"]["text"] == RECORDS["p1"].text
        assert {"from_name": "technique", "to_name": "text", "type": "choices",
                "value": {"choices": ["quantization", "quantization/post_training"]}} in data[0]["annotations"][0]["result"]
    else:
        data = export_prodigy(original, RECORDS, taxonomy)
        path = tmp_path / "export.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in data))
        assert data[0]["accept"] == ["technique/quantization", "technique/quantization/post_training",
                                     "modality/text"]
        assert data[0]["_annotator_id"] == "ana" and data[0]["meta"]["id"] == "p1"
    back = import_decisions(path, taxonomy=taxonomy)
    assert len(back) == 3 and {s.reviewer for s in back} == {"ana", "ben"}
    assert gold_of(back, taxonomy) == gold_of(original, taxonomy)
    assert back[0].text_hash is not None
    # importing the same file into a log that has it already adds nothing
    assert import_decisions(path, taxonomy=taxonomy, existing=back) == []


def test_labelstudio_unknown_label_names_task_and_annotation(tmp_path, taxonomy):
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"data": {"paper_id": "p9", "text": "x"}, "annotations": [
        {"completed_by": 3, "result": [{"from_name": "technique", "to_name": "text", "type": "choices",
                                        "value": {"choices": ["telepathy"]}}]}]}]))
    with pytest.raises(ImportFileError, match=r"task 1 \(p9\), annotation 1: unknown label 'telepathy'"):
        import_decisions(path, taxonomy=taxonomy)


def test_prodigy_bad_line_and_missing_annotator(tmp_path, taxonomy):
    path = tmp_path / "p.jsonl"
    path.write_text('{"meta": {"id": "p1"}, "accept": ["modality/text"], "answer": "accept"}\n{oops\n')
    with pytest.raises(ImportFileError) as exc:
        import_decisions(path, taxonomy=taxonomy)
    assert "line 1: no annotator" in str(exc.value) and "line 2: not valid JSON" in str(exc.value)
    path.write_text('{"meta": {"id": "p1"}, "accept": ["modality/text"], "answer": "ignore"}\n')
    [s] = import_decisions(path, taxonomy=taxonomy, reviewer="cho")
    assert s.reviewer == "cho" and s.answer == "unsure"


def test_labelstudio_config_lists_every_label(taxonomy):
    cfg = labelstudio_config(taxonomy)
    assert cfg.count("<Choices ") == 4 and cfg.count("<Choice ") == len(taxonomy.keys)
    assert '<Choice value="quantization/post_training"' in cfg


def test_reimport_without_timestamps_is_idempotent(tmp_path, taxonomy, monkeypatch):
    """Non-regression test: an export without times was imported again when a second had passed."""
    import papertag.review.interop as interop

    path = tmp_path / "p.jsonl"
    path.write_text('{"meta": {"id": "p1"}, "accept": ["modality/text"], "answer": "accept", "_annotator_id": "cho"}\n')
    monkeypatch.setattr(interop, "now_iso", lambda: "2026-01-01T00:00:00+00:00")
    first = import_decisions(path, taxonomy=taxonomy)
    monkeypatch.setattr(interop, "now_iso", lambda: "2026-01-01T00:00:07+00:00")
    assert import_decisions(path, taxonomy=taxonomy, existing=first) == []


TAGGED = [  # papertag tag output (the fields the export reads)
    {"id": "p3", "title": "Sparse experts on phones",
     "labels": {"technique": ["pruning"], "modality": [], "architecture": ["moe"], "hardware": ["mobile"]},
     "scores": {"technique/pruning": 0.91, "architecture/moe": 0.62, "hardware/mobile": 0.88, "modality/text": 0.2},
     "evidence": {"architecture/moe": [{"model": "tfidf-lr", "score": 0.62, "terms": [["experts", 0.4]]}]},
     "needs_review": ["modality/text"]},
    {"id": "p1", "title": "Tiny 4-bit LLMs", "labels": {"technique": [], "modality": [], "architecture": [],
                                                       "hardware": []}, "scores": {}, "evidence": {}},
]


def test_labelstudio_pre_annotations_from_tagged_papers(tmp_path, taxonomy):
    data = export_labelstudio(subs(), RECORDS, TAGGED)
    assert [t["data"]["paper_id"] for t in data] == ["p3", "p1", "p2"]  # predicted papers first, in their order
    p3, p1 = data[0], data[1]
    assert p3["data"]["text"] == "Sparse experts on phones"  # no record: the tagged title
    assert p3["data"]["needs_review"] == "modality/text" and p3["annotations"] == []
    (pred,) = p3["predictions"]
    assert pred["model_version"] == "papertag:tfidf-lr" and pred["score"] == 0.62  # its least certain label
    assert {(r["from_name"], tuple(r["value"]["choices"])) for r in pred["result"]} == {
        ("technique", ("pruning",)), ("architecture", ("moe",)), ("hardware", ("mobile",))}
    assert p1["data"]["text"] == RECORDS["p1"].text  # the record's text, and ana's annotation beside the prediction
    assert p1["predictions"][0] == {"model_version": "papertag:rules", "score": 0.0, "result": []}
    assert [a["completed_by"]["email"] for a in p1["annotations"]] == ["ana"]
    # importing the export back reads the reviewers' annotations, never papertag's predictions
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    back = import_decisions(path, taxonomy=taxonomy)
    assert sorted((s.id, s.reviewer) for s in back) == [("p1", "ana"), ("p2", "ana"), ("p2", "ben")]

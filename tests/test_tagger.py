"""The tagger joins rules, claims and hierarchy into the output schema."""

from __future__ import annotations

import pytest

from papertag.records import Record
from papertag.rules import RuleResult, prepare
from papertag.tagger import Tagger


@pytest.fixture(scope="module")
def tagger(engine):
    return Tagger(engine=engine)


def test_child_label_comes_with_its_parent(tagger):
    paper = tagger.tag_text("GPTQ-style post-training quantization for vision transformers")
    assert "quantization/post_training" in paper.labels["technique"]
    assert "quantization" in paper.labels["technique"]
    assert paper.scores["technique/quantization"] >= paper.scores["technique/quantization/post_training"]


def test_claims_point_into_the_output_text(tagger):
    title = "Fast inference"
    abstract = "Our 4-bit model is $3.4\\times$ faster on an NVIDIA A100 GPU."
    paper = tagger.tag_text(title, abstract)
    text = title + "\n\n" + abstract
    kinds = {c["kind"] for c in paper.claims}
    assert {"bits", "speedup", "hardware"} <= kinds
    for c in paper.claims:
        assert text[c["start"]:c["end"]] == c["text"]
    speedup = next(c for c in paper.claims if c["kind"] == "speedup")
    assert speedup["value"] == pytest.approx(3.4)
    assert "\\times" in speedup["text"]


def test_named_device_is_evidence_for_its_hardware_label(tagger):
    paper = tagger.tag_text("Serving models", "Latency is measured on a Jetson Orin board.")
    assert "edge" in paper.labels["hardware"]
    # where no rule cites the device, the claim itself is the evidence
    title, abstract = "Serving models", "Latency is measured on a Jetson Orin board."
    prep = prepare(title, abstract)
    claims = tagger._claims(prep)
    empty = RuleResult()
    tagger._add_device_evidence(empty, claims)
    (hit,) = empty.hits["hardware/edge"]
    assert hit.rule == "claims.device" and hit.text == "Jetson Orin board"
    assert empty.scores["hardware/edge"] >= 0.5


def test_order_and_ids_are_kept_across_batches(tagger):
    records = [Record(id=f"r{i}", title=f"Paper {i} on channel pruning" if i % 2 else f"Paper {i}")
               for i in range(7)]
    out = list(tagger.tag(records, batch_size=3))
    assert [p.id for p in out] == [r.id for r in records]
    assert all(p.record is r for p, r in zip(out, records))


def test_a_paper_with_no_text_signal_gets_empty_facets(tagger):
    paper = tagger.tag_text("On the migration of birds")
    assert paper.labels == {"technique": [], "modality": [], "architecture": [], "hardware": []}
    assert paper.evidence == {} and paper.source == {}

"""Loading for reports: tagged and untagged inputs side by side, gold papers found or tagged from a corpus."""

from __future__ import annotations

import json

import pytest

from papertag.errors import IngestError
from papertag.report.load import is_tagged_file, load_papers
from papertag.report.session import load_gold_papers, make_filters, open_session
from papertag.report import ReportError


def test_tagged_and_untagged_inputs_together(tmp_path, all_papers, engine):
    from papertag.tagger import Tagger

    tagged = tmp_path / "tagged.jsonl"
    tagged.write_text("".join(json.dumps(p) + "\n" for p in all_papers[:2]))
    raw = tmp_path / "raw.jsonl"
    raw.write_text(json.dumps({"id": "r1", "title": "Post-training 4-bit quantization of large language models"})
                   + "\n" + json.dumps({"id": "p1", "title": "A duplicate id"}) + "\n")
    assert is_tagged_file(str(tagged)) and not is_tagged_file(str(raw))
    res = load_papers([str(tagged), str(raw)], tagger_factory=lambda: Tagger(engine=engine, with_claims=False))
    assert [p["id"] for p in res.papers] == ["p1", "p2", "r1"]  # the first paper with an id wins
    assert res.tagged_here == 2 and res.duplicates == 1
    assert "quantization" in res.papers[2]["labels"]["technique"]


def test_missing_input_and_empty_glob_are_errors(tmp_path):
    with pytest.raises(IngestError, match="file not found"):
        load_papers([str(tmp_path / "nope.jsonl")])
    with pytest.raises(IngestError, match="no file matches"):
        load_papers([str(tmp_path / "*.jsonl")])


def test_gold_papers_not_in_the_input_are_tagged_from_the_corpus(tmp_path, all_papers):
    tagged = tmp_path / "tagged.jsonl"
    tagged.write_text("".join(json.dumps(p) + "\n" for p in all_papers))
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "g1", "title": "Structured channel pruning of convolutional networks"}) + "\n"
                      + json.dumps({"id": "other", "title": "Unrelated"}) + "\n")
    session = open_session([str(tagged)], rules_only=True)
    found = load_gold_papers(session, ["p1", "g1", "g2"], [str(corpus)])
    assert [p["id"] for p in found] == ["p1", "g1"]  # g2 is nowhere
    assert "pruning" in found[1]["labels"]["technique"]


def test_filter_arguments_are_checked(taxonomy):
    with pytest.raises(ReportError, match="after --until"):
        make_filters(taxonomy, since=2024, until=2020)
    with pytest.raises(ReportError, match="between 0 and 1"):
        make_filters(taxonomy, min_score=80)
    with pytest.raises(ReportError, match="rule, model or gold"):
        make_filters(taxonomy, source="human")

"""Migration of a gold file into the log, and export back: the gold set is reproduced."""

from __future__ import annotations

import json

import pytest

from papertag.gold import load_gold
from papertag.resources import labels_dir
from papertag.review.gold_io import MigrationError, export_gold, migrate_gold
from papertag.review.log import LabelDecision, append_submission, new_submission

GOLD_LINES = [
    {"id": "a", "labels": {"technique": ["quantization/post_training"], "modality": ["text"], "architecture": ["llm"],
                           "hardware": []}, "facets": ["technique", "modality", "architecture", "hardware"],
     "reviewer": "annotator-1", "time": "2026-05-01T12:00:00+00:00", "answer": "accept", "note": "4-bit PTQ",
     "round": 2, "stratum": "targeted:ptq"},
    {"id": "b", "labels": {"technique": [], "modality": ["image"]}, "facets": ["technique", "modality"],
     "reviewer": "annotator-1", "time": "2026-05-01T12:01:00+00:00", "answer": "accept"},
]


def same(a, b):
    assert list(a) == list(b)
    for k in a:
        x, y = a[k], b[k]
        assert (x.keys, x.facets, x.answer, x.note, x.reviewer, x.time) == \
               (y.keys, y.facets, y.answer, y.note, y.reviewer, y.time), k


def test_migrate_then_export_reproduces_the_gold_file(tmp_path, taxonomy):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in GOLD_LINES))
    log = tmp_path / "decisions.jsonl"
    assert migrate_gold(gold, log, taxonomy=taxonomy) == 2
    out = tmp_path / "out.jsonl"
    res = export_gold(log, out, taxonomy=taxonomy)
    assert res.written == 2 and res.fold.conflicts == []
    same(load_gold(gold, taxonomy), load_gold(out, taxonomy))
    first = json.loads(out.read_text().splitlines()[0])
    assert first["round"] == 2 and first["stratum"] == "targeted:ptq" and first["split"] == "eval"
    with pytest.raises(MigrationError, match="migrated already"):
        migrate_gold(gold, log, taxonomy=taxonomy)


def test_new_reviews_join_the_export_and_split_filters(tmp_path, taxonomy):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in GOLD_LINES))
    log = tmp_path / "decisions.jsonl"
    migrate_gold(gold, log, taxonomy=taxonomy)
    append_submission(log, new_submission("c", "reviewer-2", [LabelDecision("technique", "pruning", "accept", 0.8)],
                                          strategy="uncertainty"), taxonomy=taxonomy)
    out = tmp_path / "all.jsonl"
    export_gold(log, out, taxonomy=taxonomy)
    assert list(load_gold(out, taxonomy)) == ["a", "b", "c"]
    export_gold(log, out, taxonomy=taxonomy, split="train")
    assert list(load_gold(out, taxonomy)) == ["c"]
    export_gold(log, out, taxonomy=taxonomy, reviewers=["annotator-1"])
    assert list(load_gold(out, taxonomy)) == ["a", "b"]


def test_committed_log_folds_to_the_committed_gold_set(tmp_path, taxonomy):
    """labels/decisions.jsonl is the source; labels/gold.jsonl must be its export."""
    log = labels_dir() / "decisions.jsonl"
    out = tmp_path / "gold.jsonl"
    res = export_gold(log, out, taxonomy=taxonomy)
    assert res.torn is None and res.incomplete == []
    same(load_gold(labels_dir() / "gold.jsonl", taxonomy), load_gold(out, taxonomy))
    assert len(load_gold(out, taxonomy)) >= 500

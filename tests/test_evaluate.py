"""Evaluation: per-label and per-facet P/R/F1 on a hand-made gold set, the systems, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertag.evaluate import disagreements, evaluate, per_label_counts, resolve_gold_records, summarize
from papertag.gold import GoldLabel, load_gold
from papertag.model.classifier import TagClassifier
from papertag.model.data import read_corpus
from papertag.model.train import normalized_texts
from papertag.records import Record
from papertag.rules import RuleEngine, load_rules
from papertag.weak import apply_rules, weighted_vote

DATA = Path(__file__).parent / "model" / "data"
ALL = ("technique", "modality", "architecture", "hardware")
KEYS = ["technique/quantization", "technique/pruning", "modality/image", "modality/text", "modality/video"]

GOLD = {
    "p1": GoldLabel("p1", {"technique": ("quantization",), "modality": ("image",)}, ALL),
    "p2": GoldLabel("p2", {"technique": (), "modality": ("text",)}, ALL),
    "p3": GoldLabel("p3", {"technique": ("pruning",), "modality": ("image", "text")}, ALL),
    "p4": GoldLabel("p4", {"modality": ("video",)}, ("modality",)),  # technique not judged
}
PRED = {
    "p1": {"technique/quantization", "modality/image"},
    "p2": {"technique/quantization", "modality/text"},
    "p3": {"modality/image"},
    "p4": {"technique/pruning", "modality/video", "modality/image"},  # pruning: not judged, not counted
}
# label: (tp, fp, fn, precision, recall, f1), worked out by hand
EXPECTED = {
    "technique/quantization": (1, 1, 0, 0.5, 1.0, 2 / 3),
    "technique/pruning": (0, 0, 1, 0.0, 0.0, 0.0),
    "modality/image": (2, 1, 0, 2 / 3, 1.0, 0.8),
    "modality/text": (1, 0, 1, 1.0, 0.5, 2 / 3),
    "modality/video": (1, 0, 0, 1.0, 1.0, 1.0),
}
# facet: (micro P, micro R, micro F1, macro F1)
EXPECTED_SUMMARY = {
    "technique": (0.5, 0.5, 0.5, (2 / 3 + 0) / 2),
    "modality": (0.8, 0.8, 0.8, (0.8 + 2 / 3 + 1) / 3),
    "all": (5 / 7, 5 / 7, 5 / 7, (2 / 3 + 0 + 0.8 + 2 / 3 + 1) / 5),
}


@pytest.mark.parametrize("label", list(EXPECTED))
def test_per_label_counts(label):
    t = per_label_counts(GOLD, PRED, KEYS)
    row = t.loc[label]
    assert (row.tp, row.fp, row.fn) == EXPECTED[label][:3]
    assert (row.precision, row.recall, row.f1) == pytest.approx(EXPECTED[label][3:])


@pytest.mark.parametrize("facet", list(EXPECTED_SUMMARY))
def test_summary(facet):
    s = summarize(per_label_counts(GOLD, PRED, KEYS)).loc[facet]
    got = (s.micro_precision, s.micro_recall, s.micro_f1, s.macro_f1)
    assert got == pytest.approx(EXPECTED_SUMMARY[facet])


def test_paper_missing_from_predictions_predicts_nothing():
    t = per_label_counts(GOLD, {}, KEYS)
    assert t["tp"].sum() == 0 and t["fp"].sum() == 0 and t["fn"].sum() == 7  # every gold positive


def test_disagreements():
    rules = {"p1": {"modality/image"}, "p2": set()}
    model = {"p1": {"modality/image", "technique/quantization"}, "p2": {"modality/video"}}
    d = disagreements(GOLD, rules, model, KEYS)
    assert [(x["id"], x["label"], x["rules"], x["model"], x["gold"], x["right"]) for x in d] == [
        ("p1", "technique/quantization", False, True, True, "model"),
        ("p2", "modality/video", False, True, False, "rules"),
    ]


def test_resolve_gold_records():
    gold = {"a": GoldLabel("a", {}, ALL), "b": GoldLabel("b", {}, ALL, title="T", abstract="A"),
            "c": GoldLabel("c", {}, ALL)}
    recs, missing = resolve_gold_records(gold, {"a": Record(id="a", title="from corpus", year=2020)})
    assert [(r.id, r.title) for r in recs] == [("a", "from corpus"), ("b", "T")]
    assert missing == ["c"]


@pytest.fixture(scope="module")
def fx_report(taxonomy):
    engine = RuleEngine(load_rules(taxonomy, DATA / "rules"), taxonomy)
    corpus = read_corpus([DATA / "papers.jsonl"])
    gold = load_gold(DATA / "gold.jsonl", taxonomy)
    train = [r for r in corpus.records if r.id not in gold]
    wl = apply_rules(engine, ((r.id, r.title, r.abstract) for r in train))
    model = TagClassifier(min_df=1, max_df=1.0, max_features=300, min_positives=5).fit(
        normalized_texts(train), weighted_vote(wl), label_keys=wl.label_keys)
    records, missing = resolve_gold_records(gold, corpus.by_id())
    assert not missing
    return evaluate(gold, records, model=model, taxonomy=taxonomy, engine=engine), gold


def test_evaluate_runs_every_system(fx_report):
    report, gold = fx_report
    assert report.n_papers == len(gold) == 40
    assert set(report.per_label) == {"rules", "rules_mv", "model", "combined"}
    for name, summary in report.summary.items():
        assert 0 <= summary.loc["all", "micro_f1"] <= 1, name
    # the fixture's rules and model both see these synthetic papers well
    assert report.summary["combined"].loc["modality", "micro_f1"] > 0.9


def test_report_outputs(fx_report, tmp_path):
    report, _ = fx_report
    d = report.to_dict()
    json.dumps(d)
    assert d["systems"]["combined"]["description"] == "rules + model"
    assert set(d["systems"]["model"]["per_facet"]) == set(ALL)
    table = report.format_table()
    assert "rules + model" in table and "Per label" in table
    report.write_json(tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["n_papers"] == 40


def test_exclude_everything_is_an_error(fx_report, taxonomy):
    from papertag.errors import PapertagError

    _, gold = fx_report
    with pytest.raises(PapertagError, match="no gold paper left to evaluate"):
        evaluate(gold, [], taxonomy=taxonomy)

"""``analyze_rules``: Snorkel-style coverage, overlaps, conflicts and empirical precision per rule."""

from __future__ import annotations

import pytest

from papertag.rules.analysis import analyze_rules

PAPERS = [
    ("p1", "Quantization of detectors", "We propose PTQ for GPUs."),
    ("p2", "Vector quantization for tokenizers", ""),
    ("p3", "A study of birds", "Nothing to see."),
    ("p4", "Quantization of birds", ""),
]
GOLD = {"p1": {"technique/quantization", "technique/quantization/post_training", "hardware/gpu"},
        "p2": set(), "p3": set(), "p4": set(), "not-in-input": {"technique/quantization"}}


@pytest.fixture(scope="module")
def stats(small_engine):
    return analyze_rules(small_engine, PAPERS, GOLD)


def row(stats, rule, label):
    df = stats.rules
    return df[(df["rule"] == rule) & (df["label"] == label)].iloc[0]


def test_coverage_counts_papers(stats):
    r = row(stats, "quant.core", "technique/quantization")
    assert r["papers"] == 3 and r["coverage"] == pytest.approx(3 / 4)
    assert row(stats, "gpu.core", "hardware/gpu")["papers"] == 1


def test_overlaps_and_conflicts(stats):
    core = row(stats, "quant.core", "technique/quantization")
    assert core["overlaps"] == pytest.approx(1 / 4)  # p1: quant.ptq gives the parent too
    assert core["conflicts"] == pytest.approx(1 / 4)  # p2: the vector-quantization veto fires
    assert core["kept"] == pytest.approx(2 / 3)
    veto = row(stats, "quant.not_vq", "technique/quantization")
    assert veto["polarity"] == "veto" and veto["conflicts"] == pytest.approx(1 / 4)


def test_empirical_precision_against_gold(stats):
    core = row(stats, "quant.core", "technique/quantization")
    assert (core["correct"], core["incorrect"]) == (1, 1)  # p1 right, p4 wrong (p2 was vetoed)
    assert core["emp_precision"] == pytest.approx(0.5)


def test_label_table_scores_only_gold_papers_in_the_input(stats):
    assert stats.n_gold == 4
    lab = stats.labels.set_index("label").loc["technique/quantization"]
    assert lab["gold"] == 1 and lab["papers_tagged"] == 2
    assert lab["precision"] == pytest.approx(0.5) and lab["recall"] == pytest.approx(1.0)

"""Gold-corrected counts: n * P / R with a Beta interval, thin gold flagged."""

from __future__ import annotations

import math

import pandas as pd

from papertag.gold import GoldLabel
from papertag.report.correct import MIN_SUPPORT, corrected_count, gold_quality


def quality(**rows):
    df = pd.DataFrame.from_dict(rows, orient="index", columns=["tp", "fp", "fn"])
    df["thin"] = (df["tp"] + df["fn"] < MIN_SUPPORT) | (df["tp"] + df["fp"] < MIN_SUPPORT)
    return df


def test_one_label_estimate_is_n_times_precision_over_recall():
    q = quality(a=(40, 10, 40))  # P = 0.8, R = 0.5
    est = corrected_count(100, ["a"], q)
    assert math.isclose(est.estimate, 160.0)
    assert est.low < 160 < est.high and not est.thin
    assert est.format().startswith("160 (") and "\u2020" not in est.format()


def test_cell_estimate_multiplies_both_labels():
    q = quality(a=(40, 10, 40), b=(30, 0, 30))  # Pa .8 Ra .5; Pb 1 Rb .5
    est = corrected_count(50, ["a", "b"], q)
    assert math.isclose(est.estimate, 50 * 0.8 * 1.0 / (0.5 * 0.5))


def test_more_gold_gives_a_narrower_interval():
    small = corrected_count(100, ["a"], quality(a=(4, 1, 4)))
    large = corrected_count(100, ["a"], quality(a=(80, 20, 80)))
    assert math.isclose(small.estimate, large.estimate)
    assert (large.high - large.low) < (small.high - small.low) / 2
    assert small.thin and not large.thin and small.format().endswith("\u2020")


def test_no_true_positive_means_no_estimate():
    est = corrected_count(12, ["a"], quality(a=(0, 3, 2)))
    assert not est.available and est.format() == "n/a"


def test_estimates_are_capped_and_reproducible():
    q = quality(a=(10, 0, 90))  # recall .1: 900 from 90
    est = corrected_count(90, ["a"], q, cap=500)
    assert est.estimate == 500 and est.high <= 500
    assert corrected_count(90, ["a"], q) == corrected_count(90, ["a"], q)


def test_gold_quality_counts_on_judged_facets():
    gold = {"x": GoldLabel("x", {"technique": ("quantization",)}, ("technique",)),
            "y": GoldLabel("y", {"technique": ()}, ("technique",))}
    pred = {"x": {"technique/quantization", "modality/text"}, "y": {"technique/quantization"}}
    q = gold_quality(gold, pred, ["technique/quantization", "modality/text"])
    assert q.loc["technique/quantization", ["tp", "fp", "fn"]].tolist() == [1, 1, 0]
    assert q.loc["modality/text", ["tp", "fp", "fn"]].tolist() == [0, 0, 0]  # modality not judged
    assert bool(q.loc["technique/quantization", "thin"])

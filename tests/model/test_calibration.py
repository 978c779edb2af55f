"""Calibrators, thresholds and reliability tables."""

from __future__ import annotations

import numpy as np
import pytest

from papertag.model.calibration import (Calibrator, best_threshold, expected_calibration_error,
                                        reliability_table)


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    s = rng.normal(size=4000)
    p_true = 1 / (1 + np.exp(-(2 * s - 1)))
    y = rng.random(4000) < p_true
    return s, y


@pytest.mark.parametrize("kind", ["sigmoid", "isotonic"])
def test_calibrated_probabilities_match_frequencies(scored, kind):
    s, y = scored
    cal = Calibrator(kind).fit(s, y)
    p = cal(s)
    assert np.all((p >= 0) & (p <= 1))
    assert expected_calibration_error(y, p) < 0.03
    assert np.all(np.diff(cal(np.linspace(-4, 4, 50))) >= -1e-6)  # monotone


def test_auto_picks_sigmoid_for_few_positives(scored):
    s, y = scored
    assert Calibrator("auto").fit(s[:100], y[:100]).kind_ == "sigmoid"
    assert Calibrator("auto").fit(s, y).kind_ == "isotonic"


def test_bad_kind():
    with pytest.raises(ValueError, match="The 'kind' parameter of Calibrator must be"):
        Calibrator("platt").fit(np.zeros(3), np.array([0, 1, 0]))


# (y, p, expected threshold, precision, recall at it)
THRESHOLD_CASES = [
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.225, 2 / 3, 1.0),   # tag 0.8, 0.4, 0.35; halfway to 0.1
    ([0, 1, 1, 1], [0.2, 0.6, 0.7, 0.9], 0.4, 1.0, 1.0),       # halfway between 0.6 and 0.2
    ([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3], 0.6, 1.0, 1.0),       # halfway between 0.9 and 0.3
]


@pytest.mark.parametrize("y, p, t, prec, rec", THRESHOLD_CASES)
def test_best_threshold(y, p, t, prec, rec):
    got = best_threshold(np.array(y), np.array(p))
    assert got.threshold == pytest.approx(t)
    assert got.precision == pytest.approx(prec)
    assert got.recall == pytest.approx(rec)


def test_best_threshold_without_positives():
    assert best_threshold(np.zeros(4), np.array([0.1, 0.2, 0.3, 0.4])).f1 == 0.0


def test_reliability_table():
    y = np.array([0, 0, 1, 1, 1])
    p = np.array([0.05, 0.15, 0.85, 0.95, 1.0])
    t = reliability_table(y, p, bins=10)
    assert t["bin"].tolist() == ["[0.0, 0.1)", "[0.1, 0.2)", "[0.8, 0.9)", "[0.9, 1.0]"]
    assert t["n"].tolist() == [1, 1, 1, 2]
    assert t["observed"].tolist() == [0.0, 0.0, 1.0, 1.0]

"""Gold-corrected counts: how many papers really carry a label (or a pair of labels), with an interval.

For a label with precision P and recall R on the gold set, ``n`` predicted papers hold about
``n * P`` true ones, which are a fraction R of all true ones, so the true count is about
``n * P / R``. For a cell (two labels a, b) the estimate is ``n * (Pa * Pb) / (Ra * Rb)``, which
assumes the two labels' errors are independent.

The interval is a Monte Carlo one: P and R are drawn from their Beta posteriors (Jeffreys prior,
``Beta(tp + 1/2, fp + 1/2)`` and ``Beta(tp + 1/2, fn + 1/2)``), the estimate is computed per draw, and
the 2.5 % and 97.5 % quantiles are reported. It covers the uncertainty from the gold set's size only:
not the gold set being a non-random sample, nor the papers counted differing from the gold papers.

A label is *thin* when the gold set has fewer than :data:`MIN_SUPPORT` true papers for it or the
tagger predicted it for fewer than :data:`MIN_SUPPORT` gold papers; its interval is wide and the
report marks it. With no true positive on gold there is no estimate at all.

Example
-------
>>> q = pd.DataFrame({"tp": [40], "fp": [10], "fn": [10]}, index=["technique/pruning"])
>>> est = corrected_count(100, ["technique/pruning"], q)
>>> round(est.estimate), est.low < 100 < est.high, est.thin
(100, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_SUPPORT = 10
DRAWS = 4000
SEED = 20250611

__all__ = ["Estimate", "MIN_SUPPORT", "corrected_count", "gold_quality"]


@dataclass(frozen=True)
class Estimate:
    """A corrected count: point estimate and 95 % interval (``nan`` when there is no estimate)."""

    predicted: int
    estimate: float
    low: float
    high: float
    thin: bool

    @property
    def available(self) -> bool:
        return bool(np.isfinite(self.estimate))

    def format(self) -> str:
        """``"118 (92-151)"``; ``"n/a"`` without an estimate; a dagger marks thin gold."""
        if not self.available:
            return "n/a"
        mark = "\u2020" if self.thin else ""
        return f"{self.estimate:,.0f} ({self.low:,.0f}\u2013{self.high:,.0f}){mark}"


def gold_quality(gold: Mapping[str, object], predicted: Mapping[str, Iterable[str]],
                 label_keys: Sequence[str]) -> pd.DataFrame:
    """Per label: ``tp``, ``fp``, ``fn``, ``support``, ``precision``, ``recall``, ``thin``, for
    ``predicted`` (paper id -> label keys) on the gold papers (see :func:`papertag.evaluate.per_label_counts`)."""
    from ..evaluate import per_label_counts

    table = per_label_counts(gold, {k: set(v) for k, v in predicted.items()}, list(label_keys))  # type: ignore[arg-type]
    table["predicted_on_gold"] = table["tp"] + table["fp"]
    table["thin"] = (table["support"] < MIN_SUPPORT) | (table["predicted_on_gold"] < MIN_SUPPORT)
    return table


def corrected_count(n_pred: int, keys: Sequence[str], quality: pd.DataFrame, *, cap: int | None = None,
                    draws: int = DRAWS, seed: int = SEED) -> Estimate:
    """The estimated true count of papers carrying every label in ``keys`` (one label: a row or
    column total; two: a cell), from ``n_pred`` predicted papers and the labels' gold counts."""
    nan = float("nan")
    if any(k not in quality.index for k in keys):
        return Estimate(n_pred, nan, nan, nan, True)
    rows = quality.loc[list(keys)]
    tp, fp, fn = (rows[c].to_numpy(dtype=float) for c in ("tp", "fp", "fn"))
    thin = bool(rows["thin"].any()) if "thin" in rows else bool(((tp + fn) < MIN_SUPPORT).any())
    if (tp == 0).any():
        return Estimate(n_pred, nan, nan, nan, True)
    point = n_pred * float(np.prod(tp / (tp + fp)) / np.prod(tp / (tp + fn)))
    if n_pred == 0:
        return Estimate(0, 0.0, 0.0, 0.0, thin)
    rng = np.random.default_rng(seed + n_pred)
    p = rng.beta(tp + 0.5, fp + 0.5, size=(draws, len(keys))).prod(axis=1)
    r = rng.beta(tp + 0.5, fn + 0.5, size=(draws, len(keys))).prod(axis=1)
    sims = n_pred * p / r
    low, high = (float(x) for x in np.quantile(sims, [0.025, 0.975]))
    if cap is not None:
        point, low, high = min(point, cap), min(low, cap), min(high, cap)
    return Estimate(n_pred, point, low, high, thin)

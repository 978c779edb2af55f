"""Turning decision scores into probabilities, choosing thresholds, and checking both.

A :class:`Calibrator` maps one label's decision scores to probabilities: Platt scaling
(``"sigmoid"``) when a label has few examples, isotonic regression otherwise (piecewise
linear between the isotonic steps, so it stays monotone and keeps most of the ranking).
It is fitted on out-of-fold scores, as ``CalibratedClassifierCV(ensemble=False)`` does.

Examples
--------
>>> import numpy as np
>>> y = np.array([0, 0, 1, 1]); p = np.array([0.1, 0.4, 0.35, 0.8])
>>> t = best_threshold(y, p)
>>> round(float(t.threshold), 3), round(t.f1, 3)
(0.225, 0.8)
>>> reliability_table(y, p, bins=2)["n"].tolist()
[3, 1]
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

AUTO_ISOTONIC_MIN = 200  # isotonic needs this many positives and negatives; Platt scaling below
MAX_PROB = 0.9999  # no text makes a label certain; and a threshold of 1.0 then means "never"


class Calibrator:
    """A monotone map from decision scores to probabilities for one label.

    Parameters
    ----------
    kind:
        ``"sigmoid"`` (Platt scaling), ``"isotonic"``, or ``"auto"``: isotonic when both classes
        have at least ``AUTO_ISOTONIC_MIN`` examples, sigmoid otherwise.

    Attributes
    ----------
    kind_:
        The kind actually fitted.
    a_, b_:
        Sigmoid parameters: ``p = 1 / (1 + exp(-(a_ * s + b_)))``.
    x_, y_:
        Isotonic knots (float32); probabilities are interpolated linearly between them.
    """

    def __init__(self, kind: str = "auto") -> None:
        self.kind = kind

    def fit(self, scores: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> Calibrator:
        scores = np.asarray(scores, dtype=np.float64).ravel()
        y = np.asarray(y).ravel().astype(np.float64)
        if self.kind not in ("auto", "sigmoid", "isotonic"):
            raise ValueError(f"The 'kind' parameter of Calibrator must be 'auto', 'sigmoid' or 'isotonic'. "
                             f"Got {self.kind!r} instead.")
        n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
        kind = self.kind
        if kind == "auto":
            kind = "isotonic" if min(n_pos, n_neg) >= AUTO_ISOTONIC_MIN else "sigmoid"
        self.kind_ = kind
        if kind == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
            iso.fit(scores, y, sample_weight=sample_weight)
            self.x_ = iso.X_thresholds_.astype(np.float32)
            self.y_ = iso.y_thresholds_.astype(np.float32)
        else:
            from sklearn.linear_model import LogisticRegression

            # Platt's targets avoid overconfident 0/1 fits on small samples
            t_pos, t_neg = (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0)
            targets = np.where(y > 0, t_pos, t_neg)
            X = np.concatenate([scores, scores])[:, None]
            w = np.concatenate([targets, 1.0 - targets])
            if sample_weight is not None:
                w = w * np.concatenate([sample_weight, sample_weight])
            lab = np.concatenate([np.ones_like(y), np.zeros_like(y)])
            lr = LogisticRegression(C=1e6, max_iter=1000).fit(X, lab, sample_weight=w)
            self.a_, self.b_ = float(lr.coef_[0, 0]), float(lr.intercept_[0])
        return self

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities for ``scores``, in ``[0, MAX_PROB]``."""
        scores = np.asarray(scores, dtype=np.float64)
        if self.kind_ == "isotonic":
            p = np.interp(scores, self.x_, self.y_)
        else:
            p = 1.0 / (1.0 + np.exp(-np.clip(self.a_ * scores + self.b_, -50.0, 50.0)))
        return np.minimum(p, MAX_PROB).astype(np.float32)

    def __repr__(self) -> str:
        if not hasattr(self, "kind_"):
            return f"Calibrator(kind={self.kind!r})"
        if self.kind_ == "isotonic":
            return f"Calibrator(isotonic, {len(self.x_)} knots)"
        return f"Calibrator(sigmoid, a={self.a_:.3g}, b={self.b_:.3g})"


@dataclass(frozen=True)
class Threshold:
    """A decision threshold and what it gives on the data it was chosen on."""

    threshold: float
    precision: float
    recall: float
    f1: float


def best_threshold(y: np.ndarray, p: np.ndarray, *, beta: float = 1.0, lo: float = 0.05, hi: float = 0.95
                   ) -> Threshold:
    """The probability threshold that maximizes F-beta of ``p >= threshold`` against ``y``.

    Cuts are tried between distinct values of ``p`` in ``[lo, hi]``; ties go to the cut that
    tags fewer papers. The threshold is set halfway between the lowest tagged probability and
    the next lower one, so it does not sit on a training paper's score. With no positive in
    ``y`` the threshold is ``hi``.
    """
    y = np.asarray(y).astype(bool).ravel()
    p = np.asarray(p, dtype=np.float64).ravel()
    n_pos = int(y.sum())
    if n_pos == 0 or len(p) == 0:
        return Threshold(hi, 0.0, 0.0, 0.0)
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ps) + 1)
    # candidate cut after each distinct value: tag everything with p >= ps[i]
    last = np.r_[ps[1:] != ps[:-1], True]
    cand = np.flatnonzero(last & (ps >= lo) & (ps <= hi))
    if len(cand) == 0:
        t = hi if ps[0] < lo else lo
        tagged = p >= t
        return _measure(y, tagged, t, beta)
    prec = tp[cand] / k[cand]
    rec = tp[cand] / n_pos
    b2 = beta * beta
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(prec + rec > 0, (1 + b2) * prec * rec / (b2 * prec + rec), 0.0)
    b = int(np.flatnonzero(f == f.max())[0])  # the fewest tags among the best
    i = cand[b]
    # put the threshold halfway to the next lower score, not on the last tagged paper's score:
    # the same papers are tagged, with a margin for unseen ones
    below = ps[i + 1] if i + 1 < len(ps) else max(lo, ps[i] - 0.05)
    t = float(max(lo, (ps[i] + below) / 2))
    f1 = 2 * prec[b] * rec[b] / (prec[b] + rec[b]) if prec[b] + rec[b] else 0.0
    return Threshold(t, float(prec[b]), float(rec[b]), float(f1))


def _measure(y: np.ndarray, tagged: np.ndarray, t: float, beta: float) -> Threshold:
    tp = int((tagged & y).sum())
    prec = tp / tagged.sum() if tagged.sum() else 0.0
    rec = tp / y.sum() if y.sum() else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return Threshold(float(t), float(prec), float(rec), float(f1))


def reliability_table(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> pd.DataFrame:
    """Predicted probability vs observed frequency in equal-width bins (a reliability diagram as a table).

    Columns: ``bin`` (``"[0.9, 1.0]"``), ``n``, ``mean_prob``, ``observed`` (share of positives).
    Empty bins are left out.
    """
    import pandas as pd

    y = np.asarray(y, dtype=np.float64).ravel()
    p = np.asarray(p, dtype=np.float64).ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1], right=False), 0, bins - 1)
    rows = []
    for b in range(bins):
        sel = idx == b
        if not sel.any():
            continue
        close = "]" if b == bins - 1 else ")"
        rows.append({"bin": f"[{edges[b]:.1f}, {edges[b + 1]:.1f}{close}", "n": int(sel.sum()),
                     "mean_prob": round(float(p[sel].mean()), 4), "observed": round(float(y[sel].mean()), 4)})
    return pd.DataFrame(rows, columns=["bin", "n", "mean_prob", "observed"])


def expected_calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> float:
    """Mean |observed - predicted| over bins, weighted by bin size."""
    t = reliability_table(y, p, bins=bins)
    if t.empty:
        return float("nan")
    return float((t["n"] * (t["observed"] - t["mean_prob"]).abs()).sum() / t["n"].sum())

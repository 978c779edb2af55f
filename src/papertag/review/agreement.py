"""Agreement between reviewers, per label and overall.

An *item* is one (paper, label) pair in a facet a reviewer judged (answers ``accept`` or
``correct``; each reviewer's latest judgement of the facet). Its value is 1 when the
reviewer gave the label (accepted or added it, or a child of it), else 0.

- Pairs of reviewers: Cohen's kappa over the items both judged
  (:func:`sklearn.metrics.cohen_kappa_score`), per label and pooled over all labels.
- All reviewers together: Krippendorff's alpha (nominal; missing judgements allowed),
  per label and pooled (the ``krippendorff`` package).

A label no reviewer gave (or every reviewer gave on every shared item) has no variation:
kappa and alpha are undefined there and reported as ``None``, with the raw percent agreement.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from ..taxonomy import Taxonomy, load_taxonomy
from .fold import latest_by_reviewer
from .log import Submission

__all__ = ["AgreementReport", "agreement", "cohen_kappa", "krippendorff_alpha"]


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two raters' binary values (``None`` when undefined)."""
    if not len(a):
        return None
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = float(cohen_kappa_score(list(a), list(b)))
    return None if math.isnan(k) else k


def krippendorff_alpha(matrix: np.ndarray) -> float | None:
    """Nominal Krippendorff's alpha of a raters x items matrix (``nan`` = not judged)."""
    import krippendorff

    m = np.asarray(matrix, dtype=float)
    paired = np.sum(~np.isnan(m), axis=0) >= 2
    m = m[:, paired]
    if m.shape[1] == 0 or len(np.unique(m[~np.isnan(m)])) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = float(krippendorff.alpha(reliability_data=m, level_of_measurement="nominal"))
    return None if math.isnan(a) else a


@dataclass
class AgreementReport:
    reviewers: list[str]
    papers_shared: int  # papers judged by two or more reviewers
    overall: dict[str, Any] = field(default_factory=dict)  # alpha, items, percent agreement
    pairs: list[dict[str, Any]] = field(default_factory=list)  # per pair: kappa, items, agreement
    labels: list[dict[str, Any]] = field(default_factory=list)  # per label: alpha, kappa per pair

    def to_dict(self) -> dict[str, Any]:
        return {"reviewers": self.reviewers, "papers_shared": self.papers_shared, "overall": self.overall,
                "pairs": self.pairs, "labels": self.labels}

    def format_table(self, *, all_labels: bool = False) -> str:
        def f(x: float | None) -> str:
            return "   n/a" if x is None else f"{x:6.3f}"

        lines = [f"Reviewers: {', '.join(self.reviewers) or 'none'}; papers judged by two or more: "
                 f"{self.papers_shared}"]
        if self.papers_shared == 0:
            lines.append("No paper has decisions from two reviewers yet: nothing to compare (review with "
                         "--overlap 2 so that papers reach a second reviewer).")
            return "\n".join(lines)
        lines.append(f"Overall (pooled over labels): Krippendorff's alpha {f(self.overall.get('alpha'))}, "
                     f"{self.overall.get('items', 0)} items, {self.overall.get('agreement', 0):.1%} agree")
        for p in self.pairs:
            lines.append(f"  {p['a']} vs {p['b']}: Cohen's kappa {f(p['kappa'])} over {p['items']} items "
                         f"({p['papers']} papers), {p['agreement']:.1%} agree")
        varied = [r["alpha"] for r in self.labels if r["alpha"] is not None]
        if varied:
            lines.append(f"Mean alpha over the {len(varied)} labels someone gave: {sum(varied) / len(varied):.3f} "
                         "(the pooled figure counts every label nobody gave as agreement)")
        lines.append("")
        lines.append(f"{'label':<44} {'items':>6} {'pos':>5} {'agree':>7} {'alpha':>7} {'kappa':>7}")
        lines.append("-" * 80)
        quiet = [r for r in self.labels if r["positives"] == 0]
        for row in self.labels:
            if row["positives"] == 0 and not all_labels:
                continue
            kappas = [k for k in row["kappa"].values() if k is not None]
            kappa = sum(kappas) / len(kappas) if kappas else None
            lines.append(f"{row['label']:<44} {row['items']:>6} {row['positives']:>5} {row['agreement']:>7.1%} "
                         f"{f(row['alpha']):>7} {f(kappa):>7}")
        if quiet and not all_labels:
            lines.append(f"({len(quiet)} labels nobody gave on the shared papers are not shown)")
        lines.append("(kappa: mean over reviewer pairs; n/a: no variation, so undefined)")
        return "\n".join(lines)


def agreement(subs: Sequence[Submission], taxonomy: Taxonomy | None = None) -> AgreementReport:
    """Agreement of the reviewers (adjudicators left out) over the papers they share."""
    tax = taxonomy or load_taxonomy()
    latest = latest_by_reviewer(s for s in subs if s.role != "adjudicator")
    reviewers = sorted({r for per in latest.values() for r in per})
    # values[label][(paper, reviewer)] = 0/1 for judged facets
    values: dict[str, dict[tuple[str, str], int]] = {k: {} for k in tax.keys}
    shared = 0
    for pid, per in latest.items():
        judged_by = 0
        for r, facets in per.items():
            any_facet = False
            for facet in tax.facets:
                s = facets.get(facet)
                if s is None or s.answer not in ("accept", "correct"):
                    continue
                any_facet = True
                pos = s.positives(facet)
                for k in tax.facet_keys(facet):
                    values[k][(pid, r)] = int(tax[k].id in pos)
            judged_by += any_facet
        shared += judged_by >= 2
    rep = AgreementReport(reviewers, shared)
    if shared == 0:
        return rep
    r_index = {r: n for n, r in enumerate(reviewers)}
    pooled_cols: list[np.ndarray] = []
    pair_vals: dict[tuple[str, str], tuple[list[int], list[int], set[str]]] = {
        p: ([], [], set()) for p in combinations(reviewers, 2)}
    for k in tax.keys:
        v = values[k]
        papers = sorted({pid for pid, _ in v})
        m = np.full((len(reviewers), len(papers)), np.nan)
        for j, pid in enumerate(papers):
            for r in reviewers:
                if (pid, r) in v:
                    m[r_index[r], j] = v[(pid, r)]
        both = np.sum(~np.isnan(m), axis=0) >= 2
        m = m[:, both]
        if m.shape[1] == 0:
            continue
        pooled_cols.append(m)
        kappas: dict[str, float | None] = {}
        for a, b in combinations(reviewers, 2):
            ia, ib = r_index[a], r_index[b]
            mask = ~np.isnan(m[ia]) & ~np.isnan(m[ib])
            xa, xb = m[ia][mask].astype(int).tolist(), m[ib][mask].astype(int).tolist()
            if xa:
                kappas[f"{a} vs {b}"] = cohen_kappa(xa, xb)
                pa, pb, pp = pair_vals[(a, b)]
                pa.extend(xa)
                pb.extend(xb)
                pp.update(np.array(papers)[both][mask].tolist())
        rep.labels.append({"label": k, "items": int(m.shape[1]), "positives": int(np.nansum(m)),
                           "agreement": _agree(m), "alpha": krippendorff_alpha(m), "kappa": kappas})
    if pooled_cols:
        allm = np.concatenate(pooled_cols, axis=1)
        rep.overall = {"alpha": krippendorff_alpha(allm), "items": int(allm.shape[1]), "agreement": _agree(allm)}
    for (a, b), (xa, xb, papers_ab) in pair_vals.items():
        if xa:
            rep.pairs.append({"a": a, "b": b, "kappa": cohen_kappa(xa, xb), "items": len(xa),
                              "papers": len(papers_ab),
                              "agreement": sum(x == y for x, y in zip(xa, xb)) / len(xa)})
    return rep


def _agree(m: np.ndarray) -> float:
    """Share of items on which every reviewer who judged it gave the same value."""
    ok = 0
    for col in m.T:
        vals = col[~np.isnan(col)]
        ok += len(set(vals.tolist())) == 1
    return ok / m.shape[1] if m.shape[1] else 0.0

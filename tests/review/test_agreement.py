"""Agreement numbers checked by hand on a small example."""

from __future__ import annotations

import numpy as np
import pytest

from papertag.review.agreement import agreement, cohen_kappa, krippendorff_alpha
from papertag.review.log import LabelDecision, new_submission

# ten papers; does each reviewer give technique/pruning?
ANA = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
BEN = [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]


def test_cohen_kappa_by_hand():
    # p_o = 8/10; p_e = .3*.3 + .7*.7 = .58; kappa = (.8 - .58) / (1 - .58) = .52381
    assert cohen_kappa(ANA, BEN) == pytest.approx(0.22 / 0.42)
    assert cohen_kappa([0, 0], [0, 0]) is None  # no variation: undefined


def test_krippendorff_alpha_by_hand():
    # coincidences: o00 = 12, o11 = 4, o01 = o10 = 2; n0 = 14, n1 = 6, n = 20
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 19 * 4 / 168 = .54762
    assert krippendorff_alpha(np.array([ANA, BEN], dtype=float)) == pytest.approx(1 - 76 / 168)


def test_agreement_report_from_submissions(taxonomy):
    subs = []
    for i, (a, b) in enumerate(zip(ANA, BEN)):
        for who, v in (("ana", a), ("ben", b)):
            decs = [LabelDecision("technique", "pruning", "add")] if v else []
            decs.append(LabelDecision("modality", "text", "add"))  # both always give text
            subs.append(new_submission(f"p{i}", who, decs))
    subs.append(new_submission("solo", "ana", [LabelDecision("technique", "nas", "add")]))  # not shared
    rep = agreement(subs, taxonomy)
    assert rep.reviewers == ["ana", "ben"] and rep.papers_shared == 10
    rows = {r["label"]: r for r in rep.labels}
    pr = rows["technique/pruning"]
    assert pr["items"] == 10 and pr["positives"] == 6 and pr["agreement"] == pytest.approx(0.8)
    assert pr["kappa"]["ana vs ben"] == pytest.approx(0.22 / 0.42)
    assert pr["alpha"] == pytest.approx(1 - 76 / 168)
    assert rows["modality/text"]["alpha"] is None and rows["modality/text"]["agreement"] == 1.0
    [pair] = rep.pairs
    assert pair["papers"] == 10 and pair["items"] == 10 * len(taxonomy.keys)
    assert 0.5 < rep.overall["alpha"] < 1.0
    assert "Cohen's kappa" in rep.format_table()


def test_three_reviewers_alpha_with_missing():
    # units (one column each): (1,1,1) (0,0,-) (1,0,1) (0,0,0); pairable values n = 11
    # only unit 3 disagrees: its 0 pairs with two 1s, weighted 1/(m-1) = 1/2 -> o01 = o10 = 1
    # n0 = 2 + 1 + 3 = 6, n1 = 3 + 2 = 5; alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 20/60
    m = np.array([[1, 0, 1, 0], [1, 0, 0, 0], [1, np.nan, 1, 0]])
    assert krippendorff_alpha(m) == pytest.approx(1 - 10 * 2 / (2 * 6 * 5))

"""Trends and rising labels on the hand-written papers (see conftest.py)."""

from __future__ import annotations

import math

import pandas as pd

from papertag.report import label_trends, long_frame, papers_frame, rising_labels
from papertag.report.trends import NO_VENUE, venue_mix, venue_series


def trends(papers, taxonomy):
    return label_trends(long_frame(papers, taxonomy), papers_frame(papers), "technique",
                        labels=["quantization", "pruning", "distillation", "peft"])


def test_counts_and_shares_per_year(papers, taxonomy):
    t = trends(papers, taxonomy)
    assert t.totals.to_dict() == {2022: 2, 2023: 2, 2024: 3}  # p8 has no year; p6 counts in 2024
    assert t.counts.loc["quantization"].tolist() == [1, 1, 1]
    assert t.counts.loc["pruning"].tolist() == [1, 1, 0]
    assert t.shares.loc["quantization"].round(4).tolist() == [0.5, 0.5, 0.3333]
    assert t.shares.loc["peft"].round(4).tolist() == [0.0, 0.0, 0.3333]
    long = t.long()
    row = long[(long["label"] == "pruning") & (long["year"] == 2023)].iloc[0]
    assert (row["papers"], row["papers_that_year"], row["share"]) == (1, 2, 0.5)


def test_rising_labels_compare_pooled_shares(papers, taxonomy):
    r = rising_labels(trends(papers, taxonomy), window=1, min_papers=1)
    # 2024 vs 2023: peft 0 -> 1/3 (+33.3 pp); quantization 1/2 -> 1/3 (-16.7 pp);
    # pruning and distillation have no 2024 paper, so they are not ranked
    assert r["label"].tolist() == ["peft", "quantization"]
    assert round(r.loc[0, "change_pp"], 2) == 33.33 and math.isinf(r.loc[0, "ratio"])
    assert round(r.loc[1, "change_pp"], 2) == -16.67 and round(r.loc[1, "ratio"], 4) == 0.6667
    assert r.attrs == {"last": [2024], "before": [2023]}


def test_rising_with_a_two_year_window(papers, taxonomy):
    r = rising_labels(trends(papers, taxonomy), last_year=2024, window=2, min_papers=1)
    # 2023-2024 (5 papers) vs 2021-2022 (2 papers): quantization 2/5 vs 1/2 -> -10 pp
    row = r.set_index("label").loc["quantization"]
    assert (row["papers_before"], row["papers_last"]) == (1, 2)
    assert round(row["change_pp"], 6) == -10.0


def test_no_rising_labels_without_an_earlier_period(papers, taxonomy):
    r = rising_labels(trends(papers, taxonomy), last_year=2023, window=2)
    assert r.empty  # 2020-2021 has no papers


def test_venue_series_and_mix(papers):
    assert venue_series("NeurIPS 2023") == "NeurIPS" and venue_series(None) == NO_VENUE
    mix = venue_mix(papers_frame(papers))
    assert mix.loc[2022, ["CVPR", "ICML"]].tolist() == [1, 1] and mix.loc[2022].sum() == 2
    assert int(mix.loc[2024, NO_VENUE]) == 3
    assert isinstance(mix, pd.DataFrame) and mix.sum().sum() == 7

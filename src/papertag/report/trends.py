"""Papers per label per year, their share of all papers of that year, and the labels rising fastest.

Example
-------
>>> import pandas as pd
>>> papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "year": [2023, 2023, 2024, 2024]})
>>> long = pd.DataFrame({"id": ["a", "c", "d"], "facet": ["technique"] * 3,
...                      "label": ["pruning", "pruning", "pruning"], "year": [2023, 2024, 2024]})
>>> t = label_trends(long, papers, "technique")
>>> t.counts.loc["pruning"].tolist(), t.shares.loc["pruning"].tolist()
([1, 2], [0.5, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Trends", "label_trends", "rising_labels", "venue_mix"]

NO_VENUE = "no venue (preprints)"


@dataclass
class Trends:
    """``counts``/``shares``: labels x years; ``totals``: papers per year (every paper with a year,
    tagged in this facet or not): the denominator of ``shares``."""

    facet: str
    counts: pd.DataFrame
    shares: pd.DataFrame
    totals: pd.Series

    def long(self) -> pd.DataFrame:
        """One row per (label, year): ``label``, ``year``, ``papers``, ``papers_that_year``, ``share``."""
        c = self.counts.stack().rename("papers")
        s = self.shares.stack().rename("share")
        out = pd.concat([c, s], axis=1).reset_index()
        out.columns = ["label", "year", "papers", "share"]
        out["papers_that_year"] = out["year"].map(self.totals).astype("int64")
        out.insert(0, "facet", self.facet)
        return out[["facet", "label", "year", "papers", "papers_that_year", "share"]]


def label_trends(long: pd.DataFrame, papers: pd.DataFrame, facet: str, *,
                 labels: Sequence[str] | None = None) -> Trends:
    """Papers per (label, year) of ``facet``; papers without a year are left out.

    ``labels`` fixes the rows and their order (default: the labels present, by total count).
    """
    dated = papers.dropna(subset=["year"])
    years = sorted(int(y) for y in dated["year"].unique())
    totals = dated.groupby(dated["year"].astype("int64"))["id"].nunique().reindex(years, fill_value=0)
    rows = long[(long["facet"] == facet)].dropna(subset=["year"])[["id", "label", "year"]].drop_duplicates()
    rows = rows.assign(year=rows["year"].astype("int64"))
    counts = rows.groupby(["label", "year"])["id"].nunique().unstack(fill_value=0)
    counts = counts.reindex(columns=years, fill_value=0)
    if labels is None:
        labels = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
    counts = counts.reindex(list(labels), fill_value=0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = counts.div(totals.replace(0, np.nan), axis=1).fillna(0.0)
    counts.index.name = shares.index.name = "label"
    counts.columns.name = shares.columns.name = "year"
    totals.index.name = "year"
    return Trends(facet, counts, shares, totals)


def rising_labels(trends: Trends, *, last_year: int | None = None, window: int = 2, min_papers: int = 5
                  ) -> pd.DataFrame:
    """Labels ranked by how much their share grew: the last ``window`` calendar years against the
    ``window`` years before.

    A period's share is pooled (papers with the label / all papers in those years), so a small,
    partial last year does not swing it. Labels with fewer than ``min_papers`` papers in the last
    period are left out. Columns: ``label``, ``papers_before``, ``share_before``, ``papers_last``,
    ``share_last``, ``change_pp`` (percentage points), ``ratio`` (share_last / share_before; inf
    when the label is new). Empty when either period has no papers.
    """
    years = list(trends.totals.index)
    cols = ["label", "papers_before", "share_before", "papers_last", "share_last", "change_pp", "ratio"]
    if not years:
        return pd.DataFrame(columns=cols)
    end = last_year if last_year is not None else max(years)
    last = [y for y in range(end - window + 1, end + 1)]
    before = [y for y in range(end - 2 * window + 1, end - window + 1)]
    tot_last = int(trends.totals.reindex(last, fill_value=0).sum())
    tot_before = int(trends.totals.reindex(before, fill_value=0).sum())
    if tot_last == 0 or tot_before == 0:
        return pd.DataFrame(columns=cols)
    n_last = trends.counts.reindex(columns=last, fill_value=0).sum(axis=1)
    n_before = trends.counts.reindex(columns=before, fill_value=0).sum(axis=1)
    out = pd.DataFrame({"label": trends.counts.index, "papers_before": n_before.values,
                        "share_before": (n_before / tot_before).values, "papers_last": n_last.values,
                        "share_last": (n_last / tot_last).values})
    out["change_pp"] = 100.0 * (out["share_last"] - out["share_before"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(out["share_before"] > 0, out["share_last"] / out["share_before"].replace(0, np.nan),
                                np.inf)
    out = out[out["papers_last"] >= min_papers]
    out = out.sort_values(["change_pp", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)
    res = out[cols].copy()
    res.attrs.update(last=last, before=before)
    return res


def venue_series(venue: str | None) -> str:
    """``"NeurIPS 2023"`` -> ``"NeurIPS"``; empty -> :data:`NO_VENUE`."""
    import re

    v = (venue or "").strip()
    if not v:
        return NO_VENUE
    return re.sub(r"[\s'’]*(19|20)\d\d$", "", v).strip() or v


def venue_mix(papers: pd.DataFrame, *, top: int = 8) -> pd.DataFrame:
    """Papers per year (rows) per venue series (columns; the ``top`` biggest, the rest as ``other``).

    Shares per year depend on which venues a year's papers come from; this shows it.
    """
    dated = papers.dropna(subset=["year"])
    if dated.empty:
        return pd.DataFrame()
    series = dated["venue"].map(venue_series)
    table = pd.crosstab(dated["year"].astype("int64"), series)
    order = table.sum().sort_values(ascending=False, kind="stable").index.tolist()
    keep = order[:top]
    out = table[keep].copy()
    rest = [c for c in order if c not in keep]
    if rest:
        out["other"] = table[rest].sum(axis=1)
    out.index.name = "year"
    out.columns.name = "venue"
    return out

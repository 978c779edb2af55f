"""The report's plots (matplotlib, Agg backend): each saved as PNG and SVG, atomically.

Every function takes the table it draws and returns a :class:`matplotlib.figure.Figure`;
:func:`save` writes it as ``<stem>.png`` and ``<stem>.svg``.
"""

from __future__ import annotations

import contextlib
import math
import textwrap
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .tables import ALL_ROW, TOTAL_COL, CrossTable  # noqa: E402
from .trends import Trends  # noqa: E402

Namer = Callable[[str], str]
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#882255", "#000000",
           "#999999", "#8C564B"]  # Okabe-Ito plus two: tells lines apart for colour-blind readers too

STYLE = {"font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold", "axes.labelsize": 10,
         "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
         "svg.fonttype": "none", "figure.dpi": 100}

__all__ = ["bits_plot", "corrected_plot", "hardware_plot", "heatmap", "rising_plot", "save", "speedups_plot",
           "trends_plot"]


def _fig(width: float, height: float) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def save(fig: Figure, out_dir: str | Path, stem: str) -> list[Path]:
    """Write ``stem.png`` (150 dpi) and ``stem.svg`` into ``out_dir``, each atomically."""
    out = []
    with plt.rc_context(STYLE):
        for ext, kw in (("png", {"dpi": 150}), ("svg", {})):
            target = Path(out_dir) / f"{stem}.{ext}"
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            try:
                fig.savefig(tmp, format=ext, facecolor="white", **kw)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
            out.append(target)
    return out


def heatmap(ct: CrossTable, row_name: Namer, col_name: Namer, *, title: str) -> Figure:
    """Counts of a cross table as an annotated heatmap (margins left out; totals in the tick labels)."""
    body = ct.body()
    rows = [f"{'  ' if '/' in str(r) else ''}{row_name(str(r))}  ({ct.counts.loc[r, TOTAL_COL]:,})"
            for r in body.index]
    cols = [textwrap.fill(col_name(str(c)), 13, break_long_words=False) + f"\n({ct.counts.loc[ALL_ROW, c]:,})" for c in body.columns]
    fig, ax = _fig(max(6.5, 1.25 * len(cols) + 4.0), max(3.0, 0.38 * len(rows) + 2.0))
    values = body.to_numpy(dtype=float)
    same = ct.row_facet == ct.col_facet  # co-occurrence: the diagonal is each label's total; leave it out
    diag = np.array([[str(r) == str(c) for c in body.columns] for r in body.index]) if same else \
        np.zeros(values.shape, dtype=bool)
    shown = np.where(diag, 0.0, values)
    vmax = max(shown.max(), 1.0)
    ax.imshow(np.ma.masked_array(np.log1p(shown), mask=diag), cmap="Blues", aspect="auto", vmin=0,
              vmax=math.log1p(vmax))
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if diag[i, j]:
                ax.text(j, i, "\u2014", ha="center", va="center", fontsize=9, color="#bbbbbb")
                continue
            v = values[i, j]
            dark = math.log1p(v) > 0.6 * math.log1p(vmax)
            ax.text(j, i, f"{int(v):,}" if v else "\u00b7", ha="center", va="center", fontsize=9,
                    color="white" if dark else ("#222222" if v else "#bbbbbb"))
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    return fig


def trends_plot(trends: Trends, name: Namer, *, labels: Sequence[str], title: str,
                venues: pd.DataFrame | None = None) -> Figure:
    """Share of each year's papers per label (lines), over the papers per year (bars, stacked by venue
    when ``venues`` is given: shares move when a year's venue mix does)."""
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(10, 6.4), layout="constrained")
        ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    years = [int(y) for y in trends.totals.index]
    for i, lab in enumerate(labels):
        share = trends.shares.loc[lab] * 100
        ax.plot(years, share.values, marker="o", markersize=3.5, linewidth=1.8, color=PALETTE[i % len(PALETTE)],
                label=f"{name(lab)} ({int(trends.counts.loc[lab].sum()):,})")
    ax.set_ylabel("share of the year's papers (%)")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e5e5e5")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, title="label (papers, all years)",
              title_fontsize=9)
    ax.set_title(title, loc="left")
    if venues is not None and not venues.empty:
        v = venues.reindex(years, fill_value=0)
        bottom = np.zeros(len(years))
        colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                  "#bab0ac"]
        for i, col in enumerate(v.columns):
            ax2.bar(years, v[col].values, bottom=bottom, color=colors[i % len(colors)], label=str(col), width=0.8)
            bottom += v[col].values
        ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.05), fontsize=7.5, ncol=2, title="papers by venue",
                   title_fontsize=8)
    else:
        ax2.bar(years, trends.totals.values, color="#bbbbbb")
    ax2.set_ylabel("papers")
    ax2.set_xlabel("year")
    ax2.set_xticks(years, [str(y) for y in years], rotation=0 if len(years) <= 14 else 45)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
        ax2.spines[spine].set_visible(False)
    return fig


def rising_plot(rising: pd.DataFrame, name: Namer, *, title: str, top: int = 12) -> Figure:
    """Change in share (percentage points) of the fastest-rising and fastest-falling labels."""
    df = rising.head(top).iloc[::-1]
    fig, ax = _fig(8, max(2.5, 0.35 * len(df) + 1.3))
    colors = [PALETTE[0] if v >= 0 else PALETTE[3] for v in df["change_pp"]]
    ax.barh([name(str(lab)) for lab in df["label"]], df["change_pp"], color=colors)
    for y, (v, a, b) in enumerate(zip(df["change_pp"], df["share_before"], df["share_last"])):
        ax.text(max(v, 0.0), y, f"  {_pct(a)} \u2192 {_pct(b)}", va="center", ha="left", fontsize=8,
                color="#444444")
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_xlabel("change in share of papers (percentage points)")
    lo, hi = ax.get_xlim()
    ax.set_xlim(min(lo, 0), hi + (hi - lo) * 0.35)
    ax.set_title(title, loc="left")
    return fig


def _pct(share: float) -> str:
    pct = share * 100
    return f"{pct:.2f}%" if pct < 1 else (f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%")


def bits_plot(bits: pd.DataFrame, *, title: str) -> Figure:
    """Papers per claimed bit-width."""
    fig, ax = _fig(7, 3.6)
    labels = [f"{b:g}" for b in bits["bits"]]
    ax.bar(labels, bits["papers"], color=PALETTE[0])
    for x, v in enumerate(bits["papers"]):
        ax.text(x, v, f"{v:,}", ha="center", va="bottom", fontsize=8)
    ax.set_xlabel("bit-width claimed (W4A8 counts for 4 and 8)")
    ax.set_ylabel("papers")
    ax.set_title(title, loc="left")
    return fig


def hardware_plot(hw: pd.DataFrame, *, title: str, top: int = 20) -> Figure:
    """Papers per named device, the most named first."""
    df = hw.head(top).iloc[::-1]
    fig, ax = _fig(8, max(2.5, 0.3 * len(df) + 1.2))
    kinds = list(dict.fromkeys(hw["kind"].head(top)))
    color = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}
    ax.barh(df["device"], df["papers"], color=[color[k] for k in df["kind"]])
    for y, v in enumerate(df["papers"]):
        ax.text(v, y, f" {v:,}", va="center", fontsize=8)
    handles = [matplotlib.patches.Patch(color=color[k], label=k or "other") for k in kinds]
    if len(kinds) > 1:
        ax.legend(handles=handles, loc="lower right", fontsize=8, title="class")
    ax.set_xlabel("papers naming the device")
    ax.set_title(title, loc="left")
    return fig


def speedups_plot(sp: pd.DataFrame, name: Namer, *, title: str) -> Figure:
    """Each paper's largest claimed speedup, per label (box and points, log scale)."""
    df = sp.iloc[::-1]
    fig, ax = _fig(8, max(2.5, 0.4 * len(df) + 1.3))
    data = [list(v) for v in df["values"]]
    ax.boxplot(data, orientation="horizontal", widths=0.55, showfliers=False, medianprops={"color": PALETTE[3]},
               boxprops={"color": "#555555"}, whiskerprops={"color": "#555555"}, capprops={"color": "#555555"})
    rng = np.random.default_rng(0)
    for i, vals in enumerate(data, 1):
        ax.scatter(vals, i + rng.uniform(-0.18, 0.18, len(vals)), s=6, alpha=0.35, color=PALETTE[0], linewidths=0)
    ax.set_yticks(range(1, len(df) + 1),
                  [f"{name(str(lab))} (n={n}, median {m:g}\u00d7)" for lab, n, m in
                   zip(df["label"], df["papers"], df["median"].round(1))])
    ax.set_xscale("log")
    ax.set_xlabel("largest speedup claimed in the paper (\u00d7, log scale)")
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_title(title, loc="left")
    return fig


def corrected_plot(table: pd.DataFrame, *, title: str) -> Figure:
    """Predicted count (bar) and gold-corrected estimate with its 95 % interval (dot and line).

    ``table`` has columns ``name``, ``predicted``, ``estimate``, ``low``, ``high``, ``thin``.
    """
    df = table.iloc[::-1]
    fig, ax = _fig(8, max(2.5, 0.36 * len(df) + 1.4))
    y = np.arange(len(df))
    ax.barh(y, df["predicted"], color="#c6dbef", label="tagged")
    ok = df["estimate"].notna().to_numpy()
    est = df["estimate"].to_numpy(dtype=float)
    lo = df["low"].to_numpy(dtype=float)
    hi = df["high"].to_numpy(dtype=float)
    thin = df["thin"].to_numpy(dtype=bool)
    # a thin label's interval can be ten times the others: clip the axis and say where it ends
    solid_hi = hi[ok & ~thin] if (ok & ~thin).any() else np.array([0.0])
    limit = 1.3 * max(float(df["predicted"].max()), float(solid_hi.max()), 1.0)
    for mask, color, lab in ((ok & ~thin, PALETTE[3], "corrected (95% interval)"),
                             (ok & thin, "#999999", "corrected, thin gold")):
        if mask.any():
            e, l_, h_ = np.minimum(est[mask], limit), np.minimum(lo[mask], limit), np.minimum(hi[mask], limit)
            ax.errorbar(e, y[mask], xerr=[e - l_, h_ - e], fmt="o", color=color, markersize=4, capsize=2,
                        linewidth=1.2, label=lab)
    for yi, e, l_, h_ in zip(y[ok], est[ok], lo[ok], hi[ok]):
        if h_ > limit:
            ax.text(limit, yi, f" {e:,.0f} ({l_:,.0f}\u2013{h_:,.0f}) \u2192", va="center", ha="right", fontsize=7.5,
                    color="#555555", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    ax.set_xlim(0, limit)
    ax.set_yticks(y, list(df["name"]))
    ax.set_xlabel("papers")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_title(title, loc="left")
    return fig

"""Draw every plot of a report (see :mod:`papertag.report.plots`) into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import plots
from .tables import ALL_ROW, TOTAL_COL

if TYPE_CHECKING:
    from .build import Report

TREND_LINES = 8  # labels per trend plot: more lines stop being readable


def draw_all(rep: Report, out_dir: Path) -> dict[str, list[Path]]:
    """Plot name -> [png, svg], in the order the report shows them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {}
    for ct in rep.crosstabs:
        n = int(ct.counts.loc[ALL_ROW, TOTAL_COL])
        fig = plots.heatmap(ct, lambda lab, f=ct.row_facet: rep.name(f, lab),
                            lambda lab, f=ct.col_facet: rep.name(f, lab),
                            title=f"{ct.row_facet.capitalize()} \u00d7 {ct.col_facet}: "
                                  f"{'papers with both labels' if ct.row_facet == ct.col_facet else 'papers per cell'}\n"
                                  f"{n:,} papers with a {ct.row_facet} label; totals in brackets")
        files[f"crosstab_{ct.name}"] = plots.save(fig, out_dir, f"crosstab_{ct.name}")
    for facet, t in rep.trends.items():
        if t.counts.empty or len(t.totals) < 2:
            continue
        top = [lab for lab in t.counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
               if t.counts.loc[lab].sum() > 0][:TREND_LINES]
        if not top:
            continue
        more = f", top {len(top)} of {int((t.counts.sum(axis=1) > 0).sum())}" if len(t.counts) > len(top) else ""
        fig = plots.trends_plot(t, lambda lab, f=facet: rep.name(f, lab), labels=top,
                                title=f"{facet.capitalize()} labels per year (share of that year's papers{more})",
                                venues=rep.venues)
        files[f"trends_{facet}"] = plots.save(fig, out_dir, f"trends_{facet}")
        r = rep.rising.get(facet)
        if r is not None and len(r):
            last, before = r.attrs.get("last", []), r.attrs.get("before", [])
            fig = plots.rising_plot(r, lambda lab, f=facet: rep.name(f, lab),
                                    title=f"{facet.capitalize()}: change in share, {last[0]}\u2013{last[-1]} vs "
                                          f"{before[0]}\u2013{before[-1]}")
            files[f"rising_{facet}"] = plots.save(fig, out_dir, f"rising_{facet}")
    if len(rep.bits):
        files["claims_bits"] = plots.save(plots.bits_plot(rep.bits, title="Bit-widths claimed (papers)"),
                                          out_dir, "claims_bits")
    if len(rep.hardware):
        files["claims_hardware"] = plots.save(
            plots.hardware_plot(rep.hardware, title="Hardware named in abstracts (papers, top 20)"),
            out_dir, "claims_hardware")
    if len(rep.speedups):
        files["claims_speedups"] = plots.save(
            plots.speedups_plot(rep.speedups, lambda lab: rep.name("technique", lab),
                                title="Speedups claimed, per technique"), out_dir, "claims_speedups")
    if rep.corrected_labels is not None:
        for facet in rep.taxonomy.facets:
            df = rep.corrected_labels[rep.corrected_labels["facet"] == facet]
            df = df[df["predicted"] > 0]
            if len(df):
                files[f"corrected_{facet}"] = plots.save(
                    plots.corrected_plot(df, title=f"{facet.capitalize()}: tagged vs gold-corrected counts"),
                    out_dir, f"corrected_{facet}")
    return files

"""Compute a survey report from tagged papers (:func:`build_report`) and write it to a folder
(:func:`write_report`): tables as Markdown/CSV/LaTeX, the long form, trends, claims, gold-corrected
counts, PNG/SVG plots and one self-contained HTML page."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..output import atomic_writer
from ..taxonomy import Taxonomy
from . import claims as claims_mod
from .correct import MIN_SUPPORT, Estimate, corrected_count, gold_quality
from .frame import Filters, ReportError, apply_filters, label_keys_of, long_frame, papers_frame
from .tables import ALL_ROW, TOTAL_COL, CrossTable, crosstab, to_csv, to_latex, to_markdown
from .trends import Trends, label_trends, rising_labels, venue_mix

DEFAULT_PAIRS = (("technique", "modality"), ("technique", "architecture"))
Progress = Callable[[str], None]

__all__ = ["DEFAULT_PAIRS", "GoldInfo", "Report", "build_report", "write_report"]


@dataclass
class GoldInfo:
    """The gold set as the report uses it: per-label quality and where it came from."""

    path: str
    n_gold: int
    n_used: int  # gold papers whose predictions were found (in the input or tagged from --corpus)
    quality: pd.DataFrame  # per label key: tp, fp, fn, support, precision, recall, thin
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything a report shows, as tables (written by :func:`write_report`)."""

    taxonomy: Taxonomy
    filters: Filters
    papers: list[dict[str, Any]]
    papers_df: pd.DataFrame
    long: pd.DataFrame
    crosstabs: list[CrossTable]
    trends: dict[str, Trends]
    rising: dict[str, pd.DataFrame]
    bits: pd.DataFrame
    hardware: pd.DataFrame
    speedups: pd.DataFrame
    gold: GoldInfo | None
    corrected_labels: pd.DataFrame | None
    cell_estimates: dict[str, dict[tuple[str, str], Estimate]]
    overview: dict[str, Any]
    venues: pd.DataFrame = field(default_factory=pd.DataFrame)  # papers per year per venue series
    children: bool = False
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ naming
    def name(self, facet: str, label: str) -> str:
        key = f"{facet}/{label}"
        return self.taxonomy[key].name if key in self.taxonomy else label

    def facet_labels(self, facet: str) -> list[str]:
        """Label ids of ``facet`` the report shows, in taxonomy order (top level unless ``children``)."""
        ids = [self.taxonomy[k].id for k in self.taxonomy.facet_keys(facet)]
        return ids if self.children else [i for i in ids if "/" not in i]


def _predicted_on_gold(gold_papers: Sequence[Mapping[str, Any]], filters: Filters, taxonomy: Taxonomy
                       ) -> dict[str, set[str]]:
    """Gold papers' predicted labels after the same label filters (source, min score) as the report."""
    label_only = Filters(min_score=filters.min_score, source=filters.source if filters.source != "gold" else None)
    return {p["id"]: label_keys_of(p) for p in apply_filters(gold_papers, label_only, taxonomy)}


def build_report(papers: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, *, filters: Filters = Filters(),
                 pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS, gold: Mapping[str, Any] | None = None,
                 gold_path: str = "", gold_papers: Sequence[Mapping[str, Any]] | None = None,
                 children: bool = False, rising_window: int = 2, min_rising: int = 5,
                 last_year: int | None = None) -> Report:
    """Compute every table of a report.

    Parameters
    ----------
    papers:
        Tagged papers (output-schema dicts), before filtering.
    gold, gold_papers:
        The gold set (:func:`papertag.gold.load_gold`) and the tagged predictions of its papers
        (default: the gold papers found among ``papers``). Without them there are no corrected counts.
    children:
        Show child labels (``quantization/post_training``) as rows too.
    """
    for a, b in pairs:
        for f in (a, b):
            if f not in taxonomy.facets:
                raise ReportError(f"unknown facet {f!r} in a cross table; expected one of {', '.join(taxonomy.facets)}")
    selected = apply_filters(papers, filters, taxonomy, gold=gold)
    if not selected:
        raise ReportError(f"no papers left after the filters ({filters.describe()}) out of {len(papers)}")
    from ..export.keys import citation_keys

    keys = citation_keys(papers)  # over the whole input, as `papertag export` computes them
    pdf = papers_frame(selected)
    pdf.insert(1, "cite_key", pdf["id"].map(keys))
    long = long_frame(selected, taxonomy)
    long["cite_key"] = long["id"].map(keys)
    rep = Report(taxonomy=taxonomy, filters=filters, papers=selected, papers_df=pdf, long=long, crosstabs=[],
                 trends={}, rising={}, bits=pd.DataFrame(), hardware=pd.DataFrame(), speedups=pd.DataFrame(),
                 gold=None, corrected_labels=None, cell_estimates={}, overview={}, children=children)
    for a, b in pairs:
        rep.crosstabs.append(crosstab(long, a, b, row_order=rep.facet_labels(a), col_order=rep.facet_labels(b)))
    rep.venues = venue_mix(pdf)
    for facet in taxonomy.facets:
        t = label_trends(long, pdf, facet, labels=rep.facet_labels(facet))
        rep.trends[facet] = t
        rep.rising[facet] = rising_labels(t, last_year=last_year, window=rising_window, min_papers=min_rising)
    mix_note = _venue_shift_note(rep)
    if mix_note:
        rep.notes.append(mix_note)
    kind_of = _device_kinds()
    rep.bits = claims_mod.bits_histogram(selected)
    rep.hardware = claims_mod.hardware_counts(selected, kind_of=kind_of)
    rep.speedups = claims_mod.speedups_by_label(selected, "technique", order=rep.facet_labels("technique"))
    if gold and filters.source != "gold":
        _add_gold(rep, papers, gold, gold_path, gold_papers)
    elif filters.source == "gold":
        rep.notes.append("--source gold: the counts are the gold set's own labels; no correction applies.")
    rep.overview = _overview(rep, len(papers))
    return rep


def _venue_shift_note(rep: Report, *, threshold: float = 0.5) -> str | None:
    """A warning when the two periods the rising labels compare come from very different venues."""
    r = next((x for x in rep.rising.values() if len(x)), None)
    if r is None or rep.venues.empty:
        return None
    last, before = r.attrs.get("last", []), r.attrs.get("before", [])
    a = rep.venues.reindex(before, fill_value=0).sum()
    b = rep.venues.reindex(last, fill_value=0).sum()
    if a.sum() == 0 or b.sum() == 0:
        return None
    pa, pb = a / a.sum(), b / b.sum()
    tv = 0.5 * float((pa - pb).abs().sum())
    if tv <= threshold:
        return None
    top_a, top_b = pa.idxmax(), pb.idxmax()
    return (f"The papers of {last[0]}-{last[-1]} come from different venues than those of {before[0]}-{before[-1]} "
            f"(mostly {top_b}, {pb[top_b]:.0%}, against {top_a}, {pa[top_a]:.0%}; {tv:.0%} of the mix differs), "
            "so the rising labels partly reflect the sources, not only the field. Compare like with like with "
            "--venue (e.g. --venue none for preprints only).")


def _device_kinds() -> Callable[[str], str | None] | None:
    try:
        from ..claims import ClaimExtractor

        return ClaimExtractor().device_kind
    except Exception:  # noqa: BLE001 - the device classes only colour a plot
        return None


def _add_gold(rep: Report, papers: Sequence[Mapping[str, Any]], gold: Mapping[str, Any], gold_path: str,
              gold_papers: Sequence[Mapping[str, Any]] | None) -> None:
    if gold_papers is None:
        gold_papers = [p for p in papers if p["id"] in gold]
    found = {p["id"]: p for p in gold_papers if p["id"] in gold}
    notes = []
    if len(found) < len(gold):
        notes.append(f"{len(gold) - len(found)} of {len(gold)} gold papers are not in the input; precision and "
                     f"recall come from the {len(found)} found (pass --corpus to tag the others).")
    if not found:
        rep.notes.append(f"Gold set {gold_path}: none of its {len(gold)} papers is in the input, so there are no "
                         "corrected counts (pass --corpus with the papers the gold ids come from).")
        return
    predicted = _predicted_on_gold(list(found.values()), rep.filters, rep.taxonomy)
    sub = {k: gold[k] for k in found}
    quality = gold_quality(sub, predicted, list(rep.taxonomy.keys))
    rep.gold = GoldInfo(gold_path, len(gold), len(found), quality, notes)
    rep.notes.extend(notes)
    n = len(rep.papers)
    rows = []
    for facet in rep.taxonomy.facets:
        for lab in rep.facet_labels(facet):
            key = f"{facet}/{lab}"
            n_pred = int(rep.long.loc[rep.long["key"] == key, "id"].nunique())
            est = corrected_count(n_pred, [key], quality, cap=n)
            q = quality.loc[key]
            rows.append({"facet": facet, "label": lab, "name": rep.name(facet, lab), "predicted": n_pred,
                         "estimate": est.estimate if est.available else None,
                         "low": est.low if est.available else None, "high": est.high if est.available else None,
                         "precision": float(q["precision"]), "recall": float(q["recall"]), "tp": int(q["tp"]),
                         "fp": int(q["fp"]), "fn": int(q["fn"]), "gold_support": int(q["support"]),
                         "thin": bool(q["thin"]), "corrected": est.format()})
    rep.corrected_labels = pd.DataFrame(rows)
    for ct in rep.crosstabs:
        ests: dict[tuple[str, str], Estimate] = {}
        for r in ct.body().index:
            for c in ct.body().columns:
                keys = list(dict.fromkeys([f"{ct.row_facet}/{r}", f"{ct.col_facet}/{c}"]))  # diagonal: one label
                ests[(str(r), str(c))] = corrected_count(int(ct.counts.loc[r, c]), keys, quality, cap=n)
        rep.cell_estimates[ct.name] = ests


def _overview(rep: Report, n_input: int) -> dict[str, Any]:
    pdf = rep.papers_df
    years = pdf["year"].dropna()
    by_facet = {f: int(rep.long.loc[rep.long["facet"] == f, "id"].nunique()) for f in rep.taxonomy.facets}
    return {
        "papers_in_input": n_input,
        "papers": len(pdf),
        "filters": rep.filters.describe(),
        "years": [int(years.min()), int(years.max())] if len(years) else None,
        "papers_without_year": int(pdf["year"].isna().sum()),
        "papers_with_a_label": {f: n for f, n in by_facet.items()},
        "papers_with_any_technique": by_facet.get("technique", 0),
        "label_assignments": len(rep.long),
        "papers_with_claims": {
            "bits": int(sum(1 for p in rep.papers if any(c.get("kind") == "bits" for c in p.get("claims") or []))),
            "hardware": int(sum(1 for p in rep.papers if any(c.get("kind") == "hardware"
                                                             for c in p.get("claims") or []))),
            "speedup": int(sum(1 for p in rep.papers if any(c.get("kind") == "speedup"
                                                            for c in p.get("claims") or []))),
        },
        "gold": None if rep.gold is None else {"file": rep.gold.path, "papers": rep.gold.n_gold,
                                               "papers_used": rep.gold.n_used, "min_support": MIN_SUPPORT},
    }


# ---------------------------------------------------------------------------- writing
def _write_text(path: Path, text: str) -> Path:
    with atomic_writer(path, force=True) as fh:
        fh.write(text)
    return path


def _write_df(path: Path, df: pd.DataFrame, **kw: Any) -> Path:
    df = df.copy()
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, list)).any():
            df[col] = df[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
    return _write_text(path, df.to_csv(lineterminator="\n", **kw))


def cell_text(rep: Report, ct: CrossTable) -> Callable[[str, str, int], str] | None:
    """``"120 [95-140]"`` per body cell when corrected estimates exist (margins: the count alone)."""
    ests = rep.cell_estimates.get(ct.name)
    if not ests:
        return None

    def cell(r: str, c: str, n: int) -> str:
        est = ests.get((r, c))
        if est is None or n == 0:
            return f"{n:,}"
        return f"{n:,} [{est.format()}]"

    return cell


def write_report(rep: Report, out_dir: str | Path, *, force: bool = False, plots: bool = True,
                 html: bool = True, progress: Progress | None = None) -> list[Path]:
    """Write every file of the report into ``out_dir``; return the paths written.

    Refuses a non-empty ``out_dir`` unless ``force`` (files of the same name are then replaced).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} exists and is not a folder; expected a folder for the report")
    if out.exists() and any(out.iterdir()) and not force:
        raise ReportError(f"{out} is not empty; pass --force to write the report into it anyway")
    for sub in ("tables", "trends", "claims", "plots"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    tax_name = rep.name
    written.append(_write_df(out / "long_form.csv", rep.long, index=False))
    written.append(_write_df(out / "papers.csv", rep.papers_df, index=False))
    for ct in rep.crosstabs:
        namer = tax_name
        stem = out / "tables" / ct.name
        caption = (f"Papers per {ct.row_facet} and {ct.col_facet} label ({rep.overview['papers']:,} papers tagged "
                   f"by papertag; a paper counts in every cell it belongs to).")
        written.append(_write_text(stem.with_suffix(".md"), to_markdown(ct, namer=namer)))
        written.append(_write_text(stem.with_suffix(".csv"), to_csv(ct)))
        written.append(_write_text(stem.with_suffix(".tex"), to_latex(ct, namer=namer, caption=caption,
                                                                        label=f"tab:{ct.name}")))
        cells = ct.long()
        ests = rep.cell_estimates.get(ct.name)
        if ests:
            cells["corrected"] = [ests[(r, c)].estimate for r, c in zip(cells["row"], cells["col"])]
            cells["corrected_low"] = [ests[(r, c)].low for r, c in zip(cells["row"], cells["col"])]
            cells["corrected_high"] = [ests[(r, c)].high for r, c in zip(cells["row"], cells["col"])]
            cells["thin_gold"] = [ests[(r, c)].thin for r, c in zip(cells["row"], cells["col"])]
            cells = cells.round({"corrected": 1, "corrected_low": 1, "corrected_high": 1})
            cell = cell_text(rep, ct)
            written.append(_write_text(out / "tables" / f"{ct.name}_corrected.md",
                                       to_markdown(ct, namer=namer, cell=cell)))
            written.append(_write_text(out / "tables" / f"{ct.name}_corrected.tex",
                                       to_latex(ct, namer=namer, cell=cell, label=f"tab:{ct.name}_corrected",
                                                caption=caption + " In brackets: gold-corrected estimate and 95% "
                                                                  "interval.")))
        written.append(_write_df(out / "tables" / f"{ct.name}_cells.csv", cells, index=False))
    trend_rows = []
    for facet, t in rep.trends.items():
        written.append(_write_df(out / "trends" / f"{facet}_counts.csv", t.counts))
        written.append(_write_df(out / "trends" / f"{facet}_shares.csv", t.shares.round(5)))
        trend_rows.append(t.long())
        r = rep.rising[facet]
        if len(r):
            written.append(_write_df(out / "trends" / f"{facet}_rising.csv", r.round(5), index=False))
    if not rep.venues.empty:
        written.append(_write_df(out / "trends" / "venues_per_year.csv", rep.venues))
    if trend_rows:
        written.append(_write_df(out / "trends" / "trends_long.csv", pd.concat(trend_rows), index=False))
    written.append(_write_df(out / "claims" / "bits.csv", rep.bits, index=False))
    written.append(_write_df(out / "claims" / "hardware.csv", rep.hardware, index=False))
    written.append(_write_df(out / "claims" / "speedups_by_technique.csv",
                             rep.speedups.drop(columns=["values"]).round(3), index=False))
    if rep.corrected_labels is not None:
        written.append(_write_df(out / "tables" / "label_quality_and_corrected_counts.csv",
                                 rep.corrected_labels.drop(columns=["corrected"]).round(4), index=False))
    plot_files: dict[str, list[Path]] = {}
    if plots:
        if progress:
            progress("Drawing plots...")
        from .figures import draw_all

        plot_files = draw_all(rep, out / "plots")
        written.extend(p for ps in plot_files.values() for p in ps)
    written.append(_write_text(out / "report.md", markdown_report(rep, plot_files, out)))
    if html:
        from .html import render_html

        written.append(_write_text(out / "index.html", render_html(rep, plot_files)))
    from .. import __version__

    summary = {"generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
               "papertag_version": __version__, **rep.overview,
               "notes": rep.notes, "files": sorted(str(p.relative_to(out)) for p in written)}
    written.append(_write_text(out / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False) + "\n"))
    return written


def markdown_report(rep: Report, plot_files: Mapping[str, list[Path]], out: Path) -> str:
    """All tables in one Markdown file (what a survey author pastes from)."""
    ov = rep.overview
    lines = ["# papertag survey report", "",
             f"- Papers: {ov['papers']:,} (of {ov['papers_in_input']:,} in the input; filters: {ov['filters']})"]
    if ov["years"]:
        lines.append(f"- Years: {ov['years'][0]}-{ov['years'][1]} ({ov['papers_without_year']:,} papers without a year)")
    lines.append("- Papers with a label, per facet: " + ", ".join(
        f"{f} {n:,}" for f, n in ov["papers_with_a_label"].items()))
    lines += [f"- {n}" for n in rep.notes]
    lines.append("")
    for ct in rep.crosstabs:
        lines += [f"## {ct.row_facet.capitalize()} x {ct.col_facet}", "",
                  "A paper counts in every cell it belongs to; *Total*: papers with the row label; *All*: papers "
                  f"with the column label and any {ct.row_facet} label.", "", to_markdown(ct, namer=rep.name)]
        if ct.name in rep.cell_estimates:
            lines += ["Gold-corrected (count [estimate (95% interval)], \u2020 = thin gold):", "",
                      to_markdown(ct, namer=rep.name, cell=cell_text(rep, ct))]
    if rep.corrected_labels is not None:
        lines += ["## Label quality on gold and corrected counts", "", _corrected_md(rep), ""]
    lines += ["## Trends", ""]
    for facet, t in rep.trends.items():
        lines += [f"### {facet.capitalize()}: papers per year (share of the year's papers)", "",
                  _trend_md(rep, facet, t), ""]
        r = rep.rising[facet]
        if len(r):
            last, before = r.attrs.get("last", []), r.attrs.get("before", [])
            lines += [f"Rising fastest ({last[0]}-{last[-1]} vs {before[0]}-{before[-1]}, share of papers): " +
                      "; ".join(f"{rep.name(facet, lab)} {a * 100:.1f}% \u2192 {b * 100:.1f}% ({d:+.1f} pp)"
                                for lab, a, b, d in r.head(5)[["label", "share_before", "share_last",
                                                               "change_pp"]].itertuples(index=False)), ""]
    lines += ["## Claims", "", "Bit-widths claimed (papers): " + ", ".join(
        f"{b:g}-bit {n:,}" for b, n in zip(rep.bits["bits"], rep.bits["papers"])), "",
        "Hardware named (papers): " + ", ".join(f"{d} {n:,}" for d, n in
                                                zip(rep.hardware["device"].head(20), rep.hardware["papers"].head(20))),
        "", "| technique | papers claiming a speedup | median | range |", "|:--|--:|--:|--:|"]
    for row in rep.speedups.itertuples(index=False):
        lines.append(f"| {rep.name('technique', row.label)} | {row.papers:,} | {row.median:.1f}\u00d7 | "
                     f"{row.min:g}\u00d7\u2013{row.max:g}\u00d7 |")
    lines.append("")
    if plot_files:
        lines += ["## Plots", ""] + [f"![{k}]({ps[0].relative_to(out)})" for k, ps in plot_files.items()] + [""]
    return "\n".join(lines)


def _trend_md(rep: Report, facet: str, t: Trends) -> str:
    years = [int(y) for y in t.totals.index]
    head = ["label", *map(str, years)]
    rows = [["all papers", *(f"{int(t.totals[y]):,}" for y in years)]]
    for lab in t.counts.index:
        if t.counts.loc[lab].sum() == 0:
            continue
        rows.append([rep.name(facet, lab), *(f"{int(t.counts.loc[lab, y]):,} ({_pct(t.shares.loc[lab, y])})"
                                             for y in years)])
    lines = ["| " + " | ".join(head) + " |", "|:--|" + "--:|" * len(years)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _pct(share: float) -> str:
    """A share as a percentage with one decimal below 10 % (0.4%, 12%)."""
    pct = share * 100
    return f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def _corrected_md(rep: Report) -> str:
    df = rep.corrected_labels
    assert df is not None
    lines = ["| facet | label | tagged | precision | recall | gold papers with it | corrected (95% interval) |",
             "|:--|:--|--:|--:|--:|--:|--:|"]
    for r in df.itertuples(index=False):
        lines.append(f"| {r.facet} | {r.name} | {r.predicted:,} | {r.precision:.2f} | {r.recall:.2f} | "
                     f"{r.gold_support} | {r.corrected} |")
    return "\n".join(lines)


__all__ += ["ALL_ROW", "TOTAL_COL", "cell_text", "markdown_report"]

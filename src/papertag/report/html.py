"""The report as one self-contained HTML page (jinja2 template, plots embedded as PNG data URIs)."""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .. import __version__
from .correct import DRAWS, MIN_SUPPORT
from .tables import ALL_ROW, TOTAL_COL

if TYPE_CHECKING:
    from .build import Report

PAPERS_PER_LABEL = 100  # newest first; the long form has them all
PAPERS_PER_CELL = 30

__all__ = ["render_html"]


def pct(value: float) -> str:
    """A percentage (given in %) with two decimals below 1, one below 10, none above."""
    return f"{value:.2f}%" if abs(value) < 1 else (f"{value:.1f}%" if abs(value) < 10 else f"{value:.0f}%")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("papertag.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["pct"] = pct
    env.filters["num"] = number
    return env


def _css_width(path: Path) -> int:
    """The plot's width in CSS pixels at 100 dpi (PNGs are saved at 150 dpi)."""
    from PIL import Image

    with Image.open(path) as im:
        return int(round(im.size[0] / 1.5))


def number(value: float) -> str:
    """1.41, 12.5, 1,930 (three significant digits below 100)."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _paper_rows(rep: Report) -> dict[str, dict[str, Any]]:
    out = {}
    keys = dict(zip(rep.papers_df["id"], rep.papers_df["cite_key"]))
    for p in rep.papers:
        out[p["id"]] = {"id": p["id"], "title": p.get("title") or p["id"], "year": p.get("year"),
                        "venue": p.get("venue") or "", "link": _link(p), "authors": _authors(p),
                        "key": keys.get(p["id"], "")}
    return out


def _link(p: Mapping[str, Any]) -> str:
    from .frame import paper_link

    return paper_link(p)


def _authors(p: Mapping[str, Any]) -> str:
    a = list(p.get("authors") or [])
    if not a:
        return ""
    return a[0] + (" et al." if len(a) > 2 else (f" and {a[1]}" if len(a) == 2 else ""))


def _newest(ids: list[str], papers: Mapping[str, dict[str, Any]]) -> list[str]:
    return sorted(ids, key=lambda i: (-(papers[i]["year"] or 0), papers[i]["title"].lower()))


def render_html(rep: Report, plot_files: Mapping[str, list[Path]]) -> str:
    papers = _paper_rows(rep)
    plots = {k: {"png": _data_uri(v[0]), "svg": f"plots/{v[1].name}", "png_file": f"plots/{v[0].name}",
                 "width": _css_width(v[0])}
             for k, v in plot_files.items()}
    long = rep.long
    tables = []
    for ct in rep.crosstabs:
        ests = rep.cell_estimates.get(ct.name, {})
        rows = []
        for r, row in ct.counts.iterrows():
            cells = []
            for c, v in row.items():
                est = ests.get((str(r), str(c))) if r != ALL_ROW and c != TOTAL_COL else None
                cells.append({"n": int(v), "est": est.format() if est is not None and v else "",
                              "margin": r == ALL_ROW or c == TOTAL_COL})
            rows.append({"label": ALL_ROW if r == ALL_ROW else rep.name(ct.row_facet, str(r)), "cells": cells,
                         "margin": r == ALL_ROW})
        cell_lists = []
        for (r, c), ids in ct.cells.items():
            chosen = _newest(ids, papers)[:PAPERS_PER_CELL]
            cell_lists.append({"row": rep.name(ct.row_facet, r), "col": rep.name(ct.col_facet, c), "n": len(ids),
                               "papers": [papers[i] for i in chosen]})
        groups: dict[str, list[dict[str, Any]]] = {}
        for cl in cell_lists:
            groups.setdefault(cl["row"], []).append(cl)
        tables.append({"cell_groups": [{"row": r, "cells": cs} for r, cs in groups.items()], "name": ct.name, "row_facet": ct.row_facet, "col_facet": ct.col_facet,
                       "cols": [TOTAL_COL if c == TOTAL_COL else rep.name(ct.col_facet, str(c))
                                for c in ct.counts.columns], "rows": rows, "cell_lists": cell_lists,
                       "has_est": bool(ests)})
    trends = []
    for facet, t in rep.trends.items():
        years = [int(y) for y in t.totals.index]
        rows = [{"label": rep.name(facet, lab),
                 "vals": [(int(t.counts.loc[lab, y]), float(t.shares.loc[lab, y]) * 100) for y in years]}
                for lab in t.counts.index if t.counts.loc[lab].sum() > 0]
        r = rep.rising[facet]
        rising = [{"label": rep.name(facet, x.label), "before": x.share_before * 100, "last": x.share_last * 100,
                   "n_before": int(x.papers_before), "n_last": int(x.papers_last), "pp": x.change_pp}
                  for x in r.head(8).itertuples(index=False)]
        trends.append({"facet": facet, "years": years, "totals": [int(t.totals[y]) for y in years], "rows": rows,
                       "rising": rising, "last": r.attrs.get("last", []), "before": r.attrs.get("before", [])})
    label_lists = []
    for facet in rep.taxonomy.facets:
        items = []
        sub = long[long["facet"] == facet]
        for lab in [rep.taxonomy[k].id for k in rep.taxonomy.facet_keys(facet)]:
            rows = sub[sub["label"] == lab].sort_values(["year", "score"], ascending=[False, False],
                                                        na_position="last", kind="stable")
            if rows.empty:
                continue
            entries = [{**papers[x.id], "evidence": x.evidence, "score": x.score, "source": x.source}
                       for x in rows.head(PAPERS_PER_LABEL).itertuples(index=False)]
            items.append({"label": rep.name(facet, lab), "id": lab, "depth": lab.count("/"), "n": len(rows),
                          "papers": entries})
        label_lists.append({"facet": facet, "entries": items})
    claims = {
        "bits": [{"bits": f"{b:g}", "n": int(n), "papers": [papers[i] for i in _newest(list(ids), papers)[:20]]}
                 for b, n, ids in zip(rep.bits["bits"], rep.bits["papers"], rep.bits["ids"])],
        "hardware": [{"device": d, "kind": k, "n": int(n), "papers": [papers[i] for i in _newest(list(ids), papers)[:20]]}
                     for d, k, n, ids in zip(rep.hardware["device"].head(30), rep.hardware["kind"].head(30),
                                             rep.hardware["papers"].head(30), rep.hardware["ids"].head(30))],
        "speedups": [{"label": rep.name("technique", x.label), "n": int(x.papers), "median": x.median, "q1": x.q1,
                      "q3": x.q3, "min": x.min, "max": x.max, "papers": [papers[i] for i in x.ids[:10]]}
                     for x in rep.speedups.itertuples(index=False)],
    }
    corrected = None
    if rep.corrected_labels is not None:
        corrected = [dict(r._asdict()) for r in rep.corrected_labels.itertuples(index=False)]
    return _env().get_template("report.html.j2").render(
        rep=rep, ov=rep.overview, tables=tables, trends=trends, label_lists=label_lists, claims=claims,
        corrected=corrected, plots=plots, gold=rep.gold, notes=rep.notes, min_support=MIN_SUPPORT, draws=DRAWS,
        per_label=PAPERS_PER_LABEL, per_cell=PAPERS_PER_CELL, version=__version__,
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

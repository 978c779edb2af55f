"""Cross tables of two facets: counts of papers per (row label, column label), the papers in each
cell, and renderings as Markdown, CSV and LaTeX (booktabs).

A paper with several labels counts in every cell it belongs to, so rows and columns do not add up
to the number of papers: the ``Total`` column counts papers with the row label (whatever their
column facet says, none included); the ``All`` row counts papers with the column label and at least
one row-facet label (each once), and its ``Total`` the papers with any row-facet label.

Example
-------
>>> import pandas as pd
>>> long = pd.DataFrame({"id": ["a", "a", "b", "b", "c"],
...                      "facet": ["technique", "modality", "technique", "modality", "technique"],
...                      "label": ["pruning", "image", "pruning", "text", "quantization"]})
>>> ct = crosstab(long, "technique", "modality", row_order=["quantization", "pruning"],
...               col_order=["image", "text"])
>>> ct.counts.to_dict("index")
{'quantization': {'image': 0, 'text': 0, 'Total': 1}, 'pruning': {'image': 1, 'text': 1, 'Total': 2}, 'All': {'image': 1, 'text': 1, 'Total': 3}}
>>> ct.cells[("pruning", "text")]
['b']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

TOTAL_COL = "Total"
ALL_ROW = "All"

__all__ = ["ALL_ROW", "CrossTable", "TOTAL_COL", "crosstab", "to_csv", "to_latex", "to_markdown"]


@dataclass
class CrossTable:
    """Counts (rows: labels of ``row_facet`` + ``All``; columns: labels of ``col_facet`` + ``Total``)
    and the paper ids of every non-empty cell (``cells[(row, col)]``, sorted)."""

    row_facet: str
    col_facet: str
    counts: pd.DataFrame
    cells: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    n_papers: int = 0

    @property
    def name(self) -> str:
        return f"{self.row_facet}_x_{self.col_facet}"

    def body(self) -> pd.DataFrame:
        """The label x label counts without the margins."""
        return self.counts.drop(index=ALL_ROW, columns=TOTAL_COL)

    def long(self) -> pd.DataFrame:
        """One row per non-empty cell: ``row``, ``col``, ``count``, ``papers`` (``;``-joined ids)."""
        rows = [{"row": r, "col": c, "count": len(ids), "papers": ";".join(ids)}
                for (r, c), ids in self.cells.items()]
        return pd.DataFrame(rows, columns=["row", "col", "count", "papers"])


def crosstab(long: pd.DataFrame, row_facet: str, col_facet: str, *, row_order: Sequence[str] | None = None,
             col_order: Sequence[str] | None = None, drop_empty: bool = True) -> CrossTable:
    """Papers per (row label, col label) from a long frame (columns ``id``, ``facet``, ``label``).

    ``row_order``/``col_order`` fix the labels shown and their order (taxonomy order, usually);
    labels outside them are left out. With ``drop_empty``, rows and columns whose total is 0 go.
    """
    rows = long.loc[long["facet"] == row_facet, ["id", "label"]].drop_duplicates()
    cols = long.loc[long["facet"] == col_facet, ["id", "label"]].drop_duplicates()
    row_order = list(row_order) if row_order is not None else sorted(rows["label"].unique())
    col_order = list(col_order) if col_order is not None else sorted(cols["label"].unique())
    rows = rows[rows["label"].isin(row_order)]
    cols = cols[cols["label"].isin(col_order)]
    pairs = rows.merge(cols, on="id", suffixes=("_r", "_c"))  # same facet twice: co-occurrence, diagonal = totals
    counts = pd.DataFrame(0, index=pd.Index(row_order, dtype=object), columns=pd.Index(col_order, dtype=object),
                          dtype="int64")
    cells: dict[tuple[str, str], list[str]] = {}
    for (r, c), grp in pairs.groupby(["label_r", "label_c"], sort=False):
        ids = sorted(grp["id"].unique())
        counts.loc[r, c] = len(ids)
        cells[(str(r), str(c))] = ids
    counts[TOTAL_COL] = [int(rows.loc[rows["label"] == r, "id"].nunique()) for r in row_order]
    row_ids = set(rows["id"])
    all_row = [int(cols.loc[(cols["label"] == c) & cols["id"].isin(row_ids), "id"].nunique()) for c in col_order]
    all_row.append(int(rows["id"].nunique()))
    counts.loc[ALL_ROW] = all_row
    if drop_empty:
        keep_rows = [r for r in row_order if counts.loc[r, TOTAL_COL] > 0] + [ALL_ROW]
        keep_cols = [c for c in col_order if counts.loc[ALL_ROW, c] > 0] + [TOTAL_COL]
        counts = counts.loc[keep_rows, keep_cols]
    order = {lab: i for i, lab in enumerate(row_order)}
    corder = {lab: i for i, lab in enumerate(col_order)}
    cells = dict(sorted(cells.items(), key=lambda kv: (order[kv[0][0]], corder[kv[0][1]])))
    counts.index.name = row_facet
    counts.columns.name = col_facet
    return CrossTable(row_facet, col_facet, counts.astype("int64"), cells, n_papers=int(long["id"].nunique()))


# ---------------------------------------------------------------------------- rendering
Namer = Callable[[str, str], str]  # (facet, label id) -> display name


def _display(ct: CrossTable, namer: Namer | None, cell: Callable[[str, str, int], str] | None,
             indent: str = "") -> tuple[list[str], list[list[str]]]:
    name = namer or (lambda facet, lab: lab)
    header = [f"{ct.row_facet} \\ {ct.col_facet}"] + [
        TOTAL_COL if c == TOTAL_COL else name(ct.col_facet, str(c)) for c in ct.counts.columns]
    body = []
    for r, row in ct.counts.iterrows():
        label = ALL_ROW if r == ALL_ROW else name(ct.row_facet, str(r))
        if "/" in str(r):  # a child label, shown under its parent
            label = indent + label
        vals = [cell(str(r), str(c), int(v)) if cell else f"{int(v):,}" for c, v in row.items()]
        body.append([label, *vals])
    return header, body


def to_markdown(ct: CrossTable, *, namer: Namer | None = None,
                cell: Callable[[str, str, int], str] | None = None) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned)."""
    header, body = _display(ct, namer, cell, indent="\u21b3 ")

    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    widths = [max(len(esc(row[i])) for row in [header, *body]) for i in range(len(header))]
    lines = ["| " + " | ".join(esc(h).ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join(":" + "-" * (w + 1) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"]
    for row in body:
        lines.append("| " + " | ".join(esc(v).ljust(w) if i == 0 else esc(v).rjust(w)
                                       for i, (v, w) in enumerate(zip(row, widths))) + " |")
    return "\n".join(lines) + "\n"


def to_csv(ct: CrossTable) -> str:
    """Counts with label ids as row and column headers (margins included)."""
    return ct.counts.to_csv(lineterminator="\n")


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def to_latex(ct: CrossTable, *, namer: Namer | None = None, caption: str = "", label: str = "",
             cell: Callable[[str, str, int], str] | None = None) -> str:
    """A ``table`` with a booktabs ``tabular`` (needs ``\\usepackage{booktabs}``); the ``All`` row is set
    apart by a rule."""
    header, body = _display(ct, namer, cell, indent="\x00")
    header[0] = latex_escape(f"{ct.row_facet.capitalize()} / {ct.col_facet}")
    ncols = len(header)
    lines = [r"\begin{table}[t]", r"\centering", r"\small"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [rf"\begin{{tabular}}{{l{'r' * (ncols - 1)}}}", r"\toprule",
              " & ".join(h if i == 0 else latex_escape(h) for i, h in enumerate(header)) + r" \\", r"\midrule"]
    for i, row in enumerate(body):
        if i == len(body) - 1:
            lines.append(r"\midrule")
        lines.append(" & ".join(latex_escape(v).replace("\x00", r"\quad ") for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"

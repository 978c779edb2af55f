"""Cross tables on the hand-written papers of conftest.py (numbers worked out by hand there)."""

from __future__ import annotations

import io

import pandas as pd

from papertag.report import crosstab, long_frame
from papertag.report.tables import ALL_ROW, TOTAL_COL, to_csv, to_latex, to_markdown

TECH = ["quantization", "pruning", "distillation", "nas", "peft"]
MOD = ["image", "video", "text", "audio", "3d"]


def table(papers, taxonomy):
    return crosstab(long_frame(papers, taxonomy), "technique", "modality", row_order=TECH, col_order=MOD)


def test_counts_cells_and_margins(papers, taxonomy):
    ct = table(papers, taxonomy)
    assert list(ct.counts.index) == ["quantization", "pruning", "distillation", "peft", ALL_ROW]  # nas: empty
    assert list(ct.counts.columns) == ["image", "text", "audio", TOTAL_COL]  # video, 3d: empty
    assert ct.counts.loc["quantization"].tolist() == [1, 3, 1, 4]  # p3 | p1 p3 p5 | p8 | 4 papers
    assert ct.counts.loc["pruning"].tolist() == [2, 1, 0, 2]
    assert ct.counts.loc["distillation"].tolist() == [0, 1, 0, 1]
    assert ct.counts.loc["peft"].tolist() == [0, 1, 0, 1]
    # All: papers with the column label and some technique (p6 is an image paper without one)
    assert ct.counts.loc[ALL_ROW].tolist() == [2, 5, 1, 7]
    assert ct.cells[("quantization", "text")] == ["p1", "p3", "p5"]
    assert ct.cells[("pruning", "image")] == ["p2", "p3"]
    assert ("distillation", "image") not in ct.cells


def test_child_labels_are_rows_only_when_asked(papers, taxonomy):
    long = long_frame(papers, taxonomy)
    ct = crosstab(long, "technique", "modality", row_order=["quantization", "quantization/post_training"],
                  col_order=MOD)
    assert ct.counts.loc["quantization/post_training", "text"] == 1  # p1
    assert ct.counts.loc["quantization/post_training", TOTAL_COL] == 1


def test_markdown_csv_and_latex_renderings(papers, taxonomy):
    ct = table(papers, taxonomy)
    md = to_markdown(ct, namer=lambda f, lab: taxonomy[f"{f}/{lab}"].name)
    lines = md.splitlines()
    assert lines[0].startswith("| technique \\ modality") and "Image" in lines[0]
    assert set(lines[1]) <= set("|:-") and lines[1].count("|") == 6
    assert [c.strip() for c in lines[2].split("|")[1:-1]] == ["Quantization", "1", "3", "1", "4"]
    back = pd.read_csv(io.StringIO(to_csv(ct)), index_col=0)
    assert back.loc["pruning", "image"] == 2 and back.loc[ALL_ROW, TOTAL_COL] == 7
    tex = to_latex(ct, namer=lambda f, lab: taxonomy[f"{f}/{lab}"].name, caption="Papers 100% by hand",
                   label="tab:x")
    assert r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex
    assert r"\begin{tabular}{lrrrr}" in tex
    assert r"Papers 100\% by hand" in tex  # escaped
    assert r"Quantization & 1 & 3 & 1 & 4 \\" in tex
    body = tex.split(r"\midrule")
    assert len(body) == 3 and body[2].strip().startswith("All & 2 & 5 & 1 & 7")


def test_cell_callback_shows_estimates(papers, taxonomy):
    ct = table(papers, taxonomy)
    md = to_markdown(ct, cell=lambda r, c, n: f"{n} [x]")
    assert "3 [x]" in md


def test_long_form_has_one_row_per_paper_and_label(papers, taxonomy):
    long = long_frame(papers, taxonomy)
    # p1: 2 technique + text + llm + gpu = 5; p2: 3; p3: 2+2+1 = 5; p4 3; p5 3; p6 2; p7 3; p8 2
    assert len(long) == 26
    row = long[(long["id"] == "p1") & (long["label"] == "quantization/post_training")].iloc[0]
    assert row["top"] == "quantization" and row["depth"] == 2 and row["name"] == "Post-training quantization"
    assert row["year"] == 2022 and row["source"] == "rule" and row["evidence"] == "post_training cue"


def test_child_rows_are_indented(papers, taxonomy):
    ct = crosstab(long_frame(papers, taxonomy), "technique", "modality",
                  row_order=["quantization", "quantization/post_training"], col_order=MOD)
    namer = lambda f, lab: taxonomy[f"{f}/{lab}"].name  # noqa: E731
    assert "| \u21b3 Post-training quantization" in to_markdown(ct, namer=namer)
    assert r"\quad Post-training quantization & 0 & 1 & 0 & 1 \\" in to_latex(ct, namer=namer)

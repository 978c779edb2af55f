"""A whole report from the hand-written papers: every file, every plot as an image, the HTML page."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from PIL import Image

from papertag.gold import GoldLabel
from papertag.report import Filters, ReportError, build_report, write_report
from papertag.report.tables import ALL_ROW, TOTAL_COL

GOLD = {  # quantization on gold: p1 right (tp), p3 wrong (fp), p2 missed (fn)
    "p1": GoldLabel("p1", {"technique": ("quantization",), "modality": ("text",)}, ("technique", "modality")),
    "p2": GoldLabel("p2", {"technique": ("pruning", "quantization"), "modality": ("image",)},
                    ("technique", "modality")),
    "p3": GoldLabel("p3", {"technique": ("pruning",), "modality": ("image", "text")}, ("technique", "modality")),
    "p4": GoldLabel("p4", {"technique": ("distillation",), "modality": ("text",)}, ("technique", "modality")),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory, taxonomy, all_papers):
    rep = build_report(all_papers, taxonomy, gold=GOLD, gold_path="gold.jsonl",
                       pairs=[("technique", "modality"), ("technique", "hardware")], rising_window=1, min_rising=1)
    out = tmp_path_factory.mktemp("report")
    files = write_report(rep, out)
    return rep, out, files


def test_report_numbers(written):
    rep, _, _ = written
    ct = rep.crosstabs[0]
    assert ct.counts.loc["quantization", TOTAL_COL] == 4 and ct.counts.loc[ALL_ROW, TOTAL_COL] == 7
    assert rep.overview["papers"] == 8 and rep.overview["years"] == [2022, 2024]
    assert rep.overview["papers_without_year"] == 1
    assert rep.overview["papers_with_claims"] == {"bits": 3, "hardware": 1, "speedup": 3}
    assert rep.rising["technique"]["label"].tolist()[0] == "peft"


def test_gold_precision_recall_and_corrected_counts(written):
    rep, _, _ = written
    row = rep.corrected_labels.set_index("label").loc["quantization"]
    assert (row["tp"], row["fp"], row["fn"], row["predicted"]) == (1, 1, 1, 4)
    assert row["precision"] == 0.5 and row["recall"] == 0.5 and row["estimate"] == 4.0  # 4 * .5 / .5
    assert row["thin"] and row["corrected"].endswith("\u2020")
    assert rep.gold.n_used == 4 and "4 of 4" not in " ".join(rep.notes)
    est = rep.cell_estimates["technique_x_modality"][("quantization", "text")]
    assert est.predicted == 3


def test_every_file_is_written(written):
    _, out, files = written
    names = {str(p.relative_to(out)) for p in files}
    for expected in ["index.html", "report.md", "summary.json", "long_form.csv", "papers.csv",
                     "tables/technique_x_modality.md", "tables/technique_x_modality.csv",
                     "tables/technique_x_modality.tex", "tables/technique_x_modality_cells.csv",
                     "tables/technique_x_modality_corrected.md", "tables/technique_x_hardware.tex",
                     "tables/label_quality_and_corrected_counts.csv", "trends/technique_counts.csv",
                     "trends/technique_shares.csv", "trends/trends_long.csv", "trends/technique_rising.csv",
                     "trends/venues_per_year.csv", "claims/bits.csv", "claims/hardware.csv",
                     "claims/speedups_by_technique.csv"]:
        assert expected in names, expected
        assert (out / expected).stat().st_size > 0
    long = pd.read_csv(out / "long_form.csv")
    assert len(long) == 26 and {"id", "facet", "label", "top", "score", "source", "evidence"} <= set(long.columns)
    cells = pd.read_csv(out / "tables/technique_x_modality_cells.csv")
    row = cells[(cells["row"] == "quantization") & (cells["col"] == "text")].iloc[0]
    assert row["count"] == 3 and row["papers"] == "p1;p3;p5" and "corrected_low" in cells.columns
    papers = pd.read_csv(out / "papers.csv")
    assert papers.set_index("id").loc["p1", "cite_key"] == "lovelace2022papera"  # p1 and p2 clash: a, b by id; same key as `papertag export`
    assert "lovelace2022papera" in (out / "index.html").read_text()
    assert "cite_key" in long.columns
    summary = json.loads((out / "summary.json").read_text())
    assert summary["papers"] == 8 and "index.html" in summary["files"]


def test_every_plot_exists_as_png_and_svg_and_opens(written):
    _, out, _ = written
    pngs = sorted((out / "plots").glob("*.png"))
    stems = {p.stem for p in pngs}
    assert {"crosstab_technique_x_modality", "crosstab_technique_x_hardware", "trends_technique", "rising_technique",
            "claims_bits", "claims_hardware", "claims_speedups", "corrected_technique"} <= stems
    for png in pngs:
        with Image.open(png) as im:
            im.verify()
        with Image.open(png) as im:
            w, h = im.size
        assert 500 <= w <= 4000 and 250 <= h <= 4000, (png.name, w, h)
        svg = png.with_suffix(".svg")
        assert svg.exists() and svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_html_is_self_contained(written):
    _, out, _ = written
    html = (out / "index.html").read_text()
    assert html.count('src="data:image/png;base64,') >= 8
    assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?://', html)  # nothing fetched
    assert "Paper p1: Efficient Things" in html and "How sure are these counts?" in html
    assert "n_tagged &times; P / R" in html and "Thin gold" in html


def test_markdown_report_holds_the_tables(written):
    _, out, _ = written
    md = (out / "report.md").read_text()
    assert "| Quantization" in md and "## Trends" in md and "Bit-widths claimed (papers): 4-bit 3, 8-bit 1" in md


def test_refuses_a_non_empty_folder(written, taxonomy):
    rep, out, _ = written
    with pytest.raises(ReportError, match="--force"):
        write_report(rep, out, plots=False)


def test_filters_that_leave_nothing_are_an_error(taxonomy, papers):
    with pytest.raises(ReportError, match="no papers left"):
        build_report(papers, taxonomy, filters=Filters(since=2030))


def test_same_facet_twice_is_a_co_occurrence_table(taxonomy, papers):
    rep = build_report(papers, taxonomy, pairs=[("technique", "technique")])
    ct = rep.crosstabs[0]
    assert ct.counts.loc["quantization", "pruning"] == 1 == ct.counts.loc["pruning", "quantization"]  # p3
    assert ct.counts.loc["quantization", "quantization"] == 4 == ct.counts.loc["quantization", TOTAL_COL]


def test_unknown_facet_is_an_error(taxonomy, papers):
    with pytest.raises(ReportError, match="unknown facet 'colour'"):
        build_report(papers, taxonomy, pairs=[("technique", "colour")])

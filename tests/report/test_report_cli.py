"""``papertag report`` end to end: tagged input, untagged input tagged on the fly, filters, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from papertag.cli import app
from papertag.resources import project_home

runner = CliRunner()
EXAMPLE = project_home() / "examples" / "papers.jsonl"


def run(*args: str):
    return runner.invoke(app, list(args))


def write_tagged(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_report_from_tagged_jsonl_with_filters(tmp_path, all_papers):
    src = write_tagged(tmp_path / "tagged.jsonl", all_papers)
    out = tmp_path / "rep"
    result = run("report", str(src), "--out", str(out), "--where", "technique=quantization", "--since", "2022",
                 "--no-gold", "--no-plots", "--table", "technique:architecture")
    assert result.exit_code == 0, result.output
    assert "Report on 3 of 8 paper(s)" in result.stderr  # p1 p3 p5 (p8 has no year)
    md = (out / "tables" / "technique_x_architecture.md").read_text()
    assert "| Quantization" in md and "Vision transformer" in md
    assert (out / "index.html").exists() and not (out / "plots" / "trends_technique.png").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["filters"] == "technique=quantization; year >= 2022"


def test_untagged_input_is_tagged_on_the_fly(tmp_path):
    out = tmp_path / "rep"
    result = run("report", str(EXAMPLE), "--out", str(out), "--rules-only", "--no-gold", "--no-plots", "--no-html")
    assert result.exit_code == 0, result.output
    assert "tagged 22 on the fly" in result.stderr
    long = (out / "long_form.csv").read_text()
    assert "ex-01,technique,quantization/post_training" in long


def test_unknown_label_in_where_exits_1_with_a_hint(tmp_path, all_papers):
    src = write_tagged(tmp_path / "tagged.jsonl", all_papers)
    result = run("report", str(src), "--out", str(tmp_path / "rep"), "--where", "technique=quantisation")
    assert result.exit_code == 1
    assert "did you mean 'quantization'" in result.stderr


def test_bad_tagged_line_names_file_and_line(tmp_path, all_papers):
    src = tmp_path / "tagged.jsonl"
    src.write_text(json.dumps(all_papers[0]) + "\n" + json.dumps({"id": "x", "labels": ["quantization"],
                                                                   "scores": {}}) + "\n")
    result = run("report", str(src), "--out", str(tmp_path / "rep"), "--no-gold")
    assert result.exit_code == 1
    assert f"{src}, line 2" in result.stderr and "'labels' to map facets" in result.stderr
    result = run("report", str(src), "--out", str(tmp_path / "rep"), "--no-gold", "--no-plots", "--on-error", "skip")
    assert result.exit_code == 0, result.output
    assert "Skipped:" in result.stderr and "line 2" in result.stderr


def test_non_empty_out_needs_force(tmp_path, all_papers):
    src = write_tagged(tmp_path / "tagged.jsonl", all_papers)
    out = tmp_path / "rep"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("report", str(src), "--out", str(out), "--no-gold")
    assert result.exit_code == 1 and "--force" in result.stderr
    assert (out / "keep.txt").read_text() == "mine"


def test_bad_table_spec_is_a_usage_error(tmp_path, all_papers):
    src = write_tagged(tmp_path / "tagged.jsonl", all_papers)
    result = run("report", str(src), "--out", str(tmp_path / "rep"), "--table", "technique")
    assert result.exit_code == 2 and "ROW:COL" in result.output

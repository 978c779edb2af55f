"""``papertag tag`` end to end: formats, stdin, output files, bad input and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papertag.cli import app
from papertag.resources import project_home

runner = CliRunner()
EXAMPLE = project_home() / "examples" / "papers.jsonl"


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_tags_the_bundled_example_as_jsonl():
    result = run("tag", str(EXAMPLE), "--rules-only")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 22
    by_id = {r["id"]: r for r in rows}
    assert "quantization/post_training" in by_id["ex-01"]["labels"]["technique"]
    assert "pruning/structured" in by_id["ex-03"]["labels"]["technique"]
    assert by_id["ex-20"]["labels"]["technique"] == []  # a benchmark paper, not about efficiency
    assert "distillation" not in by_id["ex-19"]["labels"]["technique"]  # score distillation sampling
    assert "Tagged 22 paper(s)" in result.stderr
    # non-regression: the input location must not overwrite the per-label source map
    assert set(by_id["ex-01"]["source"].values()) <= {"rule", "model", "rule+model"}
    assert by_id["ex-01"]["input"] == {"file": str(EXAMPLE), "line": 1}


def test_every_technique_is_covered_by_the_example():
    result = run("tag", str(EXAMPLE), "--rules-only")
    seen = {lab.split("/")[0] for line in result.stdout.splitlines() for lab in json.loads(line)["labels"]["technique"]}
    expected = {"quantization", "pruning", "distillation", "nas", "low_rank", "peft", "token_reduction", "kv_cache",
                "dynamic_inference", "caching", "efficient_architecture", "memory_optimization", "efficient_training",
                "efficient_decoding"}
    assert expected <= seen, expected - seen


def test_table_and_csv_formats():
    table = run("tag", str(EXAMPLE), "--rules-only", "--format", "table")
    assert table.exit_code == 0 and "TinyQuant" in table.stdout
    result = run("tag", str(EXAMPLE), "--rules-only", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 22 and rows[0]["id"] == "ex-01"


def test_reads_stdin():
    # plain text: one paper per blank-line-separated block, first line the title
    text = "Token Merging for Faster Vision Transformers\nWe merge similar tokens in ViTs to cut FLOPs by 40%.\n"
    result = run("tag", "-", "--rules-only", input=text)
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert "token_reduction/merging" in row["labels"]["technique"]


def test_output_file_is_not_overwritten_without_force(tmp_path: Path):
    out = tmp_path / "tagged.jsonl"
    assert run("tag", str(EXAMPLE), "--rules-only", "-o", str(out)).exit_code == 0
    first = out.read_text()
    assert len(first.splitlines()) == 22
    again = run("tag", str(EXAMPLE), "--rules-only", "-o", str(out))
    assert again.exit_code == 1
    assert "already exists; pass --force" in again.stderr
    assert run("tag", str(EXAMPLE), "--rules-only", "-o", str(out), "--force").exit_code == 0


def test_bad_record_names_file_and_line_and_skip_keeps_the_rest(tmp_path: Path):
    bad = tmp_path / "papers.jsonl"
    bad.write_text('{"id": "a", "title": "Channel pruning of CNNs"}\n{"id": "b", "title": oops}\n'
                   '{"id": "c", "title": "Knowledge distillation for detectors"}\n')
    result = run("tag", str(bad), "--rules-only")
    assert result.exit_code == 1
    assert f"{bad}, line 2" in result.stderr
    result = run("tag", str(bad), "--rules-only", "--on-error", "skip")
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    assert "Skipped" in result.stderr and "line 2" in result.stderr


def test_missing_file_is_a_data_error(tmp_path: Path):
    result = run("tag", str(tmp_path / "nope.jsonl"), "--rules-only")
    assert result.exit_code == 1
    assert "nope.jsonl" in result.stderr


@pytest.mark.parametrize("args", [["tag"], ["tag", "x", "--format", "xml"], ["tag", "x", "--input-format", "docx"],
                                  ["tag", "x", "--on-error", "maybe"], ["frobnicate"]])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_version_and_module_entry_point():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("papertag ")


@pytest.mark.slow
def test_jobs_give_the_same_output_as_one_process(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("tag", str(EXAMPLE), "-o", str(one)).exit_code == 0
    result = run("tag", str(EXAMPLE), "-o", str(two), "--jobs", "2", "--chunk-size", "5")
    assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.slow
def test_the_progress_bar_leaves_the_workers_forkable(tmp_path, monkeypatch):
    """The bar is drawn without a refresh thread, so --jobs still forks its workers (a thread would
    make papertag fall back to loky's slower-starting processes) and the output is unchanged."""
    from joblib.externals.loky import get_reusable_executor

    from papertag import parallel

    get_reusable_executor().shutdown(wait=True)  # an earlier test's loky threads would prevent forking
    if not parallel._can_fork():
        pytest.skip("this platform (or this test process, running other threads) cannot fork workers")
    forked = []
    real = parallel._forked

    def spy(*args, **kwargs):
        forked.append(True)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(parallel, "_forked", spy)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("tag", str(EXAMPLE), "-o", str(one), "--no-progress").exit_code == 0
    result = run("tag", str(EXAMPLE), "-o", str(two), "--progress", "--jobs", "2", "--chunk-size", "5")
    assert result.exit_code == 0, result.output
    assert forked and one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--backend", "dask"], "needs --scheduler"),
    (["--backend", "spark"], "expected 'loky' or 'dask'"),
    (["--jobs", "0"], "positive number of workers"),
    (["--rules-only", "--model-only"], "exclude each other"),
])
def test_bad_parallel_options_are_usage_errors(args, message):
    import re

    result = run("tag", str(EXAMPLE), *args)
    assert result.exit_code == 2
    assert message in re.sub(r"[\s│╭╮╰╯─]+", " ", result.output)  # rich wraps usage errors in a box


def test_model_only_tags_without_rule_evidence():
    result = run("tag", str(EXAMPLE), "--model-only")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(r["source"] for r in rows)  # the model tags something
    for r in rows:
        assert set(r["source"].values()) <= {"model"}
        assert r["claims"] == []
        assert all("rule" not in ev for evs in r["evidence"].values() for ev in evs)


def test_streamed_gzip_input_with_a_bad_line_keeps_the_good_ones(tmp_path):
    import gzip

    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    data = "\n".join(lines[:3] + ["{not json"] + lines[3:6]) + "\n"
    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(gzip.compress(data.encode()))
    result = run("tag", str(path), "--rules-only", "--on-error", "skip")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 6
    assert f"{path}, line 4" in result.stderr and "skipped 1 bad record" in result.stderr

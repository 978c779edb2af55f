"""``papertag eval --split``: papers a review queue picked (split train) are left out by default."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from papertag.cli import app

DATA = Path(__file__).resolve().parents[1] / "model" / "data"
PAPERS = str(DATA / "papers.jsonl")

runner = CliRunner()


def test_eval_measures_the_eval_split_by_default(tmp_path):
    lines = [json.loads(x) for x in (DATA / "gold.jsonl").read_text().splitlines()]
    for n, obj in enumerate(lines):
        if n < 10:
            obj["split"] = "train"
        elif n < 20:
            obj["split"] = "eval"  # the rest carry no split: they count as eval (older gold files)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines))
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", PAPERS, "--rules-only"])
    assert r.exit_code == 0, r.output
    assert "Gold papers evaluated: 30" in r.output and "10 gold paper(s) of other splits are left out" in r.output
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", PAPERS, "--rules-only", "--split", "all"])
    assert "Gold papers evaluated: 40" in r.output and "other splits" not in r.output
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", PAPERS, "--rules-only", "--split", "train"])
    assert "Gold papers evaluated: 10" in r.output
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", PAPERS, "--rules-only", "--split", "dev"])
    assert r.exit_code == 2

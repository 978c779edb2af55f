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


def test_train_leaves_the_eval_split_out_and_eval_measures_it(tmp_path):
    lines = [json.loads(x) for x in (DATA / "gold.jsonl").read_text().splitlines()]
    for n, obj in enumerate(lines):
        obj["split"] = "train" if n < 10 else "eval"
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines))
    out = tmp_path / "m"
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--gold", str(gold), "--out", str(out), "--seed", "1"])
    assert r.exit_code == 0, r.output
    assert "30 papers of the eval split left out" in r.output
    card = json.loads((out / "card.json").read_text())
    assert card["gold"]["n_papers"] == 10 and set(card["gold"]["ids"]) <= {x["id"] for x in lines[:10]}
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", PAPERS, "--model", str(out)])
    assert r.exit_code == 0, r.output
    assert "Gold papers evaluated: 30" in r.output  # the eval split, none of it trained on
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--gold", str(gold), "--out", str(out), "--force",
                            "--gold-split", "all"])
    assert r.exit_code == 0 and json.loads((out / "card.json").read_text())["gold"]["n_papers"] == 40

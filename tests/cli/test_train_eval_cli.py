"""``papertag train`` and ``papertag eval`` through Typer's CliRunner, on the tiny fixture corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papertag.cli import app
from papertag.resources import taxonomy_path

DATA = Path(__file__).resolve().parents[1] / "model" / "data"
PAPERS = str(DATA / "papers.jsonl")
GOLD = str(DATA / "gold.jsonl")

runner = CliRunner()


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    """A project home with the real taxonomy and the fixture rules (deterministic as the rules grow)."""
    h = tmp_path / "home"
    (h / "taxonomy").mkdir(parents=True)
    shutil.copy(taxonomy_path(), h / "taxonomy" / "taxonomy.yml")
    shutil.copytree(DATA / "rules", h / "rules")
    (h / "models").mkdir()
    (h / "labels").mkdir()
    monkeypatch.setenv("PAPERTAG_HOME", str(h))
    return h


@pytest.fixture()
def trained(home) -> Path:
    out = home / "models" / "tiny"
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--out", str(out), "--seed", "1"])
    assert r.exit_code == 0, r.output
    return out


def test_train_writes_a_model_folder(trained):
    assert {p.name for p in trained.iterdir()} == {"model.joblib", "card.json", "card.md"}
    card = json.loads((trained / "card.json").read_text())
    assert card["corpus"]["n_papers"] == 160 and card["seed"] == 1
    for key in ("taxonomy_sha256", "rules_sha256", "model_sha256", "versions", "cv_summary", "labels", "thresholds",
                "review_low", "reliability", "timings", "command", "trained_at"):
        assert key in card, key
    assert {"papertag", "scikit-learn", "spacy"} <= set(card["versions"])
    assert card["labels"]["technique/quantization"]["trained"]
    assert card["labels"]["technique/quantization"]["mv_positive"] >= 1
    assert "papertag train --corpus" in card["command"]
    assert "Cross-validated" in (trained / "card.md").read_text()


def test_train_summary_output(home):
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--out", str(home / "models" / "m"), "--quiet"])
    assert r.exit_code == 0, r.output
    assert "Model written to" in r.output and "cross-validated micro P/R/F1" in r.output


def test_train_refuses_to_overwrite(trained):
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--out", str(trained)])
    assert r.exit_code == 1
    assert "already exists; pass --force" in r.output


def test_train_force_and_max_papers(trained):
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--out", str(trained), "--force", "--max-papers", "120", "-q"])
    assert r.exit_code == 0, r.output
    assert json.loads((trained / "card.json").read_text())["corpus"]["n_papers"] == 120


def test_train_takes_several_paths_after_the_flag(home, tmp_path):
    lines = Path(PAPERS).read_text().splitlines()
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(lines[:80]) + "\n")
    b.write_text("\n".join(lines[80:]) + "\n")
    out = home / "models" / "two"
    r = runner.invoke(app, ["train", "--corpus", str(a), str(b), "--out", str(out), "-q"])  # as a shell glob expands
    assert r.exit_code == 0, r.output
    assert json.loads((out / "card.json").read_text())["corpus"]["n_papers"] == 160


def test_train_with_gold(home):
    out = home / "models" / "g"
    r = runner.invoke(app, ["train", "--corpus", PAPERS, "--gold", GOLD, "--out", str(out), "-q"])
    assert r.exit_code == 0, r.output
    card = json.loads((out / "card.json").read_text())
    assert card["gold"]["n_papers_used"] == 40 and len(card["gold"]["ids"]) == 40
    # eval leaves the gold papers the model was trained on out
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(out), "--corpus", PAPERS])
    assert r.exit_code == 1
    assert "no gold paper left to evaluate" in r.output
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(out), "--corpus", PAPERS, "--include-train-gold"])
    assert r.exit_code == 0, r.output


def test_train_bad_corpus(home):
    r = runner.invoke(app, ["train", "--corpus", str(home / "missing.jsonl"), "--out", str(home / "models" / "x")])
    assert r.exit_code == 1
    assert "missing.jsonl" in r.output and "no such file" in r.output


def test_eval_table_and_json(trained, tmp_path):
    out = tmp_path / "eval.json"
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained), "--corpus", PAPERS, "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert "Gold papers evaluated: 40" in r.output
    assert "rules + model" in r.output and "rules (majority vote)" in r.output
    d = json.loads(out.read_text())
    assert set(d["systems"]) == {"rules", "rules_mv", "model", "combined"}
    for s in d["systems"].values():
        assert {"precision", "recall", "f1", "support"} <= set(s["per_label"]["modality/image"])
        assert set(s["micro"]) == {"micro_precision", "micro_recall", "micro_f1"}


def test_eval_json_to_stdout(trained):
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained), "--corpus", PAPERS, "--json", "-"])
    assert r.exit_code == 0, r.output
    assert '"systems"' in r.output


def test_eval_defaults_without_a_model(home):
    shutil.copy(GOLD, home / "labels" / "gold.jsonl")
    r = runner.invoke(app, ["eval", "--corpus", PAPERS])
    assert r.exit_code == 0, r.output
    assert "no model" in r.output


def test_eval_needs_text(trained):
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained)])
    assert r.exit_code == 1
    assert "pass --corpus" in r.output


def test_eval_refuses_a_tampered_model(trained):
    with open(trained / "model.joblib", "ab") as fh:
        fh.write(b"x")
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained), "--corpus", PAPERS])
    assert r.exit_code == 1
    assert "does not match" in r.output


def test_eval_bad_gold_line(home, tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "fx:000", "labels": {"technique": ["nope"]}}\n')
    r = runner.invoke(app, ["eval", "--gold", str(bad), "--corpus", PAPERS, "--rules-only"])
    assert r.exit_code == 1
    assert f"{bad}: line 1: unknown label 'nope'" in r.output


def test_eval_time_split(trained):
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained), "--corpus", PAPERS,
                            "--time-split", "2023", "--json", "-"])
    assert r.exit_code == 0, r.output
    assert "Time split at 2023" in r.output
    ts = json.loads(r.output[r.output.index("{"):])["time_split"]
    assert ts["n_train"] > 0 and "weak" in ts


def test_time_split_needs_corpus(trained):
    r = runner.invoke(app, ["eval", "--gold", GOLD, "--model", str(trained), "--time-split", "2023"])
    assert r.exit_code == 2
    assert "needs --corpus" in r.output

"""``papertag rules stats`` through Typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from papertag.cli import app

runner = CliRunner()

PAPERS = [
    {"id": "a", "title": "Post-training quantization of detectors", "abstract": "We quantize a detector to 4 bits."},
    {"id": "b", "title": "Pruning vision transformers", "abstract": "We prune attention heads of a ViT."},
    {"id": "c", "title": "Distilling language models", "abstract": "A small student learns from a large teacher."},
]


def _gold_line(pid: str, technique: list[str], split: str | None) -> str:
    entry = {"id": pid, "labels": {"technique": technique, "modality": [], "architecture": [], "hardware": []},
             "facets": ["technique", "modality", "architecture", "hardware"], "reviewer": "ana",
             "time": "2026-12-01T00:00:00+00:00", "answer": "accept"}
    if split:
        entry["split"] = split
    return json.dumps(entry) + "\n"


def test_precision_is_measured_on_the_eval_split_unless_asked(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in PAPERS))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(_gold_line("a", ["quantization"], None) + _gold_line("b", ["pruning"], "eval")
                    + _gold_line("c", ["distillation"], "train"))

    def n_gold(*extra: str) -> tuple[int, str]:
        out = tmp_path / f"stats{len(extra)}.json"
        r = runner.invoke(app, ["rules", "stats", str(papers), "--gold", str(gold), "--json", str(out), "--force",
                                *extra])
        assert r.exit_code == 0, r.output
        return json.loads(out.read_text())["n_gold"], r.output

    n, output = n_gold()
    assert n == 2 and "1 gold paper(s) of other splits are left out" in output  # a (no split) and b
    assert n_gold("--split", "train")[0] == 1
    assert n_gold("--split", "all")[0] == 3
    r = runner.invoke(app, ["rules", "stats", str(papers), "--gold", str(gold), "--split", "test"])
    assert r.exit_code == 2 and "expected eval, train or all" in r.output

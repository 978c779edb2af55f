"""``papertag gold ...`` through Typer's CliRunner on a small log written here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from papertag.cli import app
from papertag.gold import load_gold
from papertag.review.log import LabelDecision, append_submission, new_submission

runner = CliRunner()


def write_log(path):
    def s(pid, who, *keys, **kw):
        return new_submission(pid, who, [LabelDecision(k.split("/", 1)[0], k.split("/", 1)[1], "add") for k in keys],
                              **kw)

    append_submission(path, [
        s("p1", "ana", "technique/pruning", "modality/image"), s("p1", "ben", "technique/pruning", "modality/image"),
        s("p2", "ana", "technique/nas"), s("p2", "ben", "technique/distillation"),
        s("p3", "ana", "modality/text", strategy="random"),
    ])


def test_export_conflicts_agreement(tmp_path):
    log = tmp_path / "d.jsonl"
    write_log(log)
    out = tmp_path / "gold.jsonl"
    r = runner.invoke(app, ["gold", "export", "--log", str(log), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "3 papers" in r.output and "1 conflict(s)" in r.output
    gold = load_gold(out)
    assert gold["p1"].keys == {"technique/pruning", "modality/image"}
    assert "technique" not in gold["p2"].facets  # the conflict is left out
    r = runner.invoke(app, ["gold", "export", "--log", str(log), "-o", str(out), "--split", "eval"])
    assert list(load_gold(out)) == ["p3"]
    r = runner.invoke(app, ["gold", "conflicts", "--log", str(log)])
    assert r.exit_code == 0 and "p2  technique: differ on distillation, nas" in r.output
    r = runner.invoke(app, ["gold", "conflicts", "--log", str(log), "--json"])
    assert json.loads(r.output.splitlines()[0])["reviewers"] == {"ana": ["nas"], "ben": ["distillation"]}
    r = runner.invoke(app, ["gold", "agreement", "--log", str(log)])
    assert r.exit_code == 0, r.output
    assert "ana vs ben: Cohen's kappa" in r.output and "technique/pruning" in r.output


def test_import_prodigy_and_check(tmp_path):
    log = tmp_path / "d.jsonl"
    src = tmp_path / "prodigy.jsonl"
    src.write_text(json.dumps({"text": "Tiny LLMs\n\nWe quantize.", "meta": {"id": "q1", "title": "Tiny LLMs"},
                               "accept": ["technique/quantization", "architecture/llm"], "answer": "accept",
                               "_annotator_id": "cho"}) + "\n")
    r = runner.invoke(app, ["gold", "import", str(src), "--log", str(log)])
    assert r.exit_code == 0 and "Imported 1 annotation(s)" in r.output and "by cho" in r.output
    r = runner.invoke(app, ["gold", "import", str(src), "--log", str(log)])
    assert "Imported 0" in r.output  # not twice
    with log.open("ab") as fh:
        fh.write(b'{"kind": "label", "id": "q2"')  # a crash in mid-write
    r = runner.invoke(app, ["gold", "check", "--log", str(log)])
    assert r.exit_code == 1 and "line 4 is incomplete" in r.output
    r = runner.invoke(app, ["gold", "check", "--log", str(log), "--repair"])
    assert r.exit_code == 0 and "moved to" in r.output and (tmp_path / "d.jsonl.torn").exists()
    r = runner.invoke(app, ["gold", "export", "--log", str(log), "--format", "labelstudio", "-o",
                            str(tmp_path / "ls.json"), "--config", str(tmp_path / "ls.xml")])
    assert r.exit_code == 0, r.output
    tasks = json.loads((tmp_path / "ls.json").read_text())
    assert tasks[0]["data"]["paper_id"] == "q1" and (tmp_path / "ls.xml").read_text().startswith("<View>")


def test_bad_import_exits_1_with_file_and_place(tmp_path):
    src = tmp_path / "ls.json"
    src.write_text('[{"data": {"paper_id": "x"}, "annotations": [{"completed_by": 1, "result": '
                   '[{"from_name": "colour", "type": "choices", "value": {"choices": ["red"]}}]}]}]')
    r = runner.invoke(app, ["gold", "import", str(src), "--log", str(tmp_path / "d.jsonl")])
    assert r.exit_code == 1 and "task 1 (x), annotation 1: region from_name 'colour' is not a facet" in r.output


def test_labelstudio_tasks_pre_annotated_with_papertags_labels(tmp_path):
    from papertag.resources import project_home

    example = str(project_home() / "examples" / "papers.jsonl")
    tagged = tmp_path / "tagged.jsonl"
    r = runner.invoke(app, ["tag", example, "-o", str(tagged), "--rules-only", "--no-progress"])
    assert r.exit_code == 0, r.output
    n = sum(1 for line in tagged.read_text().splitlines() if line.strip())
    out = tmp_path / "tasks.json"
    # no decision log yet: the tasks carry papertag's labels only
    r = runner.invoke(app, ["gold", "export", "--log", str(tmp_path / "none.jsonl"), "--format", "labelstudio",
                            "--predictions", str(tagged), "--corpus", example, "-o", str(out)])
    assert r.exit_code == 0, r.output
    tasks = json.loads(out.read_text())
    assert len(tasks) == n and all(t["data"]["abstract"] and len(t["predictions"]) == 1 for t in tasks)
    assert any(t["predictions"][0]["result"] for t in tasks)

    r = runner.invoke(app, ["gold", "export", "--predictions", str(tagged), "-o", str(tmp_path / "g.jsonl")])
    assert r.exit_code == 2 and "--format labelstudio" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(tagged.read_text().splitlines()[0] + "\n{\"id\": \"x\"}\n")
    r = runner.invoke(app, ["gold", "export", "--log", str(tmp_path / "none.jsonl"), "--format", "labelstudio",
                            "--predictions", str(bad)])
    assert r.exit_code == 1 and f"{bad}, line 2: expected 'labels'" in r.output

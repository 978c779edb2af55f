"""Output files are written atomically and never overwritten by accident."""

from __future__ import annotations

import csv
import io
import json

import pytest

from papertag.errors import OutputExistsError
from papertag.output import CSV_COLUMNS, OutputFormat, atomic_writer, render, write_papers
from papertag.tagger import Tagger


@pytest.fixture(scope="module")
def papers(engine):
    tagger = Tagger(engine=engine)
    return [
        tagger.tag_text("Post-training quantization of LLMs to 4-bit", "We propose a PTQ method for large language "
                        "models that runs 3.4x faster on an NVIDIA A100 GPU.", id="p1"),
        tagger.tag_text("A survey of bird songs", id="p2"),
    ]


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("keep me\n")
    with pytest.raises(OutputExistsError, match="--force"):
        with atomic_writer(target):
            pass
    assert target.read_text() == "keep me\n"
    with atomic_writer(target, force=True) as fh:
        fh.write("new\n")
    assert target.read_text() == "new\n"


def test_a_failure_midway_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_jsonl_follows_the_contract(papers, taxonomy, tmp_path):
    out = tmp_path / "tagged.jsonl"
    assert write_papers(papers, fmt=OutputFormat.JSONL, out=out) == 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    first = rows[0]
    assert first["id"] == "p1"
    assert set(first["labels"]) == {"technique", "modality", "architecture", "hardware"}
    assert set(first["scores"]) == set(taxonomy.keys)
    assert "quantization" in first["labels"]["technique"]
    text = first["title"] + "\n\n" + "We propose a PTQ method for large language models that runs 3.4x faster on " \
                                     "an NVIDIA A100 GPU."
    for key, evidence in first["evidence"].items():
        assert first["source"][key] in ("rule", "model", "rule+model")
        for ev in evidence:
            if "start" in ev:
                assert text[ev["start"]:ev["end"]] == ev["text"]
    assert rows[1]["labels"] == {"technique": [], "modality": [], "architecture": [], "hardware": []}


def test_csv_flattens_labels_and_claims(papers):
    rows = list(csv.DictReader(io.StringIO(render(papers, OutputFormat.CSV))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert "quantization" in rows[0]["technique"].split(";")
    assert "4" in rows[0]["claims_bits"].split(";")
    assert rows[1]["technique"] == ""


def test_table_shows_titles_and_labels(papers):
    out = render(papers, OutputFormat.TABLE)
    assert "Post-training quantization" in out
    assert "quantization" in out

"""Gold labels: loading (latest wins, errors with file and line) and safe appending."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

import pytest

from papertag.gold import GoldFileError, append_gold, gold_entry, load_gold, read_gold_lines

ALL = ["technique", "modality", "architecture", "hardware"]


def line(pid, labels, **kw) -> str:
    return json.dumps({"id": pid, "labels": labels, **kw})


def write(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_load_and_parents_implied(tmp_path, taxonomy):
    p = write(tmp_path, line("a", {"technique": ["quantization/post_training"], "modality": ["text"]},
                             reviewer="r", time="2026-05-01T12:00:00+00:00", answer="accept"))
    g = load_gold(p, taxonomy)["a"]
    assert g.labels["technique"] == ("quantization", "quantization/post_training")
    assert g.keys == {"technique/quantization", "technique/quantization/post_training", "modality/text"}
    assert g.facets == tuple(ALL)  # default: all four judged
    assert (g.reviewer, g.answer, g.line, g.has_text) == ("r", "accept", 1, False)


def test_latest_line_per_id_wins(tmp_path, taxonomy):
    p = write(tmp_path,
              line("a", {"modality": ["image"]}),
              line("b", {"modality": ["text"]}),
              line("a", {"modality": ["video"]}, answer="correct"))
    gold = load_gold(p, taxonomy)
    assert gold["a"].keys == {"modality/video"} and gold["a"].line == 3
    assert list(gold) == ["b", "a"]
    assert len(read_gold_lines(p, taxonomy)) == 3


def test_reject_removes_the_paper(tmp_path, taxonomy):
    p = write(tmp_path, line("a", {"modality": ["image"]}), line("a", {}, answer="reject"))
    assert load_gold(p, taxonomy) == {}
    assert load_gold(p, taxonomy, include_rejected=True)["a"].keys == frozenset()


def test_facets_judged(tmp_path, taxonomy):
    p = write(tmp_path, line("a", {"modality": ["image"]}, facets=["modality"]))
    g = load_gold(p, taxonomy)["a"]
    assert g.facets == ("modality",) and g.labels == {"modality": ("image",)}


# (line text, message expected in the error)
BAD_LINES = [
    ("{not json", "line 2: not valid JSON"),
    ("[1, 2]", "line 2: expected a JSON object, got list"),
    (line("", {}), "line 2: 'id' must be a non-empty string"),
    (line("x", ["image"]), "line 2: 'labels' must be an object"),
    (line("x", {"technique": ["quantisation"]}), "line 2: unknown label 'quantisation' in facet 'technique'; did you mean 'quantization'"),
    (line("x", {"technique": ["technique/pruning"]}), "labels are ids within the facet: write 'pruning'"),
    (line("x", {"technique": ["image"]}), "'image' is a label of facet 'modality'"),
    (line("x", {"method": ["pruning"]}), "unknown facet 'method' in 'labels'"),
    (line("x", {"modality": "image"}), "'labels.modality' must be a list of label ids"),
    (line("x", {"modality": ["image"]}, facets=["technique"]), "'labels.modality' lists labels but 'modality' is not in 'facets'"),
    (line("x", {}, answer="maybe"), "'answer' must be one of accept, correct, reject"),
    (line("x", {}, time="yesterday"), "'time' must be an ISO 8601 date-time"),
]


@pytest.mark.parametrize("bad, message", BAD_LINES)
def test_malformed_line_names_file_and_line(tmp_path, taxonomy, bad, message):
    p = write(tmp_path, line("ok", {"modality": ["image"]}), bad)
    with pytest.raises(GoldFileError) as exc:
        load_gold(p, taxonomy)
    assert str(p) in str(exc.value)
    assert message in str(exc.value)


def test_every_problem_is_reported(tmp_path, taxonomy):
    p = write(tmp_path, "{bad", line("x", {"technique": ["nope"]}), line("ok", {}), line("", {}))
    with pytest.raises(GoldFileError) as exc:
        load_gold(p, taxonomy)
    assert [pr.where for pr in exc.value.problems] == ["line 1", "line 2", "line 4"]


def test_missing_file(tmp_path, taxonomy):
    with pytest.raises(GoldFileError, match="file not found"):
        load_gold(tmp_path / "nope.jsonl", taxonomy)


def test_blank_lines_are_skipped(tmp_path, taxonomy):
    p = write(tmp_path, "", line("a", {}), "   ")
    assert list(load_gold(p, taxonomy)) == ["a"]


def test_extra_keys_are_kept(tmp_path, taxonomy):
    p = write(tmp_path, line("a", {}, model_id="m1"))
    g = load_gold(p, taxonomy)["a"]
    assert g.extra == {"model_id": "m1"}
    assert g.to_dict()["model_id"] == "m1"


# ---------------------------------------------------------------------------- writing
def test_append_and_read_back(tmp_path, taxonomy):
    p = tmp_path / "labels" / "gold.jsonl"
    n = append_gold(p, [gold_entry("a", ["technique/pruning", "modality/image"], reviewer="me", answer="accept"),
                        gold_entry("b", {"modality": ["text"]}, facets=["modality"])], taxonomy=taxonomy)
    assert n == 2
    gold = load_gold(p, taxonomy)
    assert gold["a"].keys == {"technique/pruning", "modality/image"}
    assert gold["b"].facets == ("modality",)
    append_gold(p, [gold["a"]], taxonomy=taxonomy)  # a GoldLabel can be written back
    assert len(read_gold_lines(p, taxonomy)) == 3


def test_append_validates_before_writing(tmp_path, taxonomy):
    p = tmp_path / "gold.jsonl"
    with pytest.raises(GoldFileError, match="new entry 2: unknown label 'nope'"):
        append_gold(p, [gold_entry("a", []), gold_entry("b", ["technique/nope"])], taxonomy=taxonomy)
    assert not p.exists() or p.read_text() == ""


def test_append_after_a_line_without_newline(tmp_path, taxonomy):
    p = tmp_path / "gold.jsonl"
    p.write_text(line("a", {}))  # hand-edited, no final newline
    append_gold(p, [gold_entry("b", [])], taxonomy=taxonomy)
    assert list(load_gold(p, taxonomy)) == ["a", "b"]


def _writer(args):
    path, k = args
    from papertag.gold import append_gold, gold_entry

    for i in range(25):
        append_gold(path, [gold_entry(f"p{k}-{i}", ["modality/image"], note="x" * 2000)])


def test_concurrent_appends_never_interleave(tmp_path, taxonomy):
    p = str(tmp_path / "gold.jsonl")
    with mp.get_context("fork").Pool(4) as pool:
        pool.map(_writer, [(p, k) for k in range(4)])
    assert len(load_gold(p, taxonomy)) == 100

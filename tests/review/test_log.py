"""The decision log: round trip, validation, two writer processes, a crash in mid-write."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from papertag.review.log import (DecisionLogError, LabelDecision, TornTailError, append_submission, new_submission,
                                 read_log, repair_torn_tail)

SRC = Path(__file__).resolve().parents[2] / "src"


def sub(pid: str = "p1", reviewer: str = "ana", *decisions: LabelDecision, **kw):
    return new_submission(pid, reviewer, decisions, **kw)


def test_round_trip_keeps_every_field(tmp_path, taxonomy):
    log = tmp_path / "decisions.jsonl"
    s = sub("p1", "ana", LabelDecision("technique", "pruning", "accept", 0.91, "rule+model"),
            LabelDecision("technique", "quantization", "reject", 0.42, "model"),
            LabelDecision("hardware", "gpu", "add"), note="structured pruning", model="tfidf-lr@1234abcd",
            strategy="uncertainty", text_hash="abc")
    assert append_submission(log, s, taxonomy=taxonomy) == 4  # three label lines + the paper line
    read = read_log(log, taxonomy)
    assert read.torn is None and read.incomplete == []
    [back] = read.submissions
    assert back.decisions == s.decisions and back.note == "structured pruning" and back.answer == "correct"
    assert back.positives("technique") == {"pruning"} and back.positives("hardware") == {"gpu"}
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [x["kind"] for x in lines] == ["label", "label", "label", "paper"]
    first = lines[0]
    assert (first["id"], first["facet"], first["label"], first["decision"], first["reviewer"], first["model"],
            first["score"], first["text_hash"]) == ("p1", "technique", "pruning", "accept", "ana",
                                                     "tfidf-lr@1234abcd", 0.91, "abc")
    assert lines[2]["model"] is None  # an added label was not shown by any model


def test_child_implies_parent(taxonomy):
    s = sub("p", "ana", LabelDecision("technique", "quantization/post_training", "add"))
    assert s.positives("technique") == {"quantization", "quantization/post_training"}


def test_invalid_submission_writes_nothing(tmp_path, taxonomy):
    log = tmp_path / "d.jsonl"
    good = sub("p1", "ana", LabelDecision("technique", "pruning", "add"))
    bad = sub("p2", "ana", LabelDecision("technique", "teleportation", "add"),
              LabelDecision("modality", "text", "maybe"))
    with pytest.raises(DecisionLogError) as exc:
        append_submission(log, [good, bad], taxonomy=taxonomy)
    msg = str(exc.value)
    assert "unknown label 'technique/teleportation'" in msg and "new submission 2 (p2)" in msg
    assert "must be one of accept, reject, add" in msg
    assert not log.exists() or log.read_text() == ""


def test_malformed_line_is_reported_with_its_number(tmp_path, taxonomy):
    log = tmp_path / "d.jsonl"
    append_submission(log, sub("p1", "ana", LabelDecision("technique", "pruning", "add")), taxonomy=taxonomy)
    with log.open("a") as fh:
        fh.write('{"kind": "paper", "oops"\n')
    with pytest.raises(DecisionLogError, match=r"d.jsonl: line 3: not valid JSON"):
        read_log(log, taxonomy)


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {src!r})
    from papertag.review.log import LabelDecision, append_submission, new_submission
    from papertag.taxonomy import load_taxonomy
    tax = load_taxonomy()
    name, n = sys.argv[1], int(sys.argv[2])
    for i in range(n):
        s = new_submission(f"{{name}}-{{i}}", name, [LabelDecision("technique", "pruning", "accept", 0.5, "rule"),
                           LabelDecision("modality", "text", "add")], note="x" * 3000)
        append_submission(sys.argv[3], s, taxonomy=tax)
""")


def test_two_processes_never_interleave_or_lose_lines(tmp_path, taxonomy):
    log = tmp_path / "d.jsonl"
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(src=str(SRC)))
    n = 60
    procs = [subprocess.Popen([sys.executable, str(script), name, str(n), str(log)]) for name in ("ana", "ben")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    read = read_log(log, taxonomy)
    assert read.torn is None and read.incomplete == []
    assert len(read.submissions) == 2 * n
    assert len(log.read_text().splitlines()) == 2 * n * 3
    for name in ("ana", "ben"):
        mine = [s for s in read.submissions if s.reviewer == name]
        assert [s.id for s in mine] == [f"{name}-{i}" for i in range(n)]  # each writer's order is kept
        assert all(len(s.decisions) == 2 for s in mine)
    # a submission's three lines are adjacent: nobody wrote in between
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    for i in range(0, len(lines), 3):
        assert len({x["submission"] for x in lines[i:i + 3]}) == 1


CRASHER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {src!r})
    import papertag.review.log as log
    from papertag.taxonomy import load_taxonomy
    tax = load_taxonomy()
    path = sys.argv[1]
    ok = log.new_submission("confirmed", "ana", [log.LabelDecision("technique", "pruning", "add")])
    log.append_submission(path, ok, taxonomy=tax)
    print("confirmed", flush=True)
    real = os.write
    def half_then_die(fd, data):
        real(fd, bytes(data)[: len(data) // 2])
        os._exit(9)  # the process dies in mid-write: no newline, no fsync, no unlock
    log.os.write = half_then_die
    log.append_submission(path, log.new_submission("torn", "ana", [log.LabelDecision("modality", "text", "add")]),
                          taxonomy=tax)
""")


def test_crash_in_mid_write_loses_no_confirmed_decision(tmp_path, taxonomy):
    log = tmp_path / "d.jsonl"
    script = tmp_path / "crash.py"
    script.write_text(CRASHER.format(src=str(SRC)))
    proc = subprocess.run([sys.executable, str(script), str(log)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9 and "confirmed" in proc.stdout
    read = read_log(log, taxonomy)
    assert [s.id for s in read.submissions] == ["confirmed"]
    # the crash cut the unconfirmed submission in its second line: line 3 (its label line) is whole,
    # line 4 (its paper line) is torn; the submission has no closing line, so it does not count
    assert read.torn is not None and read.torn.line == 4
    assert "is incomplete" in str(read.torn) and '"kind": "paper"' in read.torn.text
    assert len(read.incomplete) == 1
    # nothing is glued onto the torn line
    with pytest.raises(TornTailError, match="gold check --repair"):
        append_submission(log, sub("after", "ana"), taxonomy=taxonomy)
    torn = repair_torn_tail(log)
    assert torn is not None and torn.text == read.torn.text
    side = Path(f"{log}.torn").read_text().splitlines()  # kept, not silently dropped
    assert json.loads(side[0])["kind"] == "label" and side[1] == read.torn.text
    append_submission(log, sub("after", "ana", LabelDecision("hardware", "cpu", "add")), taxonomy=taxonomy)
    read = read_log(log, taxonomy)
    assert read.torn is None and [s.id for s in read.submissions] == ["confirmed", "after"]
    assert read.incomplete == []
    assert repair_torn_tail(log) is None


def test_label_lines_without_their_paper_line_do_not_count(tmp_path, taxonomy):
    log = tmp_path / "d.jsonl"
    s = sub("p1", "ana", LabelDecision("technique", "pruning", "add"))
    log.write_text(json.dumps(s.lines()[0]) + "\n")
    read = read_log(log, taxonomy)
    assert read.submissions == [] and read.incomplete == [s.submission]

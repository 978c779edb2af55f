"""JSONL files are read as a stream: line numbers, gzip, bad lines and encodings."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from papertag.errors import IngestError
from papertag.ingest import iter_records, read_records

PAPERS = [{"id": f"p{i}", "title": f"Paper {i} on pruning", "abstract": "We prune channels."} for i in range(5)]


def write_jsonl(path: Path, rows, *, gz: bool = False, raw: bytes = b"") -> Path:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in rows) + raw
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_streamed_records_keep_order_and_line_numbers(tmp_path, gz):
    path = write_jsonl(tmp_path / ("a.jsonl.gz" if gz else "a.jsonl"), PAPERS, gz=gz)
    recs = read_records([str(path)])
    assert [r.id for r in recs.records] == [p["id"] for p in PAPERS]
    assert [r.source_line for r in recs.records] == [1, 2, 3, 4, 5]
    assert recs.formats[str(path)].value == "jsonl"


def test_a_bad_utf8_line_is_named_and_the_rest_still_read(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", PAPERS[:2], raw=b'{"title": "caf\xe9 pruning"}\n' + json.dumps(PAPERS[2]).encode() + b"\n")
    skipped = []
    recs = list(iter_records([str(path)], on_error="skip", skipped=skipped))
    assert [r.id for r in recs] == ["p0", "p1", "p2"]
    assert len(skipped) == 1 and skipped[0].line == 3 and "not valid UTF-8" in skipped[0].reason
    with pytest.raises(IngestError, match=r"line 3.*not valid UTF-8"):
        list(iter_records([str(path)]))


def test_malformed_line_in_a_large_file_is_reported_with_its_line(tmp_path):
    rows = PAPERS * 3000  # bigger than the 64 KB sniffing window
    path = write_jsonl(tmp_path / "big.jsonl", rows, raw=b'{"title": "unterminated\n')
    skipped = []
    recs = list(iter_records([str(path)], on_error="skip", skipped=skipped))
    assert len(recs) == len(rows)
    assert skipped[0].line == len(rows) + 1 and "malformed JSON" in skipped[0].reason


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(json.dumps(p).encode() for p in PAPERS[:2]) + b"\r\n")
    assert [r.title for r in read_records([str(path)]).records] == ["Paper 0 on pruning", "Paper 1 on pruning"]


def test_damaged_gzip_is_an_error_not_a_silent_stop(tmp_path):
    data = gzip.compress(b"".join(json.dumps(p).encode() + b"\n" for p in PAPERS * 2000))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    skipped = []
    recs = list(iter_records([str(path)], on_error="skip", skipped=skipped))
    assert recs and skipped and ("damaged" in skipped[-1].reason or "gzip" in skipped[-1].reason)

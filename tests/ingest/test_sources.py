"""Sources: paths, PathLike, glob patterns, stdin, duplicates; iter vs read."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from papertag.ingest import Format, iter_records, read_records


def test_glob_pattern_is_expanded_sorted(data):
    result = read_records([str(data / "papers.*")])
    assert list(result.formats) == [str(data / n) for n in ("papers.csv", "papers.json", "papers.jsonl", "papers.tsv")]
    assert len(result.records) == 3 + 3 + 4 + 2


def test_pathlike_and_single_source(data):
    recs = read_records(data / "abstracts.txt").records  # one source, not a list
    assert len(recs) == 3 and recs[0].source_file == str(data / "abstracts.txt")


def test_same_file_twice_is_read_once(data):
    path = str(data / "abstracts.txt")
    assert len(read_records([path, str(data / "abstracts.*"), Path(path)]).records) == 3


def test_pattern_skips_directories(tmp_path):
    (tmp_path / "sub.txt").mkdir()
    (tmp_path / "a.txt").write_text("A Title\n", encoding="utf-8")
    assert [r.title for r in read_records([str(tmp_path / "*.txt")]).records] == ["A Title"]


def _fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin(monkeypatch):
    _fake_stdin(monkeypatch, b'\xef\xbb\xbf{"title": "From stdin"}\r\n{"title": "Second"}\r\n')
    result = read_records(["-"])
    assert [(r.title, r.source_file, r.source_line) for r in result.records] == [
        ("From stdin", "<stdin>", 1), ("Second", "<stdin>", 2),
    ]
    assert result.formats == {"<stdin>": Format.JSONL}


def test_stdin_text_stream_without_buffer(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Abstract: from a text stream\n"))
    (rec,) = read_records(["-"]).records
    assert rec.abstract == "from a text stream" and rec.source_file == "<stdin>"


def test_stdin_bad_encoding_names_stdin(monkeypatch):
    from papertag.errors import IngestError

    _fake_stdin(monkeypatch, "Títle\n".encode("latin-1"))
    with pytest.raises(IngestError, match=r"^<stdin>, line 1: not valid UTF-8"):
        read_records(["-"])


def test_iter_records_is_lazy_and_fills_formats(data):
    formats: dict[str, Format] = {}
    it = iter_records([str(data / "plain.txt"), str(data / "missing.txt")], formats=formats)
    assert formats == {}  # nothing read yet
    assert next(it).title == "Early Exit Networks for Mobile Vision"
    assert formats == {str(data / "plain.txt"): Format.TEXT}


def test_read_records_appends_to_given_skipped_list(data, tmp_path):
    skipped: list = []
    result = read_records([str(tmp_path / "none.jsonl"), str(data / "plain.txt")], on_error="skip", skipped=skipped)
    assert result.skipped is skipped and len(skipped) == 1
    assert len(result.records) == 3


def test_bad_source_type():
    with pytest.raises(TypeError, match="an input must be a path"):
        read_records([42])  # type: ignore[list-item]


def test_gzip_file_is_read_transparently(write):
    import gzip

    path = write("papers.jsonl.gz", gzip.compress(b'{"title": "Compressed"}\n'))
    (rec,) = read_records([path]).records
    assert rec.title == "Compressed" and rec.source_file == path


def test_damaged_gzip_is_an_error(write):
    from papertag.errors import IngestError

    path = write("bad.jsonl.gz", b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(IngestError, match="looks gzip-compressed but is damaged"):
        read_records([path])

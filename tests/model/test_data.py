"""Reading training corpora: any ingest format, gzip, globs, duplicates, bad records."""

from __future__ import annotations

import gzip

import pytest

from papertag.errors import IngestError
from papertag.model.data import read_corpus, record_year

from .conftest import PAPERS


def test_reads_jsonl_and_hashes(fx_corpus):
    assert len(fx_corpus) == 160
    assert fx_corpus.records[0].id == "fx:000"
    assert record_year(fx_corpus.records[0]) == 2019
    assert len(fx_corpus.sha256) == 64


def test_gzip_glob_and_duplicates(tmp_path):
    data = PAPERS.read_bytes()
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "b.jsonl").write_bytes(data)  # the same papers again: first occurrence kept
    c = read_corpus([str(tmp_path / "*.jsonl*")])
    assert len(c) == 160
    assert [f.rsplit("/", 1)[-1] for f in c.files] == ["a.jsonl.gz", "b.jsonl"]
    assert c.sha256 == read_corpus([PAPERS]).sha256


def test_max_papers():
    assert len(read_corpus([PAPERS], max_papers=7)) == 7


def test_bad_records_are_skipped_and_listed(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(PAPERS.read_text().splitlines()[0] + "\n{broken\n")
    c = read_corpus([p])
    assert len(c) == 1 and len(c.skipped) == 1 and c.skipped[0].line == 2


@pytest.mark.parametrize("name, message", [("missing.jsonl", "no such file"), ("*.nothing", "no files match")])
def test_missing_inputs(tmp_path, name, message):
    with pytest.raises(IngestError, match=message):
        read_corpus([str(tmp_path / name)])


def test_gzip_that_is_not(tmp_path):
    p = tmp_path / "x.jsonl.gz"
    p.write_text("not gzip")
    with pytest.raises(IngestError, match="not a readable gzip file"):
        read_corpus([p])

"""Chunked and parallel tagging: the output must not depend on how the work is split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertag.ingest import read_records
from papertag.parallel import ParallelError, TaggerConfig, chunked, render_jsonl, tag_records
from papertag.resources import default_model_dir, project_home

EXAMPLE = project_home() / "examples" / "papers.jsonl"


@pytest.fixture(scope="module")
def records():
    recs = read_records([str(EXAMPLE)]).records
    return recs * 3  # 66 papers: several chunks, and the same paper in several of them


@pytest.fixture(scope="module")
def full_config() -> TaggerConfig:
    model = default_model_dir()
    if not (model / "card.json").exists():
        pytest.skip(f"needs the shipped model at {model}")
    return TaggerConfig(model_dir=str(model))


@pytest.fixture(scope="module")
def serial(records, full_config) -> list[str]:
    return list(tag_records(records, full_config, render=render_jsonl))


def test_one_result_per_record_in_input_order(records, serial):
    assert len(serial) == len(records)
    assert [json.loads(line)["id"] for line in serial] == [r.id for r in records]


@pytest.mark.parametrize("chunk_size, batch_size", [(1, 1), (7, 3), (25, 256), (1000, 5)])
def test_output_does_not_depend_on_chunk_or_batch_size(records, full_config, serial, chunk_size, batch_size):
    config = TaggerConfig(model_dir=full_config.model_dir, batch_size=batch_size)
    assert list(tag_records(records, config, chunk_size=chunk_size, render=render_jsonl)) == serial


@pytest.mark.slow
def test_two_worker_processes_give_the_serial_output(records, full_config, serial):
    assert list(tag_records(records, full_config, jobs=2, chunk_size=10, render=render_jsonl)) == serial


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_output_byte_for_byte(records, full_config, serial):
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        got = list(tag_records(records, full_config, backend="dask", scheduler=cluster.scheduler_address,
                               chunk_size=10, jobs=-1, render=render_jsonl))
    assert "\n".join(got).encode() == "\n".join(serial).encode()


def test_records_are_consumed_lazily(full_config):
    """Only a few chunks are read ahead of the output, so memory stays flat."""
    recs = read_records([str(EXAMPLE)]).records
    pulled = 0

    def stream():
        nonlocal pulled
        for _ in range(1000):
            for r in recs:
                pulled += 1
                yield r

    out = tag_records(stream(), TaggerConfig(with_claims=False), chunk_size=10)
    next(out)
    assert pulled <= 20


def test_dask_needs_a_scheduler(records):
    with pytest.raises(ParallelError, match="scheduler"):
        list(tag_records(records, TaggerConfig(), backend="dask"))


def test_unknown_backend_is_refused(records):
    with pytest.raises(ParallelError, match="unknown backend 'spark'"):
        list(tag_records(records, TaggerConfig(), backend="spark"))


def test_unreachable_scheduler_is_a_clear_error(records, monkeypatch):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    monkeypatch.setattr("papertag.parallel.CONNECT_TIMEOUT", "2s")
    with pytest.raises(ParallelError, match="cannot reach the Dask scheduler"):
        list(tag_records(records, TaggerConfig(), backend="dask", scheduler="tcp://127.0.0.1:9"))


def test_chunked_splits_without_losing_records():
    assert [len(c) for c in chunked(range(10), 4)] == [4, 4, 2]
    with pytest.raises(ValueError):
        list(chunked(range(3), 0))


def test_config_paths_are_made_absolute(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = TaggerConfig(model_dir="models/x", rules_dir="rules").absolute()
    assert cfg.model_dir == str(tmp_path / "models" / "x") and cfg.rules_dir == str(tmp_path / "rules")

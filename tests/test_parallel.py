"""Chunked and parallel tagging: the output must not depend on how the work is split."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from papertag.ingest import read_records
from papertag import parallel
from papertag.parallel import ParallelError, TaggerConfig, chunked, render_jsonl, tag_records
from papertag.resources import default_model_dir, project_home

EXAMPLE = project_home() / "examples" / "papers.jsonl"


class CountingStream:
    """The example's records repeated a thousand times, counting how many have been read."""

    def __init__(self) -> None:
        self.records = read_records([str(EXAMPLE)]).records
        self.pulled = 0

    def __iter__(self):
        for _ in range(1000):
            for r in self.records:
                self.pulled += 1
                yield r


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


def stop_loky() -> None:
    """Stop joblib's reusable loky executor: its threads stay in this process after an earlier test
    used it, and papertag forks workers only from a process without other threads."""
    from joblib.externals.loky import get_reusable_executor

    # reuse=True: take the executor as it is. With loky's default ("auto") the arguments differ from joblib's, so
    # the call would shut the executor down while holding the lock its own submit() takes; a batch that joblib
    # dispatches late, after a test closed its generator early, then waits on that lock for ever (a deadlock
    # seen about once in twenty runs). Shut down outside the lock instead.
    get_reusable_executor(reuse=True).shutdown(wait=True, kill_workers=True)


@pytest.fixture(params=["forked", "loky"])
def workers(request, monkeypatch) -> Iterator[str]:
    """Run a test with workers forked from this process, then with loky's fresh processes."""
    fork = request.param == "forked"
    if fork:
        stop_loky()
        deadline = time.monotonic() + 3
        while not parallel._can_fork() and time.monotonic() < deadline:
            time.sleep(0.05)  # the stopped executor's threads can take a moment to end
        if not parallel._can_fork():
            pytest.skip("this platform (or this process, running other threads) cannot fork workers")
    monkeypatch.setattr(parallel, "FORK_WORKERS", fork)
    yield request.param
    if not fork:
        stop_loky()


@pytest.mark.slow
def test_two_worker_processes_give_the_serial_output(records, full_config, serial, workers):
    assert list(tag_records(records, full_config, jobs=2, chunk_size=10, render=render_jsonl)) == serial


def _worker_pid(paper):  # a render step that says which process tagged the paper
    import os

    return os.getpid()


@pytest.mark.slow
def test_forked_workers_are_renewed_and_the_output_does_not_change(records, full_config, serial, workers,
                                                                   monkeypatch):
    """Workers forked from this process are replaced by fresh forks every WORKER_LIFETIME_PAPERS papers (so their
    caches cannot grow with the input); the output is the same."""
    if workers != "forked":
        pytest.skip("loky's workers are not renewed")
    monkeypatch.setattr(parallel, "WORKER_LIFETIME_PAPERS", 10)  # one 10-paper chunk per worker, then a new pool
    assert list(tag_records(records, full_config, jobs=2, chunk_size=10, render=render_jsonl)) == serial
    pids = set(tag_records(records, TaggerConfig(with_claims=False), jobs=2, chunk_size=10, render=_worker_pid))
    assert len(pids) >= 4  # 7 chunks, 2 per pool: 4 pools; one pool that lived on would show at most 2


def test_the_serial_tagger_is_renewed_and_the_output_does_not_change(records, full_config, serial, monkeypatch):
    """In one process too, the tagger (and its spaCy pipeline, whose caches only grow) is built afresh every
    WORKER_LIFETIME_PAPERS papers; the output is the same."""
    from papertag.nlp import get_nlp

    monkeypatch.setattr(parallel, "WORKER_LIFETIME_PAPERS", 25)
    pipelines = []
    real_tag_chunk = parallel.tag_chunk

    def spy(config, chunk, render=None):
        pipelines.append(get_nlp())  # kept alive, so no two can share an id
        return real_tag_chunk(config, chunk, render)

    monkeypatch.setattr(parallel, "tag_chunk", spy)
    assert list(tag_records(records, full_config, chunk_size=10, render=render_jsonl)) == serial
    assert len({id(p) for p in pipelines}) == 3  # 66 papers in chunks of 10, renewed after 30 and 60


@pytest.mark.filterwarnings("ignore:.*tasks:UserWarning")  # loky, on close()
def test_parallel_input_is_read_a_few_chunks_ahead(workers):
    """Forked workers get at most two chunks each in flight; joblib's loky dispatches a few more as
    tasks finish (how many depends on timing). Neither reads the whole stream; stopping early stops
    the workers."""
    stream = CountingStream()
    out = tag_records(stream, TaggerConfig(with_claims=False), jobs=2, chunk_size=10)
    next(out)
    assert stream.pulled <= (2 * 2 + 1) * 10 if workers == "forked" else stream.pulled <= 50 * 10
    out.close()


def _fail(paper):  # a render step that breaks in the worker
    raise ValueError(f"cannot render {paper.id}")


def test_a_worker_error_reaches_the_caller(records, workers):
    with pytest.raises(ValueError, match="cannot render"):
        list(tag_records(records, TaggerConfig(with_claims=False), jobs=2, chunk_size=10, render=_fail))


def test_a_threaded_caller_does_not_fork():
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel._can_fork()
    finally:
        stop.set()
        thread.join()


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_output_byte_for_byte(records, full_config, serial):
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        got = list(tag_records(records, full_config, backend="dask", scheduler=cluster.scheduler_address,
                               chunk_size=10, jobs=-1, render=render_jsonl))
    assert "\n".join(got).encode() == "\n".join(serial).encode()


def test_records_are_consumed_lazily(full_config):
    """Only a few chunks are read ahead of the output, so memory stays flat."""
    stream = CountingStream()
    out = tag_records(stream, TaggerConfig(with_claims=False), chunk_size=10)
    next(out)
    assert stream.pulled <= 20


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


def test_local_workers_get_the_callers_project_files(tmp_path: Path, monkeypatch):
    """A config without rules or taxonomy is pinned to the caller's project (PAPERTAG_HOME here), so a
    worker started under another home, or a tagger cached for the same config, cannot use other files."""
    monkeypatch.setenv("PAPERTAG_HOME", str(tmp_path))
    cfg = TaggerConfig(model_dir=None).pinned()
    assert cfg.rules_dir == str(tmp_path / "rules")
    assert cfg.taxonomy_path == str(tmp_path / "taxonomy" / "taxonomy.yml")
    assert TaggerConfig(rules_dir=str(tmp_path / "mine")).pinned().rules_dir == str(tmp_path / "mine")

"""Tag a stream of records in chunks: in this process, in worker processes, or on a Dask cluster.

The input is cut into chunks of ``chunk_size`` records. Each chunk is tagged by a
:class:`~papertag.tagger.Tagger` that lives in the worker (built once per worker process from a
:class:`TaggerConfig`, never pickled) and comes back already rendered (JSON lines for the
contract's output), so little crosses process boundaries. Results are yielded in input order,
and at most a few chunks per worker are in flight, so memory stays flat whatever the input size.

Output does not depend on the chunk size, the batch size or the number of workers: every
paper is tagged on its own (batching only groups the work), and chunks are reassembled in order.

Backends:

``jobs=1``
    The calling process, no pool (the default; lowest overhead for small inputs). The tagger is
    rebuilt every :data:`WORKER_LIFETIME_PAPERS` papers, so its spaCy caches stay bounded.
``jobs=N`` (``backend="loky"``)
    ``N`` local worker processes. Where the OS can fork (Linux) and the calling process runs no
    other thread, the tagger is built once here and the workers are forked from this process
    (``multiprocessing``'s fork context): they start with the rules, regexes and model already
    loaded, sharing their memory pages, instead of each importing spaCy and building its own
    (about 2 s of CPU per worker). Every :data:`WORKER_LIFETIME_PAPERS` papers per worker the pool
    is replaced by a fresh one, so the workers' spaCy caches cannot grow with the input. Otherwise
    (macOS, Windows, a threaded caller) the workers come from joblib's loky and each builds its
    tagger once.
``backend="dask"``
    Chunks go to the Dask distributed cluster at ``scheduler`` (``tcp://host:8786``) through
    joblib's Dask backend. Every worker needs papertag installed and the same project files
    (taxonomy/, rules/, the model folder) at the paths the config names: run the workers from a
    checkout, or point ``PAPERTAG_HOME`` at a shared copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import PapertagError
from .records import Record

BACKENDS = ("loky", "dask")
DEFAULT_CHUNK_SIZE = 1000
CONNECT_TIMEOUT = "20s"  # how long to wait for a Dask scheduler


class ParallelError(PapertagError):
    """The parallel run could not start (bad backend, unreachable scheduler, missing package)."""


@dataclass(frozen=True)
class TaggerConfig:
    """Everything a worker needs to build its own :class:`~papertag.tagger.Tagger`.

    Paths are made absolute when the config is created in the parent, so workers that start in
    another directory load the same files.
    """

    model_dir: str | None = None  # None: rules only
    with_claims: bool = True
    with_rules: bool = True  # False: the model alone
    rules_dir: str | None = None
    taxonomy_path: str | None = None
    batch_size: int = 256

    def absolute(self) -> TaggerConfig:
        def fix(p: str | None) -> str | None:
            return str(Path(p).resolve()) if p is not None else None

        return replace(self, model_dir=fix(self.model_dir), rules_dir=fix(self.rules_dir),
                       taxonomy_path=fix(self.taxonomy_path))

    def pinned(self) -> TaggerConfig:
        """:meth:`absolute`, with the project's rules and taxonomy named as this process finds them
        (``PAPERTAG_HOME`` or the checkout) instead of left to each worker: a local worker started
        earlier, under another ``PAPERTAG_HOME``, or a tagger cached under the same config, then
        cannot load other files than the caller's."""
        from .resources import rules_dir, taxonomy_path

        return replace(self, rules_dir=self.rules_dir or str(rules_dir()),
                       taxonomy_path=self.taxonomy_path or str(taxonomy_path())).absolute()

    def build(self) -> Any:
        from .tagger import Tagger
        from .taxonomy import load_taxonomy

        model = None
        if self.model_dir is not None:
            from .model.persist import load_model

            model = load_model(self.model_dir)
        taxonomy = load_taxonomy(self.taxonomy_path) if self.taxonomy_path else None
        return Tagger(taxonomy=taxonomy, model=model, with_claims=self.with_claims, rules_dir=self.rules_dir,
                      with_rules=self.with_rules)


_TAGGERS: dict[TaggerConfig, Any] = {}  # one Tagger per config per process


def tagger_for(config: TaggerConfig) -> Any:
    """The process's :class:`~papertag.tagger.Tagger` for ``config``, built on first use."""
    tagger = _TAGGERS.get(config)
    if tagger is None:
        tagger = _TAGGERS[config] = config.build()
    return tagger


def render_jsonl(paper: Any) -> str:
    """One paper as a line of the contract's JSONL output (without the newline)."""
    import orjson

    return orjson.dumps(paper.to_dict()).decode()


def tag_chunk(config: TaggerConfig, records: list[Record], render: Callable[[Any], Any] | None = None) -> list[Any]:
    """Tag one chunk in this process; ``render`` turns each :class:`TaggedPaper` into what is returned."""
    tagger = tagger_for(config)
    papers = tagger.tag(records, batch_size=config.batch_size)
    return [render(p) for p in papers] if render is not None else list(papers)


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def tag_records(records: Iterable[Record], config: TaggerConfig, *, jobs: int = 1, backend: str = "loky",
                scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
                render: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """Tag ``records`` and yield one result per record, in input order.

    Parameters
    ----------
    records:
        Any iterable; it is consumed lazily, a few chunks ahead of the output.
    config:
        How each worker builds its tagger.
    jobs:
        Worker processes (``loky``); ``1`` tags in this process; ``-1`` uses every core.
        With ``dask``: joblib's ``n_jobs`` on the cluster (``-1``: every worker thread it has).
    backend:
        ``"loky"`` (local processes) or ``"dask"`` (needs ``scheduler``).
    scheduler:
        Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    chunk_size:
        Records per task. Bigger chunks amortize the per-task overhead; smaller ones balance load.
    render:
        Applied to each :class:`~papertag.tagger.TaggedPaper` in the worker (e.g.
        :func:`render_jsonl`); ``None`` returns the papers themselves.
    """
    if backend not in BACKENDS:
        raise ParallelError(f"unknown backend {backend!r}; expected one of: {', '.join(BACKENDS)}")
    if backend == "dask" and not scheduler:
        raise ParallelError("the dask backend needs the address of a running scheduler (--scheduler tcp://HOST:8786)")
    # local workers load the caller's project files; Dask workers find theirs (see the module docs)
    config = config.absolute() if backend == "dask" else config.pinned()
    chunks = chunked(records, chunk_size)
    if backend == "loky" and jobs == 1:
        done = 0
        for chunk in chunks:
            if done >= WORKER_LIFETIME_PAPERS:
                _renew_tagger(config)
                done = 0
            yield from tag_chunk(config, chunk, render)
            done += len(chunk)
        return
    if backend == "dask":
        yield from _dask(chunks, config, jobs, scheduler or "", render)
        return
    if FORK_WORKERS and _can_fork():
        tagger_for(config)  # built once, here: every forked worker inherits it
        yield from _forked(chunks, config, jobs, render, max(1, WORKER_LIFETIME_PAPERS // chunk_size))
    else:
        yield from _pool(chunks, config, jobs, render, backend="loky")


FORK_WORKERS = True  # False: local workers always come from loky (tests set it to cover both paths)

# A forked pool tags this many papers per worker, then its workers exit and fresh ones are forked in their place
# (with jobs=1, this process builds a fresh tagger after as many papers).
# spaCy's vocabulary and tokenizer memo only grow (a word or chunk, once met, stays), so a worker that lived for
# ever would grow with the input; one that starts afresh from the parent's tagger every 100,000 papers stays within
# what 100,000 papers need, whatever the input size, for a second or two of cold caches each time. The new
# workers are forked from this thread, between two generations of the pool (multiprocessing's own
# ``maxtasksperchild`` would fork them from the pool's helper thread, while this one may hold the lock of a stream
# it is writing: a child that inherits a held lock hangs when it flushes that stream at exit).
WORKER_LIFETIME_PAPERS = 100_000


def _renew_tagger(config: TaggerConfig) -> None:
    """Drop this process's tagger for ``config`` and its spaCy pipeline: the next chunk builds fresh ones
    (about a second), so their caches cannot grow with the input either (see :data:`WORKER_LIFETIME_PAPERS`)."""
    from .nlp import reset_nlp

    _TAGGERS.pop(config, None)
    reset_nlp()


def _can_fork() -> bool:
    import multiprocessing as mp
    import threading

    # a fork copies only the calling thread; a lock another thread holds at that moment stays held
    # in the child for ever, so a threaded caller gets loky's fresh processes instead
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


def _forked(chunks: Iterator[list[Record]], config: TaggerConfig, jobs: int,
            render: Callable[[Any], Any] | None, chunks_per_worker: int | None = None) -> Iterator[Any]:
    """Chunks through worker processes forked from this one (which has built the tagger), results
    in input order, at most two chunks per worker in flight. After ``chunks_per_worker`` chunks per
    worker (``None``: never) the pool finishes its work and a new one is forked."""
    import gc
    import multiprocessing as mp
    import os
    from collections import deque
    from itertools import chain

    n = jobs if jobs > 0 else max(1, (os.cpu_count() or 1) + 1 + jobs)
    per_pool = None if chunks_per_worker is None else chunks_per_worker * n
    it = iter(chunks)
    while (first := next(it, None)) is not None:
        generation = chain([first], it if per_pool is None else islice(it, per_pool - 1))
        # gc.freeze in each worker: the inherited objects (rules, vocabulary, model) move to a permanent
        # generation, so the worker's collections neither walk them nor write to (and so copy) their pages
        with mp.get_context("fork").Pool(n, initializer=gc.freeze) as pool:
            pending: deque[Any] = deque()
            for chunk in generation:
                pending.append(pool.apply_async(tag_chunk, (config, chunk, render)))
                if len(pending) >= 2 * n:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
            pool.close()
            pool.join()  # its helper threads end too: the next generation forks from a single-threaded process


def _pool(chunks: Iterator[list[Record]], config: TaggerConfig, jobs: int, render: Callable[[Any], Any] | None,
          backend: str | None = None) -> Iterator[Any]:
    """Chunks through a joblib pool (``backend``, or the one in force), results in input order,
    at most two chunks per worker in flight."""
    from joblib import Parallel, delayed

    stopped = False

    def tasks() -> Iterator[Any]:
        for chunk in chunks:
            if stopped:
                return
            yield delayed(tag_chunk)(config, chunk, render)

    with Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs", backend=backend) as pool:
        try:
            for out in pool(tasks()):
                yield from out
        finally:
            # the caller stopped early (or a chunk failed): joblib still dispatches a chunk for each result that
            # arrives late; from now on there is none to dispatch, and nothing more is read from the input
            stopped = True


def _dask(chunks: Iterator[list[Record]], config: TaggerConfig, jobs: int, scheduler: str,
          render: Callable[[Any], Any] | None) -> Iterator[Any]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise ParallelError("the dask backend needs dask.distributed: pip install 'papertag[dask]'") from None
    from joblib import parallel_config

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ParallelError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    try:
        with client.as_current(), parallel_config(backend="dask"):
            yield from _pool(chunks, config, jobs, render)
    finally:
        client.close()

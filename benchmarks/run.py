#!/usr/bin/env python
"""Tagging speed and peak memory, end to end, as the input grows.

Each measurement runs a fresh process and times it from start to exit: reading the input,
loading rules and model, tagging, and writing the output file are all inside the figure.
Peak memory is the highest total memory of that process and all its workers, sampled every 50 ms: the sum of
their PSS (proportional set size: a page shared by forked workers counts once, split between them) where the OS
reports it (Linux), of their RSS otherwise (which counts shared pages once per process).

Modes:

``tokenizer``
    The reference: read the input and run spaCy's ``blank("en")`` pipeline, as shipped,
    over every title + abstract through ``nlp.pipe``, on one core, writing nothing.
``rules``
    ``papertag tag --rules-only`` (rules and claims).
``model``
    ``papertag tag --model-only`` (the classifier alone, no rules or claims).
``full``
    ``papertag tag`` (rules, claims and the model, with evidence).

Example (about 10 minutes on a 2-core machine)::

    .venv/bin/python benchmarks/run.py --corpus '../shared/corpus/*.jsonl.gz' --sizes 1000 10000 all --jobs 1 2

The ratio column divides each run's papers/s by the tokenizer's at the same size (with ``--repeat``: the
median over rounds of that ratio, each round pairing a run with its own tokenizer pass).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAPERTAG = [sys.executable, "-m", "papertag"]
TOKENIZE = r"""
import sys
import spacy
from papertag.ingest import iter_records
from papertag.records import TITLE_ABSTRACT_SEP
nlp = spacy.blank("en")
texts = (f"{r.title}{TITLE_ABSTRACT_SEP}{r.abstract}" for r in iter_records([sys.argv[1]]))
n = sum(1 for _ in nlp.pipe(texts, batch_size=256))
print(n)
"""


def process_memory(p: Any) -> int:
    """PSS of the ``psutil.Process`` where the OS reports it (Linux), RSS otherwise."""
    import psutil

    try:
        pss = getattr(p.memory_full_info(), "pss", None)
    except psutil.AccessDenied:
        pss = None
    return pss if pss is not None else p.memory_info().rss


def sample_tree_memory(pid: int, stop: threading.Event, peak: list[int]) -> None:
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        total = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in procs:
            try:
                total += process_memory(p)
            except psutil.NoSuchProcess:
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.05)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak MB of its process tree)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=sample_tree_memory, args=(proc.pid, stop, peak), daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, peak[0] / 2**20


def make_input(corpus: list[str], size: int | None, folder: Path) -> tuple[Path, int]:
    """The first ``size`` corpus records as one JSONL file (all of them for ``None``)."""
    from papertag.ingest import iter_records

    path = folder / f"input-{size or 'all'}.jsonl"
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in iter_records(corpus):
            fh.write(json.dumps({"id": r.id, "title": r.title, "abstract": r.abstract, "year": r.year}) + "\n")
            n += 1
            if size is not None and n >= size:
                break
    return path, n


def command(mode: str, path: Path, out: Path, jobs: int) -> list[str]:
    if mode == "tokenizer":
        return [sys.executable, "-c", TOKENIZE, str(path)]
    cmd = [*PAPERTAG, "tag", str(path), "-o", str(out), "--force", "--no-progress", "--jobs", str(jobs)]
    return cmd + {"rules": ["--rules-only"], "model": ["--model-only"], "full": []}[mode]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", required=True, help="Input files or globs (any format papertag reads).")
    ap.add_argument("--sizes", nargs="+", default=["1000", "10000", "all"], help="Papers per run; 'all' = everything.")
    ap.add_argument("--modes", nargs="+", default=["tokenizer", "rules", "model", "full"],
                    choices=["tokenizer", "rules", "model", "full"])
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="Worker counts to try (tokenizer: always 1).")
    ap.add_argument("--repeat", type=int, default=1,
                    help="Rounds per size; each round runs every mode once, in order. Seconds are the median over "
                         "rounds; the ratio is the median of each round's ratio to that round's tokenizer pass "
                         "(on a noisy machine, paired runs compare better than runs minutes apart).")
    ap.add_argument("--json", help="Also write the results here.")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    corpus = [p for pattern in args.corpus for p in (sorted(glob.glob(pattern)) or [pattern])]
    results = []
    spread = " (min-max)" if args.repeat > 1 else ""
    print(f"{'mode':<10}{'jobs':>5}{'papers':>8}{'seconds':>9}{'papers/s':>10}{'peak MB':>9}{'x tokenizer':>13}{spread:>13}",
          flush=True)
    configs = [(mode, jobs) for mode in args.modes for jobs in ([1] if mode == "tokenizer" else args.jobs)]
    with tempfile.TemporaryDirectory(prefix="papertag-bench-") as tmp:
        folder = Path(tmp)
        for size_arg in args.sizes:
            size = None if size_arg == "all" else int(size_arg)
            path, n = make_input(corpus, size, folder)
            walls: dict[tuple[str, int], list[float]] = {c: [] for c in configs}
            peaks: dict[tuple[str, int], float] = {c: 0.0 for c in configs}
            ratios: dict[tuple[str, int], list[float]] = {c: [] for c in configs}
            for _ in range(args.repeat):
                reference = None
                for mode, jobs in configs:
                    wall, peak = timed(command(mode, path, folder / "out.jsonl", jobs))
                    walls[mode, jobs].append(wall)
                    peaks[mode, jobs] = max(peaks[mode, jobs], peak)
                    if mode == "tokenizer":
                        reference = wall
                    if reference is not None:
                        ratios[mode, jobs].append(reference / wall)
            for mode, jobs in configs:
                wall, peak = statistics.median(walls[mode, jobs]), peaks[mode, jobs]
                rate = n / wall
                r = ratios[mode, jobs]
                ratio = statistics.median(r) if r else None
                shown = "-" if ratio is None else f"{ratio:.2f}"
                shown = f"{shown:>13}" + (f"  ({min(r):.2f}-{max(r):.2f})" if len(r) > 1 else "")
                row = {"mode": mode, "jobs": jobs, "papers": n, "seconds": round(wall, 2),
                       "papers_per_s": round(rate, 1), "peak_mb": round(peak, 1),
                       "ratio_to_tokenizer": None if ratio is None else round(ratio, 3),
                       "runs_seconds": [round(w, 2) for w in walls[mode, jobs]]}
                results.append(row)
                print(f"{mode:<10}{jobs:>5}{n:>8}{wall:>9.1f}{rate:>10.0f}{peak:>9.0f}{shown}", flush=True)
            path.unlink()
    if args.json:
        Path(args.json).write_text(json.dumps({"cpu_count": os.cpu_count(), "repeat": args.repeat,
                                               "results": results}, indent=1))


if __name__ == "__main__":
    main()

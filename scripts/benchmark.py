#!/usr/bin/env python
"""Measure tagging speed and peak memory as the input grows.

Each (size, mode) runs in a fresh process so peak memory (ru_maxrss) is its own.
Reading the input is timed apart from tagging. Example::

    .venv/bin/python scripts/benchmark.py --corpus ../shared/corpus/*.jsonl.gz --sizes 1000 4000 16000 48000

Modes: ``rules`` (rules only, no claims), ``rules+claims``, ``full`` (rules, claims and the default model).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def worker(corpus: list[str], size: int, mode: str, n_process: int) -> dict[str, object]:
    t0 = time.perf_counter()
    from papertag.ingest import read_records
    from papertag.tagger import Tagger

    records = []
    for path in corpus:
        records.extend(read_records([path]).records)
        if len(records) >= size:
            break
    records = records[:size]
    t_read = time.perf_counter() - t0
    model = None
    if mode == "full":
        from papertag.model.persist import load_model
        from papertag.resources import default_model_dir

        model = load_model(default_model_dir())
    t1 = time.perf_counter()
    tagger = Tagger(model=model, with_claims=mode != "rules")
    t_load = time.perf_counter() - t1
    t2 = time.perf_counter()
    n_labels = 0
    for paper in tagger.tag(records):
        n_labels += sum(len(v) for v in paper.labels.values())
    t_tag = time.perf_counter() - t2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "papers": len(records), "read_s": round(t_read, 2), "load_s": round(t_load, 2),
            "tag_s": round(t_tag, 2), "papers_per_s": round(len(records) / t_tag, 1) if t_tag else None,
            "labels_per_paper": round(n_labels / max(len(records), 1), 2), "peak_rss_mb": round(peak_mb, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", required=True, help="Input files (any supported format, .gz ok).")
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 4000, 16000])
    ap.add_argument("--modes", nargs="+", default=["rules", "rules+claims", "full"])
    ap.add_argument("--json", help="Also write the results here.")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--worker", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.corpus, int(args.worker[0]), args.worker[1], args.n_process)))
        return
    results = []
    print(f"{'mode':<14}{'papers':>8}{'read s':>9}{'load s':>9}{'tag s':>9}{'papers/s':>10}{'peak MB':>9}")
    for mode in args.modes:
        for size in args.sizes:
            out = subprocess.run([sys.executable, __file__, "--corpus", *args.corpus, "--worker", str(size), mode,
                                  "--n-process", str(args.n_process)], capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                raise SystemExit(out.returncode)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(r)
            print(f"{r['mode']:<14}{r['papers']:>8}{r['read_s']:>9}{r['load_s']:>9}{r['tag_s']:>9}"
                  f"{r['papers_per_s']:>10}{r['peak_rss_mb']:>9}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()

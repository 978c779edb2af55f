#!/usr/bin/env python
"""Measure a trained model: size on disk, load time, predict_proba and explain throughput.

Each measurement of load time runs in a fresh process (so imports are counted once and
caches are cold). Example::

    .venv/bin/python scripts/model_benchmark.py --model models/default \\
        --corpus '../shared/corpus/*.jsonl.gz' --n 5000 --json /tmp/model_bench.json
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

LOAD_SNIPPET = """
import time, json
t0 = time.perf_counter()
import papertag.model.persist as p
t1 = time.perf_counter()
m = p.load_model({path!r})
t2 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1}}))
"""


def measure_load(model: str, repeats: int) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET.format(path=model)], capture_output=True,
                             text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"import_s_median": round(sorted(r["import_s"] for r in runs)[len(runs) // 2], 3),
            "load_s_median": round(sorted(r["load_s"] for r in runs)[len(runs) // 2], 3),
            "load_s_all": [round(r["load_s"], 3) for r in runs]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--corpus", nargs="+", required=True, help="Papers to predict on (any supported format).")
    ap.add_argument("--n", type=int, default=5000, help="Papers to predict on.")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3, help="Fresh-process load measurements.")
    ap.add_argument("--json", help="Also write the results here.")
    args = ap.parse_args()

    from papertag.model.data import read_corpus
    from papertag.model.persist import load_model, read_card
    from papertag.model.train import normalized_texts

    path = Path(args.model)
    card = read_card(path)
    result: dict[str, object] = {"model": str(path), "model_bytes": (path / "model.joblib").stat().st_size,
                                 "n_features": card.get("n_features"), "trained_on": card["corpus"]["papers_trained_on"]}
    result.update(measure_load(str(path), args.repeats))
    model = load_model(path)
    records = read_corpus(args.corpus, max_papers=args.n).records
    t0 = time.perf_counter()
    texts = normalized_texts(records)
    t_norm = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(0, len(texts), args.batch_size):
        model.predict_proba(texts[i:i + args.batch_size])
    t_pred = time.perf_counter() - t0
    probs = model.predict_proba(texts[:500])
    import numpy as np

    thr = np.array([model.thresholds[k] for k in model.label_keys])
    pairs = [(i, model.label_keys[j]) for i, j in zip(*np.nonzero(probs >= thr))][:500]
    t0 = time.perf_counter()
    for i, key in pairs:
        model.explain(texts[i], key, 5)
    t_explain = time.perf_counter() - t0
    result.update({
        "papers": len(texts), "normalize_papers_per_s": round(len(texts) / t_norm, 1),
        "predict_proba_papers_per_s": round(len(texts) / t_pred, 1),
        "explain_calls_per_s": round(len(pairs) / t_explain, 1) if pairs else None,
        "model_tags_per_paper": round(float((probs >= thr).sum()) / len(probs), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    })
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

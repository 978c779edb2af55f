"""What papers claim, summarised: bit-widths, named hardware, speedups per technique.

Counts are papers, not mentions: a paper that says "4-bit" three times counts once for 4 bits.
For speedups a paper contributes its largest claimed speedup (the headline number).

Example
-------
>>> papers = [{"id": "a", "labels": {"technique": ["quantization"]},
...            "claims": [{"kind": "bits", "value": 4.0}, {"kind": "bits", "value": 4.0},
...                       {"kind": "speedup", "value": 2.0, "unit": "x"}, {"kind": "speedup", "value": 3.0}]},
...           {"id": "b", "labels": {"technique": ["quantization"]},
...            "claims": [{"kind": "bits", "value": 8.0}, {"kind": "speedup", "value": 5.0}]}]
>>> bits_histogram(papers)[["bits", "papers"]].to_dict("records")
[{'bits': 4.0, 'papers': 1}, {'bits': 8.0, 'papers': 1}]
>>> speedups_by_label(papers, "technique")[["label", "papers", "median", "min", "max"]].to_dict("records")
[{'label': 'quantization', 'papers': 2, 'median': 4.0, 'min': 3.0, 'max': 5.0}]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["bits_histogram", "hardware_counts", "speedups_by_label"]


def _values(p: Mapping[str, Any], kind: str) -> list[Any]:
    return [c.get("value") for c in (p.get("claims") or []) if c.get("kind") == kind and c.get("value") is not None]


def bits_histogram(papers: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Papers per claimed bit-width: ``bits``, ``papers``, ``ids`` (list), by bit-width."""
    ids: dict[float, list[str]] = defaultdict(list)
    for p in papers:
        for v in sorted({float(v) for v in _values(p, "bits")}):
            ids[v].append(p["id"])
    rows = [{"bits": b, "papers": len(i), "ids": i} for b, i in sorted(ids.items())]
    return pd.DataFrame(rows, columns=["bits", "papers", "ids"])


def hardware_counts(papers: Sequence[Mapping[str, Any]], *, kind_of: Any = None) -> pd.DataFrame:
    """Papers per named device (the canonical name the claim extractor gives): ``device``, ``kind``
    (gpu, mobile, edge, ... when ``kind_of`` maps a name to one), ``papers``, ``ids``; most named first."""
    ids: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        for v in sorted({str(v) for v in _values(p, "hardware")}):
            ids[v].append(p["id"])
    rows = [{"device": d, "kind": (kind_of(d) or "") if kind_of else "", "papers": len(i), "ids": i}
            for d, i in ids.items()]
    df = pd.DataFrame(rows, columns=["device", "kind", "papers", "ids"])
    return df.sort_values(["papers", "device"], ascending=[False, True], kind="stable").reset_index(drop=True)


def speedups_by_label(papers: Sequence[Mapping[str, Any]], facet: str, *, order: Sequence[str] | None = None,
                      top_level: bool = True) -> pd.DataFrame:
    """Per label of ``facet``: papers claiming a speedup, median, quartiles, min and max of each
    paper's largest claimed speedup, and the ids. Labels in ``order`` (default: most papers first)."""
    values: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for p in papers:
        sp = [float(v) for v in _values(p, "speedup")]
        if not sp:
            continue
        best = max(sp)
        labs = (p.get("labels") or {}).get(facet, [])
        if top_level:
            labs = [lab for lab in labs if "/" not in lab]
        for lab in labs:
            values[lab].append((best, p["id"]))
    rows = []
    for lab, vals in values.items():
        arr = np.array([v for v, _ in vals])
        rows.append({"label": lab, "papers": len(vals), "median": float(np.median(arr)),
                     "q1": float(np.percentile(arr, 25)), "q3": float(np.percentile(arr, 75)),
                     "min": float(arr.min()), "max": float(arr.max()),
                     "ids": [i for _, i in sorted(vals, key=lambda t: (-t[0], t[1]))],
                     "values": sorted(float(v) for v, _ in vals)})
    df = pd.DataFrame(rows, columns=["label", "papers", "median", "q1", "q3", "min", "max", "ids", "values"])
    if order is not None:
        rank = {lab: i for i, lab in enumerate(order)}
        df = df[df["label"].isin(rank)].sort_values("label", key=lambda s: s.map(rank), kind="stable")
    else:
        df = df.sort_values(["papers", "label"], ascending=[False, True], kind="stable")
    return df.reset_index(drop=True)

"""Review queues: which paper a reviewer sees next.

Every strategy orders the whole pool once (deterministically, so a restarted session
resumes where it left off); the session then hands out the first paper the reviewer has
not decided and that fewer than ``overlap`` reviewers have decided.

- ``uncertainty``: papers with labels in the model's abstain band first, then by the
  smallest distance of any label's probability (or rule score, without a model) to its
  threshold: the decisions the model learns most from.
- ``disagreement``: papers where rules and model tag different labels, most differences first.
- ``thin``: papers likely to fill technique x modality cells with few gold papers
  (coverage-driven sampling).
- ``random``: a seeded shuffle, for unbiased evaluation samples (decisions go to the
  ``eval`` split).
- ``conflicts``: papers where reviewers disagree, for an adjudicator.
"""

from __future__ import annotations

import random as _random
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..gold import GoldLabel
from ..tagger import TaggedPaper

STRATEGIES = ("uncertainty", "disagreement", "thin", "random", "conflicts")

__all__ = ["STRATEGIES", "QueueItem", "order_queue"]


@dataclass(frozen=True)
class QueueItem:
    id: str
    priority: float  # lower comes first
    reason: str  # shown on the page: why this paper is in the queue


def order_queue(papers: Sequence[TaggedPaper], strategy: str, *, rule_thresholds: Mapping[str, float],
                model_thresholds: Mapping[str, float] | None = None, gold: Mapping[str, GoldLabel] | None = None,
                conflict_ids: Collection[str] = (), seed: int = 0) -> list[QueueItem]:
    """Order ``papers`` for review by ``strategy`` (one of :data:`STRATEGIES`)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    items: list[QueueItem] = []
    if strategy == "random":
        ids = [p.id for p in papers]
        _random.Random(seed).shuffle(ids)
        return [QueueItem(i, float(n), "random sample") for n, i in enumerate(ids)]
    if strategy == "conflicts":
        wanted = set(conflict_ids)
        return [QueueItem(p.id, float(n), "reviewers disagree") for n, p in enumerate(papers) if p.id in wanted]
    cells = _gold_cells(gold or {}) if strategy == "thin" else Counter()
    for p in papers:
        if strategy == "uncertainty":
            items.append(_uncertainty(p, rule_thresholds, model_thresholds))
        elif strategy == "disagreement":
            items.append(_disagreement(p, rule_thresholds, model_thresholds))
        else:
            items.append(_thin(p, cells))
    return sorted(items, key=lambda q: q.priority)


def _rule_thr(key: str, thresholds: Mapping[str, float]) -> float:
    return float(thresholds.get(key, thresholds.get(key.split("/", 1)[0], 0.5)))


def _uncertainty(p: TaggedPaper, rule_thr: Mapping[str, float], model_thr: Mapping[str, float] | None) -> QueueItem:
    margins: list[tuple[float, str]] = []
    if p.model_probs and model_thr:
        margins = [(abs(v - model_thr[k]), k) for k, v in p.model_probs.items() if k in model_thr]
    else:
        margins = [(abs(v - _rule_thr(k, rule_thr)), k) for k, v in p.rule_scores.items()]
    if not margins:
        return QueueItem(p.id, 10.0, "no evidence for any label")
    margin, key = min(margins)
    if p.needs_review:
        return QueueItem(p.id, -1.0 + margin, f"in the abstain band: {', '.join(p.needs_review[:3])}")
    return QueueItem(p.id, margin, f"{key} is {margin:.2f} from its threshold")


def _disagreement(p: TaggedPaper, rule_thr: Mapping[str, float], model_thr: Mapping[str, float] | None) -> QueueItem:
    rules = {k for k, v in p.rule_scores.items() if v >= _rule_thr(k, rule_thr)}
    model = {k for k, v in p.model_probs.items() if model_thr and v >= model_thr.get(k, 1.1)}
    diff = sorted(rules ^ model)
    if not diff:
        return QueueItem(p.id, 100.0, "rules and model agree")
    gap = sum(abs(p.rule_scores.get(k, 0.0) - p.model_probs.get(k, 0.0)) for k in diff)
    only_r = [k for k in diff if k in rules]
    only_m = [k for k in diff if k in model]
    why = "; ".join(x for x in (f"rules only: {', '.join(only_r)}" if only_r else "",
                                f"model only: {', '.join(only_m)}" if only_m else "") if x)
    return QueueItem(p.id, -float(len(diff)) - gap / 100.0, why)


def _gold_cells(gold: Mapping[str, GoldLabel]) -> Counter[tuple[str, str]]:
    cells: Counter[tuple[str, str]] = Counter()
    for g in gold.values():
        techs = [t for t in g.labels.get("technique", ()) if "/" not in t]
        for t in techs:
            for m in g.labels.get("modality", ()):
                cells[(t, m)] += 1
    return cells


def _thin(p: TaggedPaper, cells: Counter[tuple[str, str]]) -> QueueItem:
    cand = set(p.needs_review) | {f"{f}/{i}" for f, ids in p.labels.items() for i in ids}
    techs = [k.split("/")[1] for k in cand if k.startswith("technique/") and k.count("/") == 1]
    mods = [k.split("/")[1] for k in cand if k.startswith("modality/")]
    if not techs or not mods:
        return QueueItem(p.id, 10.0, "no technique x modality cell predicted")
    count, cell = min((cells[(t, m)], (t, m)) for t in techs for m in mods)
    return QueueItem(p.id, float(count), f"cell {cell[0]} x {cell[1]} has {count} gold paper(s)")

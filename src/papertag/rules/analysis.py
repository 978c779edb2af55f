"""Rule diagnostics for the multi-label case: Snorkel's ``LFAnalysis.lf_summary``, per rule and per label."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .engine import RuleEngine, RuleResult


@dataclass(frozen=True)
class RuleStats:
    """Per-rule and per-label summaries (pandas DataFrames), as ``lf_summary`` gives."""

    rules: pd.DataFrame
    labels: pd.DataFrame
    n_papers: int
    n_gold: int = 0  # gold papers found in the input


def analyze_rules(engine: RuleEngine, papers: Iterable[tuple[str, str, str]],
                  gold: Mapping[str, set[str]] | None = None, *, batch_size: int = 256) -> RuleStats:
    """Apply the rules to ``(id, title, abstract)`` papers and summarise what each rule does.

    Per rule (one row per rule and label it gives):

    - ``coverage``: share of papers the rule hits;
    - ``overlaps``: share of papers where it hits and another rule hits the same label (or a child of it);
    - ``conflicts``: share of papers where it hits and a veto for the label fires too
      (for a veto rule: papers where it suppressed at least one hit);
    - ``kept``: share of its hits that survive vetoes;
    - with ``gold`` (paper id -> set of label keys), over the gold papers it hits (kept hits):
      ``correct``, ``incorrect`` and ``emp_precision``.

    Per label: papers with any hit, papers tagged (score at threshold), rule count, and with
    gold: precision, recall and F1 of the rules alone.
    """
    papers = list(papers)
    ids = [p[0] for p in papers]
    if gold is not None:  # only gold papers that are in the input can be scored
        present = set(ids)
        gold = {pid: labs for pid, labs in gold.items() if pid in present}
    results = engine.apply(((t, a) for _, t, a in papers), batch_size=batch_size)
    rows: list[dict[str, object]] = []
    tagged_rows: list[dict[str, object]] = []
    thresholds = engine.settings.thresholds
    for pid, res in zip(ids, results):
        _collect(pid, res, rows, engine)
        for label, score in res.scores.items():
            if score >= thresholds[label.split("/", 1)[0]]:
                tagged_rows.append({"id": pid, "label": label})
    n = len(papers)
    fired = pd.DataFrame(rows, columns=["id", "rule", "label", "veto", "kept"])
    tagged = pd.DataFrame(tagged_rows, columns=["id", "label"])
    return RuleStats(_rule_table(engine, fired, n, gold), _label_table(engine, fired, tagged, n, gold), n,
                     len(gold) if gold is not None else 0)


def _collect(pid: str, res: RuleResult, rows: list[dict[str, object]], engine: RuleEngine) -> None:
    """One row per (rule, label) that fired on the paper; a child's hit also counts for its parents."""
    kept = {(h.rule, h.label) for hits in res.hits.values() for h in hits}
    seen: set[tuple[str, str]] = set()
    for h in res.fired:
        labels = [h.label] if h.veto else [h.label, *engine.taxonomy.ancestors(h.label)]
        for label in labels:
            key = (h.rule, label)
            if key in seen:
                continue
            seen.add(key)
            ok = h.veto or (h.rule, h.label) in kept
            rows.append({"id": pid, "rule": h.rule, "label": label, "veto": h.veto, "kept": ok})


def _rule_table(engine: RuleEngine, fired: pd.DataFrame, n: int, gold: Mapping[str, set[str]] | None) -> pd.DataFrame:
    out = []
    by_paper_label = fired[~fired["veto"]].groupby(["id", "label"])["rule"].nunique()
    veto_pairs = set(map(tuple, fired.loc[fired["veto"], ["id", "label"]].to_numpy().tolist()))
    for rule in engine.ruleset.rules:
        for label in rule.labels:
            sub = fired[(fired["rule"] == rule.id) & (fired["label"] == label)]
            hit_ids = sub["id"].unique()
            row: dict[str, object] = {"rule": rule.id, "label": label, "polarity": "veto" if rule.veto else "positive",
                                      "weight": rule.weight, "papers": len(hit_ids),
                                      "coverage": len(hit_ids) / n if n else 0.0}
            if rule.veto:
                pos = fired[(~fired["veto"]) & (~fired["kept"]) & fired["label"].str.startswith(label)]
                row["overlaps"] = 0.0
                row["conflicts"] = len(set(hit_ids) & set(pos["id"])) / n if n else 0.0
                row["kept"] = float("nan")
            else:
                multi = sum(1 for pid in hit_ids if by_paper_label.get((pid, label), 0) > 1)
                row["overlaps"] = multi / n if n else 0.0
                row["conflicts"] = sum(1 for pid in hit_ids if (pid, label) in veto_pairs) / n if n else 0.0
                row["kept"] = float(sub["kept"].mean()) if len(sub) else float("nan")
            if gold is not None:
                ok = sub[sub["kept"] & sub["id"].isin(gold.keys())]
                correct = sum(1 for pid in ok["id"] if label in gold[pid])
                row["correct"] = correct if not rule.veto else float("nan")
                row["incorrect"] = len(ok) - correct if not rule.veto else float("nan")
                row["emp_precision"] = correct / len(ok) if len(ok) and not rule.veto else float("nan")
            out.append(row)
    return pd.DataFrame(out)


def _label_table(engine: RuleEngine, fired: pd.DataFrame, tagged: pd.DataFrame, n: int,
                 gold: Mapping[str, set[str]] | None) -> pd.DataFrame:
    out = []
    pos = fired[~fired["veto"] & fired["kept"]]
    for key in engine.taxonomy.keys:
        row: dict[str, object] = {
            "label": key,
            "rules": sum(1 for r in engine.ruleset.rules if key in r.labels and not r.veto),
            "papers_hit": pos.loc[pos["label"] == key, "id"].nunique(),
            "papers_tagged": tagged.loc[tagged["label"] == key, "id"].nunique(),
        }
        row["coverage"] = row["papers_tagged"] / n if n else 0.0  # type: ignore[operator]
        if gold is not None:
            pred = set(tagged.loc[tagged["label"] == key, "id"]) & set(gold)
            truth = {pid for pid, labs in gold.items() if key in labs}
            tp = len(pred & truth)
            p = tp / len(pred) if pred else float("nan")
            r = tp / len(truth) if truth else float("nan")
            row.update({"gold": len(truth), "precision": p, "recall": r,
                        "f1": 2 * p * r / (p + r) if pred and truth and (p + r) else float("nan")})
        out.append(row)
    return pd.DataFrame(out)

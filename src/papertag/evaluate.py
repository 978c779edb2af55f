"""Evaluation against gold labels: rules alone, model alone, rules + model, and the majority-vote baseline.

Counting follows the gold set's semantics: for a paper, only the facets its gold entry judged
count, and in a judged facet every label not in gold is a negative. Per label: true positives,
false positives, false negatives, precision, recall, F1. Per facet and overall: micro averages
(pooled counts) and macro averages (mean over labels with at least one gold positive; labels
with none still add their false positives to the micro average).

Examples
--------
>>> from papertag.gold import GoldLabel
>>> gold = {"a": GoldLabel("a", {"modality": ("image",)}, ("modality",)),
...         "b": GoldLabel("b", {"modality": ("text",)}, ("modality",))}
>>> pred = {"a": {"modality/image", "modality/text"}, "b": {"modality/text"}}
>>> t = per_label_counts(gold, pred, ["modality/image", "modality/text"])
>>> t[["tp", "fp", "fn", "precision", "recall", "f1"]].round(3).to_dict("index")["modality/text"]
{'tp': 1, 'fp': 1, 'fn': 0, 'precision': 0.5, 'recall': 1.0, 'f1': 0.667}
>>> summarize(t).loc["all", ["micro_precision", "micro_recall", "macro_f1"]].round(3).tolist()
[0.667, 1.0, 0.833]
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import PapertagError
from .gold import GoldLabel
from .records import Record

SYSTEMS = ("rules", "rules_mv", "model", "combined")
SYSTEM_NAMES = {"rules": "rules", "rules_mv": "rules (majority vote)", "model": "model", "combined": "rules + model"}

Progress = Callable[[str], None]

__all__ = ["EvalReport", "SYSTEMS", "disagreements", "evaluate", "per_label_counts", "predict_systems",
           "resolve_gold_records", "summarize", "time_split_eval"]


# ---------------------------------------------------------------------------- metrics
def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def per_label_counts(gold: Mapping[str, GoldLabel], predicted: Mapping[str, Iterable[str]],
                     label_keys: Sequence[str]) -> pd.DataFrame:
    """Per label: ``facet``, ``tp``, ``fp``, ``fn``, ``support`` (gold positives), ``precision``, ``recall``, ``f1``.

    Only gold papers count, and in each only the facets it judged. A gold paper missing from
    ``predicted`` predicts nothing.
    """
    col = {k: j for j, k in enumerate(label_keys)}
    tp = np.zeros(len(label_keys), dtype=np.int64)
    fp = np.zeros_like(tp)
    fn = np.zeros_like(tp)
    for pid, g in gold.items():
        facets = set(g.facets)
        truth = {k for k in g.keys if k in col}
        pred = {k for k in predicted.get(pid, ()) if k in col and k.split("/", 1)[0] in facets}
        for k in truth & pred:
            tp[col[k]] += 1
        for k in pred - truth:
            fp[col[k]] += 1
        for k in truth - pred:
            fn[col[k]] += 1
    rows = []
    for j, k in enumerate(label_keys):
        p, r, f = _prf(int(tp[j]), int(fp[j]), int(fn[j]))
        rows.append({"label": k, "facet": k.split("/", 1)[0], "tp": int(tp[j]), "fp": int(fp[j]), "fn": int(fn[j]),
                     "support": int(tp[j] + fn[j]), "precision": p, "recall": r, "f1": f})
    return pd.DataFrame(rows).set_index("label")


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Micro and macro precision/recall/F1 per facet and over all labels (row ``all``)."""
    rows = []
    groups = [(f, table[table["facet"] == f]) for f in dict.fromkeys(table["facet"])] + [("all", table)]
    for name, t in groups:
        p, r, f = _prf(int(t["tp"].sum()), int(t["fp"].sum()), int(t["fn"].sum()))
        supported = t[t["support"] > 0]
        rows.append({
            "facet": name, "micro_precision": p, "micro_recall": r, "micro_f1": f,
            "macro_precision": float(supported["precision"].mean()) if len(supported) else 0.0,
            "macro_recall": float(supported["recall"].mean()) if len(supported) else 0.0,
            "macro_f1": float(supported["f1"].mean()) if len(supported) else 0.0,
            "labels_with_support": int(len(supported)), "tp": int(t["tp"].sum()), "fp": int(t["fp"].sum()),
            "fn": int(t["fn"].sum()),
        })
    return pd.DataFrame(rows).set_index("facet")


def disagreements(gold: Mapping[str, GoldLabel], a: Mapping[str, set[str]], b: Mapping[str, set[str]],
                  label_keys: Sequence[str], *, names: tuple[str, str] = ("rules", "model"),
                  titles: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every (paper, label) in a judged facet where systems ``a`` and ``b`` disagree, with the gold answer."""
    keys = set(label_keys)
    out = []
    for pid, g in gold.items():
        facets = set(g.facets)
        sa = {k for k in a.get(pid, ()) if k in keys and k.split("/", 1)[0] in facets}
        sb = {k for k in b.get(pid, ()) if k in keys and k.split("/", 1)[0] in facets}
        for k in sorted(sa ^ sb, key=list(label_keys).index):
            truth = k in g.keys
            in_a = k in sa
            out.append({"id": pid, "title": (titles or {}).get(pid, ""), "label": k, names[0]: in_a,
                        names[1]: not in_a, "gold": truth, "right": names[0] if in_a == truth else names[1]})
    return out


# ---------------------------------------------------------------------------- report
@dataclass
class EvalReport:
    """Metrics of every system on one gold set."""

    n_papers: int
    label_keys: tuple[str, ...]
    per_label: dict[str, pd.DataFrame]
    summary: dict[str, pd.DataFrame]
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    reliability: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    time_split: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        systems = {}
        for name, table in self.per_label.items():
            summ = self.summary[name]
            systems[name] = {
                "description": SYSTEM_NAMES.get(name, name),
                "micro": _round(summ.loc["all", ["micro_precision", "micro_recall", "micro_f1"]].to_dict()),
                "macro": _round(summ.loc["all", ["macro_precision", "macro_recall", "macro_f1"]].to_dict()),
                "per_facet": {f: _round(r) for f, r in summ.drop(index="all").to_dict("index").items()},
                "per_label": {k: _round(r) for k, r in table.drop(columns="facet").to_dict("index").items()},
            }
        out: dict[str, Any] = {"n_papers": self.n_papers, **self.info, "systems": systems,
                               "disagreements": self.disagreements, "model_reliability_on_gold": self.reliability,
                               "notes": self.notes}
        if self.time_split is not None:
            out["time_split"] = self.time_split
        return out

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def format_table(self, *, max_disagreements: int = 25) -> str:
        """The report for people: per-facet summary, per-label F1, disagreements, calibration."""
        lines = [f"Gold papers evaluated: {self.n_papers}"]
        lines += [f"Note: {n}" for n in self.notes]
        systems = list(self.per_label)
        lines += ["", "Per facet (micro P / R / F1, macro F1 over labels with gold positives)"]
        head = f"{'facet':<14}" + "".join(f"{SYSTEM_NAMES.get(s, s):>30}" for s in systems)
        lines += [head, "-" * len(head)]
        for facet in self.summary[systems[0]].index:
            cells = []
            for s in systems:
                r = self.summary[s].loc[facet]
                cells.append(f"{r.micro_precision:.2f} / {r.micro_recall:.2f} / {r.micro_f1:.2f}  ({r.macro_f1:.2f})")
            lines.append(f"{facet:<14}" + "".join(f"{c:>30}" for c in cells))
        lines += ["", "Per label (F1; P/R in the JSON). support = gold positives"]
        head = f"{'label':<44}{'support':>8}" + "".join(f"{s:>10}" for s in systems)
        lines += [head, "-" * len(head)]
        first = self.per_label[systems[0]]
        for key in self.label_keys:
            sup = int(first.loc[key, "support"])
            fps = [int(self.per_label[s].loc[key, "fp"]) for s in systems]
            if sup == 0 and not any(fps):
                continue
            cells = []
            for s in systems:
                r = self.per_label[s].loc[key]
                cells.append(f"{r.f1:.2f}" if sup else f"fp={int(r.fp)}")
            lines.append(f"{key:<44}{sup:>8}" + "".join(f"{c:>10}" for c in cells))
        if self.reliability:
            lines += ["", "Model calibration on gold (trained labels of judged facets, pooled)",
                      f"{'predicted':<14}{'n':>8}{'mean prob':>12}{'observed':>10}"]
            for r in self.reliability:
                lines.append(f"{r['bin']:<14}{r['n']:>8}{r['mean_prob']:>12.3f}{r['observed']:>10.3f}")
        if self.disagreements:
            right: dict[str, int] = {}
            for d in self.disagreements:
                right[d["right"]] = right.get(d["right"], 0) + 1
            lines += ["", f"Rules and model disagree on {len(self.disagreements)} (paper, label) pairs; right: "
                      + ", ".join(f"{k} {v}" for k, v in right.items())]
            for d in self.disagreements[:max_disagreements]:
                said = "rules" if d["rules"] else "model"
                lines.append(f"  {d['id']:<40} {d['label']:<36} only {said:<5} gold={'yes' if d['gold'] else 'no':<3} "
                             f"{d['title'][:60]}")
            if len(self.disagreements) > max_disagreements:
                lines.append(f"  ... {len(self.disagreements) - max_disagreements} more in the JSON output (--json)")
        if self.time_split:
            lines += ["", _format_time_split(self.time_split)]
        return "\n".join(lines)


def _round(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (round(float(v), 4) if isinstance(v, (float, np.floating)) else
                int(v) if isinstance(v, (np.integer,)) else v) for k, v in d.items()}


def _format_time_split(ts: Mapping[str, Any]) -> str:
    lines = [f"Time split at {ts['year']}: model trained on {ts['n_train']} papers before {ts['year']}"]
    g = ts.get("gold")
    if g:
        lines.append(f"  gold papers from {ts['year']} on: {g['n_papers']}")
        for s, m in g["micro"].items():
            lines.append(f"    {SYSTEM_NAMES.get(s, s):<24} micro P/R/F1 {m['micro_precision']:.2f} / "
                         f"{m['micro_recall']:.2f} / {m['micro_f1']:.2f}   macro F1 {g['macro'][s]['macro_f1']:.2f}")
    w = ts.get("weak")
    if w:
        lines.append(f"  model vs the rules' labels, labels the model tags (micro F1): before {ts['year']} "
                     f"(out-of-fold) {w['before_micro_f1']:.2f}, from {ts['year']} on {w['after_micro_f1']:.2f} "
                     f"({w['n_after']} papers)")
        drops = [(k, m["before_ap"] - m["after_ap"]) for k, m in w["per_label"].items() if m["after_ap"] == m["after_ap"]]
        lines.append("  largest drops in average precision against the rules' labels (before -> after):")
        for k, _ in sorted(drops, key=lambda kv: kv[1], reverse=True)[:8]:
            m = w["per_label"][k]
            lines.append(f"    {k:<44} AP {m['before_ap']:.2f} -> {m['after_ap']:.2f}  ({m['after_support']} rule-tagged after)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- running the systems
def resolve_gold_records(gold: Mapping[str, GoldLabel], corpus: Mapping[str, Record] | None = None
                         ) -> tuple[list[Record], list[str]]:
    """The text of each gold paper: from its entry, else the corpus record with its id.

    Returns the records (gold order) and the ids that have neither.
    """
    records, missing = [], []
    for pid, g in gold.items():
        if corpus is not None and pid in corpus and not g.has_text:
            records.append(corpus[pid])
        elif g.has_text:
            base = corpus.get(pid) if corpus is not None else None
            records.append(Record(id=pid, title=g.title or "", abstract=g.abstract or "",
                                  year=base.year if base else None, date=base.date if base else None))
        else:
            missing.append(pid)
    return records, missing


def predict_systems(records: Sequence[Record], *, model: Any | None = None, taxonomy: Any = None,
                    engine: Any = None, batch_size: int = 256) -> tuple[dict[str, dict[str, set[str]]], np.ndarray | None]:
    """Label sets per system for ``records``: ``rules``, ``rules_mv`` and, with a model, ``model`` and ``combined``.

    ``rules`` and ``combined`` are what ``papertag tag --rules-only`` and ``papertag tag`` output
    (the :class:`~papertag.tagger.Tagger` itself runs); ``model`` tags where the model's
    probability reaches its threshold; ``rules_mv`` is the majority-vote baseline over rule hits.
    Every system's labels include the parents of its labels. Returns the systems and the
    model's probabilities (``None`` without a model).
    """
    from .rules import RuleEngine, load_rules
    from .tagger import Tagger
    from .taxonomy import load_taxonomy
    from .weak import POSITIVE, apply_rules, majority_vote

    tax = taxonomy or (engine.taxonomy if engine is not None else load_taxonomy())
    eng = engine or RuleEngine(load_rules(tax), tax)
    ids = [r.id for r in records]
    out: dict[str, dict[str, set[str]]] = {}
    rules_tagger = Tagger(taxonomy=tax, engine=eng, model=None, with_claims=True)
    out["rules"] = {p.id: set(p.label_keys()) for p in rules_tagger.tag(records, batch_size=batch_size)}
    wl = apply_rules(eng, ((r.id, r.title, r.abstract) for r in records), batch_size=batch_size)
    mv = majority_vote(wl)
    out["rules_mv"] = {pid: _with_parents({wl.label_keys[j] for j in np.flatnonzero(mv[i] == POSITIVE)}, tax)
                       for i, pid in enumerate(ids)}
    probs = None
    if model is not None:
        from .model.train import normalized_texts

        probs = model.predict_proba(normalized_texts(records))
        thr = np.array([model.thresholds[k] for k in model.label_keys])
        out["model"] = {pid: _with_parents({model.label_keys[j] for j in np.flatnonzero(probs[i] >= thr)}, tax)
                        for i, pid in enumerate(ids)}
        tagger = Tagger(taxonomy=tax, engine=eng, model=model, with_claims=True)
        out["combined"] = {p.id: set(p.label_keys()) for p in tagger.tag(records, batch_size=batch_size)}
    return out, probs


def _with_parents(keys: set[str], tax: Any) -> set[str]:
    out = set(keys)
    for k in keys:
        out.update(tax.ancestors(k))
    return out


def evaluate(gold: Mapping[str, GoldLabel], records: Sequence[Record], *, model: Any | None = None,
             taxonomy: Any = None, engine: Any = None, exclude_ids: Iterable[str] = (),
             batch_size: int = 256) -> EvalReport:
    """Run every system on the gold papers in ``records`` and measure it against ``gold``.

    ``exclude_ids``: gold papers to leave out (those the model was trained on).
    """
    from .taxonomy import load_taxonomy

    tax = taxonomy or (engine.taxonomy if engine is not None else load_taxonomy())
    excluded = set(exclude_ids)
    recs = [r for r in records if r.id in gold and r.id not in excluded]
    if not recs:
        raise PapertagError("no gold paper left to evaluate: every gold paper lacks text or was used to train "
                            "the model; pass --corpus to resolve texts, or use a model trained without this gold set")
    sub = {r.id: gold[r.id] for r in recs}
    systems, probs = predict_systems(recs, model=model, taxonomy=tax, engine=engine, batch_size=batch_size)
    keys = tax.keys
    per_label = {s: per_label_counts(sub, pred, keys) for s, pred in systems.items()}
    report = EvalReport(len(recs), keys, per_label, {s: summarize(t) for s, t in per_label.items()})
    titles = {r.id: r.title for r in recs}
    if model is not None:
        report.disagreements = disagreements(sub, systems["rules"], systems["model"], keys, titles=titles)
        report.reliability = _gold_reliability(sub, recs, probs, model)
        report.info["model"] = {"name": getattr(model, "name", "?"),
                                "sha256": getattr(model, "card", {}).get("model_sha256")}
    return report


def _gold_reliability(gold: Mapping[str, GoldLabel], recs: Sequence[Record], probs: np.ndarray,
                      model: Any) -> list[dict[str, Any]]:
    from .model.calibration import reliability_table

    trained = getattr(model, "trained_", np.ones(len(model.label_keys), dtype=bool))
    ys, ps = [], []
    for i, r in enumerate(recs):
        g = gold[r.id]
        for j, k in enumerate(model.label_keys):
            if trained[j] and k.split("/", 1)[0] in g.facets:
                ys.append(k in g.keys)
                ps.append(float(probs[i, j]))
    if not ys:
        return []
    return [_round(row) for row in reliability_table(np.array(ys), np.array(ps)).to_dict("records")]


# ---------------------------------------------------------------------------- time split
def time_split_eval(gold: Mapping[str, GoldLabel], corpus: Sequence[Record], year: int, *,
                    params: Mapping[str, Any] | None = None, taxonomy: Any = None, engine: Any = None,
                    cache_dir: str | Path | None = None, seed: int = 0,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Train on corpus papers before ``year`` (gold papers left out), evaluate on papers from ``year`` on.

    Two views: gold papers from ``year`` on (rules, model, combined), and, over every corpus
    paper from ``year`` on, how well the model still reproduces the rules' labels compared
    with its out-of-fold agreement before ``year`` (a drop means new phrasings).
    """
    from .model.classifier import TagClassifier
    from .model.data import record_year
    from .model.train import normalized_texts, weak_labels
    from .rules import RuleEngine, load_rules
    from .taxonomy import load_taxonomy
    from .weak import POSITIVE, weighted_vote

    say = progress or (lambda _m: None)
    tax = taxonomy or (engine.taxonomy if engine is not None else load_taxonomy())
    eng = engine or RuleEngine(load_rules(tax), tax)
    years = [record_year(r) or 0 for r in corpus]
    before = [i for i, r in enumerate(corpus) if years[i] < year and r.id not in gold]
    after = [i for i, r in enumerate(corpus) if years[i] >= year and r.id not in gold]
    if len(before) < 50:
        raise PapertagError(f"--time-split {year}: only {len(before)} corpus papers are dated before {year}; "
                            "pick a later year or pass a larger --corpus")
    say(f"time split {year}: training on {len(before):,} papers before {year}; {len(after):,} corpus papers after")
    t0 = time.perf_counter()
    # rules over the whole corpus, in corpus order: the same cache entry as `papertag train`
    wl, _, _ = weak_labels(list(corpus), eng, cache_dir=cache_dir, progress=say)
    y_all = weighted_vote(wl)
    texts_all = normalized_texts(list(corpus))
    y = y_all[before + after]
    texts = [texts_all[i] for i in before + after]
    n_before = len(before)
    merged = {k: (tuple(v) if isinstance(v, list) else v) for k, v in (params or {}).items()}
    merged.update(random_state=seed, name=f"time-split-{year}")
    model = TagClassifier(**merged).fit(texts[:n_before], y[:n_before], label_keys=wl.label_keys, progress=say)
    out: dict[str, Any] = {"year": year, "n_train": n_before, "train_seconds": round(time.perf_counter() - t0, 1)}
    # weak view: model vs rules after the split, against out-of-fold before it
    if after:
        probs = model.predict_proba(texts[n_before:])
        thr = np.array([model.thresholds_[k] for k in model.label_keys_])
        pred = probs >= thr
        truth_after = y[n_before:] == POSITIVE
        keep_after = y[n_before:] != -1
        per_label: dict[str, Any] = {}
        tp_b = fp_b = fn_b = tp_a = fp_a = fn_a = 0
        from sklearn.metrics import average_precision_score

        for j, k in enumerate(model.label_keys_):
            m = model.cv_metrics_[k]
            if not m.get("trained"):
                continue
            rows = keep_after[:, j]
            t, p = truth_after[rows, j], pred[rows, j]
            ap_after = float(average_precision_score(t, probs[rows, j])) if t.any() else float("nan")
            row = {"before_ap": m["average_precision"], "after_ap": round(ap_after, 4), "after_support": int(t.sum()),
                   "tags": bool(m.get("tags"))}
            if m.get("tags"):
                tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
                tp_a, fp_a, fn_a = tp_a + tp, fp_a + fp, fn_a + fn
                tp_b, fp_b, fn_b = tp_b + m["tp"], fp_b + m["fp"], fn_b + m["fn"]
                f_after = _prf(tp, fp, fn)[2]
                row.update(before_f1=m["f1"], after_f1=round(f_after, 4), f1_drop=round(m["f1"] - f_after, 4))
            per_label[k] = row
        out["weak"] = {"n_after": len(after), "before_micro_f1": round(_prf(tp_b, fp_b, fn_b)[2], 4),
                       "after_micro_f1": round(_prf(tp_a, fp_a, fn_a)[2], 4), "per_label": per_label}
    # gold view
    recs, _ = resolve_gold_records(gold, {r.id: r for r in corpus})
    recs = [r for r in recs if (record_year(r) or 0) >= year]
    if recs:
        sub = {r.id: gold[r.id] for r in recs}
        systems, _ = predict_systems(recs, model=model, taxonomy=tax, engine=eng)
        tables = {s: summarize(per_label_counts(sub, p, tax.keys)) for s, p in systems.items()}
        out["gold"] = {"n_papers": len(recs),
                       "micro": {s: _round(t.loc["all", ["micro_precision", "micro_recall", "micro_f1"]].to_dict())
                                 for s, t in tables.items()},
                       "macro": {s: _round(t.loc["all", ["macro_f1"]].to_dict()) for s, t in tables.items()}}
    return out

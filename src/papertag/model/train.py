"""Training: corpus -> weak labels (+ gold) -> :class:`TagClassifier` -> model folder with card.

:func:`train_model` is what ``papertag train`` runs; every step can also be called alone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import OutputExistsError, PapertagError
from ..gold import GoldLabel, load_gold
from ..records import Record
from ..rules import RuleEngine, load_rules, prepare
from ..taxonomy import Taxonomy, load_taxonomy
from ..weak import (ABSTAIN, POSITIVE, WeakLabels, apply_gold, label_summary, majority_vote, rules_and_tokens,
                    rules_and_tokens_parallel, weighted_vote)
from .card import environment_versions, now_iso
from .classifier import TagClassifier
from .data import Corpus, read_corpus

Progress = Callable[[str], None]

DEFAULT_PARAMS: dict[str, Any] = {}  # TagClassifier's defaults are the shipped configuration


@dataclass
class TrainResult:
    """What :func:`train_model` produced."""

    model: TagClassifier
    card: dict[str, Any]
    weak: WeakLabels
    out: Path | None


def _workers(jobs: int) -> int:
    import os

    return max(1, os.cpu_count() or 1) if jobs == -1 else max(1, jobs)


def normalized_texts(records: Sequence[Record]) -> list[str]:
    """The model's input for each record: the normalized title + abstract."""
    return [prepare(r.title, r.abstract).norm.text for r in records]


def weak_labels(records: Sequence[Record], engine: RuleEngine, *, cache_dir: str | Path | None = None,
                progress: Progress | None = None, jobs: int = 1, rules_dir: str | Path | None = None
                ) -> tuple[WeakLabels, Any | None, list[str] | None]:
    """Apply the rules to ``records``: weak labels, and (unless they come from the cache) the
    papers' tokens and normalized texts from the same pass, for the classifier.

    A cached result is reused when corpus, rules and taxonomy are unchanged (tokens and texts
    are then ``None``: the caller makes them).
    """
    say = progress or (lambda _m: None)
    path = None
    if cache_dir is not None:
        h = hashlib.sha256()
        h.update(engine.ruleset.sha256.encode())
        h.update(engine.taxonomy.sha256.encode())
        for r in records:
            h.update(f"{r.id}\x1f{r.title}\x1f{r.abstract}\x1e".encode())
        path = Path(cache_dir) / f"weak-{h.hexdigest()[:20]}.npz"
        if path.is_file():
            say(f"weak labels: reusing {path}")
            return WeakLabels.load(path), None, None
    t0 = time.perf_counter()
    papers = [(r.id, r.title, r.abstract) for r in records]
    workers = _workers(jobs)
    if workers > 1:
        wl, tokens, texts = rules_and_tokens_parallel(engine, papers, jobs=workers,
                                                      rules_dir=None if rules_dir is None else str(rules_dir))
    else:
        wl, tokens, texts = rules_and_tokens(engine, papers)
    dt = time.perf_counter() - t0
    say(f"weak labels: rules applied to {len(records):,} papers in {dt:.0f}s ({len(records) / max(dt, 1e-9):.0f} papers/s"
        f"{f', {workers} workers' if workers > 1 else ''})")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        wl.save(path)
    return wl, tokens, texts


def gold_training_papers(corpus: Corpus, gold: Mapping[str, GoldLabel]) -> tuple[list[Record], list[str]]:
    """Gold papers that are not in the corpus but carry their own text (added to training), and
    the ids of gold papers with neither (left out)."""
    in_corpus = {r.id for r in corpus.records}
    extra, missing = [], []
    for g in gold.values():
        if g.id in in_corpus:
            continue
        if g.has_text:
            extra.append(Record(id=g.id, title=g.title or "", abstract=g.abstract or ""))
        else:
            missing.append(g.id)
    return extra, missing


def train_model(corpus_paths: Sequence[str | Path], *, out: str | Path | None = None,
                gold_path: str | Path | None = None, force: bool = False, seed: int = 0,
                max_papers: int | None = None, params: Mapping[str, Any] | None = None,
                taxonomy: Taxonomy | None = None, rules_dir: str | Path | None = None,
                cache_dir: str | Path | None = None, jobs: int = 1, exclude_ids: Sequence[str] = (),
                progress: Progress | None = None, command: str | None = None, gold_split: str = "train"
                ) -> TrainResult:
    """Train a model on the papers in ``corpus_paths`` (+ gold) and, with ``out``, save it.

    Parameters
    ----------
    corpus_paths:
        Inputs in any format :mod:`papertag.ingest` reads (``.gz`` too).
    out:
        Model folder to write (refused if it exists, unless ``force``).
    gold_path:
        Gold labels overriding weak ones for the papers they cover; gold papers outside the
        corpus are added when the gold entry carries their text.
    seed:
        Seeds the cross-validation split.
    max_papers:
        Use only the first N corpus papers (quick experiments).
    params:
        :class:`TagClassifier` parameters overriding the defaults.
    exclude_ids:
        Papers to leave out of training (e.g. an evaluation set).
    jobs:
        Worker processes applying the rules, and threads fitting labels (``-1``: one per core).
        The trained model is the same for any value.
    gold_split:
        ``train`` (default) leaves out gold entries marked ``"split": "eval"`` (the fixed
        evaluation set that ``papertag gold export`` marks; entries without a split are used);
        ``all`` trains on every gold entry.
    """
    t_start = time.perf_counter()
    say = progress or (lambda _m: None)
    if out is not None and Path(out).exists() and any(Path(out).iterdir()) and not force:
        raise OutputExistsError(str(out))
    tax = taxonomy or load_taxonomy()
    engine = RuleEngine(load_rules(tax, rules_dir), tax)

    t0 = time.perf_counter()
    corpus = read_corpus(corpus_paths, max_papers=max_papers)
    say(f"corpus: {len(corpus):,} papers from {len(corpus.files)} file(s)"
        + (f", {len(corpus.skipped)} bad record(s) skipped" if corpus.skipped else "")
        + f" ({time.perf_counter() - t0:.0f}s)")
    gold: dict[str, GoldLabel] = {}
    extra: list[Record] = []
    missing: list[str] = []
    if gold_path is not None:
        gold = load_gold(gold_path, tax)
        if gold_split not in ("train", "all"):
            raise PapertagError(f"gold_split must be 'train' or 'all', got {gold_split!r}")
        if gold_split == "train":
            held = [k for k, g in gold.items() if g.extra.get("split") == "eval"]
            if held:
                gold = {k: g for k, g in gold.items() if g.extra.get("split") != "eval"}
                say(f"gold: {len(held)} papers of the eval split left out (kept for `papertag eval`; "
                    "--gold-split all trains on them too)")
        extra, missing = gold_training_papers(corpus, gold)
        say(f"gold: {len(gold)} papers ({len(gold) - len(extra) - len(missing)} in the corpus, {len(extra)} with "
            f"their own text, {len(missing)} without text and not in the corpus: left out)")
    excluded = set(exclude_ids)
    records = [r for r in (*corpus.records, *extra) if r.id not in excluded]
    if not records:
        raise PapertagError("no papers to train on: the corpus is empty (or every paper was excluded)")

    t0 = time.perf_counter()
    # workers rebuild the engine from files: a taxonomy given as an object stays in this process
    rule_jobs = 1 if taxonomy is not None else jobs
    wl, tokens, texts = weak_labels(records, engine, cache_dir=cache_dir, progress=say, jobs=rule_jobs,
                                    rules_dir=rules_dir)
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    if texts is None:
        texts = normalized_texts(records)
    t_prepare = time.perf_counter() - t0
    y_weak = weighted_vote(wl)
    y_mv = majority_vote(wl)
    y, is_gold = apply_gold(y_weak, wl.ids, wl.label_keys, gold)

    merged = {**DEFAULT_PARAMS, **(params or {})}
    merged.setdefault("name", Path(out).name if out is not None else "tfidf-lr")
    merged["random_state"] = seed
    model = TagClassifier(**merged)
    t0 = time.perf_counter()
    model.fit(texts, y, label_keys=wl.label_keys, gold=is_gold if gold else None, progress=say, n_jobs=_workers(jobs),
              tokens=tokens if model.tokenizer == "spacy" else None)
    t_fit = time.perf_counter() - t0

    card = build_card(model, wl, y_weak=y_weak, y_mv=y_mv, y=y, is_gold=is_gold, corpus=corpus, taxonomy=tax,
                      engine=engine, gold=gold, gold_path=gold_path, extra=extra, seed=seed,
                      timings={"read_prepare_s": round(t_prepare, 1), "rules_s": round(t_rules, 1),
                               "fit_s": round(t_fit, 1), "total_s": round(time.perf_counter() - t_start, 1)},
                      command=command, excluded=len(excluded & {r.id for r in (*corpus.records, *extra)}))
    saved_to = None
    if out is not None:
        from .persist import save_model

        card = save_model(model, out, card=card, force=force)
        model.card = card
        saved_to = Path(out)
        say(f"saved: {out} ({card['model_bytes'] / 1e6:.2f} MB)")
    return TrainResult(model, card, wl, saved_to)


def cv_summary(metrics: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Micro and macro P/R/F1 per facet and overall from per-label OOF counts (trained labels only)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for key, m in metrics.items():
        if m.get("trained"):
            groups.setdefault(key.split("/", 1)[0], []).append(m)
            groups.setdefault("all", []).append(m)
    out = {}
    for facet in [*(g for g in groups if g != "all"), "all"]:
        ms = groups.get(facet)
        if not ms:
            continue
        tp = sum(m["tp"] for m in ms)
        fp = sum(m["fp"] for m in ms)
        fn = sum(m["fn"] for m in ms)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[facet] = {"micro_precision": round(p, 4), "micro_recall": round(r, 4),
                      "micro_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                      "macro_f1": round(float(np.mean([m["f1"] for m in ms])), 4), "n_labels": len(ms)}
    return out


def build_card(model: TagClassifier, wl: WeakLabels, *, y_weak: np.ndarray, y_mv: np.ndarray, y: np.ndarray,
               is_gold: np.ndarray, corpus: Corpus, taxonomy: Taxonomy, engine: RuleEngine,
               gold: Mapping[str, GoldLabel], gold_path: str | Path | None, extra: Sequence[Record], seed: int,
               timings: dict[str, float], command: str | None, excluded: int = 0) -> dict[str, Any]:
    """The model card as a JSON-able dict (``persist.save_model`` adds the model file's hash)."""
    summary = label_summary(y_weak, wl.label_keys, baseline=y_mv)
    labels: dict[str, Any] = {}
    for j, key in enumerate(wl.label_keys):
        m = dict(model.cv_metrics_[key])
        m["rule_tagged"] = int((y_weak[:, j] == POSITIVE).sum())
        m["rule_abstain"] = int((y_weak[:, j] == ABSTAIN).sum())
        m["mv_positive"] = int((y_mv[:, j] == POSITIVE).sum())
        agreement = summary.loc[key, "agreement"]
        m["mv_agreement"] = None if agreement != agreement else float(agreement)  # NaN -> None
        m["gold_cells"] = int(is_gold[:, j].sum())
        m["gold_positive"] = int((is_gold[:, j] & (y[:, j] == POSITIVE)).sum())
        labels[key] = m
    params = model.get_params()
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
    card: dict[str, Any] = {
        "name": model.name,
        "kind": "tfidf-logreg",
        "trained_at": now_iso(),
        "command": command or "papertag train --corpus ... --out ...",
        "versions": environment_versions(),
        "taxonomy_sha256": taxonomy.sha256,
        "rules_sha256": engine.ruleset.sha256,
        "rule_thresholds": dict(engine.settings.thresholds),
        "corpus": {"paths": [str(p) for p in corpus.paths], "files": [Path(f).name for f in corpus.files],
                   "n_papers": len(corpus), "sha256": corpus.sha256,
                   "skipped_records": len(corpus.skipped), "papers_trained_on": len(wl), "excluded": excluded},
        "gold": ({"path": str(gold_path), "n_papers": len(gold),
                  "n_papers_used": int(is_gold.any(axis=1).sum()), "added_with_own_text": len(extra),
                  "ids": sorted(wl.ids[i] for i in np.flatnonzero(is_gold.any(axis=1)))} if gold_path else None),
        "seed": seed,
        "params": params,
        "label_keys": list(model.label_keys_),
        "n_features": int(len(model.feature_names_)),
        "thresholds": model.thresholds_,
        "review_low": model.review_low_,
        "cv_summary": cv_summary(model.cv_metrics_),
        "labels": labels,
        "reliability": model.reliability_,
        "ece": model.ece_,
        "timings": timings,
    }
    return card

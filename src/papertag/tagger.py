"""Tag papers: rules, claims and (optionally) the model, combined into the output schema."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from .gctools import gc_paused
from .records import Record
from .rules import RuleEngine, RuleResult, load_rules, prepare
from .taxonomy import Taxonomy, load_taxonomy

DEVICE_RULE_PREFIX = "claims.device"
DEVICE_WEIGHT = 0.9  # a named device (A100, Jetson Orin) is strong evidence of its hardware class


@dataclass
class TaggedPaper:
    """One paper's tags in the CONTRACT.md output schema (see :meth:`to_dict`)."""

    id: str
    title: str
    labels: dict[str, list[str]]
    scores: dict[str, float]
    evidence: dict[str, list[dict[str, Any]]]
    claims: list[dict[str, Any]]
    source: dict[str, str]
    needs_review: list[str] = field(default_factory=list)
    record: Record | None = None
    # the two layers' own scores (label key -> value), kept for review queues; not in the output
    rule_scores: dict[str, float] = field(default_factory=dict, repr=False)
    model_probs: dict[str, float] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "labels": self.labels,
            "scores": self.scores,
            "evidence": self.evidence,
            "claims": self.claims,
            "source": self.source,
            "needs_review": self.needs_review,
        }
        if self.record is not None:
            meta = {k: v for k, v in (("year", self.record.year), ("venue", self.record.venue),
                                      ("doi", self.record.doi), ("arxiv_id", self.record.arxiv_id),
                                      ("url", self.record.url)) if v not in (None, "")}
            if self.record.authors:
                meta["authors"] = list(self.record.authors)
            if self.record.source_file:
                meta["input"] = {"file": self.record.source_file, "line": self.record.source_line}
            bib = self.record.meta.get("bibtex_key")
            if bib:  # a BibTeX entry keeps its key and fields (papertag export bibtex writes them back)
                meta.setdefault("input", {})["bibtex"] = {
                    "key": bib, "type": self.record.meta.get("entry_type", "misc"),
                    "fields": dict(self.record.meta.get("bibtex_fields", {})),
                    "bare": list(self.record.meta.get("bibtex_bare", []))}
            out.update(meta)
        return out

    def label_keys(self) -> list[str]:
        return [f"{facet}/{lab}" for facet, labs in self.labels.items() for lab in labs]


class Tagger:
    """Rules + claims + model, applied in batches.

    Parameters
    ----------
    taxonomy, engine:
        Loaded from the project folders when not given.
    model:
        A trained :class:`papertag.model.protocol.TagModel`, or ``None`` for rules only.
    with_rules:
        ``False`` tags with the model alone (every label at or above the model's threshold, no
        corroboration; no rule evidence).
    with_claims:
        Extract claims (bits, hardware, speedups, reductions).
    """

    def __init__(self, *, taxonomy: Taxonomy | None = None, engine: RuleEngine | None = None,
                 model: Any | None = None, with_claims: bool = True, rules_dir: str | Path | None = None,
                 with_rules: bool = True) -> None:
        self.taxonomy = taxonomy or (engine.taxonomy if engine else load_taxonomy())
        self.engine = engine or RuleEngine(load_rules(self.taxonomy, rules_dir), self.taxonomy)
        self.model = model
        if not with_rules and model is None:
            raise ValueError("with_rules=False needs a model: without rules and model nothing would be tagged")
        self.with_rules = with_rules
        self.claims = None
        if with_claims:
            from .claims import ClaimExtractor, default_devices_path

            # a rules folder of one's own may carry its own device list (claims/devices.yml)
            own = default_devices_path(rules_dir) if rules_dir is not None else None
            self.claims = ClaimExtractor(own if own is not None and own.is_file() else None)
        self.thresholds = self.engine.settings.thresholds
        self._cols: Any = None

    def tag(self, records: Iterable[Record], *, batch_size: int = 256) -> Iterator[TaggedPaper]:
        """Yield one :class:`TaggedPaper` per record, in input order."""
        it = iter(records)
        while batch := list(islice(it, batch_size)):
            yield from self._tag_batch(batch)

    def tag_text(self, title: str, abstract: str = "", *, id: str = "") -> TaggedPaper:
        from .records import stable_id

        rec = Record(id=id or stable_id(title=title, abstract=abstract), title=title, abstract=abstract)
        return next(self.tag([rec]))

    # ------------------------------------------------------------------ internals
    def _tag_batch(self, batch: Sequence[Record]) -> list[TaggedPaper]:
        with gc_paused():
            return self._tag_batch_now(batch)

    def _tag_batch_now(self, batch: Sequence[Record]) -> list[TaggedPaper]:
        prepared = [prepare(r.title, r.abstract) for r in batch]
        texts = [p.norm.text for p in prepared]
        # tokenize once: the rules match on these docs and the model reads its features from them
        docs = list(self.engine.tokenize(texts, batch_size=len(batch)))
        if self.with_rules:
            rule_results = self.engine.apply_docs(docs, prepared)
        else:
            rule_results = [RuleResult() for _ in batch]
        X = probs = None
        if self.model is not None:
            X = self.model.features_docs(docs)
            probs = self.model.predict_proba_features(X)
        claims = [self._claims(prep) for prep in prepared]
        for rr, found in zip(rule_results, claims):
            self._add_device_evidence(rr, found)
        return self._assemble(batch, rule_results, claims, X, probs)

    def _claims(self, prep: Any) -> list[dict[str, Any]]:
        if self.claims is None:
            return []
        out = []
        for c in self.claims.extract(prep.norm.text):
            d = c.to_dict()
            s, e = prep.norm.to_original(c.start, c.end)
            d["start"], d["end"], d["text"] = s, e, prep.text[s:e]
            out.append(d)
        return out

    def _add_device_evidence(self, rr: RuleResult, claims: list[dict[str, Any]]) -> None:
        """A named device is evidence for its hardware label (A100 -> hardware/gpu)."""
        if self.claims is None:
            return
        from .rules.engine import Hit

        for c in claims:
            if c["kind"] != "hardware":
                continue
            kind = self.claims.device_kind(str(c["value"]))
            key = f"hardware/{kind}"
            if not kind or key not in self.taxonomy:
                continue
            hit = Hit(f"{DEVICE_RULE_PREFIX}", key, c["start"], c["end"], c["text"], DEVICE_WEIGHT,
                      "device", DEVICE_WEIGHT)
            hits = rr.hits.setdefault(key, [])
            if any(h.start < hit.end and hit.start < h.end for h in hits):
                continue  # the rules already cite this span
            hits.append(hit)
            hits.sort(key=lambda h: (h.start, -h.end))
            rr.scores[key] = 1.0 - (1.0 - rr.scores.get(key, 0.0)) * (1.0 - DEVICE_WEIGHT)

    def _columns(self) -> tuple[tuple[str, ...], dict[str, int], np.ndarray, list[tuple[int, int]],
                                np.ndarray | None, np.ndarray | None]:
        """Per taxonomy column, computed once: label keys, their columns, the rule threshold,
        (child, parent) column pairs with the deepest children first (so a grandchild reaches its
        grandparent), and the model's threshold and review floor (2.0 for labels it lacks: never tagged
        nor reviewed by it)."""
        if self._cols is None:
            tax = self.taxonomy
            keys = tax.keys
            col = {k: j for j, k in enumerate(keys)}
            thr = np.array([self.thresholds.get(k, self.thresholds[k.split("/", 1)[0]]) for k in keys])
            pairs = [(col[k], col[tax[k].parent_key]) for k in keys if tax[k].parent_key in col]
            pairs.sort(key=lambda cp: -keys[cp[0]].count("/"))
            model_thr = review_low = None
            if self.model is not None:
                model_thr = np.array([self.model.thresholds.get(k, 2.0) for k in keys])
                review_low = np.array([self.model.review_low.get(k, 2.0) for k in keys])
            self._cols = (keys, col, thr, pairs, model_thr, review_low)
        return self._cols

    def _assemble(self, batch: Sequence[Record], rule_results: Sequence[RuleResult], claims: Sequence[list[Any]],
                  X: Any | None, probs: np.ndarray | None) -> list[TaggedPaper]:
        """Combine rules and model for the whole batch with array operations, then build each paper."""
        from .model.combine import SOURCE_NAMES, combine_batch

        keys, col, thr, pairs, model_thr, review_low = self._columns()
        n, m = len(batch), len(keys)
        rule_scores = np.zeros((n, m), dtype=np.float64)
        for i, rr in enumerate(rule_results):
            for k, v in rr.scores.items():
                rule_scores[i, col[k]] = v
        raw_probs = None if probs is None else probs.tolist()
        if probs is not None:
            model_cols = [col[k] for k in self.model.label_keys]
            aligned = np.zeros((n, m), dtype=np.float64)
            aligned[:, model_cols] = probs
            probs = aligned
        corroborate = bool(getattr(self.model, "corroborate", False)) and self.with_rules
        source, scores, band = combine_batch(rule_scores, thr, probs, model_thr, review_low, corroborate)
        # a child always comes with its parent: the parent inherits the child's sources and score
        own = source.copy()
        for child, parent in pairs:
            tagged_child = source[:, child] > 0
            implied = tagged_child & (own[:, parent] == 0)
            source[implied, parent] |= source[implied, child]
            scores[tagged_child, parent] = np.maximum(scores[tagged_child, parent], scores[tagged_child, child])
        needs_review = band & (source == 0)
        rounded = np.round(scores, 4).tolist()
        facet_names = self.taxonomy.facets
        facet_of = [self.taxonomy[k].facet for k in keys]  # a facet's labels are in column order
        ids = [self.taxonomy[k].id for k in keys]
        tagged_cols, review_cols = _nonzero_columns(source), _nonzero_columns(needs_review)
        sources = source.tolist()
        # the terms that made the model tag a label, for every (paper, label) it tags, in one call
        explained: dict[tuple[int, int], list[tuple[str, float]]] = {}
        if self.model is not None:
            pairs = [(i, j) for i in range(n) for j in tagged_cols[i] if sources[i][j] & 2]
            if pairs:
                terms = self.model.explain_batch(X, [i for i, _ in pairs], [keys[j] for _, j in pairs], 5)
                explained = dict(zip(pairs, terms))
        out = []
        for i, (rec, rr) in enumerate(zip(batch, rule_results)):
            src = sources[i]
            tagged = tagged_cols[i]
            labels: dict[str, list[str]] = {f: [] for f in facet_names}
            evidence: dict[str, list[dict[str, Any]]] = {}
            for j in tagged:
                labels[facet_of[j]].append(ids[j])
                k = keys[j]
                # Hit.to_evidence, inlined: a paper has dozens of hits
                ev = [{"start": h.start, "end": h.end, "text": h.text, "rule": h.rule, "context": h.context,
                       "strength": round(h.strength, 3)} for h in rr.hits.get(k, ())]
                if (i, j) in explained:  # the model tags it: show the terms that made it
                    ev.append({"model": self.model.name, "score": round(float(scores[i, j]), 3),
                               "terms": [[t, round(float(w), 4)] for t, w in explained[i, j]]})
                evidence[k] = ev
            out.append(TaggedPaper(
                id=rec.id,
                title=rec.title,
                labels=labels,
                scores=dict(zip(keys, rounded[i])),
                evidence=evidence,
                claims=claims[i],
                source={keys[j]: SOURCE_NAMES[src[j]] for j in tagged},
                needs_review=[keys[j] for j in review_cols[i]],
                record=rec,
                rule_scores={k: float(v) for k, v in rr.scores.items() if v > 0},
                model_probs={} if raw_probs is None else dict(zip(self.model.label_keys, raw_probs[i])),
            ))
        return out


def _nonzero_columns(matrix: np.ndarray) -> list[list[int]]:
    """Per row, the columns where ``matrix`` is nonzero, from one batch-wide ``nonzero()`` call."""
    out: list[list[int]] = [[] for _ in range(matrix.shape[0])]
    for r, c in zip(*(a.tolist() for a in np.nonzero(matrix))):
        out[r].append(c)
    return out

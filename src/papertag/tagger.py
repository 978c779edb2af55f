"""Tag papers: rules, claims and (optionally) the model, combined into the output schema."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

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
    with_claims:
        Extract claims (bits, hardware, speedups, reductions).
    """

    def __init__(self, *, taxonomy: Taxonomy | None = None, engine: RuleEngine | None = None,
                 model: Any | None = None, with_claims: bool = True, rules_dir: str | Path | None = None) -> None:
        self.taxonomy = taxonomy or (engine.taxonomy if engine else load_taxonomy())
        self.engine = engine or RuleEngine(load_rules(self.taxonomy, rules_dir), self.taxonomy)
        self.model = model
        self.claims = None
        if with_claims:
            from .claims import ClaimExtractor

            self.claims = ClaimExtractor()
        self.thresholds = self.engine.settings.thresholds

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
        prepared = [prepare(r.title, r.abstract) for r in batch]
        rule_results = list(self.engine.apply_prepared(prepared, batch_size=len(batch)))
        probs = self.model.predict_proba([p.norm.text for p in prepared]) if self.model is not None else None
        out = []
        for i, (rec, prep, rr) in enumerate(zip(batch, prepared, rule_results)):
            claims = self._claims(prep)
            self._add_device_evidence(rr, claims)
            out.append(self._assemble(rec, prep.norm.text, rr, claims, None if probs is None else probs[i]))
        return out

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

    def _assemble(self, rec: Record, norm_text: str, rr: RuleResult, claims: list[dict[str, Any]],
                  probs: Any | None) -> TaggedPaper:
        tax = self.taxonomy
        rule_tagged = {k for k, v in rr.scores.items() if v >= self.thresholds[k.split("/", 1)[0]]}
        needs_review: list[str] = []
        if probs is None:
            tagged = rule_tagged
            scores = {k: rr.scores.get(k, 0.0) for k in tax.keys}
            source = {k: "rule" for k in tagged}
        else:
            from .model.combine import combine

            tagged, scores, source, needs_review = combine(rr.scores, self.thresholds, probs, self.model)
        # a child always comes with its parent
        for k in list(tagged):
            for parent in tax.ancestors(k):
                if parent not in tagged:
                    tagged.add(parent)
                    source[parent] = source[k]
                scores[parent] = max(scores.get(parent, 0.0), scores.get(k, 0.0))
        labels = {f: [tax[k].id for k in tax.facet_keys(f) if k in tagged] for f in tax.facets}
        evidence: dict[str, list[dict[str, Any]]] = {}
        for k in tax.keys:
            if k not in tagged:
                continue
            ev = [h.to_evidence() for h in rr.hits.get(k, [])]
            if probs is not None and "model" in source.get(k, ""):
                terms = self.model.explain(norm_text, k, 5)
                ev.append({"model": self.model.name, "score": round(float(scores[k]), 3),
                           "terms": [[t, round(float(w), 4)] for t, w in terms]})
            evidence[k] = ev
        return TaggedPaper(
            id=rec.id,
            title=rec.title,
            labels=labels,
            scores={k: round(float(scores.get(k, 0.0)), 4) for k in tax.keys},
            evidence=evidence,
            claims=claims,
            source={k: source[k] for k in tax.keys if k in tagged},
            needs_review=[k for k in tax.keys if k in needs_review],
            record=rec,
            rule_scores={k: float(v) for k, v in rr.scores.items() if v > 0},
            model_probs=({} if probs is None else
                         {k: float(p) for k, p in zip(self.model.label_keys, probs)}),
        )

"""A review session: the papers, their predictions, the queue order and the decision log.

The web page (:mod:`papertag.review.web`) is a thin layer over :class:`ReviewSession`; the
session can also be driven from Python or a script (``session.submit(...)``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PapertagError
from ..gold import GoldLabel
from ..records import Record
from ..tagger import TaggedPaper, Tagger
from ..taxonomy import Taxonomy
from .fold import fold
from .log import (DECISIONS, LabelDecision, LogRead, Submission, append_submission, new_submission, read_log,
                  text_hash)
from .queue import QueueItem, order_queue

__all__ = ["BadRequest", "ReviewSession", "UnknownPaper"]


class BadRequest(PapertagError, ValueError):
    """A submission the session refuses (unknown label, malformed field, stale text)."""

    status = 400


class UnknownPaper(BadRequest):
    status = 404


class StaleText(BadRequest):
    status = 409


@dataclass(frozen=True)
class Shown:
    """A label as shown on the page: predicted (tagged) or suggested (abstain band)."""

    key: str
    kind: str  # "predicted" | "suggested"
    score: float
    source: str | None
    rules: tuple[str, ...]


class ReviewSession:
    """Papers + predictions + queue, writing decisions to ``log_path``.

    Parameters
    ----------
    records:
        The papers to review (ids must be unique; later duplicates are dropped).
    tagger:
        Makes the predictions shown (its model, if any, is recorded with each decision).
    strategy:
        Queue order, one of :data:`papertag.review.queue.STRATEGIES`.
    overlap:
        A paper leaves the queue once this many reviewers decided it (2 or more for agreement).
    role:
        ``reviewer`` or ``adjudicator`` (an adjudicator's decisions win in ``gold export``).
    """

    def __init__(self, records: Iterable[Record], tagger: Tagger, log_path: str | Path, *,
                 strategy: str = "uncertainty", overlap: int = 1, role: str = "reviewer", seed: int = 0,
                 batch_size: int = 256, progress: Any = None) -> None:
        self.tax: Taxonomy = tagger.taxonomy
        self.tagger = tagger
        self.log_path = Path(log_path)
        self.strategy = strategy
        self.overlap = max(1, overlap)
        self.role = role
        self.records: dict[str, Record] = {}
        for r in records:
            self.records.setdefault(r.id, r)
        self.papers: dict[str, TaggedPaper] = {}
        recs = list(self.records.values())
        for n, tp in enumerate(tagger.tag(recs, batch_size=batch_size), 1):
            self.papers[tp.id] = tp
            if progress and n % 2000 == 0:
                progress(f"  predicted {n:,} of {len(recs):,} papers")
        model = tagger.model
        self.model_version: str | None = None
        if model is not None:
            sha = (getattr(model, "card", None) or {}).get("model_sha256", "")
            self.model_version = f"{getattr(model, 'name', 'model')}@{sha[:8]}" if sha else getattr(model, "name", None)
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int], LogRead] | None = None
        log = self.read()
        gold: dict[str, GoldLabel] = {}
        conflicts: list[str] = []
        if strategy in ("thin", "conflicts"):
            res = fold(log.submissions, self.tax)
            gold = {e["id"]: GoldLabel(id=e["id"], labels={f: tuple(v) for f, v in e["labels"].items()},
                                       facets=tuple(e["facets"]), answer=e["answer"])
                    for e in res.entries if e["answer"] != "reject"}
            conflicts = [c.id for c in res.conflicts]
        self.queue: list[QueueItem] = order_queue(
            list(self.papers.values()), strategy, rule_thresholds=tagger.thresholds,
            model_thresholds=getattr(model, "thresholds", None) if model is not None else None,
            gold=gold, conflict_ids=conflicts, seed=seed)
        self.reasons = {q.id: q.reason for q in self.queue}

    # ------------------------------------------------------------------ log
    def read(self) -> LogRead:
        """The log, re-read only when it changed (another tab or process may append)."""
        try:
            st = self.log_path.stat()
            stamp = (st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            stamp = (0, 0)
        with self._lock:
            if self._cache is None or self._cache[0] != stamp:
                self._cache = (stamp, read_log(self.log_path, self.tax))
            return self._cache[1]

    def _decided(self) -> tuple[dict[str, set[str]], list[Submission]]:
        subs = self.read().submissions
        if self.role == "adjudicator":  # an adjudicator may have reviewed the paper before: only rulings count
            subs = [s for s in subs if s.role == "adjudicator"]
        by_paper: dict[str, set[str]] = {}
        for s in subs:
            by_paper.setdefault(s.id, set()).add(s.reviewer)
        return by_paper, subs

    # ------------------------------------------------------------------ queue
    def next_id(self, reviewer: str, *, skip: Iterable[str] = ()) -> str | None:
        """The next paper for ``reviewer``, passing over the ids in ``skip`` (skipped this session)."""
        nxt = self.upcoming(reviewer, 1, skip=skip)
        return nxt[0] if nxt else None

    def upcoming(self, reviewer: str, limit: int, *, skip: Iterable[str] = ()) -> list[str]:
        """The next ``limit`` papers for ``reviewer`` in queue order."""
        by_paper, _ = self._decided()
        skipped = set(skip)
        out: list[str] = []
        for q in self.queue:
            who = by_paper.get(q.id, set())
            if q.id in skipped or reviewer in who:
                continue
            if self.strategy != "conflicts" and len(who) >= self.overlap:
                continue
            out.append(q.id)
            if len(out) >= limit:
                break
        return out

    def progress(self, reviewer: str) -> dict[str, Any]:
        """Reviewed by this reviewer / left in the queue, and their per-label counts so far."""
        by_paper, subs = self._decided()
        in_queue = {q.id for q in self.queue}
        mine = [s for s in subs if s.reviewer == reviewer]
        done = {s.id for s in mine if s.id in in_queue}
        left = sum(1 for q in self.queue if reviewer not in by_paper.get(q.id, set())
                   and (self.strategy == "conflicts" or len(by_paper.get(q.id, set())) < self.overlap))
        latest: dict[str, Submission] = {}
        for s in mine:
            latest[s.id] = s
        counts: Counter[str] = Counter()
        answers: Counter[str] = Counter()
        for s in latest.values():
            answers[s.answer] += 1
            if s.answer in ("accept", "correct"):
                for f in s.facets:
                    for lab in s.positives(f):
                        counts[f"{f}/{lab}"] += 1
        return {"reviewer": reviewer, "reviewed": len(done), "left": left, "queue": len(self.queue),
                "reviewed_all": len(latest), "answers": dict(answers),
                "labels": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))}

    # ------------------------------------------------------------------ one paper
    def shown(self, paper_id: str) -> list[Shown]:
        """The labels the page shows for a paper, in taxonomy order."""
        tp = self.paper(paper_id)
        tagged = {f"{f}/{i}" for f, ids in tp.labels.items() for i in ids}
        out = []
        for k in self.tax.keys:
            if k in tagged or k in tp.needs_review:
                rules = tuple(dict.fromkeys(e["rule"] for e in tp.evidence.get(k, []) if "rule" in e))
                out.append(Shown(k, "predicted" if k in tagged else "suggested", float(tp.scores.get(k, 0.0)),
                                 tp.source.get(k) if k in tagged else "model", rules))
        return out

    def paper(self, paper_id: str) -> TaggedPaper:
        tp = self.papers.get(paper_id)
        if tp is None:
            raise UnknownPaper(f"unknown paper id {paper_id!r}: it is not among the papers of this session")
        return tp

    def text_hash(self, paper_id: str) -> str:
        rec = self.records[self.paper(paper_id).id]
        return text_hash(rec.title, rec.abstract)

    def history(self, paper_id: str) -> list[Submission]:
        return [s for s in self.read().submissions if s.id == paper_id]

    # ------------------------------------------------------------------ submit
    def submit(self, reviewer: str, paper_id: str, decisions: Mapping[str, str], *, answer: str | None = None,
               note: str | None = None, seen_hash: str | None = None) -> Submission:
        """Validate one review and append it to the log (durable when this returns).

        ``decisions`` maps full label keys to ``accept``/``reject``/``add``; every predicted
        or suggested label must be decided. ``answer`` may be ``unsure`` or ``reject`` (set
        aside); otherwise it follows from the decisions.
        """
        if not isinstance(reviewer, str) or not reviewer.strip():
            raise BadRequest("'reviewer' must be a non-empty name")
        tp = self.paper(paper_id)
        current = self.text_hash(paper_id)
        if seen_hash is not None and seen_hash != current:
            raise StaleText(f"the text of {paper_id!r} changed since the page was loaded; reload it")
        if not isinstance(decisions, Mapping):
            raise BadRequest("'labels' must be an object mapping label keys to accept/reject/add")
        if answer not in (None, "accept", "correct", "reject", "unsure"):
            raise BadRequest(f"'answer' must be accept, correct, reject or unsure, got {answer!r}")
        if note is not None and (not isinstance(note, str) or len(note) > 5000):
            raise BadRequest("'note' must be a string of at most 5000 characters")
        shown = {s.key: s for s in self.shown(paper_id)}
        decs: list[LabelDecision] = []
        for key, d in decisions.items():
            if not isinstance(key, str) or key not in self.tax:
                raise BadRequest(f"unknown label {key!r}: not in the taxonomy (labels are keys like "
                                 f"'technique/pruning')")
            if d not in DECISIONS:
                raise BadRequest(f"decision on {key!r} must be one of {', '.join(DECISIONS)}, got {d!r}")
            facet, _, label = key.partition("/")
            s = shown.get(key)
            if s is None and d != "add":
                raise BadRequest(f"{key!r} was not shown for this paper: only 'add' is possible for it")
            if s is not None and d == "add":
                d = "accept"  # adding a label that was already shown is accepting it
            decs.append(LabelDecision(facet, label, d, None if s is None else round(s.score, 4),
                                      None if s is None else s.source, None if s is None else s.kind))
        pos = {d.key for d in decs if d.positive}
        for d in decs:
            if not d.positive and any(k.startswith(d.key + "/") for k in pos):
                child = next(k for k in pos if k.startswith(d.key + "/"))
                raise BadRequest(f"{child!r} is accepted but its parent {d.key!r} is rejected; a child label "
                                 "implies its parent")
        if answer not in ("reject", "unsure"):
            missing = [k for k in shown if k not in decisions]
            if missing:
                raise BadRequest(f"undecided label(s): {', '.join(missing)}; accept or reject each shown label")
        sub = new_submission(tp.id, reviewer.strip(), decs, answer=answer, text_hash=current, role=self.role,
                             note=(note or "").strip() or None, model=self.model_version, strategy=self.strategy)
        append_submission(self.log_path, sub, taxonomy=self.tax)
        return sub

    # ------------------------------------------------------------------ page data
    def view(self, paper_id: str, reviewer: str | None = None) -> dict[str, Any]:
        """Everything the page needs about one paper (the text is escaped by the template).

        Each label's ``state`` is what the page starts from: the predictions (predicted labels
        accepted, suggestions rejected), or ``reviewer``'s own latest decision when they review
        the paper again (labels they added come back as ``added``).
        """
        tp = self.paper(paper_id)
        rec = self.records[tp.id]
        text = rec.text
        shown = self.shown(paper_id)
        spans: list[tuple[int, int, str]] = []
        for s in shown:
            for e in tp.evidence.get(s.key, []):
                if "start" in e and "end" in e:
                    spans.append((int(e["start"]), int(e["end"]), s.key))
        for n, c in enumerate(tp.claims):
            spans.append((int(c["start"]), int(c["end"]), f"claim:{n}"))
        title_end = len(rec.title) if rec.title else 0
        mine = None
        if reviewer:
            for sub in self.history(tp.id):
                if sub.reviewer == reviewer and sub.role == self.role:
                    mine = sub
        given = {f"{f}/{i}" for f in mine.facets for i in mine.positives(f)} if mine is not None else None
        labels = [{"key": s.key, "facet": s.key.split("/", 1)[0], "name": self.tax[s.key].name, "kind": s.kind,
                   "score": round(s.score, 2), "source": s.source, "rules": list(s.rules),
                   "description": self.tax[s.key].description,
                   "state": ("accept" if s.key in given else "reject") if given is not None
                   else ("accept" if s.kind == "predicted" else "reject")} for s in shown]
        shown_keys = {s.key for s in shown}
        for k in self.tax.keys:
            if given is not None and k in given and k not in shown_keys:
                labels.append({"key": k, "facet": k.split("/", 1)[0], "name": self.tax[k].name, "kind": "added",
                               "score": None, "source": "added", "rules": [], "state": "add",
                               "description": self.tax[k].description})
        return {
            "id": tp.id, "title": rec.title, "abstract": rec.abstract, "text_hash": self.text_hash(tp.id),
            "segments_title": segments(text, spans, 0, title_end),
            "segments_abstract": segments(text, spans, len(text) - len(rec.abstract) if rec.abstract else len(text),
                                          len(text)),
            "labels": labels,
            "previous": None if mine is None else {"answer": mine.answer, "note": mine.note, "time": mine.time},
            "claims": [{"n": n, **{k: c[k] for k in ("kind", "value", "text") if k in c},
                        "unit": c.get("unit")} for n, c in enumerate(tp.claims)],
            "meta": {k: v for k, v in (("year", rec.year), ("venue", rec.venue), ("url", rec.url),
                                       ("doi", rec.doi)) if v},
            "reason": self.reasons.get(tp.id, ""),
            # earlier decisions are shown to an adjudicator only: reviewers judge blind, so agreement means something
            "history": [{"reviewer": s.reviewer, "answer": s.answer, "time": s.time, "note": s.note,
                         "labels": sorted(f"{f}/{lab}" for f in s.facets for lab in s.positives(f))}
                        for s in self.history(tp.id)] if self.role == "adjudicator" else [],
        }


def segments(text: str, spans: Sequence[tuple[int, int, str]], lo: int, hi: int) -> list[dict[str, Any]]:
    """Cut ``text[lo:hi]`` at every span boundary; each piece lists the span keys covering it."""
    cuts = {lo, hi}
    for s, e, _ in spans:
        if s < hi and e > lo:
            cuts.add(max(s, lo))
            cuts.add(min(e, hi))
    pts = sorted(cuts)
    out: list[dict[str, Any]] = []
    for a, b in zip(pts, pts[1:]):
        if a >= b:
            continue
        keys = sorted({k for s, e, k in spans if s <= a and e >= b})
        out.append({"text": text[a:b], "keys": keys})
    return out

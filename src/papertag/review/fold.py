"""Fold the decision log into gold entries, and find where reviewers disagree.

Per paper, each reviewer's judgement of a facet is their latest submission that judged it
(later decisions replace earlier ones). Then:

- an adjudicator's latest submission on the paper wins for the facets it judged;
- otherwise a facet is gold when every reviewer who judged it gave the same label set;
  when they differ it is a **conflict**: left out of the gold entry (unknown, not negative)
  and listed by :func:`conflicts` until an adjudicator decides;
- ``unsure`` answers are not gold (listed as conflicts of kind ``unsure``); when every
  reviewer set the paper aside (``reject``) the entry keeps ``answer: reject`` (not gold),
  and a paper some set aside and others labelled is a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..taxonomy import Taxonomy, load_taxonomy
from .log import Submission

__all__ = ["Conflict", "FoldResult", "fold", "latest_by_reviewer"]


@dataclass(frozen=True)
class Conflict:
    """A paper (and facet) where reviewers disagree and no adjudicator has decided."""

    id: str
    kind: str  # "labels" | "answer" | "unsure"
    facet: str | None
    by_reviewer: dict[str, Any]  # reviewer -> sorted label ids (labels) or answer

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "facet": self.facet, "reviewers": self.by_reviewer}

    def differing(self) -> list[str]:
        """For a label conflict: the labels not every reviewer gave."""
        if self.kind != "labels":
            return []
        sets = [set(v) for v in self.by_reviewer.values()]
        return sorted(set.union(*sets) - set.intersection(*sets))


@dataclass
class FoldResult:
    entries: list[dict[str, Any]]  # gold lines (papertag.gold format, label ids sorted), in order of first decision
    conflicts: list[Conflict] = field(default_factory=list)
    papers: int = 0


def latest_by_reviewer(subs: Iterable[Submission]) -> dict[str, dict[str, dict[str, Submission]]]:
    """paper id -> reviewer -> facet -> that reviewer's latest submission judging the facet.

    The facet ``""`` holds the reviewer's latest submission on the paper (its answer).
    """
    out: dict[str, dict[str, dict[str, Submission]]] = {}
    for s in subs:  # log order: later lines win
        per = out.setdefault(s.id, {}).setdefault(s.reviewer, {})
        per[""] = s
        for f in s.facets:
            per[f] = s
    return out


def fold(subs: Sequence[Submission], taxonomy: Taxonomy | None = None, *,
         reviewers: Sequence[str] | None = None) -> FoldResult:
    """Fold submissions (log order) into gold entries and conflicts; see the module docstring.

    ``reviewers`` keeps only those reviewers' submissions (adjudicators included by name).
    """
    tax = taxonomy or load_taxonomy()
    if reviewers:
        keep = set(reviewers)
        subs = [s for s in subs if s.reviewer in keep]
    adjudicated: dict[str, dict[str, Submission]] = {}
    for s in subs:
        if s.role == "adjudicator":
            per = adjudicated.setdefault(s.id, {})
            per[""] = s
            for f in s.facets:
                per[f] = s
    latest = latest_by_reviewer(s for s in subs if s.role != "adjudicator")
    entries: list[dict[str, Any]] = []
    conflicts: list[Conflict] = []
    by_paper: dict[str, list[Submission]] = {}
    for s in subs:
        by_paper.setdefault(s.id, []).append(s)
    seen = list(by_paper)
    for pid in seen:
        adj = adjudicated.get(pid, {})
        by_rev = latest.get(pid, {})
        used: list[Submission] = []
        labels: dict[str, list[str]] = {}
        facets: list[str] = []
        answer: str | None = None
        if "" in adj and adj[""].answer in ("reject", "unsure"):
            answer = adj[""].answer
            used.append(adj[""])
        elif "" not in adj:
            answers = {r: per[""].answer for r, per in by_rev.items()}
            decided = {r: a for r, a in answers.items() if a != "unsure"}
            if not decided:
                conflicts.append(Conflict(pid, "unsure", None, answers))
                continue
            rejects = {r for r, a in decided.items() if a == "reject"}
            if rejects and len(rejects) < len(decided):
                conflicts.append(Conflict(pid, "answer", None, answers))
                continue
            if rejects:
                answer = "reject"
                used.extend(by_rev[r][""] for r in rejects)
        if answer is None:
            for facet in tax.facets:
                if facet in adj:
                    labels[facet] = sorted(adj[facet].positives(facet))
                    facets.append(facet)
                    used.append(adj[facet])
                    continue
                judged = {r: per[facet] for r, per in by_rev.items()
                          if facet in per and per[facet].answer in ("accept", "correct")}
                if not judged:
                    continue
                sets = {r: frozenset(s.positives(facet)) for r, s in judged.items()}
                if len(set(sets.values())) > 1:
                    conflicts.append(Conflict(pid, "labels", facet, {r: sorted(v) for r, v in sets.items()}))
                    continue
                labels[facet] = sorted(next(iter(sets.values())))
                facets.append(facet)
                used.extend(judged.values())
            if not facets:
                continue
            changed = any(d.decision != "accept" for s in used for d in s.decisions)
            answers = {s.answer for s in used}
            answer = next(iter(answers)) if len(answers) == 1 else ("correct" if changed else "accept")
        entries.append(_entry(pid, labels, facets, answer, used, by_paper[pid]))
    return FoldResult(entries, conflicts, len(seen))


def _entry(pid: str, labels: dict[str, list[str]], facets: list[str], answer: str,
           used: list[Submission], every: list[Submission]) -> dict[str, Any]:
    """One gold line from the submissions that decided it (``used``); provenance kept from
    ``every`` submission on the paper: extra keys (round, stratum) and the split, which stays
    ``eval`` once any review put it there (an adjudicated test paper stays a test paper)."""
    uniq: list[Submission] = []
    for s in used:
        if all(s is not u for u in uniq):
            uniq.append(s)
    reviewers = sorted({s.reviewer for s in uniq})
    adjudicators = sorted({s.reviewer for s in uniq if s.role == "adjudicator"})
    out: dict[str, Any] = {"id": pid, "labels": labels, "facets": facets,
                           "reviewer": adjudicators[0] if len(adjudicators) == 1 else ",".join(reviewers),
                           "time": max(s.time for s in uniq), "answer": answer}
    notes = [s.note for s in uniq if s.note]
    if notes:
        out["note"] = " | ".join(dict.fromkeys(notes))
    for s in [*uniq, *every]:
        for k, v in s.extra.items():
            out.setdefault(k, v)
    out["split"] = "eval" if any(s.split == "eval" for s in every) else "train"
    if len(reviewers) > 1:
        out["reviewers"] = reviewers
    return out

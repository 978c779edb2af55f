"""Between the decision log and ``labels/gold.jsonl``: export (fold) and migration."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import PapertagError
from ..gold import GoldLabel, read_gold_lines
from ..output import atomic_writer
from ..taxonomy import Taxonomy, load_taxonomy
from .fold import FoldResult, fold
from .log import LabelDecision, Submission, TornLine, append_submission, new_submission, read_log

__all__ = ["ExportResult", "export_gold", "migrate_gold", "submission_from_gold"]


class MigrationError(PapertagError):
    """The gold file was already migrated into the log."""


@dataclass
class ExportResult:
    written: int
    fold: FoldResult
    torn: TornLine | None
    incomplete: list[str]


def export_gold(log_path: str | Path, out: str | Path, *, taxonomy: Taxonomy | None = None,
                reviewers: Sequence[str] | None = None, split: str | None = None) -> ExportResult:
    """Fold the log into a gold file, written atomically (``out`` is replaced).

    ``split`` (``eval``/``train``) keeps only papers of that split; ``reviewers`` only those
    reviewers' decisions.
    """
    tax = taxonomy or load_taxonomy()
    read = read_log(log_path, tax)
    result = fold(read.submissions, tax, reviewers=reviewers)
    entries = [e for e in result.entries if split is None or e.get("split") == split]
    with atomic_writer(out, force=True) as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    return ExportResult(len(entries), result, read.torn, read.incomplete)


def submission_from_gold(g: GoldLabel, *, split: str = "eval") -> Submission:
    """A gold entry as one submission of its reviewer (labels as ``add`` decisions, its own time)."""
    decisions = [LabelDecision(f, lab, "add") for f in g.facets for lab in _leaves(g.labels.get(f, ()))]
    extra = {k: v for k, v in g.extra.items() if k not in ("split", "reviewers")}
    return new_submission(g.id, g.reviewer or "unknown", decisions, facets=g.facets, answer=g.answer or "accept",
                          note=g.note, time=g.time, strategy="gold-migration", split=g.extra.get("split", split),
                          extra=extra)


def _leaves(ids: Sequence[str]) -> list[str]:
    """Drop parents implied by a listed child (the gold file lists them either way)."""
    s = set(ids)
    return [i for i in ids if not any(o.startswith(i + "/") for o in s)]


def migrate_gold(gold_path: str | Path, log_path: str | Path, *, taxonomy: Taxonomy | None = None,
                 split: str = "eval") -> int:
    """Append every entry of a gold file to the log as decisions of its reviewer.

    Refuses when one of the gold papers already has a decision by the same reviewer in the
    log (the file was migrated before). Returns the number of submissions written.
    """
    tax = taxonomy or load_taxonomy()
    entries = read_gold_lines(gold_path, tax)
    existing = {(s.id, s.reviewer) for s in read_log(log_path, tax).submissions}
    dup = [g.id for g in entries if (g.id, g.reviewer or "unknown") in existing]
    if dup:
        raise MigrationError(f"{log_path} already holds decisions for {len(dup)} paper(s) of {gold_path} by the "
                             f"same reviewer (first: {dup[0]}); it was migrated already")
    subs = [submission_from_gold(g, split=split) for g in entries]
    append_submission(log_path, subs, taxonomy=tax)
    return len(subs)

"""Loading what a report or export needs (papers, tagger, gold set) from command-line style arguments,
shared by ``papertag report`` and ``papertag export``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SkippedRecord
from ..taxonomy import Taxonomy, load_taxonomy
from .frame import Filters, ReportError, apply_filters, parse_where
from .load import load_papers

Progress = Callable[[str], None]

__all__ = ["Session", "load_gold_papers", "make_filters", "open_session"]


@dataclass
class Session:
    taxonomy: Taxonomy
    papers: list[dict[str, Any]]
    skipped: list[SkippedRecord] = field(default_factory=list)
    tagged_here: int = 0
    duplicates: int = 0
    tagger_factory: Callable[[], Any] | None = None


def make_filters(taxonomy: Taxonomy, *, where: Sequence[str] = (), since: int | None = None,
                 until: int | None = None, min_score: float | None = None, source: str | None = None,
                 venues: Sequence[str] = ()) -> Filters:
    if since is not None and until is not None and since > until:
        raise ReportError(f"--since {since} is after --until {until}: no year can match")
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise ReportError(f"--min-score must be between 0 and 1, got {min_score}")
    if source is not None and source not in ("rule", "model", "gold"):
        raise ReportError(f"--source must be rule, model or gold, got {source!r}")
    return Filters(where=parse_where(list(where), taxonomy), since=since, until=until, min_score=min_score,
                   source=source, venues=tuple(v.strip() for v in venues if v.strip()))


def _tagger_factory(model_dir: Path | None, rules_only: bool) -> Callable[[], Any]:
    def make() -> Any:
        from ..tagger import Tagger

        if rules_only:
            return Tagger()
        if model_dir is None:
            from .load import default_tagger

            return default_tagger()
        from ..model.persist import load_model

        return Tagger(model=load_model(model_dir))

    return make


def open_session(inputs: Sequence[str], *, on_error: str = "raise", model_dir: Path | None = None,
                 rules_only: bool = False, progress: Progress | None = None) -> Session:
    tax = load_taxonomy()
    factory = _tagger_factory(model_dir, rules_only)
    res = load_papers(inputs, on_error=on_error, tagger_factory=factory, progress=progress)
    if not res.papers:
        raise ReportError(f"no papers in {', '.join(inputs)}")
    return Session(tax, res.papers, res.skipped, res.tagged_here, res.duplicates, factory)


def load_gold_papers(session: Session, gold_ids: Sequence[str], corpus: Sequence[str],
                     progress: Progress | None = None) -> list[dict[str, Any]]:
    """Predictions for gold papers: from the input where there, else tagged from ``corpus`` records with
    the same id."""
    have = {p["id"]: p for p in session.papers}
    found = [have[i] for i in gold_ids if i in have]
    missing = [i for i in gold_ids if i not in have]
    if missing and corpus:
        from ..model.data import read_corpus

        wanted = set(missing)
        recs = [r for r in read_corpus(list(corpus)).records if r.id in wanted]
        if recs:
            if progress:
                progress(f"Tagging {len(recs)} gold paper(s) from the corpus...")
            tagger = session.tagger_factory() if session.tagger_factory else None
            if tagger is None:
                from .load import default_tagger

                tagger = default_tagger()
            found.extend(p.to_dict() for p in tagger.tag(recs))
    return found


def select(session: Session, filters: Filters, gold: Any = None) -> list[dict[str, Any]]:
    out = apply_filters(session.papers, filters, session.taxonomy, gold=gold)
    if not out:
        raise ReportError(f"no papers left after the filters ({filters.describe()}) out of {len(session.papers)}")
    return out

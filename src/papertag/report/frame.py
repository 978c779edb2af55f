"""Tagged papers as pandas tables, and the filters every report and export shares.

- :func:`papers_frame`: one row per paper (id, title, year, venue, authors, link, ...).
- :func:`long_frame`: one row per paper x label (the "long form"): facet, label id, top-level label,
  score, source, first evidence snippet, plus the paper's year, title, venue and link.
- :class:`Filters` / :func:`apply_filters`: ``--where``, ``--since``, ``--until``, ``--min-score``,
  ``--source``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..errors import PapertagError
from ..taxonomy import Taxonomy

SOURCES = ("rule", "model", "gold")

__all__ = ["Filters", "ReportError", "SOURCES", "apply_filters", "label_keys_of", "long_frame", "paper_link",
           "papers_frame", "parse_where"]


class ReportError(PapertagError, ValueError):
    """A report or export cannot be made as asked (unknown label in ``--where``, no papers left, ...)."""


# ---------------------------------------------------------------------------- filters
@dataclass(frozen=True)
class Filters:
    """Which papers and labels a report counts.

    Attributes
    ----------
    where:
        ``(facet, label ids)`` pairs; a paper must carry one of the labels of every pair (AND across
        pairs, OR within one: ``technique=quantization,pruning``).
    since, until:
        Keep papers with ``since <= year <= until`` (papers without a year are dropped by either).
    min_score:
        Keep only labels whose score is at least this.
    source:
        ``rule``: labels the rules found (``rule`` or ``rule+model``); ``model``: labels the model
        found; ``gold``: only gold papers, with their gold labels instead of the predictions.
    venues:
        Keep papers whose venue contains one of these (case-insensitive); ``none`` keeps papers
        without a venue (preprints).
    """

    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    since: int | None = None
    until: int | None = None
    min_score: float | None = None
    source: str | None = None
    venues: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"{f}={','.join(ids)}" for f, ids in self.where]
        if self.since is not None:
            parts.append(f"year >= {self.since}")
        if self.until is not None:
            parts.append(f"year <= {self.until}")
        if self.min_score is not None:
            parts.append(f"label score >= {self.min_score:g}")
        if self.source:
            parts.append(f"source = {self.source}")
        if self.venues:
            parts.append(f"venue ~ {' or '.join(self.venues)}")
        return "; ".join(parts) if parts else "none"

    @property
    def active(self) -> bool:
        return self.describe() != "none"


def parse_where(items: Sequence[str], taxonomy: Taxonomy) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``["technique=quantization", "modality=text,image"]`` -> checked ``(facet, ids)`` pairs.

    Raises :class:`ReportError` naming the bad item and what was expected.
    """
    out = []
    for item in items:
        facet, sep, value = item.partition("=")
        facet, value = facet.strip(), value.strip()
        if not sep or not facet or not value:
            raise ReportError(f"--where {item!r}: expected FACET=LABEL, e.g. technique=quantization")
        if facet not in taxonomy.facets:
            raise ReportError(f"--where {item!r}: unknown facet {facet!r}; expected one of "
                              f"{', '.join(taxonomy.facets)}")
        ids = tuple(v.strip() for v in value.split(",") if v.strip())
        known = [taxonomy[k].id for k in taxonomy.facet_keys(facet)]
        for i in ids:
            if i not in known:
                close = difflib.get_close_matches(i, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(known)}"
                raise ReportError(f"--where {item!r}: unknown {facet} label {i!r}{hint}")
        out.append((facet, ids))
    return tuple(out)


def label_keys_of(paper: Mapping[str, Any]) -> set[str]:
    """``{"technique/quantization", ...}`` of a tagged paper."""
    return {f"{facet}/{lab}" for facet, labs in (paper.get("labels") or {}).items() for lab in labs}


def _with_labels(paper: Mapping[str, Any], keys: Iterable[str], taxonomy: Taxonomy) -> dict[str, Any]:
    keys = set(keys)
    for k in list(keys):  # a child always comes with its parent
        keys.update(a for a in taxonomy.ancestors(k) if a in taxonomy)
    out = dict(paper)
    out["labels"] = {f: [taxonomy[k].id for k in taxonomy.facet_keys(f) if k in keys] for f in taxonomy.facets}
    return out


def apply_filters(papers: Sequence[Mapping[str, Any]], filters: Filters, taxonomy: Taxonomy, *,
                  gold: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The papers a report counts, with the labels it counts (new dicts; the input is not changed).

    Label filters (``source``, ``min_score``) run first, then the paper filters (years, ``where``).
    """
    out: list[dict[str, Any]] = []
    if filters.source is not None and filters.source not in SOURCES:
        raise ReportError(f"--source {filters.source!r}: expected one of {', '.join(SOURCES)}")
    if filters.source == "gold" and not gold:
        raise ReportError("--source gold needs a gold set (labels/gold.jsonl or --gold FILE)")
    for p in papers:
        keys = label_keys_of(p)
        if filters.source == "gold":
            g = gold.get(p["id"]) if gold else None
            if g is None:
                continue
            keys = set(g.keys)
        elif filters.source in ("rule", "model"):
            src = p.get("source") or {}
            keys = {k for k in keys if filters.source in str(src.get(k, ""))}
        if filters.min_score is not None and filters.source != "gold":
            scores = p.get("scores") or {}
            keys = {k for k in keys if float(scores.get(k, 0.0)) >= filters.min_score}
        year = p.get("year")
        if filters.since is not None and (year is None or year < filters.since):
            continue
        if filters.until is not None and (year is None or year > filters.until):
            continue
        if filters.venues and not _venue_matches(p.get("venue"), filters.venues):
            continue
        q = _with_labels(p, keys, taxonomy)
        if filters.source in ("rule", "model", "gold") or filters.min_score is not None:
            q["source"] = {k: v for k, v in (p.get("source") or {}).items() if k in label_keys_of(q)}
            if filters.source == "gold":
                q["source"] = {k: "gold" for k in label_keys_of(q)}
        if any(not set(ids) & set(q["labels"].get(facet, ())) for facet, ids in filters.where):
            continue
        out.append(q)
    return out


def _venue_matches(venue: str | None, wanted: Sequence[str]) -> bool:
    v = (venue or "").strip().lower()
    return any((w.lower() == "none" and not v) or (w.lower() != "none" and w.lower() in v) for w in wanted)


# ---------------------------------------------------------------------------- frames
def paper_link(p: Mapping[str, Any]) -> str:
    """The best link to a paper: its URL, else its DOI, else its arXiv page ("" when none)."""
    if p.get("url"):
        return str(p["url"])
    if p.get("doi"):
        return f"https://doi.org/{p['doi']}"
    if p.get("arxiv_id"):
        return f"https://arxiv.org/abs/{p['arxiv_id']}"
    pid = str(p.get("id", ""))
    if pid.startswith("arxiv:"):
        return f"https://arxiv.org/abs/{pid[6:]}"
    if pid.startswith("doi:"):
        return f"https://doi.org/{pid[4:]}"
    return ""


def _first_author(p: Mapping[str, Any]) -> str:
    authors = p.get("authors") or []
    return str(authors[0]) if authors else ""


PAPER_COLUMNS = ("id", "title", "year", "venue", "first_author", "n_authors", "link", "n_labels")
LONG_COLUMNS = ("id", "facet", "label", "key", "top", "depth", "name", "score", "source", "evidence", "year",
                "title", "venue", "link")


def papers_frame(papers: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per paper (columns :data:`PAPER_COLUMNS`), in input order."""
    rows = [{"id": p["id"], "title": p.get("title", ""), "year": p.get("year"), "venue": p.get("venue") or "",
             "first_author": _first_author(p), "n_authors": len(p.get("authors") or []), "link": paper_link(p),
             "n_labels": len(label_keys_of(p))} for p in papers]
    df = pd.DataFrame(rows, columns=list(PAPER_COLUMNS))
    df["year"] = df["year"].astype("Int64")
    return df


def evidence_snippet(p: Mapping[str, Any], key: str, width: int = 160) -> str:
    """The first rule hit for ``key`` (its text), or the model's top terms, as a short string."""
    for ev in (p.get("evidence") or {}).get(key, []):
        if "text" in ev:
            return str(ev["text"])[:width]
    for ev in (p.get("evidence") or {}).get(key, []):
        if "terms" in ev:
            return "model terms: " + ", ".join(str(t[0]) for t in ev["terms"][:4])
    return ""


def long_frame(papers: Sequence[Mapping[str, Any]], taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per paper x label (columns :data:`LONG_COLUMNS`); ``label`` is the id within the facet
    (``quantization/post_training``), ``top`` its top-level label, ``key`` the full key."""
    rows = []
    for p in papers:
        scores = p.get("scores") or {}
        source = p.get("source") or {}
        link = paper_link(p)
        for facet in taxonomy.facets:
            for lab in (p.get("labels") or {}).get(facet, []):
                key = f"{facet}/{lab}"
                name = taxonomy[key].name if key in taxonomy else lab
                rows.append({"id": p["id"], "facet": facet, "label": lab, "key": key, "top": lab.split("/", 1)[0],
                             "depth": lab.count("/") + 1, "name": name, "score": float(scores.get(key, 1.0)),
                             "source": source.get(key, ""), "evidence": evidence_snippet(p, key),
                             "year": p.get("year"), "title": p.get("title", ""), "venue": p.get("venue") or "",
                             "link": link})
    df = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    df["year"] = df["year"].astype("Int64")
    return df


def replace_filters(filters: Filters, **changes: Any) -> Filters:
    return replace(filters, **changes)

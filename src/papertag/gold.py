"""The gold set: reviewed labels in ``labels/gold.jsonl``, the only labels evaluation trusts.

One JSON object per line, appended as decisions are made (prodigy's annotation log)::

    {"id": "arxiv:2405.01234",
     "labels": {"technique": ["quantization/post_training"], "modality": ["text"],
                "architecture": ["llm"], "hardware": []},
     "facets": ["technique", "modality", "architecture", "hardware"],
     "title": "...", "abstract": "...",
     "reviewer": "ab", "time": "2026-05-01T12:00:00+00:00", "answer": "accept", "note": "..."}

- ``id`` (required): the paper's id. Entries may carry no text; their text then comes from
  corpus records with the same id (``papertag eval --corpus``).
- ``labels`` (required): per facet, label ids *within* the facet (``quantization/post_training``,
  not ``technique/quantization/post_training``). A child implies its parent.
- ``facets``: the facets the reviewer judged (default: all four). In a judged facet every label
  not listed is a negative; facets not judged say nothing. Labels may only be given for
  judged facets.
- ``answer``: ``accept`` (the labels are right as shown), ``correct`` (the reviewer corrected
  them) or ``reject`` (the paper was set aside: no usable text, out of scope). Accepted and
  corrected entries are gold; a rejected one removes the paper from the gold set.
- ``reviewer``, ``time`` (ISO 8601), ``note``: provenance. Other keys are kept in ``extra``.

The latest line for an id wins. :func:`load_gold` reports every malformed line with its file
and line number; :func:`append_gold` appends entries safely while others read or write.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ProblemsError
from .filelock import locked, write_all
from .taxonomy import FACETS, Taxonomy, load_taxonomy

ANSWERS = ("accept", "correct", "reject")
_KNOWN_KEYS = {"id", "labels", "facets", "title", "abstract", "reviewer", "time", "answer", "note"}

__all__ = ["ANSWERS", "SPLITS", "GoldFileError", "GoldLabel", "append_gold", "gold_entry", "in_split", "load_gold",
           "read_gold_lines"]

#: Gold splits to measure on: ``eval`` (unbiased samples, and entries without a split), ``train`` (papers a review
#: queue picked as hard cases: they must not estimate precision or recall) or ``all``.
SPLITS = ("eval", "train", "all")


class GoldFileError(ProblemsError):
    """labels/gold.jsonl (or another gold file) is missing or has malformed lines."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="gold labels")


@dataclass(frozen=True)
class GoldLabel:
    """One paper's reviewed labels (the latest decision for its id).

    Attributes
    ----------
    labels:
        Facet -> label ids, parents added, in taxonomy order; every judged facet is present.
    facets:
        The facets judged; labels of other facets are unknown, not negative.
    """

    id: str
    labels: dict[str, tuple[str, ...]]
    facets: tuple[str, ...]
    title: str | None = None
    abstract: str | None = None
    reviewer: str | None = None
    time: str | None = None
    answer: str | None = None
    note: str | None = None
    file: str = ""
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def keys(self) -> frozenset[str]:
        """Full label keys (``facet/id``), parents included."""
        return frozenset(f"{f}/{i}" for f, ids in self.labels.items() for i in ids)

    @property
    def has_text(self) -> bool:
        return bool(self.title or self.abstract)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written to the gold file (``None`` fields left out)."""
        out: dict[str, Any] = {"id": self.id, "labels": {f: list(v) for f, v in self.labels.items()},
                               "facets": list(self.facets)}
        for k in ("title", "abstract", "reviewer", "time", "answer", "note"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        out.update(self.extra)
        return out


# ---------------------------------------------------------------------------- reading
def in_split(entries: dict[str, GoldLabel], split: str) -> tuple[dict[str, GoldLabel], int]:
    """The entries of ``split`` (one of :data:`SPLITS`) and how many of other splits were left out."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if split == "all":
        return dict(entries), 0
    kept = {k: g for k, g in entries.items() if g.extra.get("split", "eval") == split}
    return kept, len(entries) - len(kept)


def load_gold(path: str | Path, taxonomy: Taxonomy | None = None, *, include_rejected: bool = False
              ) -> dict[str, GoldLabel]:
    """Read a gold file: the latest decision per paper id.

    Parameters
    ----------
    path:
        The JSONL gold file.
    taxonomy:
        Label ids are checked against it (the project's taxonomy by default).
    include_rejected:
        Keep papers whose latest answer is ``reject`` (with no labels); by default they are
        left out of the gold set.

    Raises
    ------
    GoldFileError
        Listing every malformed line as ``file: line N: what is wrong``.
    """
    entries = read_gold_lines(path, taxonomy)
    latest: dict[str, GoldLabel] = {}
    for g in entries:
        latest.pop(g.id, None)  # re-insert so the order follows the latest decision
        latest[g.id] = g
    if not include_rejected:
        latest = {k: g for k, g in latest.items() if g.answer != "reject"}
    return latest


def read_gold_lines(path: str | Path, taxonomy: Taxonomy | None = None) -> list[GoldLabel]:
    """Every entry of a gold file, in file order (no "latest wins"); see :func:`load_gold`."""
    p = Path(path)
    file = str(p)
    if not p.is_file():
        raise GoldFileError([Problem(file, "", "file not found; expected a JSONL gold file "
                                                "(one {\"id\": ..., \"labels\": {...}} object per line)")])
    tax = taxonomy or load_taxonomy()
    valid = _valid_ids(tax)
    problems: list[Problem] = []
    out: list[GoldLabel] = []
    with p.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"line {lineno}"
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(Problem(file, where, f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                                     "expected one JSON object per line"))
                continue
            entry, errs = _parse_entry(obj, valid, tax)
            problems.extend(Problem(file, where, e) for e in errs)
            if entry is not None and not errs:
                out.append(_replace_loc(entry, file, lineno))
    if problems:
        raise GoldFileError(problems)
    return out


def _replace_loc(g: GoldLabel, file: str, line: int) -> GoldLabel:
    from dataclasses import replace

    return replace(g, file=file, line=line)


def _valid_ids(tax: Taxonomy) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {f: set() for f in FACETS}
    for lab in tax.labels:
        out.setdefault(lab.facet, set()).add(lab.id)
    return out


def _parse_entry(obj: Any, valid: Mapping[str, set[str]], tax: Taxonomy) -> tuple[GoldLabel | None, list[str]]:
    """Validate one decoded line; return the entry and every problem found in it."""
    if not isinstance(obj, dict):
        return None, [f"expected a JSON object, got {type(obj).__name__}"]
    errs: list[str] = []
    pid = obj.get("id")
    if not isinstance(pid, str) or not pid.strip():
        errs.append(f"'id' must be a non-empty string, got {pid!r}")
    facets_raw = obj.get("facets", list(FACETS))
    facets: list[str] = []
    if not isinstance(facets_raw, list) or not all(isinstance(f, str) for f in facets_raw):
        errs.append(f"'facets' must be a list of facet names, got {facets_raw!r}")
    else:
        for f in facets_raw:
            if f not in FACETS:
                errs.append(f"unknown facet '{f}' in 'facets'; expected some of {', '.join(FACETS)}")
            elif f not in facets:
                facets.append(f)
    answer = obj.get("answer")
    if answer is not None and answer not in ANSWERS:
        errs.append(f"'answer' must be one of {', '.join(ANSWERS)}, got {answer!r}")
    labels_raw = obj.get("labels")
    if labels_raw is None and answer == "reject":
        labels_raw = {}
    labels: dict[str, set[str]] = {f: set() for f in facets}
    if not isinstance(labels_raw, dict):
        errs.append(f"'labels' must be an object mapping facets to lists of label ids, got {labels_raw!r}")
    else:
        for f, ids in labels_raw.items():
            if f not in FACETS:
                errs.append(f"unknown facet '{f}' in 'labels'; expected some of {', '.join(FACETS)}")
                continue
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                errs.append(f"'labels.{f}' must be a list of label ids, got {ids!r}")
                continue
            if ids and f not in facets:
                errs.append(f"'labels.{f}' lists labels but '{f}' is not in 'facets' (the facets judged); "
                            f"add it to 'facets' or leave its labels out")
                continue
            for i in ids:
                if i not in valid.get(f, ()):
                    errs.append(f"unknown label '{i}' in facet '{f}'{_hint(i, f, valid)}")
                    continue
                labels.setdefault(f, set()).add(i)
                while "/" in i:  # a child implies its parent
                    i = i.rsplit("/", 1)[0]
                    labels[f].add(i)
    for k in ("title", "abstract", "reviewer", "note"):
        if obj.get(k) is not None and not isinstance(obj[k], str):
            errs.append(f"'{k}' must be a string, got {type(obj[k]).__name__}")
    t = obj.get("time")
    if t is not None:
        if not isinstance(t, str):
            errs.append(f"'time' must be an ISO 8601 string, got {t!r}")
        else:
            try:
                _dt.datetime.fromisoformat(t)
            except ValueError:
                errs.append(f"'time' must be an ISO 8601 date-time like 2026-05-01T12:00:00+00:00, got {t!r}")
    if errs:
        return None, errs
    order = {k: n for n, k in enumerate(tax.keys)}
    ordered = {f: tuple(sorted(labels.get(f, set()), key=lambda i, f=f: order[f"{f}/{i}"])) for f in facets}
    extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return GoldLabel(
        id=pid.strip(), labels=ordered, facets=tuple(facets), title=obj.get("title"), abstract=obj.get("abstract"),
        reviewer=obj.get("reviewer"), time=t, answer=answer, note=obj.get("note"), extra=extra,
    ), []


def _hint(label: str, facet: str, valid: Mapping[str, set[str]]) -> str:
    if label.startswith(facet + "/") and label[len(facet) + 1:] in valid.get(facet, ()):
        return f"; labels are ids within the facet: write '{label[len(facet) + 1:]}'"
    for other, ids in valid.items():
        if other != facet and label in ids:
            return f"; '{label}' is a label of facet '{other}'"
    match = difflib.get_close_matches(label, sorted(valid.get(facet, ())), n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


# ---------------------------------------------------------------------------- writing
def gold_entry(paper_id: str, labels: Mapping[str, Sequence[str]] | Iterable[str], *,
               facets: Sequence[str] | None = None, reviewer: str | None = None, answer: str | None = None,
               title: str | None = None, abstract: str | None = None, note: str | None = None,
               time: str | None = None, **extra: Any) -> dict[str, Any]:
    """Build one gold line as a dict (time defaults to now, UTC).

    ``labels`` is either facet -> ids, or an iterable of full keys (``technique/pruning``),
    which are split by facet.
    """
    if isinstance(labels, Mapping):
        by_facet = {f: list(v) for f, v in labels.items()}
    else:
        by_facet = {}
        for key in labels:
            f, _, i = key.partition("/")
            by_facet.setdefault(f, []).append(i)
    judged = list(facets) if facets is not None else list(FACETS)
    for f in judged:
        by_facet.setdefault(f, [])
    out: dict[str, Any] = {"id": paper_id, "labels": {f: by_facet[f] for f in by_facet}, "facets": judged}
    for k, v in (("title", title), ("abstract", abstract), ("reviewer", reviewer), ("answer", answer), ("note", note)):
        if v is not None:
            out[k] = v
    out["time"] = time or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    out.update(extra)
    return out


def append_gold(path: str | Path, entries: Iterable[Mapping[str, Any] | GoldLabel], *,
                taxonomy: Taxonomy | None = None) -> int:
    """Append entries to a gold file, safely while other processes read or write it.

    Every entry is validated first (nothing is written if one is bad). The file is opened
    with ``O_APPEND`` under an exclusive ``fcntl`` lock; each entry is one ``write`` of one
    line, and the file is ``fsync``-ed before the lock is released, so a reader never sees
    half a line and a crash loses at most the entries not yet written.

    Returns the number of entries written.
    """
    tax = taxonomy or load_taxonomy()
    valid = _valid_ids(tax)
    lines: list[bytes] = []
    problems: list[Problem] = []
    for n, e in enumerate(entries, 1):
        obj = e.to_dict() if isinstance(e, GoldLabel) else dict(e)
        _, errs = _parse_entry(obj, valid, tax)
        problems.extend(Problem(str(path), f"new entry {n}", m) for m in errs)
        lines.append((json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode("utf-8"))
    if problems:
        raise GoldFileError(problems)
    if not lines:
        return 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with locked(path) as fd:
        _ensure_newline(fd)
        for line in lines:
            write_all(fd, line)
        os.fsync(fd)
    return len(lines)


def _ensure_newline(fd: int) -> None:
    """If the file ends without a newline (a hand edit), start on a new line."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        write_all(fd, b"\n")

"""Read papers for a report: tagged JSONL as ``papertag tag`` writes it, or any input papertag reads
(tagged on the fly).

Each input path (or glob) is looked at on its own: a file whose first record is a JSON object with
``labels`` and ``scores`` is tagged output; anything else goes through :func:`papertag.ingest.read_records`
and :class:`papertag.tagger.Tagger`.
"""

from __future__ import annotations

import glob
import gzip
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IngestError, SkippedRecord

Progress = Callable[[str], None]

__all__ = ["LoadResult", "expand_paths", "is_tagged_file", "load_papers", "read_tagged"]


@dataclass
class LoadResult:
    """Papers as output-schema dicts (input order, first occurrence of an id wins)."""

    papers: list[dict[str, Any]]
    skipped: list[SkippedRecord] = field(default_factory=list)
    tagged_here: int = 0  # papers tagged on the fly
    duplicates: int = 0


def expand_paths(inputs: Sequence[str]) -> list[str]:
    """Globs expanded (sorted); a pattern that matches nothing is an error naming it."""
    out: list[str] = []
    for raw in inputs:
        if raw == "-":
            out.append(raw)
            continue
        if any(ch in raw for ch in "*?["):
            hits = sorted(glob.glob(raw))
            if not hits:
                raise IngestError(raw, None, "no file matches this pattern")
            out.extend(hits)
        else:
            if not Path(raw).is_file():
                raise IngestError(raw, None, "file not found")
            out.append(raw)
    return out


def _open(path: str):  # type: ignore[no-untyped-def]
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def is_tagged_file(path: str) -> bool:
    """True when the first non-blank line is a JSON object in the tag output schema."""
    if path == "-":
        return False
    try:
        with _open(path) as fh:
            for line in fh:
                if line.strip():
                    obj = json.loads(line)
                    return isinstance(obj, dict) and isinstance(obj.get("labels"), dict) and "scores" in obj
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError):
        return False
    return False


def _check_tagged(obj: Any) -> str | None:
    """What is wrong with one tagged record, or ``None``."""
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {type(obj).__name__}"
    if not isinstance(obj.get("id"), str) or not obj["id"]:
        return "expected a non-empty string 'id'"
    labels = obj.get("labels")
    if not isinstance(labels, dict) or not all(isinstance(v, list) for v in labels.values()):
        return "expected 'labels' to map facets to lists of label ids (papertag tag output)"
    for key in ("scores", "source", "evidence"):
        if key in obj and not isinstance(obj[key], dict):
            return f"expected '{key}' to be an object, got {type(obj[key]).__name__}"
    if "claims" in obj and not isinstance(obj["claims"], list):
        return "expected 'claims' to be a list"
    year = obj.get("year")
    if year is not None and not isinstance(year, int):
        return f"expected 'year' to be an integer, got {year!r}"
    return None


def read_tagged(path: str, *, on_error: str = "raise") -> tuple[list[dict[str, Any]], list[SkippedRecord]]:
    """Tagged JSONL records of one file; bad lines raise :class:`IngestError` (or are skipped)."""
    papers: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    with _open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON ({exc.msg} at column {exc.colno}); expected one tagged paper per line"
            else:
                problem = _check_tagged(obj)
            if problem is None:
                papers.append(obj)
                continue
            if on_error != "skip":
                raise IngestError(path, lineno, problem)
            skipped.append(SkippedRecord(path, lineno, problem))
    return papers, skipped


def load_papers(inputs: Sequence[str], *, on_error: str = "raise", tagger_factory: Callable[[], Any] | None = None,
                progress: Progress | None = None) -> LoadResult:
    """Every paper of ``inputs``, tagging the untagged ones with ``tagger_factory()`` (a
    :class:`papertag.tagger.Tagger`; the default model when not given)."""
    paths = expand_paths(inputs)
    tagged_paths = [p for p in paths if is_tagged_file(p)]
    raw_paths = [p for p in paths if p not in tagged_paths]
    result = LoadResult(papers=[])
    for p in tagged_paths:
        got, bad = read_tagged(p, on_error=on_error)
        result.papers.extend(got)
        result.skipped.extend(bad)
    if raw_paths:
        from ..ingest import read_records

        read = read_records(raw_paths, on_error=on_error)  # type: ignore[arg-type]
        result.skipped.extend(read.skipped)
        if read.records:
            if progress:
                progress(f"Tagging {len(read.records)} paper(s) from {len(raw_paths)} untagged input(s)...")
            tagger = tagger_factory() if tagger_factory else default_tagger()
            result.papers.extend(p.to_dict() for p in tagger.tag(read.records))
            result.tagged_here = len(read.records)
    seen: set[str] = set()
    unique = []
    for p in result.papers:
        if p["id"] in seen:
            result.duplicates += 1
            continue
        seen.add(p["id"])
        unique.append(p)
    result.papers = unique
    return result


def default_tagger() -> Any:
    """Rules + the default model when there is one (as ``papertag tag`` does)."""
    from ..resources import default_model_dir
    from ..tagger import Tagger

    model = None
    path = default_model_dir()
    if (path / "card.json").exists():
        from ..model.persist import load_model

        model = load_model(path)
    return Tagger(model=model)

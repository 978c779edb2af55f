"""What a format reader yields (:class:`Draft` or :class:`BadRecord`) and how a
draft becomes a :class:`~papertag.records.Record`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from papertag.records import Record, normalize_arxiv_id, stable_id

from .fields import clean_doi, parse_date


@dataclass
class Draft:
    """A record as a reader found it, before ids and checks.

    ``line`` is the 1-based line where the record starts.
    """

    line: int
    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class BadRecord:
    """A record (or, with ``line=None``, a whole input) that cannot be read.

    ``reason`` says what was expected and what came in. A reader stops after
    yielding a bad record it cannot recover from (e.g. malformed XML).
    """

    line: int | None
    reason: str
    extra: dict[str, str] = field(default_factory=dict)


def _arxiv_from(draft: Draft) -> str | None:
    if draft.arxiv_id:
        found = normalize_arxiv_id(draft.arxiv_id)
        if found:
            return found
        draft.meta.setdefault("arxiv_id_text", draft.arxiv_id)
    if draft.url and "arxiv.org/" in draft.url.lower():
        return normalize_arxiv_id(draft.url)
    if draft.doi and draft.doi.lower().startswith("10.48550/arxiv."):
        return normalize_arxiv_id(draft.doi)
    return None


def _preview(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def build_record(draft: Draft, *, source_file: str, max_chars: int) -> Record | BadRecord:
    """Check a draft and turn it into a :class:`Record`.

    Fails (as a :class:`BadRecord`) when the record has neither title nor
    abstract, or when title and abstract together are longer than ``max_chars``.
    """
    title = draft.title.strip()
    abstract = draft.abstract.strip()
    if not title and not abstract:
        return BadRecord(draft.line, "empty record: expected a title or an abstract, got neither")
    size = len(title) + len(abstract)
    if size > max_chars:
        return BadRecord(
            draft.line,
            f"record too long: title + abstract is {size:,} characters, "
            f"more than the limit of {max_chars:,} (max_chars); "
            "is this a whole paper or several records run together?",
            {"title": _preview(title or abstract)},
        )
    doi = clean_doi(draft.doi)
    draft.doi = doi
    arxiv_id = _arxiv_from(draft)
    date = draft.date
    year = draft.year
    if date is not None:
        parsed = parse_date(date)
        if parsed is None:
            draft.meta.setdefault("date_text", date)
        date = parsed
    if year is None and date is not None:
        year = int(date[:4])
    if date is None and year is not None:
        date = f"{year:04d}"
    record_id = str(draft.id).strip() if draft.id is not None else ""
    if not record_id:
        record_id = stable_id(doi=doi, arxiv_id=arxiv_id, title=title, abstract=abstract)
    return Record(
        id=record_id,
        title=title,
        abstract=abstract,
        authors=tuple(a.strip() for a in draft.authors if a and a.strip()),
        year=year,
        date=date,
        venue=(draft.venue or "").strip() or None,
        url=(draft.url or "").strip() or None,
        doi=doi,
        arxiv_id=arxiv_id,
        source_file=source_file,
        source_line=draft.line,
        meta=draft.meta,
    )

"""Turn a field mapping (a JSON object or a CSV row) into a :class:`Draft`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .draft import BadRecord, Draft
from .fields import parse_year, split_authors, split_list

#: Input field name (lower-cased, spaces and dashes as ``_``) -> Draft field.
ALIASES: dict[str, str] = {
    "id": "id",
    "paper_id": "id",
    "title": "title",
    "name": "title",
    "abstract": "abstract",
    "summary": "abstract",
    "authors": "authors",
    "author": "authors",
    "year": "year",
    "date": "date",
    "published": "date",
    "publication_date": "date",
    "venue": "venue",
    "journal": "venue",
    "booktitle": "venue",
    "doi": "doi",
    "arxiv_id": "arxiv_id",
    "arxiv": "arxiv_id",
    "eprint": "arxiv_id",
    "url": "url",
    "link": "url",
    "categories": "categories",
    "keywords": "keywords",
}

#: Columns a CSV/TSV header needs at least one of.
TEXT_FIELDS = ("title", "abstract")


@lru_cache(maxsize=4096)  # a file repeats the same few field names on every record
def field_key(name: str) -> str:
    """``" arXiv ID"`` -> ``"arxiv_id"``."""
    return name.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _as_text(key: str, value: Any) -> str | BadRecord | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return BadRecord(0, f"field {key!r}: expected a string, got {_type_name(value)}")


def draft_from_mapping(obj: Mapping[str, Any], line: int) -> Draft | BadRecord:
    """Read title, abstract, authors, ... from ``obj`` (field names case-insensitive).

    Unknown fields go to ``meta`` unchanged; ``categories`` and ``keywords`` become lists.
    """
    draft = Draft(line=line)
    seen: dict[str, str] = {}
    for raw_key, value in obj.items():
        key = field_key(str(raw_key))
        target = ALIASES.get(key)
        if target is None:
            if value not in (None, ""):
                draft.meta[str(raw_key)] = value
            continue
        if value in (None, ""):
            continue
        if target in seen and target not in ("categories", "keywords"):
            # "title" wins over "name", "abstract" over "summary": first exact name wins.
            if key != target:
                continue
        seen[target] = key
        if target in ("categories", "keywords"):
            draft.meta[target] = split_list(value)
        elif target == "authors":
            parsed = split_authors(value)
            if parsed is None:
                return BadRecord(
                    line,
                    f"field {raw_key!r}: expected a list of names, a list of "
                    f'{{"name": ...}} objects or a string, got {_type_name(value)}',
                )
            draft.authors, truncated = parsed
            if truncated:
                draft.meta["authors_truncated"] = True
        elif target == "year":
            year = parse_year(value)
            if year is None:
                draft.meta["year_text"] = str(value)
            draft.year = year
        else:
            text = _as_text(str(raw_key), value)
            if isinstance(text, BadRecord):
                text.line = line
                return text
            setattr(draft, target, text)
    return draft

"""Field helpers shared by the format readers: authors, years, dates, DOIs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_WS = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:$|[T\s])")
_TEXT_DATE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_ET_AL = re.compile(r"[\s,]*\bet\s+al\.?\s*$", re.I)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def collapse(text: str) -> str:
    """Collapse runs of whitespace (newlines included) into single spaces and trim."""
    return " ".join(text.split())  # str.split() splits where r"\s+" matches, several times faster


def month_number(value: str) -> int | None:
    """``"Sep"``, ``"september"``, ``"9"`` -> 9; ``None`` when not a month."""
    v = value.strip().lower().rstrip(".")
    if v.isdigit():
        n = int(v)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(v)


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """``"YYYY-MM-DD"``, ``"YYYY-MM"`` or ``"YYYY"`` for what is known; ``None`` if invalid."""
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: str) -> str | None:
    """An ISO date (possibly partial) from ``2023-06-01``, ``2023-06-01T12:00:00Z``,
    ``2023-06``, ``2023``, ``2023/6/1`` or ``Jun 1, 2023``; ``None`` if not understood."""
    v = value.strip()
    m = _ISO_DATE.match(v)
    if m:
        year, month, day = m.groups()
        return iso_date(int(year), int(month) if month else None, int(day) if day else None)
    m = _TEXT_DATE.match(v)
    if m:
        month_n = month_number(m.group(1))
        if month_n is not None:
            return iso_date(int(m.group(3)), month_n, int(m.group(2)))
    return None


def parse_year(value: Any) -> int | None:
    """``2023`` or ``"2023"`` -> 2023; ``None`` for anything else (never guessed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    if isinstance(value, float) and value.is_integer():
        return parse_year(int(value))
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return parse_year(int(value))
    return None


def clean_doi(value: str | None) -> str | None:
    """Strip ``https://doi.org/`` / ``doi:`` prefixes; ``None`` for empty."""
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip()
    return doi or None


def strip_et_al(text: str) -> tuple[str, bool]:
    """``"A, B et al."`` -> ``("A, B", True)``."""
    stripped = _ET_AL.sub("", text)
    return stripped, stripped != text


def split_author_string(text: str) -> tuple[list[str], bool]:
    """Split ``"A; B"``, ``"A, B and C"``, ``"A and B"`` or ``"A, B"`` into names.

    Returns the names and whether the list ended in "et al." (truncated).
    """
    text, truncated = strip_et_al(collapse(text))
    if not text:
        return [], truncated
    if ";" in text:
        parts = text.split(";")
    else:
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    names = [p.strip() for p in parts if p.strip()]
    if names and names[-1].lower() in {"others", "al.", "et al"}:
        names.pop()
        truncated = True
    return names, truncated


def author_name(value: Any) -> str | None:
    """One author from a string or a ``{"name": ...}`` / ``{"given", "family"}`` mapping."""
    if isinstance(value, str):
        return collapse(value) or None
    if isinstance(value, dict):
        for key in ("name", "full_name", "fullname", "display_name"):
            if isinstance(value.get(key), str) and value[key].strip():
                return collapse(value[key])
        first = value.get("given") or value.get("first") or value.get("first_name") or ""
        last = value.get("family") or value.get("last") or value.get("last_name") or ""
        joined = collapse(f"{first} {last}")
        return joined or None
    return None


def split_authors(value: Any) -> tuple[tuple[str, ...], bool] | None:
    """Authors from a list of strings, a list of mappings, or one string.

    Returns ``(names, truncated)``, or ``None`` if ``value`` has none of those shapes.
    """
    if value is None:
        return (), False
    if isinstance(value, str):
        names, truncated = split_author_string(value)
        return tuple(names), truncated
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        out: list[str] = []
        for item in value:
            name = author_name(item)
            if name is None and item not in (None, ""):
                return None
            if name:
                out.append(name)
        return tuple(out), False
    if isinstance(value, dict):
        name = author_name(value)
        return ((name,) if name else ()), False
    return None


def split_list(value: Any) -> list[str]:
    """Keywords or categories from a list or a ``,``/``;``-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [v.strip() for v in value.split(sep) if v.strip()]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]

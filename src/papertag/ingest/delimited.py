"""CSV and TSV with a header row (column names case-insensitive)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .draft import BadRecord, Draft
from .mapping import ALIASES, TEXT_FIELDS, draft_from_mapping, field_key

CSV_DELIMITERS = ",;|"


def guess_delimiter(header_line: str, candidates: str = CSV_DELIMITERS) -> str:
    """The candidate that splits the header line into the most known column names
    (ties: the most fields); ``","`` when none splits it."""
    best, best_score = candidates[0], (0, 0)
    for delim in candidates:
        fields = next(csv.reader([header_line], delimiter=delim), [])
        known = sum(1 for f in fields if field_key(f) in ALIASES)
        score = (known, len(fields))
        if len(fields) > 1 and score > best_score:
            best, best_score = delim, score
    return best


def known_columns(header_line: str, delimiter: str) -> list[str]:
    """The column names of ``header_line`` that papertag knows (for sniffing)."""
    fields = next(csv.reader([header_line], delimiter=delimiter), [])
    return [f for f in fields if field_key(f) in ALIASES]


def parse_delimited(text: str, delimiter: str) -> Iterator[Draft | BadRecord]:
    """Rows after the header; ``source_line`` is the line where a row starts
    (quoted fields may span lines)."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = text.split("\n")
    try:
        header = next(reader)
        while not any(h.strip() for h in header):
            header = next(reader)
    except StopIteration:
        return
    except csv.Error as e:
        yield BadRecord(reader.line_num, f"malformed {kind} header: {e}")
        return
    header_line = reader.line_num
    keys = [field_key(h) for h in header]
    targets = {ALIASES.get(k) for k in keys}
    if not any(t in TEXT_FIELDS for t in targets):
        shown = ", ".join(repr(h.strip()) for h in header)
        yield BadRecord(
            header_line,
            f"{kind} header has no 'title' or 'abstract' column; got columns: {shown} "
            f"(delimiter {delimiter!r})",
        )
        return
    dupes = sorted({k for k in keys if k and keys.count(k) > 1})
    if dupes:
        yield BadRecord(header_line, f"{kind} header names column(s) {', '.join(dupes)} more than once")
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield BadRecord(start, f"malformed {kind} row: {e}")
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            hint = f"quote fields that contain {delimiter!r}"
            if lines[start - 1].count('"') % 2:
                hint = "is a quote left open? it runs on until the next quote"
            yield BadRecord(
                start,
                f"expected {len(header)} fields as in the header, got {len(row)} ({hint})",
            )
            continue
        cells = {h: (v.strip() or None) for h, v in zip(header, row) if h.strip()}
        yield draft_from_mapping(cells, start)


def parse_csv(text: str) -> Iterator[Draft | BadRecord]:
    """Comma-separated (or ``;``/``|`` when the header is split by those)."""
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    return parse_delimited(text, guess_delimiter(first))


def parse_tsv(text: str) -> Iterator[Draft | BadRecord]:
    """Tab-separated."""
    return parse_delimited(text, "\t")

"""BibTeX via bibtexparser 2.x: ``abstract`` where present, else title only."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from .draft import BadRecord, Draft
from .fields import collapse, month_number, parse_year, split_list

_COMMAND_BEFORE = re.compile(r"\\[A-Za-z]+\*?\s*$|\\$")
_INNER_GROUP = re.compile(r"\{([^{}]*)\}")
_ESCAPES = re.compile(r"\\([&%$#_{}])")
_BARE_VALUE = re.compile(r"^[\w.:+/-]+$")


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs warnings for failed blocks; we report them as errors instead."""
    loggers = [logging.getLogger(n) for n in ("bibtexparser", "bibtexparser.splitter")]
    old = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, was in zip(loggers, old):
            lg.disabled = was


def strip_braces(value: str) -> str:
    """Remove protective braces (``{BERT}`` -> ``BERT``) but keep command arguments
    (``\\emph{all}`` stays); unescape ``\\&``, ``\\%``, ...; collapse whitespace."""
    while True:
        changed = False

        def repl(m: re.Match[str]) -> str:
            nonlocal changed
            if _COMMAND_BEFORE.search(value[: m.start()]):
                return m.group(0)
            changed = True
            return m.group(1)

        # Replace from the innermost groups outward; keep command arguments as they are.
        new = _INNER_GROUP.sub(repl, value)
        if not changed:
            break
        value = new
    return collapse(_ESCAPES.sub(r"\1", value))


def bibtex_name(name: str) -> str:
    """``"Last, First"`` -> ``"First Last"``; ``"Last, Jr, First"`` -> ``"First Last Jr"``."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[2]:
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name.strip()


def split_bibtex_authors(value: str) -> tuple[tuple[str, ...], bool]:
    """Split on `` and `` (outside braces); ``others`` marks a truncated list."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    tokens = re.split(r"(\{|\}|\s+and\s+)", value, flags=re.I)
    for tok in tokens:
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", tok, flags=re.I):
            names.append("".join(current))
            current = []
        else:
            current.append(tok)
    names.append("".join(current))
    cleaned = [bibtex_name(strip_braces(n)) for n in names if n.strip()]
    truncated = bool(cleaned) and cleaned[-1].lower() == "others"
    if truncated:
        cleaned.pop()
    return tuple(c for c in cleaned if c), truncated


def _entry_draft(entry: Entry) -> Draft | BadRecord:
    line = (entry.start_line or 0) + 1
    fields = {f.key.lower(): f for f in entry.fields}
    for key, f in fields.items():
        if getattr(f, "enclosing", None) == "no-enclosing" and not _BARE_VALUE.match(str(f.value)):
            shown = collapse(str(f.value))[:40]
            return BadRecord(
                line,
                f"malformed BibTeX entry {entry.key!r}: field {key!r} on line {f.start_line + 1} "
                f"should be in {{braces}} or \"quotes\" (is a comma missing?), got {shown!r}",
            )

    def get(key: str) -> str | None:
        f = fields.get(key)
        if f is None or not isinstance(f.value, str):
            return None
        return strip_braces(f.value) or None

    draft = Draft(line=line, title=get("title") or "", abstract=get("abstract") or "")
    draft.meta["bibtex_key"] = entry.key
    draft.meta["entry_type"] = entry.entry_type.lower()
    # every field as written (outer braces or quotes removed), so exports can reproduce the entry
    draft.meta["bibtex_fields"] = {f.key: f.value for f in entry.fields if isinstance(f.value, str)}
    bare = [f.key for f in entry.fields if getattr(f, "enclosing", None) == "no-enclosing"]
    if bare:
        draft.meta["bibtex_bare"] = bare
    if "author" in fields and isinstance(fields["author"].value, str):
        draft.authors, truncated = split_bibtex_authors(fields["author"].value)
        if truncated:
            draft.meta["authors_truncated"] = True
    year_text = get("year")
    if year_text:
        draft.year = parse_year(year_text)
        if draft.year is None:
            draft.meta["year_text"] = year_text
    month = month_number(get("month") or "") if get("month") else None
    if draft.year is not None and month is not None:
        draft.date = f"{draft.year:04d}-{month:02d}"
    draft.venue = get("journal") or get("booktitle")
    draft.doi = get("doi")
    draft.url = get("url")
    eprint = get("eprint")
    prefix = (get("archiveprefix") or get("eprinttype") or "").lower()
    if eprint and (prefix == "arxiv" or not prefix):
        draft.arxiv_id = eprint
    for key in ("keywords", "primaryclass"):
        value = get(key)
        if value:
            draft.meta["keywords" if key == "keywords" else "categories"] = split_list(value)
    return draft


def parse_bibtex(text: str) -> Iterator[Draft | BadRecord]:
    """Entries in file order; each failed block becomes a bad record at its line."""
    with _quiet_bibtexparser():
        library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]  # public API, no __all__
    for block in library.blocks:
        if isinstance(block, Entry):
            yield _entry_draft(block)
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, Entry
        ):
            # A reused citation key is not a broken paper: the key is not the record id.
            draft = _entry_draft(block.ignore_error_block)
            if isinstance(draft, Draft):
                draft.meta["duplicate_key"] = True
            yield draft
        elif isinstance(block, ParsingFailedBlock):
            error = block.error
            reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
            reason = reason.split(" Note: ")[0].rstrip(".")  # drop advice to API users
            raw = collapse(block.raw or "")[:50]
            yield BadRecord(
                (block.start_line or 0) + 1,
                f"malformed BibTeX entry: {collapse(reason)}; got {raw!r}",
            )

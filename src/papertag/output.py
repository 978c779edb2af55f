"""Writing tagged papers: JSONL (the contract), CSV (flattened) and a table for people.

Files are written atomically (a temporary file in the same folder, then ``os.replace``)
and an existing file is only replaced with ``force=True``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Any

from .errors import OutputExistsError
from .parallel import render_jsonl
from .tagger import TaggedPaper

FACET_COLUMNS = ("technique", "modality", "architecture", "hardware")


class OutputFormat(str, Enum):
    JSONL = "jsonl"
    CSV = "csv"
    TABLE = "table"


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, force: bool = False, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open ``path`` for writing so that readers see the old file or the complete new one, never half.

    Raises :class:`OutputExistsError` when ``path`` exists and ``force`` is false.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_jsonl(papers: Iterable[TaggedPaper], fh: IO[str]) -> int:
    n = 0
    for p in papers:
        fh.write(render_jsonl(p) + "\n")
        n += 1
    return n


def flatten(p: TaggedPaper) -> dict[str, Any]:
    """One CSV row: facets joined with ``;``, claims summarised per kind."""
    row: dict[str, Any] = {"id": p.id, "title": p.title}
    rec = p.record
    row["year"] = rec.year if rec and rec.year is not None else ""
    for facet in FACET_COLUMNS:
        row[facet] = ";".join(p.labels.get(facet, []))
    by_kind: dict[str, list[str]] = {}
    for c in p.claims:
        val = c["value"]
        text = f"{val:g}" if isinstance(val, float) else str(val)
        if c.get("unit") and c["kind"] != "bits":
            text += c["unit"]
        if text not in by_kind.setdefault(c["kind"], []):
            by_kind[c["kind"]].append(text)
    for kind in ("bits", "hardware", "speedup", "reduction"):
        row[f"claims_{kind}"] = ";".join(by_kind.get(kind, []))
    row["needs_review"] = ";".join(p.needs_review)
    row["source"] = ";".join(f"{k}={v}" for k, v in p.source.items())
    return row


CSV_COLUMNS = ("id", "title", "year", *FACET_COLUMNS, "claims_bits", "claims_hardware", "claims_speedup",
               "claims_reduction", "needs_review", "source")


def write_csv(papers: Iterable[TaggedPaper], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    n = 0
    for p in papers:
        writer.writerow(flatten(p))
        n += 1
    return n


def write_table(papers: Iterable[TaggedPaper], fh: IO[str]) -> int:
    """A readable table (rich) of titles, labels per facet and claims."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=True, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("title", max_width=46)
    for facet in FACET_COLUMNS:
        table.add_column(facet, max_width=28)
    table.add_column("claims", max_width=30)
    n = 0
    for p in papers:
        n += 1
        row = flatten(p)
        claims = ", ".join(
            f"{kind}: {row[f'claims_{kind}'].replace(';', ' ')}" for kind in ("bits", "hardware", "speedup", "reduction")
            if row[f"claims_{kind}"]
        )
        title = p.title or (p.record.abstract[:80] + "..." if p.record and p.record.abstract else p.id)
        table.add_row(str(n), title, *(row[f].replace(";", "\n") or "-" for f in FACET_COLUMNS), claims or "-")
    is_tty = hasattr(fh, "isatty") and fh.isatty()
    console = Console(file=fh, width=None if is_tty else 200, force_terminal=is_tty, soft_wrap=False)
    console.print(table)
    return n


WRITERS = {OutputFormat.JSONL: write_jsonl, OutputFormat.CSV: write_csv, OutputFormat.TABLE: write_table}


def write_papers(papers: Iterable[TaggedPaper], *, fmt: OutputFormat, out: str | Path | None = None,
                 force: bool = False) -> int:
    """Write ``papers`` to ``out`` (atomically) or to stdout; return how many were written."""
    writer = WRITERS[fmt]
    if out is None or str(out) == "-":
        return writer(papers, sys.stdout)
    with atomic_writer(out, force=force) as fh:
        return writer(papers, fh)


def write_lines(lines: Iterable[str], *, out: str | Path | None = None, force: bool = False) -> int:
    """Write already-rendered lines (JSONL), one per item, to ``out`` (atomically) or stdout."""
    def write(fh: IO[str]) -> int:
        n = 0
        for line in lines:
            fh.write(line)
            fh.write("\n")
            n += 1
        return n

    if out is None or str(out) == "-":
        return write(sys.stdout)
    with atomic_writer(out, force=force) as fh:
        return write(fh)


def render(papers: Iterable[TaggedPaper], fmt: OutputFormat) -> str:
    buf = io.StringIO()
    WRITERS[fmt](papers, buf)
    return buf.getvalue()

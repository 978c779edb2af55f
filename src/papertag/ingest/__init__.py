"""Read papers (title + abstract) from JSONL, JSON, CSV/TSV, BibTeX, arXiv Atom feeds,
the paper-listing pages and plain text into :class:`~papertag.records.Record`\\ s.

Example::

    from papertag.ingest import read_records
    result = read_records(["papers.jsonl", "refs/*.bib", "-"], on_error="skip")
    for problem in result.skipped:
        print(problem)
"""

from __future__ import annotations

from .formats import Format
from .reader import ReadResult, iter_records, parse_text, read_records
from .sniff import sniff_format

__all__ = ["Format", "ReadResult", "iter_records", "parse_text", "read_records", "sniff_format"]

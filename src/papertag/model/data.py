"""Reading training corpora and resolving gold papers' text.

``read_corpus`` reads any format :mod:`papertag.ingest` reads; gzipped files (``.gz``) are
decompressed here and parsed with :func:`papertag.ingest.parse_text`.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError, SkippedRecord
from ..records import Record


@dataclass(frozen=True)
class Corpus:
    """Papers read for training or evaluation, with a content hash for the model card."""

    records: tuple[Record, ...]
    paths: tuple[str, ...]
    sha256: str  # over ids, titles and abstracts, in order
    skipped: tuple[SkippedRecord, ...] = ()  # bad records left out
    files: tuple[str, ...] = ()  # the files read (patterns expanded)

    def __len__(self) -> int:
        return len(self.records)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}


def read_corpus(paths: Sequence[str | Path], *, max_papers: int | None = None) -> Corpus:
    """Read every paper in ``paths`` (in order); drop papers with neither title nor abstract.

Bad records are skipped and listed in :attr:`Corpus.skipped` (a training corpus of
thousands of papers should not fail on one malformed line); a missing or unreadable file
raises :class:`~papertag.errors.IngestError`.

    Duplicate ids keep their first occurrence. ``max_papers`` keeps the first N papers.
    """
    records: list[Record] = []
    skipped: list[SkippedRecord] = []
    seen: set[str] = set()
    files = expand_paths(paths)
    for path in files:
        for rec in _read_one(path, skipped):
            if rec.id in seen or not (rec.title or rec.abstract):
                continue
            seen.add(rec.id)
            records.append(rec)
            if max_papers is not None and len(records) >= max_papers:
                break
        if max_papers is not None and len(records) >= max_papers:
            break
    digest = hashlib.sha256()
    for r in records:
        digest.update(f"{r.id}\x1f{r.title}\x1f{r.abstract}\x1e".encode())
    return Corpus(tuple(records), tuple(str(p) for p in paths), digest.hexdigest(), tuple(skipped), tuple(files))


def expand_paths(paths: Sequence[str | Path]) -> list[str]:
    """Paths as given, glob patterns (``corpus/*.jsonl.gz``) expanded and sorted; each file once."""
    out: list[str] = []
    for p in paths:
        name = str(p)
        if glob.has_magic(name) and not Path(name).exists():
            matches = sorted(m for m in glob.glob(name, recursive=True) if Path(m).is_file())
            if not matches:
                raise IngestError(name, None, "no files match this pattern")
            out.extend(matches)
        else:
            out.append(name)
    return list(dict.fromkeys(out))


def record_year(rec: Record) -> int | None:
    """The paper's year from ``year`` or the start of ``date``."""
    if rec.year:
        return rec.year
    if rec.date and rec.date[:4].isdigit():
        return int(rec.date[:4])
    return None


def _read_one(path: str, skipped: list[SkippedRecord]) -> Iterable[Record]:
    if not Path(path).exists():
        raise IngestError(path, None, "no such file")
    from ..ingest import parse_text, read_records

    if path.endswith(".gz"):
        # decompress here so any format ingest reads can be gzipped
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        except (OSError, EOFError) as exc:
            raise IngestError(path, None, f"not a readable gzip file ({exc})") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(path, None, f"not valid UTF-8 after decompressing ({exc.reason} at byte "
                                          f"{exc.start}); papertag reads UTF-8 only") from None
        return list(parse_text(text, name=path, on_error="skip", skipped=skipped))
    return read_records([path], on_error="skip", skipped=skipped).records

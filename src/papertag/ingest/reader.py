"""Read records from files, patterns, stdin or a string, in any known format."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from papertag.errors import IngestError, SkippedRecord
from papertag.records import Record

from .abstracts import parse_abstracts
from .atom import parse_atom
from .bibtex import parse_bibtex
from .delimited import parse_csv, parse_tsv
from .draft import BadRecord, Draft, build_record
from .formats import Format
from .jsonl import parse_json, parse_jsonl, parse_jsonl_line
from .paperlist import parse_paperlist
from .plaintext import parse_text_blocks
from .profile import parse_profile
from .sniff import sniff_format
from .sources import STDIN, STDIN_NAME, Source, iter_lines, normalize_text, read_head, read_source, resolve_sources

OnError = Literal["raise", "skip"]
Parser = Callable[[str], Iterator[Draft | BadRecord]]

PARSERS: dict[Format, Parser] = {
    Format.JSONL: parse_jsonl,
    Format.JSON: parse_json,
    Format.CSV: parse_csv,
    Format.TSV: parse_tsv,
    Format.BIBTEX: parse_bibtex,
    Format.ATOM: parse_atom,
    Format.PROFILE: parse_profile,
    Format.PAPERLIST: parse_paperlist,
    Format.ABSTRACTS: parse_abstracts,
    Format.TEXT: parse_text_blocks,
}

DEFAULT_MAX_CHARS = 100_000


@dataclass
class ReadResult:
    """What :func:`read_records` read.

    Attributes
    ----------
    records:
        Every record read, in input order.
    skipped:
        Records (and whole inputs, with ``line=None``) left out under ``on_error="skip"``.
    formats:
        Source name -> the format it was read as.
    """

    records: list[Record]
    skipped: list[SkippedRecord] = field(default_factory=list)
    formats: dict[str, Format] = field(default_factory=dict)


@dataclass
class _Policy:
    """Raise the first error, or record it and go on."""

    on_error: OnError
    skipped: list[SkippedRecord] | None

    def handle(self, error: IngestError, extra: dict[str, str] | None = None) -> None:
        if self.on_error == "raise" or self.skipped is None:
            raise error
        self.skipped.append(SkippedRecord(error.file, error.line, error.message, dict(extra or {})))


def _policy(on_error: str, skipped: list[SkippedRecord] | None, max_chars: int) -> _Policy:
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    if on_error == "skip" and skipped is None:
        raise ValueError(
            "on_error='skip' needs a list to report skipped records in: pass skipped=[] "
            "(or use read_records, which returns them)"
        )
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ValueError(f"max_chars must be a positive integer, got {max_chars!r}")
    return _Policy(on_error, skipped)  # type: ignore[arg-type]


def _parse(
    text: str,
    name: str,
    input_format: Format | None,
    policy: _Policy,
    max_chars: int,
    formats: dict[str, Format] | None,
) -> Iterator[Record]:
    text = normalize_text(text)
    if not text.strip():
        got = "only blank lines" if text else "nothing (the input is empty)"
        policy.handle(IngestError(name, None, f"empty input: expected at least one paper, got {got}"))
        return
    try:
        fmt = input_format or sniff_format(text, name=name)
    except IngestError as e:
        policy.handle(e)
        return
    if formats is not None:
        formats[name] = fmt
    counts = [0, 0]  # good, bad
    for item in PARSERS[fmt](text):
        record = _record(item, name, policy, max_chars, counts)
        if record is not None:
            yield record
    if counts == [0, 0]:
        policy.handle(IngestError(
            name, None,
            f"no records: read as {fmt.value} ({fmt.description}) but found no papers in it",
        ))


def _record(item: Draft | BadRecord, name: str, policy: _Policy, max_chars: int, counts: list[int]) -> Record | None:
    """A parsed item as a record, or ``None`` after handing a bad one to ``policy``; counts good and bad."""
    result = build_record(item, source_file=name, max_chars=max_chars) if isinstance(item, Draft) else item
    if isinstance(result, BadRecord):
        counts[1] += 1
        policy.handle(IngestError(name, result.line, result.reason), result.extra)
        return None
    counts[0] += 1
    return result


def parse_text(
    text: str,
    *,
    name: str,
    input_format: Format | str | None = None,
    on_error: OnError = "raise",
    skipped: list[SkippedRecord] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    formats: dict[str, Format] | None = None,
) -> Iterator[Record]:
    """Records from ``text`` already in memory (stdin, tests); ``name`` is their ``source_file``.

    The format is sniffed from the content unless ``input_format`` forces one.
    With ``on_error="raise"`` the first bad record raises :class:`IngestError`;
    with ``"skip"`` each bad one is appended to ``skipped`` and reading goes on.
    ``formats``, when given, receives ``name -> format used``.
    """
    policy = _policy(on_error, skipped, max_chars)
    fmt = Format.coerce(input_format) if input_format is not None else None
    return _parse(text, name, fmt, policy, max_chars, formats)


def iter_records(
    sources: Source | Iterable[Source],
    *,
    input_format: Format | str | None = None,
    on_error: OnError = "raise",
    skipped: list[SkippedRecord] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    formats: dict[str, Format] | None = None,
) -> Iterator[Record]:
    """Records from files, glob patterns and ``"-"`` (stdin, named ``<stdin>``), lazily.

    Parameters
    ----------
    sources:
        Paths, glob patterns (a pattern matching nothing is an error) or ``"-"``.
        Directories are an error: pass a pattern such as ``dir/*.jsonl``.
    input_format:
        Force one format for every source instead of sniffing each one's content.
    on_error:
        ``"raise"``: the first bad record or unreadable input raises :class:`IngestError`.
        ``"skip"``: each is appended to ``skipped`` as a :class:`SkippedRecord`
        (``line=None`` for a whole input) and reading goes on.
    skipped:
        Receives the skipped records; required with ``on_error="skip"``.
    max_chars:
        Longest title + abstract accepted for one record.
    formats:
        When given, receives ``source name -> format used``.
    """
    policy = _policy(on_error, skipped, max_chars)
    fmt = Format.coerce(input_format) if input_format is not None else None
    return _iter_sources(sources, fmt, policy, max_chars, formats)


def _iter_sources(
    sources: Source | Iterable[Source],
    fmt: Format | None,
    policy: _Policy,
    max_chars: int,
    formats: dict[str, Format] | None,
) -> Iterator[Record]:
    for source in resolve_sources(sources):
        if isinstance(source, IngestError):
            policy.handle(source)
            continue
        if source != STDIN and fmt in (None, Format.JSONL) and _streams_as_jsonl(source, fmt):
            yield from _stream_jsonl(source, policy, max_chars, formats)
            continue
        try:
            text = read_source(source)
        except IngestError as e:
            policy.handle(e)
            continue
        name = STDIN_NAME if source == STDIN else source
        yield from _parse(text, name, fmt, policy, max_chars, formats)


def _streams_as_jsonl(source: str, fmt: Format | None) -> bool:
    """Whether ``source`` is JSONL (forced, or sniffed from its first 64 KB) and can be streamed."""
    try:
        head = read_head(source)
    except IngestError:
        return False  # read it whole: that reports the problem
    if head is None or not head.strip():
        return False
    if fmt is Format.JSONL:
        return True
    try:
        return sniff_format(head, name=source) is Format.JSONL
    except IngestError:
        return False


def _stream_jsonl(name: str, policy: _Policy, max_chars: int, formats: dict[str, Format] | None) -> Iterator[Record]:
    """JSONL read line by line: memory stays flat whatever the file size."""
    if formats is not None:
        formats[name] = Format.JSONL
    counts = [0, 0]  # good, bad
    for lineno, line in iter_lines(name):
        if isinstance(line, IngestError):
            counts[1] += 1
            policy.handle(line)
        elif line.strip():
            record = _record(parse_jsonl_line(line, lineno), name, policy, max_chars, counts)
            if record is not None:
                yield record
    if counts == [0, 0]:
        policy.handle(IngestError(name, None, "no records: read as jsonl but found no papers in it"))


def read_records(
    sources: Source | Iterable[Source],
    *,
    input_format: Format | str | None = None,
    on_error: OnError = "raise",
    skipped: list[SkippedRecord] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ReadResult:
    """Read every record at once; see :func:`iter_records` for the arguments.

    Returns a :class:`ReadResult` with the records, the skipped ones and the
    format each source was read as.
    """
    skipped = [] if skipped is None else skipped
    formats: dict[str, Format] = {}
    records = list(iter_records(sources, input_format=input_format, on_error=on_error,
                                skipped=skipped, max_chars=max_chars, formats=formats))
    return ReadResult(records=records, skipped=skipped, formats=formats)

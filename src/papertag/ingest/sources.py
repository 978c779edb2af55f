"""Where input comes from: paths, glob patterns and ``-`` for standard input;
reading bytes and decoding UTF-8 with messages that say how to fix the file."""

from __future__ import annotations

import codecs
import glob
import gzip
import zlib
import os
import sys
from collections.abc import Iterable, Iterator

from papertag.errors import IngestError

STDIN = "-"
STDIN_NAME = "<stdin>"
GZIP_MAGIC = b"\x1f\x8b"

Source = str | os.PathLike[str]


def resolve_sources(sources: Source | Iterable[Source]) -> Iterator[str | IngestError]:
    """Input names in order: paths as given, glob patterns expanded (sorted), ``-`` kept.

    A pattern matching no file comes out as an :class:`IngestError`. Directories
    are passed through (reading them fails with a clear message); a directory
    matched by a pattern is left out, since a pattern like ``data/*`` asks for files.
    The same file named twice is read once.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    seen: set[str] = set()

    def first_time(path: str) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for source in sources:
        if isinstance(source, os.PathLike):
            name = os.fspath(source)
        elif isinstance(source, str):
            name = source
        else:
            raise TypeError(f"an input must be a path, a glob pattern or '-', got {type(source).__name__}")
        if name == STDIN:
            yield STDIN
        elif isinstance(source, str) and glob.has_magic(name) and not os.path.exists(name):
            matches = sorted(p for p in glob.glob(name, recursive=True) if not os.path.isdir(p))
            if not matches:
                yield IngestError(name, None, "no files match this pattern")
            for path in matches:
                if first_time(path):
                    yield path
        elif first_time(name):
            yield name


def read_source(name: str) -> str:
    """The decoded text of a file (or of stdin for ``-``); :class:`IngestError` if unreadable.

    Gzip-compressed files (``*.jsonl.gz``) are decompressed transparently.
    """
    if name == STDIN:
        stream = sys.stdin
        if stream is None:
            raise IngestError(STDIN_NAME, None, "cannot read standard input: there is none")
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text stream without bytes (e.g. io.StringIO in tests)
            return normalize_text(stream.read())
        return decode(buffer.read(), STDIN_NAME)
    with _open_file(name) as fh:
        try:
            data = fh.read()
        except OSError as e:
            raise IngestError(name, None, f"cannot read: {e.strerror or e}") from None
    if data.startswith(GZIP_MAGIC):  # e.g. corpus.jsonl.gz: read transparently
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise IngestError(name, None, f"cannot read: looks gzip-compressed but is damaged ({e})") from None
    return decode(data, name)


def normalize_text(text: str) -> str:
    """Drop a leading byte-order mark and turn ``\\r\\n`` / ``\\r`` into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (a BOM is dropped silently); anything else is an :class:`IngestError`
    that names the first bad byte's line and suggests ``iconv``."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise IngestError(
            name, None,
            "is UTF-16 encoded, expected UTF-8; re-encode it, e.g. "
            f"`iconv -f utf-16 -t utf-8 {name} > converted.txt`",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise IngestError(
            name, line,
            f"not valid UTF-8: byte 0x{data[e.start]:02x} at column {column} cannot be decoded "
            "(papertag reads UTF-8 only). If the file is Latin-1 or Windows-1252, re-encode it, "
            f"e.g. `iconv -f latin1 -t utf-8 {name} > converted.txt`",
        ) from None
    return normalize_text(text)


HEAD_BYTES = 1 << 16  # how much of a file is read to sniff its format before streaming it


def _open_file(name: str):  # type: ignore[no-untyped-def]
    """``open(name, "rb")`` with :class:`IngestError` messages for directories and unreadable files."""
    if os.path.isdir(name):
        raise IngestError(
            name, None,
            "is a directory, expected a file; to read the files in it pass a pattern "
            f"such as {os.path.join(name, '*.jsonl')!r}",
        )
    try:
        return open(name, "rb")
    except FileNotFoundError:
        raise IngestError(name, None, "cannot read: no such file") from None
    except PermissionError:
        raise IngestError(name, None, "cannot read: permission denied") from None
    except OSError as e:
        raise IngestError(name, None, f"cannot read: {e.strerror or e}") from None


def open_binary(name: str):  # type: ignore[no-untyped-def]
    """A binary file object for ``name``, decompressing gzip transparently; :class:`IngestError` if unreadable."""
    fh = _open_file(name)
    if fh.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=fh, mode="rb")
    return fh


def read_head(name: str, size: int = HEAD_BYTES) -> str | None:
    """The first ``size`` bytes of a file, decoded leniently (for sniffing only), or ``None`` if
    the file can't be streamed (damaged gzip, a read error): the caller reads it whole instead,
    which reports the problem properly."""
    try:
        with open_binary(name) as fh:
            data = fh.read(size)
    except (OSError, EOFError, zlib.error):
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return normalize_text(data.decode("utf-8", errors="ignore"))


def iter_lines(name: str) -> Iterator[tuple[int, str | IngestError]]:
    """``(line number, text)`` for each line of a (possibly gzipped) UTF-8 file, read as a stream.

    A line that is not valid UTF-8 comes out as an :class:`IngestError` naming it; the lines
    after it are still read. A damaged gzip stream ends the file with an error.
    """
    with open_binary(name) as fh:
        lineno = 0
        try:
            for raw in fh:
                lineno += 1
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield lineno, IngestError(
                        name, lineno,
                        f"not valid UTF-8: byte 0x{raw[e.start]:02x} at column {e.start + 1} cannot be decoded "
                        "(papertag reads UTF-8 only); re-encode the file, e.g. "
                        f"`iconv -f latin1 -t utf-8 {name} > converted.txt`")
                    continue
                yield lineno, line.rstrip("\r\n")
        except (OSError, EOFError, zlib.error) as e:
            yield lineno + 1, IngestError(name, lineno + 1, f"cannot read further: the gzip stream is damaged ({e})")


"""JSON Lines (one object per line) and JSON (an array of objects, or one object)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson

from .draft import BadRecord, Draft
from .mapping import draft_from_mapping

_DECODER = json.JSONDecoder()
_ERROR = object()


def _got(value: Any) -> str:
    kind = {list: "an array", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def parse_jsonl(text: str) -> Iterator[Draft | BadRecord]:
    """One JSON object per line; blank lines are ignored."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield parse_jsonl_line(line, lineno)


def parse_jsonl_line(line: str, lineno: int) -> Draft | BadRecord:
    """One non-blank JSONL line."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        obj = _ERROR  # orjson is strict where json is not (NaN, huge integers): json decides, and words the error
    if obj is _ERROR:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            return BadRecord(lineno, f"expected a JSON object, got malformed JSON: {e.msg} (column {e.colno})")
    if not isinstance(obj, dict):
        return BadRecord(lineno, f"expected a JSON object, got {_got(obj)}")
    return draft_from_mapping(obj, lineno)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _malformed(text: str, pos: int, what: str) -> BadRecord:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    got = text[pos : pos + 20].split("\n")[0] or "end of file"
    return BadRecord(line, f"malformed JSON: expected {what} at column {col}, got {got!r}")


def parse_json(text: str) -> Iterator[Draft | BadRecord]:
    """A JSON array of objects (each element's line is its ``source_line``) or one object.

    A syntax error ends the file: nothing after it can be trusted.
    """
    pos = _skip_ws(text, 0)
    if text.startswith("{", pos):
        try:
            obj, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            yield BadRecord(e.lineno, f"malformed JSON: {e.msg} (column {e.colno})")
            return
        if _skip_ws(text, end) != len(text):
            yield _malformed(text, _skip_ws(text, end), "end of file after the object")
            return
        yield draft_from_mapping(obj, text.count("\n", 0, pos) + 1)
        return
    if not text.startswith("[", pos):
        yield _malformed(text, pos, "a JSON array '[' or object '{'")
        return
    pos = _skip_ws(text, pos + 1)
    line, counted = 1, 0
    index = 0
    if text.startswith("]", pos):
        pos = _skip_ws(text, pos + 1)
    else:
        while True:
            line += text.count("\n", counted, pos)
            counted = pos
            try:
                obj, end = _DECODER.raw_decode(text, pos)
            except json.JSONDecodeError as e:
                yield BadRecord(e.lineno, f"malformed JSON: {e.msg} (column {e.colno})")
                return
            index += 1
            if isinstance(obj, dict):
                yield draft_from_mapping(obj, line)
            else:
                yield BadRecord(line, f"array element {index}: expected a JSON object, got {_got(obj)}")
            pos = _skip_ws(text, end)
            if text.startswith(",", pos):
                pos = _skip_ws(text, pos + 1)
                continue
            if text.startswith("]", pos):
                pos = _skip_ws(text, pos + 1)
                break
            yield _malformed(text, pos, "',' or ']' after an array element")
            return
    if pos != len(text):
        yield _malformed(text, pos, "end of file after the array")

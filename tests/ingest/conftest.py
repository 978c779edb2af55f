"""Shared helpers for the ingest tests: fixture files live in ``tests/ingest/data``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from papertag.ingest import read_records
from papertag.records import Record

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data() -> Path:
    """The folder of fixture files."""
    return DATA


@pytest.fixture
def read_one() -> Callable[[str], list[Record]]:
    """Read one fixture file (by name) strictly and return its records."""

    def read(name: str) -> list[Record]:
        return read_records([str(DATA / name)]).records

    return read


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], str]:
    """Write text or bytes to ``tmp_path / name`` and return the path as a string."""

    def _write(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return _write

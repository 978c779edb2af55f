"""``Abstract:`` lines: each line ``Abstract:...`` is one paper without a title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .draft import BadRecord, Draft

ABSTRACT_PREFIX = re.compile(r"^\s*abstract\s*:\s*", re.I)


def parse_abstracts(text: str) -> Iterator[Draft | BadRecord]:
    """One record per ``Abstract:`` line; other non-blank lines continue the previous abstract."""
    current: Draft | None = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = ABSTRACT_PREFIX.match(line)
        if m:
            if current is not None:
                yield current
            current = Draft(line=lineno, title="", abstract=line[m.end():].strip())
        elif current is None:
            yield BadRecord(lineno, f"expected a line starting with 'Abstract:', got {line.strip()[:60]!r}")
        else:
            current.abstract = f"{current.abstract} {line.strip()}"
    if current is not None:
        yield current

"""Plain text: one paper per blank-line-separated block; first line title, the rest abstract."""

from __future__ import annotations

from collections.abc import Iterator

from .draft import BadRecord, Draft


def blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, lines)`` for each blank-line-separated block."""
    start, current = 0, list[str]()
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = lineno
            current.append(line.rstrip())
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current


def parse_text_blocks(text: str) -> Iterator[Draft | BadRecord]:
    """A one-line block is a title-only paper; abstract lines are kept as written."""
    for start, lines in blocks(text):
        yield Draft(line=start, title=lines[0].strip(), abstract="\n".join(lines[1:]).strip())

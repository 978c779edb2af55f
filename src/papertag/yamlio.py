"""Reading YAML files with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

# libyaml's C loader when PyYAML was built with it (the usual wheels are): several times faster
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the C loader when available."""
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse ``path``; return ``(data, problems)`` where problems explain why data is ``None``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), "", "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "", f"cannot be read ({exc})")]
    try:
        return safe_load(text), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(str(path), where, f"invalid YAML: {problem}")]


def pydantic_problems(file: str, where: str, exc: Any) -> list[Problem]:
    """Flatten a pydantic ValidationError into one Problem per error, spaCy-style ``[a -> b]``."""
    out = []
    for err in exc.errors():
        loc = " -> ".join(str(p) for p in err.get("loc", ()))
        msg = err.get("msg", "invalid")
        got = err.get("input")
        got_s = "" if isinstance(got, dict) else f" (got {got!r})"
        out.append(Problem(file, where, f"[{loc}] {msg}{got_s}"))
    return out

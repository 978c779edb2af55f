"""The one record every input format is read into."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

TITLE_ABSTRACT_SEP = "\n\n"


@dataclass(frozen=True, slots=True)
class Record:
    """A paper as read from any input format.

    ``title`` and ``abstract`` are kept as written in the input (whitespace
    trimmed); normalization for matching happens in :mod:`papertag.text`, and
    evidence offsets point into :attr:`text`.
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    source_file: str | None = None
    source_line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def text(self) -> str:
        """The text that is tagged: ``title + "\\n\\n" + abstract`` (or whichever is present)."""
        return compose_text(self.title, self.abstract)


def compose_text(title: str, abstract: str) -> str:
    """Join title and abstract as the output schema defines the tagged text."""
    if title and abstract:
        return f"{title}{TITLE_ABSTRACT_SEP}{abstract}"
    return title or abstract


_ARXIV_RE = re.compile(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)


def normalize_arxiv_id(value: str | None) -> str | None:
    """``https://arxiv.org/abs/2405.01234v2`` -> ``2405.01234``; ``None`` if none found."""
    if not value:
        return None
    m = _ARXIV_RE.search(value)
    return m.group(1) if m else None


def stable_id(
    *, doi: str | None = None, arxiv_id: str | None = None, title: str = "", abstract: str = ""
) -> str:
    """An id derived from DOI, arXiv id, or a hash of title and abstract, in that order."""
    if doi:
        return f"doi:{doi.strip().lower()}"
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    basis = re.sub(r"\s+", " ", f"{title}\n{abstract}".strip().lower())
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]

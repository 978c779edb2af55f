"""The input formats papertag reads, by the names users pass to ``--input-format``."""

from __future__ import annotations

import enum


class Format(str, enum.Enum):
    """An input format; the value is the name users pass to ``--input-format``."""

    JSONL = "jsonl"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"
    BIBTEX = "bibtex"
    ATOM = "atom"
    PROFILE = "profile"  # researcher profile page (seed 000)
    PAPERLIST = "paperlist"  # paper-list page, title and authors glued (seed 001)
    ABSTRACTS = "abstracts"  # one "Abstract:..." line per paper (seed 002)
    TEXT = "text"  # one paper per blank-line-separated block

    def __str__(self) -> str:
        return self.value

    @property
    def description(self) -> str:
        """What a file in this format looks like, for error messages."""
        return DESCRIPTIONS[self]

    @classmethod
    def coerce(cls, value: Format | str) -> Format:
        """``"jsonl"`` -> ``Format.JSONL``; a clear ``ValueError`` for unknown names."""
        if isinstance(value, Format):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown input format {value!r}; expected one of: {format_names()}"
            ) from None


DESCRIPTIONS: dict[Format, str] = {
    Format.JSONL: "one JSON object per line",
    Format.JSON: "a JSON array of objects, or one object",
    Format.CSV: "comma-separated values with a header row",
    Format.TSV: "tab-separated values with a header row",
    Format.BIBTEX: "BibTeX entries (@article{...})",
    Format.ATOM: "an arXiv API Atom feed (<feed> with <entry> elements)",
    Format.PROFILE: "a researcher profile page (entry headers like '41.6CVSep 26, 2023Code')",
    Format.PAPERLIST: "a paper-list page (header line, title glued to authors, abstract)",
    Format.ABSTRACTS: "one 'Abstract:...' line per paper",
    Format.TEXT: "plain text, one paper per blank-line-separated block (title line, then abstract)",
}


def format_names() -> str:
    """``"jsonl, json, csv, ..."``: every format name, for messages."""
    return ", ".join(f.value for f in Format)

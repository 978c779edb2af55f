"""Exports of tagged papers for writing: BibTeX grouped by label and a Markdown related-work skeleton
(``papertag export bibtex|markdown``), with stable, readable citation keys."""

from __future__ import annotations

from .bibtex import bibtex_entry, write_bibtex
from .keys import base_key, citation_keys
from .markdown import write_markdown

__all__ = ["base_key", "bibtex_entry", "citation_keys", "write_bibtex", "write_markdown"]

"""BibTeX export grouped by the labels of one facet (bibtexparser writes the file).

- A paper that came from BibTeX is written back with its own entry type, key and fields, values as
  they were written (``month = jun`` stays a macro); papertag only adds a ``papertags`` field, and a
  ``keywords`` field when the entry had none.
- Any other paper gets an entry built from its metadata (``@inproceedings`` with a venue,
  ``@article`` for journals, ``@misc`` with ``eprint`` for arXiv preprints) and a citation key
  from :func:`papertag.export.keys.citation_keys`; ``keywords`` and ``papertags`` carry its labels.
- Groups follow the taxonomy order of the facet, each headed by a ``%`` comment. A paper is written
  once, in the first of its groups; later groups name it in a ``% also:`` comment. Within a group
  papers are newest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field, ImplicitComment

from ..taxonomy import Taxonomy
from .groups import Group, group_papers

_LATEX_SPECIAL = re.compile(r"(?<!\\)([&%$#_{}])")
_JOURNAL = re.compile(r"journal|transactions|letters|review|magazine", re.I)

__all__ = ["bibtex_entry", "write_bibtex"]


def _tex(text: str) -> str:
    """Escape the characters BibTeX/LaTeX would misread in plain metadata."""
    return _LATEX_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _labels(paper: Mapping[str, Any]) -> list[str]:
    return [f"{facet}/{lab}" for facet, labs in (paper.get("labels") or {}).items() for lab in labs]


def bibtex_entry(paper: Mapping[str, Any], key: str) -> Entry:
    """The BibTeX entry for one tagged paper (see the module docstring)."""
    labels = ", ".join(_labels(paper))
    bib = (paper.get("input") or {}).get("bibtex") if isinstance(paper.get("input"), Mapping) else None
    if isinstance(bib, Mapping) and bib.get("key") == key:
        fields = []
        bare = set(bib.get("bare") or [])
        for name, value in (bib.get("fields") or {}).items():
            f = Field(name, str(value))
            if name in bare:
                f.enclosing = "no-enclosing"
            fields.append(f)
        names = {f.key.lower() for f in fields}
        if "keywords" not in names and labels:
            fields.append(Field("keywords", labels))
        if labels:
            fields.append(Field("papertags", labels))
        return Entry(str(bib.get("type") or "misc"), key, fields)
    venue = str(paper.get("venue") or "").strip()
    arxiv = paper.get("arxiv_id") or (str(paper["id"])[6:] if str(paper.get("id", "")).startswith("arxiv:") else None)
    fields = []
    if paper.get("authors"):
        fields.append(Field("author", " and ".join(_tex(a) for a in paper["authors"])))
    fields.append(Field("title", _tex(paper.get("title") or paper["id"])))
    if venue and _JOURNAL.search(venue):
        entry_type = "article"
        fields.append(Field("journal", _tex(venue)))
    elif venue:
        entry_type = "inproceedings"
        fields.append(Field("booktitle", _tex(venue)))
    else:
        entry_type = "misc"
    if paper.get("year"):
        fields.append(Field("year", str(paper["year"])))
    if paper.get("doi"):
        fields.append(Field("doi", str(paper["doi"])))
    if arxiv:
        fields += [Field("eprint", str(arxiv)), Field("archiveprefix", "arXiv")]
    if paper.get("url"):
        fields.append(Field("url", str(paper["url"])))
    if labels:
        fields += [Field("keywords", labels), Field("papertags", labels)]
    return Entry(entry_type, key, fields)


def write_bibtex(papers: Sequence[Mapping[str, Any]], keys: Mapping[str, str], taxonomy: Taxonomy, facet: str, *,
                 children: bool = False, include_unlabelled: bool = False, header: str = "") -> str:
    """The BibTeX text: one group per label of ``facet`` (see the module docstring)."""
    groups = group_papers(papers, taxonomy, facet, children=children, include_unlabelled=include_unlabelled)
    lib = Library()
    if header:
        lib.add(ImplicitComment("\n".join(f"% {line}" if line else "%" for line in header.splitlines())))
    written: set[str] = set()
    for g in groups:
        lib.add(ImplicitComment(_group_comment(g, facet)))
        also = []
        for p in g.papers:
            if p["id"] in written:
                also.append(keys[p["id"]])
                continue
            lib.add(bibtex_entry(p, keys[p["id"]]))
            written.add(p["id"])
        if also:
            lines = _wrap(", ".join(also), 96)
            lib.add(ImplicitComment("\n".join(f"% also: {line}" if i == 0 else f"%       {line}"
                                              for i, line in enumerate(lines))))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    stack = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{")]
    return bibtexparser.write_string(lib, unparse_stack=stack, bibtex_format=fmt)


def _group_comment(g: Group, facet: str) -> str:
    title = f"{facet}: {g.label}" if g.label else f"no {facet} label"
    return f"% {'=' * 78}\n% {title} ({g.name}) -- {len(g.papers)} paper(s)\n% {'=' * 78}" if g.label else \
        f"% {'=' * 78}\n% {title} -- {len(g.papers)} paper(s)\n% {'=' * 78}"


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]

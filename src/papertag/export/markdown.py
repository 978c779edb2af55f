"""A related-work skeleton in Markdown: per label, a paragraph stub with what the papers have in
common (years, modalities, architectures, sub-topics) and the papers, newest first, with citation keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..taxonomy import Taxonomy
from .groups import Group, group_papers

CITE_STYLES = ("pandoc", "latex")

__all__ = ["CITE_STYLES", "cite", "write_markdown"]


def cite(keys: Sequence[str], style: str = "pandoc") -> str:
    """``[@a; @b]`` (pandoc) or ``\\cite{a,b}`` (LaTeX)."""
    if style == "latex":
        return "\\cite{" + ",".join(keys) + "}"
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def _authors(p: Mapping[str, Any]) -> str:
    a = [str(x) for x in p.get("authors") or []]
    if not a:
        return ""
    if len(a) == 1:
        return a[0]
    if len(a) == 2:
        return f"{a[0]} and {a[1]}"
    return f"{a[0]} et al."


def _lower(name: str) -> str:
    """Lower-case a label name for running text unless it has capitals inside (GPU, LoRA, N:M)."""
    return name if any(ch.isupper() for ch in name[1:]) else name[:1].lower() + name[1:]


def _top(counter: Counter[str], taxonomy: Taxonomy, facet: str, n: int = 3) -> str:
    parts = [f"{_lower(taxonomy[f'{facet}/{lab}'].name) if f'{facet}/{lab}' in taxonomy else lab} ({k})"
             for lab, k in counter.most_common(n)]
    return ", ".join(parts)


def _stub(g: Group, facet: str, taxonomy: Taxonomy, keys: Mapping[str, str], style: str,
          max_cites: int) -> str:
    years = sorted(int(p["year"]) for p in g.papers if p.get("year"))
    span = f", {years[0]}\u2013{years[-1]}" if years and years[0] != years[-1] else (f", {years[0]}" if years else "")
    text = [f"*TODO: one paragraph on {_lower(g.name)}.* {len(g.papers)} paper(s){span}."]
    for other in ("modality", "architecture", "hardware"):
        if other == facet:
            continue
        c: Counter[str] = Counter(lab for p in g.papers for lab in (p.get("labels") or {}).get(other, [])
                                  if "/" not in lab)
        if c:
            text.append(f"Most common {other}: {_top(c, taxonomy, other)}.")
    if facet and g.label and "/" not in g.label:
        subs: Counter[str] = Counter(lab for p in g.papers for lab in (p.get("labels") or {}).get(facet, [])
                                     if lab.startswith(g.label + "/"))
        if subs:
            text.append("Sub-topics: " + ", ".join(
                f"{_lower(taxonomy[f'{facet}/{lab}'].name)} ({k})" for lab, k in subs.most_common()) + ".")
    newest = [keys[p["id"]] for p in g.papers[:max_cites]]
    text.append(f"Recent work: {cite(newest, style)}.")
    return " ".join(text)


def write_markdown(papers: Sequence[Mapping[str, Any]], keys: Mapping[str, str], taxonomy: Taxonomy, facet: str,
                   *, children: bool = False, include_unlabelled: bool = False, style: str = "pandoc",
                   max_cites: int = 5, header: str = "") -> str:
    """The skeleton: a ``##`` section per label (``###`` for child labels) with a stub and the papers."""
    groups = group_papers(papers, taxonomy, facet, children=children, include_unlabelled=include_unlabelled,
                          keys=keys)
    out = [f"# Related work by {facet}", ""]
    if header:
        out += [f"<!-- {header} -->", ""]
    for g in groups:
        out += [f"{'###' if g.depth else '##'} {g.name}", "", _stub(g, facet, taxonomy, keys, style, max_cites), ""]
        for p in g.papers:
            meta = ", ".join(x for x in (_authors(p), str(p.get("venue") or ""),
                                         str(p["year"]) if p.get("year") else "n.d.") if x)
            out.append(f"- {p.get('title') or p['id']}. {meta}. {cite([keys[p['id']]], style)}")
        out.append("")
    return "\n".join(out)

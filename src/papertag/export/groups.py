"""Papers grouped by the labels of one facet, as exports list them (taxonomy order, newest first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..taxonomy import Taxonomy

__all__ = ["Group", "group_papers", "newest_first"]


@dataclass
class Group:
    """One label's papers; ``label`` is ``""`` for the papers without a label in the facet."""

    label: str
    name: str
    papers: list[Mapping[str, Any]] = field(default_factory=list)
    depth: int = 0


def newest_first(papers: Sequence[Mapping[str, Any]], keys: Mapping[str, str] | None = None
                 ) -> list[Mapping[str, Any]]:
    """Newest year first (no year last), then by citation key (or title)."""
    def order(p: Mapping[str, Any]) -> tuple[int, str]:
        tie = (keys or {}).get(p["id"]) or str(p.get("title") or "").lower()
        return (-(int(p["year"]) if p.get("year") else -10_000), tie)

    return sorted(papers, key=order)


def group_papers(papers: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, facet: str, *, children: bool = False,
                 include_unlabelled: bool = False, keys: Mapping[str, str] | None = None) -> list[Group]:
    """Non-empty groups in taxonomy order (child labels after their parent when ``children``)."""
    groups = []
    for key in taxonomy.facet_keys(facet):
        lab = taxonomy[key].id
        if "/" in lab and not children:
            continue
        members = [p for p in papers if lab in ((p.get("labels") or {}).get(facet) or [])]
        if members:
            groups.append(Group(lab, taxonomy[key].name, newest_first(members, keys), lab.count("/")))
    if include_unlabelled:
        rest = [p for p in papers if not ((p.get("labels") or {}).get(facet) or [])]
        if rest:
            groups.append(Group("", f"no {facet} label", newest_first(rest, keys)))
    return groups

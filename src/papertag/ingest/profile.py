"""Researcher profile pages: a header block about the researcher, then entries::

    41.6CVSep 26, 2023Code
    Some Title

    Pan Zhang, Xiaoyi Dong, Bin Wang et al. · pku, tsinghua

    The abstract (may be absent).
"""

from __future__ import annotations

from collections.abc import Iterator

from .draft import BadRecord, Draft
from .fields import collapse, strip_et_al
from .listing import parse_author_list, parse_header

AFFILIATION_SEP = " · "


def parse_author_line(line: str) -> tuple[list[str], bool, list[str]] | None:
    """``"A B, C D et al. · pku, tsinghua"`` -> ``(["A B", "C D"], True, ["pku", "tsinghua"])``.

    ``None`` if the line is not an author line (then it is the abstract).
    """
    names_part, sep, affs_part = line.strip().partition(AFFILIATION_SEP.strip())
    names_part = names_part.strip()
    affiliations = [a.strip() for a in affs_part.split(",") if a.strip()] if sep else []
    parsed = parse_author_list(names_part)
    if parsed is None:
        body, truncated = strip_et_al(names_part)
        parts = [n.strip() for n in body.split(",") if n.strip()]
        # Unusual names still make an author line when "·" or "et al." says so, or
        # when the line is short, has no final full stop and only short parts.
        listy = len(body) <= 300 and not body.endswith(".") and all(len(p.split()) <= 5 for p in parts)
        if not parts or not (sep or truncated or listy):
            return None
        parsed = (parts, truncated)
    return parsed[0], parsed[1], affiliations


def parse_profile(text: str) -> Iterator[Draft | BadRecord]:
    """One record per entry header; the block before the first header describes the researcher."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if parse_header(ln)]
    if not starts:
        yield BadRecord(1, "expected entry header lines like '41.6CVSep 26, 2023Code', found none")
        return
    profile_name = next((ln.strip() for ln in lines[: starts[0]] if ln.strip()), None)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        header = parse_header(lines[start])
        assert header is not None
        body = [lines[i].strip() for i in range(start + 1, end) if lines[i].strip()]
        if not body:
            yield BadRecord(start + 1, "expected a title line after the entry header, got nothing")
            continue
        title, rest = body[0], body[1:]
        draft = Draft(line=start + 1, title=title, year=header.year, date=header.date,
                      meta=header.meta())
        if rest:
            author_line = parse_author_line(rest[0])
            if author_line is not None:
                authors, truncated, affiliations = author_line
                draft.authors = tuple(authors)
                if truncated:
                    draft.meta["authors_truncated"] = True
                if affiliations:
                    draft.meta["affiliations"] = affiliations
                rest = rest[1:]
        draft.abstract = collapse(" ".join(rest))
        if profile_name:
            draft.meta["profile"] = profile_name
        yield draft

"""Paper-list pages: a header line, then the title glued to the authors, then the abstract.

::

    CVMay 23, 2022Code
    Super Vision TransformerMingbao Lin, Mengzhao Chen, Yuxin Zhang et al.
    We present ...
"""

from __future__ import annotations

from collections.abc import Iterator

from .draft import BadRecord, Draft
from .fields import collapse
from .listing import parse_author_list, parse_header

# A title never ends with these, so the authors cannot start right after them.
_NOT_TITLE_END = frozenset(" -‐/([{&\"'‘“")


def split_title_authors(text: str) -> tuple[str, list[str], bool] | None:
    """Split ``"...Efficient GANsLizhou You, Mingbao Lin et al."`` into title and authors.

    Candidate split points are upper-case letters not preceded by a space; the
    earliest one whose remainder is a full author list (and whose first word is a
    clean name, which rules out ``ANsLizhou``/``NsLizhou``) wins. Returns
    ``(title, authors, truncated)`` or ``None``.
    """
    for i in range(1, len(text)):
        if not text[i].isupper() or text[i - 1] in _NOT_TITLE_END:
            continue
        parsed = parse_author_list(text[i:], strict_first=True)
        if parsed is not None:
            title = text[:i].strip()
            if title:
                return title, parsed[0], parsed[1]
    return None


def parse_paperlist(text: str) -> Iterator[Draft | BadRecord]:
    """One record per header line; blank lines are ignored."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if parse_header(ln)]
    if not starts:
        yield BadRecord(1, "expected entry header lines like 'CVMay 23, 2022Code', found none")
        return
    stray = next((i for i in range(starts[0]) if lines[i].strip()), None)
    if stray is not None:
        yield BadRecord(
            stray + 1,
            f"expected an entry header line like 'CVMay 23, 2022Code', got {lines[stray][:60]!r}",
        )
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        header = parse_header(lines[start])
        assert header is not None
        body = [(i, lines[i].strip()) for i in range(start + 1, end) if lines[i].strip()]
        if not body:
            yield BadRecord(start + 1, "expected a title-and-authors line after the entry header, got nothing")
            continue
        glued_line, glued = body[0]
        split = split_title_authors(glued)
        if split is None:
            yield BadRecord(
                glued_line + 1,
                "expected the title glued to an author list like 'Some TitleFirst Author, "
                f"Second Author et al.', got {glued[:80]!r}",
            )
            continue
        title, authors, truncated = split
        draft = Draft(
            line=start + 1,
            title=title,
            abstract=collapse(" ".join(t for _, t in body[1:])),
            authors=tuple(authors),
            year=header.year,
            date=header.date,
            meta=header.meta(),
        )
        if truncated:
            draft.meta["authors_truncated"] = True
        yield draft

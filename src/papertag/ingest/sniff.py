"""Tell the input format from content alone."""

from __future__ import annotations

import json
import re

from papertag.errors import UnknownFormatError

from .abstracts import ABSTRACT_PREFIX
from .delimited import guess_delimiter, known_columns
from .formats import Format, format_names
from .listing import parse_header
from .paperlist import split_title_authors
from .plaintext import blocks

_BIBTEX_ENTRY = re.compile(r"^@\s*[A-Za-z]+\s*[{(]")
_BIBTEX_ANYWHERE = re.compile(
    r"^@\s*(?:article|inproceedings|incollection|inbook|book|misc|phdthesis|mastersthesis|"
    r"techreport|unpublished|online|conference|proceedings|manual)\s*[{(]",
    re.I | re.M,
)
_ATOM_FEED = re.compile(r"<(?:[\w-]+:)?(?:feed|entry)[\s>]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: A plain-text title line longer than this is not a title.
MAX_TITLE_CHARS = 400


def _nonblank(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.strip()]


def _listing_format(lines: list[str], nonblank: int) -> Format | None:
    """PROFILE or PAPERLIST when enough lines are entry headers.

    A profile entry's title line is followed by a blank line and the author line;
    a paper-list entry's line after the header is the title glued to the authors.
    """
    heads = [i for i, ln in enumerate(lines) if parse_header(ln)]
    if not heads or len(heads) * 10 < nonblank:
        return None

    def line(i: int) -> str:
        return lines[i].strip() if i < len(lines) else ""

    profile = sum(1 for i in heads if line(i + 1) and not line(i + 2) and line(i + 3))
    paperlist = sum(1 for i in heads if split_title_authors(line(i + 1)) is not None)
    return Format.PROFILE if profile > paperlist else Format.PAPERLIST


def _unknown(name: str, why: str) -> UnknownFormatError:
    return UnknownFormatError(
        name,
        None,
        f"cannot tell the input format from its content ({why}); expected one of: "
        f"{format_names()}. Pass input_format (--input-format) to force one.",
    )


def sniff_format(text: str, *, name: str = "<input>") -> Format:
    """The format of ``text``, from its content only.

    Checks, in order: most lines start with ``{`` (JSONL); ``<`` with an Atom
    ``<feed>`` (ATOM); ``[`` or a pretty-printed ``{`` (JSON); a first content line
    ``@type{`` (BIBTEX); mostly ``Abstract:`` lines (ABSTRACTS); at least one line
    in ten an entry header like ``41.6CVSep 26, 2023Code`` (PROFILE if titles are
    followed by a blank line and an author line, else PAPERLIST); BibTeX entries
    after a preamble; a header row naming two known columns (TSV, CSV); else
    plain TEXT, unless it holds control characters or no title-sized first lines.

    Raises
    ------
    UnknownFormatError
        When the content fits none of the formats; the message lists them.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise _unknown(name, "the input is empty")
    lines = text.split("\n")
    nonblank = _nonblank(lines)
    first = stripped[0]
    # One object per line (a one-line file too), even if some lines are broken.
    if first != "[" and sum(1 for ln in nonblank if ln.lstrip().startswith("{")) * 2 > len(nonblank):
        return Format.JSONL
    if first == "<":
        if _ATOM_FEED.search(stripped[:5000]):
            return Format.ATOM
        raise _unknown(name, "it looks like XML or HTML but has no Atom <feed>")
    if first == "[":
        return Format.JSON
    if first == "{":
        # JSONL if the first line is a whole object, else a pretty-printed object.
        try:
            return Format.JSONL if isinstance(json.loads(nonblank[0]), dict) else Format.JSON
        except json.JSONDecodeError:
            return Format.JSON
    content = [ln for ln in nonblank if not ln.lstrip().startswith("%")]
    if content and _BIBTEX_ENTRY.match(content[0].lstrip()):
        return Format.BIBTEX
    if ABSTRACT_PREFIX.match(nonblank[0]) and (
        sum(1 for ln in nonblank if ABSTRACT_PREFIX.match(ln)) * 2 > len(nonblank)
    ):
        return Format.ABSTRACTS
    listing = _listing_format(lines, len(nonblank))
    if listing is not None:
        return listing
    if _BIBTEX_ANYWHERE.search(text):  # entries after a free-text preamble
        return Format.BIBTEX
    header = nonblank[0]
    if "\t" in header and len(known_columns(header, "\t")) >= 2:
        return Format.TSV
    if len(known_columns(header, guess_delimiter(header))) >= 2:
        return Format.CSV
    if _CONTROL.search(text):
        raise _unknown(name, "it contains control characters, as binary files do")
    titles = [lns[0] for _, lns in blocks(text)]
    if sum(1 for t in titles if len(t.strip()) <= MAX_TITLE_CHARS) * 2 <= len(titles):
        raise _unknown(
            name,
            f"as plain text most blocks would start with a 'title' longer than {MAX_TITLE_CHARS} characters",
        )
    return Format.TEXT

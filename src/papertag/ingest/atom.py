"""arXiv API Atom feeds: ``<feed xmlns="http://www.w3.org/2005/Atom">`` with ``<entry>``s."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from xml.parsers import expat

from papertag.records import normalize_arxiv_id

from .draft import BadRecord, Draft
from .fields import collapse

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
NS = {"atom": ATOM, "arxiv": ARXIV}


def _entry_lines(text: str) -> list[int] | BadRecord:
    """Line of every ``<entry>`` start tag, in document order (ElementTree keeps none)."""
    lines: list[int] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: object) -> None:
        if name == f"{ATOM} entry":
            lines.append(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    try:
        parser.Parse(text, True)
    except expat.ExpatError as e:
        return BadRecord(e.lineno, f"malformed XML: {expat.ErrorString(e.code)} (column {e.offset + 1})")
    return lines


def _text(el: ET.Element, path: str) -> str | None:
    found = el.find(path, NS)
    if found is None:
        return None
    value = collapse("".join(found.itertext()))
    return value or None


def _entry_draft(entry: ET.Element, line: int) -> Draft | BadRecord:
    raw_id = _text(entry, "atom:id") or ""
    if "arxiv.org/api/errors" in raw_id:
        message = _text(entry, "atom:summary") or _text(entry, "atom:title") or "unknown error"
        return BadRecord(line, f"the arXiv API returned an error instead of a paper: {message}")
    draft = Draft(line=line, title=_text(entry, "atom:title") or "",
                  abstract=_text(entry, "atom:summary") or "")
    authors, affiliations = [], []
    for author in entry.findall("atom:author", NS):
        name = _text(author, "atom:name")
        if name:
            authors.append(name)
        affiliations += [collapse(a.text or "") for a in author.findall("arxiv:affiliation", NS)]
    draft.authors = tuple(authors)
    if any(affiliations):
        draft.meta["affiliations"] = sorted({a for a in affiliations if a})
    links = entry.findall("atom:link", NS)
    alternate = next((ln.get("href") for ln in links if ln.get("rel", "alternate") == "alternate"), None)
    pdf = next((ln.get("href") for ln in links if ln.get("title") == "pdf"), None)
    draft.url = alternate or (raw_id if raw_id.startswith("http") else None)
    if pdf:
        draft.meta["pdf_url"] = pdf
    if "arxiv.org/" in raw_id:
        draft.arxiv_id = normalize_arxiv_id(raw_id)
    if draft.arxiv_id:
        draft.id = f"arxiv:{draft.arxiv_id}"
    elif raw_id:
        draft.id = raw_id
    draft.date = _text(entry, "atom:published")
    updated = _text(entry, "atom:updated")
    if updated:
        draft.meta["updated"] = updated
    draft.doi = _text(entry, "arxiv:doi")
    journal_ref = _text(entry, "arxiv:journal_ref")
    if journal_ref:
        draft.venue = journal_ref
        draft.meta["journal_ref"] = journal_ref
    comment = _text(entry, "arxiv:comment")
    if comment:
        draft.meta["comment"] = comment
    primary = entry.find("arxiv:primary_category", NS)
    if primary is not None and primary.get("term"):
        draft.meta["primary_category"] = primary.get("term")
    categories = [c.get("term") for c in entry.findall("atom:category", NS) if c.get("term")]
    if categories:
        draft.meta["categories"] = categories
    return draft


def parse_atom(text: str) -> Iterator[Draft | BadRecord]:
    """Entries of an Atom feed; malformed XML is one bad record at the parser's line."""
    lines = _entry_lines(text)
    if isinstance(lines, BadRecord):
        yield lines
        return
    root = ET.fromstring(text)
    if root.tag in (f"{{{ATOM}}}feed", f"{{{ATOM}}}entry"):
        entries = list(root.iter(f"{{{ATOM}}}entry"))  # document order, as _entry_lines
    else:
        yield BadRecord(1, f"expected an Atom <feed> (namespace {ATOM}), got <{root.tag}>")
        return
    for entry, line in zip(entries, lines):
        yield _entry_draft(entry, line)

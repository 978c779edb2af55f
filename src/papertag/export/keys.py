"""Citation keys: stable, readable, unique.

A paper read from BibTeX keeps its own key. Any other paper gets ``firstauthorYEARfirstword``
(``lovelace2024efficient``): the first author's surname, the year (``nd`` without one) and the
first word of the title that is not a stop word, all lower-case ASCII. Keys that clash (with each
other or with an original BibTeX key) get ``a``, ``b``, ... in the order of the papers' ids, so the
same papers always get the same keys whatever order they come in.

Example
-------
>>> papers = [{"id": "2", "title": "On Efficient Transformers", "year": 2024, "authors": ["Ada Lovelace"]},
...           {"id": "1", "title": "Efficient Transformers, Again", "year": 2024, "authors": ["Lovelace, Ada"]},
...           {"id": "3", "title": "The Café Effect", "authors": ["Émile Zola"]}]
>>> citation_keys(papers)
{'1': 'lovelace2024efficienta', '2': 'lovelace2024efficientb', '3': 'zolandcafe'}
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from itertools import count
from typing import Any

STOP_WORDS = frozenset(
    "a an the on of for in to and or with via by from at as is are be towards toward into using through "
    "when what why how do does can we our your this that these those not no".split())

__all__ = ["base_key", "bibtex_key_of", "citation_keys"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:  # "Last, First"
        last = name.split(",", 1)[0]
    else:
        parts = name.split()
        last = parts[-1] if parts else ""
        if last.lower().rstrip(".") in ("jr", "sr", "ii", "iii", "iv") and len(parts) > 1:
            last = parts[-2]
    return re.sub(r"[^a-z]", "", _ascii(last).lower())


def base_key(paper: Mapping[str, Any]) -> str:
    """``firstauthorYEARfirstword`` before deduplication."""
    authors = paper.get("authors") or []
    who = _surname(str(authors[0])) if authors else ""
    year = str(paper["year"]) if paper.get("year") else "nd"
    word = ""
    for w in re.findall(r"[A-Za-z0-9]+", _ascii(str(paper.get("title") or ""))):
        if w.lower() not in STOP_WORDS and not w.isdigit():
            word = w.lower()
            break
    return f"{who or 'anon'}{year}{word or 'untitled'}"


def bibtex_key_of(paper: Mapping[str, Any]) -> str | None:
    """The key the paper had in its BibTeX input, if it came from one."""
    bib = (paper.get("input") or {}).get("bibtex") if isinstance(paper.get("input"), Mapping) else None
    key = bib.get("key") if isinstance(bib, Mapping) else None
    return str(key) if key else None


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ..., zz, then 1, 2, 3, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for a in letters:
        for b in letters:
            yield a + b
    for n in count(1):
        yield str(n)


def citation_keys(papers: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Paper id -> citation key for every paper (see the module docstring)."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for p in papers:
        original = bibtex_key_of(p)
        if original and original not in taken:
            keys[p["id"]] = original
            taken.add(original)
    groups: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        if p["id"] not in keys:
            groups[base_key(p)].append(p["id"])
    for base in sorted(groups):
        ids = sorted(set(groups[base]))
        if len(ids) == 1 and base not in taken:
            keys[ids[0]] = base
            taken.add(base)
            continue
        suffix = _suffixes()
        for pid in ids:
            key = base + next(suffix)
            while key in taken:
                key = base + next(suffix)
            keys[pid] = key
            taken.add(key)
    return keys

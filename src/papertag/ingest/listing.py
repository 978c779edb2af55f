"""What the paper-listing pages (profile and paper-list) share: the entry header
line (``41.6CVSep 26, 2023Code``) and author names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fields import MONTHS, iso_date, strip_et_al

HEADER_RE = re.compile(
    r"^(?P<score>\d{1,3}(?:\.\d+)?)?"
    r"(?P<category>[A-Z]{2})"
    r"(?P<date>(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?)"
    r"(?P<code>Code)?$"
)

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
#: "Mingbao", "Chia-Wen", "Chia-wen": the shape of a name's first word.
CLEAN_WORD = re.compile(rf"[{_UP}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)?")
#: "ZhiHang", "LeCun", "McDonald": a short first hump keeps "QuantizationYunshan" out.
_CAMEL_WORD = re.compile(rf"[{_UP}][{_LO}]{{1,3}}[{_UP}][{_LO}]+")
_APOS_WORD = re.compile(rf"[{_UP}][’'][{_UP}][{_LO}]+")
_INITIAL = re.compile(rf"[{_UP}]\.(?:-?[{_UP}]\.)?")
_LOWER_WORD = re.compile(rf"[{_LO}]+")
_PARTICLES = frozenset(
    "van von der den de da di del della la le du dos das bin ibn al el".split()
)


@dataclass(frozen=True)
class Header:
    """A parsed entry header line."""

    score: float | None
    category: str
    date_text: str
    date: str | None  # ISO when the year is given
    year: int | None
    code: bool

    def meta(self) -> dict[str, object]:
        """The header's parts as record meta (``date_text`` only when the year is missing)."""
        meta: dict[str, object] = {"category": self.category, "code": self.code}
        if self.score is not None:
            meta["score"] = self.score
        if self.date is None:
            meta["date_text"] = self.date_text
        return meta


def parse_header(line: str) -> Header | None:
    """``"96.8SDJun 3"`` -> ``Header(score=96.8, category="SD", date_text="Jun 3", ...)``."""
    m = HEADER_RE.match(line.replace("\xa0", " ").strip())
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    date = iso_date(year, MONTHS[m["month"].lower()], int(m["day"])) if year else None
    return Header(
        score=float(m["score"]) if m["score"] else None,
        category=m["category"],
        date_text=m["date"],
        date=date,
        year=year if date else None,
        code=m["code"] is not None,
    )


def is_name(name: str, *, first: bool = False) -> bool:
    """Whether ``name`` looks like one author name of 2-4 words.

    With ``first=True`` the first word must be a clean capitalized word
    ("Yunshan", not "Ts" followed by "QuantizationYunshan" or "LMsYuxin").
    """
    words = name.split(" ")
    if not 2 <= len(words) <= 4:
        return False
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if i == 0 and first:
            ok = bool(CLEAN_WORD.fullmatch(word))
        else:
            ok = bool(
                CLEAN_WORD.fullmatch(word)
                or _CAMEL_WORD.fullmatch(word)
                or _APOS_WORD.fullmatch(word)
                or (not last and _INITIAL.fullmatch(word))
                or (i > 0 and not last and word in _PARTICLES)
                or (i > 0 and last and _LOWER_WORD.fullmatch(word))  # "Mingbao lin"
            )
        if not ok:
            return False
    return True


def parse_author_list(text: str, *, strict_first: bool = False) -> tuple[list[str], bool] | None:
    """``"A B, C D et al."`` -> ``(["A B", "C D"], True)``; ``None`` if not an author list."""
    body, truncated = strip_et_al(text.strip())
    if not body:
        return None
    names = body.split(", ")
    if not all(is_name(n, first=strict_first and i == 0) for i, n in enumerate(names)):
        return None
    return names, truncated

"""Normalize paper text for matching while keeping a map back to the original offsets.

Matching runs on normalized text (Unicode NFKC, LaTeX leftovers removed, line-break
hyphenation joined, whitespace collapsed); evidence must point into the text as the
output schema defines it (``title + "\\n\\n" + abstract`` as written). Every
normalized character therefore remembers the original span it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .records import TITLE_ABSTRACT_SEP

# (pattern, replacement): a str replaces the whole match (each new character maps to the
# whole matched span); an int keeps that group's characters with their own offsets.
_Replacement = str | int | Callable[[re.Match[str]], str]

_LATEX_SYMBOLS = {
    r"\times": "×", r"\sim": "~", r"\approx": "≈", r"\%": "%", r"\&": "&", r"\_": "_",
    r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥", r"\pm": "±", r"\cdot": "·",
    r"\rightarrow": "→", r"\to": "→", r"\ldots": "...", r"\dots": "...", r"\#": "#",
    r"\textasciitilde": "~", r"\mu": "μ", r"\alpha": "α", r"\beta": "β", r"\gamma": "γ",
    r"\lambda": "λ", r"\times\!": "×",
}
_SYMBOL_RE = "|".join(re.escape(k) for k in sorted(_LATEX_SYMBOLS, key=len, reverse=True))
_NOT_JOINED = {"and", "or", "to", "nor", "as", "vs", "versus", "but", "than", "with"}


def _join_hyphenated(m: re.Match[str]) -> str:
    if m.group(2).lower() in _NOT_JOINED:
        return m.group(0)
    return m.group(1) + m.group(2)


def _collapse_space(m: re.Match[str]) -> str:
    return TITLE_ABSTRACT_SEP if "\n\n" in m.group(0) else " "


# (pattern, replacement, triggers): a step runs only on texts holding one of its trigger
# substrings (a cheap ``in`` test), so a clean abstract skips every regex scan.
_STEPS: tuple[tuple[re.Pattern[str], _Replacement, tuple[str, ...]], ...] = (
    # LaTeX mangled by a JSON round trip: "\times" read as a tab + "imes", "\beta" as a backspace + "eta"
    (re.compile(r"\$?\t(imes)(?![a-z])\$?"), "×", ("\times",)),
    (re.compile(r"\x08(eta)(?![a-z])"), "β", ("\x08",)),
    # inline math: $7.98\times$ -> 7.98\times (symbols handled below)
    (re.compile(r"\$([^$\n]{1,120})\$"), 1, ("$",)),
    # \emph{x}, \textbf{x}, \url{x}, \mathrm{x} ... -> x
    (re.compile(r"\\(?:emph|textbf|textit|texttt|textsc|textrm|textsf|mathrm|mathbf|mathit|mathsf|"
                r"mathcal|mathbb|text|url|underline|mbox|operatorname|boldsymbol|bm)\s*\{([^{}]*)\}"), 1, ("\\",)),
    (re.compile(r"\\href\{[^{}]*\}\{([^{}]*)\}"), 1, ("\\href",)),
    (re.compile(_SYMBOL_RE + r"(?![A-Za-z])"), lambda m: _LATEX_SYMBOLS[m.group(0)], ("\\",)),
    # LaTeX tie between words: distillation~(KD)
    (re.compile(r"(?<=[A-Za-z\)\]])~(?=[A-Za-z(\[])"), " ", ("~",)),
    # leftover grouping braces: {\sim}3, {BERT}
    (re.compile(r"[{}]"), "", ("{", "}")),
    # hyphenation across a line break: effi-\ncient -> efficient
    (re.compile(r"([A-Za-z]{2,})-[ \t]*\r?\n[ \t]*([a-z]{2,})"), _join_hyphenated, ("\n",)),
    # PDF hyphenation left as "effi- cient"
    (re.compile(r"([a-z]{2,})- ([a-z]{2,})"), _join_hyphenated, ("- ",)),
    (re.compile(r"\s{2,}|[\t\r\n\f\v]"), _collapse_space, ("  ", "\t", "\r", "\n", "\f", "\v", "\xa0", "\x85",
                                                     "\u2028", "\u2029", "\x1c", "\x1d", "\x1e", "\x1f")),
)

_TRIGGERS = tuple(dict.fromkeys(t for _, _, triggers in _STEPS for t in triggers))


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text plus, per character, the original span ``[starts[i], ends[i])``.

    ``starts is None`` means the text only lost ``shift`` leading characters (and maybe some
    trailing ones): character ``i`` is the original's ``i + shift``. Most abstracts are like that,
    and no per-character map is built for them.
    """

    text: str
    starts: Sequence[int] | None
    ends: Sequence[int] | None
    original_length: int
    shift: int = 0

    def to_original_many(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`to_original` over arrays of non-empty spans (``ends > starts``) at once."""
        if self.starts is None or self.ends is None:
            return starts + self.shift, ends + self.shift
        # a few dozen spans: indexing the lists beats converting them to arrays
        s, e = self.starts, self.ends
        return (np.array([s[i] for i in starts.tolist()], dtype=np.intp),
                np.array([e[i - 1] for i in ends.tolist()], dtype=np.intp))

    def to_original_lists(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """:meth:`to_original_many` for lists (a paper's few dozen spans: no array round trip)."""
        if self.starts is None or self.ends is None:
            shift = self.shift
            return [i + shift for i in starts], [i + shift for i in ends]
        s, e = self.starts, self.ends
        return [s[i] for i in starts], [e[i - 1] for i in ends]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the original text's offsets."""
        if self.starts is None or self.ends is None:
            if end <= start:
                return (start + self.shift, start + self.shift) if start < len(self.text) else \
                    (self.original_length, self.original_length)
            return start + self.shift, end + self.shift
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _nfkc(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    if unicodedata.is_normalized("NFKC", text):
        return text, starts, ends
    out: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    for ch, s, e in zip(text, starts, ends):
        n = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        out.append(n)
        ns.extend([s] * len(n))
        ne.extend([e] * len(n))
    return "".join(out), ns, ne


def _apply(pattern: re.Pattern[str], repl: _Replacement, text: str, starts: list[int] | None,
           ends: list[int] | None) -> tuple[str, list[int] | None, list[int] | None]:
    """One normalization step. ``starts``/``ends`` of ``None`` stand for the identity maps; they are built
    only once the step changes something (most texts a step's triggers let in come out unchanged)."""
    pieces: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        if isinstance(repl, int):
            new_text = m.group(repl)
        else:
            new_text = repl if isinstance(repl, str) else repl(m)
            if new_text == m.group(0):
                continue
        if starts is None or ends is None:
            starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
        a, b = m.span()
        if isinstance(repl, int):
            g0, g1 = m.span(repl)
            new_s, new_e = starts[g0:g1], ends[g0:g1]
        else:  # keep the offsets of characters that survive unchanged at either end
            new_s, new_e = _align(m.group(0), new_text, starts[a:b], ends[a:b])
        pieces.append(text[last:a])
        ns.extend(starts[last:a])
        ne.extend(ends[last:a])
        pieces.append(new_text)
        ns.extend(new_s)
        ne.extend(new_e)
        last = b
    if not pieces:
        return text, starts, ends
    pieces.append(text[last:])
    ns.extend(starts[last:])  # type: ignore[index]
    ne.extend(ends[last:])  # type: ignore[index]
    return "".join(pieces), ns, ne


def _align(old: str, new: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Offsets for ``new`` replacing ``old``: shared prefix/suffix keep theirs, the rest spans the change."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    mid_n = len(new) - p - q
    lo = starts[p] if p < len(starts) else (ends[-1] if ends else 0)
    hi = ends[len(old) - q - 1] if len(old) - q - 1 >= 0 and len(old) - q > p else lo
    s = starts[:p] + [lo] * mid_n + (starts[len(old) - q:] if q else [])
    e = ends[:p] + [hi] * mid_n + (ends[len(old) - q:] if q else [])
    return s, e


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching; see the module docstring.

    >>> n = normalize("speeds up by $7.98\\\\times$ with \\\\emph{KD}")
    >>> n.text
    'speeds up by 7.98× with KD'
    >>> s, e = n.to_original(n.text.index("KD"), n.text.index("KD") + 2)
    >>> "speeds up by $7.98\\\\times$ with \\\\emph{KD}"[s:e]
    'KD'
    """
    out: str = text
    starts: list[int] | None = None  # None while nothing has changed: the maps are the identity
    ends: list[int] | None = None
    if not unicodedata.is_normalized("NFKC", text):
        out, starts, ends = _nfkc(text, list(range(len(text))), list(range(1, len(text) + 1)))
    if starts is not None or any(t in text for t in _TRIGGERS):  # most abstracts: nothing to do
        for pattern, repl, triggers in _STEPS:
            if any(t in out for t in triggers):
                out, starts, ends = _apply(pattern, repl, out, starts, ends)
    if starts is None or ends is None:
        stripped = text.strip()
        return NormalizedText(stripped, None, None, len(text), len(text) - len(text.lstrip()))
    # trim, keeping the maps in step
    lead = len(out) - len(out.lstrip())
    trail = len(out.rstrip())
    return NormalizedText(out[lead:trail], starts[lead:trail], ends[lead:trail], len(text))

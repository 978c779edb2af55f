"""Fast regexes for "any of these literal strings".

Python's ``re`` tries the branches of ``a|b|c|...`` one after another at every position, so a
plain alternation of a few hundred words scans text slowly. The same words arranged as a
trie (``(?:ab(?:c|d)|e)``) share their prefixes, and the engine rejects most positions after
one character; on the corpus that is about ten times faster for the cue lists papertag uses.
:class:`LiteralScanner` gives the same matches as such a regex's ``finditer`` from an
Aho-Corasick automaton (pyahocorasick), several times faster again on long texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

_END = ""  # marks the end of a word in the trie (no real key is empty)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching exactly the given literal strings, longest first at each branch.

    >>> trie_pattern(["fast", "faster", "fp16"])
    'f(?:ast(?:er)?|p16)'
    >>> bool(re.fullmatch(trie_pattern(["a.b", "a+"]), "a.b"))
    True
    """
    trie: dict[str, dict] = {}
    for word in words:
        if not word:
            raise ValueError("trie_pattern() needs non-empty strings; got an empty one")
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not trie:
        raise ValueError("trie_pattern() needs at least one string")
    return _pattern(trie)


def _pattern(node: dict[str, dict]) -> str:
    ends_here = _END in node
    branches = []
    for ch in sorted(k for k in node if k != _END):
        branches.append(re.escape(ch) + _pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # the word may stop here: the rest is optional (greedy, so the longest word wins)
        body = (body if len(branches) > 1 or len(body) == 1 + body.startswith("\\") else f"(?:{body})") + "?"
    return body


def compile_literals(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """:func:`trie_pattern` compiled."""
    return re.compile(trie_pattern(words), flags)


class LiteralScanner:
    """``compile_literals(words).finditer(text)``, from one Aho-Corasick pass over the text.

    The regex finds, scanning left to right, the longest word starting at the first position where
    one starts, then goes on after its end. The automaton reports every occurrence (overlapping ones
    too); :meth:`find` keeps the ones the regex would return: leftmost, longest at that start,
    not overlapping the previous one.
    """

    def __init__(self, words: Iterable[str]) -> None:
        automaton = ahocorasick.Automaton()
        for word in words:
            if not word:
                raise ValueError("LiteralScanner() needs non-empty strings; got an empty one")
            automaton.add_word(word, word)
        if len(automaton) == 0:
            raise ValueError("LiteralScanner() needs at least one string")
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, word)`` of each match, in order."""
        return _leftmost_longest((last + 1 - len(word), -len(word), word) for last, word in self._automaton.iter(text))


def _leftmost_longest(found: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """From every occurrence ``(start, -length, word)``, the ones a trie regex's ``finditer`` returns."""
    out: list[tuple[int, int, str]] = []
    end = 0
    for start, neg_length, word in sorted(found):
        if start >= end:
            end = start - neg_length
            out.append((start, end, word))
    return out


class CaseScanner:
    """Two :class:`LiteralScanner` in one pass: ``exact`` words matched as they are, ``folded`` words
    (lower case) matched in the lower-cased text.

    Both are looked for in the lower-cased text by one automaton; an occurrence of an exact word
    counts where the original text holds that word. That needs the lower-cased text to line up
    with the original one character for character (the same length); where it does not (a few
    rare letters grow when lower-cased), each list gets a pass of its own.
    """

    def __init__(self, exact: Iterable[str], folded: Iterable[str]) -> None:
        self.exact, self.folded = sorted(set(exact)), sorted(set(folded))
        if any(w != w.lower() for w in self.folded):
            raise ValueError("CaseScanner() needs lower-case folded words")
        self._exact = LiteralScanner(self.exact) if self.exact else None
        self._folded = LiteralScanner(self.folded) if self.folded else None
        keys: dict[str, tuple[int, bool]] = {}  # lower-cased word -> (its length, a folded word?)
        for w in self.exact:
            keys.setdefault(w.lower(), (len(w.lower()), False))
        for w in self.folded:
            keys[w] = (len(w), True)
        self._exact_words = set(self.exact)
        self._automaton = None
        if keys:
            automaton = ahocorasick.Automaton()
            for key, value in keys.items():
                automaton.add_word(key, value)
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str, low: str | None = None) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        """The matches ``(start, end, word)`` of the exact words in ``text`` and of the folded words in
        ``low`` (``text.lower()``), each list like :meth:`LiteralScanner.find`."""
        if low is None:
            low = text.lower()
        if self._automaton is None:
            return [], []
        if len(low) != len(text):
            return (self._exact.find(text) if self._exact else [],
                    self._folded.find(low) if self._folded else [])
        exact, folded = [], []
        words = self._exact_words
        for last, (size, is_folded) in self._automaton.iter(low):
            start = last + 1 - size
            if is_folded:
                folded.append((start, -size, low[start:last + 1]))
            if words:
                original = text[start:last + 1]
                if original in words:
                    exact.append((start, -size, original))
        return _leftmost_longest(exact), _leftmost_longest(folded)

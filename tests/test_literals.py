"""Trie-shaped regexes must match exactly what the plain alternation matches."""

from __future__ import annotations

import re

import pytest

from papertag.literals import compile_literals, trie_pattern

WORDS = ["fast", "faster", "fp16", "f", "a+b", "ab", "abc", "x", "speed-up", "speedup", "(ours)", "we propose"]
TEXTS = ["the faster fp16 a+b abc f xx", "fastest ab", "a speed-up, a speedup", "(ours) we propose we prop", ""]


@pytest.mark.parametrize("text", TEXTS)
def test_matches_like_a_longest_first_alternation(text):
    plain = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))
    assert [m.span() for m in compile_literals(WORDS).finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_every_word_matches_itself_fully():
    rx = compile_literals(WORDS)
    assert all(rx.fullmatch(w) for w in WORDS)
    assert not rx.fullmatch("fas")


def test_flags_pass_through():
    assert compile_literals(["gpu"], re.I).search("on a GPU")


@pytest.mark.parametrize("words", [[], [""]])
def test_empty_input_is_refused(words):
    with pytest.raises(ValueError):
        trie_pattern(words)


@pytest.mark.parametrize("text", TEXTS + ["abcabc fasterfast", "aaa", "f" * 5])
def test_the_scanner_finds_what_the_regex_finds(text):
    from papertag.literals import LiteralScanner

    expected = [(m.start(), m.end(), m.group(0)) for m in compile_literals(WORDS).finditer(text)]
    assert LiteralScanner(WORDS).find(text) == expected


def test_the_scanner_agrees_with_the_regex_on_random_text():
    import random

    from papertag.literals import LiteralScanner

    rng = random.Random(7)
    words = ["".join(rng.choice("abc") for _ in range(rng.randint(1, 4))) for _ in range(12)]
    rx, scanner = compile_literals(words), LiteralScanner(words)
    for _ in range(300):
        text = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 40)))
        assert scanner.find(text) == [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def test_the_case_scanner_finds_what_two_scanners_find():
    """One pass over the lower-cased text must give each list exactly what its own scanner gives."""
    import random

    from papertag.literals import CaseScanner, LiteralScanner

    rng = random.Random(11)
    exact = ["A100", "a100", "Ab", "AB", "ABC", "bC", "H100"]
    folded = ["ab", "abc", "c1", "h100"]
    scanner = CaseScanner(exact, folded)
    one_exact, one_folded = LiteralScanner(exact), LiteralScanner(folded)
    for _ in range(400):
        text = "".join(rng.choice("aAbBcC1H0 ") for _ in range(rng.randint(0, 30)))
        assert scanner.find(text) == (one_exact.find(text), one_folded.find(text.lower()))


def test_the_case_scanner_copes_with_letters_that_grow_when_lower_cased():
    from papertag.literals import CaseScanner

    text = "İ on an A100, a100 and AB"  # "İ".lower() is two characters: offsets no longer line up
    assert len(text.lower()) != len(text)
    exact, folded = CaseScanner(["A100", "AB"], ["a100"]).find(text)
    assert exact == [(8, 12, "A100"), (23, 25, "AB")]  # offsets into the text
    assert folded == [(9, 13, "a100"), (15, 19, "a100")]  # offsets into the lower-cased text


def test_the_case_scanner_needs_lower_case_folded_words():
    from papertag.literals import CaseScanner

    with pytest.raises(ValueError):
        CaseScanner([], ["GPU"])

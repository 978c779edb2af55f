"""Normalization for matching keeps a faithful map back to the original offsets."""

from __future__ import annotations

import re

import pytest

from papertag.text import normalize

CASES = [
    ("accelerates it by $7.98\\times$ overall", "accelerates it by 7.98× overall"),
    ("a \\emph{novel} method \\textbf{FastQ}", "a novel method FastQ"),
    ("code at \\url{https://example.org/x}", "code at https://example.org/x"),
    ("Knowledge distillation~(KD) works", "Knowledge distillation (KD) works"),
    ("an effi-\ncient method", "an efficient method"),
    ("an effi- cient method", "an efficient method"),
    ("pre- and post-training", "pre- and post-training"),
    ("ﬁne-tuning", "fine-tuning"),
    ("reduces memory by 40\\% with {\\sim}2x gains", "reduces memory by 40% with ~2x gains"),
    ("many   spaces\nand\tlines", "many spaces and lines"),
    ("Title\n\nAbstract", "Title\n\nAbstract"),
    # "\\times" that went through JSON unescaped arrives as a tab + "imes"
    ("a 3.4$\times$ speedup", "a 3.4× speedup"),
    ("a 3.4\times speedup", "a 3.4× speedup"),
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_normalize(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw,_", CASES)
def test_offsets_map_words_back_to_the_original(raw, _):
    n = normalize(raw)
    if n.starts is None:  # nothing changed: the text itself, maybe trimmed
        assert n.text == raw[n.shift:n.shift + len(n.text)]
    else:
        assert len(n.starts) == len(n.text) == len(n.ends)
    for m in re.finditer(r"[A-Za-z]+", n.text):
        s, e = n.to_original(*m.span())
        original = raw[s:e]
        # the word is there as written (ligatures and hyphenation aside)
        squashed = re.sub(r"-\s*", "", original).replace("ﬁ", "fi")
        assert squashed == m.group(0), (m.group(0), original)


def test_a_trigger_that_changes_nothing_builds_no_offset_maps():
    n = normalize(" pre- and post-training ")
    assert n.starts is None and n.text == "pre- and post-training" and n.shift == 1
    assert n.to_original(0, 3) == (1, 4)


def test_latex_symbol_maps_to_its_source():
    raw = "by $7.98\\times$"
    n = normalize(raw)
    i = n.text.index("×")
    s, e = n.to_original(i, i + 1)
    assert raw[s:e] == "\\times"

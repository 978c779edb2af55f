"""Cue occurrences from one Aho-Corasick pass give what a substring test of each sentence gives."""

from __future__ import annotations

import pytest

from papertag.nlp import sentence_starts
from papertag.rules.cues import CueFinder

TEXT = ("In this paper we propose X. Existing work is slow, e.g. on phones. Nothing here! "
        "We present (Y).\n\nPrior work failed, e.g.\nIt ends with wORK")


def per_sentence(cues: list[str], text: str) -> set[int]:
    starts = sentence_starts(text) + [len(text)]
    low = text.lower()
    return {i for i, (a, b) in enumerate(zip(starts, starts[1:])) if any(c.lower() in low[a:b] for c in cues)}


@pytest.mark.parametrize("cues", [
    ["we propose", "we present"],
    ["existing", "prior work"],
    ["e.g."],                               # can run across a sentence end ("e.g.\nIt")
    ["e.g.\nit", "slow, e.g. on phones. n"],  # only across sentence ends: never inside one
    ["work", "or"],                          # overlapping occurrences
    ["We Propose"],                          # cues are lower-cased
    ["absent"],
])
def test_sentences_agree_with_a_substring_test_of_each_sentence(cues):
    hits = CueFinder({"cue": cues, "other": ["phones"]}).find(TEXT.lower())
    assert hits.sentences("cue", sentence_starts(TEXT)) == per_sentence(cues, TEXT)


def test_anywhere_and_lists_sharing_a_cue():
    finder = CueFinder({"gate": ["efficien", "slow"], "background": ["existing", "slow"], "empty": []})
    hits = finder.find(TEXT.lower())
    assert hits.anywhere("gate") and hits.anywhere("background") and not hits.anywhere("empty")
    assert hits.sentences("gate", sentence_starts(TEXT)) == {1}
    assert not CueFinder({"gate": ["efficien"]}).find("fast models").anywhere("gate")
    assert not CueFinder({"gate": []}).find("anything").anywhere("gate")

"""How rule hits become evidence and scores: offsets, vetoes, context, hierarchy."""

from __future__ import annotations

import pytest
import spacy

from papertag.rules import load_rules
from papertag.rules.engine import RuleEngine, prepare


def test_evidence_offsets_point_into_the_output_text(small_engine):
    title, abstract = "Fast $4\\times$ \\emph{Quantization}", "We propose PTQ for GPUs."
    res = small_engine.apply_one(title, abstract)
    text = title + "\n\n" + abstract
    for hits in res.hits.values():
        for h in hits:
            assert text[h.start:h.end] == h.text
    assert [h.text for h in res.hits["technique/quantization/post_training"]] == ["PTQ"]


def test_title_and_proposal_hits_tag_but_a_passing_mention_does_not(small_engine):
    assert small_engine.apply_one("Quantization of detectors").scores["technique/quantization"] >= 0.5
    assert small_engine.apply_one("", "We propose to quantize detectors.").scores["technique/quantization"] >= 0.5
    passing = small_engine.apply_one("", "Existing methods such as quantization are limited. Captions are long.")
    assert passing.scores["technique/quantization"] < 0.5
    assert passing.hits["technique/quantization"][0].context == "background"


def test_two_neutral_mentions_add_up(small_engine):
    one = small_engine.apply_one("", "Quantization helps. The data are images.").scores["technique/quantization"]
    two = small_engine.apply_one("", "Quantization helps. Quantization is cheap.").scores["technique/quantization"]
    assert two > one


def test_overlap_veto_suppresses_only_the_overlapping_hit(small_engine):
    res = small_engine.apply_one("Vector quantization for tokenizers")
    assert "technique/quantization" not in res.scores
    assert any(h.veto for h in res.fired)
    res = small_engine.apply_one("Vector quantization and weight quantization")
    assert [h.text for h in res.hits["technique/quantization"]] == ["quantization"]
    assert res.hits["technique/quantization"][0].start == len("Vector quantization and weight ")


def test_sentence_veto_suppresses_the_sentence(small_engine):
    res = small_engine.apply_one("", "We improve score distillation sampling with distillation tricks.")
    assert "technique/distillation" not in res.scores


def test_child_implies_parent(small_engine):
    res = small_engine.apply_one("PTQ for detectors")
    child = res.scores["technique/quantization/post_training"]
    assert res.scores["technique/quantization"] >= child
    assert res.hits["technique/quantization"][0].rule == "quant.ptq"


def test_efficiency_gate_lowers_technique_scores_of_papers_not_about_efficiency(small_engine):
    gated = small_engine.apply_one("", "We propose to use distillation for captioning.")
    open_ = small_engine.apply_one("", "We propose to use distillation for efficient captioning.")
    assert not gated.efficiency_cue and open_.efficiency_cue
    assert gated.scores["technique/distillation"] < open_.scores["technique/distillation"]


def test_batch_results_match_one_by_one(small_engine):
    papers = [("Quantization", ""), ("", "GPUs and PTQ."), ("nothing here", "at all"), ("", "")]
    batch = list(small_engine.apply(papers, batch_size=2))
    assert [r.scores for r in batch] == [small_engine.apply_one(t, a).scores for t, a in papers]


def test_prepare_title_only_and_abstract_only():
    assert prepare("T", "").text == "T"
    assert prepare("", "A b").text == "A b"
    p = prepare("Ti\\emph{t}", "Ab")
    assert p.text == "Ti\\emph{t}\n\nAb"
    assert p.norm.text == "Tit\n\nAb"
    assert p.title_end == 3
    s, e = p.norm.to_original(5, 7)
    assert p.text[s:e] == "Ab"


def test_pattern_anchor_picks_a_required_word():
    from papertag.rules.engine import pattern_anchor

    pattern = [{"LOWER": {"IN": ["2", "4"]}}, {"ORTH": "-"}, {"LOWER": {"IN": ["bit", "bits"]}},
               {"LEMMA": "weight", "OP": "?"}]
    assert pattern_anchor(pattern) == ("LOWER", {"bit", "bits"})
    assert pattern_anchor([{"IS_DIGIT": True}, {"ORTH": "-"}]) is None


def test_skipping_the_token_matcher_never_changes_results(engine):
    """Non-regression: the anchor pre-check only skips papers the token patterns cannot match."""
    texts = [("Pruning tokens for fast ViTs", "We prune redundant tokens and data samples."),
             ("4-bit weights", "Weights quantized to 4 bits and 2-bit quantization of LLMs."),
             ("Birds", "Nothing here."), ("", "Token pruning and rollout pruning speed up RL.")]
    fast = [r.scores for r in engine.apply(texts)]
    saved = engine._anchors
    try:
        engine._anchors = None
        slow = [r.scores for r in engine.apply(texts)]
    finally:
        engine._anchors = saved
    assert fast == slow


def test_token_matcher_windows_find_what_the_whole_doc_gives(engine):
    """The token Matcher runs only around anchor words; it must find exactly what a whole-doc run finds."""
    text = ("We prune visual tokens before the decoder. Weights are quantized to 4-bit precision, "
            "and activations go to 8 - bits integers. Models quantized into 3 bits keep their accuracy; "
            "the pruner also drops data samples. Nothing else here is about bit-widths or pruning.")
    doc = engine.nlp(text)
    whole = sorted((engine.nlp.vocab.strings[m], s, e) for m, s, e in engine._token(doc))
    assert whole, "the example should exercise the token patterns"
    windowed = sorted(
        (engine.nlp.vocab.strings[m], s + a, e + a) for a, b in engine._token_windows(doc)
        for m, s, e in engine._token(doc[a:b])
    )
    assert windowed == whole


def test_no_token_window_without_an_anchor_word(engine):
    assert engine._token_windows(engine.nlp("Quantized detectors run on phones.")) == []
    assert engine._token_windows(engine.nlp("")) == []


def test_token_patterns_may_test_any_lexeme_attribute(taxonomy, tmp_path):
    """The shared pipeline computes only a few lexeme attributes up front; a rule that tests another one
    (LIKE_NUM here) still matches, on words the pipeline met before the rule was loaded too."""
    from papertag.nlp import get_nlp

    from .conftest import engine_from_rules

    get_nlp()("We report 1234 results.")  # the lexeme "1234" exists before the rule is compiled
    engine = engine_from_rules(taxonomy, tmp_path, (
        "rules:\n  - id: quant.bits\n    label: technique/quantization\n    weight: 0.9\n"
        "    patterns: [[{LIKE_NUM: true}, {LOWER: bits}]]\n"))
    for number in ("1234", "5678"):
        res = engine.apply_one(f"Quantization to {number} bits")
        assert [h.text for h in res.hits["technique/quantization"]] == [f"{number} bits"]



def test_lemma_patterns_match_inflected_forms_on_bare_tokens(taxonomy, tmp_path):
    """LEMMA phrase and token patterns match any form of their words, on docs from ``tokenize`` (no lemmatizer
    ran) exactly as on docs from the whole pipeline."""
    from .conftest import engine_from_rules

    engine = engine_from_rules(taxonomy, tmp_path, (
        "rules:\n  - id: prune.tokens\n    label: technique/token_reduction\n    weight: 0.9\n    attr: LEMMA\n"
        "    patterns: [prune token]\n"
        "  - id: quant.weights\n    label: technique/quantization\n    weight: 0.9\n"
        "    patterns: [[{LEMMA: quantize}, {LOWER: weights}]]\n"))
    text = "Pruned Tokens and pruning tokens. We quantized weights; Quantizing WEIGHTS too."
    res = engine.apply_one(text)
    assert [h.text for h in res.hits["technique/token_reduction"]] == ["Pruned Tokens", "pruning tokens"]
    assert [h.text for h in res.hits["technique/quantization"]] == ["quantized weights", "Quantizing WEIGHTS"]
    prepared = [prepare(text, "")]
    on_tokens = engine.apply_docs(list(engine.tokenize([prepared[0].norm.text])), prepared)
    on_pipeline = engine.apply_docs([engine.nlp(prepared[0].norm.text)], prepared)
    assert on_tokens[0].hits == on_pipeline[0].hits == res.hits


def test_an_engine_needs_papertags_pipeline(taxonomy):
    with pytest.raises(ValueError, match="build_nlp"):
        RuleEngine(load_rules(taxonomy), taxonomy, nlp=spacy.blank("en"))


def test_lower_and_orth_phrases_match_only_their_own_words(taxonomy, tmp_path):
    """All phrases share one matcher on lemmas; a LOWER or ORTH phrase must still match only its exact words."""
    from .conftest import engine_from_rules

    engine = engine_from_rules(taxonomy, tmp_path, (
        "rules:\n  - id: hw.gpus\n    label: hardware/gpu\n    weight: 0.9\n    attr: ORTH\n    patterns: [GPUs]\n"
        "  - id: arch.lms\n    label: architecture/llm\n    weight: 0.9\n    patterns: [language models]\n"
        "  - id: arch.lm\n    label: architecture/llm\n    weight: 0.9\n    attr: LEMMA\n    patterns: [big model]\n"))
    res = engine.apply_one("GPUs, GPU, gpus; Language Models, language model; big models, Big Model")
    assert [h.text for h in res.hits["hardware/gpu"]] == ["GPUs"]
    assert [(h.rule, h.text) for h in res.hits["architecture/llm"]] == [
        ("arch.lms", "Language Models"), ("arch.lm", "big models"), ("arch.lm", "Big Model")]


@pytest.mark.parametrize("title,abstract", [
    ("  Plain title", "  Plain abstract, nothing to normalize."),
    ("Fast $4\\times$ \\emph{Quantization}", "We  propose\nPTQ for effi-\ncient GPUs."),
    ("Plain title", "We  propose\nPTQ."),
    ("", "  Abstract only, $2\\times$ faster."),
    ("Title only  here", ""),
])
def test_offsets_map_the_same_from_lists_arrays_and_one_by_one(title, abstract):
    """The rule engine maps a paper's spans with ``to_original_lists``; it must agree with the array and
    one-span forms, for spans in the title, in the abstract and across the separator."""
    import numpy as np

    norm = prepare(title, abstract).norm
    n = len(norm.text)
    spans = [(s, e) for s in range(0, n, 3) for e in range(s + 1, min(n, s + 9) + 1, 4)]
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    one_by_one = [norm.to_original(s, e) for s, e in spans]
    o0, o1 = norm.to_original_lists(starts, ends)
    a0, a1 = norm.to_original_many(np.array(starts), np.array(ends))
    assert list(zip(o0, o1)) == one_by_one == list(zip(a0.tolist(), a1.tolist()))

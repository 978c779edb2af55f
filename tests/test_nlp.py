"""The shared spaCy pipeline: lower-case lemmas, sentence starts, and lexeme attributes computed on demand."""

from __future__ import annotations

from papertag.nlp import build_nlp, require_lex_attrs, sentence_starts


def test_lemmas_are_lookup_lemmas_of_the_lower_case_form():
    doc = build_nlp()("Quantized models quantize")
    assert [t.lemma_ for t in doc] == ["quantize", "model", "quantize"]


def test_core_lexeme_attributes_are_always_set():
    doc = build_nlp()("Pruning, done ; twice")
    assert [t.lower_ for t in doc] == ["pruning", ",", "done", ";", "twice"]
    assert [t.is_punct for t in doc] == [False, True, False, True, False]


def test_a_required_attribute_is_filled_in_on_words_already_seen_and_on_new_ones():
    nlp = build_nlp()
    seen = nlp("Speedup of 42 on x.com")
    assert not seen[2].like_num  # deferred: nothing asked for it yet
    require_lex_attrs(nlp.vocab, ["LIKE_NUM", "SHAPE", "OP", "NOT_AN_ATTRIBUTE"])
    assert seen[2].like_num and seen[0].shape_ == "Xxxxx"
    fresh = nlp("Speedups of 77")
    assert fresh[2].like_num and fresh[0].shape_ == "Xxxxx"
    assert not seen[4].like_url  # still deferred


def test_sentence_starts():
    text = "One sentence. Two (here). 3 starts a third.\n\nFourth"
    starts = sentence_starts(text)
    assert [text[s:s + 3] for s in starts] == ["One", "Two", "3 s", "Fou"]


def test_a_words_norm_is_its_lemma_whatever_the_tokenizer_exceptions_say():
    """The rules match LEMMA patterns on NORM, so every token's norm must be its lower-case lemma; spaCy's
    tokenizer exceptions would set their own ("Jan." -> "January")."""
    doc = build_nlp()("Quantized models in Jan. were Pruning tokens")
    assert [t.norm_ for t in doc] == ["quantize", "model", "in", "jan.", "be", "prune", "token"]
    assert [t.lemma_ for t in doc] == [t.norm_ for t in doc]


def test_words_the_vocabulary_held_before_the_pipeline_was_built_get_lemma_norms_too():
    nlp = build_nlp()
    doc = nlp.make_doc("Were they")  # "were" and "they" come with blank("en") (tokenizer exceptions)
    assert [t.norm_ for t in doc] == ["be", "they"]

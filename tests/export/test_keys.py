"""Citation keys: readable, stable under reordering, unique, original BibTeX keys kept."""

from __future__ import annotations

import random

from papertag.export.keys import base_key, citation_keys


def p(pid, title, year=None, authors=(), bib=None):
    out = {"id": pid, "title": title, "authors": list(authors)}
    if year:
        out["year"] = year
    if bib:
        out["input"] = {"file": "refs.bib", "line": 1, "bibtex": {"key": bib, "type": "article", "fields": {}}}
    return out


def test_base_key_is_author_year_first_word():
    assert base_key(p("1", "The Power of Scale for Prompt Tuning", 2021, ["Brian Lester"])) == "lester2021power"
    assert base_key(p("1", "On Distillation", 2020, ["Hinton, Geoffrey"])) == "hinton2020distillation"
    assert base_key(p("1", "2:4 Sparsity Everywhere", 2025, ["José Müller-Lüdenscheidt"])) == \
        "mullerludenscheidt2025sparsity"
    assert base_key(p("1", "A", None, [])) == "anonnduntitled"
    assert base_key(p("1", "Faster Nets", 2019, ["Martin Luther King Jr."])) == "king2019faster"


def test_clashes_get_letters_in_id_order_whatever_the_input_order():
    papers = [p("b", "Efficient Nets", 2024, ["A. Smith"]), p("a", "Efficient Nets II", 2024, ["B. Smith"]),
              p("c", "Other", 2024, ["C. Jones"])]
    keys = citation_keys(papers)
    assert keys == {"a": "smith2024efficienta", "b": "smith2024efficientb", "c": "jones2024other"}
    shuffled = papers[:]
    random.Random(3).shuffle(shuffled)
    assert citation_keys(shuffled) == keys


def test_original_bibtex_keys_are_kept_and_never_reused():
    papers = [p("x", "Efficient Nets", 2024, ["A. Smith"], bib="smith2024efficient"),
              p("y", "Efficient Nets Again", 2024, ["A. Smith"])]
    keys = citation_keys(papers)
    assert keys["x"] == "smith2024efficient"
    assert keys["y"] == "smith2024efficienta"
    assert len(set(keys.values())) == 2


def test_many_clashes_stay_unique():
    papers = [p(f"{i:03d}", "Same Title", 2024, ["Ann Lee"]) for i in range(30)]
    keys = citation_keys(papers)
    assert len(set(keys.values())) == 30
    assert keys["000"] == "lee2024samea" and keys["026"] == "lee2024sameaa"

"""BibTeX export: parse our own output back with bibtexparser; BibTeX inputs keep key and fields."""

from __future__ import annotations

import bibtexparser
import pytest

from papertag.export import citation_keys, write_bibtex
from papertag.ingest import read_records
from papertag.tagger import Tagger

REFS = """% hand-written references
@article{moreno2024four,
  title   = {{BERT} Goes {Four-Bit}: Quantizing \\emph{all} Encoders},
  author  = {Moreno, Ada and Kenji Hal},
  journal = {Journal of Efficient Models},
  year    = {2024},
  month   = jun,
  abstract = {We quantize encoder weights and activations to 4 bits.},
  doi     = {10.1234/jem.2024.4},
  keywords = {quantization, encoders},
  note = "Oral, 100% \\& more",
}

@inproceedings{fisch2023pruning,
  title = "Pruning Attention Heads by Gradient Flow",
  author = "Fisch, Lena and Diallo, Omar",
  booktitle = {Proceedings of the Vision Conference},
  year = 2023,
}
"""


def parse(text):
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    return lib


@pytest.fixture
def bib_papers(tmp_path, engine):
    path = tmp_path / "refs.bib"
    path.write_text(REFS, encoding="utf-8")
    records = read_records([str(path)]).records
    return [t.to_dict() for t in Tagger(engine=engine, with_claims=False).tag(records)]


def test_bibtex_inputs_keep_their_keys_and_fields(bib_papers, taxonomy):
    text = write_bibtex(bib_papers, citation_keys(bib_papers), taxonomy, "technique", include_unlabelled=True)
    lib = parse(text)
    original = {e.key: e for e in parse(REFS).entries}
    out = {e.key: e for e in lib.entries}
    assert set(out) == {"moreno2024four", "fisch2023pruning"}
    for key, entry in original.items():
        got = out[key]
        assert got.entry_type == entry.entry_type
        for f in entry.fields:
            assert got.fields_dict[f.key].value == f.value, (key, f.key)
    assert "month = jun," in text  # a macro stays a macro
    assert out["moreno2024four"].fields_dict["keywords"].value == "quantization, encoders"  # kept as it was
    assert "technique/quantization" in out["moreno2024four"].fields_dict["papertags"].value
    assert "technique/pruning" in out["fisch2023pruning"].fields_dict["keywords"].value  # added: it had none


def test_generated_entries_parse_back(taxonomy):
    papers = [
        {"id": "arxiv:2401.00001", "title": "Fast & Small: 50% Fewer_Tokens for {ViT}s", "year": 2024,
         "authors": ["Ada Lovelace", "Alan Turing"], "labels": {"technique": ["token_reduction"],
                                                               "modality": ["image"]}},
        {"id": "doi:10.1/x", "title": "Quantized Nets", "year": 2019, "venue": "CVPR 2019", "doi": "10.1/x",
         "authors": ["Grace Hopper"], "labels": {"technique": ["quantization", "token_reduction"]}},
        {"id": "j", "title": "Pruned Nets", "venue": "IEEE Transactions on Things", "authors": [],
         "labels": {"technique": ["pruning"]}},
    ]
    keys = citation_keys(papers)
    lib = parse(write_bibtex(papers, keys, taxonomy, "technique"))
    out = {e.key: e for e in lib.entries}
    assert set(out) == {"lovelace2024fast", "hopper2019quantized", "anonndpruned"}
    a = out["lovelace2024fast"]
    assert a.entry_type == "misc" and a.fields_dict["eprint"].value == "2401.00001"
    assert a.fields_dict["title"].value == r"Fast \& Small: 50\% Fewer\_Tokens for \{ViT\}s"
    assert a.fields_dict["author"].value == "Ada Lovelace and Alan Turing"
    assert a.fields_dict["keywords"].value == "technique/token_reduction, modality/image"
    b = out["hopper2019quantized"]
    assert b.entry_type == "inproceedings" and b.fields_dict["booktitle"].value == "CVPR 2019"
    assert b.fields_dict["year"].value == "2019" and b.fields_dict["doi"].value == "10.1/x"
    assert out["anonndpruned"].entry_type == "article"


def test_groups_follow_the_taxonomy_and_each_entry_is_written_once(taxonomy):
    papers = [{"id": "1", "title": "Quantized and Pruned", "year": 2023, "authors": ["A. B"],
               "labels": {"technique": ["quantization", "pruning"]}},
              {"id": "2", "title": "Pruned Only", "year": 2024, "authors": ["C. D"],
               "labels": {"technique": ["pruning"]}},
              {"id": "3", "title": "Nothing", "year": 2024, "authors": ["E. F"], "labels": {"technique": []}}]
    text = write_bibtex(papers, citation_keys(papers), taxonomy, "technique")
    lib = parse(text)
    assert [e.key for e in lib.entries] == ["b2023quantized", "d2024pruned"]  # "3" has no technique: left out
    assert text.index("technique: quantization") < text.index("technique: pruning")
    pruning = text[text.index("technique: pruning"):]
    assert "% also: b2023quantized" in pruning and pruning.index("d2024pruned") < pruning.index("% also")

"""BibTeX via bibtexparser 2.x."""

from __future__ import annotations

import pytest

from papertag.errors import IngestError
from papertag.ingest import parse_text
from papertag.ingest.bibtex import bibtex_name, split_bibtex_authors, strip_braces


def test_bibtex_fields(read_one):
    first, second, third = read_one("refs.bib")
    assert first.source_line == 2
    assert first.title == r"BERT Goes Four-Bit: Quantizing \emph{all} Encoders"
    assert first.abstract == (
        "We quantize encoder weights and activations to 4 bits "
        "and keep accuracy within 0.5 points & release code."
    )
    assert first.authors == ("Ada Moreno", "Kenji Hal", "Deep Learning Group")
    assert first.year == 2024 and first.date == "2024-06"
    assert first.venue == "Journal of Efficient Models"
    assert first.id == "doi:10.1234/jem.2024.4"
    assert first.meta["bibtex_key"] == "moreno2024four"
    assert first.meta["entry_type"] == "article"
    assert first.meta["keywords"] == ["quantization", "encoders"]

    assert second.source_line == 14
    assert second.abstract == ""  # no abstract: title only
    assert second.authors == ("Lena Fisch", "Omar Diallo")
    assert second.meta["authors_truncated"] is True  # "and others"
    assert second.venue == "Proceedings of the Vision Conference"  # booktitle
    assert second.arxiv_id == "2306.01234" and second.id == "arxiv:2306.01234"
    assert second.meta["categories"] == ["cs.CV"]

    assert third.year is None and third.date is None and third.authors == ()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("{BERT}", "BERT"),
        ("{{ViT}} on {GPUs}", "ViT on GPUs"),
        (r"\emph{all} layers", r"\emph{all} layers"),
        ("Pruning \\& Merging", "Pruning & Merging"),
        ("Two\n   lines", "Two lines"),
    ],
)
def test_strip_braces(raw, clean):
    assert strip_braces(raw) == clean


@pytest.mark.parametrize(
    ("raw", "name"),
    [("Moreno, Ada", "Ada Moreno"), ("Ada Moreno", "Ada Moreno"), ("King, Jr, Martin", "Martin King Jr")],
)
def test_bibtex_name(raw, name):
    assert bibtex_name(raw) == name


def test_and_inside_braces_is_not_a_separator():
    assert split_bibtex_authors("{Smith and Sons} and Doe, Jane") == (("Smith and Sons", "Jane Doe"), False)


def test_duplicate_citation_key_still_reads_both_papers():
    text = "@misc{k, title={First}}\n@misc{k, title={Second}}\n"
    recs = list(parse_text(text, name="d.bib"))
    assert [r.title for r in recs] == ["First", "Second"]
    assert recs[1].meta["duplicate_key"] is True


def test_entry_without_title_or_abstract_is_an_error():
    with pytest.raises(IngestError, match=r"n\.bib, line 1: empty record"):
        list(parse_text("@misc{k, author={A B}, year={2020}}\n", name="n.bib"))


def test_entry_keeps_its_fields_as_written(read_one):
    """Exports write BibTeX entries back with their own key and fields (``papertag export bibtex``)."""
    first, second, _ = read_one("refs.bib")
    fields = first.meta["bibtex_fields"]
    assert list(fields) == ["title", "author", "journal", "year", "month", "abstract", "doi", "keywords"]
    assert fields["title"] == r"{BERT} Goes {Four-Bit}: Quantizing \emph{all} Encoders"  # inner braces kept
    assert fields["author"] == "Moreno, Ada and Kenji Hal and {Deep Learning Group}"
    assert first.meta["bibtex_bare"] == ["month"]  # `month = jun` is a macro, not a string
    assert second.meta["bibtex_fields"]["archivePrefix"] == "arXiv"  # key case as written


def test_tagged_output_carries_the_bibtex_entry(read_one, engine):
    from papertag.tagger import Tagger

    first = read_one("refs.bib")[0]
    out = next(Tagger(engine=engine, with_claims=False).tag([first])).to_dict()
    bib = out["input"]["bibtex"]
    assert bib["key"] == "moreno2024four" and bib["type"] == "article"
    assert bib["fields"]["doi"] == "10.1234/jem.2024.4" and bib["bare"] == ["month"]
    assert out["input"]["line"] == 2

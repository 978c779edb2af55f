"""CSV and TSV with a header row."""

from __future__ import annotations

import pytest

from papertag.errors import IngestError
from papertag.ingest import Format, parse_text


def test_csv_fields_and_multiline_rows(read_one):
    recs = read_one("papers.csv")
    # row 1 spans lines 2-3 (quoted newline), so row 2 starts on line 4
    assert [r.source_line for r in recs] == [2, 4, 5]
    first, second, third = recs
    assert first.title == "Channel Pruning with Lottery Tickets"
    assert first.abstract == (
        "We find sparse subnetworks early in training.\n"
        "A second line of the same abstract, with a comma."
    )
    assert first.authors == ("Ana Lopes", "Ben Carter")  # ";"-separated
    assert first.year == 2021 and first.venue == "ICLR"
    assert first.doi is None and first.arxiv_id is None

    assert second.title == "Quantized, Distilled and Merged"
    assert second.authors == ("Chen Wu", "Dana Roe")  # " and "-separated
    assert second.doi == "10.5555/qdm.2020"
    assert second.arxiv_id == "2005.00111"  # column "arXiv ID"
    assert second.id == "doi:10.5555/qdm.2020"
    assert second.year is None
    assert second.meta == {"extra note": "seen at a workshop"}

    assert third.year is None and third.meta["year_text"] == "n.d."
    assert third.authors == ()


def test_tsv(read_one):
    recs = read_one("papers.tsv")
    assert [r.id for r in recs] == ["tsv-1", "tsv-2"]
    assert recs[0].authors == ("Eva Stone", "Finn Ward")  # ","-separated
    assert recs[0].date == "2024-03-05" and recs[0].year == 2024
    assert recs[1].abstract == "" and recs[1].year == 2020
    assert [r.source_line for r in recs] == [2, 3]


def test_semicolon_delimited_csv():
    text = "title;abstract;year\nPruning GANs;We prune a GAN.;2020\n"
    (rec,) = parse_text(text, name="s.csv", input_format=Format.CSV)
    assert (rec.title, rec.abstract, rec.year) == ("Pruning GANs", "We prune a GAN.", 2020)


def test_blank_rows_are_ignored_and_lines_still_count():
    text = "title,abstract\n\nFirst,a\n,\nSecond,b\n"
    recs = list(parse_text(text, name="b.csv"))
    assert [(r.title, r.source_line) for r in recs] == [("First", 3), ("Second", 5)]


def test_only_abstract_column_is_enough():
    (rec,) = parse_text("abstract,year\nAn abstract.,2001\n", name="a.csv")
    assert rec.title == "" and rec.abstract == "An abstract."


def test_forcing_tsv_on_comma_file_reports_header():
    with pytest.raises(IngestError, match=r"c\.csv, line 1: TSV header has no 'title' or 'abstract'"):
        list(parse_text("title,abstract\nA,b\n", name="c.csv", input_format="tsv"))

"""Telling the format from content, and forcing one."""

from __future__ import annotations

import pytest

from papertag.errors import UnknownFormatError
from papertag.ingest import Format, parse_text, read_records, sniff_format

FILES = [
    ("papers.jsonl", Format.JSONL),
    ("papers.json", Format.JSON),
    ("single.json", Format.JSON),
    ("papers.csv", Format.CSV),
    ("papers.tsv", Format.TSV),
    ("refs.bib", Format.BIBTEX),
    ("feed.xml", Format.ATOM),
    ("profile.txt", Format.PROFILE),
    ("paperlist.txt", Format.PAPERLIST),
    ("abstracts.txt", Format.ABSTRACTS),
    ("plain.txt", Format.TEXT),
]

TEXTS = [
    ('{"title": "one line"}', Format.JSONL),
    ('not json\n{"title": "a"}\n{"title": "b"}\n', Format.JSONL),  # bad first line, still JSONL
    ('{\n  "title": "pretty"\n}\n', Format.JSON),
    ("  [\n]", Format.JSON),
    ('[\n{"title": "a"},\n{"title": "b"},\n{"title": "c"}\n]\n', Format.JSON),  # one element a line
    ("% comment\n\n@Article{k,\n title={T}}\n", Format.BIBTEX),
    ("This file was created by a reference manager.\n\n@inproceedings{k,\n title={T}}\n", Format.BIBTEX),
    ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>', Format.ATOM),
    ("abstract: lower-case prefix works too\nAbstract: second\n", Format.ABSTRACTS),
    ("Id;Title;Year\n1;T;2020\n", Format.CSV),
    ("id,year\n1,2020\n", Format.CSV),  # a CSV without a title column is still CSV (error later)
    ("Pruning, quantization and distillation\nA survey.\n", Format.TEXT),  # commas in a title
    ("Title: a subtitle\nAbstract text here.\n", Format.TEXT),
    ("Abstract: one\nAnd a title\nAnother title\nThird\n", Format.TEXT),  # "Abstract:" lines not a majority
    ("CVMay 3\nTitleAnn Lee, Bo Kim\n", Format.PAPERLIST),
    ("CVMay 3\nTitle\n\nAnn Lee, Bo Kim\n", Format.PROFILE),
]


@pytest.mark.parametrize(("name", "expected"), FILES)
def test_sniff_fixture_files(data, name, expected):
    assert sniff_format((data / name).read_text(encoding="utf-8"), name=name) is expected


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_sniff_texts(text, expected):
    assert sniff_format(text) is expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("<html><body>Not a feed</body></html>", "no Atom <feed>"),
        ("\x00\x01\x02 binary", "control characters"),
        ("x" * 1000 + "\n", "longer than"),
    ],
)
def test_unknown_format_lists_formats(text, why):
    with pytest.raises(UnknownFormatError, match=why) as info:
        sniff_format(text, name="mystery.dat")
    message = str(info.value)
    assert message.startswith("mystery.dat: ")
    assert "expected one of: jsonl, json, csv, tsv, bibtex, atom, profile, paperlist, abstracts, text" in message
    assert info.value.line is None


@pytest.mark.parametrize(
    ("name", "forced", "n"),
    [
        ("paperlist.txt", Format.TEXT, 1),  # no blank lines: one block
        ("abstracts.txt", "text", 1),
        ("plain.txt", Format.ABSTRACTS, 0),  # wrong format forced: no record is right
        ("papers.jsonl", "jsonl", 4),
    ],
)
def test_forcing_a_format(data, name, forced, n):
    skipped: list = []
    recs = list(parse_text((data / name).read_text(), name=name, input_format=forced,
                           on_error="skip", skipped=skipped))
    assert len(recs) == n
    if n == 0:
        assert skipped and "expected a line starting with 'Abstract:'" in skipped[0].reason


def test_read_records_reports_formats(data):
    result = read_records([str(data / name) for name, _ in FILES])
    assert result.formats == {str(data / name): fmt for name, fmt in FILES}
    forced = read_records([str(data / "plain.txt")], input_format="text")
    assert forced.formats == {str(data / "plain.txt"): Format.TEXT}


def test_unknown_format_name_is_a_value_error():
    with pytest.raises(ValueError, match="unknown input format 'yaml'; expected one of: jsonl"):
        parse_text("x", name="x", input_format="yaml")


def test_format_values_are_cli_names():
    assert [f.value for f in Format] == [
        "jsonl", "json", "csv", "tsv", "bibtex", "atom", "profile", "paperlist", "abstracts", "text",
    ]
    assert Format("jsonl") is Format.JSONL and str(Format.CSV) == "csv"

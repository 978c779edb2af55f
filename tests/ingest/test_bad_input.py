"""Bad input: every case gives an IngestError naming file, line and what was
expected; skip mode keeps every good record and reports every bad one."""

from __future__ import annotations

import os
import re

import pytest

from papertag.errors import IngestError, SkippedRecord, UnknownFormatError
from papertag.ingest import iter_records, parse_text, read_records

LATIN1 = "Café au lait\nAbstract about quantization.\n".encode("latin-1")

# (case id, file name, content, expected line, message pattern)
BAD_FILES = [
    ("latin1", "latin.txt", LATIN1, 1,
     r"not valid UTF-8: byte 0xe9 at column 4.*iconv -f latin1 -t utf-8"),
    ("utf16", "wide.jsonl", '{"title": "x"}\n'.encode("utf-16"), None, r"UTF-16 encoded, expected UTF-8.*iconv"),
    ("jsonl-malformed", "bad.jsonl", '{"title": "ok"}\n{"title": "broken\n', 2,
     r"expected a JSON object, got malformed JSON: Unterminated string"),
    ("jsonl-not-object", "list.jsonl", '{"title": "ok"}\n["a", "b"]\n', 2,
     r'expected a JSON object, got an array \(\["a", "b"\]\)'),
    ("jsonl-bad-field-type", "type.jsonl", '{"title": ["a", "b"]}\n', 1,
     r"field 'title': expected a string, got a list"),
    ("jsonl-bad-authors", "auth.jsonl", '{"title": "T", "authors": 7}\n', 1,
     r"field 'authors': expected a list of names"),
    ("json-malformed", "bad.json", '[\n {"title": "a"},\n {"title": }\n]\n', 3, r"malformed JSON: Expecting value"),
    ("json-element-not-object", "nums.json", '[\n {"title": "a"},\n 5\n]\n', 3,
     r"array element 2: expected a JSON object, got a number \(5\)"),
    ("json-trailing-garbage", "tail.json", '[{"title": "a"}] extra', 1, r"expected end of file after the array"),
    ("csv-field-count", "rows.csv", "title,abstract\nGood,row\nToo,many,fields\n", 3,
     r"expected 2 fields as in the header, got 3"),
    ("csv-open-quote", "quote.csv", 'title,abstract\n"Open quote,abstract\n', 2, r"is a quote left open"),
    ("csv-no-title-column", "cols.csv", "id,year,venue\n1,2020,X\n", 1,
     r"CSV header has no 'title' or 'abstract' column; got columns: 'id', 'year', 'venue'"),
    ("csv-duplicate-column", "dup.csv", "title,abstract,Title\na,b,c\n", 1, r"names column\(s\) title more than once"),
    ("bibtex-failed-block", "bad.bib", "@article{good, title={Good}}\n\n@article{bad\n  title = {x}\n}\n", 3,
     r"malformed BibTeX entry: Expected comma after entry key"),
    ("bibtex-missing-comma", "comma.bib", "@article{k,\n  title = {T}\n  author = {A B}\n}\n", 1,
     r"malformed BibTeX entry 'k': field 'title' on line 2 should be in \{braces\}"),
    ("bibtex-duplicate-field", "twice.bib", "@misc{k, title={a}, title={b}}\n", 1,
     r"Duplicate field keys on entry: 'title'; got"),
    ("xml-malformed", "feed.xml", '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>x</title>\n</feed>\n', 3,
     r"malformed XML: mismatched tag"),
    ("empty-record-jsonl", "empty.jsonl", '{"title": "  ", "abstract": ""}\n', 1,
     r"empty record: expected a title or an abstract, got neither"),
    ("empty-record-csv", "empty.csv", "title,abstract,year\n,,2020\n", 2, r"empty record"),
    ("paperlist-unsplittable", "list.txt", "CVMay 3, 2022\nsome title glued to nobody\nAn abstract.\n", 2,
     r"expected the title glued to an author list"),
    ("paperlist-missing-title", "list2.txt", "CVMay 3, 2022\nTitleAnn Lee, Bo Kim\nCVMay 4, 2022\n", 3,
     r"expected a title-and-authors line after the entry header, got nothing"),
    ("abstracts-stray-line", "abs.txt", "Abstract:\nAbstract: second\n", 1, r"empty record"),
    ("empty-file", "empty.txt", "", None, r"empty input: expected at least one paper, got nothing \(the input is empty\)"),
    ("whitespace-file", "blank.txt", "\n  \n\t\n", None, r"empty input: .* got only blank lines"),
    ("unknown-format", "page.html", "<html><body>hi</body></html>", None,
     r"cannot tell the input format.*expected one of: jsonl, json, csv"),
]


@pytest.mark.parametrize(("name", "content", "line", "pattern"),
                         [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_file_raises_naming_file_and_line(write, name, content, line, pattern):
    path = write(name, content)
    where = re.escape(path) + (f", line {line}" if line is not None else "")
    with pytest.raises(IngestError, match=f"^{where}: .*{pattern}") as info:
        read_records([path])
    assert info.value.file == path
    assert info.value.line == line


def test_missing_file(tmp_path):
    path = str(tmp_path / "nope.jsonl")
    with pytest.raises(IngestError, match=f"^{re.escape(path)}: cannot read: no such file$"):
        read_records([path])


def test_directory_is_an_error(tmp_path):
    with pytest.raises(IngestError, match=r"is a directory, expected a file; .*\*\.jsonl"):
        read_records([str(tmp_path)])


def test_unreadable_file(monkeypatch, write):
    from papertag.ingest import sources

    path = write("locked.jsonl", '{"title": "x"}\n')

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources, "open", denied, raising=False)
    with pytest.raises(IngestError, match=f"^{re.escape(path)}: cannot read: permission denied$"):
        read_records([path])


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_for_real(write):
    path = write("locked.jsonl", '{"title": "x"}\n')
    os.chmod(path, 0)
    with pytest.raises(IngestError, match="permission denied"):
        read_records([path])


def test_glob_matching_nothing(tmp_path):
    pattern = str(tmp_path / "*.bib")
    with pytest.raises(IngestError, match=f"^{re.escape(pattern)}: no files match this pattern$"):
        read_records([pattern])


def test_record_too_long():
    text = '{"title": "Short", "abstract": "' + "a" * 200 + '"}\n'
    with pytest.raises(IngestError, match=r"^big\.jsonl, line 1: record too long: title \+ abstract is 205 "
                                          r"characters, more than the limit of 100 \(max_chars\)"):
        list(parse_text(text, name="big.jsonl", max_chars=100))
    skipped: list[SkippedRecord] = []
    assert list(parse_text(text, name="big.jsonl", max_chars=100, on_error="skip", skipped=skipped)) == []
    assert skipped[0].extra == {"title": "Short"}


def test_unknown_format_is_its_own_class(write):
    with pytest.raises(UnknownFormatError):
        read_records([write("x.html", "<html/>")])


def test_utf8_bom_is_silent(write):
    recs = read_records([write("bom.csv", "\ufefftitle,abstract\nT,A\n".encode("utf-8"))]).records
    assert [(r.title, r.abstract) for r in recs] == [("T", "A")]
    (rec,) = parse_text('\ufeff{"title": "T"}', name="s.jsonl")
    assert rec.title == "T"


# ---- skip mode -------------------------------------------------------------------------

MIXED_JSONL = (
    '{"title": "Good one"}\n'
    '{"title": "broken\n'
    '[1]\n'
    '{"title": ""}\n'
    '{"title": "Good two", "abstract": "' + "x" * 50 + '"}\n'
    '{"title": "Good three"}\n'
)


def test_skip_mode_keeps_good_and_reports_bad(write):
    path = write("mixed.jsonl", MIXED_JSONL)
    result = read_records([path], on_error="skip", max_chars=40)
    assert [r.title for r in result.records] == ["Good one", "Good three"]
    assert [(s.file, s.line) for s in result.skipped] == [(path, 2), (path, 3), (path, 4), (path, 5)]
    assert "malformed JSON" in result.skipped[0].reason
    assert "got an array" in result.skipped[1].reason
    assert "empty record" in result.skipped[2].reason
    assert "record too long" in result.skipped[3].reason
    assert str(result.skipped[0]).startswith(f"{path}, line 2: expected a JSON object")


def test_raise_mode_stops_at_first_bad_record(write):
    path = write("mixed.jsonl", MIXED_JSONL)
    seen = []
    with pytest.raises(IngestError, match=r"line 2"):
        for rec in iter_records([path]):
            seen.append(rec.title)
    assert seen == ["Good one"]


@pytest.mark.parametrize(
    ("name", "content", "good", "bad_lines"),
    [
        ("rows.csv", "title,abstract\nA,a\nB,b,extra\n,\n,   \nC,c\n\"\",\"\"\n", ["A", "C"], [3]),  # all-empty rows are blank lines
        ("refs.bib", "@misc{a, title={A}}\n@misc{b\n title={B}}\n@misc{c, title={C}}\n@misc{d, year=2020}\n",
         ["A", "C"], [2, 5]),
        ("list.txt", "CVMay 3\nGood TitleAnn Lee\nabs\nLGMay 4\nno split here\nabs\nAIMay 5\nLast OneBo Kim, Cy Ng\n",
         ["Good Title", "Last One"], [5]),
    ],
)
def test_skip_mode_per_format(write, name, content, good, bad_lines):
    path = write(name, content)
    result = read_records([path], on_error="skip")
    assert [r.title for r in result.records] == good
    assert [s.line for s in result.skipped] == bad_lines


def test_skip_mode_file_level_failures_continue_with_other_sources(write, tmp_path, data):
    missing = str(tmp_path / "missing.jsonl")
    latin = write("latin.txt", LATIN1)
    empty = write("empty.txt", "")
    good = str(data / "abstracts.txt")
    pattern = str(tmp_path / "*.nothing")
    result = read_records([missing, latin, pattern, empty, str(tmp_path), good], on_error="skip")
    assert len(result.records) == 3 and {r.source_file for r in result.records} == {good}
    assert [(s.file, s.line) for s in result.skipped] == [
        (missing, None), (latin, 1), (pattern, None), (empty, None), (str(tmp_path), None),
    ]
    assert list(result.formats) == [good]


def test_skip_mode_malformed_xml_keeps_entries_before_it():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>First</title></entry>\n"
        "<entry><title>Second</entry>\n"
        "</feed>\n"
    )
    skipped: list[SkippedRecord] = []
    assert list(parse_text(feed, name="f.xml", on_error="skip", skipped=skipped)) == []
    assert [(s.file, s.line) for s in skipped] == [("f.xml", 3)]


def test_skip_needs_a_list():
    with pytest.raises(ValueError, match="on_error='skip' needs a list"):
        iter_records(["x"], on_error="skip")


@pytest.mark.parametrize(("kwargs", "pattern"), [
    ({"on_error": "ignore"}, "on_error must be 'raise' or 'skip'"),
    ({"max_chars": 0}, "max_chars must be a positive integer"),
])
def test_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        parse_text("x", name="x", **kwargs)

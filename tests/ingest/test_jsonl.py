"""JSONL (one object per line) and JSON (array or single object)."""

from __future__ import annotations

from papertag.ingest import Format, parse_text
from papertag.records import stable_id


def test_jsonl_fields(read_one, data):
    recs = read_one("papers.jsonl")
    assert [r.source_line for r in recs] == [1, 2, 4, 5]  # blank line 3 skipped
    first, second, third, fourth = recs
    assert first.id == "p-001"
    assert first.authors == ("Ada Moreno", "Kenji Hal")
    assert first.year == 2024 and first.date == "2024"  # year given as a string
    assert first.venue == "EMNLP"
    assert first.meta["categories"] == ["cs.CL", "cs.LG"]
    assert first.source_file == str(data / "papers.jsonl")

    # aliases: name -> title, summary -> abstract; authors as [{"name": ...}]
    assert second.title == "Pruning Attention Heads by Gradient Flow"
    assert second.abstract.startswith("Structured pruning")
    assert second.authors == ("Lena Fisch", "Omar Diallo")
    assert second.date == "2023-06-14" and second.year == 2023
    assert second.arxiv_id == "2306.01234"  # derived from the arXiv url
    assert second.id == "arxiv:2306.01234"
    assert second.meta["keywords"] == ["pruning", "vision transformer"]

    # authors as "A, B and C"; DOI url prefix stripped; title-only record
    assert third.authors == ("Rui Tan", "Mia Kovacs", "Paul Ng")
    assert third.doi == "10.1234/PROT.2022.77"
    assert third.id == "doi:10.1234/prot.2022.77"
    assert third.abstract == "" and third.year is None and third.date is None

    # abstract only; partial date from "published"
    assert fourth.title == ""
    assert fourth.date == "2025-01" and fourth.year == 2025
    assert fourth.id == stable_id(title="", abstract=fourth.abstract)


def test_json_array_lines_and_ids(read_one):
    recs = read_one("papers.json")
    assert [r.source_line for r in recs] == [2, 9, 10]
    assert recs[0].authors == ("Ines Ruiz", "Tomas Berg")
    assert recs[0].year == 2022
    assert recs[0].arxiv_id == "2211.04567"  # "arXiv:2211.04567v3" normalized
    assert recs[0].id == "arxiv:2211.04567"
    assert recs[1].id == "42"  # numeric input id kept, as a string
    assert recs[2].title == "Title-Only Entry About Early Exit Networks"
    assert recs[2].abstract == ""


def test_single_json_object(read_one):
    (rec,) = read_one("single.json")
    assert rec.authors == ("Sara Lind",)  # {"given", "family"}
    assert rec.year is None and rec.source_line == 1


def test_authors_and_unknown_fields_to_meta():
    text = '{"title": "T", "authors": "Ann Lee and Bo Kim", "label": "x", "Year": 2019}\n'
    (rec,) = parse_text(text, name="t.jsonl")
    assert rec.authors == ("Ann Lee", "Bo Kim")
    assert rec.year == 2019  # keys are case-insensitive
    assert rec.meta == {"label": "x"}


def test_unparseable_year_is_kept_in_meta_not_invented():
    (rec,) = parse_text('{"title": "T", "year": "forthcoming"}', name="t.jsonl")
    assert rec.year is None and rec.date is None
    assert rec.meta["year_text"] == "forthcoming"


def test_title_wins_over_name_alias():
    (rec,) = parse_text('{"name": "alias", "title": "real"}', name="t.jsonl")
    assert rec.title == "real"


def test_empty_json_array_is_no_records():
    skipped: list = []
    assert list(parse_text("[]", name="e.json", on_error="skip", skipped=skipped)) == []
    assert len(skipped) == 1 and "no records" in skipped[0].reason


def test_forced_json_format():
    recs = list(parse_text('{"title": "A"}', name="x", input_format=Format.JSON))
    assert recs[0].title == "A"


def test_jsonl_reads_what_python_json_reads():
    # the fast decoder rejects NaN and integers beyond 64 bits; such lines still read as the json module reads them
    text = ('{"title": "Sparse experts at scale", "score": NaN, "ref": 123456789012345678901234567890}\n'
            '{"title": "Tiny detectors", "abstract": "We prune.", "authors": ["Ana  Ruiz\\n", " Li Wei"]}\n')
    first, second = parse_text(text, name="odd.jsonl")
    assert first.title == "Sparse experts at scale"
    assert first.meta["ref"] == 123456789012345678901234567890 and first.meta["score"] != first.meta["score"]
    assert second.authors == ("Ana Ruiz", "Li Wei")  # whitespace collapsed

"""Field helpers: dates, years, authors, DOIs."""

from __future__ import annotations

import pytest

from papertag.ingest.fields import clean_doi, parse_date, parse_year, split_author_string, split_authors


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2023-06-01", "2023-06-01"),
        ("2023-06-01T12:00:00Z", "2023-06-01"),
        ("2023-6", "2023-06"),
        ("2023", "2023"),
        ("2023/06/01", "2023-06-01"),
        ("Jun 3, 2023", "2023-06-03"),
        ("September 30, 2021", "2021-09-30"),
        ("Jun 3", None),  # no year: never invented
        ("2023-13-01", None),
        ("soon", None),
    ],
)
def test_parse_date(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize(("value", "year"), [(2020, 2020), ("2020", 2020), (" 1999 ", 1999), (2020.0, 2020),
                                             ("n.d.", None), (True, None), (20, None), ("2020a", None)])
def test_parse_year(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize(
    ("text", "names", "truncated"),
    [
        ("A Lee, B Kim and C Ng", ["A Lee", "B Kim", "C Ng"], False),
        ("A Lee and B Kim", ["A Lee", "B Kim"], False),
        ("A Lee, B Kim, and C Ng", ["A Lee", "B Kim", "C Ng"], False),
        ("Lee, A.; Kim, B.", ["Lee, A.", "Kim, B."], False),
        ("A Lee, B Kim et al.", ["A Lee", "B Kim"], True),
        ("", [], False),
    ],
)
def test_split_author_string(text, names, truncated):
    assert split_author_string(text) == (names, truncated)


def test_split_authors_shapes():
    assert split_authors(["A Lee", " B Kim "]) == (("A Lee", "B Kim"), False)
    assert split_authors([{"name": "A Lee"}, {"given": "B", "family": "Kim"}]) == (("A Lee", "B Kim"), False)
    assert split_authors(None) == ((), False)
    assert split_authors(3) is None
    assert split_authors([1, 2]) is None


@pytest.mark.parametrize(("raw", "doi"), [("https://doi.org/10.1/X", "10.1/X"), ("doi:10.1/x", "10.1/x"),
                                          ("http://dx.doi.org/10.2/y", "10.2/y"), ("", None), (None, None)])
def test_clean_doi(raw, doi):
    assert clean_doi(raw) == doi

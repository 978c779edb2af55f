"""arXiv API Atom feeds."""

from __future__ import annotations

import pytest

from papertag.errors import IngestError
from papertag.ingest import parse_text


def test_atom_fields(read_one):
    first, second = read_one("feed.xml")
    assert first.id == "arxiv:2405.01234"
    assert first.arxiv_id == "2405.01234"
    assert first.source_line == 7
    assert first.title == "Mixed-Precision Quantization of Mixture-of-Experts Layers"
    assert first.abstract == "We assign bit widths per expert and obtain a 2.1x speedup on A100 GPUs."
    assert first.authors == ("Hana Ito", "Yusuf Kaya")
    assert first.date == "2024-05-02" and first.year == 2024
    assert first.doi == "10.1000/moe.quant"
    assert first.venue == "Proc. Efficient ML 2024"
    assert first.url == "http://arxiv.org/abs/2405.01234v1"
    assert first.meta["categories"] == ["cs.LG", "cs.AR"]
    assert first.meta["primary_category"] == "cs.LG"
    assert first.meta["affiliations"] == ["Example University"]
    assert first.meta["pdf_url"] == "http://arxiv.org/pdf/2405.01234v1"

    assert second.id == "arxiv:cs/0112017"
    assert second.source_line == 33
    assert second.venue is None and second.doi is None


def test_arxiv_api_error_entry_is_reported():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id>\n"
        "<title>Error</title><summary>incorrect id format for 1234</summary></entry>\n"
        "</feed>\n"
    )
    with pytest.raises(IngestError, match=r"q\.xml, line 2: the arXiv API returned an error.*incorrect id"):
        list(parse_text(feed, name="q.xml"))


def test_feed_without_entries_is_no_records():
    with pytest.raises(IngestError, match=r"f\.xml: no records: read as atom"):
        list(parse_text('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', name="f.xml"))


def test_non_atom_xml_forced_is_an_error():
    with pytest.raises(IngestError, match=r"expected an Atom <feed>"):
        list(parse_text("<rss><channel/></rss>", name="r.xml", input_format="atom"))

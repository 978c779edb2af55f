"""The profile page, the paper-list page and ``Abstract:`` lines (small invented fixtures)."""

from __future__ import annotations

import pytest

from papertag.ingest.listing import is_name, parse_header
from papertag.ingest.paperlist import split_title_authors
from papertag.ingest.profile import parse_author_line


def test_profile(read_one):
    first, second, third = read_one("profile.txt")
    assert [r.source_line for r in (first, second, third)] == [10, 17, 22]
    assert first.title == "TinyQuant: Four-Bit Weights for On-Device Language Models"
    assert first.authors == ("Ada Moreno", "Kenji Hal", "Lena Fisch")
    assert first.meta["affiliations"] == ["mit", "eth"]
    assert first.meta["authors_truncated"] is True
    assert first.meta["score"] == 12.5 and first.meta["category"] == "LG" and first.meta["code"] is True
    assert first.date == "2024-02-07" and first.year == 2024
    assert first.meta["profile"] == "Dana Example"

    # no score, no year, no abstract
    assert second.abstract == ""
    assert second.authors == ("Omar Diallo", "Dana Example")
    assert second.year is None and second.date is None
    assert second.meta["date_text"] == "Jun 3"
    assert "score" not in second.meta and second.meta["code"] is False

    # a two-line abstract is joined
    assert third.abstract == (
        "A compact student of a protein language model runs on commodity CPUs. "
        "It keeps most of the teacher's accuracy."
    )


def test_paperlist(read_one):
    recs = read_one("paperlist.txt")
    assert [(r.title, r.authors) for r in recs] == [
        ("Compact Vision Transformer", ("Ada Moreno", "Kenji Hal", "Lena Fisch")),
        ("Efficient Speech GANs", ("Lizzie Okafor", "Ben Carter")),
        ("Calibration for Sparse LLMs", ("Yuna Park", "Tomas lee")),
        ("PointQuant: Quantizing 3D Object Detection", ("Chia-Wen Lee", "XiaoMing Wu")),
    ]
    assert [r.source_line for r in recs] == [1, 4, 7, 9]
    assert recs[0].year == 2022 and recs[0].meta == {"category": "CV", "code": True, "authors_truncated": True}
    assert recs[1].year is None and recs[1].meta["date_text"] == "Jun 3" and recs[1].meta["score"] == 96.8
    assert "authors_truncated" not in recs[1].meta
    assert recs[2].abstract == ""  # abstract line absent
    assert recs[3].meta["category"] == "AI"


@pytest.mark.parametrize(
    ("glued", "title", "authors"),
    [
        ("Sparse Mixture of ExpertsAnna Berg, Tom Hall et al.", "Sparse Mixture of Experts", ["Anna Berg", "Tom Hall"]),
        ("Tiny GANsLuca Rossi, Mei Chen", "Tiny GANs", ["Luca Rossi", "Mei Chen"]),
        ("Pruning ViTs QuantizationYunfei Zhou, Ravi Shah", "Pruning ViTs Quantization", ["Yunfei Zhou", "Ravi Shah"]),
        ("Quantizing 3D DetectionMaya Lin, Jo Park et al.", "Quantizing 3D Detection", ["Maya Lin", "Jo Park"]),
        ("FlashMerge: Faster Token MergingAna Lopes, WeiJie Sun", "FlashMerge: Faster Token Merging", ["Ana Lopes", "WeiJie Sun"]),
        ("Any-Scale, Any-Budget InferenceWen Zhao, Chia-Hao Wu et al.", "Any-Scale, Any-Budget Inference", ["Wen Zhao", "Chia-Hao Wu"]),
        ("Efficient Sparse LLMsYi Xu, Bo lin et al.", "Efficient Sparse LLMs", ["Yi Xu", "Bo lin"]),
        ("A Study of Token DroppingJan van der Berg", "A Study of Token Dropping", ["Jan van der Berg"]),
    ],
)
def test_split_title_authors(glued, title, authors):
    split = split_title_authors(glued)
    assert split is not None
    assert split[0] == title and split[1] == authors


def test_camel_case_first_author_is_ambiguous():
    # Known limitation: "MergingWeiJie Sun" could be "Merging" + "WeiJie Sun" or
    # "MergingWei" + "Jie Sun"; a first author's first word must be a clean name,
    # so the split happens before "Jie".
    split = split_title_authors("Token MergingWeiJie Sun, Ana Lopes")
    assert split is not None and split[1] == ["Jie Sun", "Ana Lopes"]


def test_unsplittable_line_gives_none():
    assert split_title_authors("no authors here at all") is None


@pytest.mark.parametrize(
    ("line", "score", "category", "date", "code"),
    [
        ("41.6CVSep 26, 2023Code", 41.6, "CV", "2023-09-26", True),
        ("CVMay 23, 2022", None, "CV", "2022-05-23", False),
        ("96.8SDJun 3", 96.8, "SD", None, False),
        ("LGMar 4Code", None, "LG", None, True),
    ],
)
def test_parse_header(line, score, category, date, code):
    header = parse_header(line)
    assert header is not None
    assert (header.score, header.category, header.date, header.code) == (score, category, date, code)


@pytest.mark.parametrize("line", ["CV", "h-index10", "12 Papers", "CVMay 23, 2022 Code", "Plain sentence."])
def test_not_a_header(line):
    assert parse_header(line) is None


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Mingyu Li", True), ("Mei lin", True), ("ZhiHang Lin", True), ("Chia-Wen Lin", True),
     ("Ts QuantizationYunshan Zhong", False), ("Any-ResourceWen Zhan", False), ("Resolution as Any", False),
     ("Single", False)],
)
def test_is_name(name, ok):
    assert is_name(name) is ok


def test_profile_author_line():
    assert parse_author_line("Ann Lee, Bo Kim et al. · mit, eth") == (["Ann Lee", "Bo Kim"], True, ["mit", "eth"])
    assert parse_author_line("We propose a method, which is fast.") is None
    assert parse_author_line("Ann Lee, Plato, Bo Kim") == (["Ann Lee", "Plato", "Bo Kim"], False, [])


def test_abstract_lines(read_one):
    recs = read_one("abstracts.txt")
    assert len(recs) == 3
    assert all(r.title == "" for r in recs)
    assert recs[0].abstract == "We prune the channels of a detector guided by feature map entropy."
    assert recs[2].abstract == "Token merging speeds up diffusion models by 2x without retraining."  # continuation line
    assert [r.source_line for r in recs] == [1, 2, 3]
    assert len({r.id for r in recs}) == 3


def test_plain_text(read_one):
    recs = read_one("plain.txt")
    assert [r.title for r in recs] == [
        "Early Exit Networks for Mobile Vision",
        "A Title Without an Abstract",
        "Knowledge Distillation for Protein Structure Prediction",
    ]
    assert recs[0].abstract == (
        "We attach classifiers to intermediate layers\nand stop once the prediction is confident."
    )
    assert recs[1].abstract == ""
    assert [r.source_line for r in recs] == [1, 5, 7]

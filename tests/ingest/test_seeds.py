"""The three real listing pages in ../shared/seeds (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertag.ingest import Format, read_records
from papertag.ingest.listing import parse_header

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"../shared/seeds not found at {SEEDS}"),
]


def _seed(prefix: str) -> Path:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


@pytest.fixture(scope="module")
def seeds():
    result = read_records([str(_seed("000")), str(_seed("001")), str(_seed("002"))])
    by_file: dict[str, list] = {}
    for rec in result.records:
        by_file.setdefault(Path(rec.source_file).name[:3], []).append(rec)
    return result, by_file


def test_counts_and_formats(seeds):
    result, by_file = seeds
    assert len(result.records) == 72
    assert {k: len(v) for k, v in by_file.items()} == {"000": 12, "001": 50, "002": 10}
    assert list(result.formats.values()) == [Format.PROFILE, Format.PAPERLIST, Format.ABSTRACTS]
    assert result.skipped == []
    assert len({r.id for r in result.records}) == 72


def test_profile_page(seeds):
    recs = seeds[1]["000"]
    assert recs[0].title.startswith("InternLM-XComposer: A Vision-Language Large Model")
    assert recs[0].authors == ("Pan Zhang", "Xiaoyi Dong", "Bin Wang")
    assert recs[0].meta["affiliations"] == ["pku"]
    assert recs[0].meta["score"] == 41.6 and recs[0].meta["category"] == "CV" and recs[0].meta["code"] is True
    assert recs[0].date == "2023-09-26" and recs[0].year == 2023 and recs[0].source_line == 12
    assert recs[3].title == "InternLM2 Technical Report" and recs[3].meta["category"] == "CL"
    pse = recs[5]
    assert pse.title.startswith("PSE-Net") and pse.meta["score"] == 2.0 and pse.meta["code"] is False
    assert "affiliations" not in pse.meta
    assert recs[7].meta["affiliations"] == ["pku", "tsinghua"]
    assert recs[-1].year == 2018 and recs[-1].authors[0] == "Xingcheng Zhang"
    for rec in recs:
        assert rec.title and rec.abstract and len(rec.authors) == 3
        assert rec.meta["authors_truncated"] is True and rec.year is not None


# (index, title, first author, number of authors listed)
PAPERLIST = [
    (0, "Super Vision Transformer", "Mingbao Lin", 3),
    (1, "Learning Best Combination for Efficient N:M Sparsity", "Yuxin Zhang", 3),
    (10, "Dynamic Sparse No Training: Training-Free Fine-tuning for Sparse LLMs", "Yuxin Zhang", 3),
    (11, "SMMix: Self-Motivated Image Mixing for Vision Transformers", "Mengzhao Chen", 3),
    (15, "Exploring Content Relationships for Distilling Efficient GANs", "Lizhou You", 3),
    (18, "Audio Interaction Model", "Zhifei Xie", 3),
    (19, "AnySR: Realizing Image Super-Resolution as Any-Scale, Any-Resource", "Wengyi Zhan", 3),
    (22, "Move and Act: Enhanced Object Manipulation and Background Integrity for Image Editing", "Pengfei Jiang", 3),
    (26, "Representation Disparity-aware Distillation for 3D Object Detection", "Yanjing Li", 3),
    (27, "I&S-ViT: An Inclusive & Stable Method for Pushing the Limit of Post-Training ViTs Quantization",
     "Yunshan Zhong", 3),
    (28, "Low-Rank Winograd Transformation for 3D Convolutional Neural Networks", "Ziran Qin", 3),
    (32, "Unbiased Dynamic Pruning for Efficient Group-Based Policy Optimization", "Haodong Zhu", 3),
    (33, "Step-GRPO: Internalizing Dynamic Early Exit for Efficient Reasoning", "Benteng Chen", 3),
    (34, "WideRange4D: Enabling High-Quality 4D Reconstruction with Wide-Range Movements and Scenes", "Ling Yang", 3),
    (37, "ERTACache: Error Rectification and Timesteps Adjustment for Efficient Diffusion", "Xurui Peng", 3),
    (39, "Test-Time Temporal Sampling for Efficient MLLM Video Understanding", "Kaibin Wang", 2),
    (42, "DiffRate : Differentiable Compression Rate for Efficient Vision Transformers", "Mengzhao Chen", 3),
    (45, "Pruning Networks with Cross-Layer Ranking & k-Reciprocal Nearest Filters", "Mingbao Lin", 3),
    (49, "Fine-grained Data Distribution Alignment for Post-Training Quantization", "Yunshan Zhong", 3),
]


@pytest.mark.parametrize(("index", "title", "first_author", "n_authors"), PAPERLIST)
def test_paperlist_titles_and_authors(seeds, index, title, first_author, n_authors):
    rec = seeds[1]["001"][index]
    assert rec.title == title
    assert rec.authors[0] == first_author
    assert len(rec.authors) == n_authors


def test_paperlist_tricky_author_names(seeds):
    recs = seeds[1]["001"]
    assert recs[11].authors == ("Mengzhao Chen", "Mingbao Lin", "ZhiHang Lin")
    assert recs[19].authors[2] == "Chia-Wen Lin"
    assert recs[27].authors == ("Yunshan Zhong", "Jiawei Hu", "Mingbao lin")
    assert recs[28].authors == ("Ziran Qin", "Mingbao Lin", "Weiyao Lin")
    assert "authors_truncated" not in recs[28].meta
    assert recs[39].authors == ("Kaibin Wang", "Mingbao Lin")


def test_paperlist_every_line_splits_back(seeds):
    """Title + authors (+ " et al.") rebuild each glued line exactly, for all 50 entries."""
    lines = _seed("001").read_text(encoding="utf-8").split("\n")
    recs = seeds[1]["001"]
    for rec in recs:
        glued = lines[rec.source_line]  # the line after the header
        rebuilt = rec.title + ", ".join(rec.authors) + (" et al." if rec.meta.get("authors_truncated") else "")
        assert rebuilt == glued
        assert parse_header(lines[rec.source_line - 1]) is not None
        assert rec.abstract


def test_paperlist_dates_and_meta(seeds):
    recs = seeds[1]["001"]
    assert recs[0].meta == {"category": "CV", "code": True, "authors_truncated": True}
    assert recs[0].date == "2022-05-23" and recs[0].year == 2022
    audio = recs[18]  # "96.8SDJun 3"
    assert audio.year is None and audio.date is None
    assert audio.meta["date_text"] == "Jun 3" and audio.meta["score"] == 96.8
    assert audio.meta["category"] == "SD" and audio.meta["code"] is False
    assert recs[32].year is None and recs[32].meta["date_text"] == "Mar 4" and "score" not in recs[32].meta
    assert recs[33].meta["score"] == 82.9 and recs[33].meta["category"] == "AI"
    undated = [r for r in recs if r.year is None]
    assert len(undated) == 3 and all("date_text" in r.meta for r in undated)
    assert recs[23].meta["code"] is False  # "CVJun 22, 2022" has no Code flag


def test_abstract_lines(seeds):
    recs = seeds[1]["002"]
    assert [r.source_line for r in recs] == list(range(1, 11))
    assert all(r.title == "" and r.abstract and not r.abstract.startswith("Abstract") for r in recs)
    assert all(r.authors == () and r.year is None for r in recs)

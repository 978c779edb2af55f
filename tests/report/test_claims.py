"""Claims summaries on the hand-written papers (see conftest.py)."""

from __future__ import annotations

from papertag.report.claims import bits_histogram, hardware_counts, speedups_by_label


def test_bit_widths_count_papers_not_mentions(papers):
    bits = bits_histogram(papers)
    assert bits[["bits", "papers"]].values.tolist() == [[4.0, 3], [8.0, 1]]  # p3 says 4-bit twice
    assert bits.loc[0, "ids"] == ["p1", "p3", "p5"]


def test_hardware_by_device(papers):
    hw = hardware_counts(papers, kind_of=lambda name: "gpu" if "NVIDIA" in name else None)
    assert hw.to_dict("records") == [{"device": "NVIDIA A100", "kind": "gpu", "papers": 1, "ids": ["p1"]}]


def test_speedups_use_each_papers_largest_claim(papers):
    sp = speedups_by_label(papers, "technique", order=["quantization", "pruning", "distillation"]).set_index("label")
    assert list(sp.index) == ["quantization", "pruning"]  # no distillation paper claims a speedup
    q = sp.loc["quantization"]
    assert (q["papers"], q["median"], q["min"], q["max"]) == (2, 3.5, 2.0, 5.0)
    assert q["ids"] == ["p5", "p1"]  # largest claim first
    assert sp.loc["pruning", "values"] == [3.0]  # p2 claims 3.0x and 1.5x: the headline is 3.0x

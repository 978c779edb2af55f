"""The related-work skeleton: sections in taxonomy order, papers newest first, citation keys."""

from __future__ import annotations

from papertag.export import citation_keys, write_markdown
from papertag.export.markdown import cite

PAPERS = [
    {"id": "1", "title": "Old Quantized CNN", "year": 2019, "venue": "CVPR 2019", "authors": ["Ann Lee"],
     "labels": {"technique": ["quantization", "quantization/post_training"], "modality": ["image"],
                "architecture": ["cnn"], "hardware": ["gpu"]}},
    {"id": "2", "title": "New Quantized LLM", "year": 2025, "authors": ["Bo Chen", "Cy Dee", "Ed Fox"],
     "labels": {"technique": ["quantization"], "modality": ["text"], "architecture": ["llm"], "hardware": []}},
    {"id": "3", "title": "Distilled Speech", "year": 2022, "authors": ["Gil Ho", "Ivy Jo"],
     "labels": {"technique": ["distillation"], "modality": ["audio"], "architecture": [], "hardware": []}},
]


def test_sections_stubs_and_newest_first(taxonomy):
    keys = citation_keys(PAPERS)
    md = write_markdown(PAPERS, keys, taxonomy, "technique")
    assert md.startswith("# Related work by technique")
    assert md.index("## Quantization") < md.index("## Knowledge distillation")
    quant = md[md.index("## Quantization"):md.index("## Knowledge distillation")]
    assert "2 paper(s), 2019\u20132025." in quant
    assert "Most common modality: text (1), image (1)." in quant  # ties: newest paper first
    assert "Most common hardware: GPU (1)." in quant  # acronyms keep their capitals
    assert "Sub-topics: post-training quantization (1)." in quant
    assert "Recent work: [@chen2025new; @lee2019old]." in quant
    lines = [line for line in quant.splitlines() if line.startswith("- ")]
    assert lines == ["- New Quantized LLM. Bo Chen et al., 2025. [@chen2025new]",
                     "- Old Quantized CNN. Ann Lee, CVPR 2019, 2019. [@lee2019old]"]
    assert "- Distilled Speech. Gil Ho and Ivy Jo, 2022. [@ho2022distilled]" in md


def test_children_and_latex_citations(taxonomy):
    md = write_markdown(PAPERS, citation_keys(PAPERS), taxonomy, "technique", children=True, style="latex")
    assert "### Post-training quantization" in md
    assert "\\cite{lee2019old}" in md and "[@" not in md


def test_cite():
    assert cite(["a", "b"]) == "[@a; @b]" and cite(["a", "b"], "latex") == "\\cite{a,b}"

"""The taxonomy loads, keeps the contract's ids, and reports every problem in a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertag.errors import TaxonomyError
from papertag.taxonomy import check_taxonomy, load_taxonomy

CONTRACT_IDS = {
    "technique": ["quantization", "pruning", "distillation", "nas", "low_rank", "peft", "token_reduction", "kv_cache",
                  "dynamic_inference", "caching", "efficient_architecture", "memory_optimization",
                  "efficient_training", "efficient_decoding"],
    "modality": ["image", "video", "text", "audio", "3d"],
    "architecture": ["cnn", "vision_transformer", "llm", "mllm", "diffusion", "gan", "moe"],
    "hardware": ["gpu", "mobile", "cpu", "edge", "fpga", "asic"],
}
REQUIRED_CHILDREN = [
    "quantization/post_training", "quantization/quantization_aware", "quantization/binarization",
    "quantization/mixed_precision", "quantization/low_bit_training", "pruning/unstructured", "pruning/structured",
    "pruning/n_m_sparsity", "distillation/feature", "distillation/logit", "distillation/self",
    "distillation/data_free", "peft/lora", "peft/adapter", "peft/prompt_tuning", "token_reduction/pruning",
    "token_reduction/merging",
]


def test_contract_ids_are_present(taxonomy):
    for facet, ids in CONTRACT_IDS.items():
        for label_id in ids:
            assert f"{facet}/{label_id}" in taxonomy, f"{facet}/{label_id} missing"
    assert taxonomy.facets == ("technique", "modality", "architecture", "hardware")


@pytest.mark.parametrize("child", REQUIRED_CHILDREN)
def test_required_children_have_parents(taxonomy, child):
    key = f"technique/{child}"
    assert key in taxonomy
    assert taxonomy.ancestors(key) == [f"technique/{child.split('/')[0]}"]


def test_every_label_has_a_name_and_definition(taxonomy):
    for label in taxonomy.labels:
        assert label.name and label.description


GOOD = """
facets:
  technique: {labels: [{id: quantization, name: Q, description: d}]}
  modality: {labels: [{id: image, name: I, description: d}]}
  architecture: {labels: [{id: cnn, name: C, description: d}]}
  hardware: {labels: [{id: gpu, name: G, description: d}]}
"""

# (yaml text, number of problems, a fragment of the first message)
BAD_TAXONOMIES = [
    (GOOD.replace("{id: image, name: I, description: d}", "{id: image, name: I, description: d}, "
                  "{id: image, name: I2, description: d}"), 1, "duplicate id 'image'"),
    (GOOD.replace("id: quantization,", "id: quantization/ptq,"), 1, "unknown parent 'quantization'"),
    (GOOD.replace("{labels: [{id: cnn, name: C, description: d}]}", "{labels: []}"), 1, "has no labels"),
    (GOOD.replace("  hardware: {labels: [{id: gpu, name: G, description: d}]}\n", ""), 1, "facet 'hardware' is missing"),
    (GOOD.replace("name: Q,", "name: Q, colour: red,"), 1, "Extra inputs are not permitted"),
    ("facets: [oops", 1, "invalid YAML"),
    # every problem at once, not just the first
    (GOOD.replace("id: quantization,", "id: quantization/ptq,").replace("{labels: [{id: cnn, name: C, description: d}]}",
                                                                        "{labels: []}"), 2, "unknown parent"),
]


@pytest.mark.parametrize("text,n_problems,fragment", BAD_TAXONOMIES)
def test_bad_taxonomy_reports_every_problem(tmp_path: Path, text, n_problems, fragment):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text)
    taxonomy, problems = check_taxonomy(path)
    assert taxonomy is None
    assert len(problems) == n_problems
    assert fragment in str(problems[0])
    assert all(str(path) in str(p) for p in problems)
    with pytest.raises(TaxonomyError, match=fragment):
        load_taxonomy(path)


def test_good_minimal_taxonomy_loads(tmp_path: Path):
    path = tmp_path / "taxonomy.yml"
    path.write_text(GOOD)
    tax = load_taxonomy(path)
    assert tax.keys == ("technique/quantization", "modality/image", "architecture/cnn", "hardware/gpu")
    assert len(tax.sha256) == 64


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(TaxonomyError, match="nope.yml: file not found"):
        load_taxonomy(tmp_path / "nope.yml")

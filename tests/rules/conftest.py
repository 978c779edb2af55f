"""A small rule set written for the engine tests, independent of the project's patterns."""

from __future__ import annotations

import shutil

import pytest

from papertag.resources import rules_dir
from papertag.rules import RuleEngine, load_rules

RULES = """
rules:
  - id: quant.core
    label: technique/quantization
    weight: 0.9
    patterns: [quantization, [{LEMMA: quantize}]]
  - id: quant.ptq
    label: technique/quantization/post_training
    weight: 0.95
    attr: ORTH
    patterns: [PTQ]
  - id: quant.not_vq
    label: technique/quantization
    veto: true
    patterns: [vector quantization]
  - id: gpu.core
    label: hardware/gpu
    weight: 0.9
    attr: ORTH
    patterns: [GPU, GPUs]
  - id: distill.not_sds
    label: technique/distillation
    veto: true
    scope: sentence
    patterns: [score distillation]
  - id: distill.core
    label: technique/distillation
    weight: 0.9
    patterns: [distillation]
"""


def engine_from_rules(taxonomy, root, rules_yaml: str) -> RuleEngine:
    """An engine over the project's settings and the rules in ``rules_yaml``, written under ``root``."""
    (root / "labels").mkdir()
    shutil.copy(rules_dir() / "settings.yml", root / "settings.yml")
    (root / "labels" / "r.yml").write_text(rules_yaml)
    return RuleEngine(load_rules(taxonomy, root), taxonomy)


@pytest.fixture(scope="module")
def small_engine(taxonomy, tmp_path_factory) -> RuleEngine:
    return engine_from_rules(taxonomy, tmp_path_factory.mktemp("rules"), RULES)



"""Rule files load in spaCy's pattern shape; every problem is reported with file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papertag.errors import RuleFileError
from papertag.resources import rules_dir
from papertag.rules import check_rules, load_rules


def make_rules(tmp_path: Path, text: str, name: str = "test.yml") -> Path:
    root = tmp_path / "rules"
    (root / "labels").mkdir(parents=True)
    shutil.copy(rules_dir() / "settings.yml", root / "settings.yml")
    (root / "labels" / name).write_text(text)
    return root


GOOD = """
rules:
  - id: quant.core
    label: technique/quantization
    weight: 0.9
    patterns:
      - quantization
      - [{LEMMA: quantize}]
"""

# (rules yaml, number of problems, fragment of the first problem)
BAD_RULES = [
    (GOOD.replace("technique/quantization", "technique/quantisation"), 1,
     "label 'technique/quantisation' is not in the taxonomy; did you mean 'technique/quantization'?"),
    (GOOD + GOOD.replace("rules:\n", ""), 1, "duplicate rule id 'quant.core'"),
    (GOOD.replace("weight: 0.9", "weight: 1.5"), 1, "entry 1 (quant.core): [weight]"),
    (GOOD.replace("      - quantization\n      - [{LEMMA: quantize}]\n", "      []\n").replace("patterns:\n", "patterns:"), 1,
     "[patterns]"),
    (GOOD.replace("{LEMMA: quantize}", "{LEMA: quantize}"), 1, "token pattern 1"),
    (GOOD.replace("weight: 0.9", "wieght: 0.9"), 1, "Extra inputs are not permitted"),
    ("rules: [\n", 1, "invalid YAML"),
    ("rules: []\n", 1, "has no rules"),
    ("patterns: [x]\n", 1, "unexpected top-level keys"),
    # every problem at once: a schema error in one entry, an unknown label in another
    (GOOD.replace("weight: 0.9", "weight: 0") + GOOD.replace("rules:\n", "").replace("quant.core", "quant.other")
     .replace("technique/quantization", "technique/nope"), 2, "entry 1 (quant.core): [weight]"),
]


@pytest.mark.parametrize("text,n_problems,fragment", BAD_RULES)
def test_bad_rules_report_every_problem(tmp_path, taxonomy, text, n_problems, fragment):
    root = make_rules(tmp_path, text)
    ruleset, problems = check_rules(taxonomy, root)
    assert ruleset is None
    assert len(problems) == n_problems, problems
    assert fragment in str(problems[0])
    assert "test.yml" in str(problems[0])
    with pytest.raises(RuleFileError):
        load_rules(taxonomy, root)


def test_good_rules_load(tmp_path, taxonomy):
    ruleset = load_rules(taxonomy, make_rules(tmp_path, GOOD))
    (rule,) = ruleset.rules
    assert rule.id == "quant.core"
    assert rule.labels == ("technique/quantization",)
    assert rule.patterns == ("quantization", [{"LEMMA": "quantize"}])
    assert len(ruleset.sha256) == 64


def test_project_rules_cover_every_label(taxonomy):
    ruleset = load_rules(taxonomy)
    covered = {lab for r in ruleset.rules if not r.veto for lab in r.labels}
    missing = [k for k in taxonomy.keys if k not in covered]
    assert not missing, f"labels without a rule: {missing}"

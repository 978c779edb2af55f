"""The rule layer: patterns in YAML under rules/, compiled into spaCy matchers."""

from .engine import Hit, RuleEngine, RuleResult, prepare
from .loader import Rule, RuleSet, check_rules, load_rules

__all__ = ["Hit", "Rule", "RuleEngine", "RuleResult", "RuleSet", "check_rules", "load_rules", "prepare"]

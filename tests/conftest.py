"""Shared fixtures: the project's taxonomy, rules and rule engine, and the ../shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertag.rules import RuleEngine, load_rules
from papertag.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data beside the project; CI has it, a fresh clone may not)")
    return path


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def engine(taxonomy: Taxonomy) -> RuleEngine:
    return RuleEngine(load_rules(taxonomy), taxonomy)


@pytest.fixture(scope="session")
def tag(engine: RuleEngine):
    """``tag(title, abstract="") -> set of label keys`` the rules alone give (score >= facet threshold)."""
    thresholds = engine.settings.thresholds

    def _tag(title: str, abstract: str = "") -> set[str]:
        result = engine.apply_one(title, abstract)
        return {k for k, v in result.scores.items() if v >= thresholds[k.split("/", 1)[0]]}

    return _tag

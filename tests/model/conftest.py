"""Fixtures for the classifier tests: a tiny synthetic corpus, its own rules, a tiny trained model.

``data/papers.jsonl`` holds 160 synthetic papers written for these tests (templated titles and
abstracts about quantization, pruning and distillation of image, text and video models, some on
GPUs or phones); ``data/gold.jsonl`` labels the first 40 of them; ``data/rules/`` is a small rule
set, so the tests do not depend on the project's rules as they grow.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from papertag.model.classifier import TagClassifier
from papertag.model.data import read_corpus
from papertag.model.train import normalized_texts
from papertag.rules import RuleEngine, load_rules
from papertag.taxonomy import Taxonomy
from papertag.weak import WeakLabels, apply_rules, weighted_vote

DATA = Path(__file__).parent / "data"
PAPERS = DATA / "papers.jsonl"
GOLD = DATA / "gold.jsonl"
RULES = DATA / "rules"

# small enough to fit in about a second, big enough to train the fixture's labels
TINY_PARAMS = dict(min_df=1, max_df=1.0, max_features=300, C=4.0, cv=3, min_positives=5, min_cv_f1=0.2)


@pytest.fixture(scope="session")
def fx_engine(taxonomy: Taxonomy) -> RuleEngine:
    return RuleEngine(load_rules(taxonomy, RULES), taxonomy)


@pytest.fixture(scope="session")
def fx_corpus():
    return read_corpus([PAPERS])


@pytest.fixture(scope="session")
def fx_texts(fx_corpus) -> list[str]:
    return normalized_texts(fx_corpus.records)


@pytest.fixture(scope="session")
def fx_weak(fx_engine: RuleEngine, fx_corpus) -> WeakLabels:
    return apply_rules(fx_engine, ((r.id, r.title, r.abstract) for r in fx_corpus.records))


@pytest.fixture(scope="session")
def fx_model(fx_texts, fx_weak) -> TagClassifier:
    return TagClassifier(**TINY_PARAMS).fit(fx_texts, weighted_vote(fx_weak), label_keys=fx_weak.label_keys)


@pytest.fixture()
def fx_home(tmp_path: Path) -> Path:
    """A project home (``PAPERTAG_HOME``) with the real taxonomy and the fixture rules."""
    from papertag.resources import taxonomy_path

    home = tmp_path / "home"
    (home / "taxonomy").mkdir(parents=True)
    shutil.copy(taxonomy_path(), home / "taxonomy" / "taxonomy.yml")
    shutil.copytree(RULES, home / "rules")
    devices = taxonomy_path().parents[1] / "rules" / "claims"
    if devices.is_dir():
        shutil.copytree(devices, home / "rules" / "claims")
    (home / "models").mkdir()
    (home / "labels").mkdir()
    return home


def positives(y: np.ndarray) -> np.ndarray:
    return (y == 1).sum(axis=0)

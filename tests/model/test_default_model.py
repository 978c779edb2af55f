"""The shipped model in models/default loads, fast enough, and matches its card."""

from __future__ import annotations

import time

import numpy as np
import pytest

from papertag.model.persist import load_model, read_card, sha256_file
from papertag.resources import default_model_dir


@pytest.fixture(scope="module")
def default_dir():
    path = default_model_dir()
    if not (path / "card.json").exists():
        pytest.skip(f"no shipped model at {path} (train it with `papertag train`)")
    return path


def test_card_matches_the_model_file(default_dir, taxonomy):
    card = read_card(default_dir)
    assert card["model_sha256"] == sha256_file(default_dir / "model.joblib")
    assert card["label_keys"] == list(taxonomy.keys), "models/default was trained with another taxonomy: retrain it"
    assert (default_dir / "card.md").exists()
    assert card["model_bytes"] < 8_000_000


def test_loads_and_predicts(default_dir, taxonomy):
    t0 = time.perf_counter()
    model = load_model(default_dir, taxonomy=taxonomy)
    assert time.perf_counter() - t0 < 10  # ~0.5 s alone; generous for a busy CI machine
    p = model.predict_proba(["Post-Training Quantization of Large Language Models\n\n"
                             "We quantize LLM weights to 4-bit on GPUs."])
    assert p.shape == (1, len(taxonomy.keys))
    assert np.all((p >= 0) & (p <= 1))
    assert set(model.thresholds) == set(taxonomy.keys)

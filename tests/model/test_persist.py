"""Model folders: save/load round trip, hash check, taxonomy check, version warning."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from papertag.errors import ModelError, OutputExistsError
from papertag.model.persist import ModelVersionWarning, load_model, read_card, save_model

CARD = {"name": "tiny", "command": "papertag train --corpus x --out y"}


@pytest.fixture()
def saved(tmp_path, fx_model, taxonomy):
    card = {**CARD, "taxonomy_sha256": taxonomy.sha256,
            "versions": {"scikit-learn": __import__("sklearn").__version__},
            "corpus": {"paths": ["tests/model/data/papers.jsonl"]}}
    out = tmp_path / "m"
    save_model(fx_model, out, card=card)
    return out


def test_roundtrip(saved, fx_model, fx_texts, taxonomy):
    model = load_model(saved, taxonomy=taxonomy)
    np.testing.assert_allclose(model.predict_proba(fx_texts[:20]), fx_model.predict_proba(fx_texts[:20]), atol=1e-6)
    assert model.thresholds == fx_model.thresholds
    assert model.explain(fx_texts[0], "modality/image") == fx_model.explain(fx_texts[0], "modality/image")
    assert model.card["name"] == "tiny"
    assert {p.name for p in saved.iterdir()} == {"model.joblib", "card.json", "card.md"}


def test_card_records_the_hash(saved):
    import hashlib

    card = read_card(saved)
    assert card["model_sha256"] == hashlib.sha256((saved / "model.joblib").read_bytes()).hexdigest()
    assert card["model_bytes"] == (saved / "model.joblib").stat().st_size


def test_tampered_model_file_is_refused(saved, taxonomy):
    with open(saved / "model.joblib", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="does not match the one recorded in .*card.json.*joblib files can run code"):
        load_model(saved, taxonomy=taxonomy)


def test_other_taxonomy_is_refused(saved, taxonomy):
    other = replace(taxonomy, sha256="0" * 64)
    with pytest.raises(ModelError, match=r"trained with another taxonomy.*Retrain it.*papertag train --corpus"):
        load_model(saved, taxonomy=other)


def test_version_mismatch_warns(saved, taxonomy):
    card = json.loads((saved / "card.json").read_text())
    card["versions"]["scikit-learn"] = "0.0.1"
    (saved / "card.json").write_text(json.dumps(card))
    with pytest.warns(ModelVersionWarning, match=r"trained with scikit-learn 0.0.1 \(running .*Retrain it here"):
        load_model(saved, taxonomy=taxonomy)


@pytest.mark.parametrize("damage, match", [
    (lambda d: shutil.rmtree(d), "no such model folder"),
    (lambda d: (d / "card.json").unlink(), "card.json: missing"),
    (lambda d: (d / "card.json").write_text("{not json"), "not valid JSON"),
    (lambda d: (d / "card.json").write_text("{}"), "not a papertag model card"),
    (lambda d: (d / "model.joblib").unlink(), "model.joblib: missing"),
])
def test_broken_folders(saved, taxonomy, damage, match):
    damage(saved)
    with pytest.raises(ModelError, match=match):
        load_model(saved, taxonomy=taxonomy)


def test_save_refuses_to_overwrite(saved, fx_model):
    with pytest.raises(OutputExistsError, match="pass --force"):
        save_model(fx_model, saved, card=CARD)
    save_model(fx_model, saved, card={**CARD, "name": "again"}, force=True)
    assert read_card(saved)["name"] == "again"

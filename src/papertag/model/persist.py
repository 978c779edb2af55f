"""Model folders: ``model.joblib`` plus a model card (``card.json`` and ``card.md``).

joblib (pickle) files run code when they are loaded, so :func:`load_model` loads only a
``model.joblib`` whose SHA-256 matches the one recorded in ``card.json`` at training time, and
only for the taxonomy the model was trained with. Load model folders you or ``papertag train``
wrote; the hash check catches a replaced or corrupted file, not a forged card.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ..errors import ModelError, OutputExistsError
from ..taxonomy import Taxonomy, load_taxonomy

MODEL_FILE = "model.joblib"
CARD_JSON = "card.json"
CARD_MD = "card.md"
CARD_FORMAT = 1


class ModelVersionWarning(UserWarning):
    """The model was trained with other versions of scikit-learn (or papertag) than the ones running."""


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_model(model: Any, directory: str | Path, *, card: dict[str, Any], force: bool = False) -> dict[str, Any]:
    """Write ``model`` and its card into ``directory``; return the card as written.

    The folder is assembled beside its destination and moved into place, so a failed save
    leaves any previous model intact. Refuses to replace an existing model folder unless
    ``force``.
    """
    import joblib

    dest = Path(directory)
    if dest.exists() and any(dest.iterdir()) and not force:
        raise OutputExistsError(str(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        joblib.dump(model, tmp / MODEL_FILE, compress=("zlib", 3), protocol=5)
        card = dict(card)
        card["card_format"] = CARD_FORMAT
        card["model_file"] = MODEL_FILE
        card["model_sha256"] = sha256_file(tmp / MODEL_FILE)
        card["model_bytes"] = (tmp / MODEL_FILE).stat().st_size
        (tmp / CARD_JSON).write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        from .card import render_card_md

        (tmp / CARD_MD).write_text(render_card_md(card), encoding="utf-8")
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(dest, old)
            os.replace(tmp, dest)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, dest)
        os.chmod(dest, 0o755)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return card


def read_card(directory: str | Path) -> dict[str, Any]:
    """The parsed ``card.json`` of a model folder; :class:`ModelError` if missing or malformed."""
    d = Path(directory)
    path = d / CARD_JSON
    if not d.is_dir():
        raise ModelError(f"{d}: no such model folder; train one with `papertag train --corpus PATH... --out {d}`")
    if not path.is_file():
        raise ModelError(f"{path}: missing; a model folder written by `papertag train` has {MODEL_FILE} and "
                         f"{CARD_JSON}")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: not valid JSON ({exc}); retrain the model with `papertag train`") from None
    if not isinstance(card, dict) or "model_sha256" not in card:
        raise ModelError(f"{path}: not a papertag model card (no 'model_sha256'); retrain the model with "
                         f"`papertag train`")
    return card


def retrain_command(card: dict[str, Any], directory: str | Path) -> str:
    """The ``papertag train`` command that reproduces a model from its card."""
    corpus = " ".join((card.get("corpus") or {}).get("paths", [])) or "PATH..."
    gold = (card.get("gold") or {}).get("path")
    return f"papertag train --corpus {corpus}" + (f" --gold {gold}" if gold else "") + f" --out {directory} --force"


def load_model(directory: str | Path, *, taxonomy: Taxonomy | None = None) -> Any:
    """Load a trained model after checking its card.

    Refuses (:class:`~papertag.errors.ModelError`) when ``model.joblib`` does not match the
    hash in ``card.json`` or the model was trained with another taxonomy; warns
    (:class:`ModelVersionWarning`) when scikit-learn's version differs from training.
    """
    d = Path(directory)
    card = read_card(d)
    path = d / card.get("model_file", MODEL_FILE)
    if not path.is_file():
        raise ModelError(f"{path}: missing; the model card is there but not the model file. "
                         f"Retrain: {retrain_command(card, d)}")
    digest = sha256_file(path)
    if digest != card["model_sha256"]:
        raise ModelError(
            f"{path}: its SHA-256 ({digest[:12]}...) does not match the one recorded in {d / CARD_JSON} "
            f"({str(card['model_sha256'])[:12]}...): the file was changed or replaced after training. "
            f"papertag loads only model files whose hash matches, because joblib files can run code when "
            f"loaded. Retrain it: {retrain_command(card, d)}")
    tax = taxonomy or load_taxonomy()
    if card.get("taxonomy_sha256") != tax.sha256:
        raise ModelError(
            f"{d}: the model was trained with another taxonomy (sha256 {str(card.get('taxonomy_sha256'))[:12]}...; "
            f"{tax.path or 'the current taxonomy'} is {tax.sha256[:12]}...), so its labels may not match. "
            f"Retrain it with the current taxonomy: {retrain_command(card, d)}")
    _check_versions(card, d)
    import joblib

    model = joblib.load(path)
    from .classifier import TagClassifier

    if not isinstance(model, TagClassifier):
        raise ModelError(f"{path}: holds a {type(model).__name__}, not a papertag TagClassifier")
    if tuple(model.label_keys_) != tax.keys:
        raise ModelError(f"{d}: the model's labels differ from the taxonomy's; retrain it: "
                         f"{retrain_command(card, d)}")
    model.card = card
    return model


def _check_versions(card: dict[str, Any], d: Path) -> None:
    """Warn when scikit-learn, numpy or scipy differ from the versions the model was trained with.

    The model file holds numpy/scipy arrays and papertag objects only (no scikit-learn
    estimators), so it loads across versions; but a model trained here would not be the same.
    importlib.metadata is used rather than ``import sklearn``: applying a model never needs
    scikit-learn, and importing it takes seconds.
    """
    from importlib.metadata import PackageNotFoundError, version

    trained = card.get("versions", {})
    changed = []
    for package in ("scikit-learn", "numpy", "scipy"):
        try:
            running = version(package)
        except PackageNotFoundError:  # pragma: no cover
            running = "not installed"
        if trained.get(package) and trained[package] != running:
            changed.append(f"{package} {trained[package]} (running {running})")
    if changed:
        warnings.warn(
            f"{d}: the model was trained with {', '.join(changed)}; it still loads, but its results may differ "
            f"from a model trained in this environment. Retrain it here: {retrain_command(card, d)}",
            ModelVersionWarning, stacklevel=3)

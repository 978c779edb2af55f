"""What the tagger needs from a trained model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class TagModel(Protocol):
    """A trained multi-label model over the taxonomy's label keys.

    ``predict_proba`` takes *normalized* paper texts (``papertag.rules.prepare(title,
    abstract).norm.text``) and returns calibrated probabilities, shape
    ``(n_texts, len(label_keys))``, consistent with the hierarchy (a parent's
    probability is at least its children's).
    """

    name: str
    label_keys: tuple[str, ...]
    thresholds: dict[str, float]  # probability at or above which the model tags a label
    review_low: dict[str, float]  # lower end of the abstain band [review_low, threshold): flagged for review
    corroborate: bool  # tag on the model alone only where the rules found some evidence (else: review)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...

    def explain(self, text: str, label: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` terms of ``text`` contributing most to ``label``'s score, with their contribution."""
        ...

    # the batch interface the tagger uses: features once per batch, read by prediction and explanation
    def features(self, texts: Sequence[str]) -> Any:
        """The feature matrix of normalized ``texts``."""
        ...

    def features_docs(self, docs: Sequence[Any]) -> Any:
        """:meth:`features` from spaCy docs of the normalized texts (the tokens the rules matched on)."""
        ...

    def predict_proba_features(self, X: Any) -> np.ndarray:
        """:meth:`predict_proba` on a feature matrix."""
        ...

    def explain_many(self, X: Any, row: int, labels: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """:meth:`explain` for several labels of row ``row`` of a feature matrix."""
        ...

    def explain_batch(self, X: Any, rows: Sequence[int], labels: Sequence[str], k: int = 5
                      ) -> list[list[tuple[str, float]]]:
        """:meth:`explain` for each pair ``(rows[p], labels[p])`` of a feature matrix."""
        ...

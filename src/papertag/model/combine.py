"""How the tagger combines the rules and the model for one paper.

The rules are precise; the model finds the phrasings nobody wrote a pattern for. So a label
is tagged when the rules tag it *or* the model is confident enough, and papers where the
model is unsure (and the rules silent) are flagged for review rather than tagged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .protocol import TagModel

RULE, MODEL, BOTH = "rule", "model", "rule+model"


def combine(rule_scores: Mapping[str, float], rule_thresholds: Mapping[str, float],
            model_probs: Sequence[float] | np.ndarray, model: TagModel
            ) -> tuple[set[str], dict[str, float], dict[str, str], list[str]]:
    """Combine one paper's rule scores and model probabilities.

    A label is tagged when the rules tag it (score >= threshold) or the model's probability
    reaches the label's threshold. With ``model.corroborate`` (the shipped model's setting) the
    model tags alone only where the rules found *some* evidence (score > 0): a confident
    prediction with no rule evidence at all goes to ``needs_review`` instead, because on the
    gold set such predictions were mostly wrong.

    Parameters
    ----------
    rule_scores:
        Label key -> rule score (labels without hits may be missing: score 0).
    rule_thresholds:
        The rule score at which the rules tag, by facet (``engine.settings.thresholds``);
        a label key may also be given its own.
    model_probs:
        The model's calibrated probabilities for this paper, aligned with ``model.label_keys``.
    model:
        The model (its ``label_keys``, ``thresholds``, ``review_low`` and, optionally,
        ``corroborate``).

    Returns
    -------
    tagged:
        Labels the rules tag (score >= threshold) or the model tags (prob >= its threshold).
    scores:
        Every label of the model and of ``rule_scores``: ``max(rule score, model prob)``.
    source:
        For each tagged label: ``"rule"``, ``"model"`` or ``"rule+model"`` (both tag it).
    needs_review:
        Labels not tagged (nor implied by a tagged child) whose probability is in the model's
        abstain band ``[review_low, threshold)``, or above it but without rule evidence when
        ``corroborate`` is set; in model label order.

    Examples
    --------
    >>> class M:  # any TagModel
    ...     label_keys = ("technique/pruning", "technique/distillation", "hardware/gpu")
    ...     thresholds = {"technique/pruning": 0.6, "technique/distillation": 0.6, "hardware/gpu": 0.5}
    ...     review_low = {"technique/pruning": 0.3, "technique/distillation": 0.3, "hardware/gpu": 0.25}
    >>> tagged, scores, source, review = combine(
    ...     {"technique/pruning": 0.9, "hardware/gpu": 0.2}, {"technique": 0.5, "hardware": 0.5},
    ...     [0.95, 0.1, 0.4], M())
    >>> sorted(tagged), source, review
    (['technique/pruning'], {'technique/pruning': 'rule+model'}, ['hardware/gpu'])
    >>> scores["hardware/gpu"]
    0.4
    """
    probs = np.asarray(model_probs, dtype=np.float64).ravel()
    keys = tuple(model.label_keys)
    if len(probs) != len(keys):
        raise ValueError(f"model_probs has {len(probs)} values; expected one per model label ({len(keys)})")

    def rule_threshold(key: str) -> float:
        if key in rule_thresholds:
            return float(rule_thresholds[key])
        return float(rule_thresholds[key.split("/", 1)[0]])

    rule_tagged = {k for k, v in rule_scores.items() if v >= rule_threshold(k)}
    corroborate = bool(getattr(model, "corroborate", False))
    scores: dict[str, float] = {k: float(v) for k, v in rule_scores.items()}
    model_tagged: set[str] = set()
    band: list[str] = []
    for key, p in zip(keys, probs):
        p = float(p)
        scores[key] = max(scores.get(key, 0.0), p)
        if p >= model.thresholds[key] and (not corroborate or key in rule_tagged or rule_scores.get(key, 0.0) > 0):
            model_tagged.add(key)
        elif p >= model.review_low[key]:
            band.append(key)
    tagged = rule_tagged | model_tagged
    source = {k: BOTH if k in rule_tagged and k in model_tagged else RULE if k in rule_tagged else MODEL
              for k in tagged}
    implied = {k.rsplit("/", n)[0] for k in tagged for n in range(1, k.count("/"))}
    needs_review = [k for k in band if k not in tagged and k not in implied]
    return tagged, scores, source, needs_review


# source codes in the matrices of combine_batch: a bit for each layer that tags the label
RULE_BIT, MODEL_BIT = 1, 2
SOURCE_NAMES = {RULE_BIT: RULE, MODEL_BIT: MODEL, RULE_BIT | MODEL_BIT: BOTH}


def combine_batch(rule_scores: np.ndarray, rule_thresholds: np.ndarray, model_probs: np.ndarray | None = None,
                  model_thresholds: np.ndarray | None = None, review_low: np.ndarray | None = None,
                  corroborate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`combine` for a whole batch at once, on ``(papers x labels)`` matrices.

    All arrays share one label order (the tagger uses the taxonomy's keys). ``model_thresholds``
    and ``review_low`` hold one value per label; a label the model lacks gets a value above 1, so
    it is never tagged nor reviewed by the model. Without ``model_probs`` the rules decide alone.

    Returns
    -------
    source:
        ``uint8`` matrix: ``RULE_BIT`` where the rules tag a label, ``MODEL_BIT`` where the model
        does (0: not tagged). Implied parents are *not* added here.
    scores:
        ``max(rule score, model probability)``.
    band:
        ``bool`` matrix: not tagged by the model, probability in its abstain band or (with
        ``corroborate``) confident without rule evidence. The caller drops tagged and implied labels.
    """
    rule_tagged = rule_scores >= rule_thresholds
    source = rule_tagged.astype(np.uint8) * RULE_BIT
    if model_probs is None:
        return source, rule_scores.astype(np.float64), np.zeros(rule_scores.shape, dtype=bool)
    if model_probs.shape != rule_scores.shape:
        raise ValueError(f"model_probs has shape {model_probs.shape}; expected {rule_scores.shape}")
    probs = model_probs.astype(np.float64)
    confident = probs >= model_thresholds
    model_tagged = confident & (rule_tagged | (rule_scores > 0)) if corroborate else confident
    source |= model_tagged.astype(np.uint8) * MODEL_BIT
    band = ~model_tagged & (probs >= review_low)
    return source, np.maximum(rule_scores, probs), band

"""Weak labels: the rules applied to a corpus as a label matrix with abstains (as in Snorkel).

Every rule is a labelling function for the labels it names. For one paper and one label:

- a rule *votes for* the label when it has a kept (not vetoed) hit for it or for one of its
  children (a child implies its parent);
- a veto rule *votes against* the label when it fires for it or for one of its ancestors;
- every other rule abstains.

Two ways to turn votes into training targets, in ``{ABSTAIN, NEGATIVE, POSITIVE}``:

- :func:`majority_vote`, the baseline Snorkel and Argilla users find hard to beat: positive
  when more rules vote for the label than against it, negative when no rule votes for it,
  abstain on a tie;
- :func:`weighted_vote`, the rule engine's own combination: hit strength = rule weight x
  context factor (title / own contribution / background sentence) x efficiency gate, scores
  combined by noisy-OR after vetoes. Positive at or above the facet threshold, negative at
  zero, abstain in between (some weak evidence, not enough to tag).

Gold labels override both for the papers and facets they cover (:func:`apply_gold`).

Examples
--------
>>> import numpy as np
>>> wl = WeakLabels(ids=("a", "b", "c"), label_keys=("technique/quantization",),
...                 scores=np.array([[0.9], [0.3], [0.0]], dtype=np.float32),
...                 pos_votes=np.array([[2], [1], [0]], dtype=np.int16),
...                 neg_votes=np.array([[0], [1], [0]], dtype=np.int16),
...                 thresholds=np.array([0.5], dtype=np.float32))
>>> weighted_vote(wl)[:, 0].tolist()
[1, -1, 0]
>>> majority_vote(wl)[:, 0].tolist()
[1, -1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from .gold import GoldLabel
    from .rules import RuleEngine, RuleResult
    from .taxonomy import Taxonomy

ABSTAIN = -1
NEGATIVE = 0
POSITIVE = 1

__all__ = [
    "ABSTAIN", "NEGATIVE", "POSITIVE", "WeakLabels", "apply_gold", "apply_rules", "label_summary",
    "majority_vote", "weak_labels_from_results", "weighted_vote",
]


@dataclass(frozen=True)
class WeakLabels:
    """The rules' votes on ``n`` papers for ``m`` labels.

    Attributes
    ----------
    ids:
        Paper ids, one per row.
    label_keys:
        Label keys (``facet/id``), one per column, in taxonomy order.
    scores:
        ``(n, m)`` float32: the rule engine's score (0 when no kept hit).
    pos_votes:
        ``(n, m)`` int16: distinct rules with a kept hit for the label or a descendant.
    neg_votes:
        ``(n, m)`` int16: distinct veto rules that fired for the label or an ancestor.
    thresholds:
        ``(m,)`` float32: the score at which the rules tag each label (its facet's threshold).
    """

    ids: tuple[str, ...]
    label_keys: tuple[str, ...]
    scores: np.ndarray
    pos_votes: np.ndarray
    neg_votes: np.ndarray
    thresholds: np.ndarray

    def __post_init__(self) -> None:
        n, m = len(self.ids), len(self.label_keys)
        for name in ("scores", "pos_votes", "neg_votes"):
            shape = getattr(self, name).shape
            if shape != (n, m):
                raise ValueError(f"WeakLabels.{name} has shape {shape}; expected ({n}, {m}) for "
                                 f"{n} ids and {m} label keys")
        if self.thresholds.shape != (m,):
            raise ValueError(f"WeakLabels.thresholds has shape {self.thresholds.shape}; expected ({m},)")

    def __len__(self) -> int:
        return len(self.ids)

    def rule_tagged(self) -> np.ndarray:
        """``(n, m)`` bool: labels the rules tag (score at or above the threshold)."""
        return self.scores >= self.thresholds

    def subset(self, rows: Sequence[int] | np.ndarray) -> WeakLabels:
        """The weak labels of the papers at ``rows``."""
        idx = np.asarray(rows, dtype=np.int64)
        return WeakLabels(tuple(self.ids[i] for i in idx), self.label_keys, self.scores[idx],
                          self.pos_votes[idx], self.neg_votes[idx], self.thresholds)

    def save(self, path: str | Path) -> None:
        """Write to a ``.npz`` file (a cache for experiments; not part of any model)."""
        np.savez_compressed(path, ids=np.array(self.ids, dtype=object), label_keys=np.array(self.label_keys),
                            scores=self.scores, pos_votes=self.pos_votes, neg_votes=self.neg_votes,
                            thresholds=self.thresholds)

    @classmethod
    def load(cls, path: str | Path) -> WeakLabels:
        """Read what :meth:`save` wrote."""
        with np.load(path, allow_pickle=True) as z:
            return cls(tuple(str(i) for i in z["ids"]), tuple(str(k) for k in z["label_keys"]), z["scores"],
                       z["pos_votes"], z["neg_votes"], z["thresholds"])


def weak_labels_from_results(results: Iterable[RuleResult], ids: Sequence[str], taxonomy: Taxonomy,
                             thresholds: Mapping[str, float]) -> WeakLabels:
    """Turn rule results (one per paper, in the order of ``ids``) into :class:`WeakLabels`.

    ``thresholds`` maps each facet to the rule score at which it tags (``engine.settings.thresholds``).
    """
    keys = taxonomy.keys
    col = {k: j for j, k in enumerate(keys)}
    n, m = len(ids), len(keys)
    scores = np.zeros((n, m), dtype=np.float32)
    pos = np.zeros((n, m), dtype=np.int16)
    neg = np.zeros((n, m), dtype=np.int16)
    # a veto for a label also vetoes its descendants
    covered = {k: [col[d] for d in keys if d == k or d.startswith(k + "/")] for k in keys}
    i = -1
    for i, res in enumerate(results):
        if i >= n:
            raise ValueError(f"more rule results than ids ({n})")
        for label, score in res.scores.items():
            if label in col:
                scores[i, col[label]] = score
        for label, hits in res.hits.items():
            if label in col:
                pos[i, col[label]] = len({h.rule for h in hits})
        vetoes: dict[int, set[str]] = {}
        for h in res.fired:
            if h.veto and h.label in covered:
                for j in covered[h.label]:
                    vetoes.setdefault(j, set()).add(h.rule)
        for j, rules in vetoes.items():
            neg[i, j] = len(rules)
    if i + 1 != n:
        raise ValueError(f"got {i + 1} rule results for {n} ids")
    thr = np.array([thresholds[k.split("/", 1)[0]] for k in keys], dtype=np.float32)
    return WeakLabels(tuple(ids), keys, scores, pos, neg, thr)


def apply_rules(engine: RuleEngine, papers: Iterable[tuple[str, str, str]], *, batch_size: int = 256,
                n_process: int = 1) -> WeakLabels:
    """Apply the rules to ``(id, title, abstract)`` papers and return their weak labels.

    Training uses :func:`rules_and_tokens` instead, which also keeps the tokens for the classifier.
    """
    papers = list(papers)
    ids = [p[0] for p in papers]
    results = engine.apply(((t, a) for _, t, a in papers), batch_size=batch_size, n_process=n_process)
    return weak_labels_from_results(results, ids, engine.taxonomy, engine.settings.thresholds)


def weighted_vote(wl: WeakLabels) -> np.ndarray:
    """Targets from the rule engine's scores: positive at the threshold, abstain below it, negative at 0.

    Returns an ``(n, m)`` int8 matrix of ``POSITIVE``, ``NEGATIVE`` and ``ABSTAIN``.
    """
    y = np.full(wl.scores.shape, NEGATIVE, dtype=np.int8)
    y[wl.scores > 0] = ABSTAIN
    y[wl.scores >= wl.thresholds] = POSITIVE
    return y


def majority_vote(wl: WeakLabels) -> np.ndarray:
    """The majority-vote baseline: positive when votes for outnumber votes against.

    Negative when no rule votes for the label (rules only ever vote for labels they see, so
    silence counts as a no), abstain on a tie between votes for and against.
    """
    y = np.full(wl.pos_votes.shape, NEGATIVE, dtype=np.int8)
    y[(wl.pos_votes > 0) & (wl.pos_votes <= wl.neg_votes)] = ABSTAIN
    y[wl.pos_votes > wl.neg_votes] = POSITIVE
    return y


def apply_gold(y: np.ndarray, ids: Sequence[str], label_keys: Sequence[str],
               gold: Mapping[str, GoldLabel]) -> tuple[np.ndarray, np.ndarray]:
    """Override targets with gold labels for the papers and facets gold covers.

    Returns ``(targets, is_gold)``: a copy of ``y`` with gold rows replaced in each judged facet
    (a label is positive when it or a descendant is in gold, else negative), and an ``(n, m)``
    bool matrix marking the overridden cells.
    """
    out = np.array(y, dtype=np.int8, copy=True)
    is_gold = np.zeros(out.shape, dtype=bool)
    facet_cols: dict[str, list[int]] = {}
    for j, k in enumerate(label_keys):
        facet_cols.setdefault(k.split("/", 1)[0], []).append(j)
    for i, pid in enumerate(ids):
        g = gold.get(pid)
        if g is None:
            continue
        keys = g.keys
        for facet in g.facets:
            for j in facet_cols.get(facet, ()):
                out[i, j] = POSITIVE if label_keys[j] in keys else NEGATIVE
                is_gold[i, j] = True
    return out, is_gold


def label_summary(y: np.ndarray, label_keys: Sequence[str], *, baseline: np.ndarray | None = None) -> pd.DataFrame:
    """Per label: positives, negatives, abstains and coverage; with ``baseline`` (another target
    matrix, e.g. :func:`majority_vote`) also how often the two agree where neither abstains."""
    import pandas as pd

    rows = []
    n = max(len(y), 1)
    for j, k in enumerate(label_keys):
        col = y[:, j]
        row: dict[str, object] = {
            "label": k, "positive": int((col == POSITIVE).sum()), "negative": int((col == NEGATIVE).sum()),
            "abstain": int((col == ABSTAIN).sum()), "pos_rate": round(float((col == POSITIVE).sum()) / n, 4),
        }
        if baseline is not None:
            b = baseline[:, j]
            both = (col != ABSTAIN) & (b != ABSTAIN)
            row["baseline_positive"] = int((b == POSITIVE).sum())
            row["agreement"] = round(float((col[both] == b[both]).mean()), 4) if both.any() else float("nan")
        rows.append(row)
    return pd.DataFrame(rows).set_index("label")


def rules_and_tokens(engine: RuleEngine, papers: Sequence[tuple[str, str, str]], *, batch_size: int = 500
                     ) -> tuple[WeakLabels, Any, list[str]]:
    """Weak labels of ``(id, title, abstract)`` papers, plus what the classifier needs from the same
    pass: each paper's tokens (a :class:`~papertag.model.tokens.TokenBatch` with strings) and its
    normalized text. Every paper is tokenized once, for both."""
    from .model.tokens import TokenBatch, doc_tokens
    from .rules import prepare

    results: list[RuleResult] = []
    batches: list[TokenBatch] = []
    texts: list[str] = []
    for i in range(0, len(papers), batch_size):
        prepared = [prepare(t, a) for _, t, a in papers[i:i + batch_size]]
        chunk_texts = [p.norm.text for p in prepared]
        docs = list(engine.tokenize(chunk_texts, batch_size=batch_size))
        results.extend(engine.apply_docs(docs, prepared))
        batches.append(doc_tokens(docs, with_strings=True))
        texts.extend(chunk_texts)
    wl = weak_labels_from_results(results, [p[0] for p in papers], engine.taxonomy, engine.settings.thresholds)
    return wl, TokenBatch.concat(batches), texts


def _rules_and_tokens_chunk(config: Any, papers: list[tuple[str, str, str]]) -> tuple[WeakLabels, Any, list[str]]:
    """Worker side of :func:`rules_and_tokens_parallel`."""
    from .parallel import tagger_for

    return rules_and_tokens(tagger_for(config).engine, papers)


PARALLEL_CHUNK_SIZE = 2000  # papers per task when the rules run in worker processes


def rules_and_tokens_parallel(engine: RuleEngine, papers: Sequence[tuple[str, str, str]], *, jobs: int = 2,
                              chunk_size: int | None = None, rules_dir: str | None = None
                              ) -> tuple[WeakLabels, Any, list[str]]:
    """:func:`rules_and_tokens` in ``jobs`` worker processes (joblib), chunk by chunk; same result.

    Each worker builds its own engine from ``rules_dir`` (the project's rules by default) and the
    project taxonomy, which must be the ones ``engine`` was built from.
    """
    from joblib import Parallel, delayed

    from .model.tokens import TokenBatch
    from .parallel import TaggerConfig

    if jobs == 1:
        return rules_and_tokens(engine, papers)
    config = TaggerConfig(with_claims=False, rules_dir=rules_dir).pinned()
    size = chunk_size or PARALLEL_CHUNK_SIZE
    chunks = [list(papers[i:i + size]) for i in range(0, len(papers), size)]
    parts = Parallel(n_jobs=jobs, backend="loky")(delayed(_rules_and_tokens_chunk)(config, c) for c in chunks)
    keys = engine.taxonomy.keys
    m = len(keys)

    def stack(attr: str, dtype: Any) -> np.ndarray:
        return np.concatenate([getattr(p[0], attr) for p in parts]) if parts else np.zeros((0, m), dtype=dtype)

    thr = np.array([engine.settings.thresholds[k.split("/", 1)[0]] for k in keys], dtype=np.float32)
    wl = WeakLabels(tuple(p[0] for p in papers), keys, stack("scores", np.float32), stack("pos_votes", np.int16),
                    stack("neg_votes", np.int16), thr)
    return wl, TokenBatch.concat([p[1] for p in parts]), [t for p in parts for t in p[2]]

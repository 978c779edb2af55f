"""The classifier: TF-IDF features and one calibrated logistic regression per label.

Design, in the order :meth:`TagClassifier.fit` runs it:

1. **Features.** One TF-IDF vectorizer over the normalized title + abstract (word 1-2-grams,
   sublinear tf, ``min_df``), optionally plus character n-grams within word boundaries
   (``char_ngrams``) for method names and acronyms. The idf is a property of the corpus, not of
   a facet, so all facets share it; what differs per label is which features it may use.
2. **Feature selection.** Each label keeps the ``max_features`` terms with the highest chi-square
   against its targets (papers where the rules abstain left out). The model stores only the
   union of these terms, and each label's coefficients only over its own: this is what keeps
   the shipped model at a few MB.
3. **Targets with abstains.** ``y`` holds ``POSITIVE``, ``NEGATIVE`` or ``ABSTAIN`` per paper and
   label (see :mod:`papertag.weak`); a label is trained only on the papers it does not abstain
   on. Gold cells (``gold`` mask) get ``gold_weight`` times the weight of weak ones. A child's
   positive makes its parent positive.
4. **Cross-fitting.** One shuffled K-fold split of all papers, shared by every label: each fold's
   models score the papers held out from them, giving out-of-fold (OOF) scores for every paper
   and label. On them: a :class:`~papertag.model.calibration.Calibrator` per label (Platt or
   isotonic), the hierarchy (a parent's probability is the max of its own and its children's),
   a decision threshold per label (best F1 on OOF), and the cross-validated metrics of the
   model card. Then each label's logistic regression is refitted on all its papers, as
   ``CalibratedClassifierCV(ensemble=False)`` does.
5. **Abstain band.** ``review_low = review_ratio * threshold``: papers whose probability falls in
   ``[review_low, threshold)`` are neither tagged nor dropped but flagged for review.

Thresholds maximize F-beta with ``beta=0.5`` (precision counts more than recall), and the
model tags alone only labels it reproduces with out-of-fold F1 >= ``min_cv_f1``: measured on
the gold set, the model's own tags are far less precise than the rules' (a bag of words cannot
tell "we propose pruning" from "unlike pruning methods"), so its main job is to promote weak
rule evidence (``corroborate``) and to fill the review queue.

Labels with fewer than ``min_positives`` positives get no classifier: probability 0,
threshold 1 (the model never tags them; the rules still do). Labels whose best out-of-fold F1
stays below ``min_cv_f1`` keep their (calibrated) probabilities but get threshold 1 too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..weak import ABSTAIN, NEGATIVE, POSITIVE
from .calibration import Calibrator, best_threshold, expected_calibration_error, reliability_table

TOKEN_PATTERN = r"(?u)\b\w\w+\b"
TITLE_SEP = "\n\n"  # normalized texts are title + "\n\n" + abstract
UNTRAINED_THRESHOLD = 1.0  # above every probability the model gives (capped at calibration.MAX_PROB): never tags

Progress = Callable[[str], None]


class FixedTfidf:
    """Transform-only TF-IDF over a fixed vocabulary, without scikit-learn.

    Gives what ``TfidfVectorizer(analyzer=..., ngram_range=..., token_pattern=TOKEN_PATTERN,
    sublinear_tf=True, norm=None)`` with this vocabulary and idf gives (tests check it), so that
    loading and applying a model never imports scikit-learn (which takes seconds to import).

    Parameters
    ----------
    analyzer:
        ``"word"`` (tokens of two or more word characters, lower-cased) or ``"char_wb"``.
    ngram_range:
        Smallest and largest n.
    terms:
        The vocabulary, in column order.
    idf:
        Inverse document frequency per term.
    """

    def __init__(self, analyzer: str, ngram_range: tuple[int, int], terms: Sequence[str], idf: np.ndarray) -> None:
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"FixedTfidf analyzer must be 'word' or 'char_wb', got {analyzer!r}")
        self.analyzer = analyzer
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.vocabulary_ = {t: i for i, t in enumerate(self.terms)}

    def _ngrams(self, text: str) -> list[str]:
        lo, hi = self.ngram_range
        text = text.lower()
        out: list[str] = []
        if self.analyzer == "word":
            tokens = _TOKEN_RE.findall(text)
            if lo == 1:
                out.extend(tokens)
            for n in range(max(lo, 2), hi + 1):
                out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
            return out
        for word in _SPACES_RE.sub(" ", text).split():  # sklearn's _char_wb_ngrams
            w = f" {word} "
            for n in range(lo, hi + 1):
                offset = 0
                out.append(w[offset:offset + n])
                while offset + n < len(w):
                    offset += 1
                    out.append(w[offset:offset + n])
                if offset == 0:  # count a short word only once
                    break
        return out

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw (not normalized) sublinear tf-idf, shape ``(len(texts), len(terms))``, float32."""
        vocab = self.vocabulary_
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            counts: dict[int, int] = {}
            for g in self._ngrams(text):
                j = vocab.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            indices.extend(counts)
            data.extend(counts.values())
            indptr.append(len(indices))
        X = sp.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(self.terms)))
        X.sort_indices()
        if X.nnz:
            X.data = (np.log(X.data) + 1.0).astype(np.float32) * self.idf[X.indices]
        return X

    # joblib unpickles in pure Python, where a dict of tens of thousands of terms is slow to
    # load: store the terms as one string and rebuild the dict on load
    _SEP = "\x00"

    def __getstate__(self) -> dict[str, Any]:
        return {"analyzer": self.analyzer, "ngram_range": self.ngram_range, "terms": self._SEP.join(self.terms),
                "idf": self.idf}

    def __setstate__(self, state: dict[str, Any]) -> None:
        terms = state["terms"].split(self._SEP) if state["terms"] else []
        self.__init__(state["analyzer"], state["ngram_range"], terms, state["idf"])  # type: ignore[misc]


_TOKEN_RE = re.compile(TOKEN_PATTERN)
_SPACES_RE = re.compile(r"\s\s+")


def _l2_normalize(X: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit l2 norm (empty rows stay empty), like ``sklearn.preprocessing.normalize``."""
    X = sp.csr_matrix(X, dtype=np.float32, copy=True)
    sq = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    norms = np.sqrt(sq, dtype=np.float64)
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, np.diff(X.indptr)).astype(np.float32)
    return X


class TextFeatures:
    """TF-IDF over word n-grams (plus optional ``char_wb`` n-grams and a title block), each block
    l2-normalized and weighted.

    ``fit_raw`` learns vocabularies and idf from a corpus with scikit-learn and returns raw
    (unnormalized) blocks; ``restrict`` keeps a subset of columns and swaps in
    :class:`FixedTfidf` blocks, after which :meth:`transform` gives exactly
    ``normalize(raw[:, kept])`` per block, without scikit-learn.
    """

    def __init__(self, *, word_ngrams: tuple[int, int] = (1, 2), min_df: int = 3, max_df: float = 0.5,
                 char_ngrams: tuple[int, int] | None = None, char_min_df: int = 5, char_weight: float = 1.0,
                 title_weight: float = 0.0) -> None:
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.max_df = max_df
        self.char_ngrams = char_ngrams
        self.char_min_df = char_min_df
        self.char_weight = char_weight
        self.title_weight = title_weight

    def _vectorizers(self) -> list[tuple[str, str, tuple[int, int], Any]]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        def make(analyzer: str, ngrams: tuple[int, int], min_df: int) -> Any:
            kw = {"token_pattern": TOKEN_PATTERN} if analyzer == "word" else {}
            return TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngrams), min_df=min_df, max_df=self.max_df,
                                   sublinear_tf=True, norm=None, dtype=np.float32, **kw)

        out = [("word", "word", tuple(self.word_ngrams), make("word", self.word_ngrams, self.min_df))]
        if self.char_ngrams:
            out.append(("char", "char_wb", tuple(self.char_ngrams),
                        make("char_wb", self.char_ngrams, self.char_min_df)))
        if self.title_weight:
            out.append(("title", "word", tuple(self.word_ngrams), make("word", self.word_ngrams, self.min_df)))
        return out

    @staticmethod
    def _inputs(name: str, texts: Sequence[str]) -> Sequence[str]:
        """What a block reads: the whole text, or (``title`` block) the part before the first blank line."""
        if name == "title":
            return [t.split(TITLE_SEP, 1)[0] if TITLE_SEP in t else "" for t in texts]
        return texts

    def fit_raw(self, texts: Sequence[str]) -> list[sp.csr_matrix]:
        """Fit every block on ``texts``; return their raw tf-idf matrices."""
        self.blocks_: list[tuple[str, FixedTfidf]] = []
        raws = []
        for name, analyzer, ngrams, vec in self._vectorizers():
            try:
                raws.append(vec.fit_transform(self._inputs(name, texts)).tocsr())
                terms = [""] * len(vec.vocabulary_)
                for t, j in vec.vocabulary_.items():
                    terms[j] = t
                idf = vec.idf_
            except ValueError:  # an empty vocabulary (e.g. no titles): keep an empty block
                raws.append(sp.csr_matrix((len(texts), 0), dtype=np.float32))
                terms, idf = [], np.zeros(0, dtype=np.float32)
            self.blocks_.append((name, FixedTfidf(analyzer, ngrams, terms, idf)))
        return raws

    def combine(self, raws: Sequence[sp.spmatrix]) -> sp.csr_matrix:
        """l2-normalize each block, weight, and stack side by side."""
        parts = []
        for (name, _), raw in zip(self.blocks_, raws):
            part = _l2_normalize(raw)
            weight = {"char": self.char_weight, "title": self.title_weight}.get(name, 1.0)
            if weight != 1.0:
                part = part * np.float32(weight)
            parts.append(part)
        return parts[0].tocsr() if len(parts) == 1 else sp.hstack(parts, format="csr", dtype=np.float32)

    @property
    def block_sizes(self) -> list[int]:
        return [len(v.terms) for _, v in self.blocks_]

    def restrict(self, columns: np.ndarray) -> None:
        """Keep only ``columns`` (indices into the stacked feature space), in order."""
        columns = np.sort(np.asarray(columns, dtype=np.int64))
        offset = 0
        new_blocks = []
        for name, vec in self.blocks_:
            size = len(vec.terms)
            local = columns[(columns >= offset) & (columns < offset + size)] - offset
            new_blocks.append((name, FixedTfidf(vec.analyzer, vec.ngram_range, [vec.terms[i] for i in local],
                                                vec.idf[local])))
            offset += size
        self.blocks_ = new_blocks

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.combine([vec.transform(self._inputs(name, texts)) for name, vec in self.blocks_])

    def feature_names(self) -> np.ndarray:
        names: list[str] = []
        for name, vec in self.blocks_:
            names.extend(t if name == "word" else f"«{t}»" if name == "char" else f"title:{t}" for t in vec.terms)
        return np.array(names, dtype=object)


class TagClassifier:
    """Multi-label TF-IDF + logistic regression tagger over taxonomy label keys.

    Parameters
    ----------
    name:
        Shown in evidence (``{"model": name, ...}``).
    word_ngrams, min_df, max_df, char_ngrams, char_min_df, char_weight, title_weight:
        Feature extraction (:class:`TextFeatures`); ``char_ngrams=None`` uses words only;
        ``title_weight > 0`` adds the title's word n-grams as a block of their own.
    max_features:
        Features each label may use (top chi-square); ``None`` for all.
    C, class_weight:
        Logistic regression's inverse regularization strength and class weighting.
    cv:
        Folds for cross-fitting (calibration, thresholds, metrics).
    calibration:
        ``"auto"``, ``"sigmoid"`` or ``"isotonic"`` (:class:`~papertag.model.calibration.Calibrator`).
    min_positives:
        A label needs at least this many positive papers to get a classifier.
    threshold_beta:
        Thresholds maximize F-beta on OOF probabilities (beta < 1 favours precision).
    review_ratio:
        ``review_low = review_ratio * threshold``.
    min_cv_f1:
        A label whose best out-of-fold F1 is below this is never tagged by the model
        (threshold 1): the model does not reproduce it well enough, so it leaves it to the rules.
        Papers it would have tagged (probability at or above the best threshold) still go to
        review: its ``review_low`` is that threshold.
    corroborate:
        Read by :func:`papertag.model.combine.combine`: the model tags a label only where the rules
        found some evidence for it (a score above 0, below their threshold); a confident
        prediction without any rule evidence is flagged for review instead.
    abstain:
        ``"mask"``: a label is not trained on papers where the rules abstain for it (some evidence,
        below the threshold); ``"negative"``: those papers count as negatives.
    gold_weight:
        Sample weight of gold cells relative to weak ones.
    coef_tol:
        Coefficients with ``|w| < coef_tol`` are dropped after fitting (smaller model).
    random_state:
        Seeds the fold split.
    tokenizer:
        ``"spacy"``: word n-grams over the spaCy tokens the rules make anyway (the tagger hands
        them over, so nothing is tokenized twice; :mod:`papertag.model.tokens`). ``"regex"``:
        scikit-learn's regex word tokens, needed for ``char_ngrams`` and ``title_weight``.

    Attributes
    ----------
    label_keys_ : tuple of str
    thresholds_, review_low_ : dict of label key -> float
    features_ : TextFeatures
    feature_names_ : ndarray of str
    coef_ : scipy.sparse.csr_matrix of float32, shape (n_labels, n_features)
    intercept_ : ndarray of float32, shape (n_labels,)
    calibrators_ : list of Calibrator or None (untrained labels)
    cv_metrics_ : dict of label key -> dict
        Out-of-fold precision, recall, F1 and counts at the threshold used (``precision`` ...)
        and at the best F-beta threshold (``best_precision`` ...), average precision, ECE.
    reliability_ : list of dict
        Pooled OOF reliability table (predicted vs observed, 10 bins).
    """

    def __init__(self, *, name: str = "tfidf-lr", word_ngrams: tuple[int, int] = (1, 2), min_df: int = 3,
                 max_df: float = 0.5, char_ngrams: tuple[int, int] | None = None, char_min_df: int = 5,
                 char_weight: float = 1.0, title_weight: float = 0.0, max_features: int | None = 1000,
                 C: float = 4.0,
                 class_weight: str | None = "balanced", cv: int = 3, calibration: str = "auto",
                 min_positives: int = 10, threshold_beta: float = 0.5, review_ratio: float = 0.5,
                 min_cv_f1: float = 0.8, corroborate: bool = True, abstain: str = "mask",
                 gold_weight: float = 3.0, coef_tol: float = 0.0,
                 random_state: int = 0, tokenizer: str = "spacy") -> None:
        self.name = name
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.max_df = max_df
        self.char_ngrams = char_ngrams
        self.char_min_df = char_min_df
        self.char_weight = char_weight
        self.title_weight = title_weight
        self.max_features = max_features
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.calibration = calibration
        self.min_positives = min_positives
        self.threshold_beta = threshold_beta
        self.review_ratio = review_ratio
        self.min_cv_f1 = min_cv_f1
        self.corroborate = corroborate
        self.abstain = abstain
        self.gold_weight = gold_weight
        self.coef_tol = coef_tol
        self.random_state = random_state
        self.tokenizer = tokenizer

    _PARAMS = ("name", "word_ngrams", "min_df", "max_df", "char_ngrams", "char_min_df", "char_weight",
               "title_weight", "max_features", "C", "class_weight", "cv", "calibration", "min_positives", "threshold_beta",
               "review_ratio", "min_cv_f1", "corroborate", "abstain", "gold_weight", "coef_tol", "random_state",
               "tokenizer")

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._PARAMS}

    def __repr__(self) -> str:
        return f"TagClassifier(name={self.name!r}, labels={len(getattr(self, 'label_keys_', ()))})"

    # ------------------------------------------------------------------ TagModel protocol
    @property
    def label_keys(self) -> tuple[str, ...]:
        self._check_fitted()
        return self.label_keys_

    @property
    def thresholds(self) -> dict[str, float]:
        self._check_fitted()
        return self.thresholds_

    @property
    def review_low(self) -> dict[str, float]:
        self._check_fitted()
        return self.review_low_

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("This TagClassifier instance is not fitted yet. Call 'fit' with texts and "
                                 "targets first, or load a trained model with papertag.model.load_model.")

    # ------------------------------------------------------------------ fitting
    def fit(self, texts: Sequence[str], y: np.ndarray, *, label_keys: Sequence[str],
            gold: np.ndarray | None = None, progress: Progress | None = None, n_jobs: int = 1,
            tokens: Any | None = None) -> TagClassifier:
        """Fit on normalized ``texts`` and an ``(n, m)`` target matrix with abstains.

        Parameters
        ----------
        texts:
            Normalized title + abstract per paper (``papertag.rules.prepare(...).norm.text``).
        y:
            ``POSITIVE`` / ``NEGATIVE`` / ``ABSTAIN`` per paper and label.
        label_keys:
            One label key per column of ``y``, parents before children.
        gold:
            Optional ``(n, m)`` bool mask of cells that come from gold labels.
        progress:
            Called with a line of text at each step.
        n_jobs:
            Threads fitting labels at once (liblinear releases the GIL); the result does not depend on it.
        tokens:
            With ``tokenizer="spacy"``: the texts' tokens already made (a
            :class:`~papertag.model.tokens.TokenBatch` with strings); tokenized here when ``None``.

        Returns
        -------
        self
        """
        self._validate(texts, y, label_keys, gold)
        say = progress or (lambda _msg: None)
        t_start = time.perf_counter()
        keys = tuple(label_keys)
        y = _hierarchy_targets(np.asarray(y, dtype=np.int8), keys)
        if self.abstain == "negative":
            y[y == ABSTAIN] = NEGATIVE
        n, m = y.shape
        weights = np.where(gold, np.float32(self.gold_weight), np.float32(1.0)) if gold is not None else None

        # 1. features
        if self.tokenizer == "spacy":
            from .tokens import TokenFeatures

            self.features_ = TokenFeatures(word_ngrams=self.word_ngrams, min_df=self.min_df, max_df=self.max_df)
            raws = self.features_.fit_raw(tokens if tokens is not None else tokenize(texts, with_strings=True))
        else:
            self.features_ = TextFeatures(word_ngrams=self.word_ngrams, min_df=self.min_df, max_df=self.max_df,
                                          char_ngrams=self.char_ngrams, char_min_df=self.char_min_df,
                                          char_weight=self.char_weight, title_weight=self.title_weight)
            raws = self.features_.fit_raw(texts)
        X_full = self.features_.combine(raws)
        say(f"features: {X_full.shape[1]:,} terms over {n:,} papers ({time.perf_counter() - t_start:.0f}s)")

        # 2. which labels are trained, and on which features
        trainable = [j for j in range(m) if int((y[:, j] == POSITIVE).sum()) >= self.min_positives
                     and int(((y[:, j] != POSITIVE) & (y[:, j] != ABSTAIN)).sum()) >= self.min_positives]
        label_cols: dict[int, np.ndarray] = {}
        for j in trainable:
            rows = y[:, j] != ABSTAIN
            label_cols[j] = _select_features(X_full, rows, y[:, j] == POSITIVE, self.max_features)
        union = np.unique(np.concatenate(list(label_cols.values()))) if label_cols else np.zeros(1, dtype=np.int64)
        remap = np.full(X_full.shape[1], -1, dtype=np.int64)
        remap[union] = np.arange(len(union))
        self.features_.restrict(union)
        X = self.features_.combine([r[:, _block_cols(union, self.features_, i, raws)] for i, r in enumerate(raws)])
        del X_full, raws
        label_cols = {j: remap[c] for j, c in label_cols.items()}
        Xc = X.tocsc()
        say(f"feature selection: {len(union):,} terms kept for {len(trainable)} trainable labels "
            f"(of {m}; the rest have < {self.min_positives} positives)")

        # 3-4. cross-fitting
        rng = np.random.default_rng(self.random_state)
        folds = rng.permutation(n) % max(self.cv, 2)
        scores_oof = np.zeros((n, m), dtype=np.float64)
        coef = sp.lil_matrix((m, len(union)), dtype=np.float32)
        intercept = np.zeros(m, dtype=np.float32)
        calibrators: list[Calibrator | None] = [None] * m
        probs_oof = np.zeros((n, m), dtype=np.float32)
        def fit_label(j: int) -> tuple[int, np.ndarray, Calibrator, np.ndarray, float, float]:
            t0 = time.perf_counter()
            cols = label_cols[j]
            Xj = Xc[:, cols].tocsr()
            target = y[:, j]
            rows = target != ABSTAIN
            w = weights[:, j] if weights is not None else None
            oof = np.zeros(n, dtype=np.float64)
            for f in range(max(self.cv, 2)):
                train = rows & (folds != f)
                test = folds == f
                yt = target[train] == POSITIVE
                if yt.sum() == 0 or yt.sum() == len(yt):
                    oof[test] = 0.0 if yt.sum() == 0 else 1.0
                    continue
                clf = self._lr().fit(Xj[train], yt, sample_weight=None if w is None else w[train])
                oof[test] = clf.decision_function(Xj[test])
            cal = Calibrator(self.calibration).fit(oof[rows], target[rows] == POSITIVE,
                                                   sample_weight=None if w is None else w[rows])
            final = self._lr().fit(Xj[rows], target[rows] == POSITIVE, sample_weight=None if w is None else w[rows])
            wj = final.coef_.ravel().astype(np.float32)
            if self.coef_tol > 0:
                wj[np.abs(wj) < self.coef_tol] = 0.0
            return j, oof, cal, wj, float(final.intercept_[0]), time.perf_counter() - t0

        if n_jobs > 1 and len(trainable) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=n_jobs) as pool:
                fitted = pool.map(fit_label, trainable)
                done_list = list(fitted)
        else:
            done_list = [fit_label(j) for j in trainable]
        for done, (j, oof, cal, wj, b, secs) in enumerate(done_list, 1):
            scores_oof[:, j] = oof
            calibrators[j] = cal
            probs_oof[:, j] = cal(oof)
            coef[j, label_cols[j]] = wj
            intercept[j] = b
            target = y[:, j]
            say(f"  [{done}/{len(trainable)}] {keys[j]}: {int((target == POSITIVE).sum())} positive, "
                f"{int((target != ABSTAIN).sum())} papers, {cal!r} ({secs:.1f}s)")

        self.label_keys_ = keys
        self.trained_ = np.zeros(m, dtype=bool)
        self.trained_[trainable] = True
        self.coef_ = coef.tocsr()
        self.coef_.eliminate_zeros()
        self.intercept_ = intercept
        self.calibrators_ = calibrators
        self._feature_names = None
        self._coef_dense = self._label_cols = None
        self._parents = _parent_index(keys)

        # hierarchy, thresholds, metrics on OOF
        probs_oof = self._hierarchy(probs_oof)
        self.thresholds_, self.review_low_, self.cv_metrics_ = {}, {}, {}
        pooled_y, pooled_p = [], []
        for j, key in enumerate(keys):
            rows = y[:, j] != ABSTAIN
            yt = y[rows, j] == POSITIVE
            counts = {"positive": int(yt.sum()), "negative": int((~yt).sum()), "abstain": int((~rows).sum())}
            if not self.trained_[j]:
                self.thresholds_[key] = self.review_low_[key] = UNTRAINED_THRESHOLD
                self.cv_metrics_[key] = {"trained": False, **counts}
                continue
            p = probs_oof[rows, j]
            t = best_threshold(yt, p, beta=self.threshold_beta)
            usable = t.f1 >= self.min_cv_f1
            thr = float(t.threshold) if usable else UNTRAINED_THRESHOLD
            self.thresholds_[key] = round(thr, 4)
            # a label the model may not tag still sends the papers it would have tagged to review
            self.review_low_[key] = round(thr * self.review_ratio if usable else float(t.threshold), 4)
            tagged = p >= thr
            tp, fp, fn = int((tagged & yt).sum()), int((tagged & ~yt).sum()), int((~tagged & yt).sum())
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            self.cv_metrics_[key] = {
                "trained": True, "tags": bool(usable), **counts, "threshold": self.thresholds_[key],
                "review_low": self.review_low_[key], "tp": tp, "fp": fp, "fn": fn,
                "precision": round(prec, 4), "recall": round(rec, 4),
                "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
                "best_threshold": round(float(t.threshold), 4), "best_precision": round(t.precision, 4),
                "best_recall": round(t.recall, 4), "best_f1": round(t.f1, 4),
                "average_precision": round(_average_precision(yt, p), 4),
                "ece": round(expected_calibration_error(yt, p), 4),
                "in_review_band": int(((p >= self.review_low_[key]) & (p < self.thresholds_[key])).sum()),
                "calibration": calibrators[j].kind_ if calibrators[j] else None,
                "features": int(self.coef_[j].nnz),
            }
            pooled_y.append(yt)
            pooled_p.append(p)
        if pooled_y:
            yy, pp = np.concatenate(pooled_y), np.concatenate(pooled_p)
            self.reliability_ = reliability_table(yy, pp).to_dict(orient="records")
            self.ece_ = round(expected_calibration_error(yy, pp), 4)
        else:
            self.reliability_, self.ece_ = [], float("nan")
        self.fit_seconds_ = round(time.perf_counter() - t_start, 1)
        return self

    def _lr(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", max_iter=200,
                                  random_state=0)

    def _validate(self, texts: Sequence[str], y: np.ndarray, label_keys: Sequence[str],
                  gold: np.ndarray | None) -> None:
        y = np.asarray(y)
        if y.ndim != 2:
            raise ValueError(f"y must be a 2-D (papers x labels) matrix; got shape {y.shape}")
        if len(texts) != y.shape[0]:
            raise ValueError(f"Got {len(texts)} texts but y has {y.shape[0]} rows; expected one row per text.")
        if len(label_keys) != y.shape[1]:
            raise ValueError(f"Got {len(label_keys)} label keys but y has {y.shape[1]} columns; "
                             "expected one label key per column.")
        bad = set(np.unique(y).tolist()) - {-1, 0, 1}
        if bad:
            raise ValueError(f"y may hold only POSITIVE (1), NEGATIVE (0) and ABSTAIN (-1); got {sorted(bad)}")
        if gold is not None and np.asarray(gold).shape != y.shape:
            raise ValueError(f"gold must have the shape of y {y.shape}; got {np.asarray(gold).shape}")
        if self.cv < 2:
            raise ValueError(f"The 'cv' parameter of TagClassifier must be at least 2. Got {self.cv!r} instead.")
        if self.abstain not in ("mask", "negative"):
            raise ValueError(f"The 'abstain' parameter of TagClassifier must be 'mask' or 'negative'. "
                             f"Got {self.abstain!r} instead.")
        if self.tokenizer not in ("spacy", "regex"):
            raise ValueError(f"The 'tokenizer' parameter of TagClassifier must be 'spacy' or 'regex'. "
                             f"Got {self.tokenizer!r} instead.")
        if self.tokenizer == "spacy" and (self.char_ngrams or self.title_weight):
            raise ValueError("char_ngrams and title_weight need tokenizer='regex' (spaCy token features are "
                             "word n-grams over the whole text)")
        if not 0 < self.review_ratio <= 1:
            raise ValueError(f"The 'review_ratio' parameter of TagClassifier must be in (0, 1]. "
                             f"Got {self.review_ratio!r} instead.")

    # ------------------------------------------------------------------ predicting
    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The feature matrix of ``texts`` (one row per text), as :meth:`predict_proba_features` and
        :meth:`explain_features` take it: compute it once per batch and use it for both."""
        self._check_fitted()
        if self._tokenizer() == "spacy":
            return self.features_.transform(tokenize(texts))
        return self.features_.transform(list(texts))

    def features_docs(self, docs: Sequence[Any]) -> sp.csr_matrix:
        """:meth:`features` from spaCy docs of the normalized texts (what the rule engine made)."""
        self._check_fitted()
        if self._tokenizer() == "spacy":
            from .tokens import doc_tokens

            return self.features_.transform(doc_tokens(docs))
        return self.features_.transform([d.text for d in docs])

    def _tokenizer(self) -> str:
        return getattr(self, "tokenizer", "regex")  # models trained before the option existed used regex

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores, shape ``(n_texts, n_labels)`` (0 for untrained labels)."""
        return self.decision_function_features(self.features(texts))

    def decision_function_features(self, X: sp.csr_matrix) -> np.ndarray:
        """:meth:`decision_function` on a feature matrix from :meth:`features`."""
        self._check_fitted()
        s = np.asarray((X @ self.coef_.T).todense(), dtype=np.float32) + self.intercept_
        s[:, ~self.trained_] = 0.0
        return s

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape ``(n_texts, n_labels)``, parents at least their children."""
        return self.predict_proba_features(self.features(texts))

    def predict_proba_features(self, X: sp.csr_matrix) -> np.ndarray:
        """:meth:`predict_proba` on a feature matrix from :meth:`features`."""
        s = self.decision_function_features(X)
        p = np.zeros_like(s, dtype=np.float32)
        for j, cal in enumerate(self.calibrators_):
            if cal is not None:
                p[:, j] = cal(s[:, j])
        return self._hierarchy(p)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """``(n_texts, n_labels)`` bool: probability at or above each label's threshold."""
        p = self.predict_proba(texts)
        thr = np.array([self.thresholds_[k] for k in self.label_keys_], dtype=np.float32)
        return p >= thr

    def _hierarchy(self, p: np.ndarray) -> np.ndarray:
        for j, parent in reversed(self._parents):  # deepest labels first
            np.maximum(p[:, parent], p[:, j], out=p[:, parent])
        return p

    def explain(self, text: str, label: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` terms of ``text`` that push ``label``'s score up most: ``(term, tf-idf x coefficient)``.

        Character n-grams are shown in «guillemets».
        """
        return self.explain_features(self.features([text]), 0, label, k)

    def explain_features(self, X: sp.csr_matrix, row: int, label: str, k: int = 5) -> list[tuple[str, float]]:
        """:meth:`explain` for row ``row`` of a feature matrix from :meth:`features`."""
        return self.explain_many(X, row, [label], k)[0]

    def explain_many(self, X: sp.csr_matrix, row: int, labels: Sequence[str], k: int = 5
                     ) -> list[list[tuple[str, float]]]:
        """The ``k`` top terms of row ``row`` for each of ``labels``, all in one array operation."""
        return self.explain_batch(X, [row] * len(labels), labels, k)

    def explain_batch(self, X: sp.csr_matrix, rows: Sequence[int], labels: Sequence[str], k: int = 5
                      ) -> list[list[tuple[str, float]]]:
        """The ``k`` top terms for each pair ``(rows[p], labels[p])``: a term's contribution is its
        weight in the row times the label's coefficient; only positive contributions are shown,
        largest first (ties in column order). One array operation for the whole batch."""
        self._check_fitted()
        if len(rows) != len(labels):
            raise ValueError(f"got {len(rows)} rows but {len(labels)} labels; expected one label per row")
        if not labels:
            return []
        index = self._label_index()
        missing = [label for label in labels if label not in index]
        if missing:
            raise KeyError(f"unknown label {missing[0]!r}; the model knows {len(self.label_keys_)} labels "
                           f"such as {self.label_keys_[0]!r}")
        rows_ = np.asarray(rows, dtype=np.int64)
        starts, stops = X.indptr[rows_], X.indptr[rows_ + 1]
        sizes = stops - starts
        pair = np.repeat(np.arange(len(rows_)), sizes)  # the pair each entry belongs to
        # positions of every pair's row entries in X.indices / X.data, concatenated
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        at = np.repeat(starts, sizes) + offsets
        cols = X.indices[at]
        label_rows = np.fromiter((index[label] for label in labels), dtype=np.int64, count=len(labels))
        contrib = self._dense_coef()[label_rows[pair], cols] * X.data[at]
        positive = np.flatnonzero(contrib > 0)  # only these are shown: sort them alone
        # by pair, then largest first; stable, so ties keep column order
        keep = positive[np.lexsort((-contrib[positive], pair[positive]))]
        kept_pair = pair[keep]
        rank = np.arange(len(keep)) - np.searchsorted(kept_pair, kept_pair, side="left")
        keep = keep[rank < k]
        terms = self.feature_names_[cols[keep]].tolist()  # an object array: its items are str already
        out: list[list[tuple[str, float]]] = [[] for _ in labels]
        for p, t, v in zip(pair[keep].tolist(), terms, contrib[keep].tolist()):
            out[p].append((t, v))
        return out

    def _label_index(self) -> dict[str, int]:
        if getattr(self, "_label_cols", None) is None:
            self._label_cols = {key: j for j, key in enumerate(self.label_keys_)}
        return self._label_cols

    def _dense_coef(self) -> np.ndarray:
        """``coef_`` as a dense (labels x features) array, built once (a few MB) for fast look-ups."""
        if getattr(self, "_coef_dense", None) is None:
            self._coef_dense = self.coef_.toarray()
        return self._coef_dense

    @property
    def feature_names_(self) -> np.ndarray:
        """Feature (term) names, in the column order of ``coef_``."""
        self._check_fitted()
        if self._feature_names is None:
            self._feature_names = self.features_.feature_names()
        return self._feature_names

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("tokenizer", "regex")  # models trained before the option existed
        self.__dict__.update(state)
        self._feature_names = None
        self._coef_dense = self._label_cols = None
        if "label_keys_" in state:
            self._parents = _parent_index(self.label_keys_)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for transient in ("_parents", "_feature_names", "_coef_dense", "_label_cols"):
            state.pop(transient, None)
        return state


def tokenize(texts: Sequence[str], *, with_strings: bool = False) -> Any:
    """A :class:`~papertag.model.tokens.TokenBatch` of ``texts`` with papertag's spaCy tokenizer."""
    from ..nlp import get_nlp
    from .tokens import doc_tokens

    return doc_tokens(get_nlp().tokenizer.pipe(list(texts), batch_size=256), with_strings=with_strings)


def _parent_index(keys: Sequence[str]) -> list[tuple[int, int]]:
    """(child column, parent column) pairs, in key order; a parent's key is the child's minus its last part."""
    col = {k: j for j, k in enumerate(keys)}
    return [(j, col[k.rsplit("/", 1)[0]]) for j, k in enumerate(keys) if k.rsplit("/", 1)[0] in col]


def _hierarchy_targets(y: np.ndarray, keys: Sequence[str]) -> np.ndarray:
    """A child's positive makes its parent positive (deepest first)."""
    y = y.copy()
    for j, parent in reversed(_parent_index(keys)):
        y[y[:, j] == POSITIVE, parent] = POSITIVE
    return y


def _select_features(X: sp.csr_matrix, rows: np.ndarray, positive: np.ndarray, k: int | None) -> np.ndarray:
    """Columns of the ``k`` highest chi-square scores for one label (over ``rows``)."""
    if k is None or k >= X.shape[1]:
        return np.arange(X.shape[1])
    Xr = X[rows]
    yb = positive[rows].astype(np.float64)
    observed = np.asarray(Xr.T @ yb).ravel()
    total = np.asarray(Xr.sum(axis=0)).ravel().astype(np.float64)
    p = yb.mean()
    e1, e0 = total * p, total * (1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = (observed - e1) ** 2 / e1 + ((total - observed) - e0) ** 2 / e0
    chi2 = np.nan_to_num(chi2, nan=0.0, posinf=0.0)
    top = np.argpartition(-chi2, k - 1)[:k]
    return np.sort(top[chi2[top] > 0])


def _block_cols(union: np.ndarray, features: TextFeatures, i: int, raws: Sequence[sp.spmatrix]) -> np.ndarray:
    """The columns of raw block ``i`` that ``union`` (stacked indices) keeps."""
    offset = sum(r.shape[1] for r in raws[:i])
    size = raws[i].shape[1]
    return union[(union >= offset) & (union < offset + size)] - offset


def _average_precision(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    if y.sum() == 0:
        return float("nan")
    return float(average_precision_score(y, p))

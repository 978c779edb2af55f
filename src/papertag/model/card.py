"""The model card: what a model was trained on, how well it did, and how to reproduce it."""

from __future__ import annotations

import datetime as _dt
import platform
from typing import Any


def environment_versions() -> dict[str, str]:
    """Versions recorded in every card: papertag, Python, scikit-learn, spaCy, numpy, scipy."""
    import numpy
    import scipy
    import sklearn
    import spacy

    from .. import __version__

    return {"papertag": __version__, "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__}


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def render_card_md(card: dict[str, Any]) -> str:
    """A short Markdown summary of ``card`` (the JSON card has everything)."""
    v = card.get("versions", {})
    corpus = card.get("corpus", {})
    gold = card.get("gold") or {}
    lines = [
        f"# Model card: {card.get('name', '?')}",
        "",
        f"TF-IDF + logistic regression, one calibrated classifier per label, trained {card.get('trained_at', '?')} "
        f"in {card.get('timings', {}).get('total_s', '?')} s on {corpus.get('n_papers', '?')} papers "
        f"(weak labels from the rules" + (f", {gold.get('n_papers_used', 0)} gold papers" if gold else "") + ").",
        "",
        f"- papertag {v.get('papertag', '?')}, scikit-learn {v.get('scikit-learn', '?')}, spaCy {v.get('spacy', '?')}, "
        f"Python {v.get('python', '?')}",
        f"- taxonomy sha256 `{str(card.get('taxonomy_sha256', ''))[:16]}`, rules sha256 "
        f"`{str(card.get('rules_sha256', ''))[:16]}`, corpus sha256 `{str(corpus.get('sha256', ''))[:16]}`",
        f"- model.joblib sha256 `{str(card.get('model_sha256', ''))[:16]}` ({card.get('model_bytes', 0) / 1e6:.2f} MB); "
        f"loading refuses a file whose hash differs",
        f"- retrain: `{card.get('command', 'papertag train ...')}`",
        "",
    ]
    summary = card.get("cv_summary", {})
    if summary:
        lines += ["## Cross-validated metrics (out-of-fold, against weak + gold targets)", "",
                  "What the model tags on its own, at the thresholds it uses (labels it leaves to the rules "
                  "count as never tagged).", "",
                  "| | micro P | micro R | micro F1 | macro F1 | labels |", "|---|---|---|---|---|---|"]
        for facet, s in summary.items():
            lines.append(f"| {facet} | {_fmt(s.get('micro_precision'))} | {_fmt(s.get('micro_recall'))} | "
                         f"{_fmt(s.get('micro_f1'))} | {_fmt(s.get('macro_f1'))} | {s.get('n_labels', '')} |")
        lines.append("")
    metrics = card.get("labels", {})
    if metrics:
        lines += ["## Per label", "",
                  "Out-of-fold precision, recall and F1 at the label's best threshold (F-beta, beta = "
                  f"{card.get('params', {}).get('threshold_beta', '?')}); the model tags a label itself only when "
                  f"that F1 reaches {card.get('params', {}).get('min_cv_f1', '?')}.", "",
                  "| label | weak + | MV + | trained on | P | R | F1 | AP | model tags | threshold | review from |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for key, m in metrics.items():
            if not m.get("trained"):
                lines.append(f"| {key} | {m.get('positive', 0)} | {m.get('mv_positive', '')} | "
                             f"not trained (too few positives) | | | | | no | | |")
                continue
            lines.append(
                f"| {key} | {m.get('positive')} | {m.get('mv_positive', '')} | {m.get('positive', 0) + m.get('negative', 0)} | "
                f"{_fmt(m.get('best_precision'))} | {_fmt(m.get('best_recall'))} | {_fmt(m.get('best_f1'))} | "
                f"{_fmt(m.get('average_precision'))} | {'yes' if m.get('tags') else 'review only'} | "
                f"{_fmt(m.get('threshold'))} | {_fmt(m.get('review_low'))} |")
        lines.append("")
    rel = card.get("reliability", [])
    if rel:
        lines += [f"## Calibration (pooled out-of-fold; ECE {_fmt(card.get('ece'))})", "",
                  "| predicted | papers x labels | mean predicted | observed |", "|---|---|---|---|"]
        for r in rel:
            lines.append(f"| {r['bin']} | {r['n']} | {_fmt(r['mean_prob'])} | {_fmt(r['observed'])} |")
        lines.append("")
    lines += ["Weak labels: a label is positive when the rules tag it (score at the facet threshold), negative when "
              "no rule hits it, and left out of that label's training when the rules have some evidence below the "
              "threshold. \"MV +\" is the majority-vote baseline's positive count. Gold labels override weak ones. "
              "\"review only\": the model's out-of-fold F1 for the label is below `min_cv_f1`, so it never tags "
              "the label itself and only flags papers for review.", ""]
    return "\n".join(lines)

"""``papertag train``: train the classifier from rule-seeded weak labels plus gold labels."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Optional

import typer

from ._util import fail, friendly_errors, info

CORPUS_HELP = ("Papers to train on, in any input format (.gz too). Repeat the flag, list several paths after it, "
               "or quote a glob: --corpus '../shared/corpus/*.jsonl.gz'.")
GOLD_HELP = "Gold labels (JSONL) that override the rules' labels for the papers they cover."
OUT_HELP = "Model folder to write (model.joblib, card.json, card.md)."
FORCE_HELP = "Replace OUT if it already holds a model."
CACHE_HELP = "Keep the rules' labels here and reuse them while corpus, rules and taxonomy are unchanged."


def register(app: typer.Typer) -> None:
    app.command("train")(train_cli)


def train_cli(
    more_corpus: Optional[list[str]] = typer.Argument(None, metavar="[PATH...]", show_default=False,
                                                      help="More corpus paths (what a shell glob after --corpus expands to)."),
    corpus: list[str] = typer.Option(..., "--corpus", help=CORPUS_HELP, show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help=OUT_HELP),
    gold: Optional[Path] = typer.Option(None, "--gold", help=GOLD_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    seed: int = typer.Option(0, "--seed", help="Seed of the cross-validation split."),
    max_papers: Optional[int] = typer.Option(None, "--max-papers", min=1, help="Train on the first N papers only."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help=CACHE_HELP),
    jobs: int = typer.Option(-1, "--jobs", "-j", help="Worker processes for the rules and label fits (-1: one per core). The model does not depend on it."),
    n_process: Optional[int] = typer.Option(None, "--n-process", min=1, hidden=True, help="Old name of --jobs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the summary."),
    gold_split: str = typer.Option("train", "--gold-split",
                                   help="train: leave out gold papers marked split 'eval' (the fixed evaluation "
                                        "set); all: train on every gold paper."),
) -> None:
    """Train the classifier: rules label the corpus, gold labels override them, one calibrated
    TF-IDF + logistic regression per label learns from both.

    Writes OUT/model.joblib and the model card (OUT/card.json, OUT/card.md) with versions, hashes,
    label counts, cross-validated metrics and thresholds.

    Example:

        papertag train --corpus '../shared/corpus/*.jsonl.gz' --out models/default --force
    """
    paths = [*corpus, *(more_corpus or [])]
    if gold_split not in ("train", "all"):
        raise typer.BadParameter("expected train or all", param_hint="--gold-split")
    if out.exists() and any(out.iterdir()) and not force:
        raise fail(f"{out} already exists; pass --force to replace it")
    with friendly_errors():
        from ..model.train import train_model

        result = train_model(paths, out=out, gold_path=gold, force=force, seed=seed, max_papers=max_papers,
                             cache_dir=cache_dir, jobs=n_process or jobs, progress=None if quiet else info,
                             command=_command(paths, out, gold), gold_split=gold_split)
    card = result.card
    typer.echo(f"Model written to {out} ({card['model_bytes'] / 1e6:.2f} MB) in {card['timings']['total_s']:.0f}s: "
               f"{card['corpus']['papers_trained_on']:,} papers, "
               f"{sum(1 for m in card['labels'].values() if m.get('trained'))} of {len(card['labels'])} labels trained.")
    for facet, s in card["cv_summary"].items():
        typer.echo(f"  {facet:<13} cross-validated micro P/R/F1 {s['micro_precision']:.2f} / {s['micro_recall']:.2f} / "
                   f"{s['micro_f1']:.2f}, macro F1 {s['macro_f1']:.2f} ({s['n_labels']} labels)")
    typer.echo(f"See {out / 'card.md'}.")


def _command(paths: list[str], out: Path, gold: Path | None) -> str:
    return ("papertag train --corpus " + " ".join(shlex.quote(p) for p in paths)
            + (f" --gold {shlex.quote(str(gold))}" if gold else "") + f" --out {shlex.quote(str(out))}")

"""``papertag eval``: precision/recall/F1 of rules, model and combined against gold labels."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._util import fail, friendly_errors, info

GOLD_HELP = "Gold labels (JSONL); default labels/gold.jsonl."
MODEL_HELP = "Model folder; default models/default (rules only when there is none)."
CORPUS_HELP = ("Papers whose text gold entries without text are looked up in (by id), in any input format; "
               "needed for --time-split. Repeat the flag, list paths after it, or quote a glob.")
JSON_HELP = "Also write every metric, the disagreements and the calibration table as JSON here ('-' for stdout)."
SPLIT_HELP = ("Also train a model on corpus papers before YEAR and evaluate it on papers from YEAR on "
              "(gold and the rules' labels): how the model holds up on new method names.")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cli)


def eval_cli(
    more_corpus: Optional[list[str]] = typer.Argument(None, metavar="[PATH...]", show_default=False,
                                                      help="More corpus paths (what a shell glob after --corpus expands to)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help=GOLD_HELP),
    model_dir: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    corpus: Optional[list[str]] = typer.Option(None, "--corpus", help=CORPUS_HELP, show_default=False),
    json_out: Optional[str] = typer.Option(None, "--json", help=JSON_HELP),
    time_split: Optional[int] = typer.Option(None, "--time-split", min=1900, max=2999, help=SPLIT_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help="Evaluate the rules alone, without a model."),
    include_train_gold: bool = typer.Option(
        False, "--include-train-gold",
        help="Also evaluate on gold papers the model was trained on (optimistic; left out by default)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Reuse the rules' labels for --time-split."),
    max_disagreements: int = typer.Option(25, "--max-disagreements", min=0, help="Disagreements shown in the table."),
    split: str = typer.Option("eval", "--split",
                              help="Gold papers to measure on: eval (unbiased samples; also entries without a "
                                   "split), train (papers a review queue picked as hard cases) or all."),
) -> None:
    """Measure rules alone, the majority-vote baseline, the model alone and rules + model against gold labels.

    Prints per-facet and per-label precision/recall/F1 (micro and macro), the papers where rules and
    model disagree, and the model's calibration on gold.

    Example:

        papertag eval --gold labels/gold.jsonl --corpus '../shared/corpus/*.jsonl.gz' --json eval.json

        papertag eval --corpus '../shared/corpus/*.jsonl.gz' --time-split 2025
    """
    from ..resources import default_model_dir, labels_dir

    gold_path = gold or labels_dir() / "gold.jsonl"
    paths = [*(corpus or []), *(more_corpus or [])]
    if time_split is not None and not paths:
        raise typer.BadParameter("--time-split needs --corpus (the papers to train and test on)",
                                 param_hint="--time-split")
    with friendly_errors():
        from ..gold import SPLITS, in_split, load_gold
        from ..rules import RuleEngine, load_rules
        from ..taxonomy import load_taxonomy

        tax = load_taxonomy()
        engine = RuleEngine(load_rules(tax), tax)
        gold_set = load_gold(gold_path, tax)
        if split not in SPLITS:
            raise typer.BadParameter(f"expected {', '.join(SPLITS[:-1])} or {SPLITS[-1]}", param_hint="--split")
        gold_set, n_other_split = in_split(gold_set, split)
        if not gold_set:
            raise fail(f"{gold_path}: no gold papers" + (f" in split '{split}'" if split != "all" else "")
                       + " (every entry rejected, or the file is empty)")
        model = None
        if not rules_only:
            path = model_dir or default_model_dir()
            if model_dir is None and not (path / "card.json").exists():
                info(f"Note: no model at {path}; evaluating the rules alone (train one with `papertag train`).")
            else:
                from ..model.persist import load_model

                model = load_model(path, taxonomy=tax)
        corpus_records = None
        if paths:
            from ..model.data import read_corpus

            corpus_records = read_corpus(paths).records
        from ..evaluate import evaluate, resolve_gold_records, time_split_eval

        records, missing = resolve_gold_records(gold_set, {r.id: r for r in corpus_records} if corpus_records else None)
        if missing and not records:
            raise fail(f"none of the {len(missing)} gold papers in {gold_path} carries its text; pass --corpus "
                       "with the papers they come from, e.g. --corpus '../shared/corpus/*.jsonl.gz'")
        exclude: set[str] = set()
        if model is not None and not include_train_gold:
            exclude = set((model.card.get("gold") or {}).get("ids", []))
        report = evaluate(gold_set, records, model=model, taxonomy=tax, engine=engine, exclude_ids=exclude)
        report.info["gold_file"] = str(gold_path)
        if n_other_split:
            report.notes.append(f"{n_other_split} gold paper(s) of other splits are left out (--split all to keep "
                                f"them; 'train' papers were picked by a review queue as hard cases)")
        if missing:
            report.notes.append(f"{len(missing)} gold paper(s) have no text and are not in the corpus: left out "
                                f"(first: {missing[0]})")
        n_excl = len(exclude & {r.id for r in records})
        if n_excl:
            report.notes.append(f"{n_excl} gold paper(s) were used to train the model and are left out "
                                f"(--include-train-gold to keep them)")
        if model is None:
            report.notes.append("no model: rules only")
        if time_split is not None:
            report.time_split = time_split_eval(
                gold_set, corpus_records or [], time_split, params=(model.card.get("params") if model else None),
                taxonomy=tax, engine=engine, cache_dir=cache_dir, progress=info)
    typer.echo(report.format_table(max_disagreements=max_disagreements))
    if json_out:
        if json_out == "-":
            import json

            typer.echo(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
        else:
            report.write_json(json_out)
            info(f"Wrote {json_out}.")

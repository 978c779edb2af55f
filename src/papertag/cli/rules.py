"""``papertag rules stats``: coverage, overlaps, conflicts and empirical precision of every rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ._util import friendly_errors, info

rules_app = typer.Typer(help="Inspect the rule layer.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


@rules_app.command("stats")
def rules_stats_cli(
    inputs: list[str] = typer.Argument(..., help="Papers to apply the rules to (any supported format).", metavar="INPUT..."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold labels (labels/gold.jsonl format) for empirical precision."),
    by: str = typer.Option("rule", "--by", help="rule: one row per rule and label; label: one row per label."),
    sort: str = typer.Option("coverage", "--sort", help="Column to sort by (descending)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write both tables as JSON here."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --json file."),
    on_error: str = typer.Option("raise", "--on-error", help="raise or skip bad input records."),
    split: str = typer.Option("eval", "--split",
                              help="Gold papers that measure precision: eval (unbiased samples; also entries "
                                   "without a split), train (papers a review queue picked as hard cases) or all."),
) -> None:
    """Per rule and per label: coverage, overlaps, conflicts and, with --gold, empirical precision.

    Example:

        papertag rules stats examples/papers.jsonl --by label

        papertag rules stats corpus.jsonl.gz --gold labels/gold.jsonl --sort emp_precision
    """
    if by not in ("rule", "label"):
        raise typer.BadParameter("expected 'rule' or 'label'", param_hint="--by")
    from ..gold import SPLITS

    if split not in SPLITS:
        raise typer.BadParameter(f"expected {', '.join(SPLITS[:-1])} or {SPLITS[-1]}", param_hint="--split")
    from ..ingest import read_records
    from ..rules import RuleEngine, load_rules
    from ..rules.analysis import analyze_rules
    from ..taxonomy import load_taxonomy

    with friendly_errors():
        taxonomy = load_taxonomy()
        engine = RuleEngine(load_rules(taxonomy), taxonomy)
        result = read_records(inputs, on_error=on_error)  # type: ignore[arg-type]
        for s in result.skipped:
            info(f"Skipped: {s}")
        gold_sets = None
        if gold is not None:
            gold_sets = _gold_sets(gold, taxonomy, split)
        stats = analyze_rules(engine, ((r.id, r.title, r.abstract) for r in result.records), gold_sets)
        table = stats.rules if by == "rule" else stats.labels
        if sort in table.columns:
            table = table.sort_values(sort, ascending=False, kind="stable")
        caption = f"{stats.n_papers} papers" + (f", {stats.n_gold} of them in the gold set" if gold else "")
        _print(table, caption)
        if json_out is not None:
            from ..output import atomic_writer

            with atomic_writer(json_out, force=force) as fh:
                json.dump({"n_papers": stats.n_papers, "n_gold": stats.n_gold,
                           "rules": json.loads(stats.rules.to_json(orient="records")),
                           "labels": json.loads(stats.labels.to_json(orient="records"))}, fh, indent=1)


def _gold_sets(path: Path, taxonomy, split: str):  # type: ignore[no-untyped-def]
    """Gold label keys per paper id of ``split``, for papers judged in every facet (others can't say what is wrong)."""
    from ..gold import in_split, load_gold

    entries, n_other = in_split(load_gold(path, taxonomy), split)
    if n_other:
        info(f"Note: {n_other} gold paper(s) of other splits are left out (--split all to keep them).")
    partial = [gid for gid, g in entries.items() if set(g.facets) != set(taxonomy.facets)]
    if partial:
        info(f"Note: {len(partial)} gold paper(s) judged in only some facets are left out of precision.")
    return {gid: set(g.keys) for gid, g in entries.items() if gid not in partial}


def _print(df, caption: str) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    table = Table(caption=caption)
    for col in df.columns:
        table.add_column(str(col), justify="right" if df[col].dtype.kind in "fi" else "left")
    for row in df.itertuples(index=False):
        table.add_row(*(_fmt(v) for v in row))
    Console(width=220).print(table)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return "-" if v != v else f"{v:.3f}"
    return str(v)

"""``papertag gold``: fold the decision log into the gold set; conflicts, agreement, import/export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ._util import fail, friendly_errors, info

gold_app = typer.Typer(help="The gold set: export the decision log to labels/gold.jsonl, list conflicts, "
                            "measure agreement, import/export Label Studio and Prodigy.",
                       no_args_is_help=True)

LOG_HELP = "Decision log; default labels/decisions.jsonl."


def register(app: typer.Typer) -> None:
    app.add_typer(gold_app, name="gold")


def _log(log: Path | None) -> Path:
    from ..resources import labels_dir

    return log or labels_dir() / "decisions.jsonl"


def _read(log: Path | None):  # noqa: ANN202
    from ..review.log import read_log

    path = _log(log)
    if not path.exists():
        raise fail(f"{path}: no decision log yet; review with `papertag review` or migrate a gold file with "
                   "`papertag gold migrate`")
    read = read_log(path)
    if read.torn is not None:
        info(f"Warning: {read.torn}\n  It is left out; `papertag gold check --repair` moves it to {path}.torn.")
    return path, read


def _read_predictions(inputs: list[str]) -> list[dict]:  # type: ignore[type-arg]
    """Tagged papers of ``inputs`` (files or globs), in order; a bad line stops with its file and line."""
    if not inputs:
        return []
    from ..report.load import expand_paths, read_tagged

    papers: list[dict] = []  # type: ignore[type-arg]
    for path in expand_paths(inputs):
        papers.extend(read_tagged(path)[0])
    return papers


@gold_app.command("export")
def export_cli(
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Where to write; default labels/gold.jsonl (gold format), or stdout "
                                            "for --format labelstudio/prodigy."),
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    fmt: str = typer.Option("gold", "--format", "-f",
                            help="gold (labels/gold.jsonl, what train and eval read), labelstudio (JSON tasks "
                                 "with one annotation per reviewer) or prodigy (JSONL, choice interface)."),
    reviewers: Optional[list[str]] = typer.Option(None, "--reviewer", help="Only these reviewers' decisions "
                                                                            "(repeatable)."),
    split: Optional[str] = typer.Option(None, "--split",
                                        help="Only papers of this split: eval (random samples and the original "
                                             "gold set) or train (papers picked by uncertainty, disagreement, "
                                             "thin)."),
    corpus: Optional[list[str]] = typer.Option(None, "--corpus", help="Where labelstudio/prodigy exports find the "
                                                                      "papers' text (by id)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Also write the Label Studio labelling config."),
    predictions: Optional[list[str]] = typer.Option(
        None, "--predictions", help="Tagged papers (papertag tag output, files or globs; repeatable): with "
                                    "--format labelstudio each becomes a task with papertag's labels as a "
                                    "pre-annotation to accept or correct."),
) -> None:
    """Fold the decision log into the gold set (labels/gold.jsonl, which train and eval read).

    Per paper and facet each reviewer's latest decision counts and an adjudicator's decision wins; facets where
    reviewers disagree are left out and listed by `papertag gold conflicts`.

    Example:

        papertag gold export

        papertag gold export --split train -o /tmp/train-gold.jsonl

        papertag gold export --format labelstudio --corpus '../shared/corpus/*.jsonl.gz' -o tasks.json

        papertag gold export --format labelstudio --predictions tagged.jsonl --corpus papers.jsonl -o tasks.json
    """
    if fmt not in ("gold", "labelstudio", "prodigy"):
        raise typer.BadParameter("expected gold, labelstudio or prodigy", param_hint="--format")
    if split not in (None, "eval", "train"):
        raise typer.BadParameter("expected eval or train", param_hint="--split")
    if predictions and fmt != "labelstudio":
        raise typer.BadParameter("pre-annotations go to Label Studio: add --format labelstudio",
                                 param_hint="--predictions")
    with friendly_errors():
        from ..resources import labels_dir

        if fmt == "gold":
            from ..review.gold_io import export_gold

            path = _log(log)
            if not path.exists():
                raise fail(f"{path}: no decision log yet; review with `papertag review` first")
            target = out or labels_dir() / "gold.jsonl"
            res = export_gold(path, target, reviewers=reviewers, split=split)
            if res.torn is not None:
                info(f"Warning: {res.torn}\n  It is left out; `papertag gold check --repair` moves it aside.")
            n_rej = sum(1 for e in res.fold.entries if e.get("answer") == "reject")
            typer.echo(f"Wrote {target}: {res.written} papers ({n_rej} set aside) from {res.fold.papers} reviewed; "
                       f"{len(res.fold.conflicts)} conflict(s) left out (papertag gold conflicts).")
            return
        from ..model.data import read_corpus
        from ..review.interop import export_labelstudio, export_prodigy, labelstudio_config

        predicted = _read_predictions(predictions or [])
        if predicted and not _log(log).exists():
            subs = []  # nobody has reviewed yet: the tasks carry papertag's labels only
        else:
            subs = _read(log)[1].submissions
        if reviewers:
            subs = [s for s in subs if s.reviewer in set(reviewers)]
        if split:
            keep_ids = {s.id for s in subs if s.split == split}
            subs = [s for s in subs if s.id in keep_ids]
        records = {r.id: r for r in read_corpus(corpus).records} if corpus else {}
        wanted = {s.id for s in subs} | {str(p["id"]) for p in predicted}
        missing = len(wanted - set(records))
        if missing:
            info(f"Note: {missing} of {len(wanted)} papers have no text (pass --corpus with the papers they come "
                 "from); they are exported with empty text.")
        data = export_labelstudio(subs, records, predicted) if fmt == "labelstudio" else export_prodigy(subs, records)
        text = (json.dumps(data, ensure_ascii=False, indent=1) + "\n" if fmt == "labelstudio"
                else "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data))
        if out is None or str(out) == "-":
            typer.echo(text, nl=False)
        else:
            from ..output import atomic_writer

            with atomic_writer(out, force=True) as fh:
                fh.write(text)
            info(f"Wrote {out}: {len(data)} {'tasks' if fmt == 'labelstudio' else 'examples'}.")
        if config:
            from ..output import atomic_writer

            with atomic_writer(config, force=True) as fh:
                fh.write(labelstudio_config())
            info(f"Wrote the Label Studio labelling config to {config}.")


@gold_app.command("import")
def import_cli(
    file: Path = typer.Argument(..., help="A Label Studio JSON export or Prodigy JSONL."),
    fmt: str = typer.Option("auto", "--format", "-f", help="auto, labelstudio or prodigy."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Name for annotations without an annotator."),
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count, write nothing."),
) -> None:
    """Append annotations made in Label Studio or Prodigy to the decision log.

    They become `add` decisions of their annotator; annotations already imported are not added twice.

    Example:

        papertag gold import project-1-export.json --reviewer ana
    """
    with friendly_errors():
        from ..review.interop import import_decisions
        from ..review.log import append_submission, read_log

        path = _log(log)
        existing = read_log(path).submissions
        subs = import_decisions(file, fmt=fmt, reviewer=reviewer, existing=existing)
        if not dry_run and subs:
            append_submission(path, subs)
    who = sorted({s.reviewer for s in subs})
    typer.echo(f"{'Would import' if dry_run else 'Imported'} {len(subs)} annotation(s) from {file}"
               + (f" by {', '.join(who)}" if who else "") + ("" if dry_run else f" into {path}") + ".")


@gold_app.command("conflicts")
def conflicts_cli(
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """List papers where reviewers disagree (or were unsure) and no adjudicator has decided.

    Settle them with: papertag review INPUT --reviewer NAME --adjudicate

    Example:

        papertag gold conflicts
    """
    with friendly_errors():
        from ..review.fold import fold

        _, read = _read(log)
        res = fold(read.submissions)
    if as_json:
        for c in res.conflicts:
            typer.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        return
    if not res.conflicts:
        typer.echo(f"No conflicts among {res.papers} reviewed papers.")
        return
    typer.echo(f"{len(res.conflicts)} conflict(s) among {res.papers} reviewed papers:")
    for c in res.conflicts:
        if c.kind == "labels":
            detail = "; ".join(f"{r}: {', '.join(v) or '(none)'}" for r, v in c.by_reviewer.items())
            typer.echo(f"  {c.id}  {c.facet}: differ on {', '.join(c.differing())}  [{detail}]")
        else:
            detail = ", ".join(f"{r}: {a}" for r, a in c.by_reviewer.items())
            typer.echo(f"  {c.id}  {'not sure' if c.kind == 'unsure' else 'set aside vs labelled'}  [{detail}]")
    typer.echo("Adjudicate: papertag review INPUT... --reviewer NAME --adjudicate")


@gold_app.command("agreement")
def agreement_cli(
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the numbers as JSON ('-': stdout)."),
    all_labels: bool = typer.Option(False, "--all-labels", help="Also list labels nobody gave on shared papers."),
) -> None:
    """Agreement between reviewers: Cohen's kappa per pair, Krippendorff's alpha over all.

    Computed on the papers reviewers share, per label and pooled over labels.

    Example:

        papertag gold agreement
    """
    with friendly_errors():
        from ..review.agreement import agreement

        _, read = _read(log)
        rep = agreement(read.submissions)
    if json_out == "-":
        typer.echo(json.dumps(rep.to_dict(), indent=1))
        return
    typer.echo(rep.format_table(all_labels=all_labels))
    if json_out:
        from ..output import atomic_writer

        with friendly_errors(), atomic_writer(json_out, force=True) as fh:
            json.dump(rep.to_dict(), fh, indent=1)
        info(f"Wrote {json_out}.")


@gold_app.command("migrate")
def migrate_cli(
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold file to migrate; default labels/gold.jsonl."),
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    split: str = typer.Option("eval", "--split", help="Split of the migrated papers (eval or train)."),
) -> None:
    """Append an existing gold file to the decision log (once; a second run is refused).

    Each entry becomes a submission of its reviewer at its original time, labels as `add` decisions.

    Example:

        papertag gold migrate && papertag gold export
    """
    with friendly_errors():
        from ..resources import labels_dir
        from ..review.gold_io import migrate_gold

        src = gold or labels_dir() / "gold.jsonl"
        n = migrate_gold(src, _log(log), split=split)
    typer.echo(f"Migrated {n} papers from {src} into {_log(log)}.")


@gold_app.command("check")
def check_cli(
    log: Optional[Path] = typer.Option(None, "--log", help=LOG_HELP),
    repair: bool = typer.Option(False, "--repair", help="Move a torn last line to <log>.torn."),
) -> None:
    """Check the decision log: malformed lines, a torn last line, unfinished submissions.

    A torn last line comes from a crash in mid-write; --repair moves it to <log>.torn.

    Example:

        papertag gold check --repair
    """
    with friendly_errors():
        from ..review.log import read_log, repair_torn_tail

        path = _log(log)
        read = read_log(path)
        if read.torn is not None:
            if repair:
                repair_torn_tail(path)
                typer.echo(f"{read.torn}\n  moved to {path}.torn.")
            else:
                typer.echo(f"{read.torn}\n  run `papertag gold check --repair` to move it to {path}.torn.")
    reviewers = sorted({s.reviewer for s in read.submissions})
    typer.echo(f"{path}: {read.lines} lines, {len(read.submissions)} submissions by {len(reviewers)} reviewer(s)"
               + (f"; {len(read.incomplete)} incomplete submission(s) ignored" if read.incomplete else "") + ".")
    if read.torn is not None and not repair:
        raise typer.Exit(1)

"""``papertag tag``: tag papers from any supported input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import SkippedRecord
from ..output import OutputFormat, write_lines, write_papers
from ._util import friendly_errors, info

INPUT_HELP = "Input files or globs; '-' reads standard input. Formats are detected from content."
FORMAT_HELP = "Output format: jsonl (the contract, default), csv (labels flattened) or table (for people)."


def register(app: typer.Typer) -> None:
    app.command("tag")(tag_cli)


def tag_cli(
    inputs: list[str] = typer.Argument(..., help=INPUT_HELP, metavar="INPUT..."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout (atomically)."),
    fmt: OutputFormat = typer.Option(OutputFormat.JSONL, "--format", "-f", help=FORMAT_HELP),
    input_format: Optional[str] = typer.Option(
        None, "--input-format", help="Force the input format: jsonl, json, csv, tsv, bibtex, atom, profile, paperlist, abstracts, text."),
    on_error: str = typer.Option("raise", "--on-error", help="raise: stop at the first bad record (exit 1); skip: tag every good record and report the bad ones."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Tag with the rules alone, without the model."),
    model_only: bool = typer.Option(False, "--model-only", help="Tag with the model alone: no rules, no claims (to see what the model says)."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model folder (default: models/default when present)."),
    no_claims: bool = typer.Option(False, "--no-claims", help="Skip claim extraction."),
    max_chars: int = typer.Option(100_000, "--max-chars", help="Refuse records whose title + abstract is longer than this."),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Papers per batch."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on when stderr is a terminal)."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Worker processes (-1: one per core). Output is the same for any number."),
    backend: str = typer.Option("loky", "--backend", help="loky (local worker processes) or dask (a Dask cluster; needs --scheduler)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address for --backend dask, e.g. tcp://10.0.0.5:8786."),
    chunk_size: int = typer.Option(1000, "--chunk-size", min=1, help="Papers per task sent to a worker."),
) -> None:
    """Tag papers across the four facets, with evidence and claims.

    Input is read and output written as a stream, so memory stays flat for any input size.

    Example:

        papertag tag examples/papers.jsonl --format table

        papertag tag listing.txt refs.bib -o tagged.jsonl --on-error skip

        papertag tag 'corpus/*.jsonl.gz' -o tagged.jsonl --jobs 2
    """
    if on_error not in ("raise", "skip"):
        raise typer.BadParameter("expected 'raise' or 'skip'", param_hint="--on-error")
    if rules_only and model_only:
        raise typer.BadParameter("--rules-only and --model-only exclude each other", param_hint="--model-only")
    if backend not in ("loky", "dask"):
        raise typer.BadParameter("expected 'loky' or 'dask'", param_hint="--backend")
    if backend == "dask" and not scheduler:
        raise typer.BadParameter("the dask backend needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)",
                                 param_hint="--scheduler")
    if jobs == 0 or jobs < -1:
        raise typer.BadParameter("expected a positive number of workers, or -1 for one per core", param_hint="--jobs")
    from ..ingest import Format, iter_records

    fmt_in = None
    if input_format is not None:
        try:
            fmt_in = Format(input_format.lower())
        except ValueError:
            choices = ", ".join(f.value for f in Format)
            raise typer.BadParameter(f"'{input_format}' is not one of: {choices}", param_hint="--input-format") from None
    skipped: list[SkippedRecord] = []
    with friendly_errors():
        if output is not None and output.exists() and not force:
            from ..errors import OutputExistsError

            raise OutputExistsError(str(output))
        from ..parallel import TaggerConfig, render_jsonl, tag_records

        records = iter_records(inputs, input_format=fmt_in, on_error=on_error, skipped=skipped,  # type: ignore[arg-type]
                               max_chars=max_chars)
        model_path = None if rules_only else _model_path(model_dir)
        if model_only and model_path is None:
            from ..errors import ModelError

            raise ModelError(f"--model-only needs a model; none at {model_dir or 'models/default'}")
        config = TaggerConfig(model_dir=None if model_path is None else str(model_path),
                              with_claims=not (no_claims or model_only), with_rules=not model_only,
                              batch_size=batch_size)
        if model_path is not None and jobs == 1 and backend == "loky":
            _check_model(config)  # fail before reading the input when the model is unusable
        as_lines = fmt == OutputFormat.JSONL
        papers = tag_records(records, config, jobs=jobs, backend=backend, scheduler=scheduler, chunk_size=chunk_size,
                             render=render_jsonl if as_lines else None)
        show = progress if progress is not None else sys.stderr.isatty()
        if show:
            papers = _with_progress(papers)
        if as_lines:
            n = write_lines(papers, out=output, force=force)
        else:
            n = write_papers(papers, fmt=fmt, out=output, force=force)
    _report_skipped(skipped)
    where = f" to {output}" if output else ""
    info(f"Tagged {n} paper(s){where}" + (f"; skipped {len(skipped)} bad record(s)" if skipped else "") + ".")


def _report_skipped(skipped: list[SkippedRecord]) -> None:
    for s in skipped:
        info(f"Skipped: {s}")


def _model_path(model_dir: Path | None) -> Path | None:
    """The model folder to use, or ``None`` (rules only) when the default one is absent."""
    from ..resources import default_model_dir

    path = model_dir or default_model_dir()
    if model_dir is None and not (path / "card.json").exists():
        info(f"Note: no model at {path}; tagging with the rules alone (train one with `papertag train`).")
        return None
    return path


def _check_model(config) -> None:  # type: ignore[no-untyped-def]
    from ..parallel import tagger_for

    tagger_for(config.pinned())  # the config tag_records uses: the tagger built here is the one it reuses


def _with_progress(papers):  # type: ignore[no-untyped-def]
    """Count papers on stderr. The bar is redrawn from this loop (no refresh thread), so the parallel
    workers can still be forked from this process (papertag.parallel forks only a single-threaded one)."""
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("tagging"), MofNCompleteColumn(), TextColumn("papers"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("tag", total=None)
        bar.refresh()
        for i, p in enumerate(papers, 1):
            yield p
            if i % 100 == 0:
                bar.update(task, completed=i, refresh=True)

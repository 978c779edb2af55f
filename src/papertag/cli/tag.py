"""``papertag tag``: tag papers from any supported input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import SkippedRecord
from ..output import OutputFormat, write_papers
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
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model folder (default: models/default when present)."),
    no_claims: bool = typer.Option(False, "--no-claims", help="Skip claim extraction."),
    max_chars: int = typer.Option(100_000, "--max-chars", help="Refuse records whose title + abstract is longer than this."),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Papers per batch."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on for long inputs on a terminal)."),
) -> None:
    """Tag papers across the four facets, with evidence and claims.

    Example:

        papertag tag examples/papers.jsonl --format table

        papertag tag listing.txt refs.bib -o tagged.jsonl --on-error skip
    """
    if on_error not in ("raise", "skip"):
        raise typer.BadParameter("expected 'raise' or 'skip'", param_hint="--on-error")
    from ..ingest import Format, read_records

    fmt_in = None
    if input_format is not None:
        try:
            fmt_in = Format(input_format.lower())
        except ValueError:
            choices = ", ".join(f.value for f in Format)
            raise typer.BadParameter(f"'{input_format}' is not one of: {choices}", param_hint="--input-format") from None
    with friendly_errors():
        if output is not None and output.exists() and not force:
            from ..errors import OutputExistsError

            raise OutputExistsError(str(output))
        result = read_records(inputs, input_format=fmt_in, on_error=on_error, max_chars=max_chars)  # type: ignore[arg-type]
        _report_skipped(result.skipped)
        model = None if rules_only else _load_model(model_dir)
        from ..tagger import Tagger

        tagger = Tagger(model=model, with_claims=not no_claims)
        records = result.records
        papers = tagger.tag(records, batch_size=batch_size)
        show = progress if progress is not None else (len(records) >= 500 and sys.stderr.isatty())
        if show:
            papers = _with_progress(papers, len(records))
        n = write_papers(papers, fmt=fmt, out=output, force=force)
    where = f" to {output}" if output else ""
    info(f"Tagged {n} paper(s){where}" + (f"; skipped {len(result.skipped)} bad record(s)" if result.skipped else "") + ".")


def _report_skipped(skipped: list[SkippedRecord]) -> None:
    for s in skipped:
        info(f"Skipped: {s}")


def _load_model(model_dir: Path | None):  # type: ignore[no-untyped-def]
    from ..resources import default_model_dir

    path = model_dir or default_model_dir()
    if model_dir is None and not (path / "card.json").exists():
        info(f"Note: no model at {path}; tagging with the rules alone (train one with `papertag train`).")
        return None
    from ..model.persist import load_model

    return load_model(path)


def _with_progress(papers, total: int):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("tag", total=total)
        for p in papers:
            yield p
            bar.advance(task)

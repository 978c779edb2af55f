"""``papertag export bibtex|markdown``: BibTeX grouped by label, and a related-work skeleton."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from ._util import fail, friendly_errors, info
from .report import INPUT_HELP, MIN_SCORE_HELP, SINCE_HELP, SOURCE_HELP, UNTIL_HELP, VENUE_HELP, WHERE_HELP

export_app = typer.Typer(help="Export tagged papers for writing: BibTeX grouped by label, or a Markdown "
                              "related-work skeleton.", no_args_is_help=True)

BY_HELP = "Group by the labels of this facet: technique, modality, architecture or hardware."


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def _run(kind: str, inputs: list[str], *, output: Optional[Path], by: str, where: Optional[list[str]],
         since: Optional[int], until: Optional[int], min_score: Optional[float], source: Optional[str],
         venue: Optional[list[str]], children: bool, include_unlabelled: bool, force: bool, on_error: str,
         rules_only: bool, model_dir: Optional[Path], gold: Optional[Path], extra: dict[str, Any]) -> None:
    if on_error not in ("raise", "skip"):
        raise typer.BadParameter("expected 'raise' or 'skip'", param_hint="--on-error")
    with friendly_errors():
        from ..export import citation_keys, write_bibtex, write_markdown
        from ..output import atomic_writer
        from ..report.session import make_filters, open_session, select

        if by not in ("technique", "modality", "architecture", "hardware"):
            raise typer.BadParameter(f"expected technique, modality, architecture or hardware; got {by!r}",
                                     param_hint="--by")
        if output is not None and output.exists() and not force:
            raise fail(f"{output} already exists; pass --force to overwrite it")
        session = open_session(inputs, on_error=on_error, model_dir=model_dir, rules_only=rules_only, progress=info)
        for s in session.skipped:
            info(f"Skipped: {s}")
        filters = make_filters(session.taxonomy, where=where or [], since=since, until=until, min_score=min_score,
                               source=source, venues=venue or [])
        gold_set = None
        if source == "gold":
            from ..gold import load_gold
            from ..resources import labels_dir

            gold_set = load_gold(gold or labels_dir() / "gold.jsonl", session.taxonomy)
        keys = citation_keys(session.papers)  # over every input paper: keys do not change with the filters
        papers = select(session, filters, gold=gold_set)
        header = (f"papertag export {kind} --by {by}: {len(papers)} of {len(session.papers)} paper(s); "
                  f"filters: {filters.describe()}")
        if kind == "bibtex":
            text = write_bibtex(papers, keys, session.taxonomy, by, children=children,
                                include_unlabelled=include_unlabelled, header=header)
        else:
            text = write_markdown(papers, keys, session.taxonomy, by, children=children,
                                  include_unlabelled=include_unlabelled, header=header, **extra)
        if output is None or str(output) == "-":
            sys.stdout.write(text)
        else:
            with atomic_writer(output, force=force) as fh:
                fh.write(text)
    unlabelled = sum(1 for p in papers if not p["labels"].get(by))
    note = (f"; {unlabelled} without a {by} label left out (--include-unlabelled keeps them)"
            if unlabelled and not include_unlabelled else "")
    info(f"Exported {len(papers) - (0 if include_unlabelled else unlabelled)} paper(s) by {by}"
         f"{' to ' + str(output) if output else ''}{note}.")


OUT_HELP = "Write here (atomically) instead of stdout."


@export_app.command("bibtex")
def bibtex_cli(
    inputs: list[str] = typer.Argument(..., help=INPUT_HELP, metavar="TAGGED..."),
    by: str = typer.Option("technique", "--by", help=BY_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=OUT_HELP),
    where: Optional[list[str]] = typer.Option(None, "--where", help=WHERE_HELP, show_default=False),
    since: Optional[int] = typer.Option(None, "--since", help=SINCE_HELP),
    until: Optional[int] = typer.Option(None, "--until", help=UNTIL_HELP),
    min_score: Optional[float] = typer.Option(None, "--min-score", help=MIN_SCORE_HELP),
    source: Optional[str] = typer.Option(None, "--source", help=SOURCE_HELP),
    venue: Optional[list[str]] = typer.Option(None, "--venue", help=VENUE_HELP, show_default=False),
    children: bool = typer.Option(False, "--children", help="Group by child labels too."),
    include_unlabelled: bool = typer.Option(False, "--include-unlabelled", help="Also list papers without a label in the facet."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold file for --source gold (default labels/gold.jsonl)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    on_error: str = typer.Option("raise", "--on-error", help="raise or skip bad records."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Tag untagged inputs with the rules alone."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model for tagging untagged inputs."),
) -> None:
    """BibTeX grouped by label: one '%' comment per group, labels in 'keywords' and 'papertags'.

    Entries read from BibTeX keep their key, type and fields; other papers get keys like
    lovelace2024efficient (a, b, ... on clashes, by paper id, so keys are stable).

    Example:

        papertag export bibtex tagged.jsonl --by technique -o related.bib

        papertag export bibtex refs.bib --where technique=quantization --rules-only
    """
    _run("bibtex", inputs, output=output, by=by, where=where, since=since, until=until, min_score=min_score,
         source=source, venue=venue, children=children, include_unlabelled=include_unlabelled, force=force,
         on_error=on_error, rules_only=rules_only, model_dir=model_dir, gold=gold, extra={})


@export_app.command("markdown")
def markdown_cli(
    inputs: list[str] = typer.Argument(..., help=INPUT_HELP, metavar="TAGGED..."),
    by: str = typer.Option("technique", "--by", help=BY_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=OUT_HELP),
    where: Optional[list[str]] = typer.Option(None, "--where", help=WHERE_HELP, show_default=False),
    since: Optional[int] = typer.Option(None, "--since", help=SINCE_HELP),
    until: Optional[int] = typer.Option(None, "--until", help=UNTIL_HELP),
    min_score: Optional[float] = typer.Option(None, "--min-score", help=MIN_SCORE_HELP),
    source: Optional[str] = typer.Option(None, "--source", help=SOURCE_HELP),
    venue: Optional[list[str]] = typer.Option(None, "--venue", help=VENUE_HELP, show_default=False),
    children: bool = typer.Option(False, "--children", help="A ### section per child label too."),
    include_unlabelled: bool = typer.Option(False, "--include-unlabelled", help="Also list papers without a label in the facet."),
    cite_style: str = typer.Option("pandoc", "--cite", help="Citation syntax: pandoc ([@key]) or latex (\\cite{key})."),
    max_cites: int = typer.Option(5, "--max-cites", min=1, help="Newest papers cited in each paragraph stub."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold file for --source gold (default labels/gold.jsonl)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    on_error: str = typer.Option("raise", "--on-error", help="raise or skip bad records."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Tag untagged inputs with the rules alone."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model for tagging untagged inputs."),
) -> None:
    """A related-work skeleton: per label a paragraph stub and its papers, newest first, with citation keys
    (the same keys as `papertag export bibtex` on the same input).

    Example:

        papertag export markdown tagged.jsonl --by technique --since 2023 -o related-work.md
    """
    from ..export.markdown import CITE_STYLES

    if cite_style not in CITE_STYLES:
        raise typer.BadParameter(f"expected one of {', '.join(CITE_STYLES)}; got {cite_style!r}", param_hint="--cite")
    _run("markdown", inputs, output=output, by=by, where=where, since=since, until=until, min_score=min_score,
         source=source, venue=venue, children=children, include_unlabelled=include_unlabelled, force=force,
         on_error=on_error, rules_only=rules_only, model_dir=model_dir, gold=gold,
         extra={"style": cite_style, "max_cites": max_cites})

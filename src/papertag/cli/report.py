"""``papertag report``: survey tables, trends, claims, corrected counts, plots and an HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._util import fail, friendly_errors, info

INPUT_HELP = ("Tagged JSONL from `papertag tag` (or any input papertag reads: it is tagged on the fly). "
              "Globs are expanded.")
WHERE_HELP = ("Keep papers with this label: FACET=LABEL[,LABEL...] (OR within one flag, AND across flags), "
              "e.g. --where technique=quantization --where modality=text.")
SINCE_HELP = "Keep papers from this year on (papers without a year are left out)."
UNTIL_HELP = "Keep papers up to this year (papers without a year are left out)."
MIN_SCORE_HELP = "Count a label only where its score is at least this (0-1)."
SOURCE_HELP = ("Count labels by where they came from: rule (the rules found them), model (the classifier did), "
               "or gold (only gold papers, with their hand labels).")
VENUE_HELP = ("Keep papers whose venue contains this text (case-insensitive; repeat for OR); 'none' keeps papers "
              "without a venue (preprints).")
TABLE_HELP = ("A cross table ROW:COL of two facets (repeatable; technique:technique shows which techniques are "
              "combined); default technique:modality and technique:architecture.")
GOLD_HELP = "Gold labels for precision, recall and corrected counts; default labels/gold.jsonl when it exists."
CORPUS_HELP = "Where to find (and tag) gold papers that are not in the input, e.g. '../shared/corpus/*.jsonl.gz'."


def register(app: typer.Typer) -> None:
    app.command("report")(report_cli)


def parse_pairs(tables: list[str] | None) -> list[tuple[str, str]]:
    from ..report import DEFAULT_PAIRS

    if not tables:
        return list(DEFAULT_PAIRS)
    out = []
    for t in tables:
        a, sep, b = t.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise typer.BadParameter(f"expected ROW:COL (two facets), e.g. technique:hardware; got {t!r}",
                                     param_hint="--table")
        out.append((a.strip(), b.strip()))
    return out


def report_cli(
    inputs: list[str] = typer.Argument(..., help=INPUT_HELP, metavar="TAGGED..."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the report into (created if needed)."),
    where: Optional[list[str]] = typer.Option(None, "--where", help=WHERE_HELP, show_default=False),
    since: Optional[int] = typer.Option(None, "--since", help=SINCE_HELP),
    until: Optional[int] = typer.Option(None, "--until", help=UNTIL_HELP),
    min_score: Optional[float] = typer.Option(None, "--min-score", help=MIN_SCORE_HELP),
    source: Optional[str] = typer.Option(None, "--source", help=SOURCE_HELP),
    venue: Optional[list[str]] = typer.Option(None, "--venue", help=VENUE_HELP, show_default=False),
    tables: Optional[list[str]] = typer.Option(None, "--table", help=TABLE_HELP, show_default=False),
    children: bool = typer.Option(False, "--children", help="Show child labels (post-training quantization, ...) as rows too."),
    gold: Optional[Path] = typer.Option(None, "--gold", help=GOLD_HELP),
    no_gold: bool = typer.Option(False, "--no-gold", help="No precision, recall or corrected counts."),
    corpus: Optional[list[str]] = typer.Option(None, "--corpus", help=CORPUS_HELP, show_default=False),
    last_year: Optional[int] = typer.Option(None, "--last-year", help="Last year of the 'rising fastest' window (default: the latest year)."),
    window: int = typer.Option(2, "--window", min=1, help="Years per period when ranking rising labels."),
    min_rising: int = typer.Option(5, "--min-rising", min=1, help="Papers a label needs in the last period to be ranked as rising."),
    no_plots: bool = typer.Option(False, "--no-plots", help="Skip the PNG/SVG plots (the HTML page then has none)."),
    no_html: bool = typer.Option(False, "--no-html", help="Skip index.html."),
    force: bool = typer.Option(False, "--force", help="Write into OUT even if it is not empty."),
    on_error: str = typer.Option("raise", "--on-error", help="raise: stop at the first bad record; skip: report the bad ones and go on."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Tag untagged inputs with the rules alone."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model for tagging untagged inputs (default: models/default)."),
) -> None:
    """Survey report: cross tables, trends, claims, corrected counts, plots and one HTML page.

    Writes into OUT: index.html (self-contained: open it in a browser), report.md (every table in
    Markdown), tables/*.md|.csv|.tex (cross tables; LaTeX uses booktabs), tables/*_cells.csv (papers per
    cell), long_form.csv (one row per paper x label), trends/, claims/, plots/*.png|.svg, summary.json.

    Example:

        papertag tag '../shared/corpus/*.jsonl.gz' -o tagged.jsonl

        papertag report tagged.jsonl --out report/

        papertag report tagged.jsonl --out report-llm/ --where architecture=llm --since 2023 --table technique:hardware
    """
    if on_error not in ("raise", "skip"):
        raise typer.BadParameter("expected 'raise' or 'skip'", param_hint="--on-error")
    pairs = parse_pairs(tables)
    from ..resources import labels_dir

    with friendly_errors():
        from ..report import build_report, write_report
        from ..report.session import load_gold_papers, make_filters, open_session

        if out.exists() and out.is_dir() and any(out.iterdir()) and not force:
            raise fail(f"{out} is not empty; pass --force to write the report into it anyway")
        session = open_session(inputs, on_error=on_error, model_dir=model_dir, rules_only=rules_only, progress=info)
        for s in session.skipped:
            info(f"Skipped: {s}")
        filters = make_filters(session.taxonomy, where=where or [], since=since, until=until, min_score=min_score,
                               source=source, venues=venue or [])
        gold_set, gold_papers, gold_path = None, None, ""
        if not no_gold:
            path = gold or labels_dir() / "gold.jsonl"
            if gold is not None or path.exists():
                from ..gold import load_gold

                gold_set = load_gold(path, session.taxonomy)
                gold_path = str(path)
                gold_papers = load_gold_papers(session, list(gold_set), corpus or [], progress=info)
        if source == "gold" and not gold_set:
            raise fail("--source gold needs a gold set: pass --gold FILE (labels/gold.jsonl was not found)")
        rep = build_report(session.papers, session.taxonomy, filters=filters, pairs=pairs, gold=gold_set,
                           gold_path=gold_path, gold_papers=gold_papers, children=children, rising_window=window,
                           min_rising=min_rising, last_year=last_year)
        written = write_report(rep, out, force=force, plots=not no_plots, html=not no_html, progress=info)
    for note in rep.notes:
        info(f"Note: {note}")
    extra = f"; tagged {session.tagged_here} on the fly" if session.tagged_here else ""
    info(f"Report on {rep.overview['papers']:,} of {len(session.papers):,} paper(s){extra}: {len(written)} files in "
         f"{out}/ (open {out / 'index.html'}).")

"""``papertag review``: a local web page that turns predictions into gold decisions."""

from __future__ import annotations

import sys
import random
from pathlib import Path
from typing import Optional

import typer

from ._util import fail, friendly_errors, info

TOKEN_ENV = "PAPERTAG_REVIEW_TOKEN"


def register(app: typer.Typer) -> None:
    app.command("review")(review_cli)


def review_cli(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", show_default=False,
                                       help="Papers to review, in any input format (.gz too); quote a glob."),
    reviewer: str = typer.Option(..., "--reviewer", "-r", help="Your name, recorded with every decision."),
    strategy: str = typer.Option("uncertainty", "--strategy", "-s",
                                 help="Queue order: uncertainty (abstain band first), disagreement (rules vs "
                                      "model), thin (few gold papers in the technique x modality cell), random "
                                      "(unbiased evaluation sample) or conflicts (for an adjudicator)."),
    port: int = typer.Option(8765, "--port", "-p", min=0, max=65535, help="Port (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. Anything but a loopback address needs an access token."),
    token: Optional[str] = typer.Option(None, "--token", envvar=TOKEN_ENV,
                                        help=f"Access token (also ${TOKEN_ENV}); made up and printed when "
                                             "--host is not a loopback address and none is given."),
    log: Optional[Path] = typer.Option(None, "--log", help="Decision log; default labels/decisions.jsonl."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model folder; default models/default."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Predict with the rules alone."),
    overlap: int = typer.Option(1, "--overlap", min=1,
                                help="Reviewers per paper: a paper leaves the queue once this many decided it "
                                     "(2 or more to measure agreement)."),
    adjudicate: bool = typer.Option(False, "--adjudicate",
                                    help="Review as adjudicator: your decisions settle conflicts (sets "
                                         "--strategy conflicts unless given)."),
    sample: Optional[int] = typer.Option(None, "--sample", min=1,
                                         help="Queue from a random sample of N input papers (fast start on a "
                                              "large corpus)."),
    seed: int = typer.Option(0, "--seed", help="Seed of --sample and the random strategy."),
    tui: bool = typer.Option(False, "--tui", help="Review in the terminal instead of a web page (same log)."),
) -> None:
    """Review predictions one paper at a time in the browser and write decisions to the gold set.

    Prints the page's address. Every decision is appended to the decision log, flushed and fsync-ed before the
    page says "Saved". Restarting resumes where you left off; --tui reviews in the terminal instead.

    Keyboard: j/k move, a/x accept/reject, 1-9 toggle, / adds a label, u not sure, s set aside, n note,
    Enter submits, b goes back to the paper just saved.

    Example:

        papertag review '../shared/corpus/*.jsonl.gz' --sample 3000 --reviewer ana --strategy uncertainty
    """
    from ..review.queue import STRATEGIES
    from ..review.web import is_loopback, new_token

    if adjudicate and strategy == "uncertainty":
        strategy = "conflicts"
    if strategy not in STRATEGIES:
        raise typer.BadParameter(f"expected one of {', '.join(STRATEGIES)}", param_hint="--strategy")
    if not reviewer.strip() or "\n" in reviewer:
        raise typer.BadParameter("give a non-empty name", param_hint="--reviewer")
    loopback = is_loopback(host)
    if not loopback and not token:
        token = new_token()
    with friendly_errors():
        from ..model.data import read_corpus
        from ..resources import default_model_dir, labels_dir
        from ..review.log import read_log, repair_torn_tail
        from ..review.session import ReviewSession
        from ..rules import RuleEngine, load_rules
        from ..tagger import Tagger
        from ..taxonomy import load_taxonomy

        log_path = log or labels_dir() / "decisions.jsonl"
        torn = repair_torn_tail(log_path)
        if torn is not None:
            info(f"Warning: {torn}\n  It was moved to {log_path}.torn; the log now ends at line {torn.line - 1}.")
        tax = load_taxonomy()
        read = read_log(log_path, tax)
        if read.incomplete:
            info(f"Warning: {len(read.incomplete)} submission(s) in {log_path} have label lines but no closing paper "
                 "line; they are ignored.")
        corpus = read_corpus(inputs)
        if corpus.skipped:
            info(f"Skipped {len(corpus.skipped)} bad record(s); first: {corpus.skipped[0]}")
        records = list(corpus.records)
        if not records:
            raise fail("no papers with a title or abstract in the input")
        if sample and sample < len(records):
            records = random.Random(seed).sample(records, sample)
        model = None
        if not rules_only:
            path = model_dir or default_model_dir()
            if model_dir is None and not (path / "card.json").exists():
                info(f"Note: no model at {path}; predicting with the rules alone.")
            else:
                from ..model.persist import load_model

                model = load_model(path, taxonomy=tax)
        tagger = Tagger(taxonomy=tax, engine=RuleEngine(load_rules(tax), tax), model=model)
        info(f"Predicting labels for {len(records):,} papers...")
        session = ReviewSession(records, tagger, log_path, strategy=strategy, overlap=overlap,
                                role="adjudicator" if adjudicate else "reviewer", seed=seed, progress=info)
    if tui:
        from ..review.tui import run_tui

        n = run_tui(session, reviewer.strip())
        typer.echo(f"{n} paper(s) saved to {log_path}. Next: papertag gold export")
        return
    from werkzeug.serving import make_server

    from ..review.web import create_app

    app = create_app(session, reviewer.strip(), token=token, loopback_only=loopback)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; pick another --port (0: any free one)")
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_port}/" + (f"?token={token}" if token else "")
    prog = session.progress(reviewer.strip())
    typer.echo(f"Reviewing as {reviewer.strip()}: {prog['left']} paper(s) in the {strategy} queue, "
               f"{prog['reviewed']} already reviewed; decisions go to {log_path}.")
    typer.echo(f"Open {url}  (Ctrl+C to stop)", nl=True)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    prog = session.progress(reviewer.strip())
    typer.echo(f"Stopped. {prog['reviewed']} reviewed in this queue. Next: papertag gold export")

"""The ``papertag`` command line: one Typer app, one module per command.

Each ``<verb>_cli`` function only parses arguments and calls a plain library function;
library errors (:class:`papertag.errors.PapertagError`) become ``Error: ...`` and exit 1;
usage errors exit 2 (click's default).
"""

from __future__ import annotations

import sys

import typer

from .. import __version__

app = typer.Typer(
    name="papertag",
    help="Tag research papers with the efficiency methods, modalities, architectures and hardware they use.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"papertag {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Tag research papers with the efficiency methods, modalities, architectures and hardware they use."""


def _register() -> None:
    from . import eval as eval_cmd
    from . import gold as gold_cmd
    from . import review as review_cmd
    from . import rules as rules_cmd
    from . import tag as tag_cmd
    from . import train as train_cmd
    from . import validate as validate_cmd
    from . import export as export_cmd
    from . import report as report_cmd

    for module in (tag_cmd, validate_cmd, rules_cmd, train_cmd, eval_cmd, report_cmd, export_cmd, review_cmd,
                   gold_cmd):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="papertag")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

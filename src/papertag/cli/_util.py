"""Shared CLI helpers: turning library errors into ``Error: ...`` and exit 1."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer

from ..errors import PapertagError


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Print a library error as ``Error: ...`` on stderr and exit 1."""
    try:
        yield
    except PapertagError as exc:
        raise fail(str(exc)) from None


def info(message: str) -> None:
    typer.echo(message, err=True)

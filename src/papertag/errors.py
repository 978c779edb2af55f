"""Typed exceptions raised by the papertag library.

The library never prints or exits; the CLI (``papertag.cli``) turns these into
``Error: ...`` messages and exit code 1. Every message says what failed, where
(file, line or entry), what was expected and what came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PapertagError(Exception):
    """Base class of every error papertag raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and what is wrong."""

    file: str
    where: str  # "line 12", "entry 3 (quantization.core)", "" for the whole file
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}: {self.where}" if self.where else self.file
        return f"{loc}: {self.message}"


class ProblemsError(PapertagError, ValueError):
    """An error that gathers every problem found, not just the first one."""

    def __init__(self, problems: list[Problem], *, what: str = "configuration") -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the {what}:\n{lines}")


class TaxonomyError(ProblemsError):
    """taxonomy/*.yml is missing, malformed or inconsistent."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="taxonomy")


class RuleFileError(ProblemsError):
    """A rules/*.yml file is missing, malformed or points at unknown labels."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="rules")


class IngestError(PapertagError, ValueError):
    """An input file or one of its records cannot be read.

    Parameters
    ----------
    file:
        The input's path (``<stdin>`` for standard input).
    line:
        1-based line where the bad record starts, or ``None`` for the whole file.
    message:
        What was expected and what came in.
    """

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {message}")


class UnknownFormatError(IngestError):
    """The input matches none of the formats papertag reads."""


class OutputExistsError(PapertagError, FileExistsError):
    """An output file exists and ``force`` was not given."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} already exists; pass --force to overwrite it")


class ModelError(PapertagError, ValueError):
    """A model folder is missing, corrupt, or incompatible with this taxonomy."""


@dataclass
class SkippedRecord:
    """A record left out under ``on_error="skip"``, kept so nothing is silently dropped."""

    file: str
    line: int | None
    reason: str
    extra: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"

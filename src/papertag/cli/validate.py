"""``papertag validate``: check taxonomy/ and rules/ together and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import Problem
from ._util import fail


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cli)


def validate(taxonomy_path: Path | None = None, rules_dir: Path | None = None) -> tuple[list[Problem], str]:
    """Return every problem in the taxonomy and rules, and a one-line summary when there are none."""
    from ..rules import check_rules
    from ..taxonomy import check_taxonomy

    taxonomy, problems = check_taxonomy(taxonomy_path)
    if taxonomy is None:
        return problems, ""
    ruleset, rule_problems = check_rules(taxonomy, rules_dir)
    if ruleset is None:
        return rule_problems, ""
    n_patterns = sum(len(r.patterns) for r in ruleset.rules)
    covered = {lab for r in ruleset.rules if not r.veto for lab in r.labels}
    uncovered = [k for k in taxonomy.keys if k not in covered]
    summary = (f"OK: {len(taxonomy.labels)} labels in {len(taxonomy.facets)} facets; "
               f"{len(ruleset.rules)} rules with {n_patterns} patterns")
    if uncovered:
        summary += f"; labels with no rule (model only): {', '.join(uncovered)}"
    return [], summary


def validate_cli(
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="Taxonomy file (default: taxonomy/taxonomy.yml)."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rules folder (default: rules/)."),
) -> None:
    """Check taxonomy/ and rules/ and say exactly what is wrong.

    Example:

        papertag validate
    """
    problems, summary = validate(taxonomy, rules)
    if problems:
        for p in problems:
            typer.echo(str(p), err=True)
        raise fail(f"{len(problems)} problem(s) found")
    typer.echo(summary)

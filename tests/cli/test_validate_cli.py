from __future__ import annotations

import shutil

from typer.testing import CliRunner

from papertag.cli import app
from papertag.resources import project_home

runner = CliRunner()


def test_validate_ok():
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_validate_lists_every_problem(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(project_home() / "rules", rules)
    (rules / "labels" / "broken.yml").write_text(
        "rules:\n"
        "  - {id: x.one, label: technique/nope, patterns: [foo]}\n"
        "  - {id: x.two, label: technique/pruning, weight: 7, patterns: [bar]}\n"
    )
    result = runner.invoke(app, ["validate", "--rules", str(rules)])
    assert result.exit_code == 1
    assert "broken.yml: entry 1 (x.one): label 'technique/nope' is not in the taxonomy" in result.output
    assert "broken.yml: entry 2 (x.two): [weight]" in result.output
    assert "2 problem(s) found" in result.output


def test_validate_names_a_bad_taxonomy(tmp_path):
    bad = tmp_path / "taxonomy.yml"
    bad.write_text("facets: {technique: {labels: []}}\n")
    result = runner.invoke(app, ["validate", "--taxonomy", str(bad)])
    assert result.exit_code == 1
    assert "taxonomy.yml: facet 'technique': has no labels" in result.output

"""``papertag export bibtex|markdown`` end to end."""

from __future__ import annotations

import json

import bibtexparser
from typer.testing import CliRunner

from papertag.cli import app
from papertag.resources import project_home

runner = CliRunner()
EXAMPLE = project_home() / "examples" / "papers.jsonl"


def run(*args: str):
    return runner.invoke(app, list(args))


def test_bibtex_from_untagged_input_with_a_filter(tmp_path):
    out = tmp_path / "related.bib"
    result = run("export", "bibtex", str(EXAMPLE), "--rules-only", "--where", "technique=quantization",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    lib = bibtexparser.parse_string(out.read_text())
    assert not lib.failed_blocks and len(lib.entries) >= 3
    assert all("technique/quantization" in e.fields_dict["keywords"].value for e in lib.entries)
    assert "lima2024tinyquant" in {e.key for e in lib.entries}
    again = run("export", "bibtex", str(EXAMPLE), "--rules-only", "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr


def test_keys_do_not_depend_on_the_filters(tmp_path):
    all_md = run("export", "markdown", str(EXAMPLE), "--rules-only")
    some_md = run("export", "markdown", str(EXAMPLE), "--rules-only", "--since", "2024")
    assert all_md.exit_code == 0 and some_md.exit_code == 0
    cited = {line.rsplit("[@", 1)[1] for line in some_md.stdout.splitlines() if line.startswith("- ")}
    assert cited and cited <= {line.rsplit("[@", 1)[1] for line in all_md.stdout.splitlines()
                               if line.startswith("- ")}


def test_markdown_from_tagged_jsonl(tmp_path):
    tagged = tmp_path / "t.jsonl"
    tagged.write_text(json.dumps({"id": "a", "title": "Quantized Things", "year": 2024, "authors": ["Ann Lee"],
                                  "labels": {"technique": ["quantization"], "modality": [], "architecture": [],
                                             "hardware": []}, "scores": {"technique/quantization": 1.0}}) + "\n")
    result = run("export", "markdown", str(tagged), "--by", "technique", "--cite", "latex")
    assert result.exit_code == 0, result.output
    assert "## Quantization" in result.stdout and "\\cite{lee2024quantized}" in result.stdout


def test_bad_facet_is_a_usage_error():
    result = run("export", "markdown", str(EXAMPLE), "--by", "colour", "--rules-only")
    assert result.exit_code == 2 and "--by" in result.output

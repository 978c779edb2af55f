"""Load rule files (rules/labels/**/*.yml) and rule settings (rules/settings.yml).

A rule file holds a list of rules in spaCy's pattern shape::

    rules:
      - id: quantization.core              # unique across all files; shown as evidence
        label: technique/quantization      # or a list of labels the hit implies
        weight: 0.9                        # expected precision of a hit, in (0, 1]
        attr: LOWER                        # phrase patterns match on LOWER (default), ORTH or LEMMA
        patterns:
          - quantization                   # a string: phrase pattern (PhraseMatcher)
          - [{LEMMA: quantize}, {LOWER: weights}]   # a list of token dicts: Matcher pattern
      - id: quantization.not_hashing
        label: technique/quantization
        veto: true                         # hits suppress overlapping hits of the label
        scope: overlap                     # or "sentence"
        patterns: [hash code quantization]

Loading follows weasel's order: file, YAML, schema, cross-references (labels exist,
rule ids unique), then spaCy's own pattern validation; every problem is collected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import Problem, RuleFileError
from ..resources import rules_dir
from ..taxonomy import FACETS, Taxonomy
from ..yamlio import pydantic_problems, read_yaml

PhraseAttr = Literal["LOWER", "ORTH", "LEMMA"]
TokenPattern = list[dict[str, Any]]


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    label: str | list[str]
    weight: float = Field(default=0.9, gt=0.0, le=1.0)
    attr: PhraseAttr = "LOWER"
    veto: bool = False
    scope: Literal["overlap", "sentence"] = "overlap"
    description: str = ""
    patterns: list[str | TokenPattern] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _non_empty(cls, v: list[str | TokenPattern]) -> list[str | TokenPattern]:
        for i, p in enumerate(v):
            if (isinstance(p, str) and not p.strip()) or (isinstance(p, list) and not p):
                raise ValueError(f"pattern {i} is empty")
        return v


class ContextFactors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: float = Field(ge=0, le=1)
    proposal: float = Field(ge=0, le=1)
    background: float = Field(ge=0, le=1)
    neutral: float = Field(ge=0, le=1)


class EfficiencyGate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: float = Field(ge=0, le=1)
    cues: list[str]


class RuleSettings(BaseModel):
    """How hits become scores; see rules/settings.yml."""

    model_config = ConfigDict(extra="forbid")
    thresholds: dict[str, float]
    context: dict[str, ContextFactors]
    efficiency_gate: EfficiencyGate
    proposal_cues: list[str]
    background_cues: list[str]


@dataclass(frozen=True)
class Rule:
    """One loaded rule; ``labels`` are full keys (``technique/quantization``)."""

    id: str
    labels: tuple[str, ...]
    weight: float
    attr: str
    veto: bool
    scope: str
    patterns: tuple[str | TokenPattern, ...]
    file: str
    description: str = ""


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    settings: RuleSettings
    sha256: str

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def rule_files(directory: Path) -> list[Path]:
    """Every rule file under ``directory/labels`` in a stable order."""
    return sorted((directory / "labels").rglob("*.yml"))


def check_rules(taxonomy: Taxonomy, directory: str | Path | None = None) -> tuple[RuleSet | None, list[Problem]]:
    """Load every rule file and the settings; return the rule set or every problem found."""
    root = Path(directory) if directory is not None else rules_dir()
    problems: list[Problem] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    digest = hashlib.sha256()
    files = rule_files(root)
    if not files:
        problems.append(Problem(str(root / "labels"), "", "no rule files (*.yml) found"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
        data, probs = read_yaml(path)
        if probs:
            problems.extend(probs)
            continue
        file = str(path)
        entries = data.get("rules") if isinstance(data, dict) else None
        extra = sorted(set(data) - {"rules"}) if isinstance(data, dict) else []
        if not isinstance(entries, list) or not entries or extra:
            what = f"unexpected top-level keys {extra}" if extra else "has no rules"
            problems.append(Problem(file, "", f"{what}; expected a top-level 'rules:' list of rule entries"))
            continue
        specs: list[tuple[int, RuleSpec]] = []
        for i, entry in enumerate(entries):  # each entry on its own, so one bad entry hides no other
            try:
                specs.append((i, RuleSpec.model_validate(entry)))
            except ValidationError as exc:
                problems.extend(_entry_problems(file, {"rules": entries}, exc, index=i))
        for i, r in specs:
            where = f"entry {i + 1} ({r.id})"
            if r.id in seen:
                problems.append(Problem(file, where, f"duplicate rule id '{r.id}', already defined in {seen[r.id]}"))
            seen[r.id] = file
            labels = (r.label,) if isinstance(r.label, str) else tuple(r.label)
            for lab in labels:
                if lab not in taxonomy:
                    hint = _closest(lab, taxonomy)
                    problems.append(Problem(file, where, f"label '{lab}' is not in the taxonomy{hint}"))
            rules.append(Rule(r.id, labels, r.weight, r.attr, r.veto, r.scope, tuple(r.patterns), file, r.description))
    settings_path = root / "settings.yml"
    digest.update(settings_path.read_bytes() if settings_path.exists() else b"")
    data, probs = read_yaml(settings_path)
    settings: RuleSettings | None = None
    if probs:
        problems.extend(probs)
    else:
        try:
            settings = RuleSettings.model_validate(data)
        except ValidationError as exc:
            problems.extend(pydantic_problems(str(settings_path), "", exc))
        else:
            for facet in FACETS:
                for name, table in (("thresholds", settings.thresholds), ("context", settings.context)):
                    if facet not in table:
                        problems.append(Problem(str(settings_path), name, f"facet '{facet}' is missing"))
    if not problems:
        problems.extend(_spacy_problems(rules))
    if problems or settings is None:
        return None, problems
    return RuleSet(tuple(rules), settings, digest.hexdigest()), []


def load_rules(taxonomy: Taxonomy, directory: str | Path | None = None) -> RuleSet:
    """Load and validate the rules; raise :class:`RuleFileError` listing every problem."""
    ruleset, problems = check_rules(taxonomy, directory)
    if ruleset is None:
        raise RuleFileError(problems)
    return ruleset


def _entry_problems(file: str, data: Any, exc: ValidationError, *, index: int | None = None) -> list[Problem]:
    """Name the entry (number and id) for schema errors inside ``rules:``."""
    out = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        if index is not None:
            loc = ["rules", index, *loc]
        where = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            idx = loc[1]
            rid = ""
            try:
                rid = data["rules"][idx].get("id", "")
            except (KeyError, IndexError, TypeError, AttributeError):
                pass
            where = f"entry {idx + 1}" + (f" ({rid})" if rid else "")
            loc = loc[2:]
        path = " -> ".join(str(p) for p in loc)
        got = err.get("input")
        got_s = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
        out.append(Problem(file, where, f"[{path}] {err.get('msg', 'invalid')}{got_s}"))
    return out


def _closest(label: str, taxonomy: Taxonomy) -> str:
    import difflib

    match = difflib.get_close_matches(label, taxonomy.keys, n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


def _spacy_problems(rules: list[Rule]) -> list[Problem]:
    """Validate token patterns with spaCy's own schema (Matcher(validate=True))."""
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    vocab = Vocab()  # the schema check needs no language data
    problems = []
    for r in rules:
        token_patterns = [p for p in r.patterns if isinstance(p, list)]
        if not token_patterns:
            continue
        matcher = Matcher(vocab, validate=True)
        for j, p in enumerate(token_patterns):
            try:
                matcher.add(r.id, [p])
            except Exception as exc:  # spaCy raises MatchPatternError / ValueError
                msg = " ".join(str(exc).split())
                problems.append(Problem(r.file, f"rule {r.id}, token pattern {j + 1}", msg))
    return problems

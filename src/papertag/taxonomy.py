"""Load and validate the label taxonomy (taxonomy/taxonomy.yml)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import Problem, TaxonomyError
from .resources import taxonomy_path
from .yamlio import pydantic_problems, read_yaml

FACETS: tuple[str, ...] = ("technique", "modality", "architecture", "hardware")


class LabelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class FacetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    labels: list[LabelSpec] = Field(default_factory=list)


class TaxonomySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    facets: dict[str, FacetSpec]


@dataclass(frozen=True)
class Label:
    """One label. ``key`` is ``facet/id`` (``technique/quantization/post_training``)."""

    facet: str
    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.facet}/{self.id}"

    @property
    def parent_id(self) -> str | None:
        return self.id.rsplit("/", 1)[0] if "/" in self.id else None

    @property
    def parent_key(self) -> str | None:
        pid = self.parent_id
        return f"{self.facet}/{pid}" if pid else None


@dataclass(frozen=True)
class Taxonomy:
    """The facets and labels papertag assigns, in file order."""

    labels: tuple[Label, ...]
    path: str = ""
    sha256: str = ""  # fingerprint of the ordered label keys
    _by_key: dict[str, Label] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({lab.key: lab for lab in self.labels})

    @property
    def facets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for lab in self.labels:
            seen.setdefault(lab.facet, None)
        return tuple(seen)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(lab.key for lab in self.labels)

    def facet_keys(self, facet: str) -> tuple[str, ...]:
        return tuple(lab.key for lab in self.labels if lab.facet == facet)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Label:
        return self._by_key[key]

    def ancestors(self, key: str) -> list[str]:
        """Parent keys of ``key``, nearest first."""
        out = []
        lab = self._by_key[key]
        while lab.parent_key is not None:
            out.append(lab.parent_key)
            lab = self._by_key[lab.parent_key]
        return out

    def children(self, key: str) -> list[str]:
        return [lab.key for lab in self.labels if lab.parent_key == key]


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load, validate and return the taxonomy; raise :class:`TaxonomyError` listing every problem."""
    taxonomy, problems = check_taxonomy(path)
    if problems or taxonomy is None:
        raise TaxonomyError(problems)
    return taxonomy


def check_taxonomy(path: str | Path | None = None) -> tuple[Taxonomy | None, list[Problem]]:
    """Like :func:`load_taxonomy` but return problems instead of raising."""
    p = Path(path) if path is not None else taxonomy_path()
    data, problems = read_yaml(p)
    if problems:
        return None, problems
    file = str(p)
    try:
        spec = TaxonomySpec.model_validate(data)
    except ValidationError as exc:
        return None, pydantic_problems(file, "", exc)
    labels: list[Label] = []
    for facet_name, facet in spec.facets.items():
        if facet_name not in FACETS:
            problems.append(Problem(file, f"facet '{facet_name}'", f"unknown facet; expected one of {', '.join(FACETS)}"))
        if not facet.labels:
            problems.append(Problem(file, f"facet '{facet_name}'", "has no labels; a facet needs at least one"))
        seen: set[str] = set()
        for i, lab in enumerate(facet.labels):
            where = f"facet '{facet_name}', label {i + 1} ({lab.id})"
            if lab.id in seen:
                problems.append(Problem(file, where, f"duplicate id '{lab.id}'; ids must be unique within a facet"))
                continue
            if "/" in lab.id:
                parent = lab.id.rsplit("/", 1)[0]
                if parent not in seen:
                    problems.append(Problem(file, where, f"unknown parent '{parent}'; define the parent label before its children"))
            seen.add(lab.id)
            labels.append(Label(facet_name, lab.id, lab.name, lab.description, tuple(lab.aliases)))
    for facet_name in FACETS:
        if facet_name not in spec.facets:
            problems.append(Problem(file, "", f"facet '{facet_name}' is missing; the output schema needs all of {', '.join(FACETS)}"))
    if problems:
        return None, problems
    # the fingerprint covers the label keys in order, which is what models and gold depend on;
    # editing a name, definition or alias does not invalidate a trained model
    digest = hashlib.sha256("\n".join(lab.key for lab in labels).encode("utf-8")).hexdigest()
    return Taxonomy(tuple(labels), path=file, sha256=digest), []

"""Hand-written tagged papers whose tables, trends and claims are worked out by hand in the tests.

| id | year | technique                     | modality    | architecture       | claims                        |
|----|------|-------------------------------|-------------|--------------------|-------------------------------|
| p1 | 2022 | quantization (+post_training) | text        | llm                | 4-bit, 2.0x, NVIDIA A100      |
| p2 | 2022 | pruning                       | image       | cnn                | 3.0x and 1.5x                 |
| p3 | 2023 | quantization (model, .6), pruning | image, text | vision_transformer | 8-bit, 4-bit              |
| p4 | 2023 | distillation                  | text        | llm                |                               |
| p5 | 2024 | quantization                  | text        | llm                | 4-bit, 5.0x                   |
| p6 | 2024 | -                             | image       | cnn                |                               |
| p7 | 2024 | peft                          | text        | llm                |                               |
| p8 | -    | quantization                  | audio       | -                  |                               |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def paper(pid: str, year: int | None, technique=(), modality=(), architecture=(), hardware=(), *,
          claims=(), model: tuple[str, ...] = (), score: float = 0.9, venue: str | None = None,
          authors=("Ada Lovelace", "Alan Turing")) -> dict[str, Any]:
    labels = {"technique": list(technique), "modality": list(modality), "architecture": list(architecture),
              "hardware": list(hardware)}
    keys = [f"{f}/{lab}" for f, labs in labels.items() for lab in labs]
    p: dict[str, Any] = {
        "id": pid, "title": f"Paper {pid}: Efficient Things", "labels": labels,
        "scores": {k: (0.6 if k in model else score) for k in keys},
        "evidence": {k: [{"start": 0, "end": 5, "text": f"{k.split('/')[-1]} cue", "rule": "r"}] for k in keys},
        "claims": list(claims), "source": {k: ("model" if k in model else "rule") for k in keys},
        "needs_review": [], "authors": list(authors)}
    if year is not None:
        p["year"] = year
    if venue:
        p["venue"] = venue
    return p


PAPERS = [
    paper("p1", 2022, ["quantization", "quantization/post_training"], ["text"], ["llm"], ["gpu"],
          claims=[{"kind": "bits", "value": 4.0}, {"kind": "speedup", "value": 2.0, "unit": "x"},
                  {"kind": "hardware", "value": "NVIDIA A100"}], venue="ICML 2022"),
    paper("p2", 2022, ["pruning"], ["image"], ["cnn"],
          claims=[{"kind": "speedup", "value": 3.0, "unit": "x"}, {"kind": "speedup", "value": 1.5, "unit": "x"}],
          venue="CVPR 2022"),
    paper("p3", 2023, ["quantization", "pruning"], ["image", "text"], ["vision_transformer"],
          claims=[{"kind": "bits", "value": 8.0}, {"kind": "bits", "value": 4.0}, {"kind": "bits", "value": 4.0}],
          model=("technique/quantization",)),
    paper("p4", 2023, ["distillation"], ["text"], ["llm"], venue="ACL 2023"),
    paper("p5", 2024, ["quantization"], ["text"], ["llm"],
          claims=[{"kind": "bits", "value": 4.0}, {"kind": "speedup", "value": 5.0, "unit": "x"}]),
    paper("p6", 2024, [], ["image"], ["cnn"]),
    paper("p7", 2024, ["peft"], ["text"], ["llm"]),
    paper("p8", None, ["quantization"], ["audio"], []),
]


@pytest.fixture(scope="session")
def all_papers() -> list[dict[str, Any]]:
    """The papers above, shared by module-scoped fixtures (do not change them)."""
    return json.loads(json.dumps(PAPERS))


@pytest.fixture
def papers() -> list[dict[str, Any]]:
    return json.loads(json.dumps(PAPERS))  # a fresh copy per test


@pytest.fixture
def tagged_file(tmp_path: Path) -> Path:
    path = tmp_path / "tagged.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path

"""Papers written for the review tests, and a rules-only review session over them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertag.records import Record

PAPERS = [
    {"id": "rv-1", "title": "Structured Channel Pruning for Fast CNN Inference on Smartphones",
     "abstract": "We prune filters and channels of convolutional networks and measure a 2.1x speedup on a "
                 "Snapdragon 8 Gen 1 phone, with no loss in ImageNet accuracy."},
    {"id": "rv-2", "title": "Post-Training 4-bit Quantization of Large Language Models",
     "abstract": "We quantize the weights of an LLM to 4 bits after training and run it on one NVIDIA A100 GPU."},
    {"id": "rv-3", "title": "A Survey of Soil Moisture Sensing",
     "abstract": "<script>alert('x')</script> We review field sensors for soil moisture & irrigation <b>planning</b>."},
    {"id": "rv-4", "title": "Distilling a Vision Transformer into a Tiny Student",
     "abstract": "Knowledge distillation from a ViT teacher into a small student for image classification on edge "
                 "devices such as the Jetson Nano."},
]


@pytest.fixture()
def papers_file(tmp_path) -> Path:
    p = tmp_path / "papers.jsonl"
    p.write_text("".join(json.dumps(x) + "\n" for x in PAPERS))
    return p


@pytest.fixture(scope="session")
def records() -> list[Record]:
    return [Record(id=x["id"], title=x["title"], abstract=x["abstract"]) for x in PAPERS]


@pytest.fixture(scope="session")
def tagger(engine, taxonomy):
    from papertag.tagger import Tagger

    return Tagger(taxonomy=taxonomy, engine=engine, model=None)


@pytest.fixture()
def session(tmp_path, records, tagger):
    from papertag.review.session import ReviewSession

    return ReviewSession(records, tagger, tmp_path / "decisions.jsonl", strategy="uncertainty")

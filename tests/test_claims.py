"""Tests for papertag.claims: bit-widths, devices, speedups, reductions and sparsity.

The tables below are (sentence, expected claims). Expected claims are compared as
multisets of (kind, value) so the tables stay readable; offsets, ordering, units and
targets have their own tests.
"""

from __future__ import annotations

import gzip
import itertools
import json
import time
from pathlib import Path

import pytest
import yaml

from papertag.claims import (
    CLAIM_KINDS,
    DEVICE_KINDS,
    Claim,
    ClaimExtractor,
    default_devices_path,
    device_kind,
    extract_claims,
    load_devices,
)
from papertag.errors import RuleFileError


@pytest.fixture(scope="module")
def ex() -> ClaimExtractor:
    return ClaimExtractor()


def pairs(claims: list[Claim], kinds: tuple[str, ...] | None = None) -> list[tuple[str, float | str]]:
    got = [(c.kind, c.value) for c in claims if kinds is None or c.kind in kinds]
    return sorted(got, key=lambda p: (p[0], str(p[1])))


def norm(expected: list[tuple[str, float | str]]) -> list[tuple[str, float | str]]:
    out = [(k, float(v) if isinstance(v, int) else v) for k, v in expected]
    return sorted(out, key=lambda p: (p[0], str(p[1])))


# --------------------------------------------------------------------------- bits

BITS_POSITIVE = [
    ("We quantize the weights to 4-bit with little loss.", [4]),
    ("A 4 bit quantizer for large language models.", [4]),
    ("Weights are stored in 4-bits per entry after quantization.", [4]),
    ("Our 2.25-bit models beat prior 3-bit baselines.", [2.25, 3]),
    ("Sub-4-bit quantization of diffusion transformers.", [4]),
    ("Training 1.58-bit language models from scratch.", [1.58]),
    ("We evaluate W4A8 quantization of vision transformers.", [4, 8]),
    ("W4A16KV4 keeps the cache in four bits.", [4, 16]),
    ("Both W8A8 and W4A4 settings are reported.", [8, 4]),
    ("Kernels for INT8 and int4 matrix multiplication.", [8, 4]),
    ("Inference uses INT4 weights with FP16 activations.", [4, 16]),
    ("We pretrain with FP8 and evaluate in BF16.", [8, 16]),
    ("MXFP4 and NVFP4 formats for microscaled training.", [4, 4]),
    ("The NF4 data type improves 4-bit fine-tuning.", [4, 4]),
    ("We use the E4M3 format for forward passes and E5M2 for gradients.", [8, 8]),
    ("Training in bfloat16 and float32 master weights.", [16, 32]),
    ("Results for 8/4-bit quantized detectors.", [8, 4]),
    ("Accuracy at 2- and 3-bit precision is reported.", [2, 3]),
    ("We sweep 2/3/4-bit weight quantization.", [2, 3, 4]),
    ("Ultra-low bit-widths (2-4 bits) remain challenging for post-training quantization.", [2, 4]),
    ("A binary neural network for keyword spotting.", [1]),
    ("We train binarized weights and activations end to end.", [1]),
    ("Ternary weights make the model multiplication-free.", [2]),
    ("We study 1-bit quantization of language models.", [1]),
    ("A one-bit weight transformer for translation.", [1]),
    ("Compared with a 32-bit baseline, our 3-bit network is smaller.", [3]),  # the baseline is not a claim
    ("Emulating 64-bit floating point arithmetic on tensor cores.", [64]),
    ("BNNs trade accuracy for very cheap XNOR operations.", [1]),
]

BITS_NEGATIVE = [
    "We study the 3-bit flip-flop task with recurrent networks.",
    "A strong baseline for binary classification of reviews.",
    "The decoder predicts a binary mask for each object.",
    "We run a binary search over the threshold.",
    "Learning compact binary codes for image retrieval.",
    "Our watermark embeds a 48-bit message into each image.",
    "Hash codes of 64 bits give the best mAP on retrieval.",
    "The model reaches 1.08 bits per character on enwik8.",
    "Low-bit quantization is hard without calibration data.",
    "We hash passwords with SHA-256 before storage.",
    "Images are stored as 8-bit RGB files.",
    "The attack flips only 13 bits of the weights to break the model.",
    "Bayesian neural networks (BNNs) give calibrated uncertainty.",
    "A 16-bit ADC samples the sensor signal.",
    "Published in 2024, the benchmark covers 12 tasks.",
]


@pytest.mark.parametrize(("text", "values"), BITS_POSITIVE)
def test_bits_positive(ex: ClaimExtractor, text: str, values: list[float]) -> None:
    assert pairs(ex.extract(text), ("bits",)) == norm([("bits", v) for v in values])


@pytest.mark.parametrize("text", BITS_NEGATIVE)
def test_bits_negative(ex: ClaimExtractor, text: str) -> None:
    assert pairs(ex.extract(text), ("bits",)) == []


def test_w4a8_gives_two_claims_on_one_span(ex: ClaimExtractor) -> None:
    text = "Our W4A8 kernels"
    claims = [c for c in ex.extract(text) if c.kind == "bits"]
    assert [c.value for c in claims] == [4.0, 8.0]
    assert {c.text for c in claims} == {"W4A8"}
    assert {(c.start, c.end) for c in claims} == {(4, 8)}


# --------------------------------------------------------------------------- hardware

HARDWARE = [
    # (sentence, canonical, kind, span text)
    ("Training takes a day on eight A100 GPUs.", "NVIDIA A100", "gpu", "A100 GPUs"),
    ("Latency is measured on an NVIDIA H100.", "NVIDIA H100", "gpu", "NVIDIA H100"),
    ("We fine-tune on a single A100-80GB card.", "NVIDIA A100", "gpu", "A100-80GB card"),
    ("Throughput on H800 and H200 GPUs.", "NVIDIA H800", "gpu", "H800"),
    ("Benchmarks on a V100 GPU.", "NVIDIA V100", "gpu", "V100 GPU"),
    ("Serving on NVIDIA T4 GPUs in the cloud.", "NVIDIA T4", "gpu", "NVIDIA T4 GPUs"),
    ("Results on a GeForce RTX 3090.", "NVIDIA RTX 3090", "gpu", "GeForce RTX 3090"),
    ("Runs in real time on an RTX 4090 GPU.", "NVIDIA RTX 4090", "gpu", "RTX 4090 GPU"),
    ("Trained on an RTX 2080 Ti.", "NVIDIA RTX 2080 Ti", "gpu", "RTX 2080 Ti"),
    ("Tested on a GTX 1080 Ti.", "NVIDIA GTX 1080 Ti", "gpu", "GTX 1080 Ti"),
    ("One Titan X GPU is enough.", "NVIDIA Titan X", "gpu", "Titan X GPU"),
    ("Next-generation B200 GPUs double the bandwidth.", "NVIDIA B200", "gpu", "B200 GPUs"),
    ("Rack-scale GB200 systems.", "NVIDIA GB200", "gpu", "GB200"),
    ("An RTX A6000 workstation.", "NVIDIA RTX A6000", "gpu", "RTX A6000"),
    ("Kernels tuned for AMD MI300X accelerators.", "AMD MI300X", "gpu", "AMD MI300X accelerators"),
    ("Scaling runs on TPU v4 pods.", "Google TPU v4", "asic", "TPU v4"),
    ("Compiled for the Edge TPU.", "Google Edge TPU", "edge", "Edge TPU"),
    ("Deployed on a Jetson Nano board.", "Jetson Nano", "edge", "Jetson Nano board"),
    ("Runs on the NVIDIA Jetson AGX Orin at 30 FPS.", "Jetson AGX Orin", "edge", "NVIDIA Jetson AGX Orin"),
    ("We also test a Jetson TX2.", "Jetson TX2", "edge", "Jetson TX2"),
    ("The app runs on an iPhone 12 at interactive rates.", "Apple iPhone 12", "mobile", "iPhone 12"),
    ("On-device results on iPhone.", "Apple iPhone", "mobile", "iPhone"),
    ("Measured on a Snapdragon 8 Gen 1 phone.", "Snapdragon 8 Gen 1", "mobile", "Snapdragon 8 Gen 1 phone"),
    ("Latency on a Snapdragon 888 SoC.", "Snapdragon 888", "mobile", "Snapdragon 888 SoC"),
    ("A VIVO X80 Pro smartphone runs the model.", "VIVO X80 Pro", "mobile", "VIVO X80 Pro smartphone"),
    ("Tested on a Samsung Galaxy S23.", "Samsung Galaxy S23", "mobile", "Samsung Galaxy S23"),
    ("Latency on a Google Pixel 7.", "Google Pixel 7", "mobile", "Google Pixel 7"),
    ("Runs on a MediaTek Dimensity 9000.", "Dimensity 9000", "mobile", "MediaTek Dimensity 9000"),
    ("Runs on a Raspberry Pi 4 without a GPU.", "Raspberry Pi 4", "edge", "Raspberry Pi 4"),
    ("Fits on an STM32 microcontroller.", "STM32", "edge", "STM32 microcontroller"),
    ("Runs on an Arduino Nano 33 BLE Sense.", "Arduino Nano 33 BLE Sense", "edge", "Arduino Nano 33 BLE Sense"),
    ("Deployed to an ARM Cortex-M4 MCU.", "ARM Cortex-M4", "edge", "ARM Cortex-M4 MCU"),
    ("Measured on a Cortex-A76 core.", "ARM Cortex-A76", "cpu", "Cortex-A76 core"),
    ("CPU baseline on an Intel Xeon Gold 6248.", "Intel Xeon", "cpu", "Intel Xeon Gold 6248"),
    ("A laptop with an Intel Core i7 CPU.", "Intel Core i7", "cpu", "Intel Core i7 CPU"),
    ("Runs on an Apple M2 chip.", "Apple M2", "cpu", "Apple M2 chip"),
    ("Implemented on a Xilinx ZCU102 FPGA.", "Xilinx ZCU102", "fpga", "Xilinx ZCU102 FPGA"),
    ("Deployed on a Kria KV260 board.", "Xilinx Kria KV260", "fpga", "Kria KV260 board"),
    ("Mapped to the Versal VCK190.", "AMD Versal VCK190", "fpga", "Versal VCK190"),
    ("On-device latency on the Apple A17 Pro.", "Apple A17 Pro", "mobile", "Apple A17 Pro"),
    ("Runs at 30 FPS on a Xiaomi 13 Pro Max phone.", "Xiaomi 13 Pro Max", "mobile", "Xiaomi 13 Pro Max phone"),
    ("We target the Alveo U250 card.", "Xilinx Alveo U250", "fpga", "Alveo U250 card"),
    ("Trained on Ascend 910 NPUs.", "Huawei Ascend 910", "asic", "Ascend 910 NPUs"),
    ("Spiking networks on Loihi.", "Intel Loihi", "asic", "Loihi"),
]

HARDWARE_NEGATIVE = [
    "Patients with stage T4 tumors were excluded.",
    "We compare against the Xavier initialization.",
    "Coral reef monitoring from drone imagery.",
    "In vivo experiments confirm the effect.",
    "Pixel-level supervision improves segmentation.",
    "The network uses GPUs for training.",
    "Ascend to the top of the leaderboard.",
]


@pytest.mark.parametrize(("text", "canonical", "kind", "span"), HARDWARE)
def test_hardware(ex: ClaimExtractor, text: str, canonical: str, kind: str, span: str) -> None:
    hw = [c for c in ex.extract(text) if c.kind == "hardware"]
    assert hw, f"no device found in {text!r}"
    c = hw[0]
    assert (c.value, c.text) == (canonical, span)
    assert ex.device_kind(c.value) == kind


@pytest.mark.parametrize("text", HARDWARE_NEGATIVE)
def test_hardware_negative(ex: ClaimExtractor, text: str) -> None:
    assert [c for c in ex.extract(text) if c.kind == "hardware"] == []


def test_device_counts_are_not_speedups(ex: ClaimExtractor) -> None:
    for text in ("Trained on 8×A100 for two days.", "Trained on 8x A100 GPUs.", "a cluster of 8xH100"):
        claims = ex.extract(text)
        assert [c.kind for c in claims] == ["hardware"], text


def test_device_numbers_are_not_other_claims(ex: ClaimExtractor) -> None:
    claims = ex.extract("On a Snapdragon 8 Gen 1 and an RTX 4090 the model runs in real time.")
    assert [c.kind for c in claims] == ["hardware", "hardware"]


# --------------------------------------------------------------------------- speedups

SPEEDUP_POSITIVE = [
    ("Our method achieves a 3.4x speedup over the baseline.", [3.4]),
    ("The kernel is 3.4× faster than cuBLAS.", [3.4]),
    ("It delivers up to 2.01x throughput on long prompts.", [2.01]),
    ("Decoding becomes 7 times faster.", [7]),
    ("We obtain a 2-fold speedup in training.", [2]),
    ("The method accelerates inference by 3.2x.", [3.2]),
    ("Caching speeds up sampling by 45%.", [45]),
    ("This yields a 1.5–2.3× speedup across models.", [1.5, 2.3]),
    ("It is 2x-4x faster than dense attention.", [2, 4]),
    ("Inference is 7.98× faster on GPU.", [7.98]),
    ("Inference is 7.98\\times faster on GPU.", [7.98]),
    ("We see a 3.4 x speedup.", [3.4]),
    ("The pipeline runs 10× faster.", [10]),
    ("It is ≈3x faster than before.", [3]),
    ("It is ~3x faster than before.", [3]),
    ("Search becomes over 10x faster.", [10]),
    ("Retrieval runs 1,000x faster than brute force.", [1000]),
    ("The model reaches a speedup of 2.5x on CPUs.", [2.5]),
    ("We observe speedups of 1.3x to 2.9x.", [1.3, 2.9]),
    ("It achieves 3x higher throughput.", [3]),
    ("Our system improves throughput by 2.4x.", [2.4]),
    ("Serving reaches 1.8x the throughput of vLLM.", [1.8]),
    ("Generation is twice as fast as the teacher.", [2]),
    ("Prefill is 45% faster with our kernel.", [45]),
    ("Training is accelerated by 5 times.", [5]),
]

SPEEDUP_NEGATIVE = [
    "It matches a 2x larger model.",
    "We replace each 3x3 convolution with two 1x1 layers.",
    "Inputs are 224x224 images.",
    "We target x4 super-resolution on DIV2K.",
    "Results for ×4 SR are in the appendix.",
    "The feature map is split into a 2×2 grid.",
    "A dataset 2 times larger than prior work.",
    "We apply 4x downsampling in the encoder.",
    "The model improves Top-1 accuracy by 0.2%.",
    "Accuracy improves by 3x on the hardest split.",
    "Inference is 2x slower than the baseline.",
    "It sustains 0.9x the throughput of FP16.",
]


@pytest.mark.parametrize(("text", "values"), SPEEDUP_POSITIVE)
def test_speedup_positive(ex: ClaimExtractor, text: str, values: list[float]) -> None:
    assert pairs(ex.extract(text), ("speedup",)) == norm([("speedup", v) for v in values])


@pytest.mark.parametrize("text", SPEEDUP_NEGATIVE)
def test_speedup_negative(ex: ClaimExtractor, text: str) -> None:
    assert pairs(ex.extract(text), ("speedup", "reduction")) == []


@pytest.mark.parametrize(
    ("text", "unit", "target"),
    [
        ("A 3.4x speedup in decoding.", "x", None),
        ("Up to 2.01x throughput.", "x", "throughput"),
        ("It speeds up training by 45%.", "%", "training"),
        ("It accelerates inference by 3.2x.", "x", "inference"),
    ],
)
def test_speedup_unit_and_target(ex: ClaimExtractor, text: str, unit: str, target: str | None) -> None:
    (c,) = [c for c in ex.extract(text) if c.kind == "speedup"]
    assert (c.unit, c.target) == (unit, target)


# --------------------------------------------------------------------------- reductions and sparsity

REDUCTION_POSITIVE = [
    # (sentence, value, unit, target)
    ("Pruning reduces FLOPs by 40% on ImageNet.", 40, "%", "FLOPs"),
    ("We report a 40% FLOPs reduction at equal accuracy.", 40, "%", "FLOPs"),
    ("The student has 80x fewer parameters.", 80, "x", "parameters"),
    ("Our codec compresses the model by 10x.", 10, "x", "model size"),
    ("This gives 4x memory savings during training.", 4, "x", "memory"),
    ("Early exits reduce latency by 35%.", 35, "%", "latency"),
    ("The policy saves 60% of the KV cache.", 60, "%", "KV cache"),
    ("The distilled model is 10x smaller.", 10, "x", "model size"),
    ("It uses 30% less memory than LoRA.", 30, "%", "memory"),
    ("We cut peak GPU memory by 2.5x.", 2.5, "x", "memory"),
    ("Merging achieves a 3x reduction in visual tokens.", 3, "x", "tokens"),
    ("Energy consumption is reduced by 52% on the accelerator.", 52, "%", "energy"),
    ("It offers a compression ratio of 12x for the weights.", 12, "x", None),
]

REDUCTION_NEGATIVE = [
    "Our method improves Top-1 accuracy by 0.2%.",
    "The accuracy drop of 1% is acceptable.",
    "It reduces the error rate by 20% on CIFAR-10.",
    "Hallucinations are reduced by 30% with our decoding.",
    "A 98% reduction in estimation error over the baseline.",
    "We collect a dataset 10x smaller than ImageNet yet as diverse.",
    "Training needs 5x fewer labeled samples.",
]


@pytest.mark.parametrize(("text", "value", "unit", "target"), REDUCTION_POSITIVE)
def test_reduction_positive(ex: ClaimExtractor, text: str, value: float, unit: str, target: str | None) -> None:
    red = [c for c in ex.extract(text) if c.kind == "reduction"]
    assert [(c.value, c.unit, c.target) for c in red] == [(float(value), unit, target)]


@pytest.mark.parametrize("text", REDUCTION_NEGATIVE)
def test_reduction_negative(ex: ClaimExtractor, text: str) -> None:
    assert [c for c in ex.extract(text) if c.kind == "reduction"] == []


def test_respectively_targets(ex: ClaimExtractor) -> None:
    text = "It reduces parameters and FLOPs by 4.0x and 2.2x, respectively."
    red = [(c.value, c.target) for c in ex.extract(text) if c.kind == "reduction"]
    assert red == [(4.0, "parameters"), (2.2, "FLOPs")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We prune 50% of the weights without retraining.", 50),
        ("Accuracy holds at 70% sparsity.", 70),
        ("We reach an unstructured sparsity of 90% on OPT.", 90),
    ],
)
def test_sparsity(ex: ClaimExtractor, text: str, value: float) -> None:
    sp = [c for c in ex.extract(text) if c.kind == "sparsity"]
    assert [(c.value, c.unit) for c in sp] == [(float(value), "%")]


def test_token_pruning_is_a_token_reduction(ex: ClaimExtractor) -> None:
    claims = ex.extract("We prune 75% of visual tokens in the LLM.")
    assert [(c.kind, c.value, c.target) for c in claims] == [("reduction", 75.0, "tokens")]


# --------------------------------------------------------------------------- whole sentences

MIXED = [
    (
        "Our W4A8 LLM runs 3.4x faster on A100 GPUs and uses 4x less memory.",
        [("bits", 4), ("bits", 8), ("speedup", 3.4), ("hardware", "NVIDIA A100"), ("reduction", 4)],
    ),
    (
        "A binarized network on a Raspberry Pi 4 is 12 times faster than its 32-bit counterpart.",
        [("bits", 1), ("hardware", "Raspberry Pi 4"), ("speedup", 12)],  # the 32-bit counterpart is the baseline
    ),
    ("Nothing numeric here: we study attention maps in ViTs.", []),
    ("The 2024 edition has 3 tracks and 120 teams.", []),
]


@pytest.mark.parametrize(("text", "expected"), MIXED)
def test_mixed(ex: ClaimExtractor, text: str, expected: list[tuple[str, float | str]]) -> None:
    assert pairs(ex.extract(text)) == norm(expected)


# --------------------------------------------------------------------------- offsets, ordering, robustness

ALL_SENTENCES = (
    [t for t, _ in BITS_POSITIVE]
    + BITS_NEGATIVE
    + [t for t, *_ in HARDWARE]
    + [t for t, _ in SPEEDUP_POSITIVE]
    + SPEEDUP_NEGATIVE
    + [t for t, *_ in REDUCTION_POSITIVE]
    + [t for t, _ in MIXED]
)


@pytest.mark.parametrize("text", ALL_SENTENCES)
def test_offsets_and_order(ex: ClaimExtractor, text: str) -> None:
    claims = ex.extract(text)
    for c in claims:
        assert text[c.start : c.end] == c.text
        assert c.kind in CLAIM_KINDS
        assert isinstance(c.value, str) if c.kind == "hardware" else isinstance(c.value, float)
    assert [c.start for c in claims] == sorted(c.start for c in claims)


def test_offsets_with_prefix(ex: ClaimExtractor) -> None:
    title, abstract = "Fast 4-bit LLMs", "We get a 2.5x speedup on an H100 GPU."
    text = f"{title}\n\n{abstract}"
    claims = ex.extract(text)
    assert [(c.kind, c.text) for c in claims] == [
        ("bits", "4-bit"),
        ("speedup", "2.5x speedup"),
        ("hardware", "H100 GPU"),
    ]
    assert all(text[c.start : c.end] == c.text for c in claims)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("a 3.4\u2009× speedup", "speedup", 3.4),  # thin space
        ("a 3.4\u202f× speedup", "speedup", 3.4),  # narrow no-break space
        ("a 1.5\u20132.3× speedup", "speedup", 2.3),  # en dash range
        ("a 1.5\u22122.3x speedup", "speedup", 2.3),  # unicode minus as range dash
        ("a \u223c3x speedup", "speedup", 3.0),  # tilde operator
        ("a 2.5 times speedup", "speedup", 2.5),
        ("4\u2011bit weights", "bits", 4.0),  # non-breaking hyphen
        ("a 3X speedup", "speedup", 3.0),
    ],
)
def test_unicode_robustness(ex: ClaimExtractor, text: str, kind: str, value: float) -> None:
    claims = ex.extract(text)
    assert (kind, value) in [(c.kind, c.value) for c in claims]
    assert all(text[c.start : c.end] == c.text for c in claims)


def test_empty_and_many(ex: ClaimExtractor) -> None:
    assert ex.extract("") == []
    texts = ["4-bit weights", "", "3x faster"]
    assert [pairs(r) for r in ex.extract_many(texts)] == [[("bits", 4.0)], [], [("speedup", 3.0)]]
    assert ex.extract_many(iter(texts)) == ex.extract_many(texts)


# Property-style: every (template, value) combination yields exactly that claim, at the right place,
# and filler context around it does not add or remove anything.
SPEED_TEMPLATES = [
    "{v}x speedup",
    "{v}× faster",
    "{v} times faster",
    "a speedup of {v}x",
    "speeds up decoding by {v}x",
    "{v}x higher throughput",
]
BITS_TEMPLATES = ["{v}-bit quantization", "{v}-bit weights", "quantized to {v} bits", "{v}-bit integer arithmetic"]
REDUCTION_TEMPLATES = [
    "reduces FLOPs by {v}x",
    "{v}x fewer parameters",
    "{v}x memory reduction",
    "cuts latency by {v}%",
]
FILLERS = [
    ("", ""),
    ("In our experiments, the method gives a ", " on two benchmarks."),
    ("Title\n\nWe find that it gives ", ", while accuracy stays within 0.3% of the baseline."),
    ("(", ")"),
]
NUMBERS = ["1.5", "2", "3.4", "7.98", "12", "120"]
PERCENT_NUMBERS = ["1.5", "2", "3.4", "7.98", "12", "95"]
BIT_NUMBERS = ["1", "2", "3", "4", "8", "16"]


@pytest.mark.parametrize(("tpl", "kind", "numbers"), [
    *((t, "speedup", NUMBERS) for t in SPEED_TEMPLATES),
    *((t, "bits", BIT_NUMBERS) for t in BITS_TEMPLATES),
    *((t, "reduction", PERCENT_NUMBERS if "%" in t else NUMBERS) for t in REDUCTION_TEMPLATES),
])
def test_property_templates(ex: ClaimExtractor, tpl: str, kind: str, numbers: list[str]) -> None:
    for (pre, post), v in itertools.product(FILLERS, numbers):
        core = tpl.format(v=v)
        text = pre + core + post
        claims = ex.extract(text)
        got = [c for c in claims if c.kind == kind]
        assert [c.value for c in got] == [float(v)], text
        c = got[0]
        assert text[c.start : c.end] == c.text
        assert pre.__len__() <= c.start and c.end <= len(pre) + len(core) + 1, text
        others = [x for x in claims if x.kind != kind]
        assert others == [], text


NON_CLAIM_TEMPLATES = ["{a}x{b} convolution", "{a}×{b} images", "a {a}x larger model", "{a}x{b} patches"]


@pytest.mark.parametrize("tpl", NON_CLAIM_TEMPLATES)
def test_property_non_claims(ex: ClaimExtractor, tpl: str) -> None:
    for a, b in itertools.product(["1", "3", "7", "224", "512"], ["1", "3", "224", "1024"]):
        text = f"We use {tpl.format(a=a, b=b)} in every stage."
        assert ex.extract(text) == [], text


# --------------------------------------------------------------------------- Claim and devices.yml


def test_to_dict_omits_none_and_keeps_schema_order() -> None:
    c = Claim("speedup", 3.4, "3.4x speedup", 400, 412, unit="x")
    assert c.to_dict() == {
        "kind": "speedup", "value": 3.4, "unit": "x", "text": "3.4x speedup", "start": 400, "end": 412,
    }
    assert list(c.to_dict()) == ["kind", "value", "unit", "text", "start", "end"]
    h = Claim("hardware", "NVIDIA A100", "A100 GPUs", 300, 309)
    assert h.to_dict() == {"kind": "hardware", "value": "NVIDIA A100", "text": "A100 GPUs", "start": 300, "end": 309}
    json.dumps(h.to_dict())


def test_claim_is_frozen() -> None:
    c = Claim("bits", 4.0, "4-bit", 0, 5)
    with pytest.raises(AttributeError):
        c.value = 8.0  # type: ignore[misc]


def test_devices_yml_loads_and_kinds_are_valid() -> None:
    path = default_devices_path()
    assert path.is_file()
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and len(raw) > 50
    for entry in raw:
        assert entry["kind"] in DEVICE_KINDS, entry
        assert entry["patterns"], entry
    entries = load_devices(path)
    assert len(entries) == len(raw)


def test_device_kind() -> None:
    assert device_kind("NVIDIA A100") == "gpu"
    assert device_kind("Jetson Nano") == "edge"
    assert device_kind("Apple iPhone 12") == "mobile"
    assert device_kind("NVIDIA RTX 4090") == "gpu"
    assert device_kind("ARM Cortex-M7") == "edge"
    assert device_kind("ARM Cortex-A76") == "cpu"
    assert device_kind("Xilinx ZCU104") == "fpga"
    assert device_kind("Google TPU v5e") == "asic"
    assert device_kind("a toaster") is None


def test_every_fixed_canonical_name_has_its_kind() -> None:
    ex = ClaimExtractor()
    for e in ex.devices_:
        if "{" not in e.canonical:
            assert ex.device_kind(e.canonical) in DEVICE_KINDS


def test_extract_claims_helper() -> None:
    assert [(c.kind, c.value) for c in extract_claims("FP8 training")] == [("bits", 8.0)]


def test_custom_devices_path(tmp_path: Path) -> None:
    p = tmp_path / "devices.yml"
    p.write_text("- {canonical: Acme NPU-1, kind: asic, patterns: ['NPU-1']}\n", encoding="utf-8")
    ex = ClaimExtractor(p)
    claims = ex.extract("Runs on an NPU-1 chip and an A100.")
    assert [(c.kind, c.value) for c in claims] == [("hardware", "Acme NPU-1")]
    assert ex.device_kind("Acme NPU-1") == "asic"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("- {canonical: X, kind: tpu, patterns: ['X1']}\n", "'kind' must be one of"),
        ("- {canonical: X, kind: gpu, patterns: []}\n", "'patterns' must be a non-empty list"),
        ("- {canonical: X, kind: gpu, patterns: ['X(']}\n", "not a valid regex"),
        ("- {canonical: X, kind: gpu, patterns: ['X1'], colour: red}\n", "unknown key"),
        ("- {canonical: 'X {2}', kind: gpu, patterns: ['X(1)']}\n", "has 1 group"),
        ("canonical: X\n", "expected a list"),
        ("- [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_devices_yml(tmp_path: Path, content: str, fragment: str) -> None:
    p = tmp_path / "devices.yml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        ClaimExtractor(p)
    assert fragment in str(err.value)
    assert str(p) in str(err.value)


def test_bad_devices_yml_reports_every_problem(tmp_path: Path) -> None:
    p = tmp_path / "devices.yml"
    p.write_text(
        "- {canonical: A, kind: tpu, patterns: ['A1']}\n- {canonical: B, kind: gpu, patterns: ['B(']}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as err:
        load_devices(p)
    assert len(err.value.problems) == 2
    assert "entry 1 (A)" in str(err.value) and "entry 2 (B)" in str(err.value)


def test_missing_devices_yml(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="file not found"):
        ClaimExtractor(tmp_path / "nope.yml")


# --------------------------------------------------------------------------- real abstracts (../shared)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "arxiv-2025-2026.jsonl.gz"


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason="../shared/corpus is not available")
def test_corpus_offsets_and_speed(ex: ClaimExtractor) -> None:
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 2000):
            d = json.loads(line)
            texts.append(f"{d.get('title') or ''}\n\n{d.get('abstract') or ''}")
    t0 = time.perf_counter()
    results = ex.extract_many(texts)
    elapsed = time.perf_counter() - t0
    for text, claims in zip(texts, results):
        for c in claims:
            assert text[c.start : c.end] == c.text
    assert sum(map(len, results)) > 50
    assert len(texts) / elapsed > 200, f"{len(texts) / elapsed:.0f} texts/s"


def test_the_anchored_cue_check_agrees_with_searching_the_window():
    """_has_cue tries the cue regex only where one of its literals starts; it must say what a plain search says,
    word boundaries at the window's edges included."""
    from papertag.claims import _CUE, _has_cue

    text = ("Shortcut layers cut latency; we cut 40% of FLOPs, reduce memory by 3x and drop tokens. "
            "Savings are lossless: 2x fewer steps, fps up 25%, and 60 tokens/s at a 30 FPS frame rate. ") * 2
    low = text.lower()
    for lo in range(0, len(text), 7):
        for hi in range(lo, min(len(text), lo + 60), 5):
            assert _has_cue(text, low, lo, hi) == (_CUE.search(text, lo, hi) is not None), (lo, hi)


def test_rules_tried_only_where_their_matches_can_begin_find_what_searching_finds():
    """A rule listed in _RULE_STARTS is tried only where one of its opening literals starts; over any window
    it must find exactly what searching the window finds."""
    from papertag.claims import _RULE_STARTS, _RULES, _anchored_finditer

    text = ("Pruning 50% of the weights and removing 30% of heads reduces FLOPs by 40%, cuts latency 3x and "
            "lowers memory usage by up to 2.5x; compression ratio of 10x, saving 60% of the KV cache. "
            "It accelerates inference by 3.2x, speeds up training by 45% and sped up decoding by 2x, "
            "improves throughput by 2x, boosts decoding speed 1.7x; a speedup of 4x, reduction in FLOPs of 35%, "
            "sparsity of 70%, and we prune 40% visual tokens. Reduced, Reducing, SAVES 20% memory.") * 2
    low = text.lower()
    rules = {(kind, name): rx for kind, name, rx in _RULES}
    for key, begins in _RULE_STARTS.items():
        rx = rules[key]
        for lo in range(0, len(text), 37):
            for hi in (min(len(text), lo + 120), min(len(text), lo + 340), len(text)):
                expected = [m.span() for m in rx.finditer(text, lo, hi)]
                assert [m.span() for m in _anchored_finditer(rx, begins, text, low, lo, hi)] == expected, (key, lo, hi)
    assert any(rules[key].search(text) for key in _RULE_STARTS)  # the text exercises the rules


def _rules_with_devices(root: Path) -> Path:
    """A copy of the project's rules folder whose device list knows one made-up board."""
    import shutil

    from papertag.resources import rules_dir

    rules = root / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "claims" / "devices.yml").write_text(
        "- {canonical: Zebra Z9, kind: edge, patterns: ['Zebra\\s?Z9']}\n", encoding="utf-8")
    return rules


def test_device_list_follows_papertag_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from papertag.resources import project_home

    home = tmp_path / "home"
    _rules_with_devices(home)
    (home / "taxonomy").symlink_to(project_home() / "taxonomy")
    monkeypatch.setenv("PAPERTAG_HOME", str(home))
    assert default_devices_path() == home / "rules" / "claims" / "devices.yml"
    found = ClaimExtractor().extract("We deploy the detector on a Zebra Z9 board and an A100.")
    assert [c.value for c in found if c.kind == "hardware"] == ["Zebra Z9"]  # the home's list, not the checkout's


def test_tagger_reads_the_device_list_of_its_rules_folder(tmp_path: Path) -> None:
    from papertag.tagger import Tagger

    tagger = Tagger(rules_dir=_rules_with_devices(tmp_path))
    paper = tagger.tag_text("Tiny detectors", "We run a pruned detector on the Zebra Z9 at 30 FPS.")
    assert [c["value"] for c in paper.claims if c["kind"] == "hardware"] == ["Zebra Z9"]
    assert "hardware/edge" in paper.evidence  # the device is evidence for its kind


@pytest.mark.parametrize("text", [
    "Our 4-bit kernels run 2.1x faster than the FP16 baseline.",
    "It keeps 99% of the accuracy of the full-precision (32-bit) network.",
    "Accuracy drops by only 0.3 points relative to BF16.",
    "Binary networks lose accuracy compared to their 32-bit counterparts.",
    "We report a 1.8x speedup over the FP16 execution on an A100.",
    "Optimizer states are compressed from 32-bit floats to lower bit-widths.",
])
def test_a_wide_precision_compared_against_is_not_a_bits_claim(ex: ClaimExtractor, text: str) -> None:
    # LABELS.md: bits are the widths a paper quantizes to or trains at, not the baseline it starts from
    assert all(c.value < 16 for c in ex.extract(text) if c.kind == "bits")


@pytest.mark.parametrize("text, value", [
    ("We train the detector in BF16 with loss scaling.", 16.0),
    ("Mixed-precision training with FP16 halves the memory.", 16.0),
    ("Weights are stored as 16-bit fixed-point numbers on the FPGA.", 16.0),
    ("A 4-bit student matches its 4-bit baseline.", 4.0),  # narrow widths stay claims even as a baseline
])
def test_a_wide_precision_used_is_still_a_bits_claim(ex: ClaimExtractor, text: str, value: float) -> None:
    assert value in [c.value for c in ex.extract(text) if c.kind == "bits"]


def test_a_home_without_a_device_list_uses_the_bundled_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules").mkdir()
    monkeypatch.setenv("PAPERTAG_HOME", str(tmp_path))
    assert default_devices_path().is_file()
    assert [c.value for c in ClaimExtractor().extract("Measured on an A100.")] == ["NVIDIA A100"]


@pytest.mark.parametrize("text, expected", [
    ("Our method reduces memory by 40% and latency by 2.1x.", [(40.0, "memory"), (2.1, "latency")]),
    ("It reduces FLOPs by 50%, latency by 30%, and memory by 20% on ImageNet.",
     [(50.0, "FLOPs"), (30.0, "latency"), (20.0, "memory")]),
    ("Pruning reduces memory by 40% and improves accuracy by 2%.", [(40.0, "memory")]),  # not a reduced target
])
def test_reductions_coordinated_after_one_verb(ex: ClaimExtractor, text: str, expected: list) -> None:
    assert [(c.value, c.target) for c in ex.extract(text) if c.kind == "reduction"] == expected


@pytest.mark.parametrize("text, expected", [
    ("It accelerates training by 2x and inference by 3.1x.", [(2.0, "training"), (3.1, "inference")]),
    ("It accelerates inference by 2x and improves accuracy by 3%.", [(2.0, "inference")]),
    ("The detector runs 3 times as fast as the baseline.", [(3.0, None)]),
])
def test_speedups_coordinated_or_as_fast_as(ex: ClaimExtractor, text: str, expected: list) -> None:
    assert [(c.value, c.target) for c in ex.extract(text) if c.kind == "speedup"] == expected


@pytest.mark.parametrize("text, values", [
    ("We search bit-widths of 2, 3 and 4 for every layer.", [2.0, 3.0, 4.0]),
    ("Weights reach a bitwidth as low as 2.", [2.0]),
    ("Layers get bit-widths of 4 bits.", [4.0]),  # once, from "4 bits"
    ("The bit width of 32.5% of the layers is reduced.", []),
])
def test_bit_widths_named_after_the_noun(ex: ClaimExtractor, text: str, values: list[float]) -> None:
    assert [c.value for c in ex.extract(text) if c.kind == "bits"] == values

"""Numeric and hardware claims in paper titles and abstracts.

:class:`ClaimExtractor` finds five kinds of claims in a text and returns them
as :class:`Claim` objects with character offsets into that text:

``bits``
    Bit-widths a paper quantizes to or trains at: ``4-bit`` (4), ``2.25-bit``,
    ``sub-4-bit`` (4), ``W4A8`` (4 and 8), ``W4A16KV4`` (4 and 16), ``INT8``,
    ``FP8``, ``BF16``, ``MXFP4``, ``NVFP4``, ``NF4``, ``E4M3`` (8), lists and
    ranges (``2/3/4-bit``, ``2- and 3-bit``, ``2-4 bits``: one claim per number),
    ``binary``/``binarized`` networks or weights (1) and ``ternary`` ones (2).
    A bare ``N-bit`` counts only in a precision sense: hash codes, watermarks,
    messages, bit rates, bits per character, bit flips, colour depth, 8-bit
    microcontrollers and task names (``3-bit flip-flop``) are left out, as are
    values above 64 (``128-bit``, ``SHA-256``).
``hardware``
    Named devices from ``rules/claims/devices.yml`` normalized to a canonical
    name (``A100 GPUs`` -> ``NVIDIA A100``); :meth:`ClaimExtractor.device_kind`
    gives the hardware label a device implies.
``speedup``
    ``3.4x speedup``, ``7 times faster``, ``up to 2.01x throughput``,
    ``accelerates inference by 3.2x`` (unit ``x``), ``45% faster`` (unit ``%``).
    Ranges give one claim per number. Sizes and factors that are not speed
    (``2x larger``, ``3x3``, ``224x224``, ``x4 super-resolution``, ``8x A100``,
    ``4x downsampling``) are not claims.
``reduction``
    Cost reductions with what is reduced when stated (``target``): ``reduces
    FLOPs by 40%``, ``80x fewer parameters``, ``4x memory savings``,
    ``compresses the model by 10x``, ``10x smaller``. Only efficiency targets
    count: accuracy, error or loss changes are not reductions.
``sparsity``
    Pruning ratios: ``50% sparsity``, ``prunes 60% of the weights`` (unit ``%``).

Speedup and reduction values in ``x`` below 1 (``0.94x the throughput``) are
dropped, as are reduction percentages above 100. A number claimed by several
rules keeps the first one in the order sparsity, reduction, speedup; numbers
inside a device name (``Snapdragon 8 Gen 1``, ``RTX 4090``) are never claims.
Several claims may share one span: ``W4A8`` gives bits 4 and 8, ``1.5-2.3x
speedup`` gives 1.5 and 2.3, ``parameters and FLOPs by 4x and 2x`` gives
targets in order.

The input is expected to be normalized by the caller (NFKC, LaTeX removed), but
thin spaces, unicode minus and dashes, ``~``/``≈`` and ``\\times`` are handled;
offsets always index the text as passed in.

Speed: regexes are compiled once; device regexes run only near one of their
literal "triggers" and the speed/cost rules only around figures, so a typical
abstract takes well under a millisecond.

Example
-------
>>> ex = ClaimExtractor()
>>> [(c.kind, c.value) for c in ex.extract("W4A8 LLMs run 3.4x faster on A100 GPUs.")]
[('bits', 4.0), ('bits', 8.0), ('speedup', 3.4), ('hardware', 'NVIDIA A100')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from papertag.errors import Problem, RuleFileError
from papertag.literals import CaseScanner, compile_literals
from papertag.yamlio import safe_load

__all__ = [
    "CLAIM_KINDS",
    "DEVICE_KINDS",
    "Claim",
    "ClaimExtractor",
    "DeviceEntry",
    "default_devices_path",
    "device_kind",
    "extract_claims",
    "load_devices",
]

CLAIM_KINDS = ("bits", "hardware", "speedup", "reduction", "sparsity")
DEVICE_KINDS = ("gpu", "mobile", "cpu", "edge", "fpga", "asic")


def default_devices_path(rules_dir: str | Path | None = None) -> Path:
    """``claims/devices.yml`` of ``rules_dir``. Without one: that of the project's rules folder
    (``PAPERTAG_HOME`` or the checkout, :func:`papertag.resources.rules_dir`) when it has a device list,
    else the list that comes with papertag."""
    if rules_dir is not None:
        return Path(rules_dir) / "claims" / "devices.yml"
    from .resources import rules_dir as project_rules_dir

    own = project_rules_dir() / "claims" / "devices.yml"
    return own if own.is_file() else _BUNDLED_DEVICES


_BUNDLED_DEVICES = Path(__file__).resolve().parents[2] / "rules" / "claims" / "devices.yml"


# --------------------------------------------------------------------------- the claim record


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim found in a text.

    ``value`` is a float for bits/speedup/reduction/sparsity and the canonical
    device name for hardware; ``text == source[start:end]``. Several claims may
    share one span (``W4A8`` gives bits 4 and bits 8 over the same span).
    """

    kind: str
    value: float | str
    text: str
    start: int
    end: int
    unit: str | None = None
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the output schema's key order, without ``None`` fields."""
        d: dict[str, Any] = {"kind": self.kind, "value": self.value}
        if self.unit is not None:
            d["unit"] = self.unit
        if self.target is not None:
            d["target"] = self.target
        d["text"] = self.text
        d["start"] = self.start
        d["end"] = self.end
        return d


# --------------------------------------------------------------------------- devices.yml


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """One entry of devices.yml."""

    canonical: str
    kind: str
    patterns: tuple[str, ...]
    vendor: str | None = None
    ignore_case: bool = False
    require_context: bool = False
    triggers: tuple[str, ...] | None = None


# Vendor and product-line words that may precede a device name ("NVIDIA GeForce RTX 4090").
# Keys are the vendors an entry can name; an entry without ``vendor`` takes the first word
# of its canonical name when that is a key here.
_VENDOR_PREFIXES: dict[str, str] = {
    "NVIDIA": (
        r"(?:(?:NVIDIA|Nvidia|nVidia|NVidia)(?:®|™)?(?:\s+(?:GeForce|Tesla|Quadro|Jetson|DRIVE))?"
        r"|GeForce|Tesla|Quadro)"
    ),
    "AMD": r"(?:AMD(?:\s+(?:Instinct|Radeon))?|Instinct)",
    "Intel": r"(?:Intel(?:®|™)?(?:\s+(?:Habana|Altera|Movidius))?|Altera|Habana)",
    "Xilinx": r"(?:(?:AMD[\s-]+)?Xilinx|AMD|Avnet)",
    "Google": r"(?:Google(?:\s+Cloud)?)",
    "Apple": r"(?:Apple)",
    "Qualcomm": r"(?:Qualcomm(?:®|™)?)",
    "Huawei": r"(?:Huawei|HUAWEI|HiSilicon)",
    "Samsung": r"(?:Samsung)",
    "MediaTek": r"(?:MediaTek|Mediatek|MEDIATEK)",
    "ARM": r"(?:ARM|Arm)",
    "IBM": r"(?:IBM)",
    "AWS": r"(?:AWS|Amazon)",
    "Microchip": r"(?:Microchip|Atmel)",
    "Espressif": r"(?:Espressif)",
    "Nordic": r"(?:Nordic)",
    "Terasic": r"(?:Terasic)",
}

# Words after a device name that belong to the span ("A100 GPUs", "Jetson Nano board").
_DEVICE_NOUN = (
    r"(?:[\s-]+(?:Tensor[\s-]Core\s+)?"
    r"(?:GPU|TPU|NPU|CPU|IPU|FPGA|SoC|MPSoC|board|processor|chip|device|smartphone|phone|"
    r"accelerator|microcontroller|MCU|platform|module|card|graphics\s+card|GraphicsCard|"
    r"core|Developer\s+Kit|dev(?:elopment)?\s+(?:kit|board)|Neural\s+Processing\s+Unit|"
    r"cluster|server|node|machine|mobile\s+GPU)s?(?![\w]))?"
)
_DEVICE_MEMORY = r"(?:[\s-]?\(?\d{1,3}\s?G(?:i?B)?\)?(?![\w]))?"
_DEVICE_START = r"(?:(?<![\w-])|(?<=\d[x×]))"


def load_devices(path: str | Path | None = None) -> list[DeviceEntry]:
    """Read and check devices.yml; raise :class:`RuleFileError` listing every problem."""
    p = Path(path) if path is not None else default_devices_path()
    fname = str(p)
    try:
        raw = safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleFileError([Problem(fname, "", "file not found; expected the device list")]) from None
    except yaml.YAMLError as exc:
        raise RuleFileError([Problem(fname, "", f"invalid YAML: {exc}")]) from None
    if not isinstance(raw, list):
        got = type(raw).__name__
        raise RuleFileError([Problem(fname, "", f"expected a list of device entries, got {got}")])
    problems: list[Problem] = []
    entries: list[DeviceEntry] = []
    allowed = {"canonical", "kind", "patterns", "vendor", "ignore_case", "require_context", "triggers"}
    for i, item in enumerate(raw, start=1):
        name = item.get("canonical") if isinstance(item, dict) else None
        where = f"entry {i}" + (f" ({name})" if name else "")
        if not isinstance(item, dict):
            problems.append(Problem(fname, where, f"expected a mapping, got {item!r}"))
            continue
        bad_keys = sorted(set(item) - allowed)
        if bad_keys:
            problems.append(
                Problem(fname, where, f"unknown key(s) {bad_keys}; expected some of {sorted(allowed)}")
            )
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(fname, where, f"'canonical' must be a non-empty string, got {name!r}"))
        kind = item.get("kind")
        if kind not in DEVICE_KINDS:
            problems.append(Problem(fname, where, f"'kind' must be one of {list(DEVICE_KINDS)}, got {kind!r}"))
        pats = item.get("patterns")
        if not isinstance(pats, list) or not pats or not all(isinstance(x, str) and x for x in pats):
            problems.append(Problem(fname, where, f"'patterns' must be a non-empty list of strings, got {pats!r}"))
            pats = []
        ignore_case = item.get("ignore_case", False)
        for pat in pats:
            try:
                rx = re.compile(pat, re.I if ignore_case else 0)
            except re.error as exc:
                problems.append(Problem(fname, where, f"pattern {pat!r} is not a valid regex: {exc}"))
                continue
            if isinstance(name, str):
                used = {int(n) for n in re.findall(r"\{(\d+)\}", name)}
                if used and max(used) > rx.groups:
                    problems.append(
                        Problem(fname, where, f"canonical uses {{{max(used)}}} but pattern {pat!r} "
                                f"has {rx.groups} group(s)")
                    )
        vendor = item.get("vendor")
        if vendor is None and isinstance(name, str) and name.split()[0] in _VENDOR_PREFIXES:
            vendor = name.split()[0]
        if vendor == "none":
            vendor = None
        if vendor is not None and vendor not in _VENDOR_PREFIXES:
            problems.append(
                Problem(fname, where, f"'vendor' must be one of {sorted(_VENDOR_PREFIXES)} or none, got {vendor!r}")
            )
        triggers = item.get("triggers")
        if triggers is not None and (
            not isinstance(triggers, list) or not triggers or not all(isinstance(x, str) and x for x in triggers)
        ):
            problems.append(Problem(fname, where, f"'triggers' must be a non-empty list of strings, got {triggers!r}"))
            triggers = None
        for flag in ("ignore_case", "require_context"):
            if not isinstance(item.get(flag, False), bool):
                problems.append(Problem(fname, where, f"'{flag}' must be true or false, got {item[flag]!r}"))
        if not problems or all(not pr.where.startswith(f"entry {i}") for pr in problems):
            entries.append(
                DeviceEntry(
                    canonical=name.strip(),
                    kind=kind,
                    patterns=tuple(pats),
                    vendor=vendor,
                    ignore_case=bool(ignore_case),
                    require_context=bool(item.get("require_context", False)),
                    triggers=tuple(triggers) if triggers else None,
                )
            )
    if problems:
        raise RuleFileError(problems)
    return entries


# --------------------------------------------------------------------------- shared pieces

# Same-length character folding so offsets stay valid: thin/no-break spaces, unicode minus,
# dashes, tildes and multiplication signs.
_FOLD = str.maketrans(
    {
        "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
        "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
        "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u223c": "~", "\u301c": "~", "\uff5e": "~", "\u2248": "~", "\u2243": "~",
        "\u2715": "×", "\u2716": "×", "\u2a2f": "×", "\u00d7": "×",
    }
)

_NUM = r"(?:10\s?\^\s?\{?\d{1,2}\}?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
# Start of a number: not inside a word, decimal, dimension (512×512) or exponent.
_NSTART = r"(?<![\w.,×^/])(?<![\w]-)"
# A multiplier unit right after a number: x, ×, X, \times, times, fold. Not followed by
# another number (224×224, 3 x 3) or by a letter (8xA100).
_MULT = r"(?:\s?(?:[x×X]|\\times\}?\$?)(?![\w])|\s?(?:times\b)|\s?-?\s?fold\b)(?!\s?\\?\$?\d)"
_PCT = r"\s?(?:%|percent\b|per\s?cent\b)"
_RANGE_SEP = r"\s*(?:-{1,2}|~|to|/)\s*"
_LIST_SEP = r"\s*(?:,\s*and|,\s*or|,|and|or|&)\s*"
# Multiplier or percentage figures: "3.4x", "1.5-2.3x", "2x-4x", "2.8x and 2.1x", "40%", "30-50%".
_XITEM = rf"(?:{_NUM}(?:{_MULT})?{_RANGE_SEP}{_NUM}{_MULT}|{_NUM}{_MULT})"
_PITEM = rf"(?:{_NUM}(?:\s?%)?{_RANGE_SEP}{_NUM}{_PCT}|{_NUM}{_PCT})"
_XNUM = rf"{_XITEM}(?:{_LIST_SEP}{_XITEM})*"
_PNUM = rf"{_PITEM}(?:{_LIST_SEP}{_PITEM})*"
_FIG = rf"(?P<fig>{_NSTART}(?:{_XNUM}|{_PNUM}))"
_FIG_X = rf"(?P<fig>{_NSTART}(?:{_XNUM}))"
_QUAL = (
    r"(?:(?:up\s+to|over|about|around|roughly|approximately|approx\.|nearly|almost|more\s+than|"
    r"at\s+least|as\s+much\s+as|as\s+high\s+as|an?\s+average\s+of|on\s+average|a\s+factor\s+of|"
    r"an?|the|~|>|≥|\\sim|\\approx|≳)\s*)*"
)
_NUM_RE = re.compile(_NUM)

_WORD_NUMBERS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "sixteen": 16, "twice": 2, "thrice": 3,
}


def _num_value(s: str) -> float:
    s = s.strip()
    m = re.fullmatch(r"10\s?\^\s?\{?(\d{1,2})\}?", s)
    if m:
        return float(10 ** int(m.group(1)))
    return float(s.replace(",", ""))


# Targets: what a reduction or speedup is about. Ordered: first match wins.
_TARGETS: list[tuple[str, str]] = [
    ("KV cache", r"KV[\s-]?caches?|key[\s-]value\s+caches?"),
    ("FLOPs", r"(?:training\s+|inference\s+)?(?:[GTMP]?FLOPs?|[GTMP]?FLOPS|[GM]?MACs?|MAC\s+operations|"
              r"multiply[\s-]accumulate(?:\s+operations)?|BOPs|bit[\s-]operations|multiplications)"),
    ("parameters", r"(?:trainable\s+|learnable\s+|model\s+|total\s+)?param(?:eter)?s?(?:\s+counts?)?|"
                   r"number\s+of\s+(?:trainable\s+)?parameters"),
    ("memory", r"(?:peak\s+|GPU\s+|training\s+|inference\s+|activation\s+|runtime\s+|on-chip\s+)?"
               r"(?:memory|VRAM|DRAM)(?:\s+(?:footprint|usage|consumption|costs?|overhead|requirements?|"
               r"traffic|access(?:es)?|bandwidth|budget))?"),
    ("model size", r"(?:model|checkpoint|file|storage|network|weight)\s+(?:size|storage|footprint)|"
                   r"storage(?:\s+(?:costs?|size|requirements?|overhead))?|disk\s+space|model\s+weights"),
    ("latency", r"(?:inference\s+|decoding\s+|end-to-end\s+|e2e\s+|first[\s-]token\s+|generation\s+|"
                r"prefill(?:ing)?\s+|response\s+|serving\s+|per-token\s+)?latency|time[\s-]to[\s-]first[\s-]token|"
                r"TTFT|TPOT|(?:inference|processing|computation|computing|execution|running|run|wall[\s-]clock|"
                r"encoding|decoding|generation|sampling|response)\s+time|runtime|wall[\s-]clock"),
    ("training cost", r"training\s+(?:time|costs?|overhead|budget|compute|GPU\s+hours|hours)|GPU\s+hours"),
    ("computation", r"(?:computational|compute|computation|inference)\s+(?:costs?|overhead|complexity|budget|"
                    r"load|burden|requirements?|demands?)|computations?|compute|operations|ops"),
    ("energy", r"(?:energy|power)(?:\s+(?:consumption|costs?|usage|draw))?"),
    ("tokens", r"(?:visual\s+|vision\s+|input\s+|image\s+|video\s+|prompt\s+|output\s+|reasoning\s+|"
               r"generated\s+|context\s+)?tokens?(?:\s+(?:counts?|usage|budget))?|sequence\s+length|"
               r"context\s+length|token\s+budget|"
               r"(?:average\s+)?(?:response|output|reasoning|generation|chain-of-thought|CoT)\s+lengths?"),
    ("communication", r"communication(?:\s+(?:costs?|overhead|volume|rounds|bandwidth))?|bandwidth|traffic|"
                      r"data\s+(?:transfers?|movement)"),
    ("steps", r"(?:denoising|sampling|inference|diffusion|decoding|function)\s+(?:steps|evaluations)|NFEs?"),
    ("cost", r"(?:inference|serving|deployment|hardware|computational|compute|GPU|API|monetary|token|decoding|"
             r"generation|runtime|query)\s+(?:costs?|overhead|expenses?)|"
             r"API\s+calls|TCO|total\s+cost\s+of\s+ownership"),
    ("throughput", r"throughput"),
]
_TARGET_ALT = "|".join(f"(?:{p})" for _, p in _TARGETS)
_TARGET_RES = [(name, re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I)) for name, p in _TARGETS]
# Words that mean the number is about quality, not cost.
_QUALITY_RE = re.compile(
    r"\b(?:accurac\w*|errors?|loss(?:es)?|perplexit\w+|PPL|FID|BLEU|F1|mAP|mIoU|AUC|WER|CER|scores?|"
    r"drops?|degrad\w+|gaps?|bias\w*|varianc\w+|hallucinat\w+|rates?|performance|quality|"
    r"improv\w+|increas\w+|boost\w*|outperform\w*|surpass\w*|exceed\w*|gain\w*|while|whereas|"
    r"achiev\w+|maintain\w*|preserv\w+|retain\w*|than|compared|relative|versus|vs)\b",
    re.I,
)


def _find_target(s: str) -> str | None:
    """The first efficiency target named in ``s`` (in the order of _TARGETS)."""
    for name, rx in _TARGET_RES:
        if rx.search(s):
            return name
    return None


def _find_targets(s: str) -> list[str]:
    """Every efficiency target named in ``s``, in order of appearance (for "X and Y by 4x and 2x")."""
    found: list[tuple[int, int, str]] = []
    for name, rx in _TARGET_RES:
        for m in rx.finditer(s):
            found.append((m.start(), -m.end(), name))
    found.sort()
    out: list[str] = []
    last = -1
    for start, neg_end, name in found:
        if start >= last:
            out.append(name)
            last = -neg_end
    return out


_SPEED_TARGETS = [
    ("throughput", re.compile(r"throughput|tokens?/s|tokens?\s+per\s+second|FPS|frames?\s+per\s+second", re.I)),
    ("latency", re.compile(r"latency|TTFT|time[\s-]to[\s-]first", re.I)),
    ("training", re.compile(r"training|fine-?tuning|convergence|pre-?training", re.I)),
    ("decoding", re.compile(r"decoding|generation|generating", re.I)),
    ("prefill", re.compile(r"prefill", re.I)),
    ("sampling", re.compile(r"sampling|denoising", re.I)),
    ("inference", re.compile(r"inference", re.I)),
]


def _speed_target(s: str) -> str | None:
    for name, rx in _SPEED_TARGETS:
        if rx.search(s):
            return name
    return None


# --------------------------------------------------------------------------- bits rules

_W_A = re.compile(
    r"(?<![\w-])[Ww](\d{1,2}(?:\.\d+)?)\s?[-/]?\s?[Aa](\d{1,2})(?:\s?[-/]?\s?(?:KV|kv|Kv)(\d{1,2}))?"
    r"(?:[-_]?[gG]\d{2,3})?(?![\w.])"
)
_W_A_GATE = re.compile(r"[Ww]\d")
# One cheap scan (a single character class, which re skips through quickly) that every match of
# _W_A and _FORMATS needs: one of their letters right before a digit. Most abstracts have none.
_LETTER_DIGIT_GATE = re.compile(r"[TtPpFfEWw]\d")
_FORMATS_GATE = re.compile(r"(?:INT|Int|int|FP|fp|Fp|BF|bf|Bf|float|Float|NF|nf|MXINT|mxint)\d|E\dM\d")
_FORMATS = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<int>(?:U|u)?(?:INT|Int|int))(?P<intn>1|2|3|4|6|8|16|32)"
    r"|(?P<fp>(?:MX|mx|NV|nv)?(?:FP|fp|Fp))(?P<fpn>4|6|8|16|32|64)"
    r"|(?P<mxint>MXINT|mxint)(?P<mxintn>4|8)"
    r"|(?P<bf>BF|bf|Bf)16|(?P<bfloat>[Bb][Ff]loat)16"
    r"|(?P<float>[Ff]loat)(?P<floatn>8|16|32|64)"
    r"|(?P<nf>NF|nf)(?P<nfn>2|3|4)"
    r"|E(?P<e>[1-5])M(?P<m>[0-7])"
    r")(?![\w])"
)
# Bare bit-widths: "4-bit", "2.25 bits", "2/3/4-bit", "2- and 3-bit", "sub-4-bit", "one-bit".
_BITS_NUM = r"\d{1,3}(?:\.\d{1,3})?"
_BITS_WORD = r"(?i:one|single|two|three|four|eight|sixteen)"
_BITS = re.compile(
    rf"(?:(?<=[Ss]ub-)|(?<![\w.])(?<![A-Za-z0-9]-))"
    rf"(?P<nums>{_BITS_NUM}(?:\s*-?\s*(?:,\s*and|,|and|or|to|/|&|-|~)\s*{_BITS_NUM})*|{_BITS_WORD})"
    r"\s?[-‐]?\s?(?P<unit>bits?|Bits?|BITS?)(?![\w])"
)
# What must end right before "bit" for _BITS to match there: a digit or a number word, then at
# most a space, a hyphen and a space. Checked (on lower-cased text) at each "bit", so the slow
# _BITS scan runs only on texts with a bit-width ("orbit", "arbitrary" and "exhibit" do not count).
# "bit-widths of 2, 3 and 4", "a bitwidth as low as 2": the numbers after the noun (those followed by "bit" are
# _BITS's)
_BITWIDTH_OF = re.compile(
    rf"\bbit[\s-]?widths?\s+(?:(?:of|as\s+low\s+as|down\s+to|from|between|to|=|:)\s*)+"
    rf"(?P<nums>{_BITS_NUM}(?:\s*(?:,\s*and|,|and|or|to|/|-)\s*{_BITS_NUM})*)(?![\w%×])(?!\.\d)"
    rf"(?!\s*[-‐]?\s*(?:bits?|x)\b)",
    re.I,
)
_BITS_LEAD = re.compile(r"(?:\d|one|single|two|three|four|eight|sixteen)\s?[-‐]?\s?$")
_BITS_LEAD_REACH = 10  # characters before "bit" that _BITS_LEAD needs to see


def _may_have_bits(low: str) -> bool:
    """Whether _BITS can match in the text whose lower-cased form is ``low``."""
    at = low.find("bit")
    while at >= 0:
        if _BITS_LEAD.search(low, max(0, at - _BITS_LEAD_REACH), at):
            return True
        at = low.find("bit", at + 3)
    return False


_BITS_AFTER_BAD = re.compile(
    r"\s*(?:-\s*)?(?:"
    r"flip|flips|flip-flops?|flipping|rates?|errors?|strings?|streams?|planes?|depths?|colou?rs?|RGB|images?|"
    r"photos?|pictures?|videos?|watermarks?|messages?|hash\w*|codes?|codewords?|keys?|secrets?|payloads?|"
    r"capacity|address\w*|accuracy|ADCs?|DACs?|analog\w*|microcontrollers?|MCUs?|CPUs?|processors?|"
    r"architectures?|OS|operating|machines?|systems?|channels?|feedback|supervision|measurements?|observations?|"
    r"compressed\s+sensing|matrix\s+completion|communication\s+complexity|signatures?|identifiers?|IDs?|"
    r"fingerprints?|entropy|recovery|sequences?|parity|counters?|registers?|binary\s+codes?|embeddings?\s+codes?|"
    r"per[\s-](?:char\w*|word|dim\w*|pixel|frame|video|token|second|sample|symbol|user|object|query|"
    r"subcarrier|channel\s+use)|/\s?(?:s|sec|char\w*|pixel|px|dim\w*|token|word|symbol)\b|"
    r"of\s+(?:information|extra|the\s+desired|communication|entropy|side\s+information|data)|"
    r"(?:[\w-]+\s+)?(?:microcontrollers?|MCUs?|processors?|CPUs?|hash\w*|watermarks?|messages?|codes?|"
    r"RGB|sRGB|images?|JPEGs?|PNGs?|colou?rs?|depth|audio|PCM|HDR|raw)\b|CS\b|compressive|"
    r"(?:quantized\s+)?(?:measurements?|observations?|feedback|responses)\b"
    r")(?![\w])",
    re.I,
)
_BITS_BEFORE_BAD = re.compile(
    r"(?:hash\w*|watermark\w*|message\w*|secret|keys?|codes?|entropy|bit\s*rates?|SHA|AES|RSA|embeds?|"
    r"embedding|encod\w+|payloads?|capacity|flipp\w+|flips?|ADC|exponent|mantissa)"
    r"\s*(?:of|with|size|length|is|to|:|=)?\s*(?:only\s+|just\s+|about\s+|up\s+to\s+)?$",
    re.I,
)
# A precision noun right after the bit-width accepts it without looking further.
_BITS_AFTER_GOOD = re.compile(
    r"\s*(?:-\s*)?(?:quantiz\w*|precision|weights?|activations?|integers?|INT\w*|floats?|floating|fixed[\s-]point|"
    r"NF\d|NormalFloat|formats?|LLMs?|models?|networks?|nets?|CNNs?|DNNs?|NNs?|ViTs?|transformers?|BERT\w*|"
    r"detectors?|training|inference|optimizers?|states?|gradients?|KV|cache|accelerators?|arithmetic|"
    r"multipl\w+|MACs?|GEMMs?|kernels?|operations?|computation|representations?|values?|parameters?|"
    r"counterparts?|baselines?|versions?|variants?|settings?|PTQ|QAT|compression|quantizers?|matrix|matmul|"
    r"tensors?|LoRA|QLoRA|adapters?|moments?|numbers?|grids?|fine-?tun\w*|finetun\w*|"
    r"(?:per|/)\s?(?:weight|parameter|element|value|"
    r"entry|coordinate|param)|widths?|instances?|counter-?parts?|students?|teachers?|large|language|diffusion|"
    r"vision|neural|convolution\w*|layers?|(?:weight|activation)[\s-]only|and\s+(?:lower|below|above|higher|beyond))",
    re.I,
)
_BITS_CUE = re.compile(
    r"quantiz|quantis|precision|bit-?widths?|bitwidth|low-bit|binar|ternar|integer|\bINT\d|\bFP\d|floating|"
    r"fixed-point|weights?\b|activations?\b|\bPTQ\b|\bQAT\b|\bLLMs?\b|compress|GPTQ|AWQ|mixed-precision|"
    r"accelerator|arithmetic|optimizer",
    re.I,
)
_SENT_END = re.compile(r"[.!?](?=\s)|\n")
# A 16-bit or wider precision named as the point of comparison ("over the FP16 baseline", "relative to BF16",
# "full-precision (32-bit) networks", "their 32-bit counterparts") is where the paper starts from, not a bit-width
# it quantizes to or trains at (LABELS.md): such mentions are not bits claims.
_REFERENCE_MIN_BITS = 16.0
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:than|over|vs\.?|versus|against|relative\s+to|compared\s+(?:to|with)|from|original|uncompressed|"
    r"unquantized|full[\s-]precision|(?:^|[\s(])(?:w\.?r\.?t\.?))"
    r"|\b(?:than|over|vs\.?|versus|against|relative\s+to|compared\s+(?:to|with))\s+(?:the|a|an|its|their|our)"
    r"(?:\s+(?:full[\s-]precision|original|dense|uncompressed|unquantized|standard|native))?)"
    r"\s*(?:\\\s)?\(?\s*$",  # LaTeX: "vs.\ FP32"
    re.I,
)
_REFERENCE_AFTER = re.compile(
    r"\s*\)?\s*(?:-\s*)?(?:[\w.-]+\s+){0,2}?(?:baselines?|counterparts?|counter-parts?|references?)\b",
    re.I,
)


def _is_reference_precision(text: str, start: int, end: int, value: float) -> bool:
    """Whether the bit-width ``value`` at ``text[start:end]`` is the precision the paper compares against."""
    if value < _REFERENCE_MIN_BITS:
        return False
    return (_REFERENCE_BEFORE.search(text, max(0, start - 40), start) is not None
            or _REFERENCE_AFTER.match(text, end, min(len(text), end + 40)) is not None)

_BINARY_NOUNS = (
    r"(?:(?:deep|convolutional|recurrent|spiking|graph)\s+)?(?:neural\s+)?networks?|NNs?|CNNs?|DNNs?|ConvNets?|"
    r"(?:vision\s+)?transformers?|ViTs?|BERTs?|LLMs?|(?:large\s+)?language\s+models?|weights?|activations?|"
    r"quantization|quantisation|quantized|filters?|convolutions?|"
    r"(?:weight|activation)[\s-]\w+|parameters?|connections?|precision|backbones?|"
    r"(?:neural\s+)?(?:network|model)\s+(?:quantization|compression)"
)
_BINARY = re.compile(
    rf"(?<![\w-])(?P<word>(?:fully[\s-])?(?:[Bb]inar(?:y|ized|ised)|[Tt]ernar(?:y|ized|ised)))"
    rf"(?:[\s-]+(?:and|or|/)[\s-]+(?:[Bb]inar(?:y|ized|ised)|[Tt]ernar(?:y|ized|ised)))?"
    rf"[\s-]+(?:{_BINARY_NOUNS})(?![\w])"
    rf"|(?<![\w-])(?:binarized|binarised|ternarized|ternarised)\s+(?:models?|LLMs?|\w+-?Nets?)(?![\w])"
    rf"|(?<![\w-])(?:network|model|weight|activation|LLM|neural\s+network|parameter)s?\s+"
    rf"(?P<word2>[Bb]inari[sz]ation|[Tt]ernari[sz]ation)(?![\w])"
    rf"|(?<![\w-])(?P<word3>[Bb]inari[sz](?:ation|ing|es|e)|[Tt]ernari[sz](?:ation|ing|es|e))\s+(?:of\s+)?(?:the\s+)?"
    rf"(?:(?:full[\s-]precision|real[\s-]valued|pre-?trained)\s+)?(?:weights?|activations?|networks?|LLMs?|"
    rf"models?|neural\s+networks?|transformers?|ViTs?|BERT|CNNs?)(?![\w])"
    rf"|(?<![\w-])(?P<bnn>(?-i:BNNs?|BiLLMs?|BitNets?(?:\s+b1\.58)?))(?![\w])",
    re.I,
)

# --------------------------------------------------------------------------- speedup / reduction rules

_SPEED_MODS = (
    r"(?:(?:end-to-end|e2e|inference|training|decoding|overall|wall-?clock|lossless|average|real|"
    r"theoretical|actual|practical|measured|GPU|CPU|kernel|prefill(?:ing)?|generation|sampling|attention|"
    r"throughput|wall|real-world|relative|total|net|additional|further|consistent|significant|"
    r"substantial|remarkable|impressive)[\s-]+){0,3}"
)
_SPEED_NOUN = r"(?:speed[\s-]?ups?|accelerations?|speed\s+(?:improvements?|gains?|boosts?|increases?))"
_HIGHER = r"(?:higher|greater|increased|improved|more|better|faster)"
_THRU = (
    r"(?:(?:inference|training|decoding|generation|token|serving|prefill(?:ing)?|sampling|end-to-end|"
    r"overall|system|output|GPU)[\s-]+)?(?:throughput|speed|FPS|frame\s*rates?|tokens?/s|tokens?\s+per\s+second)"
)
_BARE = rf"{_NUM}(?![\w.%,×])(?!\s*(?:[x×X%]|orders?|points?|pp|dB|ms|seconds?|s\b|FPS|percent|times|fold)\b)"
_FIG_OR_BARE = rf"(?P<fig>{_NSTART}(?:{_XNUM}|{_PNUM}|{_BARE}))"

_RED_VERB = (
    r"(?:reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?|cut(?:s|ting)?|decreas(?:e|es|ed|ing)|shrink(?:s|ing)?|"
    r"shr[au]nk|sav(?:e|es|ed|ing)|compress(?:es|ed|ing)?|slash(?:es|ed|ing)?|trim(?:s|med|ming)?|"
    r"minimi[sz](?:e|es|ed|ing)|drop(?:s|ped|ping)?|diminish(?:es|ed|ing)?)"
)
_RED_NOUN = r"(?:reductions?|decreases?|savings?|cuts?|compression(?:\s+(?:ratio|rate|factor))?)"
_LESS = r"(?:fewer|less|lower|smaller|reduced|cheaper|shorter|leaner)"
_TGT = rf"(?P<tgt>{_TARGET_ALT})"
_SPARSITY_UNIT = (
    r"(?:weights?|parameters?|params|channels?|filters?|neurons?|connections?|heads?|layers?|experts?|"
    r"blocks?|attention\s+heads?|FFN\s+neurons?)"
)
_GAP = rf"(?P<gap>(?:(?!by\b|{_RED_VERB}\b|accelerat|speed(?:s|ing)?[\s-]+up\b)[\w.,'’()/+:-]+\s+){{0,9}}?)"

# (kind, name, regex). "Figure-first" rules (name starting with "f_") begin at the number and are
# tried only at number starts near a figure; the others are searched in a window around it.
# Order is priority: the first rule to claim a number keeps it.
_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    # ---- sparsity and token pruning
    ("reduction", "tok_prune", re.compile(
        rf"prun(?:e|es|ed|ing)\s+{_QUAL}{_FIG}\s+(?:of\s+)?(?:the\s+)?"
        r"(?:(?:visual|vision|image|video|input|redundant)\s+)?(?:tokens?|patches)(?![\w])", re.I)),
    ("sparsity", "f_sparsity", re.compile(
        rf"{_FIG}\s*(?:(?:unstructured|structured|semi-structured|weight|activation|model|parameter|"
        r"global|layer-wise|uniform|overall|high|extreme)[\s-]+){0,2}(?:sparsity|sparse)(?![\w])", re.I)),
    ("sparsity", "sparsity_of", re.compile(
        rf"sparsit(?:y|ies)(?:\s+(?:ratios?|levels?|rates?))?\s+(?:of\s+|at\s+|up\s+to\s+|reaching\s+)+{_QUAL}{_FIG}",
        re.I)),
    ("sparsity", "prune_pct", re.compile(
        rf"(?:prun(?:e|es|ed|ing)|remov(?:e|es|ed|ing))\s+{_QUAL}{_FIG}\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?"
        rf"(?:(?:model|network|LLM|redundant|convolutional|linear|MLP)\s+)?{_SPARSITY_UNIT}(?![\w])", re.I)),
    ("sparsity", "f_pruned", re.compile(
        rf"{_FIG}\s+of\s+(?:the\s+|its\s+)?(?:(?:model|network)\s+)?{_SPARSITY_UNIT}\s+(?:(?:are|can\s+be|were|is|"
        r"being)\s+)?(?:pruned|removed|zeroed(?:\s+out)?|sparsified)(?![\w])", re.I)),
    ("sparsity", "f_ratio", re.compile(rf"{_FIG}\s*(?:pruning|sparsity)\s+(?:ratio|rate|level)(?![\w])", re.I)),
    # ---- reductions
    # reduces FLOPs by 40% / compresses the model by 10x / reducing memory consumption by over 4x
    ("reduction", "verb_by", re.compile(rf"(?P<verb>{_RED_VERB})\s+{_GAP}by\s+{_QUAL}{_FIG}", re.I)),
    # reduces memory 4x / cuts latency 3-fold
    ("reduction", "verb_nob", re.compile(
        rf"(?P<verb>{_RED_VERB})\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){{0,2}}?{_TGT}\s+{_QUAL}{_FIG_X}", re.I)),
    # 40% FLOPs reduction / 4x memory savings / 2.8x reduction in MAC operations / 8x compression
    ("reduction", "f_noun", re.compile(
        rf"{_FIG}\s*(?:(?:relative|overall|total|average|additional|further)\s+)?"
        rf"(?:(?:(?:[\w-]+|and|or|/)\s+){{0,3}}?{_TGT}\s+|(?P<cmod>model|network|weight|expert|LLM)\s+(?=compression))?"
        rf"(?P<noun>{_RED_NOUN})(?:\s+(?P<prep>in|of|on)\s+(?:the\s+|its\s+|their\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?P<tgt2>{_TARGET_ALT}|models?|networks?|LLMs?)?)?(?![\w])", re.I)),
    # 80x fewer parameters / 2.6x lower VRAM usage / 30% less memory
    ("reduction", "f_less", re.compile(rf"{_FIG}\s*{_LESS}\s+(?:(?:[\w-]+\s+){{0,2}}?){_TGT}(?![\w])", re.I)),
    # 10x smaller / 30 times smaller in model size
    ("reduction", "f_smaller", re.compile(
        rf"{_FIG}\s*(?:smaller|lighter|more\s+compact)"
        rf"(?P<after>\s+(?:(?:in|of)\s+)?(?:the\s+)?(?:model\s+size|size|(?:[\w-]+\s+)?models?|"
        rf"(?:[\w-]+\s+)?networks?|LLMs?|memory|storage|footprint|checkpoints?|backbones?|students?))?(?![\w])"
        rf"(?=\s*(?:[,.;:)\]]|$|than\b|and\b|while\b|with\b|yet\b|but\b|compared\b|in\s+(?:model\s+)?size\b|"
        rf"\(|respectively\b|overall\b|on\b|at\b))(?!\s+than\s+(?:the\s+)?(?:dataset|data|error))", re.I)),
    # 2.34x memory-efficient / 3x more parameter-efficient
    ("reduction", "f_eff", re.compile(
        rf"{_FIG_X}\s*(?:more\s+)?(?P<eff>memory|parameter|compute|energy|storage|FLOPs?)[\s-]efficient(?![\w])",
        re.I)),
    # FLOPs reduction of 40% / memory savings of 3x / KV cache compression ratio of 8x
    ("reduction", "tgt_noun_of", re.compile(
        rf"{_TGT}\s+{_RED_NOUN}(?:\s+(?:ratio|rate|factor))?\s+(?:of|by)\s+{_QUAL}{_FIG}", re.I)),
    # reduction in FLOPs of 40%
    ("reduction", "noun_in_tgt_of", re.compile(
        rf"{_RED_NOUN}\s+(?:in|of)\s+(?P<gap>(?:(?!by\b|of\b)[\w.,'’()/+-]+\s+){{1,6}}?)(?:of|by)\s+{_QUAL}{_FIG}",
        re.I)),
    # memory usage is reduced by 40%
    ("reduction", "passive", re.compile(
        rf"{_TGT}\s+(?:(?:is|are|was|were|can\s+be|could\s+be|gets?|being|has\s+been|have\s+been|"
        rf"be|significantly|substantially|further|drastically|greatly|also)\s+){{0,3}}"
        rf"(?:reduced|decreased|lowered|cut|compressed|shrunk|slashed|trimmed|saved)\s+(?:by\s+)?{_QUAL}{_FIG}",
        re.I)),
    # saves 60% of the KV cache / saving 40% memory
    ("reduction", "save", re.compile(
        rf"(?P<verb>sav(?:e|es|ed|ing))\s+{_QUAL}{_FIG}\s+(?:of\s+|in\s+|on\s+)?(?:the\s+|its\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?{_TGT}(?![\w])", re.I)),
    # reduce up to 3.1x the total memory usage / cuts 50% of the FLOPs
    ("reduction", "verb_fig_tgt", re.compile(
        rf"(?P<verb>{_RED_VERB})\s+(?:by\s+)?{_QUAL}{_FIG}\s+(?:(?:the|its|their|in|of|on)\s+){{0,2}}"
        rf"(?:[\w-]+\s+){{0,2}}?{_TGT}(?![\w])", re.I)),
    # 4x higher compression rate
    ("reduction", "f_higher_compr", re.compile(
        rf"{_FIG_X}\s*(?:higher|greater|better|more)\s+(?:model\s+)?compression(?:\s+(?:rates?|ratios?))?(?![\w])",
        re.I)),
    # compression ratio of 10x
    ("reduction", "ratio", re.compile(rf"compression\s+(?:ratio|rate|factor)s?\s+(?:of\s+)?{_QUAL}{_FIG}", re.I)),
    # ---- speedups
    # 3.4x speedup / 3.4x faster / 2.01x throughput / 3x higher throughput / 45% faster
    ("speedup", "f_speed", re.compile(
        rf"{_FIG}\s*(?P<tail>{_SPEED_MODS}(?:{_SPEED_NOUN}|faster|quicker|speedier|"
        rf"(?:{_HIGHER}\s+)?{_THRU}(?:\s+(?:improvements?|gains?|increases?|boosts?))?))(?![\w])", re.I)),
    # 3.5x the inference speed of
    ("speedup", "f_the", re.compile(rf"{_FIG_X}\s+(?P<tail>the\s+{_THRU})(?![\w])", re.I)),
    # runs 3 times as fast as
    ("speedup", "f_as_fast", re.compile(rf"{_FIG_X}\s+as\s+(?:fast|quick)(?![\w])", re.I)),
    # 1.8x improvement in inference time / 2x increase in throughput
    ("speedup", "f_impr_in", re.compile(
        rf"{_FIG}\s*(?:improvements?|gains?|increases?|boosts?|reductions?)\s+in\s+(?:the\s+)?"
        rf"(?P<tail>(?:[\w-]+\s+){{0,2}}?(?:throughput|speed|inference\s+time|runtime|run\s*time|"
        rf"wall[\s-]clock(?:\s+time)?|training\s+time|decoding\s+time|generation\s+time|FPS))(?![\w])", re.I)),
    # speedup of up to 3.28x / speed-ups of 300-1400x / a speedup of 3.2
    ("speedup", "noun_of", re.compile(
        rf"(?P<tail>{_SPEED_NOUN}(?:\s+(?:ratio|rate|factor))?(?:\s+(?:for|in|on)\s+(?:[\w-]+\s+){{0,3}}?[\w-]+)?)"
        rf"\s+(?:(?:of|by|reaching|at|around)\s+)+{_QUAL}"
        rf"{_FIG_OR_BARE}", re.I)),
    # accelerates inference by 3.2x / speeds up training by 45% / faster by 2x
    ("speedup", "verb_by", re.compile(
        rf"(?:(?P<verb>accelerat(?:e|es|ed|ing)|speed(?:s|ing)?[\s-]+up|sped[\s-]+up)\s+{_GAP}|faster\s+)"
        rf"by\s+(?:a\s+factor\s+of\s+)?{_QUAL}{_FIG}", re.I)),
    # improves/boosts/increases throughput by 2x
    ("speedup", "incr_by", re.compile(
        rf"(?P<verb>improv(?:e|es|ed|ing)|boost(?:s|ed|ing)?|increas(?:e|es|ed|ing)|enhanc(?:e|es|ed|ing)|"
        rf"rais(?:e|es|ed|ing))\s+(?P<gap>(?:(?!by\b)[\w.,'’()/+-]+\s+){{0,5}}?)"
        rf"by\s+(?:a\s+factor\s+of\s+)?{_QUAL}{_FIG}", re.I)),
]
_RULES.append(
    # enhanced throughput up to 4.64x / improves decoding speed 2x
    ("speedup", "incr_nob", re.compile(
        rf"(?P<verb>improv(?:e|es|ed|ing)|boost(?:s|ed|ing)?|increas(?:e|es|ed|ing)|enhanc(?:e|es|ed|ing))\s+"
        rf"(?:the\s+|its\s+)?(?P<gap>{_THRU})\s+{_QUAL}{_FIG_X}", re.I))
)
_FIG_FIRST = {name for _, name, _ in _RULES if name.startswith("f_")}
# "reduces memory by 40%[, and latency by 2.1x]": further targets the same verb reduces, each with its own figure
_CONJUNCT_LEAD = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")
_CONJUNCT = re.compile(rf"(?:the\s+|its\s+|their\s+)?{_TGT}\s+by\s+{_QUAL}{_FIG}", re.I)
# "accelerates training by 2x[ and inference by 3.1x]": the same for speedups, the target a speed word
_SPEED_CONJUNCT = re.compile(rf"(?:the\s+|its\s+|their\s+)?(?P<gap>(?:[\w-]+\s+){{0,2}}?[\w-]+)\s+by\s+"
                             rf"(?:a\s+factor\s+of\s+)?{_QUAL}{_FIG}", re.I)
_RED_VERB_START = r"reduc|lower|cut|decreas|shr|sav|compress|slash|trim|minimi|drop|diminish"
# Where a match can begin: for these rules every match starts with one of the literals (lower case), so the rule is
# tried only there (_anchored_finditer) instead of being searched for across the window.
_RULE_STARTS: dict[tuple[str, str], re.Pattern[str]] = {
    key: re.compile(starts) for key, starts in {
        ("reduction", "tok_prune"): r"prun",
        ("sparsity", "sparsity_of"): r"sparsit",
        ("sparsity", "prune_pct"): r"prun|remov",
        ("reduction", "verb_by"): _RED_VERB_START,
        ("reduction", "verb_nob"): _RED_VERB_START,
        ("reduction", "noun_in_tgt_of"): r"reduction|decrease|saving|cut|compression",
        ("reduction", "save"): r"sav",
        ("reduction", "ratio"): r"compression",
        ("reduction", "verb_fig_tgt"): _RED_VERB_START,
        ("speedup", "noun_of"): r"speed|accelerat",
        ("speedup", "verb_by"): r"accelerat|speed|sped|faster",
        ("speedup", "incr_by"): r"improv|boost|increas|enhanc|rais",
        ("speedup", "incr_nob"): r"improv|boost|increas|enhanc",
    }.items()
}
# Cheap literal gates (run on the lower-cased window) for rules searched in windows, on words a match needs
# besides its start (the starts above already gate their rules).
_RULE_GATES: dict[tuple[str, str], re.Pattern[str]] = {
    ("reduction", "verb_by"): re.compile(r" by "),
    # Rules that open with _TGT (slow to scan case-insensitively) are gated on the words after it.
    ("reduction", "tgt_noun_of"): re.compile(
        r"(?:reductions?|decreases?|savings?|cuts?|compression)(?:\s+(?:ratio|rate|factor))?(?:\s+(?:ratio|rate|factor))?"
        r"\s+(?:of|by)\s"
    ),
    # ... verb, optional "by", then a qualifier (_QUAL) or the figure itself.
    ("reduction", "passive"): re.compile(
        r"(?:reduced|decreased|lowered|cut|compressed|shrunk|slashed|trimmed|saved)\s+(?:by\s+)?[\d.uoarnmt~>≥\\≳]"
    ),
    ("speedup", "verb_by"): re.compile(r" by "),
    ("speedup", "incr_by"): re.compile(r" by "),
}


def _anchored_finditer(rx: re.Pattern[str], starts: re.Pattern[str], text: str, low: str, lo: int, hi: int
                       ) -> Iterator[re.Match[str]]:
    """``rx.finditer(text, lo, hi)`` for a rule whose matches all begin where ``starts`` matches in ``low``
    (``text.lower()``, the same length): ``rx`` is tried at each such place, left to right, past each match."""
    pos = lo
    while (at := starts.search(low, pos, hi)) is not None:
        m = rx.match(text, at.start(), hi)
        if m is None:
            pos = at.start() + 1
        else:
            yield m
            pos = max(m.end(), at.start() + 1)


# twice as fast / two times faster / three-fold speedup
_WORD_SPEED = re.compile(
    r"(?<![\w-])(?P<word>twice|thrice|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?:[\s-]+(?:times|fold))?\s+(?:as\s+fast|faster|quicker|speed[\s-]?ups?|acceleration)(?![\w])",
    re.I,
)
# Where figures are: a digit followed by a multiplier or percent sign, or "speedup of".
_FIG_SCAN = re.compile(r"\d\s?(?:[x×X%]|\\times|times\b|-?\s?fold\b|percent\b|per\s?cent\b)")
_FIG_SCAN2 = re.compile(r"[Ss]peed[\s-]?[Uu]ps?\s+of")
_NUM_TOKEN = re.compile(r"\d[\d.,]*|\.\d")
# Percent figures are everywhere (accuracy); only look at those with a cost or speed word nearby.
_CUE = re.compile(
    r"reduc|lower|\bcut|decreas|shrink|shr[au]nk|\bsav|compress|slash|trim|minimi|drop|diminish|fewer|less\b|"
    r"smaller|cheaper|shorter|faster|quicker|speed|accelerat|throughput|sparse|sparsit|prun|remov|efficient|"
    r"\bfps\b|frame\s*rate|tokens?/s",
    re.I,
)



# Every _CUE match starts with one of these (lower-case) literals: a window without any of them
# cannot match, and a trie of plain literals scans lower-cased text about ten times faster than
# _CUE's case-insensitive alternation.
_CUE_LITERALS = compile_literals([
    "reduc", "lower", "cut", "decreas", "shrink", "shrank", "shrunk", "sav", "compress", "slash", "trim",
    "minimi", "drop", "diminish", "fewer", "less", "smaller", "cheaper", "shorter", "faster", "quicker", "speed",
    "accelerat", "throughput", "sparse", "sparsit", "prun", "remov", "efficient", "fps", "frame", "token",
])


def _has_cue(text: str, low: str | None, lo: int, hi: int) -> bool:
    """Whether a cost or speed word (_CUE) occurs in ``text[lo:hi]``.

    With ``low`` (``text.lower()``, the same length): _CUE is tried only where one of its literals
    starts, anchored there, instead of searched for across the window."""
    if low is None:
        return _CUE.search(text, lo, hi) is not None
    return next(_anchored_finditer(_CUE, _CUE_LITERALS, text, low, lo, hi), None) is not None


# "N× smaller" with no noun after it counts when it describes the subject: "is 10x smaller".
_SMALLER_LEAD = re.compile(
    rf"(?:\b(?:is|are|was|were|be|being|remains?|stays?|while|but|yet|and|also|only|just)|[,(;:])\s+{_QUAL}$", re.I
)


def _judge(kind: str, name: str, m: re.Match[str], text: str) -> tuple[str | list[str] | None, int] | None:
    """Decide whether a rule match is a claim: ``(target(s), span end)`` or ``None``.

    The target may be a list, one per number of the figure ("parameters and FLOPs by 4x and 2x").
    """
    gd = m.groupdict()
    end = m.end()
    fig = gd.get("fig") or ""
    if kind == "sparsity":
        return (None, end) if re.search(r"%|percent", fig) else None
    if kind == "reduction":
        if name == "tok_prune":
            return "tokens", end
        if name == "verb_by":
            gap = gd["gap"] or ""
            if _QUALITY_RE.search(gap):
                return None
            tgts = [t for t in _find_targets(gap) if t != "throughput"]
            if not tgts and gd["verb"].lower().startswith("compress") and re.search(
                r"\b(?:models?|networks?|LLMs?|weights?|it|them)\b", gap, re.I
            ):
                tgts = ["model size"]
            if not tgts:
                return None
            return (tgts if len(tgts) > 1 else tgts[0]), end
        if name == "f_noun":
            tgt = _find_target(gd["tgt"]) if gd["tgt"] else None
            compression = gd["noun"].lower().startswith("compression")
            if gd.get("cmod"):
                tgt = "model size"
            if not gd.get("prep") and re.match(r"\s+(?:in|of|on)\s", text[end : end + 6]):
                # "90x compression of 44.1 kHz audio": about something that is not a cost
                if tgt is None:
                    return None
            if gd.get("prep"):
                if gd["tgt2"]:
                    tgt = tgt or _find_target(gd["tgt2"]) or ("model size" if compression else None)
                    if tgt is None:
                        return None
                else:
                    if tgt is None:
                        return None  # "98% reduction in estimation error"
                    end = m.start("prep")
            if tgt is None and not compression and "%" in fig:
                return None  # "a 40% reduction" with nothing said about what
            return None if tgt == "throughput" else (tgt, end)
        if name == "f_smaller":
            if not gd.get("after") and not _SMALLER_LEAD.search(text, max(0, m.start() - 40), m.start()):
                return None  # "a distance ... of over 20 times smaller than": not the model
            return ("memory" if re.search(r"memory", gd.get("after") or "", re.I) else "model size"), end
        if name == "f_eff":
            eff = gd["eff"].lower()
            tgt = {"memory": "memory", "parameter": "parameters", "compute": "computation",
                   "energy": "energy", "storage": "model size"}.get(eff, "FLOPs")
            return tgt, end
        if name in ("ratio", "f_higher_compr"):
            return None, end
        if name == "noun_in_tgt_of":
            gap = gd["gap"] or ""
            if _QUALITY_RE.search(gap):
                return None
            tgts = [t for t in _find_targets(gap) if t != "throughput"]
            if not tgts:
                return None
            return (tgts if len(tgts) > 1 else tgts[0]), end
        tgt = _find_target(gd["tgt"]) if gd.get("tgt") else None
        return None if tgt == "throughput" else (tgt, end)
    # speedup
    if name == "incr_nob":
        return _speed_target(gd["gap"]), end
    if name in ("verb_by", "incr_by"):
        gap = gd["gap"] or ""
        if re.search(r"\b(?:accurac\w*|errors?|loss|quality|scores?|performance|F1|BLEU|mAP|recall|precision)\b",
                     gap, re.I):
            return None
        if _QUALITY_RE.search(gap) and not re.search(r"throughput|speed", gap, re.I):
            return None
        if name == "incr_by":
            if not re.search(_THRU, gap, re.I) and not re.search(r"(?<!energy )(?<!memory )efficiency", gap, re.I):
                return None
            if re.search(r"efficiency", gap, re.I) and "%" in fig:
                return None
        return _speed_target(gap), end
    return _speed_target(gd.get("tail") or ""), end


# --------------------------------------------------------------------------- the extractor


class ClaimExtractor:
    """Find bits, hardware, speedup, reduction and sparsity claims in text.

    Parameters
    ----------
    devices_path:
        The device list; default ``claims/devices.yml`` of the project's rules folder (:func:`default_devices_path`).

    Attributes
    ----------
    devices_:
        The loaded :class:`DeviceEntry` list.
    kinds_:
        Canonical device name -> hardware kind (``gpu``, ``mobile``, ...).
    """

    def __init__(self, devices_path: str | Path | None = None) -> None:
        self.devices_path = Path(devices_path) if devices_path is not None else default_devices_path()
        self.devices_ = load_devices(self.devices_path)
        self.kinds_: dict[str, str] = {}
        for e in self.devices_:
            if "{" not in e.canonical:
                self.kinds_.setdefault(e.canonical, e.kind)
        self._template_kinds: list[tuple[re.Pattern[str], str]] = [
            (_template_regex(e.canonical), e.kind) for e in self.devices_ if "{" in e.canonical
        ]
        self._compile_devices()

    # ----------------------------------------------------------------- devices

    def _compile_devices(self) -> None:
        """One regex per entry (vendor prefix + name + memory + device noun) and its trigger literals."""
        self._device_res: list[re.Pattern[str]] = []
        self._device_name_res: list[re.Pattern[str]] = []
        # (literals, case-insensitive?) or None when the entry has no usable literal (always tried)
        self._device_triggers: list[tuple[tuple[str, ...], bool] | None] = []
        for e in self.devices_:
            body = "|".join(f"(?:{p})" for p in e.patterns)
            flags = re.I if e.ignore_case else 0
            vendor = rf"(?P<vendor>{_VENDOR_PREFIXES[e.vendor]}\s+)?" if e.vendor else ""
            self._device_res.append(
                re.compile(
                    rf"{_DEVICE_START}{vendor}(?P<name>{body})"
                    rf"(?P<mem>{_DEVICE_MEMORY})(?P<noun>{_DEVICE_NOUN})(?![\w])",
                    flags,
                )
            )
            self._device_name_res.append(re.compile(rf"(?:{body})", flags))
            if e.triggers:
                self._device_triggers.append((e.triggers, e.ignore_case))
                continue
            trig: set[str] | None = set()
            ci = e.ignore_case
            for pat in e.patterns:
                got = _required_literals(pat)
                if got is None:
                    trig = None
                    break
                lits, lit_ci = got
                trig |= lits
                ci = ci or lit_ci
            if trig is None:
                self._device_triggers.append(None)
            else:
                self._device_triggers.append((tuple(sorted({t.lower() for t in trig} if ci else trig)), ci))
        # One pass finds every trigger occurrence of both case modes.
        self._trigger_entries: list[dict[str, list[int]]] = [{}, {}]  # [case-sensitive, insensitive]
        self._always: list[int] = []
        for i, trig in enumerate(self._device_triggers):
            if trig is None:
                self._always.append(i)
                continue
            lits, ci = trig
            for lit in lits:
                self._trigger_entries[int(ci)].setdefault(lit, []).append(i)
        self._trigger_scanner = CaseScanner(*self._trigger_entries)

    def _devices(self, text: str, low: str | None = None) -> list[Claim]:
        n = len(text)
        by_entry: dict[int, list[tuple[int, int]]] = {i: [(0, n)] for i in self._always}
        for table, found in zip(self._trigger_entries, self._trigger_scanner.find(text, low)):
            for start, end, literal in found:
                region = (max(0, start - 48), min(n, end + 64))
                for i in table[literal]:
                    by_entry.setdefault(i, []).append(region)
        hits: list[tuple[int, int, int, re.Match[str]]] = []
        for i in sorted(by_entry):
            regions = sorted(by_entry[i])
            merged = [list(regions[0])]
            for lo, hi in regions[1:]:
                if lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            e = self.devices_[i]
            rx = self._device_res[i]
            for lo, hi in merged:
                for m in rx.finditer(text, lo, hi):
                    if e.require_context and not (e.vendor and m.group("vendor")) and not (
                        m.group("noun") or m.group("mem")
                    ):
                        continue
                    hits.append((m.start(), i, -m.end(), m))
        if not hits:
            return []
        hits.sort(key=lambda h: (h[0], h[1], h[2]))
        out: list[Claim] = []
        last_end = -1
        for start, i, _, m in hits:
            if start < last_end:
                continue
            last_end = m.end()
            canonical = self.devices_[i].canonical
            if "{" in canonical:
                em = self._device_name_res[i].fullmatch(m.group("name"))
                groups = em.groups() if em else ()

                def fill(g: re.Match[str], groups: tuple[str | None, ...] = groups) -> str:
                    k = int(g.group(1))
                    v = groups[k - 1] if k <= len(groups) else None
                    return re.sub(r"\s+", " ", v) if v else ""

                canonical = re.sub(r"\s+", " ", re.sub(r"\{(\d+)\}", fill, canonical)).strip()
            out.append(Claim("hardware", canonical, m.group(0), m.start(), m.end()))
        return out

    def device_kind(self, canonical: str) -> str | None:
        """The hardware kind (``gpu``, ``mobile``, ``cpu``, ``edge``, ``fpga``, ``asic``) of a device name."""
        kind = self.kinds_.get(canonical)
        if kind is not None:
            return kind
        for rx, k in self._template_kinds:
            if rx.match(canonical):
                return k
        return None

    # ----------------------------------------------------------------- bits

    def _bits(self, text: str, low: str) -> list[Claim]:
        out: list[Claim] = []
        letter_digit = _LETTER_DIGIT_GATE.search(text) is not None
        for m in _W_A.finditer(text) if letter_digit and _W_A_GATE.search(text) else ():
            seen: set[float] = set()
            for g in m.groups():
                if g is not None and float(g) not in seen and 0 < float(g) <= 64:
                    seen.add(float(g))
                    out.append(Claim("bits", float(g), m.group(0), m.start(), m.end()))
        for m in _FORMATS.finditer(text) if letter_digit and _FORMATS_GATE.search(text) else ():
            gd = m.groupdict()
            if gd["intn"]:
                v = float(gd["intn"])
            elif gd["fpn"]:
                v = float(gd["fpn"])
            elif gd["mxintn"]:
                v = float(gd["mxintn"])
            elif gd["bf"] or gd["bfloat"]:
                v = 16.0
            elif gd["floatn"]:
                v = float(gd["floatn"])
            elif gd["nfn"]:
                v = float(gd["nfn"])
            else:
                v = float(1 + int(gd["e"]) + int(gd["m"]))
            if not _is_reference_precision(text, m.start(), m.end(), v):
                out.append(Claim("bits", v, m.group(0), m.start(), m.end()))
        for m in _BITS.finditer(text) if _may_have_bits(low) else ():
            nums = m.group("nums")
            word = _WORD_NUMBERS.get(nums.lower())
            values = [float(word)] if word is not None else [float(x) for x in re.findall(_BITS_NUM, nums)]
            values = [v for v in values if 0 < v <= 64]
            if not values or not self._bits_context_ok(text, m.start(), m.end()):
                continue
            seen = set()
            for v in values:
                if v not in seen and not _is_reference_precision(text, m.start(), m.end(), v):
                    seen.add(v)
                    out.append(Claim("bits", v, m.group(0), m.start(), m.end()))
        for m in _BITWIDTH_OF.finditer(text) if "width" in low else ():
            seen = set()
            for v in (float(x) for x in re.findall(_BITS_NUM, m.group("nums"))):
                if 0 < v <= 64 and v not in seen:
                    seen.add(v)
                    out.append(Claim("bits", v, m.group(0), m.start(), m.end()))
        binary_gate = "binar" in low or "ternar" in low or "bnn" in low or "billm" in low or "bitnet" in low
        for m in _BINARY.finditer(text) if binary_gate else ():
            if m.group("bnn") and m.group("bnn").upper().startswith(("BNN", "TNN")):
                if re.search(r"bayesian|\bBNNs?\s+\(?(?:posterior|prior)", text, re.I):
                    continue
                v = 1.0 if m.group("bnn")[0] in "Bb" else 2.0
                out.append(Claim("bits", v, m.group(0), m.start(), m.end()))
                continue
            if m.group("bnn"):  # BiLLM, BitNet, BitNet b1.58
                v = 1.58 if "1.58" in m.group("bnn") else 1.0
                out.append(Claim("bits", v, m.group(0), m.start(), m.end()))
                continue
            span = m.group(0).lower()
            if "binar" in span:
                out.append(Claim("bits", 1.0, m.group(0), m.start(), m.end()))
            if "ternar" in span:
                out.append(Claim("bits", 2.0, m.group(0), m.start(), m.end()))
        return out

    @staticmethod
    def _bits_context_ok(text: str, start: int, end: int) -> bool:
        after = text[end : end + 40]
        if _BITS_AFTER_BAD.match(after):
            return False
        if _BITS_BEFORE_BAD.search(text[max(0, start - 30) : start]):
            return False
        if _BITS_AFTER_GOOD.match(after):
            return True
        # Otherwise the sentence must be about numeric precision.
        lo = max(0, start - 250)
        left = text[lo:start]
        cut = None
        for cut in _SENT_END.finditer(left):
            pass
        s0 = lo + cut.end() if cut else lo
        right = text[end : end + 250]
        nxt = _SENT_END.search(right)
        s1 = end + (nxt.start() if nxt else len(right))
        return _BITS_CUE.search(text, s0, s1) is not None

    # ----------------------------------------------------------------- speed and cost

    def _speed_cost(self, text: str, low: str | None) -> list[Claim]:
        # Windows around figures; percentages only when a cost or speed word is near.
        windows: list[list[int]] = []
        starts: set[int] = set()
        n = len(text)
        hits = [(m.start(), m.group(0)) for m in _FIG_SCAN.finditer(text)]
        if "peed" in text:
            hits += [(m.end() + 1, "of") for m in _FIG_SCAN2.finditer(text)]
        for pos, what in hits:
            lo, hi = max(0, pos - 220), min(n, pos + 120)
            if ("%" in what or "per" in what) and not _has_cue(text, low, max(0, pos - 160), min(n, pos + 80)):
                continue
            for t in _NUM_TOKEN.finditer(text, max(0, pos - 40), pos + 1 if what != "of" else min(n, pos + 30)):
                starts.add(t.start())
                if t.start() > 4 and text[t.start() - 3 : t.start()] in ("10^", "0 ^"):
                    starts.add(t.start() - 3)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        found: dict[int, Claim] = {}
        if windows:
            ordered = sorted(starts)
            for kind, name, rx in _RULES:
                if name in _FIG_FIRST:
                    matches = [m for s in ordered if (m := rx.match(text, s)) is not None]
                elif low is None:
                    matches = [m for lo, hi in windows for m in rx.finditer(text, lo, hi)]
                else:
                    gate, begins = _RULE_GATES.get((kind, name)), _RULE_STARTS.get((kind, name))
                    matches = [
                        m
                        for lo, hi in windows
                        if gate is None or gate.search(low, lo, hi)
                        for m in (rx.finditer(text, lo, hi) if begins is None else
                                  _anchored_finditer(rx, begins, text, low, lo, hi))
                    ]
                for m in matches:
                    res = _judge(kind, name, m, text)
                    if res is None:
                        continue
                    target, end = res
                    self._add(found, kind, m, text, target, end)
                    if name == "verb_by":
                        self._add_conjuncts(found, kind, text, end)
        out = list(found.values())
        if low is None:
            low = text.lower()
        if "fast" in low or "speed" in low or "accelerat" in low:
            taken = {(c.start, c.end) for c in out}
            for m in _WORD_SPEED.finditer(text):
                v = float(_WORD_NUMBERS.get(m.group("word").lower(), 0))
                if v > 1 and (m.start(), m.end()) not in taken:
                    out.append(Claim("speedup", v, m.group(0), m.start(), m.end(), "x", None))
        return out

    @classmethod
    def _add_conjuncts(cls, found: dict[int, Claim], kind: str, text: str, end: int) -> None:
        """The reductions or speedups coordinated after one ending at ``end``: "reduces memory by 40%[, and
        latency by 2.1x]", "accelerates training by 2x[ and inference by 3.1x]"."""
        while (lead := _CONJUNCT_LEAD.match(text, end)) is not None:
            if kind == "reduction":
                m = _CONJUNCT.match(text, lead.end())
                target = _find_target(m.group("tgt")) if m else None
                if target == "throughput":
                    return
            else:
                m = _SPEED_CONJUNCT.match(text, lead.end())
                target = _speed_target(m.group("gap")) if m else None
            if m is None or target is None:
                return
            cls._add(found, kind, m, text, target, m.end())
            end = m.end()

    @staticmethod
    def _add(
        found: dict[int, Claim], kind: str, m: re.Match[str], text: str, target: str | list[str] | None, end: int
    ) -> None:
        fig = m.group("fig")
        fs = m.start("fig")
        s = m.start()
        span = text[s:end].rstrip()
        unit = "%" if re.search(r"%|percent|per\s?cent", fig) else "x"
        nums = list(_NUM_RE.finditer(fig))
        if isinstance(target, list):
            targets = target if len(target) == len(nums) else [target[0]] * len(nums)
        else:
            targets = [target] * len(nums)
        for nm, target in zip(nums, targets):
            key = fs + nm.start()
            if key in found:
                continue
            v = _num_value(nm.group(0))
            if unit == "x" and v <= 1:
                continue
            if unit == "%" and not 0 < v <= (1000 if kind == "speedup" else 100):
                continue
            found[key] = Claim(kind, v, span, s, s + len(span), unit, target)

    # ----------------------------------------------------------------- public API

    def extract(self, text: str) -> list[Claim]:
        """All claims in ``text``, sorted by start offset (then kind)."""
        if not text:
            return []
        t = text if text.isascii() else text.translate(_FOLD)  # _FOLD maps only non-ASCII characters
        low = t.lower()
        # Gates look for lower-case literals in ``low`` at the offsets of ``t``; when lower() changes
        # the length (rare Unicode), the gated steps run without their gates.
        same_length = len(low) == len(t)
        hw = self._devices(t, low)
        claims = hw + self._bits(t, low) + self._speed_cost(t, low if same_length else None)
        # Numbers inside a device name ("Snapdragon 8 Gen 1", "Pixel 4 ... ") are not bit/speed claims.
        if hw:
            spans = [(c.start, c.end) for c in hw]
            claims = [
                c for c in claims
                if c.kind == "hardware" or not any(s <= c.start and c.end <= e for s, e in spans)
            ]
        order = {k: i for i, k in enumerate(CLAIM_KINDS)}
        uniq: dict[tuple[Any, ...], Claim] = {}
        for c in claims:
            uniq.setdefault((c.kind, c.value, c.start, c.end), c)
        out = sorted(uniq.values(), key=lambda c: (c.start, order.get(c.kind, 99), c.end))
        # Report text as written in the input, not the folded copy.
        return [c if text[c.start:c.end] == c.text else _with_text(c, text[c.start:c.end]) for c in out]

    def extract_many(self, texts: Iterable[str]) -> list[list[Claim]]:
        """:meth:`extract` over many texts."""
        return [self.extract(t) for t in texts]


def _required_literals(pattern: str) -> tuple[set[str], bool] | None:
    """Strings of which every match of ``pattern`` contains one (and whether they are
    case-insensitive), or ``None`` when there is no literal of two characters or more.

    Used to skip device regexes cheaply: an entry runs only when one of its literals is in the text.
    """
    try:
        from re import _constants as C  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - any parser trouble just disables the shortcut
        return None

    ci = False

    def walk(seq: Any) -> set[str] | None:
        nonlocal ci
        best: set[str] | None = None
        run: list[str] = []

        def consider(cands: set[str] | None) -> None:
            nonlocal best
            if cands and (best is None or min(map(len, cands)) > min(map(len, best))):
                best = cands

        def flush() -> None:
            if run:
                consider({"".join(run)})
                run.clear()

        for op, av in seq:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            flush()
            if op is C.SUBPATTERN:
                if av[1] & C.SRE_FLAG_IGNORECASE:
                    ci = True
                consider(walk(av[-1]))
            elif op is C.BRANCH:
                alts = [walk(b) for b in av[1]]
                if all(alts):
                    consider(set().union(*alts))  # type: ignore[arg-type]
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
                consider(walk(av[2]))
        flush()
        return best

    lits = walk(tree)
    if not lits or min(map(len, lits)) < 2:
        return None
    return lits, ci


def _template_regex(canonical: str) -> re.Pattern[str]:
    """``"NVIDIA RTX {1} {2}"`` -> a regex matching the names that template can produce."""
    parts = []
    for tok in re.split(r"(\{\d+\})", canonical):
        if re.fullmatch(r"\{\d+\}", tok):
            parts.append(r"\S*")
        else:
            parts.append(re.sub(r"(?:\\ |\s)+", r"\\s*", re.escape(tok)))
    return re.compile("".join(parts) + r"\s*")


def _with_text(c: Claim, text: str) -> Claim:
    return Claim(c.kind, c.value, text, c.start, c.end, c.unit, c.target)


@functools.lru_cache(maxsize=1)
def _default_extractor() -> ClaimExtractor:
    return ClaimExtractor()


def extract_claims(text: str) -> list[Claim]:
    """:meth:`ClaimExtractor.extract` with the default device list (loaded once)."""
    return _default_extractor().extract(text)


def device_kind(canonical: str) -> str | None:
    """Hardware kind of a canonical device name from the default device list, or ``None``."""
    return _default_extractor().device_kind(canonical)

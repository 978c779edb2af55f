"""The decision log: ``labels/decisions.jsonl``, append-only, one JSON object per line.

Every reviewer decision is one line, so the log diffs well in git and nothing is ever
overwritten. A submission (one paper reviewed once) is a group of lines written together:

- one ``"kind": "label"`` line per label the reviewer decided::

    {"kind": "label", "id": "arxiv:2405.01234", "text_hash": "3f2a...", "facet": "technique",
     "label": "quantization", "decision": "accept", "reviewer": "ana", "role": "reviewer",
     "time": "2026-11-22T09:00:00+00:00", "model": "tfidf-lr@1a2b3c4d", "score": 0.91,
     "source": "rule+model", "submission": "9c1e..."}

  ``decision`` is ``accept`` (a predicted label is right), ``reject`` (it is wrong) or ``add``
  (the reviewer added a label nothing predicted). ``model``/``score``/``source`` are what
  the page showed (``null`` for added labels and imported decisions); ``shown`` says whether
  the label was ``predicted`` (tagged) or ``suggested`` (in the model's abstain band).
- then one ``"kind": "paper"`` line that closes the submission: the facets judged (in a
  judged facet every label not accepted or added is a negative), the ``answer``
  (``accept``, ``correct``, ``reject`` = set aside, ``unsure`` = not sure), the ``note``,
  the queue ``strategy`` and the ``split`` (``eval`` for unbiased samples, ``train`` for
  papers picked by an active-learning strategy).

A submission counts only when its paper line is present. All lines of a submission are one
``write`` on a file opened with ``O_APPEND`` under an exclusive ``fcntl.flock`` lock and are
``fsync``-ed before :func:`append_submission` returns, so two reviewers (two tabs, two
processes) never interleave and a confirmed decision survives a crash. A crash in mid-write
can leave a torn last line (no newline); :func:`read_log` reports it and
:func:`repair_torn_tail` moves it to ``<log>.torn`` (never silently dropped).
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PapertagError, Problem, ProblemsError
from ..filelock import locked, write_all
from ..taxonomy import FACETS, Taxonomy, load_taxonomy

DECISIONS = ("accept", "reject", "add")
ANSWERS = ("accept", "correct", "reject", "unsure")
ROLES = ("reviewer", "adjudicator")
SPLITS = ("eval", "train")
LOG_NAME = "decisions.jsonl"

__all__ = ["ANSWERS", "DECISIONS", "DecisionLogError", "LabelDecision", "LogRead", "Submission", "TornLine",
           "append_submission", "new_submission", "read_log", "repair_torn_tail", "text_hash"]


class DecisionLogError(ProblemsError):
    """The decision log has malformed lines, or a submission to append is invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="decision log")


class TornTailError(PapertagError):
    """The log ends in a torn line (a crash in mid-write)."""


def text_hash(title: str, abstract: str) -> str:
    """A short hash of the text a reviewer saw (``title + "\\n\\n" + abstract``)."""
    text = f"{title}\n\n{abstract}" if abstract else title
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class LabelDecision:
    """One reviewer decision on one label of one paper."""

    facet: str
    label: str
    decision: str
    score: float | None = None
    source: str | None = None
    shown: str | None = None  # "predicted" (tagged), "suggested" (abstain band) or None (not shown)

    @property
    def key(self) -> str:
        return f"{self.facet}/{self.label}"

    @property
    def positive(self) -> bool:
        return self.decision in ("accept", "add")


@dataclass(frozen=True)
class Submission:
    """One review of one paper by one reviewer: its label decisions and the closing paper line."""

    id: str
    reviewer: str
    facets: tuple[str, ...]
    answer: str
    decisions: tuple[LabelDecision, ...] = ()
    text_hash: str | None = None
    role: str = "reviewer"
    time: str = ""
    note: str | None = None
    model: str | None = None
    strategy: str | None = None
    split: str = "train"
    submission: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    line: int = 0  # line of the closing paper line in the log (0: not read from a log)

    def positives(self, facet: str) -> set[str]:
        """Label ids (within ``facet``) accepted or added, parents included."""
        out: set[str] = set()
        for d in self.decisions:
            if d.facet == facet and d.positive:
                lab = d.label
                out.add(lab)
                while "/" in lab:
                    lab = lab.rsplit("/", 1)[0]
                    out.add(lab)
        return out

    def lines(self) -> list[dict[str, Any]]:
        """The JSON objects written to the log for this submission, in order."""
        common = {"id": self.id, "text_hash": self.text_hash, "reviewer": self.reviewer, "role": self.role,
                  "time": self.time, "submission": self.submission}
        out: list[dict[str, Any]] = []
        for d in self.decisions:
            out.append({"kind": "label", "id": self.id, "text_hash": self.text_hash, "facet": d.facet,
                        "label": d.label, "decision": d.decision, "reviewer": self.reviewer, "role": self.role,
                        "time": self.time, "model": self.model if d.decision != "add" else None,
                        "score": d.score, "source": d.source, "shown": d.shown, "submission": self.submission})
        paper = {"kind": "paper", **common, "facets": list(self.facets), "answer": self.answer,
                 "note": self.note, "strategy": self.strategy, "split": self.split, "model": self.model,
                 "n_labels": len(self.decisions)}
        if self.extra:
            paper["extra"] = self.extra
        out.append(paper)
        return out


def new_submission(paper_id: str, reviewer: str, decisions: Iterable[LabelDecision], *,
                   facets: Sequence[str] | None = None, answer: str | None = None, text_hash: str | None = None,
                   role: str = "reviewer", note: str | None = None, model: str | None = None,
                   strategy: str | None = None, split: str | None = None, time: str | None = None,
                   extra: Mapping[str, Any] | None = None) -> Submission:
    """Build a :class:`Submission` with a fresh submission id (time defaults to now, UTC).

    ``answer`` defaults to ``correct`` when a label was rejected or added, else ``accept``;
    ``split`` to ``eval`` for the ``random`` strategy and ``train`` otherwise.
    """
    decs = tuple(decisions)
    if answer is None:
        answer = "correct" if any(d.decision != "accept" for d in decs) else "accept"
    if split is None:
        split = "eval" if strategy == "random" else "train"
    return Submission(id=paper_id, reviewer=reviewer, facets=tuple(facets or FACETS), answer=answer,
                      decisions=decs, text_hash=text_hash, role=role, time=time or now_iso(), note=note or None,
                      model=model, strategy=strategy, split=split, submission=uuid.uuid4().hex,
                      extra=dict(extra or {}))


# ---------------------------------------------------------------------------- validation
def validate_submission(sub: Submission, taxonomy: Taxonomy) -> list[str]:
    """Every problem with a submission (empty when it may be written)."""
    errs: list[str] = []
    if not sub.id or not isinstance(sub.id, str):
        errs.append("'id' must be a non-empty string")
    if not sub.reviewer or not isinstance(sub.reviewer, str) or len(sub.reviewer) > 100 or "\n" in sub.reviewer:
        errs.append(f"'reviewer' must be a non-empty name without newlines, got {sub.reviewer!r}")
    if sub.answer not in ANSWERS:
        errs.append(f"'answer' must be one of {', '.join(ANSWERS)}, got {sub.answer!r}")
    if sub.role not in ROLES:
        errs.append(f"'role' must be one of {', '.join(ROLES)}, got {sub.role!r}")
    if sub.split not in SPLITS:
        errs.append(f"'split' must be one of {', '.join(SPLITS)}, got {sub.split!r}")
    for f in sub.facets:
        if f not in FACETS:
            errs.append(f"unknown facet '{f}'; expected some of {', '.join(FACETS)}")
    try:
        _dt.datetime.fromisoformat(sub.time)
    except (TypeError, ValueError):
        errs.append(f"'time' must be an ISO 8601 date-time, got {sub.time!r}")
    seen: set[str] = set()
    for d in sub.decisions:
        if d.decision not in DECISIONS:
            errs.append(f"decision on '{d.key}' must be one of {', '.join(DECISIONS)}, got {d.decision!r}")
        if d.key not in taxonomy:
            errs.append(f"unknown label '{d.key}' (not in the taxonomy)")
        elif d.facet not in sub.facets:
            errs.append(f"label '{d.key}' is in facet '{d.facet}', which is not among the facets judged")
        if d.key in seen:
            errs.append(f"label '{d.key}' is decided twice in one submission")
        seen.add(d.key)
        if d.score is not None and not (isinstance(d.score, (int, float)) and 0.0 <= d.score <= 1.0):
            errs.append(f"score of '{d.key}' must be a number in [0, 1], got {d.score!r}")
    return errs


# ---------------------------------------------------------------------------- writing
def append_submission(path: str | Path, submissions: Sequence[Submission] | Submission, *,
                      taxonomy: Taxonomy | None = None) -> int:
    """Append submissions to the log: validated first, then one locked, fsync-ed write.

    Returns the number of lines written. Raises :class:`DecisionLogError` (nothing written)
    when a submission is invalid.
    """
    subs = [submissions] if isinstance(submissions, Submission) else list(submissions)
    tax = taxonomy or load_taxonomy()
    problems = [Problem(str(path), f"new submission {n} ({s.id})", e)
                for n, s in enumerate(subs, 1) for e in validate_submission(s, tax)]
    if problems:
        raise DecisionLogError(problems)
    data = b"".join((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
                    for s in subs for obj in s.lines())
    if not data:
        return 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with locked(path, fcntl.LOCK_EX) as fd:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            # a torn tail from a crash: never glue a new line onto it
            raise TornTailError(f"{path}: the last line is incomplete (a crash in mid-write?); run "
                                f"`papertag gold check --repair` to move it to {path}.torn, then retry")
        write_all(fd, data)
        os.fsync(fd)
    if size == 0:  # a new file: make its directory entry durable too
        dfd = os.open(Path(path).parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return data.count(b"\n")


# ---------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class TornLine:
    """An incomplete last line: where it starts and what it holds."""

    file: str
    line: int
    offset: int
    text: str

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 120 else self.text[:117] + "..."
        return (f"{self.file}: line {self.line} is incomplete (a crash in mid-write; this decision was never "
                f"confirmed): {shown!r}")


@dataclass
class LogRead:
    """What :func:`read_log` found: complete submissions in log order, and a torn tail if any."""

    submissions: list[Submission]
    torn: TornLine | None = None
    incomplete: list[str] = field(default_factory=list)  # submission ids whose paper line is missing
    lines: int = 0


def read_log(path: str | Path, taxonomy: Taxonomy | None = None) -> LogRead:
    """Read the log under a shared lock (a missing log reads as empty).

    Raises :class:`DecisionLogError` listing every malformed complete line with its line
    number; a torn last line is returned in :attr:`LogRead.torn`, not raised.
    """
    p = Path(path)
    if not p.exists():
        return LogRead([])
    tax = taxonomy or load_taxonomy()
    with locked(p, fcntl.LOCK_SH) as fd:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
    return parse_log(data, str(p), tax)


def parse_log(data: bytes, file: str, taxonomy: Taxonomy) -> LogRead:
    torn: TornLine | None = None
    body = data
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        body = data[:cut]
        torn = TornLine(file, body.count(b"\n") + 1, cut, data[cut:].decode("utf-8", "replace"))
    problems: list[Problem] = []
    pending: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    subs: list[Submission] = []
    n = 0
    for n, raw in enumerate(body.split(b"\n")[:-1] if body else [], 1):
        if not raw.strip():
            continue
        where = f"line {n}"
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(file, where, f"not valid JSON ({exc}); expected one decision object per line"))
            continue
        if not isinstance(obj, dict) or obj.get("kind") not in ("label", "paper"):
            problems.append(Problem(file, where, "expected an object with \"kind\": \"label\" or \"paper\""))
            continue
        sid = obj.get("submission")
        if not isinstance(sid, str) or not sid:
            problems.append(Problem(file, where, "'submission' must be a non-empty string"))
            continue
        if obj["kind"] == "label":
            pending.setdefault(sid, []).append((n, obj))
            continue
        labels = pending.pop(sid, [])
        sub, errs = _submission_from(obj, labels, n, taxonomy)
        problems.extend(Problem(file, where, e) for e in errs)
        if sub is not None:
            subs.append(sub)
    if problems:
        raise DecisionLogError(problems)
    return LogRead(subs, torn, sorted(pending), n)


def _submission_from(paper: dict[str, Any], labels: list[tuple[int, dict[str, Any]]], line: int,
                     taxonomy: Taxonomy) -> tuple[Submission | None, list[str]]:
    errs: list[str] = []
    decs: list[LabelDecision] = []
    for ln, obj in labels:
        if obj.get("id") != paper.get("id"):
            errs.append(f"label line {ln} belongs to paper {obj.get('id')!r}, not {paper.get('id')!r}")
            continue
        facet, label, decision = obj.get("facet"), obj.get("label"), obj.get("decision")
        if not isinstance(facet, str) or not isinstance(label, str):
            errs.append(f"label line {ln}: 'facet' and 'label' must be strings")
            continue
        decs.append(LabelDecision(facet, label, decision, obj.get("score"), obj.get("source"), obj.get("shown")))
    facets = paper.get("facets")
    if not isinstance(facets, list) or not all(isinstance(f, str) for f in facets):
        return None, [*errs, f"'facets' must be a list of facet names, got {facets!r}"]
    sub = Submission(id=paper.get("id") or "", reviewer=paper.get("reviewer") or "", facets=tuple(facets),
                     answer=paper.get("answer"), decisions=tuple(decs), text_hash=paper.get("text_hash"),
                     role=paper.get("role", "reviewer"), time=paper.get("time") or "", note=paper.get("note"),
                     model=paper.get("model"), strategy=paper.get("strategy"), split=paper.get("split", "train"),
                     submission=paper["submission"], extra=paper.get("extra") or {}, line=line)
    errs.extend(validate_submission(sub, taxonomy))
    return (None if errs else sub), errs


def repair_torn_tail(path: str | Path) -> TornLine | None:
    """Move a torn last line to ``<log>.torn`` (appended, fsync-ed) and cut it from the log,
    with the label lines of its unfinished submission just before it.

    Runs under the exclusive lock, so a writer in another process cannot race it. Returns
    the torn line, or ``None`` when the log ends cleanly.
    """
    p = Path(path)
    if not p.exists():
        return None
    with locked(p, fcntl.LOCK_EX) as fd:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
        if not data or data.endswith(b"\n"):
            return None
        cut = data.rfind(b"\n") + 1
        torn = TornLine(str(p), data[:cut].count(b"\n") + 1, cut, data[cut:].decode("utf-8", "replace"))
        # label lines just before the torn one belong to the same unfinished submission
        while cut:
            start = data.rfind(b"\n", 0, cut - 1) + 1
            try:
                kind = json.loads(data[start:cut]).get("kind")
            except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
                break
            if kind != "label":
                break
            cut = start
        with open(f"{p}.torn", "ab") as side:
            side.write(data[cut:] + b"\n")
            side.flush()
            os.fsync(side.fileno())
        os.ftruncate(fd, cut)
        os.fsync(fd)
    return torn

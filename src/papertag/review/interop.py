"""Decisions to and from the annotation tools people already use.

- **Label Studio**: a JSON list of tasks. Each task holds the paper (``data``: ``paper_id``,
  ``title``, ``abstract``, ``text``) and one annotation per reviewer whose ``result`` has one
  ``choices`` region per facet (``from_name`` = the facet, choices = label ids within it); papers
  papertag has tagged can come with its labels as a prediction (pre-annotation) to accept or correct.
  :func:`labelstudio_config` is the matching labelling config (a multi-choice per facet).
- **Prodigy** (``choice`` interface, also the shape Argilla-style JSONL loaders take): one
  line per paper and reviewer: ``text``, ``meta.id``, ``options`` (one per label key),
  ``accept`` (the chosen keys), ``answer`` (``accept``; ``reject`` = set aside; ``ignore`` =
  not sure) and ``_annotator_id``.

Import reads both back as submissions (labels as ``add`` decisions, all four facets judged);
a submission already in the log (same paper, reviewer, answer and labels) is not added twice.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from ..errors import PapertagError, Problem, ProblemsError
from ..records import Record
from ..taxonomy import FACETS, Taxonomy, load_taxonomy
from .fold import latest_by_reviewer
from .log import LabelDecision, Submission, new_submission, now_iso, text_hash

FORMATS = ("labelstudio", "prodigy")

__all__ = ["FORMATS", "ImportFileError", "export_labelstudio", "export_prodigy", "import_decisions",
           "labelstudio_config", "labelstudio_prediction"]


class ImportFileError(ProblemsError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="annotations to import")


def _latest_judgements(subs: Sequence[Submission]) -> list[tuple[str, str, Submission, dict[str, list[str]]]]:
    """(paper, reviewer, latest submission, facet -> label ids) for every reviewer of every paper."""
    out = []
    for pid, per in latest_by_reviewer(subs).items():
        for reviewer, facets in per.items():
            last = facets[""]
            labels = {f: sorted(s.positives(f)) for f, s in facets.items() if f}
            out.append((pid, reviewer, last, labels))
    return out


def _text(rec: Record | None) -> dict[str, str]:
    if rec is None:
        return {"title": "", "abstract": "", "text": ""}
    return {"title": rec.title, "abstract": rec.abstract, "text": rec.text}


def labelstudio_prediction(paper: Mapping[str, Any]) -> dict[str, Any]:
    """A tagged paper (``papertag tag`` output) as a Label Studio prediction: one ``choices`` region per facet
    with the labels papertag gives, ``score`` the lowest score among them (0 when it gives none), so that
    sorting tasks by prediction score puts the least certain first; ``model_version`` names the model that
    tagged it (``papertag:rules`` when the rules alone did)."""
    labels = paper.get("labels") or {}
    result = [{"from_name": f, "to_name": "text", "type": "choices", "value": {"choices": list(ids)}}
              for f, ids in labels.items() if ids and f in FACETS]
    scores = paper.get("scores") or {}
    given = [float(scores[f"{f}/{i}"]) for f, ids in labels.items() for i in ids if f"{f}/{i}" in scores]
    models = {e["model"] for ev in (paper.get("evidence") or {}).values() for e in ev
              if isinstance(e, dict) and isinstance(e.get("model"), str)}
    return {"model_version": f"papertag:{'+'.join(sorted(models)) or 'rules'}",
            "score": round(min(given), 4) if given else 0.0, "result": result}


def export_labelstudio(subs: Sequence[Submission], records: Mapping[str, Record],
                       predictions: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Label Studio tasks with one annotation per reviewer (their latest judgement).

    ``predictions`` (tagged papers, ``papertag tag`` output) become pre-annotations: each paper is a task
    (in their order, before the papers only the log has) with papertag's labels as a prediction, which a
    reviewer accepts or corrects in Label Studio; ``data.needs_review`` lists the labels papertag was unsure of.
    Importing the export back (:func:`import_decisions`) reads the annotations only, never the predictions.
    """
    tasks: dict[str, dict[str, Any]] = {}
    for paper in predictions:
        pid = str(paper["id"])
        text = _text(records.get(pid))
        if not text["text"] and paper.get("title"):
            text = {"title": str(paper["title"]), "abstract": "", "text": str(paper["title"])}
        task = tasks.setdefault(pid, {"data": {"paper_id": pid, **text}, "annotations": []})
        task["data"]["needs_review"] = ", ".join(paper.get("needs_review") or [])
        task["predictions"] = [labelstudio_prediction(paper)]
    for pid, reviewer, last, labels in _latest_judgements(subs):
        task = tasks.setdefault(pid, {"data": {"paper_id": pid, **_text(records.get(pid))}, "annotations": []})
        result = [{"from_name": f, "to_name": "text", "type": "choices", "value": {"choices": ids}}
                  for f, ids in labels.items() if ids]
        task["annotations"].append({
            "completed_by": {"email": reviewer}, "result": result, "created_at": last.time, "updated_at": last.time,
            "was_cancelled": last.answer in ("reject", "unsure"),
            "meta": {"reviewer": reviewer, "papertag_answer": last.answer, "note": last.note, "role": last.role,
                     "facets": sorted(f for f in labels)}})
    return list(tasks.values())


def labelstudio_config(taxonomy: Taxonomy | None = None) -> str:
    """A Label Studio labelling config: the text, and a multiple-choice per facet."""
    tax = taxonomy or load_taxonomy()
    parts = ['<View>', '  <Header value="$title"/>', '  <Text name="text" value="$text"/>']
    for f in tax.facets:
        parts.append(f'  <Choices name="{f}" toName="text" choice="multiple" showInline="true">')
        parts.append(f'    <Header value="{f}"/>')
        for k in tax.facet_keys(f):
            parts.append(f"    <Choice value={quoteattr(tax[k].id)} hint={quoteattr(tax[k].description)}/>")
        parts.append("  </Choices>")
    parts.append("</View>")
    return "\n".join(parts) + "\n"


def export_prodigy(subs: Sequence[Submission], records: Mapping[str, Record],
                   taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    """Prodigy ``choice`` examples, one per paper and reviewer."""
    tax = taxonomy or load_taxonomy()
    options = [{"id": k, "text": k} for k in tax.keys]
    out = []
    for pid, reviewer, last, labels in _latest_judgements(subs):
        t = _text(records.get(pid))
        answer = {"reject": "reject", "unsure": "ignore"}.get(last.answer, "accept")
        input_hash = int(hashlib.sha256(t["text"].encode()).hexdigest()[:8], 16)
        out.append({"text": t["text"], "meta": {"id": pid, "title": t["title"]}, "options": options,
                    "accept": [f"{f}/{i}" for f, ids in labels.items() for i in ids], "answer": answer,
                    "_annotator_id": reviewer, "_view_id": "choice", "_input_hash": input_hash,
                    "_task_hash": int(hashlib.sha256(f"{pid}\x1f{reviewer}".encode()).hexdigest()[:8], 16),
                    "_timestamp": _timestamp(last.time), "papertag": {"facets": sorted(labels), "note": last.note,
                                                                      "answer": last.answer}})
    return out


def _timestamp(iso: str) -> int | None:
    try:
        return int(_dt.datetime.fromisoformat(iso).timestamp())
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------- import
def detect_format(path: str | Path) -> str:
    head = Path(path).read_text(encoding="utf-8").lstrip()[:1]
    return "labelstudio" if head == "[" else "prodigy"


def import_decisions(path: str | Path, *, fmt: str = "auto", reviewer: str | None = None,
                     existing: Sequence[Submission] = (), taxonomy: Taxonomy | None = None) -> list[Submission]:
    """Read annotations from a Label Studio or Prodigy export as submissions (not yet written).

    ``reviewer`` names annotations that carry no annotator. Raises :class:`ImportFileError`
    listing every bad task or line (nothing is imported then).
    """
    tax = taxonomy or load_taxonomy()
    p = Path(path)
    if not p.is_file():
        raise ImportFileError([Problem(str(p), "", "file not found")])
    fmt = detect_format(p) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise PapertagError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}")
    problems: list[Problem] = []
    subs: list[Submission] = []
    items = _labelstudio_items(p, problems) if fmt == "labelstudio" else _prodigy_items(p, problems)
    for where, pid, who, labels, answer, when, note, text in items:
        who = who or reviewer
        if not who:
            problems.append(Problem(str(p), where, "no annotator in the record; pass --reviewer NAME"))
            continue
        decs: list[LabelDecision] = []
        for raw_facet, raw in labels:
            key = _label_key(raw_facet, raw, tax)
            if key is None:
                problems.append(Problem(str(p), where, f"unknown label {raw!r}"
                                        + (f" in facet {raw_facet!r}" if raw_facet else "")
                                        + "; expected a taxonomy id like 'pruning' or 'technique/pruning'"))
                continue
            f, _, i = key.partition("/")
            if all(d.key != key for d in decs):
                decs.append(LabelDecision(f, i, "add"))
        subs.append(new_submission(pid, who, decs, facets=FACETS, answer=answer, note=note, time=when or now_iso(),
                                   text_hash=text_hash(*text) if text else None, strategy=f"import:{fmt}",
                                   split="train"))
    if problems:
        raise ImportFileError(problems)
    seen = {_identity(s) for s in existing}
    return [s for s in subs if _identity(s) not in seen]


def _identity(s: Submission) -> tuple[str, str, str, frozenset[str]]:
    """What makes an imported annotation a duplicate: paper, annotator, answer and labels (not the time, which
    some exports lack: re-importing an old file must not override later decisions with the same labels)."""
    return s.id, s.reviewer, s.answer, frozenset(f"{f}/{i}" for f in s.facets for i in s.positives(f))


def _label_key(facet: str | None, raw: Any, tax: Taxonomy) -> str | None:
    if not isinstance(raw, str):
        return None
    if raw in tax and raw.split("/", 1)[0] in FACETS and (facet is None or raw.startswith(facet + "/")):
        return raw
    if facet and f"{facet}/{raw}" in tax:
        return f"{facet}/{raw}"
    return None


Item = tuple[str, str, str | None, list[tuple[str | None, Any]], str, str | None, str | None, tuple[str, str] | None]


def _labelstudio_items(p: Path, problems: list[Problem]) -> list[Item]:
    try:
        tasks = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(str(p), f"line {exc.lineno}", f"not valid JSON ({exc.msg}); expected a Label "
                                                              "Studio export (a JSON list of tasks)"))
        return []
    if not isinstance(tasks, list):
        problems.append(Problem(str(p), "", "expected a JSON list of Label Studio tasks"))
        return []
    out: list[Item] = []
    for n, task in enumerate(tasks, 1):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            problems.append(Problem(str(p), f"task {n}", "expected an object with 'data' and 'annotations'"))
            continue
        pid = data.get("paper_id") or data.get("id") or task.get("id")
        if pid in (None, ""):
            problems.append(Problem(str(p), f"task {n}", "no paper id in data.paper_id, data.id or id"))
            continue
        text = (data.get("title") or "", data.get("abstract") or "") if (data.get("title") or data.get("abstract")) \
            else None
        for m, ann in enumerate(task.get("annotations") or [], 1):
            where = f"task {n} ({pid}), annotation {m}"
            if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
                problems.append(Problem(str(p), where, "expected an object with a 'result' list"))
                continue
            meta = ann.get("meta") if isinstance(ann.get("meta"), dict) else {}
            who = meta.get("reviewer") or ann.get("completed_by")  # Label Studio itself keeps only user ids
            if isinstance(who, dict):
                who = who.get("email") or who.get("username") or (str(who["id"]) if "id" in who else None)
            elif who is not None:
                who = str(who)
            answer = meta.get("papertag_answer") if meta.get("papertag_answer") in ("reject", "unsure") else None
            if ann.get("was_cancelled") and answer is None:
                answer = "reject"
            labels: list[tuple[str | None, Any]] = []
            for r in ann.get("result", []):
                if not isinstance(r, dict) or r.get("type") not in ("choices", "taxonomy"):
                    continue
                facet = r.get("from_name")
                if facet not in FACETS:
                    problems.append(Problem(str(p), where, f"region from_name {facet!r} is not a facet; expected "
                                                           f"one of {', '.join(FACETS)}"))
                    continue
                choices = (r.get("value") or {}).get(r["type"], [])
                for c in choices:
                    labels.append((facet, "/".join(c) if isinstance(c, list) else c))
            when = ann.get("updated_at") or ann.get("created_at")
            out.append((where, str(pid), who, labels, answer, _iso(when), meta.get("note"), text))
    return out


def _prodigy_items(p: Path, problems: list[Problem]) -> list[Item]:
    out: list[Item] = []
    with p.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"line {n}"
            try:
                eg = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(p), where, f"not valid JSON ({exc.msg}); expected one Prodigy example "
                                                       "per line"))
                continue
            if not isinstance(eg, dict):
                problems.append(Problem(str(p), where, "expected a JSON object"))
                continue
            meta = eg.get("meta") if isinstance(eg.get("meta"), dict) else {}
            pid = meta.get("id") or eg.get("id")
            if not pid:
                problems.append(Problem(str(p), where, "no paper id in meta.id or id"))
                continue
            answer = {"accept": None, "reject": "reject", "ignore": "unsure"}.get(eg.get("answer", "accept"), "bad")
            if answer == "bad":
                problems.append(Problem(str(p), where, f"'answer' must be accept, reject or ignore, got "
                                                       f"{eg.get('answer')!r}"))
                continue
            who = eg.get("_annotator_id")
            if isinstance(who, str) and eg.get("_session_id") and who == eg.get("_session_id") and "-" in who:
                who = who.split("-", 1)[1]  # prodigy session ids are "<dataset>-<name>"
            accept = eg.get("accept") or []
            if not isinstance(accept, list):
                problems.append(Problem(str(p), where, "'accept' must be a list of label keys"))
                continue
            extra = eg.get("papertag") if isinstance(eg.get("papertag"), dict) else {}
            text = eg.get("text")
            title = meta.get("title") or ""
            pair = None
            if isinstance(text, str) and text:
                pair = (title, text[len(title) + 2:]) if title and text.startswith(title + "\n\n") else (text, "")
            stamp = eg.get("_timestamp")
            when = (_dt.datetime.fromtimestamp(stamp, _dt.timezone.utc).isoformat(timespec="seconds")
                    if isinstance(stamp, (int, float)) else None)
            out.append((where, str(pid), who if isinstance(who, str) else None, [(None, a) for a in accept],
                        answer, when, extra.get("note"), pair))
    return out


def _iso(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        d = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return d.isoformat(timespec="seconds")

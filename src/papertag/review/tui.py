"""A terminal fallback for the review page (``papertag review --tui``): same session, same log.

One paper at a time: the text with evidence highlighted, the numbered labels, then a prompt.
Commands (``?`` lists them): numbers toggle labels (``2 5``), ``+NAME`` adds a label (``+lora``,
``+hardware/edge``), ``u`` not sure, ``s`` set aside, ``n TEXT`` sets the note, an empty line
submits, ``k`` skips, ``q`` quits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from ..errors import PapertagError
from .session import ReviewSession

HELP = ("numbers toggle labels (e.g. '2 5') · +NAME adds a label (+lora, +hardware/edge) · u not sure · "
        "s set aside · n TEXT note · Enter submits · k skips · q quits")

__all__ = ["HELP", "run_tui"]


def _find(session: ReviewSession, query: str) -> list[str]:
    """Taxonomy keys matching ``query``: a full key, a label id, or a word of the id or name."""
    q = query.strip().lower()
    keys = list(session.tax.keys)
    exact = [k for k in keys if k == q or k.split("/", 1)[1] == q or k.rsplit("/", 1)[-1] == q]
    if exact:
        return exact
    return [k for k in keys if q in k.lower() or q in session.tax[k].name.lower()]


def _render(console: Console, view: dict[str, Any], states: dict[str, str], flags: dict[str, Any],
            progress: dict[str, Any]) -> None:
    console.rule(f"[bold]{progress['reviewed']}[/] reviewed · [bold]{progress['left']}[/] in queue")
    console.print(Text(f"{view['id']}  (why queued: {view['reason']})", style="dim"))
    for part, style in (("segments_title", "bold"), ("segments_abstract", "")):
        text = Text(style=style)
        for seg in view[part]:
            text.append(seg["text"], style="on dark_goldenrod" if seg["keys"] else "")
        console.print(text)
    if view["claims"]:
        console.print(Text("claims: " + "; ".join(f"{c['kind']} {c['value']}{c.get('unit') or ''}"
                                                    for c in view["claims"]), style="dim"))
    for n, lab in enumerate(view["labels"], 1):
        key = lab["key"]
        mark = "[red]✗[/]" if states[key] == "reject" else "[green]✓[/]"
        score = "  —  " if lab["score"] is None else f"{lab['score']:.2f}"
        extra = " (abstain band)" if lab["kind"] == "suggested" else ""
        console.print(f" {n:>2} {mark} {key:<44} {score} {lab['source']}{extra}", highlight=False, markup=True)
    if not view["labels"]:
        console.print(" nothing predicted", style="dim")
    flags_text = ", ".join(x for x in ("not sure" if flags["unsure"] else "",
                                       "set aside" if flags["aside"] else "",
                                       f"note: {flags['note']}" if flags["note"] else "") if x)
    if flags_text:
        console.print(Text(flags_text, style="yellow"))


def run_tui(session: ReviewSession, reviewer: str, *, console: Console | None = None,
            ask: Callable[[str], str] = input) -> int:
    """Review in the terminal until the queue is done or the reviewer quits; returns papers saved."""
    con = console or Console()
    con.print(HELP, style="dim", highlight=False)
    skipped: set[str] = set()
    saved = 0
    while True:
        pid = session.next_id(reviewer, skip=skipped)
        if pid is None:
            con.print(f"Queue done: {session.progress(reviewer)['reviewed']} reviewed.")
            return saved
        view = session.view(pid, reviewer)
        states = {lab["key"]: lab["state"] for lab in view["labels"]}
        prev = view.get("previous") or {}
        flags: dict[str, Any] = {"unsure": prev.get("answer") == "unsure", "aside": prev.get("answer") == "reject",
                                 "note": prev.get("note") or ""}
        while True:
            _render(con, view, states, flags, session.progress(reviewer))
            try:
                line = ask("> ").strip()
            except EOFError:
                return saved
            if line == "q":
                return saved
            if line == "?":
                con.print(HELP, highlight=False)
                continue
            if line == "k":
                skipped.add(pid)
                break
            if line == "":
                answer = "reject" if flags["aside"] else ("unsure" if flags["unsure"] else None)
                try:
                    session.submit(reviewer, pid, states, answer=answer, note=flags["note"] or None,
                                   seen_hash=view["text_hash"])
                except PapertagError as exc:
                    con.print(Text(f"Not saved: {exc}", style="red"))
                    continue
                saved += 1
                con.print(Text(f"Saved {pid}", style="green"))
                break
            _command(session, line, view, states, flags, con)


def _command(session: ReviewSession, line: str, view: dict[str, Any], states: dict[str, str],
             flags: dict[str, Any], con: Console) -> None:
    if line in ("u", "s"):
        flags["unsure" if line == "u" else "aside"] ^= True
        return
    if line.startswith("n "):
        flags["note"] = line[2:].strip()
        return
    if line.startswith("+"):
        found = _find(session, line[1:])
        if len(found) != 1:
            con.print(Text(f"{len(found)} labels match {line[1:]!r}" + (f": {', '.join(found[:8])}" if found else ""),
                           style="red"))
            return
        key = found[0]
        chain = [key]
        while chain[-1].count("/") > 1:  # a child brings its parent
            chain.append(chain[-1].rsplit("/", 1)[0])
        for k in chain:
            if k in states:
                states[k] = "accept"
            else:
                states[k] = "add"
                view["labels"].append({"key": k, "kind": "added", "score": None, "source": "added", "state": "add"})
        return
    keys = [lab["key"] for lab in view["labels"]]
    try:
        picks = [int(x) for x in line.replace(",", " ").split()]
    except ValueError:
        con.print(Text(f"Unknown command {line!r}. {HELP}", style="red"))
        return
    for n in picks:
        if not 1 <= n <= len(keys):
            con.print(Text(f"No label {n}; there are {len(keys)}", style="red"))
            continue
        key = keys[n - 1]
        if states[key] == "reject":
            states[key] = "accept"
            parent = key.rsplit("/", 1)[0]
            while parent.count("/") >= 1 and parent in states:  # accepting a child accepts its parents
                states[parent] = "accept" if states[parent] == "reject" else states[parent]
                parent = parent.rsplit("/", 1)[0]
        elif states[key] == "add":
            del states[key]
            view["labels"] = [lab for lab in view["labels"] if lab["key"] != key]
        else:
            states[key] = "reject"
            for k in list(states):  # rejecting a parent rejects its children
                if k.startswith(key + "/"):
                    if states[k] == "add":
                        del states[k]
                        view["labels"] = [lab for lab in view["labels"] if lab["key"] != k]
                    else:
                        states[k] = "reject"

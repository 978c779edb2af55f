"""The terminal fallback drives the same session and log."""

from __future__ import annotations

import io

from rich.console import Console

from papertag.review.log import read_log
from papertag.review.tui import run_tui


def test_tui_reviews_with_commands(session):
    out = io.StringIO()
    first = session.next_id("ana")
    shown = [s.key for s in session.shown(first)]
    script = iter(["?", "1", "+hardware/cpu", "+zzz", "n checked the device", "",  # paper 1
                   "k",  # skip paper 2
                   "u", "",  # paper 3: not sure
                   "q"])
    n = run_tui(session, "ana", console=Console(file=out, width=120), ask=lambda _prompt: next(script))
    assert n == 2
    subs = read_log(session.log_path).submissions
    assert len(subs) == 2 and subs[0].id == first and subs[1].answer == "unsure"
    got = {d.key: d.decision for d in subs[0].decisions}
    assert got[shown[0]] == "reject" and got["hardware/cpu"] == "add" and subs[0].note == "checked the device"
    text = out.getvalue()
    assert "0 labels match 'zzz'" in text and "Saved " + first in text and "numbers toggle labels" in text

"""`papertag review` as real processes: killed with SIGKILL after confirming, two servers on one log."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from papertag.review.log import read_log

pytestmark = pytest.mark.slow


def start(papers_file, log, reviewer):
    proc = subprocess.Popen([sys.executable, "-m", "papertag", "review", str(papers_file), "--reviewer", reviewer,
                             "--rules-only", "--port", "0", "--log", str(log)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"Open (http://\S+)", line)
        if m:
            return proc, m.group(1).rstrip("/"), seen
    proc.kill()
    pytest.fail("papertag review printed no address:\n" + "".join(seen))


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def decide(base, pid=None):
    """Accept every label shown for the next paper (or ``pid``); returns the server's answer."""
    view = get(base + "/api/paper" + (f"?id={pid}" if pid else ""))
    body = {"id": view["id"], "text_hash": view["text_hash"], "labels": {x["key"]: "accept" for x in view["labels"]}}
    req = urllib.request.Request(base + "/api/decision", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def test_sigkill_after_saved_loses_nothing_and_restart_resumes(tmp_path, papers_file):
    log = tmp_path / "d.jsonl"
    proc, base, _ = start(papers_file, log, "ana")
    try:
        first = decide(base)
        second = decide(base)
        assert first["saved"] and second["saved"]
    finally:
        proc.send_signal(signal.SIGKILL)  # no clean shutdown at all
        proc.wait(timeout=30)
    subs = read_log(log).submissions
    assert [s.id for s in subs] == [first["id"], second["id"]]
    proc, base, out = start(papers_file, log, "ana")
    try:
        assert "2 already reviewed" in "".join(out)
        nxt = get(base + "/api/paper")["id"]
        assert nxt not in (first["id"], second["id"]) and nxt == second["next"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_two_servers_on_one_log(tmp_path, papers_file):
    log = tmp_path / "d.jsonl"
    a, base_a, _ = start(papers_file, log, "ana")
    b, base_b, _ = start(papers_file, log, "ben")
    try:
        ids = [x["id"] for x in get(base_a + "/api/queue?limit=4")]
        with ThreadPoolExecutor(4) as pool:  # both servers write at the same time
            results = list(pool.map(lambda job: decide(*job), [(base_a, i) for i in ids] + [(base_b, i) for i in ids]))
        assert all(r["saved"] for r in results)
        assert get(base_a + "/api/progress")["reviewed"] == 4 and get(base_b + "/api/progress")["reviewed"] == 4
    finally:
        for p in (a, b):
            p.terminate()
            p.wait(timeout=30)
    read = read_log(log)
    assert read.torn is None and read.incomplete == []
    assert sorted((s.reviewer, s.id) for s in read.submissions) == sorted(
        [("ana", i) for i in ids] + [("ben", i) for i in ids])

"""A real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright reviews three
papers with the keyboard against a `papertag review` server, then the log and the progress are checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papertag.review.log import read_log

CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture()
def server(tmp_path, papers_file):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="needs the playwright package (the 'test' extra)")
    log = tmp_path / "decisions.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "papertag", "review", str(papers_file), "--reviewer", "ana",
                             "--rules-only", "--port", "0", "--log", str(log)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"Open (http://\S+)", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        proc.kill()
        pytest.fail("papertag review printed no address:\n" + "".join(lines))
    yield url, log
    proc.terminate()
    proc.wait(timeout=30)


def paper_id(page) -> str:
    return json.loads(page.locator("#paper-data").text_content())["id"]


def test_review_three_papers_with_the_keyboard(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, log = server
    expect.set_options(timeout=30_000)  # a loaded CI machine may be slow; nothing here is timed
    shot = Path(os.environ.get("PAPERTAG_SCREENSHOT", tmp_path / "review.png"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.set_default_timeout(30_000)
        page.goto(url)
        expect(page.locator("#progress")).to_have_attribute("data-reviewed", "0")
        ids = []

        # 1: accept every prediction as shown
        ids.append(paper_id(page))
        first_labels = page.locator("li.label").evaluate_all("els => els.map(e => [e.dataset.key, e.dataset.state])")
        page.keyboard.press("Enter")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(page.locator("#progress")).to_have_attribute("data-reviewed", "1")

        # 2: reject the focused (first) label, add hardware/cpu from the taxonomy picker, submit
        ids.append(paper_id(page))
        assert ids[1] != ids[0]
        rejected = page.locator("li.label").first.get_attribute("data-key")
        page.keyboard.press("x")
        expect(page.locator("li.label").first).to_have_class(re.compile("rejected"))
        page.keyboard.press("/")
        page.keyboard.type("hardware/cpu")
        expect(page.locator("#matches li").first).to_contain_text("hardware/cpu")
        page.keyboard.press("Enter")
        expect(page.locator('li.label[data-key="hardware/cpu"]')).to_have_class(re.compile("added"))
        page.screenshot(path=str(shot), full_page=True)
        page.keyboard.press("Enter")
        expect(page.locator("#progress")).to_have_attribute("data-reviewed", "2")

        # 3: not sure, with a note, submitted from the note with Ctrl+Enter
        ids.append(paper_id(page))
        page.keyboard.press("u")
        page.keyboard.press("n")
        page.keyboard.type("is the <b>phone</b> only a test bed?")
        page.keyboard.press("Control+Enter")
        expect(page.locator("#progress")).to_have_attribute("data-reviewed", "3")
        expect(page.locator("#progress")).to_contain_text("3 reviewed")
        browser.close()

    subs = read_log(log).submissions
    assert [s.id for s in subs] == ids and {s.reviewer for s in subs} == {"ana"}
    one, two, three = subs
    assert {d.key: d.decision for d in one.decisions} == dict(first_labels)
    assert one.answer == "accept" or any(state == "reject" for _, state in first_labels)
    got = {d.key: d.decision for d in two.decisions}
    assert got[rejected] == "reject" and got["hardware/cpu"] == "add" and two.answer == "correct"
    assert all(v == "reject" for k, v in got.items() if k.startswith(rejected + "/"))  # children follow the parent
    assert three.answer == "unsure" and three.note == "is the <b>phone</b> only a test bed?"
    assert shot.exists() and shot.stat().st_size > 10_000

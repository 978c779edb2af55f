"""The review page and its JSON API through Flask's test client: saving, errors, escaping, tokens."""

from __future__ import annotations

import pytest

from papertag.review.log import read_log
from papertag.review.web import create_app


@pytest.fixture()
def client(session):
    return create_app(session, "ana").test_client()


def decide_all(session, pid, state="accept"):
    return {s.key: state for s in session.shown(pid)}


def test_page_escapes_paper_text(client):
    r = client.get("/paper?id=rv-3")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>planning</b>" not in html and "&amp; irrigation" in html
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_page_shows_predictions_evidence_claims_and_progress(client, session):
    html = client.get("/paper?id=rv-1").get_data(as_text=True)
    assert 'data-key="technique/pruning/structured"' in html
    assert '<mark data-keys="' in html and "technique/pruning" in html  # evidence highlighted
    assert "Snapdragon 8 Gen 1" in html and "speedup" in html  # claims
    assert 'data-reviewed="0"' in html and f'data-left="{len(session.queue)}"' in html
    assert "Keyboard" in html and "<kbd>j</kbd>" in html


def test_decision_is_in_the_log_before_the_answer(client, session):
    labels = decide_all(session, "rv-1")
    labels["technique/pruning/structured"] = "reject"
    labels["hardware/edge"] = "add"
    r = client.post("/api/decision", json={"id": "rv-1", "labels": labels, "note": "phone",
                                           "text_hash": session.text_hash("rv-1")})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["saved"] and body["progress"]["reviewed"] == 1 and body["answer"] == "correct"
    [s] = read_log(session.log_path).submissions
    assert s.id == "rv-1" and s.reviewer == "ana" and s.note == "phone"
    got = {d.key: d.decision for d in s.decisions}
    assert got["technique/pruning/structured"] == "reject" and got["hardware/edge"] == "add"
    shown = {x.key: x for x in session.shown("rv-1")}
    kept = next(d for d in s.decisions if d.key == "technique/pruning")
    assert kept.score == pytest.approx(shown["technique/pruning"].score, abs=1e-4) and kept.source == "rule"
    assert kept.shown == "predicted" and next(d for d in s.decisions if d.key == "hardware/edge").shown is None
    # the queue moves on and does not offer rv-1 to ana again
    assert body["next"] != "rv-1" and session.next_id("ana") != "rv-1"
    assert client.get("/api/progress").get_json()["labels"]["hardware/edge"] == 1


@pytest.mark.parametrize("payload, status, message", [
    ({"id": "nope", "labels": {}}, 404, "unknown paper id"),
    ({"id": "rv-2", "labels": {"technique/telepathy": "add"}}, 400, "unknown label 'technique/telepathy'"),
    ({"id": "rv-2", "labels": {"technique/pruning": "maybe"}}, 400, "must be one of accept, reject, add"),
    ({"id": "rv-2", "labels": {}}, 400, "undecided label(s)"),
    ({"id": "rv-2", "labels": {}, "answer": "perhaps"}, 400, "'answer' must be"),
    ({"labels": {}}, 400, "'id' must be the paper id"),
    ({"id": "rv-2", "labels": {"technique/quantization": "add", "technique/quantization/post_training": "add"},
      "answer": "unsure"}, 200, None),
    ({"id": "rv-1", "labels": {"technique/pruning": "reject", "technique/pruning/structured": "accept"}}, 400,
     "its parent 'technique/pruning' is rejected"),
    ({"id": "rv-2", "labels": {}, "answer": "unsure", "text_hash": "0000"}, 409, "changed since the page"),
])
def test_bad_requests_get_4xx_with_a_message(client, session, payload, status, message):
    r = client.post("/api/decision", json=payload)
    if message is None:  # the control case: a well-formed request is saved
        assert r.status_code == status and len(read_log(session.log_path).submissions) == 1
        return
    assert r.status_code == status and message in r.get_json()["error"]
    assert read_log(session.log_path).submissions == []


def test_malformed_and_cross_site_requests(client):
    assert client.post("/api/decision", data="x=1", content_type="application/x-www-form-urlencoded").status_code == 415
    r = client.post("/api/decision", data="[1", content_type="application/json")
    assert r.status_code == 400 and "expected a JSON object" in r.get_json()["error"]
    r = client.post("/api/decision", json={"id": "rv-1"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert client.get("/api/progress", headers={"Host": "evil.example"}).status_code == 403  # DNS rebinding
    assert client.get("/paper?id=missing").status_code == 404
    assert client.get("/paper").status_code == 400


def test_token_is_required_off_loopback(session):
    c = create_app(session, "ana", token="s3cret", loopback_only=False).test_client()
    r = c.get("/api/progress")
    assert r.status_code == 401 and "access token" in r.get_json()["error"]
    assert c.get("/api/progress", headers={"X-Papertag-Token": "wrong"}).status_code == 401
    r = c.get("/?token=s3cret")
    assert r.status_code == 302 and "papertag_review_token=s3cret" in r.headers["Set-Cookie"]
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Strict" in r.headers["Set-Cookie"]
    assert c.get("/api/progress").status_code == 200  # the cookie now carries it


def test_unsure_and_set_aside_need_no_label_decisions(client, session):
    assert client.post("/api/decision", json={"id": "rv-3", "labels": {}, "answer": "reject"}).status_code == 200
    assert client.post("/api/decision", json={"id": "rv-2", "labels": {}, "answer": "unsure",
                                              "note": "is A100 only a test bed?"}).status_code == 200
    answers = [s.answer for s in read_log(session.log_path).submissions]
    assert answers == ["reject", "unsure"]


def test_queue_lists_upcoming_papers(client, session):
    q = client.get("/api/queue?limit=2").get_json()
    assert len(q) == 2 and q[0]["id"] == session.next_id("ana") and q[0]["reason"]
    assert client.get("/api/queue?limit=x").status_code == 400


def test_skip_and_resume_after_restart(client, session, records, tagger):
    from papertag.review.session import ReviewSession

    first = session.next_id("ana")
    r = client.post("/api/skip", json={"id": first})
    assert r.status_code == 200 and r.get_json()["next"] != first
    client.post("/api/decision", json={"id": first, "labels": decide_all(session, first)})
    # a new server process on the same log resumes: the decided paper is not offered again
    again = ReviewSession(records, tagger, session.log_path, strategy="uncertainty")
    assert again.next_id("ana") != first and again.progress("ana")["reviewed"] == 1
    assert again.next_id("ben") != first  # --overlap 1: one decision takes a paper out of the queue
    two = ReviewSession(records, tagger, session.log_path, strategy="uncertainty", overlap=2)
    assert two.next_id("ben") == first and two.next_id("ana") != first  # --overlap 2: a second reviewer gets it


def test_reviewers_judge_blind_adjudicators_see_earlier_decisions(client, session, records, tagger):
    from papertag.review.session import ReviewSession

    client.post("/api/decision", json={"id": "rv-3", "labels": {}, "answer": "reject", "note": "<i>off topic</i>"})
    assert session.view("rv-3")["history"] == []
    judge = ReviewSession(records, tagger, session.log_path, strategy="conflicts", role="adjudicator")
    [h] = judge.view("rv-3")["history"]
    assert h["reviewer"] == "ana" and h["answer"] == "reject"
    html = create_app(judge, "cho").test_client().get("/paper?id=rv-3").get_data(as_text=True)
    assert "Earlier decisions" in html and "&lt;i&gt;off topic&lt;/i&gt;" in html


def test_a_reviewer_can_adjudicate_papers_they_reviewed(client, session, records, tagger):
    from papertag.review.session import ReviewSession

    labels = decide_all(session, "rv-1")
    client.post("/api/decision", json={"id": "rv-1", "labels": labels})
    ben = ReviewSession(records, tagger, session.log_path, overlap=2)
    ben.submit("ben", "rv-1", {**{k: "reject" for k in labels if k.startswith("hardware/")}, **{
        k: v for k, v in labels.items() if not k.startswith("hardware/")}})
    judge = ReviewSession(records, tagger, session.log_path, strategy="conflicts", role="adjudicator")
    assert [q.id for q in judge.queue] == ["rv-1"] and judge.next_id("ana") == "rv-1"
    judge.submit("ana", "rv-1", labels)
    assert judge.next_id("ana") is None and judge.progress("ana")["reviewed"] == 1


def test_thin_session_counts_cells_from_the_log(client, session, records, tagger):
    from papertag.review.session import ReviewSession

    client.post("/api/decision", json={"id": "rv-1", "labels": decide_all(session, "rv-1")})
    thin = ReviewSession(records, tagger, session.log_path, strategy="thin")
    reasons = {q.id: q.reason for q in thin.queue}
    assert "cell pruning x image has 1 gold paper(s)" == reasons["rv-1"]
    assert thin.next_id("ana") != "rv-1"


def test_reviewing_again_starts_from_your_own_decisions(client, session):
    labels = decide_all(session, "rv-2")
    first = sorted(labels)[0]
    labels[first] = "reject"
    labels["hardware/cpu"] = "add"
    r = client.post("/api/decision", json={"id": "rv-2", "labels": labels, "note": "first pass"})
    assert r.status_code == 200
    html = client.get(f"/paper?id=rv-2&saved=rv-2").get_data(as_text=True)
    assert "You reviewed this paper on" in html and ">first pass</textarea>" in html
    assert 'href="/paper?id=rv-2"' in html  # the "change it" link after saving
    state = {x["key"]: x["state"] for x in session.view("rv-2", "ana")["labels"]}
    assert state[first] == "reject" and state["hardware/cpu"] == "add"
    assert session.view("rv-2", "ben")["previous"] is None  # another reviewer starts from the predictions
    # the second submission replaces the first in the gold fold (latest wins)
    labels[first] = "accept"
    client.post("/api/decision", json={"id": "rv-2", "labels": labels})
    from papertag.review.fold import fold

    [entry] = fold(read_log(session.log_path).submissions).entries
    facet, _, lab = first.partition("/")
    assert lab in entry["labels"][facet]

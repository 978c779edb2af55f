"""The review page: a small Flask app over a :class:`ReviewSession`.

Pages are rendered on the server by Jinja2 (autoescaping: paper text is always shown as
text); one small script (``static/review.js``) adds the keyboard and posts decisions as JSON.

Security: by default the server listens on 127.0.0.1 and accepts only loopback ``Host``
headers (no DNS rebinding). Any other address needs an access token, given once as
``?token=...`` (then kept in an HttpOnly, SameSite=Strict cookie) or as the
``X-Papertag-Token`` header. Decisions are accepted only as ``application/json`` POSTs whose
``Origin`` (when sent) is the page's own, so another web site cannot post them.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

from flask import Flask, jsonify, redirect, render_template, request, url_for

from ..errors import PapertagError
from .log import TornTailError
from .session import BadRequest, ReviewSession

TOKEN_COOKIE = "papertag_review_token"
TOKEN_HEADER = "X-Papertag-Token"

__all__ = ["create_app", "is_loopback", "new_token"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def create_app(session: ReviewSession, reviewer: str, *, token: str | None = None,
               loopback_only: bool = True) -> Flask:
    """The Flask app for one reviewer's session.

    ``token``: required on every request when given. ``loopback_only``: refuse requests whose
    ``Host`` header is not a loopback name (set when listening on 127.0.0.1).
    """
    here = Path(__file__).parent
    app = Flask("papertag.review", template_folder=str(here / "templates"), static_folder=str(here / "static"))
    app.config["JSON_SORT_KEYS"] = False
    tax = session.tax
    taxonomy = [{"key": k, "facet": k.split("/", 1)[0], "name": tax[k].name, "description": tax[k].description}
                for k in tax.keys]

    def error(status: int, message: str) -> Any:
        if request.path.startswith("/api/"):
            resp = jsonify({"error": message, "status": status})
            resp.status_code = status
            return resp
        return render_template("error.html", status=status, message=message), status

    @app.before_request
    def _guard() -> Any:
        if loopback_only:
            host = urlsplit("//" + (request.host or "")).hostname or ""
            if not is_loopback(host):
                return error(403, f"this review server only answers on loopback addresses, not {request.host!r}")
        if token is not None:
            given = request.args.get("token") or request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE)
            if not given or not hmac.compare_digest(given.encode(), token.encode()):
                return error(401, "an access token is required: open the address printed by `papertag review` "
                                  "(it ends in ?token=...)")
            if request.args.get("token") and request.method == "GET":
                resp = redirect(request.path)
                resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
                return resp
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
                return error(403, f"cross-origin request from {origin!r} refused")
            if not request.is_json:
                return error(415, "send decisions as JSON (Content-Type: application/json)")
        return None

    @app.after_request
    def _headers(resp: Any) -> Any:
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                                   "connect-src 'self'; img-src 'self'; form-action 'self'; "
                                                   "frame-ancestors 'none'; base-uri 'none'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    for code, text in ((404, "not found"), (405, "method not allowed")):
        app.register_error_handler(code, lambda e, code=code, text=text: error(code, getattr(e, "description", text)))

    skipped: set[str] = set()  # skipped in this server's lifetime; they come back after a restart

    @app.get("/")
    def index() -> Any:
        nxt = session.next_id(reviewer, skip=skipped)
        saved = request.args.get("saved")
        if nxt is None:
            return render_template("done.html", progress=session.progress(reviewer), reviewer=reviewer,
                                   strategy=session.strategy, saved=saved)
        return redirect(url_for("paper", id=nxt, saved=saved) if saved else url_for("paper", id=nxt))

    @app.get("/paper")
    def paper() -> Any:
        pid = request.args.get("id")
        if not pid:
            return error(400, "missing the paper id: /paper?id=...")
        try:
            view = session.view(pid, reviewer)
        except BadRequest as exc:
            return error(exc.status, str(exc))
        return render_template("review.html", paper=view, progress=session.progress(reviewer), reviewer=reviewer,
                               strategy=session.strategy, role=session.role, taxonomy=taxonomy,
                               saved=request.args.get("saved"), model=session.model_version,
                               log=str(session.log_path))

    @app.get("/api/paper")
    def api_paper() -> Any:
        pid = request.args.get("id") or session.next_id(reviewer, skip=skipped)
        if pid is None:
            return jsonify({"id": None, "progress": session.progress(reviewer)})
        try:
            return jsonify(session.view(pid, reviewer))
        except BadRequest as exc:
            return error(exc.status, str(exc))

    @app.get("/api/progress")
    def api_progress() -> Any:
        return jsonify(session.progress(reviewer))

    @app.get("/api/queue")
    def api_queue() -> Any:
        """The next papers for this reviewer (ids and why each is queued); ``?limit=N`` (default 20)."""
        try:
            limit = max(1, min(int(request.args.get("limit", 20)), 1000))
        except ValueError:
            return error(400, "'limit' must be a whole number")
        ids = session.upcoming(reviewer, limit, skip=skipped)
        return jsonify([{"id": i, "reason": session.reasons.get(i, "")} for i in ids])

    @app.get("/api/taxonomy")
    def api_taxonomy() -> Any:
        return jsonify(taxonomy)

    @app.post("/api/decision")
    def api_decision() -> Any:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return error(400, "expected a JSON object: {\"id\": ..., \"labels\": {\"facet/label\": "
                              "\"accept|reject|add\"}, \"answer\": ..., \"note\": ...}")
        pid = body.get("id")
        if not isinstance(pid, str) or not pid:
            return error(400, "'id' must be the paper id (a non-empty string)")
        try:
            sub = session.submit(reviewer, pid, body.get("labels") or {}, answer=body.get("answer"),
                                 note=body.get("note"), seen_hash=body.get("text_hash"))
        except BadRequest as exc:
            return error(exc.status, str(exc))
        except TornTailError as exc:
            return error(503, str(exc))
        except PapertagError as exc:
            return error(400, str(exc))
        nxt = session.next_id(reviewer, skip=skipped)
        return jsonify({"saved": True, "id": pid, "submission": sub.submission, "answer": sub.answer,
                        "decisions": len(sub.decisions), "next": nxt,
                        "next_url": url_for("paper", id=nxt, saved=pid) if nxt else url_for("index", saved=pid),
                        "progress": session.progress(reviewer)})

    @app.post("/api/skip")
    def api_skip() -> Any:
        """Pass over a paper without deciding it (nothing is written; it returns after a restart)."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            return error(400, "expected a JSON object {\"id\": paper id}")
        try:
            session.paper(body["id"])
        except BadRequest as exc:
            return error(exc.status, str(exc))
        skipped.add(body["id"])
        nxt = session.next_id(reviewer, skip=skipped)
        return jsonify({"next": nxt, "next_url": url_for("paper", id=nxt) if nxt else url_for("index")})

    return app

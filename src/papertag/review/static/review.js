// papertag review page: keyboard, taxonomy picker, and posting decisions as JSON.
(function () {
  "use strict";
  const paper = JSON.parse(document.getElementById("paper-data").textContent);
  const taxonomy = JSON.parse(document.getElementById("taxonomy-data").textContent);
  const form = document.getElementById("form");
  const search = document.getElementById("search");
  const matches = document.getElementById("matches");
  const note = document.getElementById("note");
  const unsure = document.getElementById("unsure");
  const aside = document.getElementById("aside");
  const status = document.getElementById("status");
  const help = document.getElementById("help");
  let focus = 0;
  let matchIndex = 0;
  let busy = false;

  function rows() { return Array.from(document.querySelectorAll("li.label")); }

  function number() {
    rows().forEach((li, i) => { li.querySelector(".n").textContent = i < 9 ? String(i + 1) : ""; });
  }

  function setState(li, state) {
    li.dataset.state = state;
    li.classList.toggle("accepted", state !== "reject");
    li.classList.toggle("rejected", state === "reject");
    li.setAttribute("aria-checked", state !== "reject" ? "true" : "false");
  }

  // a child label implies its parent: accepting a child accepts its parent, rejecting a parent rejects its children
  function settle(li) {
    const key = li.dataset.key;
    const positive = li.dataset.state !== "reject";
    rows().forEach((other) => {
      const k = other.dataset.key;
      if (positive && key.startsWith(k + "/") && other.dataset.state === "reject") { setState(other, "accept"); }
      if (!positive && k.startsWith(key + "/") && other.dataset.state !== "reject") {
        if (other.dataset.kind === "added") { other.remove(); } else { setState(other, "reject"); }
      }
    });
    number();
  }

  function decide(li, state) { setState(li, state); settle(li); }

  function toggle(li) {
    if (li.dataset.kind === "added") { li.remove(); number(); setFocus(Math.min(focus, rows().length - 1)); return; }
    decide(li, li.dataset.state === "reject" ? "accept" : "reject");
  }

  function setFocus(i) {
    const r = rows();
    if (!r.length) { return; }
    focus = Math.max(0, Math.min(i, r.length - 1));
    r.forEach((li, j) => li.classList.toggle("focus", j === focus));
    highlight(r[focus].dataset.key);
  }

  function highlight(key) {
    document.querySelectorAll("mark").forEach((m) => {
      m.classList.toggle("hot", (m.dataset.keys || "").split(" ").indexOf(key) >= 0);
    });
  }

  function addLabel(key) {
    const existing = rows().find((li) => li.dataset.key === key);
    if (existing) { decide(existing, "accept"); setFocus(rows().indexOf(existing)); return; }
    const t = taxonomy.find((x) => x.key === key);
    if (!t) { return; }
    const ul = document.querySelector('fieldset[data-facet="' + t.facet + '"] ul');
    const li = document.createElement("li");
    li.className = "label added accepted";
    li.dataset.key = key; li.dataset.kind = "added"; li.dataset.state = "add";
    li.title = t.description;
    for (const [cls, text] of [["n", ""], ["state", ""], ["name", key.split("/").slice(1).join("/")],
                               ["score", "—"], ["source", "added"]]) {
      const s = document.createElement("span"); s.className = cls; s.textContent = text; li.appendChild(s);
    }
    ul.appendChild(li);
    settle(li);
    const parent = key.split("/").slice(0, -1).join("/");
    if (parent.indexOf("/") > 0 && !rows().some((x) => x.dataset.key === parent)) { addLabel(parent); }
    setFocus(rows().indexOf(li));
  }

  function renderMatches() {
    const q = search.value.trim().toLowerCase();
    matches.textContent = "";
    if (!q) { matches.hidden = true; return; }
    // best matches first: the label's own id or name, then the key, then the description
    const rank = (t) => {
      const leaf = t.key.split("/").pop().toLowerCase();
      const name = t.name.toLowerCase();
      if (leaf === q || name === q) { return 0; }
      if (leaf.startsWith(q) || name.startsWith(q)) { return 1; }
      if (t.key.toLowerCase().indexOf(q) >= 0 || name.indexOf(q) >= 0) { return 2; }
      return t.description.toLowerCase().indexOf(q) >= 0 ? 3 : 9;
    };
    const found = taxonomy.map((t, i) => [rank(t), i, t]).filter((x) => x[0] < 9)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]).slice(0, 8);
    matchIndex = Math.min(matchIndex, Math.max(0, found.length - 1));
    found.forEach((t, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.dataset.key = t.key;
      li.className = i === matchIndex ? "on" : "";
      const k = document.createElement("code"); k.textContent = t.key;
      const d = document.createElement("span"); d.textContent = " " + t.name;
      li.appendChild(k); li.appendChild(d);
      li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(t.key); });
      matches.appendChild(li);
    });
    matches.hidden = found.length === 0;
  }

  function pick(key) {
    addLabel(key);
    search.value = ""; matches.hidden = true; search.blur();
  }

  function say(text, cls) {
    status.textContent = text;
    status.className = "status " + (cls || "");
  }

  async function post(url, body) {
    const resp = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                   body: JSON.stringify(body), credentials: "same-origin"});
    let data = {};
    try { data = await resp.json(); } catch (e) { data = {error: "the server answered " + resp.status}; }
    if (!resp.ok) { throw new Error(data.error || ("HTTP " + resp.status)); }
    return data;
  }

  async function submit() {
    if (busy) { return; }
    busy = true;
    const labels = {};
    rows().forEach((li) => { labels[li.dataset.key] = li.dataset.state; });
    const body = {id: paper.id, text_hash: paper.text_hash, labels: labels, note: note.value || null,
                  answer: aside.checked ? "reject" : (unsure.checked ? "unsure" : null)};
    say("Saving…", "busy");
    try {
      const data = await post("/api/decision", body);
      say("Saved", "saved");
      window.location.assign(data.next_url);
    } catch (e) {
      say("Not saved: " + e.message, "error");
      busy = false;
    }
  }

  async function skip() {
    try {
      const data = await post("/api/skip", {id: paper.id});
      window.location.assign(data.next_url);
    } catch (e) { say("Skip failed: " + e.message, "error"); }
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  document.getElementById("skip").addEventListener("click", skip);
  document.getElementById("labels").addEventListener("click", (e) => {
    const li = e.target.closest("li.label");
    if (li) { setFocus(rows().indexOf(li)); toggle(li); }
  });
  document.querySelectorAll("li.label").forEach((li) => {
    li.addEventListener("mouseenter", () => highlight(li.dataset.key));
  });
  search.addEventListener("input", () => { matchIndex = 0; renderMatches(); });
  search.addEventListener("keydown", (e) => {
    const opts = Array.from(matches.querySelectorAll("li"));
    if (e.key === "ArrowDown") { matchIndex = Math.min(matchIndex + 1, opts.length - 1); renderMatches(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { matchIndex = Math.max(matchIndex - 1, 0); renderMatches(); e.preventDefault(); }
    else if (e.key === "Enter") { e.preventDefault(); if (opts[matchIndex]) { pick(opts[matchIndex].dataset.key); } }
    else if (e.key === "Escape") { search.value = ""; matches.hidden = true; search.blur(); }
  });
  note.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); }
    else if (e.key === "Escape") { note.blur(); }
  });

  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t === search || t === note) { return; }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    const r = rows();
    const cur = r[focus];
    switch (e.key) {
      case "j": case "ArrowDown": setFocus(focus + 1); break;
      case "k": case "ArrowUp": setFocus(focus - 1); break;
      case "a": if (cur) { decide(cur, cur.dataset.kind === "added" ? "add" : "accept"); } break;
      case "x": case "r": if (cur) { if (cur.dataset.kind === "added") { toggle(cur); } else { decide(cur, "reject"); } } break;
      case " ": if (cur) { toggle(cur); } break;
      case "/": search.focus(); break;
      case "u": unsure.checked = !unsure.checked; break;
      case "s": aside.checked = !aside.checked; break;
      case "n": note.focus(); break;
      case "?": help.open = !help.open; break;
      case "ArrowRight": skip(); break;
      case "b": { const back = document.getElementById("back"); if (back) { window.location.assign(back.href); } break; }
      case "Enter": if (t.tagName !== "BUTTON") { submit(); } else { return; } break;
      default:
        if (/^[1-9]$/.test(e.key)) {
          const li = r[Number(e.key) - 1];
          if (li) { setFocus(Number(e.key) - 1); toggle(li); }
          break;
        }
        return;
    }
    e.preventDefault();
  });

  number();
  setFocus(0);
})();

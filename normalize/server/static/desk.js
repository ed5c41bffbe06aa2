/* mtnorm copy desk: the review page. Vanilla JS, no build step.
 *
 * Safety: every piece of user text (the story, findings, gazetteer names) goes
 * into the DOM through textContent / createTextNode; this file never assigns
 * innerHTML.
 *
 * Exactness: the story is kept as a JS string exactly as pasted or read (line
 * breaks, non-BMP characters); the textarea only displays it. Offsets from the
 * API (code points) are converted with MtnormText before use, so with nothing
 * accepted, Copy and Download give back the very text (and bytes) that came in.
 */
(function () {
  "use strict";
  var T = window.MtnormText;

  var CATEGORIES = ["debris", "toponym", "consistency", "name", "gender", "garble", "calque",
    "untranslated", "typography", "encoding", "number", "style"];
  var CATEGORY_LABELS = {
    debris: "Debris", toponym: "Place names", consistency: "Consistency", name: "Person names",
    gender: "Gender", garble: "Garbled syntax", calque: "Calques", untranslated: "Untranslated",
    typography: "Typography", encoding: "Encoding", number: "Numbers", style: "House rules"
  };
  var MAX_PASSES = 8;  // normalize/fixer.py: MAX_PASSES

  var $ = function (id) { return document.getElementById(id); };
  var els = {
    body: document.body, input: $("input"), check: $("check"), file: $("file"), clear: $("clear"),
    count: $("count"), edit: $("edit"), undo: $("undo"), acceptSafe: $("accept-safe"), copy: $("copy"),
    download: $("download"), status: $("status"), editor: $("editor"), review: $("review"),
    text: $("text"), summary: $("summary"), groups: $("groups"), empty: $("empty"), card: $("card"),
    live: $("live"), error: $("error"), errorText: $("error-text"), errorClose: $("error-close"),
    lang: $("lang"), style: $("style"), sourceLang: $("source-lang"), select: $("select"),
    ignore: $("ignore"), toolbarEdit: $("toolbar-edit"), toolbarReview: $("toolbar-review"),
    options: $("options")
  };

  var S = {
    mode: "edit",
    raw: "",                                          // the editor's text, exactly
    file: { name: null, bom: [], encoding: "utf-8" }, // where it came from
    text: "",                                         // the text under review, exactly
    index: null,                                      // code point -> UTF-16 offsets of S.text
    findings: [],                                     // [{id, f, start, end, edits, rejected}]
    focus: -1,
    rejected: [],                                     // keys of rejected findings (UTF-16 offsets)
    changed: [],                                      // spans of accepted replacements
    history: [],
    accepted: 0,
    busy: false,
    styles: [],
    generation: 0,
    actions: 0                                        // finished actions (for tests)
  };

  // -- small helpers -------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function announce(message) { els.live.textContent = ""; els.live.textContent = message; }
  function showError(message) { els.errorText.textContent = message; els.error.hidden = false; }
  function clearError() { els.error.hidden = true; els.errorText.textContent = ""; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }
  function setBusy(busy) {
    S.busy = busy;
    els.body.classList.toggle("busy", busy);
    updateButtons();
  }

  async function api(method, path, body) {
    var init = { method: method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new Error("cannot reach the desk server (" + e.message + ")");
    }
    var data = null;
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      throw new Error((data && data.error) || ("the server answered " + response.status));
    }
    return data;
  }

  function options() {
    var split = function (v) { return v.split(",").map(function (s) { return s.trim(); }).filter(Boolean); };
    return {
      lang: els.lang.value || "en",
      style: els.style.value || null,
      source_lang: els.sourceLang.value || null,
      select: split(els.select.value),
      ignore: split(els.ignore.value)
    };
  }

  // -- options ----------------------------------------------------------------------
  function fillStyles() {
    var family = (els.lang.value || "en").split("-")[0];
    var previous = els.style.value;
    while (els.style.firstChild) els.style.removeChild(els.style.firstChild);
    var def = el("option", null, "language default");
    def.value = "";
    els.style.appendChild(def);
    S.styles.filter(function (s) { return s.lang === family && !s.default; }).forEach(function (s) {
      var o = el("option", null, s.name);
      o.value = s.name;
      if (s.description) o.title = s.description;
      els.style.appendChild(o);
    });
    els.style.value = previous;
    if (els.style.value !== previous) els.style.value = "";
  }

  async function loadOptions() {
    try {
      var data = await api("GET", "/api/styles");
      S.styles = data.styles;
      var fill = function (select, langs, keep) {
        var current = select.value;
        while (select.options.length > keep) select.remove(keep);
        langs.forEach(function (l) { var o = el("option", null, l); o.value = l; select.appendChild(o); });
        select.value = current;
      };
      while (els.lang.firstChild) els.lang.removeChild(els.lang.firstChild);
      fill(els.lang, data.languages, 0);
      els.lang.value = data.languages.indexOf("en") >= 0 ? "en" : data.languages[0];
      fill(els.sourceLang, data.languages, 1);
      fillStyles();
    } catch (e) {
      showError("Could not load the styles: " + e.message);
    }
  }

  // -- the editor -----------------------------------------------------------------
  function editorChanged() {
    var n = S.raw.length < 200000 ? Array.from(S.raw).length : S.raw.length;
    els.count.textContent = n ? plural(n, "character") : "";
    updateButtons();
  }

  function resetFile() { S.file = { name: null, bom: [], encoding: "utf-8" }; }

  function onPaste(ev) {
    var data = ev.clipboardData ? ev.clipboardData.getData("text/plain") : "";
    if (!data) return;  // nothing textual: let the browser do what it does
    ev.preventDefault();
    var ta = els.input;
    S.raw = T.syncRaw(S.raw, ta.value);
    var a = ta.selectionStart, b = ta.selectionEnd;
    if (a === 0 && b === ta.value.length) resetFile();  // a new story
    S.raw = T.spliceRaw(S.raw, a, b, data);
    ta.value = S.raw;
    if (T.normalizeNewlines(S.raw) !== ta.value) S.raw = ta.value;
    var caret = a + T.normalizeNewlines(data).length;
    ta.setSelectionRange(caret, caret);
    editorChanged();
  }

  function onInput() {
    S.raw = T.syncRaw(S.raw, els.input.value);
    if (!S.raw) resetFile();
    editorChanged();
  }

  async function openFile(file) {
    clearError();
    try {
      var bytes = new Uint8Array(await file.arrayBuffer());
      var decoded = T.decodeBytes(bytes);
      S.raw = decoded.text;
      S.file = { name: file.name, bom: decoded.bom, encoding: decoded.encoding };
      els.input.value = S.raw;
      editorChanged();
      await startReview();
    } catch (e) {
      showError(file.name + ": " + e.message);
    }
  }

  function setMode(mode) {
    S.mode = mode;
    els.body.classList.toggle("mode-edit", mode === "edit");
    els.body.classList.toggle("mode-review", mode === "review");
    els.editor.hidden = mode !== "edit";
    els.toolbarEdit.hidden = mode !== "edit";
    els.review.hidden = mode !== "review";
    els.toolbarReview.hidden = mode !== "review";
    hideCard();
  }

  async function startReview() {
    if (S.busy) return;
    S.raw = T.syncRaw(S.raw, els.input.value);
    if (!S.raw) { showError("Nothing to check: paste a story or open a file first."); return; }
    clearError();
    S.text = S.raw;
    S.index = T.codePointIndex(S.text);
    S.rejected = []; S.changed = []; S.history = []; S.accepted = 0; S.findings = []; S.focus = -1;
    var ok = await recheck(0);
    if (ok) {
      setMode("review");
      render();
      els.text.focus({ preventScroll: true });
      if (S.findings.length) setFocus(0, { scroll: false });
      announce(plural(S.findings.length, "finding") + ". Press j for the next one.");
    }
    S.actions++;
  }

  function backToEditor() {
    if (S.busy) return;
    S.raw = S.text;
    els.input.value = S.raw;
    setMode("edit");
    editorChanged();
    els.input.focus();
  }

  // -- checking ----------------------------------------------------------------------
  function keyOf(x) { return { rule: x.f.rule, start: x.start, end: x.end, text: x.f.text, replacement: x.f.replacement }; }
  function sameKey(a, b) {
    return a.rule === b.rule && a.start === b.start && a.end === b.end && a.text === b.text &&
      a.replacement === b.replacement;
  }

  /* Check S.text again; keep the focus near UTF-16 offset `anchor`. */
  async function recheck(anchor) {
    setBusy(true);
    var generation = ++S.generation;
    try {
      var data = await api("POST", "/api/check", Object.assign({ text: S.text }, options()));
      if (generation !== S.generation) return false;
      var findings = data.files[0].findings;
      S.index = T.codePointIndex(S.text);
      S.findings = findings.map(function (f, i) {
        var local = T.localize(S.index, f);
        var x = { id: i, f: f, start: local.start, end: local.end, edits: local.edits, rejected: false };
        x.rejected = S.rejected.some(function (k) { return sameKey(k, keyOf(x)); });
        return x;
      });
      S.rejected = S.findings.filter(function (x) { return x.rejected; }).map(keyOf);
      S.focus = -1;
      if (S.findings.length && anchor !== null && anchor !== undefined) {
        var i = S.findings.findIndex(function (x) { return x.start >= anchor; });
        S.focus = i >= 0 ? i : S.findings.length - 1;
      }
      return true;
    } catch (e) {
      showError(e.message);
      return false;
    } finally {
      if (generation === S.generation) setBusy(false);
    }
  }

  /* Apply UTF-16 edits to S.text, moving the rejected keys and change marks along. */
  function applyLocal(edits) {
    var shift = T.shifter(edits);
    var text = T.applyEdits(S.text, edits);
    S.rejected = S.rejected.filter(function (k) { return !shift.touches(k.start, k.end); })
      .map(function (k) { return Object.assign({}, k, { start: shift(k.start), end: shift(k.end) }); });
    var changed = S.changed.filter(function (c) { return !shift.touches(c.start, c.end); })
      .map(function (c) { return { start: shift(c.start), end: shift(c.end) }; });
    var delta = 0;
    shift.edits.forEach(function (e) {
      var start = e.start + delta;
      changed.push({ start: start, end: start + e.replacement.length });
      delta += e.replacement.length - (e.end - e.start);
    });
    S.changed = changed;
    S.text = text;
    S.index = T.codePointIndex(S.text);
  }

  function snapshot() {
    S.history.push({ text: S.text, rejected: S.rejected.slice(), changed: S.changed.slice(),
      accepted: S.accepted, focus: S.focus >= 0 && S.findings[S.focus] ? S.findings[S.focus].start : 0 });
    if (S.history.length > 200) S.history.shift();
  }

  async function accept(x) {
    if (S.busy || !x) return;
    if (x.f.fix === "none" || !x.edits.length) {
      announce("This finding has no fix to apply; press r to dismiss it.");
      return;
    }
    var sorted = x.edits.slice().sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    for (var i = 0; i + 1 < sorted.length; i++) {
      if (sorted[i].end > sorted[i + 1].start) { showError("This fix's edits overlap; it cannot be applied."); return; }
    }
    snapshot();
    applyLocal(sorted);
    S.accepted += 1;
    var ok = await recheck(T.shifter(sorted)(x.start));
    render();
    if (ok) announce("Accepted " + x.f.rule + ". " + plural(S.findings.length, "finding") + " left.");
    S.actions++;
  }

  async function acceptAllSafe() {
    if (S.busy) return;
    var count = 0, saved = false;
    var anchor = S.focus >= 0 && S.findings[S.focus] ? S.findings[S.focus].start : 0;
    for (var pass = 0; pass < MAX_PASSES; pass++) {
      var byFinding = new Map(S.findings.map(function (x) { return [x.f, x]; }));
      var chosen = T.safePass(S.text, S.findings.map(function (x) { return x.f; }),
        function (f) { return byFinding.get(f).rejected; });
      if (!chosen.length) break;
      if (!saved) { snapshot(); saved = true; }
      count += new Set(chosen.map(function (c) { return c.finding; })).size;
      anchor = T.shifter(chosen)(anchor);
      applyLocal(chosen);
      if (!(await recheck(anchor))) break;
    }
    S.accepted += count;
    render();
    announce(count ? "Accepted " + plural(count, "safe fix", "safe fixes") + "." : "No safe fixes left to accept.");
    S.actions++;
  }

  function reject(x) {
    if (S.busy || !x) return;
    x.rejected = !x.rejected;
    if (x.rejected) S.rejected.push(keyOf(x));
    else S.rejected = S.rejected.filter(function (k) { return !sameKey(k, keyOf(x)); });
    render();
    announce((x.rejected ? "Rejected " : "Restored ") + x.f.rule + ".");
    if (x.rejected) move(1, true);
  }

  async function undo() {
    if (S.busy || !S.history.length) return;
    var prev = S.history.pop();
    S.text = prev.text; S.rejected = prev.rejected; S.changed = prev.changed; S.accepted = prev.accepted;
    S.index = T.codePointIndex(S.text);
    await recheck(prev.focus);
    render();
    announce("Undone.");
    S.actions++;
  }

  // -- output ------------------------------------------------------------------------
  async function copyText() {
    var text = S.text, ok = false;
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); ok = true; } catch (e) { ok = false; }
    }
    if (!ok) {
      var handler = function (ev) { ev.clipboardData.setData("text/plain", text); ev.preventDefault(); };
      document.addEventListener("copy", handler);
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.removeEventListener("copy", handler);
    }
    announce(ok ? "Copied the text." : "Could not copy; use Download instead.");
    els.status.textContent = ok ? "Copied." : "Copy failed.";
  }

  function downloadText() {
    var bytes = T.encodeText(S.text, S.file.encoding, S.file.bom);
    var blob = new Blob([bytes], { type: "text/plain;charset=" + S.file.encoding });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = S.file.name || "story.txt";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  // -- rendering -----------------------------------------------------------------------
  function updateButtons() {
    els.check.disabled = S.busy || !S.raw;
    els.clear.disabled = !S.raw;
    els.undo.disabled = S.busy || !S.history.length;
    els.edit.disabled = S.busy;
    var safe = S.findings.filter(function (x) { return x.f.fix === "safe" && !x.rejected; }).length;
    els.acceptSafe.disabled = S.busy || !safe;
    els.acceptSafe.textContent = "Accept all safe" + (safe ? " (" + safe + ")" : "");
  }

  function render() {
    hideCard();
    renderText();
    renderList();
    renderSummary();
    updateButtons();
    if (S.focus >= 0) setFocus(S.focus, { scroll: false, quiet: true });
  }

  function renderText() {
    var spans = S.findings.map(function (x) { return { start: x.start, end: x.end, id: "f" + x.id }; });
    S.changed.forEach(function (c, i) { spans.push({ start: c.start, end: c.end, id: "c" + i }); });
    var frag = document.createDocumentFragment();
    T.segments(S.text, spans).forEach(function (seg) {
      var fids = [], changed = false;
      seg.ids.forEach(function (id) { if (id[0] === "f") fids.push(+id.slice(1)); else changed = true; });
      if (!fids.length && !changed) { frag.appendChild(document.createTextNode(seg.text)); return; }
      var node;
      if (fids.length) {
        var primary = S.findings[fids[0]];
        var open = fids.filter(function (i) { return !S.findings[i].rejected; });
        var shown = open.length ? S.findings[open[0]] : primary;
        node = el("mark", "f cat-" + shown.f.category);
        if (!open.length) node.classList.add("rej");
        if (shown.f.fix === "unsafe") node.classList.add("unsafe");
        if (seg.text === "") node.classList.add("empty");
        node.dataset.fids = fids.join(" ");
        node.title = fids.map(function (i) { return S.findings[i].f.rule + ": " + S.findings[i].f.message; }).join("\n");
        if (changed) node.classList.add("chg");
      } else {
        node = el("span", "chg" + (seg.text === "" ? " del" : ""));
        node.title = seg.text === "" ? "accepted: text removed here" : "accepted change";
      }
      node.textContent = seg.text;
      frag.appendChild(node);
    });
    while (els.text.firstChild) els.text.removeChild(els.text.firstChild);
    els.text.appendChild(frag);
  }

  function findingItem(x) {
    var f = x.f;
    var li = el("li", "item cat-" + f.category + (x.rejected ? " rejected" : ""));
    li.dataset.fid = String(x.id);
    li.tabIndex = -1;
    var head = el("div", "head");
    head.appendChild(el("span", "pos", f.line + ":" + f.column));
    head.appendChild(el("span", "badge sev-" + f.severity, f.severity));
    head.appendChild(el("code", "rule", f.rule));
    if (f.fix !== "none") head.appendChild(el("span", "badge fix-" + f.fix, f.fix + " fix"));
    li.appendChild(head);
    if (f.replacement !== null && f.replacement !== undefined) {
      var change = el("div", "change");
      var before = S.text.slice(x.edits.length ? x.edits[0].start : x.start, x.edits.length ? x.edits[0].end : x.end);
      change.appendChild(el("span", "before", before.replace(/\r?\n/g, " ↵ ") || "∅"));
      change.appendChild(document.createTextNode(" → "));
      if (f.replacement === "") change.appendChild(el("span", "after deletion", "delete"));
      else change.appendChild(el("span", "after", f.replacement));
      if (x.edits.length > 1) change.appendChild(el("span", "where", "  · " + x.edits.length + " places"));
      li.appendChild(change);
    } else {
      li.appendChild(el("div", "quote", "“" + f.text + "”"));
    }
    li.appendChild(el("div", "msg", f.message));
    var actions = el("div", "actions");
    var acc = el("button", "accept", "Accept");
    acc.type = "button"; acc.dataset.act = "accept";
    acc.disabled = f.fix === "none" || x.rejected;
    var rej = el("button", "reject", x.rejected ? "Restore" : "Reject");
    rej.type = "button"; rej.dataset.act = "reject";
    actions.appendChild(acc);
    actions.appendChild(rej);
    li.appendChild(actions);
    return li;
  }

  function renderList() {
    while (els.groups.firstChild) els.groups.removeChild(els.groups.firstChild);
    els.empty.hidden = S.mode === "review" || S.findings.length > 0;
    if (S.mode === "review" && !S.findings.length) {
      els.groups.appendChild(el("p", "empty", S.accepted ? "Nothing left to review." : "No findings: the story looks clean."));
    }
    CATEGORIES.forEach(function (cat) {
      var items = S.findings.filter(function (x) { return x.f.category === cat; });
      if (!items.length) return;
      var section = el("section", "group cat-" + cat);
      var h = el("h3");
      h.appendChild(el("span", "swatch"));
      h.appendChild(document.createTextNode(CATEGORY_LABELS[cat] || cat));
      h.appendChild(el("span", "count", String(items.length)));
      section.appendChild(h);
      var ol = el("ol");
      items.forEach(function (x) { ol.appendChild(findingItem(x)); });
      section.appendChild(ol);
      els.groups.appendChild(section);
    });
  }

  function renderSummary() {
    while (els.summary.firstChild) els.summary.removeChild(els.summary.firstChild);
    if (S.mode !== "review") { els.status.textContent = ""; return; }
    var open = S.findings.filter(function (x) { return !x.rejected; });
    els.summary.appendChild(el("div", "total", plural(open.length, "finding") + " to review"));
    var sevs = el("div", "sevs muted");
    ["error", "warning", "info"].forEach(function (s) {
      var n = open.filter(function (x) { return x.f.severity === s; }).length;
      if (n) sevs.appendChild(el("span", null, plural(n, s)));
    });
    var safe = open.filter(function (x) { return x.f.fix === "safe"; }).length;
    if (safe) sevs.appendChild(el("span", null, plural(safe, "safe fix", "safe fixes")));
    els.summary.appendChild(sevs);
    var chips = el("div", "chips");
    CATEGORIES.forEach(function (cat) {
      var n = S.findings.filter(function (x) { return x.f.category === cat; }).length;
      if (n) chips.appendChild(el("span", "chip cat-" + cat, (CATEGORY_LABELS[cat] || cat) + " " + n));
    });
    if (S.changed.length) chips.appendChild(el("span", "chip chg-chip", "accepted " + S.accepted));
    els.summary.appendChild(chips);
    var rejected = S.findings.length - open.length;
    els.status.textContent = [S.accepted ? S.accepted + " accepted" : "", rejected ? rejected + " rejected" : "",
      S.text === S.raw ? "unchanged" : "edited"].filter(Boolean).join(" · ");
  }

  // -- focus and navigation ---------------------------------------------------------
  function marksOf(id) {
    return Array.prototype.filter.call(els.text.querySelectorAll("mark[data-fids]"), function (m) {
      return m.dataset.fids.split(" ").indexOf(String(id)) >= 0;
    });
  }
  function itemOf(id) { return els.groups.querySelector('li[data-fid="' + id + '"]'); }

  function setFocus(i, opts) {
    opts = opts || {};
    if (!S.findings.length) { S.focus = -1; return; }
    i = Math.max(0, Math.min(S.findings.length - 1, i));
    S.focus = i;
    var x = S.findings[i];
    Array.prototype.forEach.call(document.querySelectorAll(".focus"), function (n) { n.classList.remove("focus"); });
    var marks = marksOf(x.id);
    marks.forEach(function (m) { m.classList.add("focus"); });
    var item = itemOf(x.id);
    if (item) {
      item.classList.add("focus");
      Array.prototype.forEach.call(els.groups.querySelectorAll("li[tabindex='0']"), function (n) { n.tabIndex = -1; });
      item.tabIndex = 0;
      if (!opts.quiet) item.focus({ preventScroll: true });
      if (opts.scroll !== false) item.scrollIntoView({ block: "nearest" });
    }
    if (marks.length && opts.scroll !== false) marks[0].scrollIntoView({ block: "center" });
    if (!opts.quiet) {
      var f = x.f;
      announce("Finding " + (i + 1) + " of " + S.findings.length + ": " + f.rule + ", " + f.message +
        (f.fix !== "none" ? ". Press a to accept, r to reject." : ". Press r to dismiss."));
      if (placeOf(x) && marks.length) showCard(x, marks[0]); else hideCard();
    }
  }

  function move(step, quietIfEnd) {
    if (!S.findings.length) return;
    var i = S.focus < 0 ? (step > 0 ? 0 : S.findings.length - 1) : S.focus + step;
    if (i < 0 || i >= S.findings.length) {
      if (!quietIfEnd) announce(step > 0 ? "That was the last finding." : "That was the first finding.");
      return;
    }
    setFocus(i);
  }

  function current() { return S.focus >= 0 ? S.findings[S.focus] : null; }

  // -- gazetteer card --------------------------------------------------------------
  var places = new Map();
  var cardFor = null;

  function placeOf(x) { return x && x.f.data && typeof x.f.data.place === "string" ? x.f.data.place : null; }

  function fetchPlace(id) {
    if (!places.has(id)) {
      places.set(id, api("GET", "/api/gazetteer?id=" + encodeURIComponent(id)).then(function (d) {
        return d.entries[0] || null;
      }, function (e) { places.delete(id); throw e; }));
    }
    return places.get(id);
  }

  function namesLine(list) {
    var dd = el("dd");
    (list || []).slice(0, 6).forEach(function (n, i) {
      if (i) dd.appendChild(document.createTextNode(", "));
      dd.appendChild(document.createTextNode(n.name));
      if (n.status && n.status !== "preferred") dd.appendChild(el("span", "st", " " + n.status));
    });
    if ((list || []).length > 6) dd.appendChild(el("span", "st", " +" + (list.length - 6)));
    return dd;
  }

  function fillCard(entry, x) {
    var card = els.card;
    while (card.firstChild) card.removeChild(card.firstChild);
    if (!entry) { card.appendChild(el("div", "meta", "No gazetteer entry for " + placeOf(x) + ".")); return; }
    var o = options();
    var lang = o.lang.split("-")[0];
    var styleName = (S.findings.length && o.style) || null;
    var title = (styleName && entry.preferred_by_style[styleName]) ||
      (entry.names[lang] && entry.names[lang][0] && entry.names[lang][0].name) || entry.id;
    card.appendChild(el("h4", null, title));
    var meta = el("div", "meta", [entry.kind, entry.country].filter(Boolean).join(" · ") || "place");
    entry.flags.forEach(function (flag) { meta.appendChild(el("span", "flag " + flag, flag)); });
    card.appendChild(meta);
    var dl = el("dl");
    var row = function (label, dd) { dl.appendChild(el("dt", null, label)); dl.appendChild(dd); };
    row("in " + lang, namesLine(entry.names[lang]));
    if (o.source_lang && entry.names[o.source_lang] && o.source_lang !== lang) row("in " + o.source_lang, namesLine(entry.names[o.source_lang]));
    if (entry.names.und) row("any", namesLine(entry.names.und));
    var contested = new Map();
    entry.contested.forEach(function (c) {
      var seen = contested.get(c.name) || { langs: [], usedBy: c.used_by };
      if (seen.langs.indexOf(c.lang) < 0) seen.langs.push(c.lang);
      contested.set(c.name, seen);
    });
    var shownContested = 0;
    contested.forEach(function (c, name) {
      if (shownContested++ >= 3) return;
      row(shownContested === 1 ? "contested" : "", el("dd", null, name + " (" + c.langs.join(", ") + ")" +
        (c.usedBy ? ": " + c.usedBy : "")));
    });
    if (contested.size > 3) row("", el("dd", "st", "+" + (contested.size - 3) + " more contested names"));
    var styles = Object.keys(entry.preferred_by_style).filter(function (s) {
      var st = S.styles.find(function (y) { return y.name === s; });
      return !st || st.lang === lang;
    });
    if (styles.length) {
      row("styles", el("dd", null, styles.map(function (s) { return s + ": " + entry.preferred_by_style[s]; }).join(" · ")));
    }
    row("id", el("dd", null, entry.id));
    card.appendChild(dl);
  }

  /* Below the mark, or above it when there is more room there; always inside the
   * story pane, so the card never covers the toolbars or the findings list. */
  function positionCard(anchor) {
    var r = anchor.getBoundingClientRect();
    var pane = els.review.getBoundingClientRect();
    var card = els.card;
    var below = pane.bottom - r.bottom - 10, above = r.top - pane.top - 10;
    var room = Math.max(below, above, 80);
    card.style.maxHeight = room + "px";
    card.style.maxWidth = Math.min(380, pane.width - 16) + "px";
    var width = card.offsetWidth, height = Math.min(card.scrollHeight, room);
    var left = Math.max(pane.left + 8, Math.min(r.left, pane.right - width - 8));
    var top = (below >= height || below >= above) ? r.bottom + 6 : r.top - height - 6;
    top = Math.max(pane.top + 4, Math.min(top, pane.bottom - height - 4));
    card.style.left = window.scrollX + left + "px";
    card.style.top = window.scrollY + top + "px";
  }

  function showCard(x, anchor) {
    var id = placeOf(x);
    if (!id) return;
    cardFor = x;
    var card = els.card;
    while (card.firstChild) card.removeChild(card.firstChild);
    card.appendChild(el("div", "meta", "Looking up " + id + "…"));
    card.hidden = false;
    positionCard(anchor);
    fetchPlace(id).then(function (entry) {
      if (cardFor !== x) return;
      fillCard(entry, x);
      positionCard(anchor);
    }, function (e) {
      if (cardFor !== x) return;
      while (card.firstChild) card.removeChild(card.firstChild);
      card.appendChild(el("div", "meta", "Gazetteer lookup failed: " + e.message));
    });
  }

  function hideCard() { cardFor = null; els.card.hidden = true; }

  // -- events --------------------------------------------------------------------
  function findingFromEvent(ev) {
    var mark = ev.target.closest ? ev.target.closest("mark[data-fids]") : null;
    if (!mark) return null;
    var ids = mark.dataset.fids.split(" ").map(Number);
    return { mark: mark, ids: ids };
  }

  function bind() {
    els.input.addEventListener("paste", onPaste);
    els.input.addEventListener("input", onInput);
    els.check.addEventListener("click", startReview);
    els.clear.addEventListener("click", function () {
      S.raw = ""; els.input.value = ""; resetFile(); editorChanged(); els.input.focus();
    });
    els.file.addEventListener("change", function () {
      if (els.file.files && els.file.files[0]) openFile(els.file.files[0]);
      els.file.value = "";
    });
    els.editor.addEventListener("dragover", function (ev) { ev.preventDefault(); });
    els.editor.addEventListener("drop", function (ev) {
      if (ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0]) {
        ev.preventDefault();
        openFile(ev.dataTransfer.files[0]);
      }
    });
    els.edit.addEventListener("click", backToEditor);
    els.undo.addEventListener("click", undo);
    els.acceptSafe.addEventListener("click", acceptAllSafe);
    els.copy.addEventListener("click", copyText);
    els.download.addEventListener("click", downloadText);
    els.errorClose.addEventListener("click", clearError);
    els.lang.addEventListener("change", function () { fillStyles(); optionsChanged(); });
    [els.style, els.sourceLang].forEach(function (s) { s.addEventListener("change", optionsChanged); });
    [els.select, els.ignore].forEach(function (s) { s.addEventListener("change", optionsChanged); });
    els.options.addEventListener("submit", function (ev) { ev.preventDefault(); });

    els.text.addEventListener("click", function (ev) {
      var hit = findingFromEvent(ev);
      if (!hit) return;
      var i = S.findings.findIndex(function (x) { return x.id === hit.ids[0]; });
      if (i >= 0) setFocus(i, { scroll: false });
      var x = S.findings[i];
      if (x && placeOf(x)) showCard(x, hit.mark);
    });
    els.text.addEventListener("mouseover", function (ev) {
      var hit = findingFromEvent(ev);
      if (!hit) return;
      var x = hit.ids.map(function (id) { return S.findings[id]; }).find(placeOf);
      if (x && cardFor !== x) showCard(x, hit.mark);
    });
    els.text.addEventListener("mouseout", function (ev) {
      var hit = findingFromEvent(ev);
      if (hit && !(ev.relatedTarget && hit.mark.contains(ev.relatedTarget))) {
        var focused = current();
        if (!focused || marksOf(focused.id).indexOf(hit.mark) < 0) hideCard();
      }
    });
    els.groups.addEventListener("click", function (ev) {
      var li = ev.target.closest("li[data-fid]");
      if (!li) return;
      var id = +li.dataset.fid;
      var i = S.findings.findIndex(function (x) { return x.id === id; });
      if (i < 0) return;
      var button = ev.target.closest("button[data-act]");
      setFocus(i, { scroll: !button });
      if (button && button.dataset.act === "accept") accept(S.findings[i]);
      else if (button && button.dataset.act === "reject") reject(S.findings[i]);
    });

    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT" || t.isContentEditable);
      if (S.mode === "edit") {
        if (t === els.input && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); startReview(); }
        return;
      }
      if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "Escape") { hideCard(); return; }
      var handled = true;
      switch (ev.key) {
        case "j": case "ArrowDown": case "ArrowRight": move(1); break;
        case "k": case "ArrowUp": case "ArrowLeft": move(-1); break;
        case "a": accept(current()); break;
        case "r": reject(current()); break;
        case "A": acceptAllSafe(); break;
        case "u": undo(); break;
        default: handled = false;
      }
      if (handled) ev.preventDefault();
    });
    window.addEventListener("resize", hideCard);
    els.review.addEventListener("scroll", function () {
      var x = current();
      if (cardFor && x === cardFor) { var m = marksOf(x.id)[0]; if (m) positionCard(m); } else hideCard();
    });
  }

  async function optionsChanged() {
    if (S.mode !== "review" || S.busy) return;
    var x = current();
    await recheck(x ? x.start : 0);
    render();
    S.actions++;
  }

  bind();
  setMode("edit");
  editorChanged();
  loadOptions();
  // For tests and scripts: read-only views of the page's state.
  window.mtnormDesk = {
    text: function () { return S.text; },
    raw: function () { return S.raw; },
    findings: function () { return S.findings.map(function (x) { return x.f; }); },
    busy: function () { return S.busy; },
    actions: function () { return S.actions; },
    mode: function () { return S.mode; }
  };
})();

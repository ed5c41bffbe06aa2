/* mtnorm copy desk: text logic without the DOM (offsets, edits, segments).
 *
 * The API counts offsets in Unicode code points (Python strings); JavaScript
 * strings count UTF-16 code units, so every offset from the API goes through
 * codePointIndex() before it touches a JS string. Edits are chosen exactly as
 * the server's fixer chooses them (normalize/fixer.py: choose_edits), so
 * "accept all safe" gives the text that `mtnorm fix` gives.
 *
 * Loaded by the page as a plain script (window.MtnormText) and by Node for
 * the tests (module.exports).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.MtnormText = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* index[i] = UTF-16 offset of code point i of text; index[ncp] = text.length. */
  function codePointIndex(text) {
    var out = new Uint32Array(text.length + 1);
    var cp = 0;
    for (var i = 0; i < text.length; i++) {
      out[cp++] = i;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    out[cp] = text.length;
    return out.subarray(0, cp + 1);
  }

  function toUtf16(index, cp) {
    if (!(cp >= 0 && cp < index.length) || cp !== Math.floor(cp)) {
      throw new RangeError("offset " + cp + " is outside the text (" + (index.length - 1) + " code points)");
    }
    return index[cp];
  }

  /* Number of code points in text before UTF-16 offset u16. */
  function toCodePoint(text, u16) {
    var n = 0;
    for (var i = 0; i < u16 && i < text.length; i++) {
      n++;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < u16) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    return n;
  }

  /* Finding.edits() of normalize/findings.py, from the JSON form (code points). */
  function findingEdits(f) {
    if (f.replacement === null || f.replacement === undefined) return [];
    if (f.edits && f.edits.length) {
      return f.edits.map(function (e) { return { start: e.start, end: e.end, replacement: e.replacement }; });
    }
    var span = f.replaces || [f.start, f.end];
    return [{ start: span[0], end: span[1], replacement: f.replacement }];
  }

  /* A finding's span and edits in UTF-16 offsets of text (index from codePointIndex(text)). */
  function localize(index, f) {
    return {
      start: toUtf16(index, f.start),
      end: toUtf16(index, f.end),
      edits: findingEdits(f).map(function (e) {
        return { start: toUtf16(index, e.start), end: toUtf16(index, e.end), replacement: e.replacement };
      })
    };
  }

  function overlaps(a, b) {
    if (a.start === a.end && b.start === b.end) return a.start === b.start;
    return a.start < b.end && b.start < a.end;
  }

  function cmpPair(a0, a1, b0, b1) {
    return a0 !== b0 ? (a0 < b0 ? -1 : 1) : a1 !== b1 ? (a1 < b1 ? -1 : 1) : 0;
  }

  function bisectLeft(taken, lo, hi) {
    var a = 0, b = taken.length;
    while (a < b) {
      var m = (a + b) >> 1;
      if (cmpPair(taken[m][0], taken[m][1], lo, hi) < 0) a = m + 1; else b = m;
    }
    return a;
  }

  function clashes(taken, e) {
    var i = bisectLeft(taken, e.start, e.start);
    for (var j = i - 1; j <= i; j++) {
      if (j >= 0 && j < taken.length) {
        var lo = taken[j][0], hi = taken[j][1];
        if (overlaps(e, { start: lo, end: hi }) || (lo < e.end && e.start < hi)) return true;
      }
    }
    return false;
  }

  function selfOverlapping(edits) {
    for (var i = 0; i + 1 < edits.length; i++) {
      if (edits[i].end > edits[i + 1].start || overlaps(edits[i], edits[i + 1])) return true;
    }
    return false;
  }

  function cmpStr(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* choose_edits(findings, unsafe) of normalize/fixer.py on JSON findings (code points).
   * Returns [{edit, finding}] in text order. `allow(f)` says which findings may be
   * applied (default: the safe ones). The allowed findings of one `group` (a spelling
   * fixed at every place) are taken together or not at all, as the fixer does. */
  function chooseEdits(findings, allow) {
    allow = allow || function (f) { return f.fix === "safe"; };
    var candidates = [], byGroup = {};
    findings.forEach(function (f) {
      if (f.fix !== "none" && allow(f)) {
        var pairs = findingEdits(f).map(function (e) { return { edit: e, finding: f }; });
        if (!pairs.length) return;
        if (f.group && byGroup[f.group]) { byGroup[f.group].pairs = byGroup[f.group].pairs.concat(pairs); return; }
        var unit = { pairs: pairs };
        if (f.group) byGroup[f.group] = unit;
        candidates.push(unit);
      }
    });
    candidates.forEach(function (c) {
      c.pairs.sort(function (x, y) { return cmpPair(x.edit.start, x.edit.end, y.edit.start, y.edit.end); });
      c.edits = c.pairs.map(function (p) { return p.edit; });
      c.finding = c.pairs[0].finding;
    });
    candidates.sort(function (x, y) {
      var a = x.edits[0], b = y.edits[0];
      return (a.start - b.start) ||
        ((b.end - b.start) - (a.end - a.start)) ||
        ((x.finding.fix !== "safe") - (y.finding.fix !== "safe")) ||
        cmpStr(x.finding.rule, y.finding.rule);
    });
    var taken = [], chosen = [];
    candidates.forEach(function (c) {
      if (c.edits.some(function (e) { return clashes(taken, e); }) || selfOverlapping(c.edits)) return;
      c.pairs.forEach(function (p) {
        taken.splice(bisectLeft(taken, p.edit.start, p.edit.end), 0, [p.edit.start, p.edit.end]);
        chosen.push({ edit: p.edit, finding: p.finding });
      });
    });
    chosen.sort(function (x, y) { return cmpPair(x.edit.start, x.edit.end, y.edit.start, y.edit.end); });
    return chosen;
  }

  /* Apply non-overlapping edits (UTF-16 offsets) given in any order; returns the new text. */
  function applyEdits(text, edits) {
    var sorted = edits.slice().sort(function (a, b) { return cmpPair(a.start, a.end, b.start, b.end); });
    var parts = [], pos = 0;
    sorted.forEach(function (e) {
      if (e.start < pos || e.end < e.start || e.end > text.length) throw new RangeError("overlapping or bad edit");
      parts.push(text.slice(pos, e.start), e.replacement);
      pos = e.end;
    });
    parts.push(text.slice(pos));
    return parts.join("");
  }

  /* Maps offsets of the text before edits to offsets after them (outside the edits). */
  function shifter(edits) {
    var sorted = edits.slice().sort(function (a, b) { return cmpPair(a.start, a.end, b.start, b.end); });
    var starts = [], deltas = [], delta = 0;
    sorted.forEach(function (e) {
      delta += e.replacement.length - (e.end - e.start);
      starts.push(e.start);
      deltas.push(delta);
    });
    var fn = function (offset) {
      var a = 0, b = starts.length;
      while (a < b) { var m = (a + b) >> 1; if (starts[m] <= offset) a = m + 1; else b = m; }
      return offset + (a > 0 ? deltas[a - 1] : 0);
    };
    fn.touches = function (lo, hi) {
      return sorted.some(function (e) { return e.start <= hi && lo <= e.end; });
    };
    fn.edits = sorted;
    return fn;
  }

  /* One pass of "accept all safe": the edits (UTF-16) that fix_document's next pass
   * would apply, skipping findings for which skip(f) is true (rejected ones). */
  function safePass(text, findings, skip) {
    var index = codePointIndex(text);
    var chosen = chooseEdits(findings, function (f) { return f.fix === "safe" && !(skip && skip(f)); });
    return chosen.map(function (c) {
      return { start: toUtf16(index, c.edit.start), end: toUtf16(index, c.edit.end),
               replacement: c.edit.replacement, finding: c.finding };
    });
  }

  /* Cut text into runs for display. spans: [{start, end, id}] in UTF-16 offsets.
   * Returns [{text, ids}] covering the whole text in order (ids: spans covering the
   * run, shortest first); an empty span gives a run with text "" at its place. */
  function segments(text, spans) {
    var bounds = [0, text.length];
    spans.forEach(function (s) { bounds.push(s.start, s.end); });
    bounds.sort(function (a, b) { return a - b; });
    var uniq = [];
    bounds.forEach(function (b) { if (b >= 0 && b <= text.length && uniq[uniq.length - 1] !== b) uniq.push(b); });
    var byStart = spans.slice().sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    var next = 0, active = [], out = [];
    var order = function (a, b) { return (a.end - a.start) - (b.end - b.start) || a.start - b.start; };
    for (var k = 0; k < uniq.length; k++) {
      var at = uniq[k];
      active = active.filter(function (s) { return s.end > at; });
      var empties = [];
      while (next < byStart.length && byStart[next].start <= at) {
        var s = byStart[next++];
        if (s.start === s.end) empties.push(s);
        else if (s.end > at) active.push(s);
      }
      empties.forEach(function (s) { out.push({ text: "", ids: [s.id] }); });
      if (k + 1 < uniq.length) {
        var covering = active.slice().sort(order).map(function (s) { return s.id; });
        out.push({ text: text.slice(at, uniq[k + 1]), ids: covering });
      }
    }
    return out;
  }

  /* Lines break as \r\n, \r or \n in text; a textarea shows them all as \n. */
  function normalizeNewlines(text) {
    return text.indexOf("\r") < 0 ? text : text.replace(/\r\n?/g, "\n");
  }

  /* Offset in raw of the k-th character of normalizeNewlines(raw). */
  function rawOffset(raw, k) {
    if (raw.indexOf("\r") < 0) return k;
    var i = 0, n = 0;
    while (n < k && i < raw.length) {
      i += (raw.charCodeAt(i) === 13 && raw.charCodeAt(i + 1) === 10) ? 2 : 1;
      n++;
    }
    return i;
  }

  /* The raw text after a textarea showing normalizeNewlines(raw) now shows value:
   * what changed is spliced into raw, so line breaks elsewhere stay as they were. */
  function syncRaw(raw, value) {
    var old = normalizeNewlines(raw);
    if (old === value) return raw;
    if (raw.indexOf("\r") < 0) return value;
    var p = 0;
    while (p < old.length && p < value.length && old.charCodeAt(p) === value.charCodeAt(p)) p++;
    var s = 0;
    while (s < old.length - p && s < value.length - p &&
           old.charCodeAt(old.length - 1 - s) === value.charCodeAt(value.length - 1 - s)) s++;
    var left = raw.slice(0, rawOffset(raw, p)), rest = value.slice(p, value.length - s) +
        raw.slice(rawOffset(raw, old.length - s));
    var tries = [left + rest];
    // A lone \r (old Mac line break) followed now by a \n would read as one \r\n: that
    // one break becomes \n or, where that \n would pair with a lone \r before it, the new
    // break is written \r; the others stay as they are.
    if (left.charCodeAt(left.length - 1) === 13 && rest.charCodeAt(0) === 10) {
      tries = [left.slice(0, -1) + "\n" + rest, left + "\r" + rest.slice(1)];
    }
    for (var i = 0; i < tries.length; i++) {
      if (normalizeNewlines(tries[i]) === value) return tries[i];
    }
    return value;
  }

  /* raw with [selStart, selEnd) of its normalized form replaced by inserted (kept as is). */
  function spliceRaw(raw, selStart, selEnd, inserted) {
    return raw.slice(0, rawOffset(raw, selStart)) + inserted + raw.slice(rawOffset(raw, selEnd));
  }

  /* Bytes of a file -> {text, bom, encoding} as mtnorm reads files (document.py: decode). */
  function decodeBytes(bytes) {
    var boms = [
      [[0xef, 0xbb, 0xbf], "utf-8"], [[0xff, 0xfe, 0, 0], "utf-32le"], [[0, 0, 0xfe, 0xff], "utf-32be"],
      [[0xff, 0xfe], "utf-16le"], [[0xfe, 0xff], "utf-16be"]
    ];
    var bom = [], encoding = "utf-8";
    for (var i = 0; i < boms.length; i++) {
      var b = boms[i][0];
      if (bytes.length >= b.length && b.every(function (x, j) { return bytes[j] === x; })) {
        bom = b; encoding = boms[i][1]; break;
      }
    }
    if (encoding.indexOf("utf-32") === 0) throw new Error("UTF-32 files are not supported here; convert the file to UTF-8");
    var body = bytes.subarray(bom.length);
    if (encoding === "utf-8") {
      var probe = body.subarray(0, 65536);
      for (var k = 0; k < probe.length; k++) if (probe[k] === 0) throw new Error("binary file (contains NUL bytes), not text");
    }
    var text;
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
    } catch (e) {
      throw new Error("not valid " + encoding.toUpperCase() + " (convert the file to UTF-8, e.g. with iconv)");
    }
    return { text: text, bom: bom, encoding: encoding };
  }

  /* Text -> bytes in the file's encoding, BOM restored (UTF-8 unless read otherwise). */
  function encodeText(text, encoding, bom) {
    var head = bom || [];
    var body;
    if (encoding === "utf-16le" || encoding === "utf-16be") {
      body = new Uint8Array(text.length * 2);
      var le = encoding === "utf-16le";
      for (var i = 0; i < text.length; i++) {
        var c = text.charCodeAt(i);
        body[2 * i + (le ? 0 : 1)] = c & 0xff;
        body[2 * i + (le ? 1 : 0)] = c >> 8;
      }
    } else {
      body = new TextEncoder().encode(text);
    }
    var out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
  }

  return {
    codePointIndex: codePointIndex, toUtf16: toUtf16, toCodePoint: toCodePoint,
    findingEdits: findingEdits, localize: localize, chooseEdits: chooseEdits,
    applyEdits: applyEdits, shifter: shifter, safePass: safePass, segments: segments,
    normalizeNewlines: normalizeNewlines, rawOffset: rawOffset, syncRaw: syncRaw,
    spliceRaw: spliceRaw, decodeBytes: decodeBytes, encodeText: encodeText
  };
});

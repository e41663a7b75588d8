/* mtaudit HTML report: sorting, filters, tooltips. Inlined by mtaudit/report_html.py.
   The page is readable without it; it never builds HTML from strings (no innerHTML). */
(function () {
  "use strict";
  var doc = document;
  var tip = doc.getElementById("tip");

  /* ---------- sortable batch table ---------- */
  var table = doc.getElementById("batch");
  if (table) {
    var tbody = table.tBodies[0];
    table.tHead.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button[data-col]");
      if (!btn) return;
      var th = btn.parentElement;
      var col = +btn.dataset.col;
      var numeric = btn.dataset.type === "num";
      var dir = th.getAttribute("aria-sort") === "descending" ? "ascending"
        : th.getAttribute("aria-sort") === "ascending" ? "descending"
        : (numeric ? "descending" : "ascending");
      table.tHead.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      var rows = Array.prototype.slice.call(tbody.rows);
      var keyed = rows.map(function (r, i) {
        var c = r.cells[col];
        var v = c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent;
        if (numeric) v = v === "" ? null : parseFloat(v);
        return { r: r, v: v, i: +r.dataset.i };
      });
      keyed.sort(function (a, b) {
        if (a.v === null || b.v === null) {
          if (a.v === b.v) return a.i - b.i;
          return a.v === null ? 1 : -1;           /* missing values last, either direction */
        }
        var d = numeric ? a.v - b.v : String(a.v).localeCompare(String(b.v), "fr");
        return d ? sign * d : a.i - b.i;
      });
      var frag = doc.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k.r); });
      tbody.appendChild(frag);
    });
  }

  /* ---------- filters: category, severity, verdict ---------- */
  var filters = doc.getElementById("filters");
  function checkedSet(name) {
    var s = {};
    filters.querySelectorAll("input[data-" + name + "]").forEach(function (i) {
      if (!i.checked) s[i.getAttribute("data-" + name)] = true;
    });
    return s;
  }
  function applyFilters() {
    if (!filters) return;
    var hk = checkedSet("k"), hs = checkedSet("s"), hv = checkedSet("v");
    doc.querySelectorAll("mark.f").forEach(function (m) {
      var off = hk[m.dataset.k] || hs[m.dataset.s];
      m.classList.toggle("off", !!off);
      if (m.id) m.tabIndex = off ? -1 : 0;
    });
    doc.querySelectorAll("ol.fl > li").forEach(function (li) {
      li.hidden = !!(hk[li.dataset.k] || hs[li.dataset.s]);
    });
    doc.querySelectorAll("[data-verdict]").forEach(function (el) {
      el.hidden = !!hv[el.dataset.verdict];
    });
    doc.querySelectorAll("details.art").forEach(function (d) {
      var n = d.querySelectorAll("ol.fl > li:not([hidden])").length;
      var out = d.querySelector(".shown");
      if (out) out.textContent = String(n);
    });
  }
  if (filters) {
    filters.addEventListener("change", applyFilters);
    filters.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-act]");
      if (!b) return;
      var open = b.dataset.act === "expand";
      doc.querySelectorAll("details.art:not([hidden])").forEach(function (d) { d.open = open; });
    });
  }

  /* ---------- tooltips on hover and keyboard focus ---------- */
  function marksAt(m) {
    var out = [];
    for (var e = m; e && e.nodeType === 1; e = e.parentElement) {
      if (e.matches("mark.f") && !e.classList.contains("off")) out.push(e);
    }
    return out;
  }
  function showTip(m) {
    var marks = marksAt(m);
    if (!marks.length) { hideTip(); return; }
    var parts = [];
    marks.forEach(function (x) {
      var li = doc.getElementById(x.dataset.f);
      if (!li) return;
      var box = doc.createElement("div");
      box.className = "tf";
      Array.prototype.forEach.call(li.childNodes, function (n) {
        if (!(n.nodeType === 1 && n.classList.contains("loc"))) box.appendChild(n.cloneNode(true));
      });
      parts.push(box);
    });
    tip.replaceChildren.apply(tip, parts);
    tip.hidden = false;
    var r = m.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = Math.max(4, Math.min(r.left, window.innerWidth - w - 8));
    var y = r.bottom + 6;
    if (y + h > window.innerHeight - 4) y = Math.max(4, r.top - h - 6);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { if (tip) tip.hidden = true; }
  if (tip) {
    doc.addEventListener("mouseover", function (ev) {
      var m = ev.target.closest && ev.target.closest("mark.f");
      if (m) showTip(m);
    });
    doc.addEventListener("mouseout", function (ev) {
      var m = ev.target.closest && ev.target.closest("mark.f");
      var to = ev.relatedTarget && ev.relatedTarget.closest && ev.relatedTarget.closest("mark.f");
      if (m && !to) hideTip();
    });
    doc.addEventListener("focusin", function (ev) {
      if (ev.target.matches && ev.target.matches("mark.f")) showTip(ev.target); else hideTip();
    });
    doc.addEventListener("focusout", function (ev) {
      if (ev.target.matches && ev.target.matches("mark.f")) hideTip();
    });
    doc.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hideTip(); });
    window.addEventListener("scroll", hideTip, { passive: true });
  }

  /* ---------- links into articles open them ---------- */
  function reveal(hash) {
    if (!hash || hash.length < 2) return;
    var el = doc.getElementById(decodeURIComponent(hash.slice(1)));
    if (!el) return;
    for (var p = el; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    el.scrollIntoView({ block: el.tagName === "DETAILS" ? "start" : "center" });
    if (el.tagName === "MARK") el.focus({ preventScroll: true });
  }
  doc.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href^='#']");
    if (!a) return;
    var h = a.getAttribute("href");
    if (h.length > 1) {
      ev.preventDefault();
      try { history.replaceState(null, "", h); } catch (e) { /* file: URLs in some browsers */ }
      reveal(h);
    }
  });
  window.addEventListener("hashchange", function () { reveal(location.hash); });
  reveal(location.hash);
  applyFilters();
  doc.documentElement.classList.add("js");
})();

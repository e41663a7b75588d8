"""The HTML report: one self-contained page for a batch of scorecards.

``render_html(cards, errors, signature)`` returns the page as a string. Everything is inline
(CSS and JS from ``mtaudit/data/report.css`` and ``report.js``, the chart as SVG), so the file
reads offline and can be attached to a ticket. A Content-Security-Policy forbids every network
request and lets only the page's own script run (by its hash), so even a mistake in escaping
could not run a script that came with an article.

The page holds:

- the batch: an SVG chart of the translated-from-English likelihoods and a sortable table
  (verdict, likelihood, fluency, counts by severity and by category);
- filters by category, severity and verdict;
- one collapsible article view per scorecard: the text as read, line by line, each finding
  highlighted on its exact span (overlapping findings nest; a finding that crosses another is
  split into pieces), coloured by category, underlined by severity, with rule, message and
  suggestion on hover and keyboard focus; excluded lines greyed with their reason; per-sentence
  fluency as a margin strip when the language model ran; the list of findings; the signature.

Article views are rendered by Python (all text escaped here, the script never builds HTML from
strings) inside ``<details>`` elements that stay closed on large batches, so the browser parses
them but neither styles nor lays them out until opened.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import heapq
import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mtaudit import __version__
from mtaudit.core.categories import categories, report_order
from mtaudit.core.findings import Severity
from mtaudit.core.resources import data_path
from mtaudit.core.scorecard import FAIL, SKIPPED, VERDICT_ORDER, VERDICT_STYLES, WARN
from mtaudit.core.signature import Signature

SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))  # worst first
VERDICT_COLOURS = {v: s.colour for v, s in VERDICT_STYLES.items()}
# (background, strong) per category come from mtaudit/data/categories.tsv; categories not
# in that table cycle through EXTRA_COLOURS
EXTRA_COLOURS = (("#d8f0ff", "#0b6fa4"), ("#f3e0d0", "#8a4b16"), ("#e0f3d2", "#3f7f1a"))
# the page may load nothing: no network, no frames; scripts only by hash
_CSP = (
    "default-src 'none'; script-src '{script}'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
# open the article views on small batches; on larger ones they stay collapsed
OPEN_UP_TO = 10


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    css = data_path("report.css").read_text(encoding="utf-8")
    js = data_path("report.js").read_text(encoding="utf-8")
    # neither may close its element early (they are our files, but be sure)
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("report.css / report.js must not contain a closing tag")
    return css, js


def _sev(f) -> str:
    s = getattr(f.severity, "value", f.severity)
    s = str(s).lower()
    return s if s in SEVERITIES else "info"


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def _fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


# ---------------------------------------------------------------------------- highlights
@dataclass
class _Node:
    start: int
    end: int
    fid: int
    first: bool
    children: list[_Node] = field(default_factory=list)


def nest_spans(spans: Iterable[tuple[int, int, int, bool]]) -> list[_Node]:
    """Arrange (start, end, finding id, is-first-piece) spans into a tree of nested pieces.

    A span inside another becomes its child. A span that crosses the end of an enclosing one
    is split there: the piece inside is a child, the rest starts again after it. So every
    character of every finding is covered by a piece of that finding, and the pieces of one
    line always nest, which HTML needs.
    """
    heap: list[tuple[int, int, int, int, int, bool]] = []
    seq = 0
    for s, e, fid, first in spans:
        if e > s:
            heap.append((s, -e, seq, fid, e, first))
            seq += 1
    heapq.heapify(heap)
    roots: list[_Node] = []
    stack: list[_Node] = []
    while heap:
        s, _neg, _seq, fid, e, first = heapq.heappop(heap)
        while stack and stack[-1].end <= s:
            stack.pop()
        if stack and e > stack[-1].end:
            cut = stack[-1].end
            heapq.heappush(heap, (cut, -e, seq, fid, e, False))
            seq += 1
            e = cut
        node = _Node(s, e, fid, first)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


class _Ctx:
    """Per-page state: category classes (k0, k1, ...) in a fixed order."""

    def __init__(self, categories: Sequence[str]):
        self.cats = list(categories)
        self.kidx = {c: i for i, c in enumerate(self.cats)}

    def k(self, category: str) -> int:
        return self.kidx.get(category, 0)

    def colours(self, category: str) -> tuple[str, str]:
        known = categories()
        if category in known:
            return known[category].background, known[category].colour
        extra = [c for c in self.cats if c not in known]
        i = extra.index(category) if category in extra else 0
        return EXTRA_COLOURS[i % len(EXTRA_COLOURS)]


def _emit(text: str, lo: int, hi: int, nodes: list[_Node], marks: dict[int, str], aid: str) -> str:
    """Escaped text[lo:hi] with the pieces of ``nodes`` as nested <mark> elements.

    The first piece of a finding carries its id, is focusable and points to the finding's
    entry in the list (rule, message, suggestion); further pieces are class "cont".
    """
    out = []
    pos = lo
    for n in nodes:
        out.append(_e(text[pos : n.start]))
        tag = marks[n.fid]
        if n.first:
            out.append(
                tag.replace(
                    "<mark ",
                    f'<mark id="{aid}-m{n.fid}" tabindex="0" aria-describedby="{aid}-f{n.fid}" ',
                    1,
                )
            )
        else:
            out.append(tag.replace('class="f ', 'class="f cont ', 1))
        out.append(_emit(text, n.start, n.end, n.children, marks, aid))
        out.append("</mark>")
        pos = n.end
    out.append(_e(text[pos:hi]))
    return "".join(out)


def _sentence_data(card) -> list[tuple[int, int, float | None, float | None]]:
    """(start, end, fluency, perplexity) of the scorecard's sentences, by position."""
    return sorted(
        (s.start, s.end, _num(s.score), _num(s.perplexity)) for s in card.sentences if s.end > s.start
    )


def _fluency_bucket(score: float | None) -> str:
    """q0 (fluent, barely visible) … q4 (very poor), on the 0–100 fluency scale (the
    percentile among French originals of the same length: q4 is their least fluent 5%)."""
    if score is None:
        return "q0"
    if score >= 35:
        return "q0"
    if score >= 25:
        return "q1"
    if score >= 15:
        return "q2"
    if score >= 5:
        return "q3"
    return "q4"


def _strip(text: str, ls: int, le: int, sents) -> str:
    """The fluency margin cell of one line: one bar per sentence, as tall as its share."""
    if not sents:
        return ""
    i = bisect.bisect_left(sents, (ls,)) - 1
    i = max(i, 0)
    parts = []
    while i < len(sents) and sents[i][0] < le:
        s, e, score, ppl = sents[i]
        i += 1
        a, b = max(s, ls), min(e, le)
        if b <= a:
            continue
        snippet = " ".join(text[s:e].split())
        if len(snippet) > 90:
            snippet = snippet[:89] + "…"
        label = (
            f"fluency {_fmt(score, 0)}"
            + (f", perplexity {ppl:.1f}" if ppl is not None else "")
            + f": {snippet}"
        )
        parts.append(
            f'<span class="{_fluency_bucket(score)}" style="flex:{b - a}" title="{_e(label)}"></span>'
        )
    return '<span class="fs" aria-hidden="true">' + "".join(parts) + "</span>" if parts else ""


def _finding_li(aid: str, fid: int, f, ctx: _Ctx, valid: bool) -> str:
    k = ctx.k(f.category)
    sev = _sev(f)
    loc = (
        f'<a class="loc" href="#{aid}-m{fid}">{f.line}:{f.column}</a> '
        if valid
        else '<span class="loc">(no span)</span> '
    )
    sugg = f' <span class="sugg">{_e(f.suggestion)}</span>' if f.suggestion else ""
    return (
        f'<li id="{aid}-f{fid}" data-k="{k}" data-s="{sev}">{loc}'
        f'<span class="rule">{_e(f.rule)}</span> <span class="sev s-{sev}">{sev}</span> '
        f'<span class="cat k{k}">{_e(f.category)}</span> '
        f'«<span class="ftext">{_e(f.text)}</span>» '
        f'<span class="msg">{_e(f.message)}</span>{sugg}</li>'
    )


def render_article(card, n: int, ctx: _Ctx, batch_signature: Signature | str, open_: bool) -> str:
    aid = f"a{n}"
    text = card.text
    findings = list(card.findings)
    valid = [text is not None and 0 <= f.start < f.end <= len(text) for f in findings]
    verdict = card.verdict if card.verdict in VERDICT_COLOURS else SKIPPED
    major = card.major_or_worse
    s = card.scores or {}
    lik, flu = _num(s.get("translated_from_english")), _num(s.get("fluency"))
    out = [
        f'<details class="art" id="{aid}" data-verdict="{verdict}"{" open" if open_ else ""}>',
        f'<summary><span class="verdict v-{verdict}">{_e(verdict)}</span> <span class="src">{_e(card.source)}</span> '
        f'<span class="muted small">· {len(findings)} finding{"s" if len(findings) != 1 else ""}'
        f' (<span class="shown">{len(findings)}</span> shown), {major} major or worse'
        f"{f' · from English {lik:.2f}' if lik is not None else ''}</span></summary>",
        '<div class="art-body">',
    ]
    bits = [f"<b>{_e(s.get('words', '–'))}</b> words", f"language <b>{_e(card.language)}</b>"]
    if lik is not None:
        bits.append(f"translated from English <b>{lik:.2f}</b>")
    if flu is not None:
        bits.append(f"fluency <b>{flu:.0f}</b>/100")
    for key in ("major_per_1k", "findings_per_1k"):
        v = _num(s.get(key))
        if v is not None:
            bits.append(
                f"{key.replace('_per_1k', '').replace('findings', 'all findings')} per 1,000 words <b>{v:g}</b>"
            )
    out.append('<p class="scores small">' + " · ".join(bits) + "</p>")
    if card.reasons:
        out.append(
            '<ul class="reasons">' + "".join(f"<li>{_e(r)}</li>" for r in card.reasons) + "</ul>"
        )
    if card.notes:  # what a check says about its scores (FL601 without a calibration)
        out.append(
            '<ul class="reasons notes">'
            + "".join(f'<li class="muted">note: {_e(note)}</li>' for note in card.notes)
            + "</ul>"
        )

    if text is None:
        out.append('<p class="muted">The text of this article is not in the scorecard.</p>')
    else:
        marks = {}
        for fid, f in enumerate(findings):
            if valid[fid]:
                marks[fid] = (
                    f'<mark class="f k{ctx.k(f.category)} s-{_sev(f)}" data-f="{aid}-f{fid}" data-k="{ctx.k(f.category)}" data-s="{_sev(f)}">'
                )
        excluded = {}
        for ex in card.excluded or []:
            excluded[ex.line] = ex
        sents = _sentence_data(card)
        spans = sorted((f.start, f.end, fid) for fid, f in enumerate(findings) if valid[fid])
        starts = [sp[0] for sp in spans]
        rows = ['<div class="txt" lang="fr">']
        pos = 0
        lineno = 0
        lines = text.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # the final line end does not open a line
        active: list[tuple[int, int, int]] = []  # spans that may reach the current line
        j = 0
        for lineno, line in enumerate(lines, 1):
            ls, le = pos, pos + len(line)
            pos = le + 1
            while j < len(spans) and starts[j] < le:
                active.append(spans[j])
                j += 1
            active = [sp for sp in active if sp[1] > ls]
            pieces = []
            for fs, fe, fid in active:
                a, b = max(fs, ls), min(fe, le)
                if b > a:
                    pieces.append((a, b, fid, a == fs))
            body = _emit(text, ls, le, nest_spans(pieces), marks, aid) if pieces else _e(line)
            ex = excluded.get(lineno)
            if ex is not None:
                why = f"{ex.kind}: {ex.reason}"
                rows.append(
                    f'<div class="ln ex" data-why="{_e(why)}" title="excluded ({_e(why)})">{body}</div>'
                )
            elif not line.strip():
                rows.append(f'<div class="ln bl">{body}</div>')
            else:
                rows.append(f'<div class="ln">{_strip(text, ls, le, sents)}{body}</div>')
        rows.append("</div>")
        out.append("".join(rows))

    if findings:
        items = []
        order = sorted(
            range(len(findings)),
            key=lambda i: (not valid[i], findings[i].start, findings[i].end, findings[i].rule),
        )
        for fid in order:
            items.append(_finding_li(aid, fid, findings[fid], ctx, valid[fid]))
        out.append('<ol class="fl">' + "".join(items) + "</ol>")
    else:
        out.append('<p class="muted small">No finding.</p>')
    if card.excluded:
        out.append(
            f'<p class="muted small">{len(card.excluded)} line{"s" if len(card.excluded) != 1 else ""} set aside (greyed above, with the reason).</p>'
        )
    sig = str(card.signature or batch_signature)
    if sig == str(batch_signature):  # the usual case: say so briefly, the page's foot holds it
        out.append(
            '<p class="artsig">signature: as at the <a href="#signature">foot of the page</a></p>'
        )
    else:
        out.append(f'<p class="artsig">signature: <code>{_e(sig)}</code></p>')
    out.append("</div></details>")
    return "\n".join(out)


# ---------------------------------------------------------------------------- batch
def _thresholds(cards: Sequence, signature: Signature | str) -> dict[str, float]:
    """The verdict thresholds of the batch: the scorecards' (all share the configuration),
    else the signature object's; never read back from the signature string."""
    for c in cards:
        if c.thresholds:
            return dict(c.thresholds)
    if isinstance(signature, Signature):
        return dict(signature.thresholds)
    return {}


def render_chart(cards: Sequence, signature: Signature | str) -> str:
    """SVG of the likelihoods: one dot per article on small batches, stacked bars on large."""
    pts = [
        (i, _num((c.scores or {}).get("translated_from_english")), c) for i, c in enumerate(cards)
    ]
    pts = [(i, min(max(v, 0.0), 1.0), c) for i, v, c in pts if v is not None]
    if not pts:
        return '<p class="muted small" id="chart-none">No translated-from-English likelihood in this batch (the scorer did not run).</p>'
    W, H, L, R, T, B = 640, 170, 34, 12, 14, 30
    pw, ph = W - L - R, H - T - B
    bins = 20
    counts: list[Counter] = [Counter() for _ in range(bins)]
    for _i, v, c in pts:
        b = min(int(v * bins), bins - 1)
        counts[b][c.verdict if c.verdict in VERDICT_COLOURS else SKIPPED] += 1
    tallest = max(sum(c.values()) for c in counts)
    bw = pw / bins
    svg = [
        f'<svg class="lik" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">Translated-from-English likelihood of {len(pts)} article{"s" if len(pts) != 1 else ""}</title>',
    ]
    small = len(pts) <= 60 and tallest <= 12
    if small:
        r = min(bw / 2 - 1, ph / (2 * tallest) - 0.5, 9)
        stack: Counter = Counter()
        for i, v, c in sorted(pts, key=lambda p: (p[1], p[0])):
            b = min(int(v * bins), bins - 1)
            cx = L + (b + 0.5) * bw
            cy = T + ph - r - 1 - stack[b] * (2 * r + 1)
            stack[b] += 1
            col = VERDICT_COLOURS.get(c.verdict, VERDICT_COLOURS[SKIPPED])
            svg.append(
                f'<a href="#a{i}"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{col}" fill-opacity=".85">'
                f"<title>{_e(c.source)}: {v:.2f} ({_e(c.verdict)})</title></circle></a>"
            )
    else:
        for b, cnt in enumerate(counts):
            y = T + ph
            total = sum(cnt.values())
            if not total:
                continue
            tip = (
                f"{b / bins:.2f}–{(b + 1) / bins:.2f}: {total} article{'s' if total != 1 else ''} ("
                + ", ".join(f"{v} {cnt[v]}" for v in VERDICT_ORDER if cnt[v])
                + ")"
            )
            for v in VERDICT_ORDER:
                if not cnt[v]:
                    continue
                h = ph * cnt[v] / tallest
                y -= h
                svg.append(
                    f'<rect x="{L + b * bw + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{VERDICT_COLOURS[v]}"><title>{_e(tip)}</title></rect>'
                )
        svg.append(f'<text x="{L - 4}" y="{T + 4}" text-anchor="end">{tallest}</text>')
    # axes, ticks, thresholds
    svg.append(f'<line class="axis" x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T + ph}"/>')
    for t in (0, 0.25, 0.5, 0.75, 1):
        x = L + t * pw
        svg.append(
            f'<line class="axis" x1="{x:.1f}" y1="{T + ph}" x2="{x:.1f}" y2="{T + ph + 4}"/>'
        )
        svg.append(f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle">{t:g}</text>')
    thr = _thresholds(cards, signature)
    for key, label, col in (
        ("warn_likelihood", WARN, VERDICT_COLOURS[WARN]),
        ("fail_likelihood", FAIL, VERDICT_COLOURS[FAIL]),
    ):
        if key in thr and 0 <= thr[key] <= 1:
            x = L + thr[key] * pw
            svg.append(
                f'<line class="thr" x1="{x:.1f}" y1="{T - 4}" x2="{x:.1f}" y2="{T + ph}" stroke="{col}"/>'
            )
            svg.append(
                f'<text x="{x + 3:.1f}" y="{T + 4}" fill="{col}">{label} {thr[key]:g}</text>'
            )
    svg.append(
        f'<text x="{L + pw / 2:.1f}" y="{H - 2}" text-anchor="middle">likelihood of translation from English</text>'
    )
    svg.append("</svg>")
    legend = " ".join(
        f'<span class="sw" style="background:{VERDICT_COLOURS[v]};border-color:{VERDICT_COLOURS[v]}"></span> {v}'
        for v in VERDICT_ORDER
        if any(c.verdict == v for _i, _v, c in pts)
    )
    return (
        '<figure class="chart">'
        + "".join(svg)
        + f"<figcaption>{len(pts)} of {len(cards)} articles have a likelihood"
        f"{' (one dot per article; click to open it)' if small else ''}. {legend}</figcaption></figure>"
    )


def _common_dir(sources: Sequence[str]) -> str:
    """The directory prefix all sources share ("" for one source or none), to shorten the table."""
    if len(sources) < 2:
        return ""
    pre = sources[0]
    for s in sources[1:]:
        i = 0
        while i < min(len(pre), len(s)) and pre[i] == s[i]:
            i += 1
        pre = pre[:i]
    return pre[: pre.rfind("/") + 1]


def render_table(cards: Sequence, ctx: _Ctx) -> str:
    prefix = _common_dir([c.source for c in cards])
    cols = [
        ("#", "num", "n"),
        ("article", "text", "t"),
        ("verdict", "text", "t"),
        ("from EN", "num", ""),
        ("fluency", "num", ""),
        ("words", "num", ""),
        ("critical", "num", ""),
        ("major", "num", ""),
        ("minor", "num", ""),
        ("info", "num", ""),
    ] + [(c, "num", "cat") for c in ctx.cats]
    head = []
    for i, (name, typ, cls) in enumerate(cols):
        label = _e(name)
        if cls == "cat":
            bg, fg = ctx.colours(name)
            label = f'<span class="sw" style="background:{bg};border-color:{fg}"></span> {label}'
        tclass = ' class="t"' if cls == "t" else (' class="c"' if cls == "cat" else "")
        head.append(
            f'<th scope="col"{tclass}><button type="button" data-col="{i}" data-type="{typ}">{label}</button></th>'
        )
    vrank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    body = []
    for n, c in enumerate(cards):
        s = c.scores or {}
        lik, flu = _num(s.get("translated_from_english")), _num(s.get("fluency"))
        words = _num(s.get("words"))
        cnt = c.counts
        sev, cat = cnt["severity"], cnt["category"]
        verdict = c.verdict if c.verdict in VERDICT_COLOURS else SKIPPED

        def numcell(v, digits=0):
            if v is None:
                return '<td data-v="">–</td>'
            z = ' class="zero"' if v == 0 else ""
            return f'<td data-v="{v:g}"{z}>{v:.{digits}f}</td>'

        cells = (
            [
                f'<td data-v="{n + 1}">{n + 1}</td>',
                f'<td class="t src" title="{_e(c.source)}"><a href="#a{n}">{_e(c.source[len(prefix) :])}</a></td>',
                f'<td class="t" data-v="{vrank.get(verdict, 9)}"><span class="verdict v-{verdict}">{_e(verdict)}</span></td>',
                numcell(lik, 2),
                numcell(flu, 0),
                numcell(words, 0),
            ]
            + [numcell(sev.get(k, 0)) for k in SEVERITIES]
            + [numcell(cat.get(k, 0)) for k in ctx.cats]
        )
        body.append(f'<tr data-i="{n}" data-verdict="{verdict}">' + "".join(cells) + "</tr>")
    return (
        '<div class="tablewrap"><table class="batch-table" id="batch"><caption class="muted small" style="caption-side:bottom;text-align:left;padding:.3em">'
        + (f"Articles under <code>{_e(prefix)}</code>. " if prefix else "")
        + "Click a column heading to sort; click an article to open it.</caption>"
        "<thead><tr>"
        + "".join(head)
        + "</tr></thead><tbody>"
        + "\n".join(body)
        + "</tbody></table></div>"
    )


def render_filters(cards: Sequence, ctx: _Ctx) -> str:
    cat_n: Counter = Counter()
    sev_n: Counter = Counter()
    for c in cards:
        for f in c.findings:
            cat_n[f.category] += 1
            sev_n[_sev(f)] += 1
    ver_n = Counter(c.verdict if c.verdict in VERDICT_COLOURS else SKIPPED for c in cards)
    cats = []
    for cat in ctx.cats:
        bg, fg = ctx.colours(cat)
        cats.append(
            f'<label><input type="checkbox" data-k="{ctx.k(cat)}" checked> '
            f'<span class="sw" style="background:{bg};border-color:{fg}"></span> {_e(cat)} <span class="muted">{cat_n[cat]}</span></label>'
        )
    sevs = [
        f'<label><input type="checkbox" data-s="{s}" checked> <span class="sev s-{s}">{s}</span> <span class="muted">{sev_n[s]}</span></label>'
        for s in SEVERITIES
    ]
    vers = [
        f'<label><input type="checkbox" data-v="{v}" checked> <span class="verdict v-{v}">{v}</span> <span class="muted">{ver_n[v]}</span></label>'
        for v in VERDICT_ORDER
        if ver_n[v]
    ]
    return (
        '<form class="filters" id="filters" aria-label="Filters">'
        '<fieldset id="f-cat"><legend>Category</legend>' + "".join(cats) + "</fieldset>"
        '<fieldset id="f-sev"><legend>Severity</legend>' + "".join(sevs) + "</fieldset>"
        '<fieldset id="f-ver"><legend>Verdict</legend>' + "".join(vers) + "</fieldset>"
        '<span><button type="button" data-act="expand">open all</button> <button type="button" data-act="collapse">close all</button></span>'
        "</form>"
    )


def _category_css(ctx: _Ctx) -> str:
    rules = []
    for cat in ctx.cats:
        bg, fg = ctx.colours(cat)
        k = ctx.k(cat)
        rules.append(
            f"mark.f.k{k}{{background:{bg};border-bottom-color:{fg}}}.cat.k{k}{{background:{bg};color:{fg}}}"
        )
    return "\n".join(rules)


def render_html(cards: Sequence, errors: Sequence, signature: Signature | str) -> str:
    """The report page for a batch, as a string (UTF-8 when written)."""
    cards = list(cards)
    errors = list(errors)
    seen = set()
    for c in cards:
        for f in c.findings:
            seen.add(f.category)
    ctx = _Ctx(report_order(seen))
    css, js = _assets()
    js_hash = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    verdicts = Counter(c.verdict for c in cards)
    n_find = sum(len(c.findings) for c in cards)
    summary = ", ".join(
        f'<span class="verdict v-{v}">{verdicts[v]} {v}</span>'
        for v in VERDICT_ORDER
        if verdicts[v]
    )
    title = "mtaudit report" + (
        f": {cards[0].source}" if len(cards) == 1 else f": {len(cards)} articles"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP.format(script="sha256-" + js_hash)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="mtaudit {_e(__version__)}">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{css}\n{_category_css(ctx)}\n</style>",
        "</head><body>",
        '<header class="top"><h1>mtaudit report</h1>',
        f'<p class="summary-line">{len(cards)} article{"s" if len(cards) != 1 else ""} audited: {summary or "none"}'
        f" · {n_find} finding{'s' if n_find != 1 else ''}"
        + (
            f' · <a href="#errors">{len(errors)} input error{"s" if len(errors) != 1 else ""}</a>'
            if errors
            else ""
        )
        + "</p></header>",
        "<main>",
        '<section class="batch" aria-label="Batch summary"><h2>Batch</h2>',
        render_chart(cards, signature),
        render_table(cards, ctx),
        "</section>",
    ]
    if errors:
        parts.append(
            '<section class="errors" id="errors"><h2>Inputs that could not be read</h2><ul>'
        )
        parts.extend(f"<li>{_e(e.source)}: {_e(e.message)}</li>" for e in errors)
        parts.append("</ul></section>")
    parts.append(render_filters(cards, ctx))
    parts.append('<section class="articles" aria-label="Articles"><h2>Articles</h2>')
    open_ = len(cards) <= OPEN_UP_TO
    for n, c in enumerate(cards):
        parts.append(render_article(c, n, ctx, signature, open_))
    parts.append("</section></main>")
    parts.append(
        f'<footer class="sig">Produced by mtaudit {_e(__version__)} · signature: <code id="signature">{_e(str(signature))}</code></footer>'
    )
    parts.append('<div id="tip" role="tooltip" hidden></div>')
    parts.append(f"<script>{js}</script>")
    parts.append("</body></html>\n")
    page = "\n".join(parts)
    try:
        page.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a hand-made text: keep the page writable
        page = page.encode("utf-8", "replace").decode("utf-8")
    return page

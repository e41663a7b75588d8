"""The batch part of the HTML report: the likelihood chart (SVG), the sortable table and
the filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mtaudit.core.scorecard import FAIL, SKIPPED, VERDICT_ORDER, WARN
from mtaudit.core.signature import Signature
from mtaudit.report.html.common import SEVERITIES, VERDICT_COLOURS, PageContext, esc, number


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
        (i, number((c.scores or {}).get("translated_from_english")), c) for i, c in enumerate(cards)
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
                f"<title>{esc(c.source)}: {v:.2f} ({esc(c.verdict)})</title></circle></a>"
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
                    f'<rect x="{L + b * bw + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{VERDICT_COLOURS[v]}"><title>{esc(tip)}</title></rect>'
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


def render_table(cards: Sequence, ctx: PageContext) -> str:
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
        label = esc(name)
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
        lik, flu = number(s.get("translated_from_english")), number(s.get("fluency"))
        words = number(s.get("words"))
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
                f'<td class="t src" title="{esc(c.source)}"><a href="#a{n}">{esc(c.source[len(prefix) :])}</a></td>',
                f'<td class="t" data-v="{vrank.get(verdict, 9)}"><span class="verdict v-{verdict}">{esc(verdict)}</span></td>',
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
        + (f"Articles under <code>{esc(prefix)}</code>. " if prefix else "")
        + "Click a column heading to sort; click an article to open it.</caption>"
        "<thead><tr>"
        + "".join(head)
        + "</tr></thead><tbody>"
        + "\n".join(body)
        + "</tbody></table></div>"
    )


def render_filters(cards: Sequence, ctx: PageContext) -> str:
    cat_n: Counter = Counter()
    sev_n: Counter = Counter()
    for c in cards:  # the scorecards' own counts, not a recount of their findings
        cat_n.update(c.counts["category"])
        sev_n.update(c.counts["severity"])
    ver_n = Counter(c.verdict if c.verdict in VERDICT_COLOURS else SKIPPED for c in cards)
    cats = []
    for cat in ctx.cats:
        bg, fg = ctx.colours(cat)
        cats.append(
            f'<label><input type="checkbox" data-k="{ctx.k(cat)}" checked> '
            f'<span class="sw" style="background:{bg};border-color:{fg}"></span> {esc(cat)} <span class="muted">{cat_n[cat]}</span></label>'
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


def category_css(ctx: PageContext) -> str:
    rules = []
    for cat in ctx.cats:
        bg, fg = ctx.colours(cat)
        k = ctx.k(cat)
        rules.append(
            f"mark.f.k{k}{{background:{bg};border-bottom-color:{fg}}}.cat.k{k}{{background:{bg};color:{fg}}}"
        )
    return "\n".join(rules)

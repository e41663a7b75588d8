"""One article's view in the HTML report: the text line by line with each finding
highlighted on its exact span (overlapping findings nest), excluded lines greyed, the fluency
margin strip, the list of findings and the signature."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from mtaudit.core.scorecard import SKIPPED
from mtaudit.core.signature import Signature
from mtaudit.report.html.common import VERDICT_COLOURS, PageContext, esc, fmt, number, severity_of


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


def _emit(text: str, lo: int, hi: int, nodes: list[_Node], marks: dict[int, str], aid: str) -> str:
    """Escaped text[lo:hi] with the pieces of ``nodes`` as nested <mark> elements.

    The first piece of a finding carries its id, is focusable and points to the finding's
    entry in the list (rule, message, suggestion); further pieces are class "cont".
    """
    out = []
    pos = lo
    for n in nodes:
        out.append(esc(text[pos : n.start]))
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
    out.append(esc(text[pos:hi]))
    return "".join(out)


def _sentence_data(card) -> list[tuple[int, int, float | None, float | None]]:
    """(start, end, fluency, perplexity) of the scorecard's sentences, by position."""
    return sorted(
        (s.start, s.end, number(s.score), number(s.perplexity)) for s in card.sentences if s.end > s.start
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
            f"fluency {fmt(score, 0)}"
            + (f", perplexity {ppl:.1f}" if ppl is not None else "")
            + f": {snippet}"
        )
        parts.append(
            f'<span class="{_fluency_bucket(score)}" style="flex:{b - a}" title="{esc(label)}"></span>'
        )
    return '<span class="fs" aria-hidden="true">' + "".join(parts) + "</span>" if parts else ""


def _finding_li(aid: str, fid: int, f, ctx: PageContext, valid: bool) -> str:
    k = ctx.k(f.category)
    sev = severity_of(f)
    loc = (
        f'<a class="loc" href="#{aid}-m{fid}">{f.line}:{f.column}</a> '
        if valid
        else '<span class="loc">(no span)</span> '
    )
    sugg = f' <span class="sugg">{esc(f.suggestion)}</span>' if f.suggestion else ""
    return (
        f'<li id="{aid}-f{fid}" data-k="{k}" data-s="{sev}">{loc}'
        f'<span class="rule">{esc(f.rule)}</span> <span class="sev s-{sev}">{sev}</span> '
        f'<span class="cat k{k}">{esc(f.category)}</span> '
        f'«<span class="ftext">{esc(f.text)}</span>» '
        f'<span class="msg">{esc(f.message)}</span>{sugg}</li>'
    )


def render_article(card, n: int, ctx: PageContext, batch_signature: Signature | str, open_: bool) -> str:
    aid = f"a{n}"
    text = card.text
    findings = list(card.findings)
    valid = [text is not None and 0 <= f.start < f.end <= len(text) for f in findings]
    verdict = card.verdict if card.verdict in VERDICT_COLOURS else SKIPPED
    major = card.major_or_worse
    s = card.scores or {}
    lik, flu = number(s.get("translated_from_english")), number(s.get("fluency"))
    out = [
        f'<details class="art" id="{aid}" data-verdict="{verdict}"{" open" if open_ else ""}>',
        f'<summary><span class="verdict v-{verdict}">{esc(verdict)}</span> <span class="src">{esc(card.source)}</span> '
        f'<span class="muted small">· {len(findings)} finding{"s" if len(findings) != 1 else ""}'
        f' (<span class="shown">{len(findings)}</span> shown), {major} major or worse'
        f"{f' · from English {lik:.2f}' if lik is not None else ''}</span></summary>",
        '<div class="art-body">',
    ]
    bits = [f"<b>{esc(s.get('words', '–'))}</b> words", f"language <b>{esc(card.language)}</b>"]
    if lik is not None:
        bits.append(f"translated from English <b>{lik:.2f}</b>")
    if flu is not None:
        bits.append(f"fluency <b>{flu:.0f}</b>/100")
    for key in ("major_per_1k", "findings_per_1k"):
        v = number(s.get(key))
        if v is not None:
            bits.append(
                f"{key.replace('_per_1k', '').replace('findings', 'all findings')} per 1,000 words <b>{v:g}</b>"
            )
    out.append('<p class="scores small">' + " · ".join(bits) + "</p>")
    if card.reasons:
        out.append(
            '<ul class="reasons">' + "".join(f"<li>{esc(r)}</li>" for r in card.reasons) + "</ul>"
        )
    if card.notes:  # what a check says about its scores (FL601 without a calibration)
        out.append(
            '<ul class="reasons notes">'
            + "".join(f'<li class="muted">note: {esc(note)}</li>' for note in card.notes)
            + "</ul>"
        )

    if text is None:
        out.append('<p class="muted">The text of this article is not in the scorecard.</p>')
    else:
        marks = {}
        for fid, f in enumerate(findings):
            if valid[fid]:
                marks[fid] = (
                    f'<mark class="f k{ctx.k(f.category)} s-{severity_of(f)}" data-f="{aid}-f{fid}" data-k="{ctx.k(f.category)}" data-s="{severity_of(f)}">'
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
            body = _emit(text, ls, le, nest_spans(pieces), marks, aid) if pieces else esc(line)
            ex = excluded.get(lineno)
            if ex is not None:
                why = f"{ex.kind}: {ex.reason}"
                rows.append(
                    f'<div class="ln ex" data-why="{esc(why)}" title="excluded ({esc(why)})">{body}</div>'
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
        out.append(f'<p class="artsig">signature: <code>{esc(sig)}</code></p>')
    out.append("</div></details>")
    return "\n".join(out)

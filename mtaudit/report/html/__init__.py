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
import hashlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from mtaudit import __version__
from mtaudit.core.categories import report_order
from mtaudit.core.resources import data_path
from mtaudit.core.scorecard import VERDICT_ORDER
from mtaudit.core.signature import Signature
from mtaudit.report.html.article import nest_spans, render_article
from mtaudit.report.html.batch import category_css, render_chart, render_filters, render_table
from mtaudit.report.html.common import PageContext, esc

__all__ = ["nest_spans", "render_html"]

# the page may load nothing: no network, no frames; scripts only by hash
_CSP = (
    "default-src 'none'; script-src '{script}'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
# open the article views on small batches; on larger ones they stay collapsed
OPEN_UP_TO = 10


@lru_cache(maxsize=1)


def _assets() -> tuple[str, str]:
    css = data_path("report.css").read_text(encoding="utf-8")
    js = data_path("report.js").read_text(encoding="utf-8")
    # neither may close its element early (they are our files, but be sure)
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("report.css / report.js must not contain a closing tag")
    return css, js


def render_html(cards: Sequence, errors: Sequence, signature: Signature | str) -> str:
    """The report page for a batch, as a string (UTF-8 when written)."""
    cards = list(cards)
    errors = list(errors)
    seen = {cat for c in cards for cat in c.counts["category"]}
    ctx = PageContext(report_order(seen))
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
        f'<meta name="generator" content="mtaudit {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{css}\n{category_css(ctx)}\n</style>",
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
        parts.extend(f"<li>{esc(e.source)}: {esc(e.message)}</li>" for e in errors)
        parts.append("</ul></section>")
    parts.append(render_filters(cards, ctx))
    parts.append('<section class="articles" aria-label="Articles"><h2>Articles</h2>')
    open_ = len(cards) <= OPEN_UP_TO
    for n, c in enumerate(cards):
        parts.append(render_article(c, n, ctx, signature, open_))
    parts.append("</section></main>")
    parts.append(
        f'<footer class="sig">Produced by mtaudit {esc(__version__)} · signature: <code id="signature">{esc(str(signature))}</code></footer>'
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

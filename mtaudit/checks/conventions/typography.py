"""Quotation marks and spacing (CV306 punctuation inside closing quotes, CV309 straight
quotes, CV310 French spacing, CV312 English curly quotes)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.checks.conventions.data import NBSP, paragraph_spans
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


@register
class PunctuationInsideQuotes(Check):
    """A comma, or the full stop of a quoted fragment, inside the closing quote (English style).

    English puts commas and full stops inside closing quotes; French puts them after, unless
    the quotation is a whole sentence of its own (« Il viendra. »). A comma or semicolon
    before a closing quote is always English; a full stop is reported when the quotation is
    a fragment of the sentence (it does not start with a capital after a colon or at the start
    of the sentence).

    Bad: Il a loué une relation fondée sur "l'égalité et le respect mutuel."
    Good: Il a loué une relation fondée sur "l'égalité et le respect mutuel".
    """

    code = "CV306"
    name = "punctuation-inside-quotes"
    category = "convention"
    severity = Severity.MAJOR

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        text = doc.text
        for qs, qe in doc.quotes:
            close = text[qe - 1]
            if text[qe : qe + 1].isalnum():
                continue  # not a closing quote: straight quotes paired wrongly ("…, "nous")
            i = qe - 2
            while i > qs and text[i] in " \u00a0\u202f":
                i -= 1
            if i <= qs:
                continue
            p = text[i]
            # a straight quote after a space may be an opening quote paired wrongly: less sure
            spaced = i < qe - 2 and close == '"'
            if p in ",;":
                out.append(
                    self.finding(
                        i,
                        qe,
                        (
                            _("Comma inside the closing quote (English style): French puts it after the quote")
                            if p == ","
                            else _("Semicolon inside the closing quote (English style): French puts it after the quote")
                        ),
                        f"{close}{p}",
                        severity=Severity.MINOR if spaced else Severity.MAJOR,
                    )
                )
            elif p == "." and text[i - 1 : i] != "." and self._fragment(doc, qs, qe):
                # French writers do this too: minor
                out.append(
                    self.finding(
                        i,
                        qe,
                        _("Full stop inside the closing quote of a quoted fragment (English style): French puts it after the quote"),
                        f"{close}.",
                        severity=Severity.MINOR,
                    )
                )
        return out

    @staticmethod
    def _fragment(doc: Document, qs: int, qe: int) -> bool:
        text = doc.text
        inner = text[qs + 1 : qe - 1].lstrip(" \u00a0\u202f")
        if not inner or not inner[0].isalpha():
            return False
        # a quotation that starts in lower case is part of the sentence; one that starts with
        # a capital may be a sentence of its own, where French keeps the full stop inside
        return inner[0].islower()


@register
class StraightQuotes(Check):
    """English or straight quotation marks where French uses « guillemets » (info).

    French typography quotes with « » (with narrow no-break spaces inside). Straight quotes
    "…" are common in French web text and not a sign of translation on their own, so this is
    info only, reported once per article at the first occurrence, with the count.

    English curly quotes (“ ”) used as the quotation marks of the article are CV312's.

    Bad: Il a parlé d'un "accord historique".
    Good: Il a parlé d'un « accord historique ».
    """

    code = "CV309"
    name = "straight-quotes"
    category = "convention"
    severity = Severity.INFO

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        pairs = [(s, e) for s, e in doc.quotes if text[s] == '"']  # “ ” are CV312's
        if not pairs:
            return []
        s, e = pairs[0]
        inner = text[s + 1 : e - 1].strip()
        tail = ""
        if inner and (inner[-1] in ",;" or (inner[-1] == "." and inner[-2:] != "..")):
            inner, tail = inner[:-1].rstrip(), inner[-1]
        n = len(pairs)
        return [
            self.finding(
                s,
                e,
                _("Straight or English quotation marks ({n} in the article): French uses « … »").format(n=n),
                f"«\u00a0{inner}\u00a0»{tail}",
            )
        ]


@register
class FrenchSpacing(Check):
    """Missing space before « ; : ! ? » or inside « guillemets » (info).

    French puts a (narrow) no-break space before ; : ! ? and inside « ». Missing spaces are
    common in French web text, so this is info only, once per article, with the count.

    Bad: Il a déclaré: nous viendrons.
    Good: Il a déclaré : nous viendrons.
    """

    code = "CV310"
    name = "french-spacing"
    category = "convention"
    severity = Severity.INFO

    _MARKS = re.compile(r"[;:!?«»]")
    _BEFORE_OK = re.compile(r"[\w»)\"”]")

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        hits = []
        for off, text in paragraph_spans(doc):
            n = len(text)
            for m in self._MARKS.finditer(text):
                i, ch = m.start(), m.group()
                prev = text[i - 1] if i else ""
                nxt = text[i + 1] if i + 1 < n else ""
                if ch == "«":
                    bad = nxt.isalnum()
                elif ch == "»":
                    bad = prev.isalnum()
                else:
                    # "mot;" followed by a space or the end; not 15:30, http:, 3:2
                    bad = (
                        bool(prev)
                        and self._BEFORE_OK.match(prev) is not None
                        and (not nxt or nxt.isspace())
                    )
                if bad:
                    hits.append((off + i, off + i + 1))
        if not hits:
            return []
        s, e = hits[0]
        n = len(hits)
        ch = doc.text[s:e]
        sug = f"{NBSP}{ch}" if ch in ";:!?" else (f"«{NBSP}" if ch == "«" else f"{NBSP}»")
        return [
            self.finding(
                s,
                e,
                _("Missing French spacing ({n} in the article): a no-break space before ; : ! ? and inside « »").format(n=n),
                sug,
            )
        ]


@register
class EnglishQuotationMarks(Check):
    """English curly quotation marks (“ ”, ‘ ’ nested) used as the quotes of the article.

    French quotes with « guillemets » and uses “ ” only for a quotation inside a quotation
    (« Il a parlé d’un “accord” »). “ ” as the outer quotes, and ‘ ’ nested inside them, are
    the English convention; the French originals of the WMT set never use them, machine
    translations do. Each quotation is reported, with the French quotes as the fix (nested
    ‘ ’ become “ ”).

    Bad: Il a dit “nous viendrons” hier.
    Good: Il a dit « nous viendrons » hier.
    """

    code = "CV312"
    name = "english-quotation-marks"
    category = "convention"
    severity = Severity.MINOR

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        guillemets = [(s, e) for s, e in doc.quotes if text[s] == "«"]
        out = []
        for s, e in doc.quotes:
            if text[s] != "“" or any(gs < s and e <= ge for gs, ge in guillemets):
                continue  # “ ” inside « »: the French second-level quotes
            inner = text[s + 1 : e - 1].strip(" \u00a0\u202f")
            inner = re.sub(r"‘([^‘’]*)’", r"“\1”", inner)
            out.append(
                self.finding(
                    s,
                    e,
                    _("English quotation marks: French quotes with « … » (and “ ” only inside them)"),
                    f"«{NBSP}{inner}{NBSP}»",
                )
            )
        return out

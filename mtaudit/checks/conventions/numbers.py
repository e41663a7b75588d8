"""Numbers, amounts and units written the English way (CV301 separators, CV302 currency sign
before the amount, CV311 number glued to its unit)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.checks.conventions.data import (
    NBSP,
    SP,
    UNITS,
    WORDS,
    Tables,
    alt,
    french_number,
    paragraph_spans,
    tables,
)
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


@register
class EnglishNumberFormat(Check):
    """A number written with English separators: comma for thousands, point for decimals.

    French separates thousands with a (narrow) space and decimals with a comma. "12,500" and
    "1,250,000" are English thousands (a French decimal would not end in zeros); "2.5" is an
    English decimal. Ambiguous cases ("1,125 milliard", "3.14" in a version number) are minor
    or skipped. Amounts after a currency sign are left to CV302.

    Bad: Le projet a coûté 1,200 dollars, soit 2.5 fois le budget.
    Good: Le projet a coûté 1 200 dollars, soit 2,5 fois le budget.
    """

    code = "CV301"
    name = "english-number-format"
    category = "convention"
    severity = Severity.MAJOR

    # 200.000.000: points between groups of three (two groups or more), never a decimal
    _DOTTED = re.compile(r"(?<![\w.,$£€¥+\-−])([1-9]\d{0,2}(?:\.\d{3}){2,})(?![\d]|[.,]\d)")
    _THOUSANDS = re.compile(r"(?<![\w,.$£€¥+\-−])([1-9]\d{0,2}(?:,\d{3})+)(?![\d]|[.,]\d)")
    _DECIMAL = re.compile(r"(?<![\w.,$£€¥/:-])(\d+)\.(\d{1,2})(?![\d]|\.\d|[A-Za-z])")
    data_files = (UNITS,)

    @staticmethod
    def _unit_patterns(t: Tables) -> tuple[re.Pattern, re.Pattern]:
        """(decimal context, unit after) from conventions_units.tsv: after a number with one
        comma group, a decimal context makes it a French decimal (3,540 %, 2,631 millions,
        1,350 dollar: singular, less than two); after "2.5", a unit makes it an English decimal."""
        return (
            re.compile(rf"{SP}?(?:{t.unit_alternation('decimal-context')})"),
            re.compile(rf"{SP}?(?:{t.unit_alternation('unit-after')})"),
        )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        decimal_context, unit_after = ctx.resource(
            "conventions.units_re", lambda: self._unit_patterns(t)
        )
        out = []
        for off, text in paragraph_spans(doc):
            for m in self._THOUSANDS.finditer(text):
                num = m.group(1)
                groups = num.count(",")
                after = text[m.end() : m.end() + 12]
                if groups == 1 and decimal_context.match(after):
                    continue
                # a French decimal would not end in zero: 12,500 is English; 1,125 may be French
                sev = Severity.MAJOR if groups >= 2 or num.endswith("0") else Severity.MINOR
                out.append(
                    self.finding(
                        off + m.start(1),
                        off + m.end(1),
                        _("English thousands separator (comma): French separates thousands with a space"),
                        french_number(num),
                        severity=sev,
                    )
                )
            for m in self._DOTTED.finditer(text):
                out.append(
                    self.finding(
                        off + m.start(1),
                        off + m.end(1),
                        _("Thousands separated by points: French separates thousands with a space"),
                        m.group(1).replace(".", " "),
                    )
                )
            for m in self._DECIMAL.finditer(text):
                int_part, dec = m.group(1), m.group(2)
                before = text[max(0, m.start() - 12) : m.start()]
                if re.search(r"(?:version|v|n°|no|art\.|article|chapitre|§)\s*$", before, re.I):
                    continue
                after = text[m.end() : m.end() + 16]
                if len(dec) == 2 and len(int_part) <= 2 and not unit_after.match(after):
                    # 19.06 (a date), 15.30 (a time): not clearly an English decimal
                    continue
                sev = (
                    Severity.MAJOR
                    if unit_after.match(after) or len(dec) == 1
                    else Severity.MINOR
                )
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("English decimal point: French writes decimals with a comma"),
                        f"{int_part},{dec}",
                        severity=sev,
                    )
                )
        return out


@register
class CurrencyBeforeAmount(Check):
    """A currency sign written before the amount, as in English.

    French writes the amount first and the currency after it, in words in running text:
    "400 millions de dollars", "2,5 milliards d'euros" (or "400 M$" in tables). "$400
    millions" and "$2.5 billion" are English order, often with an English scale word
    ("billion" is a French "milliard").

    Bad: Le contrat est évalué à $2.5 billion.
    Good: Le contrat est évalué à 2,5 milliards de dollars.
    """

    code = "CV302"
    name = "currency-before-amount"
    category = "convention"
    severity = Severity.MAJOR
    data_files = (WORDS,)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        pat = ctx.resource(
            "conventions.currency_re",
            lambda: re.compile(
                rf"(?<![\w$])(?P<cur>{alt(t.currencies)}){SP}?(?P<num>\d[\d,.]*\d|\d)"
                rf"(?:{SP}?(?P<scale>{alt(t.scales)})\b)?"
            ),
        )
        out = []
        for off, text in paragraph_spans(doc):
            for m in pat.finditer(text):
                cur, num, scale = m.group("cur"), m.group("num"), m.group("scale")
                name = t.currencies[cur]
                fnum = french_number(num)
                if scale:
                    sug = f"{fnum} {t.scales[scale]} {'d’' if name[0] in 'aeiouy' else 'de '}{name}"
                else:
                    sug = f"{fnum} {name}"
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("Currency sign before the amount (English order): French writes the amount, then the currency"),
                        sug.replace("d’", "d'"),
                    )
                )
        return out


@register
class UnitSpacing(Check):
    """A number glued to its unit or to the percent sign (info).

    French puts a (narrow) no-break space between a number and its unit or the percent sign:
    "5 %", "10 km", "3,5 kg", "20 €". Glued forms are common in French web text too (most
    French originals of the WMT set write "5%"), so this is info only, reported where it
    occurs, with the spaced form as the fix.

    Bad: Le taux a atteint 5%.
    Good: Le taux a atteint 5 %.
    """

    code = "CV311"
    name = "unit-spacing"
    category = "convention"
    severity = Severity.INFO

    data_files = (UNITS,)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        glued = ctx.resource(
            "conventions.glued_re",
            lambda: re.compile(  # the units of conventions_units.tsv, in file order
                rf"(?<![\w.,])(?P<n>\d+(?:[.,]\d+)?)(?P<u>{t.unit_alternation('glued')})(?![\w/²])"
            ),
        )
        out = []
        for off, text in paragraph_spans(doc):
            for m in glued.finditer(text):
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("Number glued to its unit: French puts a no-break space between them"),
                        f"{m.group('n')}{NBSP}{m.group('u')}",
                    )
                )
        return out

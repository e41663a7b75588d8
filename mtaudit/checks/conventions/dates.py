"""Dates and times written the English way (CV303 month and day names, date order,
ordinals; CV304 12-hour times)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.checks.conventions.data import SP, WORDS, Tables, alt, paragraph_spans, tables
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


@register
class EnglishDateNames(Check):
    """English month or day names, English date order, or capitalised French months.

    "June 19", "Wednesday", "19th" and "juin 19, 2024" are English, and so are the
    abbreviations "Wed.", "Tues.", "Sept. 5", "Dec 5", "5 Sept."; French writes "mercredi
    19 juin 2024", month and day names in lower case. Months that are also first names or
    words (May, June, April, August, March) are reported only next to a day or a year. A
    capitalised French month or day inside a sentence is minor.

    Bad: Le sommet a eu lieu Wednesday, June 19, 2024.
    Good: Le sommet a eu lieu mercredi 19 juin 2024.
    """

    code = "CV303"
    name = "english-date"
    category = "convention"
    severity = Severity.MAJOR
    data_files = (WORDS,)

    def _patterns(self, t: Tables):
        months = alt(t.months)
        free = alt(m for m in t.months if m not in t.context_months)
        days = alt(t.days)
        fmonths = alt(t.french_months)
        fdays = "|".join(re.escape(d) for d in t.french_days)
        day_num = r"\d{1,2}(?:st|nd|rd|th)?"
        return {
            "date": re.compile(
                rf"\b(?:(?P<wd>{days}),?{SP})?(?:(?P<m1>{months}){SP}(?P<d1>{day_num})\b(?:,?{SP}(?P<y1>\d{{4}}))?"
                rf"|(?P<d2>\d{{1,2}}(?:st|nd|rd|th)?){SP}(?P<m2>{months})(?:,?{SP}(?P<y2>\d{{4}}))?(?!\w)"
                rf"|(?P<m3>{months}){SP}(?P<y3>\d{{4}})\b)"
            ),
            "free": re.compile(rf"\b(?P<m>{free})\b"),
            # any English month after a French word of time: en March, début June, mi-April
            "frctx": re.compile(
                rf"(?:\b(?:en|début|fin|depuis|courant|dès|jusqu['’]en|d['’]ici){SP}|\bmi-)"
                rf"(?P<m>{alt(w for w in t.months if w not in t.number_months)})(?!\w)"
            ),
            "day": re.compile(rf"\b(?P<d>{days})(?!\w)"),
            "ordinal": re.compile(r"\b(?P<n>\d{1,2})(?P<suf>st|nd|rd|th)\b"),
            "order": re.compile(
                rf"\b(?P<fm>{fmonths}){SP}(?P<d>\d{{1,2}}),{SP}?(?P<y>\d{{4}})\b", re.I
            ),
            "capmonth": re.compile(
                rf"(?<=\d{SP})(?P<cm>(?:{fmonths}))\b|(?<=\b(?:le|en){SP})(?P<cm2>(?:{fmonths}|{fdays}))\b"
            ),
        }

    _CAPWORD = re.compile(r"\b[A-Z][a-zéû]+")
    _ORDINAL = re.compile(r"\d(?:st|nd|rd|th)\b")

    @staticmethod
    def _in_name(text: str, s: int, e: int) -> bool:
        """Part of a capitalised name: followed or preceded by another capitalised word."""
        if re.match(r"[ \u00a0][A-Z]", text[e : e + 2]):
            return True
        # "Mail on Sunday", "Day of …": an English title, its small words between capitals
        if re.search(r"[A-Z][\w'’]*[ \u00a0](?:on|of|the|in|at|for)[ \u00a0]$", text[max(0, s - 40) : s]):
            return True
        before = re.search(r"([A-Za-z]+)[ \u00a0]$", text[max(0, s - 30) : s])
        return bool(
            before
            and before.group(1)[0].isupper()
            and before.group(1) not in ("Le", "La", "Les", "Du", "De")
        )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        pats = ctx.resource("conventions.date_re", lambda: self._patterns(t))
        out: list[Finding] = []
        taken: list[tuple[int, int]] = []

        def add(s: int, e: int, msg: str, sug: str | None, sev: Severity | None = None) -> None:
            if any(a < e and s < b for a, b in taken):
                return
            taken.append((s, e))
            out.append(self.finding(s, e, msg, sug, severity=sev))

        caps = set(self._CAPWORD.findall(doc.text))
        english = not caps.isdisjoint(t.names)
        ordinal = self._ORDINAL.search(doc.text) is not None
        lower = doc.text.lower()
        french = any(m in lower for m in t.french_months)
        for off, text in paragraph_spans(doc) if (english or ordinal or french) else ():
            for m in pats["date"].finditer(text) if english else ():
                mon = m.group("m1") or m.group("m2") or m.group("m3")
                day = m.group("d1") or m.group("d2")
                year = m.group("y1") or m.group("y2") or m.group("y3")
                parts = [t.days[m.group("wd")]] if m.group("wd") else []
                parts += [re.sub(r"\D", "", day)] if day else []
                parts.append(t.months[mon])
                if year:
                    parts.append(year)
                add(
                    off + m.start(),
                    off + m.end(),
                    _("English date (month name, order)"),
                    " ".join(parts),
                )
            for m in pats["frctx"].finditer(text) if english else ():
                add(
                    off + m.start("m"),
                    off + m.end("m"),
                    _("English month name"),
                    t.months[m.group("m")],
                )
            for m in pats["free"].finditer(text) if english else ():
                if self._in_name(text, m.start(), m.end()):
                    continue
                add(off + m.start(), off + m.end(), _("English month name"), t.months[m.group("m")])
            for m in pats["day"].finditer(text) if english else ():
                if self._in_name(text, m.start(), m.end()):
                    continue  # the Sunday Times, Black Friday, Super Tuesday
                if m.group("d") in t.name_days and re.search(
                    r"\b(?:le|la|du|au|the|The)[ \u00a0]$", text[max(0, m.start() - 4) : m.start()]
                ):
                    continue  # le Sun., a newspaper
                add(off + m.start(), off + m.end(), _("English day name"), t.days[m.group("d")])
            for m in pats["ordinal"].finditer(text) if ordinal else ():
                n = m.group("n")
                add(
                    off + m.start(),
                    off + m.end(),
                    _("English ordinal suffix"),
                    "1er" if n == "1" else f"{n}e",
                )
            for m in pats["order"].finditer(text) if french else ():
                add(
                    off + m.start(),
                    off + m.end(),
                    _("English date order (month, day, comma, year)"),
                    f"{m.group('d')} {m.group('fm').lower()} {m.group('y')}",
                )
        # capitalised French months and days inside a sentence (not in headlines)
        for s in doc.sentences if not caps.isdisjoint(t.capitalised_french) else ():
            if doc.paragraphs[s.paragraph].kind == "title":
                continue
            for m in pats["capmonth"].finditer(s.text):
                w = m.group("cm") or m.group("cm2")
                if not w[0].isupper() or m.start() == 0:
                    continue
                add(
                    s.start + m.start(),
                    s.start + m.end(),
                    _("Capitalised month or day name: French writes them in lower case"),
                    w.lower(),
                    Severity.MINOR,
                )
        return out


@register
class TwelveHourTime(Check):
    """A time written the English way: "3 p.m.", "10:30 am".

    French uses the 24-hour clock with "h": "15 h", "10 h 30".

    Bad: La réunion a commencé à 3 p.m., heure locale.
    Good: La réunion a commencé à 15 h, heure locale.
    """

    code = "CV304"
    name = "twelve-hour-time"
    category = "convention"
    severity = Severity.MAJOR

    _RE = re.compile(
        rf"\b(?P<h>\d{{1,2}})(?::(?P<m>\d{{2}}))?{SP}?(?P<ap>[ap])\.?{SP}?m\.?(?![\w])", re.I
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for off, text in paragraph_spans(doc):
            for m in self._RE.finditer(text):
                raw = m.group()
                # "5 m" (metres) is not a time: require a.m./p.m./am/pm
                if not re.search(r"[ap]\.?\s?m", raw, re.I):
                    continue
                h = int(m.group("h"))
                if h > 12:
                    continue
                pm = m.group("ap").lower() == "p"
                h24 = (h % 12) + (12 if pm else 0)
                sug = f"{h24} h" + (
                    f" {m.group('m')}" if m.group("m") and m.group("m") != "00" else ""
                )
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("12-hour time (a.m./p.m.): French uses the 24-hour clock"),
                        sug,
                    )
                )
        return out

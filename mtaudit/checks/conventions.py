"""English typographic and formatting conventions left in French text (CV3xx).

Numbers with English separators, currency signs before the amount, English month and day
names, 12-hour times, English courtesy titles, punctuation inside closing quotes, lower-case
"état" for the State, English datelines, and (info only) straight quotes and missing French
spacing. The words involved live in data/conventions_words.tsv and data/conventions_etat.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.core.resources import read_rows

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

WORDS = "conventions_words.tsv"
ETAT = "conventions_etat.tsv"

NBSP = "\u00a0"
_SP = "[ \u00a0\u202f]"


@dataclass
class Tables:
    months: dict[str, str]  # English month -> French
    context_months: frozenset[str]  # reported only in a date
    days: dict[str, str]
    titles: dict[str, tuple[str, str]]  # English title -> (French, severity)
    currencies: dict[str, str]
    scales: dict[str, str]
    french_months: frozenset[str]
    etat_skip_before: frozenset[str]
    etat_skip_after: tuple[str, ...]
    etat_major_heads: frozenset[str]

    @cached_property
    def names(self) -> frozenset[str]:
        """English month and day names as written (a quick pre-filter for CV303)."""
        return frozenset(w.rstrip(".") for w in self.months) | frozenset(self.days)

    @cached_property
    def capitalised_french(self) -> frozenset[str]:
        days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
        return frozenset(w[0].upper() + w[1:] for w in (*self.french_months, *days))

    @classmethod
    def load(cls) -> Tables:
        months, ctx_months, days, titles, cur, scales, fm = {}, set(), {}, {}, {}, {}, set()
        # the first data line of each file names its columns
        for row in read_rows(
            WORDS, min_cols=3, header=True, columns="kind, english, french[, note]"
        ):
            kind, en, fr, note = row[0], row[1], row[2], row.get(3)
            if kind == "month":
                months[en] = fr
                if note == "context":
                    ctx_months.add(en)
            elif kind == "day":
                days[en] = fr
            elif kind == "title":
                try:
                    Severity.parse(note or "major")
                except ValueError as exc:
                    raise row.error(str(exc)) from None
                titles[en] = (fr, note or "major")
            elif kind == "currency":
                cur[en] = fr
            elif kind == "scale":
                scales[en] = fr
            elif kind == "frenchmonth":
                fm.add(en)
        before, after, heads = set(), [], set()
        for row in read_rows(ETAT, min_cols=2, header=True, columns="kind, word"):
            kind, word = row[0], row[1].replace("’", "'")
            if kind == "skip-before":
                before.add(word)
            elif kind == "skip-after":
                after.append(word)
            elif kind == "major-head":
                heads.add(word)
        return cls(
            months,
            frozenset(ctx_months),
            days,
            titles,
            cur,
            scales,
            frozenset(fm),
            frozenset(before),
            tuple(sorted(after, key=len, reverse=True)),
            frozenset(heads),
        )


def tables(ctx: Context) -> Tables:
    return ctx.resource("conventions.tables", Tables.load)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def french_number(num: str) -> str:
    """'1,200' -> '1 200' (narrow space would be ideal; a plain space is what editors type),
    '2.5' -> '2,5', '1,234.5' -> '1 234,5'."""
    if "," in num and "." in num:
        int_part, dec = num.split(".", 1)
        return int_part.replace(",", " ") + "," + dec
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", num):
        return num.replace(",", " ")
    return num.replace(".", ",")


def _paragraph_spans(doc: Document) -> Iterable[tuple[int, str]]:
    for p in doc.paragraphs:
        yield p.start, p.text


# ---------------------------------------------------------------------------------------------
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
    # after a number with one comma group, these make it a French decimal: 3,540 %, 2,631
    # millions, 1,350 dollar (singular: less than two)
    _DECIMAL_CONTEXT = re.compile(
        rf"{_SP}?(?:%|pour{_SP}?cent|milli|dollar\b|euro\b|livre\b|point\b)"
    )
    _DECIMAL = re.compile(r"(?<![\w.,$£€¥/:-])(\d+)\.(\d{1,2})(?![\d]|\.\d|[A-Za-z])")
    _UNIT_AFTER = re.compile(
        rf"{_SP}?(?:%|pour{_SP}?cent|millions?|milliards?|billions?|dollars?|euros?|livres?|points?|fois|"
        rf"km|kilomètres?|mètres?|m|kg|tonnes?|heures?|ans|mois|semaines|jours|degrés|°)\b"
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for off, text in _paragraph_spans(doc):
            for m in self._THOUSANDS.finditer(text):
                num = m.group(1)
                groups = num.count(",")
                after = text[m.end() : m.end() + 12]
                if groups == 1 and self._DECIMAL_CONTEXT.match(after):
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
                if len(dec) == 2 and len(int_part) <= 2 and not self._UNIT_AFTER.match(after):
                    # 19.06 (a date), 15.30 (a time): not clearly an English decimal
                    continue
                sev = (
                    Severity.MAJOR
                    if self._UNIT_AFTER.match(after) or len(dec) == 1
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
                rf"(?<![\w$])(?P<cur>{_alt(t.currencies)}){_SP}?(?P<num>\d[\d,.]*\d|\d)"
                rf"(?:{_SP}?(?P<scale>{_alt(t.scales)})\b)?"
            ),
        )
        out = []
        for off, text in _paragraph_spans(doc):
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
class EnglishDateNames(Check):
    """English month or day names, English date order, or capitalised French months.

    "June 19", "Wednesday", "19th" and "juin 19, 2024" are English; French writes "mercredi
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
        months = _alt(t.months)
        free = _alt(m for m in t.months if m not in t.context_months)
        days = _alt(t.days)
        fmonths = _alt(t.french_months)
        day_num = r"\d{1,2}(?:st|nd|rd|th)?"
        return {
            "date": re.compile(
                rf"\b(?:(?P<wd>{days}),?{_SP})?(?:(?P<m1>{months}){_SP}(?P<d1>{day_num})\b(?:,?{_SP}(?P<y1>\d{{4}}))?"
                rf"|(?P<d2>\d{{1,2}}(?:st|nd|rd|th)?){_SP}(?P<m2>{months})(?:,?{_SP}(?P<y2>\d{{4}}))?\b"
                rf"|(?P<m3>{months}){_SP}(?P<y3>\d{{4}})\b)"
            ),
            "free": re.compile(rf"\b(?P<m>{free})\b"),
            # any English month after a French word of time: en March, début June, mi-April
            "frctx": re.compile(
                rf"(?:\b(?:en|début|fin|depuis|courant|dès|jusqu['’]en|d['’]ici){_SP}|\bmi-)"
                rf"(?P<m>{_alt(w for w in t.months if not w.endswith('.'))})\b"
            ),
            "day": re.compile(rf"\b(?P<d>{days})\b"),
            "ordinal": re.compile(r"\b(?P<n>\d{1,2})(?P<suf>st|nd|rd|th)\b"),
            "order": re.compile(
                rf"\b(?P<fm>{fmonths}){_SP}(?P<d>\d{{1,2}}),{_SP}?(?P<y>\d{{4}})\b", re.I
            ),
            "capmonth": re.compile(
                rf"(?<=\d{_SP})(?P<cm>(?:{fmonths}))\b|(?<=\b(?:le|en){_SP})(?P<cm2>(?:{fmonths}|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))\b"
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
        for off, text in _paragraph_spans(doc) if (english or ordinal or french) else ():
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
        rf"\b(?P<h>\d{{1,2}})(?::(?P<m>\d{{2}}))?{_SP}?(?P<ap>[ap])\.?{_SP}?m\.?(?![\w])", re.I
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for off, text in _paragraph_spans(doc):
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


@register
class EnglishCourtesyTitle(Check):
    """An English courtesy title before a name: Mr., Mrs., Ms., Dr.

    French writes "M." (Monsieur), "Mme" (Madame), "Dr" (without a full stop). "Mr" without
    a full stop and "Dr." are common in French web text too, so they are minor.

    Bad: Selon Mr. Ouchakov, les discussions ont été fructueuses.
    Good: Selon M. Ouchakov, les discussions ont été fructueuses.
    """

    code = "CV305"
    name = "english-courtesy-title"
    category = "convention"
    severity = Severity.MAJOR
    data_files = (WORDS,)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        pat = ctx.resource(
            "conventions.title_re",
            lambda: re.compile(rf"(?<![\w.])(?P<t>{_alt(t.titles)})(?![\w.]){_SP}+(?=[A-ZÀ-Ý])"),
        )
        out = []
        for off, text in _paragraph_spans(doc):
            for m in pat.finditer(text):
                title = m.group("t")
                fr, sev = t.titles[title]
                out.append(
                    self.finding(
                        off + m.start("t"),
                        off + m.end("t"),
                        _("English courtesy title '{title}': French writes '{fr}'").format(title=title, fr=fr),
                        fr,
                        severity=sev,
                    )
                )
        return out


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
class LowercaseEtat(Check):
    """Lower-case "état" where it means the State (État).

    French capitalises État for the State: chef d'État, médias d'État, l'État russe,
    les États-Unis. Lower-case "état" is the condition (état de santé, état civil,
    état-major, hors d'état de nuire) and "coup d'état" is an accepted spelling: those are
    left alone. "agence de presse d'état" and "médias d'état" are the usual calques of
    English "state media" and are major; other lower-case uses for the State are minor.
    The words involved are in conventions_etat.tsv.

    Bad: selon l'agence de presse d'état nord-coréenne
    Good: selon l'agence de presse d'État nord-coréenne
    """

    code = "CV307"
    name = "lowercase-etat"
    category = "convention"
    severity = Severity.MINOR
    data_files = (ETAT,)

    _DETAT = re.compile(r"\b[dD]['’](?P<e>état)(?P<s>s?)\b")
    _LETAT = re.compile(
        r"\b(?:l['’]|les\s+)(?P<e>état)(?P<s>s?)(?=\s+(?:islamique|hébreu|fédéral|membres?|russe|américain|français|"
        r"chinois|britannique|allemand|israélien|palestinien|juif|d['’]Israël|de\s+(?:Californie|New|Floride|Washington|Géorgie|Virginie)))"
    )
    _EU = re.compile(r"\b(?P<e>états)-[Uu]nis\b")

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        out = []
        for off, text in _paragraph_spans(doc):
            for m in self._DETAT.finditer(text):
                window = text[max(0, m.start() - 80) : m.start()]  # bounded: no rescans
                before = re.search(r"([\w'’-]+)\s*$", window)
                prev = before.group(1).lower().replace("’", "'") if before else ""
                after = text[m.end() : m.end() + 80].replace("’", "'")
                if prev in t.etat_skip_before:
                    continue
                if any(
                    re.match(
                        rf"\s*{re.escape(w)}(?:\b|(?<=')|$)"
                        if w[0].isalpha()
                        else rf"{re.escape(w)}",
                        after,
                    )
                    for w in t.etat_skip_after
                ):
                    continue
                # the head noun: the word before "d'état", or before "de presse d'état"
                heads = {prev}
                chain = re.search(r"([\w-]+)\s+de\s+([\w-]+)\s*$", window)
                if chain:
                    heads.add(chain.group(1).lower())
                sev = Severity.MAJOR if heads & t.etat_major_heads else Severity.MINOR
                s = off + m.start("e")
                out.append(
                    self.finding(
                        s,
                        off + m.end("s"),
                        _("Lower-case 'état' for the State: French writes 'État'"),
                        "État" + m.group("s"),
                        severity=sev,
                    )
                )
            for m in self._LETAT.finditer(text):
                out.append(
                    self.finding(
                        off + m.start("e"),
                        off + m.end("s"),
                        _("Lower-case 'état' for the State: French writes 'État'"),
                        "État" + m.group("s"),
                    )
                )
            for m in self._EU.finditer(text):
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("Lower-case 'états-unis': French writes 'États-Unis'"),
                        "États-Unis",
                    )
                )
        return out


@register
class EnglishDateline(Check):
    """An English-style dateline at the start of a paragraph: "KYIV, Ukraine —".

    English agencies open a story with the city in capitals, the state or country, and a
    dash ("KYIV, Ukraine —", "WASHINGTON (CNN) —"). French dispatches write "Kiev (AFP) -"
    or simply start the text; the AFP and Reuters French forms "PARIS (AFP) -" are fine.

    Bad: KYIV, Ukraine — Les frappes ont repris dans la nuit.
    Good: Kyiv (Ukraine) - Les frappes ont repris dans la nuit.
    """

    code = "CV308"
    name = "english-dateline"
    category = "convention"
    severity = Severity.MAJOR

    _RE = re.compile(
        r"^(?P<city>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+)*)"
        r"(?P<region>,[ \u00a0][A-Z][A-Za-z.]+(?:[ \u00a0][A-Z][A-Za-z.]+)*)?"
        r"(?P<agency>[ \u00a0]\((?P<ag>[A-Za-z. ]+)\))?"
        r"[ \u00a0]*(?P<dash>—|–|--|-)[ \u00a0]"
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for p in doc.paragraphs:
            m = self._RE.match(p.text)
            if not m or len(m.group("city")) < 3:
                continue
            region, ag, dash = m.group("region"), m.group("ag"), m.group("dash")
            # an English outlet's tag, "(CNN)", is CR403's finding: not counted twice here
            english = bool(region) or (ag is None and dash == "—")
            if not english:
                continue
            city = m.group("city").title()
            sug = (
                city
                + (f" ({region.strip(', ').strip()})" if region else "")
                + (f" ({ag})" if ag else "")
                + " -"
            )
            out.append(
                self.finding(
                    p.start + m.start(),
                    p.start + m.end() - 1,
                    _("English-style dateline (CITY, Region —)"),
                    sug,
                )
            )
        return out


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
        for off, text in _paragraph_spans(doc):
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

    _RE = re.compile(
        r"(?<![\w.,])(?P<n>\d+(?:[.,]\d+)?)(?P<u>%|‰|km/h|km²|km|kg|cm|mm|°C|€|\$|kWh|kW|MW|GW|Mo|Go)(?![\w/²])"
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for off, text in _paragraph_spans(doc):
            for m in self._RE.finditer(text):
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("Number glued to its unit: French puts a no-break space between them"),
                        f"{m.group('n')}{NBSP}{m.group('u')}",
                    )
                )
        return out


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

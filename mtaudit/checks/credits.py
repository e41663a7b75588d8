"""Credit lines and attributions of English-language outlets (CR4xx), driven by data.

Every pattern lives in data/credits.tsv (one row per pattern, with its rule, severity,
message and suggestion); "{OUTLET}" in a pattern stands for the names of
data/credits_outlets.txt. A linguist adds a credit line by adding a row.
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
from mtaudit.core.resources import ResourceFormatError, read_lines, read_rows

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

PATTERNS = "credits.tsv"
OUTLETS = "credits_outlets.txt"


@dataclass(frozen=True)
class CreditPattern:
    rule: str
    severity: Severity
    pattern: str  # the regular expression, outlets spelled out
    message: str
    suggestion: str
    line: int
    needle: str | None = None  # lower-case text every match contains: a cheap pre-filter

    @cached_property
    def regex(self) -> re.Pattern:
        """Compiled on first use: most documents never get past the needle, and compiling
        the 34 patterns with the outlet list was a third of a short run's start-up."""
        return re.compile(self.pattern, re.M)


def required_literal(regex: re.Pattern | str, flags: int = 0) -> str | None:
    """The longest run of literal characters that every match of ``regex`` contains (at
    least 4 characters, lower case), or None. Lets a document without "contribué" skip the
    patterns that need it without running them."""
    try:
        from re import _parser  # the standard library's own regex parser

        if isinstance(regex, re.Pattern):
            regex, flags = regex.pattern, regex.flags
        items = list(_parser.parse(regex, flags))
    except Exception:  # pragma: no cover - a Python without re._parser
        return None
    best, cur = "", ""
    for op, av in items:
        if op is _parser.LITERAL:
            cur += chr(av)
            if len(cur) > len(best):
                best = cur
        else:
            cur = ""
    return best.lower() if len(best) >= 4 else None


class CreditDataError(ResourceFormatError):
    """A malformed credits.tsv: the message names file:line."""


def load_patterns() -> list[CreditPattern]:
    outlets = [row[0] for row in read_lines(OUTLETS)]
    alt = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    out: list[CreditPattern] = []
    try:
        # the first data line names the columns
        rows = read_rows(
            PATTERNS,
            min_cols=4,
            header=True,
            columns="rule, severity, pattern, message[, suggestion]",
        )
    except ResourceFormatError as exc:
        raise CreditDataError(str(exc)) from None
    for row in rows:
        rule, sev, pat, msg, sug = row[0], row[1], row[2], row[3], row.get(4)
        try:  # checked with a short stand-in for the outlets: the same syntax, less work
            re.compile(pat.replace("{OUTLET}", "(?:X|Y)"), re.M)
        except re.error as exc:
            raise CreditDataError(f"{row.where}: bad pattern: {exc}") from None
        try:
            severity = Severity.parse(sev)
        except ValueError as exc:
            raise CreditDataError(f"{row.where}: {exc}") from None
        out.append(
            CreditPattern(
                rule,
                severity,
                pat.replace("{OUTLET}", f"(?:{alt})"),
                msg,
                sug,
                row.line,
                # parsed without the long list of outlets: same literals, less work
                required_literal(pat.replace("{OUTLET}", "(?:X|Y)"), re.M),
            )
        )
    return out


def patterns(ctx: Context) -> list[CreditPattern]:
    return ctx.resource("credits.patterns", load_patterns)


class _CreditCheck(Check):
    category = "credit"
    severity = Severity.MAJOR
    data_files = (PATTERNS, OUTLETS)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        lower = doc.text.lower()
        mine = [
            p
            for p in patterns(ctx)
            if p.rule == self.code and (p.needle is None or p.needle in lower)
        ]
        out = []
        seen: set[tuple[int, int]] = set()
        for para in doc.paragraphs:
            for p in mine:
                for m in p.regex.finditer(para.text):
                    span = (para.start + m.start(), para.start + m.end())
                    if span in seen or m.end() == m.start():
                        continue
                    seen.add(span)
                    outlet = m.groupdict().get("outlet") or ""
                    sug = p.suggestion.replace("{outlet}", outlet) if p.suggestion else None
                    message = _(p.message)  # credits.tsv's messages are in the catalog too
                    if sug and "…" in sug:
                        # a template for the editor to fill in, not a replacement of the span
                        message = _("{message}. French: {wording}").format(
                            message=message.rstrip("."), wording=sug
                        )
                        sug = None
                    out.append(
                        self.finding(span[0], span[1], message, sug or None, severity=p.severity)
                    )
        return out


@register
class TranslatedCreditLine(_CreditCheck):
    """A credit line translated word for word from an English-language outlet.

    "CNN contributed reporting", "X contributed to this report" and "Reporting by …;
    Editing by …" come out of machine translation as "CNN a fourni le reporting de …",
    "X a contribué à ce rapport", "Reportage de … ; Édition de …": no French newsroom writes
    them, and they show that the article is a translation. The patterns are rows of
    credits.tsv (rule CR401).

    Bad: CNN a fourni le reporting de Simone McCarthy pour cet article.
    Good: Avec Simone McCarthy (CNN).
    """

    code = "CR401"
    name = "translated-credit-line"


@register
class EnglishCreditLine(_CreditCheck):
    """A credit or copyright line left in English.

    "contributed reporting", "Reporting by", "Editing by", "All rights reserved" left in a
    French article. The patterns are rows of credits.tsv (rule CR402).

    Bad: Anna Chernova contributed reporting.
    Good: Avec Anna Chernova.
    """

    code = "CR402"
    name = "english-credit-line"


@register
class EnglishOutletTag(_CreditCheck):
    """The tag or byline of an English-language outlet: "(CNN)", "(AP)", "Par X, CNN".

    A French dispatch carries the tag of a French-language agency ("(AFP)", "Avec AFP", the
    French service of Reuters); the tag of an English-language outlet suggests the article was
    translated from its story. "(AP)" is minor: the Associated Press had a French service.
    The patterns are rows of credits.tsv (rule CR403).

    Bad: SÉOUL (CNN) - Kim Jong-un a reçu Vladimir Poutine.
    Good: Séoul (AFP) - Kim Jong-un a reçu Vladimir Poutine.
    """

    code = "CR403"
    name = "english-outlet-tag"

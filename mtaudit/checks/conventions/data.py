"""What the conventions checks share: their word tables (data/conventions_words.tsv, read by
the substitution engine's table loader; data/conventions_etat.tsv; data/conventions_units.tsv),
loaded once per run, and the helpers that write French numbers and regex alternations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from mtaudit.core.findings import Severity
from mtaudit.core.resources import read_rows
from mtaudit.engines.substitution import load_word_table
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, straighten

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

WORDS = "conventions_words.tsv"
ETAT = "conventions_etat.tsv"
UNITS = "conventions_units.tsv"

WORD_KINDS = ("month", "day", "title", "currency", "scale", "frenchmonth", "frenchday")
ETAT_KINDS = ("skip-before", "skip-after", "major-head", "state-adjective", "us-state")
UNIT_LISTS = ("decimal-context", "unit-after", "glued")

NBSP = "\u00a0"
SP = "[ \u00a0\u202f]"


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
    french_days: tuple[str, ...] = ()  # in file order
    state_adjectives: tuple[str, ...] = ()  # after "l'état": the State (as written)
    us_states: tuple[str, ...] = ()  # after "l'état de"
    units: dict[str, list[tuple[str, bool]]] | None = None  # list -> (unit, ends a word)
    number_months: frozenset[str] = frozenset()  # abbreviations without a full stop (Dec 5)
    name_days: frozenset[str] = frozenset()  # abbreviations that are also names (le Sun)

    @cached_property
    def names(self) -> frozenset[str]:
        """English month and day names as written (a quick pre-filter for CV303)."""
        return frozenset(w.rstrip(".") for w in self.months) | frozenset(w.rstrip(".") for w in self.days)

    @cached_property
    def capitalised_french(self) -> frozenset[str]:
        return frozenset(w[0].upper() + w[1:] for w in (*self.french_months, *self.french_days))

    @classmethod
    def load(cls) -> Tables:
        months, ctx_months, days, titles, cur, scales, fm, fd = {}, set(), {}, {}, {}, {}, set(), []
        number_months: set[str] = set()
        name_days: set[str] = set()
        for w in load_word_table(WORDS, WORD_KINDS):
            kind, en, fr, note = w.kind, w.source, w.replacement, w.note
            if kind == "month":
                months[en] = fr
                if note not in (None, "", "context", "number"):
                    raise w.row.error(f"unknown month note {note!r} (context or number)")
                if note in ("context", "number"):
                    ctx_months.add(en)
                if note == "number":
                    number_months.add(en)
            elif kind == "day":
                days[en] = fr
                if note not in (None, "", "name"):
                    raise w.row.error(f"unknown day note {note!r} (name)")
                if note == "name":
                    name_days.add(en)
            elif kind == "title":
                try:
                    Severity.parse(note or "major")
                except ValueError as exc:
                    raise w.row.error(str(exc)) from None
                titles[en] = (fr, note or "major")
            elif kind == "currency":
                cur[en] = fr
            elif kind == "scale":
                scales[en] = fr
            elif kind == "frenchmonth":
                fm.add(en)
            elif kind == "frenchday":
                fd.append(en)
        etat: dict[str, list[str]] = {k: [] for k in ETAT_KINDS}
        for row in _kind_rows(ETAT, ETAT_KINDS, "kind, word"):
            etat[row[0]].append(straighten(row[1], DOCUMENT_APOSTROPHES))
        units: dict[str, list[tuple[str, bool]]] = {k: [] for k in UNIT_LISTS}
        for row in _kind_rows(UNITS, UNIT_LISTS, "list, unit, boundary", min_cols=3):
            if row[2] not in ("word", "-"):
                raise row.error(f"boundary is 'word' or '-', not {row[2]!r}")
            units[row[0]].append((row[1], row[2] == "word"))
        return cls(
            months,
            frozenset(ctx_months),
            days,
            titles,
            cur,
            scales,
            frozenset(fm),
            frozenset(etat["skip-before"]),
            tuple(sorted(etat["skip-after"], key=len, reverse=True)),
            frozenset(etat["major-head"]),
            tuple(fd),
            tuple(etat["state-adjective"]),
            tuple(etat["us-state"]),
            units,
            frozenset(number_months),
            frozenset(name_days),
        )

    def unit_alternation(self, name: str) -> str:
        """The units of a list of conventions_units.tsv as a regex alternation, in file
        order (a space: an optional space; a word unit ends a word)."""
        assert self.units is not None
        return "|".join(
            re.escape(u).replace(r"\ ", f"{SP}?") + (r"\b" if word else "")
            for u, word in self.units[name]
        )


def _kind_rows(name: str, kinds: tuple[str, ...], columns: str, min_cols: int = 2):
    # the first data line of each file names its columns
    rows = read_rows(name, min_cols=min_cols, header=True, columns=columns)
    for row in rows:
        if row[0] not in kinds:
            raise row.error(f"unknown kind {row[0]!r} (use one of: {', '.join(kinds)})")
    return rows


def tables(ctx: Context) -> Tables:
    return ctx.resource("conventions.tables", Tables.load)


def alt(words: Iterable[str]) -> str:
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


def paragraph_spans(doc: Document) -> Iterable[tuple[int, str]]:
    for p in doc.paragraphs:
        yield p.start, p.text

"""Regular French inflection for the substitution engine: the forms an inflected pattern atom
matches (``supporter:v``, ``initier:pp``, ``officiel:a``, ``problème:n``) and the adaptation of
a suggestion to the words it replaces (verb ending, gender and number, case).

The endings and suffix rules are data (``mtaudit/data/inflection.tsv``, format in its header);
the -er stem spellings (ç before a and o, ge, è, ll/tt, i for y) are the rules below.
Over-generation is harmless when matching: a form that does not exist never occurs in a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.core.resources import ResourceFormatError, read_rows

DATA_FILE = "inflection.tsv"
_TABLES = ("er-ending", "match-feminine", "match-plural", "noun-plural", "feminine", "plural")
_VOWELS = "aeiouyéèêëàâîïôûù"


@dataclass(frozen=True)
class SuffixRule:
    """One row of a suffix table: words ending in ``ending`` ("" for any) take ``forms``."""

    ending: str
    forms: tuple[str, ...]  # templates: "+" the word, "~" the word without the ending
    extra: tuple[str, ...] = ()

    def apply(self, word: str, templates: tuple[str, ...] | None = None) -> list[str]:
        stem = word[: len(word) - len(self.ending)]
        return [
            (word + t[1:]) if t.startswith("+") else (stem + t[1:])
            for t in (self.forms if templates is None else templates)
        ]


def _templates(text: str) -> tuple[str, ...]:
    if text == "-":
        return ()
    out = tuple(text.split())
    for t in out:
        if t[:1] not in ("+", "~"):
            raise ValueError(f"bad form {t!r} (start it with '+' or '~', or write '-')")
    return out


def load_tables(name: str = DATA_FILE) -> tuple[tuple[str, ...], frozenset[str], dict]:
    """(-er endings in file order, the mute ones, {table: [SuffixRule]}) from ``name``;
    a malformed row raises ResourceFormatError naming file:line."""
    endings: list[str] = []
    mute: set[str] = set()
    tables: dict[str, list[SuffixRule]] = {t: [] for t in _TABLES[1:]}
    for row in read_rows(name, min_cols=3, max_cols=4, header=True,
                         columns="table, ending, forms[, extra]"):  # fmt: skip
        table, ending, forms = row[0], row[1], row[2]
        if table not in _TABLES:
            raise row.error(f"unknown table {table!r} (use one of: {', '.join(_TABLES)})")
        if table == "er-ending":
            if forms not in ("mute", "-"):
                raise row.error(f"an er-ending is 'mute' or '-', not {forms!r}")
            endings.append(ending)
            if forms == "mute":
                mute.add(ending)
            continue
        try:
            rule = SuffixRule(
                "" if ending == "-" else ending, _templates(forms), _templates(row.get(3) or "-")
            )
        except ValueError as exc:
            raise row.error(str(exc)) from None
        tables[table].append(rule)
    for table, rules in tables.items():
        if not rules or rules[-1].ending:
            raise ResourceFormatError(f"{name}: table {table!r} must end with a default row (-)")
    return tuple(endings), frozenset(mute), tables


ER_ENDINGS, _MUTE, _RULES = load_tables()


def _rule(table: str, word: str) -> SuffixRule:
    """The first rule of ``table`` whose ending ends ``word`` (the default row last)."""
    for rule in _RULES[table]:
        if word.endswith(rule.ending):
            return rule
    raise AssertionError("every table ends with a default row")  # pragma: no cover


# ---------------------------------------------------------------------------------- matching
def _er_stems(stem: str, end: str, usual: bool = False) -> list[str]:
    """The stem spellings of a 1st-group verb before ``end``; ``usual``: the one spelling a
    suggestion uses."""
    if end[0] in "aâo":
        if stem.endswith("c"):
            return [stem[:-1] + "ç"]
        if stem.endswith("g"):
            return [stem + "e"]
    stems = [stem]
    if end in _MUTE or end.startswith("er") and end != "er":
        m = re.match(rf"^(.*)([eé])([^{_VOWELS}]+)$", stem)
        if usual:
            if m and m.group(3) not in ("l", "t") and len(m.group(3)) == 1:
                return [f"{m.group(1)}è{m.group(3)}"]
            if stem.endswith("y") and not stem.endswith("ey"):
                return [stem[:-1] + "i"]
            return stems
        if stem.endswith("y"):
            stems.append(stem[:-1] + "i")
        if m:
            head, _vowel, cons = m.groups()
            stems.append(f"{head}è{cons}")
            if cons in ("l", "t"):
                stems.append(f"{head}e{cons}{cons}")
    return stems


def er_verb_forms_with(inf: str, end: str) -> set[str]:
    """The forms of a 1st-group verb with one ending, every spelling in use."""
    return {s + end for s in _er_stems(inf[:-2], end)}


def er_verb_forms(inf: str) -> set[str]:
    """All simple forms of a 1st-group verb, with the spelling variants (ç, ge, è, ll/tt, i/y)."""
    if not inf.endswith("er") or len(inf) < 3:
        raise ValueError(f"{inf!r} is not a 1st-group verb (-er); declare its forms with @forms")
    out: set[str] = set()
    for end in ER_ENDINGS:
        out |= er_verb_forms_with(inf, end)
    return out


def er_participles(inf: str) -> set[str]:
    if not inf.endswith("er"):
        raise ValueError(f"{inf!r}: ':pp' needs a 1st-group verb (-er)")
    stem = inf[:-2]
    return {stem + e for e in ("é", "ée", "és", "ées")}


def adjective_forms(w: str) -> set[str]:
    """Masculine/feminine, singular/plural of a regular adjective (or a noun with a feminine)."""
    fem_rule = _rule("match-feminine", w)
    forms = {w, *fem_rule.apply(w, fem_rule.extra), *_rule("match-plural", w).apply(w)}
    for f in fem_rule.apply(w):
        forms |= {f, f + "s"}
    return forms


def noun_forms(w: str) -> set[str]:
    return {w, *_rule("noun-plural", w).apply(w)}


# ---------------------------------------------------------------------------------- suggestions
_ENDING_BY_FORM: dict[str, dict[str, str]] = {}


def er_ending(lemma: str, form: str) -> str | None:
    """The ending of a 1st-group verb form ("supportons" -> "ons"), None when ambiguous."""
    table = _ENDING_BY_FORM.get(lemma)
    if table is None:
        table = {}
        for end in ER_ENDINGS:
            for f in er_verb_forms_with(lemma, end):
                table.setdefault(f, end)
        _ENDING_BY_FORM[lemma] = table
    return table.get(form)


def conjugate_er(inf: str, end: str) -> str:
    """The form of a 1st-group verb with an ending (the usual spelling: ç, ge, è)."""
    return _er_stems(inf[:-2], end, usual=True)[0] + end


def adj_gender_number(lemma: str, form: str) -> tuple[str, str] | None:
    """('m'|'f', 's'|'p') of a form of an adjective or noun lemma, None when unknown."""
    if form == lemma:
        return "m", "s"
    fem = adjective_forms(lemma) - {lemma}
    plural_m = {f for f in noun_forms(lemma) if f != lemma} | {lemma + "s", lemma[:-1] + "ux"}
    if form in plural_m:
        return "m", "p"
    if form in fem:
        return ("f", "p") if form.endswith("s") else ("f", "s")
    return None


def inflect_adjective(word: str, gender: str, number: str) -> str:
    """A regular adjective (or noun) put in a gender and number (the usual spelling)."""
    if gender == "f":
        word = _rule("feminine", word).apply(word)[0]
    if number == "p":
        word = _rule("plural", word).apply(word)[0]
    return word


def match_case(original: str, replacement: str) -> str:
    """``replacement`` written with the case of ``original``: all capitals stay all capitals,
    a capital first letter (the start of a sentence) stays a capital."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if original[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement

"""How the context of an English run sets its severity: quoted as English, glossed in
brackets, introduced as a term, a title-case headline. The words that mark a quotation as
English, or introduce a term, are ``data/english_markers.tsv``."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from mtaudit.core.findings import Severity
from mtaudit.core.resources import read_rows
from mtaudit.lang.englishness import EN101_QUOTE, foreign_quotation

if TYPE_CHECKING:
    from mtaudit.core.document import Document

MARKERS = "english_markers.tsv"
# a run or span of at least this many words is a passage (EN102's threshold too)
SPAN_MIN_WORDS = 4
# the word kinds that count as English in a quotation (EN101_QUOTE of mtaudit.lang.englishness)
_FOREIGN_KINDS = ("strong", "lean", "weak", "french", "name")


@cache
def markers() -> tuple[re.Pattern, re.Pattern]:
    """(a quotation marked as English, a term introduced as such), from english_markers.tsv."""
    found: dict[str, list[str]] = {"quoted": [], "term": []}
    for row in read_rows(MARKERS, min_cols=2, max_cols=3, header=True, columns="kind, pattern[, note]"):
        if row[0] not in found:
            raise row.error(f"unknown kind {row[0]!r} (quoted or term)")
        try:
            re.compile(row[1])
        except re.error as exc:
            raise row.error(f"bad pattern: {exc}") from None
        found[row[0]].append(row[1])
    # a quotation marked as English by its context: "en anglais", a tweet
    quoted = re.compile("(?:" + "|".join(found["quoted"]) + ")", re.I)
    # words that introduce a term as such: dit, appelé, baptisé, surnommé, ce qu'on appelle
    term = re.compile(
        r"\b(?:" + "|".join(found["term"]) + r")[ \u00a0]+(?:[\w'’-]+[ \u00a0]+){0,2}$", re.I
    )
    return quoted, term


def marked_english(doc: Document, q: tuple[int, int]) -> bool:
    """The article says the quotation ``q`` is English: "en anglais", a tweet, a translation
    in brackets right after it."""
    qs, qe = q
    para = doc.paragraph_at(qs)
    lo = para.start if para is not None else 0
    hi = para.start + len(para.text) if para is not None else len(doc.text)
    before = doc.text[max(lo, qs - 80) : qs]
    after = doc.text[qe : min(hi, qe + 60)]
    # "…, a-t-il lancé en anglais", "…, a-t-il tweeté": the words after, up to the full stop
    after_clause = re.split(r"[.!?«“]", after, maxsplit=1)[0]
    quoted, _term = markers()
    if quoted.search(before) or quoted.search(after_clause):
        return True
    # a translation in brackets right after: « … » (« … ») or « … » (…)
    return re.match(r"[\s\u00a0\u202f,]*[(\[]", after) is not None


def severity(doc: Document, r, kinds: list, words: list) -> tuple[Severity, str]:
    """The severity of run ``r`` (an analysis Run) and the reason its message gives."""
    q = doc.in_quote(r.start, r.end)
    if q is not None and len(r.words) >= SPAN_MIN_WORDS:
        # a whole English sentence quoted: info when the article says it is English (or
        # translates it); quoted in running prose without a translation, a finding
        if marked_english(doc, q):
            return Severity.INFO, "quoted"
        return Severity.MAJOR, "untranslated-quote"
    if q is not None:
        qwords = doc.word_range(*q)
        if foreign_quotation((kinds[i] in _FOREIGN_KINDS for i in qwords), EN101_QUOTE):
            return Severity.INFO, "quoted"
    after = doc.text[r.end : r.end + 3].lstrip(" \u00a0")
    if after.startswith("("):
        return Severity.INFO, "glossed"
    head = doc.text[max(doc.sentences[r.sentence].start, r.start - 50) : r.start]
    if len(r.words) < SPAN_MIN_WORDS and markers()[1].search(head):
        # "les financements dits fast start": a term the writer introduces as English
        return Severity.MINOR, "named"
    if r.title_case and len(r.words) < 6:
        # a short English headline may be the title of a film or a book
        return Severity.MINOR, ""
    return Severity.MAJOR, ""

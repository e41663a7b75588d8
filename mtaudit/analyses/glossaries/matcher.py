"""Matching a glossary's trie against text, token by token (linear in the text whatever the
size of the glossary), longest form first.

A multi-token form matches only across white space, hyphens or the full stop of an
abbreviation (``St. Petersburg``), never across other punctuation; tokens are whole words, so
no form matches inside another word. A match found by its key is then classified by its
spelling: the form as written (preferred, also, flag), the French form without its accents
(``accents``) or in capitals (``caps``), or no match at all (Valéry is not Valeri).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.analyses.glossaries.entries import GlossaryEntry, GlossaryForm
from mtaudit.analyses.glossaries.spelling import is_acronym, name_particles
from mtaudit.analyses.glossaries.tokens import NameToken, tokenize
from mtaudit.text.normalise import strip_accents

_JOIN = re.compile(r"[ \t\u00a0\u202f]*[-‐‑][ \t\u00a0\u202f]*|[ \t\u00a0\u202f]+")
_ABBR_JOIN = re.compile(r"\.[ \t\u00a0\u202f]+")

# a trie node: token key -> child node, and None -> the forms ending here
Trie = dict


@dataclass
class NameMatch:
    """A glossary form found in the text."""

    start: int
    end: int
    text: str  # the surface as written
    form: GlossaryForm
    status: str  # "preferred" | "also" | "flag" | "accents" | "caps"
    paragraph: int
    first_token: int  # index into the paragraph's tokens
    last_token: int

    @property
    def entry(self) -> GlossaryEntry:
        return self.form.entry


def joinable(text: str, a: NameToken, b: NameToken, base: int) -> bool:
    """May a and b belong to one name? Only white space or a hyphen between them."""
    gap = text[a.end - base : b.start - base]
    if not gap or a.elision:
        return False
    if _JOIN.fullmatch(gap):
        return True
    # St. Petersburg, Mt. Paektu: the full stop of a short abbreviation
    return len(a.text) <= 3 and a.cap and bool(_ABBR_JOIN.fullmatch(gap))


def match_paragraph(
    trie: Trie,
    max_len: int,
    text: str,
    offset: int,
    paragraph: int = 0,
    tokens: list[NameToken] | None = None,
) -> list[NameMatch]:
    toks = tokens if tokens is not None else tokenize(text, offset)
    has_lower = any(c.islower() for c in text)
    out: list[NameMatch] = []
    i, n = 0, len(toks)
    while i < n:
        node = trie.get(toks[i].key)
        if node is None or toks[i].elision:
            i += 1
            continue
        cands: list[tuple[int, list[GlossaryForm]]] = []
        j = i + 1
        if None in node:
            cands.append((j, node[None]))
        while j < n and j - i < max_len and joinable(text, toks[j - 1], toks[j], offset):
            node = node.get(toks[j].key)
            if node is None:
                break
            j += 1
            if None in node:
                cands.append((j, node[None]))
        found = None
        for end, forms in reversed(cands):  # longest first
            m = _classify(text, offset, toks, i, end, forms, paragraph, has_lower)
            if m is not None:
                found = m
                break
        if found is None:
            i += 1
        else:
            out.append(found)
            i = found.last_token + 1
    return out


def _classify(text, offset, toks, i, j, forms, paragraph, has_lower) -> NameMatch | None:
    span = toks[i:j]
    surface = text[span[0].start - offset : span[-1].end - offset]
    allcaps = all(t.allcaps or len(t.text) == 1 for t in span) and any(t.allcaps for t in span)
    sp = " ".join(t.spelling for t in span)
    particles = name_particles()
    ok: list[GlossaryForm] = []
    for f in forms:
        good = True
        for ft, tt in zip(f.tokens, span, strict=False):
            if is_acronym(ft):
                # an acronym matches only in capitals, and not in a headline set in capitals
                if not tt.allcaps or not has_lower:
                    good = False
                    break
            elif ft[:1].isupper() and ft.lower() not in particles and not tt.cap:
                good = False
                break
        if good:
            ok.append(f)
    if not ok:
        return None
    # a given name counts only before another capitalised word (its surname)
    if all(f.entry.kind == "given-name" for f in ok):
        nxt = toks[j] if j < len(toks) else None
        if nxt is None or not nxt.cap or not joinable(text, toks[j - 1], nxt, offset):
            return None
    chosen: GlossaryForm | None = next((f for f in ok if f.spelling == sp), None)
    status = chosen.status if chosen else ""
    if chosen is None:
        entry = ok[0].entry
        pref = next(f for f in entry.forms if f.status == "preferred")
        accepted = [f for f in entry.forms if f.status in ("preferred", "also")]
        if allcaps:
            # capitals often drop accents: HANOI is Hanoï
            chosen, status = pref, "caps"
        elif any(strip_accents(sp) == f.stripped and f.spelling != sp for f in accepted) and any(
            ord(c) > 127 for c in pref.spelling
        ):
            chosen, status = pref, "accents"
        else:
            return None  # another spelling of these letters (Valéry is not Valeri): no match
    elif allcaps and status == "flag":
        pref = next(f for f in chosen.entry.forms if f.status == "preferred")
        if pref.key == chosen.key:
            # HANOI in a headline: the accent may just have been dropped with the case
            status = "caps"
    return NameMatch(span[0].start, span[-1].end, surface, chosen, status, paragraph, i, j - 1)

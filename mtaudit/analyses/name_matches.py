"""The names of a document against the glossaries: the ``names`` analysis, read by the NM5xx
rules with ``doc.analysis(ctx, "names")``.

It holds data only (matches, tokens, the flagged names grouped); the rules in
``mtaudit/checks/names.py`` turn it into findings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtaudit.analyses.framework import Analysis, register_analysis
from mtaudit.analyses.glossaries import (
    Glossary,
    NameMatch,
    NameToken,
    fold,
    glossary_paths,
    is_acronym,
    load_glossary,
    split_tokens,
    tokenize,
)

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

# a flagged name is an English transcription, or a deviation from the house glossary
ENGLISH = "english"
HOUSE = "house"


@dataclass
class FlaggedName:
    """Flagged occurrences reported as one: adjacent English forms merge (Sergei Shoigu)."""

    matches: list[NameMatch]
    kind: str  # ENGLISH (NM501) | HOUSE (NM503)

    @property
    def first(self) -> NameMatch:
        return self.matches[0]

    @property
    def start(self) -> int:
        return self.matches[0].start

    @property
    def end(self) -> int:
        return self.matches[-1].end


@dataclass
class NameMatches:
    matches: list[NameMatch]
    tokens: list[list[NameToken]]  # per kept paragraph
    # per entry (by id), its matches as written, accepted or flagged, in document order
    by_entry: dict[int, list[NameMatch]] = field(default_factory=dict)
    redefined: set[str] = field(default_factory=set)  # acronyms the article defines otherwise
    flagged: list[FlaggedName] = field(default_factory=list)  # in document order

    def unmatched_tokens(self) -> list[NameToken]:
        """The tokens no glossary form covers (elided articles left out), in document order."""
        covered: set[tuple[int, int]] = set()
        for m in self.matches:
            covered.update((m.paragraph, t) for t in range(m.first_token, m.last_token + 1))
        return [
            t
            for pi, toks in enumerate(self.tokens)
            for ti, t in enumerate(toks)
            if (pi, ti) not in covered and not t.elision
        ]


def glossary_in_force(ctx: Context) -> Glossary:
    """The merged glossary of the context's configuration (a per-configuration resource)."""
    paths = tuple(glossary_paths(ctx.config))
    return ctx.resource(f"names.glossary:{paths!r}", lambda: load_glossary(paths))


@register_analysis
class NamesAnalysis(Analysis):
    name = "names"
    provides = (
        "the document's names matched against the glossaries in force, "
        "a mtaudit.analyses.name_matches.NameMatches"
    )

    def run(self, doc: Document, ctx: Context) -> NameMatches:
        return match_names(doc, glossary_in_force(ctx))


def match_names(doc: Document, glossary: Glossary) -> NameMatches:
    matches, tokens = glossary.match_document(doc)
    by_entry: dict[int, list[NameMatch]] = defaultdict(list)
    for m in matches:
        if m.status in ("preferred", "also", "flag", "accents"):
            by_entry[id(m.entry)].append(m)
    redefined = redefined_acronyms(doc, matches)
    return NameMatches(
        matches, tokens, dict(by_entry), redefined, _flagged(doc, matches, redefined)
    )


def _flagged(doc: Document, matches: list[NameMatch], redefined: set[str]) -> list[FlaggedName]:
    flagged: list[tuple[NameMatch, str]] = []
    for m in matches:
        e = m.entry
        if m.status == "flag" and m.text in redefined:
            continue
        if m.status == "flag":
            flagged.append((m, ENGLISH if (not e.house or m.form.english) else HOUSE))
        elif m.status == "accents":
            flagged.append((m, ENGLISH))
    groups: list[FlaggedName] = []
    for m, kind in flagged:
        if groups:
            prev = groups[-1]
            pm = prev.matches[-1]
            gap = doc.text[pm.end : m.start]
            if (
                kind == prev.kind == ENGLISH
                and pm.paragraph == m.paragraph
                and gap.strip() == ""
                and 0 < len(gap) <= 2
                and m.status == pm.status == "flag"
            ):
                prev.matches.append(m)
                continue
        groups.append(FlaggedName([m], kind))
    return groups


def redefined_acronyms(doc: Document, matches: list[NameMatch]) -> set[str]:
    """Flagged acronyms that the article defines as something else.

    "L'Institut pour la science et la sécurité internationale (ISIS)" is not the Islamic
    State: an acronym in parentheses whose preceding words share none with its glossary entry
    (forms and note) is the article's own, and none of its occurrences is reported.
    """
    out: set[str] = set()
    for m in matches:
        if m.status != "flag" or not all(is_acronym(t) for t in m.form.tokens):
            continue
        # "(ISIS)", or half of it as machine translation sometimes leaves it: "internationale ISIS)"
        if doc.text[m.start - 1 : m.start] != "(" and doc.text[m.end : m.end + 1] != ")":
            continue
        e = m.entry
        words = {fold(w) for f in e.forms for w in f.tokens} | {
            fold(w) for w in split_tokens(e.note)
        }
        para = doc.paragraphs[m.paragraph]
        # the eight words before it: a bounded window, not the paragraph up to here (quadratic)
        window = doc.text[max(para.start, m.start - 400) : m.start]
        before = [t.key for t in tokenize(window) if not t.elision][-8:]
        if not any(len(w) >= 4 and w in words for w in before):
            out.add(m.text)
    return out

"""The substitution engine: lexicons of word patterns with context conditions (anglicisms.tsv)
and plain word tables (conventions_words.tsv: English word -> French word), with their loaders.

The format is documented for linguists in ``docs/lexicon.md``; in short, each row of the TSV is
``id, kind, severity, pattern, context, suggestion, explanation, example``. A pattern is a
sequence of word atoms::

    supporter:v            every form of a 1st-group verb (supportons, supporté, supportaient…)
    officiel:a             every form of an adjective (officiel, officielle, officiels, officielles)
    problème:n             a noun and its plural
    initier:pp             past participles only (initié, initiée, initiés, initiées)
    (le|la|les)            alternatives; an alternative may be several words: (de la|du)
    très?                  optional atom; ``{m,n}`` repeats: ``*{0,2}``
    *  *ment               any one word / any word ending in "ment" (a glob)
    @num  @cap             a number (24, vingt-quatre, plusieurs) / a capitalised word
    $nat                   a word set declared by an ``@set`` row
    =Ouest                 exact case
    #  #,                  (context only) a boundary: punctuation or the edge of the sentence;
                           ``#,`` a boundary whose punctuation holds a comma

Elision is automatic: the literal ``le`` also matches ``l'``, ``de`` matches ``d'``, ``que``
matches ``qu'`` (and ’ equals '). Matching is case-insensitive and never crosses punctuation:
words are matched only within a *chunk*, a run of words separated by white space alone.

Context conditions (all must hold, separated by `` ; ``): ``next:P``, ``prev:P`` (the words
right after / before the match), ``sent:P`` (P anywhere in the sentence), ``start`` (the match
opens the sentence or follows a colon or an opening quote), each negatable with ``!``.

Matching is linear in the text: entries are indexed by every form of their first atom, so each
word of the document costs one dictionary look-up plus the few entries it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtaudit.core.findings import Severity
from mtaudit.core.resources import Row, data_path, read_rows
from mtaudit.engines import inflection, matcher
from mtaudit.engines.inflection import (  # noqa: F401 - also part of this engine's API
    adj_gender_number,
    adjective_forms,
    conjugate_er,
    er_ending,
    er_verb_forms,
    inflect_adjective,
    match_case,
    noun_forms,
)
from mtaudit.engines.matcher import Chunk, Condition, Seq, Word, chunk_sentence
from mtaudit.engines.patterns import (
    ELIDED,
    PatternCompiler,
    first_keys,
    leading_sets,
    norm,
    parse_conditions,
    required_sets,
)
from mtaudit.text import normalise

KINDS = ("anglicism", "false-friend", "calque", "english")
COLUMNS = ("id", "kind", "severity", "pattern", "context", "suggestion", "explanation", "example")
# the optional 9th column: the example as the suggestion corrects it, or "-" when the
# suggestion cannot replace the words found literally (the editor rewrites the phrase)
CORRECTED = "corrected"


class LexiconError(ValueError):
    """A malformed lexicon: the message names file:line."""


def substitution_data_files() -> tuple[str, ...]:
    """The engine's own data files (names under mtaudit/data/): a check's ``data_files``."""
    return (inflection.DATA_FILE, matcher.NUMBERS_FILE, normalise.ELISIONS_FILE)


def sources() -> tuple[list[Path], list[Path]]:
    """(the engine's modules, its data files): what a lexicon parsed by this engine depends
    on, for the key of an on-disk artefact of it."""
    from mtaudit.engines import patterns

    modules = [Path(m.__file__) for m in (inflection, matcher, patterns, normalise)]
    modules.append(Path(__file__))
    return modules, [data_path(f) for f in substitution_data_files()]


@dataclass
class Entry:
    id: str
    kind: str
    severity: Severity
    pattern: str
    context: str
    suggestion: str
    explanation: str
    example: str
    node: Seq
    conditions: list[Condition]
    source: str  # file:line
    lead: list[frozenset[str]] = field(default_factory=list)
    corrected: str = "-"  # the example corrected by the suggestion; "-": no literal suggestion
    # word sets a match needs somewhere in its chunk (a pre-filter, rarest first)
    needs: list[frozenset[str]] = field(default_factory=list)
    number: int = -1  # its place in the lexicon (set by the Lexicon)

    # the lexicon's compiler: set, an entry kept in an artefact drops its compiled pattern and
    # conditions, compiled again from their text on first use (most entries never are)
    compiler: PatternCompiler | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.lead = leading_sets(self.node)[1:]
        self.needs = required_sets(self.node)

    def __getstate__(self):
        state = dict(self.__dict__)
        if state.get("compiler") is not None:
            state.pop("node", None)
            state.pop("conditions", None)
        return state

    def __setstate__(self, state):  # defined, so that unpickling does not go through __getattr__
        self.__dict__.update(state)

    def __getattr__(self, name):  # only for attributes not set: node, conditions after loading
        comp = self.__dict__.get("compiler")
        if name in ("node", "conditions") and comp is not None:
            self.node = comp.compile(self.pattern)
            self.conditions = parse_conditions(self.context, comp)
            return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


@dataclass
class Match:
    entry: Entry
    start: int
    end: int
    sentence: int
    replacement: str = ""  # the literal replacement of text[start:end] ("" when none applies)


# ---------------------------------------------------------------------------------- suggestions
def alternatives(suggestion: str) -> list[str]:
    """The suggestion column split into its alternatives (", " outside brackets)."""
    out, depth, cur = [], 0, ""
    for c in suggestion:
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    out.append(cur.strip())
    return [a for a in out if a]


def _plain(alt: str) -> bool:
    """An alternative that can replace the span as written (no template, no explanation)."""
    return bool(alt) and not any(c in alt for c in "…()[]/;:") and "..." not in alt


_ENDING_BY_FORM: dict[str, dict[str, str]] = {}


def literal_replacement(entry: Entry, ch: Chunk, i: int, j: int, gender_of=None) -> str:
    """The entry's first plain alternative, adapted to the words found (verb ending, gender
    and number, case), or "" when it cannot replace the span literally."""
    alts = alternatives(entry.suggestion)
    if entry.corrected == "-" or not alts or not _plain(alts[0]):
        return ""
    sugg = alts[0]
    path = next((p for e, p in entry.node.paths(ch, i) if e == j), None)
    if path is None:
        return ""
    words = sugg.split(" ")
    for k, atom in enumerate(path):
        if not isinstance(atom, Word) or not atom.lemma:
            continue
        form = ch.low[i + k]
        if form == atom.lemma:
            continue
        # an inflected word: only its own class can carry over, and only onto the first word
        # of the suggestion, which must be of the same kind
        if k != 0 or len([a for a in path if isinstance(a, Word) and a.lemma]) > 1:
            return ""
        head = words[0].lower()
        if atom.cls in ("v", "pp") and atom.lemma.endswith("er"):
            end = er_ending(atom.lemma, form)
            if end is None or not head.endswith("er") or head in ("être", "aller"):
                return ""
            words[0] = conjugate_er(head, end)
        elif atom.cls in ("a", "n"):
            gn = adj_gender_number(atom.lemma, form)
            if gn is None:
                return ""
            gender, number = gn
            if atom.cls == "n":
                gender = "m"  # a noun keeps the suggestion's own gender
            if len(words) > 1 and number == "p":
                return ""  # "chiffre d'affaires" in the plural: left to the editor
            words[0] = inflect_adjective(head, gender, number)
        else:
            return ""
    # elision at the edges: "partagé qu'(elle)" -> "confié qu'", and no "d'" left before a
    # consonant ("d'élaborer" -> "de développer" is outside the span: no literal fix then)
    if ch.raw[j - 1].endswith("'") and words[-1].lower() in ELIDED:
        words[-1] = ELIDED[words[-1].lower()]
    elif words[-1].endswith("'") and not ch.raw[j - 1].endswith("'"):
        return ""
    if i > 0:
        before = ch.low[i - 1]
        vowel = _starts_with_vowel(words[0])
        h = words[0][:1].lower() == "h"  # mute or aspirated: left to the editor
        if before.endswith("'") and before in ELIDED.values() and (not vowel or h):
            return ""
        if before in ELIDED and (vowel or h):
            return ""
    if gender_of is not None:
        # a noun replaced by a noun of the other gender: the words around it would not agree
        # ("le leadership" -> "le direction"), so no literal fix
        g1, g2 = gender_of(ch.low[i]), gender_of(words[0].lower())
        if g1 and g2 and g1 != g2:
            return ""
        # an English noun has no gender to compare: the determiner before it has one
        det = _DET_GENDER.get(ch.low[i - 1]) if i > 0 else None
        if det and g2 and det != g2:
            return ""
    raw = " ".join(ch.raw[i:j])
    return match_case(raw, " ".join(words))


_DET_GENDER = {
    **dict.fromkeys(("le", "un", "ce", "cet", "du", "au", "mon", "ton", "son", "quel"), "m"),
    **dict.fromkeys(("la", "une", "cette", "ma", "ta", "sa", "quelle"), "f"),
}


def _starts_with_vowel(word: str) -> bool:
    import unicodedata

    c = unicodedata.normalize("NFD", word[:1].lower())[:1]
    return c in "aeiouy"  # an h counts as a consonant: no literal fix where it would matter


@dataclass
class Lexicon:
    entries: list[Entry]
    index: dict[str, list[Entry]] = field(default_factory=dict)
    path: str = ""
    # the gender of a noun ("m", "f") or None: set by AN201 from the grammar lexicon, so that a
    # suggestion never swaps a noun for one of the other gender
    gender_of: object = None

    # each entry's rarest needed word set, inverted: word -> the entries (by number) it admits
    by_need: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self):
        if not self.index:
            for e in self.entries:
                for k in sorted(first_keys(e.node) or ()):
                    self.index.setdefault(k, []).append(e)
        if not self.by_need:
            for n, e in enumerate(self.entries):
                e.number = n
                for w in e.needs[0] if e.needs else ():
                    self.by_need.setdefault(w, []).append(n)

    def __len__(self) -> int:
        return len(self.entries)

    def match_chunks(self, chunks: Sequence[Chunk], sentence: int = 0) -> Iterator[Match]:
        """Every entry match in one sentence (its chunks); the longest match per entry/start."""
        index, by_need = self.index, self.by_need
        admitted: set[int] = set()
        for ci, ch in enumerate(chunks):
            words = None  # the chunk's words, as a set: made when a word starts an entry
            n = len(ch.low)
            for i, w in enumerate(ch.low):
                cands = index.get(w)
                if not cands:
                    continue
                if words is None:
                    words = frozenset(ch.low)
                    admitted = {n for w2 in words for n in by_need.get(w2, ())}
                for e in cands:
                    if e.needs and (
                        e.number not in admitted or any(words.isdisjoint(f) for f in e.needs)
                    ):
                        continue  # a word every match has is not in the chunk
                    if e.lead and any(
                        i + k + 1 >= n or ch.low[i + k + 1] not in f for k, f in enumerate(e.lead)
                    ):
                        continue
                    best = max(e.node.ends(ch, i), default=None)
                    if best is None or best == i:
                        continue
                    if all(c.holds(chunks, ci, i, best) for c in e.conditions):
                        yield Match(
                            e,
                            ch.starts[i],
                            ch.ends[best - 1],
                            sentence,
                            literal_replacement(e, ch, i, best, self.gender_of),
                        )

    def match_text(self, text: str) -> list[Match]:
        """Match a plain text (segmented like a document); for tests and examples."""
        from mtaudit.text.segment import split_sentences, tokenize

        out: list[Match] = []
        for si, (s, e) in enumerate(split_sentences(text)):
            toks = [(t, a, b, k) for t, a, b, k in tokenize(text[s:e], s)]
            out.extend(self.match_chunks(chunk_sentence(text, s, e, toks), si))
        return out


_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon TSV; a malformed line raises :class:`LexiconError` naming file:line."""
    path = Path(path)
    comp = PatternCompiler()
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for row in read_rows(path):
        lineno, where, cols = row.line, row.where, row.cols
        try:
            if cols[0] == "@set":
                if len(cols) != 3 or not re.fullmatch(r"[a-z][a-z0-9_]*", cols[1]):
                    raise ValueError("an @set row is: @set<TAB>name<TAB>word word …")
                forms: set[str] = set()
                for w in cols[2].split():
                    if w.startswith("$"):
                        if w[1:] not in comp.sets:
                            raise ValueError(f"unknown set {w!r} (declare it first)")
                        forms |= comp.sets[w[1:]]
                    else:
                        forms |= comp.word_forms(w)
                _declare(comp.sets, cols[1], frozenset(forms), "@set")
                continue
            if cols[0] == "@forms":
                if len(cols) != 3 or not cols[1].strip():
                    raise ValueError("an @forms row is: @forms<TAB>lemma<TAB>form form …")
                _declare(comp.forms, norm(cols[1]), frozenset(norm(w) for w in cols[2].split()), "@forms")
                continue
            if cols[0].startswith("@"):
                raise ValueError(f"unknown directive {cols[0]!r} (use @set or @forms)")
            if len(cols) not in (len(COLUMNS), len(COLUMNS) + 1):
                raise ValueError(
                    f"expected {len(COLUMNS)} or {len(COLUMNS) + 1} tab-separated columns "
                    f"({', '.join(COLUMNS)}[, {CORRECTED}]), found {len(cols)}"
                )
            eid, kind, sev, pattern, context, sugg, expl, example = cols[:8]  # stripped
            corrected = cols[8] if len(cols) > 8 and cols[8] else "-"
            if not _ID.match(eid):
                raise ValueError(f"bad id {eid!r} (lower-case letters, digits, '-', '.')")
            if eid in seen:
                raise ValueError(f"duplicate id {eid!r} (first at {seen[eid]})")
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r} (use one of: {', '.join(KINDS)})")
            severity = Severity.parse(sev or "minor")
            for col, val in (("suggestion", sugg), ("explanation", expl), ("example", example)):
                if not val:
                    raise ValueError(f"empty {col}")
            node = comp.compile(pattern)
            if first_keys(node) is None:
                raise ValueError(
                    f"pattern {pattern!r} must start with a word, a lemma, alternatives "
                    "of words or a $set (not a wildcard, class or optional atom)"
                )
            conditions = parse_conditions(context, comp)
        except LexiconError:
            raise
        except ValueError as exc:
            raise LexiconError(f"{path}:{lineno}: {exc}") from None
        seen[eid] = where
        entries.append(
            Entry(
                eid,
                kind,
                severity,
                pattern,
                context,
                sugg,
                expl,
                example,
                node,
                conditions,
                where,
                corrected=corrected,
                compiler=comp,
            )
        )
    return Lexicon(entries, path=str(path))


def _declare(table: dict, name: str, value: frozenset, directive: str) -> None:
    """A set or a verb's forms declared once: patterns are compiled again from the final
    declarations when a parsed lexicon is loaded, so a second, different value is an error."""
    if table.get(name, value) != value:
        raise ValueError(f"{directive} {name!r} is declared a second time with other words")
    table[name] = value


# ---------------------------------------------------------------------------------- word tables
@dataclass(frozen=True)
class WordSubstitution:
    """One row of a word table: an English ``source`` and its French ``replacement``."""

    kind: str
    source: str
    replacement: str
    note: str
    row: Row  # where it was written (row.error(...) names file:line)


def load_word_table(
    name: str | Path, kinds: Sequence[str], columns: str = "kind, english, french[, note]"
) -> list[WordSubstitution]:
    """The rows of a table of word substitutions (``kind, english, french[, note]``, the first
    data line naming the columns), such as conventions_words.tsv; a row of an unknown kind or
    with too few columns raises ResourceFormatError naming file:line."""
    out = []
    for row in read_rows(name, min_cols=3, header=True, columns=columns):
        if row[0] not in kinds:
            raise row.error(f"unknown kind {row[0]!r} (use one of: {', '.join(kinds)})")
        out.append(WordSubstitution(row[0], row[1], row[2], row.get(3), row))
    return out

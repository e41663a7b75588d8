"""Grammar checks (GR7xx): agreement and elision errors typical of machine translation.

The checks look at short, unambiguous patterns only: a determiner and the noun it introduces,
an adjective next to its noun, a word that must elide or take its euphonic form before a vowel,
a common word that lost its accent.
Every word's gender comes from ``grammar/lexicon.tsv`` (derived from Lexique 3.83) corrected by
``grammar/genders.tsv``; a word with both genders, with no known gender, or that could be
another part of speech in that position is skipped, never guessed. Capitalised words inside a
sentence are names (Le Monde, La Croix) and are skipped too.
The word lists the rules read (determiners, prepositions, elisions…) are files of
``mtaudit/data/grammar/``, each with a header saying what it is for (:class:`WordLists`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache

from mtaudit.checks import Check, register
from mtaudit.core.document import Document
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _
from mtaudit.core.resources import Row, data_path, read_lines, read_rows

GRAMMAR_DIR = "grammar"
LEXICON_FILE = "grammar/lexicon.tsv"
GENDERS_FILE = "grammar/genders.tsv"
H_ASPIRE_FILE = "grammar/h_aspire.txt"
PRENOMINAL_FILE = "grammar/prenominal.txt"
COMPOUNDS_FILE = "grammar/compound_prefixes.txt"
ACCENTS_FILE = "grammar/accents.txt"
# what Lexicon.load reads
LEXICON_FILES = (LEXICON_FILE, GENDERS_FILE, H_ASPIRE_FILE, PRENOMINAL_FILE, COMPOUNDS_FILE)

# Between two words of one pattern: spaces and quotation marks only (no comma, no bracket).
_GAP = re.compile(r"[\s\"«»“”„‹›\u00a0\u202f]*")
_VOWEL = set("aeiouàâäéèêëîïôöùûüœæ")
_APOS = ("'", "’")


# ----------------------------------------------------------------------------- word lists
def word_set(name: str) -> frozenset[str]:
    """The words of a one-word-a-line file of mtaudit/data/ (``grammar/cardinals.txt``).

    The rules compare them with lower-cased tokens whose apostrophe is ', so an entry with a
    capital, a ’ or a space could never match: it is an error naming the file and line."""
    words = set()
    for row in read_lines(data_path(name)):
        w = row[0]
        if w != w.lower() or "’" in w or any(c.isspace() for c in w):
            raise row.error(f"{w!r}: one word a line, in lower case, with the apostrophe '")
        words.add(w)
    return frozenset(words)


def _table(name: str, columns: str, min_cols: int, max_cols: int) -> list[Row]:
    return read_rows(
        data_path(f"{GRAMMAR_DIR}/{name}.tsv"),
        min_cols=min_cols,
        max_cols=max_cols,
        header=True,
        columns=columns,
    )


def _choice(row: Row, i: int, allowed: tuple[str, ...], what: str) -> str:
    if row[i] not in allowed:
        raise row.error(f"unknown {what} {row[i]!r} (one of {', '.join(allowed)})")
    return row[i]


@dataclass(frozen=True)
class Det:
    gender: str
    kind: str  # "art" article, "pro" may be a pronoun (le, la, ce), "poss" possessive
    other: str  # the same determiner in the other gender
    vowel_other: str | None = None  # the form to use before a vowel (l', cet, son)


@dataclass(frozen=True)
class WordLists:
    """The word lists of the GR7xx rules, each a file of mtaudit/data/grammar/ whose header
    says what it is for: a mapping field is the table ``<field>.tsv``, a set field the
    one-word-a-line file ``<field>.txt``."""

    elision: Mapping[str, tuple[str, str]]  # word -> (elided form, "any"/"noun"/"pronoun")
    euphonic: Mapping[str, str]  # nouveau -> nouvel
    possessives: Mapping[str, str]  # ma -> mon
    determiners: Mapping[str, Det]
    elision_pronouns: frozenset[str]
    elision_exceptions: frozenset[str]
    masculine_singular_determiners: frozenset[str]
    prepositions: frozenset[str]
    not_article_before: frozenset[str]
    determiners_before_adjective: frozenset[str]
    complement_prepositions: frozenset[str]
    colour_shades: frozenset[str]
    articles: frozenset[str]
    chain_determiners: frozenset[str]
    detached_adjectives: frozenset[str]
    degree_adverbs: frozenset[str]
    adverbial_nouns: frozenset[str]
    avoir_forms: frozenset[str]
    capitalised_nouns: frozenset[str]
    noun_phrase_starts: frozenset[str]
    cardinals: frozenset[str]
    not_quantity_after: frozenset[str]
    numeral_skip: frozenset[str]

    @classmethod
    def set_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.type == "frozenset[str]"]

    @classmethod
    def files(cls) -> tuple[str, ...]:
        """Every file the lists are read from (for the rules' ``data_files``)."""
        tables = [f.name for f in fields(cls) if f.type.startswith("Mapping")]
        return tuple(
            [f"{GRAMMAR_DIR}/{n}.tsv" for n in tables]
            + [f"{GRAMMAR_DIR}/{n}.txt" for n in cls.set_names()]
        )

    @classmethod
    def load(cls) -> WordLists:
        elision = {
            r[0]: (r[1], _choice(r, 2, ("any", "noun", "pronoun"), "condition"))
            for r in _table("elision", "word, elided, condition", 3, 3)
        }
        determiners = {
            r[0]: Det(
                _choice(r, 1, ("m", "f"), "gender"),
                _choice(r, 2, ("art", "pro", "poss"), "kind"),
                r[3],
                r.get(4) or None,
            )
            for r in _table("determiners", "determiner, gender, kind, other[, before_vowel]", 4, 5)
        }
        return cls(
            elision=elision,
            euphonic={r[0]: r[1] for r in _table("euphonic", "adjective, before_vowel", 2, 2)},
            possessives={r[0]: r[1] for r in _table("possessives", "feminine, before_vowel", 2, 2)},
            determiners=determiners,
            **{n: word_set(f"{GRAMMAR_DIR}/{n}.txt") for n in cls.set_names()},
        )

    @cached_property
    def gr701_triggers(self) -> frozenset[str]:
        """The words GR701 looks at: elisions, euphonic adjectives, possessives, ce and si."""
        return frozenset(self.elision).union(self.euphonic, self.possessives, ("ce", "si"))


def _words(ctx) -> WordLists:
    return ctx.resource("grammar-words", WordLists.load)


# ----------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class WordInfo:
    """What the lexicon says about one word form."""

    codes: tuple[str, ...]
    pos: frozenset[str] = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "pos", frozenset(c[0] for c in self.codes))

    def _gendered(self, pos: str = "NAP") -> list[str]:
        return [c for c in self.codes if c[0] in pos]

    @property
    def known(self) -> bool:
        return bool(self.codes)

    @property
    def noun(self) -> bool:
        return "N" in self.pos

    @property
    def adj(self) -> bool:
        return "A" in self.pos

    @property
    def participle(self) -> bool:
        return "P" in self.pos

    def has(self, kinds: str) -> bool:
        return not self.pos.isdisjoint(kinds)

    def gender(self, plural_default: bool = False) -> str | None:
        """'m' or 'f' when every gendered analysis agrees; None when both are possible.

        Gender "d" (persons, la chef) counts as both, or as masculine in the plural when
        ``plural_default`` is set.
        """
        gs = set()
        for c in self._gendered():
            g, n = c[1], c[2]
            if g == "d":
                g = "m" if plural_default and n == "p" else "e"
            gs.add(g)
        if len(gs) == 1 and gs <= {"m", "f"}:
            return gs.pop()
        return None

    @property
    def numbers(self) -> set[str]:
        return {c[2] for c in self._gendered()}

    @property
    def singular(self) -> bool:
        ns = self.numbers
        return bool(ns) and ns <= {"s", "i"}

    @property
    def plural(self) -> bool:
        ns = self.numbers
        return bool(ns) and ns <= {"p", "i"}


def numbers_agree(a: WordInfo, b: WordInfo) -> bool:
    na, nb = a.numbers, b.numbers
    if not na or not nb:
        return False
    return "i" in na or "i" in nb or bool(na & nb)


def _codes(row: Row) -> tuple[str, ...]:
    """The analyses of a lexicon row. A noun, adjective or participle analysis is part of
    speech + gender + number (the checks read c[1] and c[2]): anything else is an error
    naming the file and line."""
    codes = tuple(row[1].split())
    for c in codes:
        if c[0] in "NAP" and (len(c) != 3 or c[1] not in "mfed" or c[2] not in "spi"):
            raise row.error(
                f"bad analysis {c!r} for {row[0]!r} (N, A, P + gender m/f/e/d + number s/p/i)"
            )
    return codes


class Lexicon:
    def __init__(
        self,
        entries: dict[str, tuple[str, ...]],
        adj_forms: dict[str, dict[str, str]],
        lemma_of: dict[str, str],
        h_exact: frozenset[str],
        h_stems: tuple[str, ...],
        prenominal: frozenset[str] = frozenset(),
        head_last: frozenset[str] = frozenset(),
    ):
        self.prenominal = prenominal
        self.head_last = head_last  # compound_prefixes.txt: ex-, vice-, sous-…
        self.entries = entries
        self.adj_forms = adj_forms  # lemma -> {"ms": form, "fp": form, ...}
        self.lemma_of = lemma_of  # adjective form -> lemma
        self.h_exact = h_exact
        self.h_stems = h_stems

    @classmethod
    def load(cls) -> Lexicon:
        entries: dict[str, tuple[str, ...]] = {}
        lemma_of: dict[str, str] = {}
        adj_forms: dict[str, dict[str, str]] = {}
        for parts in read_rows(data_path(LEXICON_FILE), min_cols=2, columns="form, analyses[, lemma]"):
            form, codes = parts[0], _codes(parts)
            if len(parts) > 2 and parts[2] and "," not in parts[2]:
                lemma = parts[2]
                # Lexique lists some epicene adjectives under one gender only
                # (hydroélectrique: f): a form equal to its masculine lemma is epicene.
                # and a masculine lemma ending in -e is epicene too (pharaonique).
                if form in (lemma, lemma + "s"):
                    both = "mf" if lemma.endswith("e") else "f"
                    codes = tuple(
                        c[0] + "e" + c[2] if c[0] == "A" and c[1] in both else c for c in codes
                    )
                lemma_of[form] = lemma
                for c in codes:
                    if c[0] == "A" and c[1] in "mfe" and c[2] in "sp":
                        for g in "mf" if c[1] == "e" else c[1]:
                            adj_forms.setdefault(lemma, {}).setdefault(g + c[2], form)
            entries[form] = codes
        settled = set()
        for parts in read_rows(data_path(GENDERS_FILE), min_cols=2, columns="form, analyses[, note]"):
            entries[parts[0]] = _codes(parts)
            if (parts.get(2) or "").startswith("loanword"):
                settled.add(parts[0].lower())
        # a plural takes the "either gender" of its singular (ministre: e, ministres: e)
        for form, codes in list(entries.items()):
            if form.endswith("s") and any(c[:2] == "Ne" for c in entries.get(form[:-1], ())):
                entries[form] = tuple(
                    "Ne" + c[2] if c[0] == "N" and c[1] in "mf" else c for c in codes
                )
        lex = cls(entries, adj_forms, lemma_of, *cls._small_lists())
        lex.settled = frozenset(settled)
        return lex

    @classmethod
    def cached(cls) -> Lexicon:
        """:meth:`load`, its big tables read from an on-disk artefact (mtaudit.core.artefacts)
        keyed by the lexicon files and this module's source: not rebuilt on every run."""
        from mtaudit.core import artefacts

        small = {}

        def build():
            lex = cls.load()
            small["lex"] = lex
            return {
                "entries": lex.entries,
                "adj_forms": lex.adj_forms,
                "lemma_of": lex.lemma_of,
            }

        t = artefacts.load(
            "grammar-lexicon",
            artefacts.input_identity(__file__),
            [artefacts.input_identity(data_path(f)) for f in (LEXICON_FILE, GENDERS_FILE)],
            build,
        )
        if "lex" in small:
            return small["lex"]
        lex = cls(t["entries"], t["adj_forms"], t["lemma_of"], *cls._small_lists())
        lex.settled = cls._settled()
        return lex

    @staticmethod
    def _settled() -> frozenset[str]:
        """English loanwords whose gender grammar/genders.tsv says is settled (a small file)."""
        return frozenset(
            parts[0].lower()
            for parts in read_rows(data_path(GENDERS_FILE), min_cols=2, columns="form, analyses[, note]")
            if (parts.get(2) or "").startswith("loanword")
        )

    @staticmethod
    def _small_lists() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], frozenset[str]]:
        exact, stems = set(), []
        for row in read_lines(data_path(H_ASPIRE_FILE)):
            w = row[0].lower()
            if w.endswith("*"):
                stems.append(w[:-1])
            else:
                exact.add(w)
        prenominal = set()
        for row in read_lines(data_path(PRENOMINAL_FILE)):
            prenominal.add(row[0].lower())
        head_last = word_set(COMPOUNDS_FILE)
        return frozenset(exact), tuple(stems), frozenset(prenominal), head_last

    @lru_cache(maxsize=65536)  # noqa: B019 - one lexicon per process
    def info(self, word: str) -> WordInfo:
        w = word.lower().replace("’", "'")
        codes = self.entries.get(w)
        if codes is None and "œ" in w:
            codes = self.entries.get(w.replace("œ", "oe"))
        if codes is None and "-" in w:
            codes = self._compound(w)
        return WordInfo(codes or ())

    def _compound(self, w: str) -> tuple[str, ...] | None:
        """Analyses of a hyphenated compound absent from the lexicon, from its head."""
        if w.count("-") != 1:
            return None
        first, rest = w.split("-", 1)
        if first == "mi":
            return ("Nfs",)  # la mi-novembre, la mi-temps
        if first in self.head_last:
            head = self.entries.get(rest)
            if head is None or not any(c[0] == "N" for c in head):
                return None
            return tuple(c for c in head if c[0] == "N")
        head = self.entries.get(first)
        # noun-noun compounds take the gender of the first noun (accord-cadre, mot-clé)
        if head and all(c[0] == "N" for c in head):
            return tuple(c[0] + c[1] + "i" for c in head)
        return None

    def is_prenominal(self, form: str) -> bool:
        w = form.lower()
        return w in self.prenominal or self.lemma_of.get(w, "") in self.prenominal

    @lru_cache(maxsize=16384)  # noqa: B019 - one lexicon per process
    def no_elision(self, word: str) -> bool:
        w = word.lower().replace("’", "'")
        if w in self.h_exact:
            return True
        return any(w.startswith(s) for s in self.h_stems)

    def inflect_adj(self, form: str, gender: str, number: str) -> str | None:
        lemma = self.lemma_of.get(form.lower())
        if not lemma:
            return None
        forms = self.adj_forms.get(lemma, {})
        return forms.get(gender + number)


@lru_cache(maxsize=65536)
def englishy(word: str) -> bool:
    """A word far more frequent in English than in French (standing, hacker): a loanword
    whose gender and h usage vary; no gender or elision finding on it."""
    from mtaudit.lang.frequencies import zipf_frequency

    w = word.lower()
    return zipf_frequency(w, "en") > zipf_frequency(w, "fr") + 0.5


def _lexicon(ctx) -> Lexicon:
    return ctx.resource("grammar-lexicon", Lexicon.cached)


def starts_with_vowel(word: str) -> bool:
    c = word[:1].lower()
    return c in _VOWEL or unicodedata.normalize("NFD", c)[:1] in "aeiou" and c != ""


def elidable(word: str, lex: Lexicon) -> bool:
    """True when a word requires elision before it (l'accord, l'homme, d'ici)."""
    if len(word) < 2 or lex.no_elision(word):
        return False
    w = word.lower()
    if w[0] == "h":
        # mute h only for French words the lexicon knows and the h aspiré list does not hold
        return lex.info(word).known and not englishy(w)
    return starts_with_vowel(w)


# ----------------------------------------------------------------------------- token helpers
class Sent:
    """The word tokens of one sentence with helpers for adjacency."""

    def __init__(self, doc: Document, toks: list):
        self.doc = doc
        self.toks = toks
        self.low = [t.text.lower().replace("’", "'") if t.kind == "word" else "" for t in toks]

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j (j = i + 1) separated only by spaces and quotation marks."""
        a, b = self.toks[i], self.toks[j]
        if a.text.endswith(_APOS):
            return a.end == b.start
        gap = self.doc.text[a.end : b.start]
        return _GAP.fullmatch(gap) is not None

    def word(self, i: int) -> str | None:
        if 0 <= i < len(self.toks) and self.toks[i].kind == "word":
            return self.toks[i].text
        return None

    def lower(self, i: int) -> str:
        return self.low[i] if 0 <= i < len(self.low) else ""

    def proper(self, i: int) -> bool:
        """A capitalised word inside a sentence, or a word in capitals: a name, skip it."""
        t = self.toks[i]
        if t.text.isupper() and len(t.text) > 1:
            return True
        return t.text[:1].isupper() and not t.first


def sentences(doc: Document) -> list[Sent]:
    """The document's sentences as grammar analyses, built once and shared by the GR checks."""

    def build(d: Document) -> list[Sent]:
        return [Sent(d, toks) for toks in d.sentence_tokens if toks]

    return doc.derived("grammar.sentences", build)


def recase(template: str, word: str) -> str:
    """Give ``word`` the capitalisation of ``template`` (Le -> La)."""
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ----------------------------------------------------------------------------- GR702
def _noun_info(lex: Lexicon, s: Sent, j: int) -> WordInfo | None:
    w = s.word(j)
    if w is None or s.proper(j):
        return None
    # an English loanword: its gender varies, unless grammar/genders.tsv says it is settled
    if englishy(w) and w.lower() not in getattr(lex, "settled", ()):
        return None
    return lex.info(w)


# ----------------------------------------------------------------------------- checks
class _GrammarCheck(Check):
    category = "grammar"
    data_files = LEXICON_FILES + WordLists.files()


@register
class ElisionCheck(_GrammarCheck):
    """Missing elision or euphonic form before a vowel or a mute h.

    French elides de, le, la, que, je, ne, se… before a vowel or a mute h (l'accord, d'ici,
    qu'il), and uses nouvel, bel, vieil, cet, son before a masculine or feminine word that
    starts with one (un nouvel accord, cet accord, son amie). Machine translation forgets it,
    especially across a quotation mark. Words with an h aspiré (le héros, la hausse) are listed
    in grammar/h_aspire.txt and are never flagged.

    Bad: Poutine a annoncé la signature d'un nouveau "accord-clé".
    Good: Poutine a annoncé la signature d'un nouvel "accord-clé".
    """

    code = "GR701"
    name = "missing-elision"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = _lexicon(ctx)
        wl = _words(ctx)
        triggers = wl.gr701_triggers
        out = []
        for s in sentences(doc):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.low[i]
                if w not in triggers or s.proper(i):
                    continue
                j = i + 1
                nxt = s.word(j)
                if nxt is None or not s.adjacent(i, j) or s.proper(j):
                    continue
                nl = nxt.lower()
                f = None
                if w in wl.euphonic:
                    f = self._euphonic(lex, wl, s, i, j, w, nxt)
                elif w == "ce":
                    f = self._ce(lex, s, i, j, nxt)
                elif w in wl.possessives:
                    info = lex.info(nxt)
                    if (
                        elidable(nxt, lex)
                        and info.has("NA")
                        and not info.has("X")
                        and info.singular
                    ):
                        rep = recase(s.toks[i].text, wl.possessives[w])
                        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
                        f = self.finding(
                            s.toks[i].start,
                            s.toks[j].end,
                            _("'{word}' becomes '{fix}' before a word starting with a vowel").format(word=s.toks[i].text, fix=rep),
                            f"{rep}{gap}{nxt}",
                        )
                elif w == "si" and nl in ("il", "ils"):
                    rep = recase(s.toks[i].text, "s'")
                    f = self.finding(
                        s.toks[i].start, s.toks[j].end, _("'si' elides before '{next}'").format(next=nxt), f"{rep}{nxt}"
                    )
                elif w in wl.elision:
                    f = self._elide(lex, wl, s, i, j, w, nxt)
                if f:
                    f = self._quoted(doc, s, i, j, f, w in wl.euphonic)
                if f:
                    out.append(f)
        return out

    @staticmethod
    def _quoted(doc, s, i, j, f, adjective):
        """A quotation mark between a determiner or pronoun and its word (ce « animal »,
        de « ouvrir »): the word is cited or held at a distance and writers differ on eliding
        there, so minor (an adjective before a quote, nouveau « accord », stays major). The
        pair cited as a form of its own (« si il »): no finding."""
        gap = doc.text[s.toks[i].end : s.toks[j].start]
        q = doc.in_quote(s.toks[i].start, s.toks[j].end)
        if q is not None:
            inner = doc.text[q[0] + 1 : q[1] - 1].strip(" \u00a0\u202f")
            if inner == doc.text[s.toks[i].start : s.toks[j].end]:
                return None
        if not adjective and any(c in gap for c in "«»“”\"‘’"):
            f.severity = Severity.MINOR
        return f

    def _elide(self, lex, wl, s, i, j, w, nxt):
        nl = nxt.lower()
        if nl in wl.elision_exceptions or not elidable(nxt, lex):
            return None
        rep, cond = wl.elision[w]
        info = lex.info(nxt)
        if cond == "noun":
            if not info.has("NA") or info.has("X"):
                return None
        elif cond == "pronoun":
            if nl not in wl.elision_pronouns:
                return None
        elif not info.known and not _known_word(nl):
            return None
        # "de" before a foreign word inside a quote, or in a Spanish/Italian name: skip
        prev = s.lower(i - 1) if i > 0 else ""
        if w in ("le", "la") and prev in ("tout", "toute"):
            return None
        rep = recase(s.toks[i].text, rep)
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        # the quotation mark between the words stays: de « accord » -> d'« accord »
        sep = gap.strip() if rep.endswith("'") else gap
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{word}' must be elided before '{next}'").format(word=s.toks[i].text, next=nxt),
            f"{rep}{sep}{nxt}",
        )

    def _ce(self, lex, s, i, j, nxt):
        info = lex.info(nxt)
        if not elidable(nxt, lex) or not info.has("NA") or info.has("XVIGW"):
            return None
        if info.gender() == "f" or not info.singular:
            return None  # ce + feminine is GR702's (cette)
        rep = recase(s.toks[i].text, "cet")
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'ce' becomes 'cet' before '{next}'").format(next=nxt),
            f"{rep}{gap}{nxt}",
        )

    def _euphonic(self, lex, wl, s, i, j, w, nxt):
        prev = s.lower(i - 1) if i > 0 else ""
        if i == 0 or prev not in wl.masculine_singular_determiners or not s.adjacent(i - 1, i):
            return None
        info = lex.info(nxt)
        if not elidable(nxt, lex) or not info.noun or info.has("XVIGW"):
            return None
        if info.gender() == "f" or not info.singular:
            return None
        rep = recase(s.toks[i].text, wl.euphonic[w])
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{word}' becomes '{fix}' before a masculine word starting with a vowel").format(word=s.toks[i].text, fix=rep),
            f"{rep}{gap}{nxt}",
        )


def _known_word(w: str) -> bool:
    """One of wordfreq's 50,000 most frequent French words."""
    from mtaudit.lang.frequencies import rank

    r = rank("fr", w)
    return r is not None and r < 50000


@register
class DeterminerGenderCheck(_GrammarCheck):
    """Determiner and noun of different genders.

    A determiner (un/une, le/la, ce/cette, du/de la, au/à la, mon/ma, son/sa…) must have the
    gender of its noun. Machine translation from English, which has no grammatical gender,
    gets it wrong on nouns whose gender is not obvious (un orchestre, un échange). Only nouns
    with one gender in the lexicon are checked; nouns with both (le/la manche, le/la poste)
    and names are skipped. An adjective between the two is looked through when it agrees
    with the noun (sa plein appui).

    Bad: Ils ont applaudi au rythme d'une orchestre militaire.
    Good: Ils ont applaudi au rythme d'un orchestre militaire.
    """

    code = "GR702"
    name = "determiner-gender"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = _lexicon(ctx)
        wl = _words(ctx)
        out = []
        for s in sentences(doc):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.lower(i)
                det = wl.determiners.get(w)
                if det is None:
                    continue
                if s.proper(i):
                    continue  # Le Monde, La Croix
                if i > 0 and w in ("un", "une") and s.lower(i - 1) in wl.not_article_before:
                    continue
                f = self._check(lex, wl, s, i, det)
                if f:
                    out.append(f)
        return out

    def _check(self, lex, wl, s, i, det):
        j = i + 1
        if not s.adjacent(i, j):
            return None
        info = _noun_info(lex, s, j)
        if info is None or not info.known:
            return None
        head = j
        adj_between = None
        if not info.noun or (info.adj and j + 1 < len(s.toks)):
            # determiner + adjective + noun: look through the adjective when it agrees
            k = j + 1
            if (
                k < len(s.toks)
                and info.adj
                and s.adjacent(j, k)
                and lex.is_prenominal(s.toks[j].text)
            ):
                ninfo = _noun_info(lex, s, k)
                if (
                    ninfo is not None
                    and ninfo.noun
                    and not ninfo.adj
                    and not ninfo.has("XVIGW")
                    and ninfo.gender()
                ):
                    if info.gender() == ninfo.gender():
                        adj_between, head, info = j, k, ninfo
                    else:
                        return None  # the adjective disagrees with the noun: GR703's
            if adj_between is None and not info.noun:
                return None
        if adj_between is None and info.has("X"):
            return None
        g = info.gender()
        if g is None or g == det.gender:
            return None
        if adj_between is None and info.has("IG"):
            return None
        if (
            adj_between is None
            and info.has("V")
            and head + 1 < len(s.toks)
            and s.adjacent(head, head + 1)
        ):
            # "un porte parole", "une garde robe": a compound written without its hyphen
            nxt = s.word(head + 1)
            ninfo = lex.info(nxt) if nxt else None
            if ninfo and ninfo.noun and not ninfo.has("XA"):
                return None
        if (
            head + 2 < len(s.toks)
            and s.lower(head + 1) in ("à", "au")
            and s.lower(head + 2) == s.lower(head)
        ):
            # "du porte à porte", "le face à face", "un tête à tête": a compound noun
            return None
        if info.has("V") and det.kind != "art":
            # le/la/ce may be pronouns before a verb (on la change): only after a preposition
            if det.kind == "pro":
                prev = s.lower(i - 1) if i > 0 else ""
                if prev not in wl.prepositions or info.has("IP"):
                    return None
        if info.has("V") and det.kind == "pro" and s.lower(i) == "ce":
            return None
        headword = s.toks[head].text
        first = s.toks[j].text
        vowel = elidable(first, lex)
        if det.kind == "poss" and det.gender == "m" and vowel:
            return None  # son amie, mon histoire
        if s.lower(i) in ("ma", "ta", "sa") and vowel:
            return None  # GR701 (son amie)
        if s.lower(i) in ("le", "la") and vowel:
            return None  # GR701 (l')
        if s.lower(i) == "cet" and g == "f":
            rep = "cette"
        elif det.vowel_other and vowel:
            rep = det.vowel_other
        elif s.lower(i) in ("le", "la") and elidable(first, lex):
            rep = "l'"
        else:
            rep = det.other
        rep = recase(s.toks[i].text, rep)
        span_text = s.doc.text[s.toks[j].start : s.toks[head].end]
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        sep = "" if rep.endswith("'") else (gap if gap.strip() else " ")
        gname = _("masculine") if g == "m" else _("feminine")
        prev = s.lower(i - 1) if i > 0 else ""
        start = s.toks[i].start
        # "d'une orchestre": keep the suggestion readable, the span on the determiner and noun
        if prev in ("de", "à") and s.lower(i) in ("la",) and g == "m":
            rep2 = "du" if prev == "de" else "au"
            start = s.toks[i - 1].start
            rep = recase(s.toks[i - 1].text, rep2)
        return self.finding(
            start,
            s.toks[head].end,
            _("'{noun}' is {gender}: '{word}' does not agree").format(noun=headword, gender=gname, word=s.toks[i].text),
            f"{rep}{sep}{span_text}",
        )


@register
class AdjectiveGenderCheck(_GrammarCheck):
    """Adjective and noun of different genders.

    An adjective takes the gender of its noun. Checked in two precise patterns only: a
    determiner, an adjective that usually stands before the noun (grammar/prenominal.txt) and
    a noun (de grands portraits): major; and a noun, possibly with its complements (chefs
    d'État), followed by an adjective that agrees with none of them: minor, since an adjective
    may also agree with the subject (elle avait l'air désorientée). Words with both genders,
    names, and adjectives that could be verbs are skipped.

    Bad: La place était décorée de grandes portraits des deux hommes.
    Good: La place était décorée de grands portraits des deux hommes.
    """

    code = "GR703"
    name = "adjective-gender"
    severity = Severity.MINOR

    def run(self, doc, ctx):
        lex = _lexicon(ctx)
        wl = _words(ctx)
        out = []
        for s in sentences(doc):
            for i in range(len(s.toks) - 1):
                if (
                    s.low[i + 1] in wl.degree_adverbs
                    and i + 2 < len(s.toks)
                    and s.adjacent(i + 1, i + 2)
                    and s.low[i + 2]
                    and lex.info(s.low[i + 2]).has("AP")
                ):
                    # noun + adverb of degree + adjective: "une décision très attendu"
                    f = self._post(lex, wl, s, i, i + 2)
                    if f:
                        out.append(f)
                    continue
                if not s.low[i + 1] or not lex.info(s.low[i + 1]).has("AP"):
                    continue
                f = self._pre(lex, wl, s, i + 1) or self._post(lex, wl, s, i)
                if f:
                    out.append(f)
        return out

    def _adj_info(self, lex, wl, s, i) -> WordInfo | None:
        w = s.word(i)
        if w is None or s.proper(i) or w.lower() in wl.detached_adjectives:
            return None
        info = lex.info(w)
        if not info.has("AP") or info.has("XVIG"):
            return None
        if info.gender() is None:
            return None
        return info

    def _suggest(self, lex, form, gender, info):
        number = "p" if info.plural and not info.singular else "s"
        return lex.inflect_adj(form, gender, number)

    def _pre(self, lex, wl, s, i):
        """determiner + adjective + noun."""
        if (
            i == 0
            or i + 1 >= len(s.toks)
            or s.lower(i - 1) not in wl.determiners_before_adjective
            or not s.adjacent(i - 1, i)
        ):
            return None
        a = self._adj_info(lex, wl, s, i)
        if a is None or not a.adj or not lex.is_prenominal(s.toks[i].text):
            return None
        j = i + 1
        if not s.adjacent(i, j):
            return None
        ninfo = _noun_info(lex, s, j)
        if ninfo is None or not ninfo.noun or ninfo.has("XVIGWA"):
            return None
        gn, ga = ninfo.gender(), a.gender()
        if gn is None or gn == ga or not numbers_agree(a, ninfo):
            return None
        adj, noun = s.toks[i].text, s.toks[j].text
        fix = self._suggest(lex, adj, gn, a)
        gname = _("masculine") if gn == "m" else _("feminine")
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{noun}' is {gender}: the adjective '{adj}' does not agree").format(noun=noun, gender=gname, adj=adj),
            f"{fix} {noun}" if fix else None,
            severity=Severity.MAJOR,
            pattern="adjective-noun",
        )

    def _post(self, lex, wl, s, i, j=None):
        """noun (de noun)* [adverb] + adjective that agrees with none of the nouns."""
        j = i + 1 if j is None else j
        if not s.adjacent(i, i + 1):
            return None
        a = self._adj_info(lex, wl, s, j)
        if a is None:
            return None
        ga = a.gender()
        if ga == "m" and s.lower(j).endswith(("ant", "ants")):
            return None  # a present participle (une loi encadrant l'euthanasie)
        if ga == "m" and a.noun:
            return None  # a noun in apposition (des femmes policiers, des pays membres)
        if ga == "m" and not a.adj and a.singular:
            # a participle of a compound tense after an adverbial (il a la veille annoncé)
            return None
        if s.lower(j + 1) in wl.colour_shades and s.adjacent(j, j + 1):
            return None  # une couleur vert foncé
        # the chain of nouns: N1 [de [art] N2]...
        chain: list[int] = []
        k = i
        while True:
            ninfo = _chain_noun(lex, wl, s, k)
            if ninfo is None:
                return None
            chain.append(k)
            p = k - 1
            if p >= 0 and s.lower(p) in wl.articles and s.adjacent(p, k):
                p -= 1
            if (
                p >= 1
                and s.lower(p) in wl.complement_prepositions
                and s.adjacent(p, p + 1)
                and len(chain) < 4
            ):
                k = p - 1
                if not s.adjacent(k, p):
                    return None
                continue
            break
        start_tok = chain[-1]
        before = start_tok - 1
        if before >= 0 and s.lower(before) in wl.chain_determiners:
            before -= 1
        # a masculine adjective may agree with coordinated nouns (des lois et des décrets adoptés)
        if ga == "m" and before >= 0 and s.lower(before) in ("et", "ou", "ni"):
            return None
        if ga == "m":
            txt = s.doc.text[s.toks[max(before, 0)].start : s.toks[start_tok].start]
            if "," in txt:
                return None
        if (
            ga == "m"
            and a.singular
            and before >= 0
            and (
                s.lower(before) in wl.avoir_forms
                or s.lower(before) in wl.prepositions
                and before >= 1
                and s.lower(before - 1) in wl.avoir_forms
            )
        ):
            return None  # il a la veille décidé, il a pour cette raison décidé: a compound tense
        infos = [_chain_noun(lex, wl, s, k) for k in chain]
        agree_number = False
        for ninfo in infos:
            gn = ninfo.gender(plural_default=True)
            if gn is None or gn == ga:
                return None
            agree_number = agree_number or numbers_agree(a, ninfo)
        if not agree_number:
            return None
        head = chain[-1]
        gn = infos[-1].gender(plural_default=True)
        adj = s.toks[j].text
        fix = self._suggest(lex, adj, gn, a)
        gname = _("masculine") if gn == "m" else _("feminine")
        span = s.doc.text[s.toks[head].start : s.toks[j].start]
        return self.finding(
            s.toks[head].start,
            s.toks[j].end,
            _("'{noun}' is {gender}: the adjective '{adj}' does not agree").format(noun=s.toks[head].text, gender=gname, adj=adj),
            f"{span}{fix}" if fix else None,
            pattern="noun-adjective",
        )


def _chain_noun(lex, wl, s, k) -> WordInfo | None:
    """A noun of the chain before a post-nominal adjective: known, one part of speech,
    introduced by a determiner (les chefs) or by de (d'État)."""
    w = s.word(k)
    if w is None or k == 0:
        return None
    t = s.toks[k]
    if t.text.isupper() and len(t.text) > 1 or englishy(w):
        return None
    if t.text[:1].isupper() and not t.first and w.lower() not in wl.capitalised_nouns:
        return None
    if s.lower(k - 1) not in wl.noun_phrase_starts or not s.adjacent(k - 1, k):
        return None
    if w.lower() in wl.adverbial_nouns:
        return None  # à la fois, par la suite, pour sa part, la veille
    info = lex.info(w)
    if not info.noun or info.has("XIGAP"):
        return None
    if info.has("V") and s.lower(k - 1) in ("le", "la", "l'", "les", "leur"):
        return None  # may be a pronoun and a verb (on la hausse)
    return info


# ----------------------------------------------------------------------------- GR704
_ACCENTED = set("àâäéèêëîïôöùûüç")


def _strip_accents(w: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=1)
def _accent_variants() -> Mapping[str, tuple[str, float, float]]:
    """unaccented spelling -> (most frequent accented word, its zipf, the runner-up's zipf);
    built once into an on-disk artefact (mtaudit.core.artefacts), keyed by wordfreq's lists and
    this module's source."""
    from mtaudit.core import artefacts
    from mtaudit.lang.frequencies import _wordfreq_inputs

    return artefacts.load(
        "grammar-accents",
        artefacts.input_identity(__file__),
        _wordfreq_inputs(),
        lambda: {"variants": _build_accent_variants()},
    )["variants"]


def _build_accent_variants() -> dict[str, tuple[str, float, float]]:
    import math

    import wordfreq

    freqs = wordfreq.get_frequency_dict("fr")
    best: dict[str, list[tuple[float, str]]] = {}
    for w in wordfreq.top_n_list("fr", 80000):
        if any(c in _ACCENTED for c in w) and w.isalpha():
            z = round(math.log10(freqs[w]) + 9, 2)
            best.setdefault(_strip_accents(w), []).append((z, w))
    out = {}
    for key, cands in best.items():
        cands.sort(reverse=True)
        runner = cands[1][0] if len(cands) > 1 else 0.0
        out[key] = (cands[0][1], cands[0][0], runner)
    return out


def _strip_circumflex_iu(w: str) -> str:
    return w.replace("î", "i").replace("û", "u")


def _accepted_unaccented() -> frozenset[str]:
    words = set()
    for row in read_lines(data_path(ACCENTS_FILE)):
        words.add(row[0].lower())
    return frozenset(words)


@register
class MissingAccentCheck(_GrammarCheck):
    """A common word written without its accent.

    Machine translation pipelines and careless conversions drop accents (accord-cle for
    accord-clé, evenement for événement). Flagged only when the word without accents is not a
    French word of its own (a, la, ou are) and one accented spelling is far more frequent.
    Capitalised words are left alone: French often drops accents on capitals (Etat).

    Bad: un nouvel accord-cle entre la Russie et la Corée du Nord
    Good: un nouvel accord-clé entre la Russie et la Corée du Nord
    """

    code = "GR704"
    name = "missing-accent"
    severity = Severity.MINOR
    data_files = LEXICON_FILES + (ACCENTS_FILE,)  # the lexicon, no word list

    def run(self, doc, ctx):
        from mtaudit.lang.frequencies import zipf_frequency

        lex = _lexicon(ctx)
        variants = _accent_variants()
        accepted = ctx.resource("grammar-accents", _accepted_unaccented)
        out = []
        for t in doc.words:
            if not t.text.islower() or t.text.endswith(_APOS):
                continue
            if t.start > 0 and doc.text[t.start - 1].isdigit():
                continue  # 1ere, 2eme
            pos = t.start
            for part in t.text.split("-"):
                start, pos = pos, pos + len(part) + 1
                if len(part) < 3 or any(c in _ACCENTED for c in part) or not part.isalpha():
                    continue
                v = variants.get(part)
                if v is None or part in accepted or lex.info(part).known or englishy(part):
                    continue
                word, z, runner = v
                if _strip_circumflex_iu(word) == part:
                    continue  # aout, ile, cout: the 1990 rectified spelling
                if z < 3.5 or z - runner < 1.0 or z - zipf_frequency(part, "fr") < 1.4:
                    continue
                out.append(
                    self.finding(start, start + len(part), _("'{word}' is missing its accent").format(word=part), word)
                )
        return out


@register
class NumeralNounNumber(_GrammarCheck):
    """A noun in the singular after a number of two or more (deux enfant).

    "deux", "trois", "plusieurs", "quelques"… take a plural noun: "deux enfants", "plusieurs
    mois". Only number words are checked (a figure may be a date, a score or an article
    number: "le 2 mai", "article 3"), before a noun the lexicon knows only in the singular,
    with a plural form of its own (a word that may also be an adjective or a verb is left
    alone). Names, months and "fois", "heure" are skipped.

    Bad: Les deux pays ont signé plusieurs accord commerciaux.
    Good: Les deux pays ont signé plusieurs accords commerciaux.
    """

    code = "GR705"
    name = "numeral-noun-number"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = _lexicon(ctx)
        wl = _words(ctx)
        out = []
        for s in sentences(doc):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.lower(i)
                if w not in wl.cardinals or (i > 0 and s.lower(i - 1) in wl.not_quantity_after):
                    continue
                j = i + 1
                if not s.adjacent(i, j) or s.proper(j) or s.lower(j) in wl.numeral_skip:
                    continue
                nxt = s.word(j)
                if nxt is None:
                    continue
                info = lex.info(nxt)
                if not info.known or not info.noun or info.has("XVIPWA") or not info.singular:
                    continue
                if "i" in info.numbers or englishy(nxt):
                    continue
                plural = _plural_form(lex, nxt)
                if plural is None:
                    continue
                out.append(
                    self.finding(
                        s.toks[j].start,
                        s.toks[j].end,
                        _("'{number}' takes a plural: '{noun}' does not agree").format(
                            number=s.toks[i].text, noun=nxt
                        ),
                        recase(nxt, plural),
                    )
                )
        return out


def _plural_form(lex: Lexicon, word: str) -> str | None:
    """The plural of a singular noun, when the lexicon knows it as a plural noun."""
    w = word.lower()
    cands = [w + "s", w + "x"]
    if w.endswith("al"):
        cands.insert(0, w[:-1] + "ux")
    if w.endswith(("s", "x", "z")):
        return None
    for c in cands:
        ci = lex.info(c)
        if ci.noun and ci.plural:
            return c
    return None

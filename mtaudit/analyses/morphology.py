"""The grammar lexicon and its morphology: each word form's analyses (part of speech,
gender, number) from grammar/lexicon.tsv corrected by grammar/genders.tsv, hyphenated
compounds, adjective inflection, the h aspiré, elision and plurals."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mtaudit.core.resources import Row, data_path, read_lines, read_rows, word_set
from mtaudit.lang.englishness import GRAMMAR, is_english
from mtaudit.text.normalise import word_key

LEXICON_FILE = "grammar/lexicon.tsv"
GENDERS_FILE = "grammar/genders.tsv"
H_ASPIRE_FILE = "grammar/h_aspire.txt"
PRENOMINAL_FILE = "grammar/prenominal.txt"
COMPOUNDS_FILE = "grammar/compound_prefixes.txt"
# what Lexicon.load reads
LEXICON_FILES = (LEXICON_FILE, GENDERS_FILE, H_ASPIRE_FILE, PRENOMINAL_FILE, COMPOUNDS_FILE)

_VOWEL = set("aeiouàâäéèêëîïôöùûüœæ")


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
        self.settled: frozenset[str] = frozenset()  # loanwords of genders.tsv: gender settled
        # memoised for this lexicon, dropped with it (the cache policy of mtaudit/core/context.py:
        # no lru_cache on a method, which would key on the instance and keep it alive)
        self.info = lru_cache(maxsize=65536)(self._info)
        self.no_elision = lru_cache(maxsize=16384)(self._no_elision)
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

    def _info(self, word: str) -> WordInfo:
        """What the lexicon says about ``word`` (any case, either apostrophe): :attr:`info`."""
        w = word_key(word)
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

    def _no_elision(self, word: str) -> bool:
        """No elision before ``word``: an h aspiré or a word of h_aspire.txt (:attr:`no_elision`)."""
        w = word_key(word)
        if w in self.h_exact:
            return True
        return any(w.startswith(s) for s in self.h_stems)

    def inflect_adj(self, form: str, gender: str, number: str) -> str | None:
        lemma = self.lemma_of.get(form.lower())
        if not lemma:
            return None
        forms = self.adj_forms.get(lemma, {})
        return forms.get(gender + number)


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
        return lex.info(word).known and not is_english(w, GRAMMAR)
    return starts_with_vowel(w)


def known_word(w: str) -> bool:
    """One of wordfreq's 50,000 most frequent French words."""
    from mtaudit.lang.frequencies import rank

    r = rank("fr", w)
    return r is not None and r < 50000


def plural_form(lex: Lexicon, word: str) -> str | None:
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


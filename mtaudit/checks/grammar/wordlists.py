"""The word lists of the grammar rules (GR7xx): determiners, prepositions, elisions, forms
of avoir, cardinals… Each is a file of mtaudit/data/grammar/ whose header says what it is for
and how to edit it; a malformed line is an error naming the file and line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property

from mtaudit.core.resources import Row, data_path, read_rows, word_set
from mtaudit.text.normalise import ELISIONS_FILE, elided_forms

GRAMMAR_DIR = "grammar"  # under mtaudit/data/


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

    elision: Mapping[str, tuple[str, str]]  # word -> (replacement, "any"/"noun"/"pronoun")
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
    coordinations: frozenset[str]
    object_pronouns: frozenset[str]
    singular_determiners: frozenset[str]
    plural_determiners: frozenset[str]
    plural_copulas: frozenset[str]
    plural_auxiliaries: frozenset[str]
    time_determiners: frozenset[str]
    adverbial_adjectives: frozenset[str]
    apposed_nouns: frozenset[str]
    additive_adverbs: frozenset[str]
    clipped_adjectives: frozenset[str]

    @classmethod
    def set_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.type == "frozenset[str]"]

    @classmethod
    def files(cls) -> tuple[str, ...]:
        """Every file the lists are read from (for the rules' ``data_files``), the project's
        list of elisions included."""
        tables = [f.name for f in fields(cls) if f.type.startswith("Mapping")]
        return tuple(
            [f"{GRAMMAR_DIR}/{n}.tsv" for n in tables]
            + [f"{GRAMMAR_DIR}/{n}.txt" for n in cls.set_names()]
            + [ELISIONS_FILE]
        )

    @classmethod
    def load(cls) -> WordLists:
        elided = elided_forms()  # data/elisions.txt: le -> l'
        elision = {}
        for r in _table("elision", "word, condition[, replacement]", 2, 3):
            condition = _choice(r, 1, ("any", "noun", "pronoun"), "condition")
            replacement = r.get(2) or elided.get(r[0])
            if not replacement:
                raise r.error(f"{r[0]!r} is not in {ELISIONS_FILE}: give its replacement")
            elision[r[0]] = (replacement, condition)
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

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

The package, in reading order:
- ``wordlists``: the word lists of mtaudit/data/grammar/ (:class:`WordLists`);
- the lexicon and its morphology (:class:`Lexicon`, :func:`elidable`…) are a shared analysis,
  ``mtaudit/analyses/morphology.py`` (AN201 reads noun genders from it too);
- ``sentences``: the sentence analysis the rules share (:class:`Sent`, declared as the
  analysis ``grammar_sentences`` in mtaudit/analyses/grammar_sentences.py) and its helpers;
- ``base``: what every rule shares (:class:`GrammarCheck`);
- one module per rule: ``elision`` GR701, ``determiners`` GR702, ``adjectives`` GR703,
  ``accents`` GR704, ``numerals`` GR705, ``number`` GR706 (noun and adjective of
  different numbers), ``predicates`` GR707 (subject and predicate after être).
"""

from __future__ import annotations

from mtaudit.analyses.morphology import (
    GENDERS_FILE,
    LEXICON_FILE,
    Lexicon,
    WordInfo,
    elidable,
)
from mtaudit.checks.grammar.accents import ACCENTS_FILE, MissingAccentCheck
from mtaudit.checks.grammar.adjectives import AdjectiveGenderCheck
from mtaudit.checks.grammar.determiners import DeterminerGenderCheck
from mtaudit.checks.grammar.elision import ElisionCheck
from mtaudit.checks.grammar.number import NounAdjectiveNumber
from mtaudit.checks.grammar.numerals import NumeralNounNumber
from mtaudit.checks.grammar.predicates import SubjectPredicateAgreement
from mtaudit.checks.grammar.sentences import Sent, sentences
from mtaudit.checks.grammar.wordlists import WordLists

__all__ = [
    "ACCENTS_FILE",
    "GENDERS_FILE",
    "LEXICON_FILE",
    "AdjectiveGenderCheck",
    "DeterminerGenderCheck",
    "ElisionCheck",
    "Lexicon",
    "MissingAccentCheck",
    "NounAdjectiveNumber",
    "NumeralNounNumber",
    "Sent",
    "SubjectPredicateAgreement",
    "WordInfo",
    "WordLists",
    "elidable",
    "sentences",
]


"""What every grammar rule shares: its category, its data files, its lexicon and word lists."""

from __future__ import annotations

from mtaudit.analyses.morphology import LEXICON_FILES, Lexicon
from mtaudit.checks import Check
from mtaudit.checks.grammar.wordlists import WordLists


class GrammarCheck(Check):
    category = "grammar"
    data_files = LEXICON_FILES + WordLists.files()


def lexicon_for(ctx) -> Lexicon:
    return ctx.resource("grammar-lexicon", Lexicon.cached)


def word_lists_for(ctx) -> WordLists:
    return ctx.resource("grammar-words", WordLists.load)

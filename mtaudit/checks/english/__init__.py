"""Untranslated English: words (EN101) and whole sentences or long spans (EN102).

A word is English when wordfreq says it is far more frequent in English than in French
(:mod:`mtaudit.lang.englishness`, rule EN101), it is not an accepted loanword
(``data/loanwords.txt``), not a proper name in its context and not one of the grammar words or
French homographs of ``data/english_stoplist.tsv`` standing alone. Consecutive English words
make one span. Sentences and long runs that are mostly English are confirmed by lingua
(restricted to French and its neighbours) and reported as EN102.

The package: :mod:`.lexicon` (what a word is out of context), :mod:`.analysis` (the kinds of
the words of a document, its runs and spans, computed once and shared), :mod:`.severity` (what
the context of a run says: quoted, glossed, named; ``data/english_markers.tsv``) and
:mod:`.rules` (the two checks).
"""

from mtaudit.checks.english import rules  # noqa: F401 - registers EN101 and EN102
from mtaudit.checks.english.analysis import Analysis, Run, analyse, english_runs
from mtaudit.checks.english.lexicon import STOPLIST, Lexicon, _read_pairs, lexicon

__all__ = ["Analysis", "Lexicon", "Run", "STOPLIST", "_read_pairs", "analyse", "english_runs", "lexicon"]

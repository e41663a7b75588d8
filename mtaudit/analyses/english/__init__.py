"""The analysis "english": which words and passages of a document are English.

:mod:`.lexicon` (what a word is out of context: wordfreq through :mod:`mtaudit.lang.englishness`,
loanwords, stoplist, translations), :mod:`.runs` (the kinds of the words in context, the runs of
English words and the spans lingua confirms; the declaration of the analysis), :mod:`.severity`
(what the context of a run says: quoted, glossed, introduced as a term;
``data/english_markers.tsv``). Read by EN101/EN102 (``mtaudit.checks.english``) and AN201.
"""

from mtaudit.analyses.english.runs import Analysis, EnglishRuns, Run, analyse, english_runs
from mtaudit.lang.english_lexicon import Lexicon, lexicon

__all__ = ["Analysis", "EnglishRuns", "Lexicon", "Run", "analyse", "english_runs", "lexicon"]

"""Name glossaries: loading, merging with precedence, normalisation and matching.

A glossary is a TSV file (format in ``glossaries/README.md``): per line a preferred French form,
other accepted forms, forms to flag (the English transcriptions machine translation leaves), a
kind, an origin language, a severity and a note. The default glossary ships in the package
(``mtaudit/data/glossaries``); house glossaries named in the configuration (``glossaries = [...]``
or ``scan --glossary FILE``) come after it and override it: an entry of a later glossary that
shares a form with an entry of an earlier one replaces that entry.

One module per job:

* ``entries``: the data model (:class:`GlossaryEntry`, :class:`GlossaryForm`,
  :class:`GlossaryProblem`, :class:`GlossaryError`);
* ``parser``: one file into entries (:func:`parse_glossary`);
* ``spelling``: keys (case, accents and apostrophes removed: they find the entry) and
  spellings (case removed, accents kept: they tell ``Hanoï`` from ``Hanoi``), and the name
  particles whose case is not checked (data: ``mtaudit/data/name_particles.txt``);
* ``tokens``: the word tokens of a text (elisions split off, possessives dropped);
* ``glossary``: merged glossaries and their trie (:class:`Glossary`);
* ``matcher``: the trie against text, linear in the text whatever the size of the glossary
  (:class:`NameMatch`);
* ``loading``: which files, in which order, cached (:func:`load_glossary`), and the signature;
* ``lint``: ``mtaudit glossary lint`` (:func:`lint_glossaries`).
"""

from mtaudit.analyses.glossaries.entries import (
    COLUMNS,
    KINDS,
    GlossaryEntry,
    GlossaryError,
    GlossaryForm,
    GlossaryProblem,
)
from mtaudit.analyses.glossaries.glossary import Glossary
from mtaudit.analyses.glossaries.lint import lint_glossaries
from mtaudit.analyses.glossaries.loading import (
    default_glossary_paths,
    glossary_paths,
    glossary_signature,
    load_glossary,
)
from mtaudit.analyses.glossaries.matcher import NameMatch
from mtaudit.analyses.glossaries.parser import parse_glossary
from mtaudit.analyses.glossaries.spelling import (
    fold,
    form_key,
    form_spelling,
    is_acronym,
    name_particles,
    spell,
    split_tokens,
)
from mtaudit.analyses.glossaries.tokens import NameToken, tokenize

__all__ = [
    "COLUMNS",
    "KINDS",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "GlossaryForm",
    "GlossaryProblem",
    "NameMatch",
    "NameToken",
    "default_glossary_paths",
    "fold",
    "form_key",
    "form_spelling",
    "glossary_paths",
    "glossary_signature",
    "is_acronym",
    "lint_glossaries",
    "load_glossary",
    "name_particles",
    "parse_glossary",
    "spell",
    "split_tokens",
    "tokenize",
]

"""English typographic and formatting conventions left in French text (CV3xx).

Numbers with English separators, currency signs before the amount, English month and day
names, 12-hour times, English courtesy titles, punctuation inside closing quotes, lower-case
"état" for the State, English datelines, and (info only) straight quotes and missing French
spacing. The words involved live in data/conventions_words.tsv (read by the substitution
engine's word-table loader), data/conventions_etat.tsv and data/conventions_units.tsv.

The package, in reading order:
- ``data``: the word tables and the helpers the rules share (:class:`Tables`);
- ``numbers``: CV301 number separators, CV302 currency before the amount, CV311 unit spacing;
- ``dates``: CV303 English dates, CV304 12-hour times;
- ``wording``: CV305 courtesy titles, CV307 lower-case "état", CV308 English datelines;
- ``typography``: CV306 punctuation inside quotes, CV309 straight quotes, CV310 French
  spacing, CV312 English quotation marks.
"""

from __future__ import annotations

from mtaudit.checks.conventions import dates, numbers, typography, wording  # noqa: F401 - registers
from mtaudit.checks.conventions.data import ETAT, UNITS, WORDS, Tables, french_number, tables

__all__ = ["ETAT", "UNITS", "WORDS", "Tables", "french_number", "tables"]

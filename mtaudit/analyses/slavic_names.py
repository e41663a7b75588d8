"""Slavic surnames transcribed the English way, and their French transcription (NM504).

The spelling rules are data (``mtaudit/data/slavic_transcription.tsv``, format in its header):
which endings make a surname Slavic, which spellings are already French, which English
patterns betray an English transcription, and the ordered rewrites that give the French one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mtaudit.core.resources import read_rows

RULES_FILE = "slavic_transcription.tsv"
RULE_KINDS = ("ending", "french", "strong", "weak", "rewrite")


@dataclass(frozen=True)
class SlavicRules:
    ending: re.Pattern  # one of the Slavic surname endings, at the end of the word
    french: re.Pattern | None  # a French-style spelling
    strong: re.Pattern | None  # an English pattern (minor)
    weak: re.Pattern | None  # a weaker English hint (info)
    rewrites: tuple[tuple[re.Pattern, str], ...]  # in order


def _union(patterns: list[str], suffix: str = "") -> re.Pattern | None:
    alternatives = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"(?:{alternatives}){suffix}") if patterns else None


@cache
def slavic_rules(name: str = RULES_FILE) -> SlavicRules:
    """The rules of a transcription file (under mtaudit/data/ or a path); errors name file:line."""
    found: dict[str, list[str]] = {k: [] for k in RULE_KINDS}
    rewrites: list[tuple[re.Pattern, str]] = []
    for row in read_rows(
        name, min_cols=2, max_cols=4, columns="kind, pattern[, replacement, note]"
    ):
        kind, pattern, replacement = row[0], row[1], row.get(2)
        if kind not in RULE_KINDS:
            raise row.error(f"unknown kind {kind!r} (use one of: {', '.join(RULE_KINDS)})")
        if not pattern:
            raise row.error("empty pattern (second column)")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise row.error(f"bad regular expression {pattern!r}: {exc}") from None
        if kind == "rewrite":
            rewrites.append((compiled, replacement))
        elif replacement:
            raise row.error(f"a replacement only goes with a rewrite rule, not with {kind!r}")
        else:
            found[kind].append(pattern)
    if not found["ending"]:
        raise ValueError(f"{name}: no 'ending' rule: no word would look Slavic")
    ending = _union(found["ending"], "$")
    assert ending is not None
    return SlavicRules(
        ending,
        _union(found["french"]),
        _union(found["strong"]),
        _union(found["weak"]),
        tuple(rewrites),
    )


def slavic_english(word: str) -> str | None:
    """'strong' or 'weak' when *word* looks like an English transcription of a Slavic name.

    Needs a Slavic surname ending (-ov, -eva, -enko, -chuk, -vich...), no French-style spelling
    (ou, tch, ï, j) and an English pattern: sh, zh, u (French ou), y before a vowel (French i)
    are strong; ch (French tch) alone is weak, as French also writes ch (for sh).
    """
    if len(word) < 5 or not word.isascii() or not word.isalpha():
        return None
    if not (word[0].isupper() and word[1:].islower()):
        return None
    rules = slavic_rules()
    w = word.lower()
    if not rules.ending.search(w) or (rules.french is not None and rules.french.search(w)):
        return None
    if rules.strong is not None and rules.strong.search(w):
        return "strong"
    if rules.weak is not None and rules.weak.search(w):
        return "weak"
    return None


def french_transcription(word: str) -> str:
    """The French transcription of an English-transcribed Slavic name (Ushakov -> Ouchakov)."""
    s = word.lower()
    for pattern, replacement in slavic_rules().rewrites:
        s = pattern.sub(replacement, s)
    s = s.lower()  # the final (capital) parts of the rewrites
    return s[:1].upper() + s[1:]

"""Registry-wide tests generated from the rules' own documentation.

Every registered rule's docstring has a *Bad:* and a *Good:* example. The bad one must produce
the rule's finding and the good one must not; and applying every suggestion the rule makes on
the bad example (each a literal replacement of its span) must give the good example, word for
word. A new rule is tested by writing its docstring: nothing to add here.

A *Bad:* line may end with the setup its example needs, in parentheses:
``(house glossary: Kyiv, flag Kiev)`` runs it with a house glossary whose entry prefers Kyiv
and flags Kiev. The only rules not run here are named in :data:`NOT_RUN_HERE`, with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtaudit.auditor import Auditor
from mtaudit.checks import load_checks
from mtaudit.core.config import Config

CHECKS = load_checks()

# rule -> why its example is not run by this file (and where it is checked instead)
NOT_RUN_HERE = {
    # measured with the real model (Gemma 3 270M): audited alone, its Bad example is not
    # flagged either; the model's fluency checks are tests/test_lm.py (marked slow)
    "FL601": "its example is judged by the language model, and the tiny test model "
    "(tests/tinylm.py) has random weights",
}

_SETUP = re.compile(r"\s*\(house glossary: ([^,()]+), flag ([^()]+)\)\s*$")


def examples(cls) -> tuple[str, str, str | None]:
    """(bad, good, house glossary line or None) from the rule's docstring."""
    doc = cls.doc()
    bad = re.search(r"^Bad: (.+)$", doc, re.M)
    good = re.search(r"^Good: (.+)$", doc, re.M)
    assert bad and good, f"{cls.code}: its docstring needs a 'Bad:' and a 'Good:' line"
    text, house = bad.group(1).strip(), None
    m = _SETUP.search(text)
    if m:
        text, house = text[: m.start()], f"{m.group(1).strip()}\t\t{m.group(2).strip()}\n"
    return text, good.group(1).strip(), house


def findings(code: str, text: str, house: str | None, tmp_path: Path) -> list:
    cfg = Config(lm=False, select=[code])
    if house is not None:
        path = tmp_path / "house.tsv"
        path.write_text(house, encoding="utf-8")
        cfg = Config(lm=False, select=[code], glossaries=[str(path)])
    card = Auditor(cfg).audit_text(text + "\n")
    return [f for f in card.findings if f.rule == code]


def apply(text: str, found: list) -> str:
    out = text
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f.suggestion + out[f.end :]
    return out


RUN_HERE = [c for c in CHECKS if c not in NOT_RUN_HERE]


def test_every_exception_is_a_registered_rule_that_needs_it():
    assert set(NOT_RUN_HERE) <= set(CHECKS)
    # rules-only rules have no excuse: only rules that need the language model are left out
    assert all("lm" in CHECKS[c].requires for c in NOT_RUN_HERE)


@pytest.mark.parametrize("code", RUN_HERE)
def test_bad_example_flagged_good_example_clean(code, tmp_path):
    bad, good, house = examples(CHECKS[code])
    assert findings(code, bad, house, tmp_path), f"{code}: its Bad example {bad!r} is not flagged"
    assert not findings(code, good, house, tmp_path), f"{code}: its Good example {good!r} is flagged"


@pytest.mark.parametrize("code", RUN_HERE)
def test_suggestions_applied_give_the_good_example(code, tmp_path):
    bad, good, house = examples(CHECKS[code])
    found = findings(code, bad, house, tmp_path)
    with_fix = [f for f in found if f.suggestion]
    if not with_fix:
        # a rule that cannot offer a literal fix (a whole English sentence) offers none
        assert all(f.suggestion is None for f in found)
        pytest.skip(f"{code} makes no suggestion on its example")
    # findings without a fix may only be notes (NM502's "also written" note)
    assert all(f.severity.value == "info" for f in found if not f.suggestion), code
    assert apply(bad, with_fix) == good


def test_house_glossary_setup_is_read_from_the_example():
    bad, _, house = examples(CHECKS["NM503"])
    assert bad == "Les bombardements ont repris sur Kiev." and house == "Kyiv\t\tKiev\n"


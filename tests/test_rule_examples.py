"""Registry-wide tests generated from the rules' own documentation.

Every rule's docstring has a *Bad:* and a *Good:* example. The bad one must produce the rule's
finding and the good one must not; and applying every suggestion the rule makes on the bad
example (each a literal replacement of its span) must give the good example, word for word.
"""

from __future__ import annotations

import re

import pytest

from mtaudit.auditor import Auditor
from mtaudit.checks import load_checks
from mtaudit.core.config import Config

CHECKS = load_checks()


def examples(cls) -> tuple[str, str]:
    doc = cls.doc()
    bad = re.search(r"^Bad: (.+)$", doc, re.M)
    good = re.search(r"^Good: (.+)$", doc, re.M)
    assert bad and good, f"{cls.code}: its docstring needs a 'Bad:' and a 'Good:' line"
    return bad.group(1).strip(), good.group(1).strip()


RULES_ONLY = [c for c, cls in CHECKS.items() if "lm" not in cls.requires]


def findings(code: str, text: str) -> list:
    card = Auditor(Config(lm=False, select=[code])).audit_text(text + "\n")
    return [f for f in card.findings if f.rule == code]


def apply(text: str, found: list) -> str:
    out = text
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f.suggestion + out[f.end :]
    return out


# NM503 compares with a newsroom's own glossary: its example needs one (tests/test_names.py)
NEEDS_SETUP = {"NM503"}


@pytest.mark.parametrize("code", RULES_ONLY)
def test_bad_example_flagged_good_example_clean(code):
    if code in NEEDS_SETUP:
        pytest.skip(f"{code}'s example needs a house glossary")
    bad, good = examples(CHECKS[code])
    assert findings(code, bad), f"{code}: its Bad example {bad!r} is not flagged"
    assert not findings(code, good), f"{code}: its Good example {good!r} is flagged"


@pytest.mark.parametrize("code", RULES_ONLY)
def test_suggestions_applied_give_the_good_example(code):
    bad, good = examples(CHECKS[code])
    found = findings(code, bad)
    with_fix = [f for f in found if f.suggestion]
    if not with_fix:
        # a rule that cannot offer a literal fix (a whole English sentence) offers none
        assert all(f.suggestion is None for f in found)
        pytest.skip(f"{code} makes no suggestion on its example")
    # findings without a fix may only be notes (NM502's "also written" note)
    assert all(f.severity.value == "info" for f in found if not f.suggestion), code
    assert apply(bad, with_fix) == good

"""CR4xx: credit lines of English-language outlets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.auditor import Auditor
from mtaudit.checks import load_checks
from mtaudit.checks.rule_files import RULES_DIR as RULES
from mtaudit.core.config import Config
from mtaudit.core.findings import Severity
from mtaudit.engines.definition import load_definition
from mtaudit.engines.existence import load_rule

SEED_004 = Path(__file__).resolve().parent.parent / "seeds" / "004_55dc17aa284b7b25.txt"


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor(Config(lm=False, select=["CR"]))


def cr(auditor: Auditor, text: str):
    return [f for f in auditor.audit_text(text).findings if f.rule.startswith("CR")]


def test_seed_004_cnn_credit_line(auditor):
    found = cr(auditor, SEED_004.read_text(encoding="utf-8"))
    assert [(f.rule, f.text, f.category, f.severity) for f in found] == [
        ("CR401", "CNN a fourni le reporting", "credit", Severity.MAJOR)
    ]
    # a template is not a replacement of the span: it goes in the message
    assert found[0].suggestion is None
    assert found[0].message.endswith("En français : Avec … (CNN)")


@pytest.mark.parametrize(
    "text, rule, snippet",
    [
        (
            "Le sommet s'est achevé mercredi. Reuters a contribué à ce rapport.",
            "CR401",
            "a contribué à ce rapport",
        ),
        (
            "Le sommet s'est achevé mercredi. Anna Chernova a contribué au reportage depuis Moscou.",
            "CR401",
            "a contribué au reportage",
        ),
        (
            "Le sommet s'est achevé mercredi. Anna Chernova contributed reporting.",
            "CR402",
            "contributed reporting",
        ),
        (
            "Le sommet s'est achevé mercredi à Pyongyang par la signature d'un traité de défense mutuelle.\n"
            "Reporting by Guy Faulconbridge; Editing by Mark Trevelyan",
            "CR402",
            "Reporting by",
        ),
        (
            "SÉOUL (CNN) - Le dirigeant nord-coréen a reçu le président russe mercredi à Pyongyang.",
            "CR403",
            "(CNN)",
        ),
    ],
)
def test_credit_lines_of_english_outlets(auditor, text, rule, snippet):
    found = [f for f in cr(auditor, text) if f.rule == rule]
    assert snippet in [f.text for f in found]
    assert all(f.severity == Severity.MAJOR and f.category == "credit" for f in found)


def test_associated_press_tag_is_minor(auditor):
    found = cr(
        auditor,
        "WASHINGTON (AP) - Le président américain a signé mardi le décret sur l'immigration.",
    )
    assert [(f.text, f.severity) for f in found] == [("(AP)", Severity.MINOR)]


@pytest.mark.parametrize(
    "text",
    [
        "Le sommet s'est achevé mercredi à Pyongyang, selon les agences. Avec AFP",
        "PARIS (AFP) - Le gouvernement a présenté mercredi son projet de loi sur l'énergie.",
        "PARIS (Reuters) - La Bourse de Paris a ouvert en hausse mercredi matin dans un marché calme.",
        "Propos recueillis par Anne Martin. Cet article a été rédigé avec l'aide de nos correspondants.",
        "CNN a diffusé mercredi des images du sommet, reprises par de nombreuses chaînes françaises.",
    ],
)
def test_french_credit_lines_are_fine(auditor, text):
    assert cr(auditor, text) == []


def _rules():
    return {
        code: load_rule(load_definition(RULES / f"{code}.toml"))
        for code in ("CR401", "CR402", "CR403")
    }


def test_every_pattern_of_the_rule_files_compiles():
    rules = _rules()
    assert sum(len(r.regexes) for r in rules.values()) >= 15
    # the pre-filter never hides a match: every needle is in the text the pattern matches
    sample = "CNN a fourni le reporting de Simone McCarthy. Reuters a contribué à ce rapport."
    for rule in rules.values():
        for p in rule.regexes:
            for m in p.regex.finditer(sample):
                assert p.needle is None or p.needle in m.group().lower()


def test_the_credit_rules_are_rule_files_in_the_registry():
    checks = load_checks()
    for code in ("CR401", "CR402", "CR403"):
        assert checks[code].definition.path == RULES / f"{code}.toml"
        assert checks[code].data_files == (f"rules/{code}.toml", "credits_outlets.txt")
    assert "{OUTLET}" not in _rules()["CR401"].regexes[0].source  # the list spelled out

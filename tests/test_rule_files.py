"""Engine-backed rules are data: one file makes a rule (mtaudit/checks/rule_files.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mtaudit.engines.definition import RuleFileError, load_definition
from mtaudit.engines.existence import ExistenceError, load_rule

TEST_RULES = Path(__file__).resolve().parent / "data" / "rules"


def _scan(tmp_path: Path, text: str, rules: str | None, *args: str) -> dict:
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MTAUDIT_RULES"}
    if rules is not None:
        env["MTAUDIT_RULES"] = rules
    p = subprocess.run(
        [sys.executable, "-m", "mtaudit.cli", "scan", "--no-lm", "--format", "json", *args,
         str(article)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert p.returncode in (0, 1, 2), p.stderr
    return json.loads(p.stdout)


def test_a_new_rule_is_one_file_in_a_rules_folder(tmp_path):
    """CR404 exists only as tests/data/rules/CR404.toml (and the list beside it): no Python
    names it, and pointing MTAUDIT_RULES at its folder is enough for it to run."""
    text = "Le sommet s'est achevé mercredi à Pyongyang. Photo courtesy of Getty Images.\n"
    found = [
        (f["rule"], f["text"], f["severity"], f["suggestion"])
        for f in _scan(tmp_path, text, str(TEST_RULES))["articles"][0]["findings"]
        if f["rule"] == "CR404"
    ]
    assert found == [("CR404", "Photo courtesy of Getty Images", "minor", "Photo : Getty Images")]
    # without the folder there is no such rule
    out = _scan(tmp_path, text, None)
    assert all(f["rule"] != "CR404" for f in out["articles"][0]["findings"])


def test_the_new_rule_is_documented_from_its_file(tmp_path):
    env = {**os.environ, "MTAUDIT_RULES": str(TEST_RULES)}
    p = subprocess.run(
        [sys.executable, "-m", "mtaudit.cli", "rules"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "CR404" in p.stdout and "english-photo-credit" in p.stdout


def _rule_file(tmp_path: Path, text: str, name: str = "CR404.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SHIPPED = (TEST_RULES / "CR404.toml").read_text(encoding="utf-8")


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('kind = "existence"', 'kind = "exists"', "{line}: unknown kind 'exists'"),
        ('severity = "minor"', 'severity = "low"', "{line}: unknown severity 'low'"),
        ('code = "CR404"', 'code = "CR44"', "{line}: bad code 'CR44'"),
        ('code = "CR404"', 'code = "CR405"', "{line}: the file of rule CR405 must be named"),
        ('name = "english-photo-credit"', 'nom = "x"', "1: missing key 'name'"),
        ('summary = ', 'sumary = ', "1: missing key 'summary'"),
        ("bad = ", "bad = = ", "{line}: Invalid value"),  # a TOML syntax error
    ],
)
def test_rule_file_errors_name_file_and_line(tmp_path, old, new, message):
    text = SHIPPED.replace(old, new, 1)
    message = message.format(line=_line(text, new.split(" ")[0]))
    with pytest.raises(RuleFileError, match="^" + re.escape(f"CR404.toml:{message}")):
        load_definition(_rule_file(tmp_path, text))


def test_pattern_errors_name_the_line_of_their_table(tmp_path):
    text = SHIPPED.replace("(?P<agency>{AGENCY})", "(?P<agency>{AGENCY}")
    defn = load_definition(_rule_file(tmp_path, text))
    with pytest.raises(ExistenceError, match=rf"^CR404\.toml:{_line(text, '[[pattern]]')}: bad"):
        load_rule(defn)
    text = SHIPPED.replace("{AGENCY})", "{AGENT})")
    defn = load_definition(_rule_file(tmp_path, text))
    with pytest.raises(ExistenceError, match=r"unknown list \{AGENT\} \(declared: AGENCY\)"):
        load_rule(defn)

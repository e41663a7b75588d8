"""Fuzzing (issue 17): random Unicode, bytes, JSONL and HTML must never crash mtaudit.

Invariants: no exception escapes; every output is valid JSON; every finding's text is
``text[start:end]``; the exit code is a documented one; a bad record never loses the good
ones. The budget is bounded (a fixed number of examples, derandomised) so CI stays fast."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mtaudit.cli.app import app
from mtaudit.io.inputs import decode_noted

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# each CLI example scans a file (~0.3 s): fewer of them, so the suite stays under ~40 s
CLI_SETTINGS = settings(SETTINGS, max_examples=15)
FR = "Le président a dit hier que la réunion était très importante pour la ville."
PIECES = st.sampled_from([
    FR, "e\u0301", "\ud800", "\udfff", "\x00", "\x1b[31m", "\u202e", "\u200f", "مرحبا", "汉字", "😀",
    "\t", "\r\n", "\n\n", "«", "»", '"', "’", "Yesterday", "Poutine", "www.x.com", "a@b.fr", "<div>",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)
CODES = {0, 1, 2, 3}


def _check_offsets(art: dict) -> None:
    text = art["text"]
    for f in art["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]
        assert 0 <= f["start"] < f["end"] <= len(text)
        # a span never separates a letter from its combining accent (NFD input)
        assert not unicodedata.combining(text[f["start"]])
        assert f["end"] == len(text) or not unicodedata.combining(text[f["end"]])


WORDS = st.sampled_from([
    "Le", "président", "a", "été", "élu", "à", "Genève", "hier", "idée", "bonne", "très", "meeting",
    "Yesterday", "réforme", "députés", "l’été", "où", "Noël", "ça", "français", ".", ",", "\n",
])
FRENCH = st.lists(WORDS, min_size=3, max_size=40).map(" ".join)


@SETTINGS
@given(FRENCH)
def test_nfd_text_is_audited_like_its_nfc_twin(rules_auditor, text):
    nfd = unicodedata.normalize("NFD", text)
    a, b = rules_auditor.audit_text(text), rules_auditor.audit_text(nfd)
    d = b.to_dict(include_text=True)
    _check_offsets(d)
    assert d["text"] == nfd and b.verdict == a.verdict
    assert [(f.rule, f.line, unicodedata.normalize("NFC", f.text)) for f in b.findings] == [
        (f.rule, f.line, f.text) for f in a.findings
    ]


@SETTINGS
@given(TEXT)
def test_random_text_through_the_library(rules_auditor, text):
    card = rules_auditor.audit_text(text)
    d = card.to_dict(include_text=True)
    json.dumps(d, ensure_ascii=False).encode("utf-8")
    _check_offsets(d)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_decode_or_say_why(data):
    try:
        text, enc, notes = decode_noted(data)
    except ValueError as exc:
        assert str(exc)
        return
    text.encode("utf-8")  # no lone surrogate reaches the auditor


RECORD = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": FR + " " + t}), st.one_of(st.integers(), st.text(max_size=5), st.none()), TEXT),
    st.builds(lambda t: json.dumps({"text": t}), TEXT),
    TEXT.map(lambda t: t.replace("\n", " ")),
    st.just('{"id": 1, "text": "Le pr\\ud800sident a dit hier que la réunion était importante."}'),
)


@CLI_SETTINGS
@given(st.lists(RECORD, max_size=6))
def test_random_jsonl_keeps_the_good_records(tmp_path_factory, lines):
    p = tmp_path_factory.mktemp("fz") / "f.jsonl"
    good = json.dumps({"id": "ok", "text": FR})
    p.write_text("\n".join([*lines, good]) + "\n", encoding="utf-8", errors="surrogatepass")
    res = CliRunner().invoke(app, ["scan", "--no-lm", "-f", "json", "--include-text", str(p)])
    assert res.exit_code in CODES, res.exception
    out = json.loads(res.stdout)
    assert any(a["source"].endswith("#ok") for a in out["articles"])
    for a in out["articles"]:
        _check_offsets(a)


HTML = st.lists(st.one_of(PIECES, st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->", "&amp;", "&#0;", "<b", ">"]), st.text(max_size=10)), max_size=40).map("".join)


@CLI_SETTINGS
@given(HTML)
def test_random_html_never_crashes(tmp_path_factory, html):
    p = tmp_path_factory.mktemp("fh") / "p.html"
    p.write_text("<html><body>" + html + "<p>" + FR + "</p></body></html>", encoding="utf-8", errors="surrogatepass")
    res = CliRunner().invoke(app, ["scan", "--no-lm", "-f", "json", "--include-text", str(p)])
    assert res.exit_code in CODES, res.exception
    for a in json.loads(res.stdout)["articles"]:
        _check_offsets(a)

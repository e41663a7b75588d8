"""Hostile and careless input (issue 17): nothing hangs, nothing crashes, nothing is destroyed.

Each test fails on the code before the fix. Device paths are only ever FIFOs or files made
here; standard output is only closed inside a subprocess."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

import mtaudit
from mtaudit.core.config import Config
from mtaudit.io.inputs import Item, decode_noted, read_inputs

FR = "Le président a dit hier que la réunion était très importante pour la ville et ses habitants.\n"
EXE = [sys.executable, "-m", "mtaudit.cli"]
ENV = dict(os.environ, HF_HUB_OFFLINE="1")


def run(*args, cwd=None, **kw):
    return subprocess.run([*EXE, "scan", "--no-lm", *map(str, args)], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=120, **kw)


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(FR, encoding="utf-8")
    return p


# ------------------------------------------------------------------ 1. safe output writing
def test_output_through_a_symlink_keeps_the_link_and_the_mode(tmp_path, article):
    target = tmp_path / "t.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o600)
    link = tmp_path / "l.json"
    link.symlink_to(target.name)
    assert run("-f", "json", "-o", link, article).returncode == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["articles"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_output_to_a_hard_link_is_written_through(tmp_path, article):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("{}", encoding="utf-8")
    os.link(a, b)
    assert run("-f", "json", "-o", b, article).returncode == 0
    assert a.stat().st_ino == b.stat().st_ino and json.loads(a.read_text(encoding="utf-8"))["articles"]


def test_output_to_a_fifo_writes_through_and_leaves_the_fifo(tmp_path, article):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    res = run("-f", "json", "-o", fifo, article)
    reader.join(30)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0])["articles"][0]["verdict"] in ("pass", "warn", "fail")


def test_output_to_stdout_device_path_inside_a_pipe(article):
    res = run("-f", "json", "-o", "/dev/stdout", article)
    assert res.returncode == 0 and json.loads(res.stdout)["articles"]


def test_output_onto_an_input_is_refused(tmp_path, article):
    before = article.read_text(encoding="utf-8")
    res = run("-o", article, article)
    assert res.returncode == 2 and "one of the inputs" in res.stderr
    assert article.read_text(encoding="utf-8") == before
    inside = tmp_path / "b.txt"
    inside.write_text(FR, encoding="utf-8")
    res = run("-o", inside, tmp_path)
    assert res.returncode == 2 and inside.read_text(encoding="utf-8") == FR


def test_output_onto_a_directory_or_unwritable_place_is_one_line(tmp_path, article):
    for bad in (tmp_path, "/proc/self/x.json"):
        res = run("-o", bad, article)
        assert res.returncode == 2, res.stderr
        assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert not list(tmp_path.glob(".mtaudit-*"))


def test_no_temporary_file_after_sigterm_or_sigkill(tmp_path, article):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        out = tmp_path / f"r{sig}.json"
        p = subprocess.Popen([*EXE, "scan", "--no-lm", "-f", "json", "-o", str(out), str(article), "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        p.stdin.write(FR.encode())
        p.stdin.flush()
        time.sleep(3)  # running, the report open, waiting for the rest of standard input
        p.send_signal(sig)
        p.wait(30)
        assert not out.exists()
        assert not list(tmp_path.glob(".mtaudit-*")), sig


# ------------------------------------------------------------------ 2. surrogates, 11. API
def test_a_lone_surrogate_does_not_sink_the_batch(tmp_path, article):
    s = tmp_path / "s.jsonl"
    s.write_text('{"id":1,"text":"Le pr\\ud800sident a dit hier que le meeting était très important."}\n', encoding="utf-8")
    later = tmp_path / "z.txt"
    later.write_text(FR, encoding="utf-8")
    res = run("-f", "json", article, s, later)
    arts = json.loads(res.stdout)["articles"]
    assert res.returncode in (0, 1) and len(arts) == 3
    assert any("surrogate" in r for r in arts[1]["reasons"])


def test_api_type_errors_name_what_was_given():
    cfg = Config(lm=False)
    with pytest.raises(TypeError, match="str .or bytes., not NoneType"):
        mtaudit.audit(None, cfg)
    card = mtaudit.audit(FR.encode("latin-1"), cfg)
    assert card.language == "fr" and "président" in card.text
    card = mtaudit.audit("Le pr\ud800sident a dit hier que la réunion était importante.", cfg)
    json.dumps(card.to_dict(), ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------ 3. hangs, unbounded reads
def test_fifo_inside_a_directory_is_reported_not_read(tmp_path, article):
    os.mkfifo(tmp_path / "pipe.txt")
    res = run("-f", "json", tmp_path)
    assert res.returncode == 3 and "FIFO" in res.stderr
    assert len(json.loads(res.stdout)["articles"]) == 1


def test_named_fifo_without_writer_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    res = run(tmp_path / "p.txt")
    assert res.returncode == 2 and "FIFO" in res.stderr and "no writer" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_endless_stdin_stops_at_the_size_limit():
    p = subprocess.Popen([*EXE, "scan", "--no-lm", "--max-size", "1", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    chunk = (FR * 100).encode()
    try:
        while p.poll() is None:
            p.stdin.write(chunk)
    except BrokenPipeError:
        pass
    _, err = p.communicate(timeout=60)
    assert p.returncode == 2 and b"too large" in err


# ------------------------------------------------------------------ 6. scripts
@pytest.mark.parametrize("text", [
    "قال الرئيس إن الاجتماع كان مهما جدا للمدينة وسكانها في هذا الأسبوع الماضي.",
    "总统昨天说，这次会议对这个城市和它的居民非常重要。",
    "Президент сказал вчера, что встреча была очень важной для города.",
])
def test_non_latin_scripts_are_not_french(text):
    card = mtaudit.audit(text, Config(lm=False))
    assert card.verdict == "skipped" and card.language != "fr"


LATIN_SCRIPT = {
    "pl": "Prezydent powiedział wczoraj, że spotkanie było bardzo ważne dla miasta i jego mieszkańców. "
          "Minister odpowiedział, że reforma zostanie przedstawiona posłom w przyszłym tygodniu, po długiej debacie.",
    "sw": "Rais alisema jana kwamba mkutano ulikuwa muhimu sana kwa jiji na wakazi wake wote. Waziri alijibu "
          "kwamba mageuzi hayo yatawasilishwa kwa wabunge wiki ijayo, baada ya mjadala mrefu bungeni.",
    "tr": "Cumhurbaşkanı dün toplantının şehir ve sakinleri için çok önemli olduğunu söyledi. Bakan, reformun "
          "uzun bir tartışmanın ardından gelecek hafta milletvekillerine sunulacağını belirtti.",
    "fi": "Presidentti sanoi eilen, että kokous oli erittäin tärkeä kaupungille ja sen asukkaille. Ministeri "
          "vastasi, että uudistus esitellään kansanedustajille ensi viikolla pitkän keskustelun jälkeen.",
}


@pytest.mark.parametrize("code", sorted(LATIN_SCRIPT))
def test_latin_script_languages_outside_french_neighbours_are_not_french(code):
    """Language ID knew French and six neighbours: Swahili passed as French, Polish and Turkish
    were called Spanish, Finnish English. Each is now not audited, under its own name."""
    card = mtaudit.audit(LATIN_SCRIPT[code], Config(lm=False))
    assert card.verdict == "skipped" and card.language == code, (card.language, card.reasons)


def test_french_full_of_foreign_names_stays_french():
    text = ("Il peut y avoir du verglas dans les environs de Lanškroun, Ústí nad Orlicí, Polička, Svitavy "
            "ou Vysoké Mýto, et ce, principalement le matin. On y expose les toiles de Monet, Pissarro, "
            "Renoir et Cézanne.")
    card = mtaudit.audit(text, Config(lm=False))
    assert card.verdict != "skipped" and card.language == "fr"


# ------------------------------------------------------------------ 7. encodings
def test_short_latin1_and_cp1252_files_keep_their_accents():
    s = "Le président a été élu à Genève."
    for enc in ("latin-1", "cp1252"):
        text, got, _ = decode_noted(s.encode(enc))
        assert text == s, (enc, got)
    text, _, _ = decode_noted("L’État a dû reculer.".encode("cp1252"))
    assert text == "L’État a dû reculer."


def test_utf16_without_bom_cesu_and_a_stray_byte():
    s = "Le président a été élu à Genève hier soir."
    assert decode_noted(s.encode("utf-16-le"))[0] == s
    # 😀 as CESU-8: two encoded surrogates
    cesu = "Un émoji ".encode() + b"\xed\xa0\xbd\xed\xb8\x80" + b" ici."
    assert decode_noted(cesu)[0] == "Un émoji 😀 ici."
    stray = "Le président a été élu à Genève, ".encode() + b"caf\xe9" + b" hier."
    text, enc, notes = decode_noted(stray)
    assert "président" in text and "\ufffd" in text and any("byte offset" in n for n in notes)


def test_nul_bytes_after_8kb_are_binary(tmp_path):
    p = tmp_path / "n.txt"
    p.write_bytes((FR * 200).encode() + b"\x00\x00rest")
    (err,) = list(read_inputs([str(p)]))
    assert not isinstance(err, Item) and "NUL" in err.message


# ------------------------------------------------------------------ 9. exit codes
def test_closed_stdin_and_stdout_are_one_line_not_a_traceback(article):
    p = subprocess.run(f"{sys.executable} -m mtaudit.cli scan --no-lm - <&-", shell=True, capture_output=True, text=True, env=ENV)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "closed" in p.stderr
    p = subprocess.run(f"{sys.executable} -m mtaudit.cli scan --no-lm {article} >&-", shell=True, capture_output=True, text=True, env=ENV)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "closed" in p.stderr


def test_internal_error_has_its_own_exit_code_and_one_line(article):
    code = ("import sys, mtaudit.auditor as a, mtaudit.cli as c\n"
            "a.Auditor.audit_many = lambda *x, **k: 1 / 0\n"
            f"sys.argv = ['mtaudit', 'scan', '--no-lm', {str(article)!r}] + sys.argv[1:]\nc.main()\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert p.returncode == 4 and p.stderr.count("\n") == 1 and "internal error" in p.stderr
    p = subprocess.run([sys.executable, "-c", code, "--debug"], capture_output=True, text=True, env=ENV)
    assert p.returncode == 4 and "Traceback" in p.stderr


# ------------------------------------------------------------------ 12. smaller items
def test_jsonl_duplicate_and_object_ids(tmp_path):
    p = tmp_path / "d.jsonl"
    rec = {"text": FR}
    p.write_text("\n".join(json.dumps(dict(rec, id=i)) for i in (1, 1, {"a": 1}, None)) + "\n", encoding="utf-8")
    srcs = [a["source"] for a in json.loads(run("-f", "json", p).stdout)["articles"]]
    assert len(set(srcs)) == 4
    assert not any("{'a'" in s or "None" in s for s in srcs)


def test_file_names_with_control_characters_stay_on_one_line(tmp_path):
    p = tmp_path / "bad\nname\x1b[31m.txt"
    p.write_text("", encoding="utf-8")
    res = run(p)
    assert res.stderr.count("\n") == 1 and "\x1b" not in res.stderr


def test_deeply_nested_html_still_gives_its_text(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * 10000 + "<p>" + FR + "</p>" + "</div>" * 10000 + "</body></html>", encoding="utf-8")
    (item,) = list(read_inputs([str(p)]))
    assert isinstance(item, Item) and "président" in item.text


def test_stdin_starting_with_a_brace_is_text_unless_it_is_jsonl():
    p = subprocess.run([*EXE, "scan", "--no-lm", "-f", "json", "-"], input="{Note} " + FR, capture_output=True, text=True, env=ENV)
    assert p.returncode in (0, 1) and json.loads(p.stdout)["articles"][0]["source"] == "<stdin>"


def test_a_jsonl_report_in_the_scanned_directory_is_not_read_back(tmp_path, article):
    rep = tmp_path / "report.jsonl"
    assert run("-f", "jsonl", "-o", rep, tmp_path).returncode == 0
    res = run("-f", "json", tmp_path)
    assert res.returncode == 0, res.stderr
    assert [a["source"] for a in json.loads(res.stdout)["articles"]] == [str(article)]


def test_symlinked_subdirectory_is_followed(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text(FR, encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    (top / "link").symlink_to(real)
    (real / "loop").symlink_to(real)
    res = run("-f", "json", top)
    assert len(json.loads(res.stdout)["articles"]) == 1 and res.returncode == 0


# ------------------------------------------------------------------ 8. NFD accents
def _no_cut(text: str, start: int, end: int) -> bool:
    import unicodedata

    return not unicodedata.combining(text[start]) and (end == len(text) or not unicodedata.combining(text[end]))


def test_nfd_accents_are_audited_like_composed_ones(tmp_path):
    import unicodedata

    composed = ("Le président a dit hier que c'était une bonne idée pour le pays.\n"
                "Le ministre a répondu que la réforme serait présentée devant les députés.\n")
    nfd, nfc = tmp_path / "nfd.txt", tmp_path / "nfc.txt"
    nfd.write_text(unicodedata.normalize("NFD", composed), encoding="utf-8")
    nfc.write_text(composed, encoding="utf-8")
    a, b = (json.loads(run("-f", "json", p).stdout)["articles"][0] for p in (nfd, nfc))
    assert [f["text"] for f in a["findings"]] == [] and a["verdict"] == b["verdict"] == "pass"


def test_nfd_findings_point_into_the_text_as_read():
    """A seed article in NFD: the same findings as composed, each one's text exactly the
    file's characters at its offsets (accents included), lines and columns of the file."""
    import unicodedata
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_0f5ebcda221499e2.txt"
    text = seed.read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text)
    from mtaudit.auditor import Auditor

    auditor = Auditor(Config(lm=False))
    a, b = auditor.audit_text(text), auditor.audit_text(nfd)
    assert b.verdict == a.verdict and len(b.findings) == len(a.findings) > 5
    lines = nfd.split("\n")
    for fa, fb in zip(a.findings, b.findings, strict=True):
        assert (fb.rule, fb.line) == (fa.rule, fa.line)
        assert fb.text == nfd[fb.start : fb.end] and unicodedata.normalize("NFC", fb.text) == fa.text
        assert _no_cut(nfd, fb.start, fb.end)
        assert lines[fb.line - 1][fb.column - 1 :].startswith(fb.text.split("\n")[0])
    assert b.text == nfd and all(_no_cut(nfd, s, e) for s, e in b.sentence_spans)


# ------------------------------------------------------------------ 12. a second, mid-sentence "Yesterday"
def test_a_capitalised_english_word_mid_sentence_does_not_become_a_name(tmp_path):
    """"Yesterday" at a sentence start and again, capitalised, mid-sentence: both are English
    (as with a lower-case second one), not a name that hides both; a surname stays a name."""
    p = tmp_path / "y.txt"
    p.write_text("Yesterday, Poutine a offert une voiture au dirigeant nord-coréen lors de sa visite.\n"
                 "Le porte-parole a dit Yesterday que la rencontre avait été très utile aux deux pays.\n"
                 "Selon Joe White, le ministre a rencontré White hier soir.\n", encoding="utf-8")
    found = [(f["rule"], f["text"], f["line"]) for f in json.loads(run("-f", "json", p).stdout)["articles"][0]["findings"]]
    assert [f for f in found if f[0] == "EN101"] == [("EN101", "Yesterday", 1), ("EN101", "Yesterday", 2)]



def test_a_name_seen_only_capitalised_mid_sentence_stays_a_name(tmp_path):
    """The other side of the fix above: an English word the article only ever writes
    capitalised mid-sentence is a name (a magazine, an agency), as in French originals."""
    p = tmp_path / "t.txt"
    p.write_text("Le président l'a affirmé dans une interview à l'hebdomadaire américain Time.\n"
                 "Québec aurait consulté le Department of Investigation de New York dès janvier dernier.\n",
                 encoding="utf-8")
    found = [(f["rule"], f["text"]) for f in json.loads(run("-f", "json", p).stdout)["articles"][0]["findings"]]
    assert [f for f in found if f[0] == "EN101"] == []

# ------------------------------------------------------------------ 12. a model that cannot load
@pytest.mark.parametrize("broken", [False, True])
def test_a_model_that_cannot_load_is_one_line_naming_it(tmp_path, article, broken):
    """Not the first article's error over five lines: one line naming the model, nothing
    audited, nothing written, exit 2 (the verdicts would not be those of the run asked for)."""
    model = tmp_path / "model"
    if broken:  # a directory that is not a usable model: transformers' message spans lines
        model.mkdir()
        (model / "config.json").write_text("{}")
    other = tmp_path / "b.txt"
    other.write_text(FR, encoding="utf-8")
    out = tmp_path / "out.json"
    res = subprocess.run([*EXE, "scan", "--model", str(model), "-f", "json", "-o", str(out), str(article), str(other)],
                         capture_output=True, text=True, env=ENV, timeout=300)
    lines = res.stderr.splitlines()
    assert res.returncode == 2 and len(lines) == 1, res.stderr
    assert str(model) in lines[0] and "a.txt" not in lines[0] and "--no-lm" in lines[0]
    assert set(os.listdir(tmp_path)) <= {"a.txt", "b.txt", "model"}  # no report, no temporary


def test_the_library_names_the_model_not_the_article():
    from mtaudit.auditor import Auditor

    auditor = Auditor(Config(model="/nonexistent/model"))
    out = list(auditor.audit_many([Item("a.txt", FR), Item("b.txt", FR)]))
    errors = [str(o) for o in out if not hasattr(o, "verdict")]
    assert [o.verdict for o in out if hasattr(o, "verdict")] == ["pass", "pass"]
    assert errors == ["model '/nonexistent/model': no such directory; check FL601 disabled for this run"]


# ------------------------------------------------------------------ 4. linear time on a long token
def test_a_one_megabyte_token_is_audited_in_linear_time(tmp_path):
    """One token of 1,000,000 letters (well inside the size limit): a second or so. The
    address/e-mail pattern of the English analysis once backtracked at every position (80 KB
    took 12 s, so 1 MB is hours), which the generous timeout below never sees the end of."""
    p = tmp_path / "w.txt"
    p.write_text("a" * 1_000_000 + "\n", encoding="utf-8")
    res = subprocess.run([*EXE, "scan", "--no-lm", "-f", "json", str(p)], capture_output=True, text=True, env=ENV, timeout=300)
    (art,) = json.loads(res.stdout)["articles"]
    assert res.returncode in (0, 1) and art["scores"]["words"] == 1


# ------------------------------------------------------------------ 4. linear time on many quotations
def test_an_article_with_many_quotations_is_audited_in_linear_time(tmp_path):
    """40,000 short quotations in 320,000 words (2 MB, well inside the size limit): audited in
    seconds. Before, the English analysis listed each quotation's words by a pass over every
    word of the article, and language ID looked at every quotation for each paragraph:
    40,000 × 320,000 steps, which the generous timeout below never sees the end of."""
    p = tmp_path / "quotes.txt"
    p.write_text("".join(f"Le maire numéro {i} a dit « oui » hier soir.\n" for i in range(40_000)), encoding="utf-8")
    res = subprocess.run([*EXE, "scan", "--no-lm", "--select", "EN", "-f", "json", str(p)],
                         capture_output=True, text=True, env=ENV, timeout=300)
    (art,) = json.loads(res.stdout)["articles"]
    assert art["scores"]["words"] == 320_000 and art["language"] == "fr" and art["findings"] == []


# ------------------------------------------------------------------ 4. JSON of many records, streamed
def test_streamed_json_is_the_report_dict_byte_for_byte(tmp_path):
    from mtaudit.auditor import Auditor
    from mtaudit.io.items import InputError
    from mtaudit.report.json_stream import JsonWriter
    from mtaudit.report.text import dumps, report_dict

    auditor = Auditor(Config(lm=False))
    cards = [auditor.audit_text(t, f"{i}.txt") for i, t in enumerate([FR, "Yesterday, le meeting était top.", "x"])]
    errors = [InputError("bad.txt", "not text \u00e9 \"quoted\"\nsecond line")]
    for cs, es, text in ((cards, errors, True), (cards, [], False), ([], errors, False), ([], [], False)):
        w = JsonWriter(auditor.signature, text)
        for o in [*cs, *es]:
            w.add(o)
        out = tmp_path / "r.json"
        with open(out, "w", encoding="utf-8") as fh:
            w.finish(fh)
        assert out.read_text(encoding="utf-8") == dumps(report_dict(cs, es, auditor.signature, text)) + "\n"


def test_json_output_of_many_records_stays_bounded_in_memory(tmp_path):
    """--format json keeps no scorecard: 20× the records, about the same peak memory
    (on the old code each record's scorecard was kept until the end: ~15 KB each)."""
    def peak(n: int) -> int:
        p = tmp_path / f"r{n}.jsonl"
        p.write_text("".join(json.dumps({"id": i, "text": f"Le maire a parlé {i} fois."}) + "\n" for i in range(n)))
        code = ("import resource,sys;from mtaudit.cli.app import main;sys.argv=['mtaudit','scan','--no-lm','-f','json',"
                f"'-o',{str(tmp_path / 'out.json')!r},{str(p)!r}]\ntry: main()\nexcept SystemExit: pass\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=600)
        assert json.loads((tmp_path / "out.json").read_text())["summary"]["articles"] == n, res.stderr
        return int(res.stdout.split()[-1])  # KB

    assert peak(6000) - peak(300) < 30_000

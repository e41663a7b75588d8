"""Bad and unusual inputs: each gets one clear line naming the file, and the batch goes on."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mtaudit.cli.app import app
from mtaudit.io.inputs import InputError, Item, read_inputs

FRENCH = (
    "Le président de la République a annoncé mardi un plan d'investissement pour les hôpitaux. "
    "Les syndicats ont salué une mesure attendue depuis longtemps, mais ils restent prudents.\n"
)
SPANISH = (
    "El presidente del Gobierno anunció el martes un plan de inversiones para los hospitales. "
    "Los sindicatos celebraron una medida esperada desde hace tiempo, pero siguen siendo prudentes.\n"
)
ENGLISH = (
    "The president announced on Tuesday an investment plan for hospitals. Unions welcomed a "
    "long-awaited measure but remain cautious about how quickly the money will arrive.\n"
)

runner = CliRunner()


def scan(*args: str):
    return runner.invoke(app, ["scan", "--no-lm", *args])


def collect(paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_empty_file_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("")
    (err,) = collect([p])
    assert isinstance(err, InputError)
    assert err.source == str(p) and "empty" in err.message


def test_binary_file_is_refused(tmp_path):
    p = tmp_path / "photo.txt"
    p.write_bytes(bytes(range(256)) * 40)
    (err,) = collect([p])
    assert isinstance(err, InputError) and "binary" in err.message


def test_latin1_file_is_decoded_and_its_encoding_reported(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes(FRENCH.encode("latin-1"))
    (item,) = collect([p])
    assert isinstance(item, Item)
    assert "République" in item.text and "hôpitaux" in item.text
    assert item.encoding.lower().replace("_", "-") in {"latin-1", "iso-8859-1", "cp1252", "windows-1252", "iso-8859-15"}
    res = scan("--format", "json", str(p))
    card = json.loads(res.stdout)["articles"][0]
    assert card["encoding"] == item.encoding and card["language"] == "fr"


def test_utf8_bom_is_removed_so_offsets_match_the_text(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + FRENCH.encode("utf-8"))
    (item,) = collect([p])
    assert item.text == FRENCH and item.encoding == "utf-8-sig"


def test_huge_file_is_refused_with_the_limit_named(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes((FRENCH * 120_000).encode("utf-8")[:20_000_000])
    (err,) = collect([p])
    assert isinstance(err, InputError) and "too large" in err.message and "--max-size" in err.message


def test_malformed_jsonl_line_is_reported_and_good_lines_audited(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": FRENCH}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"id": "c", "text": FRENCH, "title": "Hôpitaux"}),
        json.dumps({"id": "d"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = collect([p])
    assert [o.source for o in out if isinstance(o, Item)] == [f"{p}#a", f"{p}#c"]
    errs = [str(o) for o in out if isinstance(o, InputError)]
    assert errs[0].startswith(f"{p}:2: malformed JSON")
    assert errs[1].startswith(f"{p}:4:") and '"text"' in errs[1]
    res = scan("--format", "json", str(p))
    report = json.loads(res.stdout)
    assert len(report["articles"]) == 2 and len(report["errors"]) == 2
    assert res.exit_code == 3  # some input unreadable, nothing failed


def test_missing_path_is_reported_and_the_batch_goes_on(tmp_path, seeds_dir):
    good = seeds_dir / "002_9c0dcaceea269566.txt"
    res = scan("--format", "json", str(tmp_path / "nope.txt"), str(good))
    report = json.loads(res.stdout)
    assert [a["source"] for a in report["articles"]] == [str(good)]
    assert report["errors"] == [{"source": str(tmp_path / "nope.txt"), "message": "no such file or directory"}]
    assert "nope.txt: no such file or directory" in res.stderr


def test_nothing_readable_exits_2(tmp_path):
    res = scan(str(tmp_path / "nope.txt"))
    assert res.exit_code == 2


def test_spanish_article_is_reported_with_its_language_and_not_audited(tmp_path):
    p = tmp_path / "es.txt"
    p.write_text(SPANISH * 3, encoding="utf-8")
    card = json.loads(scan("--format", "json", str(p)).stdout)["articles"][0]
    assert card["language"] == "es" and card["verdict"] == "skipped" and card["findings"] == []


def test_english_article_is_not_flooded_with_findings(tmp_path):
    p = tmp_path / "en.txt"
    p.write_text(ENGLISH * 3, encoding="utf-8")
    res = scan("--format", "json", str(p))
    card = json.loads(res.stdout)["articles"][0]
    assert card["language"] == "en" and card["verdict"] == "skipped" and card["findings"] == []
    assert res.exit_code == 0


def test_stdin_is_read_with_dash():
    res = runner.invoke(app, ["scan", "--no-lm", "--format", "json", "-"], input=FRENCH)
    report = json.loads(res.stdout)
    assert report["articles"][0]["source"] == "<stdin>"


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "a.md").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("x,y\n", encoding="utf-8")
    out = collect([tmp_path])
    assert [o.source for o in out] == [str(tmp_path / "a.md"), str(tmp_path / "b" / "z.txt")]


def test_html_page_goes_through_the_article_extractor(tmp_path):
    body = "".join(f"<p>{s}</p>" for s in FRENCH.split(". "))
    html = (
        "<html><head><title>T</title></head><body><nav><a href='/'>Accueil</a> <a href='/s'>Sport</a></nav>"
        f"<article><h1>Plan pour les hôpitaux</h1>{body}{body}</article>"
        "<footer>Mentions légales - Contact - Publicité</footer></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    (item,) = collect([p])
    assert item.kind == "html" and "hôpitaux" in item.text
    assert "Mentions légales" not in item.text


def test_langdetect_backend_is_seeded_and_agrees(tmp_path):
    p = tmp_path / "es.txt"
    p.write_text(SPANISH * 3, encoding="utf-8")
    q = tmp_path / "fr.txt"
    q.write_text(FRENCH * 2, encoding="utf-8")
    runs = [scan("--language-backend", "langdetect", "--format", "json", str(p), str(q)).stdout for _ in range(2)]
    assert runs[0] == runs[1]  # deterministic: langdetect is seeded
    langs = [a["language"] for a in json.loads(runs[0])["articles"]]
    assert langs == ["es", "fr"]
    assert scan("--language-backend", "cld9", str(q)).exit_code == 2


def test_utf16_with_bom_is_text(tmp_path):
    p = tmp_path / "windows.txt"
    p.write_bytes(FRENCH.encode("utf-16"))  # BOM + UTF-16, as Windows "Unicode" saves it
    (item,) = collect([p])
    assert isinstance(item, Item) and item.text == FRENCH and item.encoding.startswith("utf-16")


def test_unwritable_output_is_a_usage_error_before_any_work(tmp_path, seeds_dir):
    res = scan("--format", "jsonl", "--output", str(tmp_path / "no" / "dir" / "r.jsonl"), str(seeds_dir / "002_9c0dcaceea269566.txt"))
    assert res.exit_code == 2 and "cannot write the report" in res.stderr


def test_page_of_furniture_only_is_skipped_with_a_reason(tmp_path):
    p = tmp_path / "menu.txt"
    p.write_text("Aller au contenu\n\nÀ la une\n\nPartager\n", encoding="utf-8")
    card = json.loads(scan("--format", "json", str(p)).stdout)["articles"][0]
    assert card["verdict"] == "skipped" and "no article text" in card["reasons"][0]


def test_menu_end_marker_above_the_article_does_not_swallow_it(tmp_path):
    p = tmp_path / "menu-first.txt"
    p.write_text(
        "Accueil\n\nÀ la une\n\nPoutine à Pyongyang\n\n"
        "Yesterday, Poutine a offert une voiture à Kim Jong-un lors de sa visite officielle en Corée du Nord.\n",
        encoding="utf-8",
    )
    card = json.loads(scan("--format", "json", str(p)).stdout)["articles"][0]
    assert card["scores"]["words"] > 10
    assert any(f["text"] == "Yesterday" for f in card["findings"])


def test_jsonl_is_streamed_and_the_size_limit_is_per_record(tmp_path):
    p = tmp_path / "big.jsonl"
    good = json.dumps({"id": "ok", "text": FRENCH})
    huge = json.dumps({"id": "huge", "text": FRENCH * 40})
    p.write_text("\n".join([good] * 30 + [huge, good]) + "\n", encoding="utf-8")
    limit = len(huge.encode()) - 1  # the file is far larger than this; each record but one fits
    out = collect([p], max_bytes=limit)
    assert sum(isinstance(o, Item) for o in out) == 31
    (err,) = [o for o in out if isinstance(o, InputError)]
    assert err.source == f"{p}:31" and "record too large" in err.message

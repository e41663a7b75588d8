"""Reference-based scores (`mtaudit score`, and BLEU/chrF/TER in scan's scorecard)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtaudit.cli.app import app
from mtaudit.scorers.ref_corpus import align_article, load_corpus
from mtaudit.scorers.refscore import RefScoreError, article_scores, check_tokenizer

runner = CliRunner()
BIN = Path(sys.executable).parent

REF = [
    "Le gouvernement a présenté mardi un projet de loi sur les retraites.",
    "Les syndicats appellent à une nouvelle journée de grève jeudi.",
    "Selon le ministre, la réforme doit entrer en vigueur dès janvier.",
    "L'opposition dénonce un texte « injuste » et promet de le combattre.",
    "Le débat s'ouvrira à l'Assemblée nationale la semaine prochaine.",
    "Plusieurs députés de la majorité ont déjà exprimé des réserves.",
]
# a machine translation: some lines close to the reference, two far from it
HYP = [
    "Le gouvernement a présenté mardi un projet de loi sur les pensions.",
    "Les syndicats appellent à un nouveau jour de grève jeudi.",
    "Selon le ministre, la réforme doit entrer en vigueur dès janvier.",
    "L'opposition dénonce un texte « injuste » et promet de le combattre.",
    "Le débat va ouvrir à l'Assemblée nationale la semaine prochaine.",
    "Plusieurs membres du parti au pouvoir ont déjà exprimé des réserves.",
]
HYP2 = [
    "Gouvernement présenté mardi facture sur la retraite.",
    "Les unions appellent pour un autre jour de frappe jeudi.",
    "Selon ministre, la réforme doit entrer dans la force dès janvier.",
    "L'opposition dénonce un texte injuste et promet de combattre il.",
    "Le débat ouvrira à l'Assemblée nationale semaine prochaine.",
    "Plusieurs députés de majorité ont déjà exprimé réservations.",
]


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture()
def files(tmp_path):
    return {
        "hyp": write(tmp_path / "hyp.txt", HYP),
        "hyp2": write(tmp_path / "hyp2.txt", HYP2),
        "ref": write(tmp_path / "ref.txt", REF),
    }


def score(*args: str):
    return runner.invoke(app, ["score", *args], env={"COLUMNS": "200"})


def sacrebleu_json(*args: str):
    out = subprocess.run(
        [str(BIN / "sacrebleu"), *args, "-f", "json", "-q"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return data if isinstance(data, list) else [data]


# ------------------------------------------------------------------ parity with sacrebleu's CLI
@pytest.mark.parametrize("tok", ["13a", "intl", "char", "none"])
def test_numbers_and_signatures_equal_the_sacrebleu_command_line(files, tok):
    res = score(
        files["hyp"], "--ref", files["ref"], "--tokenize", tok, "-w", "4", "--format", "json"
    )
    assert res.exit_code == 0, res.output
    ours = {s["name"]: s for s in json.loads(res.stdout)["scores"]}
    theirs = sacrebleu_json(
        files["ref"], "-i", files["hyp"], "-m", "bleu", "chrf", "ter", "--tokenize", tok, "-w", "4"
    )
    theirs += sacrebleu_json(
        files["ref"], "-i", files["hyp"], "-m", "chrf", "--chrf-word-order", "2", "-w", "4"
    )
    assert [s["name"] for s in theirs] == ["BLEU", "chrF2", "TER", "chrF2++"]
    for s in theirs:
        assert ours[s["name"]]["score"] == s["score"], s["name"]
        assert ours[s["name"]]["signature"] == s["signature"]
        assert ours[s["name"]].get("verbose_score") == s.get("verbose_score")
    assert f"tok:{tok}" in ours["BLEU"]["signature"]
    assert "nw:2" in ours["chrF2++"]["signature"]


def test_two_references_like_sacrebleu(files, tmp_path):
    ref2 = write(tmp_path / "ref2.txt", HYP2)
    res = score(
        files["hyp"],
        "--ref",
        files["ref"],
        "--ref",
        ref2,
        "-w",
        "3",
        "--format",
        "json",
        "-m",
        "bleu,chrf",
    )
    ours = {s["name"]: s for s in json.loads(res.stdout)["scores"]}
    theirs = sacrebleu_json(files["ref"], ref2, "-i", files["hyp"], "-m", "bleu", "chrf", "-w", "3")
    assert set(ours) == {"BLEU", "chrF2"}
    for s in theirs:
        assert (ours[s["name"]]["score"], ours[s["name"]]["signature"]) == (
            s["score"],
            s["signature"],
        )
        assert "nrefs:2" in s["signature"]


def test_text_output_is_a_table_with_signatures(files):
    res = score(files["hyp"], "--ref", files["ref"])
    assert res.exit_code == 0
    out = res.stdout
    for name in ("BLEU", "chrF2", "chrF2++", "TER"):
        assert f"│ {name} " in out
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in out
    assert "BP = " in out


# ------------------------------------------------------------------ worst segments, comparison
def test_worst_segments_are_the_badly_translated_lines_side_by_side(files):
    res = score(files["hyp"], "--ref", files["ref"], "--sentences", "2", "--format", "json")
    worst = json.loads(res.stdout)["worst_segments"]["segments"]
    # "membres du parti au pouvoir" for "députés de la majorité", then "un nouveau jour"
    assert [w["segment"] for w in worst] == ["6", "2"]
    assert worst[0]["chrf"] <= worst[1]["chrf"] < 100
    assert worst[0]["hypothesis"] == HYP[5] and worst[0]["references"] == [REF[5]]
    text = score(files["hyp"], "--ref", files["ref"], "--sentences", "1").stdout
    assert "1 worst segments by sentence chrF" in text
    assert "Plusieurs membres du parti" in text and "Plusieurs députés de la" in text


def test_compare_runs_sacrebleus_paired_bootstrap(files):
    res = score(
        files["hyp"],
        "--ref",
        files["ref"],
        "--compare",
        files["hyp2"],
        "-m",
        "bleu",
        "-w",
        "3",
        "--format",
        "json",
    )
    (m,) = json.loads(res.stdout)["compare"]["metrics"]
    assert m["name"] == "BLEU" and m["system"]["score"] < m["baseline"]["score"]
    assert "bs:1000" in m["signature"] and "seed:12345" in m["signature"]
    out = subprocess.run(
        [
            str(BIN / "sacrebleu"),
            files["ref"],
            "-i",
            files["hyp"],
            files["hyp2"],
            "--paired-bs",
            "-m",
            "bleu",
            "-w",
            "3",
            "-f",
            "text",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    ).stdout
    b, s = m["baseline"], m["system"]
    assert f"{b['score']:.3f} ({b['mean']:.3f} ± {b['ci']:.3f})" in out
    assert f"{s['score']:.3f} ({s['mean']:.3f} ± {s['ci']:.3f})" in out
    assert f"(p = {s['p_value']:.4f})" in out
    text = score(
        files["hyp"], "--ref", files["ref"], "--compare", files["hyp2"], "-m", "bleu", "-w", "3"
    ).stdout
    assert f"{s['p_value']:.4f}" in text and "paired bootstrap resampling (1000 resamples)" in text


# ------------------------------------------------------------------ errors: one line, exit code 2
def one_line_error(res) -> str:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1, res.output
    return lines[0]


def test_different_line_counts_name_both_files_and_counts(files, tmp_path):
    short = write(tmp_path / "short.txt", REF[:4])
    msg = one_line_error(score(files["hyp"], "--ref", short))
    assert files["hyp"] in msg and "6 lines" in msg and short in msg and "4" in msg


def test_empty_file_is_a_clear_error(files, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    msg = one_line_error(score(files["hyp"], "--ref", str(empty)))
    assert str(empty) in msg and "empty" in msg


def test_unknown_tokenizer_lists_the_offline_ones(files):
    msg = one_line_error(score(files["hyp"], "--ref", files["ref"], "--tokenize", "moses"))
    assert "unknown tokenizer 'moses'" in msg and "13a, intl, char, none" in msg


@pytest.mark.parametrize("tok", ["flores101", "flores200"])
def test_flores_tokenizers_need_a_download_and_say_so(files, tok, tmp_path, monkeypatch):
    monkeypatch.setattr(
        "sacrebleu.tokenizers.tokenizer_spm.SACREBLEU_DIR", str(tmp_path / "nothing-here")
    )
    msg = one_line_error(score(files["hyp"], "--ref", files["ref"], "--tokenize", tok))
    assert f"tokenizer {tok!r} needs a SentencePiece model downloaded from https://" in msg
    assert "13a" in msg
    with pytest.raises(RefScoreError):
        check_tokenizer(tok)
    assert not (tmp_path / "nothing-here").exists()  # no download was attempted


def test_missing_file_and_mixed_formats(files, tmp_path):
    assert "no such file" in one_line_error(
        score(files["hyp"], "--ref", str(tmp_path / "nope.txt"))
    )
    j = tmp_path / "ref.jsonl"
    j.write_text(json.dumps({"id": 1, "text": "x"}) + "\n")
    assert "JSONL" in one_line_error(score(files["hyp"], "--ref", str(j)))


# ------------------------------------------------------------------ JSONL and articles
def test_jsonl_records_score_like_the_same_lines_in_text_files(files, tmp_path):
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"a{k}",
                    "text": "\n".join(HYP[k : k + 3]),
                    "reference": "\n\n".join(REF[k : k + 3]),
                },
                ensure_ascii=False,
            )
            for k in (0, 3)
        ),
        encoding="utf-8",
    )
    from_jsonl = json.loads(score(str(hyp), "--format", "json").stdout)
    from_text = json.loads(score(files["hyp"], "--ref", files["ref"], "--format", "json").stdout)
    assert from_jsonl["segments"] == 6 and "2 line-aligned" in from_jsonl["alignment"]
    assert [s["score_full"] for s in from_jsonl["scores"]] == [
        s["score_full"] for s in from_text["scores"]
    ]


def test_article_alignment_lines_when_counts_match_else_one_segment():
    hyp, refs, mode = align_article("Un.\n\nDeux.\n", ["Un !\nDeux !\n"])
    assert (hyp, refs, mode) == (["Un.", "Deux."], [["Un !", "Deux !"]], "lines")
    hyp, refs, mode = align_article("Un.\nDeux.\n", ["Un ! Deux !\n"])
    assert (hyp, refs, mode) == (["Un. Deux."], [["Un ! Deux !"]], "article")


def test_long_unaligned_article_skips_ter_and_says_why():
    lines = REF + HYP2  # (a line repeated in a text would be set aside as page furniture)
    res = article_scores("\n".join(lines), " ".join(lines), ter_max_words=50)
    assert res["alignment"] == "article" and res["ter"] is None and res["bleu"] > 90
    assert "TER:skipped(>50 words)" in res["signature"]


def scan_json(*args: str) -> dict:
    # one fast rule only (an unknown code is now a usage error): the scorers are what is tested
    res = runner.invoke(app, ["scan", "--no-lm", "--select", "CV307", "--format", "json", *args])
    assert res.exit_code in (0, 1, 3), res.output
    return json.loads(res.stdout)


def test_scan_jsonl_reference_field_adds_bleu_chrf_ter(tmp_path):
    p = tmp_path / "a.jsonl"
    recs = [
        {"id": "with", "text": "\n".join(HYP), "reference": "\n".join(REF)},
        {"id": "without", "text": "\n".join(HYP)},
    ]
    p.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8"
    )
    cards = {c["source"].split("#")[1]: c for c in scan_json(str(p))["articles"]}
    s = cards["with"]["scores"]
    direct = article_scores("\n".join(HYP), "\n".join(REF))
    assert (
        s["bleu"] == round(direct["bleu"], 2)
        and s["chrf"] == round(direct["chrf"], 2)
        and s["ter"] == round(direct["ter"], 2)
    )
    assert 30 < s["bleu"] < 100 and 0 < s["ter"] < 50
    assert s["reference_signature"].startswith("BLEU:nrefs:1|") and s[
        "reference_signature"
    ].endswith("align:lines")
    assert any("against the reference: BLEU" in r for r in cards["with"]["reasons"])
    assert "bleu" not in cards["without"]["scores"]


def test_scan_ref_dir_matches_by_file_name(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "refs").mkdir()
    write(tmp_path / "in" / "article.txt", HYP)
    write(tmp_path / "refs" / "article.txt", REF)
    (card,) = scan_json(str(tmp_path / "in"), "--ref", str(tmp_path / "refs"))["articles"]
    assert card["scores"]["bleu"] == round(
        article_scores("\n".join(HYP), "\n".join(REF))["bleu"], 2
    )


def test_scan_ref_dir_with_jsonl_takes_the_record_with_the_same_id(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "refs").mkdir()
    (tmp_path / "in" / "batch.jsonl").write_text(
        json.dumps({"id": "x", "text": "\n".join(HYP)}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (tmp_path / "refs" / "batch.jsonl").write_text(
        json.dumps({"id": "y", "text": "Autre chose."})
        + "\n"
        + json.dumps({"id": "x", "text": "\n".join(REF)}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    (card,) = scan_json(str(tmp_path / "in"), "--ref", str(tmp_path / "refs"))["articles"]
    assert card["scores"]["bleu"] == round(
        article_scores("\n".join(HYP), "\n".join(REF))["bleu"], 2
    )


def test_scan_ref_dir_with_hash_in_names_and_ids(tmp_path):
    # "#" separates a JSONL file from a record id in `source`, for display only: a file name
    # or a record id holding "#" still finds its reference
    (tmp_path / "in").mkdir()
    (tmp_path / "refs").mkdir()
    write(tmp_path / "in" / "brève#2.txt", HYP)
    write(tmp_path / "refs" / "brève#2.txt", REF)
    (tmp_path / "in" / "lot#1.jsonl").write_text(
        json.dumps({"id": "a#b", "text": "\n".join(HYP)}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "refs" / "lot#1.jsonl").write_text(
        json.dumps({"id": "a#b", "text": "\n".join(REF)}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    cards = scan_json(str(tmp_path / "in"), "--ref", str(tmp_path / "refs"))["articles"]
    want = round(article_scores("\n".join(HYP), "\n".join(REF))["bleu"], 2)
    assert len(cards) == 2
    assert all(c["scores"].get("bleu") == want for c in cards), [c["reasons"] for c in cards]


def test_load_corpus_strips_like_sacrebleu(tmp_path):
    hyp = tmp_path / "h.txt"
    hyp.write_bytes("\ufeffUn  \r\nDeux\n\nTrois".encode())
    ref = write(tmp_path / "r.txt", ["Un", "Deux", "", "Trois"])
    c = load_corpus(str(hyp), [ref])
    assert c.hyps == ["Un", "Deux", "", "Trois"] and c.refs == [["Un", "Deux", "", "Trois"]]

"""The typed scorecard: its Signature object renders the string of the JSON contract, the text
report shows the notes of the checks, and one category table feeds every consumer."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from mtaudit.auditor import Auditor
from mtaudit.checks import load_checks
from mtaudit.core.categories import categories, load_categories, report_order
from mtaudit.core.config import Config
from mtaudit.core.findings import CATEGORIES
from mtaudit.core.resources import ResourceFormatError
from mtaudit.core.scorecard import VERDICT_ORDER, VERDICTS, Scorecard
from mtaudit.core.signature import Signature
from mtaudit.report.text import print_card, report_dict

TEXT = "Le gouvernement a signé mardi un nouveau partenariat avec les entreprises du secteur."


def test_signature_renders_the_contract_string():
    sig = Signature(
        "0.1.0",
        2,
        "abcd1234",
        data={"anglicisms": "c22f495b", "furniture": "4659f950"},
        parts={"en101": "margin=1.35,min_zipf=3", "lm": "none"},
        langid="lingua",
        messages="fr",
        thresholds={"fail_major": 3.0, "warn_likelihood": 0.5},
        boilerplate=True,
    )
    assert str(sig) == (
        "mtaudit:0.1.0|rules:2@abcd1234|data:anglicisms@c22f495b+furniture@4659f950"
        "|en101:margin=1.35,min_zipf=3|lm:none|langid:lingua|messages:fr"
        "|thresholds:fail_major=3,warn_likelihood=0.5|boilerplate:kept"
    )
    assert sig.lm == "none" and sig == Signature(**{**sig.__dict__})


def test_auditor_fills_the_signature_and_the_json_carries_its_string():
    cfg = Config(lm=False, keep_boilerplate=True, thresholds={"warn_likelihood": 0.6})
    auditor = Auditor(cfg)
    card = auditor.audit_text(TEXT)
    sig = card.signature
    assert isinstance(sig, Signature) and sig is auditor.signature
    assert sig.rules == len(auditor.checks) and sig.lm == "none" and sig.boilerplate
    assert sig.thresholds["warn_likelihood"] == 0.6 and "furniture" in sig.data
    assert card.to_dict()["signature"] == str(sig)
    assert json.loads(json.dumps(report_dict([card], [], sig)))["signature"] == str(sig)
    # the verdict's thresholds are on the scorecard too, defaults included
    assert card.thresholds["warn_likelihood"] == 0.6 and card.thresholds["fail_major"] == 3


def render_text(card: Scorecard) -> str:
    out = io.StringIO()
    print_card(Console(file=out, width=200, highlight=False), card)
    return out.getvalue()


def test_text_report_shows_the_notes_of_the_checks():
    card = Auditor(Config(lm=False)).audit_text(TEXT)
    assert "note:" not in render_text(card)
    card.notes.append("no fluency calibration for model tiny: perplexity only")
    assert "note: no fluency calibration for model tiny: perplexity only" in render_text(card)
    assert "notes" not in card.to_dict()  # the JSON contract is unchanged


def test_one_category_table_for_every_consumer():
    from mtaudit.scorers import features
    from mtaudit.scorers.likelihood import _CATEGORY_WORDS
    from mtaudit.serve.languagetool import category_of

    table = categories()
    assert CATEGORIES == features.CATEGORIES == tuple(table)
    # every category a rule reports is in the table, with its words and LanguageTool id
    used = {cls.category for cls in load_checks().values()}
    assert used <= set(table)
    for code in used:
        assert _CATEGORY_WORDS[code] == table[code].reason_words
        assert category_of(code).id == table[code].lt_id
    assert report_order({"zz", "fluency", "english"}) == ["english", "fluency", "zz"]


def test_a_bad_category_row_names_file_and_line(tmp_path):
    bad = tmp_path / "cats.tsv"
    head = "category\torder\tbackground\tcolour\treason_one\treason_many\tlt_id\tlt_name\tlt_issue\n"
    bad.write_text(head + "english\t1\tred\t#c62828\tword\twords\tENGLISH\tEnglish\tuntranslated\n")
    with pytest.raises(ResourceFormatError, match=r"cats\.tsv:2: colour 'red'"):
        load_categories(bad)


def test_verdicts_are_defined_once():
    assert set(VERDICT_ORDER) == set(VERDICTS) == {"pass", "warn", "fail", "skipped"}
    assert Auditor(Config(lm=False)).audit_text("").verdict in VERDICTS


def test_signature_shows_a_data_folder_as_one_fingerprint():
    """grammar/* and rules/* are one fingerprint each in the string; the field keeps every file,
    and changing one file of a folder changes the folder's fingerprint."""
    from mtaudit.core.signature import Signature

    data = {"anglicisms": "aaaa1111", "grammar/cardinals": "bbbb2222", "grammar/lexicon": "cccc3333"}
    sig = Signature(version="0", rules=1, rules_hash="x", data=data)
    text = str(sig)
    assert "anglicisms@aaaa1111" in text and "grammar/" not in text
    assert text.count("grammar@") == 1
    changed = Signature(version="0", rules=1, rules_hash="x", data={**data, "grammar/lexicon": "dddd4444"})
    assert str(changed) != text and set(sig.data) == set(data)

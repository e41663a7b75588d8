"""The one normalisation layer (mtaudit.text.normalise) and the one englishness decision."""

from __future__ import annotations

import pytest

from mtaudit.core import resources
from mtaudit.core.resources import ResourceFormatError
from mtaudit.lang import englishness as E
from mtaudit.text import normalise as N


def _toks(text, rules=N.DOCUMENT):
    out = list(N.tokenize(text, 10, rules))
    for t in out:  # offsets are exact
        if rules.translate == ():
            assert text[t.start - 10 : t.end - 10] == t.text
    return [(t.text, t.elision) for t in out]


# ----------------------------------------------------------------------------- apostrophes
def test_every_apostrophe_becomes_the_straight_one():
    assert N.straighten("l’État lʼami `a'") == "l'État l'ami 'a'"
    assert N.word_key("L’Accord") == "l'accord"
    # a document token never holds ʼ as an apostrophe (Unicode makes it a letter)
    assert N.word_key("Lʼami") == "lʼami"


# ----------------------------------------------------------------------------- elisions
def test_elisions_come_from_the_data_file():
    assert {"l", "qu", "jusqu", "quelqu"} <= N.elisions()
    assert "aujourd" not in N.elisions() and "aujourd" in N.elisions("document")
    assert N.elided_forms()["le"] == "l'" and N.elided_forms()["lorsque"] == "lorsqu'"
    assert N.unsplit_words() == {"aujourd'hui"}
    with pytest.raises(ValueError, match="scope"):
        N.elisions("names")


@pytest.mark.parametrize(
    "text, message",
    [
        ("l\tle la\nl\tle\n", r"^elisions\.txt:2: 'l'"),
        ("qu'\tque\n", r"^elisions\.txt:1: "),
        ("l\tle\tsomewhere\n", r"^elisions\.txt:1: unknown scope"),
        ("=aujourd'hui\tx\n", r"^elisions\.txt:1: a '=' line"),
    ],
)
def test_a_broken_elision_file_names_file_and_line(tmp_path, monkeypatch, text, message):
    (tmp_path / "elisions.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path)
    N._elision_table.cache_clear()
    try:
        with pytest.raises(ResourceFormatError, match=message):
            N._elision_table()
    finally:
        monkeypatch.undo()
        N._elision_table.cache_clear()
    assert N.elisions()  # the shipped file again


# ----------------------------------------------------------------------------- tokeniser
def test_document_tokens_split_elisions_and_keep_numbers_whole():
    assert _toks("L’accord d'aujourd'hui vaut 1 200 euros, jusqu'à Xi'an.") == [
        ("L’", True), ("accord", False), ("d'", True), ("aujourd'hui", False),
        ("vaut", False), ("1 200", False), ("euros", False), ("jusqu'", True), ("à", False),
        ("Xi'an", False),
    ]  # fmt: skip
    # the document tokeniser alone splits "aujourd'" off another word (elisions.txt: document)
    assert _toks("aujourd'hu") == [("aujourd'", True), ("hu", False)]
    assert _toks("aujourd'hu", N.GLOSSARY) == [("aujourd'hu", False)]


def test_glossary_tokens_separate_hyphens_and_drop_possessives():
    assert _toks("d'Ushakov's Kim Jong-un, Jones' lʼami qu`Erdogan", N.GLOSSARY) == [
        ("d'", True), ("Ushakov", False), ("Kim", False), ("Jong", False), ("un", False),
        ("Jones", False), ("lʼ", True), ("ami", False), ("qu`", True), ("Erdogan", False),
    ]  # fmt: skip
    assert N.fold_key("Œcalan Ngô Xi’an") == "oecalan ngo xian"


def test_ngram_tokens_keep_punctuation_and_cut_at_apostrophes():
    toks = [t.text for t in N.tokenize("« L’État », aujourd'hui — 2,5 %", 0, N.NGRAM)]
    assert toks == ['"', "L'", "État", '"', ",", "aujourd'hui", "-", "2,5", "%"]


# ----------------------------------------------------------------------------- folds
def test_folds():
    assert N.fold_line("  Lire aussi :  L’ÉTÉ ") == "lire aussi l ete"
    assert N.strip_accents("ﬁnancé") == "financé".replace("é", "e")
    assert N.strip_accents("ﬁnancé", compat=False) == "ﬁnance"  # the ligature stays


# ----------------------------------------------------------------------------- englishness
def test_each_rule_keeps_its_margin():
    assert (E.EN101.margin, E.EN101.min_en) == (1.35, 3.0)
    assert (E.EN101_LEAN.margin, E.EN101_START.margin) == (0.8, 2.0)
    assert (E.AN201.margin, E.GRAMMAR.margin, E.FEATURES.margin) == (1.0, 0.5, 1.0)
    assert E.AN201.strict and E.GRAMMAR.strict and not E.FEATURES.strict
    eng = E.Englishness()
    # ties: strict rules want more than the margin, the others reach it
    assert not eng.passes(3.5, 2.5, E.AN201) and eng.passes(3.5, 2.5, E.FEATURES)
    assert not eng.passes(2.9, 0.0, E.EN101)  # too rare in English


def test_english_words_and_foreign_quotations():
    assert E.is_english("weekend", E.GRAMMAR) and not E.is_english("maison", E.GRAMMAR)
    assert E.lean("yesterday", E.EN101_LEAN, E.EN101) == "strong"
    assert E.lean("maison", E.EN101_LEAN, E.EN101) is None
    assert E.english_share(["the", "deal", "maison", "est"], E.AN201) == 0.5
    assert E.foreign_quotation([True, False], E.AN201_QUOTE)
    assert not E.foreign_quotation([True], E.AN201_QUOTE)  # AN201 wants two words
    assert E.foreign_quotation([True], E.EN101_QUOTE)
    assert not E.foreign_quotation([True, False, False], E.EN101_QUOTE)

"""The one reader of the data files (mtaudit.core.resources.read_rows) and what a broken file does."""

from __future__ import annotations

import re

import pytest

from mtaudit.analyses import morphology
from mtaudit.auditor import Auditor
from mtaudit.checks import conventions, english, grammar
from mtaudit.core import resources
from mtaudit.core.config import Config
from mtaudit.core.resources import ResourceFormatError, Row, read_lines, read_rows
from mtaudit.io.inputs import InputError, Item

TEXT = (
    "Le gouvernement a présenté mercredi son projet de budget pour l'année prochaine. "
    "Mr. Dupont, ministre des finances, a défendu devant les députés une hausse des "
    "dépenses militaires et une baisse des aides aux collectivités locales."
)


def _write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- the reader
def test_blank_whitespace_and_comment_lines_are_skipped(tmp_path):
    p = _write(
        tmp_path,
        "t.tsv",
        "# a comment\n\n \n\t\n  # an indented comment\nform\tcodes\n a \t b \t\n\u00a0\nc\td\n",
    )
    rows = read_rows(p, min_cols=2)
    assert [(r.cols, r.line, r.file) for r in rows] == [
        (("form", "codes"), 6, "t.tsv"),
        (("a", "b", ""), 7, "t.tsv"),  # stripped columns; a trailing empty column is kept
        (("c", "d"), 9, "t.tsv"),
    ]
    assert rows[1].where == "t.tsv:7"
    assert rows[1].get(2) == "" and rows[1].get(5, "-") == "-"
    assert list(rows[2]) == ["c", "d"] and len(rows[2]) == 2 and rows[2][1] == "d"


def test_header_crlf_and_byte_order_mark(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_bytes("\ufeff# comment\r\nkind\tword\r\nx\ty\r\n".encode())
    rows = read_rows(p, min_cols=2, header=True)
    assert [(r.cols, r.line) for r in rows] == [(("x", "y"), 3)]


def test_comment_marker_can_be_changed_or_disabled(tmp_path):
    p = _write(tmp_path, "t.tsv", "# not a comment\n; a comment\n")
    assert [r.cols for r in read_rows(p, comment=";")] == [("# not a comment",)]
    assert len(read_rows(p, comment=None)) == 2


def test_read_lines_keeps_each_line_whole(tmp_path):
    p = _write(tmp_path, "t.txt", "# words\n  hors-jeu  \n\nfair\tplay\n")
    assert [(r[0], r.line) for r in read_lines(p)] == [("hors-jeu", 2), ("fair\tplay", 4)]


def test_a_short_row_names_file_and_line(tmp_path):
    p = _write(tmp_path, "lex.tsv", "# comment\na\tb\n \nc\n")
    with pytest.raises(ResourceFormatError) as err:
        read_rows(p, min_cols=2, columns="form, codes")
    assert str(err.value) == (
        "lex.tsv:4: expected at least 2 tab-separated columns (form, codes), got 1"
    )
    assert isinstance(err.value, ValueError)


def test_a_long_row_names_file_and_line(tmp_path):
    p = _write(tmp_path, "lex.tsv", "a\tb\na\tb\tc\n")
    with pytest.raises(ResourceFormatError, match=r"^lex\.tsv:2: expected at most 2 .*got 3$"):
        read_rows(p, max_cols=2)


def test_a_bare_name_is_a_packaged_data_file():
    rows = read_rows("conventions_etat.tsv", min_cols=2, header=True)
    assert rows and all(isinstance(r, Row) and r.file == "conventions_etat.tsv" for r in rows)


# ----------------------------------------------------------------------------- the loaders
def _point(monkeypatch, tmp_path, module, attr: str, name: str, text: str):
    """Make ``module.attr`` (a data file name) point to a temporary file."""
    monkeypatch.setattr(module, attr, str(_write(tmp_path, name, text)))


def test_grammar_lexicon_skips_a_line_holding_a_space(tmp_path, monkeypatch):
    # this line used to crash the loader (IndexError)
    _point(monkeypatch, tmp_path, morphology, "LEXICON_FILE", "grammar_lexicon.tsv",
           "# c\nla\tNfs X\n \nmaison\tNfs\n")  # fmt: skip
    _point(monkeypatch, tmp_path, morphology, "GENDERS_FILE", "grammar_genders.tsv",
           "# c\n\t\njuge\tNes V\tla juge\n")  # fmt: skip
    lex = grammar.Lexicon.load()
    assert lex.entries == {"la": ("Nfs", "X"), "maison": ("Nfs",), "juge": ("Nes", "V")}


@pytest.mark.parametrize(
    "text, message",
    [
        ("la\tNfs X\nmaison\n", "grammar_lexicon.tsv:2: expected at least 2 tab-separated"),
        ("la\tNfs X\nmaison\tNf\n", "grammar_lexicon.tsv:2: bad analysis 'Nf' for 'maison'"),
    ],
)
def test_grammar_lexicon_errors_name_file_and_line(tmp_path, monkeypatch, text, message):
    _point(monkeypatch, tmp_path, morphology, "LEXICON_FILE", "grammar_lexicon.tsv", text)
    with pytest.raises(ResourceFormatError, match=re.escape(message)):
        grammar.Lexicon.load()


def test_credit_rule_errors_name_file_and_line(tmp_path):
    from mtaudit.engines.definition import RuleFileError, load_definition
    from mtaudit.engines.existence import ExistenceError, load_rule

    shipped = (resources.DATA_DIR / "rules" / "CR401.toml").read_text(encoding="utf-8")
    bad = _write(tmp_path, "CR401.toml", shipped.replace('severity = "major"', 'severity = "huge"'))
    with pytest.raises(RuleFileError, match=r"^CR401\.toml:\d+: unknown severity 'huge'"):
        load_definition(bad)
    broken = shipped.replace("(?:reporting|reportages?|rapports?)\\b", "(?:reporting", 1)
    defn = load_definition(_write(tmp_path, "CR401.toml", broken))
    line = broken.split("\n").index("[[pattern]]") + 1  # the first pattern
    with pytest.raises(ExistenceError, match=rf"^CR401\.toml:{line}: bad pattern: "):
        load_rule(defn)


def test_conventions_title_severity_is_checked_at_load(tmp_path, monkeypatch):
    _point(monkeypatch, tmp_path, conventions.data, "WORDS", "conventions_words.tsv",
           "kind\tenglish\tfrench\tnote\ntitle\tMr.\tM.\tsevere\n")  # fmt: skip
    with pytest.raises(ResourceFormatError, match=r"conventions_words\.tsv:2: unknown severity"):
        conventions.Tables.load()


def test_english_tables_need_two_columns(tmp_path, monkeypatch):
    _point(monkeypatch, tmp_path, english, "STOPLIST", "english_stoplist.tsv",
           "word\tkind\nthe\tweak\nof\n")  # fmt: skip
    with pytest.raises(ResourceFormatError, match=r"english_stoplist\.tsv:3: expected at least 2"):
        english._read_pairs(english.STOPLIST)


def test_furniture_errors_name_file_and_line(tmp_path, monkeypatch):
    from mtaudit.text import furniture as extract

    bad = _write(tmp_path, "furniture.tsv", "# c\nnavigation\texact\tMenu\tnote\nad\tregex\n")
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path)
    assert resources.data_path("furniture.tsv") == bad
    extract.furniture_patterns.cache_clear()
    try:
        with pytest.raises(ResourceFormatError, match=r"^furniture\.tsv:3: expected at least 3"):
            extract.furniture_patterns()
    finally:
        monkeypatch.undo()
        extract.furniture_patterns.cache_clear()
    assert extract.furniture_patterns().phrases  # the shipped file again


# ----------------------------------------------------------------------------- in an audit
@pytest.fixture
def broken_grammar(tmp_path, monkeypatch):
    _point(monkeypatch, tmp_path, morphology, "LEXICON_FILE", "grammar_lexicon.tsv",
           "# forms\nla\tNfs X\nmaison Nfs\n")  # fmt: skip


def _disabled(errors) -> list[str]:
    return [e.message for e in errors if "disabled for this run" in e.message]


def test_a_broken_lexicon_disables_its_check_once_and_the_others_run(broken_grammar):
    auditor = Auditor(Config(lm=False, select=["GR701", "CV"]))
    card = auditor.audit_text(TEXT, "a.txt")
    assert any(f.rule == "CV305" for f in card.findings)  # Mr. Dupont: the other checks ran
    assert [(e.source, e.message) for e in auditor.check_errors] == [
        (
            "a.txt",
            "check GR701 disabled for this run: grammar-lexicon: ResourceFormatError: "
            "grammar_lexicon.tsv:3: expected at least 2 tab-separated columns "
            "(form, analyses[, lemma]), got 1",
        )
    ]
    assert "GR701" not in {c.code for c in auditor.checks}
    auditor.audit_text(TEXT, "b.txt")
    assert len(auditor.check_errors) == 1  # said once per run


def test_audit_many_reports_the_broken_lexicon_once(broken_grammar):
    auditor = Auditor(Config(lm=False, select=["GR701", "CV"]))
    out = list(auditor.audit_many([Item("a.txt", TEXT), Item("b.txt", TEXT)]))
    errors = [o for o in out if isinstance(o, InputError)]
    cards = [o for o in out if not isinstance(o, InputError)]
    assert len(cards) == 2
    assert all(any(f.rule == "CV305" for f in c.findings) for c in cards)
    (message,) = _disabled(errors)
    assert message.startswith("check GR701 disabled for this run: ")
    assert "grammar_lexicon.tsv:3: expected at least 2 tab-separated columns" in message

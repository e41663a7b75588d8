"""Names against the glossaries: matching, NM501–NM504 findings, house glossaries, seeds."""

from __future__ import annotations

import pytest

from mtaudit.analyses.glossaries import (
    Glossary,
    GlossaryEntry,
    GlossaryError,
    glossary_paths,
    lint_glossaries,
    load_glossary,
    parse_glossary,
)
from mtaudit.analyses.slavic_names import french_transcription, slavic_english
from mtaudit.auditor import Auditor
from mtaudit.checks.names import analyse
from mtaudit.core.config import Config
from mtaudit.core.document import Document
from mtaudit.core.findings import Severity
from mtaudit.core.resources import GLOSSARY_DIR


@pytest.fixture(scope="module")
def default():
    return load_glossary(config=Config())


@pytest.fixture(scope="module")
def nm_auditor():
    return Auditor(Config(lm=False, select=["NM"]))


def findings(text: str, glossary, rule: str | None = None):
    a = analyse(Document(text), glossary)
    out = a.transcription + a.consistency + a.house + a.slavic
    return [f for f in out if rule is None or f.rule == rule]


def texts(text, fs):
    return [text[f.start : f.end] for f in fs]


# ---------------------------------------------------------------------------- the glossary
def test_default_glossary_ships_in_the_package_and_is_clean():
    files = sorted(p.name for p in GLOSSARY_DIR.glob("*.tsv"))
    assert files == ["default.tsv"]
    entries, problems = parse_glossary(GLOSSARY_DIR / "default.tsv")
    assert problems == []
    assert len(entries) >= 300
    assert sum(1 for e in entries if e.flag) >= 300
    assert [p for p in lint_glossaries(glossary_paths(Config())) if p.level == "error"] == []
    kinds = {e.kind for e in entries}
    assert {"person", "given-name", "place", "organisation"} <= kinds
    prefs = {e.preferred for e in entries}
    for name in (
        "Moscou",
        "Pékin",
        "Séoul",
        "Téhéran",
        "Hanoï",
        "Taïwan",
        "Marioupol",
        "Zaporijjia",
        "Tchernobyl",
        "Kiev",
        "Iouri",
        "Sergueï",
        "Dmitri",
        "Alexeï",
        "Mikhaïl",
        "Evgueni",
        "Armée populaire de libération",
        "Poutine",
        "Loukachenko",
        "Kim Jong-un",
    ):
        assert name in prefs, name


# ---------------------------------------------------------------------------- matching
@pytest.mark.parametrize(
    "form", ["Kim Jong Un", "Kim Jong-un", "Kim Jong-Un", "KIM JONG-UN", "Kim  Jong\u00a0Un"]
)
def test_hyphens_spaces_and_case_find_one_entry(default, form):
    ms = default.match_paragraph(f"Le dirigeant {form} a parlé.", 0)
    assert [m.entry.preferred for m in ms] == ["Kim Jong-un"]
    assert ms[0].status in ("preferred", "also", "caps")


def test_elision_possessive_and_word_boundaries(default):
    text = (
        "Le conseiller d'Ushakov, l'adviseur de Putin et Putin's war ; Raspoutine et le putinisme."
    )
    ms = default.match_paragraph(text, 0)
    got = [(m.text, m.status, m.entry.preferred) for m in ms]
    assert ("Ushakov", "flag", "Ouchakov") in got
    assert got.count(("Putin", "flag", "Poutine")) == 2
    assert ("Raspoutine", "preferred", "Raspoutine") in got
    assert not any(m.entry.preferred == "Poutine" and m.text != "Putin" for m in ms)


def test_accents_tell_french_from_english(default):
    ms = {
        m.text: m.status
        for m in default.match_paragraph("De Hanoï à Hanoi, puis Teheran et Téhéran.", 0)
    }
    assert ms == {
        "Hanoï": "preferred",
        "Hanoi": "flag",
        "Teheran": "accents",
        "Téhéran": "preferred",
    }


def test_a_multi_word_name_does_not_cross_punctuation(default):
    assert [m.text for m in default.match_paragraph("la Corée. Du Nord au sud", 0)] == []
    assert [m.text for m in default.match_paragraph("St. Petersburg et Saint-Pétersbourg", 0)] == [
        "St. Petersburg",
        "Saint-Pétersbourg",
    ]


def test_protected_english_titles_and_acronyms(default):
    text = "Selon le Moscow Times et le Kyiv Independent, l'OTAN (NATO) se réunit à Moscow."
    assert texts(text, findings(text, default, "NM501")) == ["NATO", "Moscow"]
    headline = "NATO ET MOSCOU : LE SOMMET"
    assert findings(headline, default, "NM501") == []


def test_an_acronym_the_article_defines_otherwise_is_left_alone(default):
    text = (
        "L'Institut pour la science et la sécurité internationale (ISIS) publie un rapport. "
        "Selon ISIS, le chercheur a travaillé en Russie."
    )
    assert findings(text, default, "NM501") == []
    text2 = "Le groupe État islamique (ISIS) a revendiqué l'attaque."
    assert texts(text2, findings(text2, default, "NM501")) == ["ISIS"]


def test_given_names_count_only_before_a_surname(default):
    text = "Sergei Choïgou est arrivé. On l'appelle Sergei. Sergei Shoigu aussi."
    fs = findings(text, default, "NM501")
    assert texts(text, fs) == ["Sergei", "Sergei Shoigu"]
    assert fs[0].suggestion == "Sergueï" and fs[0].severity == Severity.MINOR
    # a flagged given name and a flagged surname make one finding, at the higher severity
    assert fs[1].suggestion == "Sergueï Choïgou" and fs[1].severity == Severity.MAJOR


def test_other_spellings_of_the_same_letters_are_not_names_of_the_glossary(default):
    # Valéry (Giscard d'Estaing) is not the Russian given name Valeri / Valery
    assert findings("Valéry Giscard d'Estaing a reçu le dalaï-lama.", default) == []


# ---------------------------------------------------------------------------- findings
def test_english_transcription_suggests_the_french_form(default):
    text = "Des foules ont applaudi Putin. Selon Yuri Ushakov, Poutine ira à Hanoi."
    fs = findings(text, default, "NM501")
    got = {text[f.start : f.end]: (f.suggestion, f.severity) for f in fs}
    assert got == {
        "Putin": ("Poutine", Severity.MAJOR),
        "Yuri Ushakov": ("Iouri Ouchakov", Severity.MAJOR),
        "Hanoi": ("Hanoï", Severity.MAJOR),
    }
    putin = next(f for f in fs if f.suggestion == "Poutine")
    assert putin.category == "name"
    assert "l’article écrit ‘Poutine’ ailleurs (1×" in putin.message


def test_suggestion_follows_the_case_of_the_text(default):
    text = "Red Square était pleine. Le défilé sur Red Square. PUTIN À SEOUL : l'arrivée à Séoul."
    got = [(text[f.start : f.end], f.suggestion) for f in findings(text, default, "NM501")]
    # SEOUL in capitals may be Séoul without its accent; PUTIN is English whatever the case
    assert got == [
        ("Red Square", "Place Rouge"),
        ("Red Square", "place Rouge"),
        ("PUTIN", "POUTINE"),
    ]


def test_consistency_names_the_dominant_form_and_where_the_other_is(default):
    text = (
        "Kim Jong-un et Vladimir Poutine.\n\nLe dirigeant Kim Jong Un a reçu Poutine.\n\n"
        "Kim Jong Un a offert deux chiens.\n"
    )
    fs = findings(text, default, "NM502")
    assert all(f.category == "consistency" for f in fs)
    minority = [f for f in fs if f.severity == Severity.MINOR]
    assert texts(text, minority) == ["Kim Jong-un"]
    assert minority[0].suggestion == "Kim Jong Un"
    assert "l’article écrit surtout ‘Kim Jong Un’ (2×, d’abord ligne 3)" in minority[0].message
    summary = [f for f in fs if f.severity == Severity.INFO]
    assert texts(text, summary) == ["Kim Jong Un"]
    assert "‘Kim Jong-un’ 1× (ligne 1)" in summary[0].message


def test_one_form_throughout_is_consistent(default):
    text = "Kim Jong Un a reçu Vladimir Poutine. M. Poutine a salué Kim Jong Un. Kiev et Kiev."
    assert findings(text, default) == []


def test_kiev_and_kyiv_in_one_article(default):
    text = "Kiev a été bombardée. Kiev résiste. Les habitants de Kyiv."
    fs = findings(text, default, "NM502")
    assert [(text[f.start : f.end], f.suggestion) for f in fs if f.severity == Severity.MINOR] == [
        ("Kyiv", "Kiev")
    ]


def test_slavic_names_outside_the_glossary(default):
    text = "La joueuse Svetlana Kuznetsova et la journaliste Anna Chernova, avec Daniil Medvedev."
    fs = findings(text, default, "NM504")
    got = {text[f.start : f.end]: (f.suggestion, f.severity) for f in fs}
    assert got == {
        "Kuznetsova": ("Kouznetsova", Severity.MINOR),
        "Chernova": ("Tchernova", Severity.INFO),
    }


@pytest.mark.parametrize(
    "english,french",
    [
        ("Ushakov", "Ouchakov"),
        ("Chernova", "Tchernova"),
        ("Lukashenko", "Loukachenko"),
        ("Khrushchev", "Khrouchtchev"),
        ("Gerasimov", "Guerassimov"),
        ("Tokayev", "Tokaïev"),
        ("Zhirkov", "Jirkov"),
        ("Yashin", "Iachine"),
        ("Aliyev", "Aliev"),
        ("Zyuganov", "Ziouganov"),
    ],
)
def test_french_transcription(english, french):
    assert french_transcription(english) == french


@pytest.mark.parametrize(
    "word", ["Ouchakov", "Medvedev", "Lavrov", "Martin", "Schulz", "Washington", "Kiev", "USHAKOV"]
)
def test_french_or_foreign_names_do_not_look_english_slavic(word):
    assert slavic_english(word) is None


# ---------------------------------------------------------------------------- house glossaries
def test_house_glossary_overrides_the_default(tmp_path):
    house = tmp_path / "maison.tsv"
    house.write_text("# house style\nKyiv\t\tKiev\nPoutine\n", encoding="utf-8")
    g = load_glossary(config=Config(glossaries=[str(house)]))
    text = "Les bombardements sur Kiev ont repris ; Putin et Poutine."
    fs = findings(text, g)
    house_fs = [f for f in fs if f.rule == "NM503"]
    assert texts(text, house_fs) == ["Kiev"]
    assert house_fs[0].suggestion == "Kyiv" and "maison.tsv" in house_fs[0].message
    # the house line "Poutine" keeps the default's flag on Putin, and its severity
    putin = [f for f in fs if f.rule == "NM501"]
    assert texts(text, putin) == ["Putin"] and putin[0].severity == Severity.MAJOR
    # Kyiv is no longer merely accepted: no consistency finding, a house-style one
    assert not [f for f in fs if f.rule == "NM502"]


def test_house_glossary_can_accept_what_the_default_flags(tmp_path):
    house = tmp_path / "maison.tsv"
    house.write_text("Taiwan\tTaïwan\n", encoding="utf-8")
    g = load_glossary(config=Config(glossaries=[str(house)]))
    assert findings("La présidente de Taiwan.", g) == []
    assert findings("La présidente de Taiwan.", load_glossary(config=Config()), "NM501")


def test_malformed_or_missing_house_glossary_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("Kyiv\t\tKiev\tplanète\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"bad\.tsv:1: .*unknown kind 'planète'"):
        load_glossary(config=Config(glossaries=[str(bad)]))
    with pytest.raises(ValueError, match="glossary file not found"):
        Auditor(Config(lm=False, select=["NM"], glossaries=[str(tmp_path / "none.tsv")]))


def test_lint_reports_duplicates_and_conflicts(tmp_path):
    f = tmp_path / "g.tsv"
    f.write_text(
        "Poutine\t\tPutin\n"
        "Poutine\n"  # duplicate
        "Kyiv\t\tKiev\n"
        "Kiev\n"  # a preferred form that another entry flags
        "Odessa\tOdesa\tOdesa\n"  # accepted and flagged
        "\t\tx\n"  # empty preferred
        "a\tb\tc\td\te\tf\tg\th\n",  # too many columns
        encoding="utf-8",
    )
    problems = [p for p in lint_glossaries([(str(f), False)]) if p.level == "error"]
    lines = {p.line: p.message for p in problems}
    assert "duplicate entry 'Poutine'" in lines[2]
    assert "is flagged by 'Kyiv'" in lines[4]
    assert "both accepted and flagged" in lines[5]
    assert "empty preferred" in lines[6]
    assert "columns" in lines[7]
    assert all(str(p).startswith(f"{f}:") for p in problems)


# ---------------------------------------------------------------------------- scale
def test_matching_a_large_glossary_finds_the_same(default):
    # 10,000 generated entries next to the default ones change nothing on a real text
    import random

    rnd = random.Random(1)
    syll = ["ka", "lo", "mi", "ru", "sa", "te", "vo", "zy", "shi", "pol"]
    big = []
    for i in range(10_000):
        tag = "".join("bdfgklmnpr"[int(c)] for c in f"{i:04d}")  # unique, letters only
        name = ("".join(rnd.choice(syll) for _ in range(2)) + tag).capitalize()
        big.append(
            GlossaryEntry(
                name + "of", (), (name + "ov",), "person", "ru", None, "", "big.tsv", i + 1
            )
        )
    from mtaudit.analyses.glossaries import GlossaryForm, fold, spell, split_tokens

    for e in big:
        for t, st in ((e.preferred, "preferred"), (e.flag[0], "flag")):
            toks = tuple(split_tokens(t))
            e.forms.append(
                GlossaryForm(
                    t, st, e, tuple(fold(x) for x in toks), " ".join(spell(x) for x in toks), toks
                )
            )
    g = Glossary()
    for path, _ in glossary_paths(Config()):
        g.add(path, parse_glossary(path)[0])
    g.add("big.tsv", big)
    assert len(g) == len(default) + 10_000
    text = "Selon Yuri Ushakov, Putin ira à Hanoi avec " + big[17].flag[0] + "."
    got = [(text[f.start : f.end], f.suggestion) for f in findings(text, g, "NM501")]
    assert got == [
        ("Yuri Ushakov", "Iouri Ouchakov"),
        ("Putin", "Poutine"),
        ("Hanoi", "Hanoï"),
        (big[17].flag[0], big[17].preferred),
    ]


# ---------------------------------------------------------------------------- seeds, end to end
def test_seed_000_putin(nm_auditor, seed_text):
    text = seed_text("000")
    card = nm_auditor.audit_text(text, "000.txt")
    i = text.index("ont applaudi Putin") + len("ont applaudi ")
    hit = [f for f in card.findings if f.start == i]
    assert (
        hit
        and hit[0].category == "name"
        and hit[0].suggestion == "Poutine"
        and hit[0].severity == Severity.MAJOR
    )


def test_seed_004_names(nm_auditor, seed_text):
    text = seed_text("004")
    card = nm_auditor.audit_text(text, "004.txt")
    by_text = {}
    for f in card.findings:
        by_text.setdefault(f.text, []).append(f)
    assert by_text["Yuri Ushakov"][0].suggestion == "Iouri Ouchakov"
    assert by_text["Hanoi"][0].suggestion == "Hanoï"
    putin_show = text.index("Putin est montré")
    assert any(f.start == putin_show and f.suggestion == "Poutine" for f in card.findings)
    kim_un = [f for f in by_text["Kim Jong Un"] if f.category == "consistency"]
    assert kim_un and "Kim Jong-un" in kim_un[0].message
    # journalists' names are at most info
    assert all(f.severity == Severity.INFO for f in by_text.get("Chernova", []))
    assert "McCarthy" not in by_text


@pytest.mark.parametrize("seed", ["001", "002", "003"])
def test_french_originals_have_no_major_name_finding(nm_auditor, seed_text, seed):
    card = nm_auditor.audit_text(seed_text(seed), f"{seed}.txt")
    assert [f for f in card.findings if f.severity.rank >= Severity.MAJOR.rank] == []
    assert not [f for f in card.findings if f.category == "name"]


def test_signature_names_the_glossaries(tmp_path):
    house = tmp_path / "maison.tsv"
    house.write_text("Kyiv\t\tKiev\n", encoding="utf-8")
    sig = Auditor(Config(lm=False, select=["NM"], glossaries=[str(house)])).signature
    assert sig.parts["glossaries"].startswith("default@") and "+maison@" in sig.parts["glossaries"]
    sig2 = Auditor(Config(lm=False, select=["NM"])).signature
    assert "maison@" not in sig2.parts["glossaries"]


# ---------------------------------------------------------------------------- data files
def test_name_data_files_report_file_and_line(tmp_path):
    from mtaudit.analyses.glossaries import name_particles
    from mtaudit.analyses.slavic_names import slavic_rules
    from mtaudit.core.resources import ResourceFormatError

    assert {"al", "ben", "van", "de"} <= name_particles()
    p = tmp_path / "particles.txt"
    p.write_text("# particles\nal\nBen\n", encoding="utf-8")
    with pytest.raises(ResourceFormatError, match=r"particles\.txt:3: .*'Ben'"):
        name_particles(str(p))
    rules = tmp_path / "slavic.tsv"
    rules.write_text("ending\tov\nrewrite\tsh(\tch\n", encoding="utf-8")
    with pytest.raises(ResourceFormatError, match=r"slavic\.tsv:2: bad regular expression"):
        slavic_rules(str(rules))
    rules.write_text("ending\tov\nsuffix\tev\n", encoding="utf-8")
    with pytest.raises(ResourceFormatError, match=r"slavic\.tsv:2: unknown kind 'suffix'"):
        slavic_rules(str(rules))


def test_slavic_rewrites_apply_in_file_order_and_capitals_are_final(tmp_path):
    from mtaudit.analyses.slavic_names import slavic_rules

    rules = tmp_path / "slavic.tsv"
    rules.write_text("ending\tov\nrewrite\tsh\tCH\nrewrite\tch\ttch\n", encoding="utf-8")
    r = slavic_rules(str(rules))
    s = "shchov"
    for pattern, repl in r.rewrites:
        s = pattern.sub(repl, s)
    assert s.lower() == "chtchov"  # the ch written for sh is not read again as an English ch

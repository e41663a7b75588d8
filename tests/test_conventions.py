"""CV3xx: English conventions left in French text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtaudit.auditor import Auditor
from mtaudit.core.config import Config
from mtaudit.core.findings import Severity

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_004 = SEEDS / "004_55dc17aa284b7b25.txt"


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor(Config(lm=False, select=["CV"]))


def cv(auditor: Auditor, text: str, rule: str = "CV"):
    return [f for f in auditor.audit_text(text).findings if f.rule.startswith(rule)]


def major(findings):
    return [f for f in findings if f.severity.rank >= Severity.MAJOR.rank]


# --- seeds ------------------------------------------------------------------------------
def test_seed_004_conventions_are_caught(auditor):
    text = SEED_004.read_text(encoding="utf-8")
    found = [f for f in auditor.audit_text(text).findings if f.category == "convention"]

    def covers(snippet: str) -> bool:
        s = text.index(snippet)
        return any(f.start < s + len(snippet) and s < f.end for f in found)

    for snippet in ("l'agence de presse d'état", 'peuple russe,"', 'mutuel."'):
        assert covers(snippet), snippet
    etat = next(f for f in found if f.rule == "CV307")
    assert etat.text == "état" and etat.suggestion == "État" and etat.severity == Severity.MAJOR
    comma = next(f for f in found if f.rule == "CV306" and f.text == ',"')
    assert comma.severity == Severity.MAJOR and comma.suggestion == '",'


@pytest.mark.parametrize(
    "name",
    [
        "000_0f5ebcda221499e2.txt",
        "001_3732444aa2140bd8.txt",
        "002_9c0dcaceea269566.txt",
        "003_52ffa47a50d1332b.txt",
    ],
)
def test_straight_quotes_and_spacing_are_never_major(auditor, name):
    found = cv(auditor, (SEEDS / name).read_text(encoding="utf-8"))
    assert major(found) == []


# --- numbers and money ------------------------------------------------------------------------
def test_english_thousands_and_decimals(auditor):
    found = cv(
        auditor,
        "Plus de 1,200 manifestants ont défilé, soit 2.5 fois plus que lors de la dernière marche.",
        "CV301",
    )
    assert [(f.text, f.suggestion, f.severity) for f in found] == [
        ("1,200", "1 200", Severity.MAJOR),
        ("2.5", "2,5", Severity.MAJOR),
    ]


def test_french_numbers_are_fine(auditor):
    text = (
        "Le taux est passé de 3,540 % à 3,482 % en un jour, le chômage touche 2,631 millions de personnes, "
        "soit 1 200 de plus que le 19.06.2024, et 2,5 fois plus qu'en 2010 ; l'euro vaut 1,350 dollar."
    )
    assert cv(auditor, text, "CV301") == []


def test_currency_before_the_amount(auditor):
    found = cv(
        auditor,
        "Le contrat de $2.5 billion remplace celui de $400 millions signé par le gouvernement.",
        "CV302",
    )
    assert [(f.text, f.suggestion) for f in found] == [
        ("$2.5 billion", "2,5 milliards de dollars"),
        ("$400 millions", "400 millions de dollars"),
    ]
    assert all(f.severity == Severity.MAJOR for f in found)


def test_currency_after_the_amount_is_fine(auditor):
    assert (
        cv(
            auditor,
            "Le contrat de 400 millions de dollars a été signé, contre 20 M€ l'an dernier.",
            "CV302",
        )
        == []
    )


# --- dates and times ----------------------------------------------------------------------
def test_english_dates(auditor):
    found = cv(
        auditor,
        "Le sommet a eu lieu Wednesday, June 19, 2024, et reprendra le 3rd juillet à Moscou.",
        "CV303",
    )
    got = {f.text: f.suggestion for f in found}
    # the day name and the date are one span, one literal fix
    assert got["Wednesday, June 19, 2024"] == "mercredi 19 juin 2024"
    assert got["3rd"] == "3e"


def test_month_names_that_are_names_need_a_date(auditor):
    text = "Theresa May a rencontré April Ryan et le Sunday Times a publié l'entretien le mercredi 19 juin 2024."
    assert cv(auditor, text, "CV303") == []


def test_english_date_order_in_french(auditor):
    found = cv(
        auditor,
        "La rencontre est prévue pour juin 19, 2024 dans la capitale nord-coréenne.",
        "CV303",
    )
    assert [(f.text, f.suggestion) for f in found] == [("juin 19, 2024", "19 juin 2024")]


def test_twelve_hour_time(auditor):
    found = cv(
        auditor,
        "Les deux dirigeants se sont retrouvés à 3 p.m. pour une cérémonie au palais.",
        "CV304",
    )
    assert [(f.text, f.suggestion) for f in found] == [("3 p.m.", "15 h")]
    assert (
        cv(
            auditor,
            "Les deux dirigeants se sont retrouvés à 15 h pour une cérémonie au palais.",
            "CV304",
        )
        == []
    )


# --- titles, quotes, État, datelines ----------------------------------------------------
def test_english_courtesy_titles(auditor):
    found = cv(
        auditor,
        "Mr. Ushakov a rencontré Mrs. Clinton et le Dr. House à Washington mardi dernier.",
        "CV305",
    )
    got = {f.text: (f.suggestion, f.severity) for f in found}
    assert got["Mr."] == ("M.", Severity.MAJOR)
    assert got["Mrs."] == ("Mme", Severity.MAJOR)
    assert got["Dr."] == ("Dr", Severity.MINOR)
    assert (
        cv(
            auditor,
            "M. Ouchakov a rencontré Mme Clinton et le Dr Martin à Washington mardi dernier.",
            "CV305",
        )
        == []
    )


def test_full_quoted_sentence_keeps_its_full_stop(auditor):
    text = 'Poutine a déclaré : "Aujourd\'hui, nous tenons un nouvel accord entre nos mains, qui servira de base."'
    assert cv(auditor, text, "CV306") == []
    text = "Il a salué « la coopération entre nos deux pays », a-t-il ajouté devant la presse."
    assert cv(auditor, text, "CV306") == []


def test_comma_inside_guillemets_is_english(auditor):
    found = cv(
        auditor,
        "« Nous aimons l'aquavit plus que le rakfisk, » dit Havard en souriant au journaliste.",
        "CV306",
    )
    assert [f.text for f in found] == [", »"]


@pytest.mark.parametrize(
    "text",
    [
        "Le coup d'état de 1973 a renversé le gouvernement élu du pays.",
        "Le coup d'État de 1973 a renversé le chef d'État élu du pays.",
        "L'officier d'état civil a constaté que le suspect était hors d'état de nuire.",
        "Le chef d'état-major a décrété l'état d'urgence et s'inquiète de l'état de santé du président.",
        "Les États-Unis et l'État islamique sont au centre des discussions de ce jour.",
    ],
)
def test_etat_that_is_fine(auditor, text):
    assert cv(auditor, text, "CV307") == []


def test_lowercase_etat_for_the_state(auditor):
    found = cv(
        auditor,
        "Le chef d'état russe a rencontré les dirigeants des états-Unis lors du sommet.",
        "CV307",
    )
    assert [(f.text, f.severity) for f in found] == [
        ("état", Severity.MINOR),
        ("états-Unis", Severity.MINOR),
    ]
    found = cv(
        auditor,
        "Selon les médias d'état, le dirigeant a quitté la capitale dans la soirée.",
        "CV307",
    )
    assert [(f.text, f.severity) for f in found] == [("état", Severity.MAJOR)]


def test_english_dateline(auditor):
    found = cv(
        auditor,
        "KYIV, Ukraine — Les frappes russes ont repris dans la nuit sur la capitale ukrainienne.",
        "CV308",
    )
    assert [f.text for f in found] == ["KYIV, Ukraine —"]
    assert found[0].severity == Severity.MAJOR
    assert (
        cv(
            auditor,
            "PARIS (AFP) - Le gouvernement a présenté mercredi son projet de loi sur l'énergie.",
            "CV308",
        )
        == []
    )


def test_straight_quotes_and_spacing_are_info_once(auditor):
    text = 'Il a parlé d\'un "accord historique" et d\'un "tournant": les deux pays "coopéreront"!'
    found = cv(auditor, text)
    assert sorted(f.rule for f in found if f.rule in ("CV309", "CV310")) == ["CV309", "CV310"]
    assert all(f.severity == Severity.INFO for f in found if f.rule in ("CV309", "CV310"))
    french = (
        "Il a parlé d'un « accord historique » et d'un « tournant » : les deux pays coopéreront !"
    )
    assert cv(auditor, french, "CV309") == [] and cv(auditor, french, "CV310") == []


# --- the word tables are data -------------------------------------------------------------
def _tables_from(tmp_path, monkeypatch, name: str, text: str):
    from mtaudit.checks.conventions import data

    attr = {"conventions_words.tsv": "WORDS", "conventions_etat.tsv": "ETAT"}.get(name, "UNITS")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(data, attr, str(path))
    return data.Tables.load


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("conventions_units.tsv", "list\tunit\tboundary\nglued\t%\tword\nglued\tkm\tend\n",
         "conventions_units.tsv:3: boundary is 'word' or '-', not 'end'"),
        ("conventions_units.tsv", "list\tunit\tboundary\nunits\t%\t-\n",
         "conventions_units.tsv:2: unknown kind 'units'"),
        ("conventions_etat.tsv", "kind\tword\n# c\nstate-adjectif\trusse\n",
         "conventions_etat.tsv:3: unknown kind 'state-adjectif'"),
        ("conventions_words.tsv", "kind\tenglish\tfrench\tnote\nmois\tMay\tmai\n",
         "conventions_words.tsv:2: unknown kind 'mois'"),
    ],
)  # fmt: skip
def test_convention_tables_errors_name_file_and_line(tmp_path, monkeypatch, name, text, message):
    from mtaudit.core.resources import ResourceFormatError

    load = _tables_from(tmp_path, monkeypatch, name, text)
    with pytest.raises(ResourceFormatError, match="^" + re.escape(message)):
        load()


def test_units_etat_words_and_day_names_come_from_the_data_files(auditor):
    from mtaudit.checks.conventions import Tables

    t = Tables.load()
    assert t.french_days == ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    assert "Mercredi" in t.capitalised_french
    assert ("km/h", False) in t.units["glued"] and "Californie" in t.us_states
    # each list at work: a glued unit, l'état before an adjective, l'état de + a US state
    assert [f.suggestion for f in cv(auditor, "La vitesse était de 90km/h sur la route.", "CV311")] == ["90\u00a0km/h"]
    found = cv(auditor, "Les combattants de l'état islamique ont fui vers l'état de Floride.", "CV307")
    assert [f.text for f in found] == ["état", "état"]


@pytest.mark.parametrize(
    "english, french",
    [
        ("Tues.", "mardi"),
        ("Wed.", "mercredi"),
        ("Thurs.", "jeudi"),
        ("Sept. 5", "5 septembre"),
        ("Sept 5", "5 septembre"),
        ("5 Sept.", "5 septembre"),
        ("Dec 5, 2011", "5 décembre 2011"),
        ("Wed., Sept. 5", "mercredi 5 septembre"),
        ("Fri., Oct. 3, 2008", "vendredi 3 octobre 2008"),
    ],
)
def test_abbreviated_english_days_and_months(auditor, english, french):
    text = f"Le sommet de l'OTAN s'ouvre à Bruxelles. La réunion des ministres aura lieu {english} à Paris."
    found = cv(auditor, text, "CV303")
    assert [(f.text, f.suggestion) for f in found] == [(english, french)]
    assert found[0].severity == Severity.MAJOR


def test_abbreviations_that_are_names_or_words_are_not_dates(auditor):
    text = (
        "Le tabloïd a tout révélé, selon le Sun. Vénus est plus proche de la Sun. "
        "Jan Kowalski et Mon Oncle sont cités en septembre."
    )
    assert cv(auditor, text, "CV303") == []

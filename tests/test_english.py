"""EN101 (English words and runs) and EN102 (English sentences and long spans)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.auditor import Auditor
from mtaudit.checks.english import Lexicon
from mtaudit.core.config import Config
from mtaudit.core.findings import Severity

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_004 = SEEDS / "004_55dc17aa284b7b25.txt"


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor(Config(lm=False, select=["EN"]))


def en(auditor: Auditor, text: str, rule: str = "EN"):
    card = auditor.audit_text(text)
    return [f for f in card.findings if f.rule.startswith(rule)]


def texts(findings) -> list[str]:
    return [f.text for f in findings]


# --- the seeds ----------------------------------------------------------------------------
def test_seed_004_english_words_are_caught_with_a_suggestion(auditor):
    card = auditor.audit_text(SEED_004.read_text(encoding="utf-8"), source=str(SEED_004))
    found = {f.text: f for f in card.findings if f.rule == "EN101"}
    for word in ("Yesterday", "partnership", "reporting"):
        assert word in found, word
        assert found[word].category == "english"
        assert found[word].severity == Severity.MAJOR
    assert found["Yesterday"].suggestion == "Hier"  # the capital of the sentence start kept
    assert found["partnership"].suggestion == "partenariat"
    # names of the article are not English words
    assert not {"Putin", "Kim", "Jong", "Ushakov", "Aurus", "KCNA", "CNN", "McCarthy"} & set(found)


@pytest.mark.parametrize(
    "name", ["001_3732444aa2140bd8.txt", "002_9c0dcaceea269566.txt", "003_52ffa47a50d1332b.txt"]
)
def test_french_seeds_have_no_english_finding(auditor, name):
    card = auditor.audit_text((SEEDS / name).read_text(encoding="utf-8"), source=name)
    assert [f for f in card.findings if f.rule.startswith("EN")] == []


# --- words ------------------------------------------------------------------------------
def test_untranslated_word_in_running_text(auditor):
    found = en(
        auditor,
        "Le gouvernement a signé un nouveau partnership avec les entreprises locales du secteur.",
    )
    assert texts(found) == ["partnership"]
    assert found[0].rule == "EN101" and found[0].severity == Severity.MAJOR


def test_consecutive_english_words_make_one_span(auditor):
    found = en(
        auditor,
        "Le ministre a décrit une situation completely out of control dans la région frontalière.",
    )
    assert texts(found) == ["completely out of control"]


def test_sentence_initial_english_word_is_english_not_a_name(auditor):
    found = en(
        auditor, "Yesterday, le président a reçu son homologue au palais pour un long entretien."
    )
    assert texts(found) == ["Yesterday"]


def test_accepted_loanwords_are_not_flagged(auditor):
    text = (
        "Le week-end dernier, les supporters du club ont envahi le parking avant le match. "
        "Le coach a salué le leader du championnat après un penalty et un corner, puis a envoyé un e-mail "
        "à la start-up qui sponsorise l'équipe. Le standing ovation a duré dix minutes."
    )
    assert en(auditor, text) == []


def test_proper_names_are_not_english_words(auditor):
    text = (
        "Selon le Wall Street Journal, Mark Walsh a quitté Goldman Sachs pour rejoindre Human Rights First. "
        "Le film Butch Cassidy and the Sundance Kid a été projeté à Santa Monica."
    )
    assert en(auditor, text) == []


def test_capitalised_word_followed_by_a_name_is_a_name(auditor):
    assert (
        en(
            auditor,
            "Will Smith a présenté son nouveau film devant la presse réunie à Cannes ce mardi.",
        )
        == []
    )


def test_french_homographs_are_not_english(auditor):
    text = (
        "Son but était de trouver une place pour le bus, car il a un moment de retard sur le plan prévu, "
        "mais on attend le report de la date."
    )
    assert en(auditor, text) == []


def test_english_quoted_as_such_is_info(auditor):
    found = en(
        auditor,
        "Le président américain s'est dit « very impressed » par l'accueil reçu à Paris ce lundi.",
    )
    assert texts(found) == ["very impressed"]
    assert found[0].severity == Severity.INFO


def test_english_word_inside_a_french_quotation_stays_major(auditor):
    found = en(
        auditor, "Il a déclaré : « Nous avons signé yesterday un accord avec nos voisins du nord »."
    )
    assert texts(found) == ["yesterday"]
    assert found[0].severity == Severity.MAJOR


def test_repeated_english_term_is_major_once(auditor):
    found = en(
        auditor,
        "Le partnership entre les deux pays progresse. Ce partnership doit durer dix ans selon les ministres.",
    )
    assert [f.severity for f in found] == [Severity.MAJOR, Severity.MINOR]


def test_margin_is_configurable():
    strict = Auditor(Config(lm=False, select=["EN101"], options={"EN101": {"margin": 6.0}}))
    card = strict.audit_text(
        "Le gouvernement a signé un nouveau partnership avec les entreprises locales du secteur."
    )
    assert [f for f in card.findings if f.rule == "EN101"] == []
    assert "margin=6" in strict.signature.parts["en101"]


# --- spans ------------------------------------------------------------------------------
def test_whole_english_sentence_is_one_span(auditor):
    sentence = "The Kremlin said the talks would continue next week in Moscow."
    text = f"Le sommet s'est terminé mercredi soir à Pyongyang. {sentence} Poutine est ensuite rentré à Moscou."
    found = en(auditor, text)
    assert [(f.rule, f.text) for f in found] == [("EN102", sentence)]
    assert found[0].severity == Severity.MAJOR


def test_without_en102_the_words_of_an_english_sentence_are_en101s():
    sentence = "The Kremlin said the talks would continue next week in Moscow."
    text = f"Le sommet s'est terminé mercredi soir à Pyongyang. {sentence} Poutine est rentré."
    words_only = Auditor(Config(lm=False, select=["EN101"]))
    found = en(words_only, text)
    assert found and {f.rule for f in found} == {"EN101"}
    assert all(sentence.find(f.text) >= 0 for f in found)


def test_a_broken_marker_table_names_file_and_line(tmp_path, monkeypatch):
    from mtaudit.analyses.english import severity
    from mtaudit.core import resources
    from mtaudit.core.resources import ResourceFormatError

    (tmp_path / "english_markers.tsv").write_text("kind\tpattern\nquoted\t\\btweet\nterm\t(dit\n", encoding="utf-8")
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path)
    severity.markers.cache_clear()
    try:
        with pytest.raises(ResourceFormatError, match=r"^english_markers\.tsv:3: bad pattern"):
            severity.markers()
    finally:
        monkeypatch.undo()
        severity.markers.cache_clear()
    assert severity.markers()[0].search("a-t-il tweeté")


def test_english_quotation_sentence_is_info(auditor):
    text = (
        "Le président a conclu son discours devant la foule réunie à Kiev. "
        "« We will never give up and we will win this war », a-t-il lancé en anglais devant les caméras."
    )
    found = en(auditor, text)
    assert found and all(f.severity == Severity.INFO for f in found)


def test_french_text_with_scattered_loanwords_has_no_span(auditor):
    text = (
        "Le leader du parti a tenu un meeting devant ses supporters ce week-end, "
        "avant un match de football au stade. Le marketing de la campagne a coûté cher."
    )
    assert en(auditor, text, "EN102") == []


# --- the lexicon ---------------------------------------------------------------------------
def test_lexicon_kinds():
    lex = Lexicon.load()
    assert lex.kind("yesterday") == "strong"
    assert lex.kind("partnership") == "strong"
    assert lex.kind("the") == "weak"
    assert lex.kind("parking") is None  # loanword
    assert lex.kind("supporters") is None  # loanword, plural
    assert lex.kind("maison") is None  # French
    assert lex.kind("but") == "french"  # homograph
    assert lex.kind("self-made-man") is None


def test_english_headline_in_title_case(auditor):
    body = "\n\nLe président russe est arrivé mercredi à Pyongyang pour un sommet avec Kim Jong-un."
    found = en(auditor, "Putin Arrives In Pyongyang For Talks With Kim" + body)
    assert [(f.rule, f.text, f.severity) for f in found] == [
        ("EN102", "Putin Arrives In Pyongyang For Talks With Kim", Severity.MAJOR)
    ]
    # a French headline that names an English film is French
    assert en(auditor, "Shake Hands with the Devil à Santa Monica" + body) == []
    # a short English headline may be a film title: minor at most
    short = en(auditor, "The Dark Knight Rises" + body)
    assert all(f.severity.rank <= Severity.MINOR.rank for f in short)


def test_addresses_hashtags_and_handles_are_not_words(auditor):
    text = (
        "Retrouvez nos articles sur https://www.example.com/news/world-politics, le mot-dièse #fakenews "
        "et le compte @breakingnews, ou écrivez à contact@journal-example.com pour toute question."
    )
    assert en(auditor, text) == []


# --- an English section (a post asking in English about a French text) ------------------------
_FRENCH_BODY = (
    "Chère maman,\n"
    "Il s'est passé beaucoup de choses depuis mon départ au collège en septembre dernier. "
    "Je me suis trouvé un nouvel ami, il s'appelle Jean et il joue très bien du piano. "
    "Au début, je ne l'aimais pas beaucoup, mais nous faisons maintenant nos devoirs ensemble.\n"
)
_PREAMBLE = (
    "Could someone please check my letter for an assignment at school?\n"
    "I am supposed to write a letter from the main character to his mother.\n"
    "I really appreciate all the help you can give me with the grammar!\n"
)


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_english_section_beside_the_french_is_info(auditor, where):
    text = _PREAMBLE + _FRENCH_BODY if where == "before" else _FRENCH_BODY + _PREAMBLE
    found = en(auditor, text, "EN102")
    assert len(found) == 3
    assert {f.severity for f in found} == {Severity.INFO}
    assert all("section" in f.message or "partie" in f.message for f in found)


def test_english_sentences_amid_the_french_stay_major(auditor):
    # the same three English sentences, but spread through the French: leftovers of a translation
    a, b, c = _PREAMBLE.splitlines()
    f1, f2, f3 = _FRENCH_BODY.split(". ")
    text = f"{f1}. {a}\n{f2}. {b}\n{f3}\n{c}\nNous sommes rentrés à la maison pour les vacances de Noël en famille.\n"
    found = en(auditor, text, "EN102")
    assert len(found) == 3
    assert {f.severity for f in found} == {Severity.MAJOR}


def test_two_english_sentences_opening_a_french_article_stay_major(auditor):
    # a headline and a first sentence left untranslated: too little to be a section of its own
    a, b, _c = _PREAMBLE.splitlines()
    found = en(auditor, f"{a}\n{b}\n{_FRENCH_BODY}", "EN102")
    assert len(found) == 2
    assert {f.severity for f in found} == {Severity.MAJOR}

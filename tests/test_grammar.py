"""Grammar rules GR701-GR703: agreement and elision errors of machine translation."""

from __future__ import annotations

import pytest

from mtaudit.checks.grammar import (
    AdjectiveGenderCheck,
    DeterminerGenderCheck,
    ElisionCheck,
    Lexicon,
)
from mtaudit.core.context import Context
from mtaudit.core.document import Document

CHECKS = {"GR701": ElisionCheck, "GR702": DeterminerGenderCheck, "GR703": AdjectiveGenderCheck}


@pytest.fixture(scope="module")
def ctx():
    return Context()


def findings(ctx, text, codes=("GR701", "GR702", "GR703")):
    doc = Document(text + "\n")
    out = []
    for code in codes:
        for f in CHECKS[code]().run(doc, ctx):
            out.append((f.rule, doc.text[f.start : f.end], f.suggestion, f.severity.value))
    return sorted(out, key=lambda x: text.find(x[1]))


def test_seed_000_new_key_agreement_across_a_quote_mark(ctx, seed_text):
    text = seed_text("000")
    doc = Document(text)
    found = [(f.rule, text[f.start : f.end], f.suggestion) for f in ElisionCheck().run(doc, ctx)]
    assert ("GR701", 'nouveau "accord-cle', 'nouvel "accord-cle') in found
    assert ("GR701", "nouveau accord-cle", "nouvel accord-cle") in found
    start = text.index("accord-cle")
    hits = [f for f in ElisionCheck().run(doc, ctx) if f.start < start + 10 and start < f.end]
    assert hits and all(f.category == "grammar" and f.severity.value == "major" for f in hits)


@pytest.mark.parametrize(
    "bad, rule, span, suggestion",
    [
        (
            "Ils ont applaudi au rythme d'une orchestre militaire.",
            "GR702",
            "une orchestre",
            "un orchestre",
        ),
        (
            "Poutine a offert une voiture à Kim, à la suite d'une échange mutuel de cadeaux.",
            "GR702",
            "une échange",
            "un échange",
        ),
        (
            "Kim a exprimé sa plein appui au gouvernement russe.",
            "GR702",
            "sa plein appui",
            "son plein appui",
        ),
        (
            'Kim a exprimé sa "plein appui et solidarité.',
            "GR702",
            'sa "plein appui',
            'son "plein appui',
        ),
        (
            "La place était décorée de grandes portraits des deux hommes.",
            "GR703",
            "grandes portraits",
            "grands portraits",
        ),
        (
            "Les deux chefs d'État secrètes du monde se sont rencontrés.",
            "GR703",
            "chefs d'État secrètes",
            "chefs d'État secrets",
        ),
        (
            "Il a signé cet accord avec son amie à la suite de la accumulation des déficits.",
            "GR701",
            "la accumulation",
            "l'accumulation",
        ),
        ("Il a dit que il viendrait.", "GR701", "que il", "qu'il"),
        ("Il a retrouvé sa amie d'enfance.", "GR701", "sa amie", "son amie"),
        ("Le gouvernement a signé ce accord hier.", "GR701", "ce accord", "cet accord"),
        ("Il a retrouvé un vieux ami à Paris.", "GR701", "vieux ami", "vieil ami"),
        (
            "Elle a acheté cette livre de beurre dans ce maison.",
            "GR702",
            "ce maison",
            "cette maison",
        ),
        (
            "La banque a annoncé une hausse brutal des taux.",
            "GR703",
            "hausse brutal",
            "hausse brutale",
        ),
        ("Elle le aurait voulu autrement.", "GR701", "le aurait", "l'aurait"),
    ],
)
def test_machine_translation_errors_are_flagged_with_a_fix(ctx, bad, rule, span, suggestion):
    got = findings(ctx, bad)
    assert (rule, span, suggestion) in [(r, s, sug) for r, s, sug, _ in got], got


@pytest.mark.parametrize(
    "good",
    [
        # the corrected minimal pairs of the seeds
        "Poutine a annoncé la signature d'un nouvel accord-clé entre la Russie et la Corée du Nord.",
        "Selon les photos publiées par le Kremlin, la place était décorée de grands portraits des deux hommes.",
        "Les habitants ont applaudi Poutine et Kim au rythme d'un orchestre militaire.",
        "Poutine a offert une voiture Aurus à Kim, à la suite d'un échange de cadeaux.",
        "Kim a exprimé son plein appui et sa solidarité avec le gouvernement russe.",
        # h aspiré, words with both genders, pronouns, names, elisions that French does not make
        "Le héros de la hausse des prix a parlé du haut de la tribune, le hockey attendra.",
        "Il a retrouvé le manche et la manche, le poste et la poste, le tour et la tour.",
        "Il la change souvent et on la livre demain ; elle l'aurait voulu autrement.",
        "La juge et la ministre ont reçu la maire et la chef de la diplomatie.",
        "Le Monde et La Croix ont publié la une consacrée à la mi-novembre.",
        "Elle a quitté le pays seule, à la fois soulagée et inquiète.",
        "Des hommes et des femmes engagés ont salué les lois et les décrets adoptés.",
        "Le ministre de la Santé a présenté la politique du gouvernement française, une partie du territoire occupée.",
        "Un porte parole a répondu ; la standing ovation a duré ; le onze de départ est connu.",
        "Il a de nouveau insisté et il est à nouveau en tête ; ce à quoi il pense, ce en quoi il croit.",
        "Les femmes policiers ont organisé une visite surprise avec des mots clés et des pays membres.",
        "Elle était vêtue d'une robe vert foncé et d'un manteau de couleur bleu marine.",
        "Cette loi encadrant l'euthanasie a été adoptée ; l'otage française a été libérée.",
    ],
)
def test_good_french_is_not_flagged(ctx, good):
    assert findings(ctx, good) == []


def test_only_unambiguous_genders_are_judged():
    lex = Lexicon.load()
    assert lex.info("orchestre").gender() == "m"
    assert lex.info("échange").gender() == "m"
    assert lex.info("manche").gender() is None  # le manche, la Manche
    assert lex.info("ministres").gender() is None
    assert lex.info("chefs").gender(plural_default=True) == "m"
    assert lex.info("chef").gender(plural_default=True) is None
    assert lex.info("accord-cle").gender() == "m"  # compound: gender of its first noun
    assert lex.no_elision("hausse") and lex.no_elision("hauteur") and not lex.no_elision("héroïne")


def test_rules_are_documented_in_the_registry():
    for cls in CHECKS.values():
        doc = cls.doc()
        assert cls.category == "grammar" and "Bad:" in doc and "Good:" in doc
        assert set(cls.data_files) >= {"grammar/lexicon.tsv", "grammar/genders.tsv"}
        # every word list the rules read is fingerprinted in the signature
        assert set(cls.data_files) >= {"grammar/determiners.tsv", "grammar/cardinals.txt"}


def test_native_seed_articles_get_no_grammar_finding(ctx, seed_text):
    for prefix in ("001", "002", "003"):
        doc = Document(seed_text(prefix))
        for cls in CHECKS.values():
            got = [doc.text[f.start : f.end] for f in cls().run(doc, ctx)]
            assert got == [], (prefix, cls.code, got)


def test_missing_accent_in_a_compound_but_not_rectified_spellings(ctx):
    from mtaudit.checks.grammar import MissingAccentCheck

    text = "Un nouvel accord-cle a été signé le 22 aout par le soldat de 1ere classe, la reforme suit.\n"
    doc = Document(text)
    got = [(text[f.start : f.end], f.suggestion) for f in MissingAccentCheck().run(doc, ctx)]
    assert got == [("cle", "clé")]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Les deux pays ont signé plusieurs accord commerciaux.", ["accord"]),
        ("Il a passé trois jour à Paris.", ["jour"]),
        ("Plusieurs centaine de soldats sont arrivés.", ["centaine"]),
        ("Le 2 mai, deux enfants sont morts.", []),  # a figure may be a date
        ("Deux mille personnes ont manifesté.", []),
        ("Les deux tiers des électeurs ont voté.", []),
        ("Il est venu deux fois et reviendra à trois heures.", []),
    ],
)
def test_numeral_takes_a_plural_noun(text, flagged):
    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config

    card = Auditor(Config(lm=False, select=["GR705"])).audit_text(text + "\n")
    assert [f.text for f in card.findings] == flagged
    assert all(f.suggestion == f.text + "s" for f in card.findings)


def test_adjective_agreement_looks_through_an_adverb_of_degree():
    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config

    card = Auditor(Config(lm=False, select=["GR703"])).audit_text(
        "Une loi particulièrement strict a été votée. Une loi particulièrement stricte aussi.\n"
    )
    assert [(f.text, f.suggestion) for f in card.findings] == [
        ("loi particulièrement strict", "loi particulièrement stricte")
    ]


# ----------------------------------------------------------------------------- the word lists
@pytest.fixture
def word_lists(tmp_path, monkeypatch):
    """A copy of the word lists of mtaudit/data/grammar/ that the rules read instead."""
    import shutil

    from mtaudit.checks.grammar import wordlists
    from mtaudit.core.resources import data_path

    for f in data_path("grammar").iterdir():
        if f.name != "lexicon.tsv":
            shutil.copy(f, tmp_path / f.name)
    monkeypatch.setattr(wordlists, "GRAMMAR_DIR", str(tmp_path))
    return tmp_path


def _audit(text, select):
    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config

    auditor = Auditor(Config(lm=False, select=select))
    return auditor, auditor.audit_text(text + "\n")


def test_a_word_list_edit_changes_what_is_flagged(word_lists):
    text = "Il a passé trois jour à Paris et deux semaine à Lyon."
    assert [f.text for f in _audit(text, ["GR705"])[1].findings] == ["jour", "semaine"]
    p = word_lists / "cardinals.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("\ntrois\n", "\n"), encoding="utf-8")
    assert [f.text for f in _audit(text, ["GR705"])[1].findings] == ["semaine"]


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("cardinals.txt", "Trois", "cardinals.txt:{n}: 'Trois': one word a line, in lower case"),
        ("prepositions.txt", "près de", "prepositions.txt:{n}: 'près de': one word a line"),
        ("determiners.tsv", "nul\tx\tart\tnulle", "determiners.tsv:{n}: unknown gender 'x'"),
        ("elision.tsv", "si", "elision.tsv:{n}: expected at least 2 tab-separated columns"),
        ("elision.tsv", "si\tverb", "elision.tsv:{n}: unknown condition 'verb'"),
        ("elision.tsv", "quand\tany", "elision.tsv:{n}: 'quand' is not in elisions.txt"),
    ],
)
def test_a_broken_word_list_names_its_file_and_line(word_lists, name, line, message):
    p = word_lists / name
    text = p.read_text(encoding="utf-8")
    p.write_text(text + line + "\n", encoding="utf-8")
    n = text.count("\n") + 1
    auditor, card = _audit("Il a passé trois jour à Paris.", ["GR7"])
    assert card.findings == []  # the rules that read the lists are off for this run
    errors = [e.message for e in auditor.check_errors]
    assert errors and all("grammar-words: ResourceFormatError: " in e for e in errors)
    assert message.format(n=n) in errors[0]


# --- number agreement (GR706) and subject-predicate agreement (GR707) ------------------------
@pytest.fixture(scope="module")
def grammar_auditor():
    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config

    return Auditor(Config(lm=False, select=["GR"]))


def _gr(auditor, text):
    card = auditor.audit_text(text + "\n")
    return [(f.rule, f.text, f.suggestion) for f in card.findings if f.rule in ("GR706", "GR707")]


@pytest.mark.parametrize(
    "bad, rule, span, suggestion",
    [
        ("Le gouvernement a annoncé des mesures nécessaire pour les familles.", "GR706", "mesures nécessaire", "mesures nécessaires"),
        ("Le gouvernement a annoncé des mesures important.", "GR706", "mesures important", "mesures importantes"),
        ("Il a pris une décision importants pour le pays.", "GR706", "décision importants", "décision importante"),
        ("Ce sont des résultats très faible pour le club.", "GR706", "résultats très faible", "résultats très faibles"),
        ("Il portait un chapeau et une robe noires.", "GR706", "chapeau et une robe noires", "chapeau et une robe noirs"),
        ("Le président et la ministre sont arrivées à Brest mardi soir.", "GR707", "arrivées", "arrivés"),
        ("Le président et la ministre de la Santé sont arrivée hier.", "GR707", "arrivée", "arrivés"),
        ("La présidente et la ministre sont arrivés hier.", "GR707", "arrivés", "arrivées"),
        ("Les mesures sont nécessaire pour nous.", "GR707", "nécessaire", "nécessaires"),
    ],
)
def test_number_and_coordination_agreement_errors_are_flagged(grammar_auditor, bad, rule, span, suggestion):
    assert (rule, span, suggestion) in _gr(grammar_auditor, bad)


@pytest.mark.parametrize(
    "good",
    [
        "Les secteurs public et privé sont touchés par la grève.",  # distributive adjectives
        "Les langues française, anglaise et allemande sont enseignées.",
        "Elles ont été toute la journée occupées par la réunion.",  # a noun phrase of time
        "Les enquêteurs ont mené des visites surprise dans les usines.",  # an apposed noun
        "Ils vendent les billets cher.",  # an adjective as an adverb
        "Les députés ont depuis des années réclamé une loi.",  # a compound tense
        "Des entreprises important du pétrole ont été contrôlées.",  # a present participle
        "Les rues donnant accès à la Cour suprême étaient bloquées.",
        "Les questions portant sur le plan de sauvetage ont été esquivées.",
        "Il a fait des appels longue distance gratuitement.",  # an adjective with its own noun
        "Il portait un chapeau et des bottes noires.",  # the adjective may be the boots' only
        "Une pomme et une poire mûres étaient sur la table.",
        "Des mesures de sécurité importantes ont été prises.",  # agrees with one of the nouns
        "Xu Yang, sa collègue aux fossettes âgée de 21 ans, sourit.",
        "Les agents pénétraient dans le parc équipés de leurs coupe-vent.",
        "Les cordons de sa bourse bien serrés, la Norvège attend.",
        "Les itinéraires « grande traversée » sont plutôt difficiles.",
        "Il faut du temps pour réaliser des projets perso.",
        "Le président et la ministre sont arrivés à Brest mardi soir.",
        "La France et l'Allemagne sont prêtes à signer.",
        "L'esprit partisan et la polarisation sont plus importants aujourd'hui.",
        "Les Français sont partis tôt.",
    ],
)
def test_correct_number_agreement_is_not_flagged(grammar_auditor, good):
    assert _gr(grammar_auditor, good) == []

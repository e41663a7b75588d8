"""AN201: anglicisms, false friends and calques (mtaudit/data/anglicisms.tsv + the substitution engine, mtaudit/engines/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mtaudit.checks import load_checks
from mtaudit.checks.anglicisms import Anglicisms, load_default
from mtaudit.core import i18n
from mtaudit.core.context import Context
from mtaudit.core.document import Document
from mtaudit.core.findings import Severity
from mtaudit.engines.substitution import LexiconError, adjective_forms, er_verb_forms, load_lexicon

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
HEADER = "# id\tkind\tseverity\tpattern\tcontext\tsuggestion\texplanation\texample\n"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context()


@pytest.fixture(scope="module")
def lexicon(ctx):
    return ctx.resource("lexicon:anglicisms.tsv", load_default)


def an(text: str, ctx: Context):
    """AN201 findings on a text, with the text of each span filled in."""
    doc = Document(text)
    out = list(Anglicisms().run(doc, ctx))
    for f in out:
        f.text = text[f.start : f.end]
    return out


def flagged(text: str, ctx: Context) -> list[str]:
    return [f.text for f in an(text, ctx)]


def seed(name_prefix: str) -> tuple[str, str]:
    (path,) = SEEDS.glob(f"{name_prefix}_*.txt")
    return path.name, path.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the seeds
def _must_flag():
    for name, exp in EXPECTED.items():
        for snippet, kind in exp.get("must_flag", []):
            if kind == "anglicism":
                yield name, snippet


@pytest.mark.parametrize("name,snippet", list(_must_flag()))
def test_seed_must_flag_anglicisms_are_caught(name, snippet, ctx):
    text = (SEEDS / name).read_text(encoding="utf-8")
    findings = an(text, ctx)
    start = text.find(snippet)
    assert start >= 0
    end = start + len(snippet)
    hits = [f for f in findings if f.start < end and start < f.end]
    assert hits, f"{snippet!r} not flagged in {name}"
    # the span is the anglicism itself, inside the snippet, not the whole sentence
    assert all(start <= f.start and f.end <= end for f in hits), [h.text for h in hits]
    # a literal fix, or the French wording in the message when none can replace the span
    assert all(f.suggestion or f.data["entry"] for f in hits)
    assert all(f.suggestion or "En français : " in f.message for f in hits)


@pytest.mark.parametrize(
    "prefix,span,suggestion",
    [
        ("004", "adviseur", "conseiller"),
        ("004", "à la roue", "au volant"),
        ("004", "en 24 ans", "depuis"),
        ("004", "partnership", "partenariat"),
        ("004", "reporting", "reportage"),
        ("004", "à l'heure du petit matin", "au petit matin"),
        ("004", "l'Ouest", "l'Occident"),
        ("000", "sources de nouvelles", "sources d'information"),
        ("000", "résidents", "habitants"),
        ("000", "Remarquablement", "Fait remarquable"),
        ("000", "suis sincèrement espérant", "j'espère"),
        ("000", "chaude embrasse", "accolade"),
        ("000", "square", "place"),
    ],
)
def test_seed_spans_and_suggestions(prefix, span, suggestion, ctx):
    _, text = seed(prefix)
    hits = [f for f in an(text, ctx) if f.text == span]
    assert hits, f"no finding with the exact span {span!r}"
    assert suggestion in (hits[0].suggestion or hits[0].message)
    assert hits[0].message


@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_no_major_finding_on_french_originals(prefix, ctx):
    _, text = seed(prefix)
    major = [f.text for f in an(text, ctx) if f.severity.rank >= Severity.MAJOR.rank]
    assert major == []


def test_residence_is_not_residents(ctx):
    # seeds 001/002: "à la résidence officielle Kumsusan" is French
    _, text = seed("001")
    assert not any("résiden" in f.text for f in an(text, ctx))


def test_the_machine_translated_seeds_get_major_findings(ctx):
    for prefix in ("000", "004"):
        _, text = seed(prefix)
        assert sum(f.severity == Severity.MAJOR for f in an(text, ctx)) >= 5


# ----------------------------------------------------------------------------- minimal pairs
def _pairs():
    for line in (SEEDS / "minimal_pairs_dev.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        error, correct, kind = line.split("\t")
        if kind in ("calque", "anglicism", "false-friend", "english"):
            yield error, correct


@pytest.mark.parametrize("error,correct", list(_pairs()))
def test_minimal_pairs(error, correct, ctx):
    assert an(error, ctx), f"not flagged: {error}"
    assert an(correct, ctx) == [], f"false alarm: {flagged(correct, ctx)}"


# ----------------------------------------------------------------------------- senses
@pytest.mark.parametrize(
    "text,span",
    [
        ("Nous supportons l'Ukraine dans sa lutte.", "supportons"),
        ("Le parti supporte le candidat républicain.", "supporte"),
        ("Les pays occidentaux ont supporté Kiev depuis le début.", "supporté"),
        ("Les rebelles supportés par l'Iran ont pris la ville.", "supportés par"),
    ],
)
def test_supporter_as_backing_is_flagged(text, span, ctx):
    assert span in flagged(text, ctx)


@pytest.mark.parametrize(
    "text",
    [
        "Les supporters du PSG ont envahi la pelouse.",
        "Un supporter lyonnais a été interpellé.",
        "Je ne supporte plus la chaleur de Paris.",
        "Les ménages supportent des coûts croissants.",
        "Il ne supporte pas Trump.",
        "Les frais supportés par les contribuables augmentent.",
    ],
)
def test_supporter_in_french_senses_is_not_flagged(text, ctx):
    assert flagged(text, ctx) == []


@pytest.mark.parametrize(
    "text,span",
    [
        ("Ils réalisent que la situation a changé.", "réalisent que"),
        ("Elle a réalisé qu'il mentait.", "réalisé qu'"),
        ("Le gouvernement a initié une enquête.", "initié"),
        ("Le ministre a enfin adressé le problème.", "adressé le problème"),
        ("Nous adressons les préoccupations des habitants.", "adressons les préoccupations"),
        ("Cette décision fait sens.", "fait sens"),
        ("La cérémonie a pris place sur la place Rouge.", "pris place"),
        ("Le président est supposé arriver lundi.", "supposé"),
        ("Selon des officiels américains, l'attaque était planifiée.", "des officiels"),
        ("Ils ont reçu des fonds additionnels.", "additionnels"),
        ("Les soldats sont attaqués sur une base quotidienne.", "sur une base quotidienne"),
        ("Le ministre en charge de l'économie a démissionné.", "en charge de"),
        (
            "Pékin a relevé ses taux, dans un mouvement visant à freiner l'inflation.",
            "dans un mouvement visant",
        ),
        ("C'est la première fois en dix ans que le parti gagne.", "en dix ans"),
    ],
)
def test_inflected_and_elided_forms(text, span, ctx):
    assert span in flagged(text, ctx)


@pytest.mark.parametrize(
    "text",
    [
        "Le cortège s'est rendu sur la place Kim Il Sung.",
        "Il s'agit de sa première visite en Corée du Nord depuis 24 ans.",
        "Le projet a été réalisé en 24 ans de travaux.",
        "Les invités ont pris place autour de la table.",
        "Il a pris en charge des patients.",
        "La prise en charge des frais est assurée.",
        "Le chauffeur a crevé à la roue avant.",
        "Le professeur a initié ses élèves à la musique.",
        "Le protocole additionnel a été ratifié.",
        "Le président est arrivé à Pyongyang tôt mercredi.",
        "Il a adressé une lettre au ministre.",
        "Les officiels de la course ont disqualifié le coureur.",
        "Il faut réaliser des économies.",
        "La police a relevé des empreintes digitales.",
        "Les habitants de la capitale ont applaudi.",
        "Les résidents étrangers de la capitale ont été évacués.",
        "Il a choisi de vivre à l'ouest du pays, dans l'Ouest américain.",
    ],
)
def test_good_french_is_not_flagged(text, ctx):
    assert flagged(text, ctx) == []


def test_case_insensitive_and_sentence_start(ctx):
    assert "Supportons" in flagged("Supportons l'Ukraine !", ctx)
    assert "REMARQUABLEMENT" in flagged("REMARQUABLEMENT, il est venu.", ctx)
    # "Remarquablement" inside a sentence, without the comma, is fine
    assert flagged("Il a remarquablement joué.", ctx) == []


def test_matches_never_cross_punctuation(ctx):
    assert flagged("Il est à la roue. Avant tout, il conduit.", ctx) == ["à la roue"]
    assert flagged("Les sources de nouvelles, russes et chinoises.", ctx) == [
        "sources de nouvelles"
    ]
    assert flagged("Les sources de nouvelles technologies sont rares.", ctx) == []


def test_english_words_in_an_english_quotation_are_left_alone(ctx):
    assert "partnership" in flagged("Ils ont signé une partnership historique.", ctx)
    quoted = "Le ministre a parlé d'un « new strategic partnership for the region »."
    assert flagged(quoted, ctx) == []


def test_english_word_in_a_name_is_left_alone(ctx):
    assert flagged("Il préside le Partnership for Global Security.", ctx) == []


def test_finding_carries_severity_category_and_entry(ctx):
    (f,) = an("Selon un adviseur de Poutine, tout va bien.", ctx)
    assert f.rule == "AN201" and f.category == "anglicism" and f.severity == Severity.MAJOR
    assert f.suggestion == "conseiller"
    # "l'adviseur": "conseiller" cannot replace the word alone ("l'conseiller"): no fix, the
    # French is in the message
    (g,) = an("Selon l'adviseur de Poutine, tout va bien.", ctx)
    assert g.suggestion is None and g.message.endswith("En français : conseiller.")
    # the catalog translates this entry's explanation
    assert f.message == "Anglicisme : « Adviseur » n’est pas français : un conseiller (une conseillère)."
    # an entry the catalog does not translate yet: the label, the words, the French wording
    (h,) = an("Il faut monitorer la situation.", ctx)
    assert h.message == "Anglicisme : « monitorer ». En français : surveiller, suivre."
    with i18n.use("en"):
        (f,) = an("Selon un adviseur de Poutine, tout va bien.", ctx)
    assert f.message.startswith("Anglicism: ")
    assert f.data["entry"] == "adviseur"
    (g,) = an("Le texte prévoit une partnership.", ctx)
    assert g.category == "english"


def test_overlapping_entries_give_one_finding(ctx):
    out = an("Il a exprimé son plein support au gouvernement russe.", ctx)
    assert len(out) == 1 and out[0].severity == Severity.MAJOR


def test_ignore_option_turns_an_entry_off():
    from mtaudit.core.config import Config

    ctx = Context(Config(options={"AN201": {"ignore": ["adviseur"]}}))
    assert an("Selon l'adviseur de Poutine, tout va bien.", ctx) == []


# ----------------------------------------------------------------------------- the lexicon
def test_lexicon_has_enough_real_entries(lexicon):
    assert len(lexicon) >= 300
    kinds = {e.kind for e in lexicon.entries}
    assert kinds == {"anglicism", "false-friend", "calque", "english"}


def test_every_entry_flags_its_own_example(lexicon):
    missing = []
    for e in lexicon.entries:
        if not any(m.entry.id == e.id for m in lexicon.match_text(e.example)):
            missing.append(f"{e.source} {e.id}: {e.example}")
    assert missing == []


def test_every_suggestion_applied_gives_the_corrected_example(lexicon):
    """Each entry's suggestion replaces exactly its span, in the case and inflection of the
    words found, and turns the example into the corrected one (9th column); an entry whose
    suggestion cannot replace the span literally ('-') offers none."""
    wrong = []
    for e in lexicon.entries:
        m = next(m for m in lexicon.match_text(e.example) if m.entry.id == e.id)
        if e.corrected == "-":
            if m.replacement:
                wrong.append(f"{e.source} {e.id}: offers {m.replacement!r} but corrected is '-'")
            continue
        fixed = e.example[: m.start] + m.replacement + e.example[m.end :]
        if fixed != e.corrected:
            wrong.append(f"{e.source} {e.id}: {fixed!r} != {e.corrected!r}")
        elif any(n.entry.id == e.id for n in lexicon.match_text(fixed)):
            wrong.append(f"{e.source} {e.id}: still flags its corrected example")
    assert wrong == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_message_repeats_its_label(lexicon, ctx, lang):
    repeats = []
    with i18n.use(lang):
        found = {e.id: an(e.example, ctx) for e in lexicon.entries}
    for e in lexicon.entries:
        for f in found[e.id]:
            if f.data["entry"] != e.id:
                continue
            # "False friend: False friend: …", "Calque of English: Calque of …"
            label = re.compile(r"\b(calque|false friend|anglicisme?|english word|faux ami)\b")
            if len(label.findall(f.message.lower())) > 1:
                repeats.append(f"{e.id}: {f.message}")
    assert repeats == []


def test_suggestion_keeps_case_and_inflection(ctx):
    def fix(text):
        (f,) = [f for f in an(text, ctx) if f.suggestion]
        return text[: f.start] + f.suggestion + text[f.end :]

    assert fix("En addition, le ministre a parlé.") == "En outre, le ministre a parlé."
    assert fix("EN ADDITION, LE MINISTRE A PARLÉ.").startswith("EN OUTRE,")
    assert fix("Les régions ont été impactées par la crise.") == (
        "Les régions ont été touchées par la crise."
    )
    assert fix("Des mesures additionnelles sont prévues.") == (
        "Des mesures supplémentaires sont prévues."
    )


def test_every_entry_is_reachable_from_the_index(lexicon):
    indexed = {id(e) for entries in lexicon.index.values() for e in entries}
    assert all(id(e) in indexed for e in lexicon.entries)


def test_check_is_registered_with_its_data_file():
    cls = load_checks()["AN201"]
    # the lexicon, and the substitution engine's own knowledge (inflection, number words, elisions)
    assert cls.data_files == ("anglicisms.tsv", "inflection.tsv", "number_words.txt", "elisions.txt")
    doc = cls.doc()
    assert "Bad:" in doc and "Good:" in doc


def test_docstring_examples(ctx):
    doc = Anglicisms.doc()
    bad = doc.split("Bad:", 1)[1].split("\n", 1)[0].strip()
    good = doc.split("Good:", 1)[1].split("\n", 1)[0].strip()
    assert len(an(bad, ctx)) >= 2
    assert an(good, ctx) == []


# ----------------------------------------------------------------------------- inflection
def test_er_verb_forms():
    forms = er_verb_forms("supporter")
    for f in (
        "supporte",
        "supportons",
        "supportez",
        "supportent",
        "supportait",
        "supporté",
        "supportées",
        "supportant",
        "supportera",
        "supporterions",
        "supportât",
    ):
        assert f in forms
    assert {"lançons", "lança"} <= er_verb_forms("lancer")
    assert {"mangeons", "mangeait"} <= er_verb_forms("manger")
    assert {"appelle", "appellent"} <= er_verb_forms("appeler")
    assert {"cède", "cèdent"} <= er_verb_forms("céder")
    assert {"paie", "paye"} <= er_verb_forms("payer")
    with pytest.raises(ValueError):
        er_verb_forms("prendre")


def test_adjective_forms():
    assert adjective_forms("officiel") >= {"officiel", "officielle", "officiels", "officielles"}
    assert adjective_forms("local") >= {"locale", "locaux", "locales"}
    assert adjective_forms("chaleureux") >= {"chaleureuse", "chaleureuses"}
    assert adjective_forms("premier") >= {"première", "premiers", "premières"}


# ----------------------------------------------------------------------------- loader errors
def _lex(tmp_path, *rows: str):
    p = tmp_path / "lex.tsv"
    p.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return load_lexicon(p)


GOOD = "a1\tanglicism\tmajor\tadviseur:a\t-\tconseiller\tNot French.\tL'adviseur parle."


@pytest.mark.parametrize(
    "row,message",
    [
        ("a1\tanglicism\tmajor\tadviseur", "expected 8 or 9 tab-separated columns"),
        (GOOD.replace("anglicism", "gallicism"), "unknown kind"),
        (GOOD.replace("major", "huge"), "unknown severity"),
        (GOOD.replace("adviseur:a", "(adviseur"), "unbalanced"),
        (GOOD.replace("adviseur:a", "prendre:v"), "1st-group"),
        (GOOD.replace("adviseur:a", "$nope"), "unknown set"),
        (GOOD.replace("adviseur:a", "* adviseur"), "must start with a word"),
        (GOOD.replace("\t-\t", "\tafter:x\t"), "bad context condition"),
        (GOOD.replace("\t-\t", "\tnext:#\t").replace("adviseur:a", "adviseur #"), "only allowed"),
        (GOOD.replace("Not French.", ""), "empty explanation"),
        ("@sett\tx\ty", "unknown directive"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path, row, message):
    with pytest.raises(LexiconError) as err:
        _lex(tmp_path, "# a comment", GOOD.replace("a1", "a0"), row)
    text = str(err.value)
    assert "lex.tsv:4:" in text, text
    assert message in text, text


def test_duplicate_id_names_both_lines(tmp_path):
    with pytest.raises(
        LexiconError, match=r"lex\.tsv:3: duplicate id 'a1' \(first at lex\.tsv:2\)"
    ):
        _lex(tmp_path, GOOD, GOOD)


def test_a_set_declared_twice_with_other_words_is_an_error(tmp_path):
    # a parsed lexicon compiles its patterns again from the final declarations when it is read
    # back from the cache, so a set may not change meaning half-way through the file
    with pytest.raises(LexiconError, match=r"lex\.tsv:3: @set 'city' is declared a second time"):
        _lex(tmp_path, "@set\tcity\tville capitale", "@set\tcity\tville", GOOD)
    _lex(tmp_path, "@set\tcity\tville capitale", "@set\tcity\tcapitale ville", GOOD)  # same words


def test_a_lexicon_read_back_from_its_artefact_matches_like_the_parsed_one(lexicon):
    """The artefact keeps no compiled pattern (it is compiled on first use) and finds the
    same matches, spans and suggestions as the lexicon parsed from the TSV."""
    import pickle

    back = pickle.loads(pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL))
    assert not any("node" in e.__dict__ for e in back.entries)

    def found(lex, text):
        return [(m.entry.id, m.start, m.end, m.replacement) for m in lex.match_text(text)]

    assert found(back, "Le gouvernement a présenté son budget pour la semaine.") == []
    assert sum("node" in e.__dict__ for e in back.entries) < 10  # only the entries it met
    text = " ".join(e.example for e in lexicon.entries)
    assert found(back, text) == found(lexicon, text)
    assert len(found(lexicon, text)) >= len(lexicon.entries)


def test_pattern_language(tmp_path):
    lex = _lex(
        tmp_path,
        "@set\tcity\tville:n capitale:n agglomération:n",
        "p1\tcalque\t\tparler:v (à|avec)? (le|la) $city\t-\ts\te\tIls parlent à la ville.",
        "p2\tcalque\tminor\tde l' =Ouest\t-\ts\te\tLes pays de l'Ouest.",
        "p3\tcalque\tminor\ttrès * mal\tnext:#,\ts\te\tTrès bien mal, vraiment.",
        "p4\tcalque\tminor\ten @num ans\tstart\ts\te\tEn 24 ans, tout a changé.",
        "p5\tcalque\tminor\tsur *{0,2} page\t!prev:le\ts\te\tIls sont sur la même page.",
    )
    got = {m.entry.id: m for e in lex.entries for m in lex.match_text(e.example)}
    assert set(got) == {"p1", "p2", "p3", "p4", "p5"}
    assert lex.entries[0].severity == Severity.MINOR  # empty severity = minor
    assert [m.entry.id for m in lex.match_text("Ils parlent aux villes.")] == []
    assert [m.entry.id for m in lex.match_text("Les pays de l'ouest.")] == []  # exact case
    assert [m.entry.id for m in lex.match_text("Très bien mal.")] == []  # needs the comma
    assert [m.entry.id for m in lex.match_text("Il a changé en 24 ans.")] == []  # start
    assert [m.entry.id for m in lex.match_text("Le sur la même page.")] == []  # !prev
    # elision: the literal "le" matches l', and ’ equals '
    assert [m.entry.id for m in lex.match_text("Ils parlaient avec l’agglomération.")] == ["p1"]
    assert [m.entry.id for m in lex.match_text("Ils parlaient avec l’ancienne capitale.")] == []
    assert [m.entry.id for m in lex.match_text("Elle parle avec la capitale.")] == ["p1"]


def test_walkthrough_a_new_anglicism_is_one_data_row(tmp_path, monkeypatch):
    """docs/engines.md, "Add an anglicism": one row appended to anglicisms.tsv is the whole
    change. Here the row goes into a copy of the shipped file, which AN201 is pointed at."""
    from mtaudit.auditor import Auditor
    from mtaudit.checks import anglicisms
    from mtaudit.core.config import Config
    from mtaudit.core.resources import data_path

    example = "Il a forwardé le courriel à toute son équipe."
    row = "\t".join([
        "forwarder", "anglicism", "minor", "forwarder:v", "-", "transférer, faire suivre",
        '"Forwarder" (to forward an e-mail) is English: transférer, faire suivre',
        example, "Il a transféré le courriel à toute son équipe.",
    ])  # fmt: skip

    def an201(text: str) -> list:
        card = Auditor(Config(lm=False, select=["AN201"])).audit_text(text)
        return [(f.data["entry"], f.text, f.suggestion) for f in card.findings]

    assert an201(example) == []  # not in the shipped lexicon
    copy = tmp_path / "anglicisms.tsv"
    copy.write_text(data_path("anglicisms.tsv").read_text(encoding="utf-8") + row + "\n", "utf-8")
    monkeypatch.setenv("MTAUDIT_ARTEFACTS", "0")  # no cached lexicon: the copy is parsed
    monkeypatch.setattr(anglicisms, "LEXICON_FILE", str(copy))
    assert an201(example) == [("forwarder", "forwardé", "transféré")]


@pytest.mark.parametrize(
    "text",
    [
        # the noun "rencontre(s)", after a comma or opening a headline, is not the verb of "meet with"
        "Après un mois de galas, répétitions, rencontres avec la presse et safari, les Miss se reposent.",
        "Rencontre avec le maire de Lyon, qui défend son bilan.",
    ],
)
def test_the_noun_rencontre_avec_is_not_the_calque_of_meet_with(text, ctx):
    assert [f.text for f in an(text, ctx)] == []


def test_the_verb_rencontrer_avec_stays_a_calque(ctx):
    found = an("Hier, le président rencontre avec les syndicats.", ctx)
    assert [(f.text, f.severity) for f in found] == [("rencontre avec", Severity.MAJOR)]

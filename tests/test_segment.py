"""Sentences and tokens with offsets into the text as read."""

from __future__ import annotations

from mtaudit.core.document import Document


def sentences(text: str) -> list[str]:
    return [s.text for s in Document(text).sentences]


def test_abbreviations_do_not_end_sentences():
    text = "M. Poutine a reçu Mme Dupont et le Dr. Martin à Moscou. Ils ont parlé longtemps."
    assert sentences(text) == [
        "M. Poutine a reçu Mme Dupont et le Dr. Martin à Moscou.",
        "Ils ont parlé longtemps.",
    ]


def test_french_quotes_and_closing_quote_after_the_full_stop():
    text = "« Nous apprécions votre soutien. » Le président a ensuite quitté la salle. Il a dit : \"C'est fini.\" Puis il est parti."
    assert sentences(text) == [
        "« Nous apprécions votre soutien. »",
        "Le président a ensuite quitté la salle.",
        "Il a dit : \"C'est fini.\"",
        "Puis il est parti.",
    ]


def test_numbers_with_french_separators_stay_whole():
    doc = Document("Le budget atteint 1 200 millions, soit 2,5 % de plus. Il croît.")
    nums = [t.text for t in doc.tokens if t.kind == "number"]
    assert nums == ["1 200", "2,5"]
    assert len(doc.sentences) == 2


def test_glued_sentences_from_scraping_are_split():
    text = "Il a offert un service à thé.S’agissant des cadeaux, M. Ouchakov a précisé les choses."
    assert sentences(text) == ["Il a offert un service à thé.", "S’agissant des cadeaux, M. Ouchakov a précisé les choses."]


def test_elision_is_split_off_and_offsets_match():
    doc = Document("Selon l'adviseur de Putin, c'est aujourd'hui qu'il part.")
    words = [t.text for t in doc.words]
    assert words[:3] == ["Selon", "l'", "adviseur"]
    assert "aujourd'hui" in words and "qu'" in words
    for t in doc.tokens:
        assert doc.text[t.start : t.end] == t.text


def test_line_and_column_are_one_based():
    doc = Document("Titre\n\nDeuxième ligne avec Putin.")
    i = doc.text.index("Putin")
    assert doc.line_col(i) == (3, doc.text.split("\n")[2].index("Putin") + 1)


def test_headline_without_final_punctuation_is_a_title():
    doc = Document("Poutine et Kim scellent une alliance\n\nLe président russe est arrivé à Pyongyang mardi soir.\n")
    assert [p.kind for p in doc.paragraphs] == ["title", "body"]

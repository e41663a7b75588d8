"""Page furniture and repeated lines are set aside, listed, and never article sentences."""

from __future__ import annotations

import json

import pytest

from mtaudit.core.document import Document

EXPECTED = json.loads((__import__("pathlib").Path(__file__).parent.parent / "seeds" / "expected.json").read_text("utf-8"))


def seed_doc(seeds_dir, name: str, **kw) -> Document:
    return Document((seeds_dir / name).read_text(encoding="utf-8"), source=name, **kw)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_listed_furniture_line_is_set_aside(seeds_dir, name):
    doc = seed_doc(seeds_dir, name)
    exp = EXPECTED[name]
    excluded = [e.text.strip() for e in doc.excluded]
    want = exp.get("boilerplate", []) + exp.get("duplicate_lines", []) + [exp.get("unrelated_teaser")] * ("unrelated_teaser" in exp)
    for line in want:
        assert any(x.lstrip("• ").strip() == line for x in excluded), f"{line!r} not set aside in {name}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_article_sentence_is_set_aside(seeds_dir, name):
    doc = seed_doc(seeds_dir, name)
    kept = doc.body_text
    for e in doc.excluded:
        if e.kind == "duplicate":
            # a repeat: its first occurrence is kept
            first = e.reason.split()[-1]
            assert doc.lines[int(first) - 1][2].strip(), f"duplicate of a blank line? {e}"
            continue
        # furniture is short, or it comes after the end of the article
        assert len(e.text.split()) <= 8 or e.kind == "after-article" or e.kind == "comments", e
    # the body keeps its key sentences
    if name.startswith("004"):
        assert "CNN a fourni le reporting" in kept
        assert "Les deux autocrates ont semblé apprécier" in kept


def test_duplicates_keep_the_first_occurrence_and_name_it(seeds_dir):
    doc = seed_doc(seeds_dir, "000_0f5ebcda221499e2.txt")
    dups = [e for e in doc.excluded if e.kind == "duplicate"]
    assert [(e.line, e.reason) for e in dups] == [(8, "repeats line 7"), (10, "repeats line 3")]
    assert doc.paragraphs[0].line == 3


def test_near_duplicate_with_other_quotes_is_a_duplicate(seeds_dir):
    doc = seed_doc(seeds_dir, "001_3732444aa2140bd8.txt")
    assert {e.line for e in doc.excluded if e.kind == "duplicate"} == {2, 4}


def test_teaser_after_the_end_of_the_article_is_set_aside(seeds_dir):
    doc = seed_doc(seeds_dir, "004_55dc17aa284b7b25.txt")
    after = [e for e in doc.excluded if e.kind == "after-article"]
    assert after and all("Ariana Grande" in e.text for e in after)


def test_excluded_spans_point_at_the_lines(seeds_dir):
    doc = seed_doc(seeds_dir, "003_52ffa47a50d1332b.txt")
    for e in doc.excluded:
        assert doc.text[e.start : e.end] == e.text


def test_keep_boilerplate_turns_extraction_off(seeds_dir):
    doc = seed_doc(seeds_dir, "000_0f5ebcda221499e2.txt", keep_boilerplate=True)
    assert doc.excluded == []
    assert any(p.text == "Aller au contenu" for p in doc.paragraphs)


def test_lire_aussi_with_a_title_is_furniture_but_the_article_goes_on():
    text = (
        "Le gouvernement présente son budget.\n\n"
        "Lire aussi : Le déficit public atteint un record\n\n"
        "Le ministre a défendu des économies dans tous les ministères, a-t-il déclaré mardi.\n"
    )
    doc = Document(text)
    assert [e.kind for e in doc.excluded] == ["related"]
    assert len(doc.paragraphs) == 2

"""The normalised fluency measure (mtaudit.lm.unigram) and its calibration, without a model:
sentences are given token log-probabilities by hand, as a language model would."""

from __future__ import annotations

import math

import pytest

from mtaudit.lm.calibration import Calibration
from mtaudit.lm.document_fluency import out_of_place
from mtaudit.lm.surprisal import SentenceScore
from mtaudit.lm.unigram import Unigram, get_unigram, sentence_excess, units


def scored(text: str, costs: dict[str, float], default: float = 2.0) -> SentenceScore:
    """A SentenceScore with one token per whitespace-separated piece (with its leading
    space, as SentencePiece tokens have), costing ``costs.get(piece, default)`` nats."""
    toks, offs, lps = [], [], []
    pos = 0
    for piece in text.split(" "):
        start = pos if pos == 0 else pos - 1  # the token holds the space before it
        end = pos + len(piece)
        toks.append(("▁" if pos else "") + piece)
        offs.append((start, end))
        lps.append(-costs.get(piece, default))
        pos = end + 1
    return SentenceScore(text, toks, offs, lps)


@pytest.fixture(scope="module")
def uni() -> Unigram:
    return get_unigram()


def test_units_cover_words_elisions_numbers_and_marks(uni):
    sc = scored("L'accord de 310 millions, signé hier.", {})
    us = units(sc, uni)
    text = sc.text
    # "L'accord" is one token here, so elision and word are merged into one unit; "millions,"
    # too; "hier." too: the model's log-probability of a unit is its tokens' exactly
    assert [text[u.start : u.end] for u in us] == [
        "L'accord",
        "de",
        "310",
        "millions,",
        "signé",
        "hier.",
    ]
    assert math.isclose(sum(u.lm for u in us), sc.total_surprisal)
    # the unigram cost of a merged unit is the sum of its parts'
    acc = uni.cost("word", "accord")[0] + uni.cost("elid", "L'")[0]
    assert math.isclose(us[0].uni, acc)


def test_tokens_split_inside_a_word_add_up():
    sc = SentenceScore(
        "Il parle.",
        ["Il", "▁par", "le", "."],
        [(0, 2), (2, 6), (6, 8), (8, 9)],
        [-1.0, -3.0, -0.5, -0.2],
    )
    us = units(sc, get_unigram())
    assert [sc.text[u.start : u.end] for u in us] == ["Il", "parle", "."]
    assert [round(u.lm, 3) for u in us] == [1.0, 3.5, 0.2]


def test_rare_word_costs_less_excess_than_common_word_out_of_place(uni):
    # the same model surprise (12 nats) for a rare town and for a common word: only the
    # common word is out of place
    rare = units(scored("Il habite à Plougastel depuis longtemps.", {"Plougastel": 12.0}), uni)
    common = units(scored("Il habite à maison depuis longtemps.", {"maison": 12.0}), uni)
    assert rare[3].excess < common[3].excess - 3


def test_typography_does_not_change_the_unigram(uni):
    a = units(scored("Il a dit « oui » hier.", {}), uni)
    b = units(scored('Il a dit " oui " hier.', {}), uni)
    assert [round(u.uni, 6) for u in a] == [round(u.uni, 6) for u in b]


def test_unknown_words_cost_more_when_longer(uni):
    short, known = uni.cost("word", "zzqxw")
    long, _ = uni.cost("word", "zzqxwzzqxwzz")
    assert not known and long > short > uni.cost("word", "maison")[0]


def test_out_of_place_never_points_at_a_name_number_or_quotation(uni):
    text = "Hier, Ouchakov a cité « the deal » pour 4500 raisons étranges."
    costs = {"Ouchakov": 30.0, "«": 1.0, "the": 25.0, "deal": 25.0, "4500": 30.0, "étranges.": 28.0}
    us = units(scored(text, costs, default=1.0), uni)
    start, end, excess = out_of_place(us)
    assert text[start:end] == "étranges"
    assert excess > 0


def test_out_of_place_widens_to_a_pair(uni):
    text = "Les dirigeants se sont échangé une chaude embrasse sur le tapis."
    us = units(scored(text, {"chaude": 16.0, "embrasse": 20.0}, default=1.0), uni)
    start, end, _ = out_of_place(us)
    assert text[start:end] == "chaude embrasse"


def test_sentence_excess_leaves_out_the_first_word_and_floors_units(uni):
    us = units(scored("Maison de la ville de Lyon.", {"Maison": 30.0, "Lyon.": 0.0}), uni)
    total, n = sentence_excess(us)
    assert n == len(us) - 1
    expected = sum(
        u.excess if u.excess >= -3 else -3 + 0.2 * (u.excess + 3) for u in us[1:] if not u.foreign
    )
    assert total == pytest.approx(expected)


def test_marks_file_errors_name_file_and_line(tmp_path, monkeypatch):
    from mtaudit.core.resources import ResourceFormatError
    from mtaudit.lm import unigram as mod

    bad = tmp_path / "unigram_marks.tsv"
    bad.write_text("# mark\trate\n,\t0.05\n.\tlots\n", encoding="utf-8")
    monkeypatch.setattr(mod, "data_path", lambda name: bad)
    with pytest.raises(ResourceFormatError, match=r"unigram_marks.tsv:3: rate 'lots'"):
        mod.Unigram()


def _table(bands_s, bands_a):
    return {
        "sentence_bands": [{"min_units": lo, "quantiles": q} for lo, q in bands_s],
        "article_bands": [{"min_units": lo, "quantiles": q} for lo, q in bands_a],
        "oov": [21.0, 1.0],
        "min_words": 5,
    }


def test_scores_are_percentiles_among_originals_of_the_same_band():
    q_short = [-2.0 + k * 0.04 for k in range(101)]  # uniform on [-2, 2]
    q_long = [-1.0 + k * 0.02 for k in range(101)]  # uniform on [-1, 1]
    cal = Calibration(_table([(0, q_short), (30, q_long)], [(0, q_short)]))
    assert cal.normalised and cal.oov == (21.0, 1.0)
    # the median original scores 50, not 100: no saturation
    assert cal.sentence_score(0.0, 0.0, 10) == pytest.approx(50)
    assert cal.sentence_score(0.0, -1.0, 10) == pytest.approx(75)
    # the same value is worse among long sentences (they vary less)
    assert cal.sentence_score(0.0, 1.0, 40) == pytest.approx(0)
    assert cal.sentence_score(0.0, 1.0, 10) == pytest.approx(25)
    scores = [cal.article_score(0.0, x, 100) for x in (-1.5, -0.5, 0.5, 1.5)]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[0] < 100


def test_an_old_perplexity_table_is_still_read():
    q = [math.log(10 + k) for k in range(101)]
    cal = Calibration({"sentence_log_ppl_quantiles": q, "article_log_ppl_quantiles": q})
    assert not cal.normalised
    assert cal.sentence_score(10.0) == 100.0 and cal.article_score(200.0) == 0.0

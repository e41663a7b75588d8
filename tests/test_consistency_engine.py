"""The consistency engine: the same entity in several variants, the non-dominant ones flagged."""

from __future__ import annotations

from mtaudit.engines.consistency import dominant_variant, find_inconsistency


def occ(*keys: str) -> list[tuple[str, tuple[str, int]]]:
    """(variant, occurrence) pairs; an occurrence is (variant, position)."""
    return [(k, (k, i * 10)) for i, k in enumerate(keys)]


def pos(o: tuple[str, int]) -> int:
    return o[1]


def test_one_variant_is_consistent():
    assert find_inconsistency(occ("Kyiv", "Kyiv", "Kyiv"), pos) is None
    assert find_inconsistency([], pos) is None


def test_the_majority_dominates_and_the_others_are_the_deviations():
    inc = find_inconsistency(occ("Kiev", "Kyiv", "Kyiv", "Kiev", "Kyiv"), pos, preferred="Kiev")
    assert inc is not None
    assert inc.majority and not inc.preferred
    assert (inc.dominant.key, inc.dominant.count, inc.dominant.first) == ("Kyiv", 3, ("Kyiv", 10))
    assert [(v.key, v.count, v.first) for v in inc.others] == [("Kiev", 2, ("Kiev", 0))]
    assert [(o, v.key) for o, v in inc.deviations] == [
        (("Kiev", 0), "Kiev"),
        (("Kiev", 30), "Kiev"),
    ]


def test_a_tie_goes_to_the_preferred_variant_else_to_the_first_written():
    inc = find_inconsistency(occ("Kiev", "Kyiv"), pos, preferred="Kyiv")
    assert inc is not None and not inc.majority and inc.preferred
    assert inc.dominant.key == "Kyiv"
    inc = find_inconsistency(occ("Kiev", "Kyiv"), pos, preferred="Kyïv")
    assert inc is not None and not inc.majority and not inc.preferred
    assert inc.dominant.key == "Kiev"
    # the preferred variant wins a tie only among the most frequent ones
    inc = find_inconsistency(occ("A", "B", "B", "A", "C"), pos, preferred="C")
    assert inc is not None and inc.dominant.key == "A" and not inc.preferred
    assert [v.key for v in inc.others] == ["B", "C"]


def test_dominant_variant_reads_positions_not_order():
    assert dominant_variant({"a": 1, "b": 1}, {"a": 50, "b": 5}) == ("b", False)
    assert dominant_variant({"a": 1, "b": 2}, {"a": 50, "b": 5}, preferred="a") == ("b", True)

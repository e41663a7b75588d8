"""Consistency: the same entity appears in several variants in one document, so the
non-dominant variants are flagged (Vale's ``consistency`` kind, for any entity).

A rule gives, for one entity, its occurrences in document order, each with its *variant* (how
it is written, as a comparable key). The engine finds the dominant variant:

* the most frequent one, when one alone has the top count (a *majority*);
* on a tie, the *preferred* variant (a glossary's form, say) if it is among the most frequent,
  else the one written first.

Every occurrence of another variant is a deviation; the rule words the findings (NM502 writes
"… mostly writes X" for a majority, "… X at line n (k× each)" for a tie).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)  # a variant key
T = TypeVar("T")  # an occurrence


@dataclass(frozen=True)
class Variant(Generic[K, T]):
    key: K
    count: int  # occurrences of this variant
    first: T  # its first occurrence


@dataclass(frozen=True)
class Inconsistency(Generic[K, T]):
    """One entity written in several variants."""

    dominant: Variant[K, T]
    others: tuple[Variant[K, T], ...]  # the other variants, in order of first appearance
    majority: bool  # the dominant variant alone has the top count (else a tie was broken)
    preferred: bool  # the dominant variant is the preferred one
    deviations: tuple[tuple[T, Variant[K, T]], ...]  # each other occurrence, with its variant


def dominant_variant(
    counts: Mapping[K, int], first_position: Mapping[K, int], preferred: K | None = None
) -> tuple[K, bool]:
    """The dominant variant and whether it is a majority (see the module's docstring)."""
    top = max(counts.values())
    leaders = [k for k in counts if counts[k] == top]
    dominant = max(leaders, key=lambda k: (k == preferred, -first_position[k]))
    return dominant, len(leaders) == 1


def find_inconsistency(
    occurrences: Sequence[tuple[K, T]],
    position: Callable[[T], int],
    preferred: K | None = None,
) -> Inconsistency[K, T] | None:
    """The inconsistency of one entity's ``(variant, occurrence)`` pairs (in document order),
    or None when it is written one way."""
    counts = Counter(k for k, _ in occurrences)
    if len(counts) < 2:
        return None
    first: dict[K, T] = {}
    for k, occ in occurrences:
        first.setdefault(k, occ)
    variants = {k: Variant(k, n, first[k]) for k, n in counts.items()}
    key, majority = dominant_variant(counts, {k: position(o) for k, o in first.items()}, preferred)
    return Inconsistency(
        dominant=variants[key],
        others=tuple(v for k, v in variants.items() if k != key),
        majority=majority,
        preferred=key == preferred,
        deviations=tuple((occ, variants[k]) for k, occ in occurrences if k != key),
    )

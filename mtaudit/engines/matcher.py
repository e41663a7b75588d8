"""The substitution engine's matcher: a sentence cut into chunks (runs of words separated by
white space alone), the compiled pattern nodes that match words of a chunk, and the context
conditions of an entry (``next:``, ``prev:``, ``sent:``, ``start``).

A node's ``ends(chunk, i)`` yields every index where a match starting at word ``i`` can end;
``paths`` also says which atom matched each word (used to adapt a suggestion).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mtaudit.core.resources import read_lines
from mtaudit.text.normalise import straighten

# the words of @num besides digits (mtaudit/data/number_words.txt)
NUMBERS_FILE = "number_words.txt"
NUMBER_WORDS = frozenset(row[0] for row in read_lines(NUMBERS_FILE))


@dataclass
class Chunk:
    """Words of a sentence separated by white space only (punctuation ends a chunk)."""

    low: list[str]  # normalised (lower-case, ' apostrophe)
    raw: list[str]  # as written, apostrophe normalised
    kinds: list[str]  # "word" / "number"
    starts: list[int]
    ends: list[int]
    before: str  # punctuation before the chunk ("" at sentence start)
    after: str  # punctuation after the chunk ("" at sentence end)
    sentence_start: bool  # the chunk opens the sentence (or follows : « " —)


class Node:
    min_len = 1
    max_len = 1

    def ends(self, ch: Chunk, i: int) -> Iterator[int]:  # pragma: no cover
        raise NotImplementedError

    def paths(self, ch: Chunk, i: int) -> Iterator[tuple[int, tuple]]:
        """(end, the atom that matched each word) for every match from ``i``: used to adapt a
        suggestion to the words found (only when a finding is made, so speed does not matter)."""
        for j in self.ends(ch, i):
            yield j, (self,) * (j - i)


@dataclass
class Word(Node):
    forms: frozenset[str]
    exact: frozenset[str] | None = None  # case-sensitive forms (=Word)
    label: str = ""
    lemma: str = ""  # for an inflected atom (mot:v, mot:a …): its lemma
    cls: str = ""  # and its class: v, pp, a, n

    def ends(self, ch, i):
        if i < len(ch.low):
            if self.exact is not None:
                if ch.raw[i] in self.exact:
                    yield i + 1
            elif ch.low[i] in self.forms:
                yield i + 1


@dataclass
class Glob(Node):
    regex: re.Pattern
    label: str = ""

    def ends(self, ch, i):
        if i < len(ch.low) and ch.kinds[i] == "word" and self.regex.fullmatch(ch.low[i]):
            yield i + 1


class AnyWord(Node):
    def ends(self, ch, i):
        if i < len(ch.low):
            yield i + 1


class Num(Node):
    def ends(self, ch, i):
        if i < len(ch.low) and (
            ch.kinds[i] == "number"
            or ch.low[i] != "et"
            and all(p in NUMBER_WORDS for p in ch.low[i].split("-"))
        ):
            yield i + 1


class Cap(Node):
    """A capitalised word that is not capitalised merely for opening the sentence."""

    def ends(self, ch, i):
        if i < len(ch.low) and ch.raw[i][:1].isupper() and not (i == 0 and ch.sentence_start):
            yield i + 1


@dataclass
class Boundary(Node):
    chars: str = ""
    min_len = 0
    max_len = 0

    def ends(self, ch, i):
        if i == 0:
            gap = ch.before
        elif i == len(ch.low):
            gap = ch.after
        else:
            return
        if all(c in gap for c in self.chars):
            yield i


@dataclass
class Seq(Node):
    items: list[Node]

    def __post_init__(self):
        self.min_len = sum(n.min_len for n in self.items)
        self.max_len = sum(n.max_len for n in self.items)

    def ends(self, ch, i):
        yield from self._from(ch, i, 0)

    def paths(self, ch, i, k=0):
        if k == len(self.items):
            yield i, ()
            return
        for j, head in self.items[k].paths(ch, i):
            for e, tail in self.paths(ch, j, k + 1):
                yield e, head + tail

    def _from(self, ch, i, k):
        if k == len(self.items):
            yield i
            return
        for j in self.items[k].ends(ch, i):
            yield from self._from(ch, j, k + 1)


@dataclass
class Alt(Node):
    options: list[Node]

    def __post_init__(self):
        self.min_len = min(n.min_len for n in self.options)
        self.max_len = max(n.max_len for n in self.options)

    def ends(self, ch, i):
        for o in self.options:
            yield from o.ends(ch, i)

    def paths(self, ch, i):
        for o in self.options:
            yield from o.paths(ch, i)


@dataclass
class Repeat(Node):
    node: Node
    lo: int
    hi: int

    def __post_init__(self):
        self.min_len = self.node.min_len * self.lo
        self.max_len = self.node.max_len * self.hi

    def ends(self, ch, i):
        yield from self._rep(ch, i, 0)

    def paths(self, ch, i, n=0):
        if n < self.hi:
            for j, head in self.node.paths(ch, i):
                if j > i:
                    for e, tail in self.paths(ch, j, n + 1):
                        yield e, head + tail
        if n >= self.lo:
            yield i, ()

    def _rep(self, ch, i, n):
        # greedy: longer repetitions first
        if n < self.hi:
            for j in self.node.ends(ch, i):
                if j > i:
                    yield from self._rep(ch, j, n + 1)
        if n >= self.lo:
            yield i


@dataclass
class Condition:
    kind: str  # next, prev, sent, start
    negate: bool
    node: Seq | None
    text: str

    def holds(self, chunks: Sequence[Chunk], ci: int, i: int, j: int) -> bool:
        ch = chunks[ci]
        if self.kind == "start":
            ok = i == 0 and ch.sentence_start
        elif self.kind == "next":
            ok = any(True for _ in self.node.ends(ch, j))
        elif self.kind == "prev":
            node = self.node
            ok = False
            lo = max(0, i - node.max_len)
            for k in range(i - node.min_len, lo - 1, -1):
                if any(e == i for e in node.ends(ch, k)):
                    ok = True
                    break
        else:  # sent
            ok = any(
                any(True for _ in self.node.ends(c, k))
                for c in chunks
                for k in range(len(c.low) + 1)
            )
        return ok != self.negate


_OPENERS = set(':«“"—–(')


def chunk_sentence(text: str, s_start: int, s_end: int, toks: Sequence[tuple]) -> list[Chunk]:
    """Split a sentence's tokens (text, start, end, kind) into chunks at punctuation."""
    chunks: list[Chunk] = []
    cur: Chunk | None = None
    prev_end = s_start
    for t, a, b, k in toks:
        gap = text[prev_end:a]
        if cur is None or gap.strip():
            punct = "".join(gap.split())
            if cur is not None:
                cur.after = punct
            opens = cur is None or any(c in _OPENERS for c in punct)
            cur = Chunk([], [], [], [], [], punct, "", opens)
            chunks.append(cur)
        raw = straighten(t)
        cur.raw.append(raw)
        cur.low.append(raw.lower())
        cur.kinds.append(k)
        cur.starts.append(a)
        cur.ends.append(b)
        prev_end = b
    if cur is not None:
        cur.after = "".join(text[prev_end:s_end].split())
    return chunks

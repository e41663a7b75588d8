"""The substitution engine's pattern language: a pattern string (``supporter:v (le|la) *``) and
a context condition (``!next:de ; start``) compiled into matcher nodes, with the lexicon's
``@set`` and ``@forms`` declarations. The syntax is documented in ``docs/lexicon.md``.
"""

from __future__ import annotations

import re

from mtaudit.engines.inflection import adjective_forms, er_participles, er_verb_forms, noun_forms
from mtaudit.engines.matcher import (
    Alt,
    AnyWord,
    Boundary,
    Cap,
    Condition,
    Glob,
    Node,
    Num,
    Repeat,
    Seq,
    Word,
)
from mtaudit.text.normalise import elided_forms, elisions, straighten

# literal -> its elided form (the literal matches both): the shared table of
# mtaudit/text/normalise.py, without "quoique", which this engine never elided
ELIDED = {w: e for w, e in elided_forms().items() if w != "quoique"}
_ELISION_PREFIX = re.compile(
    r"^(" + "|".join(sorted(elisions("all"), key=lambda e: (-len(e), e))) + r")'(?=\S)", re.I
)


def norm(word: str) -> str:
    """A pattern word's key: apostrophes straightened, lower case."""
    return straighten(word).lower()


# ---------------------------------------------------------------------------------- parsing
_PTOKEN = re.compile(r"\(|\)|\||\?|\{\d+(?:,\d+)?\}|[^\s()|?{}]+")


class PatternCompiler:
    """Turns pattern strings into nodes, with the lexicon's @set and @forms declarations."""

    def __init__(self):
        self.sets: dict[str, frozenset[str]] = {}
        self.forms: dict[str, frozenset[str]] = {}
        self._pool: dict[frozenset[str], frozenset[str]] = {}

    def __getstate__(self):
        return {"sets": self.sets, "forms": self.forms}  # the pool is rebuilt as it is used

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._pool = {}

    def shared(self, words) -> frozenset[str]:
        """``words`` as a frozenset, one object for equal sets: a lexicon's atoms share their
        forms (smaller, faster to load; the same matches)."""
        f = frozenset(words)
        return self._pool.setdefault(f, f)

    # one atom -> (node, index keys or None when the atom cannot start an entry)
    def word_forms(self, text: str) -> set[str]:
        if ":" in text and not text.endswith("'"):
            lemma, cls = text.rsplit(":", 1)
            lemma = norm(lemma)
            if cls == "v":
                if lemma in self.forms:
                    return set(self.forms[lemma])
                return er_verb_forms(lemma)
            if cls == "pp":
                return er_participles(lemma)
            if cls == "a":
                return adjective_forms(lemma)
            if cls == "n":
                return noun_forms(lemma)
            raise ValueError(f"unknown inflection class ':{cls}' in {text!r} (use :v :pp :a :n)")
        w = norm(text)
        out = {w}
        if w in ELIDED:
            out.add(ELIDED[w])
        return out

    def atom(self, text: str, context: bool) -> Node:
        if text == "*":
            return AnyWord()
        if text.startswith("#"):
            if not context:
                raise ValueError("'#' (boundary) is only allowed in context conditions")
            return Boundary(chars=text[1:])
        if text == "@num":
            return Num()
        if text == "@cap":
            return Cap()
        if text.startswith("@"):
            raise ValueError(f"unknown class {text!r} (use @num or @cap)")
        if text.startswith("$"):
            name = text[1:]
            if name not in self.sets:
                raise ValueError(f"unknown set {text!r} (declare it with an @set row first)")
            return Word(self.sets[name], label=text)
        if "*" in text:
            rx = "".join(".*" if c == "*" else re.escape(c) for c in norm(text))
            return Glob(re.compile(rx), label=text)
        if text.startswith("="):
            raw = straighten(text[1:])
            if not raw:
                raise ValueError("'=' must be followed by a word")
            return Word(self.shared({norm(raw)}), exact=self.shared({raw}), label=text)
        lemma = cls = ""
        if ":" in text and not text.endswith("'"):
            lemma, cls = text.rsplit(":", 1)
            lemma = norm(lemma)
        return Word(self.shared(self.word_forms(text)), label=text, lemma=lemma, cls=cls)

    def split(self, pattern: str) -> list[str]:
        toks: list[str] = []
        for t in _PTOKEN.findall(straighten(pattern)):
            while True:
                m = _ELISION_PREFIX.match(t)
                if not m or t in ("(", ")"):
                    break
                toks.append(m.group(0))
                t = t[m.end() :]
            toks.append(t)
        return toks

    def compile(self, pattern: str, context: bool = False) -> Seq:
        toks = self.split(pattern)
        if not toks:
            raise ValueError("empty pattern")
        pos = 0

        def seq(stop: tuple[str, ...]) -> Seq:
            nonlocal pos
            items: list[Node] = []
            while pos < len(toks) and toks[pos] not in stop:
                t = toks[pos]
                pos += 1
                if t == "(":
                    options = [seq(("|", ")"))]
                    while pos < len(toks) and toks[pos] == "|":
                        pos += 1
                        options.append(seq(("|", ")")))
                    if pos >= len(toks) or toks[pos] != ")":
                        raise ValueError("unbalanced '(' in pattern")
                    pos += 1
                    node: Node = Alt(options)
                elif t in (")", "|"):
                    raise ValueError(f"unexpected {t!r} in pattern")
                elif t == "?" or t.startswith("{"):
                    raise ValueError(f"quantifier {t!r} must follow an atom")
                else:
                    node = self.atom(t, context)
                if pos < len(toks) and toks[pos] == "?":
                    pos += 1
                    node = Repeat(node, 0, 1)
                elif pos < len(toks) and toks[pos].startswith("{"):
                    nums = [int(x) for x in toks[pos][1:-1].split(",")]
                    lo, hi = nums[0], nums[-1]
                    if lo > hi or hi > 8:
                        raise ValueError(f"bad repetition {toks[pos]!r} (at most {{0,8}})")
                    pos += 1
                    node = Repeat(node, lo, hi)
                items.append(node)
            return Seq(items)

        out = seq(())
        if pos != len(toks):
            raise ValueError(f"unexpected {toks[pos]!r} in pattern")
        return out


def first_keys(node: Node) -> set[str] | None:
    """The normalised words that can start a match of ``node`` (None: anything can)."""
    if isinstance(node, Word):
        return set(node.forms)
    if isinstance(node, Seq):
        if not node.items:
            return None
        head = node.items[0]
        if head.min_len == 0:
            return None
        return first_keys(head)
    if isinstance(node, Alt):
        keys: set[str] = set()
        for o in node.options:
            k = first_keys(o)
            if k is None:
                return None
            keys |= k
        return keys
    if isinstance(node, Repeat) and node.lo >= 1:
        return first_keys(node.node)
    return None


def _single_word(node: Node) -> frozenset[str] | None:
    """The forms of an atom that always matches exactly one listed word, else None."""
    if isinstance(node, Word):
        return node.forms
    if isinstance(node, Seq) and len(node.items) == 1:
        return _single_word(node.items[0])
    if isinstance(node, Alt):
        out: set[str] = set()
        for o in node.options:
            f = _single_word(o)
            if f is None:
                return None
            out |= f
        return frozenset(out)
    return None


def required_sets(node: Node) -> list[frozenset[str]]:
    """Word sets every match of ``node`` has a word from, wherever it falls in the match: a
    necessary condition, checked against the words of a chunk before the pattern is tried
    (smallest sets first: they are the rarest words)."""
    out = _required(node)
    uniq = list({id(f): f for f in out}.values())
    return sorted(uniq, key=len)


def _required(node: Node) -> list[frozenset[str]]:
    if isinstance(node, Word):
        return [node.forms]
    if isinstance(node, Seq):
        return [f for item in node.items if item.min_len >= 1 for f in _required(item)]
    if isinstance(node, Repeat):
        return _required(node.node) if node.lo >= 1 else []
    if isinstance(node, Alt):
        # every option needs one of its own sets: the union of each option's first one
        firsts = []
        for o in node.options:
            req = _required(o)
            if not req:
                return []
            firsts.append(min(req, key=len))
        return [frozenset().union(*firsts)]
    return []  # a wildcard, a class, a boundary: no word is certain


def leading_sets(node: Seq) -> list[frozenset[str]]:
    """Word sets that the 1st, 2nd, … words of every match belong to (a cheap pre-filter)."""
    out = []
    for item in node.items:
        f = _single_word(item)
        if f is None:
            break
        out.append(f)
    return out


_COND = re.compile(r"^(!?)(next|prev|sent|start)(?::(.*))?$")


def parse_conditions(text: str, comp: PatternCompiler) -> list[Condition]:
    out = []
    if text.strip() in ("", "-"):
        return out
    for part in text.split(" ; "):
        part = part.strip()
        m = _COND.match(part)
        if not m:
            raise ValueError(
                f"bad context condition {part!r} (use next:P, prev:P, sent:P, start, "
                "negated with '!', separated by ' ; ')"
            )
        neg, kind, pat = m.groups()
        if kind == "start":
            if pat:
                raise ValueError("'start' takes no pattern")
            out.append(Condition(kind, bool(neg), None, part))
            continue
        if not pat:
            raise ValueError(f"{kind}: needs a pattern")
        out.append(Condition(kind, bool(neg), comp.compile(pat, context=True), part))
    return out

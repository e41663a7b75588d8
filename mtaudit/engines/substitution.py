"""Substitution lexicons: a TSV of word patterns with context conditions, and their matcher.

The format is documented for linguists in ``docs/lexicon.md``; in short, each row of the TSV is
``id, kind, severity, pattern, context, suggestion, explanation, example``. A pattern is a
sequence of word atoms::

    supporter:v            every form of a 1st-group verb (supportons, supporté, supportaient…)
    officiel:a             every form of an adjective (officiel, officielle, officiels, officielles)
    problème:n             a noun and its plural
    initier:pp             past participles only (initié, initiée, initiés, initiées)
    (le|la|les)            alternatives; an alternative may be several words: (de la|du)
    très?                  optional atom; ``{m,n}`` repeats: ``*{0,2}``
    *  *ment               any one word / any word ending in "ment" (a glob)
    @num  @cap             a number (24, vingt-quatre, plusieurs) / a capitalised word
    $nat                   a word set declared by an ``@set`` row
    =Ouest                 exact case
    #  #,                  (context only) a boundary: punctuation or the edge of the sentence;
                           ``#,`` a boundary whose punctuation holds a comma

Elision is automatic: the literal ``le`` also matches ``l'``, ``de`` matches ``d'``, ``que``
matches ``qu'`` (and ’ equals '). Matching is case-insensitive and never crosses punctuation:
words are matched only within a *chunk*, a run of words separated by white space alone.

Context conditions (all must hold, separated by `` ; ``): ``next:P``, ``prev:P`` (the words
right after / before the match), ``sent:P`` (P anywhere in the sentence), ``start`` (the match
opens the sentence or follows a colon or an opening quote), each negatable with ``!``.

Matching is linear in the text: entries are indexed by every form of their first atom, so each
word of the document costs one dictionary look-up plus the few entries it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtaudit.core.findings import Severity
from mtaudit.core.resources import read_rows

KINDS = ("anglicism", "false-friend", "calque", "english")
COLUMNS = ("id", "kind", "severity", "pattern", "context", "suggestion", "explanation", "example")
# the optional 9th column: the example as the suggestion corrects it, or "-" when the
# suggestion cannot replace the words found literally (the editor rewrites the phrase)
CORRECTED = "corrected"

# literal -> its elided form (the literal matches both)
ELIDED = {
    "le": "l'",
    "la": "l'",
    "de": "d'",
    "que": "qu'",
    "se": "s'",
    "ne": "n'",
    "je": "j'",
    "me": "m'",
    "te": "t'",
    "ce": "c'",
    "lorsque": "lorsqu'",
    "puisque": "puisqu'",
    "jusque": "jusqu'",
    "presque": "presqu'",
    "quelque": "quelqu'",
}
_ELISION_PREFIX = re.compile(
    r"^(l|d|qu|s|n|j|m|t|c|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu)'(?=\S)", re.I
)
NUMBER_WORDS = frozenset(
    """un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze
    seize vingt trente quarante cinquante soixante cent cents mille et plusieurs quelques""".split()
)
_APOS = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


class LexiconError(ValueError):
    """A malformed lexicon: the message names file:line."""


def norm(word: str) -> str:
    return word.translate(_APOS).lower()


# ---------------------------------------------------------------------------------- inflection
_VOWELS = "aeiouyéèêëàâîïôûù"

_ER_ENDINGS = (
    "e es ons ez ent "  # present (indicative, subjunctive, imperative)
    "ais ait ions iez aient "  # imperfect, subjunctive
    "ai as a âmes âtes èrent "  # simple past
    "erai eras era erons erez eront erais erait erions eriez eraient "  # future, conditional
    "asse asses ât assions assiez assent "  # imperfect subjunctive
    "ant é ée és ées er"  # participles, infinitive
).split()
_MUTE = {"e", "es", "ent"}


def er_verb_forms(inf: str) -> set[str]:
    """All simple forms of a 1st-group verb, with the spelling variants (ç, ge, è, ll/tt, i/y).

    Over-generation is harmless (a form that does not exist never occurs in a text).
    """
    if not inf.endswith("er") or len(inf) < 3:
        raise ValueError(f"{inf!r} is not a 1st-group verb (-er); declare its forms with @forms")
    stem = inf[:-2]
    out: set[str] = set()
    for end in _ER_ENDINGS:
        stems = [stem]
        if end[0] in "aâo":
            if stem.endswith("c"):
                stems = [stem[:-1] + "ç"]
            elif stem.endswith("g"):
                stems = [stem + "e"]
        if end in _MUTE or end.startswith("er") and end != "er":
            if stem.endswith("y"):
                stems.append(stem[:-1] + "i")
            m = re.match(rf"^(.*)([eé])([^{_VOWELS}]+)$", stem)
            if m:
                head, _vowel, cons = m.groups()
                stems.append(f"{head}è{cons}")
                if cons in ("l", "t"):
                    stems.append(f"{head}e{cons}{cons}")
        for s in stems:
            out.add(s + end)
    return out


def er_participles(inf: str) -> set[str]:
    if not inf.endswith("er"):
        raise ValueError(f"{inf!r}: ':pp' needs a 1st-group verb (-er)")
    stem = inf[:-2]
    return {stem + e for e in ("é", "ée", "és", "ées")}


def adjective_forms(w: str) -> set[str]:
    """Masculine/feminine, singular/plural of a regular adjective (or a noun with a feminine)."""
    forms = {w}
    if w.endswith("e"):
        fem = [w]
    elif w.endswith("eau"):  # nouveau, nouvel, nouvelle, nouveaux
        fem = [w[:-3] + "elle"]
        forms |= {w + "x", w[:-3] + "el"}
    elif w.endswith(("el", "eil", "en", "on")):
        fem = [w + w[-1] + "e", w + "e"]
    elif w.endswith("et"):
        fem = [w + "te", w[:-2] + "ète"]
    elif w.endswith("if"):
        fem = [w[:-1] + "ve"]
    elif w.endswith("eux"):
        fem = [w[:-1] + "se"]
    elif w.endswith("er"):
        fem = [w[:-2] + "ère"]
    else:
        fem = [w + "e"]
    if w.endswith(("s", "x", "eau")):
        pass
    elif w.endswith("al"):
        forms |= {w[:-1] + "ux", w + "s"}
    else:
        forms.add(w + "s")
    for f in fem:
        forms |= {f, f + "s"}
    return forms


def noun_forms(w: str) -> set[str]:
    if w.endswith(("s", "x", "z")):
        return {w}
    if w.endswith("al"):
        return {w, w[:-1] + "ux", w + "s"}
    if w.endswith(("eau", "au", "eu")):
        return {w, w + "x", w + "s"}
    return {w, w + "s"}


# ---------------------------------------------------------------------------------- atoms
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


# ---------------------------------------------------------------------------------- parsing
_PTOKEN = re.compile(r"\(|\)|\||\?|\{\d+(?:,\d+)?\}|[^\s()|?{}]+")


class PatternCompiler:
    """Turns pattern strings into nodes, with the lexicon's @set and @forms declarations."""

    def __init__(self):
        self.sets: dict[str, frozenset[str]] = {}
        self.forms: dict[str, frozenset[str]] = {}

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
            raw = text[1:].translate(_APOS)
            if not raw:
                raise ValueError("'=' must be followed by a word")
            return Word(frozenset({norm(raw)}), exact=frozenset({raw}), label=text)
        lemma = cls = ""
        if ":" in text and not text.endswith("'"):
            lemma, cls = text.rsplit(":", 1)
            lemma = norm(lemma)
        return Word(frozenset(self.word_forms(text)), label=text, lemma=lemma, cls=cls)

    def split(self, pattern: str) -> list[str]:
        toks: list[str] = []
        for t in _PTOKEN.findall(pattern.translate(_APOS)):
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


def leading_sets(node: Seq) -> list[frozenset[str]]:
    """Word sets that the 1st, 2nd, … words of every match belong to (a cheap pre-filter)."""
    out = []
    for item in node.items:
        f = _single_word(item)
        if f is None:
            break
        out.append(f)
    return out


# ---------------------------------------------------------------------------------- entries
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


@dataclass
class Entry:
    id: str
    kind: str
    severity: Severity
    pattern: str
    context: str
    suggestion: str
    explanation: str
    example: str
    node: Seq
    conditions: list[Condition]
    source: str  # file:line
    lead: list[frozenset[str]] = field(default_factory=list)
    corrected: str = "-"  # the example corrected by the suggestion; "-": no literal suggestion

    def __post_init__(self):
        self.lead = leading_sets(self.node)[1:]


@dataclass
class Match:
    entry: Entry
    start: int
    end: int
    sentence: int
    replacement: str = ""  # the literal replacement of text[start:end] ("" when none applies)


# ---------------------------------------------------------------------------------- suggestions
def alternatives(suggestion: str) -> list[str]:
    """The suggestion column split into its alternatives (", " outside brackets)."""
    out, depth, cur = [], 0, ""
    for c in suggestion:
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    out.append(cur.strip())
    return [a for a in out if a]


def _plain(alt: str) -> bool:
    """An alternative that can replace the span as written (no template, no explanation)."""
    return bool(alt) and not any(c in alt for c in "…()[]/;:") and "..." not in alt


_ENDING_BY_FORM: dict[str, dict[str, str]] = {}


def _er_ending(lemma: str, form: str) -> str | None:
    """The ending of a 1st-group verb form ("supportons" -> "ons"), None when ambiguous."""
    table = _ENDING_BY_FORM.get(lemma)
    if table is None:
        table = {}
        for end in _ER_ENDINGS:
            for f in er_verb_forms_with(lemma, end):
                table.setdefault(f, end)
        _ENDING_BY_FORM[lemma] = table
    return table.get(form)


def er_verb_forms_with(inf: str, end: str) -> set[str]:
    stem = inf[:-2]
    out = {stem + end}
    if end[0] in "aâo":
        if stem.endswith("c"):
            out = {stem[:-1] + "ç" + end}
        elif stem.endswith("g"):
            out = {stem + "e" + end}
    if end in _MUTE or end.startswith("er") and end != "er":
        if stem.endswith("y"):
            out.add(stem[:-1] + "i" + end)
        m = re.match(rf"^(.*)([eé])([^{_VOWELS}]+)$", stem)
        if m:
            head, _v, cons = m.groups()
            out.add(f"{head}è{cons}{end}")
            if cons in ("l", "t"):
                out.add(f"{head}e{cons}{cons}{end}")
    return out


def conjugate_er(inf: str, end: str) -> str:
    """The form of a 1st-group verb with an ending (the usual spelling: ç, ge, è)."""
    stem = inf[:-2]
    if end[0] in "aâo":
        if stem.endswith("c"):
            return stem[:-1] + "ç" + end
        if stem.endswith("g"):
            return stem + "e" + end
    if end in _MUTE or end.startswith("er") and end != "er":
        m = re.match(rf"^(.*)([eé])([^{_VOWELS}]+)$", stem)
        if m and m.group(3) not in ("l", "t") and len(m.group(3)) == 1:
            head, _v, cons = m.groups()
            return f"{head}è{cons}{end}"
        if stem.endswith("y") and not stem.endswith("ey"):
            return stem[:-1] + "i" + end
    return stem + end


def _adj_gender_number(lemma: str, form: str) -> tuple[str, str] | None:
    """('m'|'f', 's'|'p') of a form of an adjective or noun lemma, None when unknown."""
    if form == lemma:
        return "m", "s"
    fem = adjective_forms(lemma) - {lemma}
    plural_m = {f for f in noun_forms(lemma) if f != lemma} | {lemma + "s", lemma[:-1] + "ux"}
    if form in plural_m:
        return "m", "p"
    if form in fem:
        return ("f", "p") if form.endswith("s") else ("f", "s")
    return None


def inflect_adjective(word: str, gender: str, number: str) -> str:
    """A regular adjective (or noun) put in a gender and number (the usual spelling)."""
    if gender == "f" and not word.endswith("e"):
        if word.endswith(("el", "eil", "en", "on")):
            word = word + word[-1] + "e"
        elif word.endswith("et"):
            word = word + "te"
        elif word.endswith("if"):
            word = word[:-1] + "ve"
        elif word.endswith("eux"):
            word = word[:-1] + "se"
        elif word.endswith("er"):
            word = word[:-2] + "ère"
        else:
            word = word + "e"
    if number == "p" and not word.endswith(("s", "x", "z")):
        if word.endswith("al") and gender == "m":
            return word[:-1] + "ux"
        if word.endswith(("eau", "au", "eu")):
            return word + "x"
        return word + "s"
    return word


def match_case(original: str, replacement: str) -> str:
    """``replacement`` written with the case of ``original``: all capitals stay all capitals,
    a capital first letter (the start of a sentence) stays a capital."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if original[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def literal_replacement(entry: Entry, ch: Chunk, i: int, j: int, gender_of=None) -> str:
    """The entry's first plain alternative, adapted to the words found (verb ending, gender
    and number, case), or "" when it cannot replace the span literally."""
    alts = alternatives(entry.suggestion)
    if entry.corrected == "-" or not alts or not _plain(alts[0]):
        return ""
    sugg = alts[0]
    path = next((p for e, p in entry.node.paths(ch, i) if e == j), None)
    if path is None:
        return ""
    words = sugg.split(" ")
    for k, atom in enumerate(path):
        if not isinstance(atom, Word) or not atom.lemma:
            continue
        form = ch.low[i + k]
        if form == atom.lemma:
            continue
        # an inflected word: only its own class can carry over, and only onto the first word
        # of the suggestion, which must be of the same kind
        if k != 0 or len([a for a in path if isinstance(a, Word) and a.lemma]) > 1:
            return ""
        head = words[0].lower()
        if atom.cls in ("v", "pp") and atom.lemma.endswith("er"):
            end = _er_ending(atom.lemma, form)
            if end is None or not head.endswith("er") or head in ("être", "aller"):
                return ""
            words[0] = conjugate_er(head, end)
        elif atom.cls in ("a", "n"):
            gn = _adj_gender_number(atom.lemma, form)
            if gn is None:
                return ""
            gender, number = gn
            if atom.cls == "n":
                gender = "m"  # a noun keeps the suggestion's own gender
            if len(words) > 1 and number == "p":
                return ""  # "chiffre d'affaires" in the plural: left to the editor
            words[0] = inflect_adjective(head, gender, number)
        else:
            return ""
    # elision at the edges: "partagé qu'(elle)" -> "confié qu'", and no "d'" left before a
    # consonant ("d'élaborer" -> "de développer" is outside the span: no literal fix then)
    if ch.raw[j - 1].endswith("'") and words[-1].lower() in ELIDED:
        words[-1] = ELIDED[words[-1].lower()]
    elif words[-1].endswith("'") and not ch.raw[j - 1].endswith("'"):
        return ""
    if i > 0:
        before = ch.low[i - 1]
        vowel = _starts_with_vowel(words[0])
        h = words[0][:1].lower() == "h"  # mute or aspirated: left to the editor
        if before.endswith("'") and before in ELIDED.values() and (not vowel or h):
            return ""
        if before in ELIDED and (vowel or h):
            return ""
    if gender_of is not None:
        # a noun replaced by a noun of the other gender: the words around it would not agree
        # ("le leadership" -> "le direction"), so no literal fix
        g1, g2 = gender_of(ch.low[i]), gender_of(words[0].lower())
        if g1 and g2 and g1 != g2:
            return ""
        # an English noun has no gender to compare: the determiner before it has one
        det = _DET_GENDER.get(ch.low[i - 1]) if i > 0 else None
        if det and g2 and det != g2:
            return ""
    raw = " ".join(ch.raw[i:j])
    return match_case(raw, " ".join(words))


_DET_GENDER = {
    **dict.fromkeys(("le", "un", "ce", "cet", "du", "au", "mon", "ton", "son", "quel"), "m"),
    **dict.fromkeys(("la", "une", "cette", "ma", "ta", "sa", "quelle"), "f"),
}


def _starts_with_vowel(word: str) -> bool:
    import unicodedata

    c = unicodedata.normalize("NFD", word[:1].lower())[:1]
    return c in "aeiouy"  # an h counts as a consonant: no literal fix where it would matter


@dataclass
class Lexicon:
    entries: list[Entry]
    index: dict[str, list[Entry]] = field(default_factory=dict)
    path: str = ""
    # the gender of a noun ("m", "f") or None: set by AN201 from the grammar lexicon, so that a
    # suggestion never swaps a noun for one of the other gender
    gender_of: object = None

    def __post_init__(self):
        if not self.index:
            for e in self.entries:
                for k in sorted(first_keys(e.node) or ()):
                    self.index.setdefault(k, []).append(e)

    def __len__(self) -> int:
        return len(self.entries)

    def match_chunks(self, chunks: Sequence[Chunk], sentence: int = 0) -> Iterator[Match]:
        """Every entry match in one sentence (its chunks); the longest match per entry/start."""
        for ci, ch in enumerate(chunks):
            for i, w in enumerate(ch.low):
                cands = self.index.get(w)
                if not cands:
                    continue
                n = len(ch.low)
                for e in cands:
                    if e.lead and any(
                        i + k + 1 >= n or ch.low[i + k + 1] not in f for k, f in enumerate(e.lead)
                    ):
                        continue
                    best = max(e.node.ends(ch, i), default=None)
                    if best is None or best == i:
                        continue
                    if all(c.holds(chunks, ci, i, best) for c in e.conditions):
                        yield Match(
                            e,
                            ch.starts[i],
                            ch.ends[best - 1],
                            sentence,
                            literal_replacement(e, ch, i, best, self.gender_of),
                        )

    def match_text(self, text: str) -> list[Match]:
        """Match a plain text (segmented like a document); for tests and examples."""
        from mtaudit.text.segment import split_sentences, tokenize

        out: list[Match] = []
        for si, (s, e) in enumerate(split_sentences(text)):
            toks = [(t, a, b, k) for t, a, b, k in tokenize(text[s:e], s)]
            out.extend(self.match_chunks(chunk_sentence(text, s, e, toks), si))
        return out


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
        raw = t.translate(_APOS)
        cur.raw.append(raw)
        cur.low.append(raw.lower())
        cur.kinds.append(k)
        cur.starts.append(a)
        cur.ends.append(b)
        prev_end = b
    if cur is not None:
        cur.after = "".join(text[prev_end:s_end].split())
    return chunks


# ---------------------------------------------------------------------------------- loading
_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
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


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon TSV; a malformed line raises :class:`LexiconError` naming file:line."""
    path = Path(path)
    comp = PatternCompiler()
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for row in read_rows(path):
        lineno, where, cols = row.line, row.where, row.cols
        try:
            if cols[0] == "@set":
                if len(cols) != 3 or not re.fullmatch(r"[a-z][a-z0-9_]*", cols[1]):
                    raise ValueError("an @set row is: @set<TAB>name<TAB>word word …")
                forms: set[str] = set()
                for w in cols[2].split():
                    if w.startswith("$"):
                        if w[1:] not in comp.sets:
                            raise ValueError(f"unknown set {w!r} (declare it first)")
                        forms |= comp.sets[w[1:]]
                    else:
                        forms |= comp.word_forms(w)
                comp.sets[cols[1]] = frozenset(forms)
                continue
            if cols[0] == "@forms":
                if len(cols) != 3 or not cols[1].strip():
                    raise ValueError("an @forms row is: @forms<TAB>lemma<TAB>form form …")
                comp.forms[norm(cols[1])] = frozenset(norm(w) for w in cols[2].split())
                continue
            if cols[0].startswith("@"):
                raise ValueError(f"unknown directive {cols[0]!r} (use @set or @forms)")
            if len(cols) not in (len(COLUMNS), len(COLUMNS) + 1):
                raise ValueError(
                    f"expected {len(COLUMNS)} or {len(COLUMNS) + 1} tab-separated columns "
                    f"({', '.join(COLUMNS)}[, {CORRECTED}]), found {len(cols)}"
                )
            eid, kind, sev, pattern, context, sugg, expl, example = cols[:8]  # stripped
            corrected = cols[8] if len(cols) > 8 and cols[8] else "-"
            if not _ID.match(eid):
                raise ValueError(f"bad id {eid!r} (lower-case letters, digits, '-', '.')")
            if eid in seen:
                raise ValueError(f"duplicate id {eid!r} (first at {seen[eid]})")
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r} (use one of: {', '.join(KINDS)})")
            severity = Severity.parse(sev or "minor")
            for col, val in (("suggestion", sugg), ("explanation", expl), ("example", example)):
                if not val:
                    raise ValueError(f"empty {col}")
            node = comp.compile(pattern)
            if first_keys(node) is None:
                raise ValueError(
                    f"pattern {pattern!r} must start with a word, a lemma, alternatives "
                    "of words or a $set (not a wildcard, class or optional atom)"
                )
            conditions = parse_conditions(context, comp)
        except LexiconError:
            raise
        except ValueError as exc:
            raise LexiconError(f"{path}:{lineno}: {exc}") from None
        seen[eid] = where
        entries.append(
            Entry(
                eid,
                kind,
                severity,
                pattern,
                context,
                sugg,
                expl,
                example,
                node,
                conditions,
                where,
                corrected=corrected,
            )
        )
    return Lexicon(entries, path=str(path))

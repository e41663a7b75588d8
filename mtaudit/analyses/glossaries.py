"""Name glossaries: loading, merging with precedence, normalisation and matching.

A glossary is a TSV file (format in ``glossaries/README.md``): per line a preferred French form,
other accepted forms, forms to flag (the English transcriptions machine translation leaves), a
kind, an origin language, a severity and a note. The default glossary ships in the package
(``mtaudit/data/glossaries``); house glossaries named in the configuration (``glossaries = [...]``
or ``scan --glossary FILE``) come after it and override it: an entry of a later glossary that
shares a form with an entry of an earlier one replaces that entry.

Matching works on tokens, not on one regular expression per entry, so its cost is linear in the
text whatever the size of the glossary:

* a token is a run of letters (apostrophes inside are kept: Xi'an, Sana'a); hyphens and spaces
  separate tokens, so ``Kim Jong Un``, ``Kim Jong-un`` and ``Kim Jong-Un`` are the same tokens;
* elided articles are split off (``d'Ushakov`` -> ``d'`` + ``Ushakov``) and English possessives
  dropped (``Putin's`` -> ``Putin``);
* each token gets a *key* (case, accents and apostrophes removed) used to walk a trie of the
  glossary forms, longest match first, and a *spelling* (case removed, accents kept) that tells
  ``Hanoï`` (French) from ``Hanoi`` (English) once the entry is found;
* a multi-token form matches only across white space, hyphens or the full stop of an
  abbreviation (``St. Petersburg``), never across other punctuation; tokens are whole words, so
  no form matches inside another word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mtaudit.core.findings import Severity
from mtaudit.core.resources import GLOSSARY_DIR, fingerprint

KINDS = ("person", "given-name", "place", "organisation", "media", "title")
COLUMNS = ("preferred", "also", "flag", "kind", "origin", "severity", "note")
# Lower-case particles inside names: their case is not checked (al-Assad / Al-Assad).
PARTICLES = frozenset(
    "al el ar as ad an ash at az bin ben ibn bint abu abou de du des la le les van von der den "
    "of the and for on sur aux en d l y".split()
)
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
APOSTROPHES = "'’ʼ`"

_WORD = re.compile(r"[^\W\d_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)*[" + APOSTROPHES + r"]?")
_JOIN = re.compile(r"[ \t\u00a0\u202f]*[-‐‑][ \t\u00a0\u202f]*|[ \t\u00a0\u202f]+")
_ABBR_JOIN = re.compile(r"\.[ \t\u00a0\u202f]+")


class GlossaryError(ValueError):
    """A glossary file that cannot be used: missing, unreadable or malformed (file:line)."""


# ---------------------------------------------------------------------------- normalisation
def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Case and accents removed: the matching key of a token."""
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = strip_accents(s).casefold()
    return "".join(c for c in s if c not in APOSTROPHES)


def spell(s: str) -> str:
    """Case removed, accents kept (except on capitals, which French often writes bare)."""
    s = unicodedata.normalize("NFC", s)
    out = []
    for c in s:
        if c in APOSTROPHES:
            continue
        if c.isupper():
            c = strip_accents(c)
        out.append(c)
    return "".join(out).casefold()


def split_tokens(text: str) -> list[str]:
    """The tokens of a glossary form (hyphens and spaces separate them)."""
    return [m.group().rstrip(APOSTROPHES) for m in _WORD.finditer(text)]


def form_key(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in split_tokens(text))


def form_spelling(text: str) -> str:
    return " ".join(spell(t) for t in split_tokens(text))


def is_acronym(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()


# ---------------------------------------------------------------------------- data model
@dataclass(eq=False)
class Entry:
    preferred: str
    also: tuple[str, ...] = ()
    flag: tuple[str, ...] = ()
    kind: str = "person"
    origin: str = ""
    severity: Severity | None = None
    note: str = ""
    source: str = ""  # file path
    line: int = 0
    house: bool = False
    forms: list[Form] = field(default_factory=list)

    @property
    def source_name(self) -> str:
        return Path(self.source).name if self.source else "<glossary>"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def flag_severity(self) -> Severity:
        return self.severity or Severity.MINOR

    def to_dict(self) -> dict:
        return {
            "preferred": self.preferred,
            "also": list(self.also),
            "flag": list(self.flag),
            "kind": self.kind,
            "origin": self.origin,
            "severity": self.severity.value if self.severity else None,
            "note": self.note,
            "source": self.source,
            "line": self.line,
            "house": self.house,
        }


@dataclass(eq=False)
class Form:
    text: str
    status: str  # "preferred" | "also" | "flag"
    entry: Entry
    key: tuple[str, ...]
    spelling: str
    tokens: tuple[str, ...]
    # a flagged form of a house entry is an English transcription (NM501) when the default
    # glossary flags it too; otherwise it is a deviation from the house style (NM503)
    english: bool = True

    @property
    def stripped(self) -> str:
        return strip_accents(self.spelling)


@dataclass
class Problem:
    path: str
    line: int
    message: str
    level: str = "error"  # "error" | "warning" | "info"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


# ---------------------------------------------------------------------------- parsing
def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def parse_glossary(path: str | Path, house: bool = False) -> tuple[list[Entry], list[Problem]]:
    """Read one glossary file; return its entries and the problems of malformed lines."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{p}: glossary file not found") from None
    except OSError as exc:
        raise GlossaryError(f"{p}: cannot read glossary ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    entries: list[Entry] = []
    problems: list[Problem] = []
    src = str(p)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > len(COLUMNS):
            problems.append(
                Problem(
                    src,
                    n,
                    f"{len(cells)} columns, at most {len(COLUMNS)} ({', '.join(COLUMNS)}); are there tabs in the note?",
                )
            )
            continue
        cells += [""] * (len(COLUMNS) - len(cells))
        preferred, also, flag, kind, origin, severity, note = cells
        if not preferred:
            problems.append(Problem(src, n, "empty preferred form (first column)"))
            continue
        if "|" in preferred:
            problems.append(
                Problem(
                    src,
                    n,
                    f"preferred form {preferred!r} holds '|': put other forms in the also or flag column",
                )
            )
            continue
        kind = kind.lower()  # empty: taken from the entry it overrides, else "person"
        if kind and kind not in KINDS:
            problems.append(
                Problem(src, n, f"unknown kind {kind!r} (use one of: {', '.join(KINDS)})")
            )
            continue
        sev = None
        if severity:
            try:
                sev = Severity.parse(severity)
            except ValueError as exc:
                problems.append(Problem(src, n, str(exc)))
                continue
        forms = [preferred, *_split_list(also), *_split_list(flag)]
        bad = [f for f in forms if not split_tokens(f)]
        if bad:
            problems.append(Problem(src, n, f"form {bad[0]!r} has no letters"))
            continue
        e = Entry(
            preferred,
            _split_list(also),
            _split_list(flag),
            kind,
            origin.lower(),
            sev,
            note,
            src,
            n,
            house,
        )
        for text_, status in (
            [(preferred, "preferred")]
            + [(a, "also") for a in e.also]
            + [(f, "flag") for f in e.flag]
        ):
            toks = tuple(split_tokens(text_))
            e.forms.append(
                Form(
                    text_,
                    status,
                    e,
                    tuple(fold(t) for t in toks),
                    " ".join(spell(t) for t in toks),
                    toks,
                )
            )
        entries.append(e)
    return entries, problems


# ---------------------------------------------------------------------------- matching
@lru_cache(maxsize=1 << 16)
def _fold_word(w: str) -> str:
    return fold(w)


@lru_cache(maxsize=1 << 16)
def _spell_word(w: str) -> str:
    return spell(w)


@dataclass
class Token:
    text: str  # as written (possessive 's left out)
    start: int
    end: int
    key: str
    elision: bool = False  # an elided article (l', d', qu')

    @property
    def spelling(self) -> str:
        return _spell_word(self.text)

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def allcaps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens of a paragraph with absolute offsets; elisions split, possessives dropped."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        s, e = m.start(), m.end()
        w = m.group()
        # elision: d'Ushakov, l'Ukraine, qu'Erdogan
        for i, c in enumerate(w):
            if c in APOSTROPHES:
                if w[:i].lower() in ELISIONS and i + 1 < len(w):
                    out.append(
                        Token(w[: i + 1], offset + s, offset + s + i + 1, _fold_word(w[:i]), True)
                    )
                    w, s = w[i + 1 :], s + i + 1
                break
        # English possessive (Putin's) and a trailing apostrophe (Jones')
        if len(w) > 2 and w[-2] in APOSTROPHES and w[-1] in "sS":
            w, e = w[:-2], e - 2
        w2 = w.rstrip(APOSTROPHES)
        e -= len(w) - len(w2)
        w = w2
        if not w:
            continue
        out.append(Token(w, offset + s, offset + e, _fold_word(w)))
    return out


@dataclass
class Match:
    start: int
    end: int
    text: str  # the surface as written
    form: Form
    status: str  # "preferred" | "also" | "flag" | "accents" | "caps"
    paragraph: int
    first_token: int  # index into the paragraph's tokens
    last_token: int

    @property
    def entry(self) -> Entry:
        return self.form.entry


def _joinable(text: str, a: Token, b: Token, base: int) -> bool:
    """May a and b belong to one name? Only white space or a hyphen between them."""
    gap = text[a.end - base : b.start - base]
    if not gap or a.elision:
        return False
    if _JOIN.fullmatch(gap):
        return True
    # St. Petersburg, Mt. Paektu: the full stop of a short abbreviation
    return len(a.text) <= 3 and a.cap and bool(_ABBR_JOIN.fullmatch(gap))


class Glossary:
    """Merged glossaries and the trie to match them against text."""

    def __init__(self, files: Sequence[tuple[str, list[Entry]]] = ()):
        self.files: list[str] = []
        self.entries: list[Entry] = []
        self.overridden: list[tuple[Entry, Entry]] = []  # (dropped, by)
        self._trie: dict = {}
        self.max_len = 0
        for path, entries in files:
            self.add(path, entries)

    # -- building
    def add(self, path: str, entries: Iterable[Entry]) -> None:
        """Add one glossary's entries; they override earlier glossaries' entries sharing a form."""
        entries = list(entries)
        self.files.append(path)
        earlier: dict[tuple[str, ...], list[Entry]] = {}
        for e in self.entries:
            for f in e.forms:
                earlier.setdefault(f.key, []).append(e)
        dropped: set[int] = set()
        for e in entries:
            replaced: list[Entry] = []
            for f in e.forms:
                for old in earlier.get(f.key, ()):
                    if id(old) not in dropped:
                        dropped.add(id(old))
                        self.overridden.append((old, e))
                        replaced.append(old)
            # the new entry keeps the flags of the entries it replaces unless it accepts them
            # (a house line "Poutine" alone still flags Putin), and their severity and note
            keys = {f.key for f in e.forms}
            for old in replaced:
                for f in old.forms:
                    if f.status == "flag" and f.key not in keys:
                        e.forms.append(
                            Form(f.text, "flag", e, f.key, f.spelling, f.tokens, f.english)
                        )
                        e.flag = e.flag + (f.text,)
                        keys.add(f.key)
                if e.severity is None:
                    e.severity = old.severity
                if not e.note:
                    e.note = old.note
                if not e.kind:
                    e.kind = old.kind
            if not e.kind:
                e.kind = "person"
            if e.house:
                # a flagged house form is an English transcription when an earlier glossary flags it
                for f in e.forms:
                    if f.status == "flag":
                        f.english = any(
                            g.status == "flag" and g.key == f.key
                            for old in earlier.get(f.key, ())
                            for g in old.forms
                        )
        if dropped:
            self.entries = [e for e in self.entries if id(e) not in dropped]
        self.entries.extend(entries)
        self._build()

    def _build(self) -> None:
        trie: dict = {}
        self.max_len = 0
        # later glossaries first, then file order: the first form found wins a tie
        order = sorted(
            range(len(self.entries)),
            key=lambda i: (
                -self.files.index(self.entries[i].source)
                if self.entries[i].source in self.files
                else 0,
                i,
            ),
        )
        for i in order:
            for f in self.entries[i].forms:
                node = trie
                for k in f.key:
                    node = node.setdefault(k, {})
                node.setdefault(None, []).append(f)
                self.max_len = max(self.max_len, len(f.key))
        self._trie = trie

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def house(self) -> bool:
        return any(e.house for e in self.entries)

    def lookup(self, text: str) -> list[Form]:
        node = self._trie
        for k in form_key(text):
            node = node.get(k)
            if node is None:
                return []
        return list(node.get(None, []))

    # -- matching
    def match_paragraph(
        self, text: str, offset: int, paragraph: int = 0, tokens: list[Token] | None = None
    ) -> list[Match]:
        toks = tokens if tokens is not None else tokenize(text, offset)
        has_lower = any(c.islower() for c in text)
        out: list[Match] = []
        i, n = 0, len(toks)
        root = self._trie
        while i < n:
            node = root.get(toks[i].key)
            if node is None or toks[i].elision:
                i += 1
                continue
            cands: list[tuple[int, list[Form]]] = []
            j = i + 1
            if None in node:
                cands.append((j, node[None]))
            while j < n and j - i < self.max_len and _joinable(text, toks[j - 1], toks[j], offset):
                node = node.get(toks[j].key)
                if node is None:
                    break
                j += 1
                if None in node:
                    cands.append((j, node[None]))
            found = None
            for end, forms in reversed(cands):  # longest first
                m = self._classify(text, offset, toks, i, end, forms, paragraph, has_lower)
                if m is not None:
                    found = m
                    break
            if found is None:
                i += 1
            else:
                out.append(found)
                i = found.last_token + 1
        return out

    def _classify(self, text, offset, toks, i, j, forms, paragraph, has_lower) -> Match | None:
        span = toks[i:j]
        surface = text[span[0].start - offset : span[-1].end - offset]
        allcaps = all(t.allcaps or len(t.text) == 1 for t in span) and any(t.allcaps for t in span)
        sp = " ".join(t.spelling for t in span)
        ok: list[Form] = []
        for f in forms:
            good = True
            for ft, tt in zip(f.tokens, span, strict=False):
                if is_acronym(ft):
                    # an acronym matches only in capitals, and not in a headline set in capitals
                    if not tt.allcaps or not has_lower:
                        good = False
                        break
                elif ft[:1].isupper() and ft.lower() not in PARTICLES and not tt.cap:
                    good = False
                    break
            if good:
                ok.append(f)
        if not ok:
            return None
        # a given name counts only before another capitalised word (its surname)
        if all(f.entry.kind == "given-name" for f in ok):
            nxt = toks[j] if j < len(toks) else None
            if nxt is None or not nxt.cap or not _joinable(text, toks[j - 1], nxt, offset):
                return None
        chosen: Form | None = next((f for f in ok if f.spelling == sp), None)
        status = chosen.status if chosen else ""
        if chosen is None:
            entry = ok[0].entry
            pref = next(f for f in entry.forms if f.status == "preferred")
            accepted = [f for f in entry.forms if f.status in ("preferred", "also")]
            if allcaps:
                # capitals often drop accents: HANOI is Hanoï
                chosen, status = pref, "caps"
            elif any(
                strip_accents(sp) == f.stripped and f.spelling != sp for f in accepted
            ) and any(ord(c) > 127 for c in pref.spelling):
                chosen, status = pref, "accents"
            else:
                return None  # another spelling of these letters (Valéry is not Valeri): no match
        elif allcaps and status == "flag":
            pref = next(f for f in chosen.entry.forms if f.status == "preferred")
            if pref.key == chosen.key:
                # HANOI in a headline: the accent may just have been dropped with the case
                status = "caps"
        return Match(span[0].start, span[-1].end, surface, chosen, status, paragraph, i, j - 1)

    def match_document(self, doc) -> tuple[list[Match], list[list[Token]]]:
        """Matches over the kept paragraphs of a Document, and each paragraph's tokens."""
        matches: list[Match] = []
        all_tokens: list[list[Token]] = []
        for pi, p in enumerate(doc.paragraphs):
            toks = tokenize(p.text, p.start)
            all_tokens.append(toks)
            matches.extend(self.match_paragraph(p.text, p.start, pi, toks))
        return matches, all_tokens


# ---------------------------------------------------------------------------- loading
def default_glossary_paths() -> list[Path]:
    return sorted(GLOSSARY_DIR.glob("*.tsv"))


def glossary_paths(config=None, include_default: bool = True) -> list[tuple[str, bool]]:
    """(path, is_house) in precedence order: the default glossary, then the house ones."""
    out: list[tuple[str, bool]] = []
    if include_default:
        out += [(str(p), False) for p in default_glossary_paths()]
    for g in getattr(config, "glossaries", None) or []:
        out.append((str(g), True))
    return out


def _stat(path: str) -> tuple[int, int]:
    try:
        st = Path(path).stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load(paths: tuple[tuple[str, bool], ...], stamps: tuple) -> Glossary:
    """The merged glossary, kept in an on-disk artefact (mtaudit.core.artefacts) keyed by the
    contents of the files and this module's source: parsed again only when one changes."""
    from mtaudit.core import artefacts

    try:
        inputs = [f"{p}:{house}:{_fresh_fingerprint(Path(p))}" for p, house in paths]
    except OSError:  # a missing file: parse_glossary says which
        return _parse_all(paths)
    return artefacts.load_object(
        "names-glossary",
        artefacts.input_identity(__file__),
        inputs,
        lambda: _parse_all(paths),
    )


def _parse_all(paths: tuple[tuple[str, bool], ...]) -> Glossary:
    g = Glossary()
    for path, house in paths:
        entries, problems = parse_glossary(path, house)
        errors = [p for p in problems if p.level == "error"]
        if errors:
            more = (
                f" (and {len(errors) - 1} more; run `mtaudit glossary lint {path}`)"
                if len(errors) > 1
                else ""
            )
            raise GlossaryError(f"{errors[0]}{more}")
        g.add(path, entries)
    return g


def load_glossary(paths: Sequence[tuple[str, bool]] | None = None, config=None) -> Glossary:
    """The merged glossary for these (path, is_house) pairs, or for a configuration.

    Cached per process (and per file modification time). Raises :class:`GlossaryError` for a
    missing or malformed file, naming file and line.
    """
    ps = tuple(paths) if paths is not None else tuple(glossary_paths(config))
    return _load(ps, tuple(_stat(p) for p, _ in ps))


def glossary_signature(config=None) -> str:
    """``default@1a2b3c4d+house@5e6f7a8b``: which glossaries, and their versions."""
    parts = []
    defaults = default_glossary_paths()
    if defaults:
        if len(defaults) == 1:
            parts.append(f"{defaults[0].stem}@{fingerprint(defaults[0])}")
        else:
            h = hashlib.sha256("".join(fingerprint(p) for p in defaults).encode()).hexdigest()[:8]
            parts.append(f"default@{h}")
    for g in getattr(config, "glossaries", None) or []:
        p = Path(g)
        if not p.is_file():
            raise GlossaryError(f"{p}: glossary file not found")
        parts.append(f"{p.stem}@{_fresh_fingerprint(p)}")
    return "+".join(parts) or "none"


def _fresh_fingerprint(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:8]


# ---------------------------------------------------------------------------- lint
def lint_glossaries(paths: Sequence[tuple[str, bool]]) -> list[Problem]:
    """Malformed lines, duplicates and conflicts, each with file:line."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], list[tuple[Form, str]]] = {}  # key -> forms of earlier entries
    for path, house in paths:
        try:
            entries, probs = parse_glossary(path, house)
        except GlossaryError as exc:
            problems.append(Problem(path, 0, str(exc).split(": ", 1)[-1]))
            continue
        problems.extend(probs)
        here: dict[tuple[str, ...], list[Form]] = {}
        for e in entries:
            # within the entry: a form both accepted and flagged
            by_spelling: dict[str, Form] = {}
            for f in e.forms:
                prev = by_spelling.get(f.spelling)
                if prev is not None and (prev.status == "flag") != (f.status == "flag"):
                    problems.append(
                        Problem(
                            path,
                            e.line,
                            f"{f.text!r} is both accepted and flagged in the entry {e.preferred!r}",
                        )
                    )
                by_spelling.setdefault(f.spelling, f)
            reported: set[int] = set()
            for f in e.forms:
                for other in here.get(f.key, ()):
                    o = other.entry
                    if o is e or id(o) in reported:
                        continue
                    same_spelling = [g for g in o.forms if g.spelling == f.spelling]
                    if not same_spelling:
                        continue  # Hanoï vs Hanoi: told apart by the accents
                    g = same_spelling[0]
                    reported.add(id(o))
                    if f.status == "preferred" and g.status == "preferred":
                        problems.append(
                            Problem(
                                path,
                                e.line,
                                f"duplicate entry {e.preferred!r} (also at line {o.line})",
                            )
                        )
                    elif f.status == "flag" and g.status != "flag":
                        problems.append(
                            Problem(
                                path,
                                e.line,
                                f"flagged form {f.text!r} is the {g.status} form of {o.preferred!r} (line {o.line})",
                            )
                        )
                    elif g.status == "flag" and f.status != "flag":
                        problems.append(
                            Problem(
                                path,
                                e.line,
                                f"{f.status} form {f.text!r} is flagged by {o.preferred!r} (line {o.line})",
                            )
                        )
                    else:
                        problems.append(
                            Problem(
                                path,
                                e.line,
                                f"form {f.text!r} also belongs to {o.preferred!r} (line {o.line}): which entry is meant?",
                            )
                        )
            for f in e.forms:
                here.setdefault(f.key, []).append(f)
        # across files: a later (house) glossary overrides earlier entries: say so
        for e in entries:
            told: set[int] = set()
            for f in e.forms:
                for g, gpath in seen.get(f.key, ()):
                    if id(g.entry) in told:
                        continue
                    told.add(id(g.entry))
                    problems.append(
                        Problem(
                            path,
                            e.line,
                            f"overrides {g.entry.preferred!r} of {gpath}:{g.entry.line}",
                            "info",
                        )
                    )
        for key, forms in here.items():
            seen.setdefault(key, []).extend((f, path) for f in forms)
    return problems


# ---------------------------------------------------------------------------- Slavic names
_SLAVIC_SUFFIX = re.compile(
    r"(?:ov|ova|ev|eva|sky|skiy|skyi|skaya|enko|chuk|yuk|vich|ovna|evna|(?:sh|zh)in)$"
)
_FRENCH_STYLE = re.compile(r"ou|tch|ï|j")
_STRONG = re.compile(r"sh|zh|(?<![aeoq])u|^y[aeiou]|y[aeiou]")
_WEAK = re.compile(r"(?<![ts])ch")


def slavic_english(word: str) -> str | None:
    """'strong' or 'weak' when *word* looks like an English transcription of a Slavic name.

    Needs a Slavic surname ending (-ov, -eva, -enko, -chuk, -vich...), no French-style spelling
    (ou, tch, ï, j) and an English pattern: sh, zh, u (French ou), y before a vowel (French i)
    are strong; ch (French tch) alone is weak, as French also writes ch (for sh).
    """
    if len(word) < 5 or not word.isascii() or not word.isalpha():
        return None
    if not (word[0].isupper() and word[1:].islower()):
        return None
    w = word.lower()
    if not _SLAVIC_SUFFIX.search(w) or _FRENCH_STYLE.search(w):
        return None
    if _STRONG.search(w):
        return "strong"
    if _WEAK.search(w):
        return "weak"
    return None


def french_transcription(word: str) -> str:
    """The French transcription of an English-transcribed Slavic name (Ushakov -> Ouchakov)."""
    s = word.lower()
    # placeholders keep the French ch of sh / shch from being read again as an English ch
    s = s.replace("shch", "\x01")
    s = s.replace("zh", "j")
    s = re.sub(r"(?<![st])ch", "tch", s)
    s = s.replace("sh", "\x02")
    s = re.sub(r"skiy$", "ski", s)
    s = re.sub(r"skyi$", "sky", s)
    s = re.sub(r"iy(?=[aeiou])", "i", s)
    s = re.sub(r"^y(?=[aeiou])", "i", s)
    s = re.sub(r"(?<=[aeiou])y(?=[aeiou])", "ï", s)
    s = re.sub(r"(?<=[^aeiouï])y(?=[aeiou])", "i", s)
    s = re.sub(r"(?<=[aeo])[yi]$", "ï", s)
    s = re.sub(r"(?<![oaeq])u", "ou", s)
    s = re.sub(r"g(?=[eiyï])", "gu", s)
    s = re.sub(r"(?<=[aeiouyï])s(?=[aeiouy])", "ss", s)
    s = re.sub(r"(?<=[^aeiou])in$", "ine", s)
    s = s.replace("\x01", "chtch").replace("\x02", "ch")
    return s[:1].upper() + s[1:]

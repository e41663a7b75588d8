"""The house vocabulary: words a newsroom accepts (never flagged) or rejects (always flagged).

Honoured by the English and anglicism rules (EN101, EN102 through EN101's analysis, AN201).
It comes from the configuration, as Vale's vocabularies do::

    [tool.mtaudit]
    accept = ["desk", "fact-checking"]
    reject = ["meeting"]
    vocabularies = ["vocab/Newsroom"]     # directories holding accept.txt and/or reject.txt

    [tool.mtaudit.options.EN101]
    accept = ["start-up"]                 # for this rule only

Files: one word or phrase a line, ``#`` starts a comment; in reject.txt a TAB may follow with
the replacement to suggest (``meeting<TAB>réunion``). Entries match whole words, ignoring case;
a trailing ``*`` matches any ending (``fact-check*``); spaces match any blank. An entry that is
both accepted and rejected is an error naming both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mtaudit.core.config import Config, ConfigError
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, straighten, word_key


@dataclass
class Vocabulary:
    accept: dict[str, str] = field(default_factory=dict)  # entry -> where it was declared
    reject: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # entry -> (fix, where)

    def __post_init__(self):
        self._accept_re = _compile(self.accept)
        self._reject_re = _compile(self.reject)
        fixes = [(e, f) for e, (f, _) in self.reject.items() if f]
        self._fixes = {_norm(e): f for e, f in fixes if not e.endswith("*")}
        self._wild_fixes = [(_entry_re(e), f) for e, f in fixes if e.endswith("*")]

    def __bool__(self) -> bool:
        return bool(self.accept or self.reject)

    def accepted_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._accept_re.finditer(text)] if self._accept_re else []

    def rejected(self, text: str) -> list[tuple[int, int, str | None]]:
        """(start, end, suggested replacement or None) of each rejected word in ``text``."""
        if not self._reject_re:
            return []
        out = []
        for m in self._reject_re.finditer(text):
            word = m.group(0)
            sugg = self._fixes.get(_norm(word))
            if sugg is None:  # a wildcard entry ("fact-check*")
                sugg = next((f for e, f in self._wild_fixes if e.fullmatch(word)), None)
            out.append((m.start(), m.end(), _same_case(word, sugg) if sugg else None))
        return out

    def is_accepted(self, phrase: str) -> bool:
        return bool(self._accept_re and self._accept_re.fullmatch(phrase.strip()))


def _norm(phrase: str) -> str:
    return " ".join(word_key(phrase).split())


def _entry_re(entry: str) -> re.Pattern:
    return re.compile(_entry_pattern(entry), re.IGNORECASE)


def _entry_pattern(entry: str) -> str:
    e = straighten(entry.strip(), DOCUMENT_APOSTROPHES)
    star = e.endswith("*")
    e = e.rstrip("*")
    parts = [re.escape(w).replace("'", "['’]") for w in e.split()]
    return r"\s+".join(parts) + (r"\w*" if star else "")


def _compile(entries) -> re.Pattern | None:
    if not entries:
        return None
    alts = sorted((_entry_pattern(e) for e in entries), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


def _same_case(original: str, fix: str) -> str:
    if original.isupper() and len(original) > 1:
        return fix.upper()
    if original[:1].isupper():
        return fix[:1].upper() + fix[1:]
    return fix


def read_vocabulary_file(path: Path, rejecting: bool) -> dict:
    out: dict = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        cols = line.split("\t")
        where = f"{path}:{lineno}"
        entry = cols[0].strip()
        if not entry or entry == "*" or len(cols) > (2 if rejecting else 1):
            what = "a word or phrase, then optionally a TAB and its replacement" if rejecting else "one word or phrase"
            raise ConfigError(f"{where}: expected {what}, got {raw!r}")
        if rejecting:
            out[entry] = ((cols[1].strip() or None) if len(cols) > 1 else None, where)
        else:
            out[entry] = where
    return out


def vocabulary_for(config: Config, code: str | None = None) -> Vocabulary:
    """The house vocabulary of the configuration, plus the rule's own accept/reject options."""
    where = config.origins.get("accept", config.source or "config")
    accept: dict[str, str] = {w: where for w in config.accept}
    where = config.origins.get("reject", config.source or "config")
    reject: dict[str, tuple[str | None, str]] = {w: (None, where) for w in config.reject}
    for d in config.vocabularies:
        for name, rejecting in (("accept.txt", False), ("reject.txt", True)):
            p = Path(d) / name
            if p.is_file():
                (reject if rejecting else accept).update(read_vocabulary_file(p, rejecting))
    codes = [code] if code else []
    for c in codes:
        opts = config.options.get(c, {})
        accept.update({w: f"options.{c}.accept" for w in opts.get("accept", ())})
        reject.update({w: (None, f"options.{c}.reject") for w in opts.get("reject", ())})
    low_accept = {a.lower(): a for a in accept}
    for r in reject:
        if r.lower() in low_accept:
            a = low_accept[r.lower()]
            raise ConfigError(f"{r!r} is both accepted ({accept[a]}) and rejected ({reject[r][1]})")
    return Vocabulary(accept, reject)


def vocabulary(ctx, code: str) -> Vocabulary:
    """The vocabulary of rule ``code``, built once per run (keyed by the configuration values
    it is built from, so contexts of other configurations sharing the cache get their own)."""
    cfg = ctx.config
    opts = cfg.options.get(code, {})
    key = repr(
        (
            code,
            cfg.accept,
            cfg.reject,
            cfg.vocabularies,
            cfg.origins.get("accept"),
            cfg.origins.get("reject"),
            cfg.source,
            opts.get("accept"),
            opts.get("reject"),
        )
    )
    return ctx.resource(f"vocabulary:{key}", lambda: vocabulary_for(cfg, code))


def vocabulary_signature(config: Config) -> dict[str, str]:
    """A signature part naming the house vocabulary in force (empty when there is none)."""
    import hashlib

    parts = []
    for code in ("EN101", "AN201"):
        v = vocabulary_for(config, code)
        parts.append(f"{code}:{sorted(v.accept)}:{sorted((k, f) for k, (f, _) in v.reject.items())}")
    if not (config.accept or config.reject or config.vocabularies or any(
        config.options.get(c, {}).get(k) for c in ("EN101", "AN201") for k in ("accept", "reject")
    )):
        return {}
    return {"vocab": hashlib.sha256("|".join(parts).encode()).hexdigest()[:8]}


def check_vocabulary(config: Config) -> None:
    """Read every vocabulary now, so a bad file is a configuration error before the run."""
    for code in ("EN101", "AN201"):
        vocabulary_for(config, code)

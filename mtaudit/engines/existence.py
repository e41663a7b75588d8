"""The existence engine: report the text that matches any of a rule's patterns (Vale's
"existence" kind).

A pattern is a phrase looked up whole (through a key function that folds case, accents and
punctuation) or a Python regular expression. ``{NAME}`` in a regular expression stands for any
line of a word list (``{OUTLET}``: the outlets of credits_outlets.txt), longest first. Every
pattern goes through :func:`compile_pattern`, the one place that checks it (an error names the
file and line), expands its lists and works out its *needle*: the literal text every match
contains, so that a document without it skips the pattern without running it.

Users: page furniture (mtaudit/text/furniture.py: whole lines, by phrase or regex) and the
engine-backed rules of mtaudit/data/rules/ (checks/rule_files.py: CR401–CR403, searched in each
paragraph). :func:`finding_text` is the engine's one message handling: the pattern's message
and suggestion, with ``{group}`` filled from the match and a "…" template moved into the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mtaudit.core.findings import Severity
from mtaudit.core.resources import ResourceFormatError, data_path, read_lines
from mtaudit.engines.definition import RuleDefinition

_TOKEN = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_STAND_IN = "(?:X|Y)"  # a list's stand-in while checking a pattern: the same syntax, less work


class ExistenceError(ResourceFormatError):
    """A malformed pattern: the message starts with ``<file>:<line>:``."""


@dataclass(frozen=True)
class Pattern:
    """One pattern of an existence rule, where it was written, and what it reports."""

    source: str  # the regular expression with its lists spelled out ("" for a phrase)
    where: str  # file:line
    flags: int = 0
    needle: str | None = None  # lower-case text every match contains: a cheap pre-filter
    info: Mapping[str, Any] = field(default_factory=dict)  # message, severity, kind, note…

    @cached_property
    def regex(self) -> re.Pattern:
        """Compiled on first use: most documents never get past the needle, and compiling
        the credit patterns with the outlet list was a third of a short run's start-up."""
        return re.compile(self.source, self.flags)

    def get(self, key: str, default: Any = None) -> Any:
        return self.info.get(key, default)


def required_literal(regex: re.Pattern | str, flags: int = 0) -> str | None:
    """The longest run of literal characters that every match of ``regex`` contains (at
    least 4 characters, lower case), or None. Lets a document without "contribué" skip the
    patterns that need it without running them."""
    try:
        from re import _parser  # the standard library's own regex parser

        if isinstance(regex, re.Pattern):
            regex, flags = regex.pattern, regex.flags
        items = list(_parser.parse(regex, flags))
    except Exception:  # pragma: no cover - a Python without re._parser
        return None
    best, cur = "", ""
    for op, av in items:
        if op is _parser.LITERAL:
            cur += chr(av)
            if len(cur) > len(best):
                best = cur
        else:
            cur = ""
    return best.lower() if len(best) >= 4 else None


def word_list(name: str) -> str:
    """A word list (one item a line, under mtaudit/data/ or a path) as a regex alternation,
    longest first so that "CNN Business" wins over "CNN"."""
    items = [row[0] for row in read_lines(name)]
    return "|".join(re.escape(o) for o in sorted(items, key=len, reverse=True))


def compile_pattern(
    text: str,
    where: str,
    *,
    flags: int = 0,
    lists: Mapping[str, str] | None = None,
    info: Mapping[str, Any] | None = None,
) -> Pattern:
    """Check a regular expression and spell out its ``{NAME}`` lists (``lists`` maps NAME to a
    word-list file); a bad one raises :class:`ExistenceError` naming ``where``."""
    lists = lists or {}
    for name in _TOKEN.findall(text):
        if name not in lists:
            known = ", ".join(sorted(lists)) or "none"
            raise ExistenceError(f"{where}: unknown list {{{name}}} (declared: {known})")
    stand_in = _TOKEN.sub(lambda m: _STAND_IN if m.group(1) in lists else m.group(0), text)
    try:
        re.compile(stand_in, flags)
    except re.error as exc:
        raise ExistenceError(f"{where}: bad pattern: {exc}") from None
    source = text
    if lists and _TOKEN.search(text):
        spelled = {name: f"(?:{word_list(path)})" for name, path in lists.items()}
        source = _TOKEN.sub(lambda m: spelled[m.group(1)], text)
    # the needle, parsed without the long lists: same literals, less work
    return Pattern(source, where, flags, required_literal(stand_in, flags), dict(info or {}))


def phrase_pattern(where: str, info: Mapping[str, Any] | None = None) -> Pattern:
    """A pattern matched by looking its phrase up whole (see :class:`Existence`)."""
    return Pattern("", where, 0, None, dict(info or {}))


@dataclass
class Existence:
    """The patterns of one rule (or of the page furniture): phrases looked up whole by their
    folded key, regular expressions searched or matched in order."""

    regexes: tuple[Pattern, ...] = ()
    phrases: dict[str, Pattern] = field(default_factory=dict)
    key: Callable[[str], str] = str

    def add_phrase(self, phrase: str, pattern: Pattern) -> None:
        """A later phrase with the same key replaces an earlier one (as in a dict)."""
        self.phrases[self.key(phrase)] = pattern

    # ------------------------------------------------------------------ whole lines
    def phrase(self, text: str) -> Pattern | None:
        """The phrase pattern whose key is the key of ``text``, or None."""
        return self.phrases.get(self.key(text))

    def fullmatch(self, *variants: str) -> Pattern | None:
        """The first regex (in order) that matches the whole of one of ``variants``."""
        for p in self.regexes:
            for v in variants:
                if p.regex.fullmatch(v):
                    return p
        return None

    # ------------------------------------------------------------------ running text
    def candidates(self, lower: str) -> list[Pattern]:
        """The regexes whose needle is in ``lower`` (the whole document, lower-cased)."""
        return [p for p in self.regexes if p.needle is None or p.needle in lower]

    def search(
        self, spans: Iterable[tuple[int, str]], lower: str
    ) -> Iterator[tuple[Pattern, int, int, re.Match]]:
        """Every match in the (offset, text) ``spans`` of a document: (pattern, start, end,
        match), a span reported once (by the first pattern that finds it), empty matches
        left out. ``lower`` is the whole document lower-cased (for the needles)."""
        mine = self.candidates(lower)
        seen: set[tuple[int, int]] = set()
        for offset, text in spans:
            for p in mine:
                for m in p.regex.finditer(text):
                    span = (offset + m.start(), offset + m.end())
                    if span in seen or m.end() == m.start():
                        continue
                    seen.add(span)
                    yield p, span[0], span[1], m


def finding_text(
    pattern: Pattern,
    match: re.Match,
    translate: Callable[[str], str] = str,
    template: str = "{message}. French: {wording}",
) -> tuple[str, str | None]:
    """(message, suggestion) of a match: ``{group}`` in the suggestion is the text the named
    group matched ("" when it matched nothing, or there is no such group); a suggestion holding "…" is a template for the editor to fill in, not a
    replacement of the span, so it goes into the message (``template``, translated by the caller).
    ``translate`` translates the pattern's message (the message catalog)."""
    sug = pattern.get("suggestion") or ""
    if sug:
        groups = match.groupdict()
        sug = re.sub(r"\{(\w+)\}", lambda m: groups.get(m.group(1)) or "", sug)
    message = translate(pattern.get("message", ""))
    if sug and "…" in sug:
        message = template.format(message=message.rstrip("."), wording=sug)
        sug = ""
    return message, sug or None


# ---------------------------------------------------------------------------------- rule files
PATTERN_KEYS = ("regex", "message", "severity", "suggestion")


def load_rule(defn: RuleDefinition) -> Existence:
    """The patterns of an existence rule file (its ``[[pattern]]`` tables, which may use the
    word lists of its ``[lists]`` table), in file order; errors name the file and line.
    A list file is looked up next to the rule file first, then under mtaudit/data/."""
    lists_table = defn.settings.get("lists", {})
    if not isinstance(lists_table, dict):
        raise ExistenceError(f"{defn.where(defn.lines.get('lists'))}: [lists] must be a table")
    lists = {}
    for name, file in lists_table.items():
        if not _TOKEN.fullmatch("{" + name + "}") or not isinstance(file, str):
            raise ExistenceError(
                f"{defn.where(defn.lines.get('lists'))}: a list is NAME = \"file.txt\" "
                f"(NAME in capitals), not {name} = {file!r}"
            )
        beside = defn.path.parent / file
        lists[name] = str(beside) if beside.is_file() else file
    entries = defn.settings.get("pattern", [])
    if not isinstance(entries, list) or not entries:
        raise ExistenceError(f"{defn.where()}: an existence rule needs [[pattern]] tables")
    patterns = []
    for k, entry in enumerate(entries):
        line = defn.pattern_lines[k] if k < len(defn.pattern_lines) else None
        where = defn.where(line)
        unknown = sorted(set(entry) - set(PATTERN_KEYS))
        if unknown:
            raise ExistenceError(
                f"{where}: unknown key {unknown[0]!r} (a pattern has: {', '.join(PATTERN_KEYS)})"
            )
        if not isinstance(entry.get("regex"), str) or not isinstance(entry.get("message"), str):
            raise ExistenceError(f"{where}: a pattern needs a regex and a message (strings)")
        try:
            severity = Severity.parse(entry.get("severity") or defn.severity)
        except ValueError as exc:
            raise ExistenceError(f"{where}: {exc}") from None
        info = {
            "message": entry["message"],
            "severity": severity,
            "suggestion": entry.get("suggestion", ""),
        }
        patterns.append(compile_pattern(entry["regex"], where, flags=re.M, lists=lists, info=info))
    return Existence(regexes=tuple(patterns))


def list_files(defn: RuleDefinition) -> tuple[Path, ...]:
    """The word-list files a rule file names (for the signature's data fingerprints)."""
    out = []
    for file in defn.settings.get("lists", {}).values():
        beside = defn.path.parent / file
        out.append(beside if beside.is_file() else data_path(file))
    return tuple(out)

"""What a rule definition is: the one file that makes an engine-backed rule.

A rule file (``mtaudit/data/rules/CR401.toml``, format in docs/engines.md) names the rule
(code, name, category, default severity), documents it (summary, description, a bad and a good
example: the registry's docs and tests read them like a check's docstring), says which engine
runs it (``kind``) and gives that engine its settings (for ``existence``: the ``[[pattern]]``
tables and the ``[lists]`` they use). checks/rule_files.py turns each definition into a check
of the one registry (mtaudit.checks.REGISTRY); nothing else has to be edited.

Errors name the file and line: TOML syntax errors as tomllib reports them, the others at the
line of the key (or of the ``[[pattern]]`` table) at fault.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtaudit.core.findings import Severity
from mtaudit.core.resources import ResourceFormatError

# the engines a rule file can name, and the tables of settings each one reads
ENGINE_KINDS: dict[str, tuple[str, ...]] = {"existence": ("pattern", "lists")}
REQUIRED = ("code", "name", "kind", "category", "severity", "summary", "bad", "good")
OPTIONAL = ("description",)
_CODE = re.compile(r"^[A-Z]{2}[0-9]{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_KEY_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\[?\s*([\w.-]+)\s*\]\]?")


class RuleFileError(ResourceFormatError):
    """A malformed rule file: the message starts with ``<file>:<line>:``."""


@dataclass(frozen=True)
class RuleDefinition:
    code: str
    name: str
    kind: str  # the engine that runs it (ENGINE_KINDS)
    category: str
    severity: Severity  # the default; a pattern may set its own
    summary: str
    description: str
    bad: str
    good: str
    path: Path
    settings: dict[str, Any] = field(default_factory=dict)  # the engine's tables
    lines: dict[str, int] = field(default_factory=dict)  # top-level key/table -> line
    pattern_lines: tuple[int, ...] = ()  # line of each [[pattern]] table

    def where(self, line: int | None = None) -> str:
        return f"{self.path.name}:{line or 1}"

    def doc(self) -> str:
        """The rule's documentation, shaped like a check's docstring (summary, description,
        Bad:/Good: lines) so that ``mtaudit rules`` and the registry-wide tests read it."""
        parts = [self.summary.strip()]
        if self.description.strip():
            parts.append(self.description.strip())
        parts.append(f"Bad: {self.bad.strip()}\nGood: {self.good.strip()}")
        return "\n\n".join(parts)


def _lines(text: str) -> tuple[dict[str, int], list[int]]:
    """Line of each top-level key and table, and of each [[pattern]] table."""
    keys: dict[str, int] = {}
    patterns: list[int] = []
    table = ""
    in_string = ""  # the delimiter of the multi-line string the line is in
    for n, raw in enumerate(text.split("\n"), 1):
        if in_string:
            if raw.count(in_string) % 2:
                in_string = ""
            continue
        for quote in ('"""', "'''"):
            if raw.count(quote) % 2:
                in_string = quote
        m = _TABLE_LINE.match(raw)
        if m and raw.lstrip().startswith("["):
            table = m.group(1)
            keys.setdefault(table, n)
            if raw.lstrip().startswith("[[") and table == "pattern":
                patterns.append(n)
            continue
        m = _KEY_LINE.match(raw)
        if m and not table:
            keys.setdefault(m.group(1), n)
    return keys, patterns


def load_definition(path: str | Path) -> RuleDefinition:
    """Read one rule file; a malformed one raises :class:`RuleFileError` naming file:line."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = m.group(1) if m else "1"
        raise RuleFileError(f"{path.name}:{line}: {str(exc).split(' (at ')[0]}") from None
    keys, pattern_lines = _lines(text)

    def error(message: str, key: str | None = None) -> RuleFileError:
        return RuleFileError(f"{path.name}:{keys.get(key, 1) if key else 1}: {message}")

    for key in REQUIRED:
        if key not in data:
            raise error(f"missing key {key!r} (a rule file has: {', '.join(REQUIRED)})")
    kind = data["kind"]
    if kind not in ENGINE_KINDS:
        raise error(f"unknown kind {kind!r} (use one of: {', '.join(ENGINE_KINDS)})", "kind")
    allowed = {*REQUIRED, *OPTIONAL, *ENGINE_KINDS[kind]}
    for key in data:
        if key not in allowed:
            raise error(f"unknown key {key!r} for a rule of kind {kind!r}", key)
    for key in (*REQUIRED, *OPTIONAL):
        if key in data and not isinstance(data[key], str):
            raise error(f"{key} must be a string", key)
    code = data["code"]
    if not _CODE.match(code):
        raise error(f"bad code {code!r} (two capital letters and three digits)", "code")
    if path.stem != code:
        raise error(f"the file of rule {code} must be named {code}{path.suffix}", "code")
    if not _NAME.match(data["name"]):
        raise error(f"bad name {data['name']!r} (lower-case words joined by '-')", "name")
    try:
        severity = Severity.parse(data["severity"])
    except ValueError as exc:
        raise error(str(exc), "severity") from None
    return RuleDefinition(
        code=code,
        name=data["name"],
        kind=kind,
        category=data["category"],
        severity=severity,
        summary=data["summary"],
        description=data.get("description", ""),
        bad=data["bad"],
        good=data["good"],
        path=path,
        settings={k: data[k] for k in ENGINE_KINDS[kind] if k in data},
        lines=keys,
        pattern_lines=tuple(pattern_lines),
    )

"""Engine-backed rules, one file each: every ``*.toml`` of mtaudit/data/rules/ (CR401–CR403,
the credit lines of English-language outlets) and of the folders named by the environment
variable ``MTAUDIT_RULES`` (separated by ``os.pathsep``) becomes a check of the registry.

Adding such a rule is adding its file: nothing to register or edit elsewhere (the format and
a walk-through are in docs/engines.md). The file's header (code, name, documentation) is read
when the checks are loaded, so a broken header stops the run with file:line; its patterns are
compiled on first use, so a broken pattern disables that rule for the run, like a broken
lexicon does for its check.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from mtaudit.checks import REGISTRY, Check, register
from mtaudit.core.findings import Finding
from mtaudit.core.i18n import _
from mtaudit.core.resources import DATA_DIR
from mtaudit.engines import existence
from mtaudit.engines.definition import RuleDefinition, load_definition

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

RULES_DIR = DATA_DIR / "rules"
ENV = "MTAUDIT_RULES"


class ExistenceRule(Check):
    """A rule of the existence engine, defined by a rule file (see :func:`rule_check`)."""

    definition: ClassVar[RuleDefinition]

    def patterns(self, ctx: Context) -> existence.Existence:
        defn = self.definition
        return ctx.resource(f"rule:{defn.path}", lambda: existence.load_rule(defn))

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        template = _("{message}. French: {wording}")
        spans = ((para.start, para.text) for para in doc.paragraphs)
        out = []
        for p, start, end, m in self.patterns(ctx).search(spans, doc.text.lower()):
            message, sug = existence.finding_text(p, m, _, template)
            out.append(self.finding(start, end, message, sug, severity=p.get("severity")))
        return out


ENGINES: dict[str, type[Check]] = {"existence": ExistenceRule}


def _data_name(path: Path) -> str:
    """How the signature names a data file: relative to mtaudit/data/ when it is there."""
    try:
        return path.resolve().relative_to(DATA_DIR).as_posix()
    except ValueError:
        return str(path)


def rule_check(defn: RuleDefinition) -> type[Check]:
    """The check class of a rule definition (its docstring is the rule's documentation)."""
    base = ENGINES[defn.kind]
    lists = existence.list_files(defn) if defn.kind == "existence" else ()
    return type(
        defn.name.title().replace("-", ""),
        (base,),
        {
            "__doc__": defn.doc(),
            "__module__": __name__,
            "code": defn.code,
            "name": defn.name,
            "category": defn.category,
            "severity": defn.severity,
            "data_files": (_data_name(defn.path), *(_data_name(p) for p in lists)),
            "definition": defn,
        },
    )


def rule_folders() -> list[Path]:
    """The shipped rules, then the folders of MTAUDIT_RULES (empty entries ignored)."""
    extra = [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]
    return [RULES_DIR, *extra]


def register_folder(folder: Path) -> list[type[Check]]:
    """Register every rule file of ``folder`` (in name order); a code already taken by
    another rule is an error naming the file."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{ENV}: {folder} is not a folder of rule files")
    out = []
    for path in sorted(folder.glob("*.toml")):
        defn = load_definition(path)
        taken = REGISTRY.get(defn.code)
        if taken is not None and getattr(taken, "definition", None) != defn:
            raise ValueError(f"{path.name}:1: rule code {defn.code} is already taken")
        if taken is None:
            out.append(register(rule_check(defn)))
    return out


for _folder in rule_folders():
    register_folder(_folder)

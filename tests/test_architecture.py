"""The layering of docs/architecture.md, checked on the code: which package may import which.

Every ``import mtaudit...`` in every module (at the top or inside a function) is read with
``ast``; an import of a room the table does not allow fails the test with the module, the line
and the rule it breaks. A deliberate exception is listed in ``EXCEPTIONS`` with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mtaudit

PACKAGE = Path(mtaudit.__file__).resolve().parent

LOW = {"core", "text", "lang", "io"}
# room -> rooms it may import (besides itself and the top-level package ``mtaudit``)
ALLOWED: dict[str, set[str]] = {
    "core": {"text"},
    "text": {"core", "engines"},
    "lang": {"core", "text"},
    "io": {"core", "text"},
    "engines": {"core", "text", "lang"},
    "lm": {"core", "text", "lang"},
    "analyses": {"core", "text", "lang", "engines", "lm"},
    "checks": {"core", "text", "lang", "engines", "lm", "analyses"},
    "scorers": {"core", "text", "lang", "io", "engines", "lm", "analyses", "checks"},
    "auditor": {"core", "text", "lang", "io", "checks", "scorers", "analyses"},
    "report": {"core", "io", "checks"},
}
FRONT_ENDS = {"cli", "serve", "distributed", "__main__"}

# (importing module, imported module) -> why it is allowed
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("mtaudit.core.config", "mtaudit.checks"): "unknown rule codes in a configuration are errors: the registry says which exist",
    ("mtaudit.core.options", "mtaudit.checks"): "rule options are declared by the checks; the config validates them",
    ("mtaudit.core.options", "mtaudit.scorers"): "scorer options are validated like rule options",
    ("mtaudit.core.suppress", "mtaudit.checks"): "a suppression naming an unknown rule code is an error",
    ("mtaudit.core.artefacts", "mtaudit.lm.paths"): "artefacts live in the user cache whose path lm/paths.py defines",
    ("mtaudit.core.document", "mtaudit.analyses.framework"): "Document.analysis() is the entry point of declared analyses",
}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "mtaudit":  # from mtaudit import checks
                    names = [f"mtaudit.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name == "mtaudit" or name.startswith("mtaudit."):
                    out.append((module, node.lineno, name))
    return out


def breaches() -> list[str]:
    found = []
    for module, line, target in imports():
        src, dst = room(module), room(target)
        if not src or not dst or dst == src or src in FRONT_ENDS or dst == "__version__":
            continue
        if dst in ALLOWED.get(src, set()):
            continue
        if any(module == m and (target == t or target.startswith(t + ".")) for m, t in EXCEPTIONS):
            continue
        found.append(f"{module}:{line} imports {target} ({src}/ may not import {dst}/)")
    return found


def test_no_room_imports_a_room_it_may_not():
    assert breaches() == []


def test_checks_never_import_another_check():
    """A check reads analyses, engines and resources; it never reaches into another check."""
    bad = []
    for module, line, target in imports():
        if room(module) != "checks" or room(target) != "checks":
            continue
        src = module.split(".")[2] if module.count(".") >= 2 else ""
        dst = target.split(".")[2] if target.count(".") >= 2 else ""
        if src and dst and src != dst:
            bad.append(f"{module}:{line} imports {target}")
    assert bad == []


def test_every_room_of_the_table_exists_and_every_package_is_in_the_table():
    """The table is the documentation: a new package must be placed in it."""
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} | {"auditor"}
    known = set(ALLOWED) | FRONT_ENDS
    assert packages - known == set(), "place the new package in ALLOWED (and in docs/architecture.md)"
    assert {r for r in ALLOWED if r != "auditor"} <= packages


def test_the_checker_sees_a_breach(tmp_path, monkeypatch):
    """The test above would fail on a real breach: a report importing the language model."""
    fake = tmp_path / "mtaudit"
    (fake / "report").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "report" / "__init__.py").write_text("")
    (fake / "report" / "bad.py").write_text("import json\n\nfrom mtaudit.lm import loading\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert breaches() == ["mtaudit.report.bad:3 imports mtaudit.lm (report/ may not import lm/)"]

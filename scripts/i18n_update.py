#!/usr/bin/env python3
"""Update the French message catalog (mtaudit/locale/fr/LC_MESSAGES/mtaudit.po).

Collects every message of the code (the string literals passed to ``_(…)``), the messages of
the rule files data/rules/*.toml and the explanations of data/anglicisms.tsv, keeps the translations the
catalog already has, and adds the new messages with an empty ``msgstr`` for a translator to
fill (``xgettext`` + ``msgmerge`` in one step, without needing gettext installed).

    python scripts/i18n_update.py           # rewrite the catalog
    python scripts/i18n_update.py --check   # exit 1 if a message of the code lacks its French
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtaudit.core.i18n import parse_po, po_path  # noqa: E402
from mtaudit.core.resources import read_rows  # noqa: E402


def code_messages() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in sorted((ROOT / "mtaudit").rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                out.setdefault(node.args[0].value, f"{p.relative_to(ROOT)}:{node.lineno}")
    return out


def data_messages() -> dict[str, str]:
    """The messages of the shipped rule files (mtaudit/data/rules/*.toml), with their line."""
    from mtaudit.checks.rule_files import RULES_DIR
    from mtaudit.engines.definition import load_definition

    out: dict[str, str] = {}
    for path in sorted(RULES_DIR.glob("*.toml")):
        defn = load_definition(path)
        for k, entry in enumerate(defn.settings.get("pattern", [])):
            line = defn.pattern_lines[k] if k < len(defn.pattern_lines) else 1
            out.setdefault(entry["message"], f"mtaudit/data/rules/{path.name}:{line}")
    return out


def lexicon_messages() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_rows("anglicisms.tsv"):
        cols = row.cols
        if cols[0].startswith("@") or len(cols) < 7:
            continue
        out.setdefault(cols[6], f"mtaudit/data/{row.where.rsplit('/', 1)[-1]}")
    return out


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(path: Path, entries: list[tuple[str, str, str]]) -> None:
    lines = [
        "# French messages of mtaudit. Edit the msgstr lines (a PO editor will do); keep the",
        "# {fields} of each msgid. Regenerate the list with scripts/i18n_update.py.",
        'msgid ""',
        'msgstr ""',
        quote("Content-Type: text/plain; charset=UTF-8\n"),
        quote("Language: fr\n"),
        "",
    ]
    for ref, mid, mstr in entries:
        lines += [f"#: {ref}", f"msgid {quote(mid)}", f"msgstr {quote(mstr)}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    po = po_path("fr")
    have = parse_po(po) if po.is_file() else {}
    wanted = {**code_messages(), **data_messages()}
    lexicon = lexicon_messages()
    missing = [m for m in wanted if m not in have]
    if a.check:
        for m in missing:
            print(f"{wanted[m]}: no French for {m!r}")
        return 1 if missing else 0
    entries = [(ref, mid, have.get(mid, "")) for mid, ref in wanted.items()]
    entries += [(ref, mid, have.get(mid, "")) for mid, ref in lexicon.items() if mid not in wanted]
    write(po, entries)
    done = sum(1 for _, _, s in entries if s)
    print(f"{po}: {len(entries)} messages, {done} translated, {len(missing)} of the code missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())

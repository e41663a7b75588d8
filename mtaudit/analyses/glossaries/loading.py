"""Which glossaries a configuration uses, in precedence order; the merged glossary (cached on
disk and per process); and the glossaries' part of the signature."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from mtaudit.analyses.glossaries.entries import GlossaryError
from mtaudit.analyses.glossaries.glossary import Glossary
from mtaudit.analyses.glossaries.parser import parse_glossary
from mtaudit.core.resources import GLOSSARY_DIR, fingerprint


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


def _code_identity() -> str:
    """The source of this package and of the normaliser whose keys it stores (they define what
    a pickled Glossary holds)."""
    from mtaudit.core import artefacts
    from mtaudit.text import normalise

    here = Path(__file__).resolve().parent
    files = [*sorted(here.glob("*.py")), Path(normalise.__file__)]
    return "+".join(artefacts.input_identity(p) for p in files)


@lru_cache(maxsize=16)
def _load(paths: tuple[tuple[str, bool], ...], stamps: tuple) -> Glossary:
    """The merged glossary, kept in an on-disk artefact (mtaudit.core.artefacts) keyed by the
    contents of the files and this package's source: parsed again only when one changes."""
    from mtaudit.core import artefacts

    try:
        inputs = [f"{p}:{house}:{_fresh_fingerprint(Path(p))}" for p, house in paths]
    except OSError:  # a missing file: parse_glossary says which
        return _parse_all(paths)
    return artefacts.load_object(
        "names-glossary",
        _code_identity(),
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

"""Where the packaged data lives, and a fingerprint of each file for the signature."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
# The default glossaries ship in the package so that `pip install` users have them too;
# the repository's top-level glossaries/ folder holds the same files (see glossaries/README.md).
GLOSSARY_DIR = DATA_DIR / "glossaries"


def data_path(name: str) -> Path:
    return DATA_DIR / name


@cache
def fingerprint(path: str | Path) -> str:
    """First 8 hex digits of the file's sha256: the version of a data file in a signature."""
    h = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return h[:8]

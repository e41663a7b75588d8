"""Where the packaged data lives, a fingerprint of each file for the signature, and the one
reader of its tab-separated and one-item-per-line files (:func:`read_rows`, :func:`read_lines`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
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


# ---------------------------------------------------------------------------------- reading
class ResourceFormatError(ValueError):
    """A malformed data file: the message starts with ``<file>:<line>:``."""


@dataclass(frozen=True, slots=True)
class Row:
    """One data line of a resource file: its columns (each stripped), where it stands."""

    cols: tuple[str, ...]
    line: int  # 1-based line number in the file
    file: str  # the file's name (no directory), as error messages show it

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def __len__(self) -> int:
        return len(self.cols)

    def __getitem__(self, i: int) -> str:
        return self.cols[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cols)

    def get(self, i: int, default: str = "") -> str:
        """Column ``i``, or ``default`` when the row is shorter."""
        return self.cols[i] if i < len(self.cols) else default

    def error(self, message: str) -> ResourceFormatError:
        """An error naming this row's file and line: ``raise row.error("unknown mode 'x'")``."""
        return ResourceFormatError(f"{self.where}: {message}")


def _resolve(name_or_path: str | Path) -> Path:
    if isinstance(name_or_path, Path):
        return name_or_path
    p = Path(name_or_path)
    return p if p.is_absolute() or len(p.parts) > 1 else data_path(name_or_path)


def read_rows(
    name_or_path: str | Path,
    *,
    min_cols: int = 1,
    max_cols: int | None = None,
    comment: str | None = "#",
    header: bool = False,
    columns: str | None = None,
    sep: str | None = "\t",
) -> list[Row]:
    """The data rows of a tab-separated resource file.

    ``name_or_path`` is a file name under mtaudit/data/ or a path. Lines holding only
    whitespace are skipped, and so are comment lines (whose first non-blank text starts with
    ``comment``; None: no comments). Each remaining line is split on ``sep`` (None: the whole
    line is one column) and every column is stripped. Empty columns are kept, trailing ones
    too: ``"a\\tb\\t"`` has three columns, the last one empty. With ``header``, the first data
    row names the columns and is left out. A row with fewer than ``min_cols`` or more than
    ``max_cols`` columns raises :class:`ResourceFormatError` naming the file and line;
    ``columns`` (e.g. "kind, mode, pattern[, note]") is quoted in that message.
    """
    path = _resolve(name_or_path)
    # utf-8-sig: a byte-order mark left by an editor is not part of the first line
    text = path.read_text(encoding="utf-8-sig")
    what = f" ({columns})" if columns else ""
    rows: list[Row] = []
    header_seen = not header
    for lineno, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped or (comment is not None and stripped.startswith(comment)):
            continue
        cols = (stripped,) if sep is None else tuple(c.strip() for c in raw.split(sep))
        if not header_seen:
            header_seen = True
            continue
        row = Row(cols, lineno, path.name)
        if len(cols) < min_cols:
            raise row.error(
                f"expected at least {min_cols} tab-separated columns{what}, got {len(cols)}"
            )
        if max_cols is not None and len(cols) > max_cols:
            raise row.error(
                f"expected at most {max_cols} tab-separated columns{what}, got {len(cols)}"
            )
        rows.append(row)
    return rows


def read_lines(name_or_path: str | Path, *, comment: str | None = "#") -> list[Row]:
    """The data lines of a one-item-per-line resource file, stripped (each a one-column
    :class:`Row`, tabs included); blank and comment lines skipped as in :func:`read_rows`."""
    return read_rows(name_or_path, comment=comment, sep=None)


def word_set(name: str) -> frozenset[str]:
    """The words of a one-word-a-line file of mtaudit/data/ (``grammar/cardinals.txt``).

    The rules compare them with lower-cased tokens whose apostrophe is ', so an entry with a
    capital, a ’ or a space could never match: it is an error naming the file and line."""
    from mtaudit.text.normalise import APOSTROPHES, word_key

    words = set()
    for row in read_lines(data_path(name)):
        w = row[0]
        if w != word_key(w, APOSTROPHES) or any(c.isspace() for c in w):
            raise row.error(f"{w!r}: one word a line, in lower case, with the apostrophe '")
        words.add(w)
    return frozenset(words)

"""Built resources cached on disk, so that a short run does not rebuild them.

Lexicon tables are built from data files (mtaudit/data/, wordfreq's lists) in a few hundred
milliseconds; a one-file `mtaudit scan` would spend most of its time on that. A built resource
is a set of named tables (key -> value), stored once in an SQLite file in the user's cache
(``$XDG_CACHE_HOME/mtaudit/artefacts/``, or ``$MTAUDIT_CACHE/artefacts/``) and read back
lazily, one key at a time, through :class:`DiskMap` (a read-only mapping that remembers what it
looked up). Nothing is loaded that a document does not ask for.

The file name carries a key: a hash of the artefact format, the builder's version string, the
mtaudit and Python versions and the identity of every input file (content hash for mtaudit's
data files, size and modification time for the installed word lists). Editing a data file,
upgrading wordfreq or changing a builder's version gives a new key, so a stale artefact is never
read; beyond the eight newest files of one artefact the oldest are removed.

Concurrent first runs are safe: each builds into its own temporary file in the cache folder and
renames it into place atomically (both results are identical; a reader that opened the older
file keeps reading it). When the cache folder cannot be written, the tables are kept in memory
for the run. ``MTAUDIT_ARTEFACTS=0`` disables the disk cache (always build in memory).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mtaudit import __version__

FORMAT = 1
_MISSING = object()
_MEMO_LIMIT = 500_000  # entries remembered per table before the memo starts again
# after this many look-ups on disk, a table is read whole into memory: a long batch then pays
# one bulk read instead of one query per new word (a short run never gets there)
_BULK_AFTER = 20_000


def artefact_dir() -> Path:
    from mtaudit.lm.paths import cache_dir

    return cache_dir() / "artefacts"


def enabled() -> bool:
    return os.environ.get("MTAUDIT_ARTEFACTS", "1").strip().lower() not in ("0", "false", "no")


def input_identity(path: str | Path, content: bool = True) -> str:
    """What the key records of an input file: a content hash, or size and mtime (large
    installed files that only change with their package)."""
    p = Path(path)
    if content:
        from mtaudit.core.resources import fingerprint

        return f"{p.name}:{fingerprint(p)}"
    st = p.stat()
    return f"{p.name}:{st.st_size}:{st.st_mtime_ns}"


class DiskMap(Mapping):
    """A read-only mapping over one table of an artefact, looked up key by key and
    remembered (misses too). Values are what the builder stored (marshal-able objects)."""

    def __init__(self, conn: sqlite3.Connection, table: str, lock: threading.Lock):
        self._conn = conn
        self._table = table
        self._lock = lock
        self._memo: dict[Any, Any] = {}
        self._len: int | None = None
        self._queries = 0
        self._whole = False

    def _lookup(self, key):
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: cannot be a key
            return _MISSING
        if not isinstance(key, str) or self._whole:
            return _MISSING
        self._queries += 1
        if self._queries > _BULK_AFTER:
            self._read_whole()
            return self._memo.get(key, _MISSING)
        with self._lock:
            row = self._conn.execute(
                f'SELECT v FROM "{self._table}" WHERE k = ?', (key,)
            ).fetchone()
        value = marshal.loads(row[0]) if row is not None else _MISSING
        if len(memo) >= _MEMO_LIMIT:  # only misses can get here: forget them
            memo.clear()
        memo[key] = value
        return value

    def _read_whole(self) -> None:
        with self._lock:
            rows = self._conn.execute(f'SELECT k, v FROM "{self._table}"').fetchall()
        loads = marshal.loads
        self._memo = {k: loads(v) for k, v in rows}
        self._whole = True

    def get(self, key, default=None):
        v = self._lookup(key)
        return default if v is _MISSING else v

    def __getitem__(self, key):
        v = self._lookup(key)
        if v is _MISSING:
            raise KeyError(key)
        return v

    def __contains__(self, key) -> bool:
        return self._lookup(key) is not _MISSING

    def __len__(self) -> int:
        if self._len is None:
            with self._lock:
                self._len = self._conn.execute(f'SELECT count(*) FROM "{self._table}"').fetchone()[0]
        return self._len

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [r[0] for r in self._conn.execute(f'SELECT k FROM "{self._table}" ')]
        return iter(keys)


def _key(name: str, version: str, inputs: Sequence[str]) -> str:
    h = hashlib.sha256()
    for part in (str(FORMAT), name, version, __version__, sys.version.split()[0], *inputs):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:16]


@contextmanager
def _replacing(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` for the caller to fill; renamed onto ``path`` (mode
    644, atomically: a concurrent reader sees the old file or the new one) when the block ends,
    removed if it raises."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write(path: Path, tables: dict[str, Mapping]) -> None:
    with _replacing(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            for table, data in tables.items():
                conn.execute(f'CREATE TABLE "{table}" (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID')
                conn.executemany(
                    f'INSERT INTO "{table}" VALUES (?, ?)',
                    ((k, marshal.dumps(v)) for k, v in data.items()),
                )
            conn.commit()
        finally:
            conn.close()


def _clean_old(
    directory: Path, name: str, keep: Path, n_keep: int = 8, suffix: str = ".sqlite"
) -> None:
    """Remove the oldest artefacts of this name beyond ``n_keep`` (several checkouts or
    versions may share one cache: each keeps its own file)."""
    olds = []
    for p in directory.glob(f"{name}-*{suffix}"):
        try:
            olds.append((p.stat().st_mtime, p))
        except OSError:
            pass
    olds.sort(reverse=True)
    for _, old in olds[n_keep:]:
        if old != keep:
            try:
                old.unlink()
            except OSError:
                pass


def load(
    name: str,
    version: str,
    inputs: Sequence[str],
    build: Callable[[], dict[str, Mapping]],
) -> dict[str, Mapping]:
    """The tables of artefact ``name``: read from the cache when an artefact with the same key
    is there, else built by ``build()`` (a dict: table name -> mapping with str keys), written
    to the cache and returned. ``inputs`` are :func:`input_identity` strings of the files the
    build reads; ``version`` changes whenever the builder's output would change."""
    if not enabled():
        return build()
    directory = artefact_dir()
    path = directory / f"{name}-{_key(name, version, inputs)}.sqlite"
    if path.is_file():
        opened = _open(path)
        if opened is not None:
            return opened
    tables = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write(path, tables)
    except (OSError, sqlite3.Error):
        return tables  # read-only or full cache: keep the tables in memory for this run
    _clean_old(directory, name, path)
    opened = _open(path)
    return opened if opened is not None and set(opened) == set(tables) else tables


def _open(path: Path) -> dict[str, DiskMap] | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
    except sqlite3.Error:
        return None
    if not names:
        conn.close()
        return None
    lock = threading.Lock()
    return {t: DiskMap(conn, t, lock) for t in names}


def load_object(name: str, version: str, inputs: Sequence[str], build: Callable[[], Any]) -> Any:
    """A built object (a parsed lexicon, a glossary) kept as a pickle in the cache, under the
    same kind of key as :func:`load`; built by ``build()`` when absent or unreadable. The file
    is the user's own cache, written by mtaudit only (as trusted as the installed code)."""
    import pickle

    if not enabled():
        return build()
    directory = artefact_dir()
    path = directory / f"{name}-{_key(name, version, inputs)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, damaged or foreign: rebuilt below
        pass
    obj = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with _replacing(path) as tmp, open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return obj
    _clean_old(directory, name, path, suffix=".pickle")
    return obj

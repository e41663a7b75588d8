"""The language of the findings' messages: French by default, English on request.

Messages are written in English in the code, marked ``_("…")`` (with ``{name}`` fields filled
by ``.format`` after translation), and translated through a standard gettext catalog:
``mtaudit/locale/fr/LC_MESSAGES/mtaudit.po``, edited with any PO editor (Poedit, Lokalize) or
by hand, and checked by ``tests/test_i18n.py`` (every message of the code has its French).

The catalog is compiled when it is first needed, in memory, by :func:`compile_po` (the
standard ``.mo`` format read by :class:`gettext.GNUTranslations`): no build step, no compiled
file to keep in step with its source in git, no extra dependency. ``msgfmt`` or Babel compile
the same file to the same catalog if a packager prefers a ``.mo`` on disk; a ``.mo`` found
beside the ``.po`` is used only when it is newer.

The language in force is a context variable: the auditor sets it to the configuration's
``messages`` ("fr" or "en") while the checks run, so a check only calls ``_``.
"""

from __future__ import annotations

import ast
import gettext
import io
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
DOMAIN = "mtaudit"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_current: ContextVar[str] = ContextVar("mtaudit_messages", default=DEFAULT)


class CatalogError(ValueError):
    """A malformed .po file: the message names file:line."""


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def parse_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (fuzzy and untranslated entries left out)."""
    out: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    cur: list[str] | None = None
    fuzzy = False
    ctxt = False

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy, ctxt
        if msgid is not None and msgstr is not None and not fuzzy and not ctxt:
            mid, mstr = "".join(msgid), "".join(msgstr)
            if mid and mstr:
                out[mid] = mstr
        msgid = msgstr = None
        fuzzy = ctxt = False

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        try:
            if not line:
                flush()
                cur = None
            elif line.startswith("#,"):
                if msgstr is not None:
                    flush()
                fuzzy = "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt "):
                flush()
                ctxt = True
                cur = []
            elif line.startswith("msgid "):
                if msgstr is not None:
                    f = fuzzy
                    flush()
                    fuzzy = f
                msgid = [ast.literal_eval(line[6:])]
                cur = msgid
            elif line.startswith("msgstr "):
                if msgid is None:
                    raise ValueError("msgstr without msgid")
                msgstr = [ast.literal_eval(line[7:])]
                cur = msgstr
            elif line.startswith('"'):
                if cur is None:
                    raise ValueError("a string outside an entry")
                cur.append(ast.literal_eval(line))
            else:
                raise ValueError(f"unexpected line {raw!r}")
        except (ValueError, SyntaxError) as exc:
            raise CatalogError(f"{path}:{n}: {exc}") from None
    flush()
    return out


def compile_po(messages: dict[str, str]) -> bytes:
    """The GNU .mo bytes of a catalog (the format of msgfmt; the header entry included)."""
    header = "Content-Type: text/plain; charset=UTF-8\n"
    items = sorted({"": header, **messages}.items())
    ids = b""
    strs = b""
    offsets = []
    for k, v in items:
        kb, vb = k.encode("utf-8"), v.encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    n = len(items)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    out = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    out += struct.pack(f"{len(koffsets)}i", *koffsets)
    out += struct.pack(f"{len(voffsets)}i", *voffsets)
    return out + ids + strs


@lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language (English: the messages as written)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown message language {lang!r} (use one of: {', '.join(LANGUAGES)})")
    po = po_path(lang)
    if lang == "en" or not po.is_file():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:  # compiled once into the user cache (parsing the .po is most of a start-up's i18n)
        from mtaudit.core import artefacts

        data = artefacts.load_object(
            f"messages-{lang}",
            artefacts.input_identity(__file__),
            [artefacts.input_identity(po)],
            lambda: compile_po(parse_po(po)),
        )
    return gettext.GNUTranslations(io.BytesIO(data))


def current() -> str:
    return _current.get()


def _(message: str) -> str:
    """``message`` in the language in force (itself when the catalog lacks it)."""
    lang = _current.get()
    if lang == "en":
        return message
    return translations(lang).gettext(message)


def has(message: str, lang: str | None = None) -> bool:
    """Whether the catalog translates ``message`` (English always does)."""
    lang = lang or _current.get()
    return lang == "en" or translations(lang).gettext(message) != message


@contextmanager
def use(lang: str) -> Iterator[None]:
    """Messages in ``lang`` inside the block."""
    translations(lang)  # an unknown language fails here, not in the middle of a check
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)

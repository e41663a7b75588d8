"""Reports: human text (rich), JSON, JSONL. The HTML report lives in report/html/."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from mtaudit import __version__
from mtaudit.core.categories import report_order
from mtaudit.core.scorecard import VERDICT_STYLES, Scorecard
from mtaudit.core.signature import Signature
from mtaudit.io.inputs import InputError, is_report

if TYPE_CHECKING:  # rich is imported by the text report itself: JSON and the others do without it
    from rich.console import Console
    from rich.table import Table

SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow", "info": "cyan"}
VERDICT_STYLE = {v: s.style for v, s in VERDICT_STYLES.items()}


def dumps(obj: Any) -> str:
    """Deterministic JSON: same input and configuration give byte-identical output."""
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False)


def report_dict(cards: list[Scorecard], errors: list[InputError], signature: Signature | str, include_text: bool = False, show_suppressed: bool = False) -> dict:
    verdicts: dict[str, int] = {}
    for c in cards:
        verdicts[c.verdict] = verdicts.get(c.verdict, 0) + 1
    return {
        "mtaudit": __version__,
        "signature": str(signature),
        "summary": {"articles": len(cards), "errors": len(errors), "verdicts": dict(sorted(verdicts.items()))},
        "articles": [c.to_dict(include_text, show_suppressed) for c in cards],
        "errors": [e.to_dict() for e in errors],
    }


def jsonl_line(obj: Scorecard | InputError, include_text: bool = False, show_suppressed: bool = False) -> str:
    """One JSONL line: a scorecard, or an error record of the same shape as in the JSON
    report's ``errors`` ({"source", "message"}; it has no ``verdict``)."""
    if isinstance(obj, InputError):
        return json.dumps(obj.to_dict(), ensure_ascii=False)
    return json.dumps(obj.to_dict(include_text, show_suppressed), ensure_ascii=False)


class OutputError(Exception):
    """The report cannot be written where the user asked: one line naming the path."""


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


class AtomicWriter:
    """Write the report where the user named it, whole or not at all.

    A regular file (or a symlink to one) is written to an unnamed temporary file beside it
    (``O_TMPFILE``: nothing can be left behind, whatever signal ends the run) and renamed into
    place on success, keeping the existing file's permission bits; a hard-linked file is
    written through, so every name sees the report. Anything that is not a regular file (a
    FIFO, a terminal, a device) is opened and written through, never replaced. A path that is
    one of the inputs, a directory, or unwritable is an :class:`OutputError`.
    """

    def __init__(self, path: str, inputs: list[str] | tuple[str, ...] = ()):
        self.path = path
        self.tmp: str | None = None  # a named temporary (no O_TMPFILE on this filesystem)
        self.fd_tmp: int | None = None  # the temporary's descriptor, closed by __exit__
        self.direct = False
        self.through: str | None = None  # a hard-linked file: copy the report into it
        real = os.path.realpath(path)
        try:
            st = os.stat(path)  # follows links (/dev/stdout -> a pipe has no real path)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
        if st is not None:
            if stat.S_ISDIR(st.st_mode):
                raise OutputError(f"{path}: is a directory; name a file for the report")
            if _is_input(real, st, inputs):
                raise OutputError(f"{path}: is one of the inputs; refusing to overwrite it")
        self.target = real
        try:
            special = any(
                q == d or q.startswith(d + "/") for q in (os.path.abspath(path), real) for d in ("/dev", "/proc", "/sys")
            )
            if st is not None and (not stat.S_ISREG(st.st_mode) or special):
                # a FIFO, a terminal, a device: the user wants the report written there
                self.direct = True
                fh = open(path, "w", encoding="utf-8", newline="\n")
            else:
                if st is not None and st.st_nlink > 1:
                    self.through = real
                mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
                fh = self._open_temp(os.path.dirname(real) or ".", mode)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
        self.fh: IO[str] = fh

    def _open_temp(self, d: str, mode: int) -> IO[str]:
        flag = getattr(os, "O_TMPFILE", 0)
        fd = -1
        if flag and os.path.isdir("/proc/self/fd"):
            try:
                fd = os.open(d, flag | os.O_RDWR, 0o600)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                    raise
                fd = -1
        if fd < 0:
            fd, self.tmp = tempfile.mkstemp(prefix=".mtaudit-", suffix=".tmp", dir=d)
            self.anonymous = False
        else:
            self.anonymous = True
        self.fd_tmp = fd
        os.fchmod(fd, mode)
        return os.fdopen(fd, "w", encoding="utf-8", newline="\n", closefd=False)

    def __enter__(self) -> IO[str]:
        self._old = {} if self.direct else _trap_signals(self._discard)
        return self.fh

    def _discard(self) -> None:
        if self.tmp:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.direct:
                try:
                    self.fh.close()
                except OSError:
                    if exc_type is None:
                        raise
                return
            try:
                self.fh.close()
                if exc_type is None:
                    self._commit()
            finally:
                if self.fd_tmp is not None:
                    os.close(self.fd_tmp)
                    self.fd_tmp = None
                self._discard()
        except OSError as e:
            if exc_type is None:
                raise OutputError(f"{self.path}: cannot write the report ({e.strerror or e})") from None
        finally:
            _restore_signals(self._old)

    def _commit(self) -> None:
        if self.through is not None:  # hard links: write into the file all its names share
            os.lseek(self.fd_tmp, 0, os.SEEK_SET)
            with os.fdopen(self.fd_tmp, "rb", closefd=False) as r, open(self.through, "r+b") as w:
                shutil.copyfileobj(r, w)
                w.truncate()
            return
        if self.anonymous:
            d = os.path.dirname(self.target) or "."
            name = os.path.join(d, f".mtaudit-{os.getpid()}-{id(self):x}.tmp")
            try:
                os.link(f"/proc/self/fd/{self.fd_tmp}", name, follow_symlinks=True)
                self.tmp = name
            except OSError:  # no linkat through /proc here: copy into a named temporary
                fd, self.tmp = tempfile.mkstemp(prefix=".mtaudit-", suffix=".tmp", dir=d)
                with os.fdopen(fd, "wb") as w:
                    os.fchmod(fd, os.fstat(self.fd_tmp).st_mode & 0o7777)
                    os.lseek(self.fd_tmp, 0, os.SEEK_SET)
                    with os.fdopen(self.fd_tmp, "rb", closefd=False) as r:
                        shutil.copyfileobj(r, w)
        os.replace(self.tmp, self.target)
        self.tmp = None


def _is_input(real: str, st: os.stat_result, inputs) -> bool:
    """Whether the file ``real`` is one of the inputs, or a file a scanned directory gives."""
    from mtaudit.io.inputs import SUFFIXES

    for inp in inputs:
        if inp == "-":
            continue
        try:
            ist = os.stat(inp)
        except OSError:
            continue
        if _same_file(ist, st):
            return True
        if stat.S_ISDIR(ist.st_mode) and os.path.splitext(real)[1].lower() in SUFFIXES:
            root = os.path.realpath(inp)
            if os.path.commonpath([root, real]) == root and not is_report(real):
                return True
    return False


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


_TRAPPED = tuple(s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGHUP", "SIGQUIT")) if s is not None)


def _trap_signals(cleanup) -> dict:
    """While a named temporary file exists, a terminating signal removes it first."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}

    def handler(signum, frame):
        cleanup()
        raise SystemExit(128 + signum)

    for s in _TRAPPED:
        try:
            old[s] = signal.signal(s, handler)
        except (OSError, ValueError):
            pass
    return old


def _restore_signals(old: dict) -> None:
    for s, h in old.items():
        try:
            signal.signal(s, h)
        except (OSError, ValueError, TypeError):
            pass


def _snippet(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_card(console: Console, card: Scorecard, verbose: bool = False, show_suppressed: bool = False) -> None:
    from rich.text import Text

    head = Text()
    head.append(card.source, style="bold")
    head.append("  ")
    head.append(card.verdict.upper(), style=VERDICT_STYLE.get(card.verdict, ""))
    s = card.scores
    n_words = s.get("words", 0)
    bits = [f"{n_words} word{'' if n_words == 1 else 's'}", f"lang {card.language}"]
    if s.get("translated_from_english") is not None:
        bits.append(f"from English {s['translated_from_english']:.2f}")
        if s.get("machine_translated") is not None:
            bits.append(f"machine rather than human {s['machine_translated']:.2f}")
    if s.get("fluency") is not None:
        bits.append(f"fluency {s['fluency']:.0f}/100")
    head.append("  (" + ", ".join(bits) + ")", style="dim")
    console.print(head)
    for r in card.reasons:
        console.print(f"  • {r}", style="dim")
    for note in card.notes:
        console.print(f"  note: {note}", style="dim")
    by_cat: dict[str, list] = {}
    for f in card.findings:
        by_cat.setdefault(f.category, []).append(f)
    for cat in report_order(by_cat):
        console.print(Text(f"  {cat}", style="bold underline"))
        for f in by_cat[cat]:
            line = Text("    ")
            line.append(f"{card.source}:{f.line}:{f.column}", style="dim")
            line.append(f" {f.rule} ", style="bold")
            line.append(f"{f.severity.value:<8}", style=SEVERITY_STYLE.get(f.severity.value, ""))
            line.append(f" «{_snippet(f.text)}» ", style="bold")
            line.append(f.message)
            if f.suggestion:
                line.append(" → ", style="dim")
                line.append(f.suggestion, style="green")
            console.print(line)
    if card.suppressed:
        n = len(card.suppressed)
        if show_suppressed:
            console.print(Text(f"  suppressed ({n} finding{'s' if n > 1 else ''})", style="dim underline"))
            for f in card.suppressed:
                console.print(Text(f"    {card.source}:{f.line}:{f.column} {f.rule} {f.severity.value} «{_snippet(f.text)}» ({f.data.get('suppressed_by', '')})", style="dim"))
        else:
            console.print(Text(f"  {n} finding{'s' if n > 1 else ''} suppressed (--show-suppressed lists {'them' if n > 1 else 'it'})", style="dim"))
    if verbose and card.excluded:
        n = len(card.excluded)
        console.print(Text(f"  excluded ({n} line{'s' if n > 1 else ''})", style="dim underline"))
        for e in card.excluded:
            console.print(Text(f"    {card.source}:{e.line} [{e.kind}] {_snippet(e.text)}", style="dim"))
    elif card.excluded:
        n = len(card.excluded)
        console.print(Text(f"  {n} line{'s' if n > 1 else ''} set aside as page furniture, repeats or mtaudit comments (-v lists {'them' if n > 1 else 'it'})", style="dim"))
    console.print()


def summary_table(cards: Iterable[Scorecard]) -> Table:
    from rich.table import Table
    from rich.text import Text

    t = Table(title="mtaudit summary", show_lines=False)
    t.add_column("article")
    t.add_column("verdict")
    t.add_column("from EN", justify="right")
    t.add_column("fluency", justify="right")
    for c in ("major", "minor"):
        t.add_column(c, justify="right")
    t.add_column("top categories")
    for card in cards:
        sev = card.counts["severity"]
        cats = sorted(card.counts["category"].items(), key=lambda kv: -kv[1])[:3]
        lik = card.scores.get("translated_from_english")
        flu = card.scores.get("fluency")
        t.add_row(
            card.source,
            Text(card.verdict, style=VERDICT_STYLE.get(card.verdict, "")),
            "" if lik is None else f"{lik:.2f}",
            "" if flu is None else f"{flu:.0f}",
            str(card.major_or_worse),
            str(sev["minor"]),
            ", ".join(f"{k} {v}" for k, v in cats),
        )
    return t

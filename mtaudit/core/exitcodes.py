"""The exit codes of the `mtaudit` commands, defined once.

Every command (``scan``, local or ``--engine ray``, and the sub-commands) exits with one of
these. The table "Exit codes of `scan`" in the README is checked against this enum by the
tests: each member's ``doc`` is the meaning printed there. The sub-commands use the same
codes in the same sense: ``FAIL`` is "the check found problems" (``glossary lint``: errors in
a glossary file), ``USAGE`` a one-line error on stderr.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """An exit status of `mtaudit`; ``doc`` says what it means to the caller."""

    doc: str

    def __new__(cls, value: int, doc: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.doc = doc
        return member

    OK = 0, "no article fails"
    FAIL = 1, "at least one article fails (or warns, with `--fail-on warn`)"
    USAGE = 2, "usage error (a bad option, a language model that cannot load), or no input could be read"
    PARTIAL = 3, "some inputs could not be read (the others were audited and none failed)"
    INTERNAL = 4, "internal error (a bug): one line on stderr; `--debug` prints the traceback"
    INTERRUPTED = 130, "interrupted (Ctrl-C)"


__all__ = ["ExitCode"]

"""`--format json`, streamed: memory stays bounded however many articles a run audits.

The report is the one :func:`mtaudit.report.text.report_dict` describes, byte for byte as
:func:`mtaudit.report.text.dumps` writes it, but its summary comes first and is known only at
the end: each scorecard is serialised as it arrives into an unnamed temporary file (the
article list, already indented), and :meth:`JsonWriter.finish` writes the head, the summary,
then copies the spooled articles and errors to the output.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import IO

from mtaudit import __version__
from mtaudit.core.scorecard import Scorecard
from mtaudit.core.signature import Signature
from mtaudit.io.items import InputError
from mtaudit.report.text import dumps

_ITEM_INDENT = "  "  # an element of a list that is a value of the top-level object (indent=1)


def _element(obj: dict) -> str:
    """``obj`` as an element of a top-level list in ``dumps``' layout."""
    return _ITEM_INDENT + dumps(obj).replace("\n", "\n" + _ITEM_INDENT)


class _Spool:
    """The elements of one list, written to an unnamed temporary file as they come."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.count = 0

    def add(self, obj: dict) -> None:
        self.file.write((",\n" if self.count else "") + _element(obj))
        self.count += 1

    def copy_to(self, out: IO[str]) -> None:
        if not self.count:
            out.write("[]")
            return
        out.write("[\n")
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        out.write("\n ]")

    def close(self) -> None:
        self.file.close()


class JsonWriter:
    """Feed it the run's scorecards and errors in order, then :meth:`finish` writes the report."""

    def __init__(self, signature: Signature | str, include_text: bool = False, show_suppressed: bool = False):
        self.signature = str(signature)
        self.include_text, self.show_suppressed = include_text, show_suppressed
        self.articles, self.errors = _Spool(), _Spool()
        self.verdicts: dict[str, int] = {}

    def add(self, obj: Scorecard | InputError) -> None:
        if isinstance(obj, InputError):
            self.errors.add(obj.to_dict())
            return
        self.verdicts[obj.verdict] = self.verdicts.get(obj.verdict, 0) + 1
        self.articles.add(obj.to_dict(self.include_text, self.show_suppressed))

    def finish(self, out: IO[str]) -> None:
        """Write the whole report (and a final newline) to ``out``."""
        try:
            head = dumps({
                "mtaudit": __version__,
                "signature": self.signature,
                "summary": {
                    "articles": self.articles.count,
                    "errors": self.errors.count,
                    "verdicts": dict(sorted(self.verdicts.items())),
                },
            })
            out.write(head[: -len("\n}")] + ',\n "articles": ')
            self.articles.copy_to(out)
            out.write(',\n "errors": ')
            self.errors.copy_to(out)
            out.write("\n}\n")
        finally:
            self.close()

    def close(self) -> None:
        self.articles.close()
        self.errors.close()

"""Reports for CI and editors: concise lines, GitHub workflow annotations, reviewdog's rdjson
and SARIF 2.1.0. Each reads the scorecards as they are (findings, lines, columns, verdicts):
nothing is recomputed here, only converted to the format's conventions.

Locations: for a text or Markdown file, line and column are the file's (columns counted in
characters, 1-based; rdjson counts UTF-8 bytes, as reviewdog expects). For an HTML page or a
JSONL record the finding's line and column are those of the article text (the page's extracted
text, the record's ``text``), which are not lines of the file: the CI formats then point at the
file as a whole and give the text position in the message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from mtaudit import __version__
from mtaudit.core.findings import Finding
from mtaudit.core.scorecard import FAIL, Scorecard
from mtaudit.core.signature import Signature
from mtaudit.io.items import InputError

FORMATS = ("concise", "github", "rdjson", "sarif")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(s: str | None) -> str:
    """Any text on one line: blanks (newlines included) folded, control characters dropped."""
    return _CONTROL.sub("", _SPACE.sub(" ", s or "")).strip()


def _file_of(card: Scorecard) -> str | None:
    """The file a finding is in (a JSONL record's file), None for standard input."""
    path = card.path or card.source
    return None if path == "<stdin>" else path


def _file_lines(card: Scorecard) -> bool:
    """Do the finding's line and column refer to lines of the file?"""
    return card.kind == "text"


def _where(card: Scorecard, f: Finding) -> str:
    """The position in the article text, said in words for formats that cannot locate it."""
    rec = f"record {card.record_id}, " if card.record_id is not None else ""
    what = "extracted text" if card.kind == "html" else "text"
    return f"[{rec}{what} line {f.line}, column {f.column}] "


_ALT = re.compile(r", | ou | / ")


def replacements(suggestion: str | None) -> list[str]:
    """The literal replacements a suggestion offers, for formats that apply fixes: its
    alternatives ("à la suite de, dans le sillage de" gives two); none when it is a template
    or an explanation (brackets, "…") rather than text to put in place of the span."""
    if not suggestion or any(c in suggestion for c in "()[]…") or "..." in suggestion:
        return []
    return [a.strip() for a in _ALT.split(suggestion) if a.strip()]


def _end(card: Scorecard, f: Finding) -> tuple[int, int]:
    """Line and column (characters, 1-based, exclusive) of the end of the finding."""
    span = f.text or ""
    nl = span.count("\n")
    if not nl:
        return f.line, f.column + len(span)
    return f.line + nl, len(span) - span.rfind("\n")


def _byte_column(card: Scorecard, line: int, column: int, f: Finding, at_end: bool) -> int:
    """The UTF-8 byte column (1-based) of a character column, from the article text."""
    text = card.text
    if text is None:
        return column
    offset = f.end if at_end else f.start
    line_start = offset - (column - 1)
    return len(text[line_start:offset].encode("utf-8")) + 1


# ---------------------------------------------------------------------------------------------
class Writer:
    """Feed it scorecards and input errors in order; it returns text to write as it goes."""

    def __init__(self, signature: Signature | str = "", show_suppressed: bool = False):
        self.signature = str(signature)
        self.show_suppressed = show_suppressed

    def add(self, obj: Scorecard | InputError) -> str:
        return self.error(obj) if isinstance(obj, InputError) else self.card(obj)

    def card(self, card: Scorecard) -> str:
        return ""

    def error(self, err: InputError) -> str:
        return ""

    def finish(self) -> str:
        return ""

    def findings(self, card: Scorecard) -> Iterator[tuple[Finding, bool]]:
        for f in card.findings:
            yield f, False
        if self.show_suppressed:
            for f in card.suppressed:
                yield f, True


class ConciseWriter(Writer):
    """``file:line:col: CODE severity message [→ fix]``, one finding a line, never wrapped
    (errorformat ``%f:%l:%c: %m``). Input errors are on stderr, as with every format."""

    def card(self, card: Scorecard) -> str:
        out = []
        src = one_line(card.source)
        for f, silenced in self.findings(card):
            line = f"{src}:{f.line}:{f.column}: {f.rule} {f.severity.value} «{one_line(f.text)}» {one_line(f.message)}"
            if f.suggestion:
                line += f" → {one_line(f.suggestion)}"
            if silenced:
                line += f" (suppressed: {f.data.get('suppressed_by', '')})"
            out.append(line + "\n")
        return "".join(out)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


GH_LEVEL = {"critical": "error", "major": "error", "minor": "warning", "info": "notice"}


class GithubWriter(Writer):
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…::message``. Major and
    critical findings are errors, minor ones warnings, info notices; a failing article gets
    one more error naming its verdict and reasons; input errors are errors on their file."""

    def _cmd(self, level: str, msg: str, **props: Any) -> str:
        p = ",".join(f"{k}={_gh_prop(str(v))}" for k, v in props.items() if v is not None)
        return f"::{level}{' ' + p if p else ''}::{_gh_data(msg)}\n"

    def card(self, card: Scorecard) -> str:
        out = []
        file = _file_of(card)
        for f, silenced in self.findings(card):
            if silenced:
                continue  # GitHub has no suppressed annotations: listed by the other formats
            msg = one_line(f.message) + (f" → {one_line(f.suggestion)}" if f.suggestion else "")
            title = f"mtaudit {f.rule} ({f.severity.value})"
            if _file_lines(card):
                end_line, end_col = _end(card, f)
                pos = {"line": f.line, "col": f.column, "endLine": end_line}
                if end_line == f.line:
                    pos["endColumn"] = end_col
                out.append(self._cmd(GH_LEVEL[f.severity.value], f"«{one_line(f.text)}» {msg}", file=file, **pos, title=title))
            else:
                out.append(self._cmd(GH_LEVEL[f.severity.value], f"{_where(card, f)}«{one_line(f.text)}» {msg}", file=file, title=title))
        if card.verdict == FAIL:
            why = "; ".join(one_line(r) for r in card.reasons) or FAIL
            out.append(self._cmd("error", f"{card.source}: verdict FAIL ({why})", file=file, title="mtaudit verdict"))
        return "".join(out)

    def error(self, err: InputError) -> str:
        m = re.fullmatch(r"(.*?)(?::(\d+))?", err.source)  # "bad.jsonl:2": the file and line
        file, line = (m.group(1), m.group(2)) if m else (err.source, None)
        return self._cmd("error", one_line(err.message), file=None if file == "<stdin>" else file, line=line, title="mtaudit input error")


RD_SEVERITY = {"critical": "ERROR", "major": "ERROR", "minor": "WARNING", "info": "INFO"}


class RdjsonWriter(Writer):
    """reviewdog's Diagnostic Format (``reviewdog -f=rdjson``): one DiagnosticResult. Lines
    start at 1; columns start at 1 and count UTF-8 bytes (reviewdog's convention), the end
    position being exclusive; a fix is a suggestion replacing the finding's range."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.diagnostics: list[dict] = []

    def card(self, card: Scorecard) -> str:
        file = _file_of(card) or "<stdin>"
        for f, silenced in self.findings(card):
            if silenced:
                continue
            d: dict[str, Any] = {
                "message": one_line(f.message),
                "location": {"path": file},
                "severity": RD_SEVERITY[f.severity.value],
                "source": {"name": "mtaudit"},
                "code": {"value": f.rule},
                "originalOutput": f"{one_line(card.source)}:{f.line}:{f.column}: {f.rule} {f.severity.value} {one_line(f.message)}",
            }
            if _file_lines(card):
                end_line, end_col = _end(card, f)
                rng = {
                    "start": {"line": f.line, "column": _byte_column(card, f.line, f.column, f, False)},
                    "end": {"line": end_line, "column": _byte_column(card, end_line, end_col, f, True)},
                }
                d["location"]["range"] = rng
                if replacements(f.suggestion):
                    d["suggestions"] = [{"range": rng, "text": r} for r in replacements(f.suggestion)]
            else:
                d["message"] = _where(card, f) + f"«{one_line(f.text)}» " + d["message"]
                if f.suggestion:
                    d["message"] += f" → {one_line(f.suggestion)}"
            self.diagnostics.append(d)
        return ""

    def error(self, err: InputError) -> str:
        self.diagnostics.append(
            {
                "message": one_line(err.message),
                "location": {"path": err.source},
                "severity": "ERROR",
                "source": {"name": "mtaudit"},
                "code": {"value": "input-error"},
            }
        )
        return ""

    def finish(self) -> str:
        doc = {"source": {"name": "mtaudit"}, "diagnostics": self.diagnostics}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


SARIF_LEVEL = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:@-._~!$&'()*+,;=")


class SarifWriter(Writer):
    """SARIF 2.1.0: one run of the tool ``mtaudit`` with its rules, a result per finding
    (region in Unicode code points, with the quoted text as snippet and the suggestion as a
    fix), suppressed findings as results with an in-source suppression, input errors as
    tool execution notifications, and each article's verdict and scores in the properties of
    its artifact."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        from mtaudit.checks import load_checks

        self.registry = load_checks()
        self.rule_index = {code: i for i, code in enumerate(self.registry)}
        self.results: list[dict] = []
        self.notifications: list[dict] = []
        self.artifacts: list[dict] = []
        self.artifact_index: dict[str, int] = {}

    def _artifact(self, card: Scorecard) -> int | None:
        file = _file_of(card)
        if file is None:
            return None
        if file not in self.artifact_index:
            self.artifact_index[file] = len(self.artifacts)
            self.artifacts.append({"location": {"uri": _uri(file)}, "encoding": card.encoding, "properties": {"articles": []}})
        art = self.artifacts[self.artifact_index[file]]
        art["properties"]["articles"].append(
            {
                "source": card.source,
                "verdict": card.verdict,
                "reasons": card.reasons,
                "scores": {k: v for k, v in card.scores.items() if not isinstance(v, (list, dict))},
                "suppressed": len(card.suppressed),
            }
        )
        return self.artifact_index[file]

    def card(self, card: Scorecard) -> str:
        idx = self._artifact(card)
        for f, silenced in self.findings(card):
            loc: dict[str, Any] = {}
            if idx is not None:
                loc["artifactLocation"] = {"uri": self.artifacts[idx]["location"]["uri"], "index": idx}
            props: dict[str, Any] = {"category": f.category, "severity": f.severity.value, "source": card.source}
            msg = one_line(f.message)
            if _file_lines(card):
                end_line, end_col = _end(card, f)
                loc["region"] = {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": end_line,
                    "endColumn": end_col,
                    "charOffset": f.start,
                    "charLength": f.end - f.start,
                    "snippet": {"text": f.text},
                }
            else:
                msg = _where(card, f) + f"«{one_line(f.text)}» " + msg
                props.update(textLine=f.line, textColumn=f.column, textStart=f.start, textEnd=f.end)
                if card.record_id is not None:
                    props["record"] = card.record_id
            res: dict[str, Any] = {
                "ruleId": f.rule,
                "level": SARIF_LEVEL[f.severity.value],
                "message": {"text": msg},
                "locations": [{"physicalLocation": loc}] if loc else [],
                "properties": props,
            }
            if f.rule in self.rule_index:
                res["ruleIndex"] = self.rule_index[f.rule]
            if f.suggestion:
                res["properties"]["suggestion"] = f.suggestion
            if replacements(f.suggestion) and "region" in loc:
                res["fixes"] = [
                    {
                        "description": {"text": f"Replace with «{one_line(alt)}»"},
                        "artifactChanges": [
                            {
                                "artifactLocation": loc["artifactLocation"],
                                "replacements": [
                                    {
                                        "deletedRegion": {k: loc["region"][k] for k in ("startLine", "startColumn", "endLine", "endColumn")},
                                        "insertedContent": {"text": alt},
                                    }
                                ],
                            }
                        ],
                    }
                    for alt in replacements(f.suggestion)
                ]
            if f.suggestion and "region" not in loc:
                res["message"]["text"] += f" → {one_line(f.suggestion)}"
            if silenced:
                res["suppressions"] = [{"kind": "inSource", "justification": f.data.get("suppressed_by", "")}]
            self.results.append(res)
        return ""

    def error(self, err: InputError) -> str:
        self.notifications.append({"level": "error", "message": {"text": f"{err.source}: {one_line(err.message)}"}})
        return ""

    def finish(self) -> str:
        rules = []
        for code, cls in self.registry.items():
            doc = cls.doc()
            rules.append(
                {
                    "id": code,
                    "name": cls.name,
                    "shortDescription": {"text": cls.summary()},
                    "fullDescription": {"text": doc},
                    "defaultConfiguration": {"level": SARIF_LEVEL[cls.severity.value]},
                    "properties": {"category": cls.category},
                }
            )
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "mtaudit",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": rules,
                }
            },
            "invocations": [
                {
                    "executionSuccessful": not self.notifications,
                    "toolExecutionNotifications": self.notifications,
                }
            ],
            "artifacts": self.artifacts,
            "results": self.results,
            "columnKind": "unicodeCodePoints",
            "properties": {"signature": self.signature},
        }
        doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


WRITERS = {"concise": ConciseWriter, "github": GithubWriter, "rdjson": RdjsonWriter, "sarif": SarifWriter}


def writer(name: str, signature: Signature | str = "", show_suppressed: bool = False) -> Writer:
    return WRITERS[name](signature, show_suppressed)

"""LanguageTool's HTTP API (``POST /v2/check``, ``GET /v2/languages``) on mtaudit's findings.

Editors and CMS plugins that speak to a LanguageTool server can point at ``mtaudit serve``
instead. The request is LanguageTool's form: ``text``, or ``data`` (a JSON object with an
``annotation`` list of ``{"text": ...}`` and ``{"markup": ..., "interpretAs": ...}`` parts),
``language`` (``fr``, ``fr-FR`` and the other French variants, or ``auto``), ``enabledRules``,
``disabledRules``, ``enabledCategories``, ``disabledCategories``, ``enabledOnly`` and ``level``.
The other LanguageTool fields (``motherTongue``, ``preferredVariants``, ``username``, ...) are
accepted and have no effect. The answer has LanguageTool's shape; offsets and lengths count
UTF-16 code units of the text as sent (markup included, as LanguageTool counts them), and the
top-level ``mtaudit`` key carries the verdict, scores and reasons of the scorecard.

Rule ids are mtaudit's codes (``EN101``); category ids are those of ``categories.tsv``.
Ids a client sends that mtaudit does not have (LanguageTool's own ``WHITESPACE_RULE``, ...)
are ignored, as LanguageTool ignores unknown ids, and listed under ``mtaudit.ignoredIds``.
``level=picky`` adds the findings of severity ``info`` (typographic notes), which the default
level leaves out.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import cache

from mtaudit import __version__
from mtaudit.core.categories import categories as finding_categories
from mtaudit.serve.errors import ApiError, type_name

CONTEXT_CHARS = 40  # LanguageTool's default context size, each side of the match

# (longCode, name) of the languages answered by /v2/languages; "code" is "fr" for all
FRENCH = (
    ("fr", "French"),
    ("fr-FR", "French (France)"),
    ("fr-BE", "French (Belgium)"),
    ("fr-CA", "French (Canada)"),
    ("fr-CH", "French (Switzerland)"),
)
LANGUAGE_NAMES = {
    "fr": "French",
    "en": "English",
    "es": "Spanish",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "und": "Unknown",
}


def languages() -> list[dict]:
    return [{"name": name, "code": "fr", "longCode": long} for long, name in FRENCH]


@dataclass(frozen=True)
class LtCategory:
    id: str
    name: str
    issue_type: str


@cache
def categories() -> dict[str, LtCategory]:
    """mtaudit category -> how LanguageTool clients see it (mtaudit/data/categories.tsv)."""
    return {code: LtCategory(c.lt_id, c.lt_name, c.lt_issue) for code, c in finding_categories().items()}


def category_of(cat: str) -> LtCategory:
    return categories().get(cat) or LtCategory(cat.upper(), cat, "other")


# ------------------------------------------------------------------------------ the request
def parse_language(value: str | None) -> tuple[str, bool]:
    """(the language code to echo, whether it is ``auto``)."""
    lang = (value or "").strip()
    if not lang:
        raise ApiError(400, "missing_field", "missing \"language\": use fr, fr-FR or auto")
    if lang.lower() == "auto":
        return "auto", True
    for long, _ in FRENCH:
        if lang.lower().replace("_", "-") == long.lower():
            return long, False
    raise ApiError(
        400,
        "unsupported_language",
        f"language {lang!r} is not supported: mtaudit checks French only (fr, fr-FR, fr-BE, fr-CA, fr-CH or auto)",
    )


@dataclass
class Annotated:
    """The text to audit and where each of its characters came from in the text as sent.

    ``plain`` is what is audited (markup replaced by its ``interpretAs``, line ends
    normalised); ``original`` is the text as sent (markup included), which offsets and
    contexts refer to. ``spans[i]`` is the span of ``original`` that ``plain[i]`` stands
    for; None when the two are the same text."""

    plain: str
    original: str
    spans: list[tuple[int, int]] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.spans is None:
            return start, end
        if start >= len(self.spans):
            n = len(self.original)
            return n, n
        ostart = self.spans[start][0]
        oend = self.spans[end - 1][1] if end > start else ostart
        return ostart, max(ostart, oend)


def annotated_text(text: str | None, data: str | None) -> Annotated:
    if text is not None and data is not None:
        raise ApiError(400, "bad_request", "send either \"text\" or \"data\", not both")
    if text is None and data is None:
        raise ApiError(400, "missing_field", "missing \"text\" or \"data\": nothing to check")
    if text is not None:
        return _normalised(text, [(i, i + 1) for i in range(len(text))] if "\r" in text else None)
    try:
        obj = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ApiError(400, "bad_json", f"\"data\" is not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("annotation"), list):
        raise ApiError(400, "bad_type", "\"data\" must be a JSON object with an \"annotation\" array")
    plain: list[str] = []
    original: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, part in enumerate(obj["annotation"]):
        if not isinstance(part, dict):
            raise ApiError(400, "bad_type", f"data.annotation[{i}] must be an object, not {type_name(part)}")
        if "text" in part and "markup" not in part:
            t = part["text"]
            if not isinstance(t, str):
                raise ApiError(400, "bad_type", f"data.annotation[{i}].text must be a string, not {type_name(t)}")
            plain.append(t)
            original.append(t)
            spans.extend((pos + k, pos + k + 1) for k in range(len(t)))
            pos += len(t)
        elif "markup" in part and "text" not in part:
            m, interp = part["markup"], part.get("interpretAs", "")
            if not isinstance(m, str) or not isinstance(interp, str):
                raise ApiError(400, "bad_type", f"data.annotation[{i}]: markup and interpretAs must be strings")
            plain.append(interp)
            original.append(m)
            spans.extend((pos, pos + len(m)) for _ in interp)
            pos += len(m)
        else:
            raise ApiError(
                400, "bad_type", f"data.annotation[{i}] must have either \"text\" or \"markup\" (with an optional \"interpretAs\")"
            )
    return _normalised("".join(plain), spans, "".join(original))


def _normalised(plain: str, spans, original: str | None = None) -> Annotated:
    """Line ends normalised to "\\n" as the auditor reads text, keeping the span map."""
    original = plain if original is None else original
    if "\r" not in plain:
        return Annotated(plain, original, spans)
    out_chars: list[str] = []
    out_spans: list[tuple[int, int]] = []
    i = 0
    while i < len(plain):
        c = plain[i]
        if c == "\r":
            if i + 1 < len(plain) and plain[i + 1] == "\n":
                out_chars.append("\n")
                out_spans.append((spans[i][0], spans[i + 1][1]))
                i += 2
                continue
            c = "\n"
        out_chars.append(c)
        out_spans.append(spans[i])
        i += 1
    return Annotated("".join(out_chars), original, out_spans)


def _ids(value: str | None) -> list[str]:
    return [s.strip() for s in (value or "").split(",") if s.strip()]


def _flag(name: str, value: str | None) -> bool:
    if value is None or value.strip() == "":
        return False
    v = value.strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise ApiError(400, "bad_type", f"\"{name}\" must be true or false, not {value!r}")


@dataclass
class Selection:
    select: list[str] | None  # rule codes; None: every rule of the server
    ignore: list[str]
    picky: bool
    ignored_ids: list[str]


def rule_selection(form, registry: dict) -> Selection:
    """The rules a LanguageTool request asks for, as mtaudit ``select``/``ignore`` codes."""
    level = (form.get("level") or "default").strip().lower()
    if level not in ("default", "picky"):
        raise ApiError(400, "bad_value", f"\"level\" must be default or picky, not {form.get('level')!r}")
    by_cat: dict[str, list[str]] = {}
    for code, cls in registry.items():
        by_cat.setdefault(category_of(cls.category).id, []).append(code)
    ignored: list[str] = []

    def rules(ids: list[str]) -> list[str]:
        out = []
        for rid in ids:
            if rid.upper() in registry:
                out.append(rid.upper())
            else:
                ignored.append(rid)
        return out

    def cats(ids: list[str]) -> list[str]:
        out = []
        for cid in ids:
            if cid.upper() in by_cat:
                out.extend(by_cat[cid.upper()])
            else:
                ignored.append(cid)
        return out

    enabled = rules(_ids(form.get("enabledRules"))) + cats(_ids(form.get("enabledCategories")))
    disabled = rules(_ids(form.get("disabledRules"))) + cats(_ids(form.get("disabledCategories")))
    only = _flag("enabledOnly", form.get("enabledOnly"))
    if only and not enabled and not ignored:
        raise ApiError(400, "bad_request", "enabledOnly=true needs enabledRules or enabledCategories")
    select = sorted(set(enabled)) if only else None
    if only and not select:
        # only ids mtaudit does not have were enabled: nothing of mtaudit's is asked for
        select = []
    return Selection(select, sorted(set(disabled)), level == "picky", ignored)


# ----------------------------------------------------------------------------- the response
class Utf16:
    """Code-point offsets of a string to UTF-16 code units (Java's String indices)."""

    def __init__(self, s: str):
        self._astral = [i for i, c in enumerate(s) if ord(c) > 0xFFFF]

    def __call__(self, i: int) -> int:
        return i + bisect.bisect_left(self._astral, i)


def _context(original: str, start: int, end: int) -> tuple[str, int, int]:
    """LanguageTool's context: up to 40 characters each side, "..." where cut, line ends as
    spaces; returns (text, offset, length) with offset and length in UTF-16 code units."""
    cs = max(0, start - CONTEXT_CHARS)
    ce = min(len(original), end + CONTEXT_CHARS)
    pre = "..." if cs > 0 else ""
    post = "..." if ce < len(original) else ""
    window = original[cs:ce].replace("\r", " ").replace("\n", " ")
    text = pre + window + post
    u = Utf16(text)
    a = len(pre) + (start - cs)
    b = a + (end - start)
    return text, u(a), u(b) - u(a)


def check_response(
    card,
    ann: Annotated,
    requested: str,
    auto: bool,
    selection: Selection,
    registry: dict,
    sentences: list[tuple[int, int]],
) -> dict:
    """The LanguageTool answer for one audited text (``card``: its Scorecard)."""
    u16 = Utf16(ann.original)
    starts = [s for s, _ in sentences]
    matches = []
    for f in card.findings:
        if f.severity.value == "info" and not selection.picky:
            continue
        cls = registry.get(f.rule)
        cat = category_of(f.category)
        ostart, oend = ann.to_original(f.start, f.end)
        ctx_text, ctx_off, ctx_len = _context(ann.original, ostart, oend)
        k = bisect.bisect_right(starts, f.start) - 1
        sentence = ann.plain[sentences[k][0] : sentences[k][1]] if k >= 0 and f.start < sentences[k][1] else ""
        matches.append(
            {
                "message": f.message,
                "shortMessage": cat.name,
                "replacements": [{"value": f.suggestion}] if f.suggestion else [],
                "offset": u16(ostart),
                "length": u16(oend) - u16(ostart),
                "context": {"text": ctx_text, "offset": ctx_off, "length": ctx_len},
                "sentence": sentence,
                "type": {"typeName": "Hint" if f.severity.value == "info" else "Other"},
                "rule": {
                    "id": f.rule,
                    "description": cls.summary() if cls else f.rule,
                    "issueType": cat.issue_type,
                    "category": {"id": cat.id, "name": cat.name},
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
                "mtaudit": {"severity": f.severity.value, "category": f.category},
            }
        )
    detected = card.language if card.language != "und" else "fr"
    conf = card.scores.get("language_confidence")
    name = "French" if requested == "auto" else dict(FRENCH).get(requested, "French")
    return {
        "software": {
            "name": "mtaudit",
            "version": __version__,
            "buildDate": "",
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": name,
            "code": "fr" if auto else requested,
            "detectedLanguage": {
                "name": LANGUAGE_NAMES.get(detected, detected),
                "code": detected if detected != "fr" else "fr-FR",
                "confidence": 0.0 if conf is None else conf,
            },
        },
        "matches": matches,
        "mtaudit": {
            "verdict": card.verdict,
            "reasons": card.reasons,
            "scores": card.scores,
            "counts": card.counts,
            "signature": str(card.signature),
            "ignoredIds": selection.ignored_ids,
            "level": "picky" if selection.picky else "default",
        },
    }

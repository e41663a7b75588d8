"""The pipeline: Document -> checks -> scorecard. ``audit(text)`` is the library API."""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Iterable, Iterator
from functools import lru_cache

from mtaudit import __version__
from mtaudit.checks import Check, CheckResult, load_checks
from mtaudit.core import i18n
from mtaudit.core.config import Config
from mtaudit.core.context import Context, ResourceError
from mtaudit.core.document import Document, normalise_newlines
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.resources import data_path, fingerprint
from mtaudit.core.scorecard import (
    SKIPPED,
    Scorecard,
    SentenceScore,
    decide_verdict,
    verdict_thresholds,
)
from mtaudit.core.signature import Signature
from mtaudit.core.suppress import split as split_suppressed
from mtaudit.io.inputs import InputError, Item
from mtaudit.lang.langid import FUNCTION_WORDS_FILE as LANGUAGE_GATE_FILE
from mtaudit.lang.langid import detect, detect_broad, foreign_script, french_share, own_text
from mtaudit.scorers import load_scorers
from mtaudit.text.normalise import ELISIONS_FILE, count_words
from mtaudit.text.segment import ABBREVIATIONS_FILE

log = logging.getLogger("mtaudit")



class CheckFailure(RuntimeError):
    """A check raised: reported as an error of the article, the batch goes on."""


class ModelUnavailable(RuntimeError):
    """The language model a check of this run needs cannot be loaded (one line naming the
    model): ``mtaudit scan`` stops before auditing anything (exit 2)."""


def model_problem(exc: Exception) -> str:
    """One line naming the model, from the cached failure of the ``lm`` resource
    ("lm:/x:False: ModelLoadError: model '/x': ...")."""
    text = " ".join(str(exc).split())
    if "ModelLoadError: " in text:  # the resource key ("lm:MODEL:…: ") comes first
        text = text.split("ModelLoadError: ", 1)[1]
    return text if text.startswith("model ") else f"the language model: cannot load it: {text}"


class Auditor:
    """Audits many documents with one configuration and one set of loaded resources."""

    def __init__(self, config: Config | None = None, ctx: Context | None = None):
        self.config = config or Config()
        self.ctx = ctx or Context(self.config)
        registry = load_checks()
        self.checks: list[Check] = [registry[code]() for code in self.config.rules_in_force(registry)]
        self.scorers = load_scorers()
        self.signature = self._signature()
        self.check_errors: list[InputError] = []

    # ------------------------------------------------------------------ signature
    def _signature(self) -> Signature:
        cfg = self.config
        codes = ",".join(c.code for c in self.checks)
        overrides = ",".join(f"{k}={v.value}" for k, v in sorted(cfg.severity.items()))
        rules_hash = hashlib.sha256(f"{codes};{overrides}".encode()).hexdigest()[:8]
        files = sorted(
            {f for c in self.checks for f in c.data_files}
            | {f for _, s in self.scorers for f in getattr(s, "data_files", ())}
            # the document's own: page furniture, sentences, tokens
            | {"furniture.tsv", ABBREVIATIONS_FILE, ELISIONS_FILE}
            | ({LANGUAGE_GATE_FILE} if cfg.language_backend == "lingua" else set())
        )
        extras: dict[str, str] = {}
        for c in self.checks:
            extra = getattr(c, "signature_parts", None)
            if extra:
                extras.update({k: str(v) for k, v in extra(cfg).items()})
        extras.setdefault("lm", "none")  # no check that uses a language model is enabled
        return Signature(
            version=__version__,
            rules=len(self.checks),
            rules_hash=rules_hash,
            data={f.rsplit(".", 1)[0]: fingerprint(data_path(f)) for f in files},
            parts=extras,
            langid=cfg.language_backend,
            messages=cfg.messages,
            thresholds=dict(sorted(cfg.thresholds.items())),
            boilerplate=bool(cfg.keep_boilerplate),
        )

    # ------------------------------------------------------------------ auditing
    def document(self, item: Item) -> Document:
        return Document(
            text=item.text,
            source=item.source,
            encoding=item.encoding,
            title=item.title,
            reference=item.reference,
            keep_boilerplate=self.config.keep_boilerplate,
            meta={"kind": item.kind, "notes": list(item.notes), "ignore": list(item.ignore), "path": item.path, "record_id": item.record_id},
        )

    def audit_text(self, text: str | bytes, source: str = "<text>") -> Scorecard:
        """Audit one text. ``bytes`` are decoded as a file would be (encoding detected);
        lone surrogates become U+FFFD (said in the scorecard's reasons)."""
        return self.audit_item(text_item(text, source))

    def audit_item(self, item: Item) -> Scorecard:
        doc = self.document(item)
        return self.audit_document(doc)

    def audit_document(self, doc: Document) -> Scorecard:
        admitted = self._admit(doc)
        if isinstance(admitted, Scorecard):
            return admitted
        card = self._audit_admitted(doc, *admitted)
        doc.release()  # no reference cycle left behind (memory stays flat without gc)
        return card

    def _admit(self, doc: Document) -> Scorecard | tuple[str, dict]:
        """Decide whether ``doc`` is audited: a ``skipped`` scorecard (no text, not French),
        or the language and first scores to audit it with."""
        cfg = self.config
        words = doc.word_count
        language, confidence = ("und", 0.0)
        if words >= cfg.threshold("language_min_words"):
            # the article's own text: quotations (an English tweet) set aside
            language, confidence = detect(own_text(doc, int(cfg.threshold("language_min_words"))), self.ctx)
        scores: dict = {
            "words": words,
            "sentences": len(doc.sentences),
            "language_confidence": confidence,
        }
        if words == 0:
            reason = f"no article text left after setting aside {len(doc.excluded)} lines: not audited"
            return self._skipped(doc, "und", scores, reason)
        script = foreign_script(doc.body_text)
        if script is not None:  # Arabic, Chinese, Cyrillic…: not French, whatever its length
            scores["language_confidence"] = 1.0
            where = "language" if script != "und" else "script"
            return self._skipped(doc, script, scores, f"not French ({where} {script}, not Latin script): not audited")
        if (
            cfg.language_backend == "lingua"
            and words >= cfg.threshold("language_skip_min_words")
            and (
                (language not in ("fr", "und") and confidence >= cfg.threshold("language_min_confidence"))
                or french_share(doc) < cfg.threshold("language_min_french_share")
            )
        ):
            # surely not French for the detector restricted to French's neighbours (which
            # language, then? Polish is not Spanish), or too few French function words to be
            # French (Swahili, which that detector calls French): asked among every
            # Latin-script language. Only a sure answer other than French replaces the first
            broad, broad_conf = detect_broad(own_text(doc, int(cfg.threshold("language_min_words"))))
            if broad not in ("fr", "und") and broad_conf >= cfg.threshold("language_min_confidence"):
                language, confidence = broad, broad_conf
                scores["language_confidence"] = confidence
        if language not in ("fr", "und") and (
            confidence < cfg.threshold("language_min_confidence") or words < cfg.threshold("language_skip_min_words")
        ):
            # short or mixed text: not sure enough to refuse it; audit it as French and say so
            scores["language_detected"] = language
            language = "fr"
        if language not in ("fr", "und"):
            reason = f"not French (language {language}, confidence {confidence:.2f}): not audited"
            return self._skipped(doc, language, scores, reason)
        if language == "und":
            language = "fr"  # too short to judge: audited as French, and said so
            scores["language_confidence"] = None
        return language, scores

    def _disable(self, check: Check, source: str, exc: Exception) -> None:
        if "lm" in check.requires:  # the model's problem, not the article's: name the model
            model, _, why = model_problem(exc).partition(": ")
            self.check_errors.append(InputError(model, f"{why}; check {check.code} disabled for this run"))
        else:
            self.check_errors.append(InputError(source, f"check {check.code} disabled for this run: {exc}"))
        self.checks = [c for c in self.checks if c is not check]

    def load_model(self) -> None:
        """Load the language model now when a check of this run needs it (the first article
        would load it anyway); :class:`ModelUnavailable` if it cannot be loaded."""
        if not any("lm" in c.requires for c in self.checks):
            return
        from mtaudit.checks.fluency import fluency_lm

        try:
            fluency_lm(self.ctx)
        except ResourceError as exc:
            raise ModelUnavailable(model_problem(exc)) from None

    def _audit_admitted(self, doc: Document, language: str, scores: dict) -> Scorecard:
        cfg = self.config
        words = scores["words"]
        findings: list[Finding] = []
        sentences: list[SentenceScore] = []
        notes_of_checks: list[str] = []
        for check in list(self.checks):
            try:
                with i18n.use(cfg.messages):
                    result = check.run(doc, self.ctx)
            except ResourceError as exc:  # its lexicon or model cannot load: say it once
                self._disable(check, doc.source, exc)
                continue
            except Exception as exc:  # a broken check must not sink the batch
                log.debug("check %s failed on %s", check.code, doc.source, exc_info=True)
                self.check_errors.append(
                    InputError(doc.source, f"check {check.code} failed: {type(exc).__name__}: {exc}")
                )
                continue
            if isinstance(result, CheckResult):
                findings.extend(result.findings)
                scores.update(result.scores)
                sentences.extend(result.sentences)
                notes_of_checks.extend(result.notes)
            else:
                findings.extend(result)
        findings = self._finish(doc, findings)
        notes = doc.meta.setdefault("notes", [])
        findings, suppressed = split_suppressed(findings, doc.text, doc.meta.get("kind", "text"), doc.meta.get("ignore"), notes)
        major = sum(1 for f in findings if f.severity.rank >= Severity.MAJOR.rank)
        scores["major_per_1k"] = round(1000 * major / max(words, 1), 2)
        scores["findings_per_1k"] = round(1000 * len(findings) / max(words, 1), 2)
        reasons: list[str] = []
        for _name, scorer in self.scorers:
            out = scorer(doc, findings, scores, self.ctx) or {}
            reasons.extend(out.pop("reasons", []))
            scores.update(out)
        verdict, why = decide_verdict(findings, scores, cfg)
        reasons.extend(doc.meta.get("notes", []))
        # offsets, texts and columns into the text as read (an NFD file was analysed NFC)
        doc.as_read(suppressed)
        findings, sentences, spans, excluded = doc.as_read(
            findings, sentences, [(s.start, s.end) for s in doc.sentences], doc.excluded
        )
        return Scorecard(
            source=doc.source,
            language=language,
            verdict=verdict,
            scores=scores,
            findings=findings,
            excluded=excluded,
            signature=self.signature,
            encoding=doc.encoding,
            kind=doc.meta.get("kind", "text"),
            path=doc.meta.get("path"),
            record_id=doc.meta.get("record_id"),
            reasons=why + reasons,
            text=doc.text_as_read,
            sentences=sentences,
            sentence_spans=spans,
            notes=notes_of_checks,
            thresholds=verdict_thresholds(cfg),
            suppressed=suppressed,
        )

    def _skipped(self, doc: Document, language: str, scores: dict, reason: str) -> Scorecard:
        """The scorecard of an article that is not audited (not French, or no text left)."""
        _, _, spans, excluded = doc.as_read(spans=[(s.start, s.end) for s in doc.sentences], excluded=doc.excluded)
        return Scorecard(
            source=doc.source,
            language=language,
            verdict=SKIPPED,
            scores=scores,
            findings=[],
            excluded=excluded,
            signature=self.signature,
            encoding=doc.encoding,
            kind=doc.meta.get("kind", "text"),
            path=doc.meta.get("path"),
            record_id=doc.meta.get("record_id"),
            reasons=[reason],
            text=doc.text_as_read,
            thresholds=verdict_thresholds(self.config),
            sentence_spans=spans,
        )

    def _finish(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        return finish_findings(doc, findings, self.config.severity)

    def prepare(self, docs: list[Document]) -> None:
        """Let checks batch work across the documents about to be audited (the language
        model scores all their sentences at once). Results do not depend on the grouping: a
        check's ``prepare`` only warms caches. A failure here is reported by ``run``."""
        for check in list(self.checks):
            if type(check).prepare is Check.prepare:
                continue
            try:
                check.prepare(docs, self.ctx)
            except ResourceError as exc:
                self._disable(check, docs[0].source, exc)
            except Exception:  # the check's run() on each document reports the failure
                log.debug("check %s failed to prepare", check.code, exc_info=True)

    def audit_many(
        self, items: Iterable[Item | InputError], group: int = 16, group_words: int = 40_000
    ) -> Iterator[Scorecard | InputError]:
        """Audit a stream of inputs; results come out in input order.

        When a check can batch work across articles (the language model), up to ``group``
        articles (and about ``group_words`` words, counted by the document tokeniser before
        page furniture is set aside) are read ahead and prepared together."""
        batching = any(type(c).prepare is not Check.prepare for c in self.checks)
        if not batching:
            group = 1
        pending: list[Item | InputError] = []
        n_items = words = 0
        for item in items:
            pending.append(item)
            if isinstance(item, Item):
                n_items += 1
                if batching:
                    words += count_words(item.text)
            if n_items >= group or words >= group_words:
                yield from self._audit_group(pending, batching)
                pending, n_items, words = [], 0, 0
        if pending:
            yield from self._audit_group(pending, batching)

    def _audit_group(
        self, items: list[Item | InputError], prepare: bool
    ) -> Iterator[Scorecard | InputError]:
        admitted: list[tuple[Item | InputError, Document | None, Scorecard | tuple[str, dict] | None]] = []
        for item in items:
            if isinstance(item, InputError):
                admitted.append((item, None, None))
                continue
            doc = self.document(item)
            admitted.append((item, doc, self._admit(doc)))
        to_audit = [doc for _, doc, adm in admitted if doc is not None and isinstance(adm, tuple)]
        if to_audit and prepare:
            n_err = len(self.check_errors)
            self.prepare(to_audit)
            yield from self.check_errors[n_err:]
        for item, doc, adm in admitted:
            if doc is None:
                yield item
                continue
            n_err = len(self.check_errors)
            card = adm if isinstance(adm, Scorecard) else self._audit_admitted(doc, *adm)
            doc.release()  # no reference cycle left behind (memory stays flat without gc)
            yield from self.check_errors[n_err:]
            yield card


def finish_findings(doc: Document, findings: list[Finding], severity: dict[str, Severity]) -> list[Finding]:
    """Severity overrides, text/line/column from the document, one finding per span: the
    findings of the checks as a scorecard lists them (also ``mtaudit glossary check``'s)."""
    excluded_lines = {e.line for e in doc.excluded}
    best: dict[tuple[int, int], Finding] = {}
    for f in findings:
        if not (0 <= f.start < f.end <= len(doc.text)):
            continue
        f.line, f.column = doc.line_col(f.start)
        if f.line in excluded_lines:
            continue
        if f.rule in severity:
            f.severity = severity[f.rule]
        f.text = doc.text[f.start : f.end]
        key = (f.start, f.end)
        old = best.get(key)
        # the same span flagged by two rules: keep the more severe, then the one with a fix
        if old is None or (f.severity.rank, f.suggestion is not None, old.rule) > (
            old.severity.rank,
            old.suggestion is not None,
            f.rule,
        ):
            best[key] = f
    return sorted(best.values(), key=Finding.sort_key)


def text_item(text, source: str = "<text>") -> Item:
    """The Item of a text given to the library API; TypeError (naming what was given) for
    anything that is not ``str`` or ``bytes``, ValueError for bytes that are not text."""
    from mtaudit.io.inputs import clean_text, decode_noted

    if not isinstance(source, str):
        raise TypeError(f"source must be a str, not {type(source).__name__}")
    if isinstance(text, (bytes, bytearray, memoryview)):
        decoded, enc, notes = decode_noted(bytes(text))
        return Item(source, decoded, enc, notes=notes)
    if not isinstance(text, str):
        raise TypeError(f"the text to audit must be a str (or bytes), not {type(text).__name__}")
    cleaned, notes = clean_text(normalise_newlines(text))
    return Item(source, cleaned, notes=notes)


@lru_cache(maxsize=1)
def _library_auditor(config_pickle: bytes) -> Auditor:
    """The library API's auditor (checks, loaded resources), kept for the next call with an
    equal configuration. The configuration comes pickled: a key by value (core/context.py,
    policy 4), and the auditor gets its own copy of it."""
    return Auditor(pickle.loads(config_pickle))


def audit(text: str | bytes, config: Config | None = None, source: str = "<text>") -> Scorecard:
    """Audit one French text and return its scorecard (the library API).

    The auditor (checks, loaded resources) is kept for the next call with an equal
    configuration, so repeated calls do not reload the lexicons or the model.

    >>> card = audit("Yesterday, Poutine a offert une voiture à Kim Jong-un.")
    >>> card.verdict in ("pass", "warn", "fail")
    True
    """
    if config is not None and not isinstance(config, Config):
        raise TypeError(f"config must be a mtaudit.core.config.Config, not {type(config).__name__}")
    item = text_item(text, source)
    auditor = _library_auditor(pickle.dumps(config or Config()))
    return auditor.audit_item(item)

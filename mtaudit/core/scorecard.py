"""The per-article scorecard: verdict, scores, counts, findings, excluded lines, signature.

Every field is typed: per-sentence scores (:class:`SentenceScore`), notes of the checks, the
thresholds the verdict used and the structured :class:`~mtaudit.core.signature.Signature`.
The reports (text, JSON, HTML, CI formats) and the service read these fields; none parses a
string back or recomputes what the pipeline knew. The verdicts are defined here, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mtaudit.core.config import DEFAULT_THRESHOLDS, Config
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.signature import Signature
from mtaudit.text.furniture import Excluded

PASS, WARN, FAIL, SKIPPED = "pass", "warn", "fail", "skipped"
VERDICTS = (PASS, WARN, FAIL, SKIPPED)


@dataclass(frozen=True)
class VerdictStyle:
    colour: str  # HTML (chart, badges)
    style: str  # terminal (rich)


# the reports list verdicts worst first, in this order
VERDICT_STYLES: dict[str, VerdictStyle] = {
    FAIL: VerdictStyle("#b3261e", "bold red"),
    WARN: VerdictStyle("#d08a00", "bold yellow"),
    PASS: VerdictStyle("#2e8b45", "bold green"),
    SKIPPED: VerdictStyle("#9aa0a6", "dim"),
}
VERDICT_ORDER = tuple(VERDICT_STYLES)


@dataclass(frozen=True)
class SentenceScore:
    """The language model's scores of one sentence (FL601), for the reports."""

    start: int  # character span of the sentence in the article text
    end: int
    perplexity: float
    slor: float
    score: float | None  # fluency 0-100 (None: not calibrated for its length)
    token_start: int
    token_end: int
    in_article: bool  # counted in the article score (headlines and short sentences are not)
    surprising_start: int | None = None  # the word the model expected least
    surprising_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "perplexity": self.perplexity,
            "slor": self.slor,
            "score": self.score,
            "token_start": self.token_start,
            "token_end": self.token_end,
            "in_article": self.in_article,
            "surprising_start": self.surprising_start,
            "surprising_end": self.surprising_end,
        }


@dataclass
class Scorecard:
    source: str
    language: str
    verdict: str
    scores: dict[str, Any]
    findings: list[Finding]
    excluded: list[Excluded]
    signature: Signature
    encoding: str = "utf-8"
    reasons: list[str] = field(default_factory=list)
    text: str | None = None  # kept for reports; in JSON only with --include-text
    sentences: list[SentenceScore] = field(default_factory=list)  # per sentence (FL601)
    notes: list[str] = field(default_factory=list)  # what the checks say about their scores
    thresholds: dict[str, float] = field(default_factory=dict)  # those the verdict used
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each sentence
    suppressed: list[Finding] = field(default_factory=list)  # silenced by comments or "ignore"
    # where the text came from, for the CI formats: input kind, file of a JSONL record, its id
    kind: str = "text"
    path: str | None = None
    record_id: str | None = None

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        cat = Counter(f.category for f in self.findings)
        sev = Counter(f.severity.value for f in self.findings)
        return {
            "category": dict(sorted(cat.items())),
            "severity": {s.value: sev.get(s.value, 0) for s in Severity},
            "suppressed": len(self.suppressed),
        }

    @property
    def major_or_worse(self) -> int:
        """Findings of severity major or critical (from :attr:`counts`)."""
        sev = self.counts["severity"]
        return sev[Severity.MAJOR.value] + sev[Severity.CRITICAL.value]

    def to_dict(self, include_text: bool = False, show_suppressed: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "language": self.language,
            "verdict": self.verdict,
            "reasons": self.reasons,
            "encoding": self.encoding,
            "scores": self.scores,
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
            "excluded": [e.to_dict() for e in self.excluded],
            "signature": str(self.signature),
        }
        if show_suppressed:
            out["suppressed"] = [f.to_dict() for f in self.suppressed]
        if include_text and self.text is not None:
            out["text"] = self.text
        return out


def verdict_thresholds(config: Config) -> dict[str, float]:
    """Every threshold of the verdict by name, sorted: the configuration's, else the default
    (the language ones decide "skipped", the others pass / warn / fail)."""
    names = sorted(set(DEFAULT_THRESHOLDS) | set(config.thresholds))
    return {n: config.threshold(n) for n in names}


def decide_verdict(findings: list[Finding], scores: dict[str, Any], config: Config) -> tuple[str, list[str]]:
    """pass / warn / fail and the reasons, from the thresholds of the configuration."""
    sev = Counter(f.severity for f in findings)
    words = max(int(scores.get("words", 0)), 1)
    crit, major, minor = sev[Severity.CRITICAL], sev[Severity.MAJOR], sev[Severity.MINOR]
    lik = scores.get("translated_from_english")
    fail, warn = [], []
    if crit:
        fail.append(f"{crit} critical finding{'s' if crit > 1 else ''}")
    if major >= config.threshold("fail_major"):
        fail.append(f"{major} major finding{'' if major == 1 else 's'} (fail at {config.threshold('fail_major'):g})")
    machine = scores.get("machine_translated")
    # a likely human translation (the machine model says so) never fails on the likelihood;
    # without a machine score (an older model) the likelihood decides alone, as before
    human = machine is not None and machine < config.threshold("fail_machine")
    long_enough = words >= config.threshold("likelihood_min_words")
    likely_translated = lik is not None and lik >= config.threshold("fail_likelihood")
    if likely_translated and not human and long_enough:
        if machine is None:
            fail.append(f"translated from English: likelihood {lik:.2f}")
        else:
            fail.append(
                f"likely machine-translated from English: likelihood {lik:.2f}, "
                f"machine rather than human {machine:.2f}"
            )
    if fail:
        return FAIL, fail
    if major >= config.threshold("warn_major"):
        warn.append(f"{major} major finding{'s' if major > 1 else ''}")
    minor_rate = 1000 * minor / words
    if minor_rate >= config.threshold("warn_minor_per_1k"):
        warn.append(f"{minor_rate:.1f} minor findings per 1,000 words")
    info: list[str] = []
    if lik is not None and lik >= config.threshold("warn_likelihood"):
        if human:
            why = (
                f"likely a human translation from English: likelihood {lik:.2f}, "
                f"machine rather than human {machine:.2f}"
            )
            (warn if config.threshold("human_translation_warn") >= 1 else info).append(why)
        elif likely_translated and not long_enough:
            warn.append(
                f"translated from English: likelihood {lik:.2f} (only {words} words: too short "
                f"to fail on it, under {config.threshold('likelihood_min_words'):g})"
            )
        else:
            warn.append(f"translated from English: likelihood {lik:.2f}")
    if warn:
        return WARN, warn
    return PASS, info

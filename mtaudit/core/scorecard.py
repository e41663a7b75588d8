"""The per-article scorecard: verdict, scores, counts, findings, excluded lines, signature."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mtaudit.core.config import Config
from mtaudit.core.findings import Finding, Severity
from mtaudit.text.furniture import Excluded

VERDICTS = ("pass", "warn", "fail", "skipped")


@dataclass
class Scorecard:
    source: str
    language: str
    verdict: str
    scores: dict[str, Any]
    findings: list[Finding]
    excluded: list[Excluded]
    signature: str
    encoding: str = "utf-8"
    reasons: list[str] = field(default_factory=list)
    text: str | None = None  # kept for reports; in JSON only with --include-text
    extra: dict[str, Any] = field(default_factory=dict)  # per-sentence data etc. (HTML report)
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
            "signature": self.signature,
        }
        if show_suppressed:
            out["suppressed"] = [f.to_dict() for f in self.suppressed]
        if include_text and self.text is not None:
            out["text"] = self.text
        return out


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
        return "fail", fail
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
        return "warn", warn
    return "pass", info

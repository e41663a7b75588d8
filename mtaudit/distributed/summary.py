"""The run's summary: tallies of scorecard rows (one per shard, added up by the driver) and
``summary.json``, with Wilson intervals for the shares."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from mtaudit import __version__
from mtaudit.core.scorecard import FAIL

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    """What the summary needs of some scorecard rows; tallies of shards add up."""

    records: int = 0
    articles: int = 0
    errors: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    judged: int = 0
    likely: int = 0
    domains: dict[str, list[int]] = field(default_factory=dict)  # domain: [pages, judged, likely, fail]
    workers: dict[str, list[float]] = field(default_factory=dict)  # worker: [records, peak RSS MB, load s]
    first_errors: list[tuple[str, str]] = field(default_factory=list)  # (input id, line)
    shards: list[str] = field(default_factory=list)
    signature: str = ""  # of the scorecards (all share it)

    KEEP_ERRORS = 20

    def add_row(self, row: dict[str, Any]) -> None:
        self.records += 1
        v = row["verdict"]
        if v == "error":
            self.errors += 1
            self.error_kinds[row["error_kind"]] = self.error_kinds.get(row["error_kind"], 0) + 1
            err = json.loads(row["record"])
            self.first_errors.append((row["input"], f"{err['source']}: {err.get('message', err.get('error'))}"))
            self.first_errors = sorted(self.first_errors)[: self.KEEP_ERRORS]
        else:
            self.articles += 1
            self.verdicts[v] = self.verdicts.get(v, 0) + 1
            if not self.signature:
                self.signature = json.loads(row["record"])["signature"]
            if row["likely"] >= 0:
                self.judged += 1
                self.likely += int(row["likely"])
            if row["domain"]:
                d = self.domains.setdefault(row["domain"], [0, 0, 0, 0])
                d[0] += 1
                d[1] += int(row["likely"] >= 0)
                d[2] += int(row["likely"] == 1)
                d[3] += int(v == FAIL)
        name, rss, load = row["worker"].rsplit("|", 2)
        w = self.workers.setdefault(name, [0, 0.0, 0.0])
        w[0] += 1
        w[1] = max(w[1], float(rss))
        w[2] = max(w[2], float(load))

    def merge(self, other: Tally) -> None:
        self.records += other.records
        self.articles += other.articles
        self.errors += other.errors
        self.judged += other.judged
        self.likely += other.likely
        for mine, theirs in ((self.verdicts, other.verdicts), (self.error_kinds, other.error_kinds)):
            for k, n in theirs.items():
                mine[k] = mine.get(k, 0) + n
        for k, vals in other.domains.items():
            d = self.domains.setdefault(k, [0, 0, 0, 0])
            for i, x in enumerate(vals):
                d[i] += x
        for k, (n, rss, load) in other.workers.items():
            w = self.workers.setdefault(k, [0, 0.0, 0.0])
            w[0] += n
            w[1], w[2] = max(w[1], rss), max(w[2], load)
        self.first_errors = sorted(self.first_errors + other.first_errors)[: self.KEEP_ERRORS]
        self.shards += other.shards
        self.signature = self.signature or other.signature


def _share(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"judged": n, "likely": k, "share": round(k / n, 4) if n else None, "ci95": [round(lo, 4), round(hi, 4)]}


def summary_dict(t: Tally, signature: str, threshold: float, sample: float | None = None, seed: int = 0) -> dict[str, Any]:
    """summary.json: deterministic for the same inputs and configuration (no timings)."""
    domains = [
        {"domain": d, "pages": v[0], "fail": v[3], **_share(v[2], v[1])}
        for d, v in sorted(t.domains.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    return {
        "mtaudit": __version__,
        "signature": signature,
        "engine": "ray",
        "sample": None if sample is None else {"fraction": sample, "seed": seed},
        "summary": {"articles": t.articles, "errors": t.errors, "verdicts": dict(sorted(t.verdicts.items()))},
        "errors_by_kind": dict(sorted(t.error_kinds.items())),
        "likely_machine_translated": {
            "rule": f"translated_from_english >= {threshold:g} (warn_likelihood)",
            "interval": "Wilson score, 95%",
            **_share(t.likely, t.judged),
        },
        "by_domain": domains,
    }

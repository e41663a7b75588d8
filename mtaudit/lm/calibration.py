"""Calibration of the fluency measure on French news originals.

The calibration table (``mtaudit/data/fluency_calibration.json``, made by
``training/calibrate_fluency.py``) holds, per model, quantiles of the normalised surprise
(``mtaudit.lm.document_fluency``) on French news originals, by length band: for sentences by
their number of units, for articles by the number of units counted (windows of consecutive
sentences of originals of that length). A score is ``100 * tail``, where ``tail`` is the share
of originals of the same band at least as unusual: the score is the percentile of fluency
among French originals of that length (50 for the median original, 5 for the 5% least
fluent), so it does not saturate.

A calibration table of the old kind (perplexity quantiles only, made before this measure) is
still read: its scores come from the perplexity, as before.
"""

from __future__ import annotations

import bisect
import json
import math
from functools import lru_cache
from pathlib import Path

from mtaudit.core.resources import data_path
from mtaudit.lm.paths import CALIBRATION_FILE, cache_dir

DEFAULT_MIN_WORDS = 5


class Calibration:
    """Quantiles of the fluency measure on French originals, by length band."""

    def __init__(self, data: dict):
        self.data = data
        self.min_words = int(data.get("min_words", DEFAULT_MIN_WORDS))
        self.normalised = "sentence_bands" in data
        if self.normalised:
            self.sentence_bands = [
                (int(b["min_units"]), b["quantiles"]) for b in data["sentence_bands"]
            ]
            self.article_bands = [
                (int(b["min_units"]), b["quantiles"]) for b in data["article_bands"]
            ]
            oov = data.get("oov")
            self.oov = (float(oov[0]), float(oov[1])) if oov else None
        else:  # a table of the old kind: perplexity quantiles
            self.sentence_q = data["sentence_log_ppl_quantiles"]
            self.article_q = data["article_log_ppl_quantiles"]
            self.oov = None

    @staticmethod
    def _tail(q: list[float], x: float) -> float:
        """Share of the calibration sample with a value >= x (quantiles at even steps)."""
        n = len(q) - 1
        if x <= q[0]:
            return 1.0
        if x >= q[-1]:
            return 0.0
        i = bisect.bisect_right(q, x) - 1
        lo, hi = q[i], q[i + 1]
        frac = (x - lo) / (hi - lo) if hi > lo else 0.0
        return 1.0 - (i + frac) / n

    @staticmethod
    def _band(bands: list[tuple[int, list[float]]], n_units: int) -> list[float]:
        q = bands[0][1]
        for lo, qq in bands:
            if n_units >= lo:
                q = qq
        return q

    @staticmethod
    def score_from_tail(tail: float) -> float:
        return 100.0 * min(1.0, 2.0 * tail)

    def sentence_score(self, ppl: float, norm_surprise: float = 0.0, n_units: int = 0) -> float:
        if not self.normalised:
            return self.score_from_tail(self._tail(self.sentence_q, math.log(ppl)))
        return 100.0 * self._tail(self._band(self.sentence_bands, n_units), norm_surprise)

    def article_score(self, ppl: float, norm_surprise: float = 0.0, n_units: int = 0) -> float:
        if not self.normalised:
            return self.score_from_tail(self._tail(self.article_q, math.log(ppl)))
        return 100.0 * self._tail(self._band(self.article_bands, n_units), norm_surprise)


@lru_cache(maxsize=8)
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def calibration_for(model_id: str) -> Calibration | None:
    """The calibration of this model: the shipped table, or one the user made in the cache."""
    shipped = (
        _read(str(data_path(CALIBRATION_FILE))) if data_path(CALIBRATION_FILE).is_file() else {}
    )
    entry = shipped.get("models", {}).get(model_id)
    if entry is None:
        user = cache_dir() / "calibration" / f"{slug(model_id)}.json"
        if user.is_file():
            entry = _read(str(user)).get("models", {}).get(model_id)
    return Calibration(entry) if entry else None


def slug(model_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)

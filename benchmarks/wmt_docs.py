"""The WMT French news documents the LM benchmarks sample (``../shared/data/wmt-fr-news``)."""

from __future__ import annotations

import json
import random
from pathlib import Path


def shuffled(data: Path, seed: int) -> tuple[list[dict], list[dict]]:
    """The human French originals and the machine-translated documents, each shuffled with
    ``random.Random(seed)`` (one generator, human first: the order the benchmarks always used)."""
    human = [json.loads(line) for line in open(data / "human_fr_docs.jsonl", encoding="utf-8")]
    mt = [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    rng = random.Random(seed)
    rng.shuffle(human)
    rng.shuffle(mt)
    return human, mt

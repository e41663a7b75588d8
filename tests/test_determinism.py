"""The same input gives the same JSON in two separate processes.

Each run is a fresh ``mtaudit scan`` process with its own string-hash seed (``PYTHONHASHSEED``)
and its own empty cache, so an output that depends on set or dict-of-hash order, on a warm
in-process cache or on artefacts left by an earlier run shows up as a difference. (Two runs in
one process share the hash seed and the caches: they cannot catch these.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def scan(args: list[str], hash_seed: int, cache: Path) -> str:
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed), XDG_CACHE_HOME=str(cache), HF_HUB_OFFLINE="1")
    env.pop("MTAUDIT_CACHE", None)
    p = subprocess.run(
        [sys.executable, "-m", "mtaudit.cli", "scan", "--format", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert p.returncode in (0, 1), p.stderr  # 1: an article fails, as some seeds do
    return p.stdout


def assert_same(a: str, b: str) -> None:
    assert json.loads(a)["articles"], "the scan audited nothing"
    if a != b:  # say where, not just that they differ
        ja, jb = json.loads(a), json.loads(b)
        assert ja["signature"] == jb["signature"]
        for x, y in zip(ja["articles"], jb["articles"], strict=True):
            assert x == y, x["source"]
        assert ja == jb
    assert a == b


def test_rules_only_scan_is_the_same_in_two_processes(tmp_path):
    a = scan([str(SEEDS), "--no-lm"], 1, tmp_path / "cache-a")
    b = scan([str(SEEDS), "--no-lm"], 2, tmp_path / "cache-b")
    assert_same(a, b)
    # and a third run that reads the first one's artefacts back (warm cache) agrees too
    assert_same(a, scan([str(SEEDS), "--no-lm"], 3, tmp_path / "cache-a"))


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory) -> Path:
    from tinylm import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-gpt2"))


def test_scan_with_a_language_model_is_the_same_in_two_processes(tmp_path, tiny_model_dir):
    args = [str(SEEDS), "--model", str(tiny_model_dir)]
    a = scan(args, 1, tmp_path / "cache-a")
    b = scan(args, 2, tmp_path / "cache-b")
    assert "perplexity" in json.loads(a)["articles"][0]["scores"]  # the model did score
    assert_same(a, b)

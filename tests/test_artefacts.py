"""Built resources cached on disk (mtaudit.core.artefacts) and wordfreq without loading wordfreq
(mtaudit.lang.frequencies): same results, rebuilt when an input changes, safe when several first
runs start at once."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from mtaudit.core import artefacts
from mtaudit.lang import frequencies

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MTAUDIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MTAUDIT_ARTEFACTS", "1")
    return tmp_path / "cache" / "artefacts"


def test_zipf_frequency_is_wordfreqs_own_value():
    import wordfreq

    words = ["maison", "été", "hacker", "week-end", "a-t-il", "qu’", "l'", "aujourd'hui",
             "Paris", "COVID-19", "2024", "œuvre", "straße", "xqzwv", "", "-", "nord-coréen"]
    rng = random.Random(0)
    for lang in ("fr", "en"):
        words += rng.sample(wordfreq.top_n_list(lang, 20000), 300)
    for w in words:
        for lang in ("fr", "en"):
            assert repr(frequencies.zipf_frequency(w, lang)) == repr(
                wordfreq.zipf_frequency(w, lang)
            ), (w, lang)


def test_artefact_is_built_once_and_rebuilt_when_its_input_changes(cache, tmp_path):
    data = tmp_path / "words.tsv"
    data.write_text("chat\t1\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        rows = dict(line.split("\t") for line in data.read_text(encoding="utf-8").splitlines())
        return {"t": rows}

    def load():
        # fresh content hash each time (resources.fingerprint is cached per process)
        ident = f"words.tsv:{__import__('hashlib').sha256(data.read_bytes()).hexdigest()}"
        return artefacts.load("test-words", "1", [ident], build)["t"]

    assert load()["chat"] == "1" and len(builds) == 1
    t = load()
    assert isinstance(t, artefacts.DiskMap) and t.get("chat") == "1" and "chien" not in t
    assert len(builds) == 1  # read back, not rebuilt
    data.write_text("chat\t2\nchien\t3\n", encoding="utf-8")
    assert load()["chien"] == "3" and len(builds) == 2
    assert artefacts.load("test-words", "2", ["x"], build) is not None and len(builds) == 3
    assert not list(cache.glob("*.tmp"))


def test_damaged_artefact_is_rebuilt(cache):
    calls = []

    def build():
        calls.append(1)
        return {"t": {"a": (1, "b")}}

    assert artefacts.load("test-damaged", "1", [], build)["t"]["a"] == (1, "b")
    (path,) = cache.glob("test-damaged-*.sqlite")
    path.write_bytes(b"not a database")
    assert artefacts.load("test-damaged", "1", [], build)["t"]["a"] == (1, "b")
    assert len(calls) == 2
    obj = artefacts.load_object("test-obj", "1", [], lambda: {"x": [1, 2]})
    (pk,) = cache.glob("test-obj-*.pickle")
    pk.write_bytes(b"\x80garbage")
    assert artefacts.load_object("test-obj", "1", [], lambda: {"x": [1, 2]}) == obj


def test_unwritable_cache_still_audits(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        # root writes anywhere: a file where the cache folder should be blocks it instead
        blocker = tmp_path / "cache"
        blocker.write_text("not a folder")
        monkeypatch.setenv("MTAUDIT_CACHE", str(blocker))
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        monkeypatch.setenv("MTAUDIT_CACHE", str(ro / "cache"))
    assert artefacts.load("test-ro", "1", [], lambda: {"t": {"k": 1}})["t"]["k"] == 1


def _scan(env: dict, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mtaudit.cli", "scan", "--no-lm", "-f", "json", "-o", str(out),
         str(SEEDS / "004_55dc17aa284b7b25.txt")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_concurrent_first_runs_agree_with_an_uncached_run(tmp_path):
    """Two scans start at once on an empty cache (each builds the artefacts and renames its
    file into place); both and a run without artefacts give the same JSON."""
    env = dict(os.environ, MTAUDIT_CACHE=str(tmp_path / "cache"), HF_HUB_OFFLINE="1",
               MTAUDIT_ARTEFACTS="1")
    procs = [_scan(env, tmp_path / f"out{i}.json") for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 1, err.decode()  # seed 004 is a machine translation: exit 1
    ref = _scan(dict(env, MTAUDIT_ARTEFACTS="0"), tmp_path / "ref.json")
    ref.communicate(timeout=240)
    want = json.loads((tmp_path / "ref.json").read_text(encoding="utf-8"))
    for i in range(2):
        assert json.loads((tmp_path / f"out{i}.json").read_text(encoding="utf-8")) == want
    made = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "artefacts").iterdir())
    assert not [n for n in made if n.endswith(".tmp") or n.startswith(".")]
    assert {"wordfreq", "grammar", "anglicisms", "names"} <= set(made)
    # and a warm run reads them back with the same result
    warm = _scan(env, tmp_path / "warm.json")
    warm.communicate(timeout=240)
    assert json.loads((tmp_path / "warm.json").read_text(encoding="utf-8")) == want

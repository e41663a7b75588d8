"""Start-up of short runs (issue 18): what a `scan --no-lm` of one article and `mtaudit rules`
import. Each run is a new process, as a user starts it; the modules it loaded are read from
``sys.modules`` when the command has finished. No timing here: the modules that must stay out
are the ones that cost start-up time (numpy alone was ~0.1 s) or belong to the language model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys
from mtaudit.cli import main
sys.argv = ["mtaudit", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(OUT, "w") as fh:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, fh)
"""

# never needed by a run without the language model
LM_ONLY = ("torch", "transformers", "tokenizers", "safetensors", "gguf", "wordfreq")
# the likelihood is scored in plain Python; numpy is for the model's training and for Ray
HEAVY = ("numpy", "scipy", "sklearn", "pandas", "pyarrow", "ray")
# the language model's code: only its cache-folder module (where artefacts live) is allowed
LM_ALLOWED = {"mtaudit.lm", "mtaudit.lm.paths"}


def _modules(tmp_path: Path, cache: Path, *args: str) -> tuple[int, set[str]]:
    out = tmp_path / "modules.json"
    code = _CHILD.replace("OUT", repr(str(out)))
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", MTAUDIT_CACHE=str(cache))
    p = subprocess.run(
        [sys.executable, "-c", code, json.dumps(list(args))],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.is_file(), p.stderr[-2000:]
    data = json.loads(out.read_text())
    return data["exit"], set(data["modules"])


def _roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("article") / "article.txt"
    path.write_text(
        "Le conseil municipal a voté mardi soir le budget de la ville pour l'année prochaine. "
        "Les dépenses de fonctionnement augmenteront de 2 %, selon l'adjoint aux finances, "
        "qui a rappelé que les taux d'imposition ne changeraient pas. L'opposition a dénoncé "
        "un budget « sans ambition » et réclamé davantage d'investissements dans les écoles. "
        "Le maire a répondu que la rénovation de deux groupes scolaires commencerait au "
        "printemps, après une longue concertation avec les parents d'élèves.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory, article) -> Path:
    """A cache whose built resources exist, as after a user's first run (which builds them,
    with wordfreq among others: that first run is not what this file checks)."""
    cache = tmp_path_factory.mktemp("cache")
    work = tmp_path_factory.mktemp("warm")
    code, _ = _modules(work, cache, "scan", str(article), "--no-lm", "--format", "json")
    assert code in (0, 1)
    return cache


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_scan_without_the_model_imports_no_model_code(tmp_path, article, warm_cache, fmt):
    code, modules = _modules(tmp_path, warm_cache, "scan", str(article), "--no-lm", "--format", fmt)
    assert code in (0, 1)  # a scorecard was written (1: the article fails)
    assert "mtaudit.auditor" in modules  # the run did audit
    assert _roots(modules) & set(LM_ONLY + HEAVY) == set()
    assert {m for m in modules if m.startswith("mtaudit.lm.") or m == "mtaudit.lm"} <= LM_ALLOWED
    # reports of formats not asked for are not imported
    assert "mtaudit.report.html" not in modules
    if fmt == "text":
        assert "mtaudit.report.json_stream" not in modules
    else:
        assert "rich" not in _roots(modules)  # rich draws the text report only


def test_rules_imports_neither_the_pipeline_nor_the_model(tmp_path, warm_cache):
    code, modules = _modules(tmp_path, warm_cache, "rules")
    assert code == 0
    assert "mtaudit.checks.fluency" in modules  # every rule is listed, FL601 too
    assert _roots(modules) & set(LM_ONLY + HEAVY + ("lingua",)) == set()
    assert {m for m in modules if m.startswith("mtaudit.lm.") or m == "mtaudit.lm"} <= LM_ALLOWED
    assert "mtaudit.auditor" not in modules

"""Shared fixtures, and two guards for the whole session:

* the cache (``$XDG_CACHE_HOME/mtaudit``: artefacts, prepared models, calibrations) is a fresh
  temporary folder, removed at the end: no test reads or writes the user's cache. Tests marked
  ``slow`` (they need the real default model, prepared by ``mtaudit model prepare``) are the
  exception: they run with the user's own cache;
* a test not marked ``slow`` that loads or prepares the real default model fails, naming the
  marker (use the tiny model of tests/tinylm.py, or ``Config(lm=False)``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

_CACHE_VARS = ("XDG_CACHE_HOME", "MTAUDIT_CACHE")
_user_env: dict[str, str | None] = {}
_session_cache: dict[str, str] = {}


def _set_cache_env(values: dict[str, str | None]) -> None:
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def pytest_configure(config):
    _user_env.update({k: os.environ.get(k) for k in _CACHE_VARS})
    _session_cache["dir"] = tempfile.mkdtemp(prefix="mtaudit-test-cache-")
    # set at once (not only per test) so that collection and subprocesses see it too
    _set_cache_env({"XDG_CACHE_HOME": _session_cache["dir"], "MTAUDIT_CACHE": None})


def pytest_unconfigure(config):
    _set_cache_env(dict(_user_env))
    if "dir" in _session_cache:
        shutil.rmtree(_session_cache.pop("dir"), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # before the test's fixtures (a module fixture may look for the prepared model)
    if item.get_closest_marker("slow"):
        _set_cache_env(dict(_user_env))
    else:
        _set_cache_env({"XDG_CACHE_HOME": _session_cache["dir"], "MTAUDIT_CACHE": None})


@pytest.fixture(autouse=True)
def _no_real_model_unless_slow(request, monkeypatch):
    """Loading or preparing the default model fails the test unless it is marked ``slow``.

    ``pytest.fail`` raises a BaseException: the pipeline's "a check failed, go on" handlers do
    not swallow it, so the test fails instead of passing without its check."""
    if request.node.get_closest_marker("slow"):
        return
    import mtaudit.lm.loading as loading

    def refuse(*args, **kwargs):
        pytest.fail(
            "this test loads the real default language model: mark it @pytest.mark.slow, "
            "or use the tiny model of tests/tinylm.py (--model DIR) or Config(lm=False)",
            pytrace=False,
        )

    monkeypatch.setattr(loading, "read_manifest", refuse)
    monkeypatch.setattr(loading, "prepare", refuse)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_text():
    def read(prefix: str) -> str:
        (path,) = SEEDS.glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def rules_auditor():
    """One rules-only auditor for the session (the language model is tested on its own)."""
    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config

    return Auditor(Config(lm=False))

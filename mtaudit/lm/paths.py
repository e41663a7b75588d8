"""Where prepared models live: ``$XDG_CACHE_HOME/mtaudit`` (or ``~/.cache/mtaudit``)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL_ID = "gemma3-270m-q4_k_m"
DEFAULT_MODEL_DIRNAME = "gemma-3-270m-bf16"
MANIFEST = "mtaudit-model.json"
# the data files of the fluency score (under mtaudit/data), named here so that FL601 can list
# them in its signature without importing the scoring modules on a run without the model
CALIBRATION_FILE = "fluency_calibration.json"
MARKS_FILE = "unigram_marks.tsv"


def cache_dir() -> Path:
    """The user's mtaudit cache folder (not created here)."""
    env = os.environ.get("MTAUDIT_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "mtaudit"


def default_model_dir() -> Path:
    return cache_dir() / "models" / DEFAULT_MODEL_DIRNAME

"""The language model: preparation of the embedded default (Gemma 3 270M), loading of any
Hugging Face causal LM, fast sentence scoring, and the calibrated fluency score.

Importing this package is cheap: torch and transformers are imported when a model loads.
"""

import os as _os

# Idle OpenMP threads sleep instead of spinning: on a busy 2-core machine spinning threads
# made a forward pass 5x slower. Only effective if torch is not imported yet.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mtaudit.lm.paths import DEFAULT_MODEL_ID, cache_dir, default_model_dir

__all__ = ["DEFAULT_MODEL_ID", "cache_dir", "default_model_dir"]

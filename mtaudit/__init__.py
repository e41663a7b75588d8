"""mtaudit: a machine-translation quality auditor for French news text.

Library first: ``mtaudit.audit(text) -> Scorecard``; ``mtaudit scan`` is a thin CLI on it.
"""

import os as _os

# Nothing may download at run time: transformers and huggingface_hub stay offline unless the
# user allows the network explicitly (`--allow-network`).
_os.environ.setdefault("HF_HUB_OFFLINE", "1")
_os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__version__ = "0.1.0"


def audit(text, config=None, source="<text>"):
    from mtaudit.auditor import audit as _audit

    return _audit(text, config=config, source=source)


__all__ = ["audit", "__version__"]

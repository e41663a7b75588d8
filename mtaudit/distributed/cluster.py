"""The Ray cluster: Ray itself (an optional extra) and the connection to a cluster."""

from __future__ import annotations

import sys
from typing import Any


class RayMissing(RuntimeError):
    """Ray is not installed: the message says how to install it."""


def require_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise RayMissing('the Ray engine needs Ray Data: pip install "mtaudit[ray]"') from None
    return ray


def init_ray(address: str | None, quiet: bool = True):
    """Connect to the cluster at ``address`` (``auto``, ``ray://host:10001``, ``host:6379``)
    or start a local one on this machine's CPUs."""
    import logging

    ray = require_ray()
    if not ray.is_initialized():
        kw: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": True}
        if address:
            kw["address"] = address
        else:
            kw["include_dashboard"] = False
        ray.init(**kw)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = sys.stderr.isatty() and not quiet
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray

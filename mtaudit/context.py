"""Shared, lazily loaded resources for checks: each is built once per process run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .config import Config

T = TypeVar("T")


class Context:
    """Holds the configuration and a cache of heavy resources (models, lexicons, glossaries).

    ``ctx.resource("lingua", build)`` returns the cached object, calling ``build()`` the first
    time only. ``ctx.versions`` collects what the signature should say about loaded resources.
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.versions: dict[str, str] = {}

    def resource(self, key: str, build: Callable[[], T]) -> T:
        if key not in self._cache:
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = build()
        return self._cache[key]

    def has(self, key: str) -> bool:
        return key in self._cache

    def options(self, code: str) -> dict[str, Any]:
        return self.config.options.get(code, {})

"""Shared, lazily loaded resources for checks: each is built once per process run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from mtaudit.core.config import Config

T = TypeVar("T")


class ResourceError(RuntimeError):
    """A shared resource (lexicon, glossary, model) could not be built: it is not retried."""


class Context:
    """Holds the configuration and a cache of heavy resources (models, lexicons, glossaries).

    ``ctx.resource("lingua", build)`` returns the cached object, calling ``build()`` the first
    time only.
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def resource(self, key: str, build: Callable[[], T]) -> T:
        """The cached resource; ``build()`` runs once. If it fails, the failure is cached too
        and raised again as :class:`ResourceError` (a broken lexicon is not re-read for every
        document)."""
        if key not in self._cache:
            with self._lock:
                if key not in self._cache:
                    try:
                        self._cache[key] = build()
                    except Exception as exc:  # noqa: BLE001 - any failure is the resource's
                        self._cache[key] = ResourceError(f"{key}: {type(exc).__name__}: {exc}")
        value = self._cache[key]
        if isinstance(value, ResourceError):
            raise value
        return value

    def options(self, code: str) -> dict[str, Any]:
        return self.config.options.get(code, {})

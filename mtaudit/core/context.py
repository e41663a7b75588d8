"""The run's context: its configuration and its cache of per-configuration resources.

One cache policy for the whole of mtaudit (docs: /work/API_CORE.md, docs/architecture.md):

1. **Per-configuration resources** (lexicons, glossaries, compiled patterns, the language
   model): ``ctx.resource(key, build)``. The key names the resource *and every configuration
   value build() reads* (``f"english.lexicon:{margin}:{min_zipf}"``), never an ``id()``: the
   service shares one cache between the contexts of different configurations
   (:meth:`Context.sharing`), so a key that leaves a value out hands one configuration's
   resource to another.
2. **Per-document analyses** (work on one document that several checks read):
   declared in ``mtaudit.analyses`` and read with ``doc.analysis(ctx, name)``; computed once per
   document and configuration (:attr:`Context.key`), dropped with the document.
3. **On-disk artefacts** (tables built from data files, kept between runs):
   ``mtaudit.core.artefacts`` (``load`` / ``load_object``), keyed by the contents of their
   inputs. A resource may be read from an artefact inside its ``build()``.
4. **Small pure memo functions** may keep ``functools.lru_cache`` / ``functools.cache``, only
   at module level and keyed by value (``translations(lang)``, ``category_table()``): not on
   methods (the instance would be a key and live forever), never holding a document. (The
   library API ``mtaudit.audit`` keeps its last Auditor so, keyed by the pickled configuration.)

Nothing else: no module-level dicts used as caches, no keys built from ``id(ctx)`` or
``id(glossary)``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from mtaudit.core.config import Config

T = TypeVar("T")


class ResourceError(RuntimeError):
    """A shared resource (lexicon, glossary, model) could not be built: it is not retried."""


class Context:
    """Holds the configuration and a cache of heavy resources (models, lexicons, glossaries).

    ``ctx.resource("lingua", build)`` returns the cached object, calling ``build()`` the first
    time only. The configuration must not change once the context is made.
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def sharing(self, config: Config) -> Context:
        """A context for another configuration that shares this one's resources (the
        service: one loaded model and lexicons, per-request configurations). Sound because
        resource keys name the configuration values they depend on (policy 1)."""
        other = Context(config)
        other._cache, other._lock = self._cache, self._lock
        return other

    @cached_property
    def key(self) -> str:
        """The configuration's identity, from its values: what per-document analyses are
        cached under (two contexts of equal configurations share them)."""
        return hashlib.sha256(repr(self.config).encode()).hexdigest()[:16]

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

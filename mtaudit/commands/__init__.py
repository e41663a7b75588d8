"""CLI sub-commands beyond `scan` and `rules`: each module here defines ``register(app)``,
which adds its commands or sub-apps to the main typer app. Imported by ``mtaudit.cli``."""

from __future__ import annotations

import importlib
import pkgutil


def register_all(app) -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}").register(app)

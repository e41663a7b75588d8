"""Plug-in packages (checks, scorers, CLI commands): every module in them is imported once."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def import_submodules(package: str, path) -> list[ModuleType]:
    """Import the modules of ``package`` (whose ``__path__`` is ``path``) in name order,
    skipping those starting with "_"; return them."""
    return [
        importlib.import_module(f"{package}.{mod.name}")
        for mod in sorted(pkgutil.iter_modules(path), key=lambda m: m.name)
        if not mod.name.startswith("_")
    ]

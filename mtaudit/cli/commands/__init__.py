"""The CLI's commands, one module each: each defines ``register(app)``, which adds its
commands or sub-apps to the main typer app. Imported by ``mtaudit.cli``. They are registered
in name order, after those with a lower ``PRIORITY`` (``scan`` then ``rules`` come first in
``mtaudit --help``); adding a command is adding a module."""

from __future__ import annotations

from mtaudit.core.plugins import import_submodules


def register_all(app) -> None:
    modules = import_submodules(__name__, __path__)  # in name order
    for module in sorted(modules, key=lambda m: getattr(m, "PRIORITY", 100)):
        module.register(app)

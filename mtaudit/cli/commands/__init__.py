"""CLI sub-commands beyond `scan` and `rules`: each module here defines ``register(app)``,
which adds its commands or sub-apps to the main typer app. Imported by ``mtaudit.cli``."""

from __future__ import annotations

from mtaudit.core.plugins import import_submodules


def register_all(app) -> None:
    for module in import_submodules(__name__, __path__):
        module.register(app)

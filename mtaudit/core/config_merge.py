"""The configuration of one run: the configuration file (``load_config``) merged with the
overrides a caller gives (the command line's options), each override recorded in
``Config.origins`` so that ``mtaudit config`` can say where a value came from.

A bad value is a :class:`~mtaudit.core.config.ConfigError` (or an ``OptionError``) whose
message names the option; the caller decides how to report it (the CLI: one line, exit 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mtaudit.core.config import Config, ConfigError, check_codes, check_rules_left, load_config
from mtaudit.core.vocabulary import check_vocabulary

LANGUAGE_BACKENDS = ("lingua", "langdetect")
MESSAGE_LANGUAGES = ("fr", "en")


def _codes(parts: Iterable[str]) -> list[str]:
    """``["EN,AN", "CV305"]`` -> ``["EN", "AN", "CV305"]`` (a repeated option, comma lists)."""
    return [s for part in parts for s in part.split(",") if s.strip()]


def add_glossaries(cfg: Config, glossaries: Iterable[str] | None, origin: str = "--glossary") -> None:
    """Append house glossaries (after the configuration's: they take precedence)."""
    glossaries = list(glossaries or [])
    if not glossaries:
        return
    for g in glossaries:
        if not Path(g).is_file():
            raise ConfigError(f"{g}: glossary file not found")
    cfg.glossaries = cfg.glossaries + glossaries
    cfg.origins["glossaries"] = origin


def merged_config(
    config_path: str | None,
    *,
    start: str | None = None,
    no_lm: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    glossary: list[str] | None = None,
    model: str | None = None,
    keep_boilerplate: bool = False,
    max_size_mb: float | None = None,
    language_backend: str | None = None,
    allow_network: bool = False,
    lang: str | None = None,
) -> Config:
    """The configuration found from ``start`` (or named by ``config_path``) with these
    overrides; ``None`` / ``False`` leaves the configuration's value."""
    cfg = load_config(config_path, cwd=start)
    if no_lm:
        cfg.lm = False
        cfg.origins["lm"] = "--no-lm"
    if select:
        cfg.select = check_codes("--select", _codes(select))
        cfg.origins["select"] = "--select"
    if ignore:
        cfg.ignore = cfg.ignore + check_codes("--ignore", _codes(ignore))
        cfg.origins["ignore"] = "--ignore" if "ignore" not in cfg.origins else f"{cfg.origins['ignore']} + --ignore"
    check_rules_left(cfg)
    check_vocabulary(cfg)
    add_glossaries(cfg, glossary)
    if model:
        cfg.model = model
        cfg.origins["model"] = "--model"
    if keep_boilerplate:
        cfg.keep_boilerplate = True
        cfg.origins["keep_boilerplate"] = "--keep-boilerplate"
    if max_size_mb is not None:  # else the configuration's max_bytes (default 10 MB)
        if not (max_size_mb > 0 and max_size_mb * 1_000_000 < 2**62):  # also refuses nan, inf
            raise ConfigError(f"--max-size must be a positive number of MB, not {max_size_mb!r}")
        cfg.max_bytes = int(max_size_mb * 1_000_000)
        cfg.origins["max_bytes"] = "--max-size"
    if language_backend:
        if language_backend not in LANGUAGE_BACKENDS:
            raise ConfigError(f"unknown language backend {language_backend!r} (lingua or langdetect)")
        cfg.language_backend = language_backend
        cfg.origins["language_backend"] = "--language-backend"
    if allow_network:
        cfg.allow_network = True
        cfg.origins["allow_network"] = "--allow-network"
    if lang:
        if lang not in MESSAGE_LANGUAGES:
            raise ConfigError(f"unknown message language {lang!r} (fr or en)")
        cfg.messages = lang
        cfg.origins["messages"] = "--lang"
    return cfg

"""Configuration: ``[tool.mtaudit]`` in a ``pyproject.toml``, or a ``mtaudit.toml``.

Looked up in the current directory unless ``--config FILE`` names one. Unknown keys are an
error, so a typo never silently does nothing. Example::

    [tool.mtaudit]
    select = ["EN", "AN"]          # rule codes or prefixes; default: all
    ignore = ["CV305"]
    glossaries = ["house.tsv"]     # house glossaries, override the default one
    model = "/models/croissant"    # a local Hugging Face causal-LM directory
    lm = true                      # false = --no-lm

    [tool.mtaudit.severity]
    CV305 = "info"

    [tool.mtaudit.thresholds]
    fail_major = 3
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .findings import Severity


class ConfigError(ValueError):
    pass


DEFAULT_THRESHOLDS: dict[str, float] = {
    # verdict "fail": any critical finding, or at least this many major findings ...
    "fail_major": 3,
    # ... or a translated-from-English likelihood at least this high (when computed)
    "fail_likelihood": 0.95,
    # ... and, when the model gives it, a probability of machine (not human) translation given
    # that the text is translated at least this high: a likely human translation never fails
    # on the likelihood (chosen on the development data: see training/README.md)
    "fail_machine": 0.8,
    # a likely human translation from English (likelihood >= warn_likelihood, machine below
    # fail_machine) is a warn at 1, only an informative reason (verdict unchanged) at 0
    "human_translation_warn": 1,
    # below this many words the likelihoods alone never fail an article (too short to be
    # sure: they can warn)
    "likelihood_min_words": 400,
    # verdict "warn": at least this many major findings ...
    "warn_major": 1,
    # ... or at least this many minor findings per 1,000 words ...
    "warn_minor_per_1k": 15.0,
    # ... or a likelihood at least this high
    "warn_likelihood": 0.5,
    # fluency: a sentence whose score is below this becomes a finding
    "fluency_sentence_min": 5.0,
    # language ID: below this many words the language is not judged
    "language_min_words": 8,
    # an article is set aside as not French only when language ID is at least this sure ...
    "language_min_confidence": 0.9,
    # ... and it has at least this many words
    "language_skip_min_words": 20,
}


@dataclass
class Config:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    glossaries: list[str] = field(default_factory=list)
    model: str | None = None
    lm: bool = True
    allow_network: bool = False
    language_backend: str = "lingua"
    max_bytes: int = 10_000_000
    keep_boilerplate: bool = False
    # free-form options per check, by rule code: [tool.mtaudit.options.EN101]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None  # where it was read from

    def rule_enabled(self, code: str) -> bool:
        if any(code.startswith(p) for p in self.ignore):
            return False
        if self.select is None:
            return True
        return any(code.startswith(p) for p in self.select)

    def threshold(self, name: str) -> float:
        return self.thresholds.get(name, DEFAULT_THRESHOLDS.get(name, 0.0))

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | None = None) -> Config:
        known = {f.name for f in fields(cls)} - {"source"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{source or 'config'}: unknown key(s) {', '.join(unknown)}")
        kw = dict(data)
        try:
            if "severity" in kw:
                kw["severity"] = {k.upper(): Severity.parse(v) for k, v in kw["severity"].items()}
            if "thresholds" in kw:
                bad = sorted(set(kw["thresholds"]) - set(DEFAULT_THRESHOLDS))
                if bad:
                    raise ConfigError(f"{source or 'config'}: unknown threshold(s) {', '.join(bad)}")
                kw["thresholds"] = {**DEFAULT_THRESHOLDS, **{k: float(v) for k, v in kw["thresholds"].items()}}
            for key in ("select", "ignore"):
                if key in kw and kw[key] is not None:
                    kw[key] = [str(x).upper() for x in kw[key]]
            if "glossaries" in kw and source:
                base = Path(source).parent
                kw["glossaries"] = [str((base / g) if not Path(g).is_absolute() else Path(g)) for g in kw["glossaries"]]
        except ConfigError:
            raise
        except (ValueError, AttributeError, TypeError) as exc:
            raise ConfigError(f"{source or 'config'}: {exc}") from None
        return cls(**kw, source=source)


def load_config(path: str | Path | None = None, cwd: str | Path | None = None) -> Config:
    """Read the configuration file named, or discover one in ``cwd``; defaults otherwise."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"{p}: configuration file not found")
        return _read(p, required=True)
    here = Path(cwd or Path.cwd())
    for name in ("mtaudit.toml", "pyproject.toml"):
        p = here / name
        if p.is_file():
            cfg = _read(p, required=False)
            if cfg is not None:
                return cfg
    return Config()


def _read(p: Path, required: bool) -> Config | None:
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})") from None
    if p.name == "pyproject.toml" or "tool" in data:
        section = data.get("tool", {}).get("mtaudit")
        if section is None:
            if required:
                raise ConfigError(f"{p}: no [tool.mtaudit] section")
            return None
    else:
        section = data.get("mtaudit", data)
    return Config.from_dict(section, source=str(p))

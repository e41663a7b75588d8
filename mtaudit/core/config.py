"""Configuration: ``[tool.mtaudit]`` in a ``pyproject.toml``, or a ``mtaudit.toml``.

The nearest one walking up from the (first) input, or from the current directory, unless
``--config FILE`` names one. Every key has a type and is checked: an unknown key, a value of the
wrong type, an unknown rule code or an unknown option is one error naming the key and the file,
so a typo never silently does nothing. Example::

    [tool.mtaudit]
    select = ["EN", "AN"]          # rule codes or prefixes; default: all
    ignore = ["CV305"]
    glossaries = ["house.tsv"]     # house glossaries, override the default one
    model = "/models/croissant"    # a local Hugging Face causal-LM directory
    lm = true                      # false = --no-lm
    messages = "fr"                # the findings' messages in French (default) or "en"

    [tool.mtaudit.severity]
    CV305 = "info"

    [tool.mtaudit.thresholds]
    fail_major = 3

    accept = ["desk", "fact-checking"]   # house vocabulary (also vocabularies = ["vocab/"])
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mtaudit.core.findings import Severity
from mtaudit.core.options import OptionError, check_number, check_str_list, validate_options


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
    # fluency: a sentence whose score is below this becomes a finding (the score is the
    # percentile among French originals of the same length: 2 flags 2% of originals)
    "fluency_sentence_min": 2.0,
    # language ID: below this many words the language is not judged
    "language_min_words": 8,
    # an article is set aside as not French only when language ID is at least this sure ...
    "language_min_confidence": 0.9,
    # ... and it has at least this many words
    "language_skip_min_words": 20,
    # an article of that many words with a smaller share of French function words
    # (data/french_function_words.txt) than this is checked against every Latin-script
    # language, not only those confused with French (Swahili, Polish… are not taken for French)
    "language_min_french_share": 0.1,
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
    messages: str = "fr"  # the language of the findings' messages: "fr" or "en"
    # options per check, by rule code: [tool.mtaudit.options.EN101] (declared on each check)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the house vocabulary: words never flagged (accept) or always flagged (reject) by the
    # English and anglicism rules, and directories holding accept.txt / reject.txt (Vale-like)
    accept: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)
    vocabularies: list[str] = field(default_factory=list)
    source: str | None = None  # where it was read from
    # where each value came from (key -> file or command-line option); defaults are absent
    origins: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def rule_enabled(self, code: str) -> bool:
        if any(code.startswith(p) for p in self.ignore):
            return False
        if not self.select:  # absent or empty: every rule
            return True
        return any(code.startswith(p) for p in self.select)

    def rules_in_force(self, registry) -> list[str]:
        """The codes of the rules this configuration runs, in registry order: selected, not
        ignored, and not needing the language model when it is off (``--no-lm``).
        ``registry`` maps codes to check classes (``mtaudit.checks.load_checks()``)."""
        return [
            code
            for code, cls in registry.items()
            if self.rule_enabled(code) and (self.lm or "lm" not in cls.requires)
        ]

    def threshold(self, name: str) -> float:
        return self.thresholds.get(name, DEFAULT_THRESHOLDS.get(name, 0.0))

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | None = None) -> Config:
        where = source or "config"
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: the configuration must be a table")
        known = {f.name for f in fields(cls)} - {"source", "origins"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        base = Path(source).parent if source else Path.cwd()
        try:
            kw = validate(data, base)
        except OptionError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        cfg = cls(**kw, source=source)
        cfg.origins = {k: where for k in data}
        for table in ("thresholds", "severity"):
            for name in data.get(table, {}):
                cfg.origins[f"{table}.{name.upper() if table == 'severity' else name}"] = where
        for code, opts in cfg.options.items():
            for name in opts:
                cfg.origins[f"options.{code}.{name}"] = where
        try:
            check_rules_left(cfg)
        except OptionError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        return cfg


# ---------------------------------------------------------------------------------------------
# validation: every key has a type; a wrong one is one error naming the key
# ---------------------------------------------------------------------------------------------
LIKELIHOOD_THRESHOLDS = (
    "fail_likelihood",
    "warn_likelihood",
    "language_min_confidence",
    "language_min_french_share",
    "fail_machine",
    "human_translation_warn",
)
BACKENDS = ("lingua", "langdetect")
MESSAGE_LANGUAGES = ("fr", "en")


def rule_codes() -> list[str]:
    from mtaudit.checks import load_checks

    return list(load_checks())


def check_codes(key: str, values: list[str], prefixes: bool = True) -> list[str]:
    """Rule codes (or prefixes of codes) that exist, upper-cased; OptionError otherwise."""
    codes = rule_codes()
    out = []
    for v in values:
        c = v.strip().upper()
        ok = any(code.startswith(c) for code in codes) if prefixes else c in codes
        if not c or not ok:
            what = "rule code or prefix" if prefixes else "rule code"
            raise OptionError(f"{key}: unknown {what} {v!r} (`mtaudit rules` lists them)")
        out.append(c)
    return out


def check_rules_left(cfg: Config) -> None:
    """A selection that leaves no rule to run is a mistake, not a clean pass."""
    from mtaudit.checks import load_checks

    enabled = [c for c, cls in load_checks().items() if cfg.rule_enabled(c)]
    if not enabled:
        raise OptionError(f"no rule left to run (select {cfg.select or 'all'}, ignore {cfg.ignore})")
    if not cfg.lm and all("lm" in load_checks()[c].requires for c in enabled):
        raise OptionError(f"no rule left to run without the language model (selected: {', '.join(enabled)})")


def _paths(key: str, value: Any, base: Path, kind: str) -> list[str]:
    out = []
    for p in check_str_list(key, value):
        path = Path(p).expanduser()
        path = path if path.is_absolute() else base / path
        ok = path.is_dir() if kind == "dir" else path.is_file()
        if not ok:
            raise OptionError(f"{key}: {p!r} not found ({path})")
        out.append(str(path))
    return out


def validate(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """The keyword arguments of :class:`Config` from a configuration table, every value checked.
    Relative paths are taken from ``base`` (the configuration file's directory)."""
    kw: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("select", "ignore"):
            if key == "select" and value is None:
                kw[key] = None
                continue
            if isinstance(value, str):  # select = "CV": one code (or "EN,AN", as on the CLI)
                value = [v for v in value.split(",") if v.strip()]
            codes = check_codes(key, check_str_list(key, value))
            kw[key] = codes if (codes or key == "ignore") else None  # select = []: every rule
        elif key == "severity":
            if not isinstance(value, dict):
                raise OptionError(f"severity must be a table of rule codes ([tool.mtaudit.severity] CV305 = \"info\"), not {value!r}")
            out = {}
            for code, sev in value.items():
                (c,) = check_codes(f"severity.{code}", [code], prefixes=False)
                if not isinstance(sev, str):
                    raise OptionError(f"severity.{code} must be a string, not {sev!r}")
                try:
                    out[c] = Severity.parse(sev)
                except ValueError as exc:
                    raise OptionError(f"severity.{code}: {exc}") from None
            kw[key] = out
        elif key == "thresholds":
            if not isinstance(value, dict):
                raise OptionError(f"thresholds must be a table ([tool.mtaudit.thresholds] fail_major = 3), not {value!r}")
            bad = sorted(set(value) - set(DEFAULT_THRESHOLDS))
            if bad:
                raise OptionError(f"unknown threshold(s) {', '.join(bad)} (known: {', '.join(DEFAULT_THRESHOLDS)})")
            thr = dict(DEFAULT_THRESHOLDS)
            for name, v in value.items():
                top = 1.0 if name in LIKELIHOOD_THRESHOLDS else None
                thr[name] = float(check_number(f"thresholds.{name}", v, minimum=0.0, maximum=top))
            kw[key] = thr
        elif key == "glossaries":
            kw[key] = _paths(key, value, base, "file")
        elif key == "vocabularies":
            dirs = _paths(key, value, base, "dir")
            for d in dirs:
                if not any((Path(d) / f).is_file() for f in ("accept.txt", "reject.txt")):
                    raise OptionError(f"vocabularies: {d} holds neither accept.txt nor reject.txt")
            kw[key] = dirs
        elif key in ("accept", "reject"):
            kw[key] = check_str_list(key, value)
        elif key in ("lm", "allow_network", "keep_boilerplate"):
            if not isinstance(value, bool):
                raise OptionError(f"{key} must be true or false (without quotes), not {value!r}")
            kw[key] = value
        elif key == "model":
            if not isinstance(value, str) or not value.strip():
                raise OptionError(f"model must be a model directory or hub id (a string), not {value!r}")
            kw[key] = value
        elif key == "language_backend":
            if value not in BACKENDS:
                raise OptionError(f"language_backend must be one of {', '.join(BACKENDS)}, not {value!r}")
            kw[key] = value
        elif key == "messages":
            if value not in MESSAGE_LANGUAGES:
                raise OptionError(f"messages must be one of {', '.join(MESSAGE_LANGUAGES)}, not {value!r}")
            kw[key] = value
        elif key == "max_bytes":
            kw[key] = int(check_number(key, value, integer=True, minimum=1))
        elif key == "options":
            kw[key] = validate_options(value, "tool.mtaudit")
        else:  # a key added elsewhere without a declared type here: taken as written
            kw[key] = value
    return kw


CONFIG_NAMES = ("mtaudit.toml", "pyproject.toml")


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest ``mtaudit.toml``, or ``pyproject.toml`` with a ``[tool.mtaudit]`` table,
    in ``start`` (a file's directory, or a directory) or any of its parents, as ruff and Vale
    look for theirs; ``mtaudit.toml`` wins over ``pyproject.toml`` in one directory."""
    here = Path(start) if start is not None else Path.cwd()
    here = here.absolute()
    if not here.is_dir():
        here = here.parent
    for d in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = d / name
            if p.is_file() and (name != "pyproject.toml" or _has_section(p)):
                return p
    return None


def _has_section(p: Path) -> bool:
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "[tool.mtaudit" in p.read_text(encoding="utf-8", errors="replace")  # reported by _read
    return isinstance(data.get("tool"), dict) and "mtaudit" in data["tool"]


def load_config(path: str | Path | None = None, cwd: str | Path | None = None) -> Config:
    """Read the configuration file named, or the nearest one walking up from ``cwd`` (an
    input's path, or the current directory); defaults otherwise."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"{p}: configuration file not found")
        return _read(p, required=True)
    found = find_config(cwd)
    if found is not None:
        cfg = _read(found, required=False)
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

"""Declared options of rules and scorers: ``[tool.mtaudit.options.CODE]`` in the configuration.

Every option a check (or scorer) reads is declared on it as an :class:`Option` (name, type,
default, doc), so the configuration can be checked before anything runs: an unknown option or
a value of the wrong type is one error naming the key and the file, never silently ignored.
``mtaudit rules CODE`` lists a rule's options.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class OptionError(ValueError):
    """A value that does not fit its declaration (the message names the key)."""


@dataclass(frozen=True)
class Option:
    name: str
    type: str  # "float", "int", "str", "bool", "list[str]"
    default: Any
    doc: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "default": self.default, "doc": self.doc}
        if self.choices:
            out["choices"] = list(self.choices)
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def check_number(key: str, value: Any, *, integer: bool = False, minimum: float | None = 0.0, maximum: float | None = None) -> float | int:
    """A finite number within bounds (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OptionError(f"{key} must be {'an integer' if integer else 'a number'}, not {_type_name(value)} ({value!r})")
    if integer and not isinstance(value, int):
        if not float(value).is_integer():
            raise OptionError(f"{key} must be an integer, not {value!r}")
        value = int(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise OptionError(f"{key} must be a finite number, not {value!r}")
    if minimum is not None and value < minimum:
        raise OptionError(f"{key} must be at least {minimum:g}, not {value!r}")
    if maximum is not None and value > maximum:
        raise OptionError(f"{key} must be at most {maximum:g}, not {value!r}")
    return value


def check_str_list(key: str, value: Any) -> list[str]:
    """A list of strings. A lone string is refused rather than split into letters."""
    if isinstance(value, str):
        raise OptionError(f"{key} must be a list of strings, e.g. {key.rsplit('.', 1)[-1]} = [{value!r}], not a string")
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise OptionError(f"{key} must be a list of strings, not {_type_name(value)} ({value!r})")
    return list(value)


def check_value(opt: Option, key: str, value: Any) -> Any:
    if opt.type == "float":
        return float(check_number(key, value, minimum=opt.minimum, maximum=opt.maximum))
    if opt.type == "int":
        return int(check_number(key, value, integer=True, minimum=opt.minimum, maximum=opt.maximum))
    if opt.type == "bool":
        if not isinstance(value, bool):
            raise OptionError(f"{key} must be true or false, not {_type_name(value)} ({value!r})")
        return value
    if opt.type == "str":
        if not isinstance(value, str):
            raise OptionError(f"{key} must be a string, not {_type_name(value)} ({value!r})")
        if opt.choices and value not in opt.choices:
            raise OptionError(f"{key} must be one of {', '.join(opt.choices)}, not {value!r}")
        return value
    if opt.type == "list[str]":
        return check_str_list(key, value)
    raise AssertionError(f"option {opt.name}: unknown declared type {opt.type}")  # pragma: no cover


# the house vocabulary, per rule (added to the configuration's accept / reject lists)
ACCEPT = Option("accept", "list[str]", [], "Words or phrases this rule never flags (added to the house vocabulary).")
REJECT = Option("reject", "list[str]", [], "Words or phrases this rule always flags (added to the house vocabulary).")


def declared_options() -> dict[str, dict[str, Option]]:
    """Every declared option, by rule code (and scorer name): {code: {name: Option}}."""
    from mtaudit.checks import load_checks
    from mtaudit.scorers import load_scorers

    out: dict[str, dict[str, Option]] = {}
    for code, cls in load_checks().items():
        out[code] = {o.name: o for o in getattr(cls, "options", ())}
    for name, fn in load_scorers():
        out[name] = {o.name: o for o in getattr(fn, "options", ())}
    return out


def validate_options(options: Any, where: str) -> dict[str, dict[str, Any]]:
    """``[tool.mtaudit.options]`` checked against the declarations; OptionError otherwise."""
    if not isinstance(options, dict):
        raise OptionError(f"options must be a table of rule codes ([{where}.options.EN101]), not {_type_name(options)} ({options!r})")
    decl = declared_options()
    out: dict[str, dict[str, Any]] = {}
    for code, opts in options.items():
        key = code.upper() if code.upper() in decl else code
        if key not in decl:
            raise OptionError(f"options.{code}: unknown rule code (`mtaudit rules` lists them)")
        if not isinstance(opts, dict):
            raise OptionError(f"options.{code} must be a table of options, not {_type_name(opts)} ({opts!r})")
        known = decl[key]
        checked = {}
        for name, value in opts.items():
            if name not in known:
                have = ", ".join(sorted(known)) or "none"
                raise OptionError(f"options.{code}.{name}: unknown option of {key} (its options: {have})")
            checked[name] = check_value(known[name], f"options.{code}.{name}", value)
        out[key] = checked
    return out

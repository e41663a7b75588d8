"""The signature of a run: what produced a scorecard, as a structured object.

As sacrebleu's ``Signature``: the auditor fills the fields, ``str(signature)`` renders the one
string the JSON carries (``mtaudit:0.1.0|rules:27@02160d9d|data:…|lm:none|langid:lingua|…``),
and readers (the HTML report's thresholds, the service) use the fields, never parse the string.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Signature:
    version: str  # mtaudit's version
    rules: int  # number of enabled checks
    rules_hash: str  # 8 hex digits of the sha256 of the codes and severity overrides
    # data file (name without suffix, relative to mtaudit/data) -> fingerprint, sorted by name.
    # The string shows a folder of files (grammar/*, features/*, rules/*) as ONE fingerprint
    # of its files (``grammar@1a2b3c4d``): a linguist splitting a list in two changes the
    # folder's fingerprint without making the signature longer. The field keeps every file.
    data: Mapping[str, str] = field(default_factory=dict)
    # what the checks add, in check order (lm, softmax, lm_body, en101, vocab, glossaries…);
    # "lm" is always there ("none" when no check uses a language model)
    parts: Mapping[str, str] = field(default_factory=dict)
    langid: str = ""  # the language-identification backend
    messages: str = ""  # the language of the messages
    thresholds: Mapping[str, float] = field(default_factory=dict)  # sorted by name
    boilerplate: bool = False  # page furniture kept (--keep-boilerplate)

    @property
    def lm(self) -> str:
        """The language model ("none" without one)."""
        return self.parts.get("lm", "none")

    def data_pieces(self) -> dict[str, str]:
        """The data part of the string: one fingerprint per top-level file, and per folder
        under mtaudit/data (the sha256 of its files' "name@fingerprint", 8 hex digits)."""
        groups: dict[str, list[str]] = {}
        out: dict[str, str] = {}
        for name, fp in self.data.items():
            folder, sep, _ = name.partition("/")
            if sep and folder and not name.startswith("/"):
                groups.setdefault(folder, []).append(f"{name}@{fp}")
            else:
                out[name] = fp
        for folder, items in groups.items():
            digest = hashlib.sha256("+".join(sorted(items)).encode()).hexdigest()[:8]
            out[folder if folder not in out else f"{folder}/"] = digest
        return dict(sorted(out.items()))

    def pieces(self) -> list[str]:
        """The "key:value" pieces of the string, in order, each once."""
        data = "+".join(f"{name}@{fp}" for name, fp in self.data_pieces().items())
        thr = ",".join(f"{k}={v:g}" for k, v in self.thresholds.items())
        parts = [f"mtaudit:{self.version}", f"rules:{self.rules}@{self.rules_hash}", f"data:{data}"]
        parts.extend(f"{k}:{v}" for k, v in self.parts.items())
        parts += [f"langid:{self.langid}", f"messages:{self.messages}", f"thresholds:{thr}"]
        if self.boilerplate:
            parts.append("boilerplate:kept")
        return list(dict.fromkeys(parts))

    def __str__(self) -> str:
        return "|".join(self.pieces())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

"""Merged glossaries: later (house) glossaries override earlier ones, and one trie of all the
forms to match them against text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mtaudit.analyses.glossaries.entries import GlossaryEntry, GlossaryForm
from mtaudit.analyses.glossaries.matcher import NameMatch, Trie, match_paragraph
from mtaudit.analyses.glossaries.spelling import form_key
from mtaudit.analyses.glossaries.tokens import NameToken, tokenize


class Glossary:
    """Merged glossaries and the trie to match them against text."""

    def __init__(self, files: Sequence[tuple[str, list[GlossaryEntry]]] = ()):
        self.files: list[str] = []
        self.entries: list[GlossaryEntry] = []
        self.overridden: list[tuple[GlossaryEntry, GlossaryEntry]] = []  # (dropped, by)
        self._trie: Trie = {}
        self.max_len = 0
        for path, entries in files:
            self.add(path, entries)

    # -- building
    def add(self, path: str, entries: Iterable[GlossaryEntry]) -> None:
        """Add one glossary's entries; they override earlier glossaries' entries sharing a form."""
        entries = list(entries)
        self.files.append(path)
        earlier: dict[tuple[str, ...], list[GlossaryEntry]] = {}
        for e in self.entries:
            for f in e.forms:
                earlier.setdefault(f.key, []).append(e)
        dropped: set[int] = set()
        for e in entries:
            replaced: list[GlossaryEntry] = []
            for f in e.forms:
                for old in earlier.get(f.key, ()):
                    if id(old) not in dropped:
                        dropped.add(id(old))
                        self.overridden.append((old, e))
                        replaced.append(old)
            # the new entry keeps the flags of the entries it replaces unless it accepts them
            # (a house line "Poutine" alone still flags Putin), and their severity and note
            keys = {f.key for f in e.forms}
            for old in replaced:
                for f in old.forms:
                    if f.status == "flag" and f.key not in keys:
                        e.forms.append(
                            GlossaryForm(f.text, "flag", e, f.key, f.spelling, f.tokens, f.english)
                        )
                        e.flag = e.flag + (f.text,)
                        keys.add(f.key)
                if e.severity is None:
                    e.severity = old.severity
                if not e.note:
                    e.note = old.note
                if not e.kind:
                    e.kind = old.kind
            if not e.kind:
                e.kind = "person"
            if e.house:
                # a flagged house form is an English transcription when an earlier glossary flags it
                for f in e.forms:
                    if f.status == "flag":
                        f.english = any(
                            g.status == "flag" and g.key == f.key
                            for old in earlier.get(f.key, ())
                            for g in old.forms
                        )
        if dropped:
            self.entries = [e for e in self.entries if id(e) not in dropped]
        self.entries.extend(entries)
        self._build()

    def _build(self) -> None:
        trie: Trie = {}
        self.max_len = 0
        # later glossaries first, then file order: the first form found wins a tie
        order = sorted(
            range(len(self.entries)),
            key=lambda i: (
                -self.files.index(self.entries[i].source)
                if self.entries[i].source in self.files
                else 0,
                i,
            ),
        )
        for i in order:
            for f in self.entries[i].forms:
                node = trie
                for k in f.key:
                    node = node.setdefault(k, {})
                node.setdefault(None, []).append(f)
                self.max_len = max(self.max_len, len(f.key))
        self._trie = trie

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def house(self) -> bool:
        return any(e.house for e in self.entries)

    def lookup(self, text: str) -> list[GlossaryForm]:
        node = self._trie
        for k in form_key(text):
            node = node.get(k)
            if node is None:
                return []
        return list(node.get(None, []))

    # -- matching
    def match_paragraph(
        self, text: str, offset: int, paragraph: int = 0, tokens: list[NameToken] | None = None
    ) -> list[NameMatch]:
        return match_paragraph(self._trie, self.max_len, text, offset, paragraph, tokens)

    def match_document(self, doc) -> tuple[list[NameMatch], list[list[NameToken]]]:
        """Matches over the kept paragraphs of a Document, and each paragraph's tokens."""
        matches: list[NameMatch] = []
        all_tokens: list[list[NameToken]] = []
        for pi, p in enumerate(doc.paragraphs):
            toks = tokenize(p.text, p.start)
            all_tokens.append(toks)
            matches.extend(self.match_paragraph(p.text, p.start, pi, toks))
        return matches, all_tokens

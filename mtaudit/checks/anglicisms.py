"""AN201: anglicisms, false friends and calques of English, from the lexicon anglicisms.tsv."""

from __future__ import annotations

import re

from ..context import Context
from ..document import Document
from ..findings import Finding, Severity
from ..lexicon import Lexicon, chunk_sentence, load_lexicon
from ..options import ACCEPT, REJECT, Option
from ..resources import data_path
from ..vocabulary import vocabulary, vocabulary_signature
from . import Check, register

LEXICON_FILE = "anglicisms.tsv"

_LABEL = {
    "anglicism": "Anglicism",
    "false-friend": "False friend",
    "calque": "Calque of English",
    "english": "English word",
}


def load_default() -> Lexicon:
    return load_lexicon(data_path(LEXICON_FILE))


def _english_share(words: list[str]) -> float:
    """Share of the words far more frequent in English than in French (wordfreq)."""
    from wordfreq import zipf_frequency

    if not words:
        return 0.0
    eng = sum(1 for w in words if zipf_frequency(w, "en") > zipf_frequency(w, "fr") + 1.0)
    return eng / len(words)


@register
class Anglicisms(Check):
    """Anglicism, false friend or calque of English (substitution lexicon).

    Matches the team's lexicon (mtaudit/data/anglicisms.tsv, format in
    docs/lexicon.md) against the kept text. Each entry is a word pattern aware
    of inflection ("supporter:v" matches "supportons", "supporté") with context
    conditions that separate the English sense from the French one: "les
    supporters du PSG" is fine, "nous supportons l'Ukraine" is not. A finding
    carries the entry's suggestion, explanation and severity (major for errors
    an editor would always fix). English words inside a quotation that is
    itself in English, or capitalised as part of a name, are left alone.
    Bad: Nous supportons l'Ukraine et le conseiller a adressé le problème.
    Good: Nous soutenons l'Ukraine et le conseiller s'est attaqué au problème.
    """

    code = "AN201"
    name = "anglicism"
    category = "anglicism"
    severity = Severity.MINOR
    data_files = (LEXICON_FILE,)
    options = (
        Option("ignore", "list[str]", [], "Lexicon entry ids (first column of anglicisms.tsv) never reported."),
        ACCEPT,
        REJECT,
    )

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        lex = ctx.resource("lexicon:" + LEXICON_FILE, load_default)
        ignore = set(ctx.options(self.code).get("ignore", ()))
        found = []
        for si, (sent, stoks) in enumerate(zip(doc.sentences, doc.sentence_tokens, strict=True)):
            if not stoks:
                continue
            toks = [(t.text, t.start, t.end, t.kind) for t in stoks]
            chunks = chunk_sentence(doc.text, sent.start, sent.end, toks)
            for m in lex.match_chunks(chunks, si):
                if m.entry.id not in ignore:
                    found.append(m)
        vocab = vocabulary(ctx, self.code)
        if vocab:
            accepted = vocab.accepted_spans(doc.text)
            found = [
                m
                for m in found
                if not vocab.is_accepted(_pattern_words(m.entry.pattern))
                and not any(s <= m.start and m.end <= e for s, e in accepted)
            ]
        findings = []
        foreign_cache: dict[tuple[int, int], bool] = {}
        for m in _resolve_overlaps(found):
            e = m.entry
            if e.kind == "english":
                # capitalised in mid-sentence: part of a name ("the Partnership for …")
                word = doc.text[m.start : m.end]
                if word[:1].isupper() and not _opens_sentence(doc, m):
                    continue
                q = doc.in_quote(m.start, m.end)
                if q is not None:
                    if q not in foreign_cache:
                        words = [t.lower for t in doc.words if q[0] <= t.start and t.end <= q[1]]
                        foreign_cache[q] = len(words) >= 2 and _english_share(words) >= 0.5
                    if foreign_cache[q]:
                        continue
            findings.append(
                self.finding(
                    m.start,
                    m.end,
                    f"{_LABEL[e.kind]}: {e.explanation}",
                    e.suggestion,
                    severity=e.severity,
                    category="english" if e.kind == "english" else "anglicism",
                    entry=e.id,
                    kind=e.kind,
                )
            )
        if vocab:
            findings.extend(self._rejected(doc, ctx, vocab, findings))
        return findings

    def _rejected(self, doc: Document, ctx: Context, vocab, findings: list[Finding]) -> list[Finding]:
        """The words the house vocabulary rejects that no lexicon entry here, nor EN101 (when
        it runs), already reports: each is a major finding of its own."""
        taken = [(f.start, f.end) for f in findings]
        if ctx.config.rule_enabled("EN101"):
            from .english import analyse

            taken += [(r.start, r.end) for r in analyse(doc, ctx).runs]
        kept = [(p.start, p.end) for p in doc.paragraphs]
        out = []
        for s, e, fix in vocab.rejected(doc.text):
            if any(a < e and s < b for a, b in taken) or not any(a <= s and e <= b for a, b in kept):
                continue
            word = doc.text[s:e]
            out.append(self.finding(s, e, f"House vocabulary: «{word}» is rejected", fix, severity=Severity.MAJOR, kind="house"))
        return out

    def signature_parts(self, cfg) -> dict[str, str]:
        return vocabulary_signature(cfg)


def _pattern_words(pattern: str) -> str:
    """The plain words of a lexicon pattern ("supporter:v" -> "supporter"), or "" when the
    pattern has alternatives or wildcards (it then names no single word to accept)."""
    words = re.sub(r":[a-z]+\b", "", pattern)
    return words if re.fullmatch(r"[\w' -]+", words) else ""


def _opens_sentence(doc: Document, m) -> bool:
    head = doc.text[doc.sentences[m.sentence].start : m.start]
    return not any(c.isalnum() for c in head)


def _resolve_overlaps(matches: list) -> list:
    """Keep, among overlapping matches, the most severe, then the longest, then the first."""
    order = sorted(
        matches, key=lambda m: (-m.entry.severity.rank, -(m.end - m.start), m.start, m.entry.id)
    )
    kept: list = []
    for m in order:
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))

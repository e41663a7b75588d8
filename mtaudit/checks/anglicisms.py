"""AN201: anglicisms, false friends and calques of English, from the lexicon anglicisms.tsv."""

from __future__ import annotations

import re

from mtaudit.checks import Check, register
from mtaudit.core import i18n
from mtaudit.core.context import Context
from mtaudit.core.document import Document
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.core.options import ACCEPT, REJECT, Option
from mtaudit.core.resources import data_path
from mtaudit.core.vocabulary import vocabulary, vocabulary_signature
from mtaudit.engines.substitution import (
    Lexicon,
    alternatives,
    chunk_sentence,
    load_lexicon,
    substitution_data_files,
)
from mtaudit.lang.englishness import AN201, AN201_QUOTE, foreign_quotation, is_english

LEXICON_FILE = "anglicisms.tsv"

_LABEL = {
    "anglicism": lambda: _("Anglicism"),
    "false-friend": lambda: _("False friend"),
    "calque": lambda: _("Calque of English"),
    "english": lambda: _("English word"),
}


def load_default() -> Lexicon:
    """The shipped lexicon, parsed once into an on-disk artefact (mtaudit.core.artefacts) keyed by
    the lexicon file, the substitution engine's source and its data (inflection, number words)."""
    from mtaudit.core import artefacts
    from mtaudit.engines import substitution

    path = data_path(LEXICON_FILE)
    modules, engine_data = substitution.sources()
    lex = artefacts.load_object(
        "anglicisms-lexicon",
        ";".join(artefacts.input_identity(m) for m in modules),
        [artefacts.input_identity(p) for p in (path, *engine_data)],
        lambda: load_lexicon(path),
    )
    lex.gender_of = _noun_gender
    return lex


def _noun_gender(word: str) -> str | None:
    """The one gender of a noun in the grammar lexicon (None: not a noun, or both)."""
    global _GRAMMAR
    if _GRAMMAR is None:
        from mtaudit.analyses.morphology import Lexicon as GrammarLexicon

        _GRAMMAR = GrammarLexicon.cached()
    info = _GRAMMAR.info(word)
    if not info.noun:
        return None
    genders = {c[1] for c in info.codes if c[0] == "N"}
    return genders.pop() if len(genders) == 1 and genders <= {"m", "f"} else None


_GRAMMAR = None


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
    Bad: Des fonds additionnels seront alloués pendant la prochaine décade.
    Good: Des fonds supplémentaires seront alloués pendant la prochaine décennie.
    """

    code = "AN201"
    name = "anglicism"
    category = "anglicism"
    severity = Severity.MINOR
    data_files = (LEXICON_FILE, *substitution_data_files())
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
                        # a quotation in English (mtaudit.lang.englishness, rules AN201)
                        words = [doc.words[i].lower for i in doc.word_range(*q)]
                        foreign_cache[q] = foreign_quotation(
                            (is_english(w, AN201) for w in words), AN201_QUOTE
                        )
                    if foreign_cache[q]:
                        continue
            findings.append(
                self.finding(
                    m.start,
                    m.end,
                    message(e, m.replacement, doc.text[m.start : m.end]),
                    m.replacement or None,
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
        """The words the house vocabulary rejects that no lexicon entry here, nor the English
        analysis (its runs, when EN101 runs), already reports: each is a major finding of its own."""
        from mtaudit.analyses.english import english_runs

        taken = [(f.start, f.end) for f in findings]
        taken += [(r.start, r.end) for r in english_runs(doc, ctx)]
        kept = [(p.start, p.end) for p in doc.paragraphs]
        out = []
        for s, e, fix in vocab.rejected(doc.text):
            if any(a < e and s < b for a, b in taken) or not any(a <= s and e <= b for a, b in kept):
                continue
            word = doc.text[s:e]
            out.append(self.finding(s, e, _("House vocabulary: «{word}» is rejected").format(word=word), fix, severity=Severity.MAJOR, kind="house"))
        return out

    def signature_parts(self, cfg) -> dict[str, str]:
        return vocabulary_signature(cfg)


def _pattern_words(pattern: str) -> str:
    """The plain words of a lexicon pattern ("supporter:v" -> "supporter"), or "" when the
    pattern has alternatives or wildcards (it then names no single word to accept)."""
    words = re.sub(r":[a-z]+\b", "", pattern)
    return words if re.fullmatch(r"[\w' -]+", words) else ""


_LABEL_WORDS = ("anglicism", "false friend", "calque", "english word", "english ", "untranslated")


_LABEL_WORDS_FR = ("anglicisme", "faux ami", "calque", "mot anglais", "anglais non traduit")


def message(e, replacement: str, found: str = "") -> str:
    """The entry's label and explanation (the label left out when the explanation already
    says it), then the French alternatives when the suggestion does not say them all.

    In French, an explanation the catalog does not translate yet gives way to the label, the
    words found and the French wording (the lexicon's explanations are written in English)."""
    label = _LABEL[e.kind]()
    alts = alternatives(e.suggestion)
    wording = _(" French: {wording}.").format(wording=e.suggestion)
    if i18n.current() != "en" and not i18n.has(e.explanation):
        return _("{label}: '{found}'.").format(label=label, found=found) + wording
    expl = _(e.explanation).strip()
    low = expl.lower()
    said = any(w in low for w in _LABEL_WORDS[:4] + _LABEL_WORDS_FR) or any(
        w in low[:30] for w in _LABEL_WORDS
    )
    text = expl if said else _("{label}: {explanation}").format(label=label, explanation=expl)
    if not replacement or len(alts) > 1:
        text = text.rstrip() + ("" if text.rstrip().endswith((".", "!", "?")) else ".")
        text += wording
    return text


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

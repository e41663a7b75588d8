"""The English analysis of a document ("english"), read by EN101 (words), EN102 (spans) and
AN201 (the house vocabulary's rejected words it must not report twice).

Each word gets a kind in its context (a name, an English word, a lean word, an English
grammar word, a French homograph, a loanword) from the lexicon (:mod:`.lexicon`); consecutive
English words in one sentence make a run. Sentences, quotations and long runs that are mostly
English and that lingua confirms become spans. Which of the two reports an English passage is
decided here, once: a run inside a span is EN102's when EN102 runs (:attr:`Analysis.words`),
so neither rule asks about the other.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mtaudit.analyses import framework
from mtaudit.analyses.english.severity import SPAN_MIN_WORDS, severity
from mtaudit.core.findings import Severity
from mtaudit.core.vocabulary import vocabulary
from mtaudit.lang.english_lexicon import _key, english_confidence, lexicon
from mtaudit.lang.englishness import EN101_START_MARGIN

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document
    from mtaudit.text.segment import Token

START_MARGIN = EN101_START_MARGIN  # stricter for a capitalised word at the start of a sentence (names)
# EN102: a sentence or run is checked with lingua when it has at least SPAN_MIN_WORDS words
# ... and at least this share of them look English to the lexicon.
SPAN_MIN_SHARE = 0.6
# lingua's confidence for English needed to report a span.
SPAN_MIN_CONFIDENCE = 0.75
# for headlines in title case, whose names cannot be told from words: a lower share of
# English-looking words, and a surer lingua
TITLE_MIN_SHARE = 0.5
TITLE_MIN_CONFIDENCE = 0.9
# An English section: the English sentences at the start or the end of a document, apart from
# its French (a forum post asking in English about a French text, a bilingual release). At
# least SECTION_MIN_SENTENCES English sentences, at least SECTION_MIN_SHARE of the section's
# sentences English, and no English sentence in the rest, of at least SECTION_MIN_REST words:
# the English there is the writer's own, not a translation left undone (info). An English
# sentence amid the French stays a finding.
SECTION_MIN_SENTENCES = 3
SECTION_MIN_SHARE = 2 / 3
SECTION_MIN_REST = 30

_GAP = re.compile(r"[ \t\u00a0\u202f]+")  # what may separate two words of one run
_OPENERS = '«“"(‘:—–'
# addresses, e-mails, hashtags and handles: not words of the text
# Every repeated part is anchored at the start of its run (a lookbehind) and possessive, so a
# long token is scanned once, not once per position (which was quadratic: 1 MB of letters took
# minutes).
_NOT_TEXT = re.compile(
    r"(?:https?://|(?<![\w.-])www\.)\S++"
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]++"
    r"|(?<!\w)[#@]\w++"
    r"|(?<![\w-])[\w-]++\.(?:com|org|net|fr|co\.uk)\b\S*+"
)

# the rules that report this analysis
WORDS_RULE, SPANS_RULE = "EN101", "EN102"


@dataclass
class Run:
    start: int
    end: int
    words: list[str]
    strong: int
    sentence: int
    severity: Severity = Severity.MAJOR
    reason: str = ""
    title_case: bool = False  # a headline in title case: names and words look alike
    house: str | None = None  # a word the house vocabulary rejects is in the run (its fix, or "")


@dataclass
class Analysis:
    runs: list[Run]  # every run of English words
    spans: list[Run]  # EN102 findings (none computed when EN102 does not run)
    words: list[Run]  # EN101 findings: the runs outside the spans EN102 reports


def _start_like(doc: Document, tok: Token) -> bool:
    """A capitalised word where French capitalises any word: sentence start, after an
    opening quote, a bracket, a colon or a dash."""
    if tok.first:
        return True
    i = tok.start - 1
    while i >= 0 and doc.text[i] in " \t\u00a0\u202f":
        i -= 1
    return i >= 0 and doc.text[i] in _OPENERS


def _capitalised_neighbour(words: list[Token], caps: list[bool], text: str, i: int) -> bool:
    """Whether word ``i`` has a capitalised word right before or after it in its sentence
    ("Joe White", "White House"): a name of several words."""
    t = words[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and caps[j] and words[j].sentence == t.sentence:
            a, b = min(i, j), max(i, j)
            if _GAP.fullmatch(text[words[a].end : words[b].start]):
                return True
    return False


@framework.register_analysis
class EnglishRuns(framework.Analysis):
    name = "english"
    provides = (
        "the English of the document: every run of English words (.runs), the EN102 spans "
        "(.spans) and the runs EN101 reports (.words), an Analysis of this module"
    )

    def run(self, doc, ctx):
        return _analyse(doc, ctx)


def analyse(doc: Document, ctx: Context) -> Analysis:
    """The English analysis of a document, computed once per document and configuration."""
    return doc.analysis(ctx, EnglishRuns.name)


def english_runs(doc: Document, ctx: Context) -> list[Run]:
    """The runs of English words EN101 looks at ([] when EN101 does not run): the English that
    another rule (AN201's house vocabulary) must not report a second time."""
    return analyse(doc, ctx).runs if ctx.config.rule_enabled(WORDS_RULE) else []


def _analyse(doc: Document, ctx: Context) -> Analysis:
    with_spans = ctx.config.rule_enabled(SPANS_RULE)
    lex = lexicon(ctx)
    words = doc.words
    text = doc.text
    keys = [_key(t.text) for t in words]
    caps = [t.text[:1].isupper() for t in words]
    # acronyms (NHS) and inner capitals (McCarthy, iPhone) are names, never words
    shaped = [c and t.text[1:] != t.text[1:].lower() for t, c in zip(words, caps, strict=True)]
    start = [c and _start_like(doc, t) for t, c in zip(words, caps, strict=True)]
    starts = [t.start for t in words]
    for m in _NOT_TEXT.finditer(text):
        i = max(bisect.bisect_right(starts, m.start()) - 1, 0)
        while i < len(words) and words[i].start < m.end():
            if m.start() < words[i].end:
                shaped[i] = True
            i += 1
    start_margin = max(lex.margin, START_MARGIN)
    # a capitalised word alone (no capitalised neighbour) where French would not capitalise
    # it, that is clearly English even by the stricter standard of sentence starts, AND that
    # the article also writes as a common word (at a sentence start or in lower case), is an
    # English word with a stray capital ("Yesterday, …" then "a dit Yesterday que"), not a
    # name. A word seen only capitalised mid-sentence stays a name: "l'hebdomadaire Time",
    # "le Department of Investigation" (French originals: such names must not be flagged).
    common = {k for k, c, st in zip(keys, caps, start, strict=True) if st or not c}
    stray = [
        c and not st and not sh and keys[i] in common
        and not _capitalised_neighbour(words, caps, text, i)
        and lex.kind_of_key(keys[i], start_margin) == "strong"
        for i, (c, st, sh) in enumerate(zip(caps, start, shaped, strict=True))
    ]
    # capitalised words seen where French would not capitalise a common word: names
    names = {k for k, c, st, sy in zip(keys, caps, start, stray, strict=True) if c and not st and not sy}

    # loanword phrases ("standing ovation") mark their words as French
    loan_idx: set[int] = set()
    phrases = lex.loan_phrases
    for i, k in enumerate(keys):
        if k not in phrases:
            continue
        sent = words[i].sentence
        for phrase in phrases[k]:
            j = i + len(phrase)
            if j <= len(words) and all(
                keys[i + n] == p and words[i + n].sentence == sent for n, p in enumerate(phrase)
            ):
                gaps_ok = all(
                    re.fullmatch(r"[ \-\u00a0]*", text[words[i + n].end : words[i + n + 1].start])
                    for n in range(len(phrase) - 1)
                )
                if gaps_ok:
                    loan_idx.update(range(i, j))
                    break

    # English set phrases ("last week", "game changer") mark their words as English
    en_idx: set[int] = set()
    for i, k in enumerate(keys):
        if k not in lex.en_phrases or i in loan_idx:
            continue
        sent = words[i].sentence
        for phrase in lex.en_phrases[k]:
            j = i + len(phrase)
            if j <= len(words) and all(
                keys[i + n] == p and words[i + n].sentence == sent for n, p in enumerate(phrase)
            ) and all(
                _GAP.fullmatch(text[words[i + n].end : words[i + n + 1].start])
                for n in range(len(phrase) - 1)
            ):
                en_idx.update(range(i, j))
                break

    # the kind of each word in its context
    kinds: list[str | None] = []
    for i, t in enumerate(words):
        k: str | None
        if shaped[i]:
            k = "name"
        elif i in loan_idx:
            k = None
        elif i in en_idx and not (caps[i] and not start[i]):
            k = "strong"
        elif caps[i]:
            if not start[i] and not stray[i]:
                k = "name"
            else:
                nxt = words[i + 1] if i + 1 < len(words) else None
                followed_by_name = (
                    nxt is not None
                    and nxt.sentence == t.sentence
                    and caps[i + 1]
                    and _GAP.fullmatch(text[t.end : nxt.start]) is not None
                )
                if followed_by_name or keys[i] in names:
                    k = "name"
                else:
                    k = lex.kind_of_key(keys[i], start_margin)
        else:
            k = lex.kind_of_key(keys[i])
        kinds.append(k)

    # the house vocabulary: accepted words are French here, rejected ones always English
    rejected: dict[int, str] = {}
    vocab = vocabulary(ctx, "EN101")
    if vocab:
        for s, e in vocab.accepted_spans(text):
            for i in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
                if words[i].end <= e:
                    kinds[i] = None
        for s, e, fix in vocab.rejected(text):
            for i in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
                if words[i].end <= e:
                    kinds[i] = "strong"
                    rejected[i] = fix if (fix and s == words[i].start and e == words[i].end) else ""

    # runs of consecutive English words in one sentence, separated by blanks only
    raw: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(words):
        if kinds[i] in ("strong", "lean", "weak", "french"):
            if cur and (
                words[cur[-1]].sentence == t.sentence
                and _GAP.fullmatch(text[words[cur[-1]].end : t.start])
            ):
                cur.append(i)
            else:
                if cur:
                    raw.append(cur)
                cur = [i]
        else:
            if cur:
                raw.append(cur)
            cur = []
    if cur:
        raw.append(cur)

    runs: list[Run] = []
    for idx in raw:
        # lower-case words between two names belong to the name: "Human rights First"
        before = idx[0] - 1
        after = idx[-1] + 1
        if (
            before >= 0
            and after < len(words)
            and kinds[before] == "name"
            and kinds[after] == "name"
            and words[before].sentence == words[after].sentence == words[idx[0]].sentence
            and _GAP.fullmatch(text[words[before].end : words[idx[0]].start])
            and _GAP.fullmatch(text[words[idx[-1]].end : words[after].start])
        ):
            continue
        # French homographs never start or end a run; English grammar words never end one
        while idx and kinds[idx[0]] == "french":
            idx = idx[1:]
        while idx and kinds[idx[-1]] in ("french", "weak"):
            idx = idx[:-1]
        strong = sum(1 for i in idx if kinds[i] == "strong")
        if not strong:
            continue
        first, last = words[idx[0]], words[idx[-1]]
        run = Run(first.start, last.end, [words[i].text for i in idx], strong, first.sentence)
        house = [rejected[i] for i in idx if i in rejected]
        if house:
            run.house = house[0] if len(idx) == 1 else ""
        runs.append(run)

    spans = _spans(doc, ctx, runs, kinds, shaped, keys) if with_spans else []
    section = _english_section(doc, spans)
    for r in runs + spans:
        if r.sentence in section:
            r.severity, r.reason = Severity.INFO, "section"
        else:
            r.severity, r.reason = severity(doc, r, kinds, words)
    spans.sort(key=lambda r: r.start)
    return Analysis(runs, spans, [r for r in runs if not _covered(r, spans)])


def _spans(doc: Document, ctx: Context, runs: list[Run], kinds: list, shaped: list, keys: list) -> list[Run]:
    """EN102: sentences mostly English, quotations and long runs, confirmed by lingua."""
    lex = lexicon(ctx)
    words = doc.words
    text = doc.text
    spans: list[Run] = []
    by_sentence: dict[int, list[int]] = {}
    for i, t in enumerate(words):
        by_sentence.setdefault(t.sentence, []).append(i)
    en_sentences: set[int] = set()
    weight = {"strong": 1.0, "weak": 1.0, "french": 0.5, "lean": 0.5}
    for si, idx in by_sentence.items():
        sent = doc.sentences[si]
        sent_kinds = [kinds[i] for i in idx if kinds[i] != "name"]
        min_conf, min_share = SPAN_MIN_CONFIDENCE, SPAN_MIN_SHARE
        if doc.paragraphs[sent.paragraph].kind == "title" and len(sent_kinds) < len(idx) / 2:
            # a headline in English title case ("Putin Arrives In Pyongyang"): judge its
            # capitalised words by their lower-case form, and ask lingua to be surer
            sent_kinds = [None if shaped[i] else lex.kind_of_key(keys[i]) for i in idx]
            min_conf, min_share = TITLE_MIN_CONFIDENCE, TITLE_MIN_SHARE
            if "french" in sent_kinds or not all(words[i].text.isascii() for i in idx):
                continue  # "Shake Hands with the Devil à Santa Monica": a French headline
        if len(sent_kinds) < SPAN_MIN_WORDS:
            continue
        score = sum(weight.get(k, 0.0) for k in sent_kinds)  # type: ignore[arg-type]
        n_strong = sent_kinds.count("strong")
        if n_strong and score / len(sent_kinds) >= min_share:
            if english_confidence(ctx, sent.text) >= min_conf:
                en_sentences.add(si)
                run = Run(sent.start, sent.end, [words[i].text for i in idx], n_strong, si)
                run.title_case = min_conf == TITLE_MIN_CONFIDENCE
                spans.append(run)
    # English quotations of four words or more: the quotation alone is the span (not the French
    # words that introduce it), whether or not its sentence was found above
    for qs, qe in doc.quotes:
        qidx = doc.word_range(qs, qe)  # bisection, not a pass over every word per quotation
        qkinds = [kinds[i] for i in qidx if kinds[i] != "name"]
        if len(qkinds) < SPAN_MIN_WORDS or "strong" not in qkinds:
            continue
        share = sum(weight.get(k, 0.0) for k in qkinds) / len(qkinds)  # type: ignore[arg-type]
        if share < SPAN_MIN_SHARE:
            continue
        a, b = words[qidx[0]].start, words[qidx[-1]].end
        b = max(b, _quote_inner_end(text, a, qe))
        if english_confidence(ctx, text[a:b]) < SPAN_MIN_CONFIDENCE:
            continue
        si = words[qidx[0]].sentence
        sent = doc.sentences[si]
        # the sentence span found above becomes the quotation when its English is the quote's
        outside = [
            i
            for i in by_sentence.get(si, [])
            if not (qs <= words[i].start and words[i].end <= qe) and kinds[i] not in ("strong", "weak")
        ]
        spans[:] = [
            s
            for s in spans
            if not (s.start <= a and b <= s.end and (outside or s.end - s.start > qe - qs + 2))
        ]
        if any(s.start <= a and b <= s.end for s in spans):
            continue
        spans.append(
            Run(a, b, [words[i].text for i in qidx], qkinds.count("strong"), si)
        )
        if qs <= sent.start and sent.end <= qe:
            en_sentences.add(si)
    for r in runs:
        if r.sentence in en_sentences or len(r.words) < SPAN_MIN_WORDS or _covered(r, spans):
            continue
        if english_confidence(ctx, text[r.start : r.end]) >= SPAN_MIN_CONFIDENCE:
            spans.append(Run(r.start, r.end, r.words, r.strong, r.sentence))
    return spans


def _english_section(doc: Document, spans: list[Run]) -> set[int]:
    """The sentences of an English section at the start or the end of the document (see
    SECTION_MIN_SENTENCES): empty when the English is spread through the French."""
    sents = doc.sentences
    english = {r.sentence for r in spans if r.start <= sents[r.sentence].start and sents[r.sentence].end <= r.end}
    if len(english) < SECTION_MIN_SENTENCES:
        return set()
    counts: dict[int, int] = {}
    for t in doc.words:
        counts[t.sentence] = counts.get(t.sentence, 0) + 1
    order = sorted(counts)  # the sentences with words, in order
    for seq in (order, order[::-1]):
        n_en = 0
        best = -1
        for k, si in enumerate(seq):
            n_en += si in english
            if si in english and n_en >= SECTION_MIN_SENTENCES and n_en >= SECTION_MIN_SHARE * (k + 1):
                best = k
        if best < 0:
            continue
        head, rest = seq[: best + 1], seq[best + 1 :]
        if english.isdisjoint(rest) and sum(counts[si] for si in rest) >= SECTION_MIN_REST:
            return set(head)
    return set()


def _quote_inner_end(text: str, start: int, qe: int) -> int:
    """The end of a quotation's words: its closing mark and the spaces before it left out
    (the quotation's own final punctuation kept)."""
    end = qe - 1
    while end > start and text[end - 1] in " \u00a0\u202f":
        end -= 1
    return end


def _covered(r: Run, spans: list[Run]) -> bool:
    return any(s.start <= r.start and r.end <= s.end for s in spans)

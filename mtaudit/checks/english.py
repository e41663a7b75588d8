"""Untranslated English: words (EN101) and whole sentences or long spans (EN102).

A word is English when wordfreq says it is far more frequent in English than in French, it is
not an accepted loanword (``data/loanwords.txt``), not a proper name in its context and not one
of the grammar words or French homographs of ``data/english_stoplist.tsv`` standing alone.
Consecutive English words make one span. Sentences and long runs that are mostly English are
confirmed by lingua (restricted to French and its neighbours) and reported as EN102.

Both checks share one analysis of the document, computed once per document.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.core.options import ACCEPT, REJECT, Option
from mtaudit.core.resources import read_lines, read_rows
from mtaudit.core.suppress import regions
from mtaudit.core.vocabulary import vocabulary, vocabulary_signature

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document
    from mtaudit.text.segment import Token

# Default thresholds (override with [tool.mtaudit.options.EN101]).
MARGIN = 1.35  # English Zipf frequency minus French Zipf frequency
MIN_ZIPF = 3.0  # English Zipf frequency at least this (about once per million words)
START_MARGIN = 2.0  # stricter for a capitalised word at the start of a sentence (names)
LEAN_MARGIN = 0.8  # a word this much more English than French extends a run ("fast start")
# EN102: a sentence or run is checked with lingua when it has at least this many words ...
SPAN_MIN_WORDS = 4
# ... and at least this share of them look English to the lexicon.
SPAN_MIN_SHARE = 0.6
# lingua's confidence for English needed to report a span.
SPAN_MIN_CONFIDENCE = 0.75
# for headlines in title case, whose names cannot be told from words: a lower share of
# English-looking words, and a surer lingua
TITLE_MIN_SHARE = 0.5
TITLE_MIN_CONFIDENCE = 0.9
# an English run covering at least this share of a quotation's words: a foreign quotation (info)
FOREIGN_QUOTE_SHARE = 0.5

LOANWORDS = "loanwords.txt"
STOPLIST = "english_stoplist.tsv"
TRANSLATIONS = "english_translations.tsv"

_ASCII_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
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


# ---------------------------------------------------------------------------------------------
# the lexicon: wordfreq tables, loanwords, stoplist, memo of word kinds
# ---------------------------------------------------------------------------------------------
def _key(word: str) -> str:
    return word.lower().replace("’", "'")


def _read_pairs(name: str) -> dict[str, str]:
    """A two-column table (its first data line names the columns): key -> value."""
    return {_key(r[0]): r[1] for r in read_rows(name, min_cols=2, header=True)}


@dataclass
class Lexicon:
    en: Mapping[str, float]
    fr: Mapping[str, float]
    loan: frozenset[str]
    loan_phrases: dict[str, list[tuple[str, ...]]]
    stop: dict[str, str]
    translations: dict[str, str]
    # English set phrases of english_translations.tsv ("last week", "game changer"), by first
    # word: their words are English together even where one alone is also French ("changer")
    en_phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    margin: float = MARGIN
    min_zipf: float = MIN_ZIPF
    memo: dict[float, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def load(cls, margin: float = MARGIN, min_zipf: float = MIN_ZIPF) -> Lexicon:
        from mtaudit.lang.frequencies import frequency_dict

        loan: set[str] = set()
        phrases: dict[str, list[tuple[str, ...]]] = {}
        for entry in read_lines(LOANWORDS):
            k = _key(entry[0])
            loan.add(k)
            loan.add(k.replace("-", ""))
            loan.add(k.replace("-", " "))
            parts = tuple(p for p in re.split(r"[ \-]+", k) if p)
            if len(parts) > 1:
                phrases.setdefault(parts[0], []).append(parts)
                phrases.setdefault(parts[0], []).append(tuple(re.split(r" +", k)))
        for first in phrases:
            phrases[first] = sorted(set(phrases[first]), key=len, reverse=True)
        stop = _read_pairs(STOPLIST)
        trans = _read_pairs(TRANSLATIONS)
        en_phrases: dict[str, list[tuple[str, ...]]] = {}
        for k in trans:
            parts = tuple(k.split())
            if len(parts) > 1:
                en_phrases.setdefault(parts[0], []).append(parts)
        for first in en_phrases:
            en_phrases[first].sort(key=len, reverse=True)
        return cls(
            # wordfreq's lists, read word by word from the on-disk artefact that
            # mtaudit.lang.frequencies.zipf_frequency uses too (not decoded on every run)
            en=frequency_dict("en"),
            fr=frequency_dict("fr"),
            loan=frozenset(loan),
            loan_phrases=phrases,
            stop=stop,
            translations=trans,
            en_phrases=en_phrases,
            margin=margin,
            min_zipf=min_zipf,
        )

    def zipf(self, table: Mapping[str, float], word: str) -> float:
        f = table.get(word)
        return math.log10(f) + 9 if f else 0.0

    def is_loan(self, k: str) -> bool:
        return (
            k in self.loan
            or (k.endswith("s") and k[:-1] in self.loan)
            or (k.endswith("es") and k[:-2] in self.loan)
        )

    def kind(self, word: str, margin: float | None = None) -> str | None:
        """The kind of a word out of context.

        "strong": an English word; "lean": more English than French, not decisive alone;
        "weak": an English grammar word; "french": a French homograph of an English word;
        None: not English, or an accepted loanword.
        """
        return self.kind_of_key(_key(word), margin)

    def kind_of_key(self, k: str, margin: float | None = None) -> str | None:
        """:meth:`kind` of a word already lower-cased with straight apostrophes."""
        margin = self.margin if margin is None else margin
        memo = self.memo.get(margin)
        if memo is None:
            memo = self.memo[margin] = {}
        try:
            return memo[k]
        except KeyError:
            out = memo[k] = self._kind(k, margin)
            return out

    def _kind(self, k: str, margin: float) -> str | None:
        if not _ASCII_WORD.fullmatch(k) or self.is_loan(k):
            return None
        if k in self.stop:
            return self.stop[k]
        if len(k) < 2:
            return None
        if "-" in k and k not in self.en:
            kinds = [self._kind(p, margin) for p in k.split("-")]
            if all(x in ("strong", "weak") for x in kinds) and "strong" in kinds:
                return "strong"
            return None
        e = self.zipf(self.en, k)
        if e >= self.min_zipf:
            diff = e - self.zipf(self.fr, k)
            if diff >= margin:
                return "strong"
            if diff >= LEAN_MARGIN:
                return "lean"
        return None

    def suggestion(self, words: list[str]) -> str | None:
        """The French for a run of English words: a literal replacement (first alternative
        of english_translations.tsv, in the case of the words found), or None."""
        from mtaudit.engines.substitution import match_case

        if len(words) != 1:
            fr = self.translations.get(" ".join(_key(w) for w in words))
            return match_case(words[0], _first(fr)) if fr else None
        from mtaudit.engines.substitution import inflect_adjective

        k = _key(words[0])
        fr = self.translations.get(k)
        if fr:
            return match_case(words[0], _first(fr))
        fr = self.translations.get(k[:-1]) if k.endswith("s") else None
        if not fr or " " in _first(fr):
            return None  # a plural without its own row: only a one-word French can follow it
        return match_case(words[0], inflect_adjective(_first(fr), "m", "p"))

    def alternatives(self, words: list[str]) -> str | None:
        k = " ".join(_key(w) for w in words)
        return self.translations.get(k) or (self.translations.get(k[:-1]) if k.endswith("s") else None)


def _first(alternatives: str) -> str:
    """The first of the alternatives "rapport / article" (the others are for the editor)."""
    return alternatives.split(" / ")[0].strip()


def lexicon(ctx: Context) -> Lexicon:
    opts = ctx.options("EN101")
    margin = float(opts.get("margin", MARGIN))
    min_zipf = float(opts.get("min_zipf", MIN_ZIPF))
    return ctx.resource(
        f"english.lexicon:{margin}:{min_zipf}", lambda: Lexicon.load(margin, min_zipf)
    )


def span_detector(ctx: Context):
    """lingua restricted to the languages of mtaudit.lang.langid, in low-accuracy mode (shared)."""
    from mtaudit.lang.langid import lingua_detector

    return lingua_detector(True)


def english_confidence(ctx: Context, text: str) -> float:
    for v in span_detector(ctx).compute_language_confidence_values(text):
        if v.language.iso_code_639_1.name.lower() == "en":
            return v.value
    return 0.0


# ---------------------------------------------------------------------------------------------
# the analysis of one document
# ---------------------------------------------------------------------------------------------
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
    runs: list[Run]  # EN101 candidates
    spans: list[Run]  # EN102 findings


def _start_like(doc: Document, tok: Token) -> bool:
    """A capitalised word where French capitalises any word: sentence start, after an
    opening quote, a bracket, a colon or a dash."""
    if tok.first:
        return True
    i = tok.start - 1
    while i >= 0 and doc.text[i] in " \t\u00a0\u202f":
        i -= 1
    return i >= 0 and doc.text[i] in _OPENERS


def analyse(doc: Document, ctx: Context) -> Analysis:
    """The English analysis of a document, computed once and shared by EN101 and EN102."""
    return doc.derived(f"english.analysis:{id(ctx)}", lambda d: _analyse(d, ctx))


def _analyse(doc: Document, ctx: Context) -> Analysis:
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
    # capitalised words seen where French would not capitalise a common word: names
    names = {k for k, c, st in zip(keys, caps, start, strict=True) if c and not st}

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
    start_margin = max(lex.margin, START_MARGIN)
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
            if not start[i]:
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

    # EN102: sentences mostly English, and long runs, confirmed by lingua
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
        qidx = [i for i, t in enumerate(words) if qs <= t.start and t.end <= qe]
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

    for r in runs + spans:
        r.severity, r.reason = _severity(doc, r, kinds, words)
    spans.sort(key=lambda r: r.start)
    return Analysis(runs, spans)


def _quote_inner_end(text: str, start: int, qe: int) -> int:
    """The end of a quotation's words: its closing mark and the spaces before it left out
    (the quotation's own final punctuation kept)."""
    end = qe - 1
    while end > start and text[end - 1] in " \u00a0\u202f":
        end -= 1
    return end


# a quotation marked as English by its context: "en anglais", a tweet, a translation after it
_MARKED_BEFORE = re.compile(
    r"(?:\ben anglais\b|\bin english\b|\btweet|\btwitt|\bsur x\b|\bsur son compte\b|"
    r"\bsur (?:instagram|facebook|threads|bluesky)\b|\bslogan\b|\bpancarte|\bbanderole)",
    re.I,
)


# words that introduce a term as such: dit, appelé, baptisé, surnommé, ce qu'on appelle
_NAMED = re.compile(
    r"\b(?:dite?s?|appel[ée]e?s?|baptis[ée]e?s?|surnomm[ée]e?s?|nomm[ée]e?s?|"
    r"ce qu['’](?:on|l['’]on) appelle|(?:le|la|les) fameu(?:x|se|ses))"
    r"[ \u00a0]+(?:[\w'’-]+[ \u00a0]+){0,2}$",
    re.I,
)


def _marked_english(doc: Document, q: tuple[int, int]) -> bool:
    qs, qe = q
    para = next((p for p in doc.paragraphs if p.start <= qs < p.start + len(p.text)), None)
    lo = para.start if para is not None else 0
    hi = para.start + len(para.text) if para is not None else len(doc.text)
    before = doc.text[max(lo, qs - 80) : qs]
    after = doc.text[qe : min(hi, qe + 60)]
    # "…, a-t-il lancé en anglais", "…, a-t-il tweeté": the words after, up to the full stop
    after_clause = re.split(r"[.!?«“]", after, maxsplit=1)[0]
    if _MARKED_BEFORE.search(before) or _MARKED_BEFORE.search(after_clause):
        return True
    # a translation in brackets right after: « … » (« … ») or « … » (…)
    return re.match(r"[\s\u00a0\u202f,]*[(\[]", after) is not None


def _severity(doc: Document, r: Run, kinds: list, words: list) -> tuple[Severity, str]:
    q = doc.in_quote(r.start, r.end)
    if q is not None and len(r.words) >= SPAN_MIN_WORDS:
        # a whole English sentence quoted: info when the article says it is English (or
        # translates it); quoted in running prose without a translation, a finding
        if _marked_english(doc, q):
            return Severity.INFO, "quoted"
        return Severity.MAJOR, "untranslated-quote"
    if q is not None:
        qwords = [i for i, t in enumerate(words) if q[0] <= t.start and t.end <= q[1]]
        en = [i for i in qwords if kinds[i] in ("strong", "lean", "weak", "french", "name")]
        if qwords and len(en) / len(qwords) >= FOREIGN_QUOTE_SHARE:
            return Severity.INFO, "quoted"
    after = doc.text[r.end : r.end + 3].lstrip(" \u00a0")
    if after.startswith("("):
        return Severity.INFO, "glossed"
    head = doc.text[max(doc.sentences[r.sentence].start, r.start - 50) : r.start]
    if len(r.words) < SPAN_MIN_WORDS and _NAMED.search(head):
        # "les financements dits fast start": a term the writer introduces as English
        return Severity.MINOR, "named"
    if r.title_case and len(r.words) < 6:
        # a short English headline may be the title of a film or a book
        return Severity.MINOR, ""
    return Severity.MAJOR, ""


def _covered(r: Run, spans: list[Run]) -> bool:
    return any(s.start <= r.start and r.end <= s.end for s in spans)


# ---------------------------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------------------------
def _message(r: Run, what: str) -> str:
    w = _WHAT[what]()
    if r.reason == "quoted":
        return _(
            "{what} in English, quoted as spoken or written in English: keep it only if the "
            "original wording matters, and translate it beside"
        ).format(what=w)
    if r.reason == "untranslated-quote":
        return _(
            "{what} in English, quoted without a translation: translate it, or give the French beside it"
        ).format(what=w)
    if r.reason == "named":
        return _(
            "{what} in English, introduced as a term: check that a French term would not do"
        ).format(what=w)
    if r.reason == "glossed":
        return _(
            "{what} in English, glossed in brackets: check that the French wording would not do alone"
        ).format(what=w)
    return _("Untranslated English {what}").format(what=w)


_WHAT = {
    "word": lambda: _("word"),
    "words": lambda: _("words"),
    "sentence": lambda: _("sentence"),
    "passage": lambda: _("passage"),
}


@register
class UntranslatedEnglishWord(Check):
    """An English word or short run of English words left in the French text.

    A word is English when it is much more frequent in English than in French (wordfreq),
    is not an accepted loanword (loanwords.txt), is not a proper name in its context (a
    capitalised word inside a sentence is a name; at the start of a sentence it is English if
    its lower-case form is an English word and it is not followed by another capitalised
    word) and is not a grammar word or French homograph standing alone (english_stoplist.tsv).
    Consecutive English words make one finding. English quoted as such (most of a quotation)
    or glossed in brackets is info only; the same English term again in the article is minor.
    Suggestions come from english_translations.tsv.

    Bad: Yesterday, Poutine a offert une voiture à Kim.
    Good: Hier, Poutine a offert une voiture à Kim.
    """

    code = "EN101"
    name = "untranslated-english-word"
    category = "english"
    severity = Severity.MAJOR
    data_files = (LOANWORDS, STOPLIST, TRANSLATIONS)
    options = (
        Option("margin", "float", MARGIN, "How much more frequent in English than in French (Zipf) a word must be.", minimum=0.0),
        Option("min_zipf", "float", MIN_ZIPF, "Least English Zipf frequency of a word taken as English.", minimum=0.0),
        ACCEPT,
        REJECT,
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        a = analyse(doc, ctx)
        spans = a.spans if ctx.config.rule_enabled("EN102") else []
        lex = lexicon(ctx)
        seen: set[str] = set()
        out = []
        # a term silenced by an mtaudit comment has not been shown: its next use is not "again"
        silenced = [g for g in regions(doc.text, doc.meta.get("kind", "text")) if g.codes is None or any(self.code.startswith(c) for c in g.codes)]
        for r in a.runs:
            if _covered(r, spans):
                continue
            what = "word" if len(r.words) == 1 else "words"
            message, severity = _message(r, what), r.severity
            if r.house is not None:
                message += _(" (rejected by the house vocabulary)")
            key = " ".join(_key(w) for w in r.words)
            if key in seen and severity == Severity.MAJOR:
                # the same English term again: the editor has been told once
                message, severity = message + _(" (again)"), Severity.MINOR
            if not any(g.start <= r.start < g.end for g in silenced):
                seen.add(key)
            fix = r.house or lex.suggestion(r.words)
            out.append(self.finding(r.start, r.end, message, fix, severity=severity))
        return out

    def signature_parts(self, cfg) -> dict[str, str]:
        opts = cfg.options.get("EN101", {})
        return {
            "en101": f"margin={float(opts.get('margin', MARGIN)):g},min_zipf={float(opts.get('min_zipf', MIN_ZIPF)):g}",
            **vocabulary_signature(cfg),
        }


@register
class UntranslatedEnglishSpan(Check):
    """A whole English sentence or a long English span left in the French text.

    Sentences of at least four words that look mostly English to the lexicon, and runs of
    four English words or more, are confirmed by lingua (restricted to French, English and
    neighbouring languages); one finding covers the whole span. A quotation that is English
    as a whole is info: quoting an English speaker verbatim can be deliberate.

    Bad: The Kremlin said the talks would continue. Poutine est arrivé mercredi.
    Good: Le Kremlin a dit que les discussions se poursuivraient. Poutine est arrivé mercredi.
    """

    code = "EN102"
    name = "untranslated-english-span"
    category = "english"
    severity = Severity.MAJOR
    data_files = (LOANWORDS, STOPLIST)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for r in analyse(doc, ctx).spans:
            what = (
                "sentence"
                if any(s.start == r.start and s.end == r.end for s in doc.sentences)
                else "passage"
            )
            out.append(self.finding(r.start, r.end, _message(r, what), None, severity=r.severity))
        return out

"""How surprising each word of a sentence is *for its own frequency*: the language model's
surprise minus the surprise of a unigram model of French (wordfreq's French frequencies).

Perplexity mostly measures how common the words are: a sentence about a rare place or a
technical subject is "perplexing" however well it reads. SLOR (syntactic log-odds ratio, Lau,
Clark and Lappin 2017) removes that part:

    SLOR(s) = (log p_LM(s) - log p_unigram(s)) / |s|

Here the unit of |s| is a *word unit* of the sentence, not a model token, so that the unigram
side is a real word frequency and every model's tokens map onto the same units:

- a sentence is cut into units: words (letters; hyphens split them as wordfreq does), elided
  articles and pronouns (``l'``, ``qu'``), numbers, and single punctuation marks;
- every model token belongs to the unit holding its first non-space character (a token of
  spaces only goes to the next unit); units that share a token are merged (``».``), so the
  model's log-probability of a unit is the sum over its own tokens, exactly;
- the unigram log-probability of a word is wordfreq's French frequency (the frequency of the
  lower-cased word among word tokens), of a number wordfreq's estimate for its digits, of a
  punctuation mark its rate in French news originals (``mtaudit/data/unigram_marks.tsv``),
  all scaled to one distribution over units; a word wordfreq does not know gets the typical
  cost of an unknown word of its length (a line fitted on the French originals, in the
  calibration table);
- a unit's *excess surprise* is ``surprise_LM - surprise_unigram`` (nats): near zero for a
  rare name the model finds as rare as it is, large for a common word the model did not expect
  *there*. The sentence's normalised surprise (:func:`sentence_excess`) is the mean excess over
  its units (minus SLOR), with two choices measured on the WMT development data (MT against
  human sentences of the same documents, training split; see training/calibrate_fluency.py):
  the first unit is left out (it is conditioned on the start of text only: its surprise is
  about the topic), and below -3 nats a unit's excess counts at a fifth only (a word the
  model predicts far better than its frequency, the rest of a name or an English quotation,
  cannot make up for an error elsewhere in the sentence). Sentence-level ROC AUC, training
  documents: plain SLOR 0.680, with both choices 0.726, raw perplexity 0.66.

The lookup is a dictionary access per unit (wordfreq's list is loaded once): no measurable
time next to the model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from mtaudit.core.resources import data_path, read_rows
from mtaudit.lm.paths import MARKS_FILE
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, elisions

# elided forms (mtaudit/data/elisions.txt) a unit does not take: "quelqu'" stays a word and a
# mark, as the units always had it (the calibration's quantiles were measured that way)
NOT_ELIDED_UNITS = frozenset({"quelqu"})


@cache
def unit_pattern() -> re.Pattern:
    """Word units, in the order tried: elided words (with their apostrophe, one of the document
    tokeniser's), numbers (French and English separators: a number is one unit either way),
    words of letters, any other visible character alone."""
    forms = sorted(elisions("all") - NOT_ELIDED_UNITS, key=lambda f: (-len(f), f))
    elided = "|".join(f"[{f[0].upper()}{f[0]}]{re.escape(f[1:])}" for f in forms)
    return re.compile(
        rf"(?P<elid>\b(?:{elided})[{DOCUMENT_APOSTROPHES}](?=[^\W\d_]))"
        r"|(?P<num>\d+(?:[.,\u00a0\u202f]\d+)*)"
        r"|(?P<word>[^\W\d_]+)"
        r"|(?P<mark>[^\w\s])",
        re.UNICODE,
    )
# the least a unit counts in the sentence's excess surprise (nats); an English word earns no
# credit at all (FOREIGN_FLOOR)
EXCESS_FLOOR = -3.0
FOREIGN_FLOOR = 0.0
# below the floor a unit still counts, at this slope: a corrected word ("nouvel accord") the
# model finds even more predictable still reads better
BELOW_FLOOR_SLOPE = 0.2
# a lower-case word is forgiven its rarity down to this frequency only (nats: about 1 in
# 1.2 million words); rarer, the model is the judge: a typo, a non-word, a calque
RARE_CAP = 14.0
# typography does not matter for the marks' rates
_MARK_CLASS = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "—": "–"})
_QUOTE_OPEN = {"«": "»", "“": "”", '"': '"', "„": "“"}
# defaults when the calibration table has none: an unknown word costs 21.5 nats + 1.0 per
# character beyond 5 (wordfreq's rarest listed French words are at about 1e-8, 18.4 nats)
DEFAULT_OOV = (21.5, 1.0)
# marks absent from the marks file
DEFAULT_MARK_RATE = 1e-5


@dataclass(slots=True)
class Unit:
    """One word unit of a sentence: character span, kind and the two surprises (nats)."""

    start: int
    end: int
    kind: str  # "word", "elid", "num", "mark" (a merged unit keeps its first part's kind)
    lm: float  # -log p_LM of its tokens (sum)
    uni: float  # -log p_unigram of its parts (sum)
    name: bool = False  # a capitalised word not at the start of the sentence
    quoted: bool = False  # inside quotation marks
    known: bool = True  # the unigram knows every word of it
    wend: int = -1  # end of its last letters or digits (a merged unit may end on a mark)
    foreign: bool = False  # an English word (mtaudit.lang.english_lexicon)

    @property
    def word_end(self) -> int:
        return self.wend if self.wend >= 0 else self.end

    @property
    def excess(self) -> float:
        return self.lm - self.uni


class Unigram:
    """French unit frequencies: wordfreq's words, numbers and the punctuation rates file."""

    def __init__(self, oov: tuple[float, float] | None = None):
        from wordfreq import get_frequency_dict

        words = get_frequency_dict("fr")
        marks: dict[str, float] = {}
        for row in read_rows(data_path(MARKS_FILE), min_cols=2, columns="mark, rate[, note]"):
            mark = row[0]
            if mark.startswith("U+"):
                try:
                    mark = chr(int(mark[2:], 16))
                except ValueError:
                    raise row.error(f"bad code point {row[0]!r}") from None
            if len(mark) != 1:
                raise row.error(f"a mark is one character (or U+XXXX), got {row[0]!r}")
            try:
                marks[mark] = float(row[1])
            except ValueError:
                raise row.error(f"rate {row[1]!r} is not a number") from None
        self.mark_share = min(0.5, sum(marks.values()))
        wscale = (1.0 - self.mark_share) / sum(words.values())
        # costs in nats, precomputed: one dictionary access per unit at scoring time
        self.word_cost = {w: -math.log(f * wscale) for w, f in words.items() if f > 0}
        self.mark_cost = {m: -math.log(r) for m, r in marks.items() if r > 0}
        self.wscale = wscale
        self.oov = oov or DEFAULT_OOV
        self._english = None

    def cost(self, kind: str, text: str) -> tuple[float, bool]:
        """(-log p_unigram, known) of one unit."""
        if kind == "mark":
            c = self.mark_cost.get(text.translate(_MARK_CLASS))
            return (c, True) if c is not None else (-math.log(DEFAULT_MARK_RATE), False)
        key = text.lower()
        if kind == "elid":
            key = key[:-1]
        elif kind == "num":
            return self._num_cost(key), True
        c = self.word_cost.get(key)
        if c is not None:
            return c, True
        a, b = self.oov
        return a + b * max(0, len(key) - 5), False

    def is_english(self, word: str) -> bool:
        """An English word or English grammar word (not a loanword, not a French homograph)."""
        if self._english is None:
            from mtaudit.lang.english_lexicon import Lexicon

            self._english = Lexicon.load()
        return self._english.kind(word) in ("strong", "weak")

    @lru_cache(maxsize=4096)  # noqa: B019 (one Unigram per process)
    def _num_cost(self, digits: str) -> float:
        from wordfreq import word_frequency

        f = word_frequency(re.sub(r"[\u00a0\u202f]", "", digits), "fr")
        if f <= 0:
            a, _ = self.oov
            return a
        return -math.log(f * self.wscale * 0.9877)


@lru_cache(maxsize=4)
def get_unigram(oov: tuple[float, float] | None = None) -> Unigram:
    return Unigram(oov)


def _quoted_mask(text: str) -> list[bool]:
    """True for the characters inside quotation marks (the marks themselves included)."""
    mask = [False] * len(text)
    i = 0
    while i < len(text):
        close = _QUOTE_OPEN.get(text[i])
        if close is not None:
            j = text.find(close, i + 1)
            if j > i:
                for k in range(i, j + 1):
                    mask[k] = True
                i = j + 1
                continue
        i += 1
    return mask


def units(score, unigram: Unigram) -> list[Unit]:
    """The word units of a scored sentence (``SentenceScore``), with their LM and unigram
    surprises. Tokens the model could not score (no BOS) make their unit unscored: it is
    left out."""
    text = score.text
    raw = []
    for m in unit_pattern().finditer(text):
        kind = m.lastgroup
        raw.append([m.start(), m.end(), kind, m.group()])
    if not raw:
        return []
    n = len(raw)
    owner = [-1] * len(text)  # the unit holding each character
    for k, (s, e, _, _) in enumerate(raw):
        for p in range(s, e):
            owner[p] = k
    nxt = [n - 1] * (len(text) + 1)  # the first unit ending after each position
    k = n - 1
    for p in range(len(text), -1, -1):
        while k > 0 and raw[k - 1][1] > p:
            k -= 1
        nxt[p] = k
    lm = [0.0] * n
    unscored = [False] * n
    joined = [False] * n  # unit k shares a token with unit k - 1
    for (ts, te), lp in zip(score.offsets, score.logprobs, strict=True):
        ts, te = max(0, ts), min(len(text), te)
        p = ts
        while p < te and (text[p].isspace() or owner[p] < 0):
            p += 1
        k = owner[p] if p < te else nxt[te]
        q = te - 1
        while q > p and owner[q] < 0:
            q -= 1
        last = owner[q] if p < te and owner[q] >= 0 else k
        for u in range(k + 1, last + 1):
            joined[u] = True
        if lp is None:
            unscored[k] = True
        else:
            lm[k] -= lp
    quoted = _quoted_mask(text)
    out: list[Unit] = []
    bad: list[bool] = []
    first_word = True
    for k, (s, e, kind, tok) in enumerate(raw):
        cost, known = unigram.cost(kind, tok)
        if joined[k] and out:
            u = out[-1]
            u.end, u.uni, u.lm, u.known = e, u.uni + cost, u.lm + lm[k], u.known and known
            if kind != "mark" and u.kind != "mark":
                u.wend = e
            bad[-1] = bad[-1] or unscored[k]
            continue
        name = kind in ("word", "elid") and tok[:1].isupper() and not first_word
        foreign = False
        if kind == "word" and not name:
            cost = min(cost, RARE_CAP)
            foreign = unigram.is_english(tok)
        if kind in ("word", "elid"):
            first_word = False
        out.append(
            Unit(
                s,
                e,
                kind,
                lm[k],
                cost,
                name=name,
                quoted=quoted[s],
                known=known,
                wend=e,
                foreign=foreign,
            )
        )
        bad.append(unscored[k])
    for i in range(len(out) - 1):  # "l'Achigan": the elided article of a name is the name's
        if out[i].kind == "elid" and out[i + 1].name and out[i].end == out[i + 1].start:
            out[i].name = True
    return [u for u, b in zip(out, bad, strict=True) if not b]


def sentence_excess(us: list[Unit]) -> tuple[float, int]:
    """(total excess surprise, units counted) of a sentence: every unit but the first (when
    there are others); below ``EXCESS_FLOOR`` a unit's excess counts at
    ``BELOW_FLOOR_SLOPE`` only; an English word counts for at least ``FOREIGN_FLOOR``."""
    counted = us[1:] if len(us) > 1 else us
    total = 0.0
    for u in counted:
        e = u.excess
        if u.foreign:  # an English word earns no credit at all
            total += max(FOREIGN_FLOOR, e)
        else:
            total += (
                e if e >= EXCESS_FLOOR else EXCESS_FLOOR + BELOW_FLOOR_SLOPE * (e - EXCESS_FLOOR)
            )
    return total, len(counted)

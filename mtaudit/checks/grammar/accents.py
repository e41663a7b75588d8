"""GR704: a common word written without its accent (evenement, accord-cle)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from mtaudit.analyses.morphology import LEXICON_FILES
from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _
from mtaudit.core.resources import data_path, read_lines
from mtaudit.lang.englishness import GRAMMAR, is_english
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, strip_accents

ACCENTS_FILE = "grammar/accents.txt"
_ACCENTED = set("àâäéèêëîïôöùûüç")


@lru_cache(maxsize=1)
def _accent_variants() -> Mapping[str, tuple[str, float, float]]:
    """unaccented spelling -> (most frequent accented word, its zipf, the runner-up's zipf);
    built once into an on-disk artefact (mtaudit.core.artefacts), keyed by wordfreq's lists and
    this module's source."""
    from mtaudit.core import artefacts
    from mtaudit.lang.frequencies import _wordfreq_inputs

    return artefacts.load(
        "grammar-accents",
        artefacts.input_identity(__file__),
        _wordfreq_inputs(),
        lambda: {"variants": _build_accent_variants()},
    )["variants"]


def _build_accent_variants() -> dict[str, tuple[str, float, float]]:
    import math

    import wordfreq

    freqs = wordfreq.get_frequency_dict("fr")
    best: dict[str, list[tuple[float, str]]] = {}
    for w in wordfreq.top_n_list("fr", 80000):
        if any(c in _ACCENTED for c in w) and w.isalpha():
            z = round(math.log10(freqs[w]) + 9, 2)
            best.setdefault(strip_accents(w, compat=False), []).append((z, w))
    out = {}
    for key, cands in best.items():
        cands.sort(reverse=True)
        runner = cands[1][0] if len(cands) > 1 else 0.0
        out[key] = (cands[0][1], cands[0][0], runner)
    return out


def _strip_circumflex_iu(w: str) -> str:
    return w.replace("î", "i").replace("û", "u")


def _accepted_unaccented() -> frozenset[str]:
    words = set()
    for row in read_lines(data_path(ACCENTS_FILE)):
        words.add(row[0].lower())
    return frozenset(words)


@register
class MissingAccentCheck(GrammarCheck):
    """A common word written without its accent.

    Machine translation pipelines and careless conversions drop accents (accord-cle for
    accord-clé, evenement for événement). Flagged only when the word without accents is not a
    French word of its own (a, la, ou are) and one accented spelling is far more frequent.
    Capitalised words are left alone: French often drops accents on capitals (Etat).

    Bad: un nouvel accord-cle entre la Russie et la Corée du Nord
    Good: un nouvel accord-clé entre la Russie et la Corée du Nord
    """

    code = "GR704"
    name = "missing-accent"
    severity = Severity.MINOR
    data_files = LEXICON_FILES + (ACCENTS_FILE,)  # the lexicon, no word list

    def run(self, doc, ctx):
        from mtaudit.lang.frequencies import zipf_frequency

        lex = lexicon_for(ctx)
        variants = _accent_variants()
        accepted = ctx.resource("grammar-accents", _accepted_unaccented)
        out = []
        for t in doc.words:
            if not t.text.islower() or t.text.endswith(tuple(DOCUMENT_APOSTROPHES)):
                continue
            if t.start > 0 and doc.text[t.start - 1].isdigit():
                continue  # 1ere, 2eme
            pos = t.start
            for part in t.text.split("-"):
                start, pos = pos, pos + len(part) + 1
                if len(part) < 3 or any(c in _ACCENTED for c in part) or not part.isalpha():
                    continue
                v = variants.get(part)
                if v is None or part in accepted or lex.info(part).known or is_english(part, GRAMMAR):
                    continue
                word, z, runner = v
                if _strip_circumflex_iu(word) == part:
                    continue  # aout, ile, cout: the 1990 rectified spelling
                if z < 3.5 or z - runner < 1.0 or z - zipf_frequency(part, "fr") < 1.4:
                    continue
                out.append(
                    self.finding(start, start + len(part), _("'{word}' is missing its accent").format(word=part), word)
                )
        return out

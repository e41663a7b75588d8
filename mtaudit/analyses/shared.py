"""The shared analyses whose code still lives beside the checks that read them.

Each is declared here by name (what it provides, what it requires) and runs the existing code,
imported when first needed. When an analysis's code moves into this package, its declaration
moves with it and this file loses a class: the name, and so every ``doc.analysis(ctx, name)``
call, stays.
"""

from __future__ import annotations

from mtaudit.analyses.framework import Analysis, register_analysis


@register_analysis
class GrammarSentences(Analysis):
    name = "grammar_sentences"
    provides = "the document's sentences as grammar analyses (mtaudit.checks.grammar.sentences.Sent)"

    def run(self, doc, ctx):
        from mtaudit.checks.grammar.sentences import Sent

        return [Sent(doc, toks) for toks in doc.sentence_tokens if toks]

"""Shared analyses of a document, computed once and read by the checks.

Each analysis is declared (``name``, ``provides``, ``requires``, ``run(doc, ctx)``: see
:mod:`mtaudit.analyses.framework`) in a module of this package and read with
``doc.analysis(ctx, name)``. ``mtaudit analyses`` modules: ``framework`` (the mechanism),
``shared`` (declarations of the analyses whose code still lives beside their checks),
``glossaries`` (the name glossaries and their matcher).
"""

"""Shared analyses of a document, computed once and read by the checks.

Each analysis is declared (``name``, ``provides``, ``requires``, ``run(doc, ctx)``: see
:mod:`mtaudit.analyses.framework`) in a module of this package, and read with
``doc.analysis(ctx, name)``. Every module here is imported on the first request: adding an
analysis is adding a module.
"""

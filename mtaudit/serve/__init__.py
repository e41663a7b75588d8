"""``mtaudit serve``: the auditor as an HTTP service for a CMS (Starlette on uvicorn).

Install with ``pip install "mtaudit[serve]"``. :mod:`.app` has the endpoints, :mod:`.engine`
the scoring worker that owns the model, :mod:`.languagetool` LanguageTool's ``/v2`` API,
:mod:`.metrics` the Prometheus metrics.
"""

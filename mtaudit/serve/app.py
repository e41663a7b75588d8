"""The ASGI application of ``mtaudit serve`` (Starlette; run by uvicorn).

Endpoints:

- ``POST /v1/audit``: JSON ``{"text": ...}`` (optional ``title``, ``reference``, ``id``) or
  ``{"articles": [{"text", "id", "title", "reference"}, ...]}``, optional ``config`` overrides
  and ``include_text``; answers the JSON contract of ``mtaudit scan --format json``, made by
  the same code (:func:`mtaudit.report.text.report_dict`).
- ``POST /v1/audit/batch``: JSONL records (as ``scan`` reads them) or ``{"articles": [...]}``;
  answers JSONL, one line per article as it is scored (``scan --format jsonl``).
- ``GET /v1/rules``, ``GET /health`` (200 only once the model is loaded), ``GET /metrics``.
- ``POST /v2/check``, ``GET /v2/languages``: LanguageTool's API (:mod:`.languagetool`).

Every error is ``{"error": {"status", "code", "message"}}`` with its HTTP status. Requests
are read and checked by :mod:`.requests`; this module holds the endpoints, the streaming of
results and the error handlers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from mtaudit import __version__
from mtaudit.core.document import normalise_newlines
from mtaudit.core.scorecard import SKIPPED
from mtaudit.io.items import InputError, Item
from mtaudit.io.jsonl import read_jsonl
from mtaudit.report.text import dumps, jsonl_line, report_dict
from mtaudit.serve import languagetool as lt
from mtaudit.serve.engine import Engine, parse_overrides
from mtaudit.serve.errors import ApiError, type_name
from mtaudit.serve.metrics import Metrics, MetricsMiddleware
from mtaudit.serve.requests import (
    ARTICLE_FIELDS,
    AUDIT_FIELDS,
    JSONL_TYPES,
    Settings,
    article,
    articles_of,
    authorize,
    decode,
    flags,
    read_body,
    read_json,
)

log = logging.getLogger("mtaudit.serve")


def create_app(engine: Engine, settings: Settings, metrics: Metrics | None = None, on_fail=None) -> Starlette:
    metrics = metrics or Metrics()
    engine.on_group = metrics.on_group

    # ------------------------------------------------------------------------- helpers
    async def results(job, n: int):
        """(index, card, check errors) of the job's articles as they complete; the job is
        cancelled on timeout or when the client goes away."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settings.timeout
        try:
            for _ in range(n):
                remaining = deadline - loop.time()
                try:
                    got = await asyncio.wait_for(job.results.get(), max(remaining, 0.001))
                except TimeoutError:
                    raise ApiError(
                        504,
                        "timeout",
                        f"not scored within {settings.timeout:g} s (the server's --timeout): the service is busy or the text very long",
                    ) from None
                if isinstance(got[1], ApiError):
                    raise got[1]
                metrics.articles.labels(got[1].verdict).inc()
                yield got
        finally:
            engine.cancel(job)

    # ----------------------------------------------------------------------- endpoints
    async def audit(request: Request) -> Response:
        authorize(settings, request)
        body = await read_json(settings, request)
        if not isinstance(body, dict):
            raise ApiError(400, "bad_type", f"the request body must be a JSON object, not {type_name(body)}")
        unknown = sorted(set(body) - AUDIT_FIELDS)
        if unknown:
            raise ApiError(400, "unknown_field", f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(AUDIT_FIELDS))})")
        if ("text" in body) == ("articles" in body):
            raise ApiError(400, "missing_field", "send either \"text\" (one article) or \"articles\" (several)")
        include_text, show_suppressed = flags(body)
        key, over = parse_overrides(engine.config, body.get("config"))
        single = "text" in body
        if single:
            got = article({k: body[k] for k in ARTICLE_FIELDS if k in body}, "request", "<text>")
            if isinstance(got, InputError):
                code = "empty" if "empty" in got.message else ("missing_field" if "missing" in got.message else "bad_type")
                raise ApiError(400, code, got.message)
            inputs: list[Item | InputError] = [got]
        else:
            inputs = articles_of(settings, body)
        items = [x for x in inputs if isinstance(x, Item)]
        errors = [x for x in inputs if isinstance(x, InputError)]
        if not items:
            raise ApiError(400, "no_article", "no article could be read", detail={"errors": [e.to_dict() for e in errors]})
        job = engine.submit(items, key, over)
        slots: list = [None] * len(items)
        async for idx, card, errs in results(job, len(items)):
            slots[idx] = (card, errs)
        cards = [c for c, _ in slots]
        errors += [e for _, errs in slots for e in errs]
        if single:
            card = cards[0]
            if card.verdict == SKIPPED and card.language not in ("fr", "und"):
                raise not_french(card)
        report = report_dict(cards, errors, job.signature, include_text, show_suppressed)
        return Response(dumps(report) + "\n", media_type="application/json")

    def not_french(card) -> ApiError:
        conf = card.scores.get("language_confidence")
        return ApiError(
            422,
            "not_french",
            f"the text is not French (detected {lt.LANGUAGE_NAMES.get(card.language, card.language)}, "
            f"confidence {conf or 0:.2f}): mtaudit audits French text only",
            detail={"language": card.language, "confidence": conf},
        )

    async def batch(request: Request) -> Response:
        authorize(settings, request)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        key, over = "", {}
        if ctype in JSONL_TYPES or not ctype.endswith("json"):
            body = await read_body(settings, request)
            if not body.strip():
                raise ApiError(400, "empty", "empty request body: send JSONL records {\"id\", \"text\"}, one a line")
            inputs = list(read_jsonl("batch", normalise_newlines(decode(body)), "utf-8"))
            n_items = sum(isinstance(x, Item) for x in inputs)
            if n_items > settings.max_batch:
                raise ApiError(413, "too_many", f"{n_items} articles in one request; the limit is {settings.max_batch} (--max-batch)")
        else:
            body = await read_json(settings, request)
            if not isinstance(body, dict):
                raise ApiError(400, "bad_type", f"the request body must be a JSON object, not {type_name(body)}")
            unknown = sorted(set(body) - {"articles", "config", "include_text", "show_suppressed"})
            if unknown:
                raise ApiError(
                    400, "unknown_field", f"unknown field(s) {', '.join(unknown)} (allowed: articles, config, include_text, show_suppressed)"
                )
            include_text, show_suppressed = flags(body)
            key, over = parse_overrides(engine.config, body.get("config"))
            inputs = articles_of(settings, body)
        if ctype in JSONL_TYPES or not ctype.endswith("json"):  # flags as query parameters
            include_text, show_suppressed = (
                request.query_params.get(k, "").lower() in ("1", "true") for k in ("include_text", "show_suppressed")
            )
        items = [x for x in inputs if isinstance(x, Item)]
        if not items and all(isinstance(x, InputError) for x in inputs) and inputs:
            raise ApiError(400, "no_article", "no article could be read", detail={"errors": [e.to_dict() for e in inputs]})
        job = engine.submit(items, key, over)

        async def lines():
            done: dict[int, tuple] = {}
            stream = results(job, len(items))
            k = 0
            try:
                for x in inputs:
                    if isinstance(x, InputError):
                        yield jsonl_line(x) + "\n"
                        continue
                    while k not in done:
                        idx, card, errs = await stream.__anext__()
                        done[idx] = (card, errs)
                    card, errs = done.pop(k)
                    k += 1
                    for e in errs:
                        yield jsonl_line(e) + "\n"
                    yield jsonl_line(card, include_text, show_suppressed) + "\n"
            except ApiError as exc:  # a timeout half-way: said on the last line
                metrics.errors.labels("/v1/audit/batch", exc.code).inc()
                yield json.dumps(exc.to_dict(), ensure_ascii=False) + "\n"
            finally:
                await stream.aclose()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    async def rules(request: Request) -> Response:
        authorize(settings, request)
        from mtaudit.checks import load_checks

        enabled = {c.code for c in engine.base().checks} if engine.ready.is_set() and not engine.failed else set()
        out = [{**cls.to_dict(), "enabled": code in enabled} for code, cls in load_checks().items()]
        return JSONResponse({"mtaudit": __version__, "rules": out})

    async def health(request: Request) -> Response:
        if not engine.ready.is_set():
            return JSONResponse({"status": "loading", "mtaudit": __version__}, 503, {"Retry-After": "5"})
        if engine.failed:
            return JSONResponse({"status": "failed", "error": engine.failed, "mtaudit": __version__}, 503)
        return JSONResponse({"status": "ready", "mtaudit": __version__, "queued": engine.queued, **engine.info})

    async def metrics_endpoint(request: Request) -> Response:
        authorize(settings, request)
        metrics.queued.set(engine.queued)
        metrics.ready.set(1 if engine.ready.is_set() and not engine.failed else 0)
        data, ctype = metrics.render()
        return Response(data, media_type=ctype)

    async def v2_languages(request: Request) -> Response:
        return JSONResponse(lt.languages())

    async def v2_check(request: Request) -> Response:
        form = dict(parse_qsl(request.url.query, keep_blank_values=True))
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(settings, request)
            if body.strip():
                if ctype not in ("application/x-www-form-urlencoded", ""):
                    raise ApiError(
                        415,
                        "unsupported_media_type",
                        f"send the fields as application/x-www-form-urlencoded, as LanguageTool clients do (got {ctype})",
                    )
                try:
                    form.update(parse_qsl(decode(body), keep_blank_values=True, strict_parsing=False))
                except ValueError as exc:
                    raise ApiError(400, "bad_form", f"cannot read the form fields ({exc})") from None
        authorize(settings, request, form.get("apiKey"))
        requested, auto = lt.parse_language(form.get("language"))
        ann = lt.annotated_text(form.get("text"), form.get("data"))
        from mtaudit.checks import load_checks

        registry = load_checks()
        sel = lt.rule_selection(form, registry)
        wanted: dict = {}
        if sel.select is not None:
            wanted["select"] = sel.select
        if sel.ignore:
            wanted["ignore"] = sel.ignore
        key, over = parse_overrides(engine.config, wanted or None)
        job = engine.submit([Item("<v2/check>", ann.plain, "utf-8", "text")], key, over)
        card = [c async for _, c, _errs in results(job, 1)][0]
        if card.verdict == SKIPPED and card.language not in ("fr", "und"):
            raise not_french(card)
        out = lt.check_response(card, ann, requested, auto, sel, registry, card.sentence_spans)
        return JSONResponse(out)

    # ------------------------------------------------------------------- error handlers
    def error_response(request: Request, exc: ApiError) -> Response:
        path = request.url.path
        metrics.errors.labels(path if path in _paths else "other", exc.code).inc()
        return JSONResponse(exc.to_dict(), exc.status, exc.headers)

    async def on_api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc)

    async def on_http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            err = ApiError(404, "not_found", f"no such endpoint: {request.method} {request.url.path}")
        elif exc.status_code == 405:
            err = ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}", dict(exc.headers or {}))
        else:
            err = ApiError(exc.status_code, "http_error", str(exc.detail))
        return error_response(request, err)

    async def on_internal_error(request: Request, exc: Exception) -> Response:
        log.error("mtaudit: internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
        return error_response(request, ApiError(500, "internal", f"internal error ({type(exc).__name__}); see the server log"))

    routes = [
        Route("/v1/audit", audit, methods=["POST"]),
        Route("/v1/audit/batch", batch, methods=["POST"]),
        Route("/v1/rules", rules, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/v2/check", v2_check, methods=["POST", "GET"]),
        Route("/v2/languages", v2_languages, methods=["GET"]),
    ]
    _paths = {r.path for r in routes}

    @asynccontextmanager
    async def lifespan(app):
        engine.start()
        loop = asyncio.get_running_loop()

        async def announce():
            await loop.run_in_executor(None, engine.ready.wait)
            if engine.failed:
                if on_fail is not None:
                    on_fail()
                return
            lm = engine.info.get("lm")
            model = f"language model {lm['name']}" if lm else "no language model (--no-lm)"
            print(
                f"mtaudit serve: ready on {settings.url} ({model}; {engine.info['rules']} rules; "
                f"loaded in {engine.info['load_seconds']:g} s)",
                file=sys.stderr,
                flush=True,
            )

        task = asyncio.create_task(announce())
        try:
            yield
        finally:
            task.cancel()
            # in-flight requests are answered by now (uvicorn waits for them); finish any
            # article still being scored and end the worker
            await loop.run_in_executor(None, engine.stop, 30)
            print("mtaudit serve: stopped", file=sys.stderr, flush=True)

    return Starlette(
        routes=routes,
        middleware=[Middleware(MetricsMiddleware, metrics=metrics)],
        exception_handlers={ApiError: on_api_error, HTTPException: on_http_error, Exception: on_internal_error},
        lifespan=lifespan,
    )

"""Prometheus metrics of the service (``GET /metrics``, text exposition format).

Counted per endpoint (the route's path, so unknown paths do not add series): requests by
status, latency, errors by code; and, for the scoring worker, the articles audited by verdict,
the size of the groups it scores together and how many articles wait.
"""

from __future__ import annotations

import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
ROUTES = (
    "/v1/audit",
    "/v1/audit/batch",
    "/v1/rules",
    "/v2/check",
    "/v2/languages",
    "/health",
    "/metrics",
)


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.requests = Counter(
            "mtaudit_http_requests", "HTTP requests answered", ["endpoint", "method", "status"], registry=r
        )
        self.latency = Histogram(
            "mtaudit_http_request_duration_seconds",
            "Time from request to the end of the response",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "mtaudit_http_errors", "Requests answered with an error, by error code", ["endpoint", "code"], registry=r
        )
        self.in_flight = Gauge("mtaudit_http_requests_in_flight", "Requests being answered", registry=r)
        self.articles = Counter("mtaudit_articles_audited", "Articles audited, by verdict", ["verdict"], registry=r)
        self.group_size = Histogram(
            "mtaudit_scoring_group_articles",
            "Articles scored together in one group (from one or more requests)",
            buckets=(1, 2, 4, 8, 16, 32),
            registry=r,
        )
        self.group_seconds = Histogram(
            "mtaudit_scoring_group_seconds", "Time to audit one group", buckets=LATENCY_BUCKETS, registry=r
        )
        self.queued = Gauge("mtaudit_articles_queued", "Articles waiting to be scored", registry=r)
        self.ready = Gauge("mtaudit_ready", "1 once the auditor and the model are loaded", registry=r)

    def on_group(self, n: int, seconds: float) -> None:
        self.group_size.observe(n)
        self.group_seconds.observe(seconds)

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Pure ASGI middleware (streaming responses are timed to their last byte)."""

    def __init__(self, app, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        endpoint = path if path in ROUTES else "other"
        status = {"code": 500}
        m = self.metrics
        m.in_flight.inc()
        t0 = time.perf_counter()

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            m.in_flight.dec()
            m.latency.labels(endpoint).observe(time.perf_counter() - t0)
            m.requests.labels(endpoint, scope.get("method", ""), str(status["code"])).inc()

"""The scoring worker of ``mtaudit serve``: one thread that owns the auditors and the model.

Request handlers (on the event loop) submit a :class:`Job` (one or more articles and a
configuration) and await its results; they never run a check themselves, so the service
answers ``/health``, ``/metrics`` and new requests while articles are being scored.

The worker takes articles from all pending jobs with the same configuration, round-robin
(a short request is not stuck behind a large batch), up to ``group`` articles or
``group_words`` words, and audits them as one group: with the language model on, the
sentences of all of them are scored in shared batches (``Auditor.audit_many``), as
``mtaudit scan`` does for a directory. Scores do not depend on the grouping, so an article
gets byte-identical JSON whoever else was in its group.

Per-request configuration overrides (rule selection, severities, thresholds) get their own
:class:`~mtaudit.auditor.Auditor`, which shares the loaded resources (model, lexicons,
glossaries) of the server's: overrides never reload anything.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
import time
from collections import OrderedDict, deque
from typing import Any

from mtaudit.auditor import Auditor
from mtaudit.core.config import Config, ConfigError
from mtaudit.core.context import Context, ResourceError
from mtaudit.core.findings import Severity
from mtaudit.core.signature import Signature
from mtaudit.io.items import InputError, Item
from mtaudit.serve.errors import ApiError, type_name
from mtaudit.text.normalise import count_words

log = logging.getLogger("mtaudit.serve")

# configuration keys a request may override; the others (model, glossaries, language
# backend, size limits, network) are the server's, set when it starts
OVERRIDABLE = ("select", "ignore", "severity", "thresholds", "keep_boilerplate", "lm")
WARMUP_TEXT = (
    "Le gouvernement a présenté mardi un projet de loi sur le logement. Les députés "
    "l'examineront en séance publique dès la semaine prochaine, a indiqué le ministre."
)


def parse_overrides(base: Config, raw: Any) -> tuple[str, dict]:
    """Validate a request's ``config`` object; return (a canonical key, the overrides)."""
    if raw is None:
        return "", {}
    if not isinstance(raw, dict):
        raise ApiError(400, "bad_type", f"\"config\" must be an object, not {type_name(raw)}")
    unknown = sorted(set(raw) - set(OVERRIDABLE))
    if unknown:
        raise ApiError(
            400,
            "bad_config",
            f"config key(s) {', '.join(unknown)} cannot be set per request "
            f"(allowed: {', '.join(OVERRIDABLE)}; the others are set when the server starts)",
        )
    out: dict[str, Any] = {}
    for key in ("select", "ignore"):
        if key in raw:
            v = raw[key]
            if isinstance(v, str):
                v = [s for s in v.split(",") if s.strip()]
            if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                raise ApiError(400, "bad_type", f"config.{key} must be an array of rule codes or prefixes")
            out[key] = sorted({s.strip().upper() for s in v})
    if "severity" in raw:
        v = raw["severity"]
        if not isinstance(v, dict) or not all(isinstance(s, str) for s in v.values()):
            raise ApiError(400, "bad_type", "config.severity must be an object of rule code: severity")
        try:
            out["severity"] = {k.upper(): Severity.parse(s).value for k, s in sorted(v.items())}
        except ValueError as exc:
            raise ApiError(400, "bad_config", f"config.severity: {exc}") from None
    if "thresholds" in raw:
        v = raw["thresholds"]
        if not isinstance(v, dict) or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in v.values()
        ):
            raise ApiError(400, "bad_type", "config.thresholds must be an object of name: number")
        out["thresholds"] = {k: float(x) for k, x in sorted(v.items())}
    for key in ("keep_boilerplate", "lm"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise ApiError(400, "bad_type", f"config.{key} must be true or false, not {type_name(raw[key])}")
            out[key] = raw[key]
    # the checks of a configuration file: rule codes that exist, thresholds in range, ...
    checked = {k: v for k, v in raw.items() if k not in ("select", "ignore")}
    checked.update({k: out[k] for k in ("select", "ignore") if out.get(k)})
    try:
        Config.from_dict(checked)
    except ConfigError as exc:
        msg = str(exc)
        raise ApiError(400, "bad_config", "config." + msg[8:] if msg.startswith("config: ") else msg) from None
    if out.get("lm") and not base.lm:
        raise ApiError(400, "bad_config", "config.lm: this server runs without the language model (--no-lm)")
    if out.get("lm") is True:
        del out["lm"]  # the server's default
    return json.dumps(out, sort_keys=True), out


def apply_overrides(base: Config, over: dict) -> Config:
    cfg = dataclasses.replace(base)
    if "select" in over:
        cfg.select = [c for c in over["select"] if base.rule_enabled(c) or base.select is None]
    if "ignore" in over:
        cfg.ignore = list(base.ignore) + over["ignore"]
    if "severity" in over:
        cfg.severity = {**base.severity, **{k: Severity(v) for k, v in over["severity"].items()}}
    if "thresholds" in over:
        cfg.thresholds = {**base.thresholds, **over["thresholds"]}
    if "keep_boilerplate" in over:
        cfg.keep_boilerplate = over["keep_boilerplate"]
    if over.get("lm") is False:
        cfg.lm = False
    return cfg


class Job:
    """Articles of one request, audited with one configuration; results are pushed to the
    request's event loop as each article completes, in input order."""

    def __init__(self, items: list[Item], key: str, overrides: dict, loop: asyncio.AbstractEventLoop):
        self.pending: deque[tuple[int, Item]] = deque(enumerate(items))
        self.n = len(items)
        self.key = key
        self.overrides = overrides
        self.loop = loop
        self.results: asyncio.Queue = asyncio.Queue()
        self.cancelled = False
        self.signature: Signature | None = None

    def push(self, value) -> None:
        self.loop.call_soon_threadsafe(self.results.put_nowait, value)


class Engine:
    def __init__(
        self,
        config: Config,
        group: int = 16,
        group_words: int = 40_000,
        max_pending: int = 256,
        max_auditors: int = 8,
        on_group=None,
    ):
        self.config = config
        self.group = group
        self.group_words = group_words
        self.max_pending = max_pending
        self.max_auditors = max_auditors
        self.on_group = on_group  # callback(n_articles, seconds) for the metrics
        self.ctx = Context(config)
        self.auditors: OrderedDict[str, Auditor] = OrderedDict()
        self.jobs: deque[Job] = deque()
        self.n_pending = 0
        self.cond = threading.Condition()
        self.stopping = False
        self.ready = threading.Event()
        self.failed: str | None = None
        self.info: dict[str, Any] = {"state": "loading"}
        self.thread = threading.Thread(target=self._run, name="mtaudit-scoring", daemon=True)

    # ----------------------------------------------------------------- the event-loop side
    def start(self) -> None:
        self.thread.start()

    def base(self) -> Auditor:
        return self.auditors[""]

    def auditor_for(self, key: str, overrides: dict) -> Auditor:
        """The auditor of a configuration (built once; resources shared with the server's)."""
        with self.cond:
            a = self.auditors.get(key)
            if a is not None:
                self.auditors.move_to_end(key)
                return a
        cfg = apply_overrides(self.config, overrides)
        ctx = self.ctx.sharing(cfg)  # the loaded model and lexicons (core/context.py, policy 1)
        a = Auditor(cfg, ctx)
        with self.cond:
            self.auditors[key] = a
            while len(self.auditors) > self.max_auditors:
                old = next(k for k in self.auditors if k != "")
                del self.auditors[old]
        return a

    def submit(self, items: list[Item], key: str = "", overrides: dict | None = None) -> Job:
        if not self.ready.is_set():
            raise ApiError(503, "not_ready", "the service is still loading the model; retry shortly", {"Retry-After": "5"})
        auditor = self.auditor_for(key, overrides or {})
        job = Job(items, key, overrides or {}, asyncio.get_running_loop())
        job.signature = auditor.signature
        with self.cond:
            if self.stopping:
                raise ApiError(503, "shutting_down", "the service is shutting down")
            if self.n_pending + len(items) > self.max_pending:
                raise ApiError(
                    503,
                    "busy",
                    f"{self.n_pending} articles are waiting to be scored (limit {self.max_pending}); retry shortly",
                    {"Retry-After": "2"},
                )
            self.jobs.append(job)
            self.n_pending += len(items)
            self.cond.notify()
        return job

    def cancel(self, job: Job) -> None:
        with self.cond:
            if not job.cancelled:
                job.cancelled = True
                self.n_pending -= len(job.pending)
                job.pending.clear()

    def stop(self, timeout: float | None = None) -> None:
        """Finish the articles already submitted, then end the worker."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        self.thread.join(timeout)

    @property
    def queued(self) -> int:
        return self.n_pending

    # ------------------------------------------------------------------- the worker thread
    def _run(self) -> None:
        try:
            self._load()
        except Exception as exc:  # noqa: BLE001 - reported once, the server stops
            self.failed = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ResourceError) else str(exc)
            self.info = {"state": "failed", "error": self.failed}
            log.error("mtaudit: the service cannot start: %s", self.failed)
            self.ready.set()
            return
        self.ready.set()
        while True:
            with self.cond:
                while not self.jobs and not self.stopping:
                    self.cond.wait()
                if not self.jobs:
                    return
                key, group = self._take_group()
            if group:
                self._audit(key, group)

    def _load(self) -> None:
        t0 = time.perf_counter()
        auditor = Auditor(self.config, self.ctx)
        self.auditors[""] = auditor
        lm_info: dict | None = None
        if self.config.lm:
            from mtaudit.checks.fluency import fluency_lm

            lm = fluency_lm(self.ctx)  # raises ResourceError (cached) if it cannot load
            lm_info = {k: lm.info.get(k) for k in ("name", "fingerprint", "dtype", "precision", "parameters", "threads", "load_seconds")}
        # load the lexicons, lingua and the likelihood model now rather than on the first request
        n_err = len(auditor.check_errors)
        auditor.audit_text(WARMUP_TEXT, "<warm-up>")
        for err in auditor.check_errors[n_err:]:
            log.warning("mtaudit: %s", err)
        self.info = {
            "state": "ready",
            "lm": lm_info,
            "rules": len(auditor.checks),
            "signature": str(auditor.signature),
            "load_seconds": round(time.perf_counter() - t0, 2),
        }

    def _take_group(self) -> tuple[str, list[tuple[Job, int, Item]]]:
        """Up to ``group`` articles of the jobs sharing the oldest job's configuration,
        one from each job in turn. Called with the lock held."""
        while self.jobs and (self.jobs[0].cancelled or not self.jobs[0].pending):
            self.jobs.popleft()
        if not self.jobs:
            return "", []
        key = self.jobs[0].key
        same = [j for j in self.jobs if j.key == key and not j.cancelled and j.pending]
        group: list[tuple[Job, int, Item]] = []
        words = 0
        while same and len(group) < self.group and words < self.group_words:
            for j in list(same):
                if not j.pending:
                    same.remove(j)
                    continue
                idx, item = j.pending.popleft()
                group.append((j, idx, item))
                words += count_words(item.text)  # as Auditor.audit_many groups
                if len(group) >= self.group or words >= self.group_words:
                    break
        self.n_pending -= len(group)
        # jobs with nothing left to take leave the queue; the first one, if it still has
        # articles, goes to the back so that the next group starts with someone else
        rest = [j for j in self.jobs if j.pending and not j.cancelled]
        if rest and rest[0] is self.jobs[0]:
            rest.append(rest.pop(0))
        self.jobs = deque(rest)
        return key, group

    def _audit(self, key: str, group: list[tuple[Job, int, Item]]) -> None:
        with self.cond:
            auditor = self.auditors.get(key)
        if auditor is None:  # evicted meanwhile: rebuild from the job's overrides
            auditor = self.auditor_for(key, group[0][0].overrides)
        t0 = time.perf_counter()
        pos = 0
        errors: list[InputError] = []
        try:
            for obj in auditor.audit_many([item for _, _, item in group], group=len(group)):
                if isinstance(obj, InputError):
                    errors.append(obj)  # a check failed on the article that comes next
                    continue
                job, idx, _ = group[pos]
                pos += 1
                job.push((idx, obj, errors))
                errors = []
        except Exception as exc:  # noqa: BLE001 - the requests get a 500, the service goes on
            log.exception("mtaudit: scoring failed")
            for job, idx, _ in group[pos:]:
                job.push((idx, ApiError(500, "internal", f"scoring failed: {type(exc).__name__}"), []))
        if self.on_group is not None:
            self.on_group(len(group), time.perf_counter() - t0)

"""Auditing (``audit_dataset``): ``map_batches`` on :class:`AuditWorker`, a callable class
run as a pool of Ray actors. Each actor builds one :class:`~mtaudit.auditor.Auditor` (and so
loads the language model once) and asks Ray for as many CPUs as the torch threads it uses
(``threads``). A batch is audited by ``Auditor.audit_many``, the code path of ``scan``, and
each result is serialised by :func:`mtaudit.report.text.jsonl_line`, the code that writes
``scan --format jsonl``."""

from __future__ import annotations

import json
import os
import resource
import socket
import time
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from mtaudit.core.config import Config
from mtaudit.core.scorecard import SKIPPED, Scorecard
from mtaudit.distributed.cluster import require_ray
from mtaudit.distributed.reading import small_blocks
from mtaudit.distributed.rows import from_row, user_rows
from mtaudit.io.items import InputError, Item
from mtaudit.report.text import jsonl_line


def domain_of(url: str | None) -> str:
    """The host of a URL, lower case, without a leading ``www.``; "" without a URL."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _error_kind(message: str) -> str:
    m = message.lower()
    for needle, kind in (
        ("http status", "http_status"),
        ("not an html page", "not_html"),
        ("no article text", "no_article_text"),
        ("too large", "too_large"),
        ("malformed json", "bad_record"),
        ("record has", "bad_record"),
        ("jsonl record must", "bad_record"),
        ("check ", "check_failed"),
        ("empty", "empty"),
        ("no such file", "not_found"),
        ("worker failed", "worker_failed"),
    ):
        if needle in m:
            return kind
    return "unreadable"


def _record(iid: str, meta: dict, line: str) -> str:
    """``line`` (a ``scan --format jsonl`` line) with the input id and page origin in front."""
    head = {"input": iid}
    for k in ("url", "date"):
        if meta.get(k):
            head[k] = meta[k]
    lead = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items())
    return "{" + lead + ", " + line[1:]


def pair_results(pairs: list[tuple[str, Item | InputError]], results: Iterable[Scorecard | InputError]):
    """(input id, input, result) for each result of ``Auditor.audit_many`` over ``pairs``:
    a result is the input's scorecard, the input's own error, or the error of a check that
    failed on it (given the id of the article it failed on)."""
    i = 0
    for obj in results:
        while i < len(pairs) and pairs[i][1] is None:
            i += 1
        if i < len(pairs) and (obj is pairs[i][1] or isinstance(obj, Scorecard)):
            yield pairs[i][0], pairs[i][1], obj
            i += 1
            continue
        j = i
        while j < len(pairs) and not isinstance(pairs[j][1], Item):
            j += 1
        iid = pairs[j][0] if j < len(pairs) else (pairs[-1][0] if pairs else "")
        yield iid, None, obj


class AuditWorker:
    """The callable class of ``map_batches``: one Auditor (and one model) per Ray actor."""

    def __init__(self, config: Config, threads: int = 1, include_text: bool = False, cwd: str = ""):
        t0 = time.perf_counter()
        os.environ["MTAUDIT_THREADS"] = str(threads)  # read by the model loader
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if cwd and os.path.isdir(cwd):
            os.chdir(cwd)  # glossaries and model paths named relative to the user's directory
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:  # pragma: no cover - torch is a dependency
            pass
        from mtaudit.auditor import Auditor

        self.config = config
        self.auditor = Auditor(config)
        self.include_text = include_text
        self.likely_at = config.threshold("warn_likelihood")
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.load_s = round(time.perf_counter() - t0, 3)

    def audit(self, pairs: list[tuple[str, Item | InputError]]) -> Iterator[tuple[str, Item | InputError | None, Scorecard | InputError]]:
        return pair_results(pairs, self.auditor.audit_many(o for _, o in pairs))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        pairs = [(str(i), from_row(p, b)) for i, p, b in zip(batch["input"], batch["payload"], batch["body"], strict=True)]
        out: dict[str, list] = {k: [] for k in ("input", "record", "verdict", "likely", "domain", "error_kind", "worker")}
        for iid, src, obj in self.audit(pairs):
            meta = src.meta if isinstance(src, Item) else {}
            out["input"].append(iid)
            out["record"].append(_record(iid, meta, jsonl_line(obj, self.include_text)))
            out["domain"].append(domain_of(meta.get("url")))
            if isinstance(obj, InputError):
                out["verdict"].append("error")
                out["likely"].append(-1)
                out["error_kind"].append(_error_kind(obj.message))
            else:
                lik = obj.scores.get("translated_from_english")
                out["verdict"].append(obj.verdict)
                out["likely"].append(-1 if lik is None or obj.verdict == SKIPPED else int(lik >= self.likely_at))
                out["error_kind"].append("")
            out["worker"].append(self.worker)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["worker"] = [f"{w}|{rss:.0f}|{self.load_s}" for w in out["worker"]]
        return out


def audit_dataset(
    ds,
    config: Config | None = None,
    *,
    workers: int | None = None,
    threads: int = 1,
    block_bytes: int = 32 * 1024,
    include_text: bool = False,
    worker_class: type[AuditWorker] = AuditWorker,
):
    """Audit a Ray dataset; returns a dataset of scorecard rows.

    ``ds`` is either what :func:`read_dataset` gives, or rows of your own with ``id`` (or
    ``url``) and ``text`` (or ``html``), and optionally ``title``, ``reference``, ``date``.
    Each output row has ``input`` (the input id), ``record`` (the JSON line: the scorecard as
    ``scan --format jsonl`` writes it, the input id in front), ``verdict`` (``error`` for an
    input error), ``likely`` (1 when the translated-from-English likelihood reaches the
    configuration's ``warn_likelihood``, 0 below, -1 not judged), ``domain``, ``error_kind``
    and ``worker``. ``workers`` actors of ``threads`` CPUs each (default: as many as the
    cluster's CPUs allow); ``worker_class`` may be a subclass of :class:`AuditWorker`.
    """
    ray = require_ray()
    config = config or Config()
    if threads < 1:
        raise ValueError("threads must be at least 1")
    names = {"input", "payload", "body"}
    if not getattr(ds, "_mtaudit_input_rows", False):
        schema = ds.schema()
        names = set(schema.names) if schema is not None else names
    if not {"input", "payload", "body"} <= names:
        if not ({"id", "url"} & names and {"text", "html"} & names):
            raise ValueError("audit_dataset needs rows with an id (or url) and a text (or html) column")
        ds = small_blocks(
            ds.map_batches(user_rows, batch_size=16, batch_format="numpy", num_cpus=0, compute=ray.data.TaskPoolStrategy(size=1)),
            block_bytes,
        )
    if workers is None:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        workers = max(1, cpus // threads)
    return ds.map_batches(
        worker_class,
        fn_constructor_kwargs={"config": config, "threads": threads, "include_text": include_text, "cwd": os.getcwd()},
        batch_size=None,  # a block at a time: Auditor.audit_many groups its articles for the model
        batch_format="numpy",
        num_cpus=threads,
        compute=ray.data.ActorPoolStrategy(size=workers),
    )

"""Audit on a Ray cluster with Ray Data: the same scorecards as ``mtaudit scan``, at crawl scale.

Needs the ``ray`` extra (``pip install "mtaudit[ray]"``). The pipeline::

    paths ──read tasks──▶ input rows ──map_batches(AuditWorker), one actor per worker──▶
    scorecard rows ──ScorecardSink──▶ OUT_DIR/scorecards/part-NNNNN.jsonl + summary.json

* **Reading** (:func:`read_dataset`): one Ray task per input file, reading it exactly as
  ``scan`` does (:func:`mtaudit.io.inputs.read_one`). WARC files are only decompressed there;
  the page's article is extracted in the workers, which hold the CPUs.
* **Auditing** (:func:`audit_dataset`): ``map_batches`` on :class:`AuditWorker`, a callable
  class run as a pool of Ray actors. Each actor builds one :class:`~mtaudit.auditor.Auditor`
  (and so loads the language model once) and asks Ray for as many CPUs as the torch threads it
  uses (``threads``). A batch is audited by ``Auditor.audit_many``, the code path of ``scan``,
  and each result is serialised by :func:`mtaudit.report.text.jsonl_line`, the code that writes
  ``scan --format jsonl``.
* **Writing** (:class:`ScorecardSink`): each write task writes one shard under a name fixed
  by its task index, to a temporary file renamed into place, and returns the shard's counts;
  the driver adds them up into ``summary.json``.

Every output line is the scorecard (or input error) ``scan --format jsonl`` writes for that
input, with the input id in front (``"input"``: ``file``, ``file:line`` for a JSONL record,
``file@offset`` for a WARC record) and, for crawled pages, the capture's ``"url"`` and
``"date"``. Input errors are lines too, never a failed job. When an actor dies, Ray Data
restarts it and re-runs its unfinished batches (actors are created with ``max_restarts=-1``
and ``max_task_retries=-1``); a batch's results only exist once it finished, and a re-run
write task replaces its own shard, so no line is lost or written twice.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import resource
import socket
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mtaudit import __version__
from mtaudit.core.config import Config
from mtaudit.core.scorecard import FAIL, SKIPPED, Scorecard
from mtaudit.io.inputs import InputError, Item, iter_paths, read_one
from mtaudit.io.warc import RawRecord, is_warc, iter_raw_records, record_to_item
from mtaudit.report.text import dumps, jsonl_line

SHARD_DIR = "scorecards"
SUMMARY = "summary.json"
RUN = "run.json"
Z95 = 1.959963984540054


class RayMissing(RuntimeError):
    """Ray is not installed: the message says how to install it."""


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise RayMissing('the Ray engine needs Ray Data: pip install "mtaudit[ray]"') from None
    return ray


# ---------------------------------------------------------------------------- input ids


def input_id(obj: Item | InputError) -> str:
    """Where an input is, unique in a run: the file, ``file:line`` or ``file@offset``."""
    if isinstance(obj, Item):
        return obj.input_id or obj.source
    return obj.source


def sample_keep(key: str, fraction: float, seed: int = 0) -> bool:
    """Bernoulli sample decided by a hash of the input id: the same inputs, fraction and seed
    keep the same inputs, whatever the order, partitioning or number of workers."""
    if fraction >= 1:
        return True
    h = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    return int.from_bytes(h[:8], "big") < fraction * 2**64


def domain_of(url: str | None) -> str:
    """The host of a URL, lower case, without a leading ``www.``; "" without a URL."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


# ---------------------------------------------------------------------------- rows
# An input row is three columns that are never null, so blocks always share one schema:
# "input" (the id), "payload" (JSON: the Item, InputError or WARC record's fields), "body"
# (bytes: a WARC record's HTTP payload, else empty).


def _input_row(obj: Item | InputError | RawRecord) -> dict[str, Any]:
    if isinstance(obj, RawRecord):
        meta = {k: getattr(obj, k) for k in ("path", "offset", "url", "date", "content_type", "charset", "status", "too_large")}
        return {"input": obj.input_id, "payload": json.dumps({"warc": meta}, ensure_ascii=False), "body": obj.body}
    if isinstance(obj, InputError):
        return {"input": obj.source, "payload": json.dumps({"error": obj.to_dict()}, ensure_ascii=False), "body": b""}
    fields_ = {
        k: getattr(obj, k)
        for k in ("source", "text", "encoding", "kind", "title", "reference", "notes", "path", "record_id", "input_id", "meta", "ignore")
    }
    return {"input": input_id(obj), "payload": json.dumps({"item": fields_}, ensure_ascii=False), "body": b""}


def _from_row(payload: str, body: bytes) -> Item | InputError:
    d = json.loads(payload)
    if "item" in d:
        return Item(**d["item"])
    if "error" in d:
        return InputError(**d["error"])
    return record_to_item(RawRecord(body=bytes(body), **d["warc"]))


def read_paths(path: str, max_bytes: int, sample: float | None = None, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The input rows of one file, read as ``scan`` reads it (WARC pages left to extract)."""
    objs: Iterable[Item | InputError | RawRecord]
    objs = iter_raw_records(path, max_bytes) if is_warc(path) else read_one(path, max_bytes)
    for obj in objs:
        key = obj.input_id if isinstance(obj, RawRecord) else input_id(obj)
        if sample is None or sample_keep(key, sample, seed):
            yield _input_row(obj)


def _read_task(batch: dict[str, Any], max_bytes: int, sample: float | None, seed: int, cwd: str, rows: int) -> Iterator[dict[str, list]]:
    """A batch of paths to batches of ``rows`` input rows (a generator: memory stays flat)."""
    if cwd and os.path.isdir(cwd) and os.getcwd() != cwd:
        os.chdir(cwd)  # paths are named as the user named them, relative to where they ran
    out: dict[str, list] = {"input": [], "payload": [], "body": []}
    for path, error in zip(batch["path"], batch["error"], strict=True):
        got = [_input_row(InputError(path, error))] if error else read_paths(path, max_bytes, sample, seed)
        for row in got:
            for k in out:
                out[k].append(row[k])
            if len(out["input"]) >= rows:
                yield out
                out = {"input": [], "payload": [], "body": []}
    if out["input"]:
        yield out


def read_dataset(
    paths: list[str],
    max_bytes: int = 10_000_000,
    *,
    sample: float | None = None,
    seed: int = 0,
    readers: int | None = None,
    block_bytes: int = 32 * 1024,
):
    """A Ray dataset of input rows from files and directories (as ``scan`` expands them).

    Paths must be readable by every node of the cluster under the same name (a shared file
    system). A path that does not exist is an error row, not a failed job."""
    ray = _ray()
    if "-" in paths:
        raise ValueError("the Ray engine reads files, not standard input")
    rows = []
    for p in iter_paths(paths):
        if isinstance(p, InputError):
            if sample is None or sample_keep(p.source, sample, seed):
                rows.append({"path": p.source, "error": p.message})
        else:
            rows.append({"path": p, "error": ""})
    if not rows:
        return _small_blocks(ray.data.from_items([{"input": "", "payload": "", "body": b""}]).limit(0), block_bytes)
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    # Reading takes no CPU slot: decompression and JSON parsing are light next to auditing,
    # and a slot held by a reader would be one an actor cannot have.
    # A read task takes no CPU slot: decompression and JSON parsing are light next to auditing,
    # and the actors hold the slots (a task waiting for one would wait for ever).
    ds = ds.map_batches(
        _read_task,
        fn_kwargs={"max_bytes": max_bytes, "sample": sample, "seed": seed, "cwd": os.getcwd(), "rows": 4},
        batch_size=1,
        batch_format="numpy",
        num_cpus=0,
        compute=ray.data.TaskPoolStrategy(size=max(1, readers or 1)),
    )
    return _small_blocks(ds, block_bytes)


def _small_blocks(ds, block_bytes: int):
    """Blocks of about ``block_bytes``: a block is one task for one actor, so small blocks
    spread the work of a big file over the pool (a few articles each; a crawled page's raw
    HTML is often a block by itself). Set on this dataset's own context, read by the
    operators made from it; a streaming repartition would need a CPU slot the actors hold."""
    ds.context.target_max_block_size = block_bytes
    ds._mtaudit_input_rows = True  # audit_dataset need not look at the schema (which runs a read)
    return ds


def _user_rows(batch: dict[str, Any]) -> dict[str, list]:
    """Rows a user brings (``id``/``url``, ``text`` or ``html``, optional ``title``,
    ``reference``, ``date``) as input rows; a row without text is an error row."""
    from mtaudit.core.document import normalise_newlines
    from mtaudit.io.inputs import html_to_text

    n = len(next(iter(batch.values())))
    col = {k: list(v) for k, v in batch.items()}

    def get(k, i):
        v = col.get(k, [None] * n)[i]
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    out = {"input": [], "payload": [], "body": []}
    for i in range(n):
        rid, url = get("id", i), get("url", i)
        key = str(rid) if rid is not None else str(url or "")
        source = url or key
        text, kind = get("text", i), "text"
        if text is None and get("html", i) is not None:
            text, kind = html_to_text(str(get("html", i))), "html"
        if not isinstance(text, str) or not text.strip():
            obj = InputError(key, "record has no text to audit")
        else:
            meta = {k: str(get(k, i)) for k in ("url", "date") if get(k, i) is not None}
            obj = Item(source, normalise_newlines(text), "utf-8", kind, get("title", i), get("reference", i), input_id=key, meta=meta)
        row = _input_row(obj)
        for k in out:
            out[k].append(row[k])
    return out


# ---------------------------------------------------------------------------- auditing


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
        pairs = [(str(i), _from_row(p, b)) for i, p, b in zip(batch["input"], batch["payload"], batch["body"], strict=True)]
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
    ray = _ray()
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
        ds = _small_blocks(
            ds.map_batches(_user_rows, batch_size=16, batch_format="numpy", num_cpus=0, compute=ray.data.TaskPoolStrategy(size=1)),
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


# ---------------------------------------------------------------------------- writing


@dataclass
class Tally:
    """What the summary needs of some scorecard rows; tallies of shards add up."""

    records: int = 0
    articles: int = 0
    errors: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    judged: int = 0
    likely: int = 0
    domains: dict[str, list[int]] = field(default_factory=dict)  # domain: [pages, judged, likely, fail]
    workers: dict[str, list[float]] = field(default_factory=dict)  # worker: [records, peak RSS MB, load s]
    first_errors: list[tuple[str, str]] = field(default_factory=list)  # (input id, line)
    shards: list[str] = field(default_factory=list)
    signature: str = ""  # of the scorecards (all share it)

    KEEP_ERRORS = 20

    def add_row(self, row: dict[str, Any]) -> None:
        self.records += 1
        v = row["verdict"]
        if v == "error":
            self.errors += 1
            self.error_kinds[row["error_kind"]] = self.error_kinds.get(row["error_kind"], 0) + 1
            err = json.loads(row["record"])
            self.first_errors.append((row["input"], f"{err['source']}: {err.get('message', err.get('error'))}"))
            self.first_errors = sorted(self.first_errors)[: self.KEEP_ERRORS]
        else:
            self.articles += 1
            self.verdicts[v] = self.verdicts.get(v, 0) + 1
            if not self.signature:
                self.signature = json.loads(row["record"])["signature"]
            if row["likely"] >= 0:
                self.judged += 1
                self.likely += int(row["likely"])
            if row["domain"]:
                d = self.domains.setdefault(row["domain"], [0, 0, 0, 0])
                d[0] += 1
                d[1] += int(row["likely"] >= 0)
                d[2] += int(row["likely"] == 1)
                d[3] += int(v == FAIL)
        name, rss, load = row["worker"].rsplit("|", 2)
        w = self.workers.setdefault(name, [0, 0.0, 0.0])
        w[0] += 1
        w[1] = max(w[1], float(rss))
        w[2] = max(w[2], float(load))

    def merge(self, other: Tally) -> None:
        self.records += other.records
        self.articles += other.articles
        self.errors += other.errors
        self.judged += other.judged
        self.likely += other.likely
        for mine, theirs in ((self.verdicts, other.verdicts), (self.error_kinds, other.error_kinds)):
            for k, n in theirs.items():
                mine[k] = mine.get(k, 0) + n
        for k, vals in other.domains.items():
            d = self.domains.setdefault(k, [0, 0, 0, 0])
            for i, x in enumerate(vals):
                d[i] += x
        for k, (n, rss, load) in other.workers.items():
            w = self.workers.setdefault(k, [0, 0.0, 0.0])
            w[0] += n
            w[1], w[2] = max(w[1], rss), max(w[2], load)
        self.first_errors = sorted(self.first_errors + other.first_errors)[: self.KEEP_ERRORS]
        self.shards += other.shards
        self.signature = self.signature or other.signature


def _share(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"judged": n, "likely": k, "share": round(k / n, 4) if n else None, "ci95": [round(lo, 4), round(hi, 4)]}


def summary_dict(t: Tally, signature: str, threshold: float, sample: float | None = None, seed: int = 0) -> dict[str, Any]:
    """summary.json: deterministic for the same inputs and configuration (no timings)."""
    domains = [
        {"domain": d, "pages": v[0], "fail": v[3], **_share(v[2], v[1])}
        for d, v in sorted(t.domains.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    return {
        "mtaudit": __version__,
        "signature": signature,
        "engine": "ray",
        "sample": None if sample is None else {"fraction": sample, "seed": seed},
        "summary": {"articles": t.articles, "errors": t.errors, "verdicts": dict(sorted(t.verdicts.items()))},
        "errors_by_kind": dict(sorted(t.error_kinds.items())),
        "likely_machine_translated": {
            "rule": f"translated_from_english >= {threshold:g} (warn_likelihood)",
            "interval": "Wilson score, 95%",
            **_share(t.likely, t.judged),
        },
        "by_domain": domains,
    }


def _ray_datasink_base():
    from ray.data.datasource import Datasink

    return Datasink


def make_sink(out_dir: str, shard_rows: int = 10_000):
    """A Ray Datasink writing ``record`` lines to ``out_dir/scorecards/part-NNNNN.jsonl``."""
    Datasink = _ray_datasink_base()

    class ScorecardSink(Datasink):
        def __init__(self):
            self.out_dir = os.path.abspath(out_dir)
            self.total = Tally()

        @property
        def min_rows_per_write(self):
            return shard_rows

        def on_write_start(self, schema=None) -> None:
            os.makedirs(os.path.join(self.out_dir, SHARD_DIR), exist_ok=True)

        def write(self, blocks, ctx) -> Tally:
            from ray.data.block import BlockAccessor

            tally = Tally()
            name = f"part-{ctx.task_idx:05d}.jsonl"
            final = os.path.join(self.out_dir, SHARD_DIR, name)
            tmp = os.path.join(self.out_dir, SHARD_DIR, f".{name}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                for block in blocks:
                    for row in BlockAccessor.for_block(block).iter_rows(public_row_format=False):
                        fh.write(row["record"] + "\n")
                        tally.add_row(row)
            if tally.records:
                os.replace(tmp, final)  # a re-run of this task replaces its shard, whole
                tally.shards.append(f"{SHARD_DIR}/{name}")
            else:
                os.unlink(tmp)
            return tally

        def on_write_complete(self, write_result) -> None:
            for t in write_result.write_returns:
                if t is not None:
                    self.total.merge(t)

    return ScorecardSink()


def write_scorecards(audited, out_dir: str, shard_rows: int = 10_000) -> Tally:
    """Write an :func:`audit_dataset` result as JSONL shards; returns the tally of all rows."""
    sink = make_sink(out_dir, shard_rows)
    audited.write_datasink(sink)
    sink.total.shards.sort()
    return sink.total


def _atomic_json(path: str, obj: Any) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(obj) + "\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- the CLI


@dataclass
class RayRun:
    paths: list[str]
    out_dir: str
    config: Config
    address: str | None = None
    workers: int | None = None
    threads: int = 1
    sample: float | None = None
    seed: int = 0
    include_text: bool = False
    shard_rows: int = 10_000
    readers: int | None = None


def init_ray(address: str | None, quiet: bool = True):
    """Connect to the cluster at ``address`` (``auto``, ``ray://host:10001``, ``host:6379``)
    or start a local one on this machine's CPUs."""
    import logging

    ray = _ray()
    if not ray.is_initialized():
        kw: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": True}
        if address:
            kw["address"] = address
        else:
            kw["include_dashboard"] = False
        ray.init(**kw)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = sys.stderr.isatty() and not quiet
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray


def run(job: RayRun, log=print) -> tuple[dict[str, Any], Tally]:
    """Read, audit and write; returns (summary, tally). Writes OUT_DIR/summary.json last."""
    from mtaudit.auditor import Auditor

    ray = init_ray(job.address)
    t0 = time.perf_counter()
    workers = job.workers or max(1, int(ray.cluster_resources().get("CPU", 1)) // job.threads)
    ds = read_dataset(job.paths, job.config.max_bytes, sample=job.sample, seed=job.seed, readers=job.readers)
    audited = audit_dataset(ds, job.config, workers=workers, threads=job.threads, include_text=job.include_text)
    tally = write_scorecards(audited, job.out_dir, job.shard_rows)
    secs = time.perf_counter() - t0
    # every scorecard carries the signature; with none (only errors) it is the configuration's
    signature = tally.signature or str(Auditor(job.config).signature)
    summary = summary_dict(tally, signature, job.config.threshold("warn_likelihood"), job.sample, job.seed)
    run_info = {
        "mtaudit": __version__,
        "ray": ray.__version__,
        "address": job.address or "local",
        "cluster_cpus": ray.cluster_resources().get("CPU"),
        "workers": workers,
        "threads_per_worker": job.threads,
        "seconds": round(secs, 2),
        "articles_per_second": round(tally.articles / secs, 2) if secs else None,
        "records": tally.records,
        "shards": tally.shards,
        "actors": [
            {"worker": k, "records": int(v[0]), "peak_rss_mb": v[1], "load_seconds": v[2]}
            for k, v in sorted(tally.workers.items())
        ],
    }
    os.makedirs(job.out_dir, exist_ok=True)
    _atomic_json(os.path.join(job.out_dir, RUN), run_info)
    _atomic_json(os.path.join(job.out_dir, SUMMARY), summary)
    return summary, tally


def check_out_dir(out_dir: str) -> str | None:
    """Why ``out_dir`` cannot take the results (None when it can): never overwrite a run."""
    p = Path(out_dir)
    if p.exists() and not p.is_dir():
        return f"{out_dir}: exists and is not a directory (--engine ray writes a directory of shards)"
    if p.is_dir() and any(p.iterdir()):
        return f"{out_dir}: directory is not empty; nothing overwritten (name a new or empty directory)"
    if not p.parent.exists() and str(p.parent) not in ("", "."):
        return f"{out_dir}: parent directory does not exist"
    return None


def cli_scan(
    paths: list[str],
    out_dir: str | None,
    config: Config,
    *,
    address: str | None = None,
    workers: int | None = None,
    threads: int = 1,
    sample: float | None = None,
    seed: int = 0,
    include_text: bool = False,
    failing: Iterable[str] = (FAIL,),
    err=print,
) -> int:
    """``mtaudit scan --engine ray``: the exit code of ``scan`` (0, 1, 2 or 3)."""
    if not out_dir:
        err("--engine ray needs -o OUT_DIR (a new or empty directory for the scorecard shards)")
        return 2
    why = check_out_dir(out_dir)
    if why:
        err(why)
        return 2
    if "-" in paths:
        err("-: the Ray engine reads files, not standard input (use the local engine)")
        return 2
    if threads < 1 or (workers is not None and workers < 1):
        err("--workers and --threads must be at least 1")
        return 2
    job = RayRun(paths, out_dir, config, address, workers, threads, sample, seed, include_text)
    try:
        summary, tally = run(job)
    except RayMissing as exc:
        err(str(exc))
        return 2
    except Exception as exc:  # cannot reach the cluster, or the job failed: one line, exit 2
        first = (str(exc).strip().splitlines() or [""])[-1]
        err(f"the Ray run failed ({type(exc).__name__}: {first[:300]}); {out_dir} holds what was written")
        return 2
    for _, line in tally.first_errors:
        err(line)
    if tally.errors > len(tally.first_errors):
        more = tally.errors - len(tally.first_errors)
        err(f"... and {more} more input error(s): the lines without a verdict in {os.path.join(out_dir, SHARD_DIR)}")
    s = summary["summary"]
    verdicts = ", ".join(f"{k} {n}" for k, n in s["verdicts"].items())
    mt = summary["likely_machine_translated"]
    share = "" if mt["share"] is None else f"; likely machine-translated {mt['share']:.1%} (95% CI {mt['ci95'][0]:.1%}-{mt['ci95'][1]:.1%}, {mt['judged']} judged)"
    print(f"{s['articles']} articles ({verdicts or 'none'}), {s['errors']} input errors{share}; scorecards in {out_dir}")
    if s["articles"] == 0:
        if s["errors"] == 0:
            err("no input")
        return 2
    if any(s["verdicts"].get(v, 0) for v in failing):
        return 1
    return 3 if s["errors"] else 0

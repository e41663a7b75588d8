"""A whole run (``mtaudit scan --engine ray``): read, audit, write the shards, then
``run.json`` and ``summary.json``; the CLI's checks of its arguments and its exit code."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit import __version__
from mtaudit.core.config import Config
from mtaudit.core.exitcodes import ExitCode
from mtaudit.core.scorecard import FAIL
from mtaudit.distributed.auditing import audit_dataset
from mtaudit.distributed.cluster import RayMissing, init_ray
from mtaudit.distributed.reading import read_dataset
from mtaudit.distributed.summary import Tally, summary_dict
from mtaudit.distributed.writing import SHARD_DIR, atomic_json, write_scorecards

SUMMARY = "summary.json"
RUN = "run.json"


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
    atomic_json(os.path.join(job.out_dir, RUN), run_info)
    atomic_json(os.path.join(job.out_dir, SUMMARY), summary)
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
    """``mtaudit scan --engine ray``: the exit code of ``scan`` (:class:`~mtaudit.core.exitcodes.ExitCode`: OK, FAIL, USAGE or PARTIAL)."""
    if not out_dir:
        err("--engine ray needs -o OUT_DIR (a new or empty directory for the scorecard shards)")
        return ExitCode.USAGE
    why = check_out_dir(out_dir)
    if why:
        err(why)
        return ExitCode.USAGE
    if "-" in paths:
        err("-: the Ray engine reads files, not standard input (use the local engine)")
        return ExitCode.USAGE
    if threads < 1 or (workers is not None and workers < 1):
        err("--workers and --threads must be at least 1")
        return ExitCode.USAGE
    job = RayRun(paths, out_dir, config, address, workers, threads, sample, seed, include_text)
    try:
        summary, tally = run(job)
    except RayMissing as exc:
        err(str(exc))
        return ExitCode.USAGE
    except Exception as exc:  # cannot reach the cluster, or the job failed: one line, exit 2
        first = (str(exc).strip().splitlines() or [""])[-1]
        err(f"the Ray run failed ({type(exc).__name__}: {first[:300]}); {out_dir} holds what was written")
        return ExitCode.USAGE
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
        return ExitCode.USAGE
    if any(s["verdicts"].get(v, 0) for v in failing):
        return ExitCode.FAIL
    return ExitCode.PARTIAL if s["errors"] else ExitCode.OK

#!/usr/bin/env python3
"""Load test of `mtaudit serve` on loopback: throughput, latency and memory.

Starts the real service (`mtaudit serve --port N`, bound to 127.0.0.1) once without and once
with the language model, and for 1, 4 and 16 concurrent clients (httpx, one connection each)
sends single-article `POST /v1/audit` requests: a bounded number per level, and at most
``--max-seconds`` per level. Articles are French originals of the WMT news sets
(../shared/data/wmt-fr-news/human_fr_docs.jsonl), each sent once per mode so that the
model's sentence cache never answers for it (the seeds' sentences are the fallback).

Reported per level: requests, throughput (articles/s), latency p50/p95/p99, errors, and the
server's resident memory (VmRSS now, VmHWM peak). Then a single article on the warm service
(a seed it has not seen yet, and the same again, cached) against `mtaudit scan` of the same
file in a fresh process: the speed-up is the ratio of the two, measured in the same run.

    flock /tmp/mtaudit-bench.lock .venv/bin/python benchmarks/serve_load.py [--quick] [--no-lm-only]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "wmt-fr-news" / "human_fr_docs.jsonl"
SEED = ROOT / "seeds" / "004_55dc17aa284b7b25.txt"
LEVELS = (1, 4, 16)


def articles() -> list[str]:
    if DATA.is_file():
        out = []
        for line in DATA.read_text(encoding="utf-8").splitlines():
            sents = json.loads(line).get("sentences") or []
            text = "\n\n".join(s.strip() for s in sents if s.strip())
            if len(text.split()) >= 150:
                out.append(text)
        return out
    sents = sorted(
        {s for p in sorted((ROOT / "seeds").glob("0*.txt")) for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) if len(s.split()) >= 6}
    )
    return ["\n\n".join(sents[i : i + 12]) for i in range(0, len(sents) - 12, 4)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mem_mb(pid: int) -> tuple[float, float]:
    vals = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            vals[k] = int(v.split()[0]) / 1024
    return vals.get("VmRSS", 0.0), vals.get("VmHWM", 0.0)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(q / 100 * len(xs) + 0.5) - 1))
    return xs[k]


class Service:
    def __init__(self, exe: str, lm: bool, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [exe, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--timeout", "600", "--max-queue", "1000"]
        if not lm:
            args.append("--no-lm")
        self.t0 = time.perf_counter()
        self.fh = open(log, "wb")
        self.proc = subprocess.Popen(args, stdout=self.fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.log = log

    def wait_ready(self, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"mtaudit serve exited {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return time.perf_counter() - self.t0
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit("mtaudit serve not ready in time")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.fh.close()


def run_level(url: str, texts: list[str], clients: int, max_seconds: float) -> dict:
    lock = threading.Lock()
    todo = list(texts)
    lat: list[float] = []
    errors: list[str] = []
    words = 0
    stop_at = time.monotonic() + max_seconds

    def client():
        nonlocal words
        with httpx.Client(timeout=600) as c:
            while time.monotonic() < stop_at:
                with lock:
                    if not todo:
                        return
                    text = todo.pop()
                t = time.perf_counter()
                r = c.post(url + "/v1/audit", json={"text": text})
                dt = time.perf_counter() - t
                with lock:
                    if r.status_code == 200:
                        lat.append(dt)
                        words += r.json()["articles"][0]["scores"]["words"]
                    else:
                        errors.append(f"{r.status_code} {r.text[:100]}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "error_sample": errors[:2],
        "seconds": round(wall, 2),
        "articles_per_s": round(len(lat) / wall, 2),
        "words_per_s": round(words / wall, 1),
        "p50_ms": round(1000 * pct(lat, 50), 1),
        "p95_ms": round(1000 * pct(lat, 95), 1),
        "p99_ms": round(1000 * pct(lat, 99), 1),
    }


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer requests per level (a smoke run)")
    ap.add_argument("--no-lm-only", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="per level")
    ap.add_argument("--scan-runs", type=int, default=2, help="`mtaudit scan` runs of the single article")
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args()
    exe = shutil.which("mtaudit", path=str(Path(sys.executable).parent)) or shutil.which("mtaudit")
    pool = articles()
    per_level = {False: (30, 60, 120), True: (12, 24, 48)}
    if a.quick:
        per_level = {False: (10, 20, 40), True: (4, 8, 16)}
    modes = [False] if a.no_lm_only else [False, True]
    need = sum(sum(per_level[m]) for m in modes)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when redirected to a file
    print(f"{len(pool)} articles available (median {statistics.median(len(t.split()) for t in pool):.0f} words); {need} requests planned; {os.cpu_count()} CPUs")
    tmp = Path(tempfile.mkdtemp(prefix="mtaudit-serve-bench-"))
    results: dict = {"levels": [], "single": {}}
    start = 0
    try:
        for lm in modes:
            name = "with LM" if lm else "no LM"
            svc = Service(exe, lm, tmp / f"serve-{'lm' if lm else 'nolm'}.log")
            try:
                ready = svc.wait_ready()
                rss, hwm = mem_mb(svc.proc.pid)
                print(f"\n== {name}: ready in {ready:.1f} s, RSS {rss:.0f} MB")
                for clients, n in zip(LEVELS, per_level[lm], strict=True):
                    texts = pool[start : start + n] if len(pool) >= start + n else (pool * 10)[start : start + n]
                    start += n
                    row = run_level(svc.url, texts, clients, a.max_seconds)
                    row["rss_mb"], row["peak_rss_mb"] = (round(x) for x in mem_mb(svc.proc.pid))
                    row["mode"] = name
                    results["levels"].append(row)
                    print(
                        f"{clients:>3} clients: {row['requests']:>4} req in {row['seconds']:6.1f} s  "
                        f"{row['articles_per_s']:6.2f} art/s ({row['words_per_s']:7.0f} words/s)  "
                        f"p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  p99 {row['p99_ms']:8.1f} ms  "
                        f"errors {row['errors']}  RSS {row['rss_mb']} MB (peak {row['peak_rss_mb']} MB)"
                    )
                # a single article on the warm service: the seed (not seen yet), then again (cached)
                text = SEED.read_text(encoding="utf-8")
                with httpx.Client(timeout=600) as c:
                    t = time.perf_counter()
                    r1 = c.post(svc.url + "/v1/audit", json={"text": text})
                    first = time.perf_counter() - t
                    t = time.perf_counter()
                    c.post(svc.url + "/v1/audit", json={"text": text})
                    again = time.perf_counter() - t
                assert r1.status_code == 200, r1.text
            finally:
                svc.stop()
            scan_cmd = [exe, "scan", "--format", "json", str(SEED)] + ([] if lm else ["--no-lm"])
            scans = [timed(scan_cmd) for _ in range(a.scan_runs)]
            scan_s = statistics.median(scans)
            results["single"][name] = {
                "service_first_s": round(first, 3),
                "service_repeat_s": round(again, 3),
                "scan_s": round(scan_s, 2),
                "scan_runs": [round(x, 2) for x in scans],
                "speedup_first": round(scan_s / first, 1),
                "speedup_repeat": round(scan_s / again, 1),
            }
            s = results["single"][name]
            print(
                f"single article ({SEED.name}, {name}): service {1000 * first:.0f} ms (repeat, cached: {1000 * again:.0f} ms) "
                f"vs `mtaudit scan` {scan_s:.2f} s -> {s['speedup_first']}x faster ({s['speedup_repeat']}x repeated)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Size and load time of the HTML report in headless Chromium: the seeds and 1,000 WMT documents.

For each batch: audit (rules only unless --lm), render the page, then open it several times in
a fresh headless Chromium (Debian's chromium + chromedriver) and read the browser's own
Navigation Timing: DOMContentLoaded, load event, first contentful paint; then time what an
editor does on a large batch: sort the table by likelihood, untick a category filter, open an
article. Prints a table; --json writes the numbers.

    python benchmarks/html_report.py [--n 1000] [--runs 3] [--lm] [--select/--ignore CODES] [--json out.json]
        [--keep DIR] [--screenshots docs/]

--screenshots DIR also writes DIR/report-seeds.png (top of the seeds report) and
DIR/report-004.png (seed 004's article view, a tooltip shown).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers the tests use

from chromium import binaries as chromium_binaries  # noqa: E402
from chromium import start as chromium_start  # noqa: E402
from wmt_rates import DEFAULT_DATA, doc_text, load_groups  # noqa: E402

from mtaudit.auditor import Auditor  # noqa: E402
from mtaudit.core.config import Config  # noqa: E402
from mtaudit.io.inputs import InputError, Item, read_inputs  # noqa: E402
from mtaudit.report.html import render_html  # noqa: E402

TIMING_JS = """
const nav = performance.getEntriesByType('navigation')[0];
const fcp = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint');
return {
  dom_content_loaded_ms: nav.domContentLoadedEventEnd,
  load_ms: nav.loadEventEnd,
  first_paint_ms: fcp ? fcp.startTime : null,
  dom_nodes: document.getElementsByTagName('*').length,
  marks: document.querySelectorAll('mark.f').length,
  js_heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null,
  resources: performance.getEntriesByType('resource').length,
};"""

INTERACT_JS = """
function t(f) { const a = performance.now(); f(); document.body.offsetHeight; return performance.now() - a; }
const out = {};
const btn = document.querySelector("#batch th button[data-col='3']");
out.sort_ms = t(() => btn.click());
const box = document.querySelector('#filters input[data-k]');
out.filter_ms = t(() => box.click());
out.unfilter_ms = t(() => box.click());
const d = document.querySelectorAll('details.art')[Math.floor(document.querySelectorAll('details.art').length / 2)];
out.open_article_ms = t(() => { d.open = true; });
return out;"""


def browser():
    chromium, chromedriver = chromium_binaries()
    if not chromium or not chromedriver:
        sys.exit("chromium or chromedriver not found (run scripts/install_browser.sh)")
    return chromium_start(chromium, chromedriver, ("--enable-precise-memory-info",))


def audit(auditor: Auditor, items) -> tuple[list, list, float]:
    t0 = time.perf_counter()
    cards, errors = [], []
    for obj in auditor.audit_many(items):
        (errors if isinstance(obj, InputError) else cards).append(obj)
    return cards, errors, time.perf_counter() - t0


def measure(
    name: str, page: str, render_s: float, audit_s: float, n_cards: int, runs: int, keep: Path
) -> dict:
    path = keep / f"report-{name}.html"
    path.write_text(page, encoding="utf-8")
    res: dict = {
        "batch": name,
        "articles": n_cards,
        "bytes": len(page.encode("utf-8")),
        "audit_s": round(audit_s, 2),
        "render_s": round(render_s, 3),
    }
    loads = []
    for _ in range(runs):
        # a fresh browser each run: a cold load, as an editor opening the file
        d, profile = browser()
        try:
            # main-thread CPU time of the page (thread ticks): robust to a busy machine
            d.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
            load_avg = os.getloadavg()[0]
            t0 = time.perf_counter()
            d.get(path.as_uri())
            wall = time.perf_counter() - t0
            m = d.execute_script(TIMING_JS)
            cpu = {
                x["name"]: x["value"]
                for x in d.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
            }
            m["main_thread_cpu_ms"] = cpu["TaskDuration"] * 1000
            m["parse_script_style_layout_ms"] = [
                round(cpu[k] * 1000)
                for k in ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
            ]
            m["load_avg"] = load_avg
            m["wall_get_ms"] = wall * 1000
            m.update(d.execute_script(INTERACT_JS))
            m["console_errors"] = [
                e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"
            ]
            loads.append(m)
        finally:
            d.quit()
            shutil.rmtree(profile, ignore_errors=True)
    for key in (
        "main_thread_cpu_ms",
        "dom_content_loaded_ms",
        "load_ms",
        "first_paint_ms",
        "wall_get_ms",
        "sort_ms",
        "filter_ms",
        "unfilter_ms",
        "open_article_ms",
        "load_avg",
    ):
        vals = sorted(x[key] for x in loads if x.get(key) is not None)
        res[key] = round(vals[len(vals) // 2], 1) if vals else None  # median
    res["script_style_layout_ms"] = loads[-1]["parse_script_style_layout_ms"]
    for key in ("dom_nodes", "marks", "js_heap_mb", "resources"):
        res[key] = (
            loads[-1][key]
            if loads[-1][key] is None or key != "js_heap_mb"
            else round(loads[-1][key], 1)
        )
    res["console_errors"] = sorted({e for x in loads for e in x["console_errors"]})
    return res


def screenshots(seeds: Path, auditor: Auditor, out: Path, keep: Path) -> None:
    from selenium.webdriver.common.by import By

    out.mkdir(parents=True, exist_ok=True)
    cards, errors, _ = audit(auditor, read_inputs([str(p) for p in sorted(seeds.glob("*.txt"))]))
    pages = {
        "seeds": render_html(cards, errors, auditor.signature),
        "004": render_html(
            [c for c in cards if Path(c.source).name.startswith("004_")], [], auditor.signature
        ),
    }
    d, profile = browser()
    try:
        p = keep / "shot-seeds.html"
        p.write_text(pages["seeds"], encoding="utf-8")
        d.set_window_size(1280, 1150)
        d.get(p.as_uri())
        d.save_screenshot(str(out / "report-seeds.png"))
        p = keep / "shot-004.html"
        p.write_text(pages["004"], encoding="utf-8")
        d.get(p.as_uri())
        height = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(1280, min(height + 20, 4000))
        d.get(p.as_uri())
        marks = d.find_elements(By.CSS_SELECTOR, "#a0 mark.f[id]")
        # show one tooltip, as on keyboard focus (the window holds the whole page: no scroll)
        if marks:
            target = marks[min(3, len(marks) - 1)]
            d.execute_script("arguments[0].focus({preventScroll: true})", target)
        d.save_screenshot(str(out / "report-004.png"))
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"screenshots: {out / 'report-seeds.png'}, {out / 'report-004.png'}")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument(
        "--n",
        type=int,
        default=1000,
        help="WMT documents (French originals, human and machine translations)",
    )
    ap.add_argument("--runs", type=int, default=3, help="cold loads per page (median reported)")
    ap.add_argument(
        "--lm",
        action="store_true",
        help="run the language model too (slow; adds the fluency strip)",
    )
    ap.add_argument(
        "--select", default=None, help="only these rule codes or prefixes, comma-separated"
    )
    ap.add_argument(
        "--ignore", default=None, help="skip these rule codes or prefixes, comma-separated"
    )
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--keep", type=Path, default=None, help="keep the rendered pages in this directory"
    )
    ap.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="write report-seeds.png and report-004.png here",
    )
    a = ap.parse_args()

    keep = a.keep or Path(tempfile.mkdtemp(prefix="mtaudit-html-"))
    keep.mkdir(parents=True, exist_ok=True)
    cfg = Config(lm=a.lm, select=a.select.upper().split(",") if a.select else None)
    if a.ignore:
        cfg.ignore = cfg.ignore + a.ignore.upper().split(",")
    auditor = Auditor(cfg)
    results = []

    cards, errors, audit_s = audit(
        auditor, read_inputs([str(p) for p in sorted(a.seeds.glob("*.txt"))])
    )
    t0 = time.perf_counter()
    page = render_html(cards, errors, auditor.signature)
    results.append(
        measure("seeds", page, time.perf_counter() - t0, audit_s, len(cards), a.runs, keep)
    )

    if a.n:
        g = load_groups(a.data, a.n)
        docs = (g["human_fr"] + g["human_en"] + g["mt"])[: a.n]
        items = (Item(f"wmt/{d.get('system', 'human')}/{d['doc_id']}", doc_text(d)) for d in docs)
        cards, errors, audit_s = audit(auditor, items)
        t0 = time.perf_counter()
        page = render_html(cards, errors, auditor.signature)
        results.append(
            measure(
                f"wmt{len(cards)}",
                page,
                time.perf_counter() - t0,
                audit_s,
                len(cards),
                a.runs,
                keep,
            )
        )
        del page, cards

    cols = (
        "batch",
        "articles",
        "bytes",
        "render_s",
        "main_thread_cpu_ms",
        "dom_content_loaded_ms",
        "load_ms",
        "first_paint_ms",
        "sort_ms",
        "filter_ms",
        "open_article_ms",
        "dom_nodes",
        "marks",
        "js_heap_mb",
        "resources",
        "load_avg",
    )
    print(" ".join(f"{c[:12]:>12}" for c in cols))
    for r in results:
        print(" ".join(f"{r[c]!s:>12}" for c in cols))
        if r["console_errors"]:
            print("  console errors:", r["console_errors"])
    print(f"signature: {auditor.signature}")
    print(f"pages kept in {keep}")
    if a.json:
        a.json.write_text(
            json.dumps({"signature": str(auditor.signature), "results": results}, indent=1),
            encoding="utf-8",
        )
    if a.screenshots:
        screenshots(a.seeds, auditor, a.screenshots, keep)
    return 1 if any(r["console_errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

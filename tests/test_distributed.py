"""The Ray engine on a real local Ray cluster (one for this module, ``ray.init(num_cpus=2)``):
same scorecards as ``mtaudit scan``, exactly once when a worker dies, a WARC crawl end to end."""

from __future__ import annotations

import collections
import glob
import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest

from mtaudit.distributed import domain_of, input_id, sample_keep, wilson
from mtaudit.io.inputs import read_inputs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("0*.txt"))
MTAUDIT = [sys.executable, "-m", "mtaudit.cli"]


def env() -> dict[str, str]:
    """The environment now: after ray.init it names the cluster's auth token for the CLI runs."""
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


# ---------------------------------------------------------------------------- no cluster needed


def test_wilson_interval_known_values():
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and abs(hi - 0.2775) < 1e-3  # the textbook 0/10 case
    lo, hi = wilson(50, 100)
    assert abs(lo - 0.4038) < 1e-3 and abs(hi - 0.5962) < 1e-3
    assert wilson(0, 0) == (0.0, 1.0)


def test_domain_of():
    assert domain_of("https://www.Journal-A.fr/monde/article.html?x=1") == "journal-a.fr"
    assert domain_of("http://blog.exemple.org:8080/") == "blog.exemple.org"
    assert domain_of(None) == "" and domain_of("pas une url") == ""


def test_sample_is_reproducible_and_independent_of_order(tmp_path):
    keys = [f"crawl.warc.gz@{i * 1000}" for i in range(2000)]
    a = {k for k in keys if sample_keep(k, 0.1, seed=7)}
    b = {k for k in reversed(keys) if sample_keep(k, 0.1, seed=7)}
    c = {k for k in keys if sample_keep(k, 0.1, seed=8)}
    assert a == b and a != c
    assert 140 < len(a) < 260  # about 10% of 2,000
    # the local engine samples the same inputs, run after run
    p = tmp_path / "batch.jsonl"
    p.write_text("".join(json.dumps({"id": i, "text": f"Texte numéro {i}."}) + "\n" for i in range(200)), encoding="utf-8")
    ids = [input_id(o) for o in read_inputs([str(p)])]
    assert ids[0] == f"{p}:1" and len(set(ids)) == 200

    def run():
        out = subprocess.run([*MTAUDIT, "scan", "--no-lm", "--format", "jsonl", "--sample", "0.25", "--seed", "3", str(p)], capture_output=True, text=True, env=env())
        return [json.loads(line)["source"] for line in out.stdout.splitlines()]

    first = run()
    assert first == run() and 25 < len(first) < 80


def test_ray_engine_usage_errors(tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("ancien résultat", encoding="utf-8")
    out = subprocess.run([*MTAUDIT, "scan", "--engine", "ray", "--no-lm", str(SEEDS[0]), "-o", str(busy)], capture_output=True, text=True, env=env())
    assert out.returncode == 2 and "not empty; nothing overwritten" in out.stderr
    assert (busy / "keep.txt").read_text(encoding="utf-8") == "ancien résultat"
    out = subprocess.run([*MTAUDIT, "scan", "--engine", "ray", "--no-lm", str(SEEDS[0])], capture_output=True, text=True, env=env())
    assert out.returncode == 2 and "needs -o OUT_DIR" in out.stderr


# ---------------------------------------------------------------------------- on a local Ray cluster

ray = pytest.importorskip("ray", reason="the Ray engine needs the ray extra: pip install -e '.[ray]'")


@pytest.fixture(scope="module")
def cluster():
    """One local Ray cluster for the module; CLI runs join it with --address."""
    import logging

    ctx = ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ctx.address_info["gcs_address"]
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Seed files, a JSONL batch with bad lines and an English record, a missing path."""
    d = tmp_path_factory.mktemp("inputs")
    (d / "articles").mkdir()
    for p in SEEDS:
        (d / "articles" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    lines = [json.dumps({"id": f"r{i}", "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) for i, p in enumerate(SEEDS * 3)]
    lines.insert(4, "{pas du json")
    lines.insert(9, json.dumps({"id": "vide", "text": "   "}))
    lines.append(json.dumps({"id": "en", "text": "The government announced on Tuesday that the new policy would take effect next year, officials said, after months of debate in parliament."}))
    (d / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d, ["articles", "batch.jsonl", "absent.txt"]


def scan_lines(cwd: Path, args: list[str]) -> tuple[collections.Counter, int]:
    out = subprocess.run([*MTAUDIT, "scan", "--no-lm", "--format", "jsonl", *args], cwd=cwd, capture_output=True, text=True, env=env())
    return collections.Counter(out.stdout.splitlines()), out.returncode


def shard_records(out_dir: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(glob.glob(str(out_dir / "scorecards" / "*.jsonl"))) for line in open(f, encoding="utf-8")]


def without(rec: dict, *keys: str) -> str:
    return json.dumps({k: v for k, v in rec.items() if k not in keys}, ensure_ascii=False)


def test_ray_scorecards_equal_local_scan(cluster, inputs):
    d, args = inputs
    expected, scan_rc = scan_lines(d, args)
    out = subprocess.run(
        [*MTAUDIT, "scan", "--engine", "ray", "--address", cluster, "--no-lm", *args, "-o", "out"],
        cwd=d, capture_output=True, text=True, env=env(), timeout=300,
    )
    assert out.returncode == scan_rc == 1, out.stderr[-2000:]
    recs = shard_records(d / "out")
    got = collections.Counter(without(r, "input") for r in recs)
    assert got == expected  # the same scorecards and input errors, byte for byte, order aside
    ids = [r["input"] for r in recs]
    assert len(ids) == len(set(ids)) == sum(expected.values())
    assert {"batch.jsonl:5", "batch.jsonl:10", "absent.txt"} <= set(ids)
    assert "batch.jsonl:5: malformed JSON" in out.stderr and "absent.txt: no such file" in out.stderr
    summary = json.loads((d / "out" / "summary.json").read_text(encoding="utf-8"))
    cards = [json.loads(line) for line in expected if "verdict" in json.loads(line)]
    assert summary["summary"] == {
        "articles": len(cards),
        "errors": sum(expected.values()) - len(cards),
        "verdicts": dict(sorted(collections.Counter(c["verdict"] for c in cards).items())),
    }
    assert summary["errors_by_kind"] == {"bad_record": 2, "not_found": 1}
    judged = [c for c in cards if c["verdict"] != "skipped" and c["scores"].get("translated_from_english") is not None]
    likely = sum(c["scores"]["translated_from_english"] >= 0.5 for c in judged)
    mt = summary["likely_machine_translated"]
    assert (mt["judged"], mt["likely"]) == (len(judged), likely) and mt["ci95"][0] <= mt["share"] <= mt["ci95"][1]


@pytest.fixture(scope="module")
def tiny_gemma(tmp_path_factory) -> Path:
    pytest.importorskip("transformers")
    from tinylm import build_tiny_gemma

    return build_tiny_gemma(tmp_path_factory.mktemp("tiny-gemma3"))


def test_ray_scorecards_equal_local_scan_with_the_lm(cluster, inputs, tiny_gemma):
    """With a language model (a tiny Gemma 3 in bf16, the default model's packed body) the
    Ray scorecards are those of ``scan`` too, although the actors run torch on 1 thread each
    (``scan`` here on 2) and Ray groups the articles into other batches than ``scan``: the
    LM's numbers depend on neither."""
    d, args = inputs
    lm = ["--model", str(tiny_gemma)]
    scan = subprocess.run([*MTAUDIT, "scan", "--format", "jsonl", *lm, *args], cwd=d, capture_output=True,
                          text=True, env={**env(), "MTAUDIT_THREADS": "2"}, timeout=600)
    expected = collections.Counter(scan.stdout.splitlines())
    cards = [json.loads(line) for line in expected if '"verdict"' in line]
    assert sum(bool(c["scores"].get("perplexity")) for c in cards) == len(SEEDS) * 4  # the seeds, as files and records
    assert all(f"|lm:{tiny_gemma}|" in c["signature"] for c in cards)
    out = subprocess.run(
        [*MTAUDIT, "scan", "--engine", "ray", "--address", cluster, "--workers", "2", "--threads", "1", *lm, *args,
         "-o", "out-lm"],
        cwd=d, capture_output=True, text=True, env=env(), timeout=600,
    )
    assert out.returncode == scan.returncode == 1, out.stderr[-2000:]
    recs = shard_records(d / "out-lm")
    assert collections.Counter(without(r, "input") for r in recs) == expected


def _crash_once_worker(marker: str, victim: str):
    """An AuditWorker whose actor process dies (os._exit, as an out-of-memory kill would end
    it) the first time it gets the batch holding ``victim``."""
    from mtaudit.distributed import AuditWorker

    class CrashingWorker(AuditWorker):
        def __call__(self, batch):
            if victim in list(batch["input"]):
                try:
                    fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    pass
                else:
                    os.write(fd, str(os.getpid()).encode())
                    os.close(fd)
                    os._exit(1)
            return super().__call__(batch)

    return CrashingWorker


def test_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, inputs, tmp_path, monkeypatch):
    from mtaudit.core.config import Config
    from mtaudit.distributed import audit_dataset, read_dataset, write_scorecards

    d, args = inputs
    monkeypatch.chdir(d)
    expected, _ = scan_lines(d, args)
    marker = tmp_path / "crashed"
    worker = _crash_once_worker(str(marker), "batch.jsonl:12")
    ds = read_dataset(args, block_bytes=4096)  # small blocks: the crash falls mid-run
    audited = audit_dataset(ds, Config(lm=False), workers=2, block_bytes=4096, worker_class=worker)
    tally = write_scorecards(audited, str(tmp_path / "out"), shard_rows=5)
    assert marker.exists(), "the worker did not crash: the test tested nothing"
    recs = shard_records(tmp_path / "out")
    ids = [r["input"] for r in recs]
    assert len(ids) == len(set(ids)) == sum(expected.values())  # each input exactly once
    assert collections.Counter(without(r, "input") for r in recs) == expected
    assert tally.records == len(recs) and len(tally.shards) >= 2


def test_library_entry_point_on_user_rows(cluster, seed_text):
    from mtaudit import audit
    from mtaudit.core.config import Config
    from mtaudit.distributed import audit_dataset

    texts = {"a": seed_text("000"), "b": seed_text("001"), "c": "  "}
    ds = ray.data.from_items([{"id": k, "text": v, "url": f"https://www.site-{k}.fr/p"} for k, v in texts.items()])
    rows = {r["input"]: r for r in audit_dataset(ds, Config(lm=False), workers=1).take_all()}
    assert set(rows) == {"a", "b", "c"}
    assert rows["c"]["verdict"] == "error" and '"message": "record has no text to audit"' in rows["c"]["record"]
    for k in ("a", "b"):
        rec = json.loads(rows[k]["record"])
        direct = audit(texts[k], Config(lm=False), source=f"https://www.site-{k}.fr/p")
        assert rec["verdict"] == rows[k]["verdict"] == direct.verdict
        assert without(rec, "input", "url") == json.dumps(direct.to_dict(), ensure_ascii=False)
        assert rows[k]["domain"] == f"site-{k}.fr"


# ---------------------------------------------------------------------------- a WARC crawl


def _page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{p.strip()}</p>\n" for p in body.split("\n") if p.strip())
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav><a href='/'>Accueil</a></nav><article><h1>{title}</h1>\n{paras}</article>"
        f"<footer>© Journal</footer></body></html>"
    ).encode()


def make_warc(path: Path) -> list[tuple[str, str]]:
    """A gzipped WARC written with warcio: French news pages on three sites, an English page,
    a PDF, a 404, a redirect and request records. Returns (url, date) of the HTML 200s."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    pages = [
        ("https://www.journal-a.fr/monde/poutine-kim.html", "2024-06-20T08:00:00Z", seeds[0], "text/html; charset=utf-8"),
        ("https://www.journal-a.fr/monde/accord.html", "2024-06-20T09:00:00Z", seeds[2], "text/html; charset=utf-8"),
        ("https://www.journal-a.fr/monde/pyongyang.html", "2024-06-20T10:00:00Z", seeds[1], "text/html"),
        ("https://journal-b.fr/international/visite.html", "2024-06-21T07:30:00Z", seeds[4], "text/html; charset=utf-8"),
        ("https://journal-b.fr/international/accord-bis.html", "2024-06-21T07:45:00Z", seeds[1], "text/html; charset=utf-8"),
        ("https://news-c.example.com/world/summit.html", "2024-06-21T12:00:00Z",
         "The two leaders met in Pyongyang on Wednesday and signed a strategic partnership agreement, officials said.\n"
         "The agreement commits both countries to mutual assistance if either is attacked, according to the text released on Thursday.\n"
         "Analysts said the deal marked the strongest ties between the two countries since the end of the Cold War, and warned of consequences.",
         "text/html; charset=utf-8"),
    ]
    kept = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record("crawl.warc.gz", {"software": "mtaudit tests"}))
        for url, date, text, ctype in pages:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", domain_of(url))], is_http_request=True)
            w.write_record(w.create_warc_record(url, "request", http_headers=req, warc_headers_dict={"WARC-Date": date}))
            body = _page(text.split("\n")[0][:60], text)
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}))
            kept.append((url, date))
        for url, status, ctype, body in (
            ("https://www.journal-a.fr/rapport.pdf", "200 OK", "application/pdf", b"%PDF-1.4 ..."),
            ("https://journal-b.fr/disparu.html", "404 Not Found", "text/html", b"<html><body>Introuvable</body></html>"),
            ("https://journal-b.fr/ancien", "301 Moved Permanently", "text/html", b""),
        ):
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": "2024-06-22T00:00:00Z"}))
    return kept


def test_warc_crawl_end_to_end(cluster, tmp_path):
    pages = make_warc(tmp_path / "crawl.warc.gz")
    expected, scan_rc = scan_lines(tmp_path, ["crawl.warc.gz"])
    out = subprocess.run(
        [*MTAUDIT, "scan", "--engine", "ray", "--address", cluster, "--no-lm", "crawl.warc.gz", "-o", "audit"],
        cwd=tmp_path, capture_output=True, text=True, env=env(), timeout=300,
    )
    assert out.returncode == scan_rc, out.stderr[-2000:]
    recs = shard_records(tmp_path / "audit")
    assert collections.Counter(without(r, "input", "url", "date") for r in recs) == expected
    cards = [r for r in recs if "verdict" in r]
    # the page's URL is the source, its capture date kept, its place in the file the input id
    assert sorted((r["source"], r["date"]) for r in cards) == sorted(pages)
    assert all(r["url"] == r["source"] and r["input"].startswith("crawl.warc.gz@") for r in cards)
    errors = [r for r in recs if "verdict" not in r]  # each names the file and the record's offset
    assert len(errors) == 3 and all(r["source"] == r["input"] and r["source"].startswith("crawl.warc.gz@") for r in errors)
    msgs = sorted(r["message"] for r in errors)
    assert any("rapport.pdf: not an HTML page (application/pdf)" in m for m in msgs)
    assert any("disparu.html: HTTP status 404" in m for m in msgs) and any("HTTP status 301" in m for m in msgs)
    summary = json.loads((tmp_path / "audit" / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors_by_kind"] == {"http_status": 2, "not_html": 1}
    by = {d["domain"]: d for d in summary["by_domain"]}
    assert set(by) == {"journal-a.fr", "journal-b.fr", "news-c.example.com"}
    for dom, d in by.items():
        mine = [r for r in cards if domain_of(r["url"]) == dom]
        judged = [r for r in mine if r["verdict"] != "skipped" and r["scores"].get("translated_from_english") is not None]
        likely = sum(r["scores"]["translated_from_english"] >= 0.5 for r in judged)
        assert (d["pages"], d["judged"], d["likely"]) == (len(mine), len(judged), likely)
        assert d["fail"] == sum(r["verdict"] == "fail" for r in mine)
        if judged:
            assert d["ci95"][0] <= d["share"] <= d["ci95"][1]
    # the English page is reported as such, not judged; the machine translations are caught
    assert by["news-c.example.com"]["judged"] == 0
    assert by["journal-a.fr"]["likely"] >= 1 and by["journal-b.fr"]["likely"] >= 1
    print(json.dumps(summary["by_domain"], indent=1))  # shown with pytest -s

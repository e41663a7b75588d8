"""`mtaudit serve` as a CMS uses it: the real server started as a process (`mtaudit serve
--port N`), spoken to with a real HTTP client (httpx) and a real LanguageTool client library
(language_tool_python, pointed at the server with ``remote_server``).

Three servers are started once for the module: rules only (most tests); with a tiny local
language model (a random GPT-2 built by tests/tinylm.py, so the model path, cross-request
batching, /health while loading, the API key and the timeout are exercised without the real
model); and one that is stopped with SIGTERM while it answers a request.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

MTAUDIT = str(Path(sys.executable).with_name("mtaudit"))
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_MT = SEEDS / "004_55dc17aa284b7b25.txt"  # a machine translation: fails
SEED_FR = SEEDS / "002_9c0dcaceea269566.txt"  # a French original: passes
ENGLISH = (
    "The president said on Tuesday that the government would present a new housing bill "
    "next week, and that members of parliament would debate it before the summer recess."
)
KEY = "s3cret-test-key"


def long_article(i: int) -> str:
    """About 16,000 words (0.3 s of rules or more), different for each ``i``: the seeds'
    sentences three to a paragraph, eight times over, each paragraph numbered (so that none
    is set aside as a repeated line and the model's cache never answers for it)."""
    sents = sorted(
        {
            s.strip()
            for p in sorted(SEEDS.glob("0*.txt"))
            for line in p.read_text(encoding="utf-8").split("\n")
            for s in re.split(r"(?<=[.!?])\s+", line)
            if len(s.split()) >= 6 and s.strip()[-1:] in ".!?"
        }
    )
    return "\n\n".join(
        " ".join(sents[j : j + 3]).replace(". ", f" ({i}.{k}). ") for k in range(8) for j in range(0, len(sents), 3)
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log: Path
    health: list = field(default_factory=list)  # (status, state) polled until ready

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 180, probe=None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"mtaudit serve exited {self.proc.returncode}:\n{self.stderr()}")
            try:
                r = httpx.get(self.url + "/health", timeout=5)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            self.health.append((r.status_code, r.json().get("status")))
            if r.status_code == 200:
                return
            if probe is not None:
                probe()
            time.sleep(0.05)
        pytest.fail(f"mtaudit serve not ready after {timeout} s:\n{self.stderr()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(tmp: Path, name: str, *args: str) -> Server:
    port = free_port()
    log = tmp / f"{name}.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MTAUDIT_THREADS": "1"}
    env.pop("MTAUDIT_API_KEY", None)
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [MTAUDIT, "serve", "--port", str(port), *args],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    return Server(proc, f"http://127.0.0.1:{port}", log)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    from tinylm import build_tiny_model

    tmp = tmp_path_factory.mktemp("serve")
    model = build_tiny_model(tmp / "tiny-gpt2")
    started = {
        "rules": start(tmp, "rules", "--no-lm", "--max-request-size", "0.2", "--max-batch", "20"),
        "lm": start(
            tmp, "lm", "--model", str(model), "--api-key", KEY, "--timeout", "3", "--max-request-size", "5"
        ),
        "stop": start(tmp, "stop", "--no-lm", "--max-request-size", "5", "--timeout", "120"),
    }
    lm_probe: dict = {}

    def probe():  # while the model loads, an audit request is turned away, not queued
        if "audit" not in lm_probe:
            lm_probe["audit"] = httpx.post(
                started["lm"].url + "/v1/audit", json={"text": "Bonjour."}, headers=auth(), timeout=10
            )

    try:
        started["lm"].wait_ready(probe=probe)
        started["lm"].probe = lm_probe
        for name, s in started.items():
            if name != "lm":
                s.wait_ready()
        yield started
    finally:
        for s in started.values():
            s.stop()


@pytest.fixture(scope="module")
def rules(servers) -> Server:
    return servers["rules"]


@pytest.fixture(scope="module")
def lm(servers) -> Server:
    return servers["lm"]


def auth() -> dict:
    return {"Authorization": f"Bearer {KEY}"}


def post(server: Server, path: str, **kw) -> httpx.Response:
    return httpx.post(server.url + path, timeout=60, **kw)


def scan_json(path: Path, *args: str) -> dict:
    out = subprocess.run(
        [MTAUDIT, "scan", "--format", "json", *args, str(path)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def assert_error(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "Traceback" not in r.text
    err = r.json()["error"]
    assert err["status"] == status and err["code"] == code
    assert err["message"] and "\n" not in err["message"]
    return err


# ------------------------------------------------------------------------------ /v1/audit
def test_binds_loopback_and_says_ready(rules):
    assert "ready on http://127.0.0.1:" in rules.stderr()
    r = httpx.get(rules.url + "/health", timeout=10)
    assert r.json()["status"] == "ready" and r.json()["lm"] is None


def test_audit_gives_the_scorecard_of_scan(rules):
    """The service answers the JSON contract made by the same code as `scan --format json`:
    the same article, findings, scores and signature, byte for byte on every call."""
    text = SEED_MT.read_text(encoding="utf-8")
    r1 = post(rules, "/v1/audit", json={"text": text, "id": "seed-004"})
    r2 = post(rules, "/v1/audit", json={"text": text, "id": "seed-004"})
    assert r1.status_code == 200 and r1.content == r2.content
    got = r1.json()
    want = scan_json(SEED_MT, "--no-lm")
    assert got["signature"] == want["signature"]
    assert got["summary"] == {"articles": 1, "errors": 0, "verdicts": {"fail": 1}}
    art, ref = got["articles"][0], want["articles"][0]
    assert art.pop("source") == "seed-004"
    ref.pop("source")
    assert art == ref
    for f in art["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]


def test_articles_go_on_past_a_bad_one(rules):
    good = SEED_FR.read_text(encoding="utf-8")
    r = post(rules, "/v1/audit", json={"articles": [{"id": "a", "text": good}, {"text": 5}, {"id": "c", "text": "  "}]})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert [a["source"] for a in rep["articles"]] == ["a"]
    assert rep["articles"][0]["verdict"] == "pass"
    assert rep["errors"] == [
        {"source": "articles[1]", "message": '"text" must be a string, not number'},
        {"source": "articles[2]", "message": 'empty "text", nothing to audit'},
    ]


def test_articles_report_a_non_french_one_as_skipped(rules):
    r = post(rules, "/v1/audit", json={"articles": [{"text": ENGLISH}, {"text": SEED_FR.read_text(encoding="utf-8")}]})
    verdicts = [(a["language"], a["verdict"]) for a in r.json()["articles"]]
    assert verdicts == [("en", "skipped"), ("fr", "pass")]


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"text": 123}, 400, "bad_type"),
        ({"text": "   \n"}, 400, "empty"),
        ({"text": ENGLISH}, 422, "not_french"),
        ({"text": "x" * 250_000}, 413, "too_large"),
        ({"articles": "not a list"}, 400, "bad_type"),
        ({"text": "Bonjour.", "colour": "blue"}, 400, "unknown_field"),
        ({"text": "Bonjour.", "config": {"model": "/elsewhere"}}, 400, "bad_config"),
        ({"text": "Bonjour.", "config": {"select": 3}}, 400, "bad_type"),
        ({"text": "Bonjour.", "config": {"thresholds": {"fail_majr": 2}}}, 400, "bad_config"),
        ({"text": "Bonjour.", "config": {"thresholds": {"fail_likelihood": 1.5}}}, 400, "bad_config"),
        ({"text": "Bonjour.", "config": {"select": ["ZZ9"]}}, 400, "bad_config"),
        ({"articles": [{"text": "Bonjour."}] * 21}, 413, "too_many"),
        ([1, 2], 400, "bad_type"),
    ],
)
def test_bad_requests_get_one_clear_json_error(rules, body, status, code):
    err = assert_error(post(rules, "/v1/audit", json=body), status, code)
    if code == "not_french":
        assert err["language"] == "en" and "English" in err["message"]


def test_malformed_json_wrong_method_unknown_path(rules):
    assert_error(post(rules, "/v1/audit", content=b'{"text": "Bonjour', headers={"content-type": "application/json"}), 400, "bad_json")
    assert_error(post(rules, "/v1/audit", content=b""), 400, "empty")
    assert_error(httpx.get(rules.url + "/v1/audit", timeout=10), 405, "method_not_allowed")
    assert_error(httpx.get(rules.url + "/v1/nothing", timeout=10), 404, "not_found")


def test_config_overrides_per_request(rules):
    text = SEED_MT.read_text(encoding="utf-8")
    full = post(rules, "/v1/audit", json={"text": text}).json()
    names = post(rules, "/v1/audit", json={"text": text, "config": {"select": ["NM"]}}).json()
    lenient = post(
        rules,
        "/v1/audit",
        json={"text": text, "config": {"thresholds": {"fail_major": 1000, "fail_likelihood": 1.0, "warn_major": 1000, "warn_likelihood": 1.0, "warn_minor_per_1k": 1000}}},
    ).json()
    rules_of = {f["rule"][:2] for f in names["articles"][0]["findings"]}
    assert rules_of == {"NM"}
    assert {f["rule"][:2] for f in full["articles"][0]["findings"]} > {"NM"}
    assert names["signature"] != full["signature"]
    assert full["articles"][0]["verdict"] == "fail" and lenient["articles"][0]["verdict"] == "pass"
    # the next plain request is not affected by the overrides
    assert post(rules, "/v1/audit", json={"text": text}).json() == full


def test_an_article_can_silence_rules_as_a_jsonl_record_does(rules):
    text = SEED_MT.read_text(encoding="utf-8")
    plain = post(rules, "/v1/audit", json={"text": text}).json()["articles"][0]
    quiet = post(rules, "/v1/audit", json={"text": text, "ignore": ["NM501"], "show_suppressed": True}).json()["articles"][0]
    assert "NM501" in {f["rule"] for f in plain["findings"]}
    assert "NM501" not in {f["rule"] for f in quiet["findings"]}
    assert quiet.get("suppressed") and {f["rule"] for f in quiet["suppressed"]} == {"NM501"}
    assert_error(post(rules, "/v1/audit", json={"text": text, "ignore": "NM501"}), 400, "bad_type")


# ------------------------------------------------------------------------ /v1/audit/batch
def test_batch_streams_jsonl_in_order_and_goes_on(rules):
    body = "\n".join(
        [
            json.dumps({"id": "mt", "text": SEED_MT.read_text(encoding="utf-8")}),
            '{"id": "broken", "text": ',
            json.dumps({"id": "fr", "text": SEED_FR.read_text(encoding="utf-8")}),
        ]
    )
    r = post(rules, "/v1/audit/batch", content=body.encode(), headers={"content-type": "application/x-ndjson"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [x.get("source") for x in lines] == ["batch#mt", "batch:2", "batch#fr"]
    assert lines[1]["message"].startswith("malformed JSON")  # the shape of the JSON report's errors
    assert [lines[0]["verdict"], lines[2]["verdict"]] == ["fail", "pass"]
    single = post(rules, "/v1/audit", json={"text": SEED_MT.read_text(encoding="utf-8")}).json()["articles"][0]
    assert lines[0]["findings"] == single["findings"] and lines[0]["scores"] == single["scores"]


def test_batch_of_json_articles_with_config(rules):
    r = post(
        rules,
        "/v1/audit/batch",
        json={"articles": [{"id": 1, "text": SEED_MT.read_text(encoding="utf-8")}], "config": {"select": ["EN"]}},
    )
    (line,) = [json.loads(x) for x in r.text.splitlines()]
    assert line["source"] == "1" and {f["rule"][:2] for f in line["findings"]} == {"EN"}


# ---------------------------------------------------------------- /v1/rules, /metrics
def test_rules_lists_every_rule_and_what_this_server_runs(rules):
    out = subprocess.run([MTAUDIT, "rules", "--format", "json"], capture_output=True, text=True, timeout=60)
    want = {r["code"] for r in json.loads(out.stdout)}
    got = httpx.get(rules.url + "/v1/rules", timeout=10).json()["rules"]
    assert {r["code"] for r in got} == want
    enabled = {r["code"]: r["enabled"] for r in got}
    assert enabled["FL601"] is False and enabled["EN101"] is True  # a --no-lm server


def test_metrics_in_prometheus_text_format(rules):
    from prometheus_client.parser import text_string_to_metric_families

    post(rules, "/v1/audit", json={"text": SEED_FR.read_text(encoding="utf-8")})
    post(rules, "/v1/audit", json={"text": ENGLISH})
    r = httpx.get(rules.url + "/metrics", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    fams = {f.name: f for f in text_string_to_metric_families(r.text)}

    def value(family, suffix="", **labels):
        return sum(
            s.value
            for s in fams[family].samples
            if s.name == family + suffix and all(s.labels.get(k) == v for k, v in labels.items())
        )

    assert value("mtaudit_http_requests", "_total", endpoint="/v1/audit", method="POST", status="200") >= 1
    assert value("mtaudit_http_errors", "_total", endpoint="/v1/audit", code="not_french") >= 1
    assert value("mtaudit_http_request_duration_seconds", "_count", endpoint="/v1/audit") >= 2
    assert value("mtaudit_articles_audited", "_total", verdict="pass") >= 1
    assert value("mtaudit_articles_audited", "_total", verdict="skipped") >= 1
    assert value("mtaudit_ready") == 1


# ------------------------------------------------------------------------------ /v2/check
def test_languagetool_client_on_a_seed(rules, tmp_path, monkeypatch):
    """language_tool_python, pointed at the service, checks a seed: it never starts or
    downloads LanguageTool, and its matches land on the right words (it converts
    LanguageTool's UTF-16 offsets itself, so the emoji before them tests ours)."""
    ltp = pytest.importorskip("language_tool_python")
    from language_tool_python import download_lt

    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))

    def no_download(*a, **k):
        raise AssertionError("language_tool_python tried to download LanguageTool")

    monkeypatch.setattr(download_lt.LocalLanguageTool, "download", no_download, raising=False)
    text = "🗞️ " + SEED_MT.read_text(encoding="utf-8")
    with ltp.LanguageTool("fr-FR", remote_server=rules.url) as tool:
        matches = tool.check(text)
        corrected = tool.correct(text)
    assert not (tmp_path / "ltp").exists()
    card = post(rules, "/v1/audit", json={"text": text}).json()["articles"][0]
    visible = [f for f in card["findings"] if f["severity"] != "info"]
    assert len(matches) == len(visible) > 10
    for m, f in zip(sorted(matches, key=lambda m: m.offset), visible, strict=True):
        assert (m.rule_id, m.offset, text[m.offset : m.offset + m.error_length]) == (f["rule"], f["start"], f["text"])
        if all(ord(c) <= 0xFFFF for c in m.context):  # the client does not convert context offsets
            assert m.matched_text == f["text"]
    assert "Putin" in text and "Vladimir Poutine" in corrected
    assert any(m.rule_id == "NM501" and m.replacements == ["Poutine"] for m in matches)


def utf16_slice(s: str, offset: int, length: int) -> str:
    b = s.encode("utf-16-le")
    return b[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def v2(server: Server, **fields) -> httpx.Response:
    return httpx.post(server.url + "/v2/check", data=fields, timeout=60)


def test_v2_check_annotation_markup_and_utf16_offsets(rules):
    parts = [
        {"markup": "<p>"},
        {"text": "𝐋𝐞 🇫🇷 : "},
        {"markup": "<b>", "interpretAs": ""},
        {"text": "Yesterday"},
        {"markup": "</b>"},
        {"text": ", Putin a offert une voiture à Kim Jong-un."},
        {"markup": "</p>\n<p>", "interpretAs": "\n\n"},
        {"text": "Il a dit que c'était une opportunité unique."},
        {"markup": "</p>"},
    ]
    original = "".join(p.get("text", p.get("markup")) for p in parts)
    r = v2(rules, language="fr", data=json.dumps({"annotation": parts}))
    assert r.status_code == 200, r.text
    out = r.json()
    assert {"software", "warnings", "language", "matches", "mtaudit"} <= set(out)
    assert out["language"]["detectedLanguage"]["code"].startswith("fr")
    assert out["mtaudit"]["verdict"] in ("pass", "warn", "fail") and "scores" in out["mtaudit"]
    found = {m["rule"]["id"]: m for m in out["matches"]}
    assert {"EN101", "NM501", "AN201"} <= set(found)
    for rid, word in (("EN101", "Yesterday"), ("NM501", "Putin"), ("AN201", "opportunité")):
        m = found[rid]
        assert utf16_slice(original, m["offset"], m["length"]) == word
        c = m["context"]
        assert utf16_slice(c["text"], c["offset"], c["length"]) == word
        assert word in m["sentence"] and "<" not in m["sentence"]
        assert set(m["rule"]) >= {"id", "description", "issueType", "category"}
        assert set(m["rule"]["category"]) == {"id", "name"} and m["type"]["typeName"]
    assert found["NM501"]["replacements"] == [{"value": "Poutine"}]
    assert found["NM501"]["rule"]["category"]["id"] == "NAMES"


def test_v2_check_rule_and_category_selection(rules):
    text = SEED_MT.read_text(encoding="utf-8")
    ids = lambda r: {m["rule"]["id"] for m in r.json()["matches"]}  # noqa: E731
    everything = ids(v2(rules, language="fr-FR", text=text))
    assert {"EN101", "NM501", "AN201"} <= everything
    assert ids(v2(rules, language="fr", text=text, enabledRules="NM501", enabledOnly="true")) == {"NM501"}
    assert ids(v2(rules, language="fr", text=text, enabledCategories="NAMES", enabledOnly="true")) <= {"NM501", "NM502", "NM503", "NM504"}
    no_en = ids(v2(rules, language="fr", text=text, disabledCategories="ENGLISH", disabledRules="NM501,WHITESPACE_RULE"))
    assert not no_en & {"EN101", "EN102", "NM501"} and "AN201" in no_en
    r = v2(rules, language="fr", text=text, disabledRules="WHITESPACE_RULE")
    assert r.json()["mtaudit"]["ignoredIds"] == ["WHITESPACE_RULE"]
    default = v2(rules, language="fr", text=text).json()["matches"]
    picky = v2(rules, language="fr", text=text, level="picky").json()["matches"]
    assert len(picky) > len(default)
    assert {m["mtaudit"]["severity"] for m in picky} - {m["mtaudit"]["severity"] for m in default} == {"info"}


def test_v2_languages_and_bad_requests(rules):
    langs = httpx.get(rules.url + "/v2/languages", timeout=10).json()
    assert {x["longCode"] for x in langs} >= {"fr", "fr-FR"} and all(set(x) == {"name", "code", "longCode"} for x in langs)
    assert_error(v2(rules, language="en-US", text="Hello"), 400, "unsupported_language")
    assert_error(v2(rules, language="auto", text=ENGLISH), 422, "not_french")
    assert_error(v2(rules, text="Bonjour."), 400, "missing_field")
    assert_error(v2(rules, language="fr"), 400, "missing_field")
    assert_error(v2(rules, language="fr", data="{not json"), 400, "bad_json")
    assert_error(v2(rules, language="fr", text="Bonjour.", level="loud"), 400, "bad_value")
    assert_error(v2(rules, language="fr", text="x" * 250_000), 413, "too_large")
    # an empty document is what an editor sends before anything is typed: no matches
    empty = v2(rules, language="fr", text="")
    assert empty.status_code == 200 and empty.json()["matches"] == []


# ----------------------------------------------------------- the model, batching, the key
def test_health_was_not_ready_while_loading(lm):
    assert lm.health[-1] == (200, "ready")
    assert all(s == (503, "loading") for s in lm.health[:-1])
    if lm.probe.get("audit") is not None:  # a request while loading: turned away, with a reason
        assert_error(lm.probe["audit"], 503, "not_ready")
    info = httpx.get(lm.url + "/health", timeout=10).json()
    assert info["lm"]["name"] == "tiny-gpt2" and "lm:" in info["signature"]


def test_api_key(lm):
    body = {"text": SEED_FR.read_text(encoding="utf-8")}
    assert_error(post(lm, "/v1/audit", json=body), 401, "unauthorized")
    assert_error(post(lm, "/v1/audit", json=body, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
    assert post(lm, "/v1/audit", json=body, headers=auth()).status_code == 200
    assert post(lm, "/v1/audit", json=body, headers={"X-API-Key": KEY}).status_code == 200
    assert httpx.post(lm.url + "/v2/check", data={"language": "fr", "text": "Bonjour.", "apiKey": KEY}, timeout=30).status_code == 200
    assert_error(httpx.post(lm.url + "/v2/check", data={"language": "fr", "text": "Bonjour."}, timeout=30), 401, "unauthorized")
    assert httpx.get(lm.url + "/health", timeout=10).status_code == 200  # for load balancers


def test_concurrent_requests_share_model_batches_and_get_the_same_scores(lm):
    """Eight single-article requests at once: the worker scores them in shared groups (the
    metrics show groups of more than one article, so from more than one request), and each
    gets exactly the scorecard it gets alone."""
    from prometheus_client.parser import text_string_to_metric_families

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    texts = texts + [t.replace("Poutine", "Putin") for t in texts[:3]]
    alone = [post(lm, "/v1/audit", json={"text": t}, headers=auth()).json()["articles"][0] for t in texts]
    assert all(a["scores"].get("perplexity") for a in alone)  # the language model scored them

    def metric_groups():
        fams = text_string_to_metric_families(httpx.get(lm.url + "/metrics", headers=auth(), timeout=10).text)
        (fam,) = [f for f in fams if f.name == "mtaudit_scoring_group_articles"]
        by = {(s.name, s.labels.get("le")): s.value for s in fam.samples}
        return by[("mtaudit_scoring_group_articles_count", None)], by[("mtaudit_scoring_group_articles_bucket", "1.0")]

    n0, ones0 = metric_groups()
    with ThreadPoolExecutor(len(texts)) as ex:
        together = list(ex.map(lambda t: post(lm, "/v1/audit", json={"text": t}, headers=auth()), texts))
    n1, ones1 = metric_groups()
    assert [r.status_code for r in together] == [200] * len(texts)
    assert [r.json()["articles"][0] for r in together] == alone
    assert n1 - n0 < len(texts) and (n1 - n0) - (ones1 - ones0) >= 1  # some group held several requests


def test_served_while_scoring_and_timeout(lm):
    """A batch too long for the server's --timeout gets a 504 JSON error; while it is being
    scored, /health and /v1/rules answer at once."""
    # 30 different long articles (nothing cached from earlier requests): far more than 3 s
    arts = [{"id": i, "text": long_article(i)} for i in range(30)]
    res: dict = {}
    t = threading.Thread(target=lambda: res.setdefault("r", post(lm, "/v1/audit", json={"articles": arts}, headers=auth())))
    t0 = time.monotonic()
    t.start()
    time.sleep(0.5)
    lat = []
    for _ in range(3):
        s = time.monotonic()
        assert httpx.get(lm.url + "/health", timeout=10).status_code == 200
        assert httpx.get(lm.url + "/v1/rules", headers=auth(), timeout=10).status_code == 200
        lat.append(time.monotonic() - s)
    t.join(60)
    assert_error(res["r"], 504, "timeout")
    assert time.monotonic() - t0 < 30
    assert max(lat) < 2.0, lat  # answered while the batch was scored (it takes longer than 3 s)


# ------------------------------------------------------------------------ shutdown, startup
def test_sigterm_finishes_the_request_in_flight(servers):
    srv = servers["stop"]
    arts = [{"id": i, "text": long_article(100 + i)} for i in range(8)]
    res: dict = {}
    t = threading.Thread(target=lambda: res.setdefault("r", post(srv, "/v1/audit", json={"articles": arts})))
    t.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the worker has started on it
        m = httpx.get(srv.url + "/metrics", timeout=10).text
        if "mtaudit_scoring_group_articles_count 0.0" not in m and "mtaudit_scoring_group_articles_count" in m:
            break
        time.sleep(0.02)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    with pytest.raises(httpx.TransportError):  # no new connections once stopping
        httpx.get(srv.url + "/health", timeout=5)
    t.join(120)
    # uvicorn re-raises the SIGTERM once it has shut down, as daemons conventionally end
    assert srv.proc.wait(60) in (0, -signal.SIGTERM)
    r = res["r"]
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["articles"] == 8
    assert "mtaudit serve: stopped" in srv.stderr() and "Traceback" not in srv.stderr()


def test_a_model_that_cannot_load_stops_the_server_with_one_line(tmp_path):
    srv = start(tmp_path, "bad", "--model", str(tmp_path / "no-such-model"))
    try:
        assert srv.proc.wait(120) == 2
    finally:
        srv.stop()
    err = srv.stderr()
    assert "mtaudit: the service stopped:" in err and "no-such-model" in err and "Traceback" not in err


def test_bad_options_are_usage_errors():
    out = subprocess.run([MTAUDIT, "serve", "--timeout", "0"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--timeout must be positive" in out.stderr

"""The language-model layer: loading, scoring, calibration, the FL601 check and the CLI.

Fast tests run the real loading and scoring code on a tiny GPT-2 built here (random weights,
a byte-level BPE tokenizer trained on the seeds), saved to a temporary directory. Tests with
the real default model (Gemma 3 270M) are marked ``slow`` and kept out of CI.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from typer.testing import CliRunner  # noqa: E402

from mtaudit.auditor import Auditor  # noqa: E402
from mtaudit.core.config import Config  # noqa: E402
from mtaudit.core.document import Document  # noqa: E402
from mtaudit.lm import calibration  # noqa: E402
from mtaudit.lm.document_fluency import selected_sentences  # noqa: E402
from mtaudit.lm.loading import load_lm  # noqa: E402
from mtaudit.lm.prepare import MANIFEST, is_prepared, prepare, read_manifest  # noqa: E402
from mtaudit.lm.surprisal import word_span  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAIRS = SEEDS / "minimal_pairs_dev.tsv"

SENTENCES = [
    "Poutine a offert une voiture Aurus à Kim, à la suite d'un échange de cadeaux.",
    "Les deux dirigeants se sont échangé une chaude embrasse sur le tapis rouge.",
    "Kim a exprimé son plein appui.",
    "C'est la première visite de M. Poutine à Pyongyang depuis 24 ans.",
]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A GPT-2 with random weights and a BPE tokenizer trained on the seeds, saved to disk."""
    from tinylm import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-gpt2"))


@pytest.fixture(scope="module")
def lm(tiny_model_dir):
    return load_lm(str(tiny_model_dir), threads=1)


def naive_logprobs(lm, text: str) -> list[float]:
    """Reference: BOS + tokens through the whole model, full float32 log-softmax."""
    ids, _ = lm.tokenize(text)
    inp = torch.tensor([[lm.bos_id] + ids])
    with torch.inference_mode():
        logits = lm.model(inp).logits.float()
    lp = torch.log_softmax(logits[0, :-1], -1).gather(-1, inp[0, 1:, None]).squeeze(-1)
    return lp.tolist()


# --------------------------------------------------------------------------------- loading
def test_local_directory_loads_with_its_own_identity(lm, tiny_model_dir):
    assert lm.info["kind"] == "local"
    assert lm.model_id == tiny_model_dir.name
    assert lm.bos_id == lm.tokenizer.bos_token_id
    again = load_lm(str(tiny_model_dir), threads=1)
    assert again.fingerprint == lm.fingerprint


def test_missing_directory_is_one_clear_error(tmp_path):
    from mtaudit.lm.loading import ModelLoadError

    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="no config.json"):
        load_lm(str(tmp_path / "empty"))


# --------------------------------------------------------------------------------- scoring
def test_scores_match_full_softmax_with_first_token_scored(lm):
    for text, sc in zip(SENTENCES, lm.score(SENTENCES), strict=True):
        ref = naive_logprobs(lm, text)
        assert sc.logprobs[0] is not None  # the first token is conditioned on BOS
        assert len(sc.scored) == len(ref)
        assert max(abs(a - b) for a, b in zip(sc.logprobs, ref, strict=True)) < 1e-3
        assert math.isclose(sc.perplexity, math.exp(-sum(ref) / len(ref)), rel_tol=1e-3)


def test_batching_does_not_change_scores(lm):
    together = lm.score(SENTENCES)
    lm._cache.clear()
    alone = [lm.score([s])[0] for s in SENTENCES]
    for a, b in zip(together, alone, strict=True):
        assert math.isclose(a.perplexity, b.perplexity, rel_tol=1e-4)


def test_long_sentence_is_scored_in_windows_not_truncated(lm):
    long = " ".join(SENTENCES * 2)
    ids, _ = lm.tokenize(long)
    old = lm.window
    try:
        lm.window = 16
        lm._cache.clear()
        sc = lm.score([long])[0]
    finally:
        lm.window = old
        lm._cache.clear()
    assert len(ids) > 3 * 16
    assert all(lp is not None for lp in sc.logprobs)
    assert sc.n_tokens == len(ids)
    # the first window sees the same context as the full computation
    ref = naive_logprobs(lm, long)
    assert max(abs(a - b) for a, b in zip(sc.logprobs[:15], ref[:15], strict=True)) < 1e-3


def test_restricted_vocabulary_is_an_upper_bound_and_full_set_is_exact(lm):
    full = lm.score(SENTENCES)
    try:
        lm.set_vocab_subset(range(lm.vocab_size))
        same = lm.score(SENTENCES)
        lm.set_vocab_subset(range(50))
        sub = lm.score(SENTENCES)
    finally:
        lm.set_vocab_subset(None)
    for a, b, c in zip(full, same, sub, strict=True):
        assert math.isclose(a.perplexity, b.perplexity, rel_tol=1e-5)
        # fewer tokens in the normaliser can only raise each probability
        assert all(y >= x - 1e-4 and y <= 1e-6 for x, y in zip(a.logprobs, c.logprobs, strict=True))


def _reference_logprobs(lm, h, targets):
    logits = h.float() @ lm.head_weight.float().T
    return torch.log_softmax(logits, -1).gather(-1, targets[:, None]).squeeze(-1)


def test_output_layer_in_vocabulary_blocks_matches_a_full_softmax(lm):
    torch.manual_seed(1)
    h = torch.randn(37, lm.head_weight.shape[1])
    targets = torch.randint(0, lm.vocab_size, (37,))
    ref = _reference_logprobs(lm, h, targets)
    saved = lm.vocab_block, lm.chunk_rows
    try:
        lm.vocab_block, lm.chunk_rows = 64, 16  # several blocks, a partial last one
        assert lm.vocab_size % 64 != 0
        got = lm.token_logprobs(h, targets)
    finally:
        lm.vocab_block, lm.chunk_rows = saved
    assert torch.allclose(got, ref, atol=1e-4)


def test_output_layer_statistics_match_a_full_softmax_and_leave_logprobs_unchanged(lm):
    """Entropy, variance of log p and rank of the target, accumulated in the vocabulary
    blocks, equal those of a float32 softmax; the log-probabilities are bit-identical with
    and without them."""
    torch.manual_seed(3)
    h = torch.randn(29, lm.head_weight.shape[1])
    targets = torch.randint(0, lm.vocab_size, (29,))
    logits = h.float() @ lm.head_weight.float().T
    lp = torch.log_softmax(logits, -1)
    p = lp.exp()
    ent = -(p * lp).sum(-1)
    var = (p * lp * lp).sum(-1) - (p * lp).sum(-1) ** 2
    tl = lp.gather(-1, targets[:, None])
    rank = (lp > tl).sum(-1) + 1
    saved = lm.vocab_block, lm.chunk_rows
    try:
        lm.vocab_block, lm.chunk_rows = 64, 16
        st = torch.empty(29, 3)
        with_stats = lm.token_logprobs(h, targets, stats_out=st)
        plain = lm.token_logprobs(h, targets)
    finally:
        lm.vocab_block, lm.chunk_rows = saved
    assert torch.equal(with_stats, plain)
    assert torch.allclose(st[:, 0], ent, atol=1e-3)
    assert torch.allclose(st[:, 1], var, atol=1e-3)
    assert torch.equal(st[:, 2], rank.float())


def test_scored_sentences_carry_the_token_statistics(lm):
    lm._cache.clear()
    (sc,) = lm.score([SENTENCES[0]])
    for key in ("entropy", "lp_var", "rank"):
        vals = sc.extra[key]
        assert len(vals) == len(sc.logprobs)
        assert all((v is None) == (lp is None) for v, lp in zip(vals, sc.logprobs, strict=True))
    assert all(r >= 1 for r in sc.extra["rank"] if r is not None)


def test_logits_far_above_the_target_do_not_overflow(lm):
    # hidden states this large put other logits hundreds of nats above the target's:
    # exp(logit - target) overflows float32, and those rows are recomputed another way
    torch.manual_seed(2)
    h = torch.randn(8, lm.head_weight.shape[1]) * 2e4
    logits = h @ lm.head_weight.float().T
    targets = logits.argmin(-1)  # the least likely token of each row
    ref = _reference_logprobs(lm, h, targets)
    assert float(ref.min()) < -200
    got = lm.token_logprobs(h, targets)
    assert torch.isfinite(got).all()
    assert torch.allclose(got, ref, rtol=1e-4)


def test_cache_returns_the_same_result_without_recomputing(lm):
    lm._cache.clear()
    first = lm.score(SENTENCES[:2])
    hits = lm.stats["cache_hits"]
    second = lm.score(SENTENCES[:2])
    assert lm.stats["cache_hits"] == hits + 2
    assert [s.perplexity for s in first] == [s.perplexity for s in second]


def test_most_surprising_token_maps_to_a_whole_word(lm):
    for sc in lm.score(SENTENCES):
        s, e = sc.worst_span()
        word = sc.text[s:e]
        assert word and word == word.strip()
        assert sc.worst != 0  # the first token is not blamed when others exist
        ts, te = sc.offsets[sc.worst]
        assert s <= max(ts, s) and e >= min(te, e)


def test_word_span_widens_to_word_boundaries():
    text = "une chaude embrasse sur le tapis"
    assert text[slice(*word_span(text, 11, 15))] == "embrasse"
    assert text[slice(*word_span(text, 10, 14))] == "embrasse"  # leading space dropped


# ---------------------------------------------------------------------- check and scorecard
@pytest.fixture()
def calibrated(lm, tmp_path, monkeypatch):
    """A calibration table for the tiny model, in a temporary user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("MTAUDIT_CACHE", raising=False)
    calibration._read.cache_clear()
    text = (SEEDS / "001_3732444aa2140bd8.txt").read_text(encoding="utf-8")
    doc = Document(text)
    sents = [doc.sentences[i].text for i, c in selected_sentences(doc) if c]
    lps = sorted(s.mean_surprisal for s in lm.score(sents))

    def q(v, n):
        return [v[round(k * (len(v) - 1) / n)] for k in range(n + 1)]

    entry = {
        "sentence_log_ppl_quantiles": q(lps, 1000),
        "article_log_ppl_quantiles": q(lps, 100),
        "min_words": 5,
    }
    path = tmp_path / "mtaudit" / "calibration" / f"{calibration.slug(lm.model_id)}.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"models": {lm.model_id: entry}}), encoding="utf-8")
    yield path
    calibration._read.cache_clear()


def test_fluency_check_gives_scores_and_sentence_data(tiny_model_dir, calibrated):
    text = (SEEDS / "004_55dc17aa284b7b25.txt").read_text(encoding="utf-8")
    card = Auditor(Config(model=str(tiny_model_dir), select=["FL"])).audit_text(text, "004")
    sc = card.scores
    assert 0 <= sc["fluency"] <= 100
    assert sc["perplexity"] > 1
    assert 0 <= sc["lm_outlier_share"] <= 1
    rows = [s.to_dict() for s in card.sentences]
    assert rows and {"start", "end", "perplexity", "score", "token_start", "token_end"} <= set(
        rows[0]
    )
    # headlines are scored for the editor but not counted in the article score
    doc = Document(text)
    titles = {p.start for p in doc.paragraphs if p.kind == "title"}
    assert any(not r["in_article"] for r in rows if r["start"] in titles) or not titles
    for f in card.findings:
        assert f.rule == "FL601" and f.category == "fluency"
        assert re.fullmatch(r"\S+", f.text)  # the surprising word, not the whole sentence


def test_without_calibration_the_note_reaches_the_reports(tiny_model_dir, tmp_path, monkeypatch):
    """FL601 on a model without a fluency calibration says so, in the text and HTML reports."""
    import io

    from rich.console import Console

    from mtaudit.report.html import render_html
    from mtaudit.report.text import print_card

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no user calibration either
    monkeypatch.delenv("MTAUDIT_CACHE", raising=False)
    calibration._read.cache_clear()
    text = (SEEDS / "004_55dc17aa284b7b25.txt").read_text(encoding="utf-8")
    auditor = Auditor(Config(model=str(tiny_model_dir), select=["FL"]))
    card = auditor.audit_text(text, "004")
    note = f"no fluency calibration for model {tiny_model_dir.name}: perplexity only"
    assert card.notes == [note] and card.scores["fluency"] is None and card.sentences
    out = io.StringIO()
    print_card(Console(file=out, width=300, highlight=False), card)
    assert f"note: {note}" in out.getvalue()
    assert f"note: {note}" in render_html([card], [], auditor.signature)
    calibration._read.cache_clear()


def test_batch_of_articles_scores_like_one_at_a_time(tiny_model_dir, calibrated):
    from mtaudit.io.inputs import InputError, Item
    from mtaudit.lm.loading import get_lm

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    items = [Item(f"seed{i}", t) for i, t in enumerate(texts)]
    items.insert(2, InputError("broken.txt", "cannot read"))
    one = Auditor(Config(model=str(tiny_model_dir), select=["FL"]))
    alone = [one.audit_item(it) if isinstance(it, Item) else it for it in items]
    many = Auditor(Config(model=str(tiny_model_dir), select=["FL"]))
    lm = get_lm(many.ctx)
    lm._cache.clear()
    hits = lm.stats["cache_hits"]
    grouped = list(many.audit_many(items, group=3))
    # same order, same input error in its place, same scores and findings
    assert [getattr(c, "source", None) for c in grouped] == [
        getattr(c, "source", None) for c in alone
    ]
    for a, b in zip(alone, grouped, strict=True):
        if isinstance(a, InputError):
            assert b is a
            continue
        assert a.scores == b.scores and a.sentences == b.sentences and a.notes == b.notes
        assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
    # every sentence FL601 asked for was already scored for its group
    n_sent = sum(len(c.sentences) for c in grouped if not isinstance(c, InputError))
    assert lm.stats["cache_hits"] - hits >= n_sent


def test_uncalibrated_model_still_reports_perplexity(tiny_model_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calibration._read.cache_clear()
    card = Auditor(Config(model=str(tiny_model_dir), select=["FL"])).audit_text(
        "Poutine a offert une voiture Aurus à Kim, à la suite d'un échange de cadeaux.", "x"
    )
    assert card.scores["perplexity"] > 1 and card.scores["fluency"] is None
    assert card.findings == []


def test_no_lm_skips_the_fluency_check(tiny_model_dir):
    card = Auditor(Config(model=str(tiny_model_dir), lm=False)).audit_text(SENTENCES[0], "x")
    assert "fluency" not in card.scores and "perplexity" not in card.scores


# --------------------------------------------------------------------------------- CLI
def test_fluency_command_json(tiny_model_dir, calibrated):
    from mtaudit.cli.app import app

    res = CliRunner().invoke(
        app, ["fluency", SENTENCES[1], "--model", str(tiny_model_dir), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    (s,) = out["sentences"]
    assert s["text"] == SENTENCES[1] and s["perplexity"] > 1
    assert 0 <= s["score"] <= 100
    assert s["surprising_text"] in SENTENCES[1]


def test_fluency_command_table_reads_stdin(tiny_model_dir):
    from mtaudit.cli.app import app

    res = CliRunner().invoke(
        app,
        ["fluency", "-", "--model", str(tiny_model_dir)],
        input=SENTENCES[0] + "\n" + SENTENCES[2],
    )
    assert res.exit_code == 0, res.output
    assert "Aurus" in res.stdout and "ppl" in res.stdout


def test_fluency_command_reads_files_like_scan(tiny_model_dir, tmp_path):
    from mtaudit.cli.app import app

    latin1 = tmp_path / "phrase.txt"
    latin1.write_bytes(
        "Les deux dirigeants ont échangé une chaleureuse accolade.\n".encode("latin-1")
    )
    res = CliRunner().invoke(
        app, ["fluency", str(latin1), "--model", str(tiny_model_dir), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert "échangé" in json.loads(res.stdout)["sentences"][0]["text"]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = CliRunner().invoke(app, ["fluency", str(empty), "--model", str(tiny_model_dir)])
    assert res.exit_code == 2 and "empty.txt" in res.output


def test_fluency_command_with_a_model_that_cannot_load_is_one_line_naming_it(tmp_path):
    """As ``scan``: one line naming the model and exit 2 (a usage error), not exit 4 (an
    internal error) with the resource's key in front."""
    import subprocess
    import sys

    missing = tmp_path / "nonexistent"
    res = subprocess.run(
        [sys.executable, "-m", "mtaudit.cli", "fluency", SENTENCES[0], "--model", str(missing)],
        capture_output=True, text=True, timeout=120,
    )
    lines = res.stderr.splitlines()
    assert res.returncode == 2 and len(lines) == 1, (res.returncode, res.stderr)
    assert str(missing) in lines[0] and "no such directory" in lines[0]
    assert "ResourceError" not in lines[0] and "lm:" not in lines[0] and res.stdout == ""


def test_fluency_command_honours_fl601_min_words_like_scan(tiny_model_dir, calibrated, tmp_path):
    """``options.FL601.min_words`` decides which sentences count in the article score, in
    ``scan`` and in ``fluency`` alike: the same configuration gives the same article figures."""
    from mtaudit.cli.app import app

    text = tmp_path / "a.txt"
    text.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")  # 15, 13, 6 and 12 words
    for min_words, counted in ((5, 4), (10, 3), (40, 0)):
        cfg = tmp_path / f"mtaudit-{min_words}.toml"
        cfg.write_text(f"[options.FL601]\nmin_words = {min_words}\n", encoding="utf-8")
        common = ["--model", str(tiny_model_dir), "--config", str(cfg)]
        res = CliRunner().invoke(app, ["fluency", str(text), "--format", "json", *common])
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["article"]["sentences_counted"] == counted, (min_words, out["article"])
        assert sum(s["in_article"] for s in out["sentences"]) == counted
        scan = CliRunner().invoke(app, ["scan", str(text), "-f", "json", "--select", "FL", *common])
        card = json.loads(scan.stdout)["articles"][0]
        assert card["scores"]["perplexity"] == out["article"]["perplexity"]
        assert card["scores"]["fluency"] == out["article"]["fluency"]


def test_model_info_names_a_local_model(tiny_model_dir):
    from mtaudit.cli.app import app

    res = CliRunner().invoke(
        app, ["model", "info", "--model", str(tiny_model_dir), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["kind"] == "local" and info["parameters"] > 0 and info["fingerprint"]


# --------------------------------------------------------------------------------- prepare
def test_prepare_is_instant_when_already_prepared(tmp_path, monkeypatch):
    monkeypatch.setenv("MTAUDIT_CACHE", str(tmp_path))
    d = tmp_path / "models" / "gemma-3-270m-bf16"
    d.mkdir(parents=True)
    (d / "model.safetensors").write_bytes(b"x" * 10)
    (d / MANIFEST).write_text(json.dumps({"weights_bytes": 10, "weights_sha256": "ab" * 32}))
    assert is_prepared() and prepare() == d
    # a truncated weight file is not "prepared"
    (d / "model.safetensors").write_bytes(b"x" * 5)
    assert read_manifest() is None


# --------------------------------------------------------------------- the real default model
@pytest.fixture(scope="module")
def gemma():
    if not is_prepared():
        pytest.skip("default model not prepared (mtaudit model prepare)")
    return load_lm()


@pytest.mark.slow
def test_gemma_prefers_corrected_sentences(gemma):
    rows = [
        line.rstrip("\n").split("\t")
        for line in PAIRS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    scores = gemma.score([r[0] for r in rows] + [r[1] for r in rows])
    n = len(rows)
    wins = sum(scores[n + i].perplexity < scores[i].perplexity for i in range(n))
    assert n == 12 and wins >= 10


@pytest.mark.slow
def test_gemma_article_perplexity_separates_seeds():
    cards = {}
    auditor = Auditor(Config(select=["FL"]))
    for p in sorted(SEEDS.glob("0*.txt")):
        cards[p.name[:3]] = auditor.audit_text(p.read_text(encoding="utf-8"), p.name).scores[
            "perplexity"
        ]
    for mt in ("000", "004"):
        for fr in ("001", "002", "003"):
            assert cards[mt] > cards[fr], cards


# ------------------------------------------------------- batch invariance (issue 17, defect 10)
@pytest.fixture(scope="module")
def tiny_gemma_dir(tmp_path_factory) -> Path:
    """A Gemma 3 text model with random weights in bf16 (tests/tinylm.py)."""
    from tinylm import build_tiny_gemma

    return build_tiny_gemma(tmp_path_factory.mktemp("tiny-gemma3"))


def _seed_sentences(n: int = 120) -> list[str]:
    out = []
    for p in sorted(SEEDS.glob("0*.txt")):
        out += [s.text for s in Document(p.read_text(encoding="utf-8")).sentences]
    return out[:n]


def _by_grouping(lm, sentences, group: int, reverse: bool = False):
    order = sentences[::-1] if reverse else sentences
    lm._cache.clear()
    res = {}
    for g in range(0, len(order), group):
        chunk = order[g : g + group]
        for s, r in zip(chunk, lm.score(chunk), strict=True):
            res[s] = r.logprobs
    return res


@pytest.mark.parametrize("precision", ["model", "float32"])
def test_scores_do_not_depend_on_the_grouping(tiny_gemma_dir, precision):
    """The same sentence gives bit-identical log-probabilities alone, in small groups, in one
    big batch and in another order (bf16 like the default model: padding width and the
    number of rows of a matrix product used to change the fourth digit), in either of the
    types the scorer computes in."""
    lm = load_lm(str(tiny_gemma_dir), threads=1, precision=precision)
    sents = _seed_sentences()
    together = _by_grouping(lm, sents, len(sents))
    for group, rev in ((len(sents), True), (7, False), (1, False)):
        other = _by_grouping(lm, sents, group, rev)
        assert [s for s in sents if other[s] != together[s]] == []


def test_packed_body_matches_the_padded_forward(tiny_gemma_dir):
    packed = load_lm(str(tiny_gemma_dir), threads=1)
    padded = load_lm(str(tiny_gemma_dir), threads=1, body="padded")
    assert packed.body_mode == "packed" and padded.body_mode == "padded" and packed.cache_key_prefix != padded.cache_key_prefix
    sents = _seed_sentences(40)
    for a, b in zip(packed.score(sents), padded.score(sents), strict=True):
        assert math.isclose(a.perplexity, b.perplexity, rel_tol=5e-3)


def _float32_reference(model_dir, sentences):
    """Sentence perplexities from the Hugging Face forward of a float32 copy of the model."""
    import torch
    from transformers import AutoModelForCausalLM

    ref = load_lm(str(model_dir), threads=1, precision="model")
    model = AutoModelForCausalLM.from_pretrained(str(model_dir)).float().eval()
    out = []
    with torch.inference_mode():
        for s in sentences:
            ids = torch.tensor([[ref.bos_id] + ref.tokenize(s)[0]])
            lp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)
            out.append(math.exp(-float(lp.gather(1, ids[0, 1:, None]).mean())))
    return out


def test_float32_precision_is_the_float32_model_without_a_float32_copy(tiny_gemma_dir):
    """``precision = "float32"`` scores a bf16 model as its float32 copy would (the model's own
    arithmetic, no bf16 rounding of activations), while its weights stay bf16 in memory;
    ``model`` keeps bf16 arithmetic, measurably further from that reference."""
    import torch

    sents = _seed_sentences(40)
    ref = _float32_reference(tiny_gemma_dir, sents)
    f32 = load_lm(str(tiny_gemma_dir), threads=1, precision="float32")
    bf16 = load_lm(str(tiny_gemma_dir), threads=1, precision="model")
    assert (f32.info["precision"], bf16.info["precision"]) == ("float32", "bfloat16")
    assert f32.cache_key_prefix != bf16.cache_key_prefix
    assert {p.dtype for p in f32.model.parameters()} == {torch.bfloat16}
    err32 = [abs(sc.perplexity / r - 1) for sc, r in zip(f32.score(sents), ref, strict=True)]
    err16 = [abs(sc.perplexity / r - 1) for sc, r in zip(bf16.score(sents), ref, strict=True)]
    assert max(err32) < 1e-4, max(err32)
    assert sum(err16) > 10 * sum(err32)


def test_precision_auto_follows_the_cpu(monkeypatch):
    """``auto``: the model's own dtype on CPUs with native bf16, float32 elsewhere; the
    signature names what ran; a misspelt choice is an error."""
    from mtaudit.checks.fluency import LMFluency
    from mtaudit.lm import precision

    for native, expected in ((True, "model"), (False, "float32")):
        monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda native=native: native)
        assert precision.resolve("auto") == expected
        assert LMFluency.signature_parts(Config())["lm_precision"] == expected
    assert precision.resolve("model") == "model"
    cfg = Config(options={"FL601": {"precision": "float32"}})
    assert LMFluency.signature_parts(cfg)["lm_precision"] == "float32"
    with pytest.raises(ValueError, match="precision"):
        precision.resolve("fp16")


def test_fl601_options_choose_the_scorer_the_run_loads(tiny_gemma_dir):
    """FL601's ``body`` and ``softmax`` options reach the model of the run (the check passes
    them to the loader), and every user of the context gets that same model."""
    from mtaudit.checks.fluency import fluency_lm
    from mtaudit.core.context import Context
    from mtaudit.lm.loading import get_lm

    plain = fluency_lm(Context(Config(model=str(tiny_gemma_dir))))
    assert (plain.body_mode, plain.vocab_mode) == ("packed", "full")
    opts = {"FL601": {"body": "padded", "softmax": "french"}}
    ctx = Context(Config(model=str(tiny_gemma_dir), options=opts))
    lm = fluency_lm(ctx)
    assert lm.body_mode == "padded" and lm.vocab_mode.startswith("subset")
    assert get_lm(ctx) is lm


def test_lm_signature_is_the_same_prepared_or_not(tmp_path, monkeypatch):
    """A run that prepares the default model and a later run write the same signature."""
    from mtaudit.lm.paths import DEFAULT_MODEL_DIRNAME

    monkeypatch.setenv("MTAUDIT_CACHE", str(tmp_path / "empty"))
    before = Auditor(Config(select=["FL"])).signature
    d = tmp_path / "prepared" / "models" / DEFAULT_MODEL_DIRNAME
    d.mkdir(parents=True)
    (d / "model.safetensors").write_bytes(b"0123456789")
    (d / MANIFEST).write_text(json.dumps({"weights_bytes": 10, "weights_sha256": "ab" * 32}))
    monkeypatch.setenv("MTAUDIT_CACHE", str(tmp_path / "prepared"))
    assert read_manifest() is not None
    after = Auditor(Config(select=["FL"])).signature
    assert before == after and "unprepared" not in after.lm
# paragraphs written for the test: natural French news, and the same kind of news full of
# anglicisms and English conventions ("$3 billion", "1,200", an English quotation)
PARA_NATURAL = (
    "À Nantes, la métropole a présenté mardi le nouveau tracé de la ligne de tramway qui "
    "reliera la gare de Chantenay au quartier de la Beaujoire d'ici à 2029. Le chantier, estimé "
    "à 310 millions d'euros, sera financé pour moitié par l'État et par la région des Pays de la "
    "Loire. Les commerçants du boulevard Victor-Hugo, qui redoutent deux années de travaux, ont "
    "obtenu la création d'un fonds d'indemnisation. « Nous serons attentifs au moindre retard », "
    "a prévenu leur porte-parole, Sylvie Garnier, à l'issue de la réunion publique organisée à "
    "la mairie annexe de Doulon.\n"
)
PARA_ANGLICISMS = (
    "La semaine dernière, le CEO de la start-up a annoncé un deal de $3 billion avec un fonds "
    "d'investissement basé à Boston. « This is a game changer for us », a-t-il déclaré lors d'un "
    "meeting avec les investisseurs. La compagnie, qui emploie 1,200 personnes, prévoit de "
    "booster sa croissance en lançant de nouveaux produits dans le marché européen. Selon un "
    "porte-parole, le board a approuvé l'opération à l'unanimité. Les analystes de Wall Street "
    "estiment que le timing est parfait, alors que la demande pour les solutions de cloud "
    "computing reste forte. Le management compte finaliser la transaction d'ici la fin de "
    "l'année fiscale.\n"
)


@pytest.mark.slow
def test_gemma_fluency_ranks_seeds_and_paragraphs():
    auditor = Auditor(Config(select=["FL"]))
    fl = {}
    for p in sorted(SEEDS.glob("0*.txt")):
        card = auditor.audit_text(p.read_text(encoding="utf-8"), p.name)
        fl[p.name[:3]] = card.scores["fluency"]
        for f in card.findings:  # the span is a word of the sentence, never a name or number
            assert not f.text[:1].isupper() and not any(c.isdigit() for c in f.text), f.text
    for mt in ("000", "004"):
        for fr in ("001", "002", "003"):
            assert fl[mt] < fl[fr], fl
    # the article score is a distribution, not a step at 100
    assert all(0 < v < 100 for v in fl.values()), fl
    nat = auditor.audit_text(PARA_NATURAL, "natural").scores
    ang = auditor.audit_text(PARA_ANGLICISMS, "anglicisms").scores
    assert nat["fluency"] > ang["fluency"], (nat, ang)


@pytest.mark.slow
def test_gemma_normalised_measure_prefers_corrected_sentences(gemma):
    from mtaudit.lm.unigram import get_unigram, sentence_excess, units

    uni = get_unigram(calibration.calibration_for(gemma.model_id).oov)
    rows = [
        line.rstrip("\n").split("\t")
        for line in PAIRS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    scores = gemma.score([r[0] for r in rows] + [r[1] for r in rows])

    def ns(sc):
        total, n = sentence_excess(units(sc, uni))
        return total / n

    n = len(rows)
    wins = sum(ns(scores[n + i]) < ns(scores[i]) for i in range(n))
    assert wins >= 10  # measured: 11 of 12 (perplexity 11, total surprisal 12)

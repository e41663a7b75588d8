"""Load a causal language model for scoring: the prepared default (Gemma 3 270M, bf16
safetensors in the user's cache), any local Hugging Face causal-LM directory, or a hub id
(only with ``allow_network``; otherwise strictly offline)."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from mtaudit.lm.paths import DEFAULT_MODEL_ID, MANIFEST, default_model_dir
from mtaudit.lm.prepare import LICENCE, prepare, read_manifest


class ModelLoadError(RuntimeError):
    """The model cannot be loaded: one line that names the model and says what to do."""


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception's message on one line (transformers' span several), shortened."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~")) or os.sep + os.sep in model or model.endswith(os.sep)


def default_threads() -> int:
    env = os.environ.get("MTAUDIT_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def is_default(model: str | None) -> bool:
    return model is None or model in ("", "default", DEFAULT_MODEL_ID)


def describe_source(model: str | None) -> tuple[str, str]:
    """(kind, where): kind is "default", "local" or "hub"."""
    if is_default(model):
        return "default", str(default_model_dir())
    p = Path(model).expanduser()
    if p.exists():
        return "local", str(p.resolve())
    return "hub", model


def _set_network(allow: bool) -> None:
    """transformers and huggingface_hub read HF_HUB_OFFLINE when imported; keep both in step."""
    value = "0" if allow else "1"
    os.environ["HF_HUB_OFFLINE"] = value
    os.environ["TRANSFORMERS_OFFLINE"] = value
    mod = sys.modules.get("huggingface_hub.constants")
    if mod is not None and hasattr(mod, "HF_HUB_OFFLINE"):
        mod.HF_HUB_OFFLINE = not allow


def _local_fingerprint(path: Path) -> str:
    """Cheap identity of a local model directory: config + weight file names and sizes."""
    h = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.name == "config.json":
            h.update(f.read_bytes())
        elif f.suffix in (".safetensors", ".bin", ".gguf"):
            h.update(f"{f.name}:{f.stat().st_size}".encode())
    return h.hexdigest()[:16]


def _fast_tokenizer(path: Path):
    """The prepared default's tokenizer straight from tokenizer.json: the same Rust tokenizer
    as AutoTokenizer gives, about three times faster to load (it skips class conversions)."""
    import json

    from transformers import PreTrainedTokenizerFast

    try:
        cfg = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        special = {
            k: cfg[k]
            for k in ("bos_token", "eos_token", "pad_token", "unk_token", "mask_token")
            if isinstance(cfg.get(k), str)
        }
        return PreTrainedTokenizerFast(tokenizer_file=str(path / "tokenizer.json"), **special)
    except (OSError, ValueError):
        return None


def load_lm(
    model: str | None = None,
    allow_network: bool = False,
    threads: int | None = None,
    auto_prepare: bool = True,
    **scorer_options,
):
    """Load the model and its tokenizer; return a :class:`~mtaudit.lm.scoring.LanguageModel`."""
    t0 = time.perf_counter()
    kind, where = describe_source(model)
    info: dict = {"kind": kind, "path": where}
    if kind == "default":
        man = read_manifest()
        if man is None:
            if not auto_prepare:
                raise ModelLoadError(
                    "the default model is not prepared: run `mtaudit model prepare`"
                )
            prepare()
            man = read_manifest()
            if man is None:
                raise ModelLoadError(f"{where}: preparing the default model failed")
        name = DEFAULT_MODEL_ID
        fingerprint = man["weights_sha256"][:16]
        info.update(
            name=man.get("name", name),
            licence=man.get("licence", LICENCE),
            sha256=man["weights_sha256"],
            gguf_sha256=man.get("gguf_sha256"),
            upstream=man.get("upstream"),
        )
        path = where
    elif kind == "local":
        p = Path(where)
        if not (p / "config.json").is_file():
            raise ModelLoadError(f"model {where!r}: not a Hugging Face model directory (no config.json)")
        name = p.name
        fingerprint = _local_fingerprint(p)
        info.update(name=name, licence="see the model's own licence", sha256=None)
        path = where
    else:
        if _looks_like_path(model):
            raise ModelLoadError(f"model {model!r}: no such directory")
        name = model
        fingerprint = hashlib.sha256(model.encode()).hexdigest()[:16]
        info.update(name=model, licence="see the model card on the hub", sha256=None)
        path = model

    _set_network(allow_network and kind == "hub")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    n_threads = threads or default_threads()
    torch.set_num_threads(n_threads)
    local_only = not (allow_network and kind == "hub")
    try:
        tok = _fast_tokenizer(Path(path)) if kind == "default" else None
        if tok is None:
            tok = AutoTokenizer.from_pretrained(path, local_files_only=local_only)
        lm = AutoModelForCausalLM.from_pretrained(
            path, local_files_only=local_only, dtype=torch.bfloat16 if kind == "default" else "auto"
        )
    except Exception as exc:  # noqa: BLE001 - OSError, a broken tokenizer's ValueError...: the model's
        hint = (
            ""
            if allow_network or kind != "hub"
            else " (offline: pass --allow-network to download it)"
        )
        label = model if kind != "default" else where
        raise ModelLoadError(f"model {label!r}: cannot load it{hint}: {_one_line(exc)}") from None
    lm.eval()
    # parsing tokenizer.json (33 MB for the default model) leaves ~180 MB of freed heap that
    # glibc keeps unless asked: measured, RSS after loading the tokenizer 278 MB -> 96 MB
    from mtaudit.lm.scoring import _release_memory

    _release_memory()
    if lm.dtype not in (torch.float32, torch.bfloat16):
        lm = lm.to(torch.float32)  # float16 matmuls are slow or missing on CPUs
    info.update(
        fingerprint=fingerprint,
        dtype=str(lm.dtype).replace("torch.", ""),
        parameters=sum(p.numel() for p in lm.parameters()),
        vocab=int(lm.get_output_embeddings().weight.shape[0]),
        threads=n_threads,
        load_seconds=round(time.perf_counter() - t0, 2),
    )
    from mtaudit.lm.scoring import LanguageModel

    return LanguageModel(
        lm, tok, model_id=name, fingerprint=fingerprint, info=info, **scorer_options
    )


def get_lm(ctx, body: str = "packed", softmax: str = "full", precision: str = "auto"):
    """The language model of this run (``ctx.config``'s model), loaded once per context.

    ``body``, ``softmax`` and ``precision`` are the scorer's settings (FL601's options of the same names: the
    caller passes them, see ``mtaudit.checks.fluency.fluency_lm``); the first call of a context
    loads the model, later calls get the same one."""
    cfg = ctx.config

    def build():
        lm = load_lm(cfg.model, allow_network=cfg.allow_network, body=body, precision=precision)
        if softmax == "french":
            # opt-in: measured not to keep every perplexity within 1% (docs/model.md)
            from mtaudit.lm.vocab import french_vocab

            lm.set_vocab_subset(french_vocab(lm.tokenizer))
        return lm

    # keyed by the configuration's model (core/context.py, policy 1): contexts sharing one
    # cache (the service) get the model their configuration names. body and softmax are
    # FL601's settings, passed by every caller through checks.fluency.fluency_lm: the first
    # call of a context decides them and later calls get that same model.
    return ctx.resource(f"lm:{cfg.model}:{cfg.allow_network}", build)


__all__ = ["ModelLoadError", "load_lm", "get_lm", "default_threads", "describe_source", "MANIFEST"]

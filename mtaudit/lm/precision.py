"""In which floating-point type the scorer computes: the model's own (bf16 for the default
model) or float32.

The default model's weights are bf16. On CPUs with native bf16 instructions (AVX512-BF16,
AMX) bf16 products are the fast ones. On CPUs without them (measured on this project's Ice
Lake machine: float32 products at 212 GFLOP/s, bf16 at 56) the bf16 kernels emulate bf16 in
float32 and run at a quarter of the speed, and every elementwise bf16 operation converts too.
There the scorer is faster in float32, and more exact: a bf16 value is a float32 value, so the
float32 path computes the same model without rounding the activations to bf16 after each
operation (it *is* the float32 reference that benchmarks/lm_precision.py measures bf16
against).

- ``model``: the model's own dtype throughout (the path of earlier versions; on the default
  model, bf16);
- ``float32``: activations and products in float32. The transformer body's weights are
  converted once at load (the body is 100M parameters of the default model's 268M: +200 MB);
  the output layer, which shares its weights with the input embedding, stays in the model's
  dtype and each vocabulary block is converted as it is used (no float32 copy of the
  embedding: that would be +670 MB);
- ``auto`` (the default): ``model`` where the CPU has native bf16 instructions or the model is
  already float32, ``float32`` elsewhere.

The choice is part of the run's signature (``lm_precision``): the two paths' perplexities
differ by bf16's rounding (measured: mean 0.6%, docs/model.md).
"""

from __future__ import annotations

import functools

CHOICES = ("auto", "model", "float32")


@functools.lru_cache(maxsize=1)
def cpu_has_native_bf16() -> bool:
    """AVX512-BF16 or AMX (Linux: /proc/cpuinfo flags; elsewhere assumed absent)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve(choice: str | None) -> str:
    """``model`` or ``float32`` for this machine (``auto`` decided by the CPU)."""
    choice = choice or "auto"
    if choice not in CHOICES:
        raise ValueError(f"precision must be one of {', '.join(CHOICES)}, not {choice!r}")
    if choice == "auto":
        return "model" if cpu_has_native_bf16() else "float32"
    return choice

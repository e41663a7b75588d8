"""Reading (``read_dataset``): one Ray task per input file, reading it exactly as ``scan``
does (:func:`mtaudit.io.inputs.read_one`). WARC files are only decompressed there; the
page's article is extracted in the workers, which hold the CPUs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from mtaudit.distributed.cluster import require_ray
from mtaudit.distributed.rows import input_id, input_row, sample_keep
from mtaudit.io.inputs import iter_paths, read_one
from mtaudit.io.items import InputError, Item
from mtaudit.io.warc import RawRecord, is_warc, iter_raw_records


def read_paths(path: str, max_bytes: int, sample: float | None = None, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The input rows of one file, read as ``scan`` reads it (WARC pages left to extract)."""
    objs: Iterable[Item | InputError | RawRecord]
    objs = iter_raw_records(path, max_bytes) if is_warc(path) else read_one(path, max_bytes)
    for obj in objs:
        key = obj.input_id if isinstance(obj, RawRecord) else input_id(obj)
        if sample is None or sample_keep(key, sample, seed):
            yield input_row(obj)


def _read_task(batch: dict[str, Any], max_bytes: int, sample: float | None, seed: int, cwd: str, rows: int) -> Iterator[dict[str, list]]:
    """A batch of paths to batches of ``rows`` input rows (a generator: memory stays flat)."""
    if cwd and os.path.isdir(cwd) and os.getcwd() != cwd:
        os.chdir(cwd)  # paths are named as the user named them, relative to where they ran
    out: dict[str, list] = {"input": [], "payload": [], "body": []}
    for path, error in zip(batch["path"], batch["error"], strict=True):
        got = [input_row(InputError(path, error))] if error else read_paths(path, max_bytes, sample, seed)
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
    ray = require_ray()
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
        return small_blocks(ray.data.from_items([{"input": "", "payload": "", "body": b""}]).limit(0), block_bytes)
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
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
    return small_blocks(ds, block_bytes)


def small_blocks(ds, block_bytes: int):
    """Blocks of about ``block_bytes``: a block is one task for one actor, so small blocks
    spread the work of a big file over the pool (a few articles each; a crawled page's raw
    HTML is often a block by itself). Set on this dataset's own context, read by the
    operators made from it; a streaming repartition would need a CPU slot the actors hold."""
    ds.context.target_max_block_size = block_bytes
    ds._mtaudit_input_rows = True  # audit_dataset need not look at the schema (which runs a read)
    return ds

"""Writing (``write_scorecards``): each write task writes one shard under a name fixed by
its task index, to a temporary file renamed into place, and returns the shard's counts
(:class:`~mtaudit.distributed.summary.Tally`); the driver adds them up."""

from __future__ import annotations

import os
from typing import Any

from mtaudit.distributed.summary import Tally
from mtaudit.report.text import dumps

SHARD_DIR = "scorecards"


def _ray_datasink_base():
    from ray.data.datasource import Datasink

    return Datasink


def make_sink(out_dir: str, shard_rows: int = 10_000):
    """A Ray Datasink writing ``record`` lines to ``out_dir/scorecards/part-NNNNN.jsonl``."""
    Datasink = _ray_datasink_base()

    class ScorecardSink(Datasink):
        def __init__(self):
            self.out_dir = os.path.abspath(out_dir)
            self.total = Tally()

        @property
        def min_rows_per_write(self):
            return shard_rows

        def on_write_start(self, schema=None) -> None:
            os.makedirs(os.path.join(self.out_dir, SHARD_DIR), exist_ok=True)

        def write(self, blocks, ctx) -> Tally:
            from ray.data.block import BlockAccessor

            tally = Tally()
            name = f"part-{ctx.task_idx:05d}.jsonl"
            final = os.path.join(self.out_dir, SHARD_DIR, name)
            tmp = os.path.join(self.out_dir, SHARD_DIR, f".{name}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                for block in blocks:
                    for row in BlockAccessor.for_block(block).iter_rows(public_row_format=False):
                        fh.write(row["record"] + "\n")
                        tally.add_row(row)
            if tally.records:
                os.replace(tmp, final)  # a re-run of this task replaces its shard, whole
                tally.shards.append(f"{SHARD_DIR}/{name}")
            else:
                os.unlink(tmp)
            return tally

        def on_write_complete(self, write_result) -> None:
            for t in write_result.write_returns:
                if t is not None:
                    self.total.merge(t)

    return ScorecardSink()


def write_scorecards(audited, out_dir: str, shard_rows: int = 10_000) -> Tally:
    """Write an :func:`audit_dataset` result as JSONL shards; returns the tally of all rows."""
    sink = make_sink(out_dir, shard_rows)
    audited.write_datasink(sink)
    sink.total.shards.sort()
    return sink.total


def atomic_json(path: str, obj: Any) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(obj) + "\n")
    os.replace(tmp, path)

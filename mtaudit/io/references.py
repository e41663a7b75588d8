"""Reference translations for ``scan --ref DIR``: each article gets the reference with its
file name in the directory (for a JSONL record, the record with the same id in the JSONL
file of that name)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from mtaudit.io.inputs import InputError, Item, read_one, read_single


def attach_references(
    items: Iterable[Item | InputError], refdir: Path, max_bytes: int
) -> Iterator[Item | InputError]:
    """Give each article the reference with its file name in ``refdir`` (for a JSONL record,
    the record with the same id in the JSONL file of that name). References are read like
    inputs: encoding detected, BOM removed, HTML pages extracted. An article without a reference
    is audited all the same, and its scorecard says so; an unreadable reference file is an
    input error (after which the article still comes)."""
    jsonl_cache: dict[Path, dict[str, str]] = {}
    for item in items:
        if isinstance(item, InputError) or item.reference is not None:
            yield item
            continue
        rec_id = item.record_id if item.kind == "jsonl" else None
        cand = refdir / Path(item.path or item.source).name
        ref = None
        if cand.is_file():
            if rec_id:
                if cand not in jsonl_cache:
                    jsonl_cache.clear()  # one reference file at a time: memory stays flat
                    jsonl_cache[cand] = {
                        r.record_id: r.text
                        for r in read_one(str(cand), max_bytes)
                        if isinstance(r, Item) and r.record_id is not None
                    }
                ref = jsonl_cache[cand].get(rec_id)
            else:
                got = read_single(str(cand), max_bytes)
                if isinstance(got, InputError):
                    yield InputError(str(cand), f"reference unreadable: {got.message}")
                else:
                    ref = got.text
        if ref is None:
            where = f"{cand}#{rec_id}" if rec_id else str(cand)
            item.notes.append(f"no reference found ({where}): no reference scores")
        item.reference = ref
        yield item

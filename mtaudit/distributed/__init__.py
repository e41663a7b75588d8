"""Audit on a Ray cluster with Ray Data: the same scorecards as ``mtaudit scan``, at crawl scale.

Needs the ``ray`` extra (``pip install "mtaudit[ray]"``). The pipeline::

    paths ──read tasks──▶ input rows ──map_batches(AuditWorker), one actor per worker──▶
    scorecard rows ──ScorecardSink──▶ OUT_DIR/scorecards/part-NNNNN.jsonl + summary.json

* **Reading** (:func:`read_dataset`): one Ray task per input file, reading it exactly as
  ``scan`` does (:func:`mtaudit.io.inputs.read_one`). WARC files are only decompressed there;
  the page's article is extracted in the workers, which hold the CPUs.
* **Auditing** (:func:`audit_dataset`): ``map_batches`` on :class:`AuditWorker`, a callable
  class run as a pool of Ray actors. Each actor builds one :class:`~mtaudit.auditor.Auditor`
  (and so loads the language model once) and asks Ray for as many CPUs as the torch threads it
  uses (``threads``). A batch is audited by ``Auditor.audit_many``, the code path of ``scan``,
  and each result is serialised by :func:`mtaudit.report.text.jsonl_line`, the code that writes
  ``scan --format jsonl``.
* **Writing** (:class:`ScorecardSink`): each write task writes one shard under a name fixed
  by its task index, to a temporary file renamed into place, and returns the shard's counts;
  the driver adds them up into ``summary.json``.

Every output line is the scorecard (or input error) ``scan --format jsonl`` writes for that
input, with the input id in front (``"input"``: ``file``, ``file:line`` for a JSONL record,
``file@offset`` for a WARC record) and, for crawled pages, the capture's ``"url"`` and
``"date"``. Input errors are lines too, never a failed job. When an actor dies, Ray Data
restarts it and re-runs its unfinished batches (actors are created with ``max_restarts=-1``
and ``max_task_retries=-1``); a batch's results only exist once it finished, and a re-run
write task replaces its own shard, so no line is lost or written twice.

The package, by stage: :mod:`.rows` (input rows and ids), :mod:`.reading`, :mod:`.auditing`,
:mod:`.writing`, :mod:`.summary` (tallies and ``summary.json``), :mod:`.job` (a whole run and
the CLI's ``scan --engine ray``), :mod:`.cluster` (Ray itself). Importing it does not import
Ray.
"""

from mtaudit.distributed.auditing import AuditWorker, audit_dataset, domain_of
from mtaudit.distributed.job import cli_scan
from mtaudit.distributed.reading import read_dataset
from mtaudit.distributed.rows import input_id, sample_keep
from mtaudit.distributed.summary import wilson
from mtaudit.distributed.writing import write_scorecards

__all__ = [
    "AuditWorker",
    "audit_dataset",
    "cli_scan",
    "domain_of",
    "input_id",
    "read_dataset",
    "sample_keep",
    "wilson",
    "write_scorecards",
]

"""The default execution engine: this process, or a local pool of worker processes.

Workers build the pipeline once (in the pool initializer) and only run :func:`process_batch`;
they never touch the database, so results from many workers merge in the parent.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from detente.pipeline import default_pipeline, process_batch
from detente.records import InputRecord, ProcessedRecord


def _init_worker() -> None:
    default_pipeline()


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    batch: list[InputRecord] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(records: Iterable[InputRecord], *, workers: int = 1, batch_size: int = 8) -> Iterator[ProcessedRecord]:
    """Process article records in order and yield annotated records (or records with an ``error``)."""
    if workers <= 1:
        for batch in _chunks(records, batch_size):
            yield from process_batch(batch)
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one process per core: no numeric library may spread over all cores
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        for result in pool.imap(process_batch, _chunks(records, batch_size)):
            yield from result

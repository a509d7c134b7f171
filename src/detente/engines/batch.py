"""``detente run``: code a corpus into Parquet parts, on this machine's process pool or on Ray Data.

Both engines read the same inputs the same way (:mod:`detente.engines.parts`), call the same
:func:`detente.pipeline.process_batch`, and write the same part rows, so ``detente load`` stores the
same articles and events whichever ran. The Ray engine (``pip install 'detente[ray]'``) reads files
with ``ray.data.read_binary_files`` and Parquet inputs with ``ray.data.read_parquet``, codes them with
``map_batches`` and a callable class that builds the pipeline once per worker (an actor pool as large
as the cluster's CPUs, each asking for half a CPU so that the readers streaming rows to them can run), and the
coded rows stream back to be written as the local engine writes them, partitioned by date; without
``address`` it starts a local cluster.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from detente.engines import parts
from detente.ingest import IngestError, read_file
from detente.ingest.reader import DEFAULT_MAX_BYTES

BATCH = 16  # articles per call of process_batch
#: the CPU a coder asks Ray for: the actor pool, as large as the cluster's CPUs, then leaves room for Ray Data's
#: read tasks, which stream rows to it while it codes (with a whole CPU each, the pool starved them and the run
#: hung; reading everything first cost 4 s of idle coders per 2,000 articles; with 0.9 a Parquet read still hung)
CODER_CPUS = 0.5
BLOCK_BYTES = 1 << 20  # rows of about 200 articles a block, so both coders start on the first file at once
#: one numeric thread per worker, as the local pool has: on 2 cores two actors each spreading over both ran
#: 25 % slower (600 articles: 31.8 s of actor time against 27.2 s with this)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class EngineUnavailable(RuntimeError):
    """The engine asked for is not installed or cannot start; the message says what to do."""


@dataclass(frozen=True)
class RunSummary:
    """What a run wrote: part rows, of them articles coded and errors (unreadable input or pipeline failure)."""

    rows: int
    articles: int
    errors: int


def _input_rows(files: list[str], max_bytes: int) -> Iterator[dict[str, Any]]:
    """The input rows of the files, read in this process (the local engine)."""
    for path in files:
        if path.lower().endswith(parts.PARQUET_INPUT):
            yield from parts.read_parquet_rows(path)
            continue
        for item in read_file(path, max_bytes=max_bytes):  # the reader ingest uses: its size cap, its errors
            yield parts.error_row(item) if isinstance(item, IngestError) else parts.article_row(item)


def _coded(rows: Iterator[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    """Part rows of input rows: articles through the process pool (in order), then the errors."""
    from detente.engines.local import run
    from detente.records import InputRecord

    queue: deque[dict[str, Any]] = deque()
    errors: list[dict[str, Any]] = []

    def articles() -> Iterator[InputRecord]:
        for row in rows:
            if row.get("error"):
                errors.append(parts.part_row(row, None))
            else:
                queue.append(row)
                yield parts.to_input(row)

    for result in run(articles(), workers=workers, batch_size=BATCH):
        yield parts.part_row(queue.popleft(), result)
    yield from errors


def run_local(paths: list[str], out: Path, *, workers: int = 1, max_bytes: int = DEFAULT_MAX_BYTES) -> RunSummary:
    """Code ``paths`` with the local engine into parts under ``out`` (files over ``max_bytes`` are error rows)."""
    files, errors = parts.input_files(paths, max_bytes=max_bytes)

    def rows() -> Iterator[dict[str, Any]]:
        yield from errors
        yield from _input_rows(files, max_bytes)

    return _write_counted(_coded(rows(), workers), out)


def _write_counted(rows: Iterator[dict[str, Any]], out: Path) -> RunSummary:
    """Write part rows under ``out`` (partitioned by date) and count the articles and the errors among them."""
    counts = [0, 0]

    def counted() -> Iterator[dict[str, Any]]:
        for row in rows:
            counts[0 if row["record"] else 1] += 1
            yield row

    n = parts.write_parts(counted(), out)
    return RunSummary(n, counts[0], counts[1])


class _Coder:
    """The Ray workers' callable: builds the pipeline once, then codes a batch of input rows at a time."""

    def __init__(self) -> None:
        from detente.pipeline import default_pipeline

        default_pipeline()

    def __call__(self, batch: dict[str, Any]) -> Any:
        import pyarrow as pa

        from detente.pipeline import process_batch

        rows = [dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)]
        rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
        todo = [r for r in rows if not r.get("error")]
        results = iter(process_batch([parts.to_input(r) for r in todo])) if todo else iter(())
        out = [parts.part_row(r, None if r.get("error") else next(results)) for r in rows]
        return pa.Table.from_pylist(out, schema=parts.part_schema())  # every block the same schema


def _plain(value: Any) -> Any:
    """A value of a numpy batch as plain Python: numpy scalars unwrapped, a missing value (NaN) as None."""
    if hasattr(value, "item") and not isinstance(value, bytes | str):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def _ray_rows_of_file(row: dict[str, Any]) -> list[dict[str, Any]]:
    return list(parts.rows_of_bytes(bytes(row["bytes"]), str(row["path"])))


def run_ray(paths: list[str], out: Path, *, address: str | None = None, num_cpus: int | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES) -> RunSummary:
    """Code ``paths`` with Ray Data into parts under ``out`` (a local cluster unless ``address`` names one;
    files over ``max_bytes`` are error rows, refused before Ray reads them)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise EngineUnavailable("the Ray engine needs Ray: pip install 'detente[ray]'") from exc
    files, errors = parts.input_files(paths, max_bytes=max_bytes)
    started = not ray.is_initialized()
    if started:
        try:
            ray.init(address=address, num_cpus=None if address else num_cpus, include_dashboard=False,
                     log_to_driver=False, configure_logging=False, runtime_env={"env_vars": ONE_THREAD})
        except Exception as exc:
            raise EngineUnavailable(f"cannot start or join the Ray cluster ({address or 'local'}): {exc}") from exc
    context = ray.data.DataContext.get_current()
    saved = context.enable_progress_bars, context.target_max_block_size
    context.enable_progress_bars = False
    context.target_max_block_size = BLOCK_BYTES  # a JSONL file's rows reach the coders a block at a time
    try:
        sets: list[Any] = [ray.data.from_items(errors)] if errors else []
        raw = [f for f in files if not f.lower().endswith(parts.PARQUET_INPUT)]
        tables = [f for f in files if f.lower().endswith(parts.PARQUET_INPUT)]
        if raw:
            sets.append(ray.data.read_binary_files(raw, include_paths=True).flat_map(_ray_rows_of_file))
        sets += [ray.data.read_parquet(path).map(partial(parts.rows_of_parquet_row, path=path)) for path in tables]
        if not sets:
            return _write_counted(iter(()), out)
        data = sets[0].union(*sets[1:]) if len(sets) > 1 else sets[0]
        workers = max(1, int(ray.available_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
        coded = data.map_batches(_Coder, batch_size=BATCH, compute=ray.data.ActorPoolStrategy(size=workers),
                                 num_cpus=CODER_CPUS, batch_format="numpy")
        rows = (row for batch in coded.iter_batches(batch_format="pyarrow", batch_size=None)
                for row in batch.to_pylist())
        return _write_counted(rows, out)  # the local engine's writer: the same parts, partitioned by date
    finally:
        context.enable_progress_bars, context.target_max_block_size = saved
        if started:
            ray.shutdown()

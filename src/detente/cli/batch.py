"""``detente run`` (code a corpus into Parquet parts, locally or on Ray) and ``detente load`` (store the parts)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from detente.cli.common import db_option, err, open_store
from detente.ingest.reader import DEFAULT_MAX_BYTES


@click.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder for the Parquet parts (date=YYYY-MM-DD/...); an earlier run's parts there are replaced.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine's process pool; ray: Ray Data (pip install 'detente[ray]').")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Worker processes of the local engine.")
@click.option("--num-cpus", type=click.IntRange(1), default=None,
              help="CPUs of the local Ray cluster the ray engine starts (default: all of this machine's).")
@click.option("--address", help="Join this Ray cluster (host:6379, or ray://host:10001) instead of starting one.")
@click.option("--max-bytes", type=click.IntRange(1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Files larger than this become error rows without being read (raise it for a large JSONL file).")
def run_command(inputs: tuple[str, ...], out: str, engine: str, workers: int, num_cpus: int | None,
                address: str | None, max_bytes: int) -> None:
    """Code INPUTS (files and folders as for `ingest`, JSONL, and Parquet files with a text column) into
    Parquet parts under --out, partitioned by publication date, without a database.

    Every article becomes a row holding its processed record, and every input that cannot be read or
    coded a row holding its error: nothing is dropped. Both engines call the same pipeline and write
    the same rows; `detente load FOLDER` stores them (idempotently).
    """
    from detente.engines.batch import EngineUnavailable, run_local, run_ray

    target = Path(out)
    try:
        if engine == "ray":
            summary = run_ray(list(inputs), target, address=address, num_cpus=num_cpus, max_bytes=max_bytes)
        else:
            summary = run_local(list(inputs), target, workers=workers, max_bytes=max_bytes)
    except EngineUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    err.print(f"{engine}: {summary.articles} articles coded, {summary.errors} errors, parts in {target}")


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
@click.pass_context
def load(ctx: click.Context, folder: str) -> None:
    """Store the articles of a run's Parquet parts (from `detente run`, either engine) and log its errors.

    Idempotent: an article stored already is skipped, so loading a folder twice stores nothing twice.
    The stored articles are placed in stories, as `ingest` places them.
    """
    from detente.cli.process import place_in_stories
    from detente.engines.parts import read_parts

    store = open_store(ctx, create=True)
    stored = known = errors = 0
    for row in read_parts(Path(folder)):
        if row["record"]:
            if store.save(json.loads(row["record"])):
                stored += 1
            else:
                known += 1
        else:
            errors += 1
            store.log_error(str(row["source_path"] or row["name"] or folder), row["item"], str(row["kind"] or "Error"),
                            str(row["error"]))
    placed = place_in_stories(store)
    if stored:
        store.analyze()
    err.print(f"stored: {stored}, already stored: {known}, errors logged: {errors}, placed in stories: {placed}")

"""Commands that run the language pipeline: extract, annotate (no database) and ingest (into the store)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from detente.cli.common import (
    article_records,
    db_option,
    err,
    input_options,
    open_store,
    out,
    processed,
    read_articles,
    run_pipeline,
    undated_warning,
)
from detente.cli.tables import events_table
from detente.cluster.signature import ProfileSetup
from detente.doc import Article
from detente.ingest import IngestError
from detente.kb.base import default_kb
from detente.output import article_to_record
from detente.records import EventRecord, is_failure

MIN_CONFIDENCE_HELP = ("Leave out events below this confidence (0-1). The default, 0, keeps every event; "
                       "`detente eval` shows how often each confidence band is right.")
min_confidence_option = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
                                     show_default=True, help=MIN_CONFIDENCE_HELP)


@click.command()
@input_options
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one event per line on stdout (the output contract); table: readable.",
)
@min_confidence_option
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[str, ...],
    date: dt.date | None,
    fmt: str | None,
    workers: int,
    out_format: str,
    min_confidence: float,
) -> None:
    """Code the events of articles in PATHS and print them; no database needed.

    PATHS are files or folders: seed files (" date YYYY-MM-DD text"), .txt, .jsonl, .html, RSS/Atom feeds.
    """
    errors: list[IngestError] = []
    rows: list[EventRecord] = []
    failed: list[str] = []
    for rec in processed(article_records(paths, date, fmt, None, errors), workers, failed):
        for ev in rec["events"]:
            if ev["confidence"] < min_confidence:
                continue
            if out_format == "jsonl":
                sys.stdout.write(json.dumps(ev, ensure_ascii=False) + "\n")
            else:
                rows.append(ev)
    if out_format == "table":
        events_table(rows, out)
    sys.stdout.flush()
    ctx.exit(1 if errors or failed else 0)


@click.command()
@input_options
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["jsonl"]),
    default="jsonl",
    show_default=True,
    help="One JSON object per article with every layer.",
)
@click.pass_context
def annotate(
    ctx: click.Context, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int, out_format: str
) -> None:
    """Print every layer of each article in PATHS: entities, times, quotes, events (no database)."""
    errors: list[IngestError] = []
    failed: list[str] = []
    for rec in processed(article_records(paths, date, fmt, None, errors), workers, failed):
        rec.pop("seconds", None)
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    ctx.exit(1 if errors or failed else 0)


def _todo(articles: list[Article], known: set[str]) -> list[Article]:
    """The articles still to process: not stored already, each once."""
    todo: list[Article] = []
    seen: set[str] = set()
    for a in articles:
        if a.article_id in known or a.article_id in seen:
            continue
        seen.add(a.article_id)
        todo.append(a)
    return todo


def _store_all(ctx: click.Context, store: Any, todo: list[Article], workers: int, force: bool,
               min_confidence: float = 0.0) -> tuple[int, int, int]:
    """Process and store ``todo`` with a progress bar; (stored, failed, events). Ctrl-C exits 130."""
    stored = failed = n_events = 0
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[events]} events"),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("ingest", total=len(todo), events=0)
        sources = {a.article_id: a.source_path for a in todo}
        try:
            for rec in run_pipeline((article_to_record(a) for a in todo), workers):
                progress.advance(task)
                if is_failure(rec):
                    failed += 1
                    err.print(f"[red]error[/red] {rec['error']}", soft_wrap=True)
                    store.log_error(str(rec.get("article")), None, "PipelineError", rec["error"])
                    continue
                rec["source_path"] = sources.get(rec["article_id"])
                rec["events"] = [ev for ev in rec["events"] if ev["confidence"] >= min_confidence]
                if store.save(rec, replace=force):
                    stored += 1
                    n_events += len(rec["events"])
                    progress.update(task, events=n_events)
        except KeyboardInterrupt:
            err.print(f"interrupted: {stored} articles stored; run the same command again to finish the job")
            ctx.exit(130)
    return stored, failed, n_events


def place_in_stories(store: Any) -> int:
    """Place the stored articles that are in no story yet, oldest first, with a progress bar."""
    with Progress(TextColumn("[bold]stories"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("stories", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        placed: int = store.assign_stories(ProfileSetup.build(default_kb()), progress=advance)
    return placed


def _ingest_urls(store: Any, urls: list[str], allow_private: bool) -> tuple[int, int]:
    """Fetch, code and store the feeds and pages at ``urls`` as ``detente watch --once`` does; (stored, failed)."""
    from detente.cli.watch import poll_all
    from detente.watch.fetch import Fetcher
    from detente.watch.guard import Guard
    from detente.watch.poll import Poller

    fetcher = Fetcher(Guard(allow_private=allow_private))
    try:
        results = poll_all(Poller(store, fetcher), urls)
    finally:
        fetcher.close()
    failed = sum(r.status in ("failed", "refused", "waiting") or bool(r.errors) for r in results)
    return sum(r.stored for r in results), failed


@click.command()
@input_options
@click.option("--force", is_flag=True, help="Process and store again articles that are stored already.")
@click.option("--allow-private", is_flag=True,
              help="URLs may lead to loopback and private addresses (your own network), as for `watch`.")
@min_confidence_option
@db_option
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int, force: bool,
    allow_private: bool, min_confidence: float,
) -> None:
    """Read, process and store the articles in PATHS (idempotent: stored articles are skipped).

    A PATH may be an http(s) URL of a feed or a page: it is fetched, behind the same checks, as
    `detente watch --once` fetches it. Each article is stored in its own transaction, so an
    interrupted run leaves the database consistent and running it again finishes the job. The exit
    code is 1 when any input failed.
    """
    store = open_store(ctx, create=True)
    urls = [p for p in paths if p.lower().startswith(("http://", "https://"))]
    url_stored, url_failed = _ingest_urls(store, urls, allow_private) if urls else (0, 0)
    errors: list[IngestError] = []
    articles = list(read_articles(tuple(p for p in paths if p not in urls), date, fmt, errors))
    for e in errors:
        store.log_error(e.path, e.item, type(e).__name__, e.reason)
    known = set() if force else store.known_ids([a.article_id for a in articles])
    todo = _todo(articles, known)
    if force:  # a re-run never erases the stored date, url, title or outlet it was not given
        from detente.store.write import keep_article_metadata  # the store loads only for commands that use it

        todo = keep_article_metadata(todo, store.stored_metadata([a.article_id for a in todo]))
    undated = undated_warning(todo)
    stored, failed, n_events = _store_all(ctx, store, todo, workers, force, min_confidence)
    stored, failed = stored + url_stored, failed + url_failed
    placed = place_in_stories(store)
    if stored:
        store.analyze()  # fresh planner statistics keep the dashboard's queries on the right indexes
    skipped = len(articles) - len(todo)
    err.print(
        f"articles read: {len(articles)}, stored: {stored}, already stored: {skipped}, "
        f"undated: {undated}, events: {n_events}, placed in stories: {placed}, errors: {len(errors) + failed}"
    )
    ctx.exit(1 if errors or failed else 0)

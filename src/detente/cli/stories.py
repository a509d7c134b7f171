"""``detente stories`` and ``detente story``: articles about the same happening grouped across languages."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from detente.cli.common import article_records, db_option, err, open_store, optional_input_options, out, processed
from detente.cli.read import event_filter_options, make_filter, store_queries
from detente.cluster.signature import Profile, ProfileSetup, profile
from detente.cluster.stories import Assignment, assign
from detente.ingest import IngestError
from detente.kb.base import default_kb

if TYPE_CHECKING:
    from detente.store.stories import StoryDetail, StorySummary

FORMAT_HELP = ('With PATHS: jsonl is one line per article, {"article", "story", "duplicate_of"}; without: one line '
               "per story. table: readable.")


def assignments_table(rows: Sequence[tuple[Assignment, Profile]]) -> Table:
    """The assignments of a batch as a table grouped by story, each story's articles in date order."""
    table = Table(header_style="bold")
    for col in ("story", "date", "lang", "outlet", "article", "reprint of"):
        table.add_column(col, overflow="fold")
    order = {a.story: i for i, (a, _p) in reversed(list(enumerate(rows)))}
    for a, p in sorted(rows, key=lambda r: order[r[0].story]):
        title = f"{escape(p.name)}\n[dim]{escape(p.lead.splitlines()[0][:100])}[/dim]"
        table.add_row(a.story, p.published.isoformat() if p.published else "—", p.lang or "—", escape(p.outlet or "—"),
                      title, escape(a.duplicate_of or ""))
    return table


def summaries_table(rows: Sequence[StorySummary], names: dict[str, str]) -> Table:
    """Stored stories as a table: size, languages, dates, first headline, most named actors (by ``names``)."""
    table = Table(header_style="bold")
    for col in ("story", "articles", "sources", "langs", "dates", "headline", "actors"):
        table.add_column(col, overflow="fold")
    for s in rows:
        dates = s["first"] if s["first"] == s["last"] else f"{s['first']} – {s['last']}"
        table.add_row(s["story"], str(s["articles"]), str(s["sources"]), " ".join(s["langs"]), dates or "—",
                      escape(s["title"] or "—"), escape(", ".join(names.get(a, a) for a in s["actors"])))
    return table


def _batch(ctx: click.Context, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int,
           out_format: str) -> None:
    errors: list[IngestError] = []
    failed: list[str] = []
    setup = ProfileSetup.build(default_kb())
    records = processed(article_records(paths, date, fmt, None, errors), workers, failed)
    profiles = [profile(rec, setup) for rec in records]
    by_name = {p.name: p for p in profiles}
    rows = [(a, by_name[a.name]) for a in assign(profiles)]
    if out_format == "jsonl":
        for a, _p in rows:
            line = {"article": a.name, "story": a.story, "duplicate_of": a.duplicate_of}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        out.print(assignments_table(rows))
        out.print(f"{len(rows)} articles in {len({a.story for a, _p in rows})} stories, "
                  f"{sum(1 for a, _p in rows if a.duplicate_of)} reprints")
    ctx.exit(1 if errors or failed else 0)


@click.command()
@optional_input_options
@click.option("--format", "out_format", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help=FORMAT_HELP)
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Without PATHS: how many stored stories to list, newest first.")
@click.option("--min-articles", type=click.IntRange(1), default=1, show_default=True,
              help="Without PATHS: list only stories of at least this many articles.")
@event_filter_options
@db_option
@click.pass_context
def stories(ctx: click.Context, /, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int,
            out_format: str, limit: int, min_articles: int, **filters: Any) -> None:
    """Group articles into stories across languages and mark reprints: those in PATHS, or the stored ones.

    With PATHS (files or folders, as for `extract`), no database is needed: articles are taken in
    date order and each joins the story whose articles, published within three days of it, name the
    same actors, places and figures and, in its language, the same words; a near-copy in the same
    language is a reprint (duplicate_of names the article it copies). Articles are named by file name
    or JSONL id; a story's label comes from its first article, so a re-run gives the same labels.

    Without PATHS, the stories of the store (`detente ingest` places new articles in them), newest
    first; the event filters (as for `detente events`) keep the stories with an event that matches
    them. `detente story LABEL` shows one.
    """
    f = make_filter(filters)
    if paths:
        if f.active:
            raise click.UsageError("the event filters read the store: give them without PATHS")
        _batch(ctx, paths, date, fmt, workers, out_format)
        return
    queries = store_queries(ctx)
    rows = queries.stories(f, limit=limit, min_articles=min_articles)
    if not rows:
        err.print("no stories match" if f.active else "no stories stored: run `detente ingest` first")
    if out_format == "jsonl":
        for s in rows:
            sys.stdout.write(json.dumps(s, ensure_ascii=False) + "\n")
    else:
        out.print(summaries_table(rows, queries.actor_names(sorted({a for s in rows for a in s["actors"]}))))


def _detail_table(d: StoryDetail) -> Table:
    table = Table(header_style="bold", title=f"story {d['story']}: {d['articles']} articles, {d['sources']} sources")
    for col in ("date", "lang", "outlet", "article", "reprint of"):
        table.add_column(col, overflow="fold")
    for m in d["members"]:
        table.add_row(m["published"] or "—", m["lang"] or "—", escape(m["outlet"] or "—"),
                      f"{escape(m['article'])} [dim]{m['article_id'][:10]}[/dim]\n{escape(m['title'] or '')}",
                      (m["duplicate_of"] or "")[:10])
    return table


@click.command()
@click.argument("label")
@click.option("--format", "out_format", type=click.Choice(["json", "table"]), default="table", show_default=True,
              help="json: the story with its articles as one object; table: readable.")
@db_option
@click.pass_context
def story(ctx: click.Context, label: str, out_format: str) -> None:
    """Show one stored story (LABEL as `detente stories` prints it): its articles in the order they joined."""
    detail = open_store(ctx).story(label)
    if detail is None:
        err.print(f"no story {label!r}: `detente stories` lists the stored ones")
        ctx.exit(1)
        return
    if out_format == "json":
        sys.stdout.write(json.dumps(detail, ensure_ascii=False) + "\n")
    else:
        out.print(_detail_table(detail))

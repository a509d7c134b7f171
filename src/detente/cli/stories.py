"""``detente stories``: group articles about the same happening into stories and find reprints (no database)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence

import click
from rich.markup import escape
from rich.table import Table

from detente.cli.common import article_records, input_options, out, processed
from detente.cluster.signature import Profile, profile
from detente.cluster.stories import Assignment, assign
from detente.ingest import IngestError


def stories_table(rows: Sequence[tuple[Assignment, Profile]]) -> Table:
    """The assignments as a table grouped by story, each story's articles in date order."""
    table = Table(header_style="bold")
    for col in ("story", "date", "lang", "outlet", "article", "reprint of"):
        table.add_column(col, overflow="fold")
    order = {a.story: i for i, (a, _p) in reversed(list(enumerate(rows)))}
    for a, p in sorted(rows, key=lambda r: order[r[0].story]):
        title = f"{escape(p.name)}\n[dim]{escape(p.lead.splitlines()[0][:100])}[/dim]"
        table.add_row(a.story, p.published.isoformat() if p.published else "—", p.lang or "—", escape(p.outlet or "—"),
                      title, escape(a.duplicate_of or ""))
    return table


@click.command()
@input_options
@click.option("--format", "out_format", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help='jsonl: one line per article, {"article", "story", "duplicate_of"}; table: grouped by story.')
@click.pass_context
def stories(ctx: click.Context, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int,
            out_format: str) -> None:
    """Group the articles in PATHS into stories, across languages, and mark reprints; no database needed.

    Articles are taken in date order: each joins the story whose articles (published within three days
    of it) name the same actors, places and figures and, in its language, the same words; a near-copy
    in the same language is a reprint (``duplicate_of`` names the article it copies). A story's label
    comes from its first article's content, so a re-run gives the same labels. An article is named by
    its file name or its JSONL ``id``.
    """
    errors: list[IngestError] = []
    failed: list[str] = []
    profiles = [profile(rec) for rec in processed(article_records(paths, date, fmt, None, errors), workers, failed)]
    by_name = {p.name: p for p in profiles}
    rows = [(a, by_name[a.name]) for a in assign(profiles)]
    if out_format == "jsonl":
        for a, _p in rows:
            line = {"article": a.name, "story": a.story, "duplicate_of": a.duplicate_of}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        out.print(stories_table(rows))
        out.print(f"{len(rows)} articles in {len({a.story for a, _p in rows})} stories, "
                  f"{sum(1 for a, _p in rows if a.duplicate_of)} reprints")
    ctx.exit(1 if errors or failed else 0)

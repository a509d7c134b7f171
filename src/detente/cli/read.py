"""Commands that read: stored events, articles and search (the store), the actor KB and the CAMEO codebook."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from detente.cli.common import MODALITIES, db_option, open_store, out
from detente.cli.tables import events_table

STYLE = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MEDIA": "bold blue", "MISC": "yellow"}


@click.command()
@click.option("--actor", help="Actor KB id or a part of its name or mention.")
@click.option("--country", help="ISO alpha-3 country of the source or target (KAZ, UKR, ...).")
@click.option("--cameo", "--root", "cameo", help="CAMEO code or code prefix; two digits select a root (04).")
@click.option("--since", "date_from", help="First date (YYYY-MM-DD), event date or else publication date.")
@click.option("--until", "date_to", help="Last date (YYYY-MM-DD).")
@click.option("--modality", type=click.Choice(MODALITIES))
@click.option("--lang", type=click.Choice(["ru", "uk", "kk", "en"]))
@click.option("--article", "article_id", help="Article id prefix.")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option(
    "--format", "out_format", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True
)
@db_option
@click.pass_context
def events(
    ctx: click.Context,
    actor: str | None,
    country: str | None,
    cameo: str | None,
    date_from: str | None,
    date_to: str | None,
    modality: str | None,
    lang: str | None,
    article_id: str | None,
    limit: int,
    out_format: str,
) -> None:
    """List stored events, newest first, filtered by actor, country, code, dates, modality, language."""
    store = open_store(ctx)
    rows = store.events(
        actor=actor,
        country=country,
        cameo=cameo,
        date_from=date_from,
        date_to=date_to,
        modality=modality,
        lang=lang,
        article_id=article_id,
        limit=limit,
    )
    if out_format == "jsonl":
        for ev in rows:
            sys.stdout.write(json.dumps(ev, ensure_ascii=False) + "\n")
    elif out_format == "csv":
        from detente.export.csv import write_events_csv

        write_events_csv(rows, sys.stdout)
    else:
        events_table(rows, out)


@click.command()
@click.argument("article_id")
@db_option
@click.pass_context
def show(ctx: click.Context, article_id: str) -> None:
    """Show a stored article with its entities, times, quotes and event triggers marked."""
    store = open_store(ctx)
    art = store.article(article_id)
    if art is None:
        raise click.ClickException(f"no single article matches {article_id!r}: give more of its id or its file name")
    out.print(
        f"[bold]{art['name']}[/bold]  id {art['id'][:12]}  lang {art['lang']}  published {art['published']}"
        f"  outlet country {art['outlet_country'] or '?'}"
    )
    out.print(render_marked(art))
    out.print()
    events_table(art["events"], out)


def render_marked(art: dict[str, Any]) -> Text:
    """Return the article text with entity, time, quote and trigger spans styled."""
    text = Text(art["text"])
    for q in art["quotes"]:
        text.stylize("italic", q["start"], q["end"])
    for e in art["entities"]:
        text.stylize(STYLE.get(e["type"], "bold"), e["start"], e["end"])
    for t in art["times"]:
        text.stylize("underline red", t["start"], t["end"])
    for ev in art["events"]:
        text.stylize("reverse", ev["trigger"]["start"], ev["trigger"]["end"])
    return text


@click.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@db_option
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search over stored articles (words are lemmatized, so any inflection matches)."""
    store = open_store(ctx)
    rows = store.search(query, limit=limit)
    table = Table(header_style="bold")
    for col in ("id", "published", "lang", "article", "snippet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["id"][:12],
            r.get("published") or "—",
            r.get("lang") or "",
            r.get("name") or "",
            r.get("snippet") or (r.get("title") or ""),
        )
    out.print(table)
    out.print(f"{len(rows)} articles")


@click.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
def actors(query: str, limit: int) -> None:
    """Search the bundled actor knowledge base in any language (Токаев, Тоқаев, Tokayev ...)."""
    from detente.kb.base import default_kb

    table = Table(header_style="bold")
    for col in ("kb id", "kind", "name", "country", "code", "offices"):
        table.add_column(col, overflow="fold")
    for a in default_kb().search(query, limit=limit):
        offices = "; ".join(f"{o.role} {o.country or o.org or ''} {o.start or ''}–{o.end or ''}" for o in a.offices)
        table.add_row(a.id, a.kind, a.name, a.country or "—", a.code, offices)
    out.print(table)


@click.command()
@click.argument("prefix", required=False, default="")
def codes(prefix: str) -> None:
    """Print the CAMEO codebook (optionally only codes starting with PREFIX) with Goldstein and PLOVER."""
    from detente.events.cameo import codebook

    table = Table(header_style="bold")
    for col in ("code", "label", "goldstein", "quad", "plover"):
        table.add_column(col, overflow="fold")
    for code in codebook().values():
        if code.code.startswith(prefix):
            table.add_row(code.code, code.label, f"{code.goldstein:+.1f}", str(code.quad_class), code.plover or "—")
    out.print(table)

"""Commands that read: stored events, articles and search (the store), the actor KB and the CAMEO codebook."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.table import Table
from rich.text import Text

from detente.cli.common import attach_options, db_option, err, open_store, out, parse_date
from detente.cli.tables import events_table
from detente.lang import language_codes
from detente.query import DEFAULT_SORT, MODALITIES, SORTS, EventFilter, Queries, QueryError
from detente.query.search import search_articles
from detente.records import StoredArticle, StoredEvent

STYLE = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MEDIA": "bold blue", "MISC": "yellow"}


# the CLI option that sets each EventFilter field, for error messages
_OPTION = {"actor": "--actor", "country": "--country", "cameo": "--cameo", "quad_class": "--quad-class",
           "plover": "--plover", "modality": "--modality", "lang": "--lang", "date_from": "--since",
           "date_to": "--until", "q": "--query", "article": "--article", "sort": "--sort", "cursor": "--cursor",
           "min_confidence": "--min-confidence", "mentions": "--mentions"}


def store_queries(ctx: click.Context) -> Queries:
    """The read queries over the store ``--db`` names (the ones the API and the pages use)."""
    from detente.kb.base import default_kb

    return Queries(open_store(ctx), default_kb())


def _bad(exc: QueryError) -> click.BadParameter:
    return click.BadParameter(exc.message, param_hint=_OPTION.get(exc.field, exc.field))


def _print_events(rows: list[StoredEvent], out_format: str) -> None:
    if out_format in ("jsonl", "csv"):
        from detente.export import FORMATS

        FORMATS[out_format].write(rows, sys.stdout)
    elif rows:
        events_table(rows, out)
    if not rows:
        err.print("no events match")


# the event filters, as options of every command that reads events (`events`, `stories`)
_FILTER_OPTIONS = [
    click.option("--actor", help="Actor KB id or a name in any language (the KB's actors, else names and mentions)."),
    click.option("--country", help="ISO alpha-3 country of the source or target (KAZ, UKR, ...)."),
    click.option("--cameo", "--root", "cameo", help="CAMEO code or code prefix; two digits select a root (04)."),
    click.option("--quad-class", type=click.IntRange(1, 4), help="QuadClass: 1 verbal coop. ... 4 material conflict."),
    click.option("--plover", help="PLOVER event type (CONSULT, AGREE, ...)."),
    click.option("-q", "--query", "q", help="Full-text query over the articles' lemmas (any inflection matches)."),
    click.option("--since", "--date-from", "date_from", callback=parse_date, help="First day (YYYY-MM-DD)."),
    click.option("--until", "--date-to", "date_to", callback=parse_date, help="Last day (YYYY-MM-DD)."),
    click.option("--modality", type=click.Choice(MODALITIES)),
    click.option("--lang", type=click.Choice(language_codes())),
    click.option("--article", help="Article id or the start of one."),
    click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                  help="Leave out events below this confidence (0-1; none left out by default)."),
    click.option("--mentions", is_flag=True, default=None,
                  help="Every report of an event; by default each event once (the reports of one story merged, "
                       "with num_mentions, num_sources and num_articles)."),
]
F = TypeVar("F", bound=Callable[..., Any])


def event_filter_options(command: F) -> F:
    """Add the event filter options (the fields of :class:`EventFilter`) to ``command``."""
    return attach_options(command, _FILTER_OPTIONS)


def make_filter(filters: dict[str, Any]) -> EventFilter:
    """The :class:`EventFilter` of the filter options' values; a bad value is a usage error naming its option."""
    try:
        return EventFilter.make(**filters)
    except QueryError as exc:
        raise _bad(exc) from exc


@click.command()
@event_filter_options
@click.option("--sort", help=f"One of {', '.join(SORTS)}; prefix - for descending.", default=DEFAULT_SORT,
              show_default=True)
@click.option("--cursor", help="Start after the page that printed this cursor (on stderr).")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option(
    "--format", "out_format", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True
)
@db_option
@click.pass_context
def events(ctx: click.Context, /, sort: str, cursor: str | None, limit: int, out_format: str, **filters: Any) -> None:
    """List stored events, newest first, by actor, country, code, QuadClass, PLOVER, text, dates, modality, language.

    The same filters, order and pages as /api/events: an event is filed under its own date, else the
    article's (events with neither match no date filter).
    """
    f = make_filter(filters)
    try:
        page = store_queries(ctx).events(f, sort=sort, cursor=cursor, limit=limit)
    except QueryError as exc:
        raise _bad(exc) from exc
    _print_events(page["events"], out_format)
    sys.stdout.flush()
    if page["next"]:
        err.print(f"more events: add --cursor {page['next']}", soft_wrap=True)


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
    if art["events"]:
        events_table(art["events"], out)
    else:
        err.print("no events in this article")


def render_marked(art: StoredArticle) -> Text:
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
    try:
        rows = search_articles(open_store(ctx), query, limit=limit)
    except QueryError as exc:
        raise click.BadParameter(exc.message, param_hint="QUERY") from exc
    if not rows:
        err.print("no articles match")
        return
    table = Table(header_style="bold")
    for col in ("id", "published", "lang", "article", "snippet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["id"][:12],
            r.get("published") or "—",
            r.get("lang") or "",
            Text(r.get("name") or ""),  # Text: the article's words are never read as markup
            Text(r.get("snippet") or (r.get("title") or "")),
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
    found = default_kb().search(query, limit=limit)
    if not found:
        err.print(f"no actors match {query!r}")
        return
    for a in found:
        offices = "; ".join(f"{o.role} {o.country or o.org or ''} {o.start or ''}–{o.end or ''}" for o in a.offices)
        table.add_row(a.id, a.kind, Text(a.name), a.country or "—", a.code, Text(offices))
    out.print(table)


@click.command()
@click.argument("prefix", required=False, default="")
def codes(prefix: str) -> None:
    """Print the CAMEO codebook (optionally only codes starting with PREFIX) with Goldstein and PLOVER."""
    from detente.events.cameo import codebook

    table = Table(header_style="bold")
    for col in ("code", "label", "goldstein", "quad", "plover"):
        table.add_column(col, overflow="fold")
    found = [code for code in codebook().values() if code.code.startswith(prefix)]
    if not found:
        err.print(f"no CAMEO codes start with {prefix!r}")
        return
    for code in found:
        table.add_row(code.code, code.label, f"{code.goldstein:+.1f}", str(code.quad_class), code.plover or "—")
    out.print(table)

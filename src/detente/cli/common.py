"""What the commands share: the consoles, date parsing, the input options, reading and processing articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click
from rich.console import Console

from detente.doc import Article
from detente.ingest import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, IngestError, IngestWarning, read_paths
from detente.output import article_to_record
from detente.records import ArticleRecord, InputRecord, ProcessedRecord, is_failure

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
if not out.is_terminal:
    out = Console(highlight=False, width=160)
F = TypeVar("F", bound=Callable[..., Any])


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: an ISO date, or a usage error naming the value."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


# ---- the database ------------------------------------------------------------------------------
def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(dict)["db"] = value


def db_option(f: F) -> F:
    """Accept ``--db`` after the subcommand too (``detente ingest x --db a.db``); it wins over the group's."""
    opt = click.option(
        "--db",
        default=None,
        expose_value=False,
        callback=_set_db,
        help="SQLite file or SQLAlchemy URL (as `detente --db`).",
    )
    return opt(f)


def db_location(ctx: click.Context) -> str:
    """The database the command works on (``--db`` of the subcommand, else of the group)."""
    obj = ctx.ensure_object(dict)
    return str(obj.get("db") or "detente.db")


def open_store(ctx: click.Context, *, create: bool = False) -> Any:
    """Open the store, or stop with a one-line error."""
    from detente.store.db import Store, StoreError

    try:
        return Store(db_location(ctx), create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


# ---- reading input -----------------------------------------------------------------------------
def read_articles(
    paths: tuple[str, ...], date: dt.date | None, fmt: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    """The articles in ``paths``; each bad input is reported on stderr and collected in ``errors``."""
    # read the option now: the generator may be consumed in a worker pool's feeder thread
    meta = click.get_current_context().meta
    limits = {"max_bytes": meta.get("max_bytes", DEFAULT_MAX_BYTES),
              "max_chars": meta.get("max_chars", DEFAULT_MAX_CHARS)}

    def warn(warning: IngestWarning) -> None:
        err.print(f"[yellow]warning[/yellow] {warning}", soft_wrap=True)

    def generate() -> Iterator[Article]:
        for item in read_paths(paths, date=date, fmt=fmt, on_warning=warn, **limits):
            if isinstance(item, IngestError):
                errors.append(item)
                err.print(f"[red]error[/red] {item}", soft_wrap=True)
            else:
                yield item

    return generate()


def undated_warning(articles: list[Article]) -> int:
    """Print one warning line for the articles without a publication date; return how many there are."""
    undated = [a.name for a in articles if a.published is None]
    if undated:
        names = ", ".join(undated[:3]) + (f" and {len(undated) - 3} more" if len(undated) > 3 else "")
        err.print(f"[yellow]warning[/yellow] {len(undated)} article(s) without a publication date ({names}): "
                  "relative dates stay unresolved; give --date, a YYYY-MM-DD in the file name or a seed "
                  "' date YYYY-MM-DD ' first line", soft_wrap=True)
    return len(undated)


def article_records(
    paths: tuple[str, ...], date: dt.date | None, fmt: str | None, lang: str | None, errors: list[IngestError]
) -> Iterator[InputRecord]:
    """The articles in ``paths`` as input records for the pipeline."""
    articles = read_articles(paths, date, fmt, errors)  # not lazy: it reads the click context

    def generate() -> Iterator[InputRecord]:
        for article in articles:
            rec = article_to_record(article)
            if lang:
                rec["lang"] = lang
            yield rec

    return generate()


def _limit_option(flag: str, default: int, help_text: str) -> Any:
    """A size limit the readers take from the click context (``--max-bytes`` -> ``ctx.meta["max_bytes"]``)."""
    key = flag.lstrip("-").replace("-", "_")
    return click.option(flag, type=click.IntRange(1), default=default, show_default=True, help=help_text,
                        expose_value=False, callback=lambda ctx, _p, v: ctx.meta.__setitem__(key, v))


_input_options = [
    click.argument("paths", nargs=-1, required=True, type=click.Path()),
    click.option(
        "--date", "date", callback=parse_date, help="Publication date (YYYY-MM-DD) for inputs that lack one."
    ),
    click.option(
        "--input-format",
        "fmt",
        type=click.Choice(["seed", "txt", "jsonl", "html", "feed"]),
        default=None,
        help="Input format (default: by file extension and content).",
    ),
    _limit_option("--max-bytes", DEFAULT_MAX_BYTES,
                  "Files larger than this are reported and skipped without being read."),
    _limit_option("--max-chars", DEFAULT_MAX_CHARS,
                  "Articles whose text is longer than this (in characters) are reported and skipped."),
    click.option(
        "--workers",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Worker processes for the language pipeline.",
    ),
]


def attach_options(f: F, options: list[Any]) -> F:
    """Attach click ``options`` (and arguments) to ``f`` in the order given."""
    for opt in reversed(options):
        f = opt(f)
    return f


def input_options(f: F) -> F:
    """Attach the options shared by commands that read articles."""
    return attach_options(f, _input_options)


def optional_input_options(f: F) -> F:
    """The options of :func:`input_options` with PATHS optional (a command that reads the store without them)."""
    optional = click.argument("paths", nargs=-1, required=False, type=click.Path())
    return attach_options(f, [optional, *_input_options[1:]])


def run_pipeline(records: Iterator[InputRecord], workers: int) -> Iterator[ProcessedRecord]:
    """Process article records in order (in ``workers`` processes)."""
    from detente.engines.local import run

    yield from run(records, workers=workers)


def processed(records: Iterator[InputRecord], workers: int, failed: list[str]) -> Iterator[ArticleRecord]:
    """Yield processed records; report each article the pipeline failed on and collect it in ``failed``."""
    for rec in run_pipeline(records, workers):
        if is_failure(rec):
            failed.append(str(rec.get("article")))
            err.print(f"[red]error[/red] {rec['error']}", soft_wrap=True)
            continue
        yield rec

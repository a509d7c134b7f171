"""The ``detente`` command line: ingest, extract, annotate, events, show, search, actors, codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from detente import __version__
from detente.doc import Article
from detente.ingest import IngestError, read_paths
from detente.output import article_to_record

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
if not out.is_terminal:
    out = Console(highlight=False, width=160)
MODALITIES = ("asserted", "negated", "future", "hypothetical")


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="detente")
@click.option(
    "--db",
    envvar="DETENTE_DB",
    default="detente.db",
    show_default=True,
    help="SQLite file (or an SQLAlchemy URL such as postgresql://...). Also from DETENTE_DB.",
)
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """detente: political news in Russian, Ukrainian, Kazakh and English turned into event data.

    Every event says who did what to whom (CAMEO code, Goldstein, QuadClass, PLOVER), when, where,
    whether it happened, was planned, refused or only conditional, and the evidence in the article.

    \b
    Typical use:
      detente extract article.txt --format table    code one file, no database
      detente ingest news/                          process and store a folder
      detente events --country KAZ --root 04        list stored events
      detente show 3f2a                             an article with its marked spans
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


# ---- reading input ---------------------------------------------------------------------------------
def _articles(
    paths: tuple[str, ...], date: dt.date | None, fmt: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    # read the option now: the generator may be consumed in a worker pool's feeder thread
    max_bytes = click.get_current_context().meta.get("max_bytes", 20_000_000)

    def generate() -> Iterator[Article]:
        for item in read_paths(paths, date=date, fmt=fmt, max_bytes=max_bytes):
            if isinstance(item, IngestError):
                errors.append(item)
                err.print(f"[red]error[/red] {item}", soft_wrap=True)
            else:
                yield item

    return generate()


def _records(
    paths: tuple[str, ...], date: dt.date | None, fmt: str | None, lang: str | None, errors: list[IngestError]
) -> Iterator[dict[str, Any]]:
    articles = _articles(paths, date, fmt, errors)  # not lazy: it reads the click context

    def generate() -> Iterator[dict[str, Any]]:
        for article in articles:
            rec = article_to_record(article)
            if lang:
                rec["lang"] = lang
            yield rec

    return generate()


_input_options = [
    click.argument("paths", nargs=-1, required=True, type=click.Path()),
    click.option(
        "--date", "date", callback=_parse_date, help="Publication date (YYYY-MM-DD) for inputs that lack one."
    ),
    click.option(
        "--input-format",
        "fmt",
        type=click.Choice(["seed", "txt", "jsonl", "html", "feed"]),
        default=None,
        help="Input format (default: by file extension and content).",
    ),
    click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=20_000_000,
        show_default=True,
        help="Files larger than this are reported and skipped without being read.",
        expose_value=False,
        callback=lambda ctx, _p, v: ctx.meta.__setitem__("max_bytes", v),
    ),
    click.option(
        "--workers",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Worker processes for the language pipeline.",
    ),
]


def input_options(f: Any) -> Any:
    """Attach the options shared by commands that read articles."""
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def _run(records: Iterator[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    from detente.engines.local import run

    yield from run(records, workers=workers)


def _processed(records: Iterator[dict[str, Any]], workers: int, failed: list[str]) -> Iterator[dict[str, Any]]:
    """Yield processed records; report each article the pipeline failed on and collect it in ``failed``."""
    for rec in _run(records, workers):
        if "error" in rec:
            failed.append(str(rec.get("article")))
            err.print(f"[red]error[/red] {rec['error']}", soft_wrap=True)
            continue
        yield rec


# ---- extract / annotate ------------------------------------------------------------------------------
@cli.command()
@input_options
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one event per line on stdout (the output contract); table: readable.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Drop events below this confidence.",
)
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
    rows: list[dict[str, Any]] = []
    failed: list[str] = []
    for rec in _processed(_records(paths, date, fmt, None, errors), workers, failed):
        for ev in rec["events"]:
            if ev["confidence"] < min_confidence:
                continue
            if out_format == "jsonl":
                sys.stdout.write(json.dumps(ev, ensure_ascii=False) + "\n")
            else:
                rows.append(ev)
    if out_format == "table":
        _events_table(rows, out)
    sys.stdout.flush()
    ctx.exit(1 if errors or failed else 0)


@cli.command()
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
    for rec in _processed(_records(paths, date, fmt, None, errors), workers, failed):
        rec.pop("seconds", None)
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    ctx.exit(1 if errors or failed else 0)


# ---- ingest ----------------------------------------------------------------------------------------
@cli.command()
@input_options
@click.option("--force", is_flag=True, help="Process and store again articles that are stored already.")
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], date: dt.date | None, fmt: str | None, workers: int, force: bool
) -> None:
    """Read, process and store the articles in PATHS (idempotent: stored articles are skipped).

    Each article is stored in its own transaction, so an interrupted run leaves the database
    consistent and running it again finishes the job. The exit code is 1 when any input failed.
    """
    from detente.store.db import Store, StoreError

    try:
        store = Store(ctx.obj["db"])
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    errors: list[IngestError] = []
    articles = list(_articles(paths, date, fmt, errors))
    for e in errors:
        store.log_error(e.path, e.item, type(e).__name__, e.reason)
    known = set() if force else store.known_ids([a.article_id for a in articles])
    todo: list[Article] = []
    seen: set[str] = set()
    for a in articles:
        if a.article_id in known or a.article_id in seen:
            continue
        seen.add(a.article_id)
        todo.append(a)
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
            for rec in _run((article_to_record(a) for a in todo), workers):
                progress.advance(task)
                if "error" in rec:
                    failed += 1
                    err.print(f"[red]error[/red] {rec['error']}", soft_wrap=True)
                    store.log_error(str(rec.get("article")), None, "PipelineError", rec["error"])
                    continue
                rec["source_path"] = sources.get(rec["article_id"])
                if store.save(rec, replace=force):
                    stored += 1
                    n_events += len(rec["events"])
                    progress.update(task, events=n_events)
        except KeyboardInterrupt:
            err.print(f"interrupted: {stored} articles stored; run the same command again to finish the job")
            ctx.exit(130)
    if stored:
        store.analyze()  # fresh planner statistics keep the dashboard's queries on the right indexes
    skipped = len(articles) - len(todo)
    err.print(
        f"articles read: {len(articles)}, stored: {stored}, already stored: {skipped}, "
        f"events: {n_events}, errors: {len(errors) + failed}"
    )
    ctx.exit(1 if errors or failed else 0)


# ---- querying --------------------------------------------------------------------------------------
def _open_store(ctx: click.Context) -> Any:
    from detente.store.db import Store, StoreError

    try:
        return Store(ctx.obj["db"], create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "—"
    name = a.get("name") or a.get("text") or "?"
    return f"{name} ({a.get('code') or a.get('country') or '?'})"


def _events_table(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(show_lines=False, header_style="bold")
    for col in ("date", "source", "cameo", "event", "target", "modality", "conf", "article"):
        table.add_column(col, overflow="fold")
    for ev in rows:
        label = ev.get("cameo_label") or ""
        table.add_row(
            ev.get("date") or "—",
            _actor_label(ev.get("source")),
            ev["cameo"],
            f"{label[:38]}\n[dim]{ev['trigger']['text']}[/dim]",
            _actor_label(ev.get("target")),
            ev["modality"],
            f"{ev['confidence']:.2f}",
            (ev.get("article") or "")[:24],
        )
    console.print(table)
    console.print(f"{len(rows)} events")


@cli.command()
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
    store = _open_store(ctx)
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
        _events_table(rows, out)


@cli.command()
@click.argument("article_id")
@click.pass_context
def show(ctx: click.Context, article_id: str) -> None:
    """Show a stored article with its entities, times, quotes and event triggers marked."""
    store = _open_store(ctx)
    art = store.article(article_id)
    if art is None:
        raise click.ClickException(f"no single article matches {article_id!r}: give more of its id or its file name")
    out.print(
        f"[bold]{art['name']}[/bold]  id {art['id'][:12]}  lang {art['lang']}  published {art['published']}"
        f"  outlet country {art['outlet_country'] or '?'}"
    )
    out.print(render_marked(art))
    out.print()
    _events_table(art["events"], out)


STYLE = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MEDIA": "bold blue", "MISC": "yellow"}


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


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search over stored articles (words are lemmatized, so any inflection matches)."""
    store = _open_store(ctx)
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


@cli.command()
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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for all).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--private", is_flag=True, envvar="DETENTE_PRIVATE",
              help="Close reads too: every request needs the token (DETENTE_TOKEN). Also from DETENTE_PRIVATE.")
@click.option("--test-mode", is_flag=True, hidden=True, envvar="DETENTE_TEST_MODE", help="Charts without animations.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, private: bool, test_mode: bool) -> None:
    """Serve the dashboard and the HTTP API over the store (http://127.0.0.1:8000 by default).

    \b
    Pages:  /  overview · /events · /articles/<id> · /actors/<id> · /network · /search
    API:    /api/events, /api/articles, /api/actors, /api/stats/timeline, /api/stats/network;
            the OpenAPI document is /api/openapi.json.
    Reads are open; POST /api/articles needs DETENTE_TOKEN set here and sent as
    'Authorization: Bearer <token>'. With --private every request needs it (a browser can
    open http://host:port/?token=<token> once).
    """
    import os
    import socket

    import uvicorn

    from detente.api.app import create_app
    from detente.api.context import Settings
    from detente.store.db import StoreError

    token = os.environ.get("DETENTE_TOKEN") or None
    if private and not token:
        raise click.UsageError("--private needs DETENTE_TOKEN set to the token clients must send")
    try:
        app = create_app(Settings(db=ctx.obj["db"], token=token, private=private, test_mode=test_mode))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    # IPPROTO_TCP: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}; try another --port") from exc
    bound = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    counts = app.state.ctx.store.counts()
    err.print(f"detente: {counts['articles']} articles, {counts['events']} events from {ctx.obj['db']}")
    err.print(f"dashboard: [bold]http://{shown}:{bound}/[/bold]   API: http://{shown}:{bound}/api/openapi.json   "
              "(Ctrl-C stops)")
    if token:
        err.print("writes: enabled with DETENTE_TOKEN" + (" · reads need the token too" if private else ""))
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


@cli.command()
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


DEFAULT_EVAL_SETS = "seeds,dev,held-out,nerel,ner-uk,kaznerd,factrueval,bsnlp,nerel-link"


@cli.command("eval")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the public gold data (default: ../shared/eval, or DETENTE_EVAL_DATA).")
@click.option("--sets", default=DEFAULT_EVAL_SETS, show_default=True,
              help="Comma-separated sets: seeds, dev, held-out (events); nerel, nerel-dev, ner-uk, ner-uk-nested, "
                   "kaznerd, kaznerd-dev, factrueval (NER); bsnlp, bsnlp-dev, nerel-link (linking).")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="At most this many documents per NER or NEREL set, and per BSNLP topic and language.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the tables as one HTML page.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results as JSON.")
@click.option("--gate", is_flag=True, help="Run the fast quality gate against quality/floors.json (exit 1 on a drop).")
@click.option("--pin", "pin_reason", default=None, metavar="REASON",
              help="With --gate: measure and write the floors, recording REASON (for lowering on purpose).")
def evaluate(data_dir: Path | None, sets: str, limit: int | None, html_path: Path | None,
             json_path: Path | None, gate: bool, pin_reason: str | None) -> None:
    """Score detente on public gold data and the team's event sets, and print a table.

    NER: proper-name mentions, exact span, micro P/R/F1 over PER/ORG/LOC. Linking: BSNLP cross-lingual
    pairwise P/R/F1 (with the share of gold forms found, base-form accuracy and doc-level NER), and
    NEREL Wikidata links through kb/data/wikidata.tsv (P/R over covered mentions, R = accuracy).
    Events: the seed gold, the team's dev set and its held-out set, scored like
    ../shared/eval/score_events.py. Sets that are not on disk are reported as skipped. Test splits are
    for reporting: never tune on them.
    """
    import os
    from dataclasses import asdict

    from detente.evaluate.report import render_html
    from detente.evaluate.runner import run_all

    # the team's event sets live in samples/ of a checkout: the current folder, else the source tree
    repo = Path.cwd() if (Path.cwd() / "samples").is_dir() else Path(__file__).resolve().parents[2]
    data = data_dir or Path(os.environ.get("DETENTE_EVAL_DATA") or repo.parent / "shared" / "eval")
    if gate:
        from detente.evaluate import gate as quality

        floors_path = repo / "quality" / "floors.json"
        scores = quality.measure(data, repo)
        current = quality.digest(quality.input_files(data, repo))
        if pin_reason:
            quality.pin(floors_path, scores, current, pin_reason)
            err.print(f"pinned {len(scores)} floors in {floors_path}")
            return
        problems = quality.check(scores, quality.load_floors(floors_path), current)
        for key, value in sorted(scores.items()):
            out.print(f"{key:45} {value:.4f}")
        for p in problems:
            err.print(f"[red]gate[/red] {p}")
        if problems:
            raise SystemExit(1)
        err.print("quality gate passed")
        return
    try:
        results = run_all(data, repo, [s.strip() for s in sets.split(",") if s.strip()], limit,
                          progress=lambda name: err.print(f"evaluating {name} …"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--sets") from exc
    table = Table(header_style="bold")
    for col in ("task", "set", "lang", "docs", "P", "R", "F1", "details", "docs/s"):
        table.add_column(col, overflow="fold")
    for r in results:
        if r.skipped:
            table.add_row(r.task, r.dataset, r.lang, "—", "", "", "", f"skipped: {r.skipped}", "")
            continue
        details = ", ".join(f"{k} {v:.0f}" if v.is_integer() and abs(v) > 1 else f"{k} {v:.3f}"
                            for k, v in r.detail.items())
        table.add_row(r.task, r.dataset, r.lang, str(r.docs), f"{r.precision:.3f}", f"{r.recall:.3f}",
                      f"{r.f1:.3f}", details, f"{r.docs_per_second:.1f}")
    out.print(table)
    if html_path is not None:
        html_path.write_text(render_html(results), encoding="utf-8")
        err.print(f"wrote {html_path}")
    if json_path is not None:
        json_path.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> None:
    """Run the command line."""
    cli.main(args=argv, prog_name="detente")


if __name__ == "__main__":
    main()

"""The dashboard pages (a built-in plugin). Each page calls the same query function as its ``/api`` twin
and renders the result with a Jinja2 template; charts fetch their data from the API."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from detente import __version__
from detente.api.context import AppContext
from detente.api.errors import ApiError, NotFound
from detente.api.hookspecs import hookimpl
from detente.api.params import Cursor, Filters, Sort
from detente.api.routes import check_event_id
from detente.events.cameo import QUAD_CLASSES, lookup, roots
from detente.lang import default_languages
from detente.query import SORTS, EventFilter, parse_sort
from detente.records import StoredArticle
from detente.web.highlight import Span, highlight
from detente.web.stories import register_story_pages

WEB = Path(str(resources.files("detente.web")))
MODALITIES = ("asserted", "negated", "future", "hypothetical")


def _tojson(value: Any) -> Markup:
    """JSON safe to put inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL, else ``None``: no ``javascript:`` or ``data:`` link is rendered."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def make_env() -> Environment:
    """The Jinja2 environment of the dashboard templates."""
    env = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["tojson_safe"] = _tojson
    env.filters["http_url"] = http_url
    env.filters["quad_label"] = lambda q: QUAD_CLASSES.get(int(q), str(q))
    env.globals.update(QUAD_CLASSES=QUAD_CLASSES, MODALITIES=MODALITIES, LANGS=default_languages().names(),
                       ROOTS=roots(),
                       version=__version__)
    return env


class Pages:
    """Renders the pages; one instance per app."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.env = make_env()

    def render(self, request: Request, view: str, template: str, status: int = 200, **context: Any) -> Response:
        """Render ``template`` with the shared variables, the hooks' extra variables and ``context``."""
        f: EventFilter = context.get("f") or EventFilter()
        base = {
            "request": request,
            "view": view,
            "f": f,
            "qs": f.query_string(),
            "test_mode": self.ctx.settings.test_mode or request.query_params.get("test") == "1",
        }
        for extra in self.ctx.pm.hook.extra_template_vars(request=request, view=view, ctx=self.ctx):
            if extra:
                base.update(extra)
        html = self.env.get_template(template).render({**base, **context})
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, exc: ApiError) -> Response:
        """The HTML page of an error."""
        return self.render(request, "error", "error.html", status=exc.status, error=exc)


def article_spans(art: StoredArticle) -> list[Span]:
    """The spans of an article view: entities, time expressions, quotes and event triggers."""
    spans: list[Span] = []
    for e in art["entities"]:
        link = " · ".join(x for x in (e.get("name"), e.get("kb_id"), e.get("code")) if x)
        data = {"type": e["type"]}
        if e["kb_id"]:
            data["kb"] = e["kb_id"]
        spans.append(Span(e["start"], e["end"], "entity", f"ent-{e['type']}",
                          f"{e['type']}: {link}" if link else e["type"], data))
    for t in art["times"]:
        value = f"{t['value']} ({t['precision']})" if t.get("value") else "not resolved"
        spans.append(Span(t["start"], t["end"], "time", "", f"time: {value}",
                          {"value": t.get("value") or ""}))
    for q in art["quotes"]:
        who = q.get("speaker_name") or "speaker unknown"
        spans.append(Span(q["start"], q["end"], "quote", "", f"quote: {who}"))
    for ev in art["events"]:
        trig = ev["trigger"]
        src, tgt = ((a["name"] if a else None) or "?" for a in (ev["source"], ev["target"]))
        when = ev.get("date") or "date not given"
        title = f"{ev['cameo']} {ev.get('cameo_label', '')} · {src} → {tgt} · {ev['modality']} · {when}"
        spans.append(Span(trig["start"], trig["end"], "trigger", f"q{ev['quad_class']}", title,
                          {"event": ev["event_id"], "cameo": ev["cameo"]}, id=f"t-{ev['event_id'][:12]}"))
    return spans


def register_pages(app: FastAPI, ctx: AppContext) -> None:
    """Add the dashboard pages and the static files."""
    pages = Pages(ctx)
    app.state.error_page = pages.error
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    _event_pages(app, ctx, pages)
    _article_pages(app, ctx, pages)
    _actor_pages(app, ctx, pages)
    register_story_pages(app, ctx, pages)

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources(request: Request) -> Response:
        from detente.api.sources import source_rows  # the rows /api/sources answers

        return pages.render(request, "sources", "sources.html", sources=source_rows(ctx))


def _event_pages(app: FastAPI, ctx: AppContext, pages: Pages) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, f: Filters) -> Response:
        data = ctx.queries.overview(f)
        return pages.render(request, "overview", "overview.html", f=f, data=data)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events(request: Request, f: Filters, sort: Sort = None, cursor: Cursor = None) -> Response:
        key, desc = parse_sort(sort)
        page = ctx.queries.events(f, sort=sort, cursor=cursor, limit=ctx.settings.page_size)
        # a new column sorts descending first; the current one flips
        sorts = {k: ("-" + k if (k != key or not desc) else k) for k in SORTS}
        return pages.render(request, "events", "events.html", f=f, page=page, total=ctx.queries.count(f),
                            sort_key=key, sort_desc=desc, sorts=sorts, cursor=cursor)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event(request: Request, event_id: str) -> Response:
        check_event_id(event_id)
        ev = ctx.queries.event(event_id)
        if ev is None:
            raise NotFound(f"no event {event_id!r}")
        sent = ev["sentence"]
        spans = [Span(ev["trigger"]["start"] - sent["start"], ev["trigger"]["end"] - sent["start"], "trigger",
                      f"q{ev['quad_class']}", ev["cameo"])]
        for side, a in (("source", ev["source"]), ("target", ev["target"])):
            if a and sent["start"] <= a["start"] < a["end"] <= sent["end"]:
                spans.append(Span(a["start"] - sent["start"], a["end"] - sent["start"], "entity",
                                  f"ent-{side}", f"{side}: {a.get('name') or a.get('text')}"))
        return pages.render(request, "event", "event.html", ev=ev, code=lookup(ev["cameo"]),
                            sentence_html=Markup(highlight(sent["text"], spans)))



def _article_pages(app: FastAPI, ctx: AppContext, pages: Pages) -> None:
    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(request: Request, article_id: str) -> Response:
        art = ctx.queries.article(article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r}")
        body = Markup(highlight(art["text"], article_spans(art)))
        actors: dict[str, dict[str, Any]] = {}
        for e in art["entities"]:
            kb_id = e["kb_id"]
            if kb_id and kb_id not in actors:
                actors[kb_id] = {"id": kb_id, "name": e["name"] or e["text"], "type": e["type"], "mentions": 0}
            if kb_id:
                actors[kb_id]["mentions"] += 1
        return pages.render(request, "article", "article.html", art=art, body=body,
                            actors=sorted(actors.values(), key=lambda a: -a["mentions"]))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: Annotated[str | None, Query(max_length=200)] = None) -> Response:
        return pages.render(request, "search", "search.html", q=q or "", articles=_search_hits(ctx, q),
                            found=ctx.queries.search_actors(q, 20) if q else [])


def _actor_pages(app: FastAPI, ctx: AppContext, pages: Pages) -> None:
    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors(request: Request, q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        found = ctx.queries.search_actors(q, 50) if q else []
        top = [] if q else ctx.queries.top_actors(EventFilter(), 30)
        return pages.render(request, "actors", "actors.html", q=q or "", found=found, top=top)

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor(request: Request, actor_id: str, f: Filters) -> Response:
        prof = ctx.queries.actor(actor_id, f)
        if prof is None:
            raise NotFound(f"no actor {actor_id!r} in the knowledge base")
        latest = ctx.queries.events(replace(f, actor=prof["id"]), limit=10)["events"]
        return pages.render(request, "actor", "actor.html", f=f, actor=prof, latest=latest,
                            actor_qs=f.query_string(actor=prof["id"]))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network(request: Request, f: Filters) -> Response:
        return pages.render(request, "network", "network.html", f=f)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def world_map(request: Request, f: Filters) -> Response:
        return pages.render(request, "map", "map.html", f=f)


def _search_hits(ctx: AppContext, q: str | None) -> list[dict[str, Any]]:
    """The articles matching ``q``, each with its snippet as safe HTML (the matched words marked)."""
    arts: list[dict[str, Any]] = []
    for a in ctx.queries.search_articles(q, 30) if q else []:
        snip = str(Markup.escape(a.get("snippet") or ""))
        arts.append({**a, "snippet_html": Markup(snip.replace("\x02", "<mark>").replace("\x03", "</mark>"))})
    return arts


@hookimpl
def register_routes(app: FastAPI, ctx: AppContext) -> None:
    """Add the dashboard."""
    register_pages(app, ctx)

"""The JSON API under ``/api`` (a built-in plugin: it registers its routes through the same hook)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from detente import __version__
from detente.api.context import AppContext
from detente.api.errors import InvalidParameter, NotAcceptable, NotFound, ProcessingFailed, Unauthorized, WritesDisabled
from detente.api.hookspecs import hookimpl
from detente.api.params import Cursor, Interval, Limit, Sort, event_filter
from detente.api.queries import EventFilter
from detente.api.renderers import choose
from detente.doc import Article
from detente.output import article_to_record

MAX_TEXT = 2_000_000


class ArticleIn(BaseModel):
    """An article submitted for processing."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the article text")
    date: dt.date | None = Field(None, description="publication date (ISO); relative dates resolve against it")
    url: str | None = Field(None, max_length=2000, description="where the article was published")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200, description="outlet name (sets the outlet country)")
    lang: str | None = Field(None, pattern="^(ru|uk|kk|en)$", description="language; detected when left out")
    replace: bool = Field(False, description="process again an article that is stored already")


def bearer(request: Request) -> str | None:
    """The token a request carries: ``Authorization: Bearer``, ``X-Detente-Token`` or the ``detente_token`` cookie."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-detente-token") or request.cookies.get("detente_token")


def _ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def require_write(request: Request) -> None:
    """Writes need ``DETENTE_TOKEN`` set on the server and the same token on the request."""
    token = _ctx(request).settings.token
    if not token:
        raise WritesDisabled("this server takes no writes: start it with DETENTE_TOKEN set to enable them")
    if bearer(request) != token:
        raise Unauthorized("send the server's token as 'Authorization: Bearer <token>'")


Ctx = Annotated[AppContext, Depends(_ctx)]
Filters = Annotated[EventFilter, Depends(event_filter)]


def build_router() -> APIRouter:
    """The ``/api`` routes."""
    r = APIRouter(prefix="/api")

    @r.get("/health", tags=["meta"], summary="Liveness and store counts")
    def health(ctx: Ctx) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "counts": ctx.store.counts()}

    @r.get(
        "/events",
        tags=["events"],
        summary="Events matching the filters, newest first, paged with a cursor",
        responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/x-ndjson": {}}}},
    )
    def events(
        request: Request,
        ctx: Ctx,
        f: Filters,
        sort: Sort = None,
        cursor: Cursor = None,
        limit: Limit = 50,
        format: Annotated[str | None, Query(description="json, csv or ndjson (else the Accept header)")] = None,
    ) -> Response:
        renderer = choose(ctx.renderers, format, request.headers.get("accept"))
        if renderer is None:
            if format:
                raise InvalidParameter(f"unknown format {format!r}; use {', '.join(ctx.renderers)}", field="format")
            raise NotAcceptable(f"cannot answer with {request.headers.get('accept')}; use {', '.join(ctx.renderers)}")
        page = ctx.queries.events(f, sort=sort, cursor=cursor, limit=limit)
        if page["next"]:  # the same request (filters, sort, format) one page on
            page["next_url"] = str(request.url.include_query_params(cursor=page["next"]))
        return renderer.render(page)

    @r.get("/events/{event_id}", tags=["events"], summary="One event by id")
    def event(event_id: str, ctx: Ctx) -> dict[str, Any]:
        ev = ctx.queries.event(event_id)
        if ev is None:
            raise NotFound(f"no event {event_id!r}")
        return dict(ev)

    @r.get("/articles/{article_id}", tags=["articles"], summary="An article with all its layers and offsets")
    def article(article_id: str, ctx: Ctx) -> dict[str, Any]:
        art = ctx.queries.article(article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r} (give its id or a unique prefix)")
        return dict(art)

    @r.post("/articles", tags=["articles"], status_code=201, summary="Submit an article: processed and stored",
            dependencies=[Depends(require_write)])
    async def submit(body: ArticleIn, ctx: Ctx) -> dict[str, Any]:
        article_obj = Article(text=body.text, name=body.url or body.title or "submitted", published=body.date,
                              url=body.url, title=body.title, outlet=body.outlet, lang=body.lang)
        rec = await run_in_threadpool(ctx.process, article_to_record(article_obj))
        if "error" in rec:
            raise ProcessingFailed(rec["error"], field="text")
        stored = await run_in_threadpool(ctx.store.save, rec, replace=body.replace)
        if stored:
            ctx.pm.hook.article_stored(record=rec, ctx=ctx)
        return {"article_id": rec["article_id"], "stored": stored, "events": rec["events"],
                "url": f"/articles/{rec['article_id']}"}

    @r.get("/actors", tags=["actors"], summary="Search the actor knowledge base (names in ru, uk, kk, en)")
    def actors(ctx: Ctx, q: Annotated[str, Query(min_length=1, max_length=100)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        return {"actors": ctx.queries.search_actors(q, limit)}

    @r.get("/actors/{actor_id}", tags=["actors"], summary="Actor profile: names, offices, counts, top partners")
    def actor(actor_id: str, ctx: Ctx, f: Filters) -> dict[str, Any]:
        prof = ctx.queries.actor(actor_id, f)
        if prof is None:
            raise NotFound(f"no actor {actor_id!r} in the knowledge base; search with /api/actors?q=")
        return prof

    @r.get("/stats/timeline", tags=["stats"], summary="Counts and Goldstein sums per day or week by QuadClass")
    def timeline(ctx: Ctx, f: Filters, interval: Interval = "day") -> dict[str, Any]:
        return ctx.queries.timeline(f, interval)

    @r.get("/stats/network", tags=["stats"], summary="Actor pairs with counts and mean Goldstein")
    def network(ctx: Ctx, f: Filters, limit: Annotated[int, Query(ge=1, le=500)] = 60) -> dict[str, Any]:
        return ctx.queries.network(f, limit)

    @r.get("/search", tags=["articles"], summary="Lemma full-text search over articles, and actor search")
    def search(ctx: Ctx, q: Annotated[str, Query(min_length=1, max_length=200)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        arts = ctx.queries.search_articles(q, limit)
        for a in arts:
            if a.get("snippet"):
                a["snippet"] = a["snippet"].replace("\x02", "").replace("\x03", "")
        return {"articles": arts, "actors": ctx.queries.search_actors(q, 10)}

    return r


@hookimpl
def register_routes(app: FastAPI) -> None:
    """Add the ``/api`` routes."""
    app.include_router(build_router())

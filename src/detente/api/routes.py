"""The JSON API under ``/api`` (a built-in plugin: it registers its routes through the same hook).

The write route, ``POST /api/articles``, is in :mod:`detente.api.submit`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import Response

from detente import __version__
from detente.api.context import Ctx
from detente.api.errors import InvalidParameter, NotAcceptable, NotFound, documented
from detente.api.hookspecs import hookimpl
from detente.api.params import TEXT, Cursor, Filters, Interval, Limit, Sort
from detente.api.renderers import choose
from detente.api.submit import build_submit_router

_EVENT_ID = re.compile(r"[0-9a-fA-F]{1,40}")


def check_event_id(event_id: str) -> None:
    """An event id or id prefix is hex: anything else (``%``, ``_``) is no event, not a pattern."""
    if not _EVENT_ID.fullmatch(event_id):
        raise NotFound(f"no event {event_id!r}")




def build_router() -> APIRouter:
    """The ``/api`` routes."""
    r = APIRouter(prefix="/api", responses=documented())
    _event_routes(r)
    _actor_and_stats_routes(r)
    return r


def _event_routes(r: APIRouter) -> None:
    @r.get("/health", tags=["meta"], summary="Liveness and store counts")
    def health(ctx: Ctx) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "counts": ctx.store.counts()}

    @r.get(
        "/events",
        tags=["events"],
        summary="Events matching the filters, newest first, paged with a cursor",
        responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/x-ndjson": {},
                                     "application/vnd.apache.parquet": {}, "text/tab-separated-values": {}}},
                   **documented(NotAcceptable)},
    )
    def events(
        request: Request,
        ctx: Ctx,
        f: Filters,
        sort: Sort = None,
        cursor: Cursor = None,
        limit: Limit = 50,
        format: Annotated[str | None, Query(description="json, csv, ndjson (jsonl), parquet, gdelt, gdelt-mentions "
                                            "(with mentions=true: every report) or polecat (else the Accept "
                                            "header); one page of events, the next page in the Link header")] = None,
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

    @r.get("/events/{event_id}", responses=documented(NotFound), tags=["events"], summary="One event by id")
    def event(event_id: str, ctx: Ctx) -> dict[str, Any]:
        check_event_id(event_id)
        ev = ctx.queries.event(event_id)
        if ev is None:
            raise NotFound(f"no event {event_id!r}")
        return dict(ev)

    @r.get("/articles/{article_id}", responses=documented(NotFound), tags=["articles"],
           summary="An article with all its layers and offsets")
    def article(article_id: Annotated[str, Path(pattern=TEXT)], ctx: Ctx) -> dict[str, Any]:
        art = ctx.queries.article(article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r} (give its id or a unique prefix)")
        return dict(art)



def _actor_and_stats_routes(r: APIRouter) -> None:
    @r.get("/actors", tags=["actors"], summary="Search the actor knowledge base (names in ru, uk, kk, en)")
    def actors(ctx: Ctx, q: Annotated[str, Query(min_length=1, max_length=100, pattern=TEXT)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        return {"actors": ctx.queries.search_actors(q, limit)}

    @r.get("/actors/{actor_id}", responses=documented(NotFound), tags=["actors"],
           summary="Actor profile: names, offices, counts, top partners")
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

    @r.get("/stats/places", tags=["stats"],
           summary="Events per country (as source, target or place) and per stated place with coordinates")
    def places(ctx: Ctx, f: Filters, limit: Annotated[int, Query(ge=1, le=2000)] = 300) -> dict[str, Any]:
        return ctx.queries.places(f, limit)

    @r.get("/search", tags=["articles"], summary="Lemma full-text search over articles, and actor search")
    def search(ctx: Ctx, q: Annotated[str, Query(min_length=1, max_length=200, pattern=TEXT)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        arts = ctx.queries.search_articles(q, limit)
        for a in arts:
            if a.get("snippet"):
                a["snippet"] = a["snippet"].replace("\x02", "").replace("\x03", "")
        return {"articles": arts, "actors": ctx.queries.search_actors(q, 10)}


@hookimpl
def register_routes(app: FastAPI) -> None:
    """Add the ``/api`` routes."""
    app.include_router(build_router())
    app.include_router(build_submit_router())

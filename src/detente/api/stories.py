"""The stories API (a built-in plugin): ``GET /api/stories``, ``GET /api/stories/{story}``, and articles
submitted through ``POST /api/articles`` placed in stories as ``detente ingest`` places them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query

from detente.api.context import AppContext, Ctx
from detente.api.errors import NotFound, documented
from detente.api.hookspecs import hookimpl
from detente.api.params import Filters
from detente.cluster.signature import ProfileSetup


def build_router() -> APIRouter:
    """The ``/api/stories`` routes."""
    r = APIRouter(prefix="/api", responses=documented())

    @r.get("/stories", tags=["stories"], summary="Stories, newest first: size, languages, outlets, dates, actors")
    def stories(ctx: Ctx, f: Filters,
                limit: Annotated[int, Query(ge=1, le=500, description="stories per answer")] = 50,
                min_articles: Annotated[int, Query(ge=1, le=10_000, description="smallest story listed")] = 1,
                ) -> dict[str, Any]:
        """The event filters (as for /api/events) keep the stories with an event that matches them; ``actor_names``
        names the listed stories' actors (KB ids) in English."""
        rows = ctx.queries.stories(f, limit=limit, min_articles=min_articles)
        return {"stories": rows, "actor_names": ctx.queries.actor_names(sorted({a for s in rows for a in s["actors"]}))}

    @r.get("/stories/{story}", tags=["stories"], responses=documented(NotFound),
           summary="One story: its articles in the order they joined, and its events with their mentions")
    def story(story: str, ctx: Ctx) -> dict[str, Any]:
        detail = ctx.store.story(story)
        if detail is None:
            raise NotFound(f"no story {story!r}; /api/stories lists them")
        return {**detail, "events": ctx.queries.story_events([m["article_id"] for m in detail["members"]])}

    return r


@hookimpl
def register_routes(app: FastAPI) -> None:
    """Add the ``/api/stories`` routes."""
    app.include_router(build_router())


@hookimpl
def article_stored(record: dict[str, Any], ctx: AppContext) -> None:
    """Place the stored article in its story (run in a worker thread)."""
    ctx.store.assign_stories(ProfileSetup.build(ctx.queries.kb), among=[record["article_id"]])

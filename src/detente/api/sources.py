"""The sources API (a built-in plugin): ``GET /api/sources``, the health of what `detente watch` polls."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, FastAPI

from detente.api.context import AppContext, Ctx
from detente.api.errors import documented
from detente.api.hookspecs import hookimpl
from detente.store.sources import all_sources


def source_rows(ctx: AppContext) -> list[dict[str, Any]]:
    """Every polled source: last poll and status, its last error, failures in a row, backoff, articles stored."""
    return [asdict(s) for s in all_sources(ctx.store.engine)]


def build_router() -> APIRouter:
    """The ``/api/sources`` route."""
    r = APIRouter(prefix="/api", responses=documented())

    @r.get("/sources", tags=["sources"], summary="The feeds and pages `detente watch` polls, and their health")
    def sources(ctx: Ctx) -> dict[str, Any]:
        """Each source's ``last_status`` (new, unchanged, failed, refused), ``last_error``, ``failures`` in a row,
        ``next_poll`` while it backs off, and the articles it has ``stored``."""
        return {"sources": source_rows(ctx)}

    return r


@hookimpl
def register_routes(app: FastAPI) -> None:
    """Add the ``/api/sources`` route."""
    app.include_router(build_router())

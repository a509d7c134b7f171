"""The dashboard's story pages: the list of stories and one story (its timeline, its articles by language
side by side, its events with every report linked to its evidence, and what the reports disagree on)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from detente.api.errors import NotFound
from detente.api.params import event_filter
from detente.query import EventFilter

if TYPE_CHECKING:
    from detente.api.context import AppContext
    from detente.web.views import Pages


Filters = Annotated[EventFilter, Depends(event_filter)]


def register_story_pages(app: FastAPI, ctx: AppContext, pages: Pages) -> None:
    """Add ``/stories`` and ``/stories/{story}``."""

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories(request: Request, f: Filters, min_articles: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
        rows = ctx.queries.stories(f, limit=200, min_articles=min_articles)
        names = ctx.queries.actor_names(sorted({a for s in rows for a in s["actors"]}))
        return pages.render(request, "stories", "stories.html", f=f, stories=rows, min_articles=min_articles,
                            actor_names=names)

    @app.get("/stories/{story}", response_class=HTMLResponse, include_in_schema=False)
    def story(request: Request, story: str) -> Response:
        detail = ctx.store.story(story)
        if detail is None:
            raise NotFound(f"no story {story!r}")
        members: list[dict[str, Any]] = [dict(m) for m in detail["members"]]
        by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
        days: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in members:
            by_lang[str(m["lang"] or "-")].append(m)
            days[str(m["published"] or "undated")].append(m)
        names = {m["article_id"]: m for m in members}
        return pages.render(request, "story", "story.html", story=detail, by_lang=dict(sorted(by_lang.items())),
                            days=dict(sorted(days.items())), names=names,
                            events=ctx.queries.story_events([m["article_id"] for m in members]))

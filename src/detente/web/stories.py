"""The dashboard's story pages: the list of stories and one story (its timeline, its articles by language
side by side, its events with every report linked to its evidence, and what the reports disagree on)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from detente.api.errors import NotFound
from detente.api.params import Filters
from detente.query.stats import fill_periods

if TYPE_CHECKING:
    from detente.api.context import AppContext
    from detente.web.views import Pages




def articles_per_day(members: list[dict[str, Any]], lang_names: Mapping[str, str]) -> dict[str, Any]:
    """A story's dated articles per day by language, every day from the first to the last (the timeline chart)."""
    dated = [m for m in members if m["published"]]
    periods = fill_periods(sorted({str(m["published"]) for m in dated}), "day")
    series = []
    for lang in sorted({str(m["lang"] or "-") for m in dated}):
        per_day = Counter(str(m["published"]) for m in dated if str(m["lang"] or "-") == lang)
        series.append({"label": lang_names.get(lang, lang), "counts": [per_day.get(p, 0) for p in periods]})
    return {"interval": "day", "periods": periods, "series": series, "total": len(dated)}


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
        chart = articles_per_day(members, cast(Mapping[str, str], pages.env.globals["LANGS"]))
        return pages.render(request, "story", "story.html", story=detail, by_lang=dict(sorted(by_lang.items())),
                            days=dict(sorted(days.items())), names=names, chart=chart,
                            events=ctx.queries.story_events([m["article_id"] for m in members]))

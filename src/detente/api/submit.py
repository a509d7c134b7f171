"""``POST /api/articles``: an article submitted, processed in the pipeline thread and stored.

The token was checked and the body's size capped before the body was read (:mod:`detente.api.guards`);
here the text must be non-blank, within ``Settings.max_chars`` and hold letters of a supported script.
The publication date may come as ``published`` or ``date``; another key that looks like a date is
answered with a warning naming it, so no date is dropped without a word.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, field_validator

from detente.api.context import AppContext, Ctx, request_context
from detente.api.errors import (
    Busy,
    InvalidParameter,
    ProcessingFailed,
    TooLarge,
    Unauthorized,
    WritesDisabled,
    documented,
)
from detente.api.guards import write_refusal
from detente.doc import Article
from detente.ingest.common import DATE_KEYS, date_like_keys, parse_date
from detente.lang import default_languages
from detente.nlp.langid import has_supported_letters, no_letters_reason
from detente.output import article_to_record
from detente.records import is_failure
from detente.store.write import keep_article_metadata


class ArticleIn(BaseModel):
    """An article submitted for processing."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(min_length=1, description="the article text (at most DETENTE_MAX_CHARS characters)")
    published: dt.date | None = Field(None, description="publication date (ISO date or date-time); or 'date'")
    date: dt.date | None = Field(None, description="the same as 'published'; relative dates resolve against it")
    url: str | None = Field(None, max_length=2000, description="where the article was published")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200, description="outlet name (sets the outlet country)")
    lang: str | None = Field(None, pattern="^[a-z]{2,3}$", description="language code; detected when left out")
    replace: bool = Field(False, description="process again an article that is stored already")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty or only whitespace")
        return value

    @field_validator("lang")
    @classmethod
    def _registered(cls, value: str | None) -> str | None:
        if value is not None and value not in default_languages():
            raise ValueError(f"{value!r} is not one of {', '.join(default_languages().codes)}")
        return value

    @field_validator("published", "date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> dt.date | None:
        if value is None or value == "":
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD) or date-time") from None

    def publication_date(self) -> dt.date | None:
        """``published``, else ``date``; both given and different is an error naming ``date``."""
        if self.published and self.date and self.published != self.date:
            raise InvalidParameter("date: 'published' and 'date' differ; send one of them", field="date")
        return self.published or self.date

    def warnings(self) -> list[str]:
        """One line for each unknown key that looks like a date and was not read."""
        known = set(type(self).model_fields) | set(DATE_KEYS)
        return [f"key {key!r} looks like a publication date but is not read; name it 'published' or 'date'"
                for key in date_like_keys(self.model_extra or {}, known)]


def require_write(request: Request) -> None:
    """Writes need ``DETENTE_TOKEN`` set on the server and the same token on the request.

    The guard in front of the app has checked it before the body was read; this keeps a route that is
    mounted without the guard closed too.
    """
    refusal = write_refusal(request_context(request).settings, request)
    if refusal is not None:
        raise refusal


def _article(body: ArticleIn, ctx: AppContext) -> Article:
    """The article of a submission, refused when too long or in no supported script."""
    limit = ctx.settings.max_chars
    if len(body.text) > limit:
        raise TooLarge(f"text: the article is {len(body.text):,} characters, over the {limit:,}-character limit",
                       field="text")
    if not has_supported_letters(body.text):
        raise InvalidParameter(f"text: {no_letters_reason()}", field="text")
    if ctx.waiting >= ctx.settings.max_queue:
        raise Busy(f"{ctx.waiting} articles are waiting to be processed; try again in a few seconds")
    return Article(text=body.text, name=body.url or body.title or "submitted", published=body.publication_date(),
                   url=body.url, title=body.title, outlet=body.outlet, lang=body.lang)


def build_submit_router() -> APIRouter:
    """The write route of the API."""
    r = APIRouter(prefix="/api")

    @r.post("/articles", tags=["articles"], status_code=201, summary="Submit an article: processed and stored",
            dependencies=[Depends(require_write)],
            responses=documented(Unauthorized, WritesDisabled, TooLarge, ProcessingFailed, Busy))
    async def submit(body: ArticleIn, ctx: Ctx) -> dict[str, Any]:
        article = _article(body, ctx)
        if body.replace:  # keep the stored date, url, title and outlet this submission does not give
            stored = await run_in_threadpool(ctx.store.stored_metadata, [article.article_id])
            article = keep_article_metadata([article], stored)[0]
        rec = await ctx.process_async(article_to_record(article))
        if is_failure(rec):
            raise ProcessingFailed(rec["error"], field="text")
        saved = await run_in_threadpool(ctx.store.save, rec, replace=body.replace)
        if saved:
            await run_in_threadpool(ctx.pm.hook.article_stored, record=rec, ctx=ctx)
        return {"article_id": rec["article_id"], "stored": saved, "events": rec["events"],
                "url": f"/articles/{rec['article_id']}", "warnings": body.warnings()}

    return r

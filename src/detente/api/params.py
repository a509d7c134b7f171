"""Query parameters shared by the API and the dashboard, declared once so OpenAPI documents them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Query

from detente.lang import language_codes
from detente.query import SORTS, EventFilter

Modality = Literal["asserted", "negated", "future", "hypothetical"]
_LANG_HELP = f"language of the article: {', '.join(language_codes())}"
#: free text: any character but a control character (the filters refuse NUL and its kin with a 422)
TEXT = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
LANG = f"^({'|'.join(language_codes())})$"


def event_filter(
    actor: Annotated[
        str | None, Query(pattern=TEXT, description="KB id (`person:tokayev`, `Q159`) or a name in any language")
    ] = None,
    country: Annotated[
        str | None, Query(pattern="^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code of the source or target")
    ] = None,
    cameo: Annotated[
        str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code or root (`04` for all consultations)")
    ] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="1 verbal coop. … 4 material conflict")] = None,
    plover: Annotated[str | None, Query(pattern="^[A-Za-z_]+$", description="PLOVER event type (`CONSULT`)")] = None,
    modality: Annotated[Modality | None, Query(description="what the text says of the event")] = None,
    lang: Annotated[str | None, Query(pattern=LANG, description=_LANG_HELP)] = None,
    date_from: Annotated[dt.date | None, Query(description="first day (ISO date)")] = None,
    date_to: Annotated[dt.date | None, Query(description="last day, ISO date")] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=TEXT, description="full-text query over article lemmas")
                 ] = None,
    article: Annotated[
        str | None, Query(pattern="^[0-9a-fA-F]{1,40}$", description="article id or the start of one")
    ] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="leave out events below this confidence (0-1; none by default)")
    ] = None,
    mentions: Annotated[
        bool | None, Query(description="true: every report of an event; by default each event once, with its"
                                       " num_mentions (the reports of one story merged)")
    ] = None,
) -> EventFilter:
    """Read the shared event filters from the query string (checked by :class:`EventFilter`: 422 on a bad one)."""
    return EventFilter.make(
        actor=actor, country=country, cameo=cameo, quad_class=quad_class, plover=plover, modality=modality,
        lang=lang, date_from=date_from, date_to=date_to, q=q, article=article, min_confidence=min_confidence,
        mentions=mentions,
    )


#: the shared event filters as a route parameter
Filters = Annotated[EventFilter, Depends(event_filter)]

Sort = Annotated[str | None, Query(pattern=f"^-?({'|'.join(SORTS)})$",
                                   description="date, goldstein, cameo, quad_class, source, target, lang, modality;"
                                               " prefix - for descending (default -date)")]
Cursor = Annotated[str | None, Query(description="the `next` value of the previous page")]
Limit = Annotated[int, Query(ge=1, le=1000, description="events per page")]
Interval = Annotated[Literal["day", "week"], Query(description="bucket size")]

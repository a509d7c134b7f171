"""Output renderers for lists of events: JSON (the default), CSV, NDJSON and the export formats (Parquet,
GDELT 2.0 Events and Mentions, POLECAT; :data:`detente.export.FORMATS`), picked by ``?format=`` or the
``Accept`` header. Plugins add more through the ``register_output_renderers`` hook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.responses import JSONResponse, Response

from detente.api.hookspecs import hookimpl
from detente.export import FORMATS
from detente.export import render as export_render
from detente.records import EventPage


@dataclass(frozen=True, slots=True)
class Renderer:
    """One output format: its ``?format=`` name, media type and the function that writes a page."""

    name: str
    media_type: str
    render: Callable[[EventPage], Response]


def _json(page: EventPage) -> Response:
    return JSONResponse(page)


def _next_link(page: EventPage) -> dict[str, str]:
    """A ``Link: rel="next"`` header for formats with no room for the cursor in the body."""
    return {"Link": f'<{page["next_url"]}>; rel="next"'} if page.get("next_url") else {}


def _exporter(name: str, media_type: str | None = None) -> Callable[[EventPage], Response]:
    """A page written by the export format ``name`` (:data:`detente.export.FORMATS`), as ``media_type`` when
    given, else as the format's (text with its charset)."""
    kind = FORMATS[name]
    media = media_type or kind.media_type + ("" if kind.binary else "; charset=utf-8")

    def render(page: EventPage) -> Response:
        return Response(export_render(kind, page["events"]), media_type=media, headers=_next_link(page))

    return render


_ndjson = _exporter("jsonl", "application/x-ndjson")


@hookimpl
def register_output_renderers() -> list[Renderer]:
    """The built-in formats."""
    return [
        Renderer("json", "application/json", _json),
        Renderer("csv", "text/csv", _exporter("csv")),
        Renderer("ndjson", "application/x-ndjson", _ndjson),
        Renderer("jsonl", "application/jsonl", _ndjson),
        *(Renderer(name, FORMATS[name].media_type, _exporter(name)) for name in ("parquet", "gdelt", "gdelt-mentions",
                                                                                  "polecat")),
    ]


def choose(renderers: dict[str, Renderer], fmt: str | None, accept: str | None) -> Renderer | None:
    """The renderer for ``?format=`` or else the first media type of ``Accept`` we can write; None if none."""
    if fmt:
        return renderers.get(fmt)
    if not accept:
        return renderers["json"]
    by_type = {r.media_type: r for r in renderers.values()}
    by_type["application/jsonl"] = by_type.get("application/x-ndjson", renderers["json"])
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in by_type:
            return by_type[media]
        if media in ("*/*", "application/*", "text/*", ""):
            return renderers["json"] if media != "text/*" else renderers.get("csv")
    return None

"""The web app: the JSON API and the dashboard from one FastAPI application.

``create_app`` builds the plugin manager, registers the built-in plugins (the API routes, the output
renderers and the dashboard pages use the same hooks a third-party plugin would), loads plugins from
the ``detente`` entry-point group, and installs the error handlers and the guards (token checks before
any body is read, body size cap, security headers: :mod:`detente.api.guards`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pluggy
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from detente import __version__
from detente.api import hookspecs
from detente.api.context import AppContext, Settings
from detente.api.errors import ApiError, InvalidParameter, NotFound
from detente.api.guards import SecurityHeaders, WriteGuard, private_reads
from detente.api.queries import QueryError
from detente.store.db import Store

BUILTIN_PLUGINS = ("detente.api.renderers", "detente.api.routes", "detente.api.stories", "detente.api.sources",
                   "detente.web.views")

ErrorPage = Callable[[Request, ApiError], Response]


class DropEmptyParams:
    """Drop empty query parameters (``?date_from=`` from an HTML form means "no filter")."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite the query string, then pass the request on."""
        if scope["type"] == "http" and scope.get("query_string"):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if v.strip() != ""]
            if len(kept) != len(pairs):
                scope = {**scope, "query_string": urlencode(kept).encode("latin-1")}
        await self.app(scope, receive, send)


def plugin_manager(plugins: Iterable[Any] = ()) -> pluggy.PluginManager:
    """A plugin manager with the hook specs, the built-in plugins, installed ones and ``plugins``."""
    import importlib

    pm = pluggy.PluginManager("detente")
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints("detente")
    for plugin in plugins:
        pm.register(plugin)
    return pm


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "text/html")


def _error_response(request: Request, exc: ApiError) -> Response:
    page: ErrorPage | None = getattr(request.app.state, "error_page", None)
    if page is not None and _wants_html(request):
        return page(request, exc)
    return JSONResponse(exc.body(), status_code=exc.status)


def validation_error(exc: RequestValidationError) -> InvalidParameter:
    """The 422 of a request pydantic refused, naming the field (``body`` for a body that is not JSON)."""
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ())]
    if first.get("type") == "json_invalid":
        reason = (first.get("ctx") or {}).get("error") or "JSON decode error"
        where = f" at character {loc[1]}" if len(loc) > 1 else ""
        return InvalidParameter(f"body: malformed JSON ({reason}{where})", field="body")
    name = ".".join(p for p in loc if p not in ("query", "body", "path"))
    if not name:
        name = "body" if loc[:1] == ["body"] else "request"
    return InvalidParameter(f"{name}: {first.get('msg', 'invalid value')}", field=name)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _error_response(request, exc)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        return _error_response(request, InvalidParameter(exc.message, field=exc.field))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error_response(request, NotFound(f"no page at {request.url.path}"))
        err = ApiError(str(exc.detail))
        err.status, err.code = exc.status_code, "http_error"
        return _error_response(request, err)


def create_app(settings: Settings | None = None, plugins: Iterable[Any] = ()) -> FastAPI:
    """Build the app over the store named by ``settings.db`` (which must exist)."""
    settings = settings or Settings()
    store = Store(settings.db, create=False)  # brings a store written by an older version up to date
    store.analyze(if_missing=True)
    pm = plugin_manager(plugins)
    app = FastAPI(
        title="detente",
        version=__version__,
        description="Events coded from political news in ru, uk, kk and en: CAMEO, Goldstein, QuadClass, PLOVER.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the stock docs page loads its scripts from a CDN; the OpenAPI document is enough
        redoc_url=None,
    )
    ctx = AppContext(settings=settings, store=store, pm=pm)
    for batch in pm.hook.register_output_renderers():
        for renderer in batch:
            ctx.renderers[renderer.name] = renderer
    app.state.ctx = ctx
    _install_error_handlers(app)

    @app.middleware("http")
    async def reads(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        return await private_reads(request, call_next, settings, _error_response)

    pm.hook.register_routes(app=app, ctx=ctx)
    app.add_middleware(WriteGuard, settings=settings)  # outside the routes: no body is read before it
    app.add_middleware(DropEmptyParams)
    app.add_middleware(SecurityHeaders)  # outermost: every answer, errors included, carries the headers
    return app

"""What every request passes before a route sees it: the token check of writes (before the body is
read, with a cap on its size), the private-reads check, and the security headers of every answer.

Tokens are compared in constant time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detente.api.context import Settings
from detente.api.errors import ApiError, TooLarge, Unauthorized, WritesDisabled

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Scripts only from this server's files: no inline script, no ``on*`` handler, no ``javascript:`` URL.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def bearer(request: Request) -> str | None:
    """The token a request carries: ``Authorization: Bearer``, ``X-Detente-Token`` or the ``detente_token`` cookie."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-detente-token") or request.cookies.get("detente_token")


def token_matches(given: str | None, token: str | None) -> bool:
    """True when ``given`` is the server's ``token`` (compared in constant time; no token never matches)."""
    if not token or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def write_refusal(settings: Settings, request: Request) -> ApiError | None:
    """Why a write request is refused (no token configured, or a wrong one), or ``None``."""
    if not settings.token:
        return WritesDisabled("this server takes no writes: start it with DETENTE_TOKEN set to enable them")
    if not token_matches(bearer(request), settings.token):
        return Unauthorized("send the server's token as 'Authorization: Bearer <token>'")
    return None


class WriteGuard:
    """Checks the token of every write (POST, PUT, PATCH, DELETE) from its headers, before a byte of the
    body is read, then reads the body up to ``settings.body_limit`` bytes and refuses a larger one (413)
    without reading the rest."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse, or pass the request on with its (bounded) body."""
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        refusal = write_refusal(self.settings, Request(scope))
        limit = self.settings.body_limit
        declared = Request(scope).headers.get("content-length", "")
        if refusal is None and declared.isdigit() and int(declared) > limit:
            refusal = _too_large(limit)
        if refusal is not None:
            await _answer(refusal, scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await _answer(_too_large(limit), scope, receive, send)
                return
            if not message.get("more_body"):
                break
        await self.app(scope, _replay(bytes(body), receive), send)


def _too_large(limit: int) -> ApiError:
    return TooLarge(f"the request body is over the {limit:,}-byte limit; send a shorter article", field="body")


async def _answer(error: ApiError, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(error.body(), status_code=error.status, headers={"connection": "close"})
    await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body read already, then the client's later messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeaders:
    """Adds the Content-Security-Policy and the other security headers to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


Next = Callable[[Request], Awaitable[Response]]
ErrorResponse = Callable[[Request, ApiError], Response]


async def private_reads(request: Request, call_next: Next, settings: Settings, error: ErrorResponse) -> Response:
    """``?token=`` logs a browser in (a cookie, then a redirect without it); a private server needs the token."""
    token = settings.token
    if token and token_matches(request.query_params.get("token"), token):
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + ("?" + urlencode(rest) if rest else "")
        resp = RedirectResponse(target, status_code=303)
        resp.set_cookie("detente_token", token, httponly=True, samesite="strict")
        return resp
    open_paths = request.url.path.startswith("/static/") or request.url.path == "/api/health"
    if settings.private and token and not open_paths and not token_matches(bearer(request), token):
        return error(request, Unauthorized("this server is private: open it with ?token=<token>"))
    return await call_next(request)

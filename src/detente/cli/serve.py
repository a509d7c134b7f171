"""``detente serve``: the dashboard and the HTTP API over the store."""

from __future__ import annotations

import click

from detente.cli.common import db_location, db_option, err


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for all).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--private", is_flag=True, envvar="DETENTE_PRIVATE",
              help="Close reads too: every request needs the token (DETENTE_TOKEN). Also from DETENTE_PRIVATE.")
@click.option("--test-mode", is_flag=True, hidden=True, envvar="DETENTE_TEST_MODE", help="Charts without animations.")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, private: bool, test_mode: bool) -> None:
    """Serve the dashboard and the HTTP API over the store (http://127.0.0.1:8000 by default).

    \b
    Pages:  /  overview · /events · /articles/<id> · /actors/<id> · /network · /search
    API:    /api/events, /api/articles, /api/actors, /api/stats/timeline, /api/stats/network;
            the OpenAPI document is /api/openapi.json.
    Reads are open; POST /api/articles needs DETENTE_TOKEN set here and sent as
    'Authorization: Bearer <token>'. With --private every request needs it (a browser can
    open http://host:port/?token=<token> once).
    """
    import os
    import socket

    import uvicorn

    from detente.api.app import create_app
    from detente.api.context import Settings
    from detente.store.db import StoreError, shown_url

    db = db_location(ctx)
    token = os.environ.get("DETENTE_TOKEN") or None
    if private and not token:
        raise click.UsageError("--private needs DETENTE_TOKEN set to the token clients must send")
    try:
        app = create_app(Settings(db=db, token=token, private=private, test_mode=test_mode))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    # IPPROTO_TCP: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}; try another --port") from exc
    bound = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    counts = app.state.ctx.store.counts()
    err.print(f"detente: {counts['articles']} articles, {counts['events']} events from {shown_url(db)}")
    err.print(f"dashboard: [bold]http://{shown}:{bound}/[/bold]   API: http://{shown}:{bound}/api/openapi.json   "
              "(Ctrl-C stops)")
    if token:
        err.print("writes: enabled with DETENTE_TOKEN" + (" · reads need the token too" if private else ""))
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        from detente.api.context import stop_pipeline_process

        stop_pipeline_process()

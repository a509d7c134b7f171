"""The plugin hooks of the web app (pluggy). Built-in features use the same hooks as plugins do.

A plugin is a module or object with ``@hookimpl`` functions, found through the ``detente`` entry-point
group (``[project.entry-points.detente]`` in its ``pyproject.toml``) or passed to ``create_app``.
Under pluggy an implementation takes only the hook arguments it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

    from detente.api.context import AppContext
    from detente.api.renderers import Renderer

hookspec = pluggy.HookspecMarker("detente")
hookimpl = pluggy.HookimplMarker("detente")


@hookspec
def register_routes(app: FastAPI, ctx: AppContext) -> None:
    """Add routes (API endpoints or pages) to the app."""


@hookspec
def register_output_renderers() -> list[Renderer]:
    """Return renderers for lists of events, chosen by ``?format=`` or the ``Accept`` header."""
    raise NotImplementedError


@hookspec
def extra_template_vars(request: Request, view: str, ctx: AppContext) -> dict[str, Any] | None:
    """Return extra variables for the template of a dashboard page (``view`` is its name)."""


@hookspec
def article_stored(record: dict[str, Any], ctx: AppContext) -> None:
    """Called (in a worker thread) after an article submitted through ``POST /api/articles`` was processed and stored.

    The built-in stories plugin places the article in its story here.
    """

"""Readable tables of events for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def actor_label(a: dict[str, Any] | None) -> str:
    """An actor as "name (code)", or a dash."""
    if not a:
        return "—"
    name = a.get("name") or a.get("text") or "?"
    return f"{name} ({a.get('code') or a.get('country') or '?'})"


def events_table(rows: list[dict[str, Any]], console: Console) -> None:
    """Print events as a table with a count under it."""
    table = Table(show_lines=False, header_style="bold")
    for col in ("date", "source", "cameo", "event", "target", "modality", "conf", "article"):
        table.add_column(col, overflow="fold")
    for ev in rows:
        label = ev.get("cameo_label") or ""
        table.add_row(
            ev.get("date") or "—",
            actor_label(ev.get("source")),
            ev["cameo"],
            f"{label[:38]}\n[dim]{ev['trigger']['text']}[/dim]",
            actor_label(ev.get("target")),
            ev["modality"],
            f"{ev['confidence']:.2f}",
            (ev.get("article") or "")[:24],
        )
    console.print(table)
    console.print(f"{len(rows)} events")

"""Readable tables of events for the terminal: labels wrap at word boundaries and are never cut."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.records import ActorRecord, EventRecord


def actor_label(a: ActorRecord | None) -> str:
    """An actor as "name (code)", or a dash."""
    if not a:
        return "—"
    name = a.get("name") or a.get("text") or "?"
    return f"{name} ({a.get('code') or a.get('country') or '?'})"


def _reports(ev: EventRecord) -> str:
    """The story and report count of a stored event, under its article ("" for an event not in a story)."""
    story, n = ev.get("story"), ev.get("num_mentions")
    if not story:
        return ""
    return f"\n[dim]{story}" + (f", {n} reports[/dim]" if isinstance(n, int) and n > 1 else "[/dim]")


def events_table(rows: Sequence[EventRecord], console: Console) -> None:
    """Print events as a table with a count under it (long labels wrap; a word longer than its column folds)."""
    table = Table(show_lines=False, header_style="bold")
    for col in ("date", "source", "cameo", "event", "target", "modality", "conf", "article"):
        table.add_column(col, overflow="fold")
    for ev in rows:
        label = ev.get("cameo_label") or ""
        table.add_row(
            ev.get("date") or "—",
            escape(actor_label(ev.get("source"))),
            ev["cameo"],
            f"{escape(label)}\n[dim]{escape(ev['trigger']['text'])}[/dim]",
            escape(actor_label(ev.get("target"))),
            ev["modality"],
            f"{ev['confidence']:.2f}",
            escape(ev.get("article") or "") + _reports(ev),
        )
    console.print(table)
    console.print(f"{len(rows)} events")

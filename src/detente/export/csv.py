"""CSV export of events, one flat row per event (snake_case columns, CAMEO codes as strings)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from detente.records import EventRecord

COLUMNS = ["event_id", "article_id", "article", "lang", "published", "date", "date_precision", "cameo", "cameo_root",
           "quad_class", "goldstein", "plover", "modality", "source_name", "source_country", "source_code",
           "source_kb_id", "source_text", "target_name", "target_country", "target_code", "target_kb_id",
           "target_text", "location_name", "location_country", "trigger", "sentence", "rule", "confidence",
           "story", "num_mentions", "num_sources", "num_articles"]


def flatten(ev: EventRecord) -> dict[str, Any]:
    """Return one event as a flat row (a stored event also gives its story and counts of reports)."""
    row: dict[str, Any] = {k: v for k, v in ev.items() if k in COLUMNS}
    for side, actor in (("source", ev.get("source")), ("target", ev.get("target"))):
        for key in ("name", "country", "code", "kb_id", "text"):
            row[f"{side}_{key}"] = actor.get(key) if actor else None
    loc = ev.get("location")
    row["location_name"], row["location_country"] = (loc.get("name"), loc.get("country")) if loc else (None, None)
    trigger, sentence = ev.get("trigger"), ev.get("sentence")
    row["trigger"] = trigger["text"] if trigger else None
    row["sentence"] = sentence["text"] if sentence else None
    return row


def write_events_csv(events: Iterable[EventRecord], fh: TextIO) -> int:
    """Write events as CSV with a header; return the number of rows."""
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for ev in events:
        writer.writerow(flatten(ev))
        n += 1
    return n

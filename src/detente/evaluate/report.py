"""`detente eval --html`: the evaluation tables as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from detente import __version__
from detente.evaluate.runner import Result


def render_html(results: Sequence[Result]) -> str:
    """Return a page with one table per task (NER, events) and per-type / date / modality details."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>detente evaluation</title>",
        "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
        "text-align:right}td:nth-child(-n+2),th{text-align:left}caption{text-align:left;font-weight:600}"
        "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}td,th{border-color:#555}}</style>",
        "</head><body>",
        f"<h1>detente {html.escape(__version__)} — evaluation</h1>",
        f"<p>{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}. NER: proper-name mentions, exact span, "
        "micro P/R/F1 over PER/ORG/LOC. Events: matched as <code>score_events.py</code> does; date and "
        "modality accuracy over matched required events.</p>",
    ]
    for task in ("ner", "events"):
        rows = [r for r in results if r.task == task]
        if not rows:
            continue
        keys = sorted({k for r in rows for k in r.detail})
        head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
        parts.append(f"<table><caption>{task.upper()}</caption><tr><th>set</th><th>lang</th><th>docs</th>"
                     f"<th>P</th><th>R</th><th>F1</th>{head}<th>docs/s</th></tr>")
        for r in rows:
            if r.skipped:
                parts.append(f"<tr><td>{html.escape(r.dataset)}</td><td>{r.lang}</td>"
                             f"<td colspan='{5 + len(keys)}'>skipped: {html.escape(r.skipped)}</td></tr>")
                continue
            cells = "".join(f"<td>{r.detail.get(k, float('nan')):.3f}</td>" for k in keys)
            parts.append(f"<tr><td>{html.escape(r.dataset)}</td><td>{r.lang}</td><td>{r.docs}</td>"
                         f"<td>{r.precision:.3f}</td><td>{r.recall:.3f}</td><td>{r.f1:.3f}</td>{cells}"
                         f"<td>{r.docs_per_second:.1f}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)

"""`detente eval --html`: the evaluation tables as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from detente import __version__
from detente.evaluate.ner import MISSED, SPURIOUS, TYPES
from detente.evaluate.runner import Result

TASK_TITLES = {"ner": "NER", "link": "Linking", "events": "Events"}


def _cell(value: float | None) -> str:
    if value is None:
        return "<td>—</td>"
    if value.is_integer() and abs(value) > 1:
        return f"<td>{value:.0f}</td>"
    return f"<td>{value:.3f}</td>"


def render_confusion(r: Result) -> str:
    """One NER set's confusion table: gold type (rows, plus SPURIOUS) × predicted type (columns, plus MISSED)."""
    table = r.confusion or {}
    rows = [*TYPES, *sorted(k for k in table if k not in TYPES and k != SPURIOUS), SPURIOUS]
    cols = [*TYPES, *sorted({c for v in table.values() for c in v} - {*TYPES, MISSED}), MISSED]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    parts = [f"<table class='confusion'><caption>{html.escape(r.dataset)} ({r.lang}): gold type × predicted "
             f"type, same span</caption><tr><th>gold ↓ predicted →</th>{head}</tr>"]
    for g in rows:
        cells = "".join(
            "<td>·</td>" if g == SPURIOUS and c == MISSED else f"<td>{table.get(g, {}).get(c, 0)}</td>" for c in cols)
        parts.append(f"<tr><th>{html.escape(g)}</th>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)


def _table(title: str, keys: list[str], rows: Sequence[Result]) -> str:
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    parts = [f"<table><caption>{html.escape(title)}</caption><tr><th>set</th><th>lang</th><th>docs</th>"
             f"<th>P</th><th>R</th><th>F1</th>{head}<th>docs/s</th></tr>"]
    for r in rows:
        if r.skipped:
            parts.append(f"<tr><td>{html.escape(r.dataset)}</td><td>{r.lang}</td>"
                         f"<td colspan='{5 + len(keys)}'>skipped: {html.escape(r.skipped)}</td></tr>")
            continue
        cells = "".join(_cell(r.detail.get(k)) for k in keys)
        parts.append(f"<tr><td>{html.escape(r.dataset)}</td><td>{r.lang}</td><td>{r.docs}</td>"
                     f"<td>{r.precision:.3f}</td><td>{r.recall:.3f}</td><td>{r.f1:.3f}</td>{cells}"
                     f"<td>{r.docs_per_second:.1f}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def render_html(results: Sequence[Result]) -> str:
    """Return a page with one table per task (NER, linking, events), their details, and NER confusion tables."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>detente evaluation</title>",
        "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
        "text-align:right}td:nth-child(-n+2),th{text-align:left}caption{text-align:left;font-weight:600}"
        "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}td,th{border-color:#555}}</style>",
        "</head><body>",
        f"<h1>detente {html.escape(__version__)} — evaluation</h1>",
        f"<p>{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}. NER: proper-name mentions, exact span, "
        "micro P/R/F1 over PER/ORG/LOC (per-type F1 in the detail columns). Linking: BSNLP cross-lingual pairwise "
        "P/R/F1 over found ru×uk mention pairs, with the share of gold forms found, base-form accuracy "
        "(<code>lemma</code>: the phrase put in the nominative; <code>tok-lemma</code>: the entity's token "
        "lemmas) and doc-level NER; NEREL: KB links mapped to Wikidata (R = accuracy over covered mentions). "
        "Events: matched as <code>score_events.py</code> does; date and modality accuracy over matched "
        "required events.</p>",
    ]
    for task in ("ner", "link", "events"):
        rows = [r for r in results if r.task == task]
        if not rows:
            continue
        # rows with different detail columns (BSNLP and NEREL links) get tables of their own
        groups: dict[tuple[str, ...], list[Result]] = {}
        for r in rows:
            if not r.skipped:
                groups.setdefault(tuple(r.detail), []).append(r)
        skipped = [r for r in rows if r.skipped]
        if skipped:
            groups.setdefault(next(iter(groups), ()), []).extend(skipped)
        for keys, group in groups.items():
            parts.append(_table(TASK_TITLES[task], list(keys), group))
        if task == "ner":
            parts.extend(render_confusion(r) for r in rows if r.confusion and not r.skipped)
    parts.append("</body></html>")
    return "\n".join(parts)

"""``detente eval``: scores on public gold data and the team's event sets, and the quality gate."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from detente.cli.common import err, out

DEFAULT_EVAL_SETS = ("seeds,dev,held-out,news-dev,news-held-out,stories-dev,stories-held-out,"
                     "nerel,ner-uk,kaznerd,factrueval,bsnlp,nerel-link")


def _repo() -> Path:
    """The checkout whose samples/ hold the team's event sets: the current folder, else the source tree."""
    return Path.cwd() if (Path.cwd() / "samples").is_dir() else Path(__file__).resolve().parents[3]


def _gate(data: Path, repo: Path, pin_reason: str | None) -> None:
    """Measure the fast subset and compare it with the pinned floors (or pin them); exit 1 on a drop."""
    from detente.evaluate import gate as quality

    floors_path = repo / "quality" / "floors.json"
    scores = quality.measure(data, repo)
    current = quality.digest(quality.input_files(data, repo))
    if pin_reason:
        quality.pin(floors_path, scores, current, pin_reason)
        err.print(f"pinned {len(scores)} floors in {floors_path}")
        return
    problems = quality.check(scores, quality.load_floors(floors_path), current)
    for key, value in sorted(scores.items()):
        out.print(f"{key:45} {value:.4f}")
    for p in problems:
        err.print(f"[red]gate[/red] {p}")
    if problems:
        raise SystemExit(1)
    err.print("quality gate passed")


def _bands_table(results: list[Any]) -> Table:
    """Per event set: how many events fall in each confidence band and how often they are right."""
    table = Table(title="events by confidence: share right (matched to a gold event)", header_style="bold")
    table.add_column("set")
    for band in results[0].bands:
        table.add_column(f"{band.low:.1f}-{band.high:.1f}", justify="right")
    for r in results:
        table.add_row(r.dataset, *(f"{b.share:.2f} of {b.events}" if b.events else "—" for b in r.bands))
    return table


def _results_table(results: list[Any]) -> Table:
    """The results as one table, a row per set and language."""
    table = Table(header_style="bold")
    for col in ("task", "set", "lang", "docs", "P", "R", "F1", "details", "docs/s"):
        table.add_column(col, overflow="fold")
    for r in results:
        if r.skipped:
            table.add_row(r.task, r.dataset, r.lang, "—", "", "", "", f"skipped: {r.skipped}", "")
            continue
        details = ", ".join(f"{k} {v:.0f}" if v.is_integer() and abs(v) > 1 else f"{k} {v:.3f}"
                            for k, v in r.detail.items())
        table.add_row(r.task, r.dataset, r.lang, str(r.docs), f"{r.precision:.3f}", f"{r.recall:.3f}",
                      f"{r.f1:.3f}", details, f"{r.docs_per_second:.1f}")
    return table


@click.command("eval")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the public gold data (default: ../shared/eval, or DETENTE_EVAL_DATA).")
@click.option("--sets", default=DEFAULT_EVAL_SETS, show_default=True,
              help="Comma-separated sets: seeds, dev, held-out, news-train, news-dev, news-held-out (events); "
                   "nerel, nerel-dev, ner-uk, ner-uk-nested, "
                   "kaznerd, kaznerd-dev, factrueval (NER); bsnlp, bsnlp-dev, nerel-link (linking).")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="At most this many documents per NER or NEREL set, and per BSNLP topic and language.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the tables as one HTML page.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results as JSON.")
@click.option("--gate", is_flag=True, help="Run the fast quality gate against quality/floors.json (exit 1 on a drop).")
@click.option("--pin", "pin_reason", default=None, metavar="REASON",
              help="With --gate: measure and write the floors, recording REASON (for lowering on purpose).")
def evaluate(data_dir: Path | None, sets: str, limit: int | None, html_path: Path | None,
             json_path: Path | None, gate: bool, pin_reason: str | None) -> None:
    """Score detente on public gold data and the team's event sets, and print a table.

    NER: proper-name mentions, exact span, micro P/R/F1 over PER/ORG/LOC. Linking: BSNLP cross-lingual
    pairwise P/R/F1 (with the share of gold forms found, base-form accuracy and doc-level NER), and
    NEREL Wikidata links through kb/data/wikidata.tsv (P/R over covered mentions, R = accuracy).
    Events: the seed gold, the team's dev set and its held-out set, and the news-style articles of
    samples/news (news-train, news-dev, news-held-out, per language), scored like
    ../shared/eval/score_events.py. Sets that are not on disk are reported as skipped. Test splits are
    for reporting: never tune on them.
    """
    from dataclasses import asdict

    from detente.evaluate.report import render_html
    from detente.evaluate.runner import run_all

    repo = _repo()
    data = data_dir or Path(os.environ.get("DETENTE_EVAL_DATA") or repo.parent / "shared" / "eval")
    if gate:
        _gate(data, repo, pin_reason)
        return
    try:
        results = run_all(data, repo, [s.strip() for s in sets.split(",") if s.strip()], limit,
                          progress=lambda name: err.print(f"evaluating {name} …"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--sets") from exc
    out.print(_results_table(results))
    calibrated = [r for r in results if r.bands]
    if calibrated:
        out.print(_bands_table(calibrated))
    if html_path is not None:
        html_path.write_text(render_html(results), encoding="utf-8")
        err.print(f"wrote {html_path}")
    if json_path is not None:
        json_path.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")

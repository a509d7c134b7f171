"""``detente watch``: poll feeds and pages, code what is new and store it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from detente.cli.common import db_option, err, open_store

if TYPE_CHECKING:
    from detente.watch.poll import Poller, PollResult


def _sources(urls: tuple[str, ...], sources_file: str | None) -> list[str]:
    """The URLs on the command line and in the sources file (one per line; # starts a comment), each once."""
    found = list(urls)
    if sources_file:
        try:
            lines = Path(sources_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{sources_file}: cannot read the sources file ({exc})") from exc
        found += [line.split("#", 1)[0].strip() for line in lines]
    return list(dict.fromkeys(u for u in found if u))


def poll_all(poller: Poller, urls: list[str]) -> list[PollResult]:
    """Poll each URL once and print how it went (its first errors below it)."""
    results = []
    for url in urls:
        res = poller.poll(url)
        colour = {"new": "green", "unchanged": "dim", "waiting": "yellow"}.get(res.status, "red")
        err.print(f"[{colour}]{res.status:>9}[/{colour}] {url}: stored {res.stored}, already seen {res.seen}"
                  + (f", {len(res.errors)} errors" if res.errors else ""), soft_wrap=True)
        for e in res.errors[:5]:
            err.print(f"          {e}", soft_wrap=True, markup=False)
        results.append(res)
    return results


@click.command()
@click.argument("urls", nargs=-1)
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False),
              help="A file of feed and page URLs, one per line (# starts a comment).")
@click.option("--once", is_flag=True, help="Poll every source once and exit (for cron and tests).")
@click.option("--interval", type=click.FloatRange(1), default=300.0, show_default=True,
              help="Seconds between two polls of the sources.")
@click.option("--allow-private", is_flag=True,
              help="Also fetch from loopback and private addresses (feeds on your own network). Link-local, "
                   "multicast and reserved addresses stay refused.")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
              help="Seconds to wait for an answer.")
@click.option("--max-bytes", type=click.IntRange(1), default=5_000_000, show_default=True,
              help="Largest response read; a larger one is an error.")
@click.option("--rate", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between two requests to one host.")
@db_option
@click.pass_context
def watch(ctx: click.Context, urls: tuple[str, ...], sources_file: str | None, once: bool, interval: float,
          allow_private: bool, timeout: float, max_bytes: int, rate: float) -> None:
    """Poll RSS/Atom feeds and pages, fetch new items' pages, code them and store them.

    Only http and https URLs to public addresses are fetched, each redirect checked again; robots.txt
    is obeyed; feeds are fetched with conditional GETs, each host at most once per --rate seconds, and
    a failing source backs off exponentially. What was stored is remembered in the store, so a
    restarted (or killed) watcher neither refetches nor loses items. The exit code of --once is 1
    when any source failed.
    """
    from detente.cli.process import place_in_stories
    from detente.watch.fetch import Fetcher
    from detente.watch.guard import Guard
    from detente.watch.poll import Poller

    sources = _sources(urls, sources_file)
    if not sources:
        raise click.UsageError("give feed or page URLs, or --sources FILE")
    store = open_store(ctx, create=True)
    fetcher = Fetcher(Guard(allow_private=allow_private), timeout=timeout, max_bytes=max_bytes, min_interval=rate)
    poller = Poller(store, fetcher)
    failed = False
    try:
        while True:
            failed = any(res.status in ("failed", "refused") for res in poll_all(poller, sources))
            placed = place_in_stories(store)
            if placed:
                err.print(f"placed in stories: {placed}")
            if once:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        err.print("stopped; run the same command again to go on")
        ctx.exit(130)
    finally:
        fetcher.close()
    if failed:
        ctx.exit(1)

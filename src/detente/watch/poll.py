"""One poll of one source: a feed's new items, or a page, fetched, coded and stored.

A feed (RSS or Atom) is fetched with a conditional GET; each entry whose link the store has not seen
has its page fetched and its main text extracted by trafilatura (the entry's own text when it has no
link); the articles go through the pipeline and into the store, and only then is the item marked
seen, so nothing is lost when the watcher is killed. A source that is not a feed is a page: the
article itself. A failed poll counts a failure and waits ``BACKOFF_BASE`` × 2^(failures - 1) seconds
(at most ``BACKOFF_MAX``) before the next; a refused URL is reported at once and never retried blindly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from detente.doc import Article
from detente.ingest.errors import IngestError
from detente.ingest.feed import parse_feed
from detente.ingest.htmlpage import parse_html
from detente.output import article_to_record
from detente.records import ProcessedRecord, is_failure
from detente.store.db import Store
from detente.store.sources import mark_item, save_source, seen_items, source_state
from detente.watch.fetch import Disallowed, Fetcher, Response
from detente.watch.guard import FetchError, RefusedURL

BACKOFF_BASE = 60.0
BACKOFF_MAX = 6 * 3600.0
Coder = Callable[[list[Article]], list[ProcessedRecord]]


@dataclass
class PollResult:
    """What one poll of one source did."""

    source: str
    status: str  # "new", "unchanged", "failed", "refused", "waiting"
    stored: int = 0
    seen: int = 0
    errors: list[str] = field(default_factory=list)
    incomplete: bool = False  # an item failed and should be tried again: the feed is fetched in full next time


def default_coder(articles: list[Article]) -> list[ProcessedRecord]:
    """Code articles with the default pipeline in this process."""
    from detente.pipeline import process_batch

    return process_batch([article_to_record(a) for a in articles])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def is_feed(resp: Response) -> bool:
    """True when a response is an RSS or Atom feed (by its type, else by its first tag)."""
    kind = resp.content_type.lower()
    if any(k in kind for k in ("rss", "atom", "/xml", "+xml")):
        return True
    head = resp.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))


class Poller:
    """Polls sources into a store; the store, the fetcher and the coder are passed in."""

    def __init__(self, store: Store, fetcher: Fetcher, coder: Coder = default_coder,
                 now: Callable[[], dt.datetime] = _now) -> None:
        self.store, self.fetcher, self.coder, self.now = store, fetcher, coder, now

    def poll(self, url: str) -> PollResult:
        """Poll ``url`` once (unless it waits out a backoff) and store what is new."""
        engine = self.store.engine
        state = source_state(engine, url)
        now = self.now()
        if state.next_poll and dt.datetime.fromisoformat(state.next_poll) > now:
            return PollResult(url, "waiting", errors=[f"{url}: backing off after {state.failures} failures, "
                                                        f"next poll at {state.next_poll}"])
        stamp = now.isoformat(timespec="seconds")
        try:
            resp = self.fetcher.get(url, etag=state.etag, last_modified=state.last_modified)
        except FetchError as exc:
            refused = isinstance(exc, RefusedURL)
            failures = state.failures + (0 if refused else 1)
            wait = None if refused else now + dt.timedelta(seconds=min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (failures - 1)))
            save_source(engine, state.but(failures=failures, last_poll=stamp, last_error=str(exc),
                                          last_status="refused" if refused else "failed",
                                          next_poll=wait.isoformat(timespec="seconds") if wait else None))
            return PollResult(url, "refused" if refused else "failed", errors=[str(exc)])
        result = PollResult(url, "unchanged" if resp.status == 304 else "new")
        if resp.status != 304:
            self._store(url, self._articles(url, resp, result), result)
        keep = result.incomplete  # a 304 next time would hide the items that failed now
        save_source(engine, state.but(etag=state.etag if keep else resp.etag or state.etag,
                                      last_modified=state.last_modified if keep else resp.last_modified or
                                      state.last_modified, failures=0, next_poll=None, last_poll=stamp,
                                      last_status=result.status, last_error="; ".join(result.errors)[:2000] or None,
                                      stored=state.stored + result.stored))
        return result

    def _articles(self, url: str, resp: Response, result: PollResult) -> Iterator[tuple[str, Article]]:
        """(item URL, article) of what the response brings that the store has not seen."""
        if not is_feed(resp):
            for found in parse_html(resp.body, resp.url, date=None):
                if isinstance(found, IngestError):
                    result.errors.append(str(found))
                elif not seen_items(self.store.engine, url, [resp.url]):
                    yield resp.url, replace(found, name=resp.url, url=found.url or resp.url, source_path=resp.url)
            return
        entries = list(parse_feed(resp.body, url, date=None, links=True))
        links = [e.url or e.name for e in entries if isinstance(e, Article)]
        seen = seen_items(self.store.engine, url, links)
        for entry in entries:
            if isinstance(entry, IngestError):
                result.errors.append(str(entry))
                continue
            key = entry.url or entry.name
            if key in seen:
                result.seen += 1
                continue
            if not entry.url:
                yield key, entry
                continue
            page = self._page(entry, result)
            if page is not None:
                yield key, page

    def _page(self, entry: Article, result: PollResult) -> Article | None:
        """The article of a feed entry's page, with what the feed says where the page is silent."""
        assert entry.url is not None
        try:
            resp = self.fetcher.get(entry.url)
        except FetchError as exc:
            result.errors.append(str(exc))
            result.incomplete = result.incomplete or not isinstance(exc, Disallowed | RefusedURL)
            return None
        for got in parse_html(resp.body, entry.url, date=entry.published):
            if isinstance(got, IngestError):
                result.errors.append(str(got))
                return None
            return Article(text=got.text, name=entry.url, published=got.published or entry.published,
                           url=entry.url, title=got.title or entry.title, outlet=entry.outlet or got.outlet,
                           lang=entry.lang or got.lang, source_path=entry.url)
        return None

    def _store(self, url: str, items: Iterator[tuple[str, Article]], result: PollResult) -> None:
        engine = self.store.engine
        for item, article in items:
            rec = self.coder([article])[0]
            if is_failure(rec):
                result.errors.append(f"{item}: {rec['error']}")
                result.incomplete = True
                self.store.log_error(url, item, "PipelineError", str(rec["error"]))
                continue
            if self.store.save(rec):
                result.stored += 1
            mark_item(engine, url, item, rec["article_id"])

"""Fetching feeds and pages politely and safely: one :class:`Fetcher` per run.

Each request is checked by the :class:`~detente.watch.guard.Guard` (the URL and every redirect
target, at most ``MAX_REDIRECTS``), waits for the host's rate limit, has a timeout, and reads at most
``max_bytes`` of the body (a larger response is an error, not a truncated article). A conditional GET
sends the ETag and Last-Modified the last answer gave, and a 304 says nothing changed. robots.txt is
read once per host and run (through the same checks) and obeyed for detente's user agent.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from detente import __version__
from detente.watch.guard import FetchError, Guard, RefusedURL

MAX_REDIRECTS = 5
USER_AGENT = f"detente/{__version__} (+https://github.com/detente-events/detente)"


class TooLarge(FetchError):
    """A response over the size limit."""


class Disallowed(FetchError):
    """A URL the site's robots.txt disallows for detente."""


class BadStatus(FetchError):
    """The server answered with a status other than 200 or 304 (``status``)."""

    def __init__(self, url: str, status: int, reason: str) -> None:
        super().__init__(url, f"the server answered {status} {reason}")
        self.status = status


@dataclass(frozen=True)
class Response:
    """What a GET brought: the final URL, the status (200, or 304 when unchanged) and the body."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass
class Fetcher:
    """GETs behind the guard, with a per-host rate limit, a timeout, a size cap and robots.txt."""

    guard: Guard = field(default_factory=Guard)
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    min_interval: float = 1.0  # seconds between two requests to one host
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._client = httpx.Client(timeout=self.timeout, follow_redirects=False, transport=self.transport,
                                    headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = self.min_interval - (self.clock() - last)
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            robots: bool = True) -> Response:
        """GET ``url`` (following checked redirects); :class:`FetchError` (or a subclass) when it fails."""
        if robots and not self.allowed(url):
            raise Disallowed(url, "robots.txt disallows it for detente")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self.guard.check(current)
            self._wait(urlsplit(current).netloc)
            try:
                with self._client.stream("GET", current, headers=headers) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"])
                        continue
                    body = self._read(resp, current)
                    if resp.status_code not in (200, 304):
                        raise BadStatus(current, resp.status_code, resp.reason_phrase)
                    return Response(current, resp.status_code, body, resp.headers.get("content-type", ""),
                                    resp.headers.get("etag"), resp.headers.get("last-modified"))
            except httpx.TimeoutException as exc:
                raise FetchError(current, f"no answer within {self.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                raise FetchError(current, f"{type(exc).__name__}: {exc}") from exc
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _read(self, resp: httpx.Response, url: str) -> bytes:
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise TooLarge(url, f"the response is {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit")
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise TooLarge(url, f"the response is over the {self.max_bytes:,}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def allowed(self, url: str) -> bool:
        """True when the site's robots.txt lets detente fetch ``url`` (no robots.txt, or a 4xx: all allowed)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        rules = self._robots[site]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser | None:
        rules = urllib.robotparser.RobotFileParser()
        try:
            resp = self.get(f"{site}/robots.txt", robots=False)
        except RefusedURL:
            raise
        except FetchError as exc:
            if isinstance(exc, BadStatus) and 400 <= exc.status < 500:
                return None  # no robots.txt: everything is allowed
            rules.parse(["User-agent: *", "Disallow: /"])  # unreachable or failing: fetch nothing this run
            return rules
        rules.parse(resp.body.decode("utf-8", "replace").splitlines())
        return rules

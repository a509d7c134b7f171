"""`detente watch`: feeds and pages from a test server on 127.0.0.1, the SSRF guard, conditional GETs,
robots.txt, size caps, backoff, and a second run that stores nothing twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.store.db import Store
from detente.store.sources import all_sources
from detente.watch.fetch import Fetcher, TooLarge
from detente.watch.guard import Guard, RefusedURL

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{text}</p><p>Стороны также обсудили торговлю и транспортные коридоры между двумя странами.</p>
</article></body></html>"""
ARTICLES = {
    "/news/1.html": ("Токаев и Путин", "Президент Казахстана Касым-Жомарт Токаев провёл телефонный разговор с "
                                        "президентом России Владимиром Путиным."),
    "/news/2.html": ("Визит в Барнаул", "Министр иностранных дел Казахстана посетил Барнаул и встретился с "
                                        "губернатором Алтайского края."),
    "/private/3.html": ("Закрыто", "Эту страницу robots.txt запрещает."),
}


def _feed(base: str) -> str:
    items = "".join(f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
                    f"<pubDate>Mon, 11 Aug 2025 10:00:00 GMT</pubDate><description>{t}</description></item>"
                    for path, (t, _) in ARTICLES.items())
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test news</title>{items}</channel></rss>'


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    not_modified = 0

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            return self._send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                type(self).not_modified += 1
                self.send_response(304)
                self.end_headers()
                return None
            return self._send(200, _feed(base), "application/rss+xml", etag='"v1"')
        if self.path in ARTICLES:
            title, text = ARTICLES[self.path]
            return self._send(200, PAGE.format(title=title, text=text), "text/html; charset=utf-8")
        if self.path == "/big":
            return self._send(200, "x" * 50_000, "text/plain")
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return None
        if self.path == "/broken":
            return self._send(500, "no", "text/plain")
        return self._send(404, "not found", "text/plain")

    def _send(self, status: int, body: str, kind: str, etag: str | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _watch(db: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--db", str(db), "watch", "--once", "--rate", "0", *args])
    return res.exit_code, res.output


def _articles(db: Path) -> list[str]:
    with Store(str(db)).engine.connect() as conn:
        from sqlalchemy import text

        return sorted(r[0] or "" for r in conn.execute(text("SELECT url FROM articles")))


def test_a_default_watcher_refuses_a_loopback_feed_and_stores_nothing(server: str, tmp_path: Path) -> None:
    code, out = _watch(tmp_path / "w.db", f"{server}/feed.xml")
    assert code == 1 and "refused" in out and "private" in out
    assert _articles(tmp_path / "w.db") == []


def test_with_allow_private_it_fetches_the_pages_and_a_second_run_stores_nothing_twice(server: str,
                                                                                      tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    _watch(db, f"{server}/feed.xml")  # refused first: no backoff is recorded for a refusal
    code, out = _watch(db, "--allow-private", f"{server}/feed.xml")
    assert code == 0, out
    urls = _articles(db)
    assert urls == [f"{server}/news/1.html", f"{server}/news/2.html"]  # robots.txt keeps /private/ out
    assert _handler_hits("/private/3.html") == 0
    before = _Handler.not_modified
    code, out = _watch(db, "--allow-private", f"{server}/feed.xml")
    assert code == 0 and _articles(db) == urls and "unchanged" in out
    assert _Handler.not_modified == before + 1  # a conditional GET answered 304
    state = {s.url: s for s in all_sources(Store(str(db)).engine)}[f"{server}/feed.xml"]
    assert state.etag == '"v1"' and state.stored == 2 and state.failures == 0


def _handler_hits(path: str) -> int:
    return _Handler.hits.get(path, 0)


def test_a_watched_page_is_one_article_and_events_are_coded(server: str, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, out = _watch(db, "--allow-private", f"{server}/news/1.html")
    assert code == 0, out
    res = CliRunner().invoke(cli, ["--db", str(db), "events", "--format", "jsonl"])
    assert '"cameo"' in res.output and _articles(db) == [f"{server}/news/1.html"]


def test_a_failing_source_backs_off_and_the_others_go_on(server: str, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    code, out = _watch(db, "--allow-private", f"{server}/broken", f"{server}/news/2.html")
    assert code == 1 and "500" in out and _articles(db) == [f"{server}/news/2.html"]
    code, out = _watch(db, "--allow-private", f"{server}/broken")
    assert "waiting" in out and "backing off" in out
    state = {s.url: s for s in all_sources(Store(str(db)).engine)}[f"{server}/broken"]
    assert state.failures == 1 and state.next_poll


def test_the_guard_refuses_schemes_and_addresses_and_checks_every_redirect(server: str) -> None:
    guard = Guard()
    for url in ("ftp://example.org/feed", "file:///etc/passwd", "http://127.0.0.1/", "http://10.1.2.3/",
                "http://[::1]/", "http://169.254.169.254/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
                "http://224.0.0.1/", "http://user:pw@example.org/"):
        with pytest.raises(RefusedURL):
            guard.check(url)
    assert Guard(resolver=lambda host, port: ["93.184.216.34"]).check("http://news.example/") == ["93.184.216.34"]
    with pytest.raises(RefusedURL):  # a public name that resolves to a private address
        Guard(resolver=lambda host, port: ["192.168.1.5"]).check("http://intranet.example/")
    private = Guard(allow_private=True)
    assert private.check(f"{server}/feed.xml")
    with pytest.raises(RefusedURL):  # even allowed, link-local (cloud metadata) stays refused
        private.check("http://169.254.169.254/latest/meta-data/")
    fetcher = Fetcher(private, min_interval=0)
    with pytest.raises(RefusedURL):  # the redirect target is checked before it is followed
        fetcher.get(f"{server}/to-metadata")


def test_responses_over_the_size_cap_are_errors(server: str) -> None:
    fetcher = Fetcher(Guard(allow_private=True), max_bytes=10_000, min_interval=0)
    with pytest.raises(TooLarge):
        fetcher.get(f"{server}/big")


def test_the_rate_limit_spaces_requests_to_one_host(server: str) -> None:
    slept: list[float] = []
    clock = iter(range(100))
    fetcher = Fetcher(Guard(allow_private=True), min_interval=5.0, clock=lambda: float(next(clock)),
                      sleep=slept.append)
    fetcher.get(f"{server}/news/1.html", robots=False)
    fetcher.get(f"{server}/news/2.html", robots=False)
    assert slept and slept[0] > 0


def test_sources_health_in_the_api_and_on_the_dashboard(server: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from detente.api.app import create_app
    from detente.api.context import Settings

    db = tmp_path / "s.db"
    _watch(db, "--allow-private", f"{server}/news/2.html", f"{server}/broken")
    with TestClient(create_app(Settings(db=str(db), token=None, private=False))) as client:
        body = client.get("/api/sources").json()
        by_url = {s["url"]: s for s in body["sources"]}
        page_state, broken = by_url[f"{server}/news/2.html"], by_url[f"{server}/broken"]
        assert page_state["last_status"] == "new" and page_state["stored"] == 1
        assert broken["last_status"] == "failed" and "500" in broken["last_error"] and broken["next_poll"]
        page = client.get("/sources")
        assert page.status_code == 200 and f"{server}/broken" in page.text and "failed" in page.text


def test_ingest_takes_urls_behind_the_same_guard(server: str, tmp_path: Path) -> None:
    db, url = tmp_path / "i.db", f"{server}/news/2.html"
    refused = CliRunner().invoke(cli, ["--db", str(db), "ingest", url])
    assert refused.exit_code == 1 and "refused" in refused.output and _articles(db) == []
    local = tmp_path / "a.txt"
    local.write_text("Токаев провёл переговоры с Путиным в Астане.", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--allow-private", url, str(local)])
    assert res.exit_code == 0, res.output
    assert url in _articles(db) and len(_articles(db)) == 2 and "stored: 2" in res.output
    again = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--allow-private", url])
    assert again.exit_code == 0 and "stored: 0" in again.output and len(_articles(db)) == 2

"""The kill harness: `ingest` and `watch` killed with SIGKILL at random moments, again and again (at
least 30 kills in all), then run to the end: every article is stored once, with the same events, entities
and story places as an uninterrupted run, and the store passes SQLite's integrity check."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .test_interrupt import _corpus

EXE = str(Path(sys.executable).with_name("detente"))
INGEST_KILLS, WATCH_KILLS = 20, 12  # 32 in all


def _snapshot(db: Path) -> dict[str, object]:
    """What a run stored: the articles with their event and entity counts, and the table sizes."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_article = sorted(con.execute(
            "SELECT a.id, a.n_events, (SELECT COUNT(*) FROM entities e WHERE e.article_id = a.id) FROM articles a"))
        tables = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "events", "entities", "times", "quotes", "story_members")}
        events = sorted(r[0] for r in con.execute("SELECT id FROM events"))
        return {"per_article": per_article, "tables": tables, "events": events}
    finally:
        con.close()


def _kill_repeatedly(cmd: list[str], rng: random.Random, kills: int, low: float, high: float) -> int:
    """Start ``cmd`` and SIGKILL it after a random delay, ``kills`` times; the number killed while running."""
    killed = 0
    for _ in range(kills):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(low, high))
        if proc.poll() is None:
            proc.kill()
            killed += 1
        proc.wait()
    return killed


def test_ingest_killed_again_and_again_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 800)  # enough work that every kill lands before the job is done
    clean, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    subprocess.run([EXE, "--db", str(clean), "ingest", str(corpus)], check=True, capture_output=True)
    killed = _kill_repeatedly([EXE, "--db", str(killed_db), "ingest", str(corpus)], random.Random(14),
                              INGEST_KILLS, 1.0, 3.5)
    assert killed == INGEST_KILLS  # every kill lands while it runs: in start-up, schema creation or coding
    subprocess.run([EXE, "--db", str(killed_db), "ingest", str(corpus)], check=True, capture_output=True)
    assert _snapshot(killed_db) == _snapshot(clean)


ARTICLES = 500


class _Feed(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>Новость {i}</title><link>{base}/n/{i}.html</link>"
                            f"<pubDate>Mon, 11 Aug 2025 10:00:00 GMT</pubDate></item>" for i in range(ARTICLES))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
            kind = "application/rss+xml"
        elif self.path.startswith("/n/"):
            i = self.path.split("/")[-1].split(".")[0]
            body = (f"<html><body><article><h1>Новость {i}</h1><p>Президент Казахстана Касым-Жомарт Токаев провёл "
                    f"телефонный разговор с президентом Узбекистана Шавкатом Мирзиёевым (сообщение {i}).</p>"
                    "<p>Стороны обсудили торговлю, транспортные коридоры и водные ресурсы региона.</p>"
                    "</article></body></html>")
            kind = "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def feed() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    httpd.shutdown()


def test_watch_killed_again_and_again_loses_and_duplicates_nothing(feed: str, tmp_path: Path) -> None:
    clean, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    args = ["watch", "--once", "--allow-private", "--rate", "0", feed]
    subprocess.run([EXE, "--db", str(clean), *args], check=True, capture_output=True)
    killed = _kill_repeatedly([EXE, "--db", str(killed_db), *args], random.Random(15), WATCH_KILLS, 0.5, 2.0)
    assert killed == WATCH_KILLS
    subprocess.run([EXE, "--db", str(killed_db), *args], check=True, capture_output=True)
    snap = _snapshot(killed_db)
    assert snap == _snapshot(clean) and len(snap["per_article"]) == ARTICLES  # type: ignore[arg-type]
    con = sqlite3.connect(killed_db)
    try:  # every item marked once, and as the article the clean run stored
        marks = con.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM source_items").fetchone()
    finally:
        con.close()
    assert marks == (ARTICLES, ARTICLES)

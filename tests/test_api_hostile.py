"""Hostile requests to the API and the pages: script URLs, big or unauthenticated bodies, slow writes,
blank or letterless text, LIKE wildcards in ids, malformed JSON."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from detente.api.app import create_app
from detente.api.context import Settings
from detente.api.guards import CSP

AUTH = {"Authorization": "Bearer s3cret"}
TEXT = ("Президент Казахстана Касым-Жомарт Токаев 8 августа провел телефонный разговор с президентом России "
        "Владимиром Путиным.")


@pytest.fixture()
def db(tmp_path: Path, web_db: Path) -> Path:
    path = tmp_path / "w.db"
    path.write_bytes(web_db.read_bytes())
    return path


@pytest.fixture()
def writable(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(db), token="s3cret", private=False, max_chars=5000))) as c:
        yield c


def test_script_urls_are_not_rendered_as_links(writable: TestClient) -> None:
    for url in ("javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,<script>x</script>"):
        r = writable.post("/api/articles", json={"text": TEXT + url, "url": url, "date": "2025-08-11"}, headers=AUTH)
        assert r.status_code == 201, r.text
        page = writable.get(f"/articles/{r.json()['article_id']}", headers={"Accept": "text/html"}).text
        hrefs = _links(page)
        assert all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), hrefs
        assert "source:" in page  # shown as text
    ok = writable.post("/api/articles", json={"text": TEXT + " Ещё.", "url": "https://example.org/a?b=1"},
                       headers=AUTH).json()
    page = writable.get(f"/articles/{ok['article_id']}", headers={"Accept": "text/html"}).text
    assert "https://example.org/a?b=1" in _links(page)


def _links(page: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.extend(v or "" for k, v in attrs if k == "href")

    Links().feed(page)
    return found


def test_every_answer_carries_a_csp_without_inline_script(writable: TestClient) -> None:
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
    for path in ("/", "/events", "/network", "/actors", "/search?q=x", "/api/health", "/nowhere", "/static/app.js"):
        assert writable.get(path).headers.get("content-security-policy") == CSP, path


def test_writes_check_the_token_before_reading_the_body(db: Path) -> None:
    app = create_app(Settings(db=str(db), token="s3cret", private=False, max_chars=1000))
    reads = 0

    async def run() -> list[httpx.Response]:
        async def body() -> Any:
            nonlocal reads
            for _ in range(300):  # 300 MB, if anyone read it all
                reads += 1
                yield b"x" * 1_000_000

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            no_token = await c.post("/api/articles", content=body(), headers={"Content-Type": "application/json"})
            big = await c.post("/api/articles", content=body(), headers={**AUTH, "Content-Type": "application/json"})
            declared = await c.post("/api/articles", content=b"{}",
                                    headers={**AUTH, "Content-Length": "300000000", "Content-Type": "application/json"})
            return [no_token, big, declared]

    no_token, big, declared = asyncio.run(run())
    assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "unauthorized"
    assert big.status_code == 413 and big.json()["error"] == {
        "code": "too_large", "field": "body", "message": big.json()["error"]["message"]}
    assert declared.status_code == 413
    assert reads <= 3  # the body stopped being read at the limit (1000 chars -> about 70 KB)


def test_token_comparison_is_constant_time() -> None:
    import inspect

    from detente.api import guards

    assert "compare_digest" in inspect.getsource(guards.token_matches)
    assert guards.token_matches("s3cret", "s3cret") and not guards.token_matches("s3cre", "s3cret")
    assert not guards.token_matches(None, "s3cret") and not guards.token_matches("", None)


def test_article_over_the_text_cap_is_refused(writable: TestClient) -> None:
    r = writable.post("/api/articles", json={"text": "Путин " * 1000}, headers=AUTH)
    assert r.status_code == 413
    err = r.json()["error"]
    assert err["field"] == "text" and "5,000" in err["message"]


def _slow_pipeline(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    import detente.pipeline

    def slow(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        time.sleep(seconds)
        return [{"article": r.get("name"), "error": "slow test pipeline"} for r in records]

    monkeypatch.setattr(detente.pipeline, "process_batch", slow)


def test_reads_answer_while_an_article_is_processed(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_pipeline(monkeypatch, 1.5)  # a stand-in in this process: the pipeline thread
    app: FastAPI = create_app(Settings(db=str(db), token="s3cret", private=False, pipeline="thread"))

    async def run() -> tuple[float, list[httpx.Response], list[float]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
            t0 = time.monotonic()
            posts = [asyncio.create_task(c.post("/api/articles", json={"text": TEXT + str(i)}, headers=AUTH))
                     for i in range(50)]
            await asyncio.sleep(0.2)
            took = []
            for path in ("/api/health", "/api/events?limit=5", "/api/stats/timeline", "/"):
                t1 = time.monotonic()
                r = await c.get(path)
                assert r.status_code == 200, (path, r.text)
                took.append(time.monotonic() - t1)
            done = await asyncio.gather(*posts)
            return time.monotonic() - t0, done, took

    _total, posts, took = asyncio.run(run())
    assert max(took) < 1.0, took  # the first read of a fresh app does not wait for the pipeline either
    codes = sorted({p.status_code for p in posts})
    assert codes == [422, 503], codes  # processed (the slow stand-in fails them) or refused as busy
    busy = next(p for p in posts if p.status_code == 503).json()["error"]
    assert busy["code"] == "busy"


def test_reads_answer_while_a_long_article_is_really_processed(db: Path) -> None:
    """The real pipeline on a long article runs in its own process: reads keep answering within a second."""
    paras = (Path(__file__).parent.parent / "samples" / "seeds" / "000_e5002aae462662f6.txt").read_text()[17:]
    long_text = "\n\n".join([paras] * 40)  # about 130,000 characters: seconds of work, warm or cold
    app: FastAPI = create_app(Settings(db=str(db), token="s3cret", private=False))

    async def run() -> tuple[httpx.Response, list[float], float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
            t0 = time.monotonic()
            post = asyncio.create_task(c.post("/api/articles", json={"text": long_text, "date": "2025-08-11"},
                                              headers=AUTH))
            await asyncio.sleep(0.5)
            took = []
            while not post.done():
                t1 = time.monotonic()
                for path in ("/api/events?limit=5", "/api/stats/timeline"):
                    r = await c.get(path)
                    assert r.status_code == 200, (path, r.text)
                took.append(time.monotonic() - t1)
                await asyncio.sleep(0.2)
            return await post, took, time.monotonic() - t0

    done, took, total = asyncio.run(run())
    assert done.status_code == 201, done.text
    assert len(took) >= 2, (took, total)  # the article took long enough to be read around
    assert max(took) < 1.0, took


@pytest.mark.parametrize("text", ["   \n\t ", "\u00a0\u2003"])
def test_blank_text_is_a_422(writable: TestClient, text: str) -> None:
    r = writable.post("/api/articles", json={"text": text}, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["field"] == "text", r.text


@pytest.mark.parametrize("text", ["😀😀😀", "שלום עולם, מה שלומך היום?", "مرحبا بالعالم"])
def test_letterless_text_is_a_422(writable: TestClient, text: str) -> None:
    r = writable.post("/api/articles", json={"text": text}, headers=AUTH)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["field"] == "text" and "no text in a supported language" in err["message"]


def test_malformed_json_names_the_body(writable: TestClient) -> None:
    for raw in ('{"text": "Путин",,}', '{"text": ', "not json"):
        r = writable.post("/api/articles", content=raw.encode(), headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 422, r.text
        err = r.json()["error"]
        assert err["field"] == "body" and "malformed JSON" in err["message"], err
    r = writable.post("/api/articles", content=b"[1, 2]", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "body", r.text


def test_date_or_published_and_date_like_keys_warn(writable: TestClient) -> None:
    a = writable.post("/api/articles", json={"text": TEXT, "published": "2025-08-11T09:00:00+05:00"}, headers=AUTH)
    assert a.status_code == 201, a.text
    assert writable.get(f"/api/articles/{a.json()['article_id']}").json()["published"] == "2025-08-11"
    b = writable.post("/api/articles", json={"text": TEXT + " Б", "date": "2025-08-12", "pub_date": "2025-08-12",
                                             "datePublished": "12.08.2025"}, headers=AUTH)
    assert b.status_code == 201, b.text
    warnings = b.json()["warnings"]
    assert len(warnings) == 2 and any("'pub_date'" in w for w in warnings) and any("'datePublished'" in w
                                                                                   for w in warnings)
    clash = writable.post("/api/articles", json={"text": TEXT + " В", "date": "2025-08-12", "published": "2025-08-13"},
                          headers=AUTH)
    assert clash.status_code == 422 and clash.json()["error"]["field"] == "date"


def test_replace_keeps_the_stored_metadata(writable: TestClient) -> None:
    first = writable.post("/api/articles", json={"text": TEXT, "url": "https://example.org/k", "title": "Т",
                                                 "date": "2025-08-11"}, headers=AUTH).json()
    again = writable.post("/api/articles", json={"text": TEXT, "replace": True}, headers=AUTH)
    assert again.status_code == 201 and again.json()["stored"] is True
    art = writable.get(f"/api/articles/{first['article_id']}").json()
    assert (art["url"], art["title"], art["published"]) == ("https://example.org/k", "Т", "2025-08-11")
    assert [e["date"] for e in art["events"]] == [e["date"] for e in first["events"]]


def test_like_wildcards_in_id_prefixes_match_nothing(writable: TestClient) -> None:
    ev = writable.get("/api/events", params={"limit": 1}).json()["events"][0]
    for ident, path in ((ev["event_id"], "/api/events/"), (ev["article_id"], "/api/articles/")):
        assert writable.get(path + ident[:12]).status_code == 200
        for pattern in (ident[:2] + "_" + ident[3:12], ident[:3] + "%", "%", "_" * 40):
            r = writable.get(path + pattern.replace("%", "%25"))
            assert r.status_code == 404, (path, pattern, r.text)
            assert r.json()["error"]["code"] == "not_found"
    page = writable.get("/events/" + ev["event_id"][:2] + "_" + ev["event_id"][3:12], headers={"Accept": "text/html"})
    assert page.status_code == 404


def test_no_500_from_odd_ids_and_bodies(writable: TestClient) -> None:
    for path in ("/api/articles/%00", "/articles/%00x", "/api/events/%00", "/api/actors/%00",
                 "/actors/%00", "/api/articles/" + "a" * 5000):
        assert writable.get(path).status_code < 500, path
    weird = [{"text": TEXT, "date": 20250811}, {"text": TEXT, "lang": ["ru"]}, {"text": ["x"]}, {"text": None},
             {"text": TEXT, "url": {"a": 1}}, {"text": TEXT, "replace": "maybe"}, {"text": "\x00" * 10}]
    for body in weird:
        r = writable.post("/api/articles", content=json.dumps(body).encode(),
                          headers={**AUTH, "Content-Type": "application/json"})
        assert 400 <= r.status_code < 500 and "error" in r.json(), (body, r.text)

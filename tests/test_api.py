"""The HTTP API, through an in-process client (no socket)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from detente.api.app import create_app
from detente.api.context import Settings
from detente.api.hookspecs import hookimpl
from detente.api.renderers import Renderer


@pytest.fixture(scope="module")
def client(any_web_db: str) -> Iterator[TestClient]:
    """The API over the same store on SQLite, then on PostgreSQL: every test that takes it runs on both."""
    with TestClient(create_app(Settings(db=any_web_db, token=None, private=False))) as c:
        yield c


def all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/api/events", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["events"]
    return events


def test_openapi_document_lists_the_routes_and_filters(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/articles",
                 "/api/actors", "/api/actors/{actor_id}", "/api/stats/timeline", "/api/stats/network"):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "country", "cameo", "quad_class", "plover", "modality", "lang", "date_from", "date_to", "q",
            "cursor", "limit", "sort", "format"} <= names


def test_cursor_pages_walk_every_event_once(client: TestClient) -> None:
    everything = all_events(client)
    assert len(everything) > 20
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/events", params=params).json()
        seen.extend(e["event_id"] for e in page["events"])
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [e["event_id"] for e in everything]
    days = [e["day"] or "" for e in everything]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize("sort", ["goldstein", "-goldstein", "source", "cameo", "-lang"])
def test_cursor_pages_follow_any_sort(client: TestClient, sort: str) -> None:
    whole = [e["event_id"] for e in all_events(client, sort=sort)]
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 9, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/events", params=params).json()
        seen.extend(e["event_id"] for e in page["events"])
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == whole


def test_filters(client: TestClient) -> None:
    everything = all_events(client)
    tokayev = all_events(client, actor="person:tokayev")
    assert tokayev and all("person:tokayev" in ((e["source"] or {}).get("kb_id"), (e["target"] or {}).get("kb_id"))
                           for e in tokayev)
    assert {e["event_id"] for e in all_events(client, actor="Токаев")} >= {e["event_id"] for e in tokayev}
    kaz = all_events(client, country="kaz")
    assert kaz and all("KAZ" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country")) for e in kaz)
    consult = all_events(client, cameo="04")
    assert consult and all(e["cameo_root"] == "04" for e in consult)
    assert all(e["cameo"] == "041" for e in all_events(client, cameo="041"))
    assert all(e["quad_class"] == 1 for e in all_events(client, quad_class=1))
    assert all(e["modality"] == "future" for e in all_events(client, modality="future"))
    assert all(e["plover"] == "CONSULT" for e in all_events(client, plover="consult"))
    by_lang = {lang: len(all_events(client, lang=lang)) for lang in ("ru", "uk", "kk", "en")}
    assert all(by_lang.values()) and sum(by_lang.values()) == len(everything)
    august = all_events(client, date_from="2025-08-01", date_to="2025-08-31")
    assert august and all("2025-08-01" <= e["day"] <= "2025-08-31" for e in august)
    talks = all_events(client, q="переговоры")  # lemma search: matches any inflection
    assert talks and len(talks) < len(everything)


def test_formats_by_parameter_and_accept_header(client: TestClient) -> None:
    n = len(all_events(client, limit=5))
    r = client.get("/api/events", params={"format": "csv", "limit": 5})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and rows[0]["cameo"] and "Link" in r.headers
    nxt = r.headers["Link"].split(">")[0].lstrip("<")
    assert "format=csv" in nxt and "limit=5" in nxt and "cursor=" in nxt  # the next page keeps the request
    assert client.get(nxt).text.startswith("event_id,")
    r = client.get("/api/events", params={"limit": 5}, headers={"Accept": "application/x-ndjson"})
    assert r.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line)["event_id"] for line in r.text.splitlines()]
    r = client.get("/api/events", params={"limit": 5}, headers={"Accept": "text/csv"})
    assert r.text.startswith("event_id,")
    assert client.get("/api/events", headers={"Accept": "image/png"}).status_code == 406
    bad = client.get("/api/events", params={"format": "xml"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "format"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2025-09-01", "date_to": "2025-08-01"}, "date_from"),
        ({"quad_class": "9"}, "quad_class"),
        ({"modality": "maybe"}, "modality"),
        ({"lang": "de"}, "lang"),
        ({"country": "Kazakhstan"}, "country"),
        ({"cameo": "abc"}, "cameo"),
        ({"limit": "0"}, "limit"),
        ({"sort": "colour"}, "sort"),
        ({"cursor": "!!not-a-cursor"}, "cursor"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(client: TestClient, params: dict[str, str], field: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_parameter" and err["field"] == field and field in err["message"]


def test_empty_parameters_mean_no_filter(client: TestClient) -> None:
    assert len(all_events(client, date_from="", country="", lang="")) == len(all_events(client))


def test_event_and_article_by_id(client: TestClient) -> None:
    ev = all_events(client, actor="person:tokayev", lang="ru", date_from="2025-08-08", date_to="2025-08-08")[0]
    assert client.get(f"/api/events/{ev['event_id']}").json() == {k: v for k, v in ev.items() if k != "day"}
    art = client.get(f"/api/articles/{ev['article_id']}").json()
    assert art["id"] == ev["article_id"] and art["events"]
    text = art["text"]
    for layer in ("entities", "times", "quotes"):
        assert art[layer], layer
        for span in art[layer]:
            assert 0 <= span["start"] < span["end"] <= len(text)
    for e in art["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    for e in art["events"]:
        assert text[e["trigger"]["start"] : e["trigger"]["end"]] == e["trigger"]["text"]
    missing = client.get("/api/events/ffffffff")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/articles/ffffffff").status_code == 404


@pytest.mark.parametrize("name", ["Токаев", "Токаєв", "Тоқаев", "Tokayev"])
def test_actor_search_in_four_languages(client: TestClient, name: str) -> None:
    found = client.get("/api/actors", params={"q": name}).json()["actors"]
    assert "person:tokayev" in [a["id"] for a in found]


def test_actor_profile(client: TestClient) -> None:
    prof = client.get("/api/actors/person:tokayev").json()
    assert prof["name"] == "Kassym-Jomart Tokayev"
    assert set(prof["names"]) >= {"ru", "uk", "kk", "en"}
    assert prof["offices"] and prof["events"]["total"] > 0
    assert prof["events"]["total"] == len(all_events(client, actor="person:tokayev"))
    assert prof["partners"] and all(p["events"] > 0 for p in prof["partners"])
    assert client.get("/api/actors/person:nobody").status_code == 404
    assert client.get("/api/actors", params={"q": ""}).status_code == 422


def test_timeline_sums_match_the_events(client: TestClient) -> None:
    everything = all_events(client)
    dated = [e for e in everything if e.get("day")]
    for interval in ("day", "week"):
        tl = client.get("/api/stats/timeline", params={"interval": interval}).json()
        assert tl["total"] == len(dated)
        assert [s["quad_class"] for s in tl["series"]] == [1, 2, 3, 4]
        assert all(len(s["events"]) == len(tl["periods"]) for s in tl["series"])
        gsum = sum(sum(s["goldstein_sum"]) for s in tl["series"])
        assert gsum == pytest.approx(sum(e["goldstein"] for e in dated), abs=0.1)
    kaz = client.get("/api/stats/timeline", params={"country": "KAZ"}).json()
    assert 0 < kaz["total"] < len(dated)
    assert client.get("/api/stats/timeline", params={"interval": "hour"}).status_code == 422


def test_network(client: TestClient) -> None:
    net = client.get("/api/stats/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert all(-10 <= e["goldstein_mean"] <= 10 and e["events"] > 0 for e in net["edges"])
    ego = client.get("/api/stats/network", params={"actor": "person:tokayev"}).json()
    assert all("person:tokayev" in (e["source"], e["target"]) for e in ego["edges"])


def test_places_count_events_per_country_and_place(client: TestClient) -> None:
    places = client.get("/api/stats/places").json()
    counts = {c["country"]: c["events"] for c in places["countries"]}
    kaz = len(all_events(client, country="KAZ"))  # the country filter: KAZ as source or target
    assert counts["KAZ"] >= kaz > 0 and places["places"]
    for p in places["places"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["events"] >= 1 and p["name"]
    only_kk = client.get("/api/stats/places", params={"lang": "kk"}).json()
    assert sum(c["events"] for c in only_kk["countries"]) < sum(counts.values())
    assert client.get("/api/stats/places", params={"limit": 0}).status_code == 422


def test_writes_are_closed_without_a_token(client: TestClient) -> None:
    r = client.post("/api/articles", json={"text": "Токаев встретился с Путиным.", "date": "2025-08-08"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "writes_disabled"


@pytest.fixture(params=["sqlite", "postgresql"])
def writable(request: pytest.FixtureRequest, tmp_path: Path, web_records: list[dict[str, Any]]) -> Iterator[TestClient]:
    """A writable API over a fresh copy of the web store, on SQLite and on PostgreSQL."""
    from .conftest import fill_store
    from .pg import new_database

    db = str(tmp_path / "w.db") if request.param == "sqlite" else new_database(request.getfixturevalue("postgres"))
    fill_store(db, web_records)
    with TestClient(create_app(Settings(db=db, token="s3cret", private=False))) as c:
        yield c


def test_submit_an_article(writable: TestClient) -> None:
    body = {"text": "Президент Казахстана Касым-Жомарт Токаев 8 августа провел телефонный разговор "
                    "с президентом России Владимиром Путиным.", "date": "2025-08-11", "url": "https://example.org/1"}
    assert writable.post("/api/articles", json=body).status_code == 401
    assert writable.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    r = writable.post("/api/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["stored"] is True and out["events"]
    assert any(e["cameo"].startswith("04") and e["date"] == "2025-08-08" for e in out["events"])
    art = writable.get(f"/api/articles/{out['article_id']}").json()
    assert art["url"] == "https://example.org/1" and len(art["events"]) == len(out["events"])
    again = writable.post("/api/articles", json=body, headers=auth).json()
    assert again["stored"] is False  # idempotent: the same text is stored once
    empty = writable.post("/api/articles", json={"text": ""}, headers=auth)
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "text"
    bad_date = writable.post("/api/articles", json={"text": "x", "date": "11.08.2025"}, headers=auth)
    assert bad_date.status_code == 422 and bad_date.json()["error"]["field"] == "date"


def test_private_server_needs_the_token_for_reads(web_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(web_db), token="s3cret", private=True))) as c:
        assert c.get("/api/health").status_code == 200
        r = c.get("/api/events")
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert c.get("/api/events", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/", headers={"Accept": "text/html"}).status_code == 401
        login = c.get("/events?token=s3cret&lang=ru", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/events?lang=ru"
        assert c.get("/events?lang=ru", headers={"Accept": "text/html"}).status_code == 200  # the cookie


class ShoutPlugin:
    """A plugin using three hooks: a route, an output renderer and a template variable."""

    @hookimpl
    def register_routes(self, app: FastAPI) -> None:
        @app.get("/api/shout")
        def shout() -> dict[str, str]:
            return {"shout": "DETENTE"}

    @hookimpl
    def register_output_renderers(self) -> list[Renderer]:
        from fastapi.responses import PlainTextResponse

        return [Renderer("ids", "text/x-ids", lambda page: PlainTextResponse(
            "\n".join(e["event_id"] for e in page["events"])))]

    @hookimpl
    def extra_template_vars(self, view: str) -> dict[str, str]:
        return {"banner": f"plugin saw {view}"}


def test_plugins_use_the_same_hooks(web_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(web_db)), plugins=[ShoutPlugin()])) as c:
        assert c.get("/api/shout").json() == {"shout": "DETENTE"}
        ids = c.get("/api/events", params={"format": "ids", "limit": 3}).text.splitlines()
        assert len(ids) == 3 and all(len(i) == 40 for i in ids)
        assert c.get("/api/events", params={"limit": 3}, headers={"Accept": "text/x-ids"}).text.splitlines() == ids
        assert c.app.state.ctx.pm.has_plugin("detente.web.views")  # the dashboard is a plugin too

"""Dashboard pages through the in-process client, and the span highlighter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detente.api.app import create_app
from detente.api.context import Settings
from detente.web.highlight import Span, highlight

HTML = {"Accept": "text/html"}


class Marks(HTMLParser):
    """Collect the text of every ``<mark data-span>`` piece, joined per span, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.attrs: dict[str, dict[str, str]] = {}
        self.article: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div" and a.get("id") == "article-text":
            self.in_article = 1
        elif tag == "div" and self.in_article:
            self.in_article += 1
        if tag == "mark":
            self.stack.append(a.get("data-span"))
            if a.get("data-span") is not None:
                self.attrs.setdefault(a["data-span"], a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.stack:
            self.stack.pop()
        if tag == "div" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data: str) -> None:
        for span in self.stack:
            if span is not None:
                self.text[span].append(data)
        if self.in_article:
            self.article.append(data)


def marks_of(html: str) -> Marks:
    p = Marks()
    p.feed(html)
    return p


def test_highlight_nests_and_splits_crossing_spans() -> None:
    text = "Токаев сказал: «Путин позвонил 8 августа»."
    spans = [Span(0, 6, "entity", "ent-PER"), Span(15, 41, "quote"), Span(16, 21, "entity", "ent-PER"),
             Span(22, 30, "trigger"), Span(18, 31, "time"), Span(40, 99, "entity")]  # the last is out of range
    html = highlight(text, spans)
    m = marks_of(f'<div id="article-text">{html}</div>')
    assert "".join(m.article) == text
    joined = {m.attrs[k]["data-kind"] + m.attrs[k]["data-start"]: "".join(v) for k, v in m.text.items()}
    assert joined == {"entity0": "Токаев", "quote15": "«Путин позвонил 8 августа»", "entity16": "Путин",
                      "trigger22": "позвонил", "time18": "тин позвонил "}
    assert html.count('data-part="cont"') == 1  # the time span crosses the entity: two pieces
    assert highlight("a < b", [Span(0, 1, "entity", title='"x"')]).endswith("&lt; b")


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(web_db), token=None, private=False))) as c:
        yield c


def test_pages_render(client: TestClient) -> None:
    ev = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    for url, needle in [
        ("/", 'id="timeline"'),
        ("/?country=KAZ&lang=ru", 'value="KAZ"'),
        ("/events", 'id="events-table"'),
        ("/events?sort=goldstein&cameo=04", 'aria-sort="ascending"'),
        (f"/events/{ev['event_id']}", "Open the article"),
        (f"/articles/{ev['article_id']}", 'id="article-text"'),
        ("/actors", "Most active actors"),
        ("/actors?q=Зеленский", "Volodymyr Zelensky"),
        ("/actors/person:tokayev", 'id="ego-network"'),
        ("/network?country=UKR", 'data-chart="network"'),
        ("/search?q=переговоры", "article"),
    ]:
        r = client.get(url, headers=HTML)
        assert r.status_code == 200, (url, r.text[:300])
        assert needle in r.text, url


def test_filters_travel_in_the_urls(client: TestClient) -> None:
    html = client.get("/?country=KAZ&lang=ru", headers=HTML).text
    assert 'href="/events?country=KAZ&amp;lang=ru"' in html
    assert 'href="/network?country=KAZ&amp;lang=ru"' in html


def test_events_table_pages_with_the_cursor(web_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(web_db), page_size=10))) as small:
        html = small.get("/events?sort=-goldstein", headers=HTML).text
        assert 'rel="next"' in html
        nxt = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
        assert "sort=-goldstein" in nxt
        assert "first page" in small.get(nxt, headers=HTML).text


def test_errors_are_pages_for_browsers_and_json_for_the_api(client: TestClient) -> None:
    r = client.get("/articles/ffffffff", headers=HTML)
    assert r.status_code == 404 and "not found" in r.text and r.headers["content-type"].startswith("text/html")
    r = client.get("/events?date_from=soon", headers=HTML)
    assert r.status_code == 422 and "date_from" in r.text
    assert client.get("/api/articles/ffffffff", headers=HTML).json()["error"]["code"] == "not_found"


def test_seed_article_views_show_their_events_and_true_spans(client: TestClient) -> None:
    seeds = [a for a in client.get("/api/search", params={"q": "Токаев"}).json()["articles"]]
    arts = [client.get(f"/api/articles/{a['id']}").json() for a in seeds]
    arts = [a for a in arts if a["published"] == "2025-08-11"]
    assert arts, "the seeds are in the store"
    for art in arts:
        html = client.get(f"/articles/{art['id']}", headers=HTML).text
        m = marks_of(html)
        assert "".join(m.article) == art["text"]  # the marked-up text is the article, unchanged
        for key, pieces in m.text.items():
            a = m.attrs[key]
            assert "".join(pieces) == art["text"][int(a["data-start"]) : int(a["data-end"])], a
        triggers = {a["data-event"] for a in m.attrs.values() if a["data-kind"] == "trigger"}
        assert triggers == {e["event_id"] for e in art["events"]}
        for ev in art["events"]:
            assert f'data-event="{ev["event_id"]}"' in html
        kinds = {a["data-kind"] for a in m.attrs.values()}
        assert kinds >= {"entity", "trigger"}
        linked = [a for a in m.attrs.values() if a["data-kind"] == "entity" and a.get("data-kb")]
        assert linked and all(a["data-kb"] in a["title"] for a in linked)  # hover shows the KB id

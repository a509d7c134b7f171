"""End to end: ``detente serve`` on a free port, driven in Debian's Chromium through Playwright.

The walk goes overview → event → article → actor, then the events table (an htmx swap), the network,
a phone-width screen and dark mode. Screenshots go to ``DETENTE_SCREENSHOT_DIR`` (``build/screenshots``
by default; ``make screenshots`` writes ``docs/screenshots`` from the demo corpus). ``make test`` sets
``DETENTE_REQUIRE_BROWSER=1``, so there a missing Chromium fails instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEEDS, read_article

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DETENTE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def _missing(reason: str) -> None:
    if os.environ.get("DETENTE_REQUIRE_BROWSER"):
        pytest.fail(reason + " (DETENTE_REQUIRE_BROWSER is set; `make test` installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def shots() -> Path:
    out = Path(os.environ.get("DETENTE_SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


@contextlib.contextmanager
def serving(db: str) -> Iterator[str]:
    """``detente serve`` on ``db`` at a free port, until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DETENTE_TEST_MODE": "1"}
    env.pop("DETENTE_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "detente", "--db", db, "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"detente serve did not start: {out}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:
    with serving(os.environ.get("DETENTE_E2E_DB") or str(web_db)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def new_page(browser: Any, errors: list[str], **kwargs: Any) -> Any:
    page = browser.new_page(viewport=kwargs.pop("viewport", {"width": 1366, "height": 768}), **kwargs)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return page


def check_marks(page: Any, base: str, article_id: str) -> int:
    """Every highlighted span's pieces, joined, are exactly the article text at its offsets."""
    text = httpx.get(f"{base}/api/articles/{article_id}").json()["text"]
    pieces = page.eval_on_selector_all(
        "#article-text mark[data-span]",
        "els => els.map(e => [e.dataset.span, +e.dataset.start, +e.dataset.end, e.textContent])")
    joined: dict[str, list[Any]] = {}
    for span, start, end, content in pieces:
        joined.setdefault(span, [start, end, ""])[2] += content
    assert joined
    for start, end, content in joined.values():
        assert content == text[start:end], (start, end, content)
    assert page.inner_text("#article-text").replace("\n", "") == text.replace("\n", "")
    return len(joined)


def test_click_through_overview_event_article_actor(server: str, browser: Any, shots: Path) -> None:
    errors: list[str] = []
    page = new_page(browser, errors)
    page.goto(server + "/")
    page.wait_for_selector("#timeline[data-ready='1'] svg")
    assert page.locator("#timeline svg path").count() > 0  # the bars are drawn
    assert int(page.inner_text("#total-events")) > 0
    page.screenshot(path=str(shots / "overview.png"), full_page=True)

    page.locator("table.events a.cameo").first.click()
    page.wait_for_url("**/events/*")
    assert page.locator("blockquote.evidence mark.hl-trigger").count() == 1
    page.screenshot(path=str(shots / "event.png"))

    page.click("text=Open the article")
    page.wait_for_url("**/articles/*")
    article_id = page.url.split("/articles/")[1].split("#")[0]
    n_events = len(httpx.get(f"{server}/api/articles/{article_id}").json()["events"])
    assert page.locator("#event-list li.ev").count() == n_events
    assert page.locator("#article-text mark.hl-trigger").count() >= n_events
    check_marks(page, server, article_id)
    title = page.get_attribute("#article-text mark.hl-entity[data-kb]", "title")
    assert title and ":" in title  # hover shows the link
    page.screenshot(path=str(shots / "article.png"))

    page.locator("#event-list a.actor").first.click()
    page.wait_for_url("**/actors/*")
    page.wait_for_selector("#actor-timeline[data-ready='1']")
    page.wait_for_selector("#ego-network[data-ready='1']")
    assert page.locator("#ego-network canvas").count() > 0
    page.screenshot(path=str(shots / "actor.png"), full_page=True)
    assert not errors, errors


def test_seed_articles_show_their_events(server: str, browser: Any) -> None:
    errors: list[str] = []
    page = new_page(browser, errors)
    seeds = [read_article(p).article_id for p in sorted(SEEDS.glob("*.txt"))]
    assert len(seeds) == 2
    for article_id in seeds:
        events = httpx.get(f"{server}/api/articles/{article_id}").json()["events"]
        page.goto(f"{server}/articles/{article_id}")
        assert page.locator("#event-list li.ev").count() == len(events) > 0
        for ev in events:
            assert page.locator(f"#article-text mark.hl-trigger[data-event='{ev['event_id']}']").count() >= 1
        assert check_marks(page, server, article_id) > 10
    assert not errors, errors


def test_events_table_sorts_in_place_and_network_draws(server: str, browser: Any, shots: Path) -> None:
    errors: list[str] = []
    page = new_page(browser, errors)
    page.goto(server + "/events?lang=ru")
    first = page.inner_text("#events-table tbody tr:first-child")
    page.click("#events-table th >> text=Goldstein")  # an htmx swap of the table only
    page.wait_for_url("**sort=-goldstein**")  # pushed by htmx: the filters stay in the URL
    page.wait_for_selector("#events-table th[aria-sort='descending']")
    values = [float(v) for v in page.locator("#events-table tbody td.num").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    page.click("#events-table th >> text=Goldstein")  # again: ascending
    page.wait_for_selector("#events-table th[aria-sort='ascending']")
    values = [float(v) for v in page.locator("#events-table tbody td.num").all_inner_texts()]
    assert values == sorted(values)
    assert page.input_value("select[name=lang]") == "ru"
    assert page.input_value("#filters input[name=sort]") == "goldstein"  # the form keeps the sort
    assert first is not None
    page.screenshot(path=str(shots / "events.png"))

    page.goto(server + "/network")
    page.wait_for_selector("#network[data-ready='1']")
    assert int(page.get_attribute("#network", "data-nodes") or 0) > 3
    page.screenshot(path=str(shots / "network.png"), full_page=True)

    page.goto(server + "/search?q=" + "переговоры")
    assert page.locator("ol.results li").count() > 0
    assert not errors, errors


def test_the_map_draws_countries_and_places_and_a_country_lists_its_events(server: str, browser: Any,
                                                                           shots: Path) -> None:
    errors: list[str] = []
    page = new_page(browser, errors)
    page.goto(server + "/map")
    page.wait_for_selector("#map[data-ready='1'] svg")
    assert page.locator("#map svg path").count() > 150  # the countries of Natural Earth, drawn
    assert int(page.get_attribute("#map", "data-countries") or 0) > 3
    assert int(page.get_attribute("#map", "data-places") or 0) >= 1
    page.screenshot(path=str(shots / "map.png"))
    page.goto(server + "/map?lang=kk")  # the filters apply: fewer countries
    page.wait_for_selector("#map[data-ready='1']")
    assert int(page.get_attribute("#map", "data-countries") or 0) >= 1
    assert not errors, errors


def test_phone_width_and_dark_mode(server: str, browser: Any, shots: Path) -> None:
    errors: list[str] = []
    phone = new_page(browser, errors, viewport={"width": 390, "height": 844})
    phone.goto(server + "/")
    phone.wait_for_selector("#timeline[data-ready='1']")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the overview scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(shots / "overview-phone.png"))
    dark = new_page(browser, errors, color_scheme="dark")
    dark.goto(server + "/")
    dark.wait_for_selector("#timeline[data-ready='1']")
    bg = dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg != "rgb(246, 247, 249)", "dark mode keeps the light background"
    event = dark.locator("table.events a.article-link").first
    event.click()
    dark.wait_for_url("**/articles/*")
    dark.screenshot(path=str(shots / "article-dark.png"))
    assert not errors, errors


def test_story_page_shows_articles_by_language_and_merged_events(tmp_path: Path, browser: Any, shots: Path) -> None:
    from click.testing import CliRunner

    from detente.cli import cli
    from tests.test_stories import _seed_inputs

    inputs = tmp_path / "in"
    inputs.mkdir()
    _seed_inputs(inputs)
    db = str(tmp_path / "stories.db")
    assert CliRunner().invoke(cli, ["--db", db, "ingest", str(inputs)]).exit_code == 0
    with serving(db) as base:
        errors: list[str] = []
        page = new_page(browser, errors)
        page.goto(base + "/stories")
        assert page.locator("table.stories a.story-link").count() == 2
        page.locator("table.stories a.story-link").first.click()
        page.wait_for_url("**/stories/s*")
        assert page.locator("#story-articles .story-article").count() == 2
        assert page.locator("#story-articles .badge", has_text="reprint of").count() == 1
        assert page.locator("#story-timeline li").count() >= 1
        page.wait_for_selector("#story-chart[data-ready='1'] svg")  # articles per day by language
        assert page.locator("#story-chart svg rect, #story-chart svg path").count() > 0
        rows = page.locator("#story-events tbody tr")
        assert rows.count() > 0
        assert page.locator("#story-events a.mention").count() > rows.count()  # some events have two reports
        page.screenshot(path=str(shots / "story.png"), full_page=True)
        page.locator("#story-events a.mention").first.click()
        page.wait_for_url("**/articles/*")
        assert page.locator("#article-text").count() == 1
        page.close()
        assert not errors, errors

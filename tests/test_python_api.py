"""The Python API: detente.extract and detente.annotate give the records the CLI prints."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

import detente
from detente.cli import cli
from detente.pipeline import default_pipeline

from .conftest import SEEDS, read_article

SEED = SEEDS / "000_e5002aae462662f6.txt"


def _without_name(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k != "article"} for r in records]


def test_extract_gives_the_events_detente_extract_prints() -> None:
    article = read_article(SEED)
    assert article.published is not None
    events = detente.extract(article.text, published=article.published)
    res = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "jsonl"])
    printed = [json.loads(line) for line in res.stdout.splitlines()]
    assert events and _without_name([dict(e) for e in events]) == _without_name(printed)
    # the same bytes as the contract, but for the file name the CLI knows
    assert [json.dumps(e, ensure_ascii=False) for e in events] == [
        json.dumps({**p, "article": ""}, ensure_ascii=False) for p in printed
    ]


def test_published_as_a_date_or_an_iso_string() -> None:
    article = read_article(SEED)
    assert article.published is not None
    as_date = detente.extract(article.text, published=article.published)
    as_text = detente.extract(article.text, published=article.published.isoformat())
    as_datetime = detente.extract(article.text, published=dt.datetime.combine(article.published, dt.time(9, 30)))
    assert as_date == as_text == as_datetime
    assert {e["published"] for e in as_date} == {article.published.isoformat()}
    assert {e["published"] for e in detente.extract(article.text)} == {None}


def test_annotate_gives_every_layer() -> None:
    text = "8 августа президент России Владимир Путин позвонил Касым-Жомарту Токаеву."
    rec = detente.annotate(text, published="2025-08-11", lang="ru", outlet="Tengrinews")
    cli_keys = {"article_id", "article", "lang", "published", "outlet", "outlet_country", "url", "title", "text",
                "sentences", "entities", "times", "quotes", "events", "lemmas"}
    assert set(rec) == cli_keys
    assert rec["text"] == text and rec["published"] == "2025-08-11" and rec["outlet"] == "Tengrinews"
    for layer in ("entities", "times"):
        for span in rec[layer]:  # type: ignore[literal-required]
            assert text[span["start"] : span["end"]] == span["text"]
    assert {e["name"] for e in rec["entities"]} >= {"Vladimir Putin", "Kassym-Jomart Tokayev"}
    [ev] = rec["events"]
    assert (ev["source"] or {}).get("country") == "RUS" and (ev["target"] or {}).get("country") == "KAZ"
    assert ev["cameo"] == "041" and ev["date"] == "2025-08-08"
    assert detente.extract(text, published="2025-08-11", lang="ru", outlet="Tengrinews") == rec["events"]


def test_models_load_once_per_process() -> None:
    detente.extract("Токаев провёл телефонный разговор с Путиным.")
    before = default_pipeline.cache_info()
    detente.annotate("Зеленський зателефонував Токаєву.", lang="uk")
    after = default_pipeline.cache_info()
    assert after.currsize == 1 and after.misses == before.misses and after.hits > before.hits


@pytest.mark.parametrize(("kwargs", "error"), [({"published": "11.08.2025"}, ValueError),
                                               ({"published": 20250811}, TypeError),
                                               ({"lang": "de"}, ValueError)])
def test_bad_arguments_are_clear_errors(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error) as exc:
        detente.annotate("Токаев провёл переговоры.", **kwargs)  # type: ignore[arg-type]
    assert next(iter(kwargs)) in str(exc.value)

"""Hostile and lossy input to the readers: feed files naming paths, oversized or letterless articles,
dates under other keys or in file names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from detente.doc import Article
from detente.ingest import (
    ArticleTooLarge,
    IngestError,
    IngestWarning,
    MalformedFeed,
    UnsupportedLanguage,
    read_paths,
)

RU = "Президент Казахстана Касым-Жомарт Токаев провел телефонный разговор с Владимиром Путиным."
RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Secret</title>'
    f"<item><title>t</title><link>https://example.org/1</link><description>{RU}</description></item>"
    "</channel></rss>"
)


def read(*paths: Path, **kwargs: object) -> list[Article | IngestError]:
    return list(read_paths(list(paths), **kwargs))  # type: ignore[arg-type]


def test_feed_whose_content_is_a_path_is_not_opened(tmp_path: Path) -> None:
    other = tmp_path / "private.rss"
    other.write_text(RSS, encoding="utf-8")
    for content in (str(other), str(other) + "\n", "/dev/zero"):
        feed = tmp_path / "feed.xml"
        feed.write_text(content, encoding="utf-8")
        results = read(feed)
        assert len(results) == 1 and isinstance(results[0], MalformedFeed), results
        assert results[0].path == str(feed)
    feed.write_bytes(str(other).encode())
    assert not [r for r in read(feed, fmt="feed") if isinstance(r, Article)]


def test_article_over_the_character_cap_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "big", "text": "Путин " * 50}), json.dumps({"id": "ok", "text": RU})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    results = read(tmp_path / "a.jsonl", max_chars=200)
    assert isinstance(results[0], ArticleTooLarge) and results[0].item == "big"
    assert "300" in str(results[0]) and "200" in str(results[0]) and "\n" not in str(results[0])
    assert isinstance(results[1], Article) and results[1].name == "ok"


@pytest.mark.parametrize("text", ["😀😀😀", "שלום עולם, מה שלומך?", "مرحبا بالعالم", "١٢٣ ... !!!"])
def test_text_without_supported_letters_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = read(path)
    assert isinstance(result, UnsupportedLanguage), result
    assert str(result).startswith(f"{path}: no text in a supported language")


def test_jsonl_reads_date_or_published_and_warns_about_other_date_keys(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": RU, "date": "2025-08-11"},
        {"id": "b", "text": RU + " Б", "published": "2025-08-12T10:00:00+05:00"},
        {"id": "c", "text": RU + " В", "pub_date": "2025-08-13"},
        {"id": "d", "text": RU + " Г", "datePublished": "Mon, 11 Aug 2025 09:30:00 +0500"},
        {"id": "e", "text": RU + " Д", "published_at": "11.08.2025", "meta": "2025-08-11"},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    warnings: list[IngestWarning] = []
    arts = {a.name: a for a in read(path, on_warning=warnings.append) if isinstance(a, Article)}
    assert arts["a"].published == dt.date(2025, 8, 11)
    assert arts["b"].published == dt.date(2025, 8, 12)
    assert arts["c"].published is None
    said = [str(w) for w in warnings]
    for line, key in ((3, "pub_date"), (4, "datePublished"), (5, "published_at"), (5, "meta")):
        assert any(s.startswith(f"{path}:line {line}: ") and repr(key) in s for s in said), (key, said)
    assert len(said) == 4 and all("\n" not in s for s in said)


def test_txt_takes_the_date_in_its_file_name_over_the_batch_date(tmp_path: Path) -> None:
    named = tmp_path / "2025-08-11_tass.txt"
    named.write_text(RU, encoding="utf-8")
    plain = tmp_path / "tass.txt"
    plain.write_text(RU + " Ещё.", encoding="utf-8")
    seed = tmp_path / "2020-01-01_seed.txt"
    seed.write_text("date 2025-08-09\n" + RU + " Третья.", encoding="utf-8")
    got = {a.name: a.published for a in read(named, plain, seed, date=dt.date(2025, 1, 1)) if isinstance(a, Article)}
    assert got == {"2025-08-11_tass.txt": dt.date(2025, 8, 11), "tass.txt": dt.date(2025, 1, 1),
                   "2020-01-01_seed.txt": dt.date(2025, 8, 9)}  # a seed first line wins over the name
    bad = tmp_path / "2025-13-40_x.txt"
    bad.write_text(RU, encoding="utf-8")
    warnings: list[IngestWarning] = []
    (art,) = read(bad, on_warning=warnings.append)
    assert isinstance(art, Article) and art.published is None and "2025-13-40" in str(warnings[0])


def test_ingest_reports_refused_articles_and_undated_ones_and_goes_on(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from detente.cli import cli
    from detente.store.db import Store

    (tmp_path / "emoji.txt").write_text("😀😀😀", encoding="utf-8")
    (tmp_path / "hebrew.txt").write_text("שלום עולם", encoding="utf-8")
    (tmp_path / "big.txt").write_text("Путин " * 100, encoding="utf-8")
    (tmp_path / "undated.txt").write_text(RU, encoding="utf-8")
    (tmp_path / "2025-08-11_dated.txt").write_text(RU + " Второй.", encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": RU + " Третий.", "pub_date": "2025-08-12"}), encoding="utf-8")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--max-chars", "300", str(tmp_path)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for name, reason in (("emoji.txt", "no text in a supported language"), ("hebrew.txt", "supported language"),
                         ("big.txt", "300-character limit")):
        assert any(name in ln and reason in ln and ln.startswith("error") for ln in lines), (name, result.output)
    assert any(ln.startswith("warning") and "'pub_date'" in ln for ln in lines), result.output
    assert any(ln.startswith("warning") and "2 article(s) without a publication date" in ln for ln in lines)
    assert "stored: 3" in result.output and "undated: 2" in result.output and "errors: 3" in result.output
    assert Store(str(db)).counts()["articles"] == 3


def test_jsonl_lone_surrogate_escapes_do_not_stop_the_batch(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s", "text": "Путин \\ud800 встретился с Токаевым."}\n', encoding="utf-8")
    warnings: list[IngestWarning] = []
    (art,) = read(path, on_warning=warnings.append)
    assert isinstance(art, Article) and art.text == "Путин \ufffd встретился с Токаевым."
    assert art.article_id and "surrogate" in str(warnings[0])

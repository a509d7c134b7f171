"""Tests for detente.ingest: reading articles from files, robustly."""

from __future__ import annotations

import codecs
import datetime as dt
import importlib.util
import json
import os
import pickle
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

if importlib.util.find_spec("detente") is None:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente.doc import Article
from detente.ingest import (
    BadDate,
    BinaryFile,
    EmptyArticle,
    FileTooLarge,
    IngestError,
    MalformedFeed,
    MalformedHTML,
    MalformedJSONL,
    UndecodableText,
    UnreadableFile,
    UnsupportedFormat,
    read_paths,
    read_text_bytes,
)

SEED = Path("/work/shared/seeds/000_e5002aae462662f6.txt")

RU = (
    "Президент Казахстана Касым-Жомарт Токаев провел телефонный разговор с президентом Украины "
    "Владимиром Зеленским. Стороны обсудили двустороннее сотрудничество и ситуацию в регионе, "
    "сообщает пресс-служба Акорды."
)
UK = (
    "Казахстан готовий виступити з «добрими послугами» як місце переговорів, заявив Токаєв. "
    "Її позиція незмінна: ґрунтовні перемовини мають бути прямими."
)


def read(*paths: str | Path, **kwargs: object) -> list[Article | IngestError]:
    return list(read_paths(list(paths), **kwargs))  # type: ignore[arg-type]


def articles(results: Iterable[Article | IngestError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: Iterable[Article | IngestError]) -> list[IngestError]:
    return [r for r in results if isinstance(r, IngestError)]


def one_article(path: Path, **kwargs: object) -> Article:
    results = read(path, **kwargs)
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def one_error(path: Path, kind: type[IngestError], **kwargs: object) -> IngestError:
    results = read(path, **kwargs)
    assert len(results) == 1, results
    err = results[0]
    assert isinstance(err, kind), repr(err)
    assert_good_message(err, path)
    return err


def assert_good_message(err: IngestError, path: Path | str) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert err.path == str(path)
    assert err.reason and err.reason in " ".join(message.split())


# ------------------------------------------------------------------------------------------- seed


def test_seed_file_from_the_project_keeps_text_exactly() -> None:
    if not SEED.exists():
        pytest.skip("seed file not available")
    raw = SEED.read_text(encoding="utf-8")
    art = one_article(SEED, date=dt.date(2000, 1, 1))
    prefix = " date 2025-08-11 "
    assert raw.startswith(prefix)
    assert art.text == raw[len(prefix) :]
    assert art.published == dt.date(2025, 8, 11)
    assert art.name == "000_e5002aae462662f6.txt"
    assert art.source_path == str(SEED)
    for mention in ("Зеленским", "Tengrinews.kz", "Токаев"):
        start = art.text.index(mention)
        assert start == raw.index(mention) - len(prefix)
        assert art.text[start : start + len(mention)] == mention


def test_seed_text_preserved_char_for_char(tmp_path: Path) -> None:
    body = "  Two leading spaces,\ttabs,   runs of spaces\n\n\nand «quotes» — dashes.\n  \n"
    path = tmp_path / "a.txt"
    path.write_text(" date 2025-08-11 " + body, encoding="utf-8")
    art = one_article(path)
    assert art.text == body
    assert art.published == dt.date(2025, 8, 11)
    assert art.name == "a.txt"
    start = art.text.index("«quotes»")
    assert art.text[start : start + 8] == "«quotes»"


def test_seed_without_leading_space_and_crlf_normalised(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(("date 2024-02-29 " + RU + "\r\nВторой абзац.\r\n").encode())
    art = one_article(path)
    assert art.published == dt.date(2024, 2, 29)
    assert art.text == RU + "\nВторой абзац.\n"
    assert "\r" not in art.text


def test_seed_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(" date 2025-13-40 " + RU, encoding="utf-8")
    err = one_error(path, BadDate)
    assert "2025-13-40" in str(err)


def test_seed_with_no_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_text(" date 2025-01-01 \n  ", encoding="utf-8")
    one_error(path, EmptyArticle)


def test_directory_of_seed_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    files = {
        "b.txt": ("2025-01-02", "Второй текст."),
        "a.txt": ("2025-01-01", "Первый текст."),
        "sub/c.txt": ("2025-01-03", "Третий текст."),
        ".hidden/x.txt": ("2025-01-04", "Скрытый."),
        ".dot.txt": ("2025-01-05", "Скрытый файл."),
    }
    for name, (day, text) in files.items():
        (tmp_path / name).write_text(f" date {day} {text}", encoding="utf-8")
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    results = read(tmp_path)
    assert all(isinstance(r, Article) for r in results), results
    arts = articles(results)
    assert [a.name for a in arts] == ["a.txt", "b.txt", "c.txt"]
    assert [a.text for a in arts] == ["Первый текст.", "Второй текст.", "Третий текст."]
    assert [a.published for a in arts] == [dt.date(2025, 1, d) for d in (1, 2, 3)]
    assert arts[2].source_path == str(tmp_path / "sub" / "c.txt")


def test_directory_follows_symlinks_without_looping(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text(" date 2025-01-01 Текст.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link").symlink_to(real, target_is_directory=True)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "file.txt").symlink_to(real / "a.txt")
    results = read(corpus)
    assert [r.name for r in articles(results)] == ["file.txt", "a.txt"]
    assert not errors(results)


# -------------------------------------------------------------------------------------- plain text


def test_plain_txt_with_and_without_date(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(RU + "\n", encoding="utf-8")
    art = one_article(path)
    assert art.text == RU + "\n"
    assert art.published is None
    assert art.name == "plain.txt"
    dated = one_article(path, date=dt.date(2025, 8, 11))
    assert dated.published == dt.date(2025, 8, 11)
    assert dated.text == art.text


def test_date_argument_does_not_override_seed_date(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(" date 2025-08-11 " + RU, encoding="utf-8")
    assert one_article(path, date=dt.date(2020, 1, 1)).published == dt.date(2025, 8, 11)


def test_forced_formats(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(RU, encoding="utf-8")
    one_error(plain, BadDate, fmt="seed")
    err = one_error(plain, UnsupportedFormat, fmt="docx")
    assert "docx" in err.reason
    records = tmp_path / "records.txt"
    records.write_text(json.dumps({"text": RU, "id": "r1"}) + "\n", encoding="utf-8")
    assert one_article(records, fmt="jsonl").name == "r1"
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    one_error(pdf, UnsupportedFormat)


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "page"
    page.write_text(html_page(), encoding="utf-8")
    assert "Токаев" in one_article(page).text
    feed = tmp_path / "feed.dat"
    feed.write_bytes(RSS)
    assert len(articles(read(feed))) == 2


# ------------------------------------------------------------------------------------------- JSONL


def test_jsonl_good_malformed_and_bad_date(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": RU, "published": "2025-08-11", "url": "https://x.kz/1",
                    "title": "Т", "outlet": "X", "lang": "ru"}, ensure_ascii=False),
        "",
        json.dumps({"text": UK, "published": "2025-09-24T23:30:00+03:00", "lang": "uk-UA"}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "d", "text": "Текст.", "published": "2025-02-30"}),
        json.dumps({"id": "e", "title": "no text"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 7, "text": "Последний.\r\nАбзац."}),
        "   ",
    ]  # fmt: skip
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(path, date=dt.date(2025, 1, 1))
    kinds = [type(r).__name__ for r in results]
    assert kinds == [
        "Article",
        "Article",
        "MalformedJSONL",
        "BadDate",
        "MalformedJSONL",
        "MalformedJSONL",
        "Article",
    ]
    a1, a2, a3 = articles(results)
    assert (a1.name, a1.text, a1.published, a1.url, a1.title, a1.outlet, a1.lang) == (
        "a1",
        RU,
        dt.date(2025, 8, 11),
        "https://x.kz/1",
        "Т",
        "X",
        "ru",
    )
    assert (a2.name, a2.published, a2.lang) == ("batch.jsonl:3", dt.date(2025, 9, 24), "uk")
    assert (a3.name, a3.text, a3.published) == ("7", "Последний.\nАбзац.", dt.date(2025, 1, 1))
    errs = errors(results)
    assert [e.item for e in errs] == ["line 4", "line 5", "line 6", "line 7"]
    assert str(errs[0]).startswith(f"{path}:line 4: ")
    assert "2025-02-30" in str(errs[1])
    for err in errs:
        assert_good_message(err, path)


def test_jsonl_empty_and_non_utf8_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    one_error(empty, EmptyArticle)
    mixed = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": RU}, ensure_ascii=False).encode()
    bad = '{"text": "Привет"}'.encode("cp1251")
    mixed.write_bytes(good + b"\n" + bad + b"\n" + good + b"\n")
    results = read(mixed)
    assert [type(r).__name__ for r in results] == ["Article", "UndecodableText", "Article"]
    assert results[1].item == "line 2"  # type: ignore[union-attr]


def test_jsonl_in_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(json.dumps({"text": RU}, ensure_ascii=False).encode("cp1251") + b"\n")
    assert one_article(path).text == RU


# -------------------------------------------------------------------------------------------- HTML


def html_page(charset: str = "utf-8", with_date: bool = True) -> str:
    para1 = (
        "Президент Казахстана Касым-Жомарт Токаев провел телефонный разговор с президентом Украины "
        "Владимиром Зеленским. Стороны обсудили двустороннее сотрудничество и ситуацию в регионе."
    )
    para2 = (
        "Глава государства подчеркнул, что Казахстан выступает за скорейшее достижение мира и готов "
        "содействовать переговорному процессу. Зеленский поблагодарил за гуманитарную помощь."
    )
    date_meta = (
        '<meta property="article:published_time" content="2025-08-11T14:20:00+05:00">' if with_date else ""
    )
    return f"""<!DOCTYPE html>
<html lang="ru-RU"><head><meta charset="{charset}">
<title>Токаев провел разговор с Зеленским - Новости Казахстана</title>
<link rel="canonical" href="https://example.kz/news/tokaev-zelensky-123">
<meta property="og:site_name" content="Example.kz">
<meta property="og:title" content="Токаев провел разговор с Зеленским">
{date_meta}
<script>var tracking = "should not appear";</script>
</head><body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/sport">Спорт</a></li></ul></nav></header>
<main><article>
<h1>Токаев провел разговор с Зеленским</h1>
<p>{para1}</p>
<p>{para2}</p>
</article>
<aside><h3>Читайте также</h3><ul><li><a href="/n/1">Курс тенге</a></li></ul></aside>
</main>
<footer><p>© 2025 Example.kz. Все права защищены.</p></footer>
</body></html>
"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(html_page(), encoding="utf-8")
    art = one_article(path, date=dt.date(2000, 1, 1))
    assert "Касым-Жомарт Токаев провел телефонный разговор" in art.text
    assert "поблагодарил за гуманитарную помощь" in art.text
    assert "tracking" not in art.text
    assert "Все права защищены" not in art.text
    assert art.title == "Токаев провел разговор с Зеленским"
    assert art.url == "https://example.kz/news/tokaev-zelensky-123"
    assert art.outlet == "Example.kz"
    assert art.published == dt.date(2025, 8, 11)
    assert art.lang == "ru"
    assert art.name == "article.html"


def test_html_date_falls_back_to_argument_and_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "old.htm"
    path.write_bytes(html_page(charset="windows-1251", with_date=False).encode("cp1251"))
    art = one_article(path, date=dt.date(2025, 8, 12))
    assert "Касым-Жомарт Токаев провел телефонный разговор" in art.text
    assert art.published == dt.date(2025, 8, 12)


def test_truncated_html_page(tmp_path: Path) -> None:
    page = html_page()
    cut = page.index("<p>", page.index("<p>") + 1) + 2  # mid-tag, after the first paragraph
    path = tmp_path / "cut.html"
    path.write_text(page[:cut], encoding="utf-8")
    art = one_article(path)
    assert "Касым-Жомарт Токаев провел телефонный разговор" in art.text
    # cut inside the <head>: nothing to extract, reported cleanly
    head_cut = tmp_path / "head.html"
    head_cut.write_text(page[: page.index("<title>") + 4], encoding="utf-8")
    results = read(head_cut)
    assert len(results) == 1
    assert isinstance(results[0], Article | MalformedHTML)


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text(
        "<html><head><title></title></head><body><script>x()</script></body></html>", encoding="utf-8"
    )
    one_error(path, MalformedHTML)


# ------------------------------------------------------------------------------------------- feeds

RSS = (
    """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Tengrinews.kz</title><link>https://tengrinews.kz</link><language>ru-RU</language>
<item><title>Токаев и Зеленский</title><link>https://tengrinews.kz/news/1</link>
<guid>https://tengrinews.kz/news/1</guid><pubDate>Mon, 11 Aug 2025 01:30:00 +0500</pubDate>
<description>&lt;p&gt;Токаев &lt;b&gt;провел&lt;/b&gt; разговор с&amp;nbsp;Зеленским.&lt;/p&gt;"""
    """&lt;p&gt;Второй абзац.&lt;/p&gt;</description></item>
<item><title>Пустая</title><link>https://tengrinews.kz/news/2</link><description></description></item>
<item><title>Путин позвонил</title><link>https://tengrinews.kz/news/3</link>
<description>Путин позвонил Токаеву 8 августа.</description></item>
</channel></rss>
"""
).encode()

ATOM = (
    """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="uk"><title>Укрінформ</title>
<id>urn:ukrinform</id><updated>2025-09-24T10:00:00+03:00</updated>
<entry><id>urn:ukrinform:1</id><title>Токаєв про добрі послуги</title>
<link href="https://www.ukrinform.ua/1"/><updated>2025-09-24T01:00:00+03:00</updated>
<summary>Коротко.</summary>
<content type="html">&lt;p&gt;Казахстан готовий виступити з «добрими послугами».&lt;/p&gt;"""
    """&lt;ul&gt;&lt;li&gt;Пункт&lt;/li&gt;&lt;/ul&gt;</content>
</entry>
<entry><id>urn:ukrinform:2</id><title>Без дати</title><link href="https://www.ukrinform.ua/2"/>
<summary>Лише резюме.</summary></entry>
</feed>
"""
).encode()


def test_rss_feed(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_bytes(RSS)
    results = read(path, date=dt.date(2025, 1, 1))
    assert [type(r).__name__ for r in results] == ["Article", "EmptyArticle", "Article"]
    first, third = articles(results)
    assert first.text == "Токаев провел разговор с\xa0Зеленским.\nВторой абзац."
    assert first.title == "Токаев и Зеленский"
    assert first.url == "https://tengrinews.kz/news/1"
    assert first.name == "https://tengrinews.kz/news/1"
    assert first.outlet == "Tengrinews.kz"
    assert first.published == dt.date(2025, 8, 11)  # the feed's own day, not UTC (10 August)
    assert first.lang == "ru"
    assert first.source_path == str(path)
    assert third.text == "Путин позвонил Токаеву 8 августа."
    assert third.published == dt.date(2025, 1, 1)
    err = results[1]
    assert isinstance(err, EmptyArticle)
    assert err.item == "https://tengrinews.kz/news/2"
    assert str(err) == f"{path}:https://tengrinews.kz/news/2: {err.reason}"


def test_atom_feed(tmp_path: Path) -> None:
    path = tmp_path / "ukrinform.atom"
    path.write_bytes(ATOM)
    first, second = (one for one in read(path))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == "Казахстан готовий виступити з «добрими послугами».\nПункт"
    assert (first.name, first.url, first.outlet) == (
        "urn:ukrinform:1",
        "https://www.ukrinform.ua/1",
        "Укрінформ",
    )
    assert first.published == dt.date(2025, 9, 24)
    assert first.title == "Токаєв про добрі послуги"
    assert second.text == "Лише резюме."
    assert second.published is None


def test_malformed_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<<<garbage>> this is <not xml & at all")
    err = one_error(path, MalformedFeed)
    assert "feed" in err.reason
    not_feed = tmp_path / "other.xml"
    not_feed.write_bytes(b"<?xml version='1.0'?><catalog><book>x</book></catalog>")
    one_error(not_feed, MalformedFeed)


def test_truncated_feed_still_gives_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_bytes(RSS[: RSS.index(b"<item><title>\xd0\x9f\xd1\x83\xd1\x81")])  # cut before the 2nd item
    arts = articles(read(path))
    assert [a.url for a in arts] == ["https://tengrinews.kz/news/1"]


# -------------------------------------------------------------------------------------- bad input


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b" \n\t\r\n"), ("empty.html", b""), ("e.rss", b"")):
        path = tmp_path / name
        path.write_bytes(data)
        one_error(path, EmptyArticle)


def test_binary_file(tmp_path: Path) -> None:
    rng = random.Random(7)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))
    for name in ("image.txt", "image.png", "image.html", "image.jsonl", "image.rss"):
        path = tmp_path / name
        path.write_bytes(png)
        err = one_error(path, BinaryFile)
        assert "not a text file" in err.reason


def test_control_characters_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + b"abc")
    one_error(path, BinaryFile)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"])
def test_legacy_cyrillic_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(RU.encode(encoding))
    assert one_article(path).text == RU


def test_cp1251_ukrainian_and_seed(tmp_path: Path) -> None:
    path = tmp_path / "uk.txt"
    path.write_bytes((" date 2025-09-24 " + UK).encode("cp1251"))
    art = one_article(path)
    assert art.text == UK
    assert art.published == dt.date(2025, 9, 24)


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", b""),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_unicode_encodings_decoded(tmp_path: Path, codec: str, bom: bytes) -> None:
    text = " date 2025-08-11 " + RU + "\r\n" + UK + "\n"
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + text.encode(codec))
    art = one_article(path)
    assert art.text == RU + "\n" + UK + "\n"
    assert art.published == dt.date(2025, 8, 11)


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "mess.txt"
    path.write_bytes(b"abc " + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x98]) * 40 + b" xyz")
    err = one_error(path, UndecodableText)
    assert "UTF-8" in err.reason


def test_file_too_large_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50_000_000)
    started = time.perf_counter()
    err = one_error(path, FileTooLarge)
    assert time.perf_counter() - started < 1.0
    assert "50,000,000" in err.reason
    small = tmp_path / "small.txt"
    small.write_text(RU, encoding="utf-8")
    one_error(small, FileTooLarge, max_bytes=10)


def test_missing_file(tmp_path: Path) -> None:
    err = one_error(tmp_path / "nope.txt", UnreadableFile)
    assert "no such file" in err.reason
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    one_error(link, UnreadableFile)


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.txt"
    path.write_text(RU, encoding="utf-8")
    path.chmod(0)
    one_error(path, UnreadableFile)


def test_mixed_batch_keeps_order_and_every_good_article(tmp_path: Path) -> None:
    good1 = tmp_path / "1.txt"
    good1.write_text(" date 2025-08-11 " + RU, encoding="utf-8")
    empty = tmp_path / "2.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "3.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(512))
    good2 = tmp_path / "4.txt"
    good2.write_bytes(UK.encode("cp1251"))
    missing = tmp_path / "5.txt"
    bad_date = tmp_path / "6.txt"
    bad_date.write_text(" date 2025-13-40 " + RU, encoding="utf-8")
    records = tmp_path / "7.jsonl"
    records.write_text('{"text": "Один."}\n{oops\n{"text": "Два."}\n', encoding="utf-8")
    huge = tmp_path / "8.txt"
    with huge.open("wb") as fh:
        fh.truncate(50_000_000)
    good3 = tmp_path / "9.html"
    good3.write_text(html_page(), encoding="utf-8")
    paths = [good1, empty, binary, good2, missing, bad_date, records, huge, good3]
    results = list(read_paths(str(p) for p in paths))
    kinds = [type(r).__name__ for r in results]
    assert kinds == [
        "Article", "EmptyArticle", "BinaryFile", "Article", "UnreadableFile", "BadDate",
        "Article", "MalformedJSONL", "Article", "FileTooLarge", "Article",
    ]  # fmt: skip
    assert [a.name for a in articles(results)] == ["1.txt", "4.txt", "7.jsonl:1", "7.jsonl:3", "9.html"]
    assert articles(results)[1].text == UK
    expected_paths = [empty, binary, missing, bad_date, records, huge]
    for err, path in zip(errors(results), expected_paths, strict=True):
        assert_good_message(err, path)


def test_read_paths_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(RU, encoding="utf-8")
    stream = read_paths([path, tmp_path / "missing.txt"])
    assert isinstance(next(stream), Article)
    assert isinstance(next(stream), UnreadableFile)
    with pytest.raises(StopIteration):
        next(stream)


# -------------------------------------------------------------------------------- decoding & errors


def test_read_text_bytes_direct() -> None:
    assert read_text_bytes(b"", "x") == ""
    assert read_text_bytes("Привет, мир".encode(), "x") == "Привет, мир"
    assert read_text_bytes(codecs.BOM_UTF8 + b"abc", "x") == "abc"
    assert read_text_bytes("Токаев и Зеленский провели переговоры".encode("utf-16-le"), "x") == (
        "Токаев и Зеленский провели переговоры"
    )
    assert read_text_bytes("Café au lait, naïve déjà vu — “quoted”".encode("cp1252"), "x") == (
        "Café au lait, naïve déjà vu — “quoted”"
    )
    with pytest.raises(BinaryFile):
        read_text_bytes(b"\x00\x01\x02\x03\xff\xfe\xfd" * 10, "x")
    with pytest.raises(UndecodableText):
        read_text_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x00\x00", "x")


def test_error_messages_and_pickling() -> None:
    err = MalformedJSONL("data/a.jsonl", "not valid JSON\n(Expecting value)", item="line 3")
    assert str(err) == "data/a.jsonl:line 3: not valid JSON (Expecting value)"
    assert str(BadDate("s.txt", "bad date")) == "s.txt: bad date"
    assert isinstance(err, IngestError)
    assert isinstance(err, Exception)
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.path, again.reason, again.item) == (
        MalformedJSONL,
        err.path,
        err.reason,
        err.item,
    )


def test_utf8_with_a_few_broken_bytes_is_kept(tmp_path: Path) -> None:
    data = bytearray((" date 2025-08-11 " + RU).encode())
    data[40] = 0xFF  # one corrupted byte in the middle of a Cyrillic letter
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    art = one_article(path)
    assert art.published == dt.date(2025, 8, 11)
    assert "\ufffd" in art.text
    assert art.text.endswith("сообщает пресс-служба Акорды.")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_feed_and_jsonl(tmp_path: Path, codec: str) -> None:
    feed = tmp_path / "news.rss"
    feed.write_bytes(RSS.decode().encode(codec))  # still declares encoding="utf-8"
    assert [a.url for a in articles(read(feed))] == [
        "https://tengrinews.kz/news/1",
        "https://tengrinews.kz/news/3",
    ]
    records = tmp_path / "r.jsonl"
    records.write_bytes((json.dumps({"text": RU}, ensure_ascii=False) + "\n").encode(codec))
    assert one_article(records).text == RU

"""Property tests of every reader (hypothesis): any bytes, any Unicode, any JSON, tag soup and feed
shapes, at sizes up to the limit, give articles or errors that name the file, never a traceback; and
any article text through the pipeline gives a record or a failure record."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.doc import Article
from detente.ingest import FORMATS, IngestError, read_bytes, read_file
from detente.ingest.reader import EXTENSIONS

LABELS = [f"item{ext}" for ext in sorted(EXTENSIONS)] + ["item", "item.bin", "item.pdf"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                    database=None)
FORMAT_OR_SNIFF = st.sampled_from([None, *FORMATS])
WORDS = st.sampled_from(["Токаев", "Путин", "провёл", "переговоры", "Зеленський", "зустрівся", "Astana", "talks",
                         "<p>", "</p>", "<script>", "&amp;", "\x00", "\ufeff", "\u202e", "«", "»", "\n", "\r\n", " "])


def _check(items: list[Article | IngestError], label: str, max_chars: int) -> None:
    for item in items:
        assert isinstance(item, Article | IngestError), type(item)
        if isinstance(item, IngestError):
            assert item.path == label and item.reason and str(item)
        else:
            assert item.text.strip() and len(item.text) <= max_chars
            assert "\x00" not in item.text


@SETTINGS
@given(data=st.binary(max_size=6000), label=st.sampled_from(LABELS), fmt=FORMAT_OR_SNIFF)
def test_any_bytes_give_articles_or_named_errors(data: bytes, label: str, fmt: str | None) -> None:
    _check(list(read_bytes(data, label, fmt=fmt)), label, 200_000)


@SETTINGS
@given(text=st.text(max_size=3000) | st.lists(WORDS, max_size=400).map("".join),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1251", "koi8-r", "utf-32"]),
       label=st.sampled_from(LABELS), fmt=FORMAT_OR_SNIFF)
def test_any_unicode_in_any_encoding(text: str, encoding: str, label: str, fmt: str | None) -> None:
    data = text.encode(encoding, errors="replace")
    _check(list(read_bytes(data, label, fmt=fmt, max_chars=2000)), label, 2000)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
RECORD = st.fixed_dictionaries({"text": st.one_of(st.lists(WORDS, min_size=1, max_size=60).map(" ".join), JSON)},
                               optional={"id": JSON, "published": st.one_of(JSON, st.dates().map(str)),
                                         "title": JSON, "url": JSON, "lang": JSON, "outlet": JSON})


@SETTINGS
@given(lines=st.lists(st.one_of(RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)), JSON.map(json.dumps),
                                st.text(max_size=80)), max_size=30))
def test_any_jsonl_lines(lines: list[str]) -> None:
    _check(list(read_bytes("\n".join(lines).encode("utf-8"), "feed.jsonl")), "feed.jsonl", 200_000)


@SETTINGS
@given(body=st.lists(WORDS | st.sampled_from(["<div>", "</div>", "<title>", "</title>", "<article>", "<!--",
                                              "-->", "<meta charset=koi8-r>", "<![CDATA[", "]]>"]), max_size=300))
def test_any_tag_soup_as_html_and_as_a_feed(body: list[str]) -> None:
    soup = "".join(body)
    _check(list(read_bytes(f"<html><body>{soup}</body></html>".encode(), "page.html")), "page.html", 200_000)
    feed = f'<?xml version="1.0"?><rss><channel><item><title>{soup}</title><description>{soup}</description>' \
           "</item></channel></rss>"
    _check(list(read_bytes(feed.encode(), "news.rss")), "news.rss", 200_000)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(data=st.binary(min_size=1, max_size=4096), limit=st.integers(min_value=1, max_value=4096))
def test_files_up_to_and_over_the_byte_limit(tmp_path_factory: object, data: bytes, limit: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "item.txt"
        path.write_bytes(data)
        items = list(read_file(path, max_bytes=limit))
        if len(data) > limit:
            assert [type(i).__name__ for i in items] == ["FileTooLarge"]
        _check(items, str(path), 200_000)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(text=st.lists(WORDS, min_size=1, max_size=200).map(" ".join) | st.text(min_size=1, max_size=1500))
def test_any_article_text_gives_a_record_or_a_failure_record(text: str) -> None:
    from detente.pipeline import process_batch

    (rec,) = process_batch([{"text": text, "name": "fuzz", "published": None, "url": None, "title": None,
                            "outlet": None, "lang": None, "source_path": None}])
    assert "error" in rec or ("events" in rec and rec["text"] == text)


def test_control_characters_are_taken_out_of_jsonl_text_and_metadata() -> None:
    """Found by the property test: a JSONL "\\u0000" reached the store, which PostgreSQL refuses."""
    line = json.dumps({"id": "a\u0000b", "title": "T\u0007", "text": "Токаев\u0000 провёл\u001b переговоры."})
    (article,) = read_bytes(line.encode(), "x.jsonl")
    assert isinstance(article, Article)
    assert (article.name, article.title, article.text) == ("ab", "T", "Токаев провёл переговоры.")
    (empty,) = read_bytes(json.dumps({"text": "\u0000\u0001 \u0002"}).encode(), "x.jsonl")
    assert isinstance(empty, IngestError) and "control characters" in empty.reason

"""One SQLAlchemy Core schema for the embedded SQLite store and for PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("source_path", Text),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("outlet_country", String(3)),
    Column("lang", String(2)),
    Column("published", String(10)),
    Column("text", Text, nullable=False),
    Column("lemmas", Text),
    Column("n_events", Integer, nullable=False, default=0),
    Column("ingested_at", String(32), nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("type", String(8), primary_key=True),
    Column("text", Text, nullable=False),
    Column("name", Text),
    Column("kb_id", String(64)),
    Column("country", String(3)),
    Column("code", String(16)),
    Column("score", Float),
    Index("ix_entities_kb", "kb_id"),
)

times = Table(
    "times", metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", String(16)),
    Column("precision", String(8)),
)

quotes = Table(
    "quotes", metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("speaker_name", Text),
    Column("speaker_kb_id", String(64)),
)

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(2)),
    Column("published", String(10)),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("day", String(10), nullable=False, default=""),  # event date, else article date ("" unknown)
    Column("cameo", String(4), nullable=False),
    Column("cameo_root", String(2), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("plover", String(16)),
    Column("modality", String(12), nullable=False),
    Column("source_name", Text),
    Column("source_kb_id", String(64)),
    Column("source_country", String(3)),
    Column("source_code", String(16)),
    Column("source_text", Text),
    Column("target_name", Text),
    Column("target_kb_id", String(64)),
    Column("target_country", String(3)),
    Column("target_code", String(16)),
    Column("target_text", Text),
    Column("location_name", Text),
    Column("location_country", String(3)),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("trigger_text", Text),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("quote_speaker", Text),
    Column("rule", String(64)),
    Column("confidence", Float),
    # stories (``detente.store.mentions``): a report of an event another report of the same story states
    # first points to it; the first report counts them all
    Column("story", String(12)),
    Column("merged_into", String(40)),
    Column("num_mentions", Integer, nullable=False, default=1),
    Column("num_sources", Integer, nullable=False, default=1),
    Column("num_articles", Integer, nullable=False, default=1),
    Index("ix_events_date", "date"),
    Index("ix_events_root", "cameo_root"),
    Index("ix_events_source", "source_country"),
    Index("ix_events_target", "target_country"),
    Index("ix_events_article", "article_id"),
)

# The full event (output contract) apart from the columns the filters and aggregates scan, so those
# scans read narrow rows.
event_docs = Table(
    "event_docs", metadata,
    Column("id", String(40), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("json", Text, nullable=False),
)

# Indexes the dashboard and the API rely on; created on old stores too (see ``Store.create``).
EVENT_INDEXES = {
    "ix_events_day_id": "events (day, id)",
    "ix_events_source_kb": "events (source_kb_id, day)",
    "ix_events_target_kb": "events (target_kb_id, day)",
    "ix_events_quad_day": "events (quad_class, day)",
    # covering indexes (they end in merged_into, which every count reads: a merged report is no event):
    # the overview's aggregates over a date range read the index alone
    "ix_events_facts_m": "events (day, quad_class, goldstein, cameo_root, lang, modality, source_country,"
                         " target_country, source_kb_id, target_kb_id, merged_into)",
    # actor pairs and the language × modality mix are grouped in index order
    "ix_events_pair_day_m": "events (source_kb_id, source_country, target_kb_id, target_country, goldstein, day,"
                            " merged_into)",
    "ix_events_mix_m": "events (lang, modality, day, merged_into)",
}
# indexes of earlier versions that the ones above replace (dropped when a store is opened)
OLD_EVENT_INDEXES = ("ix_events_facts", "ix_events_pair_day", "ix_events_mix")

# Stories (``detente.store.stories``): each placed article with its story, the article it reprints, its
# publication day (an ordinal, for the window), the order it was placed in and its profile and word
# weights; the LSH band keys of its MinHash; and in how many placed articles each lemma occurs.
story_members = Table(
    "story_members", metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story", String(12), nullable=False),
    Column("duplicate_of", String(40)),
    Column("day", Integer),
    Column("seq", Integer, nullable=False),
    Column("profile", Text, nullable=False),
    Column("words", Text, nullable=False),
    Index("ix_story_members_story", "story"),
    Index("ix_story_members_day", "day"),
)

# bands are filed by week (``bucket``: the publication day's ordinal // BAND_BUCKET_DAYS, -1 undated): a
# new article's keys land beside the week's others instead of all over one table of every band (a write
# cost that grew with the store), and a lookup reads the weeks around the article's day.
BAND_BUCKET_DAYS = 8
story_bands = Table(
    "story_bands", metadata,
    Column("bucket", Integer, primary_key=True, autoincrement=False),
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,  # the key is the table: one B-tree to write per band, not a table and an index
)



def band_bucket(day: int | None) -> int:
    """The week a band key of an article published on ``day`` (an ordinal) is filed under; -1 when undated."""
    return -1 if day is None else day // BAND_BUCKET_DAYS


def band_rows(article_id: str, published: dt.date | None, keys: Iterable[int]) -> list[dict[str, int | str]]:
    """The ``story_bands`` rows of an article's band ``keys``."""
    bucket = band_bucket(published.toordinal() if published else None)
    return [{"bucket": bucket, "key": k, "article_id": article_id} for k in sorted(set(keys))]


story_terms = Table(
    "story_terms", metadata,
    Column("term", String(64), primary_key=True),
    Column("df", Integer, nullable=False),
    sqlite_with_rowid=False,
)

errors = Table(
    "ingest_errors", metadata,
    Column("path", Text, primary_key=True),
    Column("item", Text, primary_key=True, default=""),
    Column("kind", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# The sources `detente watch` polls: what the last answer said (for a conditional GET), failures in a
# row and when the next poll may come (backoff), and the items of each source already stored.
sources = Table(
    "sources", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_poll", String(32)),
    Column("last_poll", String(32)),
    Column("last_status", String(16)),
    Column("last_error", Text),
    Column("stored", Integer, nullable=False, default=0),
)

source_items = Table(
    "source_items", metadata,
    Column("source", Text, primary_key=True),
    Column("url", Text, primary_key=True),
    Column("article_id", String(40)),
    Column("at", String(32), nullable=False),
)

# A daily rollup (day × actor pair × QuadClass) for dashboards, as a view over events.
ROLLUP_VIEW = """
{create} rollup_daily AS
SELECT day, source_country, target_country, quad_class,
       COUNT(*) AS n_events, SUM(goldstein) AS goldstein_sum
FROM events GROUP BY 1, 2, 3, 4
"""

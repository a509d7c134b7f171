"""Writing the store: the schema (created idempotently, also by two processes at once) and articles.

An article is written in one transaction with all its layers.  Its first statement is the insert of
its ``articles`` row with ``ON CONFLICT DO NOTHING``, so two processes storing the same article at
the same time store it once and neither fails; where the dialect has no such clause, the
``IntegrityError`` of the loser is caught and counted as "stored already".  Re-processing
(``replace``) never erases stored metadata (publication date, url, title, outlet) the new record
lacks.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace as dc_replace
from typing import Any, cast

from sqlalchemy import Engine, delete, insert, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from detente.cluster import minhash
from detente.cluster.signature import Profile
from detente.doc import Article
from detente.records import ArticleRecord, EventRecord
from detente.store import schema as S
from detente.store import textindex

#: The metadata a re-run keeps from the stored article when it was not given them itself.
KEPT_METADATA = ("published", "url", "title", "outlet", "outlet_country")
# messages of the errors a concurrent creator of the same schema causes (SQLite and PostgreSQL)
_RACES = ("already exists", "duplicate column", "duplicate key", "database is locked", "database table is locked")
#: the key of the PostgreSQL advisory lock that one creator of the schema holds at a time
_SCHEMA_LOCK = 0x64E7E47E


def create_schema(engine: Engine, *, is_sqlite: bool, attempts: int = 8) -> None:
    """Create the tables, indexes, the rollup view and (SQLite) the FTS5 index, if missing.

    Another process creating the same schema at the same moment makes a step fail with "already
    exists" (or "database is locked"); the whole creation is then tried again, and finds it done.
    """
    for attempt in range(attempts):
        try:
            _create_once(engine, is_sqlite=is_sqlite)
            return
        except DBAPIError as exc:
            if attempt == attempts - 1 or not any(r in str(exc).lower() for r in _RACES):
                raise
            time.sleep(0.05 * (attempt + 1))


def _create_once(engine: Engine, *, is_sqlite: bool) -> None:
    if is_sqlite:
        S.metadata.create_all(engine)
    with engine.begin() as conn:
        if not is_sqlite:  # DDL is transactional there: one creator at a time, the others find it done
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
            S.metadata.create_all(conn)
        _upgrade(conn)
        for name in S.OLD_EVENT_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        for name, target in S.EVENT_INDEXES.items():
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {target}"))
        if is_sqlite:
            conn.execute(text(S.ROLLUP_VIEW.format(create="CREATE VIEW IF NOT EXISTS")))
        else:
            conn.execute(text(S.ROLLUP_VIEW.format(create="CREATE OR REPLACE VIEW")))
        textindex.create(conn)


_STORY_COLUMNS = {"story": "VARCHAR(12)", "merged_into": "VARCHAR(40)", "num_mentions": "INTEGER NOT NULL DEFAULT 1",
                  "num_sources": "INTEGER NOT NULL DEFAULT 1", "num_articles": "INTEGER NOT NULL DEFAULT 1"}
_PLACE_COLUMNS = {"location_lat": "FLOAT", "location_lon": "FLOAT"}


def _upgrade(conn: Connection) -> None:
    """Bring a store written by an earlier version to the current schema (in place, keeping its data)."""
    _upgrade_bands(conn)
    columns = {c["name"] for c in inspect(conn).get_columns("events")}
    for name, kind in _STORY_COLUMNS.items():
        if name not in columns:
            conn.execute(text(f"ALTER TABLE events ADD COLUMN {name} {kind}"))
    if not set(_PLACE_COLUMNS) <= columns:
        _upgrade_places(conn, columns)
    if "day" in columns and "json" not in columns:
        return
    conn.execute(text("DROP VIEW IF EXISTS rollup_daily"))
    if "day" not in columns:
        conn.execute(text("ALTER TABLE events ADD COLUMN day VARCHAR(10) NOT NULL DEFAULT ''"))
        conn.execute(
            text("UPDATE events SET day = COALESCE(CASE WHEN length(date) = 10 THEN date ELSE published END, '')")
        )
    if "json" in columns:
        conn.execute(text("INSERT INTO event_docs (id, json) SELECT id, json FROM events"))
        conn.execute(text("ALTER TABLE events DROP COLUMN json"))


def _upgrade_places(conn: Connection, columns: set[str]) -> None:
    """Events stored before places had coordinates get them from their stored documents."""
    for name, kind in _PLACE_COLUMNS.items():
        if name not in columns:
            conn.execute(text(f"ALTER TABLE events ADD COLUMN {name} {kind}"))
    if "json" in columns:
        return  # a store older still: its documents move to event_docs below, and their places with a re-run
    e, d = S.events.c, S.event_docs.c
    placed = conn.execute(select(e.id, d.json).join_from(S.events, S.event_docs, d.id == e.id)
                          .where(e.location_name.is_not(None))).all()
    for event_id, doc in placed:
        loc = json.loads(doc).get("location") or {}
        if loc.get("lat") is not None:
            conn.execute(S.events.update().where(e.id == event_id)
                         .values(location_lat=loc["lat"], location_lon=loc.get("lon")))


def _upgrade_bands(conn: Connection) -> None:
    """Band keys of an earlier version (not filed by week) are filed again from the placed articles' profiles."""
    if "bucket" in {c["name"] for c in inspect(conn).get_columns("story_bands")}:
        return
    S.story_bands.drop(conn)
    S.story_bands.create(conn)
    m = S.story_members.c
    for aid, profile in conn.execute(select(m.article_id, m.profile)):
        p = Profile.from_json(profile)
        conn.execute(insert(S.story_bands), S.band_rows(aid, p.published, minhash.band_keys(p.minhash)))


# ---- metadata kept across re-processing ------------------------------------------------------------
def stored_metadata(engine: Engine, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The kept metadata (:data:`KEPT_METADATA`) of the stored articles among ``ids``."""
    a = S.articles
    cols = [a.c.id, *(a.c[k] for k in KEPT_METADATA)]
    wanted = list(dict.fromkeys(ids))
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            for row in conn.execute(select(*cols).where(a.c.id.in_(wanted[i : i + 500]))):
                out[row.id] = {k: getattr(row, k) for k in KEPT_METADATA}
    return out


def keep_metadata(rec: ArticleRecord, old: dict[str, Any] | None) -> ArticleRecord:
    """``rec`` with each kept field it lacks (``None`` or empty) taken from ``old``, the stored row."""
    if not old:
        return rec
    merged: dict[str, Any] = dict(rec)
    for key in KEPT_METADATA:
        if merged.get(key) in (None, "") and old.get(key) not in (None, ""):
            merged[key] = old[key]
    return cast(ArticleRecord, merged)


def keep_article_metadata(articles: list[Article], stored: dict[str, dict[str, Any]]) -> list[Article]:
    """The articles, each with the stored metadata it lacks filled in (before it is processed again,
    so its relative dates resolve against the kept publication date)."""
    out = []
    for art in articles:
        old = stored.get(art.article_id)
        if old:
            published = art.published or (dt.date.fromisoformat(old["published"]) if old.get("published") else None)
            art = dc_replace(art, published=published, url=art.url or old.get("url"),
                             title=art.title or old.get("title"), outlet=art.outlet or old.get("outlet"))
        out.append(art)
    return out


_NO_ACTOR: Mapping[str, Any] = {}


# ---- writing one article -----------------------------------------------------------------------------
def save_record(engine: Engine, rec: ArticleRecord, *, replace: bool) -> bool:
    """Store one annotated article record; False when it was stored already (and ``replace`` is off)."""
    aid = rec["article_id"]
    if replace:
        rec = keep_metadata(rec, stored_metadata(engine, [aid]).get(aid))
    try:
        with engine.begin() as conn:
            if replace:  # a write first: the transaction takes the write lock before it reads anything
                delete_article(conn, aid)
            if not _insert_article_row(conn, rec):
                return False
            _insert_layers(conn, rec)
    except IntegrityError:
        with engine.connect() as conn:  # a concurrent writer stored it between our check and insert
            if conn.execute(select(S.articles.c.id).where(S.articles.c.id == aid)).first() is not None:
                return False
        raise
    return True


def delete_article(conn: Connection, aid: str) -> None:
    """Delete an article and all its layers."""
    ids = select(S.events.c.id).where(S.events.c.article_id == aid)
    conn.execute(delete(S.event_docs).where(S.event_docs.c.id.in_(ids)))
    for table in (S.events, S.entities, S.times, S.quotes):
        conn.execute(delete(table).where(table.c.article_id == aid))
    conn.execute(delete(S.articles).where(S.articles.c.id == aid))
    textindex.remove(conn, aid)


def _article_row(rec: ArticleRecord) -> dict[str, Any]:
    return {
        "id": rec["article_id"],
        "name": rec.get("article") or "",
        "source_path": rec.get("source_path"),
        "url": rec.get("url"),
        "title": rec.get("title"),
        "outlet": rec.get("outlet"),
        "outlet_country": rec.get("outlet_country"),
        "lang": rec.get("lang"),
        "published": rec.get("published"),
        "text": rec["text"],
        "lemmas": rec.get("lemmas"),
        "n_events": len({e["event_id"] for e in rec.get("events", [])}),
        "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def upsert_insert(conn: Connection) -> Any:
    """The dialect's ``insert`` construct, which has ``on_conflict_do_nothing`` and ``on_conflict_do_update``
    (SQLite's, else PostgreSQL's)."""
    return sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert


def _insert_article_row(conn: Connection, rec: ArticleRecord) -> bool:
    """Insert the ``articles`` row unless it is there; True when this call inserted it."""
    row = _article_row(rec)
    if conn.dialect.name in ("sqlite", "postgresql"):
        stmt = upsert_insert(conn)(S.articles).values(**row).on_conflict_do_nothing(index_elements=["id"])
        result = conn.execute(stmt)
        return bool(result.rowcount)
    conn.execute(insert(S.articles).values(**row))
    return True


def _layer_rows(rec: ArticleRecord) -> list[tuple[Any, list[dict[str, Any]]]]:
    """The rows of every layer table for one article, one per distinct span."""
    aid = rec["article_id"]
    ents = {(e["start"], e["end"], e["type"]): e for e in rec.get("entities", [])}
    tms = {t["start"]: t for t in rec.get("times", [])}
    qts = {q["start"]: q for q in rec.get("quotes", [])}
    evs = {e["event_id"]: e for e in rec.get("events", [])}
    return [
        (S.entities, [{"article_id": aid, "start": e["start"], "end": e["end"], "type": e["type"], "text": e["text"],
                       "name": e.get("name"), "kb_id": e.get("kb_id"), "country": e.get("country"),
                       "code": e.get("code"), "score": e.get("score")} for e in ents.values()]),
        (S.times, [{"article_id": aid, "start": t["start"], "end": t["end"], "text": t["text"],
                    "value": t.get("value"), "precision": t.get("precision")} for t in tms.values()]),
        (S.quotes, [{"article_id": aid, "start": q["start"], "end": q["end"],
                     "speaker_name": (q.get("speaker") or _NO_ACTOR).get("name"),
                     "speaker_kb_id": (q.get("speaker") or _NO_ACTOR).get("kb_id")} for q in qts.values()]),
        (S.events, [event_row(e) for e in evs.values()]),
        (S.event_docs, [{"id": e["event_id"], "json": json.dumps(e, ensure_ascii=False)} for e in evs.values()]),
    ]


def _insert_layers(conn: Connection, rec: ArticleRecord) -> None:
    for table, rows in _layer_rows(rec):
        if rows:
            conn.execute(insert(table), rows)
    textindex.add(conn, rec["article_id"], rec.get("title") or "", rec.get("lemmas") or "", rec["text"])


def event_day(ev: EventRecord) -> str:
    """The day an event is filed under: its own date when known to the day, else the article's date."""
    date = ev.get("date")
    if isinstance(date, str) and len(date) == 10:
        return date
    return ev.get("published") or ""


def event_row(ev: EventRecord) -> dict[str, Any]:
    """The ``events`` row of one event (contract dict)."""
    src: Mapping[str, Any] = ev.get("source") or _NO_ACTOR
    tgt: Mapping[str, Any] = ev.get("target") or _NO_ACTOR
    loc: Mapping[str, Any] = ev.get("location") or _NO_ACTOR
    quote: Mapping[str, Any] = ev.get("quote") or _NO_ACTOR
    row = {
        "id": ev["event_id"], "article_id": ev["article_id"], "lang": ev.get("lang"),
        "published": ev.get("published"), "date": ev.get("date"), "date_precision": ev.get("date_precision"),
        "day": event_day(ev), "cameo": ev["cameo"], "cameo_root": ev["cameo_root"], "quad_class": ev["quad_class"],
        "goldstein": ev["goldstein"], "plover": ev.get("plover"), "modality": ev["modality"],
        "location_name": loc.get("name"), "location_country": loc.get("country"),
        "location_lat": loc.get("lat"), "location_lon": loc.get("lon"),
        "trigger_text": ev["trigger"]["text"], "trigger_start": ev["trigger"]["start"],
        "trigger_end": ev["trigger"]["end"], "sentence_start": ev["sentence"]["start"],
        "sentence_end": ev["sentence"]["end"], "quote_speaker": quote.get("speaker"), "rule": ev.get("rule"),
        "confidence": ev.get("confidence"),
    }
    for side, actor in (("source", src), ("target", tgt)):
        for key in ("name", "kb_id", "country", "code", "text"):
            row[f"{side}_{key}"] = actor.get(key)
    return row

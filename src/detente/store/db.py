"""The event store: SQLite in WAL mode by default (one file), PostgreSQL through the same schema.

Articles are keyed by the hash of their text and each article is written in its own transaction
with all its layers, so an interrupted ingest leaves whole articles only and a re-run finishes the
job without duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, create_engine, delete, event, func, insert, inspect, or_, select, text
from sqlalchemy.engine import Connection

from detente.store import schema as S

DEFAULT_DB = "detente.db"


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says which and why."""


def db_url(path_or_url: str | None) -> str:
    """Turn ``--db`` / ``DETENTE_DB`` (a file path or an SQLAlchemy URL) into a URL."""
    value = path_or_url or os.environ.get("DETENTE_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache per connection (the default is 2 MB)
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


class Store:
    """Read and write articles, their layers and events."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        self.url = db_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = Path(self.url.split(":///", 1)[1])
            if not create and not path.exists():
                raise StoreError(f"no database at {path}: run `detente ingest` first or pass --db")
            if path.parent and not path.parent.exists():
                raise StoreError(f"cannot create the database {path}: folder {path.parent} does not exist")
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except Exception as exc:
            raise StoreError(f"cannot open the database {self.url}: {exc}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if create:
            self.create()

    def create(self) -> None:
        """Create the tables, the rollup view and (on SQLite) the FTS5 index, if missing."""
        try:
            S.metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                self._upgrade(conn)
                for name, target in S.EVENT_INDEXES.items():
                    conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {target}"))
                conn.execute(text(S.ROLLUP_VIEW))
                if self.is_sqlite:
                    conn.execute(
                        text(
                            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                            "id UNINDEXED, title, lemmas, text, tokenize='unicode61 remove_diacritics 2')"
                        )
                    )
        except Exception as exc:
            raise StoreError(f"cannot create the schema in {self.url}: {exc}") from exc

    def _upgrade(self, conn: Connection) -> None:
        """Bring a store written by an earlier version to the current schema (in place, keeping its data)."""
        columns = {c["name"] for c in inspect(conn).get_columns("events")}
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

    def analyze(self, *, if_missing: bool = False) -> None:
        """Refresh the query planner's statistics (after an ingest; cheap: a fraction of a second per 100k events).

        With ``if_missing``, only when the store has never been analysed.
        """
        with self.engine.begin() as conn:
            if if_missing and self.is_sqlite:
                has = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
                if has is not None:
                    return
            conn.execute(text("ANALYZE"))

    # ---- writing -------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        """True when the article is stored already."""
        with self.engine.connect() as conn:
            return conn.execute(select(S.articles.c.id).where(S.articles.c.id == article_id)).first() is not None

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Return which of ``ids`` are stored already."""
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i : i + 500])
                out.update(r[0] for r in conn.execute(select(S.articles.c.id).where(S.articles.c.id.in_(chunk))))
        return out

    def save(self, rec: dict[str, Any], *, replace: bool = False) -> bool:
        """Store one annotated article record (``output.article_record``); False if it was stored already."""
        aid = rec["article_id"]
        with self.engine.begin() as conn:
            exists = conn.execute(select(S.articles.c.id).where(S.articles.c.id == aid)).first() is not None
            if exists and not replace:
                return False
            if exists:
                self._delete(conn, aid)
            self._insert(conn, rec)
        return True

    def _delete(self, conn: Connection, aid: str) -> None:
        ids = select(S.events.c.id).where(S.events.c.article_id == aid)
        conn.execute(delete(S.event_docs).where(S.event_docs.c.id.in_(ids)))
        for table in (S.events, S.entities, S.times, S.quotes):
            conn.execute(delete(table).where(table.c.article_id == aid))
        conn.execute(delete(S.articles).where(S.articles.c.id == aid))
        if self.is_sqlite:
            conn.execute(text("DELETE FROM articles_fts WHERE id = :id"), {"id": aid})

    def _insert(self, conn: Connection, rec: dict[str, Any]) -> None:
        aid = rec["article_id"]
        conn.execute(
            insert(S.articles).values(
                id=aid,
                name=rec.get("article") or "",
                source_path=rec.get("source_path"),
                url=rec.get("url"),
                title=rec.get("title"),
                outlet=rec.get("outlet"),
                outlet_country=rec.get("outlet_country"),
                lang=rec.get("lang"),
                published=rec.get("published"),
                text=rec["text"],
                lemmas=rec.get("lemmas"),
                n_events=len({e["event_id"] for e in rec.get("events", [])}),
                ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
        )
        ents = {(e["start"], e["end"], e["type"]): e for e in rec.get("entities", [])}
        if ents:
            conn.execute(
                insert(S.entities),
                [
                    {
                        "article_id": aid,
                        "start": e["start"],
                        "end": e["end"],
                        "type": e["type"],
                        "text": e["text"],
                        "name": e.get("name"),
                        "kb_id": e.get("kb_id"),
                        "country": e.get("country"),
                        "code": e.get("code"),
                        "score": e.get("score"),
                    }
                    for e in ents.values()
                ],
            )
        tms = {t["start"]: t for t in rec.get("times", [])}
        if tms:
            conn.execute(
                insert(S.times),
                [
                    {
                        "article_id": aid,
                        "start": t["start"],
                        "end": t["end"],
                        "text": t["text"],
                        "value": t.get("value"),
                        "precision": t.get("precision"),
                    }
                    for t in tms.values()
                ],
            )
        qts = {q["start"]: q for q in rec.get("quotes", [])}
        if qts:
            conn.execute(
                insert(S.quotes),
                [
                    {
                        "article_id": aid,
                        "start": q["start"],
                        "end": q["end"],
                        "speaker_name": (q.get("speaker") or {}).get("name"),
                        "speaker_kb_id": (q.get("speaker") or {}).get("kb_id"),
                    }
                    for q in qts.values()
                ],
            )
        evs = {e["event_id"]: e for e in rec.get("events", [])}
        if evs:
            conn.execute(insert(S.events), [_event_row(e) for e in evs.values()])
            conn.execute(
                insert(S.event_docs),
                [{"id": e["event_id"], "json": json.dumps(e, ensure_ascii=False)} for e in evs.values()],
            )
        if self.is_sqlite:
            conn.execute(
                text("INSERT INTO articles_fts (id, title, lemmas, text) VALUES (:id, :title, :lemmas, :text)"),
                {"id": aid, "title": rec.get("title") or "", "lemmas": rec.get("lemmas") or "", "text": rec["text"]},
            )

    def log_error(self, path: str, item: str | None, kind: str, reason: str) -> None:
        """Record an ingest error (replacing an earlier one for the same file and item)."""
        with self.engine.begin() as conn:
            conn.execute(delete(S.errors).where(and_(S.errors.c.path == path, S.errors.c.item == (item or ""))))
            conn.execute(
                insert(S.errors).values(
                    path=path,
                    item=item or "",
                    kind=kind,
                    reason=reason,
                    at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                )
            )

    def clear_error(self, path: str) -> None:
        """Forget the errors of a file that now reads cleanly."""
        with self.engine.begin() as conn:
            conn.execute(delete(S.errors).where(S.errors.c.path == path))

    # ---- reading -------------------------------------------------------------------------------
    def events(
        self,
        *,
        actor: str | None = None,
        country: str | None = None,
        cameo: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        modality: str | None = None,
        lang: str | None = None,
        article_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Return stored events (contract dicts) matching the filters, newest first."""
        e = S.events
        conds = []
        if actor:
            like = f"%{actor}%"
            conds.append(
                or_(
                    e.c.source_kb_id == actor,
                    e.c.target_kb_id == actor,
                    e.c.source_name.ilike(like),
                    e.c.target_name.ilike(like),
                    e.c.source_text.ilike(like),
                    e.c.target_text.ilike(like),
                )
            )
        if country:
            conds.append(or_(e.c.source_country == country.upper(), e.c.target_country == country.upper()))
        if cameo:
            conds.append(e.c.cameo_root == cameo if len(cameo) == 2 else e.c.cameo.like(f"{cameo}%"))
        day = e.c.day
        if date_from:
            conds.append(day >= date_from)
        if date_to:
            conds.append(day <= date_to)
        if modality:
            conds.append(e.c.modality == modality)
        if lang:
            conds.append(e.c.lang == lang)
        if article_id:
            conds.append(e.c.article_id.like(f"{article_id}%"))
        d = S.event_docs
        q = (
            select(d.c.json)
            .join_from(e, d, d.c.id == e.c.id)
            .where(*conds)
            .order_by(day.desc(), e.c.article_id, e.c.trigger_start)
        )
        q = q.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [json.loads(r[0]) for r in conn.execute(q)]

    def article(self, prefix: str) -> dict[str, Any] | None:
        """Return an article with its layers, by id or unique id prefix (or file name)."""
        a = S.articles
        with self.engine.connect() as conn:
            rows = conn.execute(select(a).where(or_(a.c.id.like(f"{prefix}%"), a.c.name == prefix)).limit(2)).all()
            if len(rows) != 1:
                return None
            art = dict(rows[0]._mapping)
            aid = art["id"]
            art["entities"] = [
                dict(r._mapping)
                for r in conn.execute(
                    select(S.entities).where(S.entities.c.article_id == aid).order_by(S.entities.c.start)
                )
            ]
            art["times"] = [
                dict(r._mapping)
                for r in conn.execute(select(S.times).where(S.times.c.article_id == aid).order_by(S.times.c.start))
            ]
            art["quotes"] = [
                dict(r._mapping)
                for r in conn.execute(select(S.quotes).where(S.quotes.c.article_id == aid).order_by(S.quotes.c.start))
            ]
            art["events"] = [
                json.loads(r[0])
                for r in conn.execute(
                    select(S.event_docs.c.json)
                    .join_from(S.events, S.event_docs, S.event_docs.c.id == S.events.c.id)
                    .where(S.events.c.article_id == aid)
                    .order_by(S.events.c.trigger_start)
                )
            ]
        return art

    def search_words(self, query: str) -> list[str]:
        """Lemmatize a search query the way article lemmas were indexed."""
        from detente.nlp.langid import detect
        from detente.nlp.morph import analyze
        from detente.nlp.segment import split_tokens

        lang = detect(query)
        return [analyze(t, lang).lemma for _, _, t in split_tokens(query) if any(c.isalnum() for c in t)]

    def matching_article_ids(self, query: str) -> Any:
        """A subquery of the ids of the articles that match a full-text query (all its lemmas)."""
        words = self.search_words(query) or [query]
        if self.is_sqlite:
            return (
                text("SELECT id FROM articles_fts WHERE articles_fts MATCH :m")
                .bindparams(m=_fts_match(words))
                .columns(S.articles.c.id)
            )
        return select(S.articles.c.id).where(*_lemma_conditions(words))

    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[dict[str, Any]]:
        """Full-text search over article lemmas, titles and text; the query is lemmatized first.

        ``marks`` surround the matched words in the snippet (SQLite only).
        """
        words = self.search_words(query)
        if not words:
            return []
        with self.engine.connect() as conn:
            if self.is_sqlite:
                rows = conn.execute(
                    text(
                        "SELECT a.id, a.name, a.published, a.lang, a.title, a.n_events, "
                        "snippet(articles_fts, 3, :open, :close, '…', 12) AS snippet "
                        "FROM articles_fts JOIN articles a ON a.id = articles_fts.id "
                        "WHERE articles_fts MATCH :m ORDER BY rank LIMIT :n"
                    ),
                    {"m": _fts_match(words), "n": limit, "open": marks[0], "close": marks[1]},
                )
                return [dict(r._mapping) for r in rows]
            a = S.articles
            rows2 = conn.execute(
                select(a.c.id, a.c.name, a.c.published, a.c.lang, a.c.title, a.c.n_events)
                .where(*_lemma_conditions(words))
                .limit(limit)
            )
            return [dict(r._mapping) for r in rows2]

    def counts(self) -> dict[str, int]:
        """Return row counts of the main tables."""
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (S.articles, S.events, S.entities, S.errors)
            }

    def iter_errors(self) -> Iterator[dict[str, Any]]:
        """Yield the recorded ingest errors."""
        with self.engine.connect() as conn:
            for r in conn.execute(select(S.errors).order_by(S.errors.c.path)):
                yield dict(r._mapping)


def _fts_match(words: list[str]) -> str:
    """An FTS5 query that needs every lemma, each as a quoted phrase."""
    return " AND ".join('"' + w.replace('"', "") + '"' for w in words)


def _lemma_conditions(words: list[str]) -> list[Any]:
    """The same test where there is no FTS5 (PostgreSQL): every lemma inside the lemma column."""
    return [S.articles.c.lemmas.ilike(f"%{w}%") for w in words]


def event_day(ev: dict[str, Any]) -> str:
    """The day an event is filed under: its own date when known to the day, else the article's date."""
    date = ev.get("date")
    if isinstance(date, str) and len(date) == 10:
        return date
    return ev.get("published") or ""


def _event_row(ev: dict[str, Any]) -> dict[str, Any]:
    src = ev.get("source") or {}
    tgt = ev.get("target") or {}
    loc = ev.get("location") or {}
    quote = ev.get("quote") or {}
    return {
        "id": ev["event_id"],
        "article_id": ev["article_id"],
        "lang": ev.get("lang"),
        "published": ev.get("published"),
        "date": ev.get("date"),
        "date_precision": ev.get("date_precision"),
        "day": event_day(ev),
        "cameo": ev["cameo"],
        "cameo_root": ev["cameo_root"],
        "quad_class": ev["quad_class"],
        "goldstein": ev["goldstein"],
        "plover": ev.get("plover"),
        "modality": ev["modality"],
        "source_name": src.get("name"),
        "source_kb_id": src.get("kb_id"),
        "source_country": src.get("country"),
        "source_code": src.get("code"),
        "source_text": src.get("text"),
        "target_name": tgt.get("name"),
        "target_kb_id": tgt.get("kb_id"),
        "target_country": tgt.get("country"),
        "target_code": tgt.get("code"),
        "target_text": tgt.get("text"),
        "location_name": loc.get("name"),
        "location_country": loc.get("country"),
        "trigger_text": ev["trigger"]["text"],
        "trigger_start": ev["trigger"]["start"],
        "trigger_end": ev["trigger"]["end"],
        "sentence_start": ev["sentence"]["start"],
        "sentence_end": ev["sentence"]["end"],
        "quote_speaker": quote.get("speaker"),
        "rule": ev.get("rule"),
        "confidence": ev.get("confidence"),
    }

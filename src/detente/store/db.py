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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Select, and_, create_engine, delete, event, func, insert, make_url, or_, select, text

from detente.records import ArticleRecord, StoredArticle
from detente.store import fold
from detente.store import schema as S
from detente.store.write import create_schema, event_day, save_record, stored_metadata

if TYPE_CHECKING:
    from detente.cluster.signature import ProfileSetup
    from detente.store.stories import StoryDetail, StorySummary

__all__ = ["DEFAULT_DB", "Store", "StoreError", "db_url", "escape_like", "event_day", "shown_url"]

DEFAULT_DB = "detente.db"


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says which and why."""


def db_url(path_or_url: str | None) -> str:
    """Turn ``--db`` / ``DETENTE_DB`` (a file path or an SQLAlchemy URL) into a URL.

    ``postgresql://`` and ``postgres://`` mean PostgreSQL through psycopg 3 (``pip install detente[postgres]``).
    """
    value = path_or_url or os.environ.get("DETENTE_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    scheme, rest = value.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return value


def shown_url(url: str) -> str:
    """A database URL (or file path) fit to print: its password, if any, replaced by ``***``."""
    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can read: show only its scheme
        return url.split("://", 1)[0] + "://…" if "://" in url else url


def _without(exc: Exception, url: str) -> str:
    """An error's message, without the URL's password should the driver quote it."""
    message = str(exc).split("\n(Background on this error", 1)[0]
    try:
        password = make_url(url).password if "://" in url else None
    except Exception:
        return message
    return message.replace(str(password), "***") if password else message


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL waits for a concurrent creator
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache per connection (the default is 2 MB)
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()
    fold.register(dbapi_conn)  # detente_fold(): case-insensitive matching in every script


class Store:
    """Read and write articles, their layers and events."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        """Open the store at ``url``; with ``create`` False an SQLite file must already be there.

        Either way the schema is brought up to date: a store written by an earlier version gains the
        tables, columns and indexes it lacks, in place, before anything reads it.
        """
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
            raise StoreError(f"cannot open the database {shown_url(self.url)}: {_without(exc, self.url)}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.create()

    def create(self) -> None:
        """Create the tables, the rollup view and (on SQLite) the FTS5 index, if missing.

        Safe when another process creates the same store at the same moment.
        """
        try:
            create_schema(self.engine, is_sqlite=self.is_sqlite)
        except Exception as exc:
            raise StoreError(f"cannot create the schema in {shown_url(self.url)}: {_without(exc, self.url)}") from exc

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

    def save(self, rec: ArticleRecord, *, replace: bool = False) -> bool:
        """Store one annotated article record (``output.article_record``); False if it was stored already.

        Safe against a concurrent writer of the same article (it is stored once); with ``replace``, the
        stored publication date, url, title and outlet are kept where the new record has none.
        """
        return save_record(self.engine, rec, replace=replace)

    def stored_metadata(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The publication date, url, title and outlet of the stored articles among ``ids``."""
        return stored_metadata(self.engine, ids)

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
    def article(self, prefix: str) -> StoredArticle | None:
        """Return an article with its layers, by id or unique id prefix (or file name)."""
        a = S.articles
        with self.engine.connect() as conn:
            by_id = a.c.id.like(escape_like(prefix) + "%", escape="\\")
            rows = conn.execute(select(a).where(or_(by_id, a.c.name == prefix)).limit(2)).all()
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
        return cast(StoredArticle, art)

    def counts(self) -> dict[str, int]:
        """Return row counts of the main tables."""
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (S.articles, S.events, S.entities, S.errors)
            }

    # ---- stories -------------------------------------------------------------------------------
    def assign_stories(self, setup: ProfileSetup, progress: Callable[[int, int], None] | None = None,
                       among: Sequence[str] | None = None) -> int:
        """Place every stored article (of ``among``) that is in no story yet, oldest first; the number placed.

        ``setup`` holds what profiles are read with (:meth:`detente.cluster.signature.ProfileSetup.build`).
        """
        from detente.store.stories import assign_stories

        return assign_stories(self.engine, setup, progress=progress, among=among)

    def stories(self, *, limit: int = 50, min_articles: int = 1,
                among: Select[tuple[str | None]] | None = None) -> list[StorySummary]:
        """The stories with the newest articles first (of the labels ``among`` selects, when given)."""
        from detente.store.stories import list_stories

        return list_stories(self.engine, limit=limit, min_articles=min_articles, among=among)

    def story(self, label: str) -> StoryDetail | None:
        """One story with its articles, or None."""
        from detente.store.stories import story_detail

        return story_detail(self.engine, label)

    def iter_errors(self) -> Iterator[dict[str, Any]]:
        """Yield the recorded ingest errors."""
        with self.engine.connect() as conn:
            for r in conn.execute(select(S.errors).order_by(S.errors.c.path)):
                yield dict(r._mapping)


def escape_like(value: str) -> str:
    """``value`` with the LIKE wildcards ``%`` and ``_`` (and the escape ``\\``) escaped, for ``escape="\\"``."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""The full-text index of stored articles: FTS5 on SQLite, a ``tsvector`` table with a GIN index on PostgreSQL.

Both backends index the same tokens of an article's title, lemmas and text and match a query the same
way, so a search finds the same articles on either: a token is a run of letters and digits, casefolded,
its diacritics removed (what FTS5's ``unicode61`` tokenizer with ``remove_diacritics 2`` does: ``й`` is
``и``, ``ё`` is ``е``). On PostgreSQL the tokens are made here, in Python, and stored through the
``simple`` configuration (which only lower-cases), so its own parser's notion of a word never differs
from FTS5's. Every query word must occur; a word of several tokens (``Касым-Жомарт``) must occur as
that phrase.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    MetaData,
    String,
    Table,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection

SQLITE_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
              "id UNINDEXED, title, lemmas, text, tokenize='unicode61 remove_diacritics 2')")

#: the PostgreSQL index (kept apart from the shared schema: SQLite has no TSVECTOR)
pg_metadata = MetaData()
articles_tsv = Table(
    "articles_tsv", pg_metadata,
    Column("id", String(40), primary_key=True),
    Column("doc", TSVECTOR, nullable=False),
    Index("ix_articles_tsv_doc", "doc", postgresql_using="gin"),
)

_TOKEN = re.compile(r"[^\W_]+")
#: PostgreSQL keeps no lexeme longer than this (it drops it with a notice); FTS5 would index it
MAX_TOKEN = 2046


def tokens(value: str) -> list[str]:
    """The index tokens of ``value``: runs of letters and digits, casefolded, without diacritics."""
    bare = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    return [t for t in _TOKEN.findall(bare.casefold()) if len(t) <= MAX_TOKEN]


def fts5_query(words: Sequence[str]) -> str:
    """The FTS5 query that needs every word, each as a quoted phrase."""
    return " AND ".join('"' + w.replace('"', "") + '"' for w in words)


def pg_query(words: Sequence[str]) -> str | None:
    """The same query as a ``tsquery``: every word's tokens as a phrase, all words needed (None: no token)."""
    phrases = [" <-> ".join(f"'{t}'" for t in toks) for w in words if (toks := tokens(w))]
    return " & ".join(f"({p})" for p in phrases) if phrases else None


def create(conn: Connection) -> None:
    """Create the index of the connection's dialect, if missing."""
    if conn.dialect.name == "sqlite":
        conn.execute(text(SQLITE_DDL))
    elif conn.dialect.name == "postgresql":
        pg_metadata.create_all(conn)


def add(conn: Connection, article_id: str, title: str, lemmas: str, body: str) -> None:
    """Index one article."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO articles_fts (id, title, lemmas, text) VALUES (:id, :title, :lemmas, :text)"),
                     {"id": article_id, "title": title, "lemmas": lemmas, "text": body})
    elif conn.dialect.name == "postgresql":
        doc = " ".join(tokens(title) + tokens(lemmas) + tokens(body))
        conn.execute(insert(articles_tsv).values(id=article_id, doc=func.to_tsvector("simple", doc)))


def remove(conn: Connection, article_id: str) -> None:
    """Take one article out of the index."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM articles_fts WHERE id = :id"), {"id": article_id})
    elif conn.dialect.name == "postgresql":
        conn.execute(delete(articles_tsv).where(articles_tsv.c.id == article_id))


def pg_match(words: Sequence[str]) -> Any:
    """The PostgreSQL ``tsquery`` of ``words`` as a bound SQL expression (None when they have no token)."""
    query = pg_query(words)
    return None if query is None else cast(bindparam("tsq", query), TSQUERY)


def matching_ids(dialect: str, words: Sequence[str]) -> Any:
    """A subquery of the ids of the articles that hold every one of ``words``."""
    if dialect == "sqlite":
        query = text("SELECT id FROM articles_fts WHERE articles_fts MATCH :m").bindparams(m=fts5_query(words))
        return query.columns(column("id", String))
    match = pg_match(words)
    if match is None:
        return select(articles_tsv.c.id).where(text("false"))
    return select(articles_tsv.c.id).where(articles_tsv.c.doc.op("@@")(match))

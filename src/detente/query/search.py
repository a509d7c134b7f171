"""Lemma full-text search over stored articles: FTS5 on SQLite, a lemma-column test on PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, select, text

from detente.query.filters import check_text
from detente.records import ArticleHit
from detente.store import schema as S
from detente.store.db import Store


def search_words(query: str) -> list[str]:
    """Lemmatize a search query the way article lemmas were indexed."""
    from detente.nlp.langid import detect
    from detente.nlp.morph import analyze
    from detente.nlp.segment import split_tokens

    lang = detect(query)
    return [analyze(t, lang).lemma for _, _, t in split_tokens(query) if any(c.isalnum() for c in t)]


def fts_match(words: list[str]) -> str:
    """An FTS5 query that needs every lemma, each as a quoted phrase."""
    return " AND ".join('"' + w.replace('"', "") + '"' for w in words)


def lemma_conditions(words: list[str]) -> list[Any]:
    """The same test where there is no FTS5 (PostgreSQL): every lemma inside the lemma column."""
    return [S.articles.c.lemmas.ilike(f"%{w}%") for w in words]


def matching_article_ids(store: Store, query: str) -> Any:
    """A subquery of the ids of the articles that match a full-text query (all its lemmas)."""
    words = search_words(query) or [query]
    if store.is_sqlite:
        return (
            text("SELECT id FROM articles_fts WHERE articles_fts MATCH :m")
            .bindparams(m=fts_match(words))
            .columns(S.articles.c.id)
        )
    return select(S.articles.c.id).where(*lemma_conditions(words))


def search_articles(
    store: Store, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")
) -> list[ArticleHit]:
    """Articles matching a lemma full-text query, best first; ``marks`` surround the matches in the snippet.

    A query with a control character (NUL ...) is a QueryError naming ``q``.
    """
    words = search_words(check_text("q", query) or "")
    if not words:
        return []
    with store.engine.connect() as conn:
        if store.is_sqlite:
            rows = conn.execute(
                text(
                    "SELECT a.id, a.name, a.published, a.lang, a.title, a.n_events, "
                    "snippet(articles_fts, 3, :open, :close, '…', 12) AS snippet "
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.id "
                    "WHERE articles_fts MATCH :m ORDER BY rank LIMIT :n"
                ),
                {"m": fts_match(words), "n": limit, "open": marks[0], "close": marks[1]},
            )
        else:
            a = S.articles
            rows = conn.execute(
                select(a.c.id, a.c.name, a.c.published, a.c.lang, a.c.title, a.c.n_events)
                .where(*lemma_conditions(words))
                .limit(limit)
            )
        return [_hit(r._mapping) for r in rows]


def _hit(row: RowMapping) -> ArticleHit:
    hit = ArticleHit(id=row["id"], name=row["name"], published=row["published"], lang=row["lang"],
                     title=row["title"], n_events=row["n_events"])
    if row.get("snippet") is not None:
        hit["snippet"] = row["snippet"]
    return hit

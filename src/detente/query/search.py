"""Lemma full-text search over stored articles, through the store's text index (:mod:`detente.store.textindex`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, func, select, text

from detente.query.filters import check_text
from detente.records import ArticleHit
from detente.store import schema as S
from detente.store import textindex
from detente.store.db import Store

SNIPPET_WORDS = 12


def search_words(query: str) -> list[str]:
    """Lemmatize a search query the way article lemmas were indexed."""
    from detente.nlp.langid import detect
    from detente.nlp.morph import analyze
    from detente.nlp.segment import split_tokens

    lang = detect(query)
    return [analyze(t, lang).lemma for _, _, t in split_tokens(query) if any(c.isalnum() for c in t)]


def matching_article_ids(store: Store, query: str) -> Any:
    """A subquery of the ids of the articles that match a full-text query (all its lemmas)."""
    return textindex.matching_ids(store.engine.dialect.name, search_words(query) or [query])


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
                    f"snippet(articles_fts, 3, :open, :close, '…', {SNIPPET_WORDS}) AS snippet "
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.id "
                    "WHERE articles_fts MATCH :m ORDER BY rank LIMIT :n"
                ),
                {"m": textindex.fts5_query(words), "n": limit, "open": marks[0], "close": marks[1]},
            )
            return [_hit(r._mapping) for r in rows]
        match = textindex.pg_match(words)
        if match is None:
            return []
        a, t = S.articles, textindex.articles_tsv
        options = f"StartSel={_pg_option(marks[0])}, StopSel={_pg_option(marks[1])}, " \
                  f"MaxWords={SNIPPET_WORDS}, MinWords=4, FragmentDelimiter=…, MaxFragments=1"
        rank = func.ts_rank(t.c.doc, match, 1)  # 1: divided by 1 + log(length), as bm25 favours short texts
        rows = conn.execute(
            select(a.c.id, a.c.name, a.c.published, a.c.lang, a.c.title, a.c.n_events,
                   func.ts_headline("simple", a.c.text, match, options).label("snippet"))
            .join_from(t, a, a.c.id == t.c.id)
            .where(t.c.doc.op("@@")(match))
            .order_by(rank.desc(), a.c.id)
            .limit(limit)
        )
        return [_hit(r._mapping) for r in rows]


def _pg_option(mark: str) -> str:
    """A ``ts_headline`` option value: double-quoted, its quotes doubled."""
    return '"' + mark.replace('"', '""') + '"'


def _hit(row: RowMapping) -> ArticleHit:
    hit = ArticleHit(id=row["id"], name=row["name"], published=row["published"], lang=row["lang"],
                     title=row["title"], n_events=row["n_events"])
    if row.get("snippet") is not None:
        hit["snippet"] = row["snippet"]
    return hit

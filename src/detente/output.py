"""The output contract: events and articles as JSON objects (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import cast

from detente.doc import Article, Doc, Entity, Event
from detente.events.cameo import lookup
from detente.records import (
    ActorRecord,
    ArticleRecord,
    EntityRecord,
    EventRecord,
    InputRecord,
    LocationRecord,
    QuoteRecord,
    TimeRecord,
)


def _actor(e: Entity | None) -> ActorRecord | None:
    if e is None:
        return None
    return {"name": e.name, "kb_id": e.kb_id, "country": e.country, "code": e.code, "text": e.text,
            "start": e.start, "end": e.end}


def event_id(doc: Doc, ev: Event) -> str:
    """A stable id: hash of the article, trigger offsets, code and actors."""
    key = "|".join([doc.article_id, str(ev.trigger_start), ev.cameo,
                    (ev.source.kb_id or ev.source.country or "") if ev.source else "",
                    (ev.target.kb_id or ev.target.country or "") if ev.target else "", ev.modality])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def event_dict(doc: Doc, ev: Event) -> EventRecord:
    """Return one event in the fixed output contract."""
    code = lookup(ev.cameo)
    sent = doc.sents[ev.sent]
    quote = doc.quotes[ev.quote] if ev.quote is not None else None
    return {
        "event_id": event_id(doc, ev),
        "article_id": doc.article_id,
        "article": doc.name,
        "lang": doc.sents[ev.sent].lang if doc.sents else doc.lang,
        "published": doc.published.isoformat() if doc.published else None,
        "cameo": code.code,
        "cameo_root": code.root,
        "cameo_label": code.label,
        "quad_class": code.quad_class,
        "goldstein": code.goldstein,
        "plover": code.plover,
        "plover_mode": code.plover_mode,
        "modality": ev.modality,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "source": _actor(ev.source),
        "target": _actor(ev.target),
        "location": cast(LocationRecord | None, ev.location),
        "trigger": {"text": doc.text[ev.trigger_start : ev.trigger_end], "start": ev.trigger_start,
                    "end": ev.trigger_end},
        "sentence": {"text": doc.text[sent.start : sent.end], "start": sent.start, "end": sent.end},
        "quote": None if quote is None else {
            "start": quote.start, "end": quote.end,
            "speaker": None if quote.speaker is None else quote.speaker.name},
        "evidence": [{"start": s, "end": e} for s, e in ev.evidence],
        "rule": ev.rule,
        "confidence": ev.confidence,
    }


def article_dict(doc: Doc) -> ArticleRecord:
    """Return one article with every layer (the `annotate` contract)."""
    return {
        "article_id": doc.article_id,
        "article": doc.name,
        "lang": doc.lang,
        "published": doc.published.isoformat() if doc.published else None,
        "outlet": doc.outlet,
        "outlet_country": doc.outlet_country,
        "url": doc.url,
        "title": doc.title,
        "text": doc.text,
        "sentences": [{"start": s.start, "end": s.end, "lang": s.lang} for s in doc.sents],
        "entities": [cast(EntityRecord, e.as_dict()) for e in doc.entities],
        "times": [cast(TimeRecord, t.as_dict()) for t in doc.times],
        "quotes": [cast(QuoteRecord, q.as_dict()) for q in doc.quotes],
        "events": [event_dict(doc, ev) for ev in doc.events],
        "lemmas": " ".join(t.lemma for t in doc.tokens if t.lemma and any(c.isalnum() for c in t.lemma)),
    }


def article_record(doc: Doc) -> ArticleRecord:
    """The record of :func:`article_dict`: the form engines pass between processes and the store saves."""
    return article_dict(doc)


def record_to_article(rec: InputRecord) -> Article:
    """Build an :class:`Article` from an input record (as engines pass them between processes)."""
    raw = rec.get("published")
    published = dt.date.fromisoformat(raw[:10]) if isinstance(raw, str) and raw else None
    return Article(text=str(rec["text"]), name=str(rec.get("name") or ""), published=published,
                   url=rec.get("url"), title=rec.get("title"), outlet=rec.get("outlet"), lang=rec.get("lang"),
                   source_path=rec.get("source_path"))


def article_to_record(article: Article) -> InputRecord:
    """The inverse of :func:`record_to_article`."""
    return {"text": article.text, "name": article.name,
            "published": article.published.isoformat() if article.published else None,
            "url": article.url, "title": article.title, "outlet": article.outlet, "lang": article.lang,
            "source_path": article.source_path}

"""What an article is about, read from its processed record: the profile stories are built from.

A profile holds the article's linked actors and places (weighted: a person, an organisation or a city
says more about the happening than a country every article of the region names) and its figures, its
date, the MinHash signature of its text for reprints, and its title and lead (for display). It reads
the same from a processed record (:func:`profile`) as from the store's rows (:func:`profile_of`), and
travels as JSON (:meth:`Profile.to_json`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.cluster import minhash
from detente.records import ArticleRecord

#: weight of an actor by what it is: a country is named by nearly every article of the region
COUNTRY_WEIGHT = 0.35
NUMBER_WEIGHT = 0.5  # a figure ("205 prisoners", "$1.2 billion") reads the same in every language
LEAD_CHARS = 300  # characters of the body read as the lead beside the title


@dataclass(slots=True)
class Profile:
    """One article as the story builder reads it."""

    name: str
    article_id: str
    lang: str | None
    published: dt.date | None
    outlet: str | None
    actors: dict[str, float]
    minhash: minhash.Signature
    lead: str
    lemmas: str = ""
    shingles: int = 0  # how many distinct shingles the text has (for the containment of a reprint)

    def to_json(self) -> str:
        """The profile as JSON (without the lemmas, which the store keeps with the article)."""
        return json.dumps({"name": self.name, "article_id": self.article_id, "lang": self.lang,
                           "published": self.published.isoformat() if self.published else None,
                           "outlet": self.outlet, "actors": self.actors, "minhash": self.minhash.tobytes().hex(),
                           "shingles": self.shingles, "lead": self.lead}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Profile:
        """Read a profile written by :meth:`to_json`."""
        obj: dict[str, Any] = json.loads(raw)
        return cls(name=obj["name"], article_id=obj["article_id"], lang=obj["lang"],
                   published=dt.date.fromisoformat(obj["published"]) if obj["published"] else None,
                   outlet=obj["outlet"], actors=obj["actors"],
                   minhash=np.frombuffer(bytes.fromhex(obj["minhash"]), dtype=np.uint64).copy(), lead=obj["lead"],
                   shingles=int(obj.get("shingles", 0)))


def _is_year(digits: str) -> bool:
    """True for a four-digit number that reads as a year (every article of a year names it)."""
    return len(digits) == 4 and 1900 <= int(digits) <= 2100


def actor_weights(entities: Iterable[Mapping[str, Any]], lemmas: str, countries: Collection[str]) -> dict[str, float]:
    """The article's linked actors and places, and its figures, each weighted by what it is.

    ``entities`` need ``type`` and ``kb_id``; ``countries`` are the KB ids of countries
    (:meth:`detente.kb.base.KnowledgeBase.country_ids`), which weigh :data:`COUNTRY_WEIGHT` however
    they are named (a city carries its country's code, so the code cannot tell them apart). How often
    an article names an actor does not count: the counterpart named once tells two meetings of one
    minister apart as well as the minister named ten times. Media are left out (an outlet credited in
    a byline says nothing about the happening), and so are years and one-digit numbers.
    """
    out: dict[str, float] = {}
    for ent in entities:
        key = ent.get("kb_id")
        if key and ent["type"] != "MEDIA":
            out[key] = COUNTRY_WEIGHT if key in countries else 1.0
    for lemma in lemmas.split():
        if lemma.isdigit() and len(lemma) >= 2 and not _is_year(lemma):
            out["#" + lemma] = NUMBER_WEIGHT
    return out


def profile_of(*, name: str, article_id: str, lang: str | None, published: dt.date | None, outlet: str | None,
               title: str | None, text: str, lemmas: str, entities: Iterable[Mapping[str, Any]],
               countries: Collection[str]) -> Profile:
    """The profile of an article from its parts (as the store keeps them); ``countries`` as in :func:`actor_weights`."""
    lead = ((title or "") + "\n" + text[:LEAD_CHARS]).strip()
    shingles = minhash.shingles(text)
    return Profile(name=name, article_id=article_id, lang=lang, published=published, outlet=outlet,
                   actors=actor_weights(entities, lemmas, countries), minhash=minhash.signature_of(shingles), lead=lead,
                   lemmas=lemmas, shingles=len(shingles))


def profile(record: ArticleRecord, countries: Collection[str]) -> Profile:
    """The profile of one processed article (``countries``: the KB ids of countries)."""
    published = dt.date.fromisoformat(record["published"]) if record["published"] else None
    return profile_of(name=record["article"], article_id=record["article_id"], lang=record["lang"],
                      published=published, outlet=record.get("outlet"), title=record.get("title"),
                      text=record["text"], lemmas=record["lemmas"],
                      entities=record["entities"], countries=countries)

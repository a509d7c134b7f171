"""What an article is about, read from its processed record: the profile stories are built from.

A profile holds the article's linked actors and places (weighted: a person, an organisation or a city
says more about the happening than a country every article of the region names) and its figures, its
date, the MinHash signature of its text for reprints, and its title and lead for an optional embedding.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from detente.cluster import minhash
from detente.records import ArticleRecord

#: weight of an actor by what it is: a country is named by nearly every article of the region
COUNTRY_WEIGHT = 0.35
NUMBER_WEIGHT = 0.5  # a figure ("205 prisoners", "$1.2 billion") reads the same in every language
LEAD_CHARS = 300  # characters of the body read as the lead beside the title

Vector = npt.NDArray[np.float32]


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
    vector: Vector | None = field(default=None)

    @property
    def norm(self) -> float:
        """The Euclidean length of the actor weights."""
        return math.sqrt(sum(w * w for w in self.actors.values()))


def _is_country(code: str | None, kb_type: str) -> bool:
    return kb_type == "LOC" and code is not None and len(code) == 3 and code.isalpha()


def actor_weights(record: ArticleRecord) -> dict[str, float]:
    """The article's linked actors and places, and its figures, each weighted by kind and by how often it is named.

    Media are left out (an outlet credited in a byline says nothing about the happening), and so are
    years and one-digit numbers.
    """
    counts: Counter[str] = Counter()
    kinds: dict[str, float] = {}
    for ent in record["entities"]:
        key = ent.get("kb_id")
        if not key or ent["type"] == "MEDIA":
            continue
        counts[key] += 1
        kinds[key] = COUNTRY_WEIGHT if _is_country(ent.get("code"), ent["type"]) else 1.0
    for lemma in record["lemmas"].split():
        if lemma.isdigit() and len(lemma) >= 2 and not _is_year(lemma):
            counts["#" + lemma] += 1
            kinds["#" + lemma] = NUMBER_WEIGHT
    return {k: kinds[k] * (1.0 + math.log(n)) for k, n in counts.items()}


def _is_year(digits: str) -> bool:
    """True for a four-digit number that reads as a year (every article of a year names it)."""
    return len(digits) == 4 and 1900 <= int(digits) <= 2100


def profile(record: ArticleRecord) -> Profile:
    """The profile of one processed article."""
    published = dt.date.fromisoformat(record["published"]) if record["published"] else None
    title = record.get("title") or ""
    lead = (title + "\n" + record["text"][:LEAD_CHARS]).strip()
    return Profile(name=record["article"], article_id=record["article_id"], lang=record["lang"],
                   published=published, outlet=record.get("outlet"), actors=actor_weights(record),
                   minhash=minhash.signature(record["text"]), lead=lead,
                   lemmas=record["lemmas"])

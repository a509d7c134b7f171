"""What an article is about, read from its processed record: the profile stories are built from.

A profile holds the article's linked actors and places (weighted: a person, an organisation or a city
says more about the happening than a country every article of the region names, and one named in the
headline's paragraph more than one named in the background further down) and its figures, how its lead
says the parties met (a call or a meeting), its date, the MinHash signature of its text for reprints,
and its title and lead (for display). It reads the same from a processed record (:func:`profile`) as
from the store's rows (:func:`profile_of`), and travels as JSON (:meth:`Profile.to_json`). What it is
read with besides the article (the KB's countries, each language's contact words) is a
:class:`ProfileSetup`, passed in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from detente.cluster import minhash
from detente.records import ArticleRecord

if TYPE_CHECKING:
    from detente.kb.base import KnowledgeBase
    from detente.lang import Languages

#: weight of an actor by what it is: a country is named by nearly every article of the region
COUNTRY_WEIGHT = 0.35
NUMBER_WEIGHT = 0.5  # a figure ("205 prisoners", "$1.2 billion") reads the same in every language
BODY_WEIGHT = 0.5  # an actor named only after the first paragraph: background, often another happening
LEAD_CHARS = 300  # characters of the body shown as the lead beside the title
MAX_LEAD = 600  # the first paragraph is read up to here (a text with no paragraph breaks has no long lead)

Contact = Literal["call", "meet"]


@dataclass(frozen=True, slots=True)
class ContactWords:
    """One language's words for a phone call and for a meeting (``lang/<code>/stories.yaml``)."""

    call: re.Pattern[str] | None
    meet: re.Pattern[str] | None

    @classmethod
    def of(cls, words: Mapping[str, list[str]]) -> ContactWords:
        """Compile the ``call`` and ``meet`` lists (``word*`` a word beginning, else a whole word or phrase)."""
        return cls(_pattern(words.get("call", [])), _pattern(words.get("meet", [])))

    def contact(self, head: str) -> Contact | None:
        """How ``head`` (title and first paragraph) says the parties met: a call wins over a meeting word."""
        folded = head.casefold()
        if self.call is not None and self.call.search(folded):
            return "call"
        if self.meet is not None and self.meet.search(folded):
            return "meet"
        return None


def _pattern(entries: Iterable[str]) -> re.Pattern[str] | None:
    alts = [re.escape(e.casefold().rstrip("*")) + (r"\w*" if e.endswith("*") else "") for e in entries if e.strip("*")]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?!\w)") if alts else None


@dataclass(frozen=True)
class ProfileSetup:
    """What profiles are read with besides the article: the KB's country ids (which weigh
    :data:`COUNTRY_WEIGHT`) and each language's contact words (by language code)."""

    countries: frozenset[str] = frozenset()
    contact: Mapping[str, ContactWords] = field(default_factory=dict)

    @classmethod
    def build(cls, kb: KnowledgeBase, languages: Languages | None = None) -> ProfileSetup:
        """The setup for ``kb`` and ``languages`` (the bundled registry when None)."""
        from detente.lang import default_languages

        langs = languages if languages is not None else default_languages()
        return cls(kb.country_ids(), {lang.code: ContactWords.of(lang.words("stories")) for lang in langs})

    def contact_of(self, lang: str | None, head: str) -> Contact | None:
        """The contact ``head`` in ``lang`` reports (None for a language without contact words)."""
        words = self.contact.get(lang or "")
        return words.contact(head) if words is not None else None


def lead_end(text: str) -> int:
    """Where an article's first paragraph ends (a blank line, else a line break; at most :data:`MAX_LEAD`)."""
    for brk in ("\n\n", "\n"):
        at = text.find(brk)
        if at > 0:
            return min(at, MAX_LEAD)
    return min(len(text), MAX_LEAD)


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
    contact: Contact | None = None  # how the lead says the parties met, if it says

    def to_json(self) -> str:
        """The profile as JSON (without the lemmas, which the store keeps with the article)."""
        return json.dumps({"name": self.name, "article_id": self.article_id, "lang": self.lang,
                           "published": self.published.isoformat() if self.published else None,
                           "outlet": self.outlet, "actors": self.actors, "minhash": self.minhash.tobytes().hex(),
                           "shingles": self.shingles, "lead": self.lead, "contact": self.contact}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Profile:
        """Read a profile written by :meth:`to_json`."""
        obj: dict[str, Any] = json.loads(raw)
        return cls(name=obj["name"], article_id=obj["article_id"], lang=obj["lang"],
                   published=dt.date.fromisoformat(obj["published"]) if obj["published"] else None,
                   outlet=obj["outlet"], actors=obj["actors"],
                   minhash=np.frombuffer(bytes.fromhex(obj["minhash"]), dtype=np.uint64).copy(), lead=obj["lead"],
                   shingles=int(obj.get("shingles", 0)), contact=obj.get("contact"))


def _is_year(digits: str) -> bool:
    """True for a four-digit number that reads as a year (every article of a year names it)."""
    return len(digits) == 4 and 1900 <= int(digits) <= 2100


def actor_weights(entities: Iterable[Mapping[str, Any]], lemmas: str, countries: Collection[str],
                  lead: int | None = None) -> dict[str, float]:
    """The article's linked actors and places, and its figures, each weighted by what it is and where.

    ``entities`` need ``type``, ``kb_id`` and (for ``lead``) ``start``; ``countries`` are the KB ids of
    countries (:meth:`detente.kb.base.KnowledgeBase.country_ids`), which weigh :data:`COUNTRY_WEIGHT`
    however they are named (a city carries its country's code, so the code cannot tell them apart). An
    actor named only after the first ``lead`` characters weighs :data:`BODY_WEIGHT` times as much:
    reports put the happening first and the week's other happenings in background paragraphs. How
    often an article names an actor does not count: the counterpart named once tells two meetings of
    one minister apart as well as the minister named ten times. Media are left out (an outlet credited
    in a byline says nothing about the happening), and so are years and one-digit numbers.
    """
    out: dict[str, float] = {}
    for ent in entities:
        key = ent.get("kb_id")
        if key and ent["type"] != "MEDIA":
            weight = COUNTRY_WEIGHT if key in countries else 1.0
            if lead is not None and int(ent.get("start", 0)) > lead:
                weight *= BODY_WEIGHT
            out[key] = max(out.get(key, 0.0), weight)
    for lemma in lemmas.split():
        if lemma.isdigit() and len(lemma) >= 2 and not _is_year(lemma):
            out["#" + lemma] = NUMBER_WEIGHT
    return out


def profile_of(*, name: str, article_id: str, lang: str | None, published: dt.date | None, outlet: str | None,
               title: str | None, text: str, lemmas: str, entities: Iterable[Mapping[str, Any]],
               setup: ProfileSetup) -> Profile:
    """The profile of an article from its parts (as the store keeps them), read with ``setup``."""
    lead = ((title or "") + "\n" + text[:LEAD_CHARS]).strip()
    first = lead_end(text)
    shingles = minhash.shingles(text)
    return Profile(name=name, article_id=article_id, lang=lang, published=published, outlet=outlet,
                   actors=actor_weights(entities, lemmas, setup.countries, first),
                   minhash=minhash.signature_of(shingles), lead=lead, lemmas=lemmas, shingles=len(shingles),
                   contact=setup.contact_of(lang, (title or "") + "\n" + text[:first]))


def profile(record: ArticleRecord, setup: ProfileSetup) -> Profile:
    """The profile of one processed article, read with ``setup``."""
    published = dt.date.fromisoformat(record["published"]) if record["published"] else None
    return profile_of(name=record["article"], article_id=record["article_id"], lang=record["lang"],
                      published=published, outlet=record.get("outlet"), title=record.get("title"),
                      text=record["text"], lemmas=record["lemmas"], entities=record["entities"], setup=setup)

"""The document model: one text with standoff layers of character-offset spans.

Every layer holds spans whose ``start``/``end`` are character offsets into :attr:`Doc.text`
exactly as read, so any layer can be highlighted in the original article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC", "MEDIA", "MISC"]
Modality = Literal["asserted", "negated", "future", "hypothetical"]
Precision = Literal["day", "month", "year", "week"]

_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Return the text in the form that identifies an article: NFC, whitespace collapsed, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id_for(text: str) -> str:
    """Return the article id: the SHA-1 of the normalized text."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Article:
    """One article as read from a source, before any language processing."""

    text: str
    name: str
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    lang: str | None = None
    source_path: str | None = None

    @property
    def article_id(self) -> str:
        """The content hash that identifies this article."""
        return article_id_for(self.text)


@dataclass(slots=True)
class Token:
    """A token with its lemma and morphology, and (where the syntax stage parsed it) its dependency.

    ``head`` is the index in :attr:`Doc.tokens` of the token's syntactic head, ``-1`` at the root of
    its sentence; ``head`` and ``deprel`` stay None on sentences the parser did not read.
    """

    start: int
    end: int
    text: str
    sent: int = 0
    lemma: str = ""
    pos: str | None = None
    case: str | None = None
    number: str | None = None
    gender: str | None = None
    animacy: str | None = None
    person: str | None = None
    tense: str | None = None
    tags: frozenset[str] = frozenset()
    head: int | None = None
    deprel: str | None = None

    @property
    def is_upper_initial(self) -> bool:
        """True when the token starts with a capital letter."""
        return self.text[:1].isupper()


@dataclass(slots=True)
class Sentence:
    """A sentence span with its language."""

    start: int
    end: int
    lang: str = "ru"
    paragraph: int = 0


@dataclass(slots=True)
class Entity:
    """A named-entity mention, optionally linked to an actor of the knowledge base."""

    start: int
    end: int
    text: str
    type: EntityType
    lemma: str = ""
    name: str | None = None
    kb_id: str | None = None
    country: str | None = None
    code: str | None = None
    score: float = 0.0
    kind: str | None = None
    via: str = "name"
    case: str | None = None
    tok_start: int = 0
    tok_end: int = 0
    mention: str = "name"
    nested: bool = False

    def pronoun(self, tok: Token, index: int, *, via: str, score: float, case: str | None) -> Entity:
        """A pronoun ("он", "я") at ``tok`` (token ``index``) that refers to this entity's actor."""
        return Entity(start=tok.start, end=tok.end, text=tok.text, type=self.type, lemma=tok.text.lower(),
                      name=self.name, kb_id=self.kb_id, country=self.country, code=self.code, score=score,
                      kind=self.kind, via=via, mention="pronoun", case=case, tok_start=index, tok_end=index + 1)

    def as_dict(self) -> dict[str, Any]:
        """Return the mention in the `annotate` output contract.

        ``mention`` is ``name`` (a proper name), ``nominal`` (a description such as "глава Белого дома",
        possibly with the name: "президент России Владимир Путин") or ``pronoun``; ``nested`` marks a
        mention inside a longer one ("России" in "президент России").
        """
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "name": self.name,
            "kb_id": self.kb_id,
            "country": self.country,
            "code": self.code,
            "score": round(self.score, 3),
            "mention": self.mention,
            "nested": self.nested,
        }


@dataclass(slots=True)
class TimeExpr:
    """A time expression resolved against the publication date."""

    start: int
    end: int
    text: str
    value: str | None
    precision: Precision | None
    relation: str | None = None
    vague: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the time expression in the `annotate` output contract."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "precision": self.precision,
            "relation": self.relation,
        }


@dataclass(slots=True)
class Quote:
    """A direct or reported quote with its speaker."""

    start: int
    end: int
    text: str
    speaker: Entity | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    direct: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Return the quote in the `annotate` output contract."""
        spk = self.speaker
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "direct": self.direct,
            "speaker": None
            if spk is None
            else {"name": spk.name, "kb_id": spk.kb_id, "country": spk.country, "text": spk.text},
            "cue": None if self.cue_start is None else {"start": self.cue_start, "end": self.cue_end},
        }


@dataclass(slots=True)
class Event:
    """One coded event with its evidence."""

    cameo: str
    trigger_start: int
    trigger_end: int
    sent: int
    source: Entity | None
    target: Entity | None
    modality: Modality = "asserted"
    date: str | None = None
    date_precision: Precision | None = None
    date_explicit: bool = False
    location: dict[str, Any] | None = None
    quote: int | None = None
    rule: str = ""
    confidence: float = 0.5
    evidence: list[tuple[int, int]] = field(default_factory=list)
    target_via: str = ""
    symmetric: bool = False


@dataclass
class Doc:
    """An article's text with every annotation layer."""

    text: str
    article_id: str = ""
    name: str = ""
    published: dt.date | None = None
    outlet: str | None = None
    outlet_country: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str = "ru"
    sents: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    name_spans: list[tuple[int, int, EntityType]] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        """Make an empty Doc for an article."""
        return cls(
            text=article.text,
            article_id=article.article_id,
            name=article.name,
            published=article.published,
            outlet=article.outlet,
            url=article.url,
            title=article.title,
            lang=article.lang or "ru",
        )

    def sent_tokens(self, index: int) -> list[Token]:
        """Return the tokens of sentence ``index``."""
        return [t for t in self.tokens if t.sent == index]

"""The typed output contract (DESIGN.md §4): the event, article and layer records, as TypedDicts.

These are the shapes ``detente extract`` and ``detente annotate`` print, the store keeps and the API
and the exports read. They are plain dicts at run time (JSON in, JSON out, unchanged bytes); the
types say which keys each one has.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from typing_extensions import TypeIs


class Offsets(TypedDict):
    """A character range into the article text (evidence, a quote's cue)."""

    start: int
    end: int


class TextSpan(TypedDict):
    """A character range with the text it covers (trigger, sentence)."""

    text: str
    start: int
    end: int


class ActorRecord(TypedDict):
    """An event's source or target: the KB actor, its CAMEO code and the mention in the text."""

    name: str | None
    kb_id: str | None
    country: str | None  # ISO 3166-1 alpha-3; None for international organisations
    code: str | None  # CAMEO actor code: RUSGOV, IGOUNO
    text: str
    start: int
    end: int


class LocationRecord(TypedDict):
    """Where an event happens; the mention's span when the text names the place."""

    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    text: NotRequired[str]
    start: NotRequired[int]
    end: NotRequired[int]


class EventQuote(TypedDict):
    """The quote an event is stated in, with the speaker's name."""

    start: int
    end: int
    speaker: str | None


class EventRecord(TypedDict):
    """One coded event: what ``detente extract --format jsonl`` prints a line of."""

    event_id: str
    article_id: str
    article: str
    lang: str | None
    published: str | None
    cameo: str
    cameo_root: str
    cameo_label: str
    quad_class: int
    goldstein: float
    plover: str | None
    plover_mode: str | None
    modality: str  # asserted, negated, future, hypothetical
    date: str | None
    date_precision: str | None
    source: ActorRecord | None
    target: ActorRecord | None
    location: LocationRecord | None
    trigger: TextSpan
    sentence: TextSpan
    quote: EventQuote | None
    evidence: list[Offsets]
    rule: str
    confidence: float


class EventMention(TypedDict):
    """One report of a merged event."""

    event_id: str
    article_id: str


class StoredEvent(EventRecord, total=False):
    """An event read back from the store, with the day it is filed under (its date, else the article's).

    Once its article is placed in a story, it also says which story, and either which event it is a
    report of (``merged_into``) or, for the event itself, how many reports, articles and outlets state
    it, which they are, and the dates and modalities they disagree on (``conflicts``); ``confidence``
    is then raised by the agreeing articles and ``report_confidence`` is the report's own.
    """

    day: str
    story: str
    merged_into: str | None
    num_mentions: int
    num_sources: int
    num_articles: int
    report_confidence: float
    mentions: list[EventMention]
    conflicts: dict[str, list[str]]
    url: str | None  # its article's (for exports: GDELT's SOURCEURL)
    outlet: str | None


class EntityRecord(TypedDict):
    """A named-entity mention in the ``annotate`` record."""

    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC, MEDIA, MISC
    name: str | None
    kb_id: str | None
    country: str | None
    code: str | None
    score: float
    mention: str  # name, nominal, pronoun
    nested: bool


class TimeRecord(TypedDict):
    """A time expression resolved against the publication date."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    relation: str | None


class SpeakerRecord(TypedDict):
    """The speaker of a quote."""

    name: str | None
    kb_id: str | None
    country: str | None
    text: str


class QuoteRecord(TypedDict):
    """A direct or reported quote with its speaker and cue."""

    start: int
    end: int
    text: str
    direct: bool
    speaker: SpeakerRecord | None
    cue: Offsets | None


class SentenceRecord(TypedDict):
    """A sentence and its language."""

    start: int
    end: int
    lang: str


class ArticleRecord(TypedDict):
    """One article with every layer: what ``detente annotate --format jsonl`` prints a line of."""

    article_id: str
    article: str
    lang: str | None
    published: str | None
    outlet: str | None
    outlet_country: str | None
    url: str | None
    title: str | None
    text: str
    sentences: list[SentenceRecord]
    entities: list[EntityRecord]
    times: list[TimeRecord]
    quotes: list[QuoteRecord]
    events: list[EventRecord]
    lemmas: str
    seconds: NotRequired[float]  # processing time, added by the batch entry point
    source_path: NotRequired[str | None]  # added on ingest


class InputRecord(TypedDict):
    """An article as the pipeline's batch entry point takes it (and execution engines pass it on)."""

    text: str
    name: str
    published: str | None
    url: str | None
    title: str | None
    outlet: str | None
    lang: str | None
    source_path: str | None


class FailedRecord(TypedDict):
    """What the batch entry point returns for an article the pipeline failed on."""

    article: str | None
    error: str


ProcessedRecord = ArticleRecord | FailedRecord


def is_failure(rec: ProcessedRecord) -> TypeIs[FailedRecord]:
    """True for the record of an article the pipeline failed on (it carries ``error`` instead of layers)."""
    return "error" in rec


# ---- what the store gives back -------------------------------------------------------------------
class StoredEntity(TypedDict):
    """An entity row of a stored article."""

    article_id: str
    start: int
    end: int
    type: str
    text: str
    name: str | None
    kb_id: str | None
    country: str | None
    code: str | None
    score: float | None


class StoredTime(TypedDict):
    """A time row of a stored article."""

    article_id: str
    start: int
    end: int
    text: str
    value: str | None
    precision: str | None


class StoredQuote(TypedDict):
    """A quote row of a stored article."""

    article_id: str
    start: int
    end: int
    speaker_name: str | None
    speaker_kb_id: str | None


class StoredArticle(TypedDict):
    """A stored article with its layers (``detente show``, ``/api/articles/<id>``)."""

    id: str
    name: str
    source_path: str | None
    url: str | None
    title: str | None
    outlet: str | None
    outlet_country: str | None
    lang: str | None
    published: str | None
    text: str
    lemmas: NotRequired[str | None]
    n_events: int
    ingested_at: str
    entities: list[StoredEntity]
    times: list[StoredTime]
    quotes: list[StoredQuote]
    events: list[EventRecord]


class ArticleHit(TypedDict):
    """An article found by full-text search."""

    id: str
    name: str
    published: str | None
    lang: str | None
    title: str | None
    n_events: int
    snippet: NotRequired[str]


class EventPage(TypedDict):
    """One page of events and the cursor of the next (``/api/events``, ``detente events``)."""

    events: list[StoredEvent]
    next: str | None
    sort: str
    limit: int
    next_url: NotRequired[str]

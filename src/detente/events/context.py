"""What the coder knows while it codes one trigger: the sentence, its actors and the trigger's span."""

from __future__ import annotations

from dataclasses import dataclass

from detente.doc import Doc, Entity, Quote, TimeExpr, Token
from detente.events.rules import RuleSet
from detente.kb.base import KnowledgeBase
from detente.spans import SpanIndex

VERB_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
NOUN_POS = frozenset({"NOUN"})
ADJ_POS = frozenset({"ADJF", "ADJS"})
BOUNDARY = frozenset({",", ";", ":", "(", ")", "—", "–", "―", "?", "!"})
QUOTE_MARKS = frozenset({'"', "«", "»", "„", "“", "”"})  # skipped inside triggers and between coordinated names
ACTOR_KINDS = frozenset({"person", "country", "igo", "ngo", "seat", "org", "party", "gov", "company"})


class DocLayers:
    """The layers of one document ordered by offset, built once per document."""

    __slots__ = ("entities", "quote_number", "quotes", "times")

    def __init__(self, doc: Doc) -> None:
        self.entities: SpanIndex[Entity] = SpanIndex(doc.entities)
        self.times: SpanIndex[TimeExpr] = SpanIndex(doc.times)
        self.quotes: SpanIndex[Quote] = SpanIndex(doc.quotes)
        self.quote_number = {id(q): i for i, q in enumerate(doc.quotes)}

    def quote_at(self, offset: int) -> Quote | None:
        """The quote that contains ``offset`` (quotes are outermost spans and do not overlap)."""
        q = self.quotes.last_before(offset + 1)
        return q if q is not None and q.start <= offset < q.end else None


@dataclass(frozen=True, slots=True)
class TriggerSpan:
    """Where a trigger stands in its sentence: token indexes relative to the sentence's first token.

    ``ti`` is the trigger's first token, ``end`` the token after it, ``lo``/``hi`` the bounds of its
    clause (``hi`` exclusive).
    """

    ti: int
    end: int
    lo: int = 0
    hi: int = 0


@dataclass(slots=True)
class SentenceContext:
    """One sentence while the coder fills slots: its tokens, its entities and the language's rules."""

    doc: Doc
    si: int
    rs: RuleSet
    toks: list[Token]
    first: int  # global index of toks[0]
    ents: list[Entity]
    layers: DocLayers
    kb: KnowledgeBase
    quote: Quote | None = None
    trig: tuple[str, ...] = ()


def is_actor(e: Entity) -> bool:
    """True for a linked mention that can be an event's source or target."""
    if e.nested:
        return False
    return bool(e.country or (e.code and e.code.startswith("IGO"))) and (e.kind in ACTOR_KINDS or e.kind is None)


def cases(e: Entity) -> set[str]:
    """The grammatical cases a mention may stand in."""
    return set(e.case.split("|")) if e.case else set()


def same_side(a: Entity, b: Entity) -> bool:
    """True when two mentions stand for the same actor or the same country."""
    if a.kb_id and a.kb_id == b.kb_id:
        return True
    return bool(a.country and a.country == b.country) or (not a.country and not b.country and a.code == b.code)


def actor_key(e: Entity | None) -> str | None:
    """The key two events compare their actors by: country, else actor code, else KB id."""
    if e is None:
        return None
    return e.country or e.code or e.kb_id


def in_range(toks: list[Token], k: int) -> bool:
    """True for a dash between two numbers ("26–27 маусымда"), which joins rather than separates."""
    return toks[k].text in ("–", "—", "-") and 0 < k < len(toks) - 1 \
        and toks[k - 1].text[-1:].isdigit() and toks[k + 1].text[:1].isdigit()

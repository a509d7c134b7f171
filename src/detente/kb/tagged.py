"""Reconciling the knowledge base's names with a name tagger's spans, and names the KB does not know.

The tagger decides where a name begins and ends; the knowledge base decides what it refers to.
"""

from __future__ import annotations

import bisect
import re

from detente.doc import Doc, Entity, EntityType, Token
from detente.kb.base import KnowledgeBase
from detente.kb.mention import SentenceView
from detente.text import norm

_OPENERS = frozenset({'"', "«", "„", "“", "(", "—", "–", "-", ":"})
_PROPER = frozenset({"Surn", "Name", "Geox", "Orgn", "Abbr"})


def tagged_in(doc: Doc, lo: int, hi: int) -> list[tuple[int, int, EntityType]]:
    """The tagger's spans that start in ``lo:hi`` (``doc.name_spans`` is sorted)."""
    spans = doc.name_spans
    a = bisect.bisect_left(spans, (lo, -1, ""))
    b = bisect.bisect_left(spans, (hi, -1, ""))
    return spans[a:b]


def with_tagged(
    kb: KnowledgeBase, view: SentenceView, ents: list[Entity], conjunctions: frozenset[str]
) -> list[Entity]:
    """Combine the knowledge base's names with the names a statistical tagger found.

    A KB name inside a longer tagged name is nested in it ("України" in "Національного банку
    України"), or gives it its link when both name the same person ("Кім" in "Кім Чен Ина"); a KB
    name that is not a person inside a tagged person name is a false link and goes ("Вікторія", a
    capital, in "Вікторія Рубан"); a KB person name that a title lengthens ("папа Франциск") keeps
    its link on the tagged name.
    """
    if not view.toks:
        return ents
    doc = view.doc
    stop = view.words("not_names")
    dropped: set[int] = set()
    added: list[Entity] = []
    for start, end, etype in tagged_in(doc, view.toks[0].start, view.toks[-1].end):
        first, last = view.index.by_start.get(start), view.index.by_end.get(end)
        if first is None or last is None or norm(doc.text[start:end]) in stop:
            continue
        over = [e for e in ents if e.mention == "name" and id(e) not in dropped and e.start < end and start < e.end]
        if not over:
            added.append(tagged_entity(doc, start, end, etype, first, last))
        elif not any((e.start, e.end) == (start, end) for e in over):
            span = _Tagged(start, end, etype, first, last)
            new = _reconcile(kb, view, over, span, dropped, conjunctions)
            if new is not None:
                added.append(new)
    out = [e for e in ents if id(e) not in dropped] + added
    out.sort(key=lambda e: (e.start, -e.end))
    return out


class _Tagged:
    __slots__ = ("end", "etype", "first", "last", "start")

    def __init__(self, start: int, end: int, etype: EntityType, first: int, last: int) -> None:
        self.start, self.end, self.etype, self.first, self.last = start, end, etype, first, last


def _reconcile(kb: KnowledgeBase, view: SentenceView, over: list[Entity], t: _Tagged, dropped: set[int],
               conjunctions: frozenset[str]) -> Entity | None:
    """Settle one tagged span that overlaps KB names; return the tagged entity when it is added."""
    doc = view.doc
    inside = [e for e in over if t.start <= e.start and e.end <= t.end]
    if _coordinated(doc, inside, t.start, t.end, conjunctions):
        return None  # "Зеленський та Трамп", "України та Молдови": the tagger joined several names
    if len(inside) == len(over):
        if t.etype == "PER":
            persons = [e for e in inside if e.kind == "person"]
            dropped.update(id(e) for e in inside if e.kind != "person")
            if len(persons) == 1 and _same_person(kb, view, persons[0], t.start, t.end):
                _respan(doc, persons[0], t.start, t.end, t.first, t.last)
                return None
            dropped.update(id(e) for e in persons)
        else:
            for e in inside:
                e.nested = True
            if t.etype == "ORG":
                return _body_of(tagged_entity(doc, t.start, t.end, t.etype, t.first, t.last), inside)
        return tagged_entity(doc, t.start, t.end, t.etype, t.first, t.last)
    around = [e for e in over if e.start <= t.start and t.end <= e.end]
    if t.etype == "PER" and len(over) == 1 and around and _titled(kb, view, around[0], t.start, t.end):
        # a title the knowledge base keeps with the name: "Император Акихито"
        _respan(doc, around[0], t.start, t.end, t.first, t.last)
    return None


def _body_of(body: Entity, inside: list[Entity]) -> Entity:
    """A body the KB does not know, named with one state or organisation ("МПА СНГ", "Национальный банк
    Украины"), acts for it: it takes that actor's country and code, and stays unlinked."""
    owners = [e for e in inside if e.kind in ("country", "igo") and (e.country or (e.code or "").startswith("IGO"))]
    if len({e.country or e.code for e in owners}) == 1:
        owner = owners[0]
        body.country, body.kind, body.via = owner.country, "org", "body"
        body.code = owner.code if owner.kind == "igo" else owner.country
    return body


def _titled(kb: KnowledgeBase, view: SentenceView, e: Entity, start: int, end: int) -> bool:
    """True when a KB person's mention is the tagged name with title words around it ("папа Франциск").

    A title is written in lowercase in the person's names of the knowledge base; "Си" of "Си
    Цзиньпин" is not one.
    """
    actor = kb.actors.get(e.kb_id or "")
    if actor is None or actor.kind != "person":
        return False
    names = [w for n in actor.names.get(view.code, []) for w in n.split()]
    titles = {norm(w) for w in names if w[:1].islower()}
    proper = {norm(w) for w in names if not w[:1].islower()}
    extra = [norm(t.text) for t in view.doc.tokens[e.tok_start : e.tok_end] if t.end <= start or t.start >= end]
    return bool(extra) and all(w in titles or w not in proper for w in extra)


def _coordinated(doc: Doc, inside: list[Entity], start: int, end: int, conjunctions: frozenset[str]) -> bool:
    """True when KB names and conjunctions or commas between them make up the whole tagged span."""
    if len(inside) < 2:
        return False
    rest = doc.text[start:end]
    for e in sorted(inside, key=lambda e: -e.start):
        rest = rest[: e.start - start] + " " + rest[e.end - start :]
    return all(w in conjunctions for w in re.findall(r"\w+", rest.lower()))


def tagged_entity(doc: Doc, start: int, end: int, etype: EntityType, first: int, last: int) -> Entity:
    """An unlinked entity for a tagger's span (tokens ``first``..``last``)."""
    return Entity(start=start, end=end, text=doc.text[start:end], type=etype,
                  lemma=" ".join(t.lemma for t in doc.tokens[first : last + 1]), score=0.5, via="ner",
                  case=doc.tokens[last].case, tok_start=first, tok_end=last + 1)


def _respan(doc: Doc, e: Entity, start: int, end: int, first: int, last: int) -> None:
    e.start, e.end, e.text = start, end, doc.text[start:end]
    e.lemma = " ".join(norm(t.lemma or t.text) for t in doc.tokens[first : last + 1])
    e.tok_start, e.tok_end = first, last + 1


def _same_person(kb: KnowledgeBase, view: SentenceView, e: Entity, start: int, end: int) -> bool:
    """True when the words a tagged name adds to a KB person's name are that person's (or initials)."""
    actor = kb.actors.get(e.kb_id or "")
    if actor is None:
        return False
    known = {norm(w) for n in actor.names.get(view.code, []) + actor.names.get("en", []) for w in n.split()}
    toks = view.doc.tokens[view.index.by_start[start] : view.index.by_end[end] + 1]
    extra = [t for t in toks if (t.end <= e.start or t.start >= e.end) and any(ch.isalpha() for ch in t.text)]
    for t in extra:
        w = norm(t.text)
        if len(w) == 1:
            if not any(k.startswith(w) for k in known):
                return False
        elif not any(w.startswith(k[:3]) for k in known if len(k) >= 2):
            return False
    return True


def unlinked(view: SentenceView, ents: list[Entity]) -> list[Entity]:
    """Capitalised runs outside linked mentions, typed from their morphology (languages without a tagger)."""
    stop = view.words("not_names")
    covered = [(e.start, e.end) for e in ents]
    out: list[Entity] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            out.append(_unlinked_entity(view, run))
            run.clear()

    for idx, tok in enumerate(view.toks):
        inside = any(s <= tok.start < e for s, e in covered)
        cap = tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text)
        if inside or not cap or view.keys[idx] in stop:
            flush()
            continue
        if (idx == 0 or view.toks[idx - 1].text in _OPENERS) and not (_PROPER & tok.tags) \
                and not tok.text.isupper() and not re.search(r"[A-Za-z]", tok.text):
            flush()  # a capital at the start of a sentence or quote says nothing
            continue
        run.append(tok)
    flush()
    return out


def _unlinked_entity(view: SentenceView, run: list[Token]) -> Entity:
    grams: set[str] = set()
    for t in run:
        grams |= t.tags
    etype: EntityType
    if {"Surn", "Name", "Patr"} & grams and not (run[0].text.isupper() and len(run) == 1):
        etype = "PER"
    elif "Geox" in grams:
        etype = "LOC"
    elif "Orgn" in grams or (len(run) == 1 and run[0].text.isupper() and len(run[0].text) > 1):
        etype = "ORG"
    else:
        etype = "MISC"
    first = view.index.by_start[run[0].start]
    return Entity(start=run[0].start, end=run[-1].end, text=view.doc.text[run[0].start : run[-1].end], type=etype,
                  lemma=" ".join(t.lemma or norm(t.text) for t in run), score=0.3, via="capitalized",
                  case=run[-1].case, tok_start=first, tok_end=first + len(run))

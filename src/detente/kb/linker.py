"""Find actor mentions and link them to the knowledge base.

Names in any case form, capitals and seats of power as metonyms, role phrases resolved by date and
outlet ("президент США" on 2025-08-11, "глава нашего государства" in a Kazakh outlet, "главы Белого
дома"), and third-person pronouns that refer to the person named just before. Each step is a module
of its own: the outlet's country (:mod:`.outlet`), name lookup (:mod:`.names`), role phrases
(:mod:`.roles`) and their resolution by date (:mod:`.resolve`), pronouns (:mod:`.pronouns`) and the
reconciling with a name tagger (:mod:`.tagged`).
"""

from __future__ import annotations

import datetime as dt

from detente.doc import Doc, Entity, Token
from detente.kb.base import KnowledgeBase
from detente.kb.gazetteer import Gazetteer
from detente.kb.introduced import introduce
from detente.kb.mention import KIND_TYPE, POSSESSIVE, DocTokens, Mention, SentenceView
from detente.kb.model import Actor, role_code
from detente.kb.names import find_names
from detente.kb.outlet import outlet_country
from detente.kb.pronouns import find_pronouns
from detente.kb.roles import country_adjectives, find_roles
from detente.kb.tagged import unlinked, with_tagged
from detente.lang import Languages, default_languages
from detente.text import norm

__all__ = ["KIND_TYPE", "Linker"]

_ADJECTIVE = frozenset({"ADJF", "ADJ"})
_NOT_MASCULINE = frozenset({"femn", "neut", "plur", "Fem", "Neut", "Plur"})
_PERSON = frozenset({"Surn", "Name", "Patr"})


class Linker:
    """Pipeline stage: fills ``doc.entities`` with KB-linked and unlinked mentions."""

    name = "link"
    requires = ("tokens", "tokens.lemma")
    assigns = ("entities", "outlet_country")

    def __init__(self, kb: KnowledgeBase, languages: Languages | None = None) -> None:
        self.kb = kb
        self.languages = languages if languages is not None else default_languages()
        # the words that join coordinated names in a tagged span, in every language
        self.conjunctions = frozenset(w for lang in self.languages for w in lang.conjunctions)

    def __call__(self, doc: Doc) -> Doc:
        """Find and link the mentions of ``doc``."""
        by_sent: dict[int, list[Token]] = {}
        for tok in doc.tokens:
            by_sent.setdefault(tok.sent, []).append(tok)
        index = DocTokens.of(doc)
        doc.entities = []
        if doc.outlet_country is None:
            doc.outlet_country = outlet_country(self.kb, self.languages, doc, by_sent, index)
        recent: list[Entity] = []
        introduced: dict[str, tuple[Entity, str]] = {}
        for si, sent in enumerate(doc.sents):
            lang = self.languages.find(sent.lang)
            if lang is None:
                continue
            view = SentenceView(doc, by_sent.get(si, []), lang, doc.published, index, recent)
            ents = self._sentence(view)
            introduce(doc, ents, introduced)
            doc.entities.extend(ents)
            recent.extend(e for e in ents if e.kb_id)
            recent = recent[-30:]
        return doc

    def _sentence(self, view: SentenceView) -> list[Entity]:
        """The mentions of one sentence: names, role phrases, tagged names, pronouns, unlinked names."""
        mentions = find_roles(self.kb, view, find_names(self.kb, view))
        mentions += country_adjectives(self.kb, view, mentions)
        ents = [self._entity(view, m) for m in mentions]
        if view.lang.tags_names:
            ents = with_tagged(self.kb, view, ents, self.conjunctions)
        ents += find_pronouns(self.kb, view, ents)
        if not view.lang.tags_names:
            ents += unlinked(view, ents)
        if self.kb.gazetteer is not None:
            for e in ents:
                if e.type == "LOC" and e.kb_id is None and not e.nested:
                    self._place(view, e, self.kb.gazetteer)
        ents.sort(key=lambda e: (e.start, -e.end))
        return ents

    def _place(self, view: SentenceView, e: Entity, gazetteer: Gazetteer) -> None:
        """Link a location mention the KB does not name to the gazetteer's city of that name, if any."""
        tags = view.doc.tokens[e.tok_end - 1].tags
        if _ADJECTIVE & tags and _NOT_MASCULINE & tags:
            return  # "Московской (области)", "Молодіжна (вулиця)": an adjective, not the town "Московский"
        if self._beside_street(view, e):
            return  # "улица Кирова", "вул. Шевченка", "Абай көшесі": an address
        found = gazetteer.find(e.text, e.lemma, view.code)
        if found is None:
            return
        city, cases = found
        if cases and _PERSON & tags:
            return  # "Горького", "Шевченка": a person's name in a case form (a street, a theatre), not a town
        actor = self.kb.actors.get(city.id)
        e.kb_id, e.name, e.country, e.kind, e.via = city.id, city.name, city.country, "place", "gazetteer"
        e.code = actor.code if actor is not None else city.country
        cases -= {"lemma"}
        if cases and view.lang.case_marking != "position":
            e.case = "|".join(sorted(cases)) if not e.case or e.case not in cases else e.case

    @staticmethod
    def _beside_street(view: SentenceView, e: Entity) -> bool:
        """True when a street word stands just before the mention (past an abbreviation's dot) or after it."""
        toks, streets = view.doc.tokens, view.words("street_words")
        before = e.tok_start - 1
        if before >= 0 and toks[before].text == ".":
            before -= 1
        for i in (before, e.tok_end):
            if 0 <= i < len(toks) and toks[i].sent == toks[e.tok_start].sent \
                    and (norm(toks[i].text) in streets or norm(toks[i].lemma or "") in streets):
                return True
        return False

    def _person_affiliation(self, actor: Actor, when: dt.date | None) -> tuple[str | None, str]:
        """A person acts for their state, or for the organisation they head on ``when`` (Rutte for NATO)."""
        offices = actor.offices_on(when)
        if offices and not any(o.country for o in offices):
            org = next((o.org for o in offices if o.org), None)
            if org:
                return None, org
        state = next((o for o in offices if o.country), None)
        if state is not None and state.country:
            base = self.kb.country(state.country)
            return state.country, role_code(base.code if base else state.country, state.role)
        return actor.country, actor.code

    def _mention_cases(self, view: SentenceView, m: Mention) -> frozenset[str]:
        """The cases a mention may be in: from its last word's ending (suffixing languages), its place
        (positional languages such as English), else from the dictionary forms it matched."""
        toks = view.toks
        if view.lang.case_marking == "suffixes":
            if m.via.startswith("role") and m.via != "role+name":
                return m.cases  # read from the role noun by the role finder
            last = toks[m.end - 1]
            if self.kb.lookup(view.code, (norm(last.text),)):
                return frozenset({"nom"})  # the bare name ("Канада" does not end in a locative)
            return frozenset({last.case or "nom"})
        if view.lang.case_marking == "position":
            if m.end < len(toks) and toks[m.end].text in POSSESSIVE:
                return frozenset({"gen"})
            return frozenset({"nom", "acc"})
        return m.cases

    def _entity(self, view: SentenceView, m: Mention) -> Entity:
        """The entity of a mention, with the actor's country and CAMEO code as of the article's date."""
        doc, toks, actor = view.doc, view.toks, m.actor
        start, end = toks[m.start].start, toks[m.end - 1].end
        country, code = actor.country, actor.code
        if actor.kind == "country" and m.via.startswith("role:"):
            code = role_code(actor.code, m.via.split(":", 1)[1])
        elif actor.kind == "country" and m.via == "capital":
            code = role_code(actor.code, "government")
        elif actor.kind == "person":
            country, code = self._person_affiliation(actor, doc.published)
        cases = self._mention_cases(view, m)
        case = next(iter(cases)) if len(cases) == 1 else None
        first = view.index.by_start[toks[m.start].start]
        return Entity(
            start=start, end=end, text=doc.text[start:end], type=KIND_TYPE.get(actor.kind, "MISC"),
            lemma=" ".join(view.lemma_keys[m.start : m.end]), name=actor.name, kb_id=actor.id, country=country,
            code=code, score=m.score, kind=actor.kind, via=m.via,
            mention="nominal" if m.via.startswith("role") or m.via == "adjective" else "name", nested=m.nested,
            case=case if case else ("|".join(sorted(cases)) if cases else None),
            tok_start=first, tok_end=first + (m.end - m.start),
        )

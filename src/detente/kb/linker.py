"""Find actor mentions and link them to the knowledge base.

Names in any case form, capitals and seats of power as metonyms, role phrases resolved by date and
outlet ("президент США" on 2025-08-11, "глава нашего государства" in a Kazakh outlet, "главы Белого
дома"), and third-person pronouns that refer to the person named just before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from detente.doc import Doc, Entity, EntityType, Token
from detente.kb.base import ALL_CASES, KnowledgeBase, Surface, default_kb, norm
from detente.kb.model import Actor, role_code
from detente.nlp.kkmorph import kk_split, kk_stem, kk_unpossess
from detente.nlp.langdata import word_lists
from detente.nlp.morph import analyze
from detente.nlp.ner import TAGGED_LANGS

KIND_TYPE: dict[str, EntityType] = {
    "person": "PER",
    "country": "LOC",
    "igo": "ORG",
    "ngo": "ORG",
    "seat": "ORG",
    "place": "LOC",
    "media": "MEDIA",
    "org": "ORG",
    "party": "ORG",
    "gov": "ORG",
}
PERSON_ROLES = frozenset(
    {
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defense_minister",
        "spokesperson",
        "envoy",
        "ambassador",
        "un_secretary_general",
        "org_head",
    }
)
_TLD = {
    "kz": "KAZ",
    "ua": "UKR",
    "ru": "RUS",
    "by": "BLR",
    "uz": "UZB",
    "kg": "KGZ",
    "am": "ARM",
    "az": "AZE",
    "ge": "GEO",
    "md": "MDA",
    "tj": "TJK",
    "tm": "TKM",
}

# languages whose role phrases take their owner before them ("Ресей Президенті", "Russia's president")
HEAD_FINAL_ROLES = frozenset({"kk", "en"})
POSSESSIVE = frozenset({"'s", "’s"})
# roles whose holder is accredited to an organisation but acts for a state
AGENT_ROLES = frozenset({"ambassador", "envoy", "spokesperson"})
# roles a state fills many times over at once
MANY_HOLDERS = frozenset({"ambassador", "minister"})


CONJUNCTIONS = frozenset({"и", "і", "й", "та", "а", "или", "або", "чи", "and", "or", "мен", "және", "бен", "пен"})


def lang_data(lang: str) -> dict[str, list[str]]:
    """Return the linker word lists of ``lang`` (pronouns, head nouns, outlet cues) from its data file."""
    return word_lists(lang, "linker")


@dataclass(slots=True)
class _Mention:
    start: int  # token index
    end: int  # token index, exclusive
    actor: Actor
    via: str
    cases: frozenset[str]
    score: float
    role: str | None = None
    nested: bool = False


class Linker:
    """Pipeline stage: fills ``doc.entities`` with KB-linked and unlinked mentions."""

    name = "link"
    requires = ("tokens", "tokens.lemma")
    assigns = ("entities", "outlet_country")

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or default_kb()
        self._tok_index: dict[int, int] = {}
        self._tok_end_index: dict[int, int] = {}

    # ---- entry ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find and link the mentions of ``doc``."""
        when = doc.published
        by_sent: dict[int, list[Token]] = {}
        for tok in doc.tokens:
            by_sent.setdefault(tok.sent, []).append(tok)
        doc.entities = []
        self._tok_index = {t.start: i for i, t in enumerate(doc.tokens)}
        self._tok_end_index = {t.end: i for i, t in enumerate(doc.tokens)}
        if doc.outlet_country is None:
            doc.outlet_country = self._outlet_country(doc, by_sent)
        recent: list[Entity] = []
        for si, sent in enumerate(doc.sents):
            toks = by_sent.get(si, [])
            lang = sent.lang
            mentions = self._names(toks, lang, when)
            mentions = self._roles(toks, lang, when, mentions, doc, recent)
            ents = [self._entity(doc, toks, m) for m in mentions]
            if lang in TAGGED_LANGS:
                ents = self._with_tagged(doc, toks, lang, ents)
            ents += self._pronouns(doc, toks, lang, recent, ents)
            if lang not in TAGGED_LANGS:
                ents += self._unlinked(doc, toks, lang, ents, si)
            ents.sort(key=lambda e: (e.start, -e.end))
            doc.entities.extend(ents)
            recent.extend(e for e in ents if e.kb_id)
            recent = recent[-30:]
        return doc

    # ---- outlet --------------------------------------------------------------------------------
    def _outlet_country(self, doc: Doc, by_sent: dict[int, list[Token]]) -> str | None:
        if doc.outlet:
            for actor in self.kb.search(doc.outlet, limit=5):
                if actor.kind == "media" and actor.country:
                    return actor.country
        if doc.url:
            host = re.sub(r"^[a-z]+://", "", doc.url).split("/")[0]
            tld = host.rsplit(".", 1)[-1].lower()
            if tld in _TLD:
                return _TLD[tld]
        for si in range(min(3, len(doc.sents))):
            toks = by_sent.get(si, [])
            cues = set(lang_data(doc.sents[si].lang).get("outlet_cues", []))
            for m in self._names(toks, doc.sents[si].lang, doc.published):
                if m.actor.kind != "media" or not m.actor.country:
                    continue
                if (m.start > 0 and toks[m.start - 1].lemma in cues) or (
                    m.start > 1 and toks[m.start - 2].lemma in cues
                ):
                    return m.actor.country
            for tok in toks:
                m2 = re.search(r"\.(kz|ua|ru|by|uz|kg)\b", tok.text)
                if m2:
                    return _TLD[m2.group(1)]
        # Kazakh-language news is, but for a few foreign services, published in Kazakhstan
        default = lang_data(doc.lang).get("default_outlet_country")
        return str(default[0]) if default else None

    # ---- names ---------------------------------------------------------------------------------
    def _names(self, toks: list[Token], lang: str, when: dt.date | None) -> list[_Mention]:
        keys = [norm(t.text) for t in toks]
        out: list[_Mention] = []
        i = 0
        while i < len(toks):
            found = None
            for n in range(min(self.kb.max_len, len(toks) - i), 0, -1):
                surfaces = self._surfaces(lang, tuple(keys[i : i + n]))
                surfaces = [s for s in surfaces if self._case_ok(s, toks[i])]
                if surfaces:
                    best = self._choose(surfaces, when)
                    if best is not None:
                        found = (n, best)
                        break
            if found is None:
                i += 1
                continue
            n, surface = found
            actor = self.kb.actors[surface.actor_id]
            score = {"name": 0.95, "surname": 0.85, "capital": 0.75}.get(surface.via, 0.8)
            start = i
            if actor.kind == "person":
                # initials written before the surname: "А.Лукашенко", "В. В. Путин"
                while start >= 2 and toks[start - 1].text == "." and len(toks[start - 2].text) == 1 \
                        and toks[start - 2].text.isupper() and toks[start - 2].end == toks[start - 1].start:
                    start -= 2
            out.append(_Mention(start, i + n, actor, surface.via, surface.cases, score))
            i += n
        return out

    def _surfaces(self, lang: str, key: tuple[str, ...]) -> list[Surface]:
        found = self.kb.lookup(lang, key)
        if found or lang != "kk" or not key:
            return found
        stem = kk_split(key[-1])[0]
        if stem == key[-1] or not self.kb.lookup(lang, (*key[:-1], stem)):
            stem = kk_stem(key[-1])
        if stem != key[-1]:
            return [
                Surface(s.actor_id, s.via, ALL_CASES, s.capitalized) for s in self.kb.lookup(lang, (*key[:-1], stem))
            ]
        return []

    @staticmethod
    def _case_ok(surface: Surface, first: Token) -> bool:
        return not surface.capitalized or first.text[:1].isupper()

    def _choose(self, surfaces: list[Surface], when: dt.date | None) -> Surface | None:
        if len(surfaces) == 1:
            return surfaces[0]

        def rank(s: Surface) -> tuple[int, int, int]:
            actor = self.kb.actors[s.actor_id]
            in_office = bool(actor.offices_on(when)) if actor.kind == "person" else False
            return (s.via == "name", in_office, len(actor.offices))

        return max(surfaces, key=rank)

    # ---- role phrases --------------------------------------------------------------------------
    def _role_at(
        self, toks: list[Token], i: int, lang: str, covered: set[int]
    ) -> tuple[int, list[str], str | None] | None:
        """The role phrase starting at token ``i``: its length, roles and a country adjective inside it.

        "глава российской дипломатии" is the role "глава дипломатии" with the adjective "российской".
        """
        roles = self.kb.roles.get(lang, {})
        adjectives = self.kb.adjectives.get(lang, {})
        for n in (5, 4, 3, 2, 1):
            if i + n > len(toks) or any(k in covered for k in range(i, i + n)):
                continue
            span = toks[i : i + n]
            keys = [tuple(norm(t.lemma or t.text) for t in span), tuple(norm(t.text) for t in span)]
            if lang == "kk":  # "Президенті", "тарапының": the role noun with its possessive ending
                keys.append((*keys[0][:-1], kk_unpossess(keys[0][-1])))
                keys.append((*keys[1][:-1], kk_unpossess(keys[1][-1])))
            for key in keys:
                if key in roles:
                    return n, roles[key], None
            # an adjective inside the phrase; in ru/uk also at its end; kk and en put adjectives first
            for inner in range(1, n - 1 + (1 if n > 2 and lang not in HEAD_FINAL_ROLES else 0)):
                adj = adjectives.get(norm(span[inner].text))
                if adj is None:
                    continue
                rest = span[:inner] + span[inner + 1 :]
                key = tuple(norm(t.lemma or t.text) for t in rest)
                if key in roles:
                    return n, roles[key], adj
        return None

    def _roles(
        self,
        toks: list[Token],
        lang: str,
        when: dt.date | None,
        mentions: list[_Mention],
        doc: Doc,
        recent: list[Entity],
    ) -> list[_Mention]:
        starts = {m.start: m for m in mentions}
        covered = {k for m in mentions for k in range(m.start, m.end)}
        heads = set(lang_data(lang).get("head_nouns", []))
        country_nouns = set(lang_data(lang).get("country_nouns", []))
        of_words = set(lang_data(lang).get("complement_prepositions", []))
        role_nouns = {key[-1] for key in self.kb.roles.get(lang, {})} if lang == "kk" else set()
        out: list[_Mention] = []
        consumed: set[int] = set()
        i = 0
        while i < len(toks):
            if i in covered or i in consumed:
                i += 1
                continue
            adj_country = self.kb.adjectives.get(lang, {}).get(norm(toks[i].text))
            j = i + 1 if adj_country else i
            found = self._role_at(toks, j, lang, covered) if j < len(toks) and j not in covered else None
            head = j < len(toks) and toks[j].lemma in heads and found is None
            if found is None and not head:
                i += 1
                continue
            n, roles, inner_adj = found if found else (1, ["head"], None)
            if inner_adj is not None and adj_country is None:
                adj_country = inner_adj
            k = j + n
            country: Actor | None = self.kb.actors.get(adj_country) if adj_country else None
            seat: Actor | None = None
            ref_country = False
            # a complement in the genitive: a country, a seat, an organisation, "страны"
            via_of = False
            if k + 1 < len(toks) and norm(toks[k].text) in of_words:
                skip = 2 if norm(toks[k + 1].text) == "the" and k + 2 < len(toks) else 1
                if k + skip in starts and starts[k + skip].actor.kind in ("country", "seat", "igo"):
                    k += skip  # "President of Uzbekistan", "Secretary-General of the United Nations"
                    via_of = True
            if (
                k < len(toks)
                and k in starts
                and (via_of or lang not in HEAD_FINAL_ROLES)  # kk/en owners stand before the role
                and starts[k].actor.kind in ("country", "seat", "igo")
                and (via_of or not starts[k].cases or "gen" in starts[k].cases)
            ):
                comp = starts[k]
                if comp.actor.kind == "seat":
                    seat = comp.actor
                    country = self.kb.country(comp.actor.country)
                elif comp.actor.kind == "igo":
                    seat = comp.actor
                else:
                    country = comp.actor
                k = comp.end
            elif k < len(toks) and toks[k].lemma in country_nouns:
                ref_country = True
                k += 1
            start = i  # where the mention begins: an owner before the role moves it back, not the scan
            if country is None and seat is None and lang in HEAD_FINAL_ROLES:
                # the owner stands before the role: "Ресей Сыртқы істер министрі", "Russia's foreign minister"
                gap = 1 if i > 0 and toks[i - 1].text in POSSESSIVE else 0
                owner = next((m for m in mentions if m.end == i - gap
                              and m.actor.kind in ("country", "seat", "igo")), None)
                if owner is not None and owner.actor.kind == "igo" and AGENT_ROLES & set(roles):
                    # "Russia's U.N. Ambassador": an envoy to an organisation speaks for the state before it
                    gap2 = 1 if owner.start > 0 and toks[owner.start - 1].text in POSSESSIVE else 0
                    state = next((m for m in mentions if m.end == owner.start - gap2
                                  and m.actor.kind == "country"), None)
                    owner = state or owner
                if owner is not None:
                    if owner.actor.kind == "country":
                        country = owner.actor
                    else:
                        seat = owner.actor
                        country = self.kb.country(owner.actor.country) if owner.actor.kind == "seat" else None
                    start = owner.start
            if head and seat is None and country is None:
                i += 1
                continue
            if ref_country:
                here = [m.actor for m in mentions if m.end <= i and m.actor.kind == "country"]
                before = [self.kb.actors[e.kb_id] for e in recent
                          if e.kb_id and self.kb.actors[e.kb_id].kind == "country"]
                pool = here or before
                country = pool[-1] if pool else None
            role = self._pick_role(roles, seat)
            if "self_reference" in roles and country is None and seat is None and doc.outlet_country \
                    and toks[j].text[:1].isupper():
                role = "self_reference"  # "Мемлекет басшысы" in a Kazakh outlet is its own president
            # the person named right after the role ("президент России Владимир Путин")
            of_state = country
            if of_state is None and seat is None and "self_reference" in roles and doc.outlet_country:
                of_state = self.kb.country(doc.outlet_country)  # "Мемлекет басшысы" names the outlet's president
            if k < len(toks) and k in starts and starts[k].actor.kind == "person" \
                    and self._may_hold(starts[k].actor, of_state, when):
                person = starts[k]
                out.append(_Mention(start, person.end, person.actor, "role+name", person.cases, 0.97, role))
                consumed.update(range(start, person.end))
                i = person.end
                continue
            actor, via, score = self._resolve_role(role, country, seat, lang, when, doc, recent, toks, i)
            if actor is not None:
                head_tok = toks[k - 1] if lang in HEAD_FINAL_ROLES else toks[j]
                cases = head_tok.tags & ALL_CASES or frozenset({head_tok.case or "nom"})
                if lang == "kk" and kk_unpossess(norm(head_tok.text)) in role_nouns:
                    cases = frozenset({"nom"})  # "Президенті" is the possessive, not an accusative
                out.append(_Mention(start, k, actor, via, cases, score, role))
                consumed.update(range(start, k))
                i = k
                continue
            i += 1
        inside = [m for m in mentions if any(o.start <= m.start < o.end for o in out)]
        for m in inside:
            m.nested = True  # kept for the entity layer ("России" in "президент России"), not for coding
        merged = [m for m in mentions if m not in inside] + out + inside
        merged.sort(key=lambda m: (m.start, -m.end))
        return merged

    @staticmethod
    def _may_hold(person: Actor, country: Actor | None, when: dt.date | None) -> bool:
        """False when the role's country is known and the person named after it serves another one.

        "Қырғызстан Президенті Қасым-Жомарт Тоқаевты шақырды": the Kyrgyz president invited Tokayev.
        """
        if country is None or not country.country:
            return True
        offices = person.offices_on(when)
        return not offices or any(o.country in (None, country.country) for o in offices)

    @staticmethod
    def _pick_role(roles: list[str], seat: Actor | None) -> str:
        """Choose among the roles a noun can name, given its complement ("глава Белого дома", "глава МИД")."""
        if seat is not None and seat.kind == "seat":
            generic = {"head", "org_head", "head_of_state", "leader"}
            return (seat.role or "head_of_state") if generic & set(roles) else roles[0]
        if seat is not None:
            return "org_head" if "org_head" in roles else roles[0]
        if roles == ["head"]:
            return "head_of_state"
        specific = [r for r in roles if r not in ("org_head", "head")]
        return specific[0] if specific else roles[0]

    def _resolve_role(
        self,
        role: str,
        country: Actor | None,
        seat: Actor | None,
        lang: str,
        when: dt.date | None,
        doc: Doc,
        recent: list[Entity],
        toks: list[Token],
        i: int,
    ) -> tuple[Actor | None, str, float]:
        if role == "self_reference":
            country = self.kb.country(doc.outlet_country)
            if country is None:
                return None, "", 0.0
            role = "head_of_state"
        if seat is not None and seat.kind == "igo" and role in PERSON_ROLES:
            holder = next(self.kb.holders("org_head", None, when, org=seat.code), None)
            return (holder, "role", 0.8) if holder else (seat, "role", 0.6)
        if country is not None:
            # a state has many ambassadors: "the Russian ambassador" names the state, not one of them
            if role in PERSON_ROLES and role not in MANY_HOLDERS:
                holder = self.kb.holder(role, country.country, when)
                if holder is not None:
                    return holder, "role", 0.85
            return country, f"role:{role}", 0.8
        if role in PERSON_ROLES and toks[i].number != "plur":
            # a bare role noun: the last person named with that role, else the outlet country's holder
            # ("лідери", plural, names several people: no single referent)
            for ent in reversed(recent):
                actor = self.kb.actors.get(ent.kb_id or "")
                if actor is not None and actor.kind == "person" and any(o.role == role for o in actor.offices_on(when)):
                    return actor, "role:anaphora", 0.7
            if toks[i].text[:1].isupper() and doc.outlet_country:
                holder = self.kb.holder(role, doc.outlet_country, when)
                if holder is not None:
                    return holder, "role:outlet", 0.6
        return None, "", 0.0

    # ---- pronouns ------------------------------------------------------------------------------
    def _pronouns(
        self, doc: Doc, toks: list[Token], lang: str, recent: list[Entity], ents: list[Entity]
    ) -> list[Entity]:
        data = lang_data(lang)
        poss = set(data.get("pronouns_possessive", []))
        masc = set(data.get("pronouns_masc", [])) | poss
        fem = set(data.get("pronouns_fem", []))
        out: list[Entity] = []
        taken = {(e.start, e.end) for e in ents}
        for tok in toks:
            low = norm(tok.text)
            if low not in masc and low not in fem:
                continue
            if (tok.start, tok.end) in taken or any(e.start <= tok.start < e.end for e in ents):
                continue
            k = self._tok_index[tok.start]
            if low in poss and (k == 0 or doc.tokens[k - 1].pos != "PREP"):
                continue  # "его истории": a possessive, not a mention; "на його думку" is one
            gender = "f" if low in fem or low in {"ее", "её", "її"} else "m"
            # a person of this sentence before the pronoun, else the subject of an earlier sentence
            cands = [e for e in reversed(ents) if e.end <= tok.start and e.type == "PER" and e.kb_id]
            earlier = [e for e in reversed(recent) if e.type == "PER" and e.kb_id]
            cands += [e for e in earlier if e.case and "nom" in e.case] + earlier
            ref = next((c for c in cands if self.kb.actors[c.kb_id or ""].gender == gender), None)
            if ref is None:
                continue
            case = "poss" if low in poss else analyze(tok.text, lang).case
            out.append(ref.pronoun(tok, k, via="pronoun", score=0.6, case=case))
        return out

    # ---- tagged names --------------------------------------------------------------------------
    def _with_tagged(self, doc: Doc, toks: list[Token], lang: str, ents: list[Entity]) -> list[Entity]:
        """Combine the knowledge base's names with the names a statistical tagger found.

        The tagger decides where a name begins and ends; the knowledge base decides what it refers to.
        A KB name inside a longer tagged name is nested in it ("України" in "Національного банку
        України"), or gives it its link when both name the same person ("Кім" in "Кім Чен Ина"); a KB
        name that is not a person inside a tagged person name is a false link and goes ("Вікторія", a
        capital, in "Вікторія Рубан"); a KB person name that a title lengthens ("папа Франциск") keeps
        its link on the tagged name.
        """
        if not toks:
            return ents
        stop = set(lang_data(lang).get("not_names", []))
        lo, hi = toks[0].start, toks[-1].end
        dropped: set[int] = set()
        added: list[Entity] = []
        for start, end, etype in doc.name_spans:
            if not lo <= start < hi or norm(doc.text[start:end]) in stop:
                continue
            first = self._tok_index.get(start)
            last = self._tok_end_index.get(end)
            if first is None or last is None:
                continue
            over = [e for e in ents if e.mention == "name" and id(e) not in dropped and e.start < end and start < e.end]
            if not over:
                added.append(self._tagged_entity(doc, start, end, etype, first, last))
                continue
            if any((e.start, e.end) == (start, end) for e in over):
                continue
            inside = [e for e in over if start <= e.start and e.end <= end]
            persons = [e for e in inside if e.kind == "person"]
            if self._coordinated(doc, inside, start, end):
                continue  # "Зеленський та Трамп", "України та Молдови": the tagger joined several names
            if len(inside) == len(over):
                if etype == "PER":
                    for e in inside:
                        if e.kind != "person":
                            dropped.add(id(e))
                    if len(persons) == 1 and self._same_person(doc, persons[0], start, end, lang):
                        self._respan(doc, persons[0], start, end, first, last)
                        continue
                    dropped.update(id(e) for e in persons)
                else:
                    for e in inside:
                        e.nested = True
                added.append(self._tagged_entity(doc, start, end, etype, first, last))
                continue
            around = [e for e in over if e.start <= start and end <= e.end]
            if etype == "PER" and len(over) == 1 and around and self._titled(doc, around[0], start, end, lang):
                # a title the knowledge base keeps with the name: "Император Акихито"
                self._respan(doc, around[0], start, end, first, last)
        out = [e for e in ents if id(e) not in dropped] + added
        out.sort(key=lambda e: (e.start, -e.end))
        return out

    def _titled(self, doc: Doc, e: Entity, start: int, end: int, lang: str) -> bool:
        """True when a KB person's mention is the tagged name with title words around it ("папа Франциск").

        A title is written in lowercase in the person's names of the knowledge base; "Си" of "Си
        Цзиньпин" is not one.
        """
        actor = self.kb.actors.get(e.kb_id or "")
        if actor is None or actor.kind != "person":
            return False
        names = [w for n in actor.names.get(lang, []) for w in n.split()]
        titles = {norm(w) for w in names if w[:1].islower()}
        proper = {norm(w) for w in names if not w[:1].islower()}
        extra = [norm(t.text) for t in doc.tokens[e.tok_start : e.tok_end] if t.end <= start or t.start >= end]
        return bool(extra) and all(w in titles or w not in proper for w in extra)

    def _coordinated(self, doc: Doc, inside: list[Entity], start: int, end: int) -> bool:
        """True when KB names and conjunctions or commas between them make up the whole tagged span."""
        if len(inside) < 2:
            return False
        rest = doc.text[start:end]
        for e in sorted(inside, key=lambda e: -e.start):
            rest = rest[: e.start - start] + " " + rest[e.end - start :]
        return all(w in CONJUNCTIONS for w in re.findall(r"\w+", rest.lower()))

    def _tagged_entity(self, doc: Doc, start: int, end: int, etype: EntityType, first: int, last: int) -> Entity:
        return Entity(start=start, end=end, text=doc.text[start:end], type=etype,
                      lemma=" ".join(t.lemma for t in doc.tokens[first : last + 1]), score=0.5, via="ner",
                      case=doc.tokens[last].case, tok_start=first, tok_end=last + 1)

    @staticmethod
    def _respan(doc: Doc, e: Entity, start: int, end: int, first: int, last: int) -> None:
        e.start, e.end, e.text = start, end, doc.text[start:end]
        e.lemma = " ".join(norm(t.lemma or t.text) for t in doc.tokens[first : last + 1])
        e.tok_start, e.tok_end = first, last + 1

    def _same_person(self, doc: Doc, e: Entity, start: int, end: int, lang: str) -> bool:
        """True when the words a tagged name adds to a KB person's name are that person's (or initials)."""
        actor = self.kb.actors.get(e.kb_id or "")
        if actor is None:
            return False
        known = {norm(w) for n in actor.names.get(lang, []) + actor.names.get("en", []) for w in n.split()}
        extra = [t for t in doc.tokens[self._tok_index[start] : self._tok_end_index[end] + 1]
                 if (t.end <= e.start or t.start >= e.end) and any(ch.isalpha() for ch in t.text)]
        for t in extra:
            w = norm(t.text)
            if len(w) == 1:
                if not any(k.startswith(w) for k in known):
                    return False
            elif not any(w.startswith(k[:3]) for k in known if len(k) >= 2):
                return False
        return True

    # ---- unlinked names --------------------------------------------------------------------------
    def _unlinked(self, doc: Doc, toks: list[Token], lang: str, ents: list[Entity], si: int) -> list[Entity]:
        stop = set(lang_data(lang).get("not_names", []))
        covered = [(e.start, e.end) for e in ents]
        out: list[Entity] = []
        run: list[Token] = []

        def flush() -> None:
            if run:
                ent = self._unlinked_entity(doc, run, lang)
                if ent is not None:
                    out.append(ent)
                run.clear()

        for idx, tok in enumerate(toks):
            inside = any(s <= tok.start < e for s, e in covered)
            cap = tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text)
            if inside or not cap or norm(tok.text) in stop:
                flush()
                continue
            if idx == 0 or toks[idx - 1].text in {'"', "«", "„", "“", "(", "—", "–", "-", ":"}:
                grams = tok.tags
                if (
                    not ({"Surn", "Name", "Geox", "Orgn", "Abbr"} & grams)
                    and not tok.text.isupper()
                    and not re.search(r"[A-Za-z]", tok.text)
                ):
                    flush()
                    continue
            run.append(tok)
        flush()
        return out

    def _unlinked_entity(self, doc: Doc, run: list[Token], lang: str) -> Entity | None:
        grams: set[str] = set()
        for t in run:
            grams |= t.tags
        text = doc.text[run[0].start : run[-1].end]
        etype: EntityType
        if {"Surn", "Name", "Patr"} & grams and not (run[0].text.isupper() and len(run) == 1):
            etype = "PER"
        elif "Geox" in grams:
            etype = "LOC"
        elif "Orgn" in grams or (len(run) == 1 and run[0].text.isupper() and len(run[0].text) > 1):
            etype = "ORG"
        else:
            etype = "MISC"
        first = self._tok_index[run[0].start]
        return Entity(
            start=run[0].start,
            end=run[-1].end,
            text=text,
            type=etype,
            lemma=" ".join(t.lemma or norm(t.text) for t in run),
            score=0.3,
            via="capitalized",
            case=run[-1].case,
            tok_start=first,
            tok_end=first + len(run),
        )

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

    def _mention_cases(self, lang: str, toks: list[Token], m: _Mention) -> frozenset[str]:
        """The cases a mention may be in: Kazakh from the last word's case ending, English from its place."""
        if lang == "kk":
            if m.via.startswith("role") and m.via != "role+name":
                return m.cases  # read from the role noun by the role finder
            last = toks[m.end - 1]
            if self.kb.lookup(lang, (norm(last.text),)):
                return frozenset({"nom"})  # the bare name ("Канада" does not end in a locative)
            return frozenset({last.case or "nom"})
        if lang == "en":
            if m.end < len(toks) and toks[m.end].text in POSSESSIVE:
                return frozenset({"gen"})
            return frozenset({"nom", "acc"})
        return m.cases

    # ---- conversion ----------------------------------------------------------------------------
    def _entity(self, doc: Doc, toks: list[Token], m: _Mention) -> Entity:
        actor = m.actor
        start, end = toks[m.start].start, toks[m.end - 1].end
        country = actor.country
        code = actor.code
        if actor.kind == "country" and m.via.startswith("role:"):
            code = role_code(actor.code, m.via.split(":", 1)[1])
        elif actor.kind == "country" and m.via == "capital":
            code = role_code(actor.code, "government")
        elif actor.kind == "person":
            country, code = self._person_affiliation(actor, doc.published)
        cases = self._mention_cases(doc.sents[toks[m.start].sent].lang, toks, m)
        case = next(iter(cases)) if len(cases) == 1 else None
        first = self._tok_index[toks[m.start].start]
        return Entity(
            start=start,
            end=end,
            text=doc.text[start:end],
            type=KIND_TYPE.get(actor.kind, "MISC"),
            lemma=" ".join(norm(t.lemma or t.text) for t in toks[m.start : m.end]),
            name=actor.name,
            kb_id=actor.id,
            country=country,
            code=code,
            score=m.score,
            kind=actor.kind,
            via=m.via,
            mention="nominal" if m.via.startswith("role") else "name",
            nested=m.nested,
            case=case if case else ("|".join(sorted(cases)) if cases else None),
            tok_start=first,
            tok_end=first + (m.end - m.start),
        )

"""Role phrases: "президент России", "глава Белого дома", "Ресей Сыртқы істер министрі", "the Kremlin's spokesman".

A role phrase is found at a token through the knowledge base's role table (by lemma or form, with a
country adjective inside it or before it); its owner is a country, seat or organisation after it in
the genitive, before it in a head-final language, or "страны" (the country named before). The
person named right after it is the mention ("президент России Владимир Путин"); otherwise the role
is resolved by date (:mod:`detente.kb.resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.doc import Token
from detente.kb.base import KnowledgeBase
from detente.kb.forms import ALL_CASES
from detente.kb.mention import AGENT_ROLES, OWNER_KINDS, POSSESSIVE, Mention, SentenceView
from detente.kb.model import Actor
from detente.kb.resolve import may_hold, pick_role, resolve_role
from detente.nlp.kkmorph import kk_unpossess
from detente.nlp.morph import every_case

MAX_ROLE_WORDS = 5
MAX_HEAD_GAP = 4  # words between a country adjective and the noun it modifies ("Russian shadow fleet tankers")
MAX_PORTFOLIO = 4  # words of a minister's portfolio between the role noun and its country


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role phrase at a token: its length in tokens, the roles it may name, a country adjective inside it."""

    length: int
    roles: list[str]
    adjective: str | None


@dataclass(slots=True)
class _Owner:
    """What a role belongs to, and where its mention ends up (token positions)."""

    country: Actor | None
    seat: Actor | None
    start: int
    end: int
    ref_country: bool = False


def role_at(kb: KnowledgeBase, view: SentenceView, i: int, covered: set[int]) -> RoleMatch | None:
    """The role phrase starting at token ``i``: its length, roles and a country adjective inside it.

    "глава российской дипломатии" is the role "глава дипломатии" with the adjective "российской".
    """
    suffixed = view.lang.has_suffix_morphology
    first = kb.role_first_words(view.code)
    heads = {view.lemma_keys[i], view.keys[i]}
    if suffixed:
        heads |= {kk_unpossess(w) for w in tuple(heads)}
    if not heads & first:
        return None  # no role phrase begins with this word (an adjective inside one never stands first)
    roles = kb.roles.get(view.code, {})
    adjectives = kb.adjectives.get(view.code, {})
    for n in range(MAX_ROLE_WORDS, 0, -1):
        if i + n > len(view.toks) or any(k in covered for k in range(i, i + n)):
            continue
        lemma_key, form_key = tuple(view.lemma_keys[i : i + n]), tuple(view.keys[i : i + n])
        keys = [lemma_key, form_key]
        if suffixed:  # "Президенті", "тарапының": the role noun with its possessive ending
            keys += [(*lemma_key[:-1], kk_unpossess(lemma_key[-1])), (*form_key[:-1], kk_unpossess(form_key[-1]))]
        for key in keys:
            if key in roles:
                return RoleMatch(n, roles[key], None)
        # an adjective inside the phrase; in ru/uk also at its end; kk and en put adjectives first
        for inner in range(1, n - 1 + (1 if n > 2 and not view.lang.head_final else 0)):
            adj = adjectives.get(view.keys[i + inner])
            if adj is None:
                continue
            key = lemma_key[:inner] + lemma_key[inner + 1 :]
            if key in roles:
                return RoleMatch(n, roles[key], adj)
    return None


def find_roles(kb: KnowledgeBase, view: SentenceView, mentions: list[Mention]) -> list[Mention]:
    """Add the role phrases of a sentence to its name mentions; names inside a role phrase become nested."""
    out = _RoleScan(kb, view, mentions).run()
    inside = [m for m in mentions if any(o.start <= m.start < o.end for o in out)]
    for m in inside:
        m.nested = True  # kept for the entity layer ("России" in "президент России"), not for coding
    merged = [m for m in mentions if m not in inside] + out + inside
    merged.sort(key=lambda m: (m.start, -m.end))
    return merged


class _RoleScan:
    """One left-to-right pass over a sentence's tokens for role phrases."""

    def __init__(self, kb: KnowledgeBase, view: SentenceView, mentions: list[Mention]) -> None:
        self.kb, self.view, self.mentions = kb, view, mentions
        self.starts = {m.start: m for m in mentions}
        self.covered = {k for m in mentions for k in range(m.start, m.end)}
        self.heads = view.words("head_nouns")
        self.not_offices = view.words("not_offices")
        self.country_nouns = view.words("country_nouns")
        self.of_words = view.words("complement_prepositions")
        self.role_nouns = kb.role_last_words(view.code) if view.lang.has_suffix_morphology else frozenset()
        self.out: list[Mention] = []
        self.consumed: set[int] = set()

    def run(self) -> list[Mention]:
        """Scan every token; return the role mentions found."""
        i = 0
        while i < len(self.view.toks):
            i = self._at(i) if i not in self.covered and i not in self.consumed else i + 1
        return self.out

    def _at(self, i: int) -> int:
        """Try a role phrase at token ``i``; return where the scan goes on."""
        kb, view, toks = self.kb, self.view, self.view.toks
        adj_country = kb.adjectives.get(view.code, {}).get(view.keys[i])
        j = i + 1 if adj_country else i
        found = role_at(kb, view, j, self.covered) if j < len(toks) and j not in self.covered else None
        head = j < len(toks) and toks[j].lemma in self.heads and found is None
        if found is None and not head:
            return i + 1
        match = found or RoleMatch(1, ["head"], None)
        after = j + match.length
        if after < len(toks) and view.lemma_keys[after] in self.not_offices:
            return i + 1  # "Kazakhstan's head coach" holds no office
        adj_country = adj_country or match.adjective
        owner = self._owner(i, j + match.length, match.roles, kb.actors.get(adj_country) if adj_country else None)
        if head and owner.seat is None and owner.country is None:
            return i + 1
        if owner.ref_country:
            owner.country = self._country_before(i)
        role = pick_role(match.roles, owner.seat)
        if "self_reference" in match.roles and owner.country is None and owner.seat is None \
                and view.doc.outlet_country and toks[j].text[:1].isupper():
            role = "self_reference"  # "Мемлекет басшысы" in a Kazakh outlet is its own president
        named = self._person_after(owner, match.roles, role)
        if named is not None:
            return named
        actor, via, score = resolve_role(kb, view, role, owner.country, owner.seat, i)
        if actor is None:
            return i + 1
        k = owner.end
        head_tok = toks[k - 1] if view.lang.head_final else toks[j]
        # a role noun may be in any case its form allows ("Главы Казахстана и Таджикистана подписали")
        cases = head_tok.tags & ALL_CASES | every_case(head_tok.text, view.code) \
            or frozenset({head_tok.case or "nom"})
        if view.lang.has_suffix_morphology and kk_unpossess(view.keys[k - 1 if view.lang.head_final else j]) \
                in self.role_nouns:
            cases = frozenset({"nom"})  # "Президенті" is the possessive, not an accusative
        self.out.append(Mention(owner.start, k, actor, via, cases, score, role))
        self.consumed.update(range(owner.start, k))
        return k

    def _owner(self, i: int, k: int, roles: list[str], country: Actor | None) -> _Owner:
        """The role's owner: a complement after it (``k`` is the token after the role), else one before it."""
        view, toks = self.view, self.view.toks
        owner = _Owner(country, None, i, k)
        via_of = False
        if k + 1 < len(toks) and view.keys[k] in self.of_words:
            skip = 2 if view.keys[k + 1] in view.lang.articles and k + 2 < len(toks) else 1
            if k + skip in self.starts and self.starts[k + skip].actor.kind in OWNER_KINDS:
                k += skip  # "President of Uzbekistan", "Secretary-General of the United Nations"
                via_of = True
        if "minister" in roles and not view.lang.head_final and k not in self.starts:
            k = self._past_portfolio(k)  # "министр энергетики Азербайджана": the portfolio before the owner
        comp = self.starts.get(k) if k < len(toks) else None
        if comp is not None and (via_of or not view.lang.head_final) and comp.actor.kind in OWNER_KINDS \
                and (via_of or not comp.cases or "gen" in comp.cases):
            if comp.actor.kind == "seat":
                owner.seat, owner.country = comp.actor, self.kb.country(comp.actor.country)
            elif comp.actor.kind == "igo":
                owner.seat = comp.actor
            else:
                owner.country = comp.actor
            k = comp.end
        elif k < len(toks) and toks[k].lemma in self.country_nouns:
            owner.ref_country = True
            k += 1
        owner.end = k
        if owner.country is None and owner.seat is None and view.lang.head_final:
            self._owner_before(owner, i, roles)
        return owner

    def _past_portfolio(self, k: int) -> int:
        """Where the owner of a minister stands after the portfolio's genitive words ("энергетики", "торговли и
        интеграции"); ``k`` itself when no country follows them."""
        toks, conj = self.view.toks, self.view.lang.conjunctions
        for n in range(k, min(k + MAX_PORTFOLIO, len(toks))):
            tok = toks[n]
            if n in self.starts:
                m = self.starts[n]
                return n if n > k and m.actor.kind == "country" and (not m.cases or "gen" in m.cases) else k
            if not tok.text.isalpha() or not (tok.case == "gen" or "gen" in tok.tags or tok.text in conj):
                return k
        return k

    def _owner_before(self, owner: _Owner, i: int, roles: list[str]) -> None:
        """The owner stands before the role: "Ресей Сыртқы істер министрі", "Russia's foreign minister"."""
        toks = self.view.toks
        gap = 1 if i > 0 and toks[i - 1].text in POSSESSIVE else 0
        before = next((m for m in self.mentions if m.end == i - gap and m.actor.kind in OWNER_KINDS), None)
        if before is None and "minister" in roles:  # "Әзербайжан энергетика министрі": a portfolio between
            before = next((m for m in self.mentions if i - MAX_PORTFOLIO <= m.end < i and m.actor.kind == "country"
                           and all(t.text.isalpha() and k not in self.covered
                                   for k, t in enumerate(toks[m.end : i], m.end))), None)
        if before is not None and before.actor.kind == "igo" and AGENT_ROLES & set(roles):
            # "Russia's U.N. Ambassador": an envoy to an organisation speaks for the state before it
            gap2 = 1 if before.start > 0 and toks[before.start - 1].text in POSSESSIVE else 0
            state = next((m for m in self.mentions if m.end == before.start - gap2 and m.actor.kind == "country"),
                         None)
            before = state or before
        if before is None:
            return
        if before.actor.kind == "country":
            owner.country = before.actor
        else:
            owner.seat = before.actor
            owner.country = self.kb.country(before.actor.country) if before.actor.kind == "seat" else None
        owner.start = before.start

    def _country_before(self, i: int) -> Actor | None:
        """"президент страны": the country named before in the sentence, else in the sentences before."""
        here = [m.actor for m in self.mentions if m.end <= i and m.actor.kind == "country"]
        actors = self.kb.actors
        earlier = [actors[e.kb_id] for e in self.view.recent if e.kb_id and actors[e.kb_id].kind == "country"]
        pool = here or earlier
        return pool[-1] if pool else None

    def _person_after(self, owner: _Owner, roles: list[str], role: str) -> int | None:
        """The person named right after the role ("президент России Владимир Путин"): one mention of both."""
        of_state = owner.country
        doc = self.view.doc
        if of_state is None and owner.seat is None and "self_reference" in roles and doc.outlet_country:
            of_state = self.kb.country(doc.outlet_country)  # "Мемлекет басшысы" names the outlet's president
        person = self.starts.get(owner.end) if owner.end < len(self.view.toks) else None
        if person is None or person.actor.kind != "person" or not may_hold(person.actor, of_state, self.view.when):
            return None
        self.out.append(Mention(owner.start, person.end, person.actor, "role+name", person.cases, 0.97, role))
        self.consumed.update(range(owner.start, person.end))
        return person.end


def country_adjectives(kb: KnowledgeBase, view: SentenceView, mentions: list[Mention]) -> list[Mention]:
    """Country adjectives outside names and role phrases ("российских компаний", "Ukrainian drones"): each
    stands for its country, in the case of its own ending."""
    covered = {k for m in mentions for k in range(m.start, m.end)}
    named = {m.start for m in mentions}  # "польський Orlen": an adjective before a name only describes it
    adjectives = kb.adjectives.get(view.code, {})
    heads = view.words("adjective_heads")
    out: list[Mention] = []
    for i, key in enumerate(view.keys):
        actor_id = adjectives.get(key)
        if actor_id is None or i in covered or i + 1 in named or actor_id not in kb.actors:
            continue
        after = view.toks[i + 1 : i + 1 + MAX_HEAD_GAP]
        stop = next((k for k, t in enumerate(after) if not t.text[:1].isalnum()), len(after))
        if not any(_head_key(view, t) in heads for t in after[:stop]):
            continue
        tok = view.toks[i]
        cases = tok.tags & ALL_CASES or (frozenset({tok.case}) if tok.case else frozenset())
        out.append(Mention(i, i + 1, kb.actors[actor_id], "adjective", cases, 0.6))
    return out


def _head_key(view: SentenceView, tok: Token) -> str:
    """The word a head noun is listed as: its lemma, or for a suffixing language its stem."""
    lemma = (tok.lemma or tok.text).lower()
    return kk_unpossess(lemma) if view.lang.has_suffix_morphology else lemma

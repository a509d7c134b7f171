"""Role resolution: which actor a role phrase names on the article's date ("президент США" in 2025)."""

from __future__ import annotations

import datetime as dt

from detente.kb.base import KnowledgeBase
from detente.kb.mention import MANY_HOLDERS, PERSON_ROLES, SentenceView
from detente.kb.model import Actor


def may_hold(person: Actor, country: Actor | None, when: dt.date | None) -> bool:
    """False when the role's country is known and the person named after it serves another one.

    "Қырғызстан Президенті Қасым-Жомарт Тоқаевты шақырды": the Kyrgyz president invited Tokayev.
    """
    if country is None or not country.country:
        return True
    offices = person.offices_on(when)
    return not offices or any(o.country in (None, country.country) for o in offices)


def pick_role(roles: list[str], seat: Actor | None) -> str:
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


def resolve_role(kb: KnowledgeBase, view: SentenceView, role: str, country: Actor | None, seat: Actor | None,
                 i: int) -> tuple[Actor | None, str, float]:
    """The actor a role names, how it was found ("role", "role:anaphora" ...) and a score."""
    doc, when = view.doc, view.when
    if role == "self_reference":
        country = kb.country(doc.outlet_country)
        if country is None:
            return None, "", 0.0
        role = "head_of_state"
    if seat is not None and seat.kind == "igo" and role in PERSON_ROLES:
        holder = next(kb.holders("org_head", None, when, org=seat.code), None)
        return (holder, "role", 0.8) if holder else (seat, "role", 0.6)
    if country is not None:
        # a state has many ambassadors: "the Russian ambassador" names the state, not one of them
        if role in PERSON_ROLES and role not in MANY_HOLDERS:
            holder = kb.holder(role, country.country, when)
            if holder is not None:
                return holder, "role", 0.85
        return country, f"role:{role}", 0.8
    if role in PERSON_ROLES and view.toks[i].number != "plur":
        # a bare role noun: the last person named with that role, else the outlet country's holder
        # ("лідери", plural, names several people: no single referent)
        for ent in reversed(view.recent):
            actor = kb.actors.get(ent.kb_id or "")
            if actor is not None and actor.kind == "person" and any(o.role == role for o in actor.offices_on(when)):
                return actor, "role:anaphora", 0.7
        if view.toks[i].text[:1].isupper() and doc.outlet_country:
            holder = kb.holder(role, doc.outlet_country, when)
            if holder is not None:
                return holder, "role:outlet", 0.6
    return None, "", 0.0

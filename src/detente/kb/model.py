"""Actors of the knowledge base: countries, persons with offices, organisations, seats, media."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

GOV_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister", "minister", "envoy",
                       "spokesperson", "ambassador", "government", "foreign_ministry"})
ROLE_SUFFIX = {"defense_minister": "MIL", "defense_ministry": "MIL", "military": "MIL", "parliament": "LEG",
               "people": "", "side": "", "media": "MED"}


@dataclass(frozen=True, slots=True)
class Office:
    """An office held by a person between two dates (``end`` None: still in office)."""

    role: str
    country: str | None
    start: dt.date | None
    end: dt.date | None
    org: str | None = None

    def active(self, when: dt.date | None) -> bool:
        """True when the office was held on ``when`` (any date when ``when`` is None)."""
        if when is None:
            return self.end is None
        if self.start is not None and when < self.start:
            return False
        return self.end is None or when <= self.end


@dataclass(slots=True)
class Actor:
    """One actor: its id, kind, English name, country, CAMEO actor code and names per language."""

    id: str
    kind: str
    name: str
    country: str | None
    code: str
    wikidata: str | None = None
    gender: str = "m"
    names: dict[str, list[str]] = field(default_factory=dict)
    adjectives: dict[str, list[str]] = field(default_factory=dict)
    capital: dict[str, str] = field(default_factory=dict)
    offices: list[Office] = field(default_factory=list)
    role: str | None = None
    lat: float | None = None
    lon: float | None = None

    def offices_on(self, when: dt.date | None) -> list[Office]:
        """Return the offices held on ``when``."""
        return [o for o in self.offices if o.active(when)]

    def code_for_role(self, role: str | None) -> str:
        """Return the CAMEO actor code of this actor's country with a role suffix (GOV, MIL, LEG ...)."""
        if self.kind != "country" or role is None:
            return self.code
        suffix = ROLE_SUFFIX.get(role, "GOV" if role in GOV_ROLES else "")
        return self.code + suffix


def role_code(country_code: str, role: str | None) -> str:
    """Return the CAMEO actor code for a country code and a role."""
    if role is None:
        return country_code
    return country_code + ROLE_SUFFIX.get(role, "GOV" if role in GOV_ROLES else "")

"""Load the bundled actor knowledge base and index every surface form of every actor."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detente import __version__
from detente.kb.forms import ALL_CASES, Forms, adjective_forms, latin_script, name_forms, person_forms
from detente.kb.gazetteer import City, Gazetteer, read_cities
from detente.kb.model import GOV_ROLES, Actor, Office
from detente.lang import default_languages
from detente.nlp.segment import split_tokens
from detente.text import load_yaml, norm

_DATA_FILES = ("countries.jsonl", "orgs.yaml", "media.yaml", "seats.yaml", "places.yaml", "persons.yaml")
# countries whose names are written family name first, and whose family names do not decline
FAMILY_NAME_FIRST = frozenset({"CHN", "PRK", "KOR", "VNM", "TWN"})


LATIN_EVERYWHERE = frozenset({"company", "igo", "ngo", "media"})


class KnowledgeBaseError(ValueError):
    """A knowledge-base file that cannot be read or does not follow the schema."""


def key_of(phrase: str) -> tuple[str, ...]:
    """Return the token key of a phrase, tokenized as article text is."""
    return tuple(norm(t) for _, _, t in split_tokens(phrase))


def lemma_key(phrase: str, lang: str) -> list[str]:
    """Return the lemmas of a phrase's tokens (so role phrases match any inflection of their words)."""
    from detente.nlp.morph import analyze

    return [norm(analyze(t, lang).lemma or t) for _, _, t in split_tokens(phrase)]


@dataclass(frozen=True, slots=True)
class Surface:
    """One indexed surface form: which actor, how it names it, the cases it may stand in."""

    actor_id: str
    via: str
    cases: frozenset[str]
    capitalized: bool


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _data_text(name: str) -> str | None:
    res = resources.files("detente.kb").joinpath("data", name)
    if not res.is_file():
        return None
    return res.read_text(encoding="utf-8")


def _load_records(text: str, name: str) -> list[dict[str, Any]]:
    try:
        if name.endswith(".jsonl"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = load_yaml(text) or []
    except (ValueError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{name}: cannot parse: {exc}") from exc
    if not isinstance(data, list):
        raise KnowledgeBaseError(f"{name}: expected a list of actors")
    return data


class KnowledgeBase:
    """The actor knowledge base with surface-form indexes per language."""

    def __init__(self, languages: Iterable[str] | None = None) -> None:
        """An empty knowledge base indexing names in ``languages`` (by default every registered language)."""
        codes = tuple(languages) if languages is not None else default_languages().codes
        self.actors: dict[str, Actor] = {}
        self.by_iso3: dict[str, Actor] = {}
        self.index: dict[str, dict[tuple[str, ...], list[Surface]]] = {lang: {} for lang in codes}
        self.adjectives: dict[str, dict[str, str]] = {lang: {} for lang in codes}
        self.roles: dict[str, dict[tuple[str, ...], list[str]]] = {lang: {} for lang in codes}
        self.max_len = 1
        self.gazetteer: Gazetteer | None = None
        self._forget()

    def _forget(self) -> None:
        """Drop the lookup tables derived from the index and roles; they are rebuilt on first use."""
        self._role_first: dict[str, frozenset[str]] = {}
        self._role_last: dict[str, frozenset[str]] = {}
        self._prefixes: dict[str, frozenset[tuple[str, ...]]] = {}
        self._by_role: dict[str, list[Actor]] | None = None
        self._word_kinds: dict[str, dict[str, str]] = {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled KB; the lookup caches are rebuilt on use, whatever the pickle held."""
        self.__dict__.update(state)
        self._forget()

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def bundled(cls, extra: list[Path] | None = None) -> KnowledgeBase:
        """Load the KB files shipped with the package, plus user files (``DETENTE_KB`` or ``extra``)."""
        kb = cls()
        for name in _DATA_FILES:
            text = _data_text(name)
            if text is not None:
                kb.add_records(_load_records(text, name), name)
        roles = _data_text("roles.yaml")
        if roles is not None:
            kb.add_roles(load_yaml(roles) or {})
        kb.add_gazetteer(read_cities())
        paths = list(extra or [])
        env = os.environ.get("DETENTE_KB")
        if env:
            paths.extend(Path(p) for p in env.split(os.pathsep) if p)
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise KnowledgeBaseError(f"{path}: cannot read the KB file: {exc.strerror}") from exc
            kb.add_records(_load_records(text, path.name), str(path))
        return kb

    def add_records(self, records: list[dict[str, Any]], origin: str) -> None:
        """Add actors from parsed records of one file."""
        for rec in records:
            try:
                actor = self._actor(rec)
            except (KeyError, TypeError, ValueError) as exc:
                raise KnowledgeBaseError(f"{origin}: bad actor record {rec.get('id', rec)!r}: {exc}") from exc
            self.add(actor)

    def _actor(self, rec: dict[str, Any]) -> Actor:
        kind = str(rec.get("kind", "person"))
        offices = [
            Office(role=str(o["role"]), country=o.get("country"), start=_date(o.get("start")),
                   end=_date(o.get("end")), org=o.get("org"))
            for o in rec.get("offices") or []
        ]
        country = rec.get("iso3") if kind == "country" else rec.get("country")
        code = rec.get("cameo") if kind == "country" else rec.get("code")
        if not code:
            base = str(country or "")
            if kind == "person" and base:
                gov = any(o.role in GOV_ROLES for o in offices)
                code = base + ("GOV" if gov else "")
            else:
                code = base
        capital = dict(rec.get("capital") or {})
        lat = capital.pop("lat", None) if capital else rec.get("lat")
        lon = capital.pop("lon", None) if capital else rec.get("lon")
        return Actor(
            id=str(rec["id"]),
            kind=kind,
            name=str(rec.get("name") or ((rec.get("names") or {}).get("en") or [rec["id"]])[0]),
            country=country,
            code=str(code),
            wikidata=rec.get("wikidata") or (str(rec["id"]) if str(rec["id"]).startswith("Q") else None),
            gender=str(rec.get("gender") or "m"),
            names={k: [str(n) for n in v] for k, v in (rec.get("names") or {}).items()},
            adjectives={k: [str(n) for n in v] for k, v in (rec.get("adjectives") or {}).items()},
            capital={k: str(v) for k, v in capital.items()},
            offices=offices,
            role=rec.get("role"),
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
        )

    def add_gazetteer(self, cities: list[City]) -> None:
        """Add cities as unindexed place actors (``geonames:N``) that only :attr:`gazetteer` finds, for the linker."""
        langs = default_languages()
        self.gazetteer = Gazetteer(cities, [lang for code in self.index if (lang := langs.find(code)) is not None])
        for city in cities:
            self.actors.setdefault(city.id, city.actor(getattr(self.by_iso3.get(city.country), "code", None)))

    def add_language(self, code: str) -> None:
        """Index names in one more language (its names in actors added from now on, or added again)."""
        self.index.setdefault(code, {})
        self.adjectives.setdefault(code, {})
        self.roles.setdefault(code, {})
        self._forget()

    def add(self, actor: Actor) -> None:
        """Add one actor and index its names in every language."""
        self.actors[actor.id] = actor
        self._forget()
        if actor.kind == "country" and actor.country:
            self.by_iso3[actor.country] = actor
        for lang, names in actor.names.items():
            if lang not in self.index:
                continue
            for name in names:
                if actor.kind == "person":
                    self._index_person(actor, name, lang)
                else:
                    self._index_forms(actor.id, name_forms(name, lang), lang, "name")
        if actor.kind in LATIN_EVERYWHERE:
            self._index_latin(actor)
        for lang, capital in actor.capital.items():
            if lang in self.index:
                self._index_forms(actor.id, name_forms(capital, lang), lang, "capital")
        for lang, adjs in actor.adjectives.items():
            if lang in self.adjectives and actor.country:
                for adj in adjs:
                    for form in adjective_forms(adj, lang):
                        self.adjectives[lang].setdefault(norm(form), actor.id)

    def _index_latin(self, actor: Actor) -> None:
        """"Gazprom", "SOCAR", "NATO" in Latin letters inside Cyrillic text: outlets keep brand names."""
        latin = [n for n in actor.names.get("en", []) if latin_script(n)]
        for lang in self.index:
            for name in latin:
                if name not in actor.names.get(lang, []):  # a language that lists it has indexed it
                    self._index_forms(actor.id, name_forms(name, lang), lang, "name")

    def _index_person(self, actor: Actor, name: str, lang: str) -> None:
        self._index_forms(actor.id, person_forms(name, lang, actor.gender), lang, "name")
        words = name.split()
        if len(words) < 2:
            return
        if actor.country in FAMILY_NAME_FIRST:
            surname = words[0]  # "Си Цзиньпин", "Ким Чен Ын": the family name comes first
            if len(surname) < 2:
                return
            self._index_forms(actor.id, {surname: ALL_CASES}, lang, "surname")
            return
        surname = words[-1]
        if words[-2][:1].islower():  # "фон дер Ляйен"
            surname = " ".join(w for w in words[1:])
        if len(surname) < 3:
            return
        self._index_forms(actor.id, person_forms(surname, lang, actor.gender), lang, "surname")

    def _index_forms(self, actor_id: str, forms: Forms, lang: str, via: str) -> None:
        table = self.index[lang]
        for form, cases in forms.items():
            key = key_of(form)
            if not key:
                continue
            surfaces = table.setdefault(key, [])
            if any(s.actor_id == actor_id for s in surfaces):
                continue
            surfaces.append(Surface(actor_id, via, cases, form[:1].isupper()))
            self.max_len = max(self.max_len, len(key))

    def add_roles(self, data: dict[str, Any]) -> None:
        """Add role nouns per language (``{lang: {role: [phrases]}}``)."""
        self._forget()
        for lang, table in data.items():
            if lang not in self.roles or not isinstance(table, dict):
                continue
            for role, phrases in table.items():
                for phrase in phrases or []:
                    for key in {key_of(str(phrase)), tuple(lemma_key(str(phrase), lang))}:
                        roles = self.roles[lang].setdefault(key, [])
                        if str(role) not in roles:
                            roles.append(str(role))

    # ---- queries -------------------------------------------------------------------------------
    def role_first_words(self, lang: str) -> frozenset[str]:
        """Every word a role phrase of ``lang`` can begin with (a role match needs one at its first token)."""
        found = self._role_first.get(lang)
        if found is None:
            found = self._role_first[lang] = frozenset(key[0] for key in self.roles.get(lang, {}) if key)
        return found

    def role_last_words(self, lang: str) -> frozenset[str]:
        """Every word a role phrase of ``lang`` ends with (the role noun of "Сыртқы істер министрі")."""
        found = self._role_last.get(lang)
        if found is None:
            found = self._role_last[lang] = frozenset(key[-1] for key in self.roles.get(lang, {}) if key)
        return found

    def prefixes(self, lang: str) -> frozenset[tuple[str, ...]]:
        """Every prefix of the token keys indexed in ``lang`` (a name lookup stops where none goes on)."""
        found = self._prefixes.get(lang)
        if found is None:
            keys = self.index.get(lang, {})
            found = self._prefixes[lang] = frozenset(k[:n] for k in keys for n in range(1, len(k) + 1))
        return found

    def name_word_kinds(self, lang: str) -> dict[str, str]:
        """Every word of an indexed name of ``lang`` with the kinds of actor (person+place ...) it names."""
        found = self._word_kinds.get(lang)
        if found is None:
            kinds: dict[str, set[str]] = {}
            for key, surfaces in self.index.get(lang, {}).items():
                for w in key:
                    kinds.setdefault(w, set()).update(self.actors[s.actor_id].kind for s in surfaces)
            found = self._word_kinds[lang] = {w: "+".join(sorted(k)) for w, k in kinds.items()}
        return found

    def lookup(self, lang: str, key: tuple[str, ...]) -> list[Surface]:
        """Return the surfaces indexed under a token key."""
        return self.index.get(lang, {}).get(key, [])

    def holders(self, role: str, country: str | None, when: dt.date | None, org: str | None = None) -> Iterator[Actor]:
        """Yield persons holding ``role`` of ``country`` (or ``org``) on ``when``."""
        if self._by_role is None:
            by_role: dict[str, list[Actor]] = {}
            for a in self.actors.values():
                if a.kind == "person":
                    for r in dict.fromkeys(o.role for o in a.offices):
                        by_role.setdefault(r, []).append(a)
            self._by_role = by_role
        for actor in self._by_role.get(role, []):
            for office in actor.offices:
                if office.role != role or not office.active(when):
                    continue
                if (country and office.country == country) or (org and office.org == org):
                    yield actor
                    break

    def holder(self, role: str, country: str | None, when: dt.date | None) -> Actor | None:
        """Return the person holding ``role`` of ``country`` on ``when`` (the latest-started if several)."""
        found = list(self.holders(role, country, when))
        if not found:
            return None
        return max(found, key=lambda a: max((o.start or dt.date.min) for o in a.offices if o.role == role))

    def country(self, iso3: str | None) -> Actor | None:
        """Return the country actor of an ISO alpha-3 code."""
        return self.by_iso3.get(iso3 or "")

    def country_ids(self) -> frozenset[str]:
        """The ids of the KB's countries (a story weighs them below persons, organisations and places)."""
        return frozenset(i for i, a in self.actors.items() if a.kind == "country")

    def search(self, query: str, limit: int = 20) -> list[Actor]:
        """Find actors whose name in any language contains ``query`` (case-insensitive)."""
        q = norm(query)
        out = []
        for actor in self.actors.values():
            texts = [actor.name, actor.id] + [n for names in actor.names.values() for n in names]
            if any(q in norm(t) for t in texts):
                out.append(actor)
                if len(out) >= limit:
                    break
        return out


def _cache_path() -> Path | None:
    """Where the built KB index is cached: keyed by the data files, the code version and ``DETENTE_KB``."""
    if os.environ.get("DETENTE_NO_CACHE"):
        return None
    digest = hashlib.sha1(__version__.encode())
    for module in ("base.py", "forms.py", "model.py", "gazetteer.py"):  # the code that builds the index
        digest.update(resources.files("detente.kb").joinpath(module).read_bytes())
    for name in sorted((*_DATA_FILES, "roles.yaml", "gazetteer.tsv")):
        digest.update(name.encode())
        digest.update((_data_text(name) or "").encode("utf-8"))
    for lang in default_languages():  # the languages indexed, and the name paradigms their forms come from
        digest.update(lang.code.encode())
        names = lang.resource("names.yaml")
        digest.update(names.read_bytes() if names is not None else b"")
    for extra in (os.environ.get("DETENTE_KB") or "").split(os.pathsep):
        if extra:
            digest.update(extra.encode())
            with contextlib.suppress(OSError):
                digest.update(Path(extra).read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "detente"
    return base / f"kb-{digest.hexdigest()[:16]}.pickle"


@functools.cache
def default_kb() -> KnowledgeBase:
    """Return the bundled KB, loaded once per process (from a cache of the built index when there is one)."""
    path = _cache_path()
    if path is not None and path.is_file():
        with contextlib.suppress(Exception):  # a stale or foreign cache is rebuilt, never trusted blindly
            kb = pickle.loads(path.read_bytes())
            if isinstance(kb, KnowledgeBase):
                return kb
    kb = KnowledgeBase.bundled()
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
    return kb

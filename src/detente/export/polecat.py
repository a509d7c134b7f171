"""POLECAT export: PLOVER events in the 40 tab-separated columns of POLECAT's weekly files, with a header.

``docs/formats.md`` maps each column to its source in detente. An event with no PLOVER type (a CAMEO
code PLOVER does not cover) is left out, as POLECAT codes only PLOVER's types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from detente import __version__
from detente.export.gdelt import lang3
from detente.records import StoredEvent

COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
]

#: POLECAT's quad codes by CAMEO QuadClass (1 verbal cooperation ... 4 material conflict)
QUAD = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
#: CAMEO role codes read as a POLECAT sector
SECTORS = {"GOV": "Government", "MIL": "Military", "LEG": "Legislature", "JUD": "Judiciary", "COP": "Police",
           "SPY": "Intelligence", "MED": "Media", "BUS": "Business", "OPP": "Opposition", "REB": "Rebel",
           "CVL": "Civilian", "HLH": "Health", "EDU": "Education", "NGO": "NGO", "IGO": "IGO"}


def _side(side: Mapping[str, Any] | None) -> list[str]:
    """Name, country, COW (empty), primary sector, sectors, title (empty), raw name, Wikipedia/Wikidata id."""
    if not side:
        return [""] * 8
    code, country = str(side.get("code") or ""), str(side.get("country") or "")
    role = code[3:6] if country and code.startswith(country) else code[:3]
    sector = SECTORS.get(role, "")
    kb_id = str(side.get("kb_id") or "")
    wiki = kb_id if kb_id.startswith("Q") and kb_id[1:].isdigit() else ""
    return [str(side.get("name") or ""), country, "", sector, sector, "", str(side.get("text") or ""), wiki]


def _clean(value: Any) -> str:
    return ("" if value is None else str(value)).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def row(ev: StoredEvent) -> list[str]:
    """One event as POLECAT's 40 columns."""
    loc: Mapping[str, Any] = ev.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    modality = str(ev.get("modality") or "")
    contexts = "" if modality == "asserted" else modality  # a denied, planned or conditional event says so
    out = [
        ev["event_id"], str(ev.get("day") or ev.get("date") or ev.get("published") or ""), str(ev.get("plover") or ""),
        str(ev.get("plover_mode") or ""), f"{float(ev['goldstein']):.1f}", QUAD.get(int(ev["quad_class"]), ""),
        contexts, *_side(ev.get("source")), *_side(ev.get("target")),
        str(loc.get("name") or ""), str(loc.get("name") or "") if loc.get("geonames") else "", "", "",
        str(loc.get("country") or ""), "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}",
        str(loc.get("geonames") or ""), str(loc.get("text") or ""), "",
        str(ev.get("outlet") or ev.get("url") or ev.get("article") or ""), str(ev.get("published") or ""),
        "", "", "", lang3(ev.get("lang")), f"detente {__version__}",
    ]
    return [_clean(x) for x in out]


def write(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """Write the header and one row per PLOVER event (reports of a merged event left out); the number written."""
    fh.write("\t".join(COLUMNS) + "\n")
    n = 0
    for ev in events:
        if ev.get("merged_into") or not ev.get("plover"):
            continue
        fh.write("\t".join(row(ev)) + "\n")
        n += 1
    return n

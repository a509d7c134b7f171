"""GDELT 2.0 exports: the Events table (61 tab-separated columns, no header) and its Mentions table.

Columns are GDELT's, in GDELT's order (``docs/formats.md`` maps each to its source in detente). CAMEO
codes are strings with their leading zeros (``"041"``, ``"04"``); a column detente has nothing for is
left empty, as GDELT leaves a column it cannot fill. One row of Events is one event (reports merged
within a story count in ``NumMentions``/``NumSources``/``NumArticles``); one row of Mentions is one
report, pointing at the event it is a report of.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from detente.kb.gazetteer import country_codes
from detente.records import StoredEvent

EVENT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{f}" for n in (1, 2) for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                               "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                                               "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{g}Geo_{f}" for g in ("Actor1", "Actor2", "Action") for f in ("Type", "FullName", "CountryCode", "ADM1Code",
                                                                     "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
]

MENTION_COLUMNS = [
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
]

ROOT_SENTENCE_CHARS = 400  # an event whose sentence starts this early is in the lead: GDELT's IsRootEvent
WEB = 1  # GDELT MentionType: a web article


def lang3(code: str | None) -> str:
    """The ISO 639-3 code of a registered language (``ru`` is ``rus``), else the code itself."""
    from detente.lang import default_languages

    langs = default_languages()
    return (langs.get(code).code3 or code) if code and code in langs else (code or "")


def global_event_id(event_id: str) -> int:
    """A stable positive 60-bit integer for a detente event id (GDELT's ids are integers)."""
    digest = event_id if all(c in "0123456789abcdef" for c in event_id) and len(event_id) >= 15 else \
        hashlib.sha1(event_id.encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


def _day(ev: StoredEvent) -> dt.date | None:
    value = ev.get("day") or ev.get("date") or ev.get("published")
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _actor(side: Mapping[str, Any] | None) -> list[str]:
    """The ten Actor columns: CAMEO code, name, country, then the role as Type1 (``GOV`` of ``RUSGOV``)."""
    if not side:
        return [""] * 10
    code = str(side.get("code") or "")
    country = str(side.get("country") or "")
    role = code[3:6] if country and code.startswith(country) and len(code) >= 6 else ""
    return [code, str(side.get("name") or "").upper(), country, "", "", "", "", role, "", ""]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def event_row(ev: StoredEvent) -> list[str]:
    """One event as GDELT's 61 Events columns (all as text)."""
    day = _day(ev)
    ymd = day.strftime("%Y%m%d") if day else ""
    fraction = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}" if day else ""
    cameo = str(ev["cameo"])
    sentence = ev.get("sentence") or {}
    root = 1 if int(sentence.get("start", ROOT_SENTENCE_CHARS)) < ROOT_SENTENCE_CHARS else 0
    geo = [""] * 16
    loc = ev.get("location")
    action = ["", "", "", "", "", "", "", ""]
    if loc:
        lat, lon = loc.get("lat"), loc.get("lon")
        codes = country_codes().get(str(loc.get("country") or ""))
        action = ["4" if lat is not None else "", str(loc.get("name") or ""), codes.fips if codes else "", "", "",
                  "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}",
                  str(loc.get("geonames") or "")]
    added = str(ev.get("published") or "").replace("-", "")[:8]
    row = [
        str(global_event_id(ev["event_id"])), ymd, ymd[:6], ymd[:4], fraction,
        *_actor(ev.get("source")), *_actor(ev.get("target")),
        str(root), cameo, cameo[:3], cameo[:2], str(ev["quad_class"]), f"{float(ev['goldstein']):.1f}",
        str(ev.get("num_mentions", 1)), str(ev.get("num_sources", 1)), str(ev.get("num_articles", 1)), "",
        *geo, *action,
        added + "000000" if added else "", str(ev.get("url") or ev.get("article") or ""),
    ]
    return [_cell(x) for x in row]


def mention_row(ev: StoredEvent) -> list[str]:
    """One report as GDELT's Mentions columns: it points at the event it reports (``merged_into``, else itself)."""
    event_day, report_day = _day(ev), ev.get("published")
    trigger = ev.get("trigger") or {}
    source: Mapping[str, Any] = ev.get("source") or {}
    target: Mapping[str, Any] = ev.get("target") or {}
    lang = lang3(ev.get("lang"))
    row = [
        str(global_event_id(str(ev.get("merged_into") or ev["event_id"]))),
        event_day.strftime("%Y%m%d") + "000000" if event_day else "",
        str(report_day).replace("-", "")[:8] + "000000" if report_day else "",
        str(WEB), str(ev.get("outlet") or ""), str(ev.get("url") or ev.get("article") or ""),
        "", str(source.get("start", "")) if source else "", str(target.get("start", "")) if target else "",
        str(trigger.get("start", "")), "1", str(round(100 * float(ev.get("report_confidence", ev["confidence"])))),
        "", "", f"srclc:{lang}" if lang and lang != "eng" else "", "",
    ]
    return [_cell(x) for x in row]


def write_events(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """Write GDELT Events rows (tab-separated, no header, as GDELT ships them); the number written."""
    n = 0
    for ev in events:
        if ev.get("merged_into"):
            continue  # a report of another event: a Mentions row, not an event
        fh.write("\t".join(event_row(ev)) + "\n")
        n += 1
    return n


def write_mentions(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """Write GDELT Mentions rows, one per report (pass every report: ``mentions=True``); the number written."""
    n = 0
    for ev in events:
        fh.write("\t".join(mention_row(ev)) + "\n")
        n += 1
    return n

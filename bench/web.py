"""Web benchmark: latency of `detente serve` (dashboard pages and HTTP API) on a large store.

Builds (or reuses) an SQLite store of 100,000 synthetic but realistic events: about ten per
article, dates spread over two years (2024-11-01..2026-10-31), articles in ru/uk/kk/en, actors
drawn with a Zipf-like skew from about 300 actors of the bundled knowledge base, CAMEO codes with
their Goldstein, QuadClass and PLOVER values from the codebook, mostly asserted events. Entity,
trigger and sentence offsets point into the generated text, as in a real ingest. The build is
deterministic (fixed seed) and resumable: articles already stored are skipped. Articles are
written with the public ``Store.save`` (one transaction each); ``--batch`` writes 250 per
transaction through ``Store._insert`` instead (about 1.5x faster).

Then it starts `detente --db DB serve --host 127.0.0.1 --port PORT` on a free port, waits for
`GET /api/health` (or `GET /`), sends a warm-up pass and, for each endpoint group, about 40
sequential requests with varied filters (actors from the store, countries, CAMEO roots, date
ranges, language, modality), and prints p50 / p95 / max per group against the 300 ms p95 target.
Non-200 answers are counted and printed; the run goes on. The server is stopped at the end.

    python bench/web.py [--events 100000] [--db bench/.web-bench.db] [--rebuild | --no-build]
                        [--batch] [--build-only] [--requests 40] [--port 0 | --url URL] [--json out.json]

Exit status: 0 when every group meets the target without errors, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / ".web-bench.db"
SEED = 20241101
FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2026, 10, 31)
N_ACTORS = 300
TARGET_P95_MS = 300.0
BATCH = 250  # articles per transaction in the batched build

LANGS = [("ru", 0.5), ("uk", 0.2), ("kk", 0.1), ("en", 0.2)]
MODALITIES = [("asserted", 0.8), ("future", 0.09), ("negated", 0.06), ("hypothetical", 0.05)]
FOCUS = ("RUS", "UKR", "KAZ", "USA", "BLR", "CHN", "TUR", "DEU", "FRA", "GBR", "UZB", "KGZ", "POL", "GEO", "MDA")
# The most frequent actors, in Zipf rank order (KB ids); the other ranks follow FOCUS.
HEAD = ("Q159", "Q212", "Q7747", "Q3874799", "Q30", "Q22686", "Q232", "person:tokayev", "person:lavrov",
        "org:rus-armed-forces", "org:ukr-armed-forces", "Q458", "Q7184", "person:peskov", "person:sybiha", "Q148",
        "Q1065", "person:zakharova", "Q184", "person:lukashenko", "Q43", "Q39259", "Q183", "Q3052772", "Q145",
        "person:yermak", "Q324546", "Q265", "person:mirziyoyev", "person:nurtleu", "Q60772", "Q36", "Q15031")
ENTITY_TYPE = {"person": "PER", "country": "LOC", "place": "LOC", "seat": "LOC", "media": "MEDIA"}

# code -> relative frequency and the trigger per language: (past tense, infinitive); for Kazakh
# (verb last) the past tense and a noun used with "жасамады/жасамақ/жасауы мүмкін".
CODES: dict[str, tuple[float, dict[str, tuple[str, str]]]] = {
    "010": (10, {"ru": ("заявил о", "заявить о"), "uk": ("заявив про", "заявити про"),
                 "kk": ("туралы мәлімдеді", "мәлімдеме"), "en": ("commented on", "comment on")}),
    "012": (3, {"ru": ("пессимистично оценил", "пессимистично оценить"),
                "uk": ("песимістично оцінив", "песимістично оцінити"),
                "kk": ("туралы күдік білдірді", "күдік"), "en": ("voiced doubts about", "voice doubts about")}),
    "020": (4, {"ru": ("призвал", "призвать"), "uk": ("закликав", "закликати"),
                "kk": ("шақырды", "үндеу"), "en": ("called on", "call on")}),
    "030": (3, {"ru": ("выразил готовность сотрудничать с", "выразить готовность сотрудничать с"),
                "uk": ("висловив готовність співпрацювати з", "висловити готовність співпрацювати з"),
                "kk": ("ынтымақтастыққа дайын екенін айтты", "ынтымақтастық"),
                "en": ("offered to cooperate with", "offer to cooperate with")}),
    "036": (5, {"ru": ("предложил переговоры", "предложить переговоры"),
                "uk": ("запропонував переговори", "запропонувати переговори"),
                "kk": ("келіссөз ұсынды", "келіссөз"), "en": ("proposed talks with", "propose talks with")}),
    "040": (8, {"ru": ("провел консультации с", "провести консультации с"),
                "uk": ("провів консультації з", "провести консультації з"),
                "kk": ("кеңес өткізді", "кеңес"), "en": ("consulted", "consult")}),
    "042": (6, {"ru": ("посетил", "посетить"), "uk": ("відвідав", "відвідати"),
                "kk": ("сапармен барды", "сапар"), "en": ("visited", "visit")}),
    "043": (4, {"ru": ("принял", "принять"), "uk": ("прийняв", "прийняти"),
                "kk": ("қабылдады", "қабылдау"), "en": ("hosted", "host")}),
    "046": (7, {"ru": ("провел переговоры с", "провести переговоры с"),
                "uk": ("провів переговори з", "провести переговори з"),
                "kk": ("келіссөз жүргізді", "келіссөз"), "en": ("held talks with", "hold talks with")}),
    "051": (4, {"ru": ("высоко оценил", "высоко оценить"), "uk": ("високо оцінив", "високо оцінити"),
                "kk": ("жоғары бағалады", "баға"), "en": ("praised", "praise")}),
    "057": (3, {"ru": ("подписал соглашение с", "подписать соглашение с"),
                "uk": ("підписав угоду з", "підписати угоду з"),
                "kk": ("келісімге қол қойды", "келісім"),
                "en": ("signed an agreement with", "sign an agreement with")}),
    "060": (3, {"ru": ("расширил сотрудничество с", "расширить сотрудничество с"),
                "uk": ("розширив співпрацю з", "розширити співпрацю з"),
                "kk": ("ынтымақтастықты кеңейтті", "ынтымақтастық"),
                "en": ("expanded cooperation with", "expand cooperation with")}),
    "111": (6, {"ru": ("раскритиковал", "раскритиковать"), "uk": ("розкритикував", "розкритикувати"),
                "kk": ("сынады", "сын"), "en": ("criticized", "criticize")}),
    "112": (5, {"ru": ("обвинил", "обвинить"), "uk": ("звинуватив", "звинуватити"),
                "kk": ("айыптады", "айып"), "en": ("accused", "accuse")}),
    "120": (3, {"ru": ("отверг предложение", "отвергнуть предложение"),
                "uk": ("відкинув пропозицію", "відкинути пропозицію"),
                "kk": ("ұсынысын қабылдамады", "бас тарту"),
                "en": ("rejected the proposal of", "reject the proposal of")}),
    "130": (2, {"ru": ("пригрозил", "пригрозить"), "uk": ("пригрозив", "пригрозити"),
                "kk": ("қорқытты", "қоқан-лоқы"), "en": ("threatened", "threaten")}),
    "138": (1, {"ru": ("пригрозил военным ударом", "пригрозить военным ударом"),
                "uk": ("пригрозив військовим ударом", "пригрозити військовим ударом"),
                "kk": ("әскери соққымен қорқытты", "әскери қоқан-лоқы"),
                "en": ("threatened military action against", "threaten military action against")}),
    "160": (2, {"ru": ("сократил контакты с", "сократить контакты с"),
                "uk": ("скоротив контакти з", "скоротити контакти з"),
                "kk": ("байланысты қысқартты", "байланысты қысқарту"),
                "en": ("scaled back ties with", "scale back ties with")}),
    "172": (3, {"ru": ("ввел санкции против", "ввести санкции против"),
                "uk": ("запровадив санкції проти", "запровадити санкції проти"),
                "kk": ("санкция енгізді", "санкция"), "en": ("imposed sanctions on", "impose sanctions on")}),
    "190": (4, {"ru": ("нанес удар по", "нанести удар по"), "uk": ("завдав удару по", "завдати удару по"),
                "kk": ("соққы берді", "соққы"), "en": ("attacked", "attack")}),
    "193": (2, {"ru": ("обстрелял позиции", "обстрелять позиции"),
                "uk": ("обстріляв позиції", "обстріляти позиції"),
                "kk": ("позицияларын атқылады", "атқылау"), "en": ("fired on", "fire on")}),
    "195": (3, {"ru": ("нанес авиаудар по", "нанести авиаудар по"),
                "uk": ("завдав авіаудару по", "завдати авіаудару по"),
                "kk": ("әуеден соққы жасады", "әуе соққысы"),
                "en": ("launched air strikes on", "launch air strikes on")}),
}
PREPOSITIONS = {"с", "з", "о", "про", "по", "против", "проти", "with", "on", "of", "against", "туралы"}
MODAL_WORDS = {
    "ru": {"negated": "не", "future": "намерен", "hypothetical": "может"},
    "uk": {"negated": "не", "future": "має намір", "hypothetical": "може"},
    "kk": {"negated": "жасамады", "future": "жасамақ", "hypothetical": "жасауы мүмкін"},
    "en": {"negated": "did not", "future": "plans to", "hypothetical": "may"},
}
SAID = {"ru": "сообщили в ведомстве", "uk": "повідомили у відомстві", "kk": "деп хабарлады ведомство",
        "en": "officials said"}
FILLER = {
    "ru": ["Стороны обсудили ситуацию в регионе и вопросы безопасности.",
           "Эксперты считают, что переговорный процесс займет несколько месяцев.",
           "Ранее в министерстве иностранных дел отмечали, что диалог продолжается.",
           "Подробности встречи не раскрываются."],
    "uk": ["Сторони обговорили ситуацію в регіоні та питання безпеки.",
           "Експерти вважають, що переговорний процес триватиме кілька місяців.",
           "Раніше в міністерстві закордонних справ зазначали, що діалог триває.",
           "Подробиці зустрічі не розголошуються."],
    "kk": ["Тараптар өңірдегі жағдай мен қауіпсіздік мәселелерін талқылады.",
           "Сарапшылардың пікірінше, келіссөздер бірнеше айға созылады.",
           "Бұған дейін Сыртқы істер министрлігі диалог жалғасып жатқанын айтқан.",
           "Кездесу туралы толық мәлімет жарияланбады."],
    "en": ["The sides discussed the situation in the region and security issues.",
           "Analysts expect the negotiations to take several months.",
           "The foreign ministry said earlier that the dialogue was continuing.",
           "No details of the meeting were released."],
}


# ---- building the store --------------------------------------------------------------------------
def _weighted(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor as it can be named in the text."""

    id: str
    name: str
    kind: str
    country: str | None
    code: str | None
    names: dict[str, str]
    lat: float | None
    lon: float | None
    capital: dict[str, str]


def pick_actors(n: int) -> tuple[list[Mention], list[Mention]]:
    """Return ``n`` KB actors in Zipf rank order (focus countries first) and the outlets (media)."""
    from detente.kb.base import default_kb

    kb = default_kb()
    rng = random.Random(SEED)

    def mention(a: Any) -> Mention:
        names = {lang: (a.names.get(lang) or a.names.get("ru") or a.names.get("en") or [a.name])[0]
                 for lang, _ in LANGS}
        return Mention(a.id, a.name, a.kind, a.country, a.code, names, a.lat, a.lon, dict(a.capital or {}))

    actors = [a for a in kb.actors.values() if a.kind in ("person", "country", "igo", "gov")]
    focus = {c: i for i, c in enumerate(FOCUS)}
    head = {aid: i for i, aid in enumerate(HEAD)}

    def rank(a: Any) -> tuple[float, str]:
        # The head list first, in its order; then the focus countries' actors (a random jitter lets
        # countries interleave), then international organisations and everyone else.
        if a.id in head:
            return head[a.id] - len(HEAD), a.id
        base = focus.get(a.country or "", len(FOCUS) + 5 if a.kind == "igo" else len(FOCUS) + 10)
        return base + rng.random() * 6, a.id

    actors.sort(key=rank)
    media = [mention(a) for a in kb.actors.values() if a.kind == "media"]
    return [mention(a) for a in actors[:n]], media


def _day(rng: random.Random) -> dt.date:
    # Slightly more news in the second year (a rising trend), and fewer at weekends.
    span = (LAST_DAY - FIRST_DAY).days
    while True:
        d = FIRST_DAY + dt.timedelta(days=int(span * rng.random() ** 0.85))
        if d.weekday() < 5 or rng.random() < 0.5:
            return d


class _Text:
    """Append-only text with the offsets of what was appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos

    def value(self) -> str:
        return "".join(self.parts)


def _actor_ref(m: Mention, text: str, start: int, end: int) -> dict[str, Any]:
    return {"name": m.name, "kb_id": m.id, "country": m.country, "code": m.code, "text": text, "start": start,
            "end": end}


def _entity(m: Mention, text: str, start: int, end: int, rng: random.Random) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text, "type": ENTITY_TYPE.get(m.kind, "ORG"), "name": m.name,
            "kb_id": m.id, "country": m.country, "code": m.code, "score": round(0.6 + 0.39 * rng.random(), 3),
            "mention": "name", "nested": False}


def _write_actor(buf: _Text, entities: list[dict[str, Any]], m: Mention, lang: str,
                 rng: random.Random) -> dict[str, Any]:
    """Append the actor's name to the text, record the entity and return the event's actor object."""
    name = m.names[lang]
    start, end = buf.add(name)
    entities.append(_entity(m, name, start, end, rng))
    return _actor_ref(m, name, start, end)


def make_article(i: int, actors: list[Mention], weights: list[float], media: list[Mention],
                 n_events: int | None = None) -> dict[str, Any]:
    """Return article ``i`` as an ``article_record`` with about ten events (deterministic in ``i``)."""
    from detente.events.cameo import lookup

    rng = random.Random(f"{SEED}:{i}")
    lang = _weighted(rng, LANGS)
    published = _day(rng)
    outlet = rng.choice(media)
    k = n_events if n_events is not None else max(1, min(20, round(rng.gauss(10, 3))))
    codes = list(CODES)
    code_w = [CODES[c][0] for c in codes]
    # An article is about a few actors: draw a small cast, then the events among them.
    cast: list[Mention] = []
    while len(cast) < min(len(actors), 4):
        m = rng.choices(actors, weights=weights)[0]
        if m not in cast:
            cast.append(m)
    buf = _Text()
    entities: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    stamp = f"{published:%d.%m.%Y}"
    ts, te = buf.add(stamp)
    times = [{"start": ts, "end": te, "text": stamp, "value": published.isoformat(), "precision": "day",
              "relation": "present"}]
    buf.add(". ")
    quotes: list[dict[str, Any]] = []
    sent_lengths: list[tuple[int, int]] = []
    for j in range(k):
        if j and rng.random() < 0.25:
            buf.add(rng.choice(FILLER[lang]) + " ")
        src = cast[0] if rng.random() < 0.5 else rng.choice(cast)
        code = lookup(rng.choices(codes, weights=code_w)[0])
        past, inf = CODES[code.code][1][lang]
        tgt: Mention | None = rng.choice([m for m in cast if m is not src])
        if past.rsplit(" ", 1)[-1] not in PREPOSITIONS and rng.random() < 0.15:
            tgt = None  # an event without a target ("X threatened.")
        modality = _weighted(rng, MODALITIES)
        s_start = buf.pos
        src_ref = _write_actor(buf, entities, src, lang, rng)
        tgt_ref: dict[str, Any] | None = None
        modal = MODAL_WORDS[lang].get(modality)
        if lang == "kk":  # subject, object, verb
            buf.add(" ")
            if tgt is not None:
                tgt_ref = _write_actor(buf, entities, tgt, lang, rng)
                buf.add(" ")
            trig = inf if modal else past
            t0, t1 = buf.add(trig)
            if modal:
                buf.add(" " + modal)
        else:
            buf.add(" ")
            if modality == "negated":
                trig = past
                buf.add(f"{modal} ")
            elif modal:
                trig = inf
                buf.add(f"{modal} ")
            else:
                trig = past
            t0, t1 = buf.add(trig)
            if tgt is not None:
                buf.add(" ")
                tgt_ref = _write_actor(buf, entities, tgt, lang, rng)
        loc: dict[str, Any] | None = None
        place = tgt if tgt is not None and tgt.kind == "country" else src if src.kind == "country" else None
        if place is not None and place.capital and rng.random() < 0.4:
            cap = place.capital.get(lang) or place.capital.get("en") or ""
            buf.add(", " if lang != "kk" else " (")
            l0, l1 = buf.add(cap)
            if lang == "kk":
                buf.add(")")
            loc = {"name": place.capital.get("en", cap), "country": place.country, "lat": place.lat,
                   "lon": place.lon, "text": cap, "start": l0, "end": l1}
        if rng.random() < 0.3:
            buf.add(", " + SAID[lang])
        s_end = buf.add(".")[1]
        buf.add(" " if rng.random() < 0.7 else "\n\n")
        sent_lengths.append((s_start, s_end))
        date = published - dt.timedelta(days=rng.choice((0, 0, 0, 0, 1, 1, 2, 3)))
        precise = rng.random() < 0.9
        events.append({
            "code": code, "modality": modality, "src": src_ref, "tgt": tgt_ref, "loc": loc,
            "trigger": (t0, t1, trig), "sentence": (s_start, s_end),
            "date": date.isoformat() if precise else None, "precision": "day" if precise else None,
        })
    buf.add(f"({outlet.names[lang]}, #{i})")
    text = buf.value()
    aid = hashlib.sha1(text.encode("utf-8")).hexdigest()
    name = f"web-bench-{i:06d}.txt"
    quoted: dict[str, Any] | None = None
    if rng.random() < 0.15 and len(events) > 1:  # the last event is reported speech of its source
        s0, s1 = events[-1]["sentence"]
        spk = events[-1]["src"]
        quotes.append({"start": s0, "end": s1, "text": text[s0:s1], "direct": False,
                       "speaker": {k: spk[k] for k in ("name", "kb_id", "country", "text")}, "cue": None})
        quoted = {"start": s0, "end": s1, "speaker": spk["name"]}
    out_events = []
    for n, ev in enumerate(events):
        code = ev["code"]
        t0, t1, trig = ev["trigger"]
        s0, s1 = ev["sentence"]
        src_d, tgt_d = ev["src"], ev["tgt"]
        key = "|".join([aid, str(t0), code.code, src_d["kb_id"], tgt_d["kb_id"] if tgt_d else "", ev["modality"]])
        out_events.append({
            "event_id": hashlib.sha1(key.encode("utf-8")).hexdigest(),
            "article_id": aid,
            "article": name,
            "lang": lang,
            "published": published.isoformat(),
            "cameo": code.code,
            "cameo_root": code.root,
            "cameo_label": code.label,
            "quad_class": code.quad_class,
            "goldstein": code.goldstein,
            "plover": code.plover,
            "plover_mode": code.plover_mode,
            "modality": ev["modality"],
            "date": ev["date"],
            "date_precision": ev["precision"],
            "source": src_d,
            "target": tgt_d,
            "location": ev["loc"],
            "trigger": {"text": trig, "start": t0, "end": t1},
            "sentence": {"text": text[s0:s1], "start": s0, "end": s1},
            "quote": quoted if n == len(events) - 1 else None,
            "evidence": [{"start": s0, "end": s1}],
            "rule": f"{lang}.bench.{code.code}",
            "confidence": round(0.35 + 0.6 * rng.random(), 3),
        })
    title = text[sent_lengths[0][0] : sent_lengths[0][1] - 1]
    return {
        "article_id": aid,
        "article": name,
        "lang": lang,
        "published": published.isoformat(),
        "outlet": outlet.name,
        "outlet_country": outlet.country,
        "url": f"https://{outlet.id.split(':')[-1]}.example/{published:%Y/%m/%d}/{i}",
        "title": title,
        "text": text,
        "sentences": [{"start": s0, "end": s1, "lang": lang} for s0, s1 in sent_lengths],
        "entities": entities,
        "times": times,
        "quotes": quotes,
        "events": out_events,
        "lemmas": " ".join(re.findall(r"\w+", text.lower())),
    }


def iter_articles(n_events: int) -> Iterator[dict[str, Any]]:
    """Yield the deterministic article stream until it holds ``n_events`` events in all."""
    actors, media = pick_actors(N_ACTORS)
    weights = [1.0 / (r + 1) ** 1.05 for r in range(len(actors))]
    total = i = 0
    while total < n_events:
        rec = make_article(i, actors, weights, media)
        if total + len(rec["events"]) > n_events:  # the last article is cut to the exact count
            rec = make_article(i, actors, weights, media, n_events=n_events - total)
        total += len(rec["events"])
        i += 1
        yield rec


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def build(path: Path, n_events: int, *, rebuild: bool, per_article: bool) -> dict[str, int]:
    """Make sure the store at ``path`` holds at least ``n_events`` events; return its counts."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from detente.store import write
    from detente.store.db import Store

    if rebuild:
        _remove_db(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(str(path))
    counts = store.counts()
    if counts["events"] >= n_events:
        print(f"reusing {path}: {counts['events']:,} events, {counts['articles']:,} articles "
              f"(>= {n_events:,}; --rebuild to start over)")
        return counts
    if counts["events"]:
        print(f"{path} holds {counts['events']:,} events: adding the missing articles")
    t0 = time.perf_counter()
    saved = skipped = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal saved, skipped
        if not batch:
            return
        known = store.known_ids([r["article_id"] for r in batch])
        with store.engine.begin() as conn:
            for rec in batch:
                if rec["article_id"] in known:
                    skipped += 1
                else:
                    # the store's own row writers, one transaction per batch: much faster than Store.save
                    if write._insert_article_row(conn, rec):
                        write._insert_layers(conn, rec)
                    saved += 1
        batch.clear()

    columns = (TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("events"),
               TimeElapsedColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("build", total=n_events)
        for rec in iter_articles(n_events):
            if per_article:
                if store.save(rec):
                    saved += 1
                else:
                    skipped += 1
            else:
                batch.append(rec)
                if len(batch) >= BATCH:
                    flush()
            progress.advance(task, len(rec["events"]))
        flush()
    store.analyze()  # as `detente ingest` does at its end
    seconds = time.perf_counter() - t0
    counts = store.counts()
    with store.engine.connect() as conn:  # fold the WAL into the file so its size is the store's size
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"built {path} in {seconds:.1f} s ({'store.save per article' if per_article else 'batched _insert'}): "
          f"{saved:,} articles written, {skipped:,} already there; {size / 2**20:.0f} MB; counts {counts}")
    store.engine.dispose()
    return counts


# ---- measuring -----------------------------------------------------------------------------------
@dataclass
class Group:
    """The timings of one endpoint group."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    next_pages: int = 0  # events_api: requests that followed a `next` cursor
    timed: list[tuple[float, str]] = field(default_factory=list)  # (ms, url) of the 200 answers

    def slowest(self, k: int = 3) -> list[tuple[float, str]]:
        """The ``k`` slowest successful requests."""
        return sorted(self.timed, reverse=True)[:k]

    def summary(self) -> dict[str, Any]:
        t = sorted(self.times_ms)
        ok = bool(t) and not self.errors and _pct(t, 95) <= TARGET_P95_MS
        return {
            "requests": len(t) + len(self.errors),
            "ok": len(t),
            "errors": len(self.errors),
            "p50_ms": round(_pct(t, 50), 1) if t else None,
            "p95_ms": round(_pct(t, 95), 1) if t else None,
            "max_ms": round(t[-1], 1) if t else None,
            "pass": ok,
            "next_pages": self.next_pages,
            "slowest": [{"ms": round(ms, 1), "url": u} for ms, u in self.slowest()],
            "error_urls": [f"{s} {u}" for s, u in self.errors],
        }


def _pct(sorted_ms: list[float], p: float) -> float:
    if len(sorted_ms) == 1:
        return sorted_ms[0]
    return statistics.quantiles(sorted_ms, n=100, method="inclusive")[int(p) - 1]


@dataclass
class Samples:
    """Filter values drawn from the store."""

    actors: list[str]
    articles: list[str]
    first: dt.date
    last: dt.date


def samples_from(path: Path, rng: random.Random) -> Samples:
    """Read actor ids (frequent and rare), article ids and the date range from the store."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT source_kb_id, COUNT(*) FROM events WHERE source_kb_id IS NOT NULL "
                           "GROUP BY 1 ORDER BY 2 DESC").fetchall()
        ids = [r[0] for r in rows]
        actors = ids[:10] + rng.sample(ids[10:], min(20, max(0, len(ids) - 10)))
        arts = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]
        lo, hi = con.execute("SELECT MIN(published), MAX(published) FROM articles").fetchone()
    finally:
        con.close()
    if not actors or not arts:
        raise SystemExit(f"{path} holds no events: build it first (drop --no-build)")
    return Samples(actors, rng.sample(arts, min(200, len(arts))), dt.date.fromisoformat(lo), dt.date.fromisoformat(hi))


def filters(rng: random.Random, s: Samples, *, actor: bool = True) -> dict[str, str]:
    """A varied filter set: each filter present with some probability, a date range most of the time."""
    f: dict[str, str] = {}
    if rng.random() < 0.4:
        f["country"] = rng.choice(["RUS", "UKR", "KAZ", "USA"])
    if actor and rng.random() < 0.3:
        f["actor"] = rng.choice(s.actors)
    if rng.random() < 0.35:
        f["cameo"] = rng.choice(["04", "05", "19"])
    if rng.random() < 0.75:
        days = rng.choice([7, 30, 90, 365, 730])
        span = max(0, (s.last - s.first).days - days)
        start = s.first + dt.timedelta(days=rng.randint(0, span))
        f["date_from"] = start.isoformat()
        f["date_to"] = min(s.last, start + dt.timedelta(days=days - 1)).isoformat()
    if rng.random() < 0.25:
        f["lang"] = rng.choice(["ru", "uk", "kk", "en"])
    if rng.random() < 0.15:
        f["modality"] = rng.choice(["asserted", "future", "negated", "hypothetical"])
    return f


def _url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def plans(rng: random.Random, s: Samples) -> dict[str, Callable[[int], str]]:
    """For each group, a function from the request number to the URL (events_api is special-cased)."""

    def timeline(_: int) -> str:
        f = filters(rng, s)
        if rng.random() < 0.4:
            f["interval"] = "week"
        return _url("/api/stats/timeline", f)

    def actor(i: int) -> str:
        aid = s.actors[(i // 2) % len(s.actors)]
        return f"/api/actors/{aid}" if i % 2 == 0 else f"/actors/{aid}"

    return {
        "overview": lambda _: _url("/", filters(rng, s)),
        "events_api": lambda _: _url("/api/events", {**filters(rng, s), "limit": "50"}),
        "events_page": lambda _: _url("/events", filters(rng, s)),
        "timeline": timeline,
        "network": lambda _: _url("/api/stats/network", filters(rng, s, actor=rng.random() < 0.5)),
        "actor": actor,
        "article": lambda i: f"/articles/{s.articles[i % len(s.articles)]}",
    }


def _next_url(url: str, body: Any) -> str | None:
    """The URL of the next page of an /api/events answer, if it has one."""
    nxt = body.get("next") if isinstance(body, dict) else None
    if not nxt:
        return None
    nxt = str(nxt)
    if nxt.startswith(("/", "http://", "https://")):
        return nxt
    base = re.sub(r"([?&])cursor=[^&]*&?", r"\1", url).rstrip("?&")
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'cursor': nxt})}"


def _get(client: Any, url: str) -> tuple[int, float, Any, str]:
    """GET ``url``: (status or 0 on a transport error, milliseconds, response or None, error text)."""
    import httpx

    err = ""
    for _ in range(2):  # once more on a fresh connection: the server may have closed a kept-alive one
        t0 = time.perf_counter()
        try:
            r = client.get(url)
        except httpx.TransportError as exc:
            err = f"{type(exc).__name__}: {exc}"
            continue
        return r.status_code, (time.perf_counter() - t0) * 1000, r, ""
    return 0, 0.0, None, err


def measure(base: str, s: Samples, n: int, seed: int) -> dict[str, Group]:
    """Warm up, then send ``n`` requests per group, one after the other; return the timings."""
    import httpx

    rng = random.Random(seed)
    groups = plans(rng, s)
    out: dict[str, Group] = {}
    with httpx.Client(base_url=base, timeout=60.0, trust_env=False) as client:
        for make in groups.values():  # warm-up: two requests per group, not counted
            for i in range(2):
                _get(client, make(i))
        for name, make in groups.items():
            g = out[name] = Group(name)
            pending: str | None = None
            for i in range(n):
                url = pending or make(i)
                pending = None
                status, ms, r, err = _get(client, url)
                if status == 200 and name == "events_api" and "cursor=" not in url:
                    try:
                        pending = _next_url(url, r.json())  # the second page is the next request
                    except ValueError:
                        err = "answer is not JSON"
                if status != 200 or err:
                    g.errors.append((status, f"{url} ({err})" if err else url))
                    if len(g.errors) <= 10:
                        print(f"  {name}: HTTP {status or '-'} {url}" + (f" ({err})" if err else ""))
                    elif len(g.errors) == 11:
                        print(f"  {name}: more errors, not printed (see the table / --json)")
                    continue
                g.times_ms.append(ms)
                g.timed.append((ms, url))
                g.next_pages += "cursor=" in url
    return out


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    """Start `detente serve` in its own process group."""
    exe = Path(sys.executable).with_name("detente")
    cmd = [str(exe), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    print("starting:", " ".join(cmd))
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(proc: subprocess.Popen[bytes], base: str, log_path: Path, timeout: float = 60.0) -> float:
    """Poll /api/health (then /) until HTTP 200; return the seconds it took."""
    import httpx

    t0 = time.perf_counter()
    with httpx.Client(base_url=base, timeout=5.0, trust_env=False) as client:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise SystemExit(f"the server exited with status {proc.returncode}:\n{tail}")
            for path in ("/api/health", "/"):
                try:
                    if client.get(path).status_code == 200:
                        return time.perf_counter() - t0
                except httpx.HTTPError:
                    break  # not listening yet
            time.sleep(0.2)
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise SystemExit(f"the server did not answer 200 on /api/health or / within {timeout:.0f} s:\n{tail}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def serve_and_measure(db: Path, port: int, samples: Samples, n: int, seed: int) -> dict[str, Group]:
    """Start the server, measure, and stop it whatever happens (Ctrl-C included)."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("wb", prefix="detente-serve-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        proc = start_server(db, port, log)
        try:
            ready = wait_ready(proc, base, log_path)
            print(f"server ready after {ready:.1f} s (pid {proc.pid}, log {log_path}); {n} requests per group")
            groups = measure(base, samples, n, seed)
        finally:
            stop_server(proc)
    log_path.unlink(missing_ok=True)
    return groups


def print_table(groups: dict[str, Group]) -> bool:
    """Print the figures per group; return True when every group passes."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"latency, sequential requests (target p95 <= {TARGET_P95_MS:.0f} ms)")
    for col in ("group", "requests", "non-200", "p50 ms", "p95 ms", "max ms", "result"):
        table.add_column(col, justify="left" if col == "group" else "right")
    all_ok = True
    for g in groups.values():
        s = g.summary()
        all_ok &= s["pass"]

        def fmt(v: float | None) -> str:
            return "-" if v is None else f"{v:.1f}"

        table.add_row(g.name, str(s["requests"]), str(s["errors"]), fmt(s["p50_ms"]), fmt(s["p95_ms"]),
                      fmt(s["max_ms"]), "[green]PASS[/]" if s["pass"] else "[red]FAIL[/]")
    Console().print(table)
    for g in groups.values():
        if g.times_ms and not g.summary()["pass"]:
            print(f"{g.name}: slowest " + ", ".join(f"{ms:.0f} ms {u}" for ms, u in g.slowest()))
    if "events_api" in groups:
        print(f"events_api: {groups['events_api'].next_pages} of its requests followed a `next` cursor (page 2)")
    print("overall:", "PASS" if all_ok else "FAIL")
    return all_ok


def machine() -> dict[str, Any]:
    """Cores, CPU model and Python version."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": cores, "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def main() -> None:
    """Build the store, run the server, measure and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the store (default 100,000)")
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite file (default {DEFAULT_DB.relative_to(ROOT)})")
    ap.add_argument("--rebuild", action="store_true", help="delete the store and build it again")
    ap.add_argument("--no-build", action="store_true", help="use the store as it is")
    ap.add_argument("--build-only", action="store_true", help="build the store and stop")
    ap.add_argument("--batch", action="store_true",
                    help=f"build with {BATCH} articles per transaction (Store._insert) instead of store.save each")
    ap.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    ap.add_argument("--url", help="measure a server already running at this base URL (over the same --db)")
    ap.add_argument("--requests", type=int, default=40, help="requests per endpoint group (default 40)")
    ap.add_argument("--seed", type=int, default=7, help="seed of the request filters")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    if args.no_build and (args.build_only or args.rebuild):
        ap.error("--no-build excludes --build-only and --rebuild")
    db = args.db.resolve()

    info = machine()
    print(f"machine: {info['cores']} cores ({info['cpu']}), Python {info['python']}, {info['platform']}")
    if args.no_build:
        if not db.exists():
            raise SystemExit(f"no store at {db}: drop --no-build")
        from detente.store.db import Store

        store = Store(str(db), create=False)
        counts = store.counts()
        store.engine.dispose()
    else:
        counts = build(db, args.events, rebuild=args.rebuild, per_article=not args.batch)
    print(f"store: {counts['events']:,} events, {counts['articles']:,} articles, {counts['entities']:,} entities")
    if args.build_only:
        return

    samples = samples_from(db, random.Random(args.seed))
    if args.url:
        base = args.url.rstrip("/")
        print(f"measuring {base}; {args.requests} requests per group")
        groups = measure(base, samples, args.requests, args.seed)
    else:
        groups = serve_and_measure(db, args.port or free_port(), samples, args.requests, args.seed)
    ok = print_table(groups)
    if args.json:
        payload = {"machine": info, "server": args.url or "detente serve", "counts": counts,
                   "target_p95_ms": TARGET_P95_MS, "requests_per_group": args.requests,
                   "groups": {k: g.summary() for k, g in groups.items()}, "pass": ok}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Load benchmark: many concurrent clients on loopback against `detente serve`, bounded in count and time.

Uses bench/web.py's store (100,000 synthetic events; built on first use, or ``--db`` another) and its
server helpers. For each phase, ``--clients`` clients send requests with varied filters for
``--seconds`` (at most ``--max-requests`` in all) and the bench prints requests/s, p50/p95/p99 latency
and errors per phase:

* ``events``: ``GET /api/events?limit=50`` with filters;
* ``overview``: ``GET /`` (the dashboard's overview) with filters;
* ``events+writes`` and ``overview+writes``: the same while one client posts articles
  (``POST /api/articles``, the server started with a token) as fast as they are taken.

The client runs on the same machine as the server (2 cores here), so it takes CPU from it.

    python bench/load.py [--clients 50] [--seconds 20] [--max-requests 20000] [--db PATH] [--json out.json]

Targets (issue 15): events p95 < 300 ms and >= 200 requests/s, overview p95 < 500 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import web  # noqa: E402  (bench/web.py: the store and the server helpers)

TOKEN = "load-bench-token"
TARGETS = {"events": (300.0, 200.0), "overview": (500.0, 0.0)}  # p95 ms, requests/s


@dataclass
class Phase:
    """One phase's figures."""

    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)
    writes: int = 0

    def summary(self) -> dict[str, Any]:
        ms = sorted(self.latencies)
        return {"phase": self.name, "requests": self.requests, "errors": self.errors, "writes": self.writes,
                "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(web._pct(ms, 50), 1) if ms else None,
                "p95_ms": round(web._pct(ms, 95), 1) if ms else None,
                "p99_ms": round(web._pct(ms, 99), 1) if ms else None}


ARTICLE = ("Президент Казахстана Касым-Жомарт Токаев провёл телефонный разговор с президентом России Владимиром "
           "Путиным. Стороны обсудили торговлю и транспортные коридоры (сообщение {i}).")


async def _reader(client: Any, phase: Phase, url_of: Any, stop: float, budget: list[int]) -> None:
    while time.perf_counter() < stop and budget[0] > 0:
        budget[0] -= 1
        url = url_of()
        t0 = time.perf_counter()
        try:
            resp = await client.get(url)
            ok = resp.status_code == 200
        except Exception:  # a refused or reset connection is an error of the run, not of the bench
            ok = False
        phase.latencies.append((time.perf_counter() - t0) * 1000)
        phase.requests += 1
        phase.errors += 0 if ok else 1


async def _writer(client: Any, phase: Phase, stop: float) -> None:
    i = 0
    while time.perf_counter() < stop:
        i += 1
        body = {"text": ARTICLE.format(i=f"{time.time_ns()}-{i}"), "published": "2026-11-30", "lang": "ru"}
        try:
            resp = await client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
            phase.writes += resp.status_code in (200, 201)
            phase.errors += resp.status_code not in (200, 201, 503)  # 503: the queue is full, try again
        except Exception:
            phase.errors += 1


async def _phase(base: str, name: str, url_of: Any, clients: int, seconds: float, max_requests: int,
                 writes: bool) -> Phase:
    import httpx

    phase = Phase(name + ("+writes" if writes else ""))
    limits = httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits, trust_env=False) as client:
        t0 = time.perf_counter()
        stop = t0 + seconds
        budget = [max_requests]
        tasks = [_reader(client, phase, url_of, stop, budget) for _ in range(clients)]
        if writes:
            tasks.append(_writer(client, phase, stop))
        await asyncio.gather(*tasks)
        phase.seconds = time.perf_counter() - t0
    return phase


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--max-requests", type=int, default=20_000, help="at most this many reads per phase")
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / ".web-bench.db")
    ap.add_argument("--events", type=int, default=100_000, help="events of the store built when --db is missing")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    web.build(args.db, args.events, rebuild=False, per_article=False)  # reused when it holds enough events
    rng = random.Random(15)
    samples = web.samples_from(args.db, rng)
    work = Path(tempfile.mkdtemp(prefix="detente-load-"))
    db = work / "load.db"  # the writes go to a copy
    db.write_bytes(args.db.read_bytes())
    port = web.free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = work / "server.log"
    os.environ["DETENTE_TOKEN"] = TOKEN
    with log_path.open("wb") as log:
        proc = web.start_server(db, port, log)
        try:
            web.wait_ready(proc, base, log_path)
            urls = {"events": lambda: web._url("/api/events", {**web.filters(rng, samples), "limit": "50"}),
                    "overview": lambda: web._url("/", web.filters(rng, samples))}
            results = []
            for writes in (False, True):
                for name, url_of in urls.items():
                    phase = asyncio.run(_phase(base, name, url_of, args.clients, args.seconds, args.max_requests,
                                               writes))
                    results.append(phase.summary())
                    print(json.dumps(results[-1]))
        finally:
            web.stop_server(proc)
    print(f"\n{'phase':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'writes':>8}")
    met = True
    for r in results:
        p95, rps = TARGETS[r["phase"].split("+")[0]]
        good = r["errors"] == 0 and (r["p95_ms"] or 0) < p95 and r["rps"] >= rps
        met = met and good
        print(f"{r['phase']:<16}{r['rps']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}"
              f"{r['writes']:>8}  {'meets' if good else 'misses'} p95 < {p95:.0f} ms"
              + (f", >= {rps:.0f} req/s" if rps else ""))
    print(f"clients {args.clients}, {args.seconds:g} s per phase, median of all p95: "
          f"{statistics.median(r['p95_ms'] or 0 for r in results):.0f} ms")
    if args.json:
        args.json.write_text(json.dumps({"machine": web.machine(), "results": results}, indent=2))
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()

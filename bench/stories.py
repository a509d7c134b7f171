"""Story benchmark: what placing articles in stories adds to the pipeline, and its cost as the store grows.

1. The team's story dev set (``samples/stories/dev``) through the full pipeline, then placed in stories
   in memory and in a SQLite store: seconds per article of each, and the stories' share of the total.
2. A SQLite store filled with N synthetic placed articles arriving at ``--per-day`` a day (bulk
   written, as if placed), then ``--probe`` more articles placed through the store: milliseconds per
   placed article at each N (10,000 and 100,000 by default). The window of open stories holds about
   ``7 × per-day`` articles whatever N is, so the cost should stay flat.

    python bench/stories.py [--sizes 10000 100000] [--per-day 150] [--probe 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import insert  # noqa: E402

from detente.cluster import minhash  # noqa: E402
from detente.cluster.signature import Profile, ProfileSetup, profile  # noqa: E402
from detente.cluster.stories import StoryBuilder, assign, story_label  # noqa: E402
from detente.kb.base import default_kb  # noqa: E402
from detente.store import schema as S  # noqa: E402
from detente.store.db import Store  # noqa: E402
from detente.store.stories import StoreMemory  # noqa: E402

START = dt.date(2024, 1, 1)


def share_of_pipeline() -> None:
    """Pipeline seconds vs story seconds per article on the team's story dev set."""
    from detente.ingest import IngestError, read_paths
    from detente.output import article_dict
    from detente.pipeline import default_pipeline

    pipe = default_pipeline()
    files = sorted((ROOT / "samples" / "stories" / "dev").rglob("articles.jsonl"))
    articles = [a for a in read_paths(files) if not isinstance(a, IngestError)]
    pipe.process(articles[0])  # models loaded before the clock starts
    t0 = time.perf_counter()
    records = [article_dict(pipe.process(a)) for a in articles]
    t_pipe = time.perf_counter() - t0
    t0 = time.perf_counter()
    assign(profile(r, ProfileSetup.build(default_kb())) for r in records)
    t_mem = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "b.db"))
        for r in records:
            store.save(r)
        t0 = time.perf_counter()
        store.assign_stories(ProfileSetup.build(default_kb()))
        t_store = time.perf_counter() - t0
    n = len(records)
    print(f"story dev set: {n} articles; pipeline {1000 * t_pipe / n:.1f} ms/article; stories in memory "
          f"{1000 * t_mem / n:.2f} ms/article ({100 * t_mem / t_pipe:.1f} % of the pipeline), in the store "
          f"(profiles, placement, event merging) {1000 * t_store / n:.2f} ms/article ({100 * t_store / t_pipe:.1f} %)")


def _word(i: int) -> str:
    """A made-up lemma of letters only (the builder weighs alphabetic lemmas of four letters or more)."""
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters += chr(ord("a") + r)
        if not i:
            return "word" + letters


def _synthetic(rng: random.Random, i: int, day: dt.date, vocab: list[str], actors: list[str]) -> Profile:
    words = rng.sample(vocab, 80)
    text = " ".join(rng.choice(words) for _ in range(250))
    shingles = minhash.shingles(text)
    keys = {a: 1.0 for a in rng.sample(actors, 6)} | {rng.choice(["Q159", "Q212", "Q232"]): 0.35}
    return Profile(name=f"x{i}", article_id=f"{i:040x}", lang=rng.choice(["ru", "uk", "kk", "en"]), published=day,
                   outlet=None, actors=keys, minhash=minhash.signature_of(shingles), lead=f"x{i}",
                   lemmas=" ".join(words), shingles=len(shingles))


def _fill(store: Store, n: int, per_day: int, rng: random.Random, vocab: list[str], actors: list[str]) -> None:
    """Write ``n`` placed articles in bulk (articles rows, members, bands, term counts)."""
    df: dict[str, int] = {}
    with store.engine.begin() as conn:
        for start in range(0, n, 2000):
            arts, members, bands = [], [], []
            for i in range(start, min(n, start + 2000)):
                day = START + dt.timedelta(days=i // per_day)
                p = _synthetic(rng, i, day, vocab, actors)
                arts.append({"id": p.article_id, "name": p.name, "text": "x", "lang": p.lang,
                             "published": day.isoformat(), "n_events": 0, "ingested_at": "2026-01-01"})
                words = {w: 1.0 for w in p.lemmas.split()}
                members.append({"article_id": p.article_id, "story": story_label(p.article_id), "duplicate_of": None,
                                "day": day.toordinal(), "seq": i, "profile": p.to_json(), "words": json.dumps(words)})
                bands += S.band_rows(p.article_id, day, minhash.band_keys(p.minhash))
                for w in words:
                    df[w] = df.get(w, 0) + 1
            conn.execute(insert(S.articles), arts)
            conn.execute(insert(S.story_members), members)
            conn.execute(insert(S.story_bands), bands)
        conn.execute(insert(S.story_terms), [{"term": w, "df": c} for w, c in df.items()])


def growth(sizes: list[int], per_day: int, probe: int) -> None:
    """Milliseconds per placed article after ``n`` stored articles, for each ``n``."""
    rng = random.Random(11)
    vocab = [_word(i) for i in range(20_000)]
    actors = [f"person:p{i}" for i in range(3_000)]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(str(Path(tmp) / "g.db"))
            t0 = time.perf_counter()
            _fill(store, n, per_day, rng, vocab, actors)
            filled = time.perf_counter() - t0
            news = [_synthetic(rng, n + k, START + dt.timedelta(days=(n + k) // per_day), vocab, actors)
                    for k in range(probe)]
            with store.engine.begin() as conn:
                conn.execute(insert(S.articles), [{"id": p.article_id, "name": p.name, "text": "x", "lang": p.lang,
                                                   "published": p.published.isoformat() if p.published else None,
                                                   "n_events": 0, "ingested_at": "2026-01-01"} for p in news])
            with store.engine.connect() as conn:
                builder = StoryBuilder(memory=StoreMemory(conn))
                t0 = time.perf_counter()
                with conn.begin():
                    for p in news:
                        builder.add(p)
                spent = time.perf_counter() - t0
            print(f"{n:>7} stored ({per_day}/day, filled in {filled:.0f} s): {1000 * spent / probe:.2f} ms per "
                  f"placed article over {probe}")


def main() -> None:
    """Run both parts."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--per-day", type=int, default=150)
    ap.add_argument("--probe", type=int, default=200)
    ap.add_argument("--skip-pipeline", action="store_true", help="only the growth part")
    args = ap.parse_args()
    if not args.skip_pipeline:
        share_of_pipeline()
    growth(args.sizes, args.per_day, args.probe)


if __name__ == "__main__":
    main()

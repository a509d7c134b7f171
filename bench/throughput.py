"""Throughput benchmark: `detente extract` on a generated corpus, one core and two.

Builds a corpus of at least 2,000 articles of about 3 KB from the bundled samples (sentences
shuffled and names varied so no two articles are the same), runs `detente extract` with 1 and 2
worker processes, and prints articles per second and peak memory (max RSS of the run's processes).

    python bench/throughput.py [--articles 2000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SWAPS = [("Токаев", "Мирзиёев"), ("Токаєв", "Мірзійоєв"), ("Путин", "Лукашенко"), ("Путін", "Лукашенко"),
         ("Зеленский", "Санду"), ("Казахстан", "Узбекистан"), ("8 августа", "12 сентября"), ("серпня", "вересня")]


def make_corpus(n: int, out: Path) -> int:
    """Write ``n`` articles of about 3 KB as JSONL; return the total number of characters."""
    rng = random.Random(7)
    texts = []
    for p in sorted(SAMPLES.rglob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        if raw.startswith(" date "):
            texts.append((raw[6:16], raw[17:]))
    if not texts:
        raise SystemExit("no sample articles under samples/")
    total = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            date, text = texts[i % len(texts)]
            paras = [p for p in text.split("\n\n") if p.strip()]
            rng.shuffle(paras)
            body = "\n\n".join(paras)
            while len(body) < 3000:
                body += "\n\n" + rng.choice(paras)
            body = body[:3200]
            for a, b in rng.sample(SWAPS, 3):
                body = body.replace(a, b)
            body += f"\n\n(#{i})"
            total += len(body)
            fh.write(json.dumps({"id": f"bench-{i}", "text": body, "published": date}, ensure_ascii=False) + "\n")
    return total


def run(corpus: Path, workers: int) -> tuple[float, int, float]:
    """Run extract; return (seconds, events, peak RSS in MB of one process)."""
    exe = Path(sys.executable).with_name("detente")
    cmd = [str(exe), "extract", str(corpus), "--format", "jsonl", "--workers", str(workers)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", ",".join(str(c) for c in range(workers)), *cmd]  # one core per worker
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-2000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, proc.stdout.count("\n"), peak


def main() -> None:
    """Build the corpus, run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "bench.jsonl"
        chars = make_corpus(args.articles, corpus)
        print(f"corpus: {args.articles} articles, {chars / args.articles:.0f} chars/article on average")
        for w in args.workers:
            seconds, n_events, peak = run(corpus, w)
            print(f"workers={w}: {seconds:.1f} s, {args.articles / seconds:.1f} articles/s, "
                  f"{n_events} events, peak RSS per process {peak:.0f} MB")


if __name__ == "__main__":
    main()

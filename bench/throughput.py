"""Throughput benchmark: `detente extract` on a generated corpus, one core and two.

``--corpus samples`` (the default) builds at least 2,000 articles of about 3 KB from the bundled
samples (paragraphs shuffled and names varied so no two articles are the same), runs `detente
extract` with 1 and 2 worker processes, and prints articles per second and peak memory (max RSS of
the run's processes).

``--corpus seeds`` builds seed-like articles (the two seed articles' paragraphs reshuffled, each as
long as a seed) and prints, in the same run, detente's articles/s on one core and those of natasha's
segmenter and NER tagger alone on the same texts, both with start-up included, and their ratio.

    python bench/throughput.py [--corpus samples|seeds] [--articles 2000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SWAPS = [("Токаев", "Мирзиёев"), ("Токаєв", "Мірзійоєв"), ("Путин", "Лукашенко"), ("Путін", "Лукашенко"),
         ("Зеленский", "Санду"), ("Казахстан", "Узбекистан"), ("8 августа", "12 сентября"), ("серпня", "вересня")]


def _dated_texts(paths: list[Path], where: str) -> list[tuple[str, str]]:
    """``(date, text)`` of the seed-format files among ``paths``."""
    texts = []
    for p in paths:
        raw = p.read_text(encoding="utf-8")
        if raw.startswith(" date "):
            texts.append((raw[6:16], raw[17:]))
    if not texts:
        raise SystemExit(f"no seed-format articles under {where}")
    return texts


def make_corpus(n: int, out: Path) -> int:
    """Write ``n`` articles of about 3 KB as JSONL; return the total number of characters."""
    rng = random.Random(7)
    # samples/news (the team's development articles) stays out, so the corpus is the one earlier
    # figures were measured on and no held-out text is read.
    files = sorted(p for p in SAMPLES.rglob("*.txt") if "news" not in p.relative_to(SAMPLES).parts)
    texts = _dated_texts(files, "samples/")
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


def make_seed_corpus(n: int, out: Path) -> int:
    """Write ``n`` seed-like articles (the seeds' paragraphs reshuffled) as JSONL; return the characters."""
    rng = random.Random(11)
    seeds = [(date, [x for x in text.split("\n\n") if x.strip()])
             for date, text in _dated_texts(sorted((SAMPLES / "seeds").glob("*.txt")), "samples/seeds/")]
    total = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            date, paras = seeds[i % len(seeds)]
            order = paras[:]
            rng.shuffle(order)
            body = "\n\n".join(order) + f"\n\n(#{i})"
            total += len(body)
            fh.write(json.dumps({"id": f"seed-{i}", "text": body, "published": date}, ensure_ascii=False) + "\n")
    return total


NATASHA = """
import json, sys
from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
seg, ner = Segmenter(), NewsNERTagger(NewsEmbedding())
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    doc = Doc(json.loads(line)["text"])
    doc.segment(seg)
    doc.tag_ner(ner)
    n += len(doc.spans)
print(n)
"""


def run_natasha(corpus: Path) -> float:
    """Seconds natasha's segmenter and NER tagger take over the corpus on one core, start-up included."""
    cmd = [sys.executable, "-c", NATASHA, str(corpus)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0


def seeds_main(n: int, repeat: int) -> None:
    """Detente against natasha segment+NER alone on seed-like articles, one core each.

    The two run in turn ``repeat`` times and the medians are printed, so a busy machine's noise
    falls on both alike.
    """
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "seeds.jsonl"
        chars = make_seed_corpus(n, corpus)
        print(f"seed-like corpus: {n} articles, {chars / n:.0f} chars/article on average, {repeat} runs each")
        ours: list[float] = []
        theirs: list[float] = []
        n_events, peak = 0, 0.0
        for _ in range(repeat):
            seconds, n_events, peak = run(corpus, 1)
            ours.append(seconds)
            theirs.append(run_natasha(corpus))
        seconds, base = statistics.median(ours), statistics.median(theirs)
        print(f"detente, one core: median {seconds:.1f} s, {n / seconds:.1f} articles/s, {n_events} events, "
              f"peak RSS {peak:.0f} MB")
        print(f"natasha segment+NER alone, one core: median {base:.1f} s, {n / base:.1f} articles/s")
        ratios = sorted(b / a for a, b in zip(ours, theirs, strict=True))
        print(f"ratio detente/natasha (articles/s): {base / seconds:.2f} (per run {ratios[0]:.2f}-{ratios[-1]:.2f})")


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
    ap.add_argument("--corpus", choices=["samples", "seeds"], default="samples")
    ap.add_argument("--articles", type=int, default=None, help="2,000 for samples, 500 for seeds")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=5, help="runs of each side for --corpus seeds (medians)")
    args = ap.parse_args()
    if args.corpus == "seeds":
        seeds_main(args.articles or 500, max(1, args.repeat))
        return
    args.articles = args.articles or 2000
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

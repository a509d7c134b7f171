"""Engine benchmark: `detente run` on the bench corpus, the local engine on one core against Ray Data on a
local 2-CPU cluster, and whether both wrote the same articles and events.

The corpus is bench/throughput.py's (articles of about 3 KB built from the bundled samples, one JSONL
file). The local engine runs pinned to one core (taskset); the Ray engine starts its own cluster with
``--num-cpus``. Prints seconds, articles per second and the speed-up.

    python bench/engines.py [--articles 20000] [--num-cpus 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import make_corpus  # noqa: E402

from detente.engines.parts import read_parts  # noqa: E402


def _run(args: list[str], cores: int | None) -> float:
    exe = Path(sys.executable).with_name("detente")
    cmd = [str(exe), "run", *args]
    if cores and shutil.which("taskset"):
        cmd = ["taskset", "-c", ",".join(str(c) for c in range(cores)), *cmd]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return time.perf_counter() - t0


def _events(out: Path) -> set[str]:
    return {ev["event_id"] for row in read_parts(out) if row["record"] for ev in json.loads(row["record"])["events"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--num-cpus", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        chars = make_corpus(args.articles, corpus)
        print(f"corpus: {args.articles} articles, {chars / args.articles:.0f} characters each")
        big = ["--max-bytes", str(corpus.stat().st_size)]  # one JSONL file of all the articles
        local = _run([str(corpus), "--engine", "local", "--workers", "1", "--out", f"{tmp}/local", *big], cores=1)
        ray = _run([str(corpus), "--engine", "ray", "--num-cpus", str(args.num_cpus), "--out", f"{tmp}/ray", *big],
                   None)
        n = args.articles
        for engine in ("local", "ray"):
            coded = sum(1 for row in read_parts(Path(tmp) / engine) if row["record"])
            if coded != n:  # an engine that refused or lost articles has no speed to report
                raise SystemExit(f"the {engine} engine coded {coded} articles of {n}")
        same = _events(Path(tmp) / "local") == _events(Path(tmp) / "ray")
        print(f"local engine, 1 core: {local:.0f} s ({n / local:.1f} articles/s)")
        print(f"ray engine, {args.num_cpus} CPUs: {ray:.0f} s ({n / ray:.1f} articles/s), start-up included")
        print(f"speed-up {local / ray:.2f}x; the same events: {same}")


if __name__ == "__main__":
    main()

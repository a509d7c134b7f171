"""The quality gate: a fast subset of `detente eval` whose scores may not fall below pinned floors.

The floors live in ``quality/floors.json`` with a digest of the gold inputs they were measured on. A
change that lowers a score fails the build unless the same commit lowers the floor and says why in
the file's ``reasons``; a change of the inputs fails until the floors are measured and pinned again
(``detente eval --gate --pin``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.evaluate.runner import NER_SETS, Result, run_all

GATE_SETS = ("seeds", "dev", "nerel-dev", "kaznerd-dev")
GATE_LIMIT = 300  # documents per NER set: fast enough for every CI run
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Floors:
    """Pinned minimum scores and the digest of the inputs they hold for."""

    digest: str
    floors: dict[str, float]
    reasons: list[str]


def score_key(r: Result) -> str:
    """The name of one score in the floors file."""
    return f"{r.task}/{r.dataset}/{r.lang}/f1"


def input_files(data: Path, repo: Path) -> list[Path]:
    """The gold files the gate reads (texts and annotations), in a stable order."""
    files = [data.parent / "seeds" / "gold.jsonl", *sorted((data.parent / "seeds").glob("*.txt")),
             repo / "samples" / "gold.jsonl", *sorted((repo / "samples").glob("*.txt"))]
    for name in GATE_SETS:
        spec = NER_SETS.get(name)
        if spec is not None:
            path = data / spec.path
            files.extend(sorted(path.rglob("*")) if path.is_dir() else [path])
    return [f for f in files if f.is_file()]


def digest(files: Iterable[Path]) -> str:
    """SHA-1 over the names and contents of the input files."""
    h = hashlib.sha1()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def load_floors(path: Path) -> Floors:
    """Read the pinned floors."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Floors(str(raw["inputs_digest"]), {k: float(v) for k, v in raw["floors"].items()},
                  [str(x) for x in raw.get("reasons", [])])


def measure(data: Path, repo: Path) -> dict[str, float]:
    """Run the gate's subset of the evaluation; return F1 per score key (skipped sets are left out)."""
    results = run_all(data, repo, list(GATE_SETS), limit=GATE_LIMIT)
    return {score_key(r): round(r.f1, 4) for r in results if not r.skipped and r.docs}


def check(scores: dict[str, float], floors: Floors, current_digest: str) -> list[str]:
    """Return the gate's failures (empty when the build may pass)."""
    problems = []
    if current_digest != floors.digest:
        problems.append(f"the gate's inputs changed (digest {current_digest[:12]} != pinned {floors.digest[:12]}): "
                        "measure and pin the floors again with `detente eval --gate --pin`")
    for key, floor in sorted(floors.floors.items()):
        if key not in scores:
            continue  # a set that is not on this machine (../shared missing) is not gated
        if scores[key] + TOLERANCE < floor:
            problems.append(f"{key} fell to {scores[key]:.4f}, below its floor {floor:.4f}")
    return problems


def pin(path: Path, scores: dict[str, float], current_digest: str, reason: str) -> None:
    """Write the floors file from measured scores, keeping earlier reasons and adding ``reason``."""
    reasons: list[str] = []
    if path.exists():
        reasons = load_floors(path).reasons
    payload: dict[str, Any] = {"inputs_digest": current_digest, "floors": dict(sorted(scores.items())),
                               "reasons": [*reasons, reason]}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

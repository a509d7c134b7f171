"""Train the learned event layer on the team's training articles and print the ablation on dev.

    python tools/train_events.py            # train, pick the threshold by 3-fold cross-validation
                                            # on train, write src/detente/learn/data/events.npz
    python tools/train_events.py --no-save  # measure only

It reads ``samples/news/<lang>/train`` to fit and ``samples/news/<lang>/dev`` to report; it never
reads ``held_out``. The ablation table gives event P/R/F1 per language for the rules alone, the model
alone (a model trained without the rules' features, every candidate over its threshold) and both.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.doc import Doc  # noqa: E402
from detente.evaluate.events import score_events  # noqa: E402
from detente.ingest import IngestError, read_paths  # noqa: E402
from detente.learn.features import Candidate, candidates  # noqa: E402
from detente.learn.layer import label, model_events  # noqa: E402
from detente.learn.model import EventModel, train  # noqa: E402
from detente.output import event_dict  # noqa: E402
from detente.pipeline import default_pipeline  # noqa: E402

LANGS = tuple(sorted(p.name for p in (ROOT / "samples" / "news").iterdir() if p.is_dir()))
OUT = ROOT / "src" / "detente" / "learn" / "data" / "events.npz"
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)

Item = tuple[Doc, dict[str, Any], list[Candidate]]


def load(part: str) -> list[Item]:
    """Process the articles of one part of every language; keep each with its gold line and candidates."""
    pipe = default_pipeline()
    items: list[Item] = []
    for lang in LANGS:
        folder = ROOT / "samples" / "news" / lang / part
        gold = {json.loads(x)["id"]: json.loads(x) for x in (folder / "gold.jsonl").read_text("utf-8").splitlines()}
        for art in read_paths(sorted(folder.glob("*.txt"))):
            if isinstance(art, IngestError):
                continue
            doc = pipe.process(art)
            items.append((doc, gold[Path(art.name).stem], list(candidates(doc))))
    return items


def examples(items: Sequence[Item], rule_features: bool = True) -> list[tuple[Sequence[str], str]]:
    """``(features, label)`` of every candidate of ``items``."""
    out: list[tuple[Sequence[str], str]] = []
    for _doc, gold, cands in items:
        for cand, lab in zip(cands, label(cands, gold["events"]), strict=True):
            out.append((_strip(cand.features) if not rule_features else cand.features, lab))
    return out


def _strip(features: Sequence[str]) -> list[str]:
    return [f for f in features if not f.startswith("rule")]


def score(items: Sequence[Item], model: EventModel | None, threshold: float, rules: bool = True) -> dict[str, Any]:
    """Event scores per language of the rules' events, plus the model's when ``model`` is given."""
    preds: list[dict[str, Any]] = []
    for doc, _gold, _cands in items:
        evs = list(doc.events) if rules else []
        if model is not None:
            view = doc if rules else replace(doc, events=[])
            evs += model_events(view, model, threshold)
        preds += [dict(event_dict(doc, ev)) for ev in evs]
    return score_events([g for _, g, _ in items], preds)


def pick_threshold(items: Sequence[Item]) -> float:
    """The threshold with the best F1 over 3-fold cross-validation on ``items`` (rules plus model)."""
    folds = [items[k::3] for k in range(3)]
    best = (-1.0, GRID[0])
    totals = {t: [0, 0, 0] for t in GRID}
    for k in range(3):
        rest = [x for j, f in enumerate(folds) if j != k for x in f]
        m = train(examples(rest))
        for t in GRID:
            c = score(folds[k], m, t)["all"].counts
            totals[t] = [totals[t][0] + c["tp"], totals[t][1] + c["fp"], totals[t][2] + c["fn"]]
    for t, (tp, fp, fn) in totals.items():
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"  threshold {t:.1f}: cross-validated F1 {f1:.3f}")
        best = max(best, (f1, t))
    return best[1]


def _row(name: str, scores: dict[str, Any]) -> str:
    cells = []
    for lang in (*LANGS, "all"):
        p, r, f = scores[lang].prf()
        cells.append(f"{p:.2f}/{r:.2f}/{f:.3f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    """Train, pick the threshold, save, and print the dev ablation."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-save", action="store_true", help="measure only; do not write the model file")
    args = ap.parse_args()
    print("processing train and dev articles ...", file=sys.stderr)
    tr, dev = load("train"), load("dev")
    threshold = pick_threshold(tr)
    model = train(examples(tr))
    model.threshold = threshold
    alone = train([(_strip(f), lab) for f, lab in examples(tr)])
    print(f"\nthreshold {threshold:.1f}; {len(model.index)} features, {len(model.labels)} labels\n")
    print("| dev: P/R/F1 | " + " | ".join((*LANGS, "all")) + " |")
    print("| --- |" + " --- |" * (len(LANGS) + 1))
    print(_row("rules", score(dev, None, threshold)))
    print(_row("model", score(dev, alone, threshold, rules=False)))
    print(_row("both", score(dev, model, threshold)))
    if not args.no_save:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        model.save(OUT)
        print(f"\nwrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

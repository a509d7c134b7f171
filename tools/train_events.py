"""Train the learned event layer on the team's training articles and print the ablation on dev.

    python tools/train_events.py            # train, pick the threshold by 3-fold cross-validation
                                            # on train, write src/detente/learn/data/events.npz
    python tools/train_events.py --no-save  # measure only

It reads ``samples/news/<lang>/train`` to fit and ``samples/news/<lang>/dev`` to report; it never
reads ``held_out``. It also fits the confidence calibration (``learn/calibrate.py``) on the rule events
of train, each right or wrong against the gold, and prints its bands on dev. The ablation table gives
event P/R/F1 per language for the rules alone, the model alone (a model trained without the rules'
features, every candidate over its threshold) and both.
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
from detente.evaluate.events import match_article, score_events  # noqa: E402
from detente.ingest import IngestError, read_paths  # noqa: E402
from detente.learn.calibrate import CALIBRATION_PATH, RIGHT, event_features  # noqa: E402
from detente.learn.features import Candidate, candidates  # noqa: E402
from detente.learn.layer import label, model_events  # noqa: E402
from detente.learn.model import NONE, EventModel, train  # noqa: E402
from detente.output import event_dict  # noqa: E402
from detente.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402

LANGS = tuple(sorted(p.name for p in (ROOT / "samples" / "news").iterdir() if p.is_dir()))
OUT = ROOT / "src" / "detente" / "learn" / "data" / "events.npz"
GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)

Item = tuple[Doc, dict[str, Any], list[Candidate]]


def load(part: str) -> list[Item]:
    """Process the articles of one part of every language; keep each with its gold line and candidates."""
    pipe = Pipeline.from_names([s for s in DEFAULT_STAGES if s != "confidence"])  # the rules' own scores
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
        print(f"  threshold {t:.2f}: cross-validated F1 {f1:.3f}")
        best = max(best, (f1, t))
    return best[1]


def calibration_examples(items: Sequence[Item]) -> list[tuple[list[str], str]]:
    """``(features, label)`` of every rule event of ``items``: :data:`RIGHT` when it matches a gold event."""
    out: list[tuple[list[str], str]] = []
    for doc, gold, _cands in items:
        preds = [dict(event_dict(doc, ev)) for ev in doc.events]
        by_id = {id(p): ev for p, ev in zip(preds, doc.events, strict=True)}
        for pred, ok in match_article(gold["events"], preds):
            out.append((event_features(doc, by_id[id(pred)]), RIGHT if ok else NONE))
    return out


def bands(model: EventModel | None, examples: Sequence[tuple[list[str], str]]) -> str:
    """Share right per tenth of confidence: the raw rule score (``model`` None) or the calibrated one."""
    got: dict[int, list[bool]] = {}
    for feats, lab in examples:
        if model is None:
            p = int(next(f for f in feats if f.startswith("conf="))[5:]) / 10 + 0.05
        else:
            p = float(model.scores(feats)[model.labels.index(RIGHT)])
        got.setdefault(min(9, int(p * 10)), []).append(lab == RIGHT)
    return " ".join(f"{k / 10:.1f}: {sum(v) / len(v):.2f} of {len(v)}" for k, v in sorted(got.items()))


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
    print(f"\nthreshold {threshold:.2f}; {len(model.index)} features, {len(model.labels)} labels\n")
    print("| dev: P/R/F1 | " + " | ".join((*LANGS, "all")) + " |")
    print("| --- |" + " --- |" * (len(LANGS) + 1))
    print(_row("rules", score(dev, None, threshold)))
    print(_row("model", score(dev, alone, threshold, rules=False)))
    print(_row("both", score(dev, model, threshold)))
    calibration = train(calibration_examples(tr), epochs=8, l2=0.03, min_count=3)
    dev_events = calibration_examples(dev)
    print("\nrule events on dev, share right by confidence band:")
    print("  rules' scores:", bands(None, dev_events))
    print("  calibrated:   ", bands(calibration, dev_events))
    if not args.no_save:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        model.save(OUT)
        calibration.save(CALIBRATION_PATH)
        print(f"\nwrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB) and "
              f"{CALIBRATION_PATH.relative_to(ROOT)} ({CALIBRATION_PATH.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

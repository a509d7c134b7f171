"""Print, per article, the gold events an extraction missed and the predictions that matched nothing.

    detente extract samples --format jsonl > pred.jsonl
    python tools/diagnose.py samples/gold.jsonl pred.jsonl [--lang ru]

or, with ``--ner SET``, the named-entity misses and false positives of the pipeline on a tuning set,
with the tagger's own score beside it:

    python tools/diagnose.py --ner uk-held [--limit 500]   # the sentences train_ner.py holds back
    python tools/diagnose.py --ner nerel-dev               # also nerel-train, ner-uk-dev, kaznerd-dev

For tuning on development data only (never on held-out or test sets).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_events import actor_key, closeness, matches, norm  # type: ignore[import-not-found]

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
NER_TUNING = {"nerel-dev": ("ru", "nerel/NEREL-v1.1/dev"), "nerel-train": ("ru", "nerel/NEREL-v1.1/train"),
              "ner-uk-dev": ("uk", "ner-uk/v2.0/dev"), "kaznerd-dev": ("kk", "kaznerd/IOB2_valid.txt"),
              "uk-held": ("uk", "ner-uk/v2.0/train.iob")}


def _held_back(path: Path) -> Iterator[Any]:
    """The IOB sentences ``train_ner.py`` holds back from training, as gold documents."""
    import random

    from train_ner import read_iob, spans

    from detente.evaluate.ner import NerDoc

    sents = read_iob(path)
    random.Random(13).shuffle(sents)
    for n, (words, tags) in enumerate(sents[: len(sents) // 10]):
        offs = []
        pos = 0
        for w in words:
            offs.append(pos)
            pos += len(w) + 1
        gold = {(offs[s], offs[e - 1] + len(words[e - 1]), k) for s, e, k in spans(tags)}
        yield NerDoc(f"held:{n}", " ".join(words), gold)


def ner_main(name: str, limit: int | None) -> None:
    """Print the NER misses (FN) and false positives (FP) of the pipeline on a tuning set, then scores."""
    from detente.doc import Article
    from detente.evaluate.ner import TYPES, NerScore, predicted_spans, read_brat, read_iob
    from detente.pipeline import default_pipeline

    lang, rel = NER_TUNING[name]
    path = EVAL / rel
    docs = _held_back(path) if name == "uk-held" else read_brat(path) if path.is_dir() else read_iob(path)
    pipe = default_pipeline()
    score, tagged = NerScore(), NerScore()
    for n, gold in enumerate(docs):
        if limit is not None and n >= limit:
            break
        doc = pipe.process(Article(text=gold.text, name=gold.name, lang=lang))
        ents = [e.as_dict() for e in doc.entities]
        pred = predicted_spans(ents)
        score.add(gold.spans, pred)
        tagged.add(gold.spans, set(doc.name_spans))
        text = gold.text
        if pred == gold.spans:
            continue
        print(f"=== {gold.name}")
        for s, e, t in sorted(gold.spans - pred):
            have = [f"{x['type']}«{x['text']}»{'+' if x['kb_id'] else ''}" for x in ents
                    if x["mention"] == "name" and x["start"] < e and s < x["end"]]
            print(f"  FN {t} «{text[s:e]}» has {have} | {text[max(0, s - 40) : e + 40]!r}")
        for s, e, t in sorted(pred - gold.spans):
            over = [f"{gt}«{text[gs:ge]}»" for gs, ge, gt in gold.spans if gs < e and s < ge]
            print(f"  FP {t} «{text[s:e]}» gold {over} | {text[max(0, s - 40) : e + 40]!r}")
    for label, sc in (("pipeline", score), ("tagger", tagged)):
        p, r, f = sc.prf()
        per = "  ".join(f"{t} {sc.prf(t)[2]:.3f}" for t in TYPES)
        print(f"{label:9} P {p:.3f} R {r:.3f} F1 {f:.3f}  {per}")


def main() -> None:
    """Print the misses and false positives."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?")
    ap.add_argument("pred", nargs="?")
    ap.add_argument("--lang")
    ap.add_argument("--ner", choices=sorted(NER_TUNING), help="diagnose named entities on a tuning set")
    ap.add_argument("--limit", type=int, help="with --ner: at most this many documents")
    a = ap.parse_args()
    if a.ner:
        ner_main(a.ner, a.limit)
        return
    if not a.gold or not a.pred:
        ap.error("give the gold and the predicted event files, or --ner SET")
    preds = collections.defaultdict(list)
    pred_lines = Path(a.pred).read_text(encoding="utf-8").splitlines()
    for line in pred_lines:
        if line.strip():
            ev = json.loads(line)
            preds[norm(ev["article"])].append(ev)
    for line in Path(a.gold).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if a.lang and g["lang"] != a.lang:
            continue
        ps = list(preds.get(norm(g.get("file") or g["id"]), []))
        print(f"=== {g['id']} ({g['lang']})")
        for ge in sorted(g["events"], key=lambda e: bool(e.get("optional"))):
            hit = max((p for p in ps if matches(p, ge)), key=lambda p: closeness(p, ge), default=None)
            if hit is None:
                if not ge.get("optional"):
                    note = ge.get("note", "")
                    print(f"  MISS {ge['source']}->{ge['target']} {ge['root']} {ge['modality']}  # {note}")
                continue
            ps.remove(hit)
        for p in ps:
            print(f"  FP   {actor_key(p['source'])}->{actor_key(p['target'])} {p['cameo']} {p['modality']} "
                  f"«{p['trigger']['text']}» {p['rule']} | {p['sentence']['text'][:110]}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    main()

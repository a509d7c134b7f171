"""Train the CRF name tagger of a language from CoNLL-style IOB data (``make train``).

    python tools/train_ner.py --lang uk --iob ../shared/eval/ner-uk/v2.0/train.iob

The IOB file is the public training split (NER-UK 2.0's DEV part for Ukrainian); 10 % of its sentences
are held back to print a score. Writes ``src/detente/nlp/lang/<lang>/ner.crfsuite``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import pycrfsuite

from detente.nlp.crf import LABELS, token_features

ROOT = Path(__file__).resolve().parent.parent


def read_iob(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (words, tags) with tags reduced to PER/ORG/LOC."""
    out: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            if words:
                out.append((words, tags))
                words, tags = [], []
            continue
        tag = parts[-1]
        kind = LABELS.get(tag[2:]) if len(tag) > 2 else None
        words.append(parts[0])
        tags.append(f"{tag[:2]}{kind}" if kind else "O")
    if words:
        out.append((words, tags))
    return out


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Typed spans of an IOB tag sequence."""
    out = set()
    start, cur = None, None
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[2:] if len(tag) > 2 else None
        if start is not None and (tag.startswith("B-") or kind != cur):
            out.add((start, i, cur or ""))
            start, cur = None, None
        if kind and start is None:
            start, cur = i, kind
    return out


def main() -> None:
    """Train, score on the held-back sentences, write the model."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", default="uk")
    ap.add_argument("--iob", type=Path, required=True)
    ap.add_argument("--iterations", type=int, default=120)
    a = ap.parse_args()
    sents = read_iob(a.iob)
    random.Random(13).shuffle(sents)
    cut = len(sents) // 10
    held, train = sents[:cut], sents[cut:]
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in train:
        trainer.append(token_features(words, a.lang), tags)
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": a.iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 2})
    out = ROOT / "src" / "detente" / "nlp" / "lang" / a.lang / "ner.crfsuite"
    trainer.train(str(out))
    print(f"trained on {len(train)} sentences in {time.time() - t0:.0f} s -> {out} ({out.stat().st_size // 1024} KB)")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    tp = fp = fn = 0
    for words, tags in held:
        gold, pred = spans(tags), spans(tagger.tag(token_features(words, a.lang)))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"held-back {len(held)} sentences: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()

"""Train the CRF name tagger of a language from CoNLL-style IOB data (``make train``).

    python tools/train_ner.py --lang uk --iob ../shared/eval/ner-uk/v2.0/train.iob

The IOB file is the public training split (NER-UK 2.0's DEV part for Ukrainian); 10 % of its sentences
are held back to print a score (``--all`` trains on every sentence). Writes
``src/detente/lang/<lang>/ner.crfsuite``.

Each sentence is re-tokenized the way the pipeline tokenizes text (the IOB file's "«Аякс»" is three
tokens at run time), and every piece takes the tag of the IOB token it comes from, so the model is
trained on the tokens and features it sees at run time.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import pycrfsuite

from detente.kb.base import default_kb
from detente.nlp.crf import LABELS, token_features
from detente.nlp.segment import split_sentences, split_tokens

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


def retokenize(words: list[str], tags: list[str]) -> list[tuple[list[str], list[bool], list[str]]]:
    """The pipeline's sentences of an IOB unit: for each, its tokens, whether space precedes each, and tags.

    An IOB "sentence" may hold several sentences ("... області. Держпідприємство звернулося ..."); the
    pipeline tags each on its own, so the model learns from the same units.
    """
    text = " ".join(words)
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    out = []
    src = 0
    for s_start, s_end, _ in split_sentences(text):
        toks: list[str] = []
        spaced: list[bool] = []
        out_tags: list[str] = []
        last_end = -1
        for start, end, tok in split_tokens(text[s_start:s_end], s_start):
            while src + 1 < len(words) and starts[src + 1] <= start:
                src += 1
            tag = tags[src]
            if tag.startswith("B-") and start > starts[src]:
                tag = "I-" + tag[2:]
            if tag.startswith("I-") and not out_tags:
                tag = "B-" + tag[2:]  # a name cut by a sentence boundary
            toks.append(tok)
            spaced.append(start != last_end)
            out_tags.append(tag)
            last_end = end
        if toks:
            out.append((toks, spaced, out_tags))
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
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--all", action="store_true", help="train on every sentence, holding none back")
    ap.add_argument("--out", type=Path, help="where to write the model (default: the shipped one)")
    a = ap.parse_args()
    kb = default_kb()  # the features read whether a word belongs to a known name
    sents = read_iob(a.iob)
    random.Random(13).shuffle(sents)
    cut = len(sents) // 10
    held = [s for w, t in sents[:cut] for s in retokenize(w, t)]
    train = [s for w, t in (sents if a.all else sents[cut:]) for s in retokenize(w, t)]
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, spaced, tags in train:
        trainer.append(token_features(words, a.lang, spaced, kb), tags)
    trainer.set_params({"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 2})
    out = a.out or ROOT / "src" / "detente" / "lang" / a.lang / "ner.crfsuite"
    trainer.train(str(out))
    print(f"trained on {len(train)} sentences in {time.time() - t0:.0f} s -> {out} ({out.stat().st_size // 1024} KB)")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    tp = fp = fn = 0
    for words, spaced, tags in held:
        gold, pred = spans(tags), spans(tagger.tag(token_features(words, a.lang, spaced, kb)))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    note = " (also trained on)" if a.all else ""
    print(f"held-back {len(held)} sentences{note}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()

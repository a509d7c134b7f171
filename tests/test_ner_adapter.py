"""Our decoding of natasha's NER network gives slovnet's own tags exactly."""

from __future__ import annotations

from pathlib import Path

from detente.nlp import ner
from detente.nlp.segment import split_tokens

ROOT = Path(__file__).resolve().parent.parent


def test_viterbi_matches_slovnet_decode() -> None:
    tagger = ner._natasha()
    assert tagger is not None
    infer = tagger.infer
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("samples/ru_*.txt"))]
    texts += ["Путин", "Лавров и Фидан обсудили в Москве ситуацию в Сирии.", "а, б"]
    for text in texts:
        words = [w for _, _, w in split_tokens(text)]
        slovnet = next(iter(infer.decoder(infer.process(infer.encoder([words])))))
        assert ner._natasha_tags(tagger, words) == slovnet, text[:40]

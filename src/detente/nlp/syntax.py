"""Dependency syntax for Russian: natasha's news syntax model (slovnet weights in the PyPI wheel, MIT).

The parser reads our own tokens (one parser word per :class:`~detente.doc.Token`, so nothing is
segmented twice) and only the sentences where a parse can change an event: Russian sentences that name
actors of two sides and hold a word that may start a rule's trigger. Each parsed token gets ``head`` (an index
into :attr:`Doc.tokens`, ``-1`` at the root) and ``deprel`` (a Universal Dependencies relation such as
``nsubj``, ``obj``, ``obl``). The stage is in the default pipeline before ``events``; a pipeline
built without it codes from word order alone.
"""

from __future__ import annotations

import functools
from typing import Any

from detente.doc import Doc, Token

LANGS = frozenset({"ru"})
MIN_SIDES = 2  # distinct actors a sentence must name to be parsed


@functools.cache
def _parser() -> Any | None:
    """natasha's news syntax parser, loaded once; None when natasha is not installed."""
    from detente.nlp.ner import news_embedding

    emb = news_embedding()
    if emb is None:  # pragma: no cover - natasha is a dependency; this keeps a broken install usable
        return None
    from natasha import NewsSyntaxParser

    return NewsSyntaxParser(emb)


@functools.lru_cache(maxsize=1 << 16)
def _word_ids(word: str) -> tuple[int, int]:
    """The word and shape ids the syntax encoder gives a word (slovnet's ``WordShapeInferEncoder.item``)."""
    from slovnet.shape import word_shape

    encoder = _parser().infer.encoder  # type: ignore[union-attr]  # only called once the parser loaded
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


def parse_sentences(sentences: list[list[str]]) -> list[list[tuple[int, str]]]:
    """:func:`parse_words` of several sentences in one padded batch (the same numbers, fewer numpy calls)."""
    parser = _parser()
    if parser is None or not sentences:
        return [[] for _ in sentences]
    import numpy as np

    infer = parser.infer
    encoder = infer.encoder
    width = max(len(words) for words in sentences)
    word_id = np.full((len(sentences), width), encoder.words_vocab.pad_id)
    shape_id = np.full((len(sentences), width), encoder.shapes_vocab.pad_id)
    pad_mask = np.ones((len(sentences), width), dtype=bool)
    for b, words in enumerate(sentences):
        for k, w in enumerate(words):
            word_id[b, k], shape_id[b, k] = _word_ids(w)
        pad_mask[b, : len(words)] = False
    pred = infer.model(word_id, shape_id, pad_mask)
    mask = ~pad_mask
    heads = infer.model.head.decode(pred.head_id, mask)
    rels = infer.model.rel.decode(pred.rel_id, mask)
    vocab = infer.decoder.rels_vocab
    return [[(int(h), str(vocab.decode(int(r)))) for h, r in zip(heads[b][: len(words)], rels[b][: len(words)],
                                                                 strict=True)]
            for b, words in enumerate(sentences)]


def parse_words(words: list[str]) -> list[tuple[int, str]]:
    """``(head, deprel)`` of each word of one sentence; ``head`` is 1-based within ``words``, 0 at the root.

    Runs slovnet's network and decoders (the same numpy operations as ``SyntaxInfer``); an empty list
    when the parser is not installed.
    """
    return parse_sentences([words])[0] if words else []


def _wanted(doc: Doc, si: int, toks: list[tuple[int, Token]], sides: dict[int, int]) -> bool:
    """True when sentence ``si`` names actors of two sides and has a word that may start a rule trigger
    (with one side, word order cannot go wrong about who did what to whom)."""
    from detente.events.rules import load_rules
    from detente.text import norm

    sent = doc.sents[si]
    if sides.get(si, 0) < MIN_SIDES:
        return False
    rs = load_rules(sent.lang)
    if rs is None or not rs.rules:
        return False
    return any(rs.candidates({t.lemma, norm(t.text)}) for _, t in toks)


class SyntaxParser:
    """Pipeline stage: dependency heads and relations on the Russian sentences that can carry an event.

    ``enabled=False`` makes the stage pass documents through untouched (to measure without it);
    ``every_sentence=True`` parses each Russian sentence, not only those with two sides and a trigger word.
    """

    name = "syntax"
    requires = ("tokens", "entities")
    assigns = ("tokens.head", "tokens.deprel")

    def __init__(self, enabled: bool = True, every_sentence: bool = False) -> None:
        self.enabled = enabled
        self.every_sentence = every_sentence

    def __call__(self, doc: Doc) -> Doc:
        """Parse the chosen sentences of ``doc`` and store each token's head and relation."""
        if not self.enabled or not any(s.lang in LANGS for s in doc.sents):
            return doc
        from detente.events.context import is_actor

        by_sent: dict[int, list[tuple[int, Token]]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append((i, tok))
        keys: dict[int, set[str]] = {}
        for e in doc.entities:
            if is_actor(e) and e.tok_start < len(doc.tokens):
                keys.setdefault(doc.tokens[e.tok_start].sent, set()).add(e.country or e.code or "")
        sides = {si: len(k) for si, k in keys.items()}
        chosen: list[list[tuple[int, Token]]] = []
        for si, sent in enumerate(doc.sents):
            toks = by_sent.get(si, [])
            if sent.lang not in LANGS or not toks:
                continue
            if not self.every_sentence and not _wanted(doc, si, toks, sides):
                continue
            chosen.append(toks)
        for toks, parsed in zip(chosen, parse_sentences([[t.text for _, t in toks] for toks in chosen]), strict=True):
            for (_, tok), (head, rel) in zip(toks, parsed, strict=False):
                tok.head = toks[head - 1][0] if 0 < head <= len(toks) else -1
                tok.deprel = rel
        return doc

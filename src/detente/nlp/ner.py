"""Proper-name spans from a statistical tagger, for names the knowledge base does not know.

Russian uses natasha's news NER model (slovnet weights shipped inside the PyPI wheel, MIT); other
languages have no offline model, and the linker falls back to capitalisation and morphology there.
The spans only propose unlinked entities: the knowledge-base linker decides what a mention refers to.
"""

from __future__ import annotations

import functools
from typing import Any

from detente.doc import Doc, EntityType

NATASHA_TYPES: dict[str, EntityType] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


@functools.cache
def _natasha() -> tuple[Any, Any] | None:
    """The natasha segmenter and NER tagger, loaded once; None when natasha is not installed."""
    try:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter
    except ImportError:  # pragma: no cover - natasha is a dependency; this keeps a broken install usable
        return None
    return Segmenter(), NewsNERTagger(NewsEmbedding())


def russian_names(text: str) -> list[tuple[int, int, EntityType]]:
    """Return ``(start, end, type)`` of the person, place and organisation names natasha finds."""
    tools = _natasha()
    if tools is None:
        return []
    from natasha import Doc as NatashaDoc

    segmenter, tagger = tools
    ndoc = NatashaDoc(text)
    ndoc.segment(segmenter)
    ndoc.tag_ner(tagger)
    return [(s.start, s.stop, NATASHA_TYPES[s.type]) for s in ndoc.spans if s.type in NATASHA_TYPES]


TAGGED_LANGS = frozenset({"ru", "uk", "kk"})
CRF_LANGS = frozenset({"uk", "kk"})


class NameTagger:
    """Pipeline stage: sets ``doc.name_spans`` for the sentences of languages with a name model.

    Russian: natasha; Ukrainian and Kazakh: the CRFs of :mod:`detente.nlp.crf` trained on NER-UK and
    KazNERD.
    """

    name = "ner"
    requires = ("sents", "tokens")
    assigns = ("name_spans",)

    def __call__(self, doc: Doc) -> Doc:
        """Tag the names of ``doc``."""
        from detente.nlp.crf import tag_spans

        doc.name_spans = []
        ru = [s for s in doc.sents if s.lang == "ru"]
        if ru:
            for start, end, etype in russian_names(doc.text):
                if any(s.start <= start < s.end for s in ru):
                    doc.name_spans.append((start, end, etype))
        by_sent: dict[int, list[int]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append(i)
        for si, sent in enumerate(doc.sents):
            if sent.lang not in CRF_LANGS or si not in by_sent:
                continue
            toks = [doc.tokens[i] for i in by_sent[si]]
            for first, last, etype in tag_spans([t.text for t in toks], sent.lang):
                doc.name_spans.append((toks[first].start, toks[last - 1].end, etype))
        doc.name_spans.sort()
        return doc

"""Proper-name spans from statistical taggers: where names begin and end, and their type.

Russian uses natasha's news NER model (slovnet weights shipped inside the PyPI wheel, MIT), with its
spans brought to name boundaries (no titles, brackets or legal forms; organisations completed by the
place they belong to); Ukrainian and Kazakh use the CRFs of :mod:`detente.nlp.crf`. Other languages
have no model, and the linker falls back to capitalisation and morphology there. The knowledge-base
linker combines these spans with the names it knows: the tagger decides the boundaries, the knowledge
base what a name refers to.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from detente.doc import Doc, EntityType, Token
from detente.lang import default_languages

if TYPE_CHECKING:
    from detente.kb.base import KnowledgeBase

NATASHA_TYPES: dict[str, EntityType] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


@functools.cache
def news_embedding() -> Any | None:
    """natasha's news word embedding (navec, in its wheel), loaded once and shared by its NER and syntax
    models; None when natasha is not installed."""
    try:
        from natasha import NewsEmbedding
    except ImportError:  # pragma: no cover - natasha is a dependency; this keeps a broken install usable
        return None
    return NewsEmbedding()


@functools.cache
def _natasha() -> Any | None:
    """natasha's news NER tagger, loaded once; None when natasha is not installed."""
    emb = news_embedding()
    if emb is None:  # pragma: no cover
        return None
    from natasha import NewsNERTagger

    return NewsNERTagger(emb)


def _viterbi(emissions: Any, transitions: Any) -> list[int]:
    """The best tag path of one unpadded sequence: slovnet's ``CRF.decode`` for a batch of one.

    The same numpy operations in the same order (so the same floats and the same ties), without the
    batch reshapes, index grids and masks that cost slovnet most of its decoding time on a long article.
    """
    import numpy as np

    score = emissions[0]
    columns = np.arange(emissions.shape[1])
    history = []
    for row in emissions[1:]:
        step = score[:, None] + transitions + row[None, :]  # from-tag x to-tag
        best = step.argmax(0)
        score = step[best, columns]
        history.append(best)
    tag = int(score.argmax())
    path = [tag]
    for best in reversed(history):
        tag = int(best[tag])
        path.append(tag)
    path.reverse()
    return path


@functools.lru_cache(maxsize=1 << 16)
def _word_ids(word: str) -> tuple[int, int]:
    """The word and shape ids natasha's NER encoder gives a word (slovnet's ``WordShapeEncoder.item``)."""
    from slovnet.shape import word_shape

    encoder = _natasha().infer.encoder  # type: ignore[union-attr]  # only called once the tagger loaded
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


def _natasha_tags(tagger: Any, words: list[str]) -> list[str]:
    """natasha's NER tags of one token sequence (its encoder's ids and network, then :func:`_viterbi`)."""
    import numpy as np

    infer = tagger.infer
    ids = [_word_ids(w) for w in words]
    word_id = np.array([[w for w, _ in ids]])
    shape_id = np.array([[s for _, s in ids]])
    emissions = infer.model(word_id, shape_id, word_id == infer.encoder.words_vocab.pad_id)[0]
    vocab = infer.decoder.tags_vocab
    return [vocab.decode(i) for i in _viterbi(emissions, infer.model.head.crf.transitions.array)]


class _Tok(NamedTuple):
    start: int
    stop: int


def russian_names(text: str, tokens: Sequence[tuple[int, int, str]] | None = None) -> list[tuple[int, int, EntityType]]:
    """Return ``(start, end, type)`` of the person, place and organisation names natasha finds.

    The model reads the tokens we already have (``(start, end, text)``; the text is tokenised when
    none are given), so the text is not segmented a second time; its tags come back as spans over
    those tokens.
    """
    tagger = _natasha()
    if tagger is None or not text.strip():
        return []
    from slovnet.bio import bio_spans

    if tokens is None:
        from detente.nlp.segment import split_tokens

        tokens = split_tokens(text)
    if not tokens:
        return []
    tags = _natasha_tags(tagger, [t[2] for t in tokens])
    spans = bio_spans([_Tok(a, b) for a, b, _ in tokens], tags)
    return [(s.start, s.stop, NATASHA_TYPES[s.type]) for s in spans if s.type in NATASHA_TYPES]


_EDGE_PUNCT = ".,;:!?—–-()[]/\\«»„“”\"' \n\t\xa0"
_LEGAL_FORM = re.compile(r"^(?:[А-ЯЁA-Z]{2,5}\s+)+[«\"„“]")
PROPER = frozenset({"Name", "Surn", "Patr", "Abbr", "Init", "Geox", "Orgn"})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` past punctuation and spaces at its edges, and quotes that enclose the whole."""
    while True:
        s0, e0 = start, end
        while start < end and text[start] in _EDGE_PUNCT and not _opens_kept(text, start, end):
            start += 1
        while start < end and text[end - 1] in _EDGE_PUNCT and not _closes_kept(text, start, end):
            end -= 1
        if (start, end) == (s0, e0):
            return start, end


def _opens_kept(text: str, start: int, end: int) -> bool:
    """An opening quote or bracket stays when the span closes it after a word: "«Единая Россия» партия"."""
    pairs = {"«": "»", "(": ")", "„": "“", "“": "”", '"': '"'}
    close = pairs.get(text[start])
    return close is not None and close in text[start + 1 : end - 1]


def _closes_kept(text: str, start: int, end: int) -> bool:
    opens = {"»": "«", ")": "(", "“": "„", "”": "“", '"': '"'}
    op = opens.get(text[end - 1])
    return op is not None and op in text[start + 1 : end - 1]


def clean_spans(text: str, spans: list[tuple[int, int, EntityType]]) -> list[tuple[int, int, EntityType]]:
    """Normalize the spans of the Russian model to name boundaries.

    A span never crosses a line break or a slash; "Джей Зи (Jay Z)" is two names; edge punctuation goes
    ("Колумбийском университете."), and so does a legal form before a quoted name ("ООО УК
    «Металлоинвест»" is the name «Металлоинвест»).
    """
    out: list[tuple[int, int, EntityType]] = []
    for start, end, etype in spans:
        pieces = []
        for m in re.finditer(r"[^\n()/]+", text[start:end]):
            pieces.append((start + m.start(), start + m.end()))
        for s, e in pieces:
            legal = _LEGAL_FORM.match(text[s:e])
            if legal and etype == "ORG":
                s += legal.end() - 1
            s, e = _trim(text, s, e)
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                out.append((s, e, etype))
    return out


def strip_titles(doc: Doc, spans: list[tuple[int, int, EntityType]]) -> list[tuple[int, int, EntityType]]:
    """Drop the nouns for people a person's name begins with: "Император Акихито", "Поп-звезда Мадонна"."""
    at = {t.start: i for i, t in enumerate(doc.tokens)}
    out = []
    for start, end, etype in spans:
        i = at.get(start)
        if etype == "PER" and i is not None:
            while i + 1 < len(doc.tokens) and doc.tokens[i + 1].end <= end:
                tok = doc.tokens[i]
                if tok.pos != "NOUN" or "anim" not in tok.tags or PROPER & tok.tags:
                    break
                i += 1
                start = doc.tokens[i].start
        out.append((start, end, etype))
    return out


def split_spans(toks: list[Token], first: int, last: int, etype: EntityType) -> list[tuple[int, int, EntityType]]:
    """The name a tagger found on ``toks[first:last]``, split at slashes.

    "Igor Kovalenko/EPA" (a photo credit) is two names; no name of the training data holds a slash.
    """
    out: list[tuple[int, int, EntityType]] = []
    begin = first
    for i in range(first, last + 1):
        if i == last or toks[i].text == "/":
            lo, hi = _name_edges(toks, begin, i)
            if hi > lo:
                out.append((toks[lo].start, toks[hi - 1].end, etype))
            begin = i + 1
    return out


_OPENING, _CLOSING = "«„“\"", "»“”\""
_EDGE_WORD_POS = frozenset({"ADP", "CCONJ", "SCONJ", "PART", "PREP", "CONJ", "PRCL"})


def _name_edges(toks: list[Token], lo: int, hi: int) -> tuple[int, int]:
    """``toks[lo:hi]`` without the punctuation and function words a tagger let in at its edges.

    "Нафтогаз»" is the name Нафтогаз: a name ends in a word, never in a quote it does not open or in a
    preposition or conjunction. A quote the span opens stays ("«Нафтогаз України»").
    """
    def edge(t: Token) -> bool:
        return not any(ch.isalnum() for ch in t.text) or (t.pos in _EDGE_WORD_POS and t.text.islower())

    def kept(k: int, own: str, other: str, rest: list[Token]) -> bool:  # a quote the span opens or closes
        return toks[k].text in own and any(t.text in other for t in rest)

    while lo < hi and edge(toks[lo]) and not kept(lo, _OPENING, _CLOSING, toks[lo + 1 : hi]):
        lo += 1
    while hi > lo and edge(toks[hi - 1]) and not kept(hi - 1, _CLOSING, _OPENING, toks[lo : hi - 1]):
        hi -= 1
    return lo, hi


def extend_orgs(doc: Doc, spans: list[tuple[int, int, EntityType]]) -> list[tuple[int, int, EntityType]]:
    """Add the full name of an organisation that a place or another organisation completes.

    "Верховный суд Испании", "Следственного комитета Армении", "Главном управлении Нацполиции по
    Кировоградской области": the model tags the head and the complement apart; the longer name is
    added, and both parts stay (nested in it).
    """
    tok_at = {t.start: t for t in doc.tokens}
    spans = sorted(spans)
    out = list(spans)
    for k, (start, end, etype) in enumerate(spans):
        if etype != "ORG":
            continue
        cur = end
        j = k + 1
        while j < len(spans):
            nstart, nend, ntype = spans[j]
            gap = doc.text[cur:nstart]
            first = tok_at.get(nstart)
            if ntype not in ("ORG", "LOC") or first is None or "\n" in gap:
                break
            if not ((gap.isspace() and "gen" in first.tags) or (gap.strip() == "по" and "dat" in first.tags)):
                break
            cur = nend
            j += 1
        if cur != end:
            out.append((start, cur, "ORG"))
    return sorted(set(out))


def tagged(lang: str) -> bool:
    """True when a statistical name tagger backs ``lang`` (its ``language.yaml`` names one)."""
    found = default_languages().find(lang)
    return found is not None and found.tags_names


def _tagger_of(lang: str) -> str:
    found = default_languages().find(lang)
    return found.name_tagger if found is not None else "none"


class NameTagger:
    """Pipeline stage: sets ``doc.name_spans`` for the sentences of languages with a name model.

    Russian: natasha; Ukrainian and Kazakh: the CRFs of :mod:`detente.nlp.crf` trained on NER-UK and
    KazNERD.
    """

    name = "ner"
    requires = ("sents", "tokens")
    assigns = ("name_spans",)

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb  # the CRFs read whether a word belongs to a known name

    def __call__(self, doc: Doc) -> Doc:
        """Tag the names of ``doc``."""
        from detente.nlp.crf import tag_spans

        doc.name_spans = []
        ru = [s for s in doc.sents if _tagger_of(s.lang) == "natasha"]
        if ru:
            found = russian_names(doc.text, [(t.start, t.end, t.text) for t in doc.tokens])
            spans = extend_orgs(doc, strip_titles(doc, clean_spans(doc.text, found)))
            starts = [s.start for s in ru]
            for start, end, etype in spans:
                k = bisect.bisect_right(starts, start) - 1
                if k >= 0 and start < ru[k].end:
                    doc.name_spans.append((start, end, etype))
        by_sent: dict[int, list[int]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append(i)
        for si, sent in enumerate(doc.sents):
            if _tagger_of(sent.lang) != "crf" or si not in by_sent:
                continue
            toks = [doc.tokens[i] for i in by_sent[si]]
            spaced = [i == 0 or toks[i].start > toks[i - 1].end for i in range(len(toks))]
            for first, last, etype in tag_spans([t.text for t in toks], sent.lang, spaced, self.kb):
                doc.name_spans.extend(split_spans(toks, first, last, etype))
        doc.name_spans.sort()
        return doc

"""A small conditional-random-field name tagger for languages with no offline NER model (Ukrainian).

The model is trained by ``tools/train_ner.py`` on public training data and shipped as a data file
(``lang/<lang>/ner.crfsuite``); features come from the word, its shape, its morphology and the
actor knowledge base, so the tagger and the linker agree on what a name is.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.doc import EntityType
from detente.lang import default_languages
from detente.nlp.crf_decode import CompiledCRF, load_model
from detente.nlp.kkmorph import kk_stem
from detente.nlp.morph import analyze

if TYPE_CHECKING:
    from detente.kb.base import KnowledgeBase

# gold tag names of the training sets (NER-UK, KazNERD) reduced to detente's entity types
LABELS: dict[str, EntityType] = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG",
                                 "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "LOC": "LOC", "GPE": "LOC",
                                 "LOCATION": "LOC"}


def _shape(word: str) -> str:
    out = []
    for ch in word[:6]:
        out.append("X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch)
    return "".join(out)


PROPER_GRAMMEMES = ("Geox", "Name", "Surn", "Patr", "Orgn", "Abbr")


QUOTES_OPEN = frozenset("«„“")
QUOTES_CLOSE = frozenset("»”")
QUOTES_BOTH = frozenset('"\'')
QUOTES = QUOTES_OPEN | QUOTES_CLOSE | QUOTES_BOTH


def _quote_depth(words: Sequence[str]) -> list[int]:
    """How many quotes are open before every token ("ТОВ «Компанія «Промторг»»")."""
    out = []
    depth = 0
    straight = False
    for w in words:
        out.append(depth + straight)
        if w in QUOTES_OPEN:
            depth += 1
        elif w in QUOTES_CLOSE:
            depth = max(0, depth - 1)
        elif w in QUOTES_BOTH:
            straight = not straight
    return out


def _rich_features(i: int, words: Sequence[str], lemmas: list[str], proper: list[str], info: list[Any],
                   gaps: list[bool], depth: list[int], kinds: dict[str, str]) -> list[str]:
    """The richer features of token ``i``: lemmas, quote depth and spacing, KB kinds, word pairs."""
    w, low = words[i], info[i][0]
    f = ["l=" + lemmas[i], "s4=" + low[-4:], f"q={min(depth[i], 2)}", "gr=" + proper[i], "kbk=" + kinds.get(low, "-")]
    if i > 0:
        f += ["-1:l=" + lemmas[i - 1], "-1:gr=" + proper[i - 1]]
    if i + 1 < len(words):
        f += ["+1:l=" + lemmas[i + 1], "+1:gr=" + proper[i + 1]]
    # whether a quote sticks to its word: "«Аякс»" ends the name with its quote, "« Аякс »" not
    # (other punctuation sticks to words in running text, but not in tokenized training data)
    if w in QUOTES:
        f.append(f"sp={gaps[i]}|+1:sp={gaps[i + 1] if i + 1 < len(words) else True}")
    if i + 1 < len(words) and words[i + 1] in QUOTES:
        f.append(f"+1:sp={gaps[i + 1]}")
    if i > 0:
        f.append(f"-1:w|w={info[i - 1][0]}|{low}")
    if i + 1 < len(words):
        f.append(f"w|+1:w={low}|{info[i + 1][0]}")
    return f


@dataclass(frozen=True, slots=True)
class _WordInfo:
    """The features of one word form that do not depend on its sentence, computed once per form."""

    info: tuple[str, str, str, bool, bool, bool]  # lowercase, POS, case, name, capitalised, in a KB name
    lemma: str
    proper: str
    own: tuple[str, ...]
    as_neighbour: dict[int, list[str]]


_MEMO_SIZE = 200_000
_MEMO: weakref.WeakKeyDictionary[KnowledgeBase, dict[tuple[str, str], _WordInfo]] = weakref.WeakKeyDictionary()


def _word(w: str, lang: str, kinds: dict[str, str], suffixed: bool) -> _WordInfo:
    a = analyze(w, lang)
    low = w.lower()
    name = "Surn" in a.grammemes or "Name" in a.grammemes
    cap = w[:1].isupper()
    in_kb = low in kinds or (suffixed and kk_stem(low) in kinds)
    pos, case = a.pos or "-", a.case or "-"
    own = ["w=" + low, "s3=" + low[-3:], "s2=" + low[-2:], "p3=" + low[:3], "shape=" + _shape(w), "pos=" + pos,
           "case=" + case, f"cap={cap}", f"upper={w.isupper() and len(w) > 1}", f"name={name}", f"kb={in_kb}"]
    if suffixed:  # agglutinative: the stem without case and possessive endings
        own.append("stem=" + kk_stem(low))
    neighbour = {}
    for d in (-2, -1, 1, 2):
        feats = [f"{d}:w={low}", f"{d}:pos={pos}", f"{d}:cap={cap}", f"{d}:kb={in_kb}"]
        if abs(d) == 1:
            feats += [f"{d}:case={case}", f"{d}:name={name}", f"{d}:s3={low[-3:]}"]
        neighbour[d] = feats
    return _WordInfo((low, pos, case, name, cap, in_kb), a.lemma,
                     "+".join(g for g in PROPER_GRAMMEMES if g in a.grammemes), tuple(own), neighbour)


def token_features(words: Sequence[str], lang: str, spaced: Sequence[bool] | None,
                   kb: KnowledgeBase) -> list[list[str]]:
    """The CRF features of every token of a sentence.

    ``spaced`` tells, for every token, whether white space comes before it ("«Аякс»" is three tokens
    with none between them); ``kb`` gives the words of known names.
    """
    kinds = kb.name_word_kinds(lang)
    language = default_languages().find(lang)
    rich = language is not None and language.name_tagger_features == "rich"
    suffixed = language is not None and language.has_suffix_morphology
    memo = _MEMO.setdefault(kb, {})
    if len(memo) > _MEMO_SIZE:
        memo.clear()  # a long-running server meets ever new word forms: start over rather than grow
    words_info = [memo.get((lang, w)) or memo.setdefault((lang, w), _word(w, lang, kinds, suffixed)) for w in words]
    info = [wi.info for wi in words_info]
    if rich:
        gaps = list(spaced) if spaced is not None else [True] * len(words)
        depth = _quote_depth(words)
        lemmas = [wi.lemma for wi in words_info]
        proper = [wi.proper for wi in words_info]
    feats: list[list[str]] = []
    n = len(words)
    for i, wi in enumerate(words_info):
        f = ["b", *wi.own, f"first={i == 0}"]
        if rich:
            f += _rich_features(i, words, lemmas, proper, info, gaps, depth, kinds)
        for d in (-2, -1, 1, 2):
            j = i + d
            f += words_info[j].as_neighbour[d] if 0 <= j < n else [f"{d}:none"]
        feats.append(f)
    return feats


def model_path(lang: str) -> Path | None:
    """The shipped model of ``lang``, if there is one."""
    language = default_languages().find(lang)
    res = language.resource("ner.crfsuite") if language is not None else None
    return Path(str(res)) if res is not None else None


@functools.cache
def tagger(lang: str) -> Any:
    """The loaded CRF tagger of ``lang`` (None when the language has no model or pycrfsuite is missing)."""
    path = model_path(lang)
    if path is None:
        return None
    try:
        import pycrfsuite
    except ImportError:  # pragma: no cover - a dependency; this keeps a broken install usable
        return None
    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t


@dataclass(frozen=True, slots=True)
class _WordRows:
    """The model rows of one word form's features, in :func:`token_features`' order."""

    own: tuple[int, ...]  # w=, s3=, ... of the word itself
    rich: tuple[int, int, int, int]  # l=, s4=, gr=, kbk=
    as_prev: tuple[int, int]  # -1:l=, -1:gr= (the word seen from the next token)
    as_next: tuple[int, int]  # +1:l=, +1:gr= (seen from the previous token)
    as_neighbour: dict[int, tuple[int, ...]]


class _Rows:
    """Feature rows of word forms for one compiled model and KB, kept like :data:`_MEMO`."""

    def __init__(self, model: CompiledCRF) -> None:
        self.model = model
        self.words: dict[tuple[str, str], _WordRows] = {}
        self.pairs: dict[tuple[str, str], tuple[int, int]] = {}
        at = model.attribute
        self.const = {name: at(name) for name in
                      ["b", "first=True", "first=False", "q=0", "q=1", "q=2", "+1:sp=True", "+1:sp=False",
                       *(f"sp={a}|+1:sp={b}" for a in (True, False) for b in (True, False)),
                       *(f"{d}:none" for d in (-2, -1, 1, 2))]}

    def const_row(self, name: str) -> int:
        """The row of a feature that does not depend on the word form."""
        row = self.const.get(name)
        return self.model.attribute(name) if row is None else row

    def word(self, wi: _WordInfo, kinds: dict[str, str]) -> _WordRows:
        """The rows of a word form's features."""
        at = self.model.attribute
        low = wi.info[0]
        return _WordRows(
            tuple(at(f) for f in wi.own),
            (at("l=" + wi.lemma), at("s4=" + low[-4:]), at("gr=" + wi.proper), at("kbk=" + kinds.get(low, "-"))),
            (at("-1:l=" + wi.lemma), at("-1:gr=" + wi.proper)), (at("+1:l=" + wi.lemma), at("+1:gr=" + wi.proper)),
            {d: tuple(at(f) for f in feats) for d, feats in wi.as_neighbour.items()})

    def pair(self, a: str, b: str) -> tuple[int, int]:
        """The rows of ``-1:w|w=a|b`` (seen from ``b``) and ``w|+1:w=a|b`` (seen from ``a``)."""
        key = (a, b)
        got = self.pairs.get(key)
        if got is None:
            if len(self.pairs) > _MEMO_SIZE:
                self.pairs.clear()
            got = self.pairs[key] = (self.model.attribute(f"-1:w|w={a}|{b}"), self.model.attribute(f"w|+1:w={a}|{b}"))
        return got


_ROWS: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, _Rows]] = weakref.WeakKeyDictionary()


@functools.cache
def compiled(lang: str) -> CompiledCRF | None:
    """The shipped model of ``lang`` read for :mod:`detente.nlp.crf_decode` (None without one)."""
    path = model_path(lang)
    return load_model(path) if path is not None else None


def _rows(words: Sequence[str], lang: str, spaced: Sequence[bool] | None, kb: KnowledgeBase,
          model: CompiledCRF) -> tuple[list[int], list[int]]:
    """The model rows of :func:`token_features` of a sentence, flat, and where each token's start."""
    kinds = kb.name_word_kinds(lang)
    language = default_languages().find(lang)
    rich = language is not None and language.name_tagger_features == "rich"
    suffixed = language is not None and language.has_suffix_morphology
    memo = _MEMO.setdefault(kb, {})
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    tables = _ROWS.setdefault(kb, {})
    table = tables.get(lang) or tables.setdefault(lang, _Rows(model))
    if len(table.words) > _MEMO_SIZE:
        table.words.clear()
    infos = [memo.get((lang, w)) or memo.setdefault((lang, w), _word(w, lang, kinds, suffixed)) for w in words]
    wrows = [table.words.get((lang, w)) or table.words.setdefault((lang, w), table.word(wi, kinds))
             for w, wi in zip(words, infos, strict=True)]
    c = table.const
    n = len(words)
    if rich:
        gaps = list(spaced) if spaced is not None else [True] * n
        depth = _quote_depth(words)
        lows = [wi.info[0] for wi in infos]
    rows: list[int] = []
    starts: list[int] = []
    for i, wr in enumerate(wrows):
        starts.append(len(rows))
        rows.append(c["b"])
        rows.extend(wr.own)
        rows.append(c["first=True"] if i == 0 else c["first=False"])
        if rich:
            lemma_row, s4_row, gr_row, kbk_row = wr.rich
            rows += (lemma_row, s4_row, c[f"q={min(depth[i], 2)}"], gr_row, kbk_row)
            if i > 0:
                rows.extend(wrows[i - 1].as_prev)
            if i + 1 < n:
                rows.extend(wrows[i + 1].as_next)
            if words[i] in QUOTES:
                rows.append(table.const_row(f"sp={gaps[i]}|+1:sp={gaps[i + 1] if i + 1 < n else True}"))
            if i + 1 < n and words[i + 1] in QUOTES:
                rows.append(table.const_row(f"+1:sp={gaps[i + 1]}"))
            if i > 0:
                rows.append(table.pair(lows[i - 1], lows[i])[0])
            if i + 1 < n:
                rows.append(table.pair(lows[i], lows[i + 1])[1])
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                rows.extend(wrows[j].as_neighbour[d])
            else:
                rows.append(c[f"{d}:none"])
    return rows, starts


def tag_spans(
    words: Sequence[str], lang: str, spaced: Sequence[bool] | None, kb: KnowledgeBase
) -> list[tuple[int, int, EntityType]]:
    """Return ``(first token, end token, type)`` of the names in a tokenized sentence."""
    model = compiled(lang)
    if model is None or not words:
        return []
    tags = model.decode(*_rows(words, lang, spaced, kb, model))
    spans: list[tuple[int, int, EntityType]] = []
    start: int | None = None
    cur: EntityType | None = None
    for i, tag in enumerate([*tags, "O"]):
        kind = LABELS.get(tag[2:]) if len(tag) > 2 else None
        if start is not None and (tag.startswith("B-") or kind != cur or tag == "O"):
            if cur is not None:
                spans.append((start, i, cur))
            start, cur = None, None
        if kind is not None and start is None:
            start, cur = i, kind
    return spans

"""A small conditional-random-field name tagger for languages with no offline NER model (Ukrainian).

The model is trained by ``tools/train_ner.py`` on public training data and shipped as a data file
(``nlp/lang/<lang>/ner.crfsuite``); features come from the word, its shape, its morphology and the
actor knowledge base, so the tagger and the linker agree on what a name is.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from detente.doc import EntityType
from detente.nlp.kkmorph import kk_stem
from detente.nlp.morph import analyze

# gold tag names of the training sets (NER-UK, KazNERD) reduced to detente's entity types
LABELS: dict[str, EntityType] = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG",
                                 "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "LOC": "LOC", "GPE": "LOC",
                                 "LOCATION": "LOC"}


def _shape(word: str) -> str:
    out = []
    for ch in word[:6]:
        out.append("X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch)
    return "".join(out)


@functools.cache
def _kb_words(lang: str) -> frozenset[str]:
    from detente.kb.base import default_kb

    return frozenset(w for key in default_kb().index.get(lang, {}) for w in key)


def token_features(words: Sequence[str], lang: str) -> list[list[str]]:
    """The CRF features of every token of a sentence."""
    kb = _kb_words(lang)
    feats: list[list[str]] = []
    info = []
    for w in words:
        a = analyze(w, lang)
        low = w.lower()
        info.append((low, a.pos or "-", a.case or "-", "Surn" in a.grammemes or "Name" in a.grammemes,
                     w[:1].isupper(), low in kb or (lang == "kk" and kk_stem(low) in kb)))
    for i, w in enumerate(words):
        low, pos, case, name, cap, in_kb = info[i]
        f = [
            "b", "w=" + low, "s3=" + low[-3:], "s2=" + low[-2:], "p3=" + low[:3], "shape=" + _shape(w),
            "pos=" + pos, "case=" + case, f"cap={cap}", f"upper={w.isupper() and len(w) > 1}",
            f"name={name}", f"kb={in_kb}", f"first={i == 0}",
        ]
        if lang == "kk":  # agglutinative: the stem without case and possessive endings
            f.append("stem=" + kk_stem(low))
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                low2, pos2, case2, name2, cap2, kb2 = info[j]
                f += [f"{d}:w={low2}", f"{d}:pos={pos2}", f"{d}:cap={cap2}", f"{d}:kb={kb2}"]
                if abs(d) == 1:
                    f += [f"{d}:case={case2}", f"{d}:name={name2}", f"{d}:s3={low2[-3:]}"]
            else:
                f.append(f"{d}:none")
        feats.append(f)
    return feats


def model_path(lang: str) -> Path | None:
    """The shipped model of ``lang``, if there is one."""
    res = resources.files("detente.nlp").joinpath("lang", lang, "ner.crfsuite")
    return Path(str(res)) if res.is_file() else None


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


def tag_spans(words: Sequence[str], lang: str) -> list[tuple[int, int, EntityType]]:
    """Return ``(first token, end token, type)`` of the names in a tokenized sentence."""
    t = tagger(lang)
    if t is None or not words:
        return []
    tags = t.tag(token_features(words, lang))
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

"""Sentences, paragraphs and tokens, as character-offset spans into the article text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from razdel import sentenize
from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, SMILE

from detente.doc import Doc, Sentence, Token

_LINE = re.compile(r"[^\n]+")
_BLANK = re.compile(r"\n\s*\n")


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph)`` of every sentence; a line break always ends a sentence.

    A sentence that ends with one of ``abbreviations`` and its full stop ("12 сент.", "Feb.") goes on
    when the next one starts with a digit or a lower-case letter ("12 сент. 2025 г.", "Feb. 12").
    """
    out: list[tuple[int, int, int]] = []
    para = 0
    last_end = 0
    for line in _LINE.finditer(text):
        if _BLANK.search(text, last_end, line.start()) or text.count("\n", last_end, line.start()) > 1:
            para += 1
        last_end = line.end()
        chunk = line.group()
        if not chunk.strip():
            continue
        first = len(out)
        for sent in sentenize(chunk):
            if not sent.text.strip():
                continue
            start, stop = line.start() + sent.start, line.start() + sent.stop
            if len(out) > first and _goes_on(text, out[-1][1], start, abbreviations):
                out[-1] = (out[-1][0], stop, para)
            else:
                out.append((start, stop, para))
    return out


_LAST_WORD = re.compile(r"(\w+)\.$")


def _goes_on(text: str, end: int, start: int, abbreviations: frozenset[str]) -> bool:
    """Whether the sentence ending at ``end`` was cut after an abbreviation the next one continues."""
    m = _LAST_WORD.search(text, max(0, end - 12), end)
    return (m is not None and m.group(1).lower() in abbreviations and start < len(text)
            and (text[start].isdigit() or text[start].islower()))


def month_abbreviations(codes: Iterable[str]) -> frozenset[str]:
    """The month abbreviations ("сент", "feb") of the languages ``codes``, from their ``times.yaml``."""
    from detente.nlp.times.data import load_yaml

    return frozenset(form[:-1].lower() for code in codes for forms in load_yaml(code).get("months") or []
                     for form in forms if isinstance(form, str) and form.endswith("."))


_Atom = tuple[int, int, str, str]  # start, end, razdel's atom type, text


def _joins(atoms: list[_Atom], i: int, buffer: str) -> bool:
    """razdel's token rules for the atoms ``i - 1`` and ``i``, which touch (no space between them)."""
    left, right = atoms[i - 1], atoms[i]
    if left[3] in DASHES or left[3] == "_" or left[3] in ".," or left[3] in "/\\":
        outer: tuple[_Atom | None, _Atom | None] = (atoms[i - 2] if i >= 2 else None, right)  # cho-|to
        mark = left[3]
    elif right[3] in DASHES or right[3] == "_" or right[3] in ".," or right[3] in "/\\":
        outer = (left, atoms[i + 1] if i + 1 < len(atoms) else None)  # cho|-to
        mark = right[3]
    else:
        outer, mark = (None, None), ""
    a, b = outer
    if a is not None and b is not None:
        if (mark in DASHES or mark == "_") and a[2] != "PUNCT" and b[2] != "PUNCT":
            return True
        if (mark in ".," or mark in "/\\") and a[2] == "INT" and b[2] == "INT":
            return True
    if left[2] == "PUNCT" and right[2] == "PUNCT" and (
        SMILE.match(buffer + right[3]) or (left[3] in ENDINGS and right[3] in ENDINGS)
        or left[3] + right[3] in ("--", "**")
    ):
        return True
    if (left[2] == "OTHER" and right[2] in ("OTHER", "RU", "LAT")) or (
        left[2] in ("OTHER", "RU", "LAT") and right[2] == "OTHER"
    ):
        return True
    return left[3].lower() == "yahoo" and right[3] == "!"


def razdel_tokens(text: str) -> list[tuple[int, int, str]]:
    """razdel's tokenisation of ``text`` (the same tokens), without its per-split objects.

    razdel cuts text into atoms (Cyrillic and Latin letter runs, digit runs, punctuation, any other
    character) and joins touching atoms by a few rules (dashes and underscores inside words, decimal
    numbers and fractions, runs of end punctuation, smileys, letters outside its alphabets).
    """
    atoms: list[_Atom] = [(m.start(), m.end(), m.lastgroup or "", m.group()) for m in ATOM.finditer(text)]
    out: list[tuple[int, int, str]] = []
    if not atoms:
        return out
    start, end = atoms[0][0], atoms[0][1]
    for i in range(1, len(atoms)):
        a_start, a_end = atoms[i][0], atoms[i][1]
        if a_start == end and _joins(atoms, i, text[start:end]):
            end = a_end
            continue
        out.append((start, end, text[start:end]))
        start, end = a_start, a_end
    out.append((start, end, text[start:end]))
    return out


_APOSTROPHES = frozenset("'’ʼ`")
_POSSESSIVE = re.compile(r"^[A-Za-z][A-Za-z.\-]*['’]s$")


def split_tokens(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Return ``(start, end, text)`` of every token of ``text``, offsets shifted by ``offset``.

    Words with an inner apostrophe (Ukrainian "п'ятниця", "Об’єднаних") stay one token; the English
    possessive ending is a token of its own ("Kazakhstan's" → "Kazakhstan", "'s").
    """
    raw = [(offset + s, offset + e, w) for s, e, w in razdel_tokens(text)]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(raw):
        start, end, word = raw[i]
        while (
            i + 2 < len(raw)
            and raw[i + 1][2] in _APOSTROPHES
            and raw[i + 1][0] == end
            and raw[i + 2][0] == raw[i + 1][1]
            and word[-1:].isalpha()
            and raw[i + 2][2][:1].isalpha()
        ):
            end = raw[i + 2][1]
            word = word + raw[i + 1][2] + raw[i + 2][2]
            i += 2
        if _POSSESSIVE.match(word):
            out.append((start, end - 2, word[:-2]))
            out.append((end - 2, end, word[-2:]))
        else:
            out.append((start, end, word))
        i += 1
    return out


class Segmenter:
    """Pipeline stage: fills ``doc.sents`` and ``doc.tokens``."""

    name = "segment"
    requires: tuple[str, ...] = ()
    assigns = ("sents", "tokens")

    def __init__(self, languages: Iterable[str] = ()) -> None:
        """Read the month abbreviations of ``languages`` (codes), after which a full stop may not end a sentence."""
        self.abbreviations = month_abbreviations(languages)

    def __call__(self, doc: Doc) -> Doc:
        """Segment ``doc`` into sentences and tokens."""
        doc.sents = []
        doc.tokens = []
        for i, (start, end, para) in enumerate(split_sentences(doc.text, self.abbreviations)):
            doc.sents.append(Sentence(start=start, end=end, lang=doc.lang, paragraph=para))
            for t_start, t_end, t_text in split_tokens(doc.text[start:end], start):
                doc.tokens.append(Token(start=t_start, end=t_end, text=t_text, sent=i))
        return doc

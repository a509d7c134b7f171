"""Sentences, paragraphs and tokens, as character-offset spans into the article text."""

from __future__ import annotations

import re

from razdel import sentenize, tokenize

from detente.doc import Doc, Sentence, Token

_LINE = re.compile(r"[^\n]+")
_BLANK = re.compile(r"\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph)`` of every sentence; a line break always ends a sentence."""
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
        for sent in sentenize(chunk):
            if sent.text.strip():
                out.append((line.start() + sent.start, line.start() + sent.stop, para))
    return out


_APOSTROPHES = frozenset("'’ʼ`")
_POSSESSIVE = re.compile(r"^[A-Za-z][A-Za-z.\-]*['’]s$")


def split_tokens(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Return ``(start, end, text)`` of every token of ``text``, offsets shifted by ``offset``.

    Words with an inner apostrophe (Ukrainian "п'ятниця", "Об’єднаних") stay one token; the English
    possessive ending is a token of its own ("Kazakhstan's" → "Kazakhstan", "'s").
    """
    raw = [(offset + t.start, offset + t.stop, t.text) for t in tokenize(text)]
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

    def __call__(self, doc: Doc) -> Doc:
        """Segment ``doc`` into sentences and tokens."""
        doc.sents = []
        doc.tokens = []
        for i, (start, end, para) in enumerate(split_sentences(doc.text)):
            doc.sents.append(Sentence(start=start, end=end, lang=doc.lang, paragraph=para))
            for t_start, t_end, t_text in split_tokens(doc.text[start:end], start):
                doc.tokens.append(Token(start=t_start, end=t_end, text=t_text, sent=i))
        return doc

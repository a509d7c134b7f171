"""Direct and reported quotes and their speakers.

A quoted span is attributed to the actor named by a speech verb after it (`"…", – сказав Токаєв`),
before it (`Зеленский заявил: «…»`), or, for a short quoted fragment inside a sentence, to the subject of
that sentence's speech verb; the answers of an interview are quotes of the person interviewed. Inside a
quote, "я"/"мы" refer to the speaker.
"""

from __future__ import annotations

import functools
import re

from detente.doc import Doc, Entity, Quote, Token
from detente.nlp.langdata import word_lists
from detente.spans import SpanIndex, TokenIndex
from detente.text import norm

_OPEN = {'"': '"', "«": "»", "„": "“", "“": "”", "‘": "’"}
_DASH = {"-", "–", "—", "―"}


@functools.cache
def speech_data(lang: str) -> dict[str, frozenset[str]]:
    """Return the speech-verb lemmas and first-person forms of ``lang`` from its data file."""
    return {k: frozenset(x.lower() for x in v) for k, v in word_lists(lang, "speech").items()}


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every outermost quoted span, quote marks excluded.

    A straight quote after a space or bracket and before a letter opens a (nested) quote; one before a
    space or punctuation closes it. A quote never runs past a paragraph break.
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPEN or i + 1 >= n or not (text[i + 1].isalnum() or text[i + 1] in _OPEN):
            i += 1
            continue
        close = _OPEN[ch]
        depth = 0
        j = i + 1
        found = -1
        while j < n:
            c = text[j]
            if c == "\n" and text[j + 1 : j + 2] == "\n":
                break
            prev = text[j - 1]
            nxt = text[j + 1] if j + 1 < n else " "
            opens = c in _OPEN and (prev.isspace() or prev in "(«„“") and (nxt.isalnum() or nxt in _OPEN)
            closes = c == close or (c == '"' and not nxt.isalnum())
            if (c == ch and ch != close and opens) or (ch == '"' and c == '"' and opens):  # « … « … » … »
                depth += 1
            elif closes or (c in "»”“" and c != ch):
                if depth == 0 and closes:
                    found = j
                    break
                depth = max(0, depth - 1)
            j += 1
        if found > i + 1:
            spans.append((i + 1, found))
            i = found + 1
        else:
            i += 1
    return spans


_TURN = re.compile(r"^[ \t]*[-–—―][ \t]+(\S[^\n]*)$", re.M)


def interview_answers(doc: Doc) -> None:
    """Make every answer of an interview a direct quote of the person interviewed.

    An article with two or more paragraphs that open with a dash and end with a question mark is an
    interview. Its dash paragraphs alternate: a question (or a remark ending in one), then an answer; the
    person interviewed is the first person the article names as an actor (in its headline or lead).
    Quotes inside an answer give way to it.
    """
    turns = [(m.start(1), m.end(1), m.group(1).rstrip()) for m in _TURN.finditer(doc.text)]
    if sum(text.endswith("?") for _, _, text in turns) < 2:
        return
    person = next((e for e in sorted(doc.entities, key=lambda e: e.start)
                   if e.type == "PER" and (e.kb_id or e.country) and not e.nested), None)
    if person is None:
        return
    answers: list[tuple[int, int]] = []
    asked = False  # turns alternate: after a question an answer; a remark after an answer is a question
    for a, _, text in turns:
        if text.endswith("?") or not asked:
            asked = True
            continue
        answers.append((a, a + len(text)))
        asked = False
    if not answers:
        return
    kept = [q for q in doc.quotes if not any(a <= q.start and q.end <= b for a, b in answers)]
    for a, b in answers:
        if not any(q.start < b and a < q.end for q in kept):
            kept.append(Quote(start=a, end=b, text=doc.text[a:b], speaker=person, direct=True))
    doc.quotes = sorted(kept, key=lambda q: q.start)


class QuoteFinder:
    """Pipeline stage: fills ``doc.quotes`` and adds first-person mentions inside quotes as the speaker."""

    name = "quotes"
    requires = ("tokens", "entities")
    assigns = ("quotes",)

    def __call__(self, doc: Doc) -> Doc:
        """Find the quotes of ``doc`` and their speakers."""
        doc.quotes = []
        at = _Layers(doc)
        for start, end in find_quote_spans(doc.text):
            quote = Quote(start=start, end=end, text=doc.text[start:end])
            first = at.tokens.first_from(start)
            if first >= len(doc.tokens):
                continue
            lang = doc.sents[doc.tokens[first].sent].lang if doc.sents else doc.lang
            verbs = speech_data(lang).get("verbs", frozenset())
            speaker, cue = self._after(doc, at, end, verbs) or self._before(doc, at, start, verbs) or (None, None)
            quote.direct = " " in quote.text.strip() and len(quote.text) > 40
            if speaker is None:
                speaker, cue = self._sentence_speaker(doc, at, start, end, verbs)
            quote.speaker = speaker
            if cue is not None:
                quote.cue_start, quote.cue_end = cue.start, cue.end
            doc.quotes.append(quote)
        interview_answers(doc)
        self._first_person(doc, at)
        return doc

    @staticmethod
    def _subject_near(at: _Layers, lo: int, hi: int) -> Entity | None:
        ents = [e for e in at.entities.starting_in(lo, hi)
                if e.end <= hi and e.kb_id and e.type in ("PER", "ORG", "LOC")]
        nom = [e for e in ents if e.case and "nom" in e.case]
        pool = nom or ents
        return pool[0] if pool else None

    def _after(self, doc: Doc, at: _Layers, end: int, verbs: frozenset[str]) -> tuple[Entity, Token] | None:
        # `"…", – сказав Токаєв.` / `"…" - поделился Зеленский.`
        m = re.match(r'[»"“”]?\s*[,.!?]?\s*[-–—―]\s*', doc.text[end : end + 8])
        if m:
            idx = at.tokens.first_from(end + m.end())
            cue = next((t for t in doc.tokens[idx : idx + 4] if t.lemma in verbs), None)
            if cue is None:
                return None
            speaker = self._subject_near(at, cue.end, doc.sents[cue.sent].end)
            return (speaker, cue) if speaker else None
        # `"…," Lavrov said.` / `"…," said Foreign Minister Andrii Sybiha.`: no dash, a comma (or ? !)
        # ends the quoted words, and the speaker stands before or after the verb
        if not re.search(r"[,?!]\s*$", doc.text[max(0, end - 2) : end]) and \
                not re.match(r'[»"“”]\s*[,?!]', doc.text[end : end + 3]):
            return None
        m = re.match(r'[»"“”]?\s*[,?!]?\s*', doc.text[end : end + 8])
        after = end + (m.end() if m else 0)
        idx = at.tokens.first_from(after)
        window = doc.tokens[idx : idx + 6]
        cue = next((t for t in window if t.lemma in verbs), None)
        if cue is None or any(t.text in ".!?;:«»\"“”" for t in window[: window.index(cue)]):
            return None
        before = self._subject_near(at, after, cue.start)
        if before is not None and doc.text[before.end : cue.start].strip():
            before = None  # "Kazakhstan's head coach said": the name is not the one who speaks
        speaker = before or self._subject_near(at, cue.end, doc.sents[cue.sent].end)
        return (speaker, cue) if speaker else None

    def _before(self, doc: Doc, at: _Layers, start: int, verbs: frozenset[str]) -> tuple[Entity, Token] | None:
        # `Зеленский заявил: «…»`
        head = doc.text[max(0, start - 3) : start - 1]
        if ":" not in head:
            return None
        n = at.tokens.ending_by(start - 1)
        before = doc.tokens[max(0, n - 6) : n]
        cue = next((t for t in reversed(before) if t.lemma in verbs), None)
        if cue is None:
            return self._headed(doc, at, before)
        sent = doc.sents[cue.sent]
        speaker = self._subject_near(at, sent.start, cue.start) or self._subject_near(at, cue.end, start)
        return (speaker, cue) if speaker else None

    @staticmethod
    def _headed(doc: Doc, at: _Layers, before: list[Token]) -> tuple[Entity, Token] | None:
        # `Захарова: «…»`: a named speaker right before the colon, with no speech verb
        colon = next((t for t in reversed(before[-2:]) if t.text == ":"), None)
        if colon is None:
            return None
        sent = doc.sents[colon.sent]
        ents = [e for e in at.entities.starting_in(sent.start, colon.start)
                if e.kb_id and (e.type in ("PER", "ORG") or e.mention == "nominal")  # "Belarus MFA: «…»"
                and not e.nested and not doc.text[e.end : colon.start].strip()]
        return (ents[-1], colon) if ents else None

    def _sentence_speaker(
        self, doc: Doc, at: _Layers, start: int, end: int, verbs: frozenset[str]
    ) -> tuple[Entity | None, Token | None]:
        si = at.tokens.sentence_of(start)
        if si < 0 or not start < doc.sents[si].end or doc.sents[si].end < end:
            return None, None
        sent = doc.sents[si]
        toks = doc.tokens[at.tokens.first_from(sent.start) : at.tokens.first_from(start)]
        cue = next((t for t in reversed(toks) if t.lemma in verbs), None)
        if cue is None:
            # "Belarus MFA: the decision 'would not go unanswered'": a headed sentence
            colon = next((k for k, t in enumerate(toks[:8]) if t.text == ":"), None)
            headed = self._headed(doc, at, toks[: colon + 1]) if colon is not None else None
            return headed if headed is not None else (None, None)
        return self._subject_near(at, sent.start, cue.start) or self._subject_near(at, cue.end, start), cue

    def _first_person(self, doc: Doc, at: _Layers) -> None:
        """Link "я", "мы", "наш" ... inside a quote to its speaker (and "мы" to the speaker's country)."""
        added: list[Entity] = []
        for quote in doc.quotes:
            spk = quote.speaker
            if spk is None:
                continue
            for i in range(at.tokens.first_from(quote.start), at.tokens.first_from(quote.end)):
                tok = doc.tokens[i]
                lang = doc.sents[tok.sent].lang if doc.sents else doc.lang
                data = speech_data(lang)
                low = norm(tok.text)
                if low in data.get("first_singular", frozenset()):
                    added.append(spk.pronoun(tok, i, via="speaker", score=0.7, case=tok.case))
                elif low in data.get("first_plural", frozenset()) and spk.country:
                    # "мы" inside a quote: the speaker's country
                    we = spk.pronoun(tok, i, via="speaker-plural", score=0.6, case=tok.case)
                    we.type, we.name, we.kb_id, we.code, we.kind = "LOC", None, None, spk.country, "country"
                    added.append(we)
        if added:
            doc.entities = sorted(doc.entities + added, key=lambda e: (e.start, -e.end))


class _Layers:
    """The token and entity views the quote finder looks up by offset."""

    __slots__ = ("entities", "tokens")

    def __init__(self, doc: Doc) -> None:
        self.tokens = TokenIndex([(t.start, t.end) for t in doc.tokens], [s.start for s in doc.sents])
        self.entities: SpanIndex[Entity] = SpanIndex(doc.entities)

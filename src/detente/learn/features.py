"""Candidates for the learned event layer: a sentence with an ordered pair of actors, and its features."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from detente.doc import Doc, Entity, Token
from detente.events.rules import load_rules, word_matches
from detente.text import norm

MAX_ACTORS = 4  # actors per sentence considered as sources and targets
WINDOW = 3  # tokens after a source and before a target read as its context


def actor_key(ent: Entity | None) -> str | None:
    """The scoring code of a linked actor: ISO alpha-3 country, or ``IGO:<org>``; None when unlinked."""
    if ent is None:
        return None
    if ent.country:
        return ent.country.upper()
    code = (ent.code or "").upper()
    if code.startswith("IGO"):
        from detente.evaluate.events import actor_key as record_key

        return record_key({"code": code})
    return code[:3] or None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence read as a possible event from ``source`` to ``target`` (None: no target)."""

    sent: int
    source: Entity
    target: Entity | None
    features: tuple[str, ...]

    @property
    def key(self) -> tuple[str | None, str | None]:
        """The scoring codes of source and target."""
        return actor_key(self.source), actor_key(self.target)


def _actors(doc: Doc) -> dict[int, list[Entity]]:
    """The first mention of each linked actor in each sentence, in text order, at most :data:`MAX_ACTORS`."""
    out: dict[int, list[Entity]] = {}
    seen: dict[int, set[str]] = {}
    for ent in sorted(doc.entities, key=lambda e: e.start):
        key = actor_key(ent)
        if key is None or ent.tok_start >= len(doc.tokens):
            continue
        si = doc.tokens[ent.tok_start].sent
        if key in seen.setdefault(si, set()) or len(seen[si]) >= MAX_ACTORS:
            continue
        seen[si].add(key)
        out.setdefault(si, []).append(ent)
    return out


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every (sentence, source, target-or-none) of ``doc`` with the features the model reads."""
    by_sent: dict[int, list[int]] = {}
    for i, tok in enumerate(doc.tokens):
        by_sent.setdefault(tok.sent, []).append(i)
    rule_roots: dict[int, set[tuple[str | None, str | None, str]]] = {}
    for ev in doc.events:
        rule_roots.setdefault(ev.sent, set()).add((actor_key(ev.source), actor_key(ev.target), ev.cameo[:2]))
    quoted = [(q.start, q.end) for q in doc.quotes]
    for si, ents in _actors(doc).items():
        idxs = by_sent.get(si, [])
        toks = [doc.tokens[i] for i in idxs]
        sent = doc.sents[si] if si < len(doc.sents) else None
        lang = sent.lang if sent else doc.lang
        bag = sorted({"l=" + t.lemma.lower() for t in toks if t.lemma and any(c.isalpha() for c in t.lemma)})
        in_quote = sent is not None and any(a < sent.end and sent.start < b for a, b in quoted)
        common = ["bias", "lang=" + lang, f"quote={in_quote}", f"head={si == 0}", *bag]
        rules = rule_roots.get(si, set())
        common += sorted({"rule_any=" + r for _, _, r in rules})
        trig = trigger_roots(toks, idxs[0] if idxs else 0, lang)
        common += sorted({"trig=" + r for _, r in trig})
        for src in ents:
            for tgt in [None, *[e for e in ents if e is not src]]:
                yield Candidate(si, src, tgt, tuple(common + _pair(doc, src, tgt, rules) + _around(src, tgt, trig)))


def trigger_roots(toks: list[Token], first: int, lang: str) -> list[tuple[int, str]]:
    """``(token index, CAMEO root)`` of every rule trigger word in a sentence, whether or not its rule coded."""
    rs = load_rules(lang)
    out: list[tuple[int, str]] = []
    for k, tok in enumerate(toks):
        for rule, words in rs.candidates({tok.lemma, norm(tok.text)}):
            if len(words) == 1 or all(word_matches(w, (t.lemma, norm(t.text))) for w, t in zip(words[1:], toks[k + 1 :],
                                                                                          strict=False)):
                out.append((first + k, rule.cameo[:2]))
    return out


def _around(src: Entity, tgt: Entity | None, trig: list[tuple[int, str]]) -> list[str]:
    """Where the pair stands around the sentence's triggers: "src_before=05", "tgt_after=11"."""
    f = {f"src_before={r}" for i, r in trig if src.tok_end <= i}
    if tgt is not None:
        f |= {f"tgt_after={r}" for i, r in trig if tgt.tok_start > i}
        f |= {f"between={r}" for i, r in trig if min(src.tok_end, tgt.tok_end) <= i < max(src.tok_start, tgt.tok_start)}
    return sorted(f)


def _context(doc: Doc, ent: Entity, prefix: str, after: bool) -> list[str]:
    lo, hi = (ent.tok_end, ent.tok_end + WINDOW) if after else (max(0, ent.tok_start - WINDOW), ent.tok_start)
    sent = doc.tokens[ent.tok_start].sent
    return [f"{prefix}{t.lemma.lower()}" for t in doc.tokens[lo:hi] if t.sent == sent and t.lemma]


def _pair(doc: Doc, src: Entity, tgt: Entity | None, rules: set[tuple[str | None, str | None, str]]) -> list[str]:
    """The features of one ordered pair: cases, kinds, order, contexts, and the rules' roots for it."""
    f = ["sc=" + (src.case or "-"), "sk=" + (src.kind or "-"), "sm=" + src.mention, *_context(doc, src, "sa=", True),
         *_context(doc, src, "sb=", False)]
    sk, tk = actor_key(src), actor_key(tgt)
    if tgt is None:
        f.append("t=none")
    else:
        f += ["tc=" + (tgt.case or "-"), "tk=" + (tgt.kind or "-"), f"ord={src.start < tgt.start}",
              *_context(doc, tgt, "tb=", False), f"same_country={sk == tk}"]
    f += sorted({"rule=" + r for s, t, r in rules if s == sk and t == tk})
    f += sorted({"rule_rev=" + r for s, t, r in rules if s == tk and t == sk})
    return f

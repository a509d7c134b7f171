"""Event extraction rules, kept as data per language (``lang/<lang>/rules.yaml``).

A rule names trigger lemmas (verbs, nouns or multi-word phrases), optional context words that must
stand near the trigger, the CAMEO code (with other codes for future or negated readings) and where
its source and target actors stand: ``subj`` (a nominative actor of the clause), a bare case
(``dat``, ``acc``, ``gen``, ``ins``) after the trigger, ``gen0`` (a genitive right after a noun
trigger: "атака России"), ``PREP+case`` (``с+ins``, ``к+dat``),
``initiator`` ("по инициативе X"), ``speaker`` (the speaker of the quote or sentence) and
``context`` (an actor named in the sentences just before), ``clause`` and ``sentence`` (the actor
nearest the trigger in its clause or sentence, for acts carried by what is said: "Ташкент — надежный
партнер"), ``reporter`` (the subject of a speech verb before the trigger's clause: "Песков заявил, что
…"), ``gen_pre`` (a possessor right before a noun
trigger: "Meloni's invitation", "Тоқаевтың сапары").

A trigger word ending in ``*`` matches every word that begins with it: Kazakh verbs are written as
stems ("кездес*" for "кездесті", "кездеседі", "кездеспеді"), and what follows the stem is read
against the ``suffix_*`` markers (negation, future, past). The language's ``word_order: sov``
(Kazakh, in ``language.yaml``) makes bare-case slots look before the trigger, where a verb-final
language puts its objects; ``subject_after_verb: false`` (English) stops the subject slot from taking
an actor after the verb.
``place_targets: true`` lets the target slots take a city or region, coded as its country ("прибыл в
Сочи": a visit to Russia); ``one_event: true`` codes one event whatever the number of targets (a
mediator's offer to both sides is one act); ``where_met: true`` codes a meeting by its stated place:
043 (hosts) in the source's country, 042 (visits) in the target's, 044 elsewhere. Markers
``passive_aux`` (a participle after "was" takes its source from "by" and its target from the subject)
and ``embedding`` (an act inside "demanded that …", "urged X to …" did not happen) are optional.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import yaml

from detente.events.cameo import codebook
from detente.lang import Language, default_languages
from detente.text import load_yaml, norm

SLOT_KINDS = ("subj", "dat", "acc", "gen", "gen0", "gen_pre", "ins", "loc", "abl", "nom", "initiator", "speaker",
              "context", "clause", "sentence", "reporter")


class RuleError(ValueError):
    """A rule file that does not follow the rule schema; the message names the file and rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One extraction rule."""

    id: str
    cameo: str
    triggers: tuple[tuple[str, ...], ...]
    pos: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    near: frozenset[str] = frozenset()
    near_window: int = 4
    unless: frozenset[str] = frozenset()
    future: str | None = None
    negated: str | None = None
    symmetric: bool = False
    confidence: float = 0.7
    target_required: bool = False
    place_targets: bool = False
    one_event: bool = False
    where_met: bool = False


@dataclass(slots=True)
class RuleSet:
    """The rules and modality markers of one language."""

    lang: str
    rules: list[Rule]
    markers: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    by_first: dict[str, list[tuple[Rule, tuple[str, ...]]]] = field(default_factory=dict)
    by_prefix: list[tuple[str, Rule, tuple[str, ...]]] = field(default_factory=list)
    word_order: str = "svo"
    subject_after_verb: bool = True

    def candidates(self, keys: set[str]) -> list[tuple[Rule, tuple[str, ...]]]:
        """The rules whose trigger may start at a word with these lemma/form ``keys``."""
        out = [c for k in keys for c in self.by_first.get(k, [])]
        out += [(rule, trig) for prefix, rule, trig in self.by_prefix if any(k.startswith(prefix) for k in keys)]
        return out


def _words(raw: Any, rid: str, origin: str, what: str) -> list[str]:
    """A list of words from YAML, refusing what YAML read as something else (``no``, ``on`` → booleans)."""
    items = list(raw or [])
    for w in items:
        if not isinstance(w, str):
            raise RuleError(f"{origin}: rule {rid}: {what} {w!r} is not text; quote it (\"on\", \"no\")")
    return items


def _phrase(p: str) -> tuple[str, ...]:
    return tuple(norm(w[:-1]) + "*" if w.endswith("*") and len(w) > 1 else norm(w) for w in p.split())


def word_matches(word: str, keys: tuple[str, ...] | set[str]) -> bool:
    """True when a trigger ``word`` (a lemma, or a stem ending in ``*``) matches one of ``keys``."""
    if word.endswith("*"):
        return any(k.startswith(word[:-1]) for k in keys)
    return word in keys


def parse_rules(data: dict[str, Any], lang: str, origin: str, language: Language | None = None) -> RuleSet:
    """Build a :class:`RuleSet` from parsed YAML, checking codes and slot names.

    Word order and subject position come from ``language`` (by default the registered language of
    ``lang``); a rule file may still set them itself.
    """
    language = language or default_languages().find(lang)
    book = codebook()
    rules: list[Rule] = []
    for i, raw in enumerate(data.get("rules") or []):
        rid = str(raw.get("id") or f"{lang}.{i}")
        try:
            cameo = str(raw["cameo"])
            triggers = tuple(_phrase(t) for t in _words(raw["triggers"], rid, origin, "trigger"))
        except (KeyError, TypeError) as exc:
            raise RuleError(f"{origin}: rule {rid}: missing field {exc}") from exc
        for code in (cameo, raw.get("future"), raw.get("negated")):
            if code is not None and str(code) not in book:
                raise RuleError(f"{origin}: rule {rid}: unknown CAMEO code {code!r}")
        slots = tuple(str(s) for s in raw.get("source", ["subj"])), tuple(str(s) for s in raw.get("target", []))
        for slot in (*slots[0], *slots[1]):
            kind = slot.split("+")[-1]
            if kind not in SLOT_KINDS:
                raise RuleError(f"{origin}: rule {rid}: unknown slot {slot!r}")
        rules.append(Rule(
            id=rid, cameo=cameo, triggers=triggers, pos=str(raw.get("pos", "any")),
            source=slots[0], target=slots[1],
            near=frozenset(norm(w) for w in _words(raw.get("near"), rid, origin, "near word")),
            near_window=int(raw.get("near_window", 4)),
            unless=frozenset(norm(w) for w in _words(raw.get("unless"), rid, origin, "unless word")),
            future=str(raw["future"]) if raw.get("future") else None,
            negated=str(raw["negated"]) if raw.get("negated") else None,
            symmetric=bool(raw.get("symmetric", False)),
            confidence=float(raw.get("confidence", 0.7)),
            target_required=bool(raw.get("target_required", False)),
            place_targets=bool(raw.get("place_targets", False)),
            one_event=bool(raw.get("one_event", False)),
            where_met=bool(raw.get("where_met", False)),
        ))
    markers = {k: frozenset(norm(w) for w in _words(v, "markers", origin, k))
               for k, v in (data.get("markers") or {}).items()}
    phrases = {k: tuple(_phrase(str(p)) for p in v) for k, v in (data.get("phrases") or {}).items()}
    order = str(data.get("word_order", language.word_order if language else "svo"))
    if order not in ("svo", "sov"):
        raise RuleError(f"{origin}: word_order must be svo or sov, not {order!r}")
    rs = RuleSet(lang=lang, rules=rules, markers=markers, phrases=phrases, word_order=order,
                 subject_after_verb=bool(data.get("subject_after_verb",
                                                  language.subject_after_verb if language else True)))
    for rule in rules:
        for trig in rule.triggers:
            if trig[0].endswith("*"):
                rs.by_prefix.append((trig[0][:-1], rule, trig))
            else:
                rs.by_first.setdefault(trig[0], []).append((rule, trig))
    return rs


def load_rules(lang: str) -> RuleSet:
    """Return the rules of the registered language ``lang`` (an empty set when it has none)."""
    language = default_languages().find(lang)
    if language is None:
        return RuleSet(lang=lang, rules=[])
    return language_rules(language)


@functools.cache
def language_rules(language: Language) -> RuleSet:
    """Return the rules of ``language`` (its folder's ``rules.yaml``), parsed once."""
    res = language.resource("rules.yaml")
    origin = f"lang/{language.code}/rules.yaml"
    if res is None:
        return RuleSet(lang=language.code, rules=[])
    try:
        data = load_yaml(res.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"{origin}: cannot parse: {exc}") from exc
    return parse_rules(data, language.code, origin, language)

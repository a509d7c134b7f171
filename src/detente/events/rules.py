"""Event extraction rules, kept as data per language (``events/rules/<lang>.yaml``).

A rule names trigger lemmas (verbs, nouns or multi-word phrases), optional context words that must
stand near the trigger, the CAMEO code (with other codes for future or negated readings) and where
its source and target actors stand: ``subj`` (a nominative actor of the clause), a bare case
(``dat``, ``acc``, ``gen``, ``ins``) after the trigger, ``gen0`` (a genitive right after a noun
trigger: "атака России"), ``PREP+case`` (``с+ins``, ``к+dat``),
``initiator`` ("по инициативе X"), ``speaker`` (the speaker of the quote or sentence) and
``context`` (an actor named in the sentences just before).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from detente.events.cameo import codebook
from detente.kb.base import norm

SLOT_KINDS = ("subj", "dat", "acc", "gen", "gen0", "ins", "loc", "nom", "initiator", "speaker", "context")


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


@dataclass(slots=True)
class RuleSet:
    """The rules and modality markers of one language."""

    lang: str
    rules: list[Rule]
    markers: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    by_first: dict[str, list[tuple[Rule, tuple[str, ...]]]] = field(default_factory=dict)


def _phrase(p: str) -> tuple[str, ...]:
    return tuple(norm(w) for w in p.split())


def parse_rules(data: dict[str, Any], lang: str, origin: str) -> RuleSet:
    """Build a :class:`RuleSet` from parsed YAML, checking codes and slot names."""
    book = codebook()
    rules: list[Rule] = []
    for i, raw in enumerate(data.get("rules") or []):
        rid = str(raw.get("id") or f"{lang}.{i}")
        try:
            cameo = str(raw["cameo"])
            triggers = tuple(_phrase(str(t)) for t in raw["triggers"])
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
            near=frozenset(norm(w) for w in raw.get("near", [])),
            near_window=int(raw.get("near_window", 4)),
            unless=frozenset(norm(w) for w in raw.get("unless", [])),
            future=str(raw["future"]) if raw.get("future") else None,
            negated=str(raw["negated"]) if raw.get("negated") else None,
            symmetric=bool(raw.get("symmetric", False)),
            confidence=float(raw.get("confidence", 0.7)),
            target_required=bool(raw.get("target_required", False)),
        ))
    markers = {k: frozenset(norm(w) for w in v) for k, v in (data.get("markers") or {}).items()}
    phrases = {k: tuple(_phrase(str(p)) for p in v) for k, v in (data.get("phrases") or {}).items()}
    rs = RuleSet(lang=lang, rules=rules, markers=markers, phrases=phrases)
    for rule in rules:
        for trig in rule.triggers:
            rs.by_first.setdefault(trig[0], []).append((rule, trig))
    return rs


@functools.cache
def load_rules(lang: str) -> RuleSet:
    """Return the bundled rules of ``lang`` (an empty set when there are none)."""
    res = resources.files("detente.events").joinpath("rules", f"{lang}.yaml")
    if not res.is_file():
        return RuleSet(lang=lang, rules=[])
    text = res.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"rules/{lang}.yaml: cannot parse: {exc}") from exc
    return parse_rules(data, lang, f"rules/{lang}.yaml")
